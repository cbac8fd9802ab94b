import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { LoadBalancerOptions } from './options';
import { checkSelectionOfVpc } from '../private/cross-checks';
import { checkAccessLogsPrefix, checkIngressPeers, checkIpv6Subnets, desyncModeProblem, ipAddressTypeProblem } from '../private/load-balancer-rules';
import { acknowledge, LOG_KEY_REASON } from '../private/nag';
import { sanitize, struct, reportBlockProblems } from '../private/schema';
import { ProblemList } from '../private/validation';

/**
 * Props of `FidoLoadBalancer`: the hardening options a deployment exposes, and what the
 * deployment wires in.
 */
export interface FidoLoadBalancerProps extends LoadBalancerOptions {
  /**
   * VPC of the load balancer.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Public subnets the internet-facing load balancer goes in.
   *
   * @default - the VPC's public subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security group of the load balancer.
   *
   * @default - a new security group with no outbound rule but those to the targets
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Certificate of every HTTPS listener.
   */
  readonly certificate: acm.ICertificate;

  /**
   * Clients admitted to the listener ports: IPv4 ranges, and IPv6 ones when `ipAddressType` is
   * `DUAL_STACK`.
   *
   * @default [ec2.Peer.anyIpv4()] (0.0.0.0/0, as the deployment guide's security group table), and
   * ec2.Peer.anyIpv6() (::/0) beside it when `ipAddressType` is `DUAL_STACK`
   */
  readonly allowedIngress?: ec2.IPeer[];

  /**
   * Target group of the PyFIDO service (listener 5001).
   */
  readonly pyFidoTargetGroup: elbv2.IApplicationTargetGroup;

  /**
   * Target group of the Tomcat service (listeners 443 and 8080).
   */
  readonly tomcatTargetGroup: elbv2.IApplicationTargetGroup;

  /**
   * Port of an HTTPS test listener for PyFIDO, through which a blue/green, linear or canary
   * deployment checks the new revision. It forwards to `pyFidoTargetGroup` until the service
   * routes it (`FidoService.addTrafficRoute()`). It admits no client of its own, not even
   * `allowedIngress`, since it serves the new revision before the revision is checked: the
   * service's deployment check (`FidoService.addDeploymentCheck()`) and its
   * `deployment.testIngress` (`addTrafficRoute()`) open it.
   *
   * @default - no test listener
   */
  readonly pyFidoTestPort?: number;

  /**
   * Port of an HTTPS test listener for Tomcat, as `pyFidoTestPort`.
   *
   * @default - no test listener
   */
  readonly tomcatTestPort?: number;

  /**
   * How long a created access log bucket keeps the logs.
   *
   * @default Duration.days(30)
   */
  readonly accessLogsExpiration?: Duration;

  /**
   * What happens to a created access log bucket when it leaves the stack. With `DESTROY`, the
   * bucket is emptied first (a custom resource deletes its objects), so nothing is left behind.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly accessLogsRemovalPolicy?: RemovalPolicy;

  /**
   * Put an AWS WAF web ACL in front of the load balancer: the AWS managed rule groups for IP
   * reputation, known bad inputs and common attacks, after a per-client rate limit.
   *
   * @default false
   */
  readonly webAcl?: boolean;

  /**
   * Most requests one client IP may send in any 5 minutes before the web ACL blocks it.
   *
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * Name of the web ACL's log group; AWS WAF requires the prefix `aws-waf-logs-`.
   *
   * @default 'aws-waf-logs-arculus-fido'
   */
  readonly webAclLogGroupName?: string;

  /**
   * How long the web ACL's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly webAclLogRetention?: logs.RetentionDays;

  /**
   * KMS key of the web ACL's log group.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly webAclLogEncryptionKey?: kms.IKey;

  /**
   * What happens to the web ACL's log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly webAclLogRemovalPolicy?: RemovalPolicy;
}

/** The props' keys and the required ones, from the API model, for a caller without a compiler. */
const PROPS_SHAPE = struct('FidoLoadBalancerProps', { required: true });

/** Problems with a lone load balancer's props, each naming its prop. */
function loadBalancerProblems(props: FidoLoadBalancerProps): string[] {
  const problems = new ProblemList();
  sanitize(problems, '', props ?? {}, PROPS_SHAPE);
  props = props ?? {};
  const desyncProblem = desyncModeProblem(props.desyncMitigationMode);
  if (desyncProblem) {
    problems.add('desyncMitigationMode', desyncProblem);
  }
  problems.integerInRange('rateLimit', props.rateLimit, 10, 2000000000);
  problems.integerInRange('pyFidoTestPort', props.pyFidoTestPort, 1, 65535);
  problems.integerInRange('tomcatTestPort', props.tomcatTestPort, 1, 65535);
  checkAccessLogsPrefix(problems, 'accessLogsPrefix', props.accessLogsPrefix);
  const typeProblem = ipAddressTypeProblem(props.ipAddressType);
  if (typeProblem) {
    problems.add('ipAddressType', typeProblem);
  }
  const dualStack = props.ipAddressType === elbv2.IpAddressType.DUAL_STACK;
  checkIngressPeers(problems, 'allowedIngress', props.allowedIngress ?? [], "clients'", {
    ipv6: dualStack,
    typeProp: 'ipAddressType',
    typeGiven: props.ipAddressType !== undefined,
  });
  checkSelectionOfVpc(problems, 'vpcSubnets', 'vpc', () => props.vpc, props.vpcSubnets);
  if (dualStack && props.vpc) {
    // Where the VPC tells (created in the app); an imported one is the deployment's to vouch for.
    checkIpv6Subnets(problems, 'vpc', 'ipAddressType', props.vpc, props.vpcSubnets ?? { subnetType: ec2.SubnetType.PUBLIC });
  }
  return [...problems.all];
}

/** The AWS managed rule groups of the web ACL, in evaluation order after the rate limit. */
const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesCommonRuleSet',
];

/**
 * The deployment's internet-facing Application Load Balancer and its three HTTPS listeners, as
 * the deployment guide's table: 443 and 8080 forward to Tomcat, 5001 to PyFIDO.
 */
export class FidoLoadBalancer extends Construct implements ec2.IConnectable {
  /** The Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** HTTPS listener on 443, forwarding to Tomcat. */
  public readonly httpsListener: elbv2.ApplicationListener;

  /** HTTPS listener on 5001, forwarding to PyFIDO. */
  public readonly pyFidoListener: elbv2.ApplicationListener;

  /** HTTPS listener on 8080, forwarding to Tomcat. */
  public readonly tomcatListener: elbv2.ApplicationListener;

  /**
   * HTTPS test listener of PyFIDO, when `pyFidoTestPort` is given.
   *
   * @default - no test listener
   */
  public readonly pyFidoTestListener?: elbv2.ApplicationListener;

  /**
   * HTTPS test listener of Tomcat, when `tomcatTestPort` is given.
   *
   * @default - no test listener
   */
  public readonly tomcatTestListener?: elbv2.ApplicationListener;

  /**
   * HTTP listener on 80 that redirects to HTTPS, when `redirectHttp` is on.
   *
   * @default - no HTTP listener
   */
  public readonly httpRedirectListener?: elbv2.ApplicationListener;

  /**
   * Bucket of the access logs.
   *
   * @default - access logs are off
   */
  public readonly accessLogsBucket?: s3.IBucket;

  /**
   * The AWS WAF web ACL associated with the load balancer.
   *
   * @default - no web ACL
   */
  public readonly webAcl?: wafv2.CfnWebACL;

  /**
   * Log group of the web ACL's request logs (`authorization` and `cookie` headers redacted).
   *
   * @default - no web ACL
   */
  public readonly webAclLogGroup?: logs.LogGroup;

  /** The load balancer's network side. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: FidoLoadBalancerProps) {
    super(scope, id);

    reportBlockProblems(this, 'FidoLoadBalancer', loadBalancerProblems(props));
    const dualStack = props.ipAddressType === elbv2.IpAddressType.DUAL_STACK;
    const allowedIngress = props.allowedIngress ?? (dualStack ? [ec2.Peer.anyIpv4(), ec2.Peer.anyIpv6()] : [ec2.Peer.anyIpv4()]);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
      ipAddressType: props.ipAddressType,
      // Headers with invalid names are dropped, not passed to PyFIDO and Tomcat.
      dropInvalidHeaderFields: true,
      desyncMitigationMode: props.desyncMitigationMode ?? elbv2.DesyncMitigationMode.DEFENSIVE,
      deletionProtection: props.deletionProtection ?? false,
      securityGroup: props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'Arculus FIDO load balancer',
        allowAllOutbound: false,
      }),
    });
    this.connections = this.loadBalancer.connections;

    const listener = (listenerId: string, port: number, targetGroup: elbv2.IApplicationTargetGroup, admitted: ec2.IPeer[]) => {
      const created = this.loadBalancer.addListener(listenerId, {
        port,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
        defaultTargetGroups: [targetGroup],
        open: false,
      });
      this.admit(created, admitted, `HTTPS ${port}`);
      return created;
    };
    this.httpsListener = listener('HttpsListener', 443, props.tomcatTargetGroup, allowedIngress);
    this.pyFidoListener = listener('PyFidoListener', 5001, props.pyFidoTargetGroup, allowedIngress);
    this.tomcatListener = listener('TomcatListener', 8080, props.tomcatTargetGroup, allowedIngress);
    // The test listeners serve a revision before it is checked: only what the service names reaches them.
    if (props.pyFidoTestPort !== undefined) {
      this.pyFidoTestListener = listener('PyFidoTestListener', props.pyFidoTestPort, props.pyFidoTargetGroup, []);
    }
    if (props.tomcatTestPort !== undefined) {
      this.tomcatTestListener = listener('TomcatTestListener', props.tomcatTestPort, props.tomcatTargetGroup, []);
    }

    if (props.redirectHttp) {
      this.httpRedirectListener = this.loadBalancer.addListener('HttpRedirectListener', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      this.admit(this.httpRedirectListener, allowedIngress, 'HTTP 80 (redirect)');
    }

    if (props.accessLogs ?? true) {
      this.accessLogsBucket = this.logAccessTo(props);
    }

    if (props.webAcl) {
      this.webAclLogGroup = new logs.LogGroup(this, 'WebAclLogGroup', {
        logGroupName: props.webAclLogGroupName ?? 'aws-waf-logs-arculus-fido',
        retention: props.webAclLogRetention ?? logs.RetentionDays.ONE_MONTH,
        encryptionKey: props.webAclLogEncryptionKey,
        removalPolicy: props.webAclLogRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      if (!props.webAclLogEncryptionKey) {
        acknowledge(this.webAclLogGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
      }
      this.webAcl = this.createWebAcl(props.rateLimit ?? 1000, this.webAclLogGroup);
    }

    if (allowedIngress.some((peer) => peer.uniqueId === '0.0.0.0/0' || peer.uniqueId === '::/0')) {
      for (const securityGroup of this.loadBalancer.connections.securityGroups) {
        acknowledge(securityGroup, {
          'AwsSolutions-EC23': 'The load balancer serves the public FIDO2 endpoints to any client (0.0.0.0/0, and ::/0 when dual-stack), on its production HTTPS listeners (443, 5001, 8080) and the optional redirect-only port 80; network.allowedIngress narrows it. The test listeners of blue/green services admit only the deployment check and the testers named in deployment.testIngress.',
        });
      }
    }
  }

  /** Writes the access logs to the given bucket, or to a new hardened one. */
  private logAccessTo(props: FidoLoadBalancerProps): s3.IBucket {
    const bucket = props.accessLogsBucket ?? new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // ALB access logs can only be written with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Versioned, so a deleted or overwritten log can be recovered until its noncurrent version
      // expires with the logs' retention.
      versioned: true,
      lifecycleRules: [{
        expiration: props.accessLogsExpiration ?? Duration.days(30),
        noncurrentVersionExpiration: props.accessLogsExpiration ?? Duration.days(30),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      // CloudFormation cannot delete a bucket with objects in it: a removed bucket is emptied first.
      removalPolicy: props.accessLogsRemovalPolicy ?? RemovalPolicy.RETAIN,
      autoDeleteObjects: props.accessLogsRemovalPolicy === RemovalPolicy.DESTROY,
    });
    this.loadBalancer.logAccessLogs(bucket, props.accessLogsPrefix ?? 'alb');
    if (!props.accessLogsBucket) {
      acknowledge(bucket, {
        'AwsSolutions-S1': 'This bucket holds the load balancer\'s access logs; logging access to it would need yet another bucket. Public access is blocked and only TLS requests are allowed.',
        'NIST.800.53.R5-S3BucketLoggingEnabled': 'This bucket holds the load balancer\'s access logs; logging access to it would need yet another bucket. Public access is blocked and only TLS requests are allowed.',
        'NIST.800.53.R5-S3DefaultEncryptionKMS': 'Application Load Balancers can only write access logs to buckets encrypted with SSE-S3, not with KMS.',
        'NIST.800.53.R5-S3BucketReplicationEnabled': 'Access logs are operational records kept for the log retention; replicate them from your own log archive if policy requires a second region.',
      });
    }
    return bucket;
  }

  private createWebAcl(rateLimit: number, logGroup: logs.LogGroup): wafv2.CfnWebACL {
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      metricName,
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
    });
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      description: 'Arculus FIDO load balancer: rate limit and AWS managed rule groups',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('ArculusFidoWebAcl'),
      rules: [
        {
          // First and cheapest: a client that floods the login endpoints is blocked for 5 minutes.
          name: 'RateLimitPerClientIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerClientIp'),
        },
        ...MANAGED_RULE_GROUPS.map((name, index) => ({
          name,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.loadBalancer.loadBalancerArn,
      webAclArn: webAcl.attrArn,
    });
    // Credentials and session cookies never reach the logs.
    new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: webAcl.attrArn,
      // WAF wants the log group's ARN without the ':*' that logGroupArn ends with.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroup.logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    return webAcl;
  }

  private admit(listener: elbv2.ApplicationListener, peers: ec2.IPeer[], what: string): void {
    for (const peer of peers) {
      listener.connections.allowDefaultPortFrom(peer, `${what} from allowed clients`);
    }
  }
}
