/**
 * One target group of a production listener rule, its weight and its targets: what the rule sends
 * users to, as ECS last left it (or as CloudFormation re-applied it).
 */
export interface ProductionTarget {
  readonly ruleArn: string;
  readonly targetGroupArn: string;
  readonly weight: number;
  /** Targets registered and not draining. */
  readonly registered: number;
  /** Targets the load balancer counts healthy. */
  readonly healthy: number;
}

/** What the production check concluded: a reason to fail, or a note on why it passes. */
export interface ProductionVerdict {
  readonly ok: boolean;
  readonly reason: string;
}

/**
 * Whether ECS may start a revision, judged on the production rules as they are: every rule must
 * send its traffic somewhere, and never to an empty target group or to one without a healthy
 * target while another target group of the rule has one. That is the state CloudFormation leaves
 * when it re-applies a rule as the template declares it (the first target group at 100) after ECS
 * moved production to the other one: ECS does not look at the live weights before it shifts.
 *
 * Two states pass: no target registered in any target group (a service being created, or one at 0
 * tasks, where nothing serves yet), and a rule pointing at the only tasks there are though none is
 * healthy (the serving revision is down, and a new one is the way out).
 */
export function judgeProduction(ruleArns: string[], targets: ProductionTarget[]): ProductionVerdict {
  const missing = ruleArns.filter((arn) => !targets.some((t) => t.ruleArn === arn));
  if (missing.length > 0) {
    return { ok: false, reason: `no target group behind production rule ${missing.join(', ')}: the rule forwards nowhere, or is gone` };
  }
  if (targets.every((t) => t.registered === 0)) {
    return { ok: true, reason: 'no target registered in any production target group: nothing serves yet (a new service, or one at 0 tasks)' };
  }
  const problems: string[] = [];
  for (const ruleArn of ruleArns) {
    const groups = targets.filter((t) => t.ruleArn === ruleArn);
    const served = groups.filter((t) => t.weight > 0);
    if (served.length === 0) {
      problems.push(`production rule ${ruleArn} gives every target group weight 0`);
      continue;
    }
    const healthyElsewhere = groups.filter((t) => t.weight === 0 && t.healthy > 0);
    for (const group of served) {
      if (group.registered === 0) {
        problems.push(`production rule ${ruleArn} sends weight ${group.weight} to target group ${group.targetGroupArn}, which is empty`);
      } else if (group.healthy === 0 && healthyElsewhere.length > 0) {
        problems.push(`production rule ${ruleArn} sends weight ${group.weight} to target group ${group.targetGroupArn}, which has no healthy target, while ${healthyElsewhere.map((t) => t.targetGroupArn).join(', ')} has`);
      }
    }
  }
  if (problems.length > 0) {
    return {
      ok: false,
      reason: `${problems.join('; ')}. Production points away from the running tasks, which is what CloudFormation leaves when it re-applies a listener rule ECS had moved; set the rule's weights back to the target group with healthy targets (aws elbv2 modify-rule), then deploy again`,
    };
  }
  if (targets.some((t) => t.weight > 0 && t.healthy === 0)) {
    return { ok: true, reason: 'production points at the running tasks, but none is healthy: the serving revision is down, and a new one may replace it' };
  }
  return { ok: true, reason: 'every production rule sends its traffic to target groups with healthy targets' };
}
