import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { DeploymentEnvironment } from '../deployment/deployment-environment';

/**
 * The deployment's Secrets Manager secrets.
 */
export interface SecretsOptions {
  /**
   * An existing application secret. It must hold the JSON key `jwtSecret`, which the containers
   * get as `JWT_SECRET`; add API keys as further keys and map them with `services.*.secrets`.
   * `JWT_SECRET_PREVIOUS` is not set from it: map `jwtSecretPrevious` yourself once every version
   * holds it (ECS refuses to start a task whose secret names a key the value lacks).
   *
   * @default - a secret with a generated 64-character `jwtSecret`
   */
  readonly applicationSecret?: secretsmanager.ISecret;

  /**
   * KMS key that encrypts the secrets the deployment creates (and a created DocumentDB cluster).
   * A key of another stack is used through IAM policies only, so its key policy must trust the
   * account's IAM policies, as keys created with the `@aws-cdk/aws-kms:defaultKeyPolicies` flag
   * (every `cdk init` app) do.
   *
   * @default - the deployment's key when `encryption.customerManagedKey` is on, otherwise the
   * AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Rotate the application secret the deployment creates, every
   * `applicationSecretRotationInterval`, with the rotation function the library ships: a new
   * `jwtSecret` each time, the one before kept as `jwtSecretPrevious` (equal to `jwtSecret` until
   * the first rotation: the function puts it on deployment), every other key unchanged. The
   * containers get both, as `JWT_SECRET` and `JWT_SECRET_PREVIOUS`. After each rotation the
   * Redeploy runbook rolls both services, so they read the new values (see SECURITY.md for what
   * the application does with the two keys). Needs `runbooks`; a given `applicationSecret`
   * rotates as its owner arranges.
   *
   * @default - true when the deployment creates the application secret and `runbooks` is on
   */
  readonly rotateApplicationSecret?: boolean;

  /**
   * How often the application secret rotates, when `rotateApplicationSecret` is on: 1 to 1000
   * whole days. A token signed with a key stays verifiable for one interval after the key is
   * replaced, and no longer.
   *
   * @default Duration.days(30)
   */
  readonly applicationSecretRotationInterval?: Duration;

  /**
   * Regions the application secret the deployment creates replicates to (Secrets Manager
   * replication), each with the key that encrypts its replica there: a key of that region, or
   * none for that region's AWS managed key. Every new value, rotations included, reaches each
   * replica within seconds. Where `runbooks` is on, the secret's changes are forwarded to each
   * region's default event bus too, so that a deployment there with this one's data layer as
   * `secrets.replicaOf` redeploys its services. `ArculusFidoRegionPair` sets it for its primary.
   *
   * @default - no replica
   */
  readonly applicationSecretReplicaRegions?: secretsmanager.ReplicaRegion[];

  /**
   * Accounts whose principals may read the application secret the deployment creates, and its
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

  /**
   * The data layer (`ArculusFidoDeployment.dataLayer`) of the deployment, in another region of the
   * same account, whose application secret this one reads through its replica in this stack's
   * region, so that a token signed in either region verifies in both. That secret must replicate
   * here: the deployment creates it with this region in `secrets.applicationSecretReplicaRegions`
   * (the replica is then encrypted with the key given there), or it is a given secret you
   * replicate yourself. Rotation stays with that deployment, and its changes, forwarded here,
   * redeploy these services where `runbooks` is on. This stack reads the replica's ARN through
   * aws-cdk-lib's cross-region references, so it needs `crossRegionReferences: true`, as
   * `ArculusFidoRegionPair` sets for its secondary.
   *
   * @default - the deployment's application secret is its own
   */
  readonly replicaOf?: IFidoDataLayer;
}

/**
 * The application secret of a deployment's data layer, as another region's deployment reads its
 * replica (`secrets.replicaOf`). `FidoDataLayer` is one.
 */
export interface IFidoDataLayer extends IConstruct {
  /** The application secret: created, or given. */
  readonly applicationSecret: secretsmanager.ISecret;

  /** Whether the data layer created `applicationSecret` (else it was given). */
  readonly applicationSecretCreated: boolean;

  /** Regions the created application secret replicates to, with their keys. */
  readonly applicationSecretReplicaRegions: secretsmanager.ReplicaRegion[];

  /**
   * The custom resource that puts `jwtSecretPrevious` into a created application secret that
   * rotates: with it, every version of the secret holds that key.
   *
   * @default - none: the application secret does not rotate, or was given
   */
  readonly previousJwtSecretSeed?: CustomResource;

  /**
   * The DocumentDB global cluster made from the data layer's cluster, which a secondary region's
   * cluster joins (`MongoDbConnection.documentDbSecondary()`).
   *
   * @default - none: the cluster is regional, or the data layer has none
   */
  readonly documentDbGlobalCluster?: DocumentDbGlobalCluster;
}

/**
 * An Amazon DocumentDB global cluster, as a secondary region's deployment joins it: made from a
 * deployment's cluster with `MongoDbConnection.documentDb({ secondaryRegions })`.
 */
export interface DocumentDbGlobalCluster {
  /** Identifier of the global cluster, the same in every region. */
  readonly globalClusterIdentifier: string;

  /** ARN of the cluster the global cluster was made from, its writer until a failover. */
  readonly primaryClusterArn: string;

  /** Engine version of the primary cluster, which every secondary cluster runs too. */
  readonly engineVersion: string;

  /**
   * The primary cluster's master secret (`username`, `password`, `host`, `port`), which
   * replicates to every secondary region: the users are the cluster's data, the same everywhere.
   */
  readonly masterSecret: secretsmanager.ISecret;

  /** The secondary regions, each with the key of that region that encrypts its copy of the master secret and its cluster. */
  readonly secondaryRegions: secretsmanager.ReplicaRegion[];
}

/**
 * A secret that rotates on a schedule, and the function that rotates it: what `FidoMonitoring`
 * watches so that a failed rotation does not go unnoticed (`FidoDataLayer.secretRotations` lists
 * the deployment's own).
 */
export interface SecretRotation {
  /**
   * Short name of the rotation, e.g. `application-secret`: it names the alarm on the function's
   * errors (`<namePrefix>-<name>-rotation-errors`) and its construct scope. Letters, digits, '-'
   * and '_'.
   */
  readonly name: string;

  /**
   * The rotating secret. Secrets Manager's `RotationFailed` and `RotationAbandoned` events of it
   * reach the monitoring topic; it sends them to its own account and region only.
   */
  readonly secret: secretsmanager.ISecret;

  /**
   * The function that rotates it, whose `Errors` metric is alarmed on: any failed invocation (a
   * rotation step, or an abandoned rotation) notifies the topic within 5 minutes.
   *
   * @default - no alarm on a function: the secret rotates with one outside the app (a hosted
   * rotation, AWS's DocumentDB rotation application), and only Secrets Manager's events tell of a
   * failure
   */
  readonly rotationFunction?: lambda.IFunction;
}

/**
 * Options for an Amazon DocumentDB cluster that the deployment creates.
 */
export interface DocumentDbOptions {
  /**
   * Instance type of the cluster's instances.
   *
   * @default - `t4g.medium` outside prod, `r6g.large` in prod
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Number of instances: one primary and the rest replicas across the private subnets' AZs.
   *
   * @default - 1 outside prod, 3 in prod
   */
  readonly instances?: number;

  /**
   * DocumentDB engine version.
   *
   * @default '5.0.0'
   */
  readonly engineVersion?: string;

  /**
   * User name of the cluster's master user, stored with its generated password in the cluster's secret.
   *
   * @default 'fidoadmin'
   */
  readonly masterUsername?: string;

  /**
   * How long automated backups are kept.
   *
   * @default - 1 day in dev, 7 days in staging, 35 days in prod
   */
  readonly backupRetention?: Duration;

  /**
   * What happens to the cluster when it leaves the stack.
   *
   * @default - `SNAPSHOT` in prod, `DESTROY` elsewhere
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Rotate the master password on a schedule with the AWS single-user MongoDB rotation function
   * (deployed from the Serverless Application Repository into the private subnets). ECS injects
   * secrets when a task starts, so after each rotation the deployment's Redeploy runbook rolls
   * both services (with `runbooks: false` nothing does: running tasks keep the old password, their
   * open connections work and new ones fail until the services are redeployed).
   *
   * @default true
   */
  readonly rotatePassword?: boolean;

  /**
   * How often the master password is rotated, when `rotatePassword` is on.
   *
   * @default Duration.days(30)
   */
  readonly rotationInterval?: Duration;

  /**
   * Regions whose clusters follow this one as secondaries of an Amazon DocumentDB global cluster
   * (`AWS::DocDB::GlobalCluster`, made from this cluster, which stays its writer until a
   * failover), each with the key of that region that encrypts its cluster and its copy of the
   * master secret (none: that region's AWS managed keys). The master secret replicates to each,
   * where `MongoDbConnection.documentDbSecondary()` reads it; its rotation here reaches them all.
   *
   * A global cluster runs on memory-optimized instances (`instanceType` defaults to `r6g.large`
   * in every environment, and a burstable class is refused), engine 4.0 or later, and at most 16
   * instances less one per secondary region in this cluster. `ArculusFidoRegionPair` sets it.
   *
   * @default - none: a regional cluster
   */
  readonly secondaryRegions?: secretsmanager.ReplicaRegion[];
}

/**
 * Options for a secondary cluster of an Amazon DocumentDB global cluster, in another region than
 * its primary.
 */
export interface DocumentDbSecondaryOptions {
  /**
   * The data layer of the deployment whose cluster this one follows (its `dataLayer`): in another
   * region of this account, created with `MongoDbConnection.documentDb()` and this region among
   * its `secondaryRegions`.
   */
  readonly primary: IFidoDataLayer;

  /**
   * Instance type of the cluster's instances: memory-optimized, as a global cluster requires.
   *
   * @default - `r6g.large`
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Number of instances, all readers until a failover promotes the cluster, then a writer and
   * readers.
   *
   * @default - 1 outside prod, 3 in prod
   */
  readonly instances?: number;

  /**
   * How long the cluster's automated backups are kept, once a failover has made it the writer.
   *
   * @default - 1 day in dev, 7 days in staging, 35 days in prod
   */
  readonly backupRetention?: Duration;

  /**
   * What happens to the cluster when it leaves the stack.
   *
   * @default - `SNAPSHOT` in prod, `DESTROY` elsewhere
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * What the deployment tells a MongoDB connection when it binds it.
 */
export interface MongoDbBindOptions {
  /**
   * The deployment's environment, which picks the defaults of a created database.
   */
  readonly deploymentEnvironment: DeploymentEnvironment;

  /**
   * VPC the FIDO tasks run in.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Private subnets of the tasks, where a created database goes.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Key that encrypts the secret (and a created database's storage).
   *
   * @default - AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to a created secret when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long a created database's audit logs, and the logs of a rotation function the library
   * ships, are kept in CloudWatch Logs.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the log group of a rotation function the library ships.
   *
   * @default - CloudWatch Logs' own keys
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * What happens to the log group of a rotation function the library ships when it leaves the stack.
   *
   * @default - `removalPolicy`
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * A bound MongoDB connection: where the services read their credentials, and what to open.
 */
export interface MongoDbConnectionConfig {
  /**
   * Secret holding the JSON keys `username`, `password`, `host` and `port`.
   */
  readonly secret: secretsmanager.ISecret;

  /**
   * Security group of the database. The deployment admits `port` into it from the FIDO tasks'
   * security group only.
   *
   * @default - the database's network is not managed here (MongoDB Atlas)
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Port the database listens on.
   */
  readonly port: number;

  /**
   * The DocumentDB cluster, when the connection created one.
   *
   * @default - no cluster was created
   */
  readonly databaseCluster?: docdb.DatabaseCluster;

  /**
   * The host the services connect to, in place of the secret's `host`: a secondary cluster's
   * endpoint, while the secret is the replica of the primary's master secret. A host name is no
   * secret: the containers get it as the plain variable `MONGODB_HOST`.
   *
   * @default - the secret's `host` key
   */
  readonly host?: string;

  /**
   * The secret whose change events tell that `secret` changed: the source of a replica, whose
   * region forwards its events (Secrets Manager sends a secret's events to its own region only).
   *
   * @default - `secret` itself
   */
  readonly secretChangesFrom?: secretsmanager.ISecret;

  /**
   * The DocumentDB global cluster the connection's cluster belongs to.
   *
   * @default - none: no global cluster
   */
  readonly globalCluster?: DocumentDbGlobalCluster;

  /**
   * The secondary cluster of a global cluster that the connection created.
   *
   * @default - none: no secondary cluster was created
   */
  readonly secondaryCluster?: docdb.IDatabaseCluster;

  /**
   * Whether the connection rotates `secret` on a schedule, so that the services must be rolled
   * after each rotation.
   *
   * @default false
   */
  readonly secretRotates?: boolean;

  /**
   * The rotation function the library ships that rotates `secret`, for an alarm on its errors.
   *
   * @default - none: the secret is not rotated by a function the library ships
   */
  readonly rotationFunction?: lambda.IFunction;
}
