import * as ec2 from 'aws-cdk-lib/aws-ec2';

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
