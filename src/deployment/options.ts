import type { DeploymentEnvironment } from './deployment-environment';
import type { MongoDbConnection } from '../data/mongodb-connection';
import type { SecretsOptions } from '../data/options';
import type { DomainOptions, LoadBalancerOptions, WafOptions } from '../edge/options';
import type { ImageOptions } from '../images/options';
import type { NetworkOptions } from '../network/options';
import type { LoggingOptions, MonitoringOptions } from '../operations/options';
import type { ServicesOptions, SizingOptions } from '../service/options';

/**
 * Encryption at rest of the deployment's logs, secrets and database.
 */
export interface EncryptionOptions {
  /**
   * Create one customer-managed KMS key, rotated every year, that encrypts the log groups, the
   * secrets the deployment creates and a created DocumentDB cluster. Its key policy lets the
   * account administer it, lets CloudWatch Logs use it for this account's log groups in the
   * stack's region, and the grants CDK adds let the task execution roles decrypt the secrets
   * through Secrets Manager only. A key given in `logging.encryptionKey` or
   * `secrets.encryptionKey` is used for its purpose instead. A key costs 1 USD per month.
   *
   * In prod the key is on unless set to `false`: a key the account controls can be revoked, its
   * use is logged in CloudTrail, and reviewers of an authentication service (NIST 800-53 SC-12,
   * SC-28) expect it. Decide before the first deployment of a created DocumentDB cluster: a
   * cluster's storage key cannot change, so turning the key on or off later replaces the cluster
   * (restore it from a snapshot into the new one).
   *
   * @default - true in prod; false in dev and staging (AWS owned and managed keys)
   */
  readonly customerManagedKey?: boolean;
}

/**
 * Props of `ArculusFidoDeployment`.
 */
export interface ArculusFidoDeploymentProps {
  /**
   * The environment the deployment serves (dev, staging or prod), which picks sizing, log
   * retention, NAT gateways and removal policies. Named apart from a stack's `env` (its account
   * and region), which it sits beside in `ArculusFidoStackProps`.
   */
  readonly deploymentEnvironment: DeploymentEnvironment;

  /**
   * Prefix of the names the deployment builds: the cluster `<applicationName>-<environment>`, the
   * log groups `/ecs/<applicationName>/<environment>/...` and the default ECR repositories
   * `<applicationName>/pyfido` and `<applicationName>/tomcat`. Lowercase letters, digits and single
   * hyphens, starting with a letter.
   *
   * @default 'arculus-auth'
   */
  readonly applicationName?: string;

  /**
   * Domain name and certificate of the HTTPS endpoints.
   */
  readonly domain: DomainOptions;

  /**
   * Where the services' MongoDB lives: MongoDB Atlas or self-managed (`fromEndpoint`), an
   * existing secret (`fromSecret`), or a new Amazon DocumentDB cluster (`documentDb`).
   */
  readonly mongoDb: MongoDbConnection;

  /**
   * VPC, subnets and allowed clients.
   *
   * @default - a new VPC and 0.0.0.0/0 admitted to the load balancer
   */
  readonly network?: NetworkOptions;

  /**
   * TLS policy, HTTP redirect, deletion protection, desync mitigation and access logs of the load
   * balancer.
   *
   * @default - TLS 1.3 policy, no HTTP listener, deletion protection in prod, defensive desync
   * mitigation, access logs to a new bucket
   */
  readonly loadBalancer?: LoadBalancerOptions;

  /**
   * AWS WAF in front of the load balancer.
   *
   * @default - a web ACL with the AWS managed rule groups and a rate limit of 1000 requests per
   * client IP in 5 minutes in prod; none in dev and staging
   */
  readonly waf?: WafOptions;

  /**
   * Customer-managed encryption of logs, secrets and database.
   *
   * @default - AWS owned and managed keys
   */
  readonly encryption?: EncryptionOptions;

  /**
   * Container images.
   *
   * @default - the ECR repositories `<applicationName>/pyfido` and `<applicationName>/tomcat` at `latest`
   */
  readonly images?: ImageOptions;

  /**
   * CPU, memory and task counts of each service.
   *
   * @default - the environment's preset
   */
  readonly sizing?: SizingOptions;

  /**
   * Log retention, encryption and removal policy.
   *
   * @default - the environment's preset, CloudWatch Logs' own encryption
   */
  readonly logging?: LoggingOptions;

  /**
   * The application secret and the key of the created secrets.
   *
   * @default - a generated application secret, AWS managed encryption keys
   */
  readonly secrets?: SecretsOptions;

  /**
   * Environment variables, secrets, health checks and load balancing of each service.
   *
   * @default - the deployment's defaults
   */
  readonly services?: ServicesOptions;

  /**
   * Alarms on every service, target group and a created DocumentDB cluster, a notification topic
   * that every alarm (the deployment alarms too) sends ALARM and OK to, and a dashboard.
   *
   * @default - every alarm with its default threshold, a new encrypted topic without
   * subscriptions, and the dashboard
   */
  readonly monitoring?: MonitoringOptions;

  /**
   * Create the AWS Systems Manager Automation runbooks of the guide's service management:
   * `<applicationName>-<environment>-Stop`, `-Start`, `-Redeploy` and `-Diagnose`, each with a role
   * of its own, scoped to this cluster's services (see docs/operations.md).
   *
   * @default true
   */
  readonly runbooks?: boolean;

  /**
   * Put the network, the data layer (secrets, database) and the services (cluster, load balancer,
   * tasks, DNS) in three nested stacks, `NetworkStack`, `DataStack` and `ServicesStack`, as the
   * deployment guide's CloudFormation does. Changing this on a deployed stack replaces every
   * resource.
   *
   * @default false
   */
  readonly nestedStacks?: boolean;
}
