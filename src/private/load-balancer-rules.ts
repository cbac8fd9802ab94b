import { isIPv6 } from 'net';
import { CfnResource, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ProblemList, show } from './validation';

/**
 * Why a desync mitigation mode is refused, or `undefined` when it is acceptable. Shared by the
 * deployment's gathered validation and the standalone load balancer building block, as is the
 * prefix check below.
 */
export function desyncModeProblem(mode: elbv2.DesyncMitigationMode | undefined): string | undefined {
  return mode === elbv2.DesyncMitigationMode.MONITOR
    ? 'MONITOR lets request-smuggling attempts through to the targets; use DEFENSIVE (the default) or STRICTEST'
    : undefined;
}

/** Checks an S3 key prefix of ALB access logs. */
export function checkAccessLogsPrefix(problems: ProblemList, prop: string, prefix: string | undefined): void {
  if (prefix !== undefined && !Token.isUnresolved(prefix) && (prefix.startsWith('/') || prefix.endsWith('/') || /AWSLogs/i.test(prefix) || /\s/.test(prefix))) {
    problems.add(prop, `must be an S3 key prefix without leading or trailing '/', spaces or 'AWSLogs' (ALB adds that itself), such as 'alb', got ${show(prefix)}`);
  }
}

/**
 * Why a peer given as an IPv4 CIDR is refused, or `undefined` when it is acceptable (or not an
 * IPv4 CIDR, or a token). aws-cdk-lib checks only the shape ('10.0.0.0/33' passes) and EC2 refuses
 * the rule at deploy time. Host bits set ('10.0.0.1/24') are left alone: EC2 takes them.
 */
export function ipv4CidrProblem(peer: ec2.IPeer): string | undefined {
  const cidr = peer.canInlineRule ? (peer.toIngressRuleConfig() as { cidrIp?: unknown }).cidrIp : undefined;
  if (typeof cidr !== 'string' || Token.isUnresolved(cidr)) {
    return undefined;
  }
  const parts = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!parts || parts.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(parts[5]) <= 32) {
    return undefined;
  }
  return `must be an IPv4 CIDR EC2 accepts, with a prefix length from 0 to 32 and each octet from 0 to 255 (such as '203.0.113.0/24'), got ${show(cidr)}`;
}

/**
 * Why a peer given as an IPv6 CIDR is refused, or `undefined` when it is acceptable (or not an
 * IPv6 CIDR, or a token). aws-cdk-lib checks only the shape ('2001:db8::/129' and '2001:db8:::/48'
 * pass) and EC2 refuses the rule at deploy time.
 */
export function ipv6CidrProblem(peer: ec2.IPeer): string | undefined {
  const cidr = peer.canInlineRule ? (peer.toIngressRuleConfig() as { cidrIpv6?: unknown }).cidrIpv6 : undefined;
  if (typeof cidr !== 'string' || Token.isUnresolved(cidr)) {
    return undefined;
  }
  const parts = /^([0-9a-fA-F:.]+)\/(\d+)$/.exec(cidr);
  if (parts && isIPv6(parts[1]) && Number(parts[2]) <= 128) {
    return undefined;
  }
  return `must be an IPv6 CIDR EC2 accepts, with a prefix length from 0 to 128 (such as '2001:db8::/32'), got ${show(cidr)}`;
}

/** Whether a peer is an IPv6 range (`ec2.Peer.ipv6()`, `ec2.Peer.anyIpv6()`). */
export function isIpv6Peer(peer: ec2.IPeer): boolean {
  return peer.canInlineRule && (peer.toIngressRuleConfig() as { cidrIpv6?: string }).cidrIpv6 !== undefined;
}

/** The load balancer's IP address type as the ingress checks see it, and the prop that sets it. */
export interface AddressFamilies {
  /** Whether the load balancer is dual-stack, so that IPv6 peers can reach it. */
  readonly ipv6: boolean;
  /** The prop that sets the type, for the fix: `loadBalancer.ipAddressType`; none when the block cannot tell. */
  readonly typeProp?: string;
  /** Whether the user gave the type (else IPv4 is the default). */
  readonly typeGiven?: boolean;
}

/**
 * Why a load balancer's IP address type is refused, or `undefined`. Without a public IPv4 address
 * the endpoints are lost to IPv4-only clients, and to the tasks, whose egress is IPv4 through NAT.
 */
export function ipAddressTypeProblem(type: elbv2.IpAddressType | undefined): string | undefined {
  return type === elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4
    ? `DUAL_STACK_WITHOUT_PUBLIC_IPV4 leaves the endpoints without a public IPv4 address, so IPv4-only clients (and the tasks, which call https://<domainName>:5001 over IPv4 through NAT) could not reach them; use DUAL_STACK (IPv4 and IPv6) or IPV4, got ${show(type)}`
    : undefined;
}

/**
 * Checks peers admitted to the load balancer (`network.allowedIngress`, a service's
 * `deployment.testIngress`): an IPv6 range only on a dual-stack load balancer (an IPv4-only one
 * would never see it), and each CIDR one EC2 takes. `who` names the clients in the fix, e.g. `clients'`.
 */
export function checkIngressPeers(
  problems: ProblemList, prop: string, peers: ec2.IPeer[], who: string, families: AddressFamilies = { ipv6: false },
): void {
  peers.forEach((peer, index) => {
    if (isIpv6Peer(peer) && !families.ipv6) {
      const { typeProp } = families;
      problems.add(`${prop}[${index}]`, typeProp === undefined
        ? `is the IPv6 range ${peer.uniqueId}, but the load balancer is IPv4-only and would never see it; give the ${who} IPv4 ranges`
        : `is the IPv6 range ${peer.uniqueId}, but ${typeProp} is IPV4${families.typeGiven ? '' : ' (the default)'}, so no IPv6 client reaches the load balancer; set ${typeProp}: elbv2.IpAddressType.DUAL_STACK, or give the ${who} IPv4 ranges`);
    }
    const cidrProblem = ipv4CidrProblem(peer) ?? ipv6CidrProblem(peer);
    if (cidrProblem) {
      problems.add(`${prop}[${index}]`, cidrProblem);
    }
  });
}

/**
 * The selected subnets that have no IPv6 CIDR block, or `undefined` when that cannot be told at
 * synth: a subnet imported by ID or looked up says nothing of its IPv6 block. Only subnets created
 * in the app (`ec2.Vpc`, `ec2.Subnet`) tell.
 */
export function subnetsWithoutIpv6(vpc: ec2.IVpc, selection: ec2.SubnetSelection): ec2.ISubnet[] | undefined {
  let subnets: ec2.ISubnet[];
  try {
    subnets = vpc.selectSubnets(selection).subnets;
  } catch {
    // A selection that picks nothing is refused by the subnet checks.
    return [];
  }
  const missing: ec2.ISubnet[] = [];
  for (const subnet of subnets) {
    const resource = subnet.node.defaultChild;
    if (!resource || !CfnResource.isCfnResource(resource) || resource.cfnResourceType !== 'AWS::EC2::Subnet') {
      return undefined;
    }
    const cfn = resource as ec2.CfnSubnet;
    if (cfn.ipv6CidrBlock === undefined && cfn.ipv6IpamPoolId === undefined && !cfn.ipv6Native) {
      missing.push(subnet);
    }
  }
  return missing;
}

/** Subnets as a message names them: their construct paths, joined with 'and'. */
export function subnetNames(subnets: ec2.ISubnet[]): string {
  const names = subnets.map((s) => `'${s.node.path}'`);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Checks that the load balancer's subnets have IPv6 when it is dual-stack, where the VPC tells:
 * `vpcProp` names the VPC, `typeProp` the address type. Returns whether it could tell.
 */
export function checkIpv6Subnets(problems: ProblemList, vpcProp: string, typeProp: string, vpc: ec2.IVpc, selection: ec2.SubnetSelection): boolean {
  const missing = subnetsWithoutIpv6(vpc, selection);
  if (missing && missing.length > 0) {
    problems.add(vpcProp, `has no IPv6 CIDR block in the load balancer's subnet${missing.length === 1 ? '' : 's'} ${subnetNames(missing)}, but ${typeProp} is DUAL_STACK; create the VPC with ipProtocol: ec2.IpProtocol.DUAL_STACK (its subnets get /64s, nothing is replaced), or leave ipAddressType out`);
  }
  return missing !== undefined;
}
