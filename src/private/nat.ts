import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { acknowledge } from './nag';

/** The NAT instance type without `natInstanceType`: Graviton, the smallest there is. */
export const DEFAULT_NAT_INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO);

/**
 * The NAT instances' provider: aws-cdk-lib's `instanceV2`, on the latest Amazon Linux 2023 image of
 * the instance type's architecture unless an image is given. The image is an SSM parameter resolved
 * at each stack update (not a context lookup), so the first update after a new image is published
 * replaces the instances. Each instance gets a public address to translate to (an Elastic IP
 * replaces it once `hardenNatInstances` has run); its security group starts with all outbound and
 * nothing inbound.
 */
export function natInstanceProvider(instanceType = DEFAULT_NAT_INSTANCE_TYPE, machineImage?: ec2.IMachineImage): ec2.NatInstanceProviderV2 {
  // Read only without an image: the architecture of a type given as a token is unknown.
  const cpuType = () => instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64;
  return ec2.NatProvider.instanceV2({
    instanceType,
    machineImage: machineImage ?? ec2.MachineImage.latestAmazonLinux2023({ cpuType: cpuType() }),
    associatePublicIpAddress: true,
    defaultAllowedTraffic: ec2.NatTrafficDirection.OUTBOUND_ONLY,
  });
}

/**
 * Completes the NAT instances `provider` made for `vpc`: TCP, UDP and ICMP (what a NAT gateway
 * forwards) admitted from the private subnets, the only ones routed to them, on every port, since
 * the tasks' own security group decides what leaves; IMDSv2 required; the root volume encrypted;
 * an Elastic IP each, which stays with the NAT across a replaced instance, so that an allow list of
 * egress addresses (MongoDB Atlas's, say) keeps working; and the rule packs' findings that remain,
 * acknowledged with their reasons.
 */
export function hardenNatInstances(vpc: ec2.Vpc, provider: ec2.NatInstanceProviderV2): void {
  for (const subnet of vpc.privateSubnets) {
    for (const port of [ec2.Port.allTcp(), ec2.Port.allUdp(), ec2.Port.allIcmp()]) {
      provider.securityGroup.addIngressRule(ec2.Peer.ipv4(subnet.ipv4CidrBlock), port, `Traffic to translate, from ${subnet.node.id}`);
    }
  }
  for (const instance of provider.gatewayInstances) {
    const cfn = instance.instance;
    cfn.metadataOptions = { httpTokens: 'required', httpEndpoint: 'enabled' };
    // Amazon Linux 2023's root device, at the image's own size (8 GiB).
    cfn.blockDeviceMappings = [{ deviceName: '/dev/xvda', ebs: { encrypted: true, volumeType: 'gp3', deleteOnTermination: true } }];
    new ec2.CfnEIP(instance.node.scope!, 'NatInstanceEip', { domain: 'vpc', instanceId: instance.instanceId });
    acknowledge(instance, {
      'AwsSolutions-EC28': 'A NAT instance: basic (5-minute) monitoring shows a stuck instance, and EC2 recovers it from a failed system status check on its own; detailed monitoring would cost about 2.10 USD a month, two thirds of a t4g.nano. Choose NAT gateways where egress must be watched closely.',
      'AwsSolutions-EC29': 'CloudFormation replaces the NAT instance when its image changes (the latest Amazon Linux 2023 by default) and deletes it with the stack: termination protection would make both fail. It holds no state, and its Elastic IP outlives it.',
      'NIST.800.53.R5-EC2InstanceNoPublicIp': "A NAT instance translates the private subnets' addresses to its public one: that address is its purpose. Its security group admits nothing from the internet, only the private subnets.",
      'NIST.800.53.R5-EC2InstancesInVPC': "It is in the VPC's public subnet, named by its network interface (NetworkInterfaces[0].SubnetId, as an instance with a public address must name it), which the rule does not read: it looks for the instance's own SubnetId.",
    });
  }
}
