import { Token } from 'aws-cdk-lib';
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
