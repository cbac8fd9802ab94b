import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { MIN_REQUESTS_FOR_RATE } from './monitoring';

// The metrics and math the monitoring alarms and dashboard read, in one place. Learnt from
// cdk-monitoring-constructs (its ApplicationLoadBalancerMetricFactory, BaseServiceMetricFactory and
// DocumentDbMetricFactory): the same namespaces, dimensions and statistics, with the math extended
// over every target group of a blue/green service.

/** One metric per target group, as `<prefix><index>`, for a math expression's `usingMetrics`. */
function perGroup(
  groups: readonly elbv2.IApplicationTargetGroupMetrics[], prefix: string,
  metricOf: (group: elbv2.IApplicationTargetGroupMetrics) => cloudwatch.IMetric,
): { [id: string]: cloudwatch.IMetric } {
  return Object.fromEntries(groups.map((group, index) => [`${prefix}${index}`, metricOf(group)]));
}

/** `FILL(a, 0) <sep> FILL(b, 0) ...`: a target group without data (an idle blue/green one) counts as 0. */
function filled(metrics: { [id: string]: cloudwatch.IMetric }, separator: string): string {
  return Object.keys(metrics).map((id) => `FILL(${id}, 0)`).join(separator);
}

/**
 * Percent of the requests to every target group that the targets answered with a 5xx, 0% in a
 * period with fewer than `MIN_REQUESTS_FOR_RATE` requests.
 */
export function target5xxRate(groups: readonly elbv2.IApplicationTargetGroupMetrics[], label: string, period: Duration): cloudwatch.IMetric {
  const errors = perGroup(groups, 'errors', (g) => g.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }));
  const requests = perGroup(groups, 'requests', (g) => g.requestCount({ statistic: 'Sum', period }));
  return new cloudwatch.MathExpression({
    expression: `IF(requests >= ${MIN_REQUESTS_FOR_RATE}, 100 * errors / requests, 0)`,
    usingMetrics: {
      errors: new cloudwatch.MathExpression({ expression: filled(errors, ' + '), usingMetrics: errors, period }),
      requests: new cloudwatch.MathExpression({ expression: filled(requests, ' + '), usingMetrics: requests, period }),
    },
    period,
    label,
  });
}

/**
 * A target group metric, or the highest of it over several target groups. A lone metric carries
 * no label, so that the alarm names it directly (a labelled metric renders as math).
 */
export function highestOverGroups(
  groups: readonly elbv2.IApplicationTargetGroupMetrics[], label: string, period: Duration,
  metricOf: (group: elbv2.IApplicationTargetGroupMetrics) => cloudwatch.Metric,
): cloudwatch.IMetric {
  if (groups.length === 1) {
    return metricOf(groups[0]).with({ period });
  }
  const metrics = perGroup(groups, 'tg', metricOf);
  return new cloudwatch.MathExpression({ expression: `MAX([${filled(metrics, ', ')}])`, usingMetrics: metrics, period, label });
}

/** Unhealthy targets, the most in the period. */
export const unhealthyTargets = (group: elbv2.IApplicationTargetGroupMetrics) => group.unhealthyHostCount({ statistic: 'Maximum' });

/** The 99th percentile of the targets' response time, in seconds. */
export const responseTimeP99 = (group: elbv2.IApplicationTargetGroupMetrics) => group.targetResponseTime({ statistic: 'p99' });

/** An average over a service's tasks, by cluster and service name, of `namespace`'s `metricName`. */
function serviceAverage(namespace: string, service: ecs.IBaseService, metricName: string, period: Duration, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName },
    statistic: 'Average',
    period,
    label,
  });
}

/**
 * A service metric of AWS/ECS (`CPUUtilization`, `MemoryUtilization`), averaged over its tasks.
 * Alarms leave `label` out, as `highestOverGroups` does.
 */
export function serviceUtilization(service: ecs.IBaseService, metricName: string, period: Duration, label?: string): cloudwatch.Metric {
  return serviceAverage('AWS/ECS', service, metricName, period, label);
}

/** A service's task count from Container Insights (`RunningTaskCount`, `DesiredTaskCount`). */
export function taskCount(service: ecs.IBaseService, metricName: string, label: string, period: Duration): cloudwatch.Metric {
  return serviceAverage('ECS/ContainerInsights', service, metricName, period, label);
}

/**
 * Tasks the service wants but does not run. Running fills with 0 (no task, no datapoint); desired
 * does not, so the expression has no data when Container Insights sends none.
 */
export function missingTasks(service: ecs.IBaseService, label: string, period: Duration): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: 'desired - FILL(running, 0)',
    usingMetrics: {
      desired: taskCount(service, 'DesiredTaskCount', 'Desired tasks', period),
      running: taskCount(service, 'RunningTaskCount', 'Running tasks', period),
    },
    period,
    label,
  });
}

/** A metric of the DocumentDB cluster (AWS/DocDB, by cluster identifier); alarms leave `label` out. */
export function documentDbMetric(
  cluster: docdb.IDatabaseCluster, metricName: string, statistic: string, period: Duration, label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/DocDB',
    metricName,
    dimensionsMap: { DBClusterIdentifier: cluster.clusterIdentifier },
    statistic,
    period,
    label,
  });
}
