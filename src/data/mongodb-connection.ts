import { Annotations, CfnParameter, Duration, NestedStack, SecretValue, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DocumentDbOptions, DocumentDbSecondaryOptions, MongoDbBindOptions, MongoDbConnectionConfig } from './options';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import { checkGlobalOptions, checkSecondaryRegions, documentDbCluster, documentDbSecondaryCluster, MONGODB_PORT, PASSWORD_EXCLUDED_CHARACTERS } from '../private/documentdb';
import { atlasRotation, checkEndpointRotation, multiUserFields, notRotatedWarning, selfManagedRotation } from '../private/mongodb-rotation';
import { acknowledge, SECRET_KEY_REASON } from '../private/nag';
import { OtherStacks } from '../private/other-stacks';
import { sanitize, Shape, struct, typeShape } from '../private/schema';
import { ProblemList, show } from '../private/validation';

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
   * A secondary cluster of the DocumentDB global cluster of another region's deployment, created
   * in the private subnets: read-only until a failover promotes it (the Failover runbook of
   * `ArculusFidoRegionPair`), with the primary's users. The services read the primary's master
   * secret through its replica here, and connect to this cluster's endpoint.
   */
  public static documentDbSecondary(options: DocumentDbSecondaryOptions): MongoDbConnection {
    return new DocumentDbSecondaryConnection(options);
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

  /**
   * The options of a `documentDb()` connection, which a region pair makes global.
   *
   * @internal
   */
  public _documentDbOptions(): DocumentDbOptions | undefined {
    return undefined;
  }
}

const ENDPOINT_OPTIONS = struct('MongoDbEndpointOptions');
const SECRET_OPTIONS = struct('MongoDbSecretOptions');
const DOCUMENTDB_OPTIONS = struct('DocumentDbOptions');
const DOCUMENTDB_SECONDARY_OPTIONS = struct('DocumentDbSecondaryOptions');

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
    const typed = typedOptions(problems, this.options, DOCUMENTDB_OPTIONS);
    const { engineVersion, rotationInterval, backupRetention } = typed;
    const synthTime = 'a DocumentDB cluster is written with one instance resource per count and a parameter group of the engine\'s family at synth';
    checkInstances(problems, typed.instances, synthTime);
    if (Token.isUnresolved(engineVersion)) {
      problems.refuseToken('mongoDb.engineVersion', engineVersion, synthTime);
    } else if (engineVersion !== undefined && !/^\d+\.\d+\.\d+$/.test(engineVersion)) {
      problems.add('mongoDb.engineVersion', `must be a DocumentDB engine version such as '5.0.0', got ${show(engineVersion)}`);
    }
    problems.daysInRange('mongoDb.rotationInterval', rotationInterval, 1, 1000, 'Secrets Manager rotates every');
    problems.daysInRange('mongoDb.backupRetention', backupRetention, 1, 35, 'DocumentDB keeps backups');
    const secondaryRegions = typed.secondaryRegions ?? [];
    if (secondaryRegions.length > 0 && !problems.about('mongoDb')) {
      checkSecondaryRegions(problems, 'mongoDb.secondaryRegions', secondaryRegions);
      checkGlobalOptions(problems, 'mongoDb', typed, secondaryRegions.length);
    }
    return [...problems.all];
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    return documentDbCluster(scope, this.options, options);
  }

  /** @internal */
  public _documentDbOptions(): DocumentDbOptions {
    return this.options;
  }
}

class DocumentDbSecondaryConnection extends MongoDbConnection {
  constructor(private readonly options: DocumentDbSecondaryOptions) {
    super();
  }

  public validate(): string[] {
    const problems = new ProblemList();
    const typed = typedOptions(problems, this.options, DOCUMENTDB_SECONDARY_OPTIONS);
    checkInstances(problems, typed.instances, 'a DocumentDB cluster is written with one instance resource per count at synth');
    problems.daysInRange('mongoDb.backupRetention', typed.backupRetention, 1, 35, 'DocumentDB keeps backups');
    if (!problems.about('mongoDb')) {
      checkGlobalOptions(problems, 'mongoDb', typed, 0);
    }
    return [...problems.all];
  }

  public bind(scope: Construct, options: MongoDbBindOptions): MongoDbConnectionConfig {
    return documentDbSecondaryCluster(scope, this.options, options);
  }
}

/** A DocumentDB cluster's count of instances: a whole number from 1 to 16, known at synth. */
function checkInstances(problems: ProblemList, instances: number | undefined, synthTime: string): void {
  if (Token.isUnresolved(instances)) {
    problems.refuseToken('mongoDb.instances', instances, synthTime);
  } else if (instances !== undefined && (!Number.isInteger(instances) || instances < 1 || instances > 16)) {
    problems.add('mongoDb.instances', `DocumentDB takes 1 to 16 instances, got ${show(instances)}`);
  }
}
