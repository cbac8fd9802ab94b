import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { CreatedVpcOptions } from './check-props';
import type { ResolvedFailover } from './failover';
import type { DeploymentNames, ServiceNames } from './names';
import type { EnvironmentPreset, ResolvedSizing } from './presets';
import type { MongoDbConnection } from '../data/mongodb-connection';
import type { IFidoDataLayer } from '../data/options';
import type { DeploymentEnvironment } from '../deployment/deployment-environment';
import type { MonitoringOptions } from '../operations/options';
import type { FidoServiceOptions } from '../service/options';

/** Ports of the deployment guide's listeners and containers: 443 serves the Tomcat portal. */
export const HTTPS_PORT = 443;
export const PYFIDO_PORT = 5001;
export const TOMCAT_PORT = 8080;

/** One of the two services with every setting decided. */
export interface ResolvedService {
  /** The service's key in `sizing`, `images` and `services`. */
  readonly prop: 'pyFido' | 'tomcat';
  /** Container name, log stream prefix and Service Connect port name. */
  readonly name: string;
  readonly port: number;
  /** The image, or none for the default ECR repository at `imageTag`. */
  readonly image?: ecs.ContainerImage;
  /** The default image's repository when given (`images.repositories`); by name otherwise. */
  readonly repository?: ecr.IRepository;
  readonly sizing: ResolvedSizing;
  /** The user's options with the deployment's variables and health check merged in. */
  readonly options: FidoServiceOptions;
  readonly deploymentAlarms: boolean;
  readonly names: ServiceNames;
  /** Port of the test listener, when the service deploys blue/green, linear or canary. */
  readonly testPort?: number;
}

/** Every setting of a deployment, decided once: the constructs build from this and nothing else. */
export interface ResolvedDeployment {
  readonly environment: DeploymentEnvironment;
  readonly preset: EnvironmentPreset;
  readonly applicationName: string;
  readonly names: DeploymentNames;
  /** Lowercase (DNS names are case-insensitive; Route 53 stores them lowercase), or a token. */
  readonly domainName: string;
  readonly certificate?: acm.ICertificate;
  readonly hostedZone?: route53.IHostedZone;
  /** The role of the zone's account that writes the records, when the zone is of another account. */
  readonly hostedZoneRole?: iam.IRole;
  /** The deployment's part in a failover pair: a failover record and health checks instead of the plain record. */
  readonly failover?: ResolvedFailover;
  /** The count both services run at while standing by as a failover pair's secondary. */
  readonly standbyTasks?: number;
  readonly mongoDb: MongoDbConnection;
  readonly vpc?: ec2.IVpc;
  /** What the user says of a given VPC's IPv6 (`network.vpcIpProtocol`), which an imported VPC does not tell. */
  readonly vpcIpProtocol?: ec2.IpProtocol;
  /**
   * The IP protocol (dual-stack with a dual-stack load balancer), the NAT count and kind, the NAT instances' type and image (the latest Amazon Linux 2023 of the
   * type's architecture when left out) and the S3 gateway endpoint of a created VPC; none when the
   * VPC is given, whose NAT and endpoints are its own.
   */
  readonly createdVpc: CreatedVpcOptions;
  readonly publicSubnets: ec2.SubnetSelection;
  readonly privateSubnets: ec2.SubnetSelection;
  readonly allowedIngress: ec2.IPeer[];
  readonly allowAllOutbound: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly logEncryptionKey?: kms.IKey;
  /** Secrets, the customer-managed key and DocumentDB's master secret. */
  readonly removalPolicy: RemovalPolicy;
  readonly createEncryptionKey: boolean;
  readonly applicationSecret?: secretsmanager.ISecret;
  /** How often the created application secret rotates; undefined when it does not. */
  readonly applicationSecretRotation?: Duration;
  readonly secretEncryptionKey?: kms.IKey;
  /** Accounts that may read the created application secret and its replicas. */
  readonly applicationSecretReaderAccounts: readonly string[];
  readonly applicationSecretReplicaRegions: secretsmanager.ReplicaRegion[];
  /** The deployment of another region whose application secret's replica the services read. */
  readonly replicaOf?: IFidoDataLayer;
  /** The key of this region that encrypts that replica; none for the AWS managed key. */
  readonly replicaKey?: kms.IKey;
  /**
   * IPV4 or DUAL_STACK as given; IPv4 when left out, and the template then names no type, as before
   * the option existed. A dual-stack load balancer admits ::/0 by default and gets an AAAA record.
   */
  readonly ipAddressType?: elbv2.IpAddressType;
  readonly sslPolicy: elbv2.SslPolicy;
  readonly redirectHttp: boolean;
  readonly deletionProtection: boolean;
  readonly desyncMitigationMode: elbv2.DesyncMitigationMode;
  readonly accessLogs: boolean;
  readonly accessLogsBucket?: s3.IBucket;
  readonly accessLogsPrefix: string;
  readonly accessLogsExpiration: Duration;
  readonly waf: boolean;
  readonly wafRateLimit: number;
  readonly imageTag: string;
  readonly pyFido: ResolvedService;
  readonly tomcat: ResolvedService;
  readonly nestedStacks: boolean;
  /** Whether a service allows ECS Exec, so the cluster logs (and encrypts) its sessions. */
  readonly executeCommand: boolean;
  /** The user's monitoring choices (checked); the deployment adds what it watches. */
  readonly monitoring: MonitoringOptions;
  readonly runbooks: boolean;
  /** Which of the environment's security choices the user left to the preset (for rule-pack acknowledgements). */
  readonly wafFromPreset: boolean;
  readonly deletionProtectionFromPreset: boolean;
}
