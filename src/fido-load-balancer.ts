import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { desyncModeProblem } from './private/load-balancer-rules';

/**
 * Props of `FidoLoadBalancer`.
 */
export interface FidoLoadBalancerProps {
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
   * Clients admitted to the listener ports.
   *
   * @default [ec2.Peer.anyIpv4()] (0.0.0.0/0, as the deployment guide's security group table)
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
   * TLS policy of every HTTPS listener.
   *
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ (TLS 1.3 and 1.2 with forward secrecy and hybrid
   * post-quantum key exchange)
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Add a listener on port 80 (for the same allowed clients) that only redirects to HTTPS 443.
   *
   * @default false
   */
  readonly redirectHttp?: boolean;

  /**
   * Protect the load balancer from deletion. A protected load balancer blocks stack deletion until
   * the protection is turned off.
   *
   * @default false
   */
  readonly deletionProtection?: boolean;

  /**
   * How the load balancer treats requests that may be HTTP desync (request smuggling) attacks.
   * `MONITOR` lets them through and is rejected at synth.
   *
   * @default elbv2.DesyncMitigationMode.DEFENSIVE
   */
  readonly desyncMitigationMode?: elbv2.DesyncMitigationMode;
}

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
   * HTTP listener on 80 that redirects to HTTPS, when `redirectHttp` is on.
   *
   * @default - no HTTP listener
   */
  public readonly httpRedirectListener?: elbv2.ApplicationListener;

  /** The load balancer's network side. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: FidoLoadBalancerProps) {
    super(scope, id);

    const desyncProblem = desyncModeProblem(props.desyncMitigationMode);
    if (desyncProblem) {
      throw new Error(`FidoLoadBalancer '${this.node.path}': desyncMitigationMode: ${desyncProblem}`);
    }
    const allowedIngress = props.allowedIngress ?? [ec2.Peer.anyIpv4()];

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      internetFacing: true,
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

    const listener = (listenerId: string, port: number, targetGroup: elbv2.IApplicationTargetGroup) => {
      const created = this.loadBalancer.addListener(listenerId, {
        port,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
        defaultTargetGroups: [targetGroup],
        open: false,
      });
      this.admit(created, allowedIngress, `HTTPS ${port}`);
      return created;
    };
    this.httpsListener = listener('HttpsListener', 443, props.tomcatTargetGroup);
    this.pyFidoListener = listener('PyFidoListener', 5001, props.pyFidoTargetGroup);
    this.tomcatListener = listener('TomcatListener', 8080, props.tomcatTargetGroup);

    if (props.redirectHttp) {
      this.httpRedirectListener = this.loadBalancer.addListener('HttpRedirectListener', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      this.admit(this.httpRedirectListener, allowedIngress, 'HTTP 80 (redirect)');
    }
  }

  private admit(listener: elbv2.ApplicationListener, peers: ec2.IPeer[], what: string): void {
    for (const peer of peers) {
      listener.connections.allowDefaultPortFrom(peer, `${what} from allowed clients`);
    }
  }
}
