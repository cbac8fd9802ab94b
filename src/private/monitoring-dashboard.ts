import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { seconds } from './monitoring';
import { documentDbMetric, serviceUtilization, taskCount } from './monitoring-metrics';
import type { AlarmThresholds } from '../operations/options';

/** The dashboard's graphs show 1-minute points: the finest the load balancer and ECS send. */
export const PERIOD = Duration.minutes(1);
/** Height of a row of graphs, and the width of one across the whole dashboard. */
export const HEIGHT = 6;
export const FULL_WIDTH = 24;
const PERCENT_AXIS: cloudwatch.YAxisProps = { min: 0, max: 100, label: '%', showUnits: false };
export const COUNT_AXIS: cloudwatch.YAxisProps = { min: 0, showUnits: false };

/**
 * What the errors widget looks for: the words a Python traceback, a Java stack trace, Tomcat's
 * JULI (`SEVERE`) and the usual log levels write, in any case.
 */
export const ERROR_QUERY = [
  'fields @timestamp, @logStream, @message',
  'filter @message like /(?i)(error|exception|traceback|fatal|severe)/',
  'sort @timestamp desc',
  'limit 100',
];

/** One service on the dashboard. */
export interface DashboardService {
  readonly name: string;
  readonly service: ecs.IBaseService;
  readonly groups: readonly elbv2.IApplicationTargetGroupMetrics[];
  readonly logGroup?: logs.ILogGroup;
}

export interface MonitoringDashboardProps {
  /** Left out when the prefix is refused, so that synth reports it. */
  readonly dashboardName?: string;
  readonly services: readonly DashboardService[];
  readonly databaseCluster?: docdb.IDatabaseCluster;
  /** The functions that rotate the secrets, by the rotation's name. */
  readonly rotationFunctions: ReadonlyArray<{ readonly name: string; readonly rotationFunction: lambda.IFunction }>;
  /** The alarms' thresholds, drawn as lines on their graphs; none when there are no alarms. */
  readonly thresholds?: Required<AlarmThresholds>;
  /** Alarms whose state the first row shows. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/**
 * The monitoring dashboard: the alarms' states, then per service its target groups (requests,
 * response time, 4xx and 5xx, targets), its tasks (CPU, memory, running and desired) and its
 * recent errors, then the DocumentDB cluster, then the secrets' rotation functions.
 */
export function monitoringDashboard(scope: Construct, id: string, props: MonitoringDashboardProps): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, id, { dashboardName: props.dashboardName });
  if (props.alarms.length > 0) {
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: FULL_WIDTH, height: 3 }));
  }
  for (const service of props.services) {
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${service.name}`, width: FULL_WIDTH, height: 1 }));
    if (service.groups.length > 0) {
      dashboard.addWidgets(...targetGroupWidgets(service, props.thresholds));
    }
    dashboard.addWidgets(...taskWidgets(service, props.thresholds));
    if (service.logGroup) {
      dashboard.addWidgets(new cloudwatch.LogQueryWidget({
        title: `${service.name} recent errors`,
        logGroupNames: [service.logGroup.logGroupName],
        queryLines: ERROR_QUERY,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: FULL_WIDTH,
        height: HEIGHT,
      }));
    }
  }
  if (props.databaseCluster) {
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## DocumentDB', width: FULL_WIDTH, height: 1 }));
    dashboard.addWidgets(...databaseWidgets(props.databaseCluster, props.thresholds));
  }
  if (props.rotationFunctions.length > 0) {
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Secret rotation', width: FULL_WIDTH, height: 1 }));
    dashboard.addWidgets(new cloudwatch.GraphWidget({
      title: 'Rotation functions: invocations and errors',
      width: FULL_WIDTH,
      height: HEIGHT,
      leftYAxis: COUNT_AXIS,
      left: props.rotationFunctions.flatMap(({ name, rotationFunction }) => [
        rotationFunction.metricInvocations({ statistic: 'Sum', period: PERIOD, label: `${name} invocations` }),
        rotationFunction.metricErrors({ statistic: 'Sum', period: PERIOD, label: `${name} errors` }),
      ]),
    }));
  }
  return dashboard;
}

/** A horizontal line at an alarm's threshold, when there are alarms. */
function thresholdLine(value: number | undefined, label: string): cloudwatch.HorizontalAnnotation[] {
  return value === undefined ? [] : [{ value, label, color: cloudwatch.Color.RED }];
}

/** One line per target group (and per statistic), labelled by service and, with several, number. */
type GroupLine = [what: string, metricOf: (group: elbv2.IApplicationTargetGroupMetrics) => cloudwatch.Metric];

function perGroup(service: DashboardService, lines: GroupLine[]): cloudwatch.IMetric[] {
  const several = service.groups.length > 1;
  return service.groups.flatMap((group, index) => lines.map(([what, metricOf]) =>
    metricOf(group).with({ label: `${service.name}${several ? ` #${index + 1}` : ''} ${what}`, period: PERIOD })));
}

function targetGroupWidgets(service: DashboardService, thresholds?: Required<AlarmThresholds>): cloudwatch.IWidget[] {
  const width = FULL_WIDTH / 4;
  const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title: `${service.name} ${title}`, left, width, height: HEIGHT, leftYAxis: COUNT_AXIS, ...extra });
  return [
    graph('requests', perGroup(service, [['requests', (g) => g.requestCount({ statistic: 'Sum' })]])),
    graph('target response time (s)', perGroup(service, [
      ['p50', (g) => g.targetResponseTime({ statistic: 'p50' })],
      ['p99', (g) => g.targetResponseTime({ statistic: 'p99' })],
    ]), { leftAnnotations: thresholdLine(thresholds && seconds(thresholds.latencyP99), 'p99 alarm') }),
    graph('target 4xx and 5xx', perGroup(service, [
      ['4xx', (g) => g.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { statistic: 'Sum' })],
      ['5xx', (g) => g.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum' })],
    ])),
    graph('targets', perGroup(service, [
      ['healthy', (g) => g.healthyHostCount({ statistic: 'Minimum' })],
      ['unhealthy', (g) => g.unhealthyHostCount({ statistic: 'Maximum' })],
    ]), { leftAnnotations: thresholdLine(thresholds?.unhealthyHosts, 'unhealthy alarm') }),
  ];
}

function taskWidgets(service: DashboardService, thresholds?: Required<AlarmThresholds>): cloudwatch.IWidget[] {
  const width = FULL_WIDTH / 3;
  const { name } = service;
  return [
    new cloudwatch.GraphWidget({
      title: `${name} CPU (%)`,
      width,
      height: HEIGHT,
      leftYAxis: PERCENT_AXIS,
      left: [serviceUtilization(service.service, 'CPUUtilization', PERIOD, `${name} CPU`)],
      leftAnnotations: thresholdLine(thresholds?.cpuPercent, 'alarm'),
    }),
    new cloudwatch.GraphWidget({
      title: `${name} memory (%)`,
      width,
      height: HEIGHT,
      leftYAxis: PERCENT_AXIS,
      left: [serviceUtilization(service.service, 'MemoryUtilization', PERIOD, `${name} memory`)],
      leftAnnotations: thresholdLine(thresholds?.memoryPercent, 'alarm'),
    }),
    new cloudwatch.GraphWidget({
      title: `${name} tasks`,
      width,
      height: HEIGHT,
      leftYAxis: COUNT_AXIS,
      left: [
        taskCount(service.service, 'RunningTaskCount', `${name} running`, PERIOD),
        taskCount(service.service, 'DesiredTaskCount', `${name} desired`, PERIOD),
      ],
    }),
  ];
}

function databaseWidgets(cluster: docdb.IDatabaseCluster, thresholds?: Required<AlarmThresholds>): cloudwatch.IWidget[] {
  const width = FULL_WIDTH / 2;
  return [
    new cloudwatch.GraphWidget({
      title: 'DocumentDB CPU (%)',
      width,
      height: HEIGHT,
      leftYAxis: PERCENT_AXIS,
      left: [documentDbMetric(cluster, 'CPUUtilization', 'Average', PERIOD, 'CPU')],
      leftAnnotations: thresholdLine(thresholds?.documentDbCpuPercent, 'alarm'),
    }),
    new cloudwatch.GraphWidget({
      title: 'DocumentDB connections',
      width,
      height: HEIGHT,
      leftYAxis: COUNT_AXIS,
      left: [documentDbMetric(cluster, 'DatabaseConnections', 'Maximum', PERIOD, 'connections')],
      leftAnnotations: thresholdLine(thresholds?.documentDbConnections, 'alarm'),
    }),
  ];
}
