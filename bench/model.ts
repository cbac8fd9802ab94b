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
};

/** Seconds the rollout model allows for a Fargate task to be pulled and started. */
export const TASK_START_SECONDS = 60;

type Resources = Record<string, { Type: string; Properties?: any }>;

function resourcesOf(template: any, type: string): Array<[string, any]> {
  return Object.entries(template.Resources as Resources).filter(([, r]) => r.Type === type);
}

function refId(value: any): string | undefined {
  return value?.Ref ?? value?.['Fn::GetAtt']?.[0];
}

/** A service's task count: `DesiredCount`, or the scaler's minimum when autoscaling left it out. */
function desiredCountOf(template: any, serviceId: string, service: any): number {
  if (service.Properties.DesiredCount !== undefined) {
    return service.Properties.DesiredCount;
  }
  const target = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    .find(([, t]) => JSON.stringify(t.Properties.ResourceId).includes(`"${serviceId}"`));
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
interface TargetGroupTiming {
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

/**
 * The rolling formula, for a rollout and for a rolling rollback alike: each batch of new tasks is
 * started and turns healthy before the next, then the last old tasks drain.
 */
function rollingSeconds(batches: number, timing: TargetGroupTiming): number {
  return batches * (TASK_START_SECONDS + timing.healthySeconds) + timing.deregistrationDelaySeconds;
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
 * are left out: they do not deploy in batches.
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

export interface CostLine {
  readonly item: string;
  readonly usdPerMonth: number;
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
    const usd = tasks * (vcpu * rate.vcpuHour + gb * rate.gbHour) * HOURS_PER_MONTH;
    return { item: `Fargate ${id} (${tasks} x ${vcpu} vCPU / ${gb} GB${spot ? ', Spot' : ''}${arm ? ', ARM64' : ''})`, usdPerMonth: usd };
  });
}

/**
 * Models the monthly cost of what `template` runs around the clock: Fargate tasks at their
 * desired (or minimum) count, load balancers with one LCU, NAT gateways, public IPv4 addresses
 * (NAT gateways' and one per load balancer subnet), secrets, KMS keys, interface endpoints,
 * DocumentDB instances and WAF web ACLs. Traffic-dependent charges are left out.
 */
export function monthlyCostOf(template: any): CostLine[] {
  const count = (type: string) => resourcesOf(template, type).length;
  const lines: CostLine[] = [...fargateCost(template)];
  const loadBalancers = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  lines.push({ item: `Application Load Balancer x${loadBalancers.length} (1 LCU)`, usdPerMonth: loadBalancers.length * (PRICES.albHour + PRICES.lcuHour) * HOURS_PER_MONTH });
  lines.push({ item: `NAT gateway x${count('AWS::EC2::NatGateway')}`, usdPerMonth: count('AWS::EC2::NatGateway') * PRICES.natGatewayHour * HOURS_PER_MONTH });
  const albAddresses = loadBalancers.reduce((n, [, lb]) => n + (lb.Properties.Subnets?.length ?? 2), 0);
  const addresses = count('AWS::EC2::EIP') + albAddresses;
  lines.push({ item: `Public IPv4 address x${addresses}`, usdPerMonth: addresses * PRICES.publicIpv4Hour * HOURS_PER_MONTH });
  lines.push({ item: `Secrets Manager secret x${count('AWS::SecretsManager::Secret')}`, usdPerMonth: count('AWS::SecretsManager::Secret') * PRICES.secretMonth });
  if (count('AWS::KMS::Key') > 0) {
    lines.push({ item: `KMS key x${count('AWS::KMS::Key')}`, usdPerMonth: count('AWS::KMS::Key') * PRICES.kmsKeyMonth });
  }
  const endpointAzs = resourcesOf(template, 'AWS::EC2::VPCEndpoint')
    .filter(([, e]) => e.Properties.VpcEndpointType === 'Interface')
    .reduce((n, [, e]) => n + (e.Properties.SubnetIds?.length ?? 2), 0);
  if (endpointAzs > 0) {
    lines.push({ item: `Interface endpoint ENIs x${endpointAzs}`, usdPerMonth: endpointAzs * PRICES.interfaceEndpointAzHour * HOURS_PER_MONTH });
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
  return lines;
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
