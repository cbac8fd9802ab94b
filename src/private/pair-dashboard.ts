import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { COUNT_AXIS, FULL_WIDTH, HEIGHT, PERIOD } from './monitoring-dashboard';
import { taskCount } from './monitoring-metrics';
import type { ArculusFidoDeployment } from '../deployment/arculus-fido-deployment';

/** Route 53 sends the metrics of its health checks to US East (N. Virginia) only. */
const ROUTE53_METRICS_REGION = 'us-east-1';

/** One region of a pair, as the pair's dashboard shows it. */
export interface PairDashboardRegion {
  /** `primary` or `secondary`. */
  readonly role: string;
  readonly region: string;
  /** The Route 53 check that decides whether the region serves. */
  readonly healthCheck?: route53.IHealthCheck;
  /**
   * The region's deployment, whose load balancer and services the dashboard shows: none for a
   * region of another account, whose metrics stay there.
   */
  readonly deployment?: ArculusFidoDeployment;
  /** What the dashboard says of a region whose deployment it does not show. */
  readonly elsewhere?: string;
}

/**
 * The dashboard of a pair, both regions side by side: what Route 53 decides (each region's check,
 * 1 healthy and 0 not), what each region serves (requests, 5xx of the load balancer and of the
 * targets) and what runs there (each service's tasks). Every metric names its region, so the
 * dashboard reads both from one place.
 */
export function pairDashboard(
  scope: Construct, id: string, props: { dashboardName: string; regions: PairDashboardRegion[]; runbookPrefix?: string },
): cloudwatch.Dashboard {
  const regions = props.regions;
  const shown = regions.flatMap((r) => r.deployment ? [{ ...r, deployment: r.deployment }] : []);
  const label = (r: { role: string; region: string }, what: string) => `${r.role} (${r.region}) ${what}`;
  const dashboard = new cloudwatch.Dashboard(scope, id, { dashboardName: props.dashboardName });
  const secondary = regions.find((r) => r.role === 'secondary');
  dashboard.addWidgets(new cloudwatch.TextWidget({
    markdown: [
      `## ${regions.map((r) => `${r.role}: ${r.region}`).join(', ')}`,
      'Route 53 answers the domain with the primary while its check is healthy (1), else with the secondary while its own is.',
      ...(props.runbookPrefix && secondary ? [`Runbooks in ${secondary.region}: \`${props.runbookPrefix}-Failover\`, \`-Switchover\`, \`-Failback\`.`] : []),
      ...regions.flatMap((r) => r.elsewhere ? [r.elsewhere] : []),
    ].join('\n\n'),
    width: FULL_WIDTH,
    height: 2,
  }));
  const graph = (title: string, left: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title, left, width: FULL_WIDTH / 4, height: HEIGHT, leftYAxis: COUNT_AXIS });
  dashboard.addWidgets(
    graph('Route 53: region healthy (1) or not (0)', regions.flatMap((r) => r.healthCheck ? [new cloudwatch.Metric({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensionsMap: { HealthCheckId: r.healthCheck.healthCheckId },
      statistic: 'Minimum',
      period: PERIOD,
      region: ROUTE53_METRICS_REGION,
      label: label(r, 'check'),
    })] : [])),
    graph('Requests', shown.map((r) => r.deployment.loadBalancer.loadBalancer.metrics.requestCount({
      statistic: 'Sum', period: PERIOD, region: r.region, label: label(r, 'requests'),
    }))),
    graph('5xx answers', shown.flatMap((r) => {
      const metrics = r.deployment.loadBalancer.loadBalancer.metrics;
      return [
        metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum', period: PERIOD, region: r.region, label: label(r, 'load balancer 5xx') }),
        metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period: PERIOD, region: r.region, label: label(r, 'targets 5xx') }),
      ];
    })),
    graph('Running tasks', shown.flatMap((r) => [r.deployment.pyFido, r.deployment.tomcat].map((s) =>
      taskCount(s.service, 'RunningTaskCount', label(r, `${s === r.deployment.pyFido ? 'PyFIDO' : 'Tomcat'} tasks`), PERIOD).with({ region: r.region })))),
  );
  return dashboard;
}
