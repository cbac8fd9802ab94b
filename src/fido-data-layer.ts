import { RemovalPolicy } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DeploymentEnvironment } from './deployment-environment';
import { MongoDbConnection } from './mongodb-connection';
import { acknowledge, SECRET_KEY_REASON } from './private/nag';

const APPLICATION_SECRET_ROTATION = 'jwtSecret signs the tokens that running tasks issue and verify; a new value needs every task restarted at once, so the operator rotates it (put a new value, then roll both services) rather than a schedule.';

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
   * How long a created DocumentDB cluster's audit logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The data layer of an Arculus FIDO deployment: the MongoDB secret (and database, for DocumentDB)
 * and the application secret.
 */
export class FidoDataLayer extends Construct {
  /** Secret with the JSON keys `username`, `password`, `host` and `port`. */
  public readonly mongoDbSecret: secretsmanager.ISecret;

  /** Secret with the JSON key `jwtSecret` (and any API keys the operator adds). */
  public readonly applicationSecret: secretsmanager.ISecret;

  /**
   * The DocumentDB cluster, when `MongoDbConnection.documentDb()` was chosen.
   *
   * @default - no cluster was created
   */
  public readonly databaseCluster?: docdb.DatabaseCluster;

  constructor(scope: Construct, id: string, props: FidoDataLayerProps) {
    super(scope, id);
    // A deployment checks these before it builds; a data layer on its own checks them at synth.
    this.node.addValidation({ validate: () => props.mongoDb._problems() });

    const mongo = props.mongoDb.bind(this, {
      deploymentEnvironment: props.deploymentEnvironment,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
    });
    this.mongoDbSecret = mongo.secret;
    this.databaseCluster = mongo.databaseCluster;
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

    this.applicationSecret = props.applicationSecret ?? new secretsmanager.Secret(this, 'ApplicationSecret', {
      description: 'Arculus FIDO application secret (JWT secret, API keys)',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'jwtSecret',
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
    if (!props.applicationSecret) {
      acknowledge(this.applicationSecret, {
        'AwsSolutions-SMG4': APPLICATION_SECRET_ROTATION,
        'NIST.800.53.R5-SecretsManagerRotationEnabled': APPLICATION_SECRET_ROTATION,
        ...(props.encryptionKey ? {} : { 'NIST.800.53.R5-SecretsManagerUsingKMSKey': `${SECRET_KEY_REASON}.` }),
      });
    }
  }
}
