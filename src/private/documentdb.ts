import { ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, INLINE_POLICY_REASON, SECRET_KEY_REASON } from './nag';
import { PRESETS } from './presets';
import { regionOf } from './region';
import { importReplica } from './secret-replication';
import { ProblemList, show } from './validation';
import type {
  DocumentDbGlobalCluster, DocumentDbOptions, DocumentDbSecondaryOptions, IFidoDataLayer, MongoDbBindOptions, MongoDbConnectionConfig,
} from '../data/options';

/** The MongoDB port the deployment guide uses, and DocumentDB's default. */
export const MONGODB_PORT = 27017;

/**
 * Characters a generated MongoDB password leaves out: those that need escaping in a
 * `mongodb://user:password@host` connection string, plus quotes and backslash.
 */
export const PASSWORD_EXCLUDED_CHARACTERS = ' "\'\\/@:?#[]%`';

/** DocumentDB's default engine version here. */
const ENGINE_VERSION = '5.0.0';

/**
 * A global cluster runs on memory-optimized instances only (DocumentDB's developer guide, global
 * clusters: `db.r5`, `db.r6g` and later r classes): the smallest of them, in every environment.
 */
export const GLOBAL_INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

/** Instances of a DocumentDB cluster: a writer and up to 15 replicas. */
const MAX_INSTANCES = 16;

/**
 * Checks what a global cluster refuses of a cluster's options: a burstable or other
 * non-memory-optimized instance class, an engine before 4.0 and, in the primary, more instances
 * than 16 less one per secondary region. `prefix` is the options' prop (`mongoDb`).
 */
export function checkGlobalOptions(
  problems: ProblemList, prefix: string,
  options: { instanceType?: ec2.InstanceType; instances?: number; engineVersion?: string }, secondaryRegions: number,
): void {
  const instanceType = options.instanceType?.toString();
  if (instanceType !== undefined && !Token.isUnresolved(instanceType) && !/^r([5-9]|\d\d)/.test(instanceType)) {
    problems.add(`${prefix}.instanceType`, `is ${show(instanceType)}, but a DocumentDB global cluster runs on memory-optimized instances of r5 or later only (not t3, t4g or r4); give one such as 'r6g.large', or leave it out for ${GLOBAL_INSTANCE_TYPE}`);
  }
  const major = options.engineVersion?.match(/^(\d+)\./)?.[1];
  if (major !== undefined && Number(major) < 4) {
    problems.add(`${prefix}.engineVersion`, `is ${show(options.engineVersion)}, but DocumentDB global clusters need engine 4.0 or later; give '5.0.0'`);
  }
  const most = MAX_INSTANCES - secondaryRegions;
  if (secondaryRegions > 0 && typeof options.instances === 'number' && options.instances > most) {
    problems.add(`${prefix}.instances`, `is ${options.instances}, but the primary of a global cluster with ${secondaryRegions} secondary region(s) holds at most ${most} instances (16 less one per secondary region); give ${most} or fewer`);
  }
}

/**
 * Regions without DocumentDB global clusters (Amazon DocumentDB developer guide, global clusters:
 * current limitations).
 */
export const NO_GLOBAL_CLUSTERS = ['sa-east-1', 'eu-south-1', 'cn-north-1', 'cn-northwest-1'];

/**
 * Checks the secondary regions of a global cluster: each named once, by name, where global
 * clusters are, with a key of its own region.
 */
export function checkSecondaryRegions(problems: ProblemList, prefix: string, regions: secretsmanager.ReplicaRegion[]): void {
  const names = regions.map((replica) => replica.region);
  regions.forEach((replica, index) => {
    if (Token.isUnresolved(replica.region)) {
      problems.add(`${prefix}[${index}].region`, `is a token (${show(replica.region)}), but a global cluster is built per region at synth; give the region by name`);
      return;
    }
    problems.repeated(`${prefix}[${index}].region`, names, index, 'region');
    if (NO_GLOBAL_CLUSTERS.includes(replica.region)) {
      problems.add(`${prefix}[${index}].region`, `is ${replica.region}, where DocumentDB has no global clusters; give another region`);
    }
    const keyRegion = replica.encryptionKey ? regionOf(replica.encryptionKey) : undefined;
    if (keyRegion !== undefined && keyRegion !== replica.region) {
      problems.add(`${prefix}[${index}].encryptionKey`, `is a key of ${keyRegion}, but ${replica.region}'s copy of the master secret and its cluster are encrypted with a key of their own region; give a key of ${replica.region}, or none for its AWS managed keys`);
    }
  });
}

/**
 * A DocumentDB cluster in the private subnets, encrypted, TLS required, audit logs exported, with
 * its generated master secret (rotated unless `rotatePassword` is false). With `secondaryRegions`
 * it is the primary of a global cluster (`AWS::DocDB::GlobalCluster`, made from it), and its
 * master secret replicates to each of those regions.
 */
export function documentDbCluster(scope: Construct, options: DocumentDbOptions, bind: MongoDbBindOptions): MongoDbConnectionConfig {
  const preset = PRESETS[bind.deploymentEnvironment].documentDb;
  const secondaryRegions = options.secondaryRegions ?? [];
  const here = Stack.of(scope).region;
  const ownRegion = secondaryRegions.findIndex((r) => r.region === here);
  const problems = new ProblemList();
  if (ownRegion >= 0) {
    problems.add(`mongoDb.secondaryRegions[${ownRegion}].region`, `is the cluster's own region (${here}); a secondary cluster is in another region`);
  }
  if (secondaryRegions.length > 0 && NO_GLOBAL_CLUSTERS.includes(here)) {
    problems.add('mongoDb.secondaryRegions', `makes a global cluster in ${here}, where DocumentDB has none; deploy the primary to another region`);
  }
  problems.throwIfAny(scope, 'MongoDbConnection.documentDb', 'in its options');
  const securityGroup = new ec2.SecurityGroup(scope, 'DocumentDbSecurityGroup', {
    vpc: bind.vpc,
    description: 'Arculus FIDO DocumentDB: MongoDB port from the FIDO tasks only',
    allowAllOutbound: false,
  });
  const engineVersion = options.engineVersion ?? ENGINE_VERSION;
  const cluster = new docdb.DatabaseCluster(scope, 'DocumentDb', {
    masterUser: {
      username: options.masterUsername ?? 'fidoadmin',
      excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      kmsKey: bind.encryptionKey,
    },
    engineVersion,
    instanceType: options.instanceType ?? (secondaryRegions.length > 0 ? GLOBAL_INSTANCE_TYPE : preset.instanceType),
    instances: options.instances ?? preset.instances,
    port: MONGODB_PORT,
    vpc: bind.vpc,
    vpcSubnets: bind.vpcSubnets,
    securityGroup,
    parameterGroup: parameterGroup(scope, engineVersion),
    storageEncrypted: true,
    kmsKey: bind.encryptionKey,
    backup: { retention: options.backupRetention ?? Duration.days(preset.backupRetentionDays) },
    exportAuditLogsToCloudWatch: true,
    cloudWatchLogsRetention: bind.logRetention ?? logs.RetentionDays.ONE_MONTH,
    deletionProtection: preset.deletionProtection,
    removalPolicy: options.removalPolicy ?? preset.removalPolicy,
  });
  // The master secret outlives the cluster where the deployment's secrets do: a snapshot
  // restored without its password is lost data.
  const secret = cluster.node.findChild('Secret') as secretsmanager.Secret;
  secret.applyRemovalPolicy(bind.removalPolicy ?? RemovalPolicy.DESTROY);
  const rotates = options.rotatePassword ?? true;
  if (rotates) {
    cluster.addRotationSingleUser(options.rotationInterval ?? Duration.days(30));
    // The rotation function's way in: the cluster's port, known only at deploy time.
    for (const rule of securityGroup.node.children.filter((c) => c instanceof ec2.CfnSecurityGroupIngress)) {
      acknowledge(rule, {
        'NIST.800.53.R5-EC2RestrictedCommonPorts': `Admits the cluster's port (${MONGODB_PORT}, a reference the rule cannot read) from the password rotation function's security group only.`,
        'NIST.800.53.R5-EC2RestrictedSSH': `Admits the cluster's port (${MONGODB_PORT}, a reference the rule cannot read) from the password rotation function's security group only; not SSH.`,
      });
    }
  }
  acknowledgeClusterFindings(cluster, options, bind);
  if (!bind.encryptionKey) {
    // `cluster.secret` is the secret's attachment to the cluster; the secret itself is this child.
    acknowledge(secret, { 'NIST.800.53.R5-SecretsManagerUsingKMSKey': `${SECRET_KEY_REASON}.` });
  }
  return {
    secret: cluster.secret!,
    securityGroup,
    port: MONGODB_PORT,
    databaseCluster: cluster,
    secretRotates: rotates,
    globalCluster: secondaryRegions.length > 0 ? globalCluster(scope, cluster, secret, engineVersion, secondaryRegions) : undefined,
  };
}

/**
 * The global cluster made from `cluster`, which stays its writer until a secondary is promoted;
 * the master secret replicates to each secondary region, with that region's key.
 */
function globalCluster(
  scope: Construct, cluster: docdb.DatabaseCluster, secret: secretsmanager.Secret, engineVersion: string,
  secondaryRegions: secretsmanager.ReplicaRegion[],
): DocumentDbGlobalCluster {
  const stack = Stack.of(scope);
  const clusterArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const global = new docdb.CfnGlobalCluster(scope, 'DocumentDbGlobalCluster', {
    // A name of letters, digits and hyphens both regions know at synth: the secondary's template
    // names it as a literal, not through a reference into the primary's region.
    globalClusterIdentifier: Names.uniqueResourceName(scope, { maxLength: 63, separator: '-' }).replace(/^[^A-Za-z]+/, '').toLowerCase(),
    sourceDbClusterIdentifier: clusterArn,
    deletionProtection: cluster.node.defaultChild instanceof docdb.CfnDBCluster ? cluster.node.defaultChild.deletionProtection : undefined,
  });
  // Deleting the global cluster leaves the data in its clusters; a protected cluster keeps its global cluster too.
  const clusterPolicy = (cluster.node.defaultChild as docdb.CfnDBCluster).cfnOptions.deletionPolicy;
  global.applyRemovalPolicy(clusterPolicy === 'Delete' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
  for (const replica of secondaryRegions) {
    secret.addReplicaRegion(replica.region, replica.encryptionKey);
  }
  return {
    globalClusterIdentifier: global.globalClusterIdentifier,
    primaryClusterArn: clusterArn,
    engineVersion,
    masterSecret: secret,
    secondaryRegions,
  };
}

/**
 * A secondary cluster of the global cluster of `options.primary`'s DocumentDB, in this region's
 * private subnets: read-only until a failover promotes it, with no master user of its own (the
 * users are the primary's data). The services read the master secret's replica here, and connect
 * to this cluster's endpoint.
 */
export function documentDbSecondaryCluster(scope: Construct, options: DocumentDbSecondaryOptions, bind: MongoDbBindOptions): MongoDbConnectionConfig {
  const problems = new ProblemList();
  const global = checkPrimary(problems, scope, options.primary);
  problems.throwIfAny(scope, 'MongoDbConnection.documentDbSecondary', 'in its options');
  const stack = Stack.of(scope);
  const preset = PRESETS[bind.deploymentEnvironment].documentDb;
  const encryptionKey = global!.secondaryRegions.find((r) => r.region === stack.region)!.encryptionKey ?? bind.encryptionKey;
  const securityGroup = new ec2.SecurityGroup(scope, 'DocumentDbSecurityGroup', {
    vpc: bind.vpc,
    description: 'Arculus FIDO DocumentDB secondary cluster: MongoDB port from the FIDO tasks only',
    allowAllOutbound: false,
  });
  const subnetGroup = new docdb.CfnDBSubnetGroup(scope, 'DocumentDbSubnets', {
    dbSubnetGroupDescription: 'Arculus FIDO DocumentDB secondary cluster: the private subnets',
    subnetIds: bind.vpc.selectSubnets(bind.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
  });
  const removalPolicy = options.removalPolicy ?? preset.removalPolicy;
  const cluster = new docdb.CfnDBCluster(scope, 'DocumentDb', {
    globalClusterIdentifier: global!.globalClusterIdentifier,
    engineVersion: global!.engineVersion,
    port: MONGODB_PORT,
    dbSubnetGroupName: subnetGroup.ref,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    dbClusterParameterGroupName: parameterGroup(scope, global!.engineVersion).parameterGroupName,
    storageEncrypted: true,
    kmsKeyId: encryptionKey?.keyArn,
    backupRetentionPeriod: (options.backupRetention ?? Duration.days(preset.backupRetentionDays)).toDays(),
    enableCloudwatchLogsExports: ['audit'],
    deletionProtection: preset.deletionProtection,
  });
  cluster.applyRemovalPolicy(removalPolicy, { applyToUpdateReplacePolicy: true });
  const instanceType = options.instanceType ?? GLOBAL_INSTANCE_TYPE;
  const instanceIdentifiers = Array.from({ length: options.instances ?? preset.instances }, (_, index) => {
    const instance = new docdb.CfnDBInstance(scope, `DocumentDbInstance${index + 1}`, {
      dbClusterIdentifier: cluster.ref,
      dbInstanceClass: `db.${instanceType}`,
    });
    instance.applyRemovalPolicy(removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.DESTROY : removalPolicy);
    return instance.ref;
  });
  // DocumentDB creates the audit log group on its first event: created here, it has a retention
  // and goes with the stack.
  new logs.LogGroup(scope, 'DocumentDbAuditLogs', {
    logGroupName: `/aws/docdb/${cluster.ref}/audit`,
    retention: bind.logRetention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: bind.logEncryptionKey,
    removalPolicy: bind.logRemovalPolicy ?? bind.removalPolicy ?? RemovalPolicy.DESTROY,
  });
  acknowledgeSecondaryFindings(cluster, options, bind);
  return {
    // Read here, where the replica is: ECS needs its full ARN to read one key.
    secret: importReplica(scope, 'MasterSecretReplica', global!.masterSecret),
    secretChangesFrom: global!.masterSecret,
    host: cluster.attrEndpoint,
    securityGroup,
    port: MONGODB_PORT,
    secretRotates: true,
    globalCluster: global,
    secondaryCluster: docdb.DatabaseCluster.fromDatabaseClusterAttributes(scope, 'DocumentDbCluster', {
      clusterIdentifier: cluster.ref,
      clusterEndpointAddress: cluster.attrEndpoint,
      readerEndpointAddress: cluster.attrReadEndpoint,
      port: MONGODB_PORT,
      instanceIdentifiers,
      securityGroup,
    }),
  };
}

/** Checks the deployment a secondary follows: another region of this account, whose cluster is global with this region among its secondaries. */
function checkPrimary(problems: ProblemList, scope: IConstruct, primary: IFidoDataLayer): DocumentDbGlobalCluster | undefined {
  const [here, there] = [regionOf(scope), regionOf(primary)];
  if (here === undefined || there === undefined) {
    problems.add('mongoDb.primary', `needs both stacks' regions known at synth, got ${show(here)} here and ${show(there)} there; give each stack an env with its region`);
    return undefined;
  }
  if (here === there) {
    problems.add('mongoDb.primary', `is a deployment of this region (${here}); a secondary cluster follows a cluster of another region`);
    return undefined;
  }
  const [ours, theirs] = [Stack.of(scope).account, Stack.of(primary).account];
  if (!Token.isUnresolved(ours) && !Token.isUnresolved(theirs) && ours !== theirs) {
    problems.add('mongoDb.primary', `is a deployment of account ${theirs}, but this stack deploys to ${ours}, and the master secret replicates within its own account; use a deployment of this account`);
  }
  const global = primary.documentDbGlobalCluster;
  if (!global) {
    problems.add('mongoDb.primary', `has no DocumentDB global cluster: give that deployment mongoDb: MongoDbConnection.documentDb({ secondaryRegions: [{ region: '${here}' }] })`);
    return undefined;
  }
  if (!global.secondaryRegions.some((r) => r.region === here)) {
    problems.add('mongoDb.primary', `has a global cluster whose secondary regions do not include ${here}: add { region: '${here}' } to that deployment's mongoDb secondaryRegions`);
    return undefined;
  }
  return global;
}

/** TLS required and audit logs on: DocumentDB's default parameter group has audit logging off. */
function parameterGroup(scope: Construct, engineVersion: string): docdb.ClusterParameterGroup {
  return new docdb.ClusterParameterGroup(scope, 'DocumentDbParameters', {
    family: `docdb${engineVersion.split('.').slice(0, 2).join('.')}`,
    description: 'Arculus FIDO DocumentDB: TLS required, audit logs on',
    parameters: { tls: 'enabled', audit_logs: 'enabled' },
  });
}

const AUDIT_EVENTS = 'DocumentDB exports only the audit and profiler log types; authenticate, createIndex and dropCollection are audit events, exported through the audit log (audit_logs is enabled in the cluster parameter group).';

/** cdk-nag's findings the cluster answers by design, each with its reason. */
function clusterReasons(options: { backupRetention?: Duration }, bind: MongoDbBindOptions): { [ruleId: string]: string } {
  const days = PRESETS[bind.deploymentEnvironment].documentDb.backupRetentionDays;
  return {
    'AwsSolutions-DOC2': `The MongoDB default port ${MONGODB_PORT} is what the drivers and the deployment guide expect; a different port hides nothing from a scanner, and the security group admits it from the FIDO tasks only.`,
    'AwsSolutions-DOC5[LogExport::authenticate]': AUDIT_EVENTS,
    'AwsSolutions-DOC5[LogExport::createIndex]': AUDIT_EVENTS,
    'AwsSolutions-DOC5[LogExport::dropCollection]': AUDIT_EVENTS,
    ...(options.backupRetention === undefined && days < 7 ? {
      'AwsSolutions-DOC4': `${bind.deploymentEnvironment} keeps ${days} day(s) of backups by design (prod keeps ${PRESETS.prod.documentDb.backupRetentionDays}); set mongoDb backupRetention to keep more.`,
    } : {}),
  };
}

function acknowledgeClusterFindings(cluster: docdb.DatabaseCluster, options: DocumentDbOptions, bind: MongoDbBindOptions): void {
  acknowledge(cluster, {
    ...clusterReasons(options, bind),
    'AwsSolutions-DOC3': "The master credentials are dynamic references into the cluster's generated Secrets Manager secret ({{resolve:secretsmanager:...}}); the rule cannot read them because the secret's ARN is a reference.",
  });
  // CDK's log retention function, one per stack, sets the audit log group's retention.
  const logRetention = Stack.of(cluster).node.tryFindChild('LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a');
  if (logRetention) {
    acknowledge(logRetention, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "CDK's log retention function writes its own logs with the AWS managed basic execution policy.",
      'AwsSolutions-IAM5[Resource::*]': "CDK's log retention function sets the retention of log groups that services create (here DocumentDB's audit log group), whose ARNs it only learns at deploy time.",
      'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (CDK's log retention function).`,
    });
  }
}

function acknowledgeSecondaryFindings(cluster: docdb.CfnDBCluster, options: DocumentDbSecondaryOptions, bind: MongoDbBindOptions): void {
  acknowledge(cluster, {
    ...clusterReasons(options, bind),
    'AwsSolutions-DOC3': 'A secondary cluster of a global cluster has no master user of its own: the users, and their passwords, are the primary\'s data, replicated; the services read the primary\'s master secret through its replica in this region.',
  });
}

/**
 * Lets the rotation of a global cluster's master secret, in the primary's region, encrypt with
 * `key` (a secondary region's): Secrets Manager replicates each new value with the permissions
 * of whoever puts it, and the function DocumentDB's rotation deploys has a role of its own that
 * no policy here can name. So the key lets any principal of its account encrypt with it (never
 * decrypt) through Secrets Manager, for secrets of its own region.
 */
export function allowReplicaPuts(key: kms.Key, primaryRegion: string): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReplicateSecretValuesPutInThePrimaryRegion',
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'kms:CallerAccount': stack.account,
        'kms:ViaService': [`secretsmanager.${primaryRegion}.amazonaws.com`, `secretsmanager.${stack.region}.amazonaws.com`],
      },
      StringLike: { 'kms:EncryptionContext:SecretARN': stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
}
