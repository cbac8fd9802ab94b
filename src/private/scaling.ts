import { Lazy, Names, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { shiftsTraffic } from './deployment-strategy';
import type { ResolvedSizing } from './presets';
import { ProblemList, show } from './validation';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import type { OfficeHours, ScheduledCapacity, ServiceSizing } from '../service/options';

/** A scheduled action's name: the one given, or its place in the list. */
export function scheduleName(schedule: ScheduledCapacity, index: number): string {
  return schedule.name ?? `Schedule${index + 1}`;
}

/**
 * The service's scaler and its policies: target tracking on CPU (always), on memory and on
 * requests per target where asked (the scaler scales out when any policy asks, and in only when
 * all allow), scheduled bounds, and predictive scaling on CPU where asked.
 *
 * `targetGroup` is attached to its listener after the service is made: the policy on requests
 * names it by the load balancer, read when the template is written.
 */
export function addScaling(service: ecs.FargateService, sizing: ResolvedSizing, targetGroup: elbv2.ApplicationTargetGroup): ecs.ScalableTaskCount {
  const count = service.autoScaleTaskCount({ minCapacity: sizing.minCapacity, maxCapacity: sizing.maxCapacity });
  const pace = { scaleInCooldown: sizing.scaleInCooldown, scaleOutCooldown: sizing.scaleOutCooldown };
  count.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: sizing.targetCpuUtilizationPercent, ...pace });
  if (sizing.targetMemoryUtilizationPercent !== undefined) {
    count.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: sizing.targetMemoryUtilizationPercent, ...pace });
  }
  if (sizing.targetRequestsPerTarget !== undefined) {
    count.scaleOnRequestCount('RequestScaling', { requestsPerTarget: sizing.targetRequestsPerTarget, targetGroup: attachedLater(targetGroup), ...pace });
  }
  (sizing.schedules ?? []).forEach((schedule, index) => {
    count.scaleOnSchedule(scheduleName(schedule, index), {
      schedule: schedule.schedule,
      timeZone: schedule.timeZone,
      minCapacity: schedule.minCapacity,
      maxCapacity: schedule.maxCapacity,
    });
  });
  if (sizing.predictiveScaling !== undefined) {
    const target = count.scalableTargetRef;
    const policy = new appscaling.CfnScalingPolicy(count, 'PredictiveScaling', {
      // Named as aws-cdk-lib names the target tracking policies beside it.
      policyName: `${Names.uniqueId(count)}PredictiveScaling`,
      policyType: 'PredictiveScaling',
      serviceNamespace: target.serviceNamespace,
      resourceId: target.resourceId,
      scalableDimension: target.scalableDimension,
      predictiveScalingPolicyConfiguration: {
        mode: sizing.predictiveScaling,
        // Tasks start a few minutes ahead of the forecast peak, and never beyond maxCapacity.
        schedulingBufferTime: 300,
        maxCapacityBreachBehavior: 'HonorMaxCapacity',
        metricSpecifications: [{
          targetValue: sizing.targetCpuUtilizationPercent,
          predefinedMetricPairSpecification: { predefinedMetricType: 'ECSServiceCPUUtilization' },
        }],
      },
    });
    policy.node.addDependency(count);
  }
  return count;
}

/**
 * `targetGroup` as the policy on requests reads it: its load balancer's name when the template is
 * written, by which time a listener forwards to it (else the service reports that at synth).
 */
function attachedLater(targetGroup: elbv2.ApplicationTargetGroup): elbv2.ApplicationTargetGroup {
  const read: Pick<elbv2.ApplicationTargetGroup, 'firstLoadBalancerFullName' | 'targetGroupFullName'> = {
    // Read before validation too (references are resolved first): an unattached group is reported there.
    firstLoadBalancerFullName: Lazy.string({ produce: () => (attachedToLoadBalancer(targetGroup) ? targetGroup.firstLoadBalancerFullName : 'unattached') }),
    targetGroupFullName: targetGroup.targetGroupFullName,
  };
  // scaleOnRequestCount reads these two, and nothing else, of the group.
  return read as unknown as elbv2.ApplicationTargetGroup;
}

const SCHEDULE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = '(MON|TUE|WED|THU|FRI|SAT|SUN|[1-7])';
const WEEK_DAYS = new RegExp(`^(\\*|\\?|${DAY}(-${DAY})?(,${DAY}(-${DAY})?)*)$`, 'i');
/** The names of the office hours' two scheduled actions. */
export const OFFICE_HOURS_SLEEP = 'OfficeHoursSleep';
export const OFFICE_HOURS_WAKE = 'OfficeHoursWake';

/**
 * Checks the scaling props of one service (`prop` is `sizing.pyFido`, say) beside its resolved
 * sizing; `reserved` are names its schedules must leave to others (office hours' own).
 */
export function checkScaling(
  problems: ProblemList, prop: string, sizing: ResolvedSizing, given: ServiceSizing, reserved: readonly string[] = [],
): void {
  problems.integerInRange(`${prop}.targetMemoryUtilizationPercent`, given.targetMemoryUtilizationPercent, 10, 90);
  problems.wholeCount(`${prop}.targetRequestsPerTarget`, given.targetRequestsPerTarget, 1, 'requests per task per minute');
  problems.secondsInRange(`${prop}.scaleOutCooldown`, given.scaleOutCooldown, 0, 3600);
  problems.secondsInRange(`${prop}.scaleInCooldown`, given.scaleInCooldown, 0, 3600);
  const names = new Set<string>(reserved);
  (sizing.schedules ?? []).forEach((schedule, index) => {
    const at = `${prop}.schedules[${index}]`;
    const name = scheduleName(schedule, index);
    if (!SCHEDULE_NAME.test(name)) {
      problems.add(`${at}.name`, `must be 1 to 64 letters, digits, '-' and '_', got ${show(name)}`);
    } else if (names.has(name)) {
      problems.add(`${at}.name`, `${show(name)} names another scheduled action of the service; give each its own name`);
    }
    names.add(name);
    checkScheduledBounds(problems, at, schedule, sizing.maxCapacity);
  });
}

/** A schedule's bounds: whole numbers, at least one given, the fewest no more than the most it allows. */
function checkScheduledBounds(problems: ProblemList, at: string, schedule: ScheduledCapacity, maxCapacity: number): void {
  const { minCapacity: min, maxCapacity: max } = schedule;
  if (min === undefined && max === undefined) {
    problems.add(at, 'must give minCapacity, maxCapacity or both: a schedule sets the scaler\'s bounds');
    return;
  }
  const minKnown = problems.wholeTasks(`${at}.minCapacity`, min, 0);
  const maxKnown = problems.wholeTasks(`${at}.maxCapacity`, max, 0);
  const ceiling = max ?? maxCapacity;
  if (minKnown && (max === undefined ? !Token.isUnresolved(maxCapacity) : maxKnown) && min! > ceiling) {
    problems.add(`${at}.minCapacity`, `must not exceed ${max === undefined ? 'the service\'s maxCapacity' : 'the schedule\'s maxCapacity'} (${ceiling}), got ${min}; raise maxCapacity${max === undefined ? ' in the schedule' : ''} or lower minCapacity`);
  }
}

/** The scheduled actions office hours give a service, from its resolved sizing. */
export type OfficeHoursSchedules = (sizing: ResolvedSizing) => ScheduledCapacity[];

/** The names office hours give their scheduled actions, which a service's own must leave to them. */
export function officeHoursNames(hours: OfficeHours | undefined): string[] {
  return hours ? [OFFICE_HOURS_SLEEP, OFFICE_HOURS_WAKE] : [];
}

/**
 * Checks office hours (as `sizing.officeHours`) once for both services, and returns what makes
 * each service's two scheduled actions: to zero tasks at `end`, and back to its bounds
 * `wakeAhead` before `start`, on the same days.
 */
export function officeHoursSchedules(
  problems: ProblemList, hours: OfficeHours | undefined, environment: DeploymentEnvironment | undefined,
): OfficeHoursSchedules {
  const prop = 'sizing.officeHours';
  if (hours === undefined) {
    return () => [];
  }
  if (environment === DeploymentEnvironment.PROD) {
    problems.addUnlessAbout(prop, 'scales the services to zero outside the hours, and a FIDO2 server that sleeps refuses sign-ins: prod runs around the clock; use officeHours in dev or staging');
    return () => [];
  }
  const clock = (key: 'start' | 'end') => {
    const value = hours[key];
    if (Token.isUnresolved(value)) {
      problems.refuseToken(`${prop}.${key}`, value, 'it is written into the scheduled actions\' cron expressions at synth');
      return undefined;
    }
    const match = CLOCK.exec(value ?? '');
    if (!match) {
      problems.addUnlessAbout(`${prop}.${key}`, `must be a time of day as HH:MM on a 24-hour clock, such as '08:00', got ${show(value)}`);
      return undefined;
    }
    return Number(match[1]) * 60 + Number(match[2]);
  };
  const start = clock('start');
  const end = clock('end');
  const weekDays = hours.weekDays ?? 'MON-FRI';
  if (Token.isUnresolved(weekDays) || !WEEK_DAYS.test(weekDays)) {
    problems.add(`${prop}.weekDays`, `must be a cron day-of-week field such as 'MON-FRI', 'MON,WED,FRI' or '*', got ${show(weekDays)}`);
  }
  problems.secondsInRange(`${prop}.wakeAhead`, hours.wakeAhead, 0, 3600);
  const wakeAhead = hours.wakeAhead?.isUnresolved() ? 0 : Math.round((hours.wakeAhead?.toSeconds() ?? 15 * 60) / 60);
  if (hours.wakeAhead !== undefined && !hours.wakeAhead.isUnresolved() && hours.wakeAhead.toSeconds() % 60 !== 0) {
    problems.addUnlessAbout(`${prop}.wakeAhead`, `must be whole minutes (cron has no seconds), got ${hours.wakeAhead.toHumanString()}`);
  }
  if (start !== undefined && end !== undefined && end <= start) {
    problems.add(`${prop}.end`, `must be later than start (${hours.start}) on the same day, got ${show(hours.end)}`);
  }
  if (start !== undefined && start - wakeAhead < 0) {
    problems.add(`${prop}.wakeAhead`, `would wake the services the day before (${hours.start} less ${wakeAhead} minutes); start later or wake closer to start`);
  }
  if (start === undefined || end === undefined || end <= start || start - wakeAhead < 0) {
    return () => [];
  }
  const at = (minutes: number) => appscaling.Schedule.cron({
    minute: String(minutes % 60), hour: String(Math.floor(minutes / 60)), weekDay: weekDays,
  });
  const timeZone = hours.timeZone;
  return (sizing) => [
    { name: OFFICE_HOURS_SLEEP, schedule: at(end), timeZone, minCapacity: 0, maxCapacity: 0 },
    { name: OFFICE_HOURS_WAKE, schedule: at(start - wakeAhead), timeZone, minCapacity: sizing.minCapacity, maxCapacity: sizing.maxCapacity },
  ];
}

/** Scaling on requests reads one target group, where blue/green moves production between two. */
export function checkRequestsWithStrategy(
  problems: ProblemList, sizingProp: string, optionsProp: string, sizing: ServiceSizing, strategy: ecs.DeploymentStrategy | undefined,
): void {
  if (sizing.targetRequestsPerTarget !== undefined && shiftsTraffic(strategy)) {
    problems.add(`${sizingProp}.targetRequestsPerTarget`, `scales on the requests of one target group, but ${optionsProp}deployment.strategy is ${strategy}, which moves production between two at every deployment; scale on CPU (and memory), or deploy with the rolling strategy`);
  }
}

/** Whether a listener forwards to `targetGroup`, which names it by its load balancer. */
export function attachedToLoadBalancer(targetGroup: elbv2.ApplicationTargetGroup): boolean {
  try {
    return targetGroup.firstLoadBalancerFullName !== undefined;
  } catch {
    return false;
  }
}
