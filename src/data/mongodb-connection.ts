import { Annotations, CfnParameter, Duration, NestedStack, RemovalPolicy, SecretValue, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import { atlasRotation, checkEndpointRotation, multiUserFields, notRotatedWarning, selfManagedRotation } from '../private/mongodb-rotation';
import { acknowledge, INLINE_POLICY_REASON, SECRET_KEY_REASON } from '../private/nag';
import { OtherStacks } from '../private/other-stacks';
import { PRESETS } from '../private/presets';
import { sanitize, Shape, struct, typeShape } from '../private/schema';
import { ProblemList, show } from '../private/validation';

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
   * `SecretValue.secretsManager(...)` or a NoEcho `CfnParameter` (`SecretValue.cfnParameter(...)`):
   * a plain-text value would be written into the CloudFormation template. Not
   * `SecretValue.ssmSecure(...)`: CloudFormation resolves SSM SecureString references only in the
   * properties it lists, and a secret's value is not one, so synth refuses it.
   *
   * @default - a strong password is generated into the secret; set it on the database user
   * after the first deploy
   */
  readonly password?: SecretValue;

  /**
   * Security group of a self-managed MongoDB server. When given, the deployment admits the
   * MongoDB port into it from the FIDO tasks' security group only (and from the rotation
   * function's, with `masterSecret`).
   *
   * @default - no security group is changed (MongoDB Atlas: allow the NAT gateways' addresses
   * in the Atlas IP access list)
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Rotate the password of a self-managed MongoDB with AWS's multi-user MongoDB rotation function
   * (`HostedRotation.mongoDbMultiUser`), which logs in as the administrator this secret holds. The
   * function runs in the tasks' private subnets with a security group of its own: MongoDB's port
   * out (into `securityGroup`, which admits it, when given; else to any address, as the tasks
   * reach it) and HTTPS out (Secrets Manager). It may read this secret (and use its key, when
   * imported with `encryptionKey`).
   *
   * The secret must hold JSON `username` and `password` of a MongoDB user that may create users
   * and change their passwords on `admin` (`userAdminAnyDatabase`), and a `host` equal to `host`
   * (AWS's function refuses another); the MongoDB secret gains `engine` (`mongo`) and `masterarn`.
   *
   * Users alternate, so that no running task loses its login: the first rotation creates
   * `<username>_clone` with `<username>`'s roles and a new password, and makes it current; each
   * rotation after sets a new password on the user that is not current and makes it current. The
   * user the running tasks logged in with is never changed by the rotation that replaces it, only
   * by the one after (one interval later), and the services are redeployed after each rotation.
   * The first rotation is one interval after deployment, and logs in with the current password
   * first: set a generated password on the user before then. Adding `masterSecret` to a
   * deployment whose password was generated makes CloudFormation generate a new one (the
   * template of the value changes): give `password` then.
   *
   * @default - not rotated by the library (prod synth warns)
   */
  readonly masterSecret?: secretsmanager.ISecret;

  /**
   * Rotate the password of a MongoDB Atlas database user with the rotation function the library
   * ships, which calls the Atlas Administration API with the credentials of `apiSecret`.
   *
   * Users alternate, so that no running task loses its login: the first rotation creates
   * `<username>_clone` on `admin` with `<username>`'s roles and scopes and a new password, and
   * makes it current; each rotation after sets a new password on the user that is not current and
   * makes it current. The user the running tasks logged in with is never changed by the rotation
   * that replaces it, only by the one after (one interval later), and the services are redeployed
   * after each rotation. The first rotation is one interval after deployment; it needs
   * `<username>` to exist in the project, not its password.
   *
   * The function runs in the tasks' private subnets with HTTPS out only (the Atlas Administration
   * API and Secrets Manager, through the NAT gateways: add their addresses to the API access list
   * of the key, where the organization asks for one).
   *
   * @default - not rotated by the library (prod synth warns)
   */
  readonly atlasRotation?: MongoDbAtlasRotationOptions;

  /**
   * How often the password rotates with `masterSecret` or `atlasRotation`: 1 to 1000 whole days.
   * Two rotations apart, a user's password changes: a task must restart within one interval of a
   * rotation (the deployment redeploys the services right after each).
   *
   * @default Duration.days(30)
   */
  readonly rotationInterval?: Duration;

  /**
   * Rotate the created secret's password with a rotation of your own: `rotationLambda` (your
   * function) or `hostedRotation` (such as `HostedRotation.mongoDbSingleUser({ vpc })`), and
   * `automaticallyAfter` (4 hours to 1000 days, 30 days if left out). After each rotation the
   * Redeploy runbook rolls both services. For MongoDB Atlas or a self-managed server with an
   * administrator's secret, `atlasRotation` and `masterSecret` rotate without an outage.
   *
   * @default - not rotated by your function: `atlasRotation` or `masterSecret` rotate it, else
   * change the password at the provider and put it in the secret (the services are redeployed
   * when it changes); prod synth warns
   */
  readonly rotation?: secretsmanager.RotationScheduleOptions;
}

/**
 * How the library rotates the password of a MongoDB Atlas database user: the project that holds
 * the user, and the credentials that may change it.
 */
export interface MongoDbAtlasRotationOptions {
  /**
   * ID of the Atlas project (group) that holds the database user: 24 hexadecimal digits, as in the
   * project's settings or the `/api/atlas/v2/groups` answer.
   */
  readonly projectId: string;

  /**
   * Secret holding credentials of the Atlas Administration API with the Project Database Access
   * Admin role (or Project Owner) on the project, as JSON: `clientId` and `clientSecret` of a
   * service account (OAuth 2.0, which Atlas recommends), or `publicKey` and `privateKey` of a
   * programmatic API key (HTTP digest). The rotation function may read it (and use its key, when
   * imported with `encryptionKey`); nothing else of the deployment reads it. Atlas accepts them
   * from the NAT gateways' addresses only if its API access list allows them.
   */
  readonly apiSecret: secretsmanager.ISecret;
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
   * Checks the connection's options: the type of every value (a JavaScript caller has no
   * compiler) and every value the chosen MongoDB takes.
   *
   * `ArculusFidoDeployment` and `FidoDataLayer` call it and list what it returns in their one
   * gathered error, so a subclass's own problems are reported the same way.
   *
   * @returns one problem per line, each naming its prop under `mongoDb` (such as
   * `mongoDb.port: must be a TCP port from 1 to 65535, got 0`); empty when there is none
   */
  public validate(): string[] {
    return [];
  }
}

const ENDPOINT_OPTIONS = struct('MongoDbEndpointOptions');
const SECRET_OPTIONS = struct('MongoDbSecretOptions');
const DOCUMENTDB_OPTIONS = struct('DocumentDbOptions');

/** Checks a connection's options against their shape (JavaScript callers have no compiler) and returns the well-typed part. */
function typedOptions<T>(problems: ProblemList, options: T, shape: Shape): T {
  return sanitize(problems, 'mongoDb', options, shape) ?? {};
}

function checkPort(problems: ProblemList, port: number | undefined): void {
  if (port !== undefined && !Token.isUnresolved(port) && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    problems.add('mongoDb.port', `must be a TCP port from 1 to 65535, got ${show(port)}`);
  }
}

class EndpointConnection extends MongoDbConnection {
  constructor(private readonly options: MongoDbEndpointOptions) {
    super();
  }

  public validate(): string[] {
    const problems = new ProblemList();
    const options = typedOptions(problems, this.options, ENDPOINT_OPTIONS);
    const { host, username, port, rotation } = options;
    checkPort(problems, port);
    if (host === undefined || (!Token.isUnresolved(host) && (host.trim() === '' || /\s|\/|:/.test(host)))) {
      problems.add('mongoDb.host', `must be a host name such as 'cluster0.abcde.mongodb.net' (no scheme, port or path), got ${show(host)}`);
    }
    if (username === undefined || (!Token.isUnresolved(username) && username.trim() === '')) {
      problems.add('mongoDb.username', `must name the database user the services log in as, got ${show(username)}`);
    }
    checkRotation(problems, rotation);
    checkEndpointRotation(problems, options);
    return [...problems.all];
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    const port = this.options.port ?? MONGODB_PORT;
    const { masterSecret, atlasRotation: atlas } = this.options;
    const fields = {
      username: this.options.username,
      host: this.options.host,
      port: Tokenization.stringifyNumber(port),
      // What AWS's multi-user MongoDB rotation function reads besides.
      ...(masterSecret ? multiUserFields(masterSecret) : {}),
    } as { username: string; host: string; port: string; engine?: string; masterarn?: string };
    if (this.options.password && isSsmSecure(scope, this.options.password)) {
      const problems = new ProblemList();
      problems.add('mongoDb.password', 'is an SSM SecureString reference (SecretValue.ssmSecure), which CloudFormation resolves only in the properties it lists, and a secret\'s value is not one: the deploy would fail. Pass SecretValue.secretsManager(...) or a NoEcho CfnParameter, or leave password out to have one generated');
      problems.throwIfAny(scope, 'MongoDbConnection');
    }
    if (this.options.password && isPlainText(scope, this.options.password)) {
      Annotations.of(scope).addWarningV2('arculus-fido:plaintext-password',
        'mongoDb.password is a plain-text SecretValue: the password is written into the CloudFormation template, where anyone who can read the stack, its template bucket or its change sets can read it. Pass SecretValue.secretsManager(...) or a NoEcho CfnParameter, or leave password out to have one generated.');
    }
    const secret = new secretsmanager.Secret(scope, 'MongoDbSecret', {
      description: `MongoDB connection of the Arculus FIDO services (${fields.host})`,
      // The library's rotation function is granted the key by its own policy: a grant in the policy
      // of a key of another stack would name this stack's role there, a cycle between the stacks.
      encryptionKey: atlas ? new OtherStacks(scope).key('MongoDbEncryptionKeyOfThisStack', options.encryptionKey) : options.encryptionKey,
      removalPolicy: options.removalPolicy,
      ...(this.options.password
        ? {
          secretObjectValue: {
            username: SecretValue.unsafePlainText(fields.username),
            password: passwordOfThisStack(scope, this.options.password),
            host: SecretValue.unsafePlainText(fields.host),
            port: SecretValue.unsafePlainText(fields.port),
            ...(masterSecret ? {
              engine: SecretValue.unsafePlainText(fields.engine!),
              masterarn: SecretValue.unsafePlainText(fields.masterarn!),
            } : {}),
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
    acknowledge(secret, options.encryptionKey ? {} : { 'NIST.800.53.R5-SecretsManagerUsingKMSKey': `${SECRET_KEY_REASON}.` });
    // A rotation Secrets Manager would refuse is reported by validate(), named, at validation.
    const valid = this.validate().length === 0;
    const rotation = { secret, options: this.options, bind: options, port, excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS };
    let rotationFunction: lambda.IFunction | undefined;
    if (this.options.rotation && valid) {
      secret.addRotationSchedule('Rotation', this.options.rotation);
    } else if (masterSecret && valid) {
      selfManagedRotation(scope, rotation, masterSecret);
    } else if (atlas && valid) {
      rotationFunction = atlasRotation(scope, rotation, atlas);
    }
    const rotates = this.options.rotation !== undefined || masterSecret !== undefined || atlas !== undefined;
    if (!rotates) {
      const external = 'The password belongs to an external MongoDB (Atlas or self-managed), and none of the options that rotate it was given (mongoDb atlasRotation, masterSecret or rotation); rotate it at the provider and put the new value in this secret, which redeploys the services.';
      acknowledge(secret, { 'AwsSolutions-SMG4': external, 'NIST.800.53.R5-SecretsManagerRotationEnabled': external });
      if (options.deploymentEnvironment === DeploymentEnvironment.PROD) {
        Annotations.of(scope).addWarningV2('arculus-fido:mongodb-password-not-rotated', notRotatedWarning(this.options.host));
      }
    }
    return { secret, securityGroup: this.options.securityGroup, port, secretRotates: rotates, rotationFunction };
  }
}

/** A user's rotation of the MongoDB secret: one function, and an interval Secrets Manager takes. */
function checkRotation(problems: ProblemList, rotation: secretsmanager.RotationScheduleOptions | undefined): void {
  if (!rotation) {
    return;
  }
  if ((rotation.rotationLambda === undefined) === (rotation.hostedRotation === undefined)) {
    problems.add('mongoDb.rotation', 'must give exactly one of rotationLambda (your function) and hostedRotation (e.g. HostedRotation.mongoDbSingleUser({ vpc })), got ' + (rotation.rotationLambda ? 'both' : 'neither'));
  }
  const after = rotation.automaticallyAfter;
  if (after && !after.isUnresolved()) {
    const hours = after.toMilliseconds() / 3_600_000;
    if (hours < 4 || hours > 24_000) {
      problems.add('mongoDb.rotation.automaticallyAfter', `Secrets Manager rotates every 4 hours to 1000 days, got ${after.toHumanString()}`);
    }
  }
}

/**
 * The password as the secret's own stack reads it. A reference (a NoEcho CloudFormation
 * parameter, say) that crosses into a nested stack would arrive there as a plain String parameter,
 * shown in that stack's console: it is passed on as a NoEcho parameter of the nested stack instead.
 */
function passwordOfThisStack(scope: Construct, password: SecretValue): SecretValue {
  const stack = Stack.of(scope);
  const value = password.unsafeUnwrap();
  if (!NestedStack.isNestedStack(stack) || typeof stack.resolve(value) === 'string') {
    // Not nested, or a literal or dynamic reference, which crosses as the string it is.
    return password;
  }
  const parameter = new CfnParameter(stack, 'MongoDbPassword', {
    type: 'String',
    noEcho: true,
    description: 'The MongoDB password, passed on from the parent stack',
  });
  parameter.overrideLogicalId('MongoDbPassword');
  stack.setParameter('MongoDbPassword', value);
  return SecretValue.cfnParameter(parameter);
}

/** Whether a secret value is an SSM SecureString dynamic reference. */
function isSsmSecure(scope: Construct, value: SecretValue): boolean {
  const resolved = Stack.of(scope).resolve(value.unsafeUnwrap());
  return typeof resolved === 'string' && resolved.startsWith('{{resolve:ssm-secure:');
}

/**
 * Whether a secret value resolves to a literal, i.e. would be written into the template, rather
 * than to a dynamic reference or another resolvable value.
 */
function isPlainText(scope: Construct, value: SecretValue): boolean {
  // Resolve the wrapped value, not the SecretValue: under `@aws-cdk/core:checkSecretUsage` (on in
  // every `cdk init` app) resolving a SecretValue outside a secret-accepting prop throws.
  const resolved = Stack.of(scope).resolve(value.unsafeUnwrap());
  return typeof resolved === 'string' && !resolved.startsWith('{{resolve:');
}

class SecretConnection extends MongoDbConnection {
  constructor(private readonly secret: secretsmanager.ISecret, private readonly options: MongoDbSecretOptions) {
    super();
  }

  public validate(): string[] {
    const problems = new ProblemList();
    if (sanitize(problems, 'mongoDb.secret', this.secret, typeShape('aws-cdk-lib.aws_secretsmanager.ISecret')) === undefined && problems.all.length === 0) {
      problems.add('mongoDb.secret', 'is required: the existing secret with the keys username, password, host and port');
    }
    checkPort(problems, typedOptions(problems, this.options, SECRET_OPTIONS).port);
    return [...problems.all];
  }

  public bind(_scope: Construct, _options: MongoDbBindOptions): MongoDbConnectionConfig {
    return { secret: this.secret, securityGroup: this.options.securityGroup, port: this.options.port ?? MONGODB_PORT };
  }
}

class DocumentDbConnection extends MongoDbConnection {
  constructor(private readonly options: DocumentDbOptions) {
    super();
  }

  public validate(): string[] {
    const problems = new ProblemList();
    const { instances, engineVersion, rotationInterval, backupRetention } = typedOptions(problems, this.options, DOCUMENTDB_OPTIONS);
    const synthTime = 'a DocumentDB cluster is written with one instance resource per count and a parameter group of the engine\'s family at synth';
    if (Token.isUnresolved(instances)) {
      problems.refuseToken('mongoDb.instances', instances, synthTime);
    } else if (instances !== undefined && (!Number.isInteger(instances) || instances < 1 || instances > 16)) {
      problems.add('mongoDb.instances', `DocumentDB takes 1 to 16 instances, got ${show(instances)}`);
    }
    if (Token.isUnresolved(engineVersion)) {
      problems.refuseToken('mongoDb.engineVersion', engineVersion, synthTime);
    } else if (engineVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(engineVersion)) {
      problems.add('mongoDb.engineVersion', `must be a DocumentDB engine version such as '5.0.0', got ${show(engineVersion)}`);
    }
    problems.daysInRange('mongoDb.rotationInterval', rotationInterval, 1, 1000, 'Secrets Manager rotates every');
    problems.daysInRange('mongoDb.backupRetention', backupRetention, 1, 35, 'DocumentDB keeps backups');
    return [...problems.all];
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    const preset = PRESETS[options.deploymentEnvironment].documentDb;
    const securityGroup = new ec2.SecurityGroup(scope, 'DocumentDbSecurityGroup', {
      vpc: options.vpc,
      description: 'Arculus FIDO DocumentDB: MongoDB port from the FIDO tasks only',
      allowAllOutbound: false,
    });
    const engineVersion = this.options.engineVersion ?? '5.0.0';
    // Audit logging is off in DocumentDB's default parameter group; the audit log export only
    // carries events once the parameter turns it on.
    const parameterGroup = new docdb.ClusterParameterGroup(scope, 'DocumentDbParameters', {
      family: `docdb${engineVersion.split('.').slice(0, 2).join('.')}`,
      description: 'Arculus FIDO DocumentDB: TLS required, audit logs on',
      parameters: { tls: 'enabled', audit_logs: 'enabled' },
    });
    const cluster = new docdb.DatabaseCluster(scope, 'DocumentDb', {
      masterUser: {
        username: this.options.masterUsername ?? 'fidoadmin',
        excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
        kmsKey: options.encryptionKey,
      },
      engineVersion,
      instanceType: this.options.instanceType ?? preset.instanceType,
      instances: this.options.instances ?? preset.instances,
      port: MONGODB_PORT,
      vpc: options.vpc,
      vpcSubnets: options.vpcSubnets,
      securityGroup,
      parameterGroup,
      storageEncrypted: true,
      kmsKey: options.encryptionKey,
      backup: { retention: this.options.backupRetention ?? Duration.days(preset.backupRetentionDays) },
      exportAuditLogsToCloudWatch: true,
      cloudWatchLogsRetention: options.logRetention ?? logs.RetentionDays.ONE_MONTH,
      deletionProtection: preset.deletionProtection,
      removalPolicy: this.options.removalPolicy ?? preset.removalPolicy,
    });
    // The master secret outlives the cluster where the deployment's secrets do: a snapshot
    // restored without its password is lost data.
    (cluster.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(options.removalPolicy ?? RemovalPolicy.DESTROY);
    if (this.options.rotatePassword ?? true) {
      cluster.addRotationSingleUser(this.options.rotationInterval ?? Duration.days(30));
      // The rotation function's way in: the cluster's port, known only at deploy time.
      for (const rule of securityGroup.node.children.filter((c) => c instanceof ec2.CfnSecurityGroupIngress)) {
        acknowledge(rule, {
          'NIST.800.53.R5-EC2RestrictedCommonPorts': `Admits the cluster's port (${MONGODB_PORT}, a reference the rule cannot read) from the password rotation function's security group only.`,
          'NIST.800.53.R5-EC2RestrictedSSH': `Admits the cluster's port (${MONGODB_PORT}, a reference the rule cannot read) from the password rotation function's security group only; not SSH.`,
        });
      }
    }
    this.acknowledgeFindings(cluster, options);
    return {
      // A DatabaseCluster given a masterUser without a password always creates its secret.
      secret: cluster.secret!,
      securityGroup,
      port: MONGODB_PORT,
      databaseCluster: cluster,
      secretRotates: this.options.rotatePassword ?? true,
    };
  }

  private acknowledgeFindings(cluster: docdb.DatabaseCluster, options: MongoDbBindOptions): void {
    const auditEvents = 'DocumentDB exports only the audit and profiler log types; authenticate, createIndex and dropCollection are audit events, exported through the audit log (audit_logs is enabled in the cluster parameter group).';
    acknowledge(cluster, {
      'AwsSolutions-DOC2': `The MongoDB default port ${MONGODB_PORT} is what the drivers and the deployment guide expect; a different port hides nothing from a scanner, and the security group admits it from the FIDO tasks only.`,
      'AwsSolutions-DOC3': "The master credentials are dynamic references into the cluster's generated Secrets Manager secret ({{resolve:secretsmanager:...}}); the rule cannot read them because the secret's ARN is a reference.",
      'AwsSolutions-DOC5[LogExport::authenticate]': auditEvents,
      'AwsSolutions-DOC5[LogExport::createIndex]': auditEvents,
      'AwsSolutions-DOC5[LogExport::dropCollection]': auditEvents,
      ...(this.options.backupRetention === undefined && PRESETS[options.deploymentEnvironment].documentDb.backupRetentionDays < 7 ? {
        'AwsSolutions-DOC4': `${options.deploymentEnvironment} keeps ${PRESETS[options.deploymentEnvironment].documentDb.backupRetentionDays} day(s) of backups by design (prod keeps ${PRESETS.prod.documentDb.backupRetentionDays}); set mongoDb backupRetention to keep more.`,
      } : {}),
    });
    if (!options.encryptionKey) {
      // `cluster.secret` is the secret's attachment to the cluster; the secret itself is this child.
      acknowledge(cluster.node.findChild('Secret'), { 'NIST.800.53.R5-SecretsManagerUsingKMSKey': `${SECRET_KEY_REASON}.` });
    }
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
}
