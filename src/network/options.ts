import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * What translates the addresses of a created VPC's private subnets for the internet.
 */
export enum NatType {
  /**
   * Managed NAT gateways: highly available within their AZ, scale on their own, billed per hour
   * (0.045 USD in us-east-1) and per GB processed, plus their Elastic IP.
   */
  GATEWAY = 'gateway',
  /**
   * NAT instances (`ec2.NatProvider.instanceV2`): one EC2 instance per NAT, with an Elastic IP
   * that stays across its replacement. About a tenth of a NAT gateway's price and no charge per
   * GB, but each instance is a single point of failure for its subnets' egress, and its type
   * bounds the bandwidth.
   */
  INSTANCE = 'instance',
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
   * Whether the VPC given in `vpc` has IPv6 (`IpProtocol.DUAL_STACK`): an IPv6 CIDR block in its
   * public subnets and a `::/0` route to its internet gateway, which a dual-stack load balancer
   * (`loadBalancer.ipAddressType: DUAL_STACK`) needs. An imported or looked-up VPC does not tell
   * at synth, so say it here; a VPC created in the app with `ipProtocol` tells by itself. Only
   * with `vpc` and a dual-stack load balancer.
   *
   * @default - read from a VPC created in the app; `IpProtocol.IPV4_ONLY` for an imported one
   */
  readonly vpcIpProtocol?: ec2.IpProtocol;

  /**
   * Clients admitted to the load balancer's ports 443, 5001 and 8080: IPv4 ranges, and IPv6 ones
   * (`ec2.Peer.ipv6(...)`) when `loadBalancer.ipAddressType` is `DUAL_STACK`.
   *
   * @default [ec2.Peer.anyIpv4()] (0.0.0.0/0, as the deployment guide), and ec2.Peer.anyIpv6()
   * (::/0) beside it with a dual-stack load balancer
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
   * What gives the private subnets of a VPC the construct creates their way out: managed NAT
   * gateways, or NAT instances (one small EC2 instance per NAT with an Elastic IP, about a tenth
   * of the price and no charge per GB, but each a single point of failure for egress that a newer
   * image replaces: see "NAT instances" in docs/operations.md). `natGateways` counts either.
   * Refused with `vpc`; a value known at synth, since it decides the template's resources.
   *
   * @default NatType.GATEWAY
   */
  readonly natType?: NatType;

  /**
   * Instance type of each NAT instance. Only with `natType: NatType.INSTANCE`. A value known at
   * synth: the default image's architecture follows it.
   *
   * @default - t4g.nano (Graviton, 2 vCPU, 0.5 GiB)
   */
  readonly natInstanceType?: ec2.InstanceType;

  /**
   * Image of each NAT instance: an Amazon Linux 2023 image (its user data installs iptables with
   * dnf), of the instance type's architecture. Only with `natType: NatType.INSTANCE`. The default
   * is read from SSM Parameter Store at each stack update, so the first update after Amazon Linux
   * publishes a new image replaces the NAT instances; pin one to replace them only when you
   * choose: `ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64,
   * cachedInContext: true })` (kept in cdk.context.json) or `ec2.MachineImage.genericLinux({...})`.
   *
   * @default - the latest Amazon Linux 2023 image for the architecture of `natInstanceType`
   */
  readonly natMachineImage?: ec2.IMachineImage;

  /**
   * An S3 gateway endpoint in a VPC the construct creates, routed from its private subnets: image
   * layers that ECR serves from S3 and the tasks' other S3 requests in the region skip NAT (no
   * NAT data processing). Gateway endpoints are free. Requests through it no longer come from the
   * NAT's public address: an S3 bucket policy that admits that address (`aws:SourceIp`) must admit
   * the endpoint (`aws:SourceVpce`) instead. Refused with `vpc`: add endpoints to your own VPC.
   *
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;

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
