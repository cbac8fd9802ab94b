import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ProblemList } from './validation';

/**
 * Checks `<prefix>applicationSecretReaderAccounts` (`prefix` is 'secrets.' on a deployment, '' on
 * a data layer): each an account ID, not the secret's own account (`stack`'s), none twice; and
 * that a customer-managed key encrypts the secret (`ownKey.given`; `ownKey.fix` says how to give
 * one) and each replica, since another account cannot decrypt with an AWS managed key.
 */
export function checkReaderAccounts(
  problems: ProblemList, prefix: string, accounts: readonly string[], stack: Stack,
  ownKey: { readonly given: boolean; readonly fix?: string }, replicas: readonly secretsmanager.ReplicaRegion[],
): void {
  const prop = `${prefix}applicationSecretReaderAccounts`;
  problems.otherAccounts(prop, accounts, { account: stack.account, what: "the secret's own account", why: 'whose principals read it by their own policies' });
  if (accounts.length === 0) {
    return;
  }
  const keys = [
    { prop: `${prefix}encryptionKey`, given: ownKey.given, region: stack.region, fix: ownKey.fix },
    ...replicas.map((replica, index) => ({
      prop: `${prefix}applicationSecretReplicaRegions[${index}].encryptionKey`, given: replica.encryptionKey !== undefined, region: replica.region, fix: undefined,
    })),
  ];
  for (const { prop: keyProp, given, region, fix } of keys) {
    if (!given) {
      problems.add(keyProp, `is none, so ${region}'s AWS managed key of Secrets Manager encrypts there, which no other account may decrypt with, as ${prop} needs; ${fix ?? `give a customer-managed key of ${region}`}`);
    }
  }
}

/**
 * Lets principals of `readers` read `secret` and its `replicas`: a resource policy on the secret,
 * which Secrets Manager replicates with it, and in the policy of each key (`ownKey`, the secret's
 * own, and the replicas') a statement that lets
 * them decrypt through Secrets Manager of that key's region only. What else they may do is up to
 * their own accounts' policies. A key whose policy this app does not hold (an imported key) gets
 * a warning with the statement to add where that key is managed.
 */
export function shareSecret(
  secret: secretsmanager.ISecret, readers: readonly string[], ownKey: kms.IKey | undefined, replicas: readonly secretsmanager.ReplicaRegion[],
): void {
  if (readers.length === 0) {
    return;
  }
  const keys = [
    { key: ownKey, region: Stack.of(secret).region },
    ...replicas.map((replica) => ({ key: replica.encryptionKey, region: replica.region })),
  ];
  const principals = () => readers.map((account) => new iam.AccountPrincipal(account));
  secret.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReadByOtherAccounts',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    principals: principals(),
    resources: ['*'],
  }));
  for (const { key, region } of keys) {
    const statement = new iam.PolicyStatement({
      sid: 'ApplicationSecretReadByOtherAccounts',
      actions: ['kms:Decrypt'],
      principals: principals(),
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    });
    if (key && !key.addToResourcePolicy(statement).statementAdded) {
      Annotations.of(secret).addWarningV2('arculus-fido:shared-secret-key-policy',
        `The key ${key.keyArn} of ${region} is imported, so its policy is not this app's to change: for ${readers.join(', ')} to read the application secret there, `
        + `add to it ${JSON.stringify(key.stack.resolve(statement.toStatementJson()))}`);
    }
  }
}
