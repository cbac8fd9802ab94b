import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { NatType } from './options';
import { checkCreatedVpcOptions } from '../private/check-props';
import { acknowledge, INLINE_POLICY_REASON, LOG_KEY_REASON } from '../private/nag';
import { hardenNatInstances, natInstanceProvider } from '../private/nat';
import { sanitize, struct, reportBlockProblems } from '../private/schema';
import { ProblemList } from '../private/validation';

/**
 * Props of `FidoNetwork`.
 */
export interface FidoNetworkProps {
  /**
   * An existing VPC to deploy into. It needs public subnets (for the load balancer) and private
   * subnets with egress (for the tasks).
   *
   * @default - a new VPC over 2 AZs with public and private subnets, an internet gateway and
   * `natGateways` NAT gateways
   */
  readonly vpc?: ec2.IVpc;

  /**
   * NAT gateways of the VPC this construct creates (1 or 2). Refused with `vpc`, whose NAT
   * gateways are its own.
   *
   * @default 1
   */
  readonly natGateways?: number;

  /**
   * What gives the private subnets of the VPC this construct creates their way out: NAT gateways,
   * or NAT instances (cheaper, but each one a single point of failure for its subnets' egress).
   * `natGateways` counts either. Refused with `vpc`.
   *
   * @default NatType.GATEWAY
   */
  readonly natType?: NatType;

  /**
   * Instance type of each NAT instance. Only with `natType: NatType.INSTANCE`.
   *
   * @default - t4g.nano (Graviton)
   */
  readonly natInstanceType?: ec2.InstanceType;

  /**
   * Image of each NAT instance: an Amazon Linux 2023 image. Only with `natType: NatType.INSTANCE`.
   *
   * @default - the latest Amazon Linux 2023 image for the architecture of `natInstanceType`, read
   * from SSM Parameter Store at each stack update (a newer one replaces the instances)
   */
  readonly natMachineImage?: ec2.IMachineImage;

  /**
   * An S3 gateway endpoint in the VPC this construct creates, routed from its private subnets, so
   * that S3 traffic (ECR's image layers among it) skips NAT. Refused with `vpc`.
   *
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;

  /**
   * IP protocol of the VPC this construct creates. `DUAL_STACK` adds an Amazon-provided IPv6 /56,
   * a /64 in every subnet, a `::/0` route from the public subnets to the internet gateway and one
   * from the private subnets to an egress-only internet gateway; added to a VPC that had none, it
   * replaces nothing. Refused with `vpc`.
   *
   * @default ec2.IpProtocol.IPV4_ONLY
   */
  readonly ipProtocol?: ec2.IpProtocol;

  /**
   * How long the flow logs of a created VPC are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * What happens to the flow log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly flowLogRemovalPolicy?: RemovalPolicy;

  /**
   * KMS key that encrypts the flow log group. Its key policy must let CloudWatch Logs use it.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly flowLogEncryptionKey?: kms.IKey;

  /**
   * Let the tasks connect anywhere. Otherwise their security group allows outbound HTTPS 443
   * only, and the deployment adds the other ports its services need.
   *
   * @default false
   */
  readonly allowAllOutbound?: boolean;
}

/** The props' keys, from the API model, for a caller without a compiler. */
const PROPS_SHAPE = struct('FidoNetworkProps', { required: true });

/** Problems with a lone network's props, each naming its prop. */
function networkProblems(props: FidoNetworkProps): string[] {
  const problems = new ProblemList();
  sanitize(problems, '', props, PROPS_SHAPE);
  checkCreatedVpcOptions(problems, '', 'this construct', props, props.vpc !== undefined);
  return [...problems.all];
}

/**
 * The network of an Arculus FIDO deployment: the VPC and the two security groups the deployment
 * guide names, one for the load balancer and one for the ECS tasks.
 *
 * Both security groups start closed. The load balancer construct opens its listener ports to the
 * allowed clients, and attaching a service to a target group admits the service's container port
 * from the load balancer's security group only.
 */
export class FidoNetwork extends Construct {
  /** The VPC, created or given. */
  public readonly vpc: ec2.IVpc;

  /**
   * Log group of the flow logs (all traffic) of a created VPC.
   *
   * @default - none: the VPC was given, and its flow logs are its owner's
   */
  public readonly flowLogGroup?: logs.LogGroup;

  /** Security group of the load balancer. Its egress is limited to the targets it forwards to. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;

  /**
   * Security group of the PyFIDO and Tomcat tasks. Unless `allowAllOutbound` is on, its egress is
   * HTTPS 443 plus the ports the deployment adds.
   */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: FidoNetworkProps = {}) {
    super(scope, id);
    reportBlockProblems(this, 'FidoNetwork', networkProblems(props));

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      // aws-cdk-lib refuses the IPv6 subnet option in an IPv4-only VPC.
      const noIpv6OnLaunch = props.ipProtocol === ec2.IpProtocol.DUAL_STACK ? { ipv6AssignAddressOnCreation: false } : {};
      const natInstances = props.natType === NatType.INSTANCE ? natInstanceProvider(props.natInstanceType, props.natMachineImage) : undefined;
      const vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 2,
        ipProtocol: props.ipProtocol,
        natGateways: props.natGateways ?? 1,
        natGatewayProvider: natInstances,
        // The default security group admits all traffic between its members; nothing here uses
        // it, so its rules are removed (by a CDK custom resource).
        restrictDefaultSecurityGroup: true,
        subnetConfiguration: [
          // The load balancer and NAT gateways or instances get their own addresses: nothing
          // launched in a subnet gets a public IP by accident, IPv4 or (every IPv6 address is
          // public) IPv6. The load balancer takes its IPv6 addresses from the subnets' blocks anyway.
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false, ...noIpv6OnLaunch },
          { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22, ...noIpv6OnLaunch },
        ],
      });
      if (natInstances) {
        hardenNatInstances(vpc, natInstances);
      }
      if (props.s3GatewayEndpoint ?? true) {
        // Only the private subnets reach S3 through NAT; the public ones go out by the internet gateway.
        vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] });
      }
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
        retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: props.flowLogRemovalPolicy ?? RemovalPolicy.RETAIN,
        encryptionKey: props.flowLogEncryptionKey,
      });
      const flowLog = vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      this.vpc = vpc;
      for (const subnet of vpc.publicSubnets) {
        acknowledge(subnet, {
          'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW': 'A public subnet: it holds only the internet-facing load balancer and the NAT gateways or instances, which need the route to the internet gateway. The tasks run in private subnets without it.',
        });
      }
      acknowledge(flowLog.node.findChild('IAMRole'), {
        'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the flow log delivery role, scoped to its log group).`,
      });
      if (!props.flowLogEncryptionKey) {
        acknowledge(this.flowLogGroup, {
          'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.`,
        });
      }
    }

    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: 'Arculus FIDO load balancer: HTTPS listeners in, targets out',
      allowAllOutbound: false,
    });

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'Arculus FIDO tasks: container ports from the load balancer only',
      allowAllOutbound: props.allowAllOutbound ?? false,
    });
    // Image pulls from ECR, secrets from Secrets Manager, logs to CloudWatch: all HTTPS.
    this.serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (ECR, Secrets Manager, CloudWatch Logs)');
  }
}
