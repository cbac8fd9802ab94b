import { RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FidoServiceOptions, ServiceSizing } from './fido-service';

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
   * Subnets of the internet-facing load balancer.
   *
   * @default - the VPC's public subnets
   */
  readonly publicSubnets?: ec2.SubnetSelection;

  /**
   * Subnets of the tasks (and of a created DocumentDB cluster). They need a route to the internet
   * (NAT) or VPC endpoints to pull images and read secrets.
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
   * elsewhere to save cost. Ignored when `vpc` is given.
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
   *
   * @default 'latest'
   */
  readonly tag?: string;
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
   * principal of the stack's region use it.
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
   *
   * @default - the deployment's key when `encryption.customerManagedKey` is on, otherwise the
   * AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;
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
   * @default false (AWS owned and managed keys)
   */
  readonly customerManagedKey?: boolean;
}
