import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { rotationFunction } from './rotation-function';
import { ProblemList, show } from './validation';

/**
 * What the rotation reads of `MongoDbAtlasRotationOptions`, `MongoDbEndpointOptions` and
 * `MongoDbBindOptions` (src/data/mongodb-connection.ts, which imports this file: their shapes,
 * not an import back).
 */
interface AtlasRotationOptions {
  readonly projectId: string;
  readonly apiSecret: secretsmanager.ISecret;
}
interface EndpointOptions {
  readonly username: string;
  readonly securityGroup?: ec2.ISecurityGroup;
  readonly rotation?: secretsmanager.RotationScheduleOptions;
  readonly masterSecret?: secretsmanager.ISecret;
  readonly atlasRotation?: AtlasRotationOptions;
  readonly rotationInterval?: Duration;
}
interface BindOptions {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly removalPolicy?: RemovalPolicy;
  readonly logRetention?: logs.RetentionDays;
  readonly logEncryptionKey?: kms.IKey;
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** How often a rotation the library arranges runs, unless `rotationInterval` says otherwise. */
export const DEFAULT_ROTATION_INTERVAL = Duration.days(30);

/** The hosts of MongoDB Atlas clusters (`cluster0.abcde.mongodb.net`). */
const ATLAS_HOST = /\.mongodb\.net\.?$/i;

/** The options that rotate an endpoint's password, by prop name, in the order they are reported. */
function rotationsGiven(options: EndpointOptions): string[] {
  return (['rotation', 'masterSecret', 'atlasRotation'] as const).filter((prop) => options[prop] !== undefined);
}

/** Problems with the endpoint's rotation options (their types already hold). */
export function checkEndpointRotation(problems: ProblemList, options: EndpointOptions): void {
  const given = rotationsGiven(options);
  if (given.length > 1) {
    problems.add(`mongoDb.${given[1]}`, `rotates the password, and so does ${given[0]}: give one of rotation (your function), masterSecret (a self-managed server) and atlasRotation (MongoDB Atlas), got ${given.join(' and ')}`);
  }
  if (options.rotationInterval !== undefined && options.masterSecret === undefined && options.atlasRotation === undefined) {
    problems.add('mongoDb.rotationInterval', 'is how often masterSecret or atlasRotation rotates the password, and neither is given: give one (your own rotation is timed by rotation.automaticallyAfter), or leave rotationInterval out');
  }
  problems.daysInRange('mongoDb.rotationInterval', options.rotationInterval, 1, 1000, 'Secrets Manager rotates every');
  if (options.atlasRotation && options.atlasRotation.apiSecret === undefined && !problems.about('mongoDb.atlasRotation')) {
    problems.add('mongoDb.atlasRotation.apiSecret', 'is required: the secret holding the Atlas Administration API credentials (clientId and clientSecret of a service account, or publicKey and privateKey of an API key)');
  }
  const projectId = options.atlasRotation?.projectId;
  if (options.atlasRotation && !problems.about('mongoDb.atlasRotation.projectId') && !Token.isUnresolved(projectId) && !/^[0-9a-f]{24}$/.test(projectId ?? '')) {
    problems.add('mongoDb.atlasRotation.projectId', `must be the ID of an Atlas project (24 hexadecimal digits, in the project's settings), got ${show(projectId)}`);
  }
}

/**
 * The keys AWS's multi-user MongoDB rotation function reads from the rotated secret besides
 * `username`, `password`, `host` and `port`: the engine, and the administrator's secret.
 */
export function multiUserFields(masterSecret: secretsmanager.ISecret): { engine: string; masterarn: string } {
  return { engine: 'mongo', masterarn: masterSecret.secretFullArn ?? masterSecret.secretArn };
}

/** Where an endpoint's password rotation runs, and what reaches what. */
export interface EndpointRotationProps {
  readonly secret: secretsmanager.Secret;
  readonly options: EndpointOptions;
  readonly bind: BindOptions;
  readonly port: number;
  /** The characters a generated password leaves out. */
  readonly excludeCharacters: string;
}

/**
 * AWS's multi-user MongoDB rotation function (hosted: the `AWS::SecretsManager` transform deploys
 * it), in the tasks' subnets, with a security group that reaches MongoDB the way the tasks' does:
 * into MongoDB's security group, which admits it, when known; else to any address on MongoDB's
 * port. And HTTPS out, to Secrets Manager. The transform grants the function this secret, the
 * administrator's secret and their keys.
 */
export function selfManagedRotation(scope: Construct, props: EndpointRotationProps, masterSecret: secretsmanager.ISecret): void {
  const { port, bind } = props;
  const group = new ec2.SecurityGroup(scope, 'MongoDbRotationSecurityGroup', {
    vpc: bind.vpc,
    description: 'Rotation function of the Arculus FIDO MongoDB password: MongoDB, and HTTPS to Secrets Manager, only',
    allowAllOutbound: false,
  });
  group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Secrets Manager API');
  const database = props.options.securityGroup;
  if (database) {
    const rule = { ipProtocol: 'tcp', fromPort: port, toPort: port, description: 'MongoDB from the MongoDB password rotation function' };
    new ec2.CfnSecurityGroupEgress(scope, 'MongoDbRotationEgress', { groupId: group.securityGroupId, destinationSecurityGroupId: database.securityGroupId, ...rule });
    new ec2.CfnSecurityGroupIngress(scope, 'MongoDbRotationIngress', { groupId: database.securityGroupId, sourceSecurityGroupId: group.securityGroupId, ...rule });
  } else {
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(port), 'MongoDB from the MongoDB password rotation function');
  }
  props.secret.addRotationSchedule('Rotation', {
    hostedRotation: secretsmanager.HostedRotation.mongoDbMultiUser({
      masterSecret,
      vpc: bind.vpc,
      vpcSubnets: bind.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [group],
      excludeCharacters: props.excludeCharacters,
    }),
    automaticallyAfter: props.options.rotationInterval ?? DEFAULT_ROTATION_INTERVAL,
    // The first rotation logs in with the current password: not before the operator could set it.
    rotateImmediatelyOnUpdate: false,
  });
}

/**
 * The library's Atlas rotation function (src/private/atlas-rotation.lambda.ts), in the tasks'
 * subnets with HTTPS out only; it may read the Atlas API secret, and nothing else of the deployment
 * reads it.
 */
export function atlasRotation(scope: Construct, props: EndpointRotationProps, atlas: AtlasRotationOptions): lambda.Function {
  const { bind } = props;
  const fn = rotationFunction(scope, {
    ids: { securityGroup: 'MongoDbRotationSecurityGroup', logGroup: 'MongoDbRotationLogGroup', function: 'MongoDbRotation' },
    name: 'atlas-rotation',
    description: 'Rotates the Arculus FIDO MongoDB Atlas password: two database users in turn, through the Atlas Administration API',
    securityGroupDescription: 'Rotation function of the Arculus FIDO MongoDB Atlas password: HTTPS to the Atlas Administration API and Secrets Manager only',
    https: 'Atlas Administration API and Secrets Manager API',
    secret: props.secret,
    interval: props.options.rotationInterval ?? DEFAULT_ROTATION_INTERVAL,
    vpc: bind.vpc,
    vpcSubnets: bind.vpcSubnets,
    // Four calls to Atlas at most per step, each with a 10 s timeout, two with an API key's digest.
    timeout: Duration.seconds(90),
    environment: {
      ATLAS_PROJECT_ID: atlas.projectId,
      ATLAS_API_SECRET_ARN: atlas.apiSecret.secretArn,
      MONGODB_USERNAME: props.options.username,
    },
    logRetention: bind.logRetention,
    logEncryptionKey: bind.logEncryptionKey,
    logRemovalPolicy: bind.logRemovalPolicy ?? bind.removalPolicy ?? RemovalPolicy.DESTROY,
    policyScope: 'this secret, and reading the Atlas API secret',
  });
  atlas.apiSecret.grantRead(fn);
  return fn;
}

/**
 * The warning of a prod endpoint whose password does not rotate, naming the prop that turns
 * rotation on: `atlasRotation` for an Atlas host, `masterSecret` for another, both for a host known
 * only at deploy time.
 */
export function notRotatedWarning(host: string): string {
  const atlas = 'atlasRotation: { projectId, apiSecret } (MongoDB Atlas: the library\'s function changes the user\'s password through the Atlas Administration API)';
  const selfManaged = 'masterSecret (a self-managed server: AWS\'s multi-user MongoDB rotation function logs in with that administrator\'s secret)';
  const props = Token.isUnresolved(host) ? `${atlas} or ${selfManaged}` : ATLAS_HOST.test(host) ? atlas : selfManaged;
  return `The MongoDB password in prod never rotates. Give MongoDbConnection.fromEndpoint() ${props}; both alternate two users, so running tasks keep a working password. Or rotate it at the provider and put the new value in the secret, which redeploys the services.`;
}
