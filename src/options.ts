import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { DeploymentEnvironment } from './deployment-environment';
import type { MongoDbConnection } from './mongodb-connection';

/**
 * The domain the deployment serves and its TLS certificate.
 */
export interface DomainOptions {
  /**
   * Fully qualified domain name of the deployment, e.g. `auth.example.com`. The endpoints are
   * `https://<domainName>` (Tomcat) and `https://<domainName>:5001` (PyFIDO).
   */
  readonly domainName: string;

  /**
   * Certificate for `domainName`, in the stack's region. Required unless `hostedZone` is given.
   *
   * @default - a DNS-validated certificate is created in `hostedZone`
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Public hosted zone of `domainName`. When given, an alias A record points `domainName` at the
   * load balancer (and, without `certificate`, a DNS-validated certificate is created).
   *
   * @default - no DNS record is created: point a CNAME or alias at the `LoadBalancerDNS` output
   */
  readonly hostedZone?: route53.IHostedZone;
}

/**
 * Where the deployment runs and who may reach it.
 */
export interface NetworkOptions {
  /**
   * An existing VPC. The load balancer goes in `publicSubnets`, the tasks in `privateSubnets`.
   *
   * @default - a new VPC over 2 AZs with public and private subnets, an internet gateway and NAT
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the internet-facing load balancer: public subnets of `vpc` in two or more AZs.
   * Only with `vpc`: a created VPC's subnets are the deployment's own.
   *
   * @default - the VPC's public subnets
   */
  readonly publicSubnets?: ec2.SubnetSelection;

  /**
   * Subnets of the tasks (and of a created DocumentDB cluster), in two or more AZs. They need a
   * route to the internet (NAT) or VPC endpoints to pull images and read secrets. Only with `vpc`.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly privateSubnets?: ec2.SubnetSelection;

  /**
   * Clients admitted to the load balancer's ports 443, 5001 and 8080.
   *
   * @default [ec2.Peer.anyIpv4()] (0.0.0.0/0, as the deployment guide)
   */
  readonly allowedIngress?: ec2.IPeer[];

  /**
   * NAT gateways of a VPC the construct creates: one per AZ in prod for availability, one
   * elsewhere to save cost. Refused with `vpc`, whose NAT gateways are its own; a number known at
   * synth (not a CloudFormation parameter), since each NAT gateway is a resource of the template.
   *
   * @default - 2 in prod, 1 in dev and staging
   */
  readonly natGateways?: number;

  /**
   * Let the tasks open connections to any address on any port. By default their security group
   * only allows what the services need: HTTPS 443 (ECR, Secrets Manager, CloudWatch Logs and other
   * AWS APIs), the PyFIDO port 5001 (Tomcat calls PyFIDO at its public endpoint) and the MongoDB
   * port. To reach something else, prefer a narrow rule such as
   * `deployment.connections.allowTo(peer, port)` over this escape hatch.
   *
   * @default false
   */
  readonly allowAllOutbound?: boolean;
}

/**
 * Container images of the two services.
 */
export interface ImageOptions {
  /**
   * Image of the PyFIDO server.
   *
   * @default - the ECR repository `<applicationName>/pyfido` in the stack's account and region, at `tag`
   */
  readonly pyFido?: ecs.ContainerImage;

  /**
   * Image of the Tomcat portal.
   *
   * @default - the ECR repository `<applicationName>/tomcat` in the stack's account and region, at `tag`
   */
  readonly tomcat?: ecs.ContainerImage;

  /**
   * Tag of the default ECR images. Deploy an immutable tag (a version or a commit) in prod: a
   * moved `latest` tag changes what runs without a change to the stack, so synth warns there.
   * Required with `repositories`, whose tags are immutable.
   *
   * @default 'latest'
   */
  readonly tag?: string;

  /**
   * The repositories the default images are pulled from, e.g. a `FidoImageRepositories` (or the
   * `images` of an `ArculusFidoImagesStack`). From another stack, this makes that stack export
   * the repositories and the deployment import them; the default names are the same, so leaving
   * this out pulls from them too, without tying the stacks together.
   *
   * @default - the ECR repositories `<applicationName>/pyfido` and `<applicationName>/tomcat` by name
   */
  readonly repositories?: IFidoImageRepositories;
}

/**
 * The two ECR repositories the deployment's default images come from.
 */
export interface IFidoImageRepositories {
  /** Repository of the PyFIDO image. */
  readonly pyFidoRepository: ecr.IRepository;

  /** Repository of the Tomcat image. */
  readonly tomcatRepository: ecr.IRepository;
}

/**
 * Sizing of the two services, each value over the environment's preset.
 */
export interface SizingOptions {
  /**
   * PyFIDO sizing.
   *
   * @default - the environment's preset: 256 CPU / 512 MiB / 1 task (dev), 512 / 1024 / 2 with up
   * to 4 (staging), 1024 / 2048 / 3 with up to 6 (prod)
   */
  readonly pyFido?: ServiceSizing;

  /**
   * Tomcat sizing.
   *
   * @default - the environment's preset: 256 CPU / 1024 MiB / 1 task (dev), 512 / 1024 / 2 with
   * up to 4 (staging), 1024 / 2048 / 3 with up to 6 (prod)
   */
  readonly tomcat?: ServiceSizing;
}

/**
 * The services' CloudWatch log groups, `/ecs/<applicationName>/<environment>/pyfido` and
 * `/ecs/<applicationName>/<environment>/tomcat`, and the flow log group of a created VPC.
 */
export interface LoggingOptions {
  /**
   * How long logs are kept.
   *
   * @default - 7 days (dev), 30 days (staging), 90 days (prod)
   */
  readonly retention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the log groups. Its key policy must let the CloudWatch Logs service
   * principal of the stack's region use it. A key of another stack is used through IAM policies
   * only (a grant in its key policy would make the two stacks depend on each other), so its key
   * policy must also trust the account's IAM policies, as keys created with the
   * `@aws-cdk/aws-kms:defaultKeyPolicies` flag (every `cdk init` app) do.
   *
   * @default - the deployment's key when `encryption.customerManagedKey` is on, otherwise
   * CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log groups when they leave the stack.
   *
   * @default - RETAIN in prod, DESTROY in dev and staging
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The deployment's Secrets Manager secrets.
 */
export interface SecretsOptions {
  /**
   * An existing application secret. It must hold the JSON key `jwtSecret`; add API keys as further
   * keys and map them with `services.*.secrets`.
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
   * `jwtSecret` each time, the one before kept as `jwtSecretPrevious` (absent until the first
   * rotation), every other key unchanged. After each rotation the Redeploy runbook rolls both
   * services, so they read the new value (see SECURITY.md for what the application does with the
   * two keys). Needs `runbooks`; a given `applicationSecret` rotates as its owner arranges.
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
}

/**
 * Options of the two services.
 */
export interface ServicesOptions {
  /**
   * Options of the PyFIDO service.
   *
   * @default - the deployment's defaults
   */
  readonly pyFido?: FidoServiceOptions;

  /**
   * Options of the Tomcat service.
   *
   * @default - the deployment's defaults
   */
  readonly tomcat?: FidoServiceOptions;
}

/**
 * Hardening of the internet-facing load balancer.
 */
export interface LoadBalancerOptions {
  /**
   * TLS policy of the HTTPS listeners.
   *
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ (TLS 1.3 and 1.2 with forward secrecy and hybrid
   * post-quantum key exchange)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Add a port 80 listener that only redirects to HTTPS 443, for browsers that type the bare domain.
   *
   * @default false
   */
  readonly redirectHttp?: boolean;

  /**
   * Protect the load balancer from deletion. A protected load balancer blocks stack deletion until
   * the protection is turned off.
   *
   * @default - true in prod, false elsewhere; false for a `FidoLoadBalancer` on its own
   */
  readonly deletionProtection?: boolean;

  /**
   * Treatment of possible HTTP desync (request smuggling) requests; `MONITOR` is rejected.
   *
   * @default elbv2.DesyncMitigationMode.DEFENSIVE
   */
  readonly desyncMitigationMode?: elbv2.DesyncMitigationMode;

  /**
   * Write the load balancer's access logs to S3, for incident response and audits. ALB access
   * logging needs a concrete region: on a region-agnostic stack set `env: { region }` or turn
   * this off.
   *
   * @default true
   */
  readonly accessLogs?: boolean;

  /**
   * Bucket of the access logs. It must use SSE-S3 encryption (ALB cannot write with a KMS key).
   *
   * @default - a bucket that blocks public access, enforces TLS, encrypts with SSE-S3 and expires
   * logs after the environment's log retention (`accessLogsExpiration` for a `FidoLoadBalancer` on
   * its own); it is retained when it leaves the stack
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in the bucket.
   *
   * @default 'alb'
   */
  readonly accessLogsPrefix?: string;
}

/**
 * The AWS WAF web ACL in front of the load balancer.
 */
export interface WafOptions {
  /**
   * Associate a web ACL with the load balancer: the AWS managed rule groups for common attacks
   * (core rule set), known bad inputs and Amazon IP reputation, and a per-client rate limit,
   * because login endpoints are what credential-stuffing bots hit. It costs 5 USD per month plus
   * 1 USD per rule and 0.60 USD per million requests.
   *
   * @default - true in prod, false in dev and staging
   */
  readonly enabled?: boolean;

  /**
   * Most requests one client IP may send in any 5 minutes before it is blocked (10 to 2,000,000,000).
   *
   * @default 1000
   */
  readonly rateLimit?: number;
}

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
 * Size and task count of one Fargate service. In a deployment, every value left out comes from
 * the environment's preset.
 *
 * Fargate accepts these CPU / memory pairs: 256 CPU with 512, 1024 or 2048 MiB; 512 with 1024 to
 * 4096 MiB; 1024 with 2048 to 8192 MiB; 2048 with 4096 to 16384 MiB; 4096 with 8192 to 30720 MiB
 * (all in 1024 MiB steps); 8192 with 16384 to 61440 MiB in 4096 MiB steps; 16384 with 32768 to
 * 122880 MiB in 8192 MiB steps.
 */
export interface ServiceSizing {
  /**
   * CPU units of each task (1024 = 1 vCPU).
   *
   * @default - PyFIDO: 256 (dev), 512 (staging), 1024 (prod); Tomcat: 256, 512, 1024; 256 outside a deployment
   */
  readonly cpu?: number;

  /**
   * Memory of each task, in MiB. Must suit `cpu` (see the table above).
   *
   * @default - PyFIDO: 512 (dev), 1024 (staging), 2048 (prod); Tomcat: 1024, 1024, 2048; 512 outside a deployment
   */
  readonly memoryLimitMiB?: number;

  /**
   * Number of tasks to run. With autoscaling (`maxCapacity` above `minCapacity`) this is only
   * the count a new service starts with: it is left out of the template so that a deploy never
   * resets the count the scaler chose, and the scaler raises it to `minCapacity` at once.
   *
   * @default - 1 (dev), 2 (staging), 3 (prod); 1 outside a deployment
   */
  readonly desiredCount?: number;

  /**
   * Fewest tasks the scaler keeps.
   *
   * @default - `desiredCount`
   */
  readonly minCapacity?: number;

  /**
   * Most tasks the scaler may run. Autoscaling on CPU is on when this exceeds `minCapacity`.
   *
   * @default - 1 (dev), 4 (staging), 6 (prod); `desiredCount` (no autoscaling) outside a
   * deployment; never below `desiredCount`
   */
  readonly maxCapacity?: number;

  /**
   * Average CPU utilization, in percent, that target tracking keeps the service at.
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Run the tasks on Fargate Spot, about 70% cheaper than on-demand Fargate. AWS may reclaim a
   * Spot task with two minutes' notice, and ECS then starts a replacement: fine for dev, not for
   * an authentication service that must stay up.
   *
   * @default - true in dev, false in staging and prod; false outside a deployment
   */
  readonly spot?: boolean;

  /**
   * CPU architecture of the tasks. Graviton (`ARM64`) costs 20% less per vCPU-hour and GB-hour,
   * but the images must be built for arm64 (or multi-arch).
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/**
 * What a user may change about one of the deployment's services.
 */
export interface FidoServiceOptions {
  /**
   * Plain environment variables for the container, added to (and overriding) the ones the
   * deployment sets. Never put a secret here: use `secrets`.
   *
   * @default - only the deployment's own variables
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets for the container, injected by ECS from Secrets Manager or SSM Parameter Store at task
   * start; the task execution role is granted read access.
   *
   * @default - only the deployment's own secrets (MongoDB and application secret)
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * Health check of the service's target group, merged over the defaults.
   *
   * @default - PyFIDO: path `/health`, healthy HTTP code 200; Tomcat: path `/`, healthy HTTP codes
   * 200-399 (a Tomcat root usually answers with a 302 redirect); both: interval 30 s, healthy
   * threshold 2
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * Protocol between the load balancer and the container. TLS from clients ends at the load
   * balancer; choose HTTPS only when the image itself serves TLS on its port.
   *
   * @default elbv2.ApplicationProtocol.HTTP
   */
  readonly targetProtocol?: elbv2.ApplicationProtocol;

  /**
   * How long the load balancer lets in-flight requests finish before a stopping task is removed.
   * Every rolling deployment waits this long once, after the new tasks are healthy: the ALB's
   * 300 s default would make a deployment take 420 s. FIDO2 registration and login requests
   * finish in well under a second, so 30 s drains them with a wide margin.
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * How long ECS ignores failing load balancer health checks after a task starts.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Mount the container's root file system read-only, so an attacker who gets code execution
   * cannot change the application or drop tools on disk. The image must then write only to
   * `writablePaths`. Off by default because a stock Tomcat writes to its `work` and `temp`
   * directories.
   *
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Directories that stay writable (as empty task-local volumes) when `readonlyRootFilesystem` is
   * on, e.g. `['/tmp', '/usr/local/tomcat/work', '/usr/local/tomcat/temp']` for Tomcat.
   *
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];

  /**
   * How long ECS waits after SIGTERM before it kills the container. The task is deregistered
   * (see `deregistrationDelay`) before it is stopped, so this only has to let the server close
   * its connections and flush its logs (2 to 120 s).
   *
   * @default Duration.seconds(30)
   */
  readonly stopTimeout?: Duration;

  /**
   * Roll a deployment back when its target group reports 5xx responses from the targets (10 or
   * more in each of 2 consecutive minutes) or unhealthy targets (in 2 consecutive minutes), next
   * to the circuit breaker, which only sees tasks that fail to start or to pass health checks.
   *
   * @default true
   */
  readonly deploymentAlarms?: boolean;

  /**
   * Allow ECS Exec (`aws ecs execute-command`) into the service's containers, for troubleshooting.
   * In a deployment, every session's input and output is logged to the log group
   * `/ecs/<applicationName>/<environment>/exec` (with the logs' retention and key), and sessions
   * are encrypted with the deployment's key when `encryption.customerManagedKey` is on. Off by
   * default: a shell in a production container is a privilege to grant on purpose.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * How ECS replaces the service's tasks with a new revision: rolling (the guide's way), or
   * blue/green, linear or canary, which first prove the new revision through a test listener.
   *
   * @default - rolling: 100% of the tasks stay healthy, up to 200% run, the circuit breaker rolls back
   */
  readonly deployment?: ServiceDeploymentOptions;
}

/**
 * One request the blue/green deployment check sends to the new revision through the test
 * listener, besides the service's own health check path.
 */
export interface DeploymentCheck {
  /**
   * Path of the request, starting with `/`, e.g. `/api/status`.
   */
  readonly path: string;

  /**
   * Status codes that pass, in the load balancer's matcher syntax: codes and ranges separated by
   * commas, e.g. `200`, `200,302` or `200-399`. Redirects are not followed.
   *
   * @default '200-399'
   */
  readonly expectedStatusCodes?: string;
}

/**
 * How ECS deploys a new revision of one service.
 *
 * With `BLUE_GREEN`, `LINEAR` or `CANARY`, ECS starts the new (green) revision beside the running
 * (blue) one and registers it in an alternate target group. It moves a test listener's traffic to
 * it first; a function the library ships then calls the service through that test listener (the
 * health check path, and every `checks` entry) and fails the deployment on any wrong answer, so
 * ECS rolls back before any user's request reaches the new revision. Then ECS moves production
 * traffic (all at once, in linear steps, or a canary step first), keeps the blue revision for
 * `bakeTime`, during which the deployment alarms still roll back, and stops it.
 *
 * It costs double the service's tasks while both revisions run, a second target group per
 * listener, and one test listener port, which admits only `network.allowedIngress` and the check.
 */
export interface ServiceDeploymentOptions {
  /**
   * The deployment strategy.
   *
   * @default ecs.DeploymentStrategy.ROLLING
   */
  readonly strategy?: ecs.DeploymentStrategy;

  /**
   * How long both revisions keep running after production traffic has moved, so that a rollback
   * only moves traffic back (0 to 1440 minutes). Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;

  /**
   * The steps of a `LINEAR` or `CANARY` deployment: the share of production traffic moved per
   * step (linear: 3 to 100 percent; canary: the first step, 0.1 to 100 percent) and the wait
   * after each step (0 to 1440 minutes).
   *
   * @default - ECS's: linear 10 percent every 6 minutes, canary 5 percent for 10 minutes
   */
  readonly trafficShift?: ecs.TrafficShiftConfig;

  /**
   * Port of the HTTPS test listener through which the new revision is checked before it gets
   * production traffic. Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default - 9001 for PyFIDO, 9443 for Tomcat
   */
  readonly testPort?: number;

  /**
   * Requests the deployment check sends through the test listener besides the service's health
   * check path (PyFIDO `/health`, Tomcat `/`, with the health check's codes), each tried up to 3
   * times with a 5 s timeout. Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default - only the health check path
   */
  readonly checks?: DeploymentCheck[];
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
   * of its own, scoped to this cluster's services (see README, Operations).
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

/**
 * Thresholds of the alarms `FidoMonitoring` creates. Each alarm goes off when its value is at or
 * above the threshold in every period of its evaluation (the periods are named with each field),
 * and sends ALARM and OK to the monitoring topic.
 */
export interface AlarmThresholds {
  /**
   * Percent of a service's requests that its targets answer with a 5xx, over every target group
   * of the service, in two 5-minute periods running (`<prefix>-<service>-5xx-rate`). A period
   * with fewer than 10 requests counts as 0%: one failed request among three is not a rate (the
   * deployment alarm counts 5xx responses whatever the traffic). More than 0 and at most 100.
   *
   * Why 5: a healthy service answers almost no request with a 5xx, and each one is a sign-in or
   * registration that failed; 1 in 20 for 10 minutes is a partial outage (a failing task among
   * several, a database that times out), while a lone error does not reach it.
   *
   * @default 5
   */
  readonly target5xxPercent?: number;

  /**
   * Unhealthy targets in any target group of a service, in five 1-minute periods running
   * (`<prefix>-<service>-unhealthy-targets`). A whole number from 1 to 1000.
   *
   * Why 1: the load balancer stops sending a failing target traffic and ECS replaces its task
   * within a minute or two, so users may not notice; a target still unhealthy after 5 minutes
   * means the replacements fail too (a crash loop, a dependency down) and capacity is short.
   *
   * @default 1
   */
  readonly unhealthyHosts?: number;

  /**
   * 99th percentile of the time a service's targets take to answer, the highest over its target
   * groups, in three 5-minute periods running (`<prefix>-<service>-latency-p99`). More than 0 and
   * at most 4000 seconds (the load balancer's longest idle timeout).
   *
   * Why 2 seconds: a WebAuthn registration or sign-in takes two calls to the server, each a few
   * database reads and writes that answer in tens of milliseconds; 1 request in 100 slower than
   * 2 seconds for 15 minutes is a user who waits, and a sign of a saturated task or database.
   * A CloudFormation parameter is taken in seconds: `Duration.seconds(parameter.valueAsNumber)`.
   *
   * @default Duration.seconds(2)
   */
  readonly latencyP99?: Duration;

  /**
   * Average CPU utilization of a service's tasks (AWS/ECS), in three 5-minute periods running
   * (`<prefix>-<service>-cpu`). More than 0 and at most 100.
   *
   * Why 80: the deployment's autoscaling keeps the average at 70%, so a service above 80% for 15
   * minutes is at its largest task count or cannot start tasks fast enough; a service without
   * autoscaling needs a larger CPU size.
   *
   * @default 80
   */
  readonly cpuPercent?: number;

  /**
   * Average memory utilization of a service's tasks (AWS/ECS), in three 5-minute periods running
   * (`<prefix>-<service>-memory`). More than 0 and at most 100.
   *
   * Why 80: a Fargate task has no swap, and a container that reaches its memory limit is killed;
   * 80% for 15 minutes leaves room to act before that. A JVM that holds a large heap whatever
   * the load (Tomcat with a high `-Xmx`) sits high: raise this above its steady level.
   *
   * @default 80
   */
  readonly memoryPercent?: number;

  /**
   * Tasks a service runs fewer than it wants (Container Insights `DesiredTaskCount` less
   * `RunningTaskCount`), in ten 1-minute periods running (`<prefix>-<service>-running-tasks`). A
   * whole number from 1 to 5000. Needs Container Insights on the cluster.
   *
   * Why 1: ECS replaces a stopped task, and starts the tasks of a scale-out, within a minute or
   * two; a task still missing after 10 minutes means ECS cannot start it (the image, a secret,
   * capacity, a container that exits).
   *
   * @default 1
   */
  readonly missingTasks?: number;

  /**
   * Average CPU utilization of the DocumentDB cluster, in three 5-minute periods running
   * (`<prefix>-docdb-cpu`). More than 0 and at most 100.
   *
   * Why 80: queries queue behind a busy instance and the services' requests slow down with them;
   * 80% for 15 minutes is the time to choose a larger instance class (or read replicas).
   *
   * @default 80
   */
  readonly documentDbCpuPercent?: number;

  /**
   * Most connections to the DocumentDB cluster, in five 1-minute periods running
   * (`<prefix>-docdb-connections`). A whole number from 1 to 30000.
   *
   * Why 400: 80% of the 500 connections a db.t3.medium or db.t4g.medium instance accepts (the
   * dev and staging class); DocumentDB refuses connections past its instance's limit, and each
   * task holds a pool of them. A db.r6g.large (prod) accepts 1,700: give about 1,360 there.
   *
   * @default 400
   */
  readonly documentDbConnections?: number;
}

/**
 * Alarms, notifications and dashboard of a deployment.
 */
export interface MonitoringOptions {
  /**
   * Create the alarms on the services, their target groups and the DocumentDB cluster. Off, the
   * topic still receives the alarms handed to `FidoMonitoring.notifyOn()`.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Topic that receives ALARM and OK from every alarm. Its access policy must let CloudWatch
   * (`cloudwatch.amazonaws.com`) publish, as SNS's default policy does, and its key, if any, must
   * be customer-managed and let CloudWatch use it (`kms:Decrypt`, `kms:GenerateDataKey*`):
   * CloudWatch cannot publish to a topic encrypted with the AWS managed key `aws/sns`. Its
   * policy and key are left as they are.
   *
   * @default - a new topic, encrypted with `encryptionKey`, that refuses publishing without TLS
   */
  readonly topic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the topic. SNS sends each a confirmation message, and an
   * address gets no notification until its owner confirms.
   *
   * @default - no subscription
   */
  readonly emails?: string[];

  /**
   * Thresholds of the alarms.
   *
   * @default - each threshold's own default
   */
  readonly thresholds?: AlarmThresholds;

  /**
   * Create the CloudWatch dashboard, named as the prefix. A dashboard costs 3 USD per month
   * beyond the account's first three.
   *
   * @default true
   */
  readonly dashboard?: boolean;
}
