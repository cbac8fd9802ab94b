import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';

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
   * load balancer, and an alias AAAA record beside it when `loadBalancer.ipAddressType` is
   * `DUAL_STACK` (and, without `certificate`, a DNS-validated certificate is created).
   *
   * @default - no DNS record is created: point a CNAME or alias at the `LoadBalancerDNS` output
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * A role of the account that owns `hostedZone`, when that is not the stack's account:
   * CloudFormation writes records only in its own account's zones, so the deployment writes its
   * records of `domainName` (alias or failover, A and AAAA) through a custom resource that assumes
   * this role. Make it in the zone's account with `FidoHostedZoneRole`, and give `certificate`:
   * a new certificate would be validated by a record in the zone too.
   *
   * @default - the zone belongs to the stack's account, and CloudFormation writes the records
   */
  readonly hostedZoneRole?: iam.IRole;

  /**
   * Make the deployment one of a failover pair: instead of the plain alias record, a failover
   * alias record for `domainName` (which also carries the 5001 and 8080 endpoints) with this role,
   * answered while Route 53's HTTPS health checks of this load balancer (Tomcat on 443, PyFIDO on
   * 5001) pass. `ArculusFidoRegionPair` sets it on both of its regions; set it yourself to build a
   * pair from two stacks of your own (one PRIMARY, one SECONDARY, same `domainName` and zone).
   *
   * Turning it on for a deployment whose plain record exists needs two deployments: Route 53 keeps
   * a plain and a failover record of one name apart, so leave `hostedZone` out once (the record
   * goes), then deploy with `failover` (docs/failover.md).
   *
   * @default - not part of a failover pair: a plain alias record in `hostedZone`
   */
  readonly failover?: DnsFailoverOptions;
}

/**
 * A deployment's part in Route 53 DNS failover.
 */
export interface DnsFailoverOptions {
  /**
   * PRIMARY answers while its health checks pass; SECONDARY answers when the primary's fail.
   */
  readonly role: route53.Failover;

  /**
   * How often each Route 53 health checker requests the load balancer: 10 or 30 seconds. Fast
   * (10 s) checks cost 1 USD a month more per check, and find an outage three times sooner.
   *
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * Failed checks in a row before Route 53 calls the region down (and passed ones before it
   * calls it up again): 1 to 10. Detection takes about `healthCheckInterval` x `failureThreshold`.
   *
   * @default 3
   */
  readonly failureThreshold?: number;

  /**
   * For the SECONDARY: the primary region's health check (its
   * `ArculusFidoDeployment.failover.healthCheck`). With it, and `runbooks` on, this region gets
   * the `-Failover`, `-Switchover` and `-Failback` runbooks, which invert that check for a planned
   * switchover, turn it back, and report which region Route 53 answers with. Another region's
   * check reaches this stack through aws-cdk-lib's cross-region references
   * (`crossRegionReferences: true`), as `ArculusFidoRegionPair` sets up.
   *
   * @default - no failover runbooks
   */
  readonly primaryHealthCheck?: route53.IHealthCheck;
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
   * The IP addresses the load balancer serves clients on. `DUAL_STACK` adds IPv6: a VPC the
   * deployment creates gets an Amazon-provided IPv6 block (a /64 per subnet, IPv6 routes to the
   * internet gateway and, from the private subnets, to an egress-only internet gateway), the
   * listeners admit `::/0` beside `0.0.0.0/0` (or the IPv6 ranges of `network.allowedIngress`),
   * and an alias AAAA record joins the A record in `domain.hostedZone`. A given VPC must have IPv6
   * in its public subnets (`network.vpcIpProtocol` says so for an imported one). Turned on in a
   * running deployment, it adds resources and replaces none. The tasks stay on IPv4 behind the
   * load balancer. `DUAL_STACK_WITHOUT_PUBLIC_IPV4` is refused: IPv4-only clients, and the tasks
   * calling the public PyFIDO endpoint, would lose the service. A value known at synth.
   *
   * @default elbv2.IpAddressType.IPV4
   */
  readonly ipAddressType?: elbv2.IpAddressType;

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
   * its own). A deployment retains it in prod and deletes it, emptied, with a dev or staging stack;
   * a `FidoLoadBalancer` on its own retains it unless `accessLogsRemovalPolicy` says otherwise
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
