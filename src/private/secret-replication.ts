import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { regionOf } from './region';
import { checkReaderAccounts } from './shared-secret';
import { ProblemList, show } from './validation';
import type { IFidoDataLayer, SecretsOptions } from '../data/options';

/** How the deployment's application secret crosses regions, as resolved from `secrets`. */
export interface ResolvedReplication {
  /** Regions the created application secret replicates to. */
  readonly applicationSecretReplicaRegions: secretsmanager.ReplicaRegion[];
  /** The deployment of another region whose application secret this one reads through its replica. */
  readonly replicaOf?: IFidoDataLayer;
  /**
   * The key of this region that encrypts the replica: the one `replicaOf` replicates here with,
   * else `secrets.encryptionKey`; none for the AWS managed key.
   */
  readonly replicaKey?: kms.IKey;
}

/**
 * Checks `secrets.applicationSecretReplicaRegions` and `secrets.replicaOf` against each other, the
 * rest of `secrets` and the stack, each problem naming its prop; returns what the deployment builds.
 */
export function resolveReplication(problems: ProblemList, scope: IConstruct, secrets: SecretsOptions): ResolvedReplication {
  const here = regionOf(scope);
  const replicas = secrets.applicationSecretReplicaRegions ?? [];
  const { replicaOf } = secrets;
  if (replicas.length > 0 && secrets.applicationSecret) {
    problems.add('secrets.applicationSecretReplicaRegions', 'replicates only the application secret the deployment creates, but secrets.applicationSecret is given: replicate that secret where it is managed, or leave applicationSecret out');
  }
  if (replicas.length > 0 && replicaOf) {
    problems.add('secrets.applicationSecretReplicaRegions', 'replicates the application secret the deployment creates, but with secrets.replicaOf it reads a replica, which Secrets Manager does not replicate further; replicate from the secret\'s own region');
  }
  const names = replicas.map((replica) => replica.region);
  replicas.forEach((replica, index) => {
    const prop = `secrets.applicationSecretReplicaRegions[${index}]`;
    if (Token.isUnresolved(replica.region)) {
      return;
    }
    if (replica.region === here) {
      problems.add(`${prop}.region`, `is the deployment's own region (${here}), where the secret itself is; give another region`);
    } else {
      problems.repeated(`${prop}.region`, names, index, 'region');
    }
    const keyRegion = replica.encryptionKey ? regionOf(replica.encryptionKey) : undefined;
    if (keyRegion !== undefined && keyRegion !== replica.region) {
      problems.add(`${prop}.encryptionKey`, `is a key of ${keyRegion}, but a replica in ${replica.region} is encrypted with a key of its own region; give a key of ${replica.region}, or none for its AWS managed key`);
    }
  });
  if (!replicaOf) {
    return { applicationSecretReplicaRegions: replicas };
  }
  return { applicationSecretReplicaRegions: replicas, replicaOf, replicaKey: checkReplicaOf(problems, scope, here, secrets, replicaOf) };
}

/**
 * Checks `secrets.applicationSecretReaderAccounts` beside the rest of `secrets`: only for the
 * secret the deployment creates, with a customer-managed key for it (`createsKey`: the
 * deployment's own, with `encryption.customerManagedKey`) and each replica.
 */
export function checkSecretReaders(problems: ProblemList, scope: IConstruct, secrets: SecretsOptions, createsKey: boolean): void {
  const readers = secrets.applicationSecretReaderAccounts ?? [];
  const given = secrets.applicationSecret ? 'secrets.applicationSecret is given: share that secret where it is managed'
    : secrets.replicaOf ? 'secrets.replicaOf reads another deployment\'s: let the accounts read it there, in that deployment\'s secrets'
      : undefined;
  if (readers.length > 0 && given) {
    problems.add('secrets.applicationSecretReaderAccounts', `lets other accounts read the application secret the deployment creates, but ${given}`);
    return;
  }
  checkReaderAccounts(problems, 'secrets.', readers, Stack.of(scope), {
    given: secrets.encryptionKey !== undefined || createsKey,
    fix: 'turn on encryption.customerManagedKey (on in prod), or give a key of this region',
  }, secrets.applicationSecretReplicaRegions ?? []);
}

/** Checks `secrets.replicaOf`; returns the key of this region that encrypts the replica. */
function checkReplicaOf(
  problems: ProblemList, scope: IConstruct, here: string | undefined, secrets: SecretsOptions, replicaOf: IFidoDataLayer,
): kms.IKey | undefined {
  const there = regionOf(replicaOf);
  if (secrets.applicationSecret) {
    problems.add('secrets.replicaOf', 'reads the application secret of another deployment, but secrets.applicationSecret is given too; give one of the two');
  }
  if (secrets.rotateApplicationSecret === true) {
    problems.add('secrets.rotateApplicationSecret', 'cannot rotate a replica: the secret rotates in its own region, with the deployment given as secrets.replicaOf, and its new values reach the replica; leave it out here');
  }
  if (here === undefined || there === undefined) {
    problems.add('secrets.replicaOf', `needs both stacks' regions known at synth to find the replica, got ${show(here)} here and ${show(there)} there; give each stack an env with its region`);
    return undefined;
  }
  if (here === there) {
    problems.add('secrets.replicaOf', `is a deployment of this region (${here}); give its application secret as secrets.applicationSecret instead`);
    return undefined;
  }
  const [ourAccount, theirAccount] = [Stack.of(scope).account, Stack.of(replicaOf).account];
  if (!Token.isUnresolved(ourAccount) && !Token.isUnresolved(theirAccount) && ourAccount !== theirAccount) {
    problems.add('secrets.replicaOf', `is a deployment of account ${theirAccount}, but Secrets Manager replicates a secret within its own account, and this stack deploys to ${ourAccount}; use a deployment of this account`);
  }
  if (!replicaOf.applicationSecretCreated) {
    // A given secret replicates as its owner arranges, with a key the owner chose.
    return secrets.encryptionKey;
  }
  const replica = replicaOf.applicationSecretReplicaRegions.find((r) => r.region === here);
  if (!replica) {
    problems.add('secrets.replicaOf', `has an application secret that does not replicate to ${here}: add { region: '${here}' } to that deployment's secrets.applicationSecretReplicaRegions`);
    return undefined;
  }
  return replica.encryptionKey;
}

/**
 * This region's replica of `source`: the same ARN but for the region (the name and its suffix
 * stay), as ECS needs it in full to read one key of the secret.
 */
export function importReplica(scope: Construct, id: string, source: secretsmanager.ISecret): secretsmanager.ISecret {
  const stack = Stack.of(scope);
  const { resourceName } = Arn.split(source.secretFullArn ?? source.secretArn, ArnFormat.COLON_RESOURCE_NAME);
  return secretsmanager.Secret.fromSecretCompleteArn(scope, id, stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  }));
}
