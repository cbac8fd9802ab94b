import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * Why a desync mitigation mode is refused, or `undefined` when it is acceptable. Shared by the
 * deployment's gathered validation and the standalone load balancer building block.
 */
export function desyncModeProblem(mode: elbv2.DesyncMitigationMode | undefined): string | undefined {
  return mode === elbv2.DesyncMitigationMode.MONITOR
    ? 'MONITOR lets request-smuggling attempts through to the targets; use DEFENSIVE (the default) or STRICTEST'
    : undefined;
}
