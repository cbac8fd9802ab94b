/**
 * The benchmark's models: how long a zero-downtime rollout takes and what a deployment costs
 * each month, both read from a synthesized CloudFormation template. Prices are us-east-1 list
 * prices (USD) over 730 hours a month.
 */

/** Hours in the month the cost model bills. */
export const HOURS_PER_MONTH = 730;

/** us-east-1 list prices, in USD. */
export const PRICES = {
  /** Fargate, Linux x86_64, per vCPU-hour and GB-hour. */
  fargate: { vcpuHour: 0.04048, gbHour: 0.004445 },
  /** Fargate, Linux ARM64 (Graviton). */
  fargateArm: { vcpuHour: 0.03238, gbHour: 0.00356 },
  /** Fargate Spot, Linux x86_64. */
  fargateSpot: { vcpuHour: 0.01246008, gbHour: 0.0013684 },
  /** Fargate Spot, Linux ARM64. */
  fargateSpotArm: { vcpuHour: 0.00996872, gbHour: 0.00109472 },
  /** Application Load Balancer per hour, plus one LCU per hour. */
  albHour: 0.0225,
  lcuHour: 0.008,
  natGatewayHour: 0.045,
  publicIpv4Hour: 0.005,
  secretMonth: 0.4,
  kmsKeyMonth: 1,
  /** Interface VPC endpoint, per AZ (ENI) and hour. */
  interfaceEndpointAzHour: 0.01,
  /** DocumentDB instance-hours by class (standard storage configuration). */
  documentDbInstanceHour: { 'db.t4g.medium': 0.078, 'db.r6g.large': 0.277 } as Record<string, number>,
  /** AWS WAF: per web ACL and per rule (a managed rule group counts as one) a month. */
  wafWebAclMonth: 5,
  wafRuleMonth: 1,
  /**
   * CloudWatch standard-resolution metric alarm, per alarm metric a month: an alarm on one metric
   * is one; a metric math alarm is billed for each metric its expression reads.
   */
  alarmMetricMonth: 0.1,
  /** CloudWatch custom dashboard, a month. */
  dashboardMonth: 3,
  /**
   * EC2 on-demand Linux instance-hours by type, for NAT instances (aws.amazon.com/ec2/pricing/on-demand,
   * US East (N. Virginia)). CPU credits a T instance spends above its baseline in unlimited mode
   * (0.04 USD per vCPU-hour on T4g) depend on traffic and are left out.
   */
  ec2InstanceHour: { 't4g.nano': 0.0042, 't4g.micro': 0.0084, 't4g.small': 0.0168, 't3.nano': 0.0052, 't3.micro': 0.0104 } as Record<string, number>,
  /** EBS gp3 storage per GB-month, its baseline 3,000 IOPS and 125 MB/s included (aws.amazon.com/ebs/pricing). */
  ebsGp3GbMonth: 0.08,
  /** Gateway VPC endpoints (S3, DynamoDB): no charge (docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html). */
  gatewayEndpointMonth: 0,
  /**
   * Route 53 health checks of AWS endpoints, a month (aws.amazon.com/route53/pricing): each check,
   * and each optional feature it uses (HTTPS, the fast 10 s interval, string matching, latency
   * measurement). A calculated check has no feature.
   */
  healthCheckMonth: 0.5,
  healthCheckFeatureMonth: 1,
};

/**
 * The root volume of an instance whose template leaves its size to the image: Amazon Linux 2023's
 * 8 GiB, the NAT instances' image.
 */
export const DEFAULT_ROOT_VOLUME_GB = 8;

/** Seconds the rollout model allows for a Fargate task to be pulled and started. */
export const TASK_START_SECONDS = 60;

type Resources = Record<string, { Type: string; Properties?: any }>;

export function resourcesOf(template: any, type: string): Array<[string, any]> {
  return Object.entries(template.Resources as Resources).filter(([, r]) => r.Type === type);
}

function refId(value: any): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

/** The scaler of the service `serviceId` (its logical ID and resource), if it autoscales. */
export function scalableTargetOf(template: any, serviceId: string): [string, any] | undefined {
  return resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    .find(([, t]) => JSON.stringify(t.Properties.ResourceId).includes(`"${serviceId}"`));
}

/** A service's task count: `DesiredCount`, or the scaler's minimum when autoscaling left it out. */
export function desiredCountOf(template: any, serviceId: string, service: any): number {
  if (service.Properties.DesiredCount !== undefined) {
    return service.Properties.DesiredCount;
  }
  const target = scalableTargetOf(template, serviceId);
  return target ? target[1].Properties.MinCapacity : 1;
}

/** The deployment strategies of `DeploymentConfiguration.Strategy`; left out, ECS rolls. */
export type DeploymentStrategyName = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

const STRATEGIES: readonly DeploymentStrategyName[] = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'];

/** A service's deployment strategy; one the models do not know is refused rather than guessed. */
function strategyOf(serviceId: string, service: any): DeploymentStrategyName {
  const strategy = service.Properties.DeploymentConfiguration?.Strategy ?? 'ROLLING';
  if (!STRATEGIES.includes(strategy)) {
    throw new Error(`unknown deployment strategy '${strategy}' on ${serviceId}; the models know ${STRATEGIES.join(', ')}`);
  }
  return strategy;
}

/** How long a target of one target group takes to turn healthy, and to drain when it leaves. */
export interface TargetGroupTiming {
  /** Health check interval x healthy threshold. */
  readonly healthySeconds: number;
  readonly deregistrationDelaySeconds: number;
}

/** The timing of the target group `targetGroupArn` refers to, with CloudFormation's defaults (interval 30 s, threshold 5, delay 300 s). */
function targetGroupTiming(template: any, targetGroupArn: any): TargetGroupTiming {
  const targetGroup = template.Resources[refId(targetGroupArn) ?? '']?.Properties ?? {};
  const interval = targetGroup.HealthCheckIntervalSeconds ?? 30;
  const threshold = targetGroup.HealthyThresholdCount ?? 5;
  const delayAttribute = (targetGroup.TargetGroupAttributes ?? []).find((a: any) => a.Key === 'deregistration_delay.timeout_seconds');
  return { healthySeconds: interval * threshold, deregistrationDelaySeconds: delayAttribute ? Number(delayAttribute.Value) : 300 };
}

/**
 * Rounds of new tasks a rolling deployment starts: the tasks ECS may run above the healthy floor
 * at once, from the desired count and the healthy percents.
 */
function rollingBatches(desiredCount: number, minHealthyPercent: number, maxHealthyPercent: number): number {
  const floor = Math.ceil(desiredCount * minHealthyPercent / 100);
  const ceiling = Math.floor(desiredCount * maxHealthyPercent / 100);
  return Math.ceil(desiredCount / Math.max(1, ceiling - floor));
}

/** One batch of new tasks: started, then healthy in the load balancer. Green's whole scale-up is one. */
function batchSeconds(timing: TargetGroupTiming): number {
  return TASK_START_SECONDS + timing.healthySeconds;
}

/**
 * The rolling formula, for a rollout and for a rolling rollback alike: each batch of new tasks is
 * started and turns healthy before the next, then the last old tasks drain.
 */
function rollingSeconds(batches: number, timing: TargetGroupTiming): number {
  return batches * batchSeconds(timing) + timing.deregistrationDelaySeconds;
}

export interface Rollout {
  readonly service: string;
  readonly desiredCount: number;
  readonly minHealthyPercent: number;
  readonly maxHealthyPercent: number;
  /** Rounds of new tasks ECS starts: how many tasks it may run above the healthy floor at once. */
  readonly batches: number;
  /** Health check interval x healthy threshold: how long a new target takes to turn healthy. */
  readonly healthySeconds: number;
  readonly deregistrationDelaySeconds: number;
  /** batches x (task start + healthySeconds) + deregistration delay. */
  readonly seconds: number;
}

/**
 * Models the rolling deployment of every rolling ECS service in `template` (`Strategy` ROLLING or
 * left out): batches x (60 s task start + health check interval x healthy threshold) +
 * deregistration delay. CloudFormation's defaults apply where the template leaves a value out
 * (100% / 200%, interval 30 s, threshold 5, delay 300 s). Blue/green, linear and canary services
 * are left out: `blueGreenDeploymentsOf` models them.
 */
export function rolloutsOf(template: any): Rollout[] {
  return resourcesOf(template, 'AWS::ECS::Service')
    .filter(([id, service]) => strategyOf(id, service) === 'ROLLING')
    .map(([id, service]) => {
      const props = service.Properties;
      const desiredCount = desiredCountOf(template, id, service);
      const minHealthyPercent = props.DeploymentConfiguration?.MinimumHealthyPercent ?? 100;
      const maxHealthyPercent = props.DeploymentConfiguration?.MaximumPercent ?? 200;
      const batches = rollingBatches(desiredCount, minHealthyPercent, maxHealthyPercent);
      const timing = targetGroupTiming(template, props.LoadBalancers?.[0]?.TargetGroupArn);
      return {
        service: id,
        desiredCount,
        minHealthyPercent,
        maxHealthyPercent,
        batches,
        ...timing,
        seconds: rollingSeconds(batches, timing),
      };
    });
}

/**
 * The slowest rolling service's rollout: services roll out in parallel. A template without a
 * rolling service has no rollout to report, and is refused.
 */
export function rolloutSeconds(template: any): number {
  const rollouts = rolloutsOf(template);
  if (rollouts.length === 0) {
    throw new Error('the template has no rolling ECS service to model a rollout of');
  }
  return Math.max(...rollouts.map((r) => r.seconds));
}

/**
 * Requests one run of the library's test-traffic check makes: a few HTTPS requests through the
 * load balancer's test listener, to the new revision's tasks only.
 */
export const HOOK_REQUESTS = 3;

/** The check's bound on one request (connect, TLS, answer), in seconds. */
export const HOOK_REQUEST_TIMEOUT_SECONDS = 5;

/**
 * Seconds one invocation of the test-traffic hook takes: its requests, each at its timeout. A
 * passing check takes well under a second per request; the model counts the bound, so the time to
 * production traffic is not flattered by a fast check.
 */
export const HOOK_SECONDS = HOOK_REQUESTS * HOOK_REQUEST_TIMEOUT_SECONDS;

/**
 * Seconds one listener rule change takes: ECS moves traffic between the blue and green target
 * groups by changing the weights of the production (or test) listener rule, which the load
 * balancer applies within seconds. The rules of a service with two listeners change together.
 */
export const RULE_SHIFT_SECONDS = 5;

/** ECS's linear configuration when `LinearConfiguration` leaves a value out. */
export const ECS_LINEAR_DEFAULTS = { stepPercent: 10, stepBakeMinutes: 6 };

/** ECS's canary configuration when `CanaryConfiguration` leaves a value out. */
export const ECS_CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeMinutes: 10 };

/**
 * The lifecycle stages before production traffic moves: a hook at one of them delays production
 * traffic by its run, and when it fails, production traffic never moved.
 */
const STAGES_BEFORE_PRODUCTION_TRAFFIC = ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];

/**
 * The slower health check and the longer deregistration delay of the target groups `arns` refer
 * to (CloudFormation's defaults when there is none).
 */
export function slowestTiming(template: any, arns: any[]): TargetGroupTiming {
  const timings = arns.map((arn) => targetGroupTiming(template, arn));
  if (timings.length === 0) {
    return targetGroupTiming(template, undefined);
  }
  return {
    healthySeconds: Math.max(...timings.map((t) => t.healthySeconds)),
    deregistrationDelaySeconds: Math.max(...timings.map((t) => t.deregistrationDelaySeconds)),
  };
}

/**
 * Pauses of a production traffic shift: BLUE_GREEN moves all of it at once, LINEAR pauses for a
 * step bake after every step but the one that reaches 100% (ceil(100 / step) - 1 pauses, as
 * CloudFormation counts them), CANARY once, after the canary step.
 */
function shiftPauses(strategy: DeploymentStrategyName, configuration: any): { pauses: number; pauseMinutes: number } {
  if (strategy === 'LINEAR') {
    const linear = configuration.LinearConfiguration ?? {};
    const stepPercent = linear.StepPercent ?? ECS_LINEAR_DEFAULTS.stepPercent;
    return { pauses: Math.ceil(100 / stepPercent) - 1, pauseMinutes: linear.StepBakeTimeInMinutes ?? ECS_LINEAR_DEFAULTS.stepBakeMinutes };
  }
  if (strategy === 'CANARY') {
    return { pauses: 1, pauseMinutes: configuration.CanaryConfiguration?.CanaryBakeTimeInMinutes ?? ECS_CANARY_DEFAULTS.canaryBakeMinutes };
  }
  return { pauses: 0, pauseMinutes: 0 };
}

/**
 * Seconds until a sustained breach sets off the slowest of a service's deployment alarms: its
 * datapoints to alarm (or, when left out, its evaluation periods) x its period, the period of a
 * metric math alarm being its metrics' longest. Undefined when the service has no alarms that roll
 * a deployment back. The slowest, because each alarm watches its own failure: the figure bounds the
 * detection of a failure only one of them sees.
 */
function alarmDetectionSeconds(template: any, serviceId: string, alarms: any): number | undefined {
  if (!alarms?.Enable || !alarms.Rollback || !(alarms.AlarmNames?.length > 0)) {
    return undefined;
  }
  const byName = new Map(resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => [a.Properties.AlarmName, a.Properties]));
  return Math.max(...alarms.AlarmNames.map((name: string) => {
    const alarm = byName.get(name);
    if (!alarm) {
      throw new Error(`deployment alarm '${name}' of ${serviceId} is not in the template; the model reads its periods from there`);
    }
    const periods = Number(alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods);
    const period = alarm.Period !== undefined
      ? Number(alarm.Period)
      : Math.max(...(alarm.Metrics ?? []).map((m: any) => Number(m.MetricStat?.Period ?? m.Period ?? 0)));
    if (!(periods > 0) || !(period > 0)) {
      throw new Error(`deployment alarm '${name}' of ${serviceId} has no evaluation periods or period the model can read`);
    }
    return periods * period;
  }));
}

/**
 * What a rollback would take if the service rolled instead, from the same tasks, health checks and
 * alarms: the alarm goes off as it would during a blue/green bake (the circuit breaker catches
 * tasks that fail to start or turn healthy, which green's scale-up catches too before any traffic;
 * a revision that runs but fails its requests is the alarms' to catch), then ECS rolls the previous
 * revision out as it rolls any revision. The failed tasks take requests until the last batch of
 * the previous revision is healthy, and drain for the deregistration delay after.
 */
export interface RollingRollback {
  /** The alarm's evaluation, as for the blue/green rollback. */
  readonly detectionSeconds: number;
  readonly batches: number;
  /** batches x (task start + healthy) + deregistration delay: the previous revision rolled out again. */
  readonly redeploySeconds: number;
  /** detection + redeploy. */
  readonly seconds: number;
}

/** One blue/green, linear or canary deployment of a service, modeled from the template. */
export interface BlueGreenDeployment {
  readonly service: string;
  readonly strategy: DeploymentStrategyName;
  readonly desiredCount: number;
  /** All green tasks start at once: task start + the slowest target group's interval x healthy threshold. */
  readonly scaleUpSeconds: number;
  /** HOOK_SECONDS per hook invocation before production traffic moves; 0 without a hook. */
  readonly hookSeconds: number;
  /** scale-up + hook: when production traffic starts to move to green. */
  readonly timeToProductionTrafficSeconds: number;
  /** The pauses of the production traffic shift: 0 (BLUE_GREEN), the step bakes (LINEAR), the canary bake (CANARY). */
  readonly shiftSeconds: number;
  /** `BakeTimeInMinutes`: both revisions run, and the deployment alarms can still roll back. */
  readonly bakeSeconds: number;
  /** Blue scale-down: the slowest target group's deregistration delay. */
  readonly deregistrationDelaySeconds: number;
  /** time to production traffic + shift + bake + deregistration delay. */
  readonly totalSeconds: number;
  /** The same service rolled instead: batches x (task start + healthy) + deregistration delay, for comparison. */
  readonly rollingRolloutSeconds: number;
  /**
   * Seconds until all production traffic is back on blue after the hook fails: 0, as production
   * traffic never moved (ECS moves the test traffic back in one rule change and scales green
   * down). Undefined when no hook runs before production traffic moves.
   */
  readonly rollbackAfterHookSeconds: number | undefined;
  /** Alarm detection before the rollback; undefined without deployment alarms that roll back. */
  readonly alarmDetectionSeconds: number | undefined;
  /**
   * Seconds from a failure during the bake until all production traffic is back on blue: alarm
   * detection + RULE_SHIFT_SECONDS. Blue still runs, so no task has to start; green drains after.
   */
  readonly rollbackOnAlarmSeconds: number | undefined;
  /** The same failure on a rolling service with the same inputs, for comparison. */
  readonly rollingRollback: RollingRollback | undefined;
}

/**
 * Models the deployment of every blue/green, linear and canary ECS service in `template` (rolling
 * services are `rolloutsOf`'s): green scale-up (all tasks at once: task start + health check
 * interval x healthy threshold), the test-traffic hook, the production traffic shift, the bake,
 * then blue's deregistration delay; and the two rollbacks, after a failed hook and on an alarm
 * during the bake, beside a rolling rollback from the same inputs. The green tasks register in
 * whichever of a listener's two target groups is not serving, so the slower of both counts, over
 * every listener the service is behind. The listener rule changes on the way forward (test traffic
 * to green, each production step) take RULE_SHIFT_SECONDS each and are not counted: seconds against
 * minutes of bake. In the alarm rollback the one rule change is most of what follows detection, so
 * it is counted there.
 */
export function blueGreenDeploymentsOf(template: any): BlueGreenDeployment[] {
  return resourcesOf(template, 'AWS::ECS::Service')
    .map(([id, service]) => [id, service, strategyOf(id, service)] as const)
    .filter(([, , strategy]) => strategy !== 'ROLLING')
    .map(([id, service, strategy]) => {
      const props = service.Properties;
      const configuration = props.DeploymentConfiguration ?? {};
      const desiredCount = desiredCountOf(template, id, service);
      const timing = slowestTiming(template, (props.LoadBalancers ?? [])
        .flatMap((lb: any) => [lb.TargetGroupArn, lb.AdvancedConfiguration?.AlternateTargetGroupArn])
        .filter((arn: any) => arn !== undefined));
      if (configuration.BakeTimeInMinutes === undefined) {
        // CloudFormation documents no default within BakeTimeInMinutes' own range (0-1440).
        throw new Error(`${id} is ${strategy} without BakeTimeInMinutes; the model does not guess the bake time ECS would take`);
      }

      const hookInvocations = (configuration.LifecycleHooks ?? []).flatMap((hook: any) => hook.LifecycleStages ?? []).map((stage: string) => {
        if (!STAGES_BEFORE_PRODUCTION_TRAFFIC.includes(stage)) {
          throw new Error(`${id} has a lifecycle hook at ${stage}; the model places hooks before production traffic moves only (${STAGES_BEFORE_PRODUCTION_TRAFFIC.join(', ')})`);
        }
        return stage;
      }).length;
      const scaleUpSeconds = batchSeconds(timing);
      const hookSeconds = hookInvocations * HOOK_SECONDS;
      const timeToProductionTrafficSeconds = scaleUpSeconds + hookSeconds;
      const { pauses, pauseMinutes } = shiftPauses(strategy, configuration);
      const shiftSeconds = pauses * pauseMinutes * 60;
      const bakeSeconds = configuration.BakeTimeInMinutes * 60;

      const detection = alarmDetectionSeconds(template, id, configuration.Alarms);
      const batches = rollingBatches(desiredCount, configuration.MinimumHealthyPercent ?? 100, configuration.MaximumPercent ?? 200);
      const rollingRolloutSeconds = rollingSeconds(batches, timing);
      return {
        service: id,
        strategy,
        desiredCount,
        scaleUpSeconds,
        hookSeconds,
        timeToProductionTrafficSeconds,
        shiftSeconds,
        bakeSeconds,
        deregistrationDelaySeconds: timing.deregistrationDelaySeconds,
        totalSeconds: timeToProductionTrafficSeconds + shiftSeconds + bakeSeconds + timing.deregistrationDelaySeconds,
        rollingRolloutSeconds,
        rollbackAfterHookSeconds: hookInvocations > 0 ? 0 : undefined,
        alarmDetectionSeconds: detection,
        rollbackOnAlarmSeconds: detection === undefined ? undefined : detection + RULE_SHIFT_SECONDS,
        rollingRollback: detection === undefined
          ? undefined
          : { detectionSeconds: detection, batches, redeploySeconds: rollingRolloutSeconds, seconds: detection + rollingRolloutSeconds },
      };
    });
}

/** One row of the bench's table, as `npx projen bench` prints it (tools/bench/run.ts). */
export interface BenchRow {
  readonly figure: string;
  readonly value: string;
  readonly reference: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

/** The element of `items` with the highest `key`: services deploy and roll back in parallel, so the slowest counts. */
function slowest<T>(items: T[], key: (item: T) => number): T {
  return items.reduce((a, b) => (key(b) > key(a) ? b : a));
}

/**
 * The blue/green rows of the bench's table for one deployment (`label`, e.g. `prod`): the
 * deployment against the same services rolled; the rollback on a deployment alarm against a
 * rolling rollback on the same alarm; the rollback after a failed test-traffic check. Each figure
 * is the slowest service's, and a rollback row is left out when no service has its alarms or hook.
 * None when the template has no blue/green, linear or canary service (`rolloutSeconds` has its
 * rolling ones). No goals: the bench sets them where it calls this.
 */
export function blueGreenRows(template: any, label: string): BenchRow[] {
  const deployments = blueGreenDeploymentsOf(template);
  if (deployments.length === 0) {
    return [];
  }
  const rows: BenchRow[] = [];
  const deployment = slowest(deployments, (d) => d.totalSeconds);
  const strategies = [...new Set(deployments.map((d) => d.strategy))].join(', ');
  rows.push({
    figure: `Deployment, ${label} (modeled, ${strategies})`,
    value: `${deployment.totalSeconds} s (production traffic at ${deployment.timeToProductionTrafficSeconds} s, shift ${deployment.shiftSeconds} s, bake ${deployment.bakeSeconds} s, drain ${deployment.deregistrationDelaySeconds} s)`,
    reference: `${deployment.rollingRolloutSeconds} s rolling, same tasks and health checks`,
    goal: '-',
    met: undefined,
  });
  const onAlarm = deployments.filter((d) => d.rollbackOnAlarmSeconds !== undefined);
  if (onAlarm.length > 0) {
    const rollback = slowest(onAlarm, (d) => d.rollbackOnAlarmSeconds!);
    const rolling = slowest(onAlarm, (d) => d.rollingRollback!.seconds).rollingRollback!;
    rows.push({
      figure: `Rollback on a deployment alarm, ${label} (modeled)`,
      value: `${rollback.rollbackOnAlarmSeconds} s to all production traffic back (alarm ${rollback.alarmDetectionSeconds} s + rule change ${RULE_SHIFT_SECONDS} s)`,
      reference: `${rolling.seconds} s rolling (alarm ${rolling.detectionSeconds} s + previous revision rolled out ${rolling.redeploySeconds} s)`,
      goal: '-',
      met: undefined,
    });
  }
  const checked = deployments.filter((d) => d.rollbackAfterHookSeconds !== undefined);
  if (checked.length > 0) {
    const check = slowest(checked, (d) => d.timeToProductionTrafficSeconds);
    rows.push({
      figure: `Rollback after a failed test-traffic check, ${label} (modeled)`,
      value: `${check.rollbackAfterHookSeconds} s: production traffic never moved (check over ${check.timeToProductionTrafficSeconds} s in)`,
      reference: 'rolling: no check before production traffic',
      goal: '-',
      met: undefined,
    });
  }
  return rows;
}

export interface CostLine {
  readonly item: string;
  readonly usdPerMonth: number;
}

/**
 * The alarm metrics CloudWatch bills a standard-resolution metric alarm for: 1 for an alarm on one
 * metric, and for a metric math alarm each metric it reads (its `MetricStat` queries; the
 * expressions over them cost nothing of their own). An alarm billed otherwise is refused rather
 * than priced as standard: high resolution (a period under 60 s, 0.30 USD per alarm metric), a
 * Metrics Insights query, or an anomaly detection band.
 */
export function alarmMetricsOf(alarmId: string, alarm: any): number {
  const queries: any[] = alarm.Metrics ?? [];
  const periods = [alarm.Period, ...queries.map((q) => q.MetricStat?.Period ?? q.Period)].filter((p) => p !== undefined).map(Number);
  const refuse = (what: string) => {
    throw new Error(`alarm ${alarmId} is ${what}, which CloudWatch bills otherwise than a standard-resolution alarm metric; add its price to the model`);
  };
  if (periods.some((p) => p < 60)) {
    refuse('high resolution (a period under 60 s)');
  }
  if (queries.some((q) => /^\s*SELECT\b/i.test(q.Expression ?? ''))) {
    refuse('a Metrics Insights query');
  }
  if (alarm.ThresholdMetricId !== undefined || queries.some((q) => /ANOMALY_DETECTION_BAND/i.test(q.Expression ?? ''))) {
    refuse('an anomaly detection alarm');
  }
  return queries.length > 0 ? queries.filter((q) => q.MetricStat !== undefined).length : 1;
}

/**
 * CloudWatch alarms (per alarm metric) and dashboards (each), and the operations resources with no
 * standing cost, shown at 0 so that the table says they were considered: SNS topics (billed per
 * message delivered; alarm e-mails are a handful a month) and SSM Automation runbooks (billed per
 * step of each run, on demand; nothing while they are not run). CloudWatch's free tier (10 alarm
 * metrics and 3 dashboards per account) is not subtracted: it is the account's, shared with
 * whatever else runs there.
 */
function operationsCost(template: any): CostLine[] {
  const lines: CostLine[] = [];
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  if (alarms.length > 0) {
    const metrics = alarms.reduce((n, [id, alarm]) => n + alarmMetricsOf(id, alarm.Properties), 0);
    lines.push({ item: `CloudWatch alarm x${alarms.length} (${metrics} alarm metrics)`, usdPerMonth: metrics * PRICES.alarmMetricMonth });
  }
  const dashboards = resourcesOf(template, 'AWS::CloudWatch::Dashboard').length;
  if (dashboards > 0) {
    lines.push({ item: `CloudWatch dashboard x${dashboards}`, usdPerMonth: dashboards * PRICES.dashboardMonth });
  }
  const topics = resourcesOf(template, 'AWS::SNS::Topic').length;
  if (topics > 0) {
    lines.push({ item: `SNS topic x${topics} (per message only)`, usdPerMonth: 0 });
  }
  const runbooks = resourcesOf(template, 'AWS::SSM::Document').filter(([, d]) => d.Properties.DocumentType === 'Automation').length;
  if (runbooks > 0) {
    lines.push({ item: `SSM Automation runbook x${runbooks} (per step of a run only)`, usdPerMonth: 0 });
  }
  return lines;
}

/** Days a cron day-of-week field names: `MON-FRI` 5, `MON,WED` 2, `*` 7. */
export function cronDays(field: string): number {
  const days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
  const index = (day: string) => (/^\d$/.test(day) ? Number(day) - 1 : days.indexOf(day.toUpperCase()));
  if (field === '*' || field === '?') {
    return 7;
  }
  return field.split(',').reduce((n, part) => {
    const [from, to] = part.split('-');
    return n + (to === undefined ? 1 : index(to) - index(from) + 1);
  }, 0);
}

/**
 * The share of the week a service's tasks run: all of it, unless its scaler sleeps on a schedule
 * (a scheduled action to 0..0, office hours' end) and wakes on another on the same days.
 */
export function awakeShare(template: any, serviceId: string): number {
  const target = scalableTargetOf(template, serviceId);
  const actions: any[] = target?.[1].Properties.ScheduledActions ?? [];
  const cron = (action: any) => /^cron\((\d+) (\d+) \? \* (\S+) \*\)$/.exec(action?.Schedule ?? '');
  const sleep = cron(actions.find((a) => a.ScalableTargetAction?.MaxCapacity === 0));
  const wake = sleep && cron(actions.find((a) => a.ScalableTargetAction?.MaxCapacity > 0 && cron(a)?.[3] === sleep[3]));
  if (!sleep || !wake) {
    return 1;
  }
  const minutes = (match: RegExpExecArray) => Number(match[2]) * 60 + Number(match[1]);
  return (cronDays(sleep[3]) * (minutes(sleep) - minutes(wake))) / (7 * 24 * 60);
}

/**
 * EC2 instances (NAT instances): the hours of their type and their EBS volumes, gp3 only (an
 * instance type or volume type without a price is refused rather than guessed); a volume without a
 * size has the image's (`DEFAULT_ROOT_VOLUME_GB`). An instance with no volume in its template gets
 * the image's root volume all the same.
 */
function instanceCost(template: any): CostLine[] {
  return resourcesOf(template, 'AWS::EC2::Instance').flatMap(([id, instance]) => {
    const type = instance.Properties.InstanceType;
    const hourly = PRICES.ec2InstanceHour[type];
    if (hourly === undefined) {
      throw new Error(`no EC2 price for ${JSON.stringify(type)} (${id}); add it to PRICES`);
    }
    const volumes: any[] = (instance.Properties.BlockDeviceMappings ?? [{ Ebs: {} }]).filter((m: any) => m.Ebs);
    const gb = volumes.reduce((sum, m) => {
      if ((m.Ebs.VolumeType ?? 'gp3') !== 'gp3') {
        throw new Error(`no EBS price for ${m.Ebs.VolumeType} volumes (${id}); add it to PRICES`);
      }
      return sum + Number(m.Ebs.VolumeSize ?? DEFAULT_ROOT_VOLUME_GB);
    }, 0);
    return [
      { item: `EC2 instance ${type}`, usdPerMonth: hourly * HOURS_PER_MONTH },
      { item: `EBS gp3 ${gb} GB (${type})`, usdPerMonth: gb * PRICES.ebsGp3GbMonth },
    ];
  });
}

/**
 * Public IPv4 addresses: Elastic IPs, an instance's own public address unless an Elastic IP is
 * attached to it (the Elastic IP takes its place), and one per subnet of each load balancer.
 */
function publicAddresses(template: any): number {
  const eips = resourcesOf(template, 'AWS::EC2::EIP');
  const attached = new Set(eips.map(([, eip]) => refId(eip.Properties?.InstanceId)).filter((id) => id !== undefined));
  const hasOwnAddress = (instance: any) => (instance.Properties.NetworkInterfaces ?? []).some((n: any) => n.AssociatePublicIpAddress === true);
  const ownAddresses = resourcesOf(template, 'AWS::EC2::Instance').filter(([id, instance]) => !attached.has(id) && hasOwnAddress(instance)).length;
  const albAddresses = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').reduce((n, [, lb]) => n + (lb.Properties.Subnets?.length ?? 2), 0);
  return eips.length + ownAddresses + albAddresses;
}

function fargateCost(template: any): CostLine[] {
  return resourcesOf(template, 'AWS::ECS::Service').map(([id, service]) => {
    const props = service.Properties;
    const taskDefinition = template.Resources[refId(props.TaskDefinition)!].Properties;
    const tasks = desiredCountOf(template, id, service);
    const spot = (props.CapacityProviderStrategy ?? []).some((s: any) => s.CapacityProvider === 'FARGATE_SPOT');
    const arm = taskDefinition.RuntimePlatform?.CpuArchitecture === 'ARM64';
    const rate = spot ? (arm ? PRICES.fargateSpotArm : PRICES.fargateSpot) : (arm ? PRICES.fargateArm : PRICES.fargate);
    const vcpu = Number(taskDefinition.Cpu) / 1024;
    const gb = Number(taskDefinition.Memory) / 1024;
    const awake = awakeShare(template, id);
    const usd = tasks * (vcpu * rate.vcpuHour + gb * rate.gbHour) * HOURS_PER_MONTH * awake;
    const hours = awake < 1 ? `, ${(awake * 168).toFixed(0)} h a week` : '';
    return { item: `Fargate ${id} (${tasks} x ${vcpu} vCPU / ${gb} GB${spot ? ', Spot' : ''}${arm ? ', ARM64' : ''}${hours})`, usdPerMonth: usd };
  });
}

/**
 * Models the monthly cost of what `template` runs around the clock: Fargate tasks at their
 * desired (or minimum) count, load balancers with one LCU, NAT gateways, EC2 instances (NAT
 * instances) with their EBS volumes, public IPv4 addresses (Elastic IPs, instances' own, and one
 * per load balancer subnet), secrets, KMS keys, interface endpoints, gateway endpoints (at 0),
 * DocumentDB instances, WAF web ACLs, CloudWatch alarms (per alarm metric) and dashboards; SNS
 * topics and SSM Automation runbooks at 0 (`operationsCost`). Traffic-dependent charges are left
 * out (NAT processing per GB among them, which a gateway endpoint saves), and so are per-account
 * free tiers.
 */
export function monthlyCostOf(template: any): CostLine[] {
  const count = (type: string) => resourcesOf(template, type).length;
  const lines: CostLine[] = [...fargateCost(template)];
  const loadBalancers = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  lines.push({ item: `Application Load Balancer x${loadBalancers.length} (1 LCU)`, usdPerMonth: loadBalancers.length * (PRICES.albHour + PRICES.lcuHour) * HOURS_PER_MONTH });
  lines.push({ item: `NAT gateway x${count('AWS::EC2::NatGateway')}`, usdPerMonth: count('AWS::EC2::NatGateway') * PRICES.natGatewayHour * HOURS_PER_MONTH });
  lines.push(...instanceCost(template));
  const addresses = publicAddresses(template);
  lines.push({ item: `Public IPv4 address x${addresses}`, usdPerMonth: addresses * PRICES.publicIpv4Hour * HOURS_PER_MONTH });
  lines.push({ item: `Secrets Manager secret x${count('AWS::SecretsManager::Secret')}`, usdPerMonth: count('AWS::SecretsManager::Secret') * PRICES.secretMonth });
  // Secrets Manager prices each replica as a secret of its own.
  const replicas = resourcesOf(template, 'AWS::SecretsManager::Secret').reduce((n, [, s]) => n + (s.Properties?.ReplicaRegions?.length ?? 0), 0);
  if (replicas > 0) {
    lines.push({ item: `Secrets Manager replica x${replicas}`, usdPerMonth: replicas * PRICES.secretMonth });
  }
  if (count('AWS::KMS::Key') > 0) {
    lines.push({ item: `KMS key x${count('AWS::KMS::Key')}`, usdPerMonth: count('AWS::KMS::Key') * PRICES.kmsKeyMonth });
  }
  const endpointAzs = resourcesOf(template, 'AWS::EC2::VPCEndpoint')
    .filter(([, e]) => e.Properties.VpcEndpointType === 'Interface')
    .reduce((n, [, e]) => n + (e.Properties.SubnetIds?.length ?? 2), 0);
  if (endpointAzs > 0) {
    lines.push({ item: `Interface endpoint ENIs x${endpointAzs}`, usdPerMonth: endpointAzs * PRICES.interfaceEndpointAzHour * HOURS_PER_MONTH });
  }
  const gatewayEndpoints = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Gateway').length;
  if (gatewayEndpoints > 0) {
    lines.push({ item: `Gateway endpoint x${gatewayEndpoints} (no charge)`, usdPerMonth: gatewayEndpoints * PRICES.gatewayEndpointMonth });
  }
  for (const [id, instance] of resourcesOf(template, 'AWS::DocDB::DBInstance')) {
    const instanceClass = instance.Properties.DBInstanceClass;
    const hourly = PRICES.documentDbInstanceHour[instanceClass];
    if (hourly === undefined) {
      throw new Error(`no DocumentDB price for ${instanceClass} (${id}); add it to PRICES`);
    }
    lines.push({ item: `DocumentDB ${instanceClass}`, usdPerMonth: hourly * HOURS_PER_MONTH });
  }
  for (const [, webAcl] of resourcesOf(template, 'AWS::WAFv2::WebACL')) {
    const rules = webAcl.Properties.Rules?.length ?? 0;
    lines.push({ item: `WAF web ACL (${rules} rules)`, usdPerMonth: PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth });
  }
  lines.push(...operationsCost(template), ...healthCheckCost(template));
  return lines;
}

/** Route 53 health checks: each check, and each optional feature it uses. */
function healthCheckCost(template: any): CostLine[] {
  const checks = resourcesOf(template, 'AWS::Route53::HealthCheck').map(([, c]) => c.Properties.HealthCheckConfig);
  if (checks.length === 0) {
    return [];
  }
  const features = checks.reduce((n, c) => n
    + (/^HTTPS/.test(c.Type) ? 1 : 0)
    + (/STR_MATCH$/.test(c.Type) ? 1 : 0)
    + (c.RequestInterval === 10 ? 1 : 0)
    + (c.MeasureLatency ? 1 : 0), 0);
  return [{
    item: `Route 53 health check x${checks.length} (${features} optional features)`,
    usdPerMonth: checks.length * PRICES.healthCheckMonth + features * PRICES.healthCheckFeatureMonth,
  }];
}

/** The total of `monthlyCostOf`. */
export function monthlyCost(template: any): number {
  return monthlyCostOf(template).reduce((sum, line) => sum + line.usdPerMonth, 0);
}

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How many resources of each type `template` declares. */
export function resourceTypeCounts(template: any): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources as Resources)) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

/** One resource type whose count differs between the deployment and the baseline. */
export interface TypeDifference {
  readonly type: string;
  readonly deployment: number;
  readonly baseline: number;
  /** Resources the counts differ by. */
  readonly drift: number;
}

/** How far a baseline's resources are from the deployment's. */
export interface TopologyComparison {
  /** Every type whose counts differ, by type name. */
  readonly differences: TypeDifference[];
  /** Resources the two templates differ by. */
  readonly drift: number;
}

/** Compares the resource types of a deployment's template with a baseline's. */
export function compareTopology(deployment: any, baseline: any): TopologyComparison {
  const ours = resourceTypeCounts(deployment);
  const theirs = resourceTypeCounts(baseline);
  const differences = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort()
    .filter((type) => (ours[type] ?? 0) !== (theirs[type] ?? 0))
    .map((type) => {
      const drift = Math.abs((theirs[type] ?? 0) - (ours[type] ?? 0));
      return { type, deployment: ours[type] ?? 0, baseline: theirs[type] ?? 0, drift };
    });
  return { differences, drift: differences.reduce((sum, d) => sum + d.drift, 0) };
}

/**
 * What the scale-out model takes from CloudWatch and Application Auto Scaling. A target tracking
 * policy's high alarm needs three one-minute datapoints over the target; the step in traffic is
 * three times the load the tasks carried at the target.
 */
export const SCALE_OUT = { alarmSeconds: 3 * 60, step: 3 };

/** The metric a target tracking policy scales on, as the model tells them apart. */
export type ScalingSignal = 'cpu' | 'requests';

/** How a service scales out after the step, by the model. */
export interface ScaleOut {
  /** Scaling actions until the tasks carry the load, or until `maxCapacity` stops them. */
  readonly rounds: number;
  readonly seconds: number;
  readonly tasks: number;
  /** Tasks the step needs at the target: `step x` the tasks before it. */
  readonly needed: number;
}

/**
 * Models the time from a step in sign-in traffic (`SCALE_OUT.step` times what `tasks` carried at
 * `targetPercent`) until enough tasks serve it, or until `maxCapacity` stops the scaler. Each
 * round, the high alarm fires (`SCALE_OUT.alarmSeconds`) and the scaler asks for tasks x metric
 * / target; the new tasks start and turn healthy (`TASK_START_SECONDS + healthySeconds`) before
 * the load spreads and the next round's datapoints can show it. CPU stops at 100% however large
 * the step, so each round asks for at most 100 / target times the tasks; requests per target
 * rise with the load, so one round asks for all of it.
 */
export function scaleOut(signal: ScalingSignal, tasks: number, maxCapacity: number, targetPercent: number, healthySeconds: number): ScaleOut {
  const load = SCALE_OUT.step * tasks * targetPercent;
  const needed = Math.ceil(load / targetPercent);
  const roundSeconds = SCALE_OUT.alarmSeconds + TASK_START_SECONDS + healthySeconds;
  let running = tasks;
  let rounds = 0;
  while (load / running > targetPercent && running < maxCapacity) {
    const perTask = load / running;
    const metric = signal === 'cpu' ? Math.min(100, perTask) : perTask;
    running = Math.min(maxCapacity, Math.ceil(running * metric / targetPercent));
    rounds++;
  }
  return { rounds, seconds: rounds * roundSeconds, tasks: running, needed };
}

/** A service's scale-out by each signal, from its template: its tasks, bounds, CPU target and target group. */
export interface ServiceScaleOut {
  readonly service: string;
  readonly cpu: ScaleOut;
  readonly requests: ScaleOut;
}

/**
 * The scale-out of each autoscaled service of `template`, on CPU alone (as its CPU policy tracks)
 * and on requests per target at the same share of a task, with its bounds as given, or with
 * `maxCapacity` raised to what the step needs (`uncapped`).
 */
export function scaleOutsOf(template: any, uncapped = false): ServiceScaleOut[] {
  return resourcesOf(template, 'AWS::ECS::Service').flatMap(([serviceId, service]) => {
    const target = scalableTargetOf(template, serviceId);
    if (!target) {
      return [];
    }
    const cpuPolicy = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy')
      .map(([, p]) => p.Properties)
      .find((p) => refId(p.ScalingTargetId) === target[0]
        && p.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType === 'ECSServiceAverageCPUUtilization');
    const cpuTarget = cpuPolicy?.TargetTrackingScalingPolicyConfiguration.TargetValue ?? 70;
    const tasks = desiredCountOf(template, serviceId, service);
    const max = uncapped ? Math.max(target[1].Properties.MaxCapacity, SCALE_OUT.step * tasks) : target[1].Properties.MaxCapacity;
    const timing = slowestTiming(template, (service.Properties.LoadBalancers ?? []).map((lb: any) => lb.TargetGroupArn));
    return [{
      service: serviceId,
      cpu: scaleOut('cpu', tasks, max, cpuTarget, timing.healthySeconds),
      requests: scaleOut('requests', tasks, max, cpuTarget, timing.healthySeconds),
    }];
  });
}

/**
 * The scale-out rows of the bench's table for one preset's template (`label`, e.g. `prod`): the
 * slowest service after a 3x step, on requests per target against CPU alone, with the bounds
 * raised to what the step needs (the goal: under half of CPU's time) and with the preset's own.
 * None for a template without a scaler (dev).
 */
export function scaleOutRows(template: any, label: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const uncapped of [true, false]) {
    const services = scaleOutsOf(template, uncapped);
    if (services.length === 0) {
      return [];
    }
    const worst = (signal: ScalingSignal) => slowest(services, (s) => s[signal].seconds)[signal];
    const [requests, cpu] = [worst('requests'), worst('cpu')];
    const rounds = (s: ScaleOut) => `${s.rounds} round${s.rounds === 1 ? '' : 's'}${s.tasks < s.needed ? `, ${s.tasks} of the ${s.needed} tasks it needs` : ''}`;
    rows.push({
      figure: `Scale-out after a ${SCALE_OUT.step}x step, ${label}, ${uncapped ? 'maxCapacity at what it needs' : 'the preset\'s maxCapacity'} (modeled)`,
      value: `${requests.seconds} s on requests per target (${rounds(requests)})`,
      reference: `${cpu.seconds} s on CPU alone (${rounds(cpu)})`,
      goal: uncapped ? '< half of CPU\'s' : '-',
      met: uncapped ? requests.seconds < cpu.seconds / 2 : undefined,
    });
  }
  return rows;
}
