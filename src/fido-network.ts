import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

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
   * NAT gateways of the VPC this construct creates. Ignored when `vpc` is given.
   *
   * @default 1
   */
  readonly natGateways?: number;

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

  /** Security group of the PyFIDO and Tomcat tasks. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: FidoNetworkProps = {}) {
    super(scope, id);

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: props.natGateways ?? 1,
        subnetConfiguration: [
          { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
          { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        ],
      });
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
        retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: props.flowLogRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      vpc.addFlowLog('FlowLog', {
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      this.vpc = vpc;
    }

    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: this.vpc,
      description: 'Arculus FIDO load balancer: HTTPS listeners in, targets out',
      allowAllOutbound: false,
    });

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'Arculus FIDO tasks: container ports from the load balancer only',
      allowAllOutbound: true,
    });
  }
}
