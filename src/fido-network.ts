import * as ec2 from 'aws-cdk-lib/aws-ec2';
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

  /** Security group of the load balancer. Its egress is limited to the targets it forwards to. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;

  /** Security group of the PyFIDO and Tomcat tasks. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: FidoNetworkProps = {}) {
    super(scope, id);

    this.vpc = props.vpc ?? new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
    });

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
