/**
 * The failover model of a two-region pair (`ArculusFidoRegionPair`), read from its two templates:
 * how long sign-in is down when the primary region fails (the recovery time objective), and what
 * the second region adds to the monthly bill.
 */
import { BenchRow, desiredCountOf, monthlyCost, resourcesOf, scalableTargetOf, slowestTiming, TASK_START_SECONDS } from './model';

/**
 * Seconds a resolver may keep an answer of the failover record: an alias of a load balancer is
 * answered with the load balancer's own TTL, 60 s.
 */
export const ALB_ALIAS_TTL_SECONDS = 60;

/** The goal: a warm standby serves within this many seconds of the primary's failure. */
export const WARM_STANDBY_RTO_GOAL_SECONDS = 180;

/**
 * A DocumentDB global cluster's managed failover promotes a secondary to writer "in less than one
 * minute" (Amazon DocumentDB global clusters: a typical RTO of under a minute).
 */
export const DOCUMENTDB_PROMOTION_SECONDS = 60;

/**
 * The writes a DocumentDB global cluster can lose in a failover: its replication lag, "typically
 * under a second" (the developer guide), which its GlobalClusterReplicationLag metric measures.
 */
export const DOCUMENTDB_REPLICATION_LAG_SECONDS = 1;

/** The parts of a failover, in seconds. */
export interface Failover {
  /** Until Route 53 calls the primary down: the slowest endpoint check's interval x failure threshold. */
  readonly detectionSeconds: number;
  /**
   * Until the secondary passes its own checks, for a pilot light (no task running): its tasks
   * start, pass the target group's health check, then Route 53's checks (interval x threshold).
   * 0 for a warm standby, which passes them all along.
   */
  readonly scaleUpSeconds: number;
  /**
   * Until the secondary's database writes: a DocumentDB global cluster's promotion, which the
   * Failover runbook starts. 0 for a database that fails over on its own or by its owner's hand.
   */
  readonly promotionSeconds: number;
  /** Until resolvers drop the primary's answer: the alias's TTL. */
  readonly dnsSeconds: number;
  /** The sum: from the primary's failure until every client reaches the secondary, which writes. */
  readonly rtoSeconds: number;
  /**
   * The writes the failover may lose, in seconds of them: a DocumentDB global cluster's
   * replication lag; none modeled for a database replicated by its owner (Atlas, self-managed).
   */
  readonly rpoSeconds?: number;
}

/** Whether `template` holds a secondary cluster of a DocumentDB global cluster. */
function joinsGlobalCluster(template: any): boolean {
  return resourcesOf(template, 'AWS::DocDB::DBCluster').some(([, c]) => c.Properties.GlobalClusterIdentifier !== undefined);
}

/** Interval x failure threshold of the slowest HTTPS check in `template`: how long Route 53 takes to change its mind. */
function checkSeconds(template: any): number {
  const checks = resourcesOf(template, 'AWS::Route53::HealthCheck')
    .map(([, c]) => c.Properties.HealthCheckConfig)
    .filter((c) => c.Type !== 'CALCULATED');
  if (checks.length === 0) {
    throw new Error('no Route 53 endpoint health check in the template: not a failover pair\'s region');
  }
  return Math.max(...checks.map((c) => (c.RequestInterval ?? 30) * (c.FailureThreshold ?? 3)));
}

/** Whether a service of `template` runs no task while standing by (pilot light). */
function standsByAtZero(template: any): boolean {
  return resourcesOf(template, 'AWS::ECS::Service').some(([id, service]) => {
    const target = scalableTargetOf(template, id);
    return (target ? target[1].Properties.MinCapacity : desiredCountOf(template, id, service)) === 0;
  });
}

/**
 * The failover of the pair whose stacks synthesized `primary` and `secondary`: the primary's
 * checks find it down; on DocumentDB the Failover runbook promotes the secondary's cluster; a
 * pilot light then starts its tasks (the runbook run by the on-call, whose reaction time is not
 * modeled) and passes its checks; then resolvers drop the primary's answer.
 */
export function failoverOf(primary: any, secondary: any): Failover {
  const detectionSeconds = checkSeconds(primary);
  const targetGroupsHealthy = Math.max(...resourcesOf(secondary, 'AWS::ECS::Service')
    .map(([, s]) => slowestTiming(secondary, (s.Properties.LoadBalancers ?? []).map((lb: any) => lb.TargetGroupArn)).healthySeconds));
  const scaleUpSeconds = standsByAtZero(secondary) ? TASK_START_SECONDS + targetGroupsHealthy + checkSeconds(secondary) : 0;
  const dnsSeconds = ALB_ALIAS_TTL_SECONDS;
  const documentDb = joinsGlobalCluster(secondary);
  const promotionSeconds = documentDb ? DOCUMENTDB_PROMOTION_SECONDS : 0;
  return {
    detectionSeconds,
    scaleUpSeconds,
    promotionSeconds,
    dnsSeconds,
    rtoSeconds: detectionSeconds + promotionSeconds + scaleUpSeconds + dnsSeconds,
    ...(documentDb ? { rpoSeconds: DOCUMENTDB_REPLICATION_LAG_SECONDS } : {}),
  };
}

/**
 * The bench's rows for one pair (`label`, e.g. `warm standby`): its recovery time, parts named,
 * and the monthly cost the pair adds to the single deployment (`single`, the same prod preset in
 * one region, whose template has no checks).
 */
export function failoverRows(label: string, pair: { primary: any; secondary: any; keys?: any }, single: any, goalSeconds?: number): BenchRow[] {
  const failover = failoverOf(pair.primary, pair.secondary);
  const parts = [
    `detection ${failover.detectionSeconds} s`,
    ...(failover.promotionSeconds ? [`DocumentDB promotion ${failover.promotionSeconds} s`] : []),
    ...(failover.scaleUpSeconds ? [`scale-up ${failover.scaleUpSeconds} s`] : []),
    `DNS TTL ${failover.dnsSeconds} s`,
  ];
  // The secondary's key stack, where the deployment has keys of its own, holds one key.
  const extra = monthlyCost(pair.primary) + monthlyCost(pair.secondary) + (pair.keys ? monthlyCost(pair.keys) : 0) - monthlyCost(single);
  return [{
    figure: `Failover RTO, prod pair, ${label} (modeled)`,
    value: `${failover.rtoSeconds} s`,
    reference: parts.join(' + '),
    goal: goalSeconds === undefined ? '-' : `< ${goalSeconds} s`,
    met: goalSeconds === undefined ? undefined : failover.rtoSeconds < goalSeconds,
  }, ...(failover.rpoSeconds === undefined ? [] : [{
    figure: `Failover RPO, prod pair, ${label} (modeled)`,
    value: `${failover.rpoSeconds} s`,
    reference: 'DocumentDB global cluster replication lag, typically under a second',
    goal: '-',
    met: undefined,
  }]), {
    figure: `Failover extra cost, prod pair, ${label} (modeled)`,
    value: `${extra.toFixed(2)} USD a month`,
    reference: `${monthlyCost(single).toFixed(2)} USD: prod in one region`,
    goal: '-',
    met: undefined,
  }];
}
