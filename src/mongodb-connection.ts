import { Duration, RemovalPolicy, SecretValue, Token, Tokenization } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DeploymentEnvironment } from './deployment-environment';
import { show } from './private/validation';

/** The MongoDB port the deployment guide uses. */
const MONGODB_PORT = 27017;

/**
 * Characters a generated MongoDB password leaves out: those that need escaping in a
 * `mongodb://user:password@host` connection string, plus quotes and backslash.
 */
const PASSWORD_EXCLUDED_CHARACTERS = ' "\'\\/@:?#[]%`';

/**
 * Options for a MongoDB server reached by host name: MongoDB Atlas or a self-managed MongoDB.
 */
export interface MongoDbEndpointOptions {
  /**
   * Host name of the MongoDB server or cluster, e.g. `cluster0.abcde.mongodb.net`.
   */
  readonly host: string;

  /**
   * Port MongoDB listens on.
   *
   * @default 27017
   */
  readonly port?: number;

  /**
   * Database user the FIDO services log in as.
   */
  readonly username: string;

  /**
   * The user's password. Pass a reference that resolves at deploy time, such as
   * `SecretValue.secretsManager(...)` or `SecretValue.ssmSecure(...)`: a plain-text value would be
   * written into the CloudFormation template.
   *
   * @default - a strong password is generated into the secret; set it on the database user
   * after the first deploy
   */
  readonly password?: SecretValue;

  /**
   * Security group of a self-managed MongoDB server. When given, the deployment admits the
   * MongoDB port into it from the FIDO tasks' security group only.
   *
   * @default - no security group is changed (MongoDB Atlas: allow the NAT gateways' addresses
   * in the Atlas IP access list)
   */
  readonly securityGroup?: ec2.ISecurityGroup;
}

/**
 * Options for a MongoDB connection read from an existing Secrets Manager secret.
 */
export interface MongoDbSecretOptions {
  /**
   * Security group of the MongoDB server. When given, the deployment admits `port` into it from
   * the FIDO tasks' security group only.
   *
   * @default - no security group is changed
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Port to admit into `securityGroup`. The port the services connect to is the secret's own
   * `port` key.
   *
   * @default 27017
   */
  readonly port?: number;
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
}

/**
 * What the deployment tells a MongoDB connection when it binds it.
 */
export interface MongoDbBindOptions {
  /**
   * The deployment's environment, which picks the defaults of a created database.
   */
  readonly environment: DeploymentEnvironment;

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
}

/**
 * Where the FIDO services' MongoDB lives: the deployment guide's three options.
 *
 * - `MongoDbConnection.fromEndpoint()`: MongoDB Atlas or a self-managed MongoDB, by host name.
 * - `MongoDbConnection.fromSecret()`: an existing secret with the keys `username`, `password`,
 *   `host` and `port`.
 * - `MongoDbConnection.documentDb()`: an Amazon DocumentDB cluster the deployment creates in the
 *   private subnets.
 *
 * Either way the services read the credentials as ECS secrets: no value appears in a template or
 * in a container's plain environment.
 */
export abstract class MongoDbConnection {
  /**
   * MongoDB Atlas or a self-managed MongoDB, reached by host name. The deployment creates the
   * Secrets Manager secret holding `username`, `password`, `host` and `port`.
   */
  public static fromEndpoint(options: MongoDbEndpointOptions): MongoDbConnection {
    return new EndpointConnection(options);
  }

  /**
   * An existing secret with the JSON keys `username`, `password`, `host` and `port`.
   */
  public static fromSecret(secret: secretsmanager.ISecret, options: MongoDbSecretOptions = {}): MongoDbConnection {
    return new SecretConnection(secret, options);
  }

  /**
   * An Amazon DocumentDB cluster (MongoDB compatible), created in the private subnets, encrypted,
   * with its own generated secret. DocumentDB requires TLS: the services must connect with
   * `tls=true` and the Amazon RDS CA bundle.
   */
  public static documentDb(options: DocumentDbOptions = {}): MongoDbConnection {
    return new DocumentDbConnection(options);
  }

  /**
   * Creates what the connection needs in `scope` and says where its credentials are.
   */
  public abstract bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig;

  /**
   * Problems with the connection's options, each naming its prop under `mongoDb`.
   *
   * @internal
   */
  public _problems(): string[] {
    return [];
  }
}

function portProblems(prop: string, port: number | undefined): string[] {
  if (port === undefined || Token.isUnresolved(port)) {
    return [];
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return [`${prop}: must be a TCP port from 1 to 65535, got ${show(port)}`];
  }
  return [];
}

class EndpointConnection extends MongoDbConnection {
  constructor(private readonly options: MongoDbEndpointOptions) {
    super();
  }

  public _problems(): string[] {
    const problems = portProblems('mongoDb.port', this.options.port);
    const { host, username } = this.options;
    if (!Token.isUnresolved(host) && (typeof host !== 'string' || host.trim() === '' || /\s|\/|:/.test(host))) {
      problems.push(`mongoDb.host: must be a host name such as 'cluster0.abcde.mongodb.net' (no scheme, port or path), got ${show(host)}`);
    }
    if (!Token.isUnresolved(username) && (typeof username !== 'string' || username.trim() === '')) {
      problems.push(`mongoDb.username: must name the database user the services log in as, got ${show(username)}`);
    }
    return problems;
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    const port = this.options.port ?? MONGODB_PORT;
    const fields = {
      username: this.options.username,
      host: this.options.host,
      port: Tokenization.stringifyNumber(port),
    };
    const secret = new secretsmanager.Secret(scope, 'MongoDbSecret', {
      description: `MongoDB connection of the Arculus FIDO services (${fields.host})`,
      encryptionKey: options.encryptionKey,
      removalPolicy: options.removalPolicy,
      ...(this.options.password
        ? {
          secretObjectValue: {
            username: SecretValue.unsafePlainText(fields.username),
            password: this.options.password,
            host: SecretValue.unsafePlainText(fields.host),
            port: SecretValue.unsafePlainText(fields.port),
          },
        }
        : {
          generateSecretString: {
            secretStringTemplate: JSON.stringify(fields),
            generateStringKey: 'password',
            excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
            passwordLength: 32,
          },
        }),
    });
    return { secret, securityGroup: this.options.securityGroup, port };
  }
}

class SecretConnection extends MongoDbConnection {
  constructor(private readonly secret: secretsmanager.ISecret, private readonly options: MongoDbSecretOptions) {
    super();
  }

  public _problems(): string[] {
    return portProblems('mongoDb.port', this.options.port);
  }

  public bind(_scope: Construct, _options: MongoDbBindOptions): MongoDbConnectionConfig {
    return { secret: this.secret, securityGroup: this.options.securityGroup, port: this.options.port ?? MONGODB_PORT };
  }
}

const DOCUMENTDB_BACKUP_DAYS: Record<DeploymentEnvironment, number> = {
  [DeploymentEnvironment.DEV]: 1,
  [DeploymentEnvironment.STAGING]: 7,
  [DeploymentEnvironment.PROD]: 35,
};

class DocumentDbConnection extends MongoDbConnection {
  constructor(private readonly options: DocumentDbOptions) {
    super();
  }

  public _problems(): string[] {
    const { instances, backupRetention } = this.options;
    const problems: string[] = [];
    if (instances !== undefined && !Token.isUnresolved(instances) && (!Number.isInteger(instances) || instances < 1 || instances > 16)) {
      problems.push(`mongoDb.instances: DocumentDB takes 1 to 16 instances, got ${show(instances)}`);
    }
    if (backupRetention && !backupRetention.isUnresolved()) {
      const days = backupRetention.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 1 || days > 35) {
        problems.push(`mongoDb.backupRetention: DocumentDB keeps backups 1 to 35 whole days, got ${backupRetention.toHumanString()}`);
      }
    }
    return problems;
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    const prod = options.environment === DeploymentEnvironment.PROD;
    const securityGroup = new ec2.SecurityGroup(scope, 'DocumentDbSecurityGroup', {
      vpc: options.vpc,
      description: 'Arculus FIDO DocumentDB: MongoDB port from the FIDO tasks only',
      allowAllOutbound: false,
    });
    const cluster = new docdb.DatabaseCluster(scope, 'DocumentDb', {
      masterUser: { username: this.options.masterUsername ?? 'fidoadmin', excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS },
      engineVersion: this.options.engineVersion ?? '5.0.0',
      instanceType: this.options.instanceType ?? (prod
        ? ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE)
        : ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)),
      instances: this.options.instances ?? (prod ? 3 : 1),
      port: MONGODB_PORT,
      vpc: options.vpc,
      vpcSubnets: options.vpcSubnets,
      securityGroup,
      storageEncrypted: true,
      kmsKey: options.encryptionKey,
      backup: { retention: this.options.backupRetention ?? Duration.days(DOCUMENTDB_BACKUP_DAYS[options.environment]) },
      deletionProtection: prod,
      removalPolicy: this.options.removalPolicy ?? (prod ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY),
    });
    return {
      // A DatabaseCluster given a masterUser without a password always creates its secret.
      secret: cluster.secret!,
      securityGroup,
      port: MONGODB_PORT,
      databaseCluster: cluster,
    };
  }
}
