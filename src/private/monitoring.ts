import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { databaseAlarmNames, dashboardName, rotationAlarmName, serviceAlarmNames } from './names';
import { struct } from './schema';
import { ProblemList, show } from './validation';
import type { AlarmThresholds } from '../operations/options';

/** Every threshold with its default; the reasons are on `AlarmThresholds`, where users read them. */
export const DEFAULT_THRESHOLDS: Required<AlarmThresholds> = {
  target5xxPercent: 5,
  unhealthyHosts: 1,
  latencyP99: Duration.seconds(2),
  cpuPercent: 80,
  memoryPercent: 80,
  missingTasks: 1,
  documentDbCpuPercent: 80,
  documentDbConnections: 400,
  documentDbReplicationLag: Duration.seconds(10),
};

/**
 * A duration in seconds, fractions kept (750 ms is 0.75), as TargetResponseTime counts. A token (a
 * CloudFormation parameter) cannot be converted, so it is taken as given in seconds:
 * `Duration.seconds(parameter.valueAsNumber)`.
 */
export function seconds(duration: Duration): number {
  return duration.isUnresolved() ? duration.toSeconds() : duration.toMilliseconds() / 1000;
}

/** Below this many requests in a period, the 5xx rate reads 0%: a handful of requests is no rate. */
export const MIN_REQUESTS_FOR_RATE = 10;

/** How one kind of alarm evaluates: its period, how many periods, and what missing data means. */
export interface AlarmTiming {
  readonly period: Duration;
  /** Periods evaluated; every one of them must breach (datapoints to alarm = evaluation periods). */
  readonly evaluationPeriods: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
}

const minutes = (period: number, evaluationPeriods: number, treatMissingData: cloudwatch.TreatMissingData): AlarmTiming =>
  ({ period: Duration.minutes(period), evaluationPeriods, treatMissingData });

/**
 * The timing of each alarm, and why its missing data means what it does. NOT_BREACHING where no
 * data is the quiet state (no traffic, no tasks to measure), so the alarm stays OK instead of
 * passing through INSUFFICIENT_DATA and sending a second OK when data returns; MISSING where the
 * alarm must neither claim OK nor go off on data that only arrives late.
 */
export const ALARM_TIMING = {
  /** No data: no requests; the expression fills gaps with 0, so it has data while the load balancer does. */
  target5xxRate: minutes(5, 2, cloudwatch.TreatMissingData.NOT_BREACHING),
  /** No data: no targets registered (an idle blue/green target group); the running-tasks alarm counts missing tasks. */
  unhealthyTargets: minutes(1, 5, cloudwatch.TreatMissingData.NOT_BREACHING),
  /** No data: no requests, so nobody waited. */
  latencyP99: minutes(5, 3, cloudwatch.TreatMissingData.NOT_BREACHING),
  /** No data: no running task, which the running-tasks alarm reports; one cause, one notification. */
  cpu: minutes(5, 3, cloudwatch.TreatMissingData.NOT_BREACHING),
  /** As `cpu`. */
  memory: minutes(5, 3, cloudwatch.TreatMissingData.NOT_BREACHING),
  /**
   * No data: Container Insights sends nothing (off on the cluster) or sends late. The alarm keeps
   * its state through late data and shows INSUFFICIENT_DATA, which notifies nobody, when the
   * metrics stop: going off would page for a setting, and OK would hide that nothing is watched.
   */
  runningTasks: minutes(1, 10, cloudwatch.TreatMissingData.MISSING),
  /** No data: the cluster is stopped (a dev cluster at night); a database the services cannot reach shows in their 5xx rate. */
  documentDbCpu: minutes(5, 3, cloudwatch.TreatMissingData.NOT_BREACHING),
  /** As `documentDbCpu`. */
  documentDbConnections: minutes(1, 5, cloudwatch.TreatMissingData.NOT_BREACHING),
  /**
   * No data: no replication reported (the primary's region down, which Route 53's checks and the
   * primary's own alarms report): INSUFFICIENT_DATA, which notifies nobody, as for running tasks.
   */
  documentDbReplicationLag: minutes(1, 5, cloudwatch.TreatMissingData.MISSING),
  /**
   * No data: the function did not run (a rotation is due once an interval). One failed invocation
   * in 5 minutes is enough: Secrets Manager invokes it four times per rotation, and a failure
   * leaves the secret where it was until someone looks.
   */
  rotationErrors: minutes(5, 1, cloudwatch.TreatMissingData.NOT_BREACHING),
};

/**
 * Target groups one service may have: the 5xx rate divides the sum of two metrics per target
 * group, and an alarm's math takes at most 10 metrics.
 */
export const MAX_TARGET_GROUPS = 5;

/** Letters, digits, '-' and '_': what a dashboard name may hold, and safe in an alarm name and a construct ID. */
const NAME = /^[A-Za-z0-9_-]+$/;
/** An address SNS can send to: something, '@', a domain with a dot. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
const ALARM_NAME_LIMIT = 255;
const DASHBOARD_NAME_LIMIT = 255;

/** The shape of `FidoMonitoringProps`, for a JavaScript caller without a compiler. */
export const MONITORING_PROPS = struct('FidoMonitoringProps');

interface CheckedService {
  readonly name?: string;
  readonly service?: unknown;
  readonly targetGroups?: readonly unknown[];
  readonly logGroup?: unknown;
}

interface CheckedRotation {
  readonly name?: string;
  readonly secret?: unknown;
}

/** What the checks read: the props with every wrongly typed part left out. */
export interface CheckedProps {
  readonly namePrefix?: string;
  readonly services?: ReadonlyArray<CheckedService>;
  readonly secretRotations?: ReadonlyArray<CheckedRotation>;
  readonly databaseCluster?: unknown;
  readonly encryptionKey?: unknown;
  readonly topic?: { readonly masterKey?: unknown };
  readonly emails?: readonly string[];
  readonly thresholds?: AlarmThresholds;
  readonly dashboard?: boolean;
  readonly dashboardName?: string;
}

/** Checks the values of already type-checked props; each problem names its prop. */
export function checkMonitoringProps(problems: ProblemList, props: CheckedProps): void {
  checkRequired(problems, props);
  checkThresholds(problems, props.thresholds ?? {});
  checkNames(problems, props);
  (props.emails ?? []).forEach((email, index) => {
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      problems.add(`emails[${index}]`, `must be an e-mail address such as 'ops@example.com', got ${show(email)}`);
    } else if (!Token.isUnresolved(email) && props.emails!.indexOf(email) < index) {
      problems.add(`emails[${index}]`, `${show(email)} is listed twice; SNS subscribes an address once`);
    }
  });
  (props.services ?? []).forEach((service, index) => {
    if ((service.targetGroups ?? []).length > MAX_TARGET_GROUPS) {
      problems.add(`services[${index}].targetGroups`, `takes at most ${MAX_TARGET_GROUPS} target groups (an alarm's math takes at most 10 metrics, two per target group), got ${service.targetGroups!.length}`);
    }
  });
  if (props.topic && props.encryptionKey) {
    problems.add('encryptionKey', 'only applies to a topic this construct creates, but topic is given: its key is its own');
  }
  if (props.topic && encryptedWithAwsManagedKey(props.topic.masterKey)) {
    problems.add('topic', 'is encrypted with the AWS managed key aws/sns, whose policy CloudWatch cannot be added to, so alarms could not publish to it; give a topic with a customer-managed key, or no topic');
  }
}

/** A caller without a compiler may leave out what TypeScript requires. */
function checkRequired(problems: ProblemList, props: CheckedProps): void {
  const required = (prop: string, value: unknown) => {
    if (value === undefined && !problems.about(prop)) {
      problems.add(prop, 'is required');
    }
  };
  required('namePrefix', props.namePrefix);
  required('services', props.services);
  (props.services ?? []).forEach((service, index) => {
    for (const field of ['name', 'service', 'targetGroups', 'logGroup'] as const) {
      required(`services[${index}].${field}`, service[field]);
    }
  });
  (props.secretRotations ?? []).forEach((rotation, index) => {
    for (const field of ['name', 'secret'] as const) {
      required(`secretRotations[${index}].${field}`, rotation[field]);
    }
  });
}

/** Whether a topic's key is the AWS managed key of SNS, given by its alias. */
function encryptedWithAwsManagedKey(key: unknown): boolean {
  const { aliasName, keyArn } = (key ?? {}) as { aliasName?: unknown; keyArn?: unknown };
  const named = [aliasName, keyArn].filter((v): v is string => typeof v === 'string' && !Token.isUnresolved(v));
  return named.some((name) => name === 'alias/aws/sns' || name.endsWith(':alias/aws/sns'));
}

function checkThresholds(problems: ProblemList, thresholds: AlarmThresholds): void {
  const percent = (field: keyof AlarmThresholds) => {
    const value = thresholds[field] as number | undefined;
    if (value !== undefined && !Token.isUnresolved(value) && !(value > 0 && value <= 100)) {
      problems.add(`thresholds.${field}`, `must be a percentage more than 0 and at most 100, got ${value}`);
    }
  };
  percent('target5xxPercent');
  percent('cpuPercent');
  percent('memoryPercent');
  percent('documentDbCpuPercent');
  problems.integerInRange('thresholds.unhealthyHosts', thresholds.unhealthyHosts, 1, 1000);
  problems.integerInRange('thresholds.missingTasks', thresholds.missingTasks, 1, 5000);
  problems.integerInRange('thresholds.documentDbConnections', thresholds.documentDbConnections, 1, 30000);
  const lag = thresholds.documentDbReplicationLag;
  if (lag && !lag.isUnresolved() && !(lag.toMilliseconds() > 0 && lag.toMilliseconds() <= 3600 * 1000)) {
    problems.add('thresholds.documentDbReplicationLag', `must be more than 0 and at most 1 hour, got ${lag.toHumanString()}`);
  }
  const latency = thresholds.latencyP99;
  if (latency && !latency.isUnresolved() && !(latency.toMilliseconds() > 0 && latency.toMilliseconds() <= 4000 * 1000)) {
    problems.add('thresholds.latencyP99', `must be more than 0 and at most 4000 seconds, got ${latency.toHumanString()}`);
  }
}

/** Checks the prefix and the service names, and every name built from them against its limit. */
function checkNames(problems: ProblemList, props: CheckedProps): void {
  const prefix = props.namePrefix;
  const prefixKnown = prefix !== undefined && !Token.isUnresolved(prefix);
  if (prefixKnown && !NAME.test(prefix)) {
    problems.add('namePrefix', `must be letters, digits, '-' and '_' (it names the dashboard and the alarms), got ${show(prefix)}`);
  }
  const services = props.services ?? [];
  services.forEach((service, index) => {
    if (service.name !== undefined && !NAME.test(service.name)) {
      problems.add(`services[${index}].name`, `must be letters, digits, '-' and '_', known at synth (it names the service's alarms), got ${show(service.name)}`);
    } else if (service.name !== undefined && services.findIndex((s) => s.name === service.name) < index) {
      problems.add(`services[${index}].name`, `${show(service.name)} is the name of another service; each service's alarms need names of their own`);
    }
  });
  const dashboard = props.dashboardName;
  if (dashboard !== undefined && !Token.isUnresolved(dashboard) && (!NAME.test(dashboard) || dashboard.length > DASHBOARD_NAME_LIMIT)) {
    problems.add('dashboardName', `must be 1 to ${DASHBOARD_NAME_LIMIT} letters, digits, '-' and '_', got ${show(dashboard)}`);
  }
  const rotations = props.secretRotations ?? [];
  rotations.forEach((rotation, index) => {
    if (rotation.name !== undefined && !NAME.test(rotation.name)) {
      problems.add(`secretRotations[${index}].name`, `must be letters, digits, '-' and '_', known at synth (it names the rotation's alarm), got ${show(rotation.name)}`);
    } else if (rotation.name !== undefined && rotations.findIndex((r) => r.name === rotation.name) < index) {
      problems.add(`secretRotations[${index}].name`, `${show(rotation.name)} is the name of another rotation; each rotation's alarm needs a name of its own`);
    }
  });
  if (!prefixKnown || problems.about('namePrefix')) {
    return;
  }
  const named = [
    ...services.filter((s) => s.name !== undefined && NAME.test(s.name))
      .flatMap((s) => Object.values(serviceAlarmNames(prefix, s.name!)).map((name) => ({ prop: `services[${services.indexOf(s)}].name`, name }))),
    ...(props.databaseCluster ? Object.values(databaseAlarmNames(prefix)).map((name) => ({ prop: 'namePrefix', name })) : []),
    ...rotations.filter((r) => r.name !== undefined && NAME.test(r.name))
      .map((r) => ({ prop: `secretRotations[${rotations.indexOf(r)}].name`, name: rotationAlarmName(prefix, r.name!) })),
  ];
  // The longest name decides by how much the prefix (or a service name) must shrink.
  const longest = named.reduce<{ prop: string; name: string } | undefined>((a, b) => (a && a.name.length >= b.name.length ? a : b), undefined);
  if (longest && longest.name.length > ALARM_NAME_LIMIT) {
    const over = longest.name.length - ALARM_NAME_LIMIT;
    const what = longest.prop.startsWith('secretRotations') ? 'the rotation\'s name' : 'the service name';
    problems.add(longest.prop, `makes the alarm name '${longest.name}' ${longest.name.length} characters long, over CloudWatch's limit of ${ALARM_NAME_LIMIT}; shorten namePrefix or ${what} by ${over}`);
  }
  const taken = named.find(({ name }, index) => named.findIndex((n) => n.name === name) < index);
  if (taken) {
    problems.add(taken.prop, `makes the alarm name '${taken.name}', which another alarm of this construct has; alarm names are unique in an account and region`);
  }
  if (props.dashboard !== false && props.dashboardName === undefined && dashboardName(prefix).length > DASHBOARD_NAME_LIMIT) {
    problems.add('namePrefix', `names the dashboard and is ${prefix.length} characters long, over CloudWatch's limit of ${DASHBOARD_NAME_LIMIT}`);
  }
}
