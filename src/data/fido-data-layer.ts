import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MongoDbConnection } from './mongodb-connection';
import { DocumentDbGlobalCluster, IFidoDataLayer, SecretRotation } from './options';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import { checkSelectionOfVpc } from '../private/cross-checks';
import { acknowledge, SECRET_KEY_REASON } from '../private/nag';
import { APPLICATION_SECRET_ROTATION, MONGODB_SECRET_ROTATION } from '../private/names';
import { OtherStacks } from '../private/other-stacks';
import { rotationFunction } from '../private/rotation-function';
import { sanitize, struct, reportBlockProblems } from '../private/schema';
import { checkReaderAccounts, shareSecret } from '../private/shared-secret';
import { ProblemList } from '../private/validation';

const APPLICATION_SECRET_NOT_ROTATED = 'Rotation of the application secret is turned off (secrets.rotateApplicationSecret: false, or runbooks: false, which leaves nothing to roll the services after a rotation); the operator rotates it by putting a new value, which redeploys the services where the runbooks are on (else run Redeploy).';

/**
 * Props of `FidoDataLayer`.
 */
export interface FidoDataLayerProps {
  /**
   * Where the services' MongoDB lives.
   */
  readonly mongoDb: MongoDbConnection;

  /**
   * The deployment's environment; picks the defaults of a created DocumentDB cluster.
   */
  readonly deploymentEnvironment: DeploymentEnvironment;

  /**
   * VPC of the tasks.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Private subnets, where a created DocumentDB cluster goes.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security group of the FIDO tasks. Where the database's security group is known, its MongoDB
   * port is admitted from this group only.
   */
  readonly clientSecurityGroup: ec2.ISecurityGroup;

  /**
   * An existing application secret (API keys, JWT secret). It must hold the JSON key `jwtSecret`.
   *
   * @default - a secret with a generated 64-character `jwtSecret` is created
   */
  readonly applicationSecret?: secretsmanager.ISecret;

  /**
   * Key that encrypts the secrets this construct creates.
   *
   * @default - the AWS managed key of Secrets Manager
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the secrets this construct creates when they leave the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long a created DocumentDB cluster's audit logs, and the rotation functions' logs, are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the log groups of the rotation functions the library ships (the application
   * secret's, and MongoDB Atlas's).
   *
   * @default - CloudWatch Logs' own keys
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * What happens to the rotation functions' log groups when they leave the stack.
   *
   * @default - `removalPolicy`
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * Rotate the application secret this construct creates at this interval (1 to 1000 whole days)
   * with the rotation function the library ships: each rotation generates a new `jwtSecret` (512
   * random bits, base64url) and keeps the one before as `jwtSecretPrevious`, with every other key
   * of the secret unchanged. The function runs in `vpcSubnets` with a security group that allows
   * only HTTPS out (Secrets Manager's endpoint, through the NAT gateways or a VPC endpoint).
   * Refused beside a given `applicationSecret`, which rotates as its owner arranges.
   *
   * The key `jwtSecretPrevious` is there before the first rotation too: on deployment, the same
   * function puts it, equal to `jwtSecret`, into a value without it (a CloudFormation custom
   * resource), so that an ECS secret may name it from the start. It answers CloudFormation at a
   * presigned S3 URL, so the subnets need HTTPS to S3 as well (a NAT gateway or an S3 endpoint).
   *
   * ECS reads secrets when a task starts: roll the services after each rotation
   * (`FidoRunbooks.redeployOnSecretChange()` does it).
   *
   * @default - not rotated
   */
  readonly applicationSecretRotation?: Duration;

  /**
   * Regions the application secret this construct creates replicates to, each with the key of
   * that region that encrypts its replica (none: that region's AWS managed key). The rotation
   * function, which puts each new value, may encrypt with those keys, as the replication needs.
   * Refused beside a given `applicationSecret`, which replicates as its owner arranges.
   *
   * @default - no replica
   */
  readonly applicationSecretReplicaRegions?: secretsmanager.ReplicaRegion[];

  /**
   * Accounts whose principals may read the application secret the construct creates, and its
   * replicas, as a deployment of another account reads it in `secrets.applicationSecret`
   * (imported by its full ARN): the secret's resource policy, which Secrets Manager replicates
   * with it, allows them `GetSecretValue` and `DescribeSecret`, and the policy of each key that
   * encrypts the secret or a replica lets them decrypt through Secrets Manager of that key's
   * region only. So the secret and every replica need a customer-managed key: synth refuses an
   * AWS managed one, which no other account may use. Which principals of those accounts read it
   * is up to their own policies.
   *
   * @default - no other account reads it
   */
  readonly applicationSecretReaderAccounts?: string[];
}

/** The props' keys and the required ones, from the API model, for a caller without a compiler. */
const PROPS_SHAPE = struct('FidoDataLayerProps', { required: true });

/** Problems with a lone data layer's props but the connection's own, each naming its prop. */
function dataLayerProblems(props: FidoDataLayerProps, stack: Stack): string[] {
  const problems = new ProblemList();
  sanitize(problems, '', props ?? {}, PROPS_SHAPE);
  problems.daysInRange('applicationSecretRotation', props?.applicationSecretRotation, 1, 1000, 'Secrets Manager rotates every');
  if (props?.applicationSecret && props.applicationSecretRotation) {
    problems.add('applicationSecretRotation', 'rotates only the application secret this construct creates, but applicationSecret is given: rotate that secret where it is managed, or leave one of the two out');
  }
  if (props?.applicationSecret && props.applicationSecretReplicaRegions?.length) {
    problems.add('applicationSecretReplicaRegions', 'replicates only the application secret this construct creates, but applicationSecret is given: replicate that secret where it is managed, or leave one of the two out');
  }
  const readers = props?.applicationSecretReaderAccounts ?? [];
  if (props?.applicationSecret && readers.length) {
    problems.add('applicationSecretReaderAccounts', 'shares only the application secret this construct creates, but applicationSecret is given: share that secret where it is managed, or leave one of the two out');
  } else if (!problems.about('applicationSecretReaderAccounts') && !problems.about('applicationSecretReplicaRegions')) {
    checkReaderAccounts(problems, '', readers, stack, { given: props.encryptionKey !== undefined }, props.applicationSecretReplicaRegions ?? []);
  }
  // The connection's own options, and subnets of no other VPC than its own, once their types hold.
  if (!problems.about('mongoDb')) {
    problems.addAll(props!.mongoDb.validate());
  }
  if (!problems.about('vpc') && !problems.about('vpcSubnets')) {
    checkSelectionOfVpc(problems, 'vpcSubnets', 'vpc', () => props!.vpc, props!.vpcSubnets);
  }
  return [...problems.all];
}

/**
 * The data layer of an Arculus FIDO deployment: the MongoDB secret (and database, for DocumentDB)
 * and the application secret.
 */
export class FidoDataLayer extends Construct implements IFidoDataLayer {
  /** Secret with the JSON keys `username`, `password`, `host` and `port`. */
  public readonly mongoDbSecret: secretsmanager.ISecret;

  /**
   * Secret with the JSON key `jwtSecret` (and any API keys the operator adds); and
   * `jwtSecretPrevious` when this construct created and rotates it.
   */
  public readonly applicationSecret: secretsmanager.ISecret;

  /**
   * The DocumentDB cluster, when `MongoDbConnection.documentDb()` was chosen.
   *
   * @default - no cluster was created
   */
  public readonly databaseCluster?: docdb.DatabaseCluster;

  /** Whether the MongoDB connection rotates `mongoDbSecret` on a schedule. */
  public readonly mongoDbSecretRotates: boolean;

  /**
   * The host the services connect to in place of `mongoDbSecret`'s `host`: a DocumentDB
   * secondary cluster's endpoint (`MongoDbConnection.documentDbSecondary()`).
   *
   * @default - `mongoDbSecret`'s `host` key
   */
  public readonly mongoDbHost?: string;

  /**
   * The secret whose change events tell that `mongoDbSecret` changed: the primary's master secret,
   * when `mongoDbSecret` is its replica.
   */
  public readonly mongoDbSecretChangesFrom: secretsmanager.ISecret;

  /**
   * The DocumentDB global cluster the data layer's cluster belongs to: made from its cluster
   * (`documentDb({ secondaryRegions })`), or joined by it (`documentDbSecondary()`).
   *
   * @default - none: no global cluster
   */
  public readonly documentDbGlobalCluster?: DocumentDbGlobalCluster;

  /**
   * The secondary cluster of a global cluster, when `MongoDbConnection.documentDbSecondary()` was chosen.
   *
   * @default - none: no secondary cluster was created
   */
  public readonly documentDbSecondaryCluster?: docdb.IDatabaseCluster;

  /**
   * The function the library ships that rotates `mongoDbSecret` (MongoDB Atlas, with
   * `atlasRotation`): what an alarm on failed rotations watches.
   *
   * @default - none: the password is not rotated, or rotated by AWS's hosted function
   * (`masterSecret`), DocumentDB's, or your own (`rotation`)
   */
  public readonly mongoDbRotationFunction?: lambda.IFunction;

  /**
   * The function that rotates the created application secret.
   *
   * @default - none: `applicationSecretRotation` is not set, or the application secret was given
   */
  public readonly applicationSecretRotationFunction?: lambda.IFunction;

  /**
   * The custom resource that puts `jwtSecretPrevious` into the created, rotated application
   * secret before any task reads it: what reads the key (an ECS service whose tasks get
   * `JWT_SECRET_PREVIOUS`) must depend on it.
   *
   * @default - none: the application secret is given, or does not rotate
   */
  public readonly previousJwtSecretSeed?: CustomResource;

  /**
   * Every secret of the data layer that rotates on a schedule, with the function the library ships
   * to rotate it where there is one: hand them to `FidoMonitoring` (`secretRotations`), which
   * alarms on the functions' errors and on Secrets Manager's rotation failures.
   */
  public readonly secretRotations: SecretRotation[] = [];

  /** Whether this construct created `applicationSecret` (else it was given). */
  public readonly applicationSecretCreated: boolean;

  /** Regions the created application secret replicates to, with their keys: as given in the props. */
  public readonly applicationSecretReplicaRegions: secretsmanager.ReplicaRegion[];

  constructor(scope: Construct, id: string, props: FidoDataLayerProps) {
    super(scope, id);
    reportBlockProblems(this, 'FidoDataLayer', dataLayerProblems(props, Stack.of(this)));

    const mongo = props.mongoDb.bind(this, {
      deploymentEnvironment: props.deploymentEnvironment,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
      logEncryptionKey: props.logEncryptionKey,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    this.mongoDbSecret = mongo.secret;
    this.mongoDbRotationFunction = mongo.rotationFunction;
    this.databaseCluster = mongo.databaseCluster;
    this.mongoDbSecretRotates = mongo.secretRotates ?? false;
    this.mongoDbHost = mongo.host;
    this.mongoDbSecretChangesFrom = mongo.secretChangesFrom ?? mongo.secret;
    this.documentDbGlobalCluster = mongo.globalCluster;
    this.documentDbSecondaryCluster = mongo.secondaryCluster;
    if (this.mongoDbSecretRotates && !mongo.secretChangesFrom) {
      // The shipped Atlas function's errors alarm too; AWS's hosted function (self-managed) is
      // covered by the rule on Secrets Manager's rotation failures alone. A replica rotates, and
      // alarms, in its source's region.
      this.secretRotations.push({ name: MONGODB_SECRET_ROTATION, secret: mongo.secret, rotationFunction: mongo.rotationFunction });
    }
    // Outbound to MongoDB: to its security group when known (the rule lives here, beside the
    // ingress rule, so nested stacks do not reference each other both ways), else to any address
    // (MongoDB Atlas publishes no fixed ranges; its IP access list admits the NAT gateways).
    if (!mongo.securityGroup) {
      props.clientSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(mongo.port), 'MongoDB from the Arculus FIDO tasks');
    } else if (!props.clientSecurityGroup.allowAllOutbound) {
      new ec2.CfnSecurityGroupEgress(this, 'MongoDbEgress', {
        groupId: props.clientSecurityGroup.securityGroupId,
        destinationSecurityGroupId: mongo.securityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: mongo.port,
        toPort: mongo.port,
        description: 'MongoDB from the Arculus FIDO tasks',
      });
    }
    if (mongo.securityGroup) {
      // The rule lives here, beside the deployment, even when the database's group belongs to
      // another stack or account: it goes when the deployment goes.
      new ec2.CfnSecurityGroupIngress(this, 'MongoDbIngress', {
        groupId: mongo.securityGroup.securityGroupId,
        sourceSecurityGroupId: props.clientSecurityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: mongo.port,
        toPort: mongo.port,
        description: 'MongoDB from the Arculus FIDO tasks',
      });
    }

    this.applicationSecretCreated = !props.applicationSecret;
    this.applicationSecretReplicaRegions = props.applicationSecret ? [] : props.applicationSecretReplicaRegions ?? [];
    if (props.applicationSecret) {
      this.applicationSecret = props.applicationSecret;
      return;
    }
    const applicationSecret = this.createApplicationSecret(props);
    this.applicationSecret = applicationSecret;
    acknowledge(applicationSecret, props.encryptionKey ? {} : { 'NIST.800.53.R5-SecretsManagerUsingKMSKey': `${SECRET_KEY_REASON}.` });
    if (props.applicationSecretRotation) {
      const fn = this.rotate(applicationSecret, props.applicationSecretRotation, props);
      this.applicationSecretRotationFunction = fn;
      allowReplicaEncryption(fn, props.applicationSecretReplicaRegions ?? []);
      this.secretRotations.push({ name: APPLICATION_SECRET_ROTATION, secret: applicationSecret, rotationFunction: fn });
      this.previousJwtSecretSeed = this.seedPreviousJwtSecret(applicationSecret, fn);
    } else {
      acknowledge(applicationSecret, {
        'AwsSolutions-SMG4': APPLICATION_SECRET_NOT_ROTATED,
        'NIST.800.53.R5-SecretsManagerRotationEnabled': APPLICATION_SECRET_NOT_ROTATED,
      });
    }
  }

  /**
   * The application secret: a generated `jwtSecret`, replicated to `applicationSecretReplicaRegions`
   * and readable by `applicationSecretReaderAccounts`.
   */
  private createApplicationSecret(props: FidoDataLayerProps): secretsmanager.Secret {
    const applicationSecret = new secretsmanager.Secret(this, 'ApplicationSecret', {
      description: 'Arculus FIDO application secret (JWT secret, API keys)',
      // A grant on a key of another stack (the rotation schedule's) would name this stack's role
      // in that key's policy, and the stacks would depend on each other both ways.
      encryptionKey: new OtherStacks(this).key('EncryptionKeyOfThisStack', props.encryptionKey),
      removalPolicy: props.removalPolicy,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'jwtSecret',
        excludePunctuation: true,
        passwordLength: 64,
      },
      replicaRegions: props.applicationSecretReplicaRegions,
    });
    shareSecret(applicationSecret, props.applicationSecretReaderAccounts ?? [], props.encryptionKey, props.applicationSecretReplicaRegions ?? []);
    return applicationSecret;
  }

  /** The rotation function the library ships for the application secret, and its schedule. */
  private rotate(secret: secretsmanager.Secret, interval: Duration, props: FidoDataLayerProps): lambda.Function {
    return rotationFunction(this, {
      ids: { securityGroup: 'ApplicationSecretRotationSecurityGroup', logGroup: 'ApplicationSecretRotationLogGroup', function: 'ApplicationSecretRotation' },
      name: 'app-secret-rotation',
      description: 'Rotates the Arculus FIDO application secret: a new jwtSecret, the one before kept as jwtSecretPrevious',
      securityGroupDescription: 'Rotation function of the Arculus FIDO application secret: HTTPS to Secrets Manager only',
      https: 'Secrets Manager API',
      secret,
      interval,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      logEncryptionKey: props.logEncryptionKey,
      logRemovalPolicy: props.logRemovalPolicy ?? props.removalPolicy ?? RemovalPolicy.DESTROY,
      policyScope: 'this one secret',
    });
  }

  /**
   * The generated value holds `jwtSecret` only, and ECS refuses to start a task whose secret names
   * a JSON key the value lacks: the rotation function, as a custom resource, puts
   * `jwtSecretPrevious` (equal to `jwtSecret`, every other key kept) into a value without it, once
   * it may read and write the secret. Changing the generated value's template instead would make
   * CloudFormation generate a new value for an existing secret, dropping the keys added since.
   */
  private seedPreviousJwtSecret(secret: secretsmanager.Secret, fn: lambda.Function): CustomResource {
    const seed = new CustomResource(this, 'ApplicationSecretPreviousKey', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::ArculusFidoJwtSecretPrevious',
      properties: { SecretId: secret.secretArn },
    });
    // The function's role and its policy: the grants of the rotation schedule.
    seed.node.addDependency(fn);
    return seed;
  }
}

/**
 * Secrets Manager replicates each new value with the permissions of whoever puts it: encrypting
 * with a replica's key is the putter's right to have. By the function's own policy, since the
 * key is another region's, whose policy cannot name a role of this stack.
 */
function allowReplicaEncryption(fn: lambda.Function, replicas: secretsmanager.ReplicaRegion[]): void {
  const keyArns = replicas.flatMap((r) => r.encryptionKey ? [r.encryptionKey.keyArn] : []);
  if (keyArns.length > 0) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: keyArns }));
  }
}
