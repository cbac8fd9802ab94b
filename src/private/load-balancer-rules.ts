import { Token } from 'aws-cdk-lib';
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
 * Checks peers admitted to the IPv4-only load balancer (`network.allowedIngress`, a service's
 * `deployment.testIngress`): an IPv6 range would never match, and an IPv4 CIDR must be one EC2
 * takes. `who` names the clients in the fix, e.g. `clients'`.
 */
export function checkIngressPeers(problems: ProblemList, prop: string, peers: ec2.IPeer[], who: string): void {
  peers.forEach((peer, index) => {
    if (peer.canInlineRule && (peer.toIngressRuleConfig() as { cidrIpv6?: string }).cidrIpv6 !== undefined) {
      problems.add(`${prop}[${index}]`, `is the IPv6 range ${peer.uniqueId}, but the load balancer is IPv4-only and would never see it; give the ${who} IPv4 ranges`);
    }
    const cidrProblem = ipv4CidrProblem(peer);
    if (cidrProblem) {
      problems.add(`${prop}[${index}]`, cidrProblem);
    }
  });
}
