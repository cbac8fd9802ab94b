import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { COUNT_AXIS, FULL_WIDTH, HEIGHT, PERIOD } from './monitoring-dashboard';
import type { ArculusFidoDeployment } from '../deployment/arculus-fido-deployment';

/** Route 53 sends the metrics of its health checks to US East (N. Virginia) only. */
const ROUTE53_METRICS_REGION = 'us-east-1';

/** The names a region's metrics are found by: its load balancer's, its cluster's and its services'. */
export interface RegionMetricNames {
  /** The load balancer's full name (`app/<name>/<id>`), the dimension of its metrics. */
  readonly loadBalancerFullName: string;
  readonly clusterName: string;
  readonly pyFidoServiceName: string;
  readonly tomcatServiceName: string;
}

/** One region of a pair, as the pair's dashboard shows it. */
export interface PairDashboardRegion {
  /** `primary` or `secondary`. */
  readonly role: string;
  readonly region: string;
  /**
   * The account whose metrics these are, where it is not the dashboard's: CloudWatch shows them
   * once the dashboard's account monitors it (cross-account observability).
   */
  readonly account?: string;
  /** The Route 53 check that decides whether the region serves. */
  readonly healthCheck?: route53.IHealthCheck;
  readonly names: RegionMetricNames;
}

/** The names of `deployment`'s metrics. */
export function metricNamesOf(deployment: ArculusFidoDeployment): RegionMetricNames {
  return {
    loadBalancerFullName: deployment.loadBalancer.loadBalancer.loadBalancerFullName,
    clusterName: deployment.cluster.clusterName,
    pyFidoServiceName: deployment.pyFido.service.serviceName,
    tomcatServiceName: deployment.tomcat.service.serviceName,
  };
}

/**
 * The dashboard of a pair, both regions side by side: what Route 53 decides (each region's check,
 * 1 healthy and 0 not), what each region serves (requests, 5xx of the load balancer and of the
 * targets) and what runs there (each service's tasks). Every metric names its region, and its
 * account where that is another, so the dashboard reads both from one place.
 */
export function pairDashboard(
  scope: Construct, id: string, props: { dashboardName: string; regions: PairDashboardRegion[]; runbookPrefix?: string },
): cloudwatch.Dashboard {
  const regions = props.regions;
  const dashboard = new cloudwatch.Dashboard(scope, id, { dashboardName: props.dashboardName });
  const secondary = regions.find((r) => r.role === 'secondary');
  dashboard.addWidgets(new cloudwatch.TextWidget({
    markdown: [
      `## ${regions.map((r) => `${r.role}: ${r.region}`).join(', ')}`,
      'Route 53 answers the domain with the primary while its check is healthy (1), else with the secondary while its own is.',
      ...(props.runbookPrefix && secondary ? [`Runbooks in ${secondary.region}: \`${props.runbookPrefix}-Failover\`, \`-Switchover\`, \`-Failback\`.`] : []),
      ...regions.flatMap((r) => r.account ? [`The ${r.role}'s requests and tasks are account ${r.account}'s: they show here once this account monitors it (CloudWatch cross-account observability).`] : []),
    ].join('\n\n'),
    width: FULL_WIDTH,
    height: 2,
  }));
  const graph = (title: string, left: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title, left, width: FULL_WIDTH / 4, height: HEIGHT, leftYAxis: COUNT_AXIS });
  type Measured = { namespace: string; metricName: string; dimensionsMap: Record<string, string>; statistic: string };
  const metric = (r: PairDashboardRegion, what: string, measured: Measured) =>
    new cloudwatch.Metric({ ...measured, period: PERIOD, region: r.region, account: r.account, label: `${r.role} (${r.region}) ${what}` });
  const loadBalancer = (r: PairDashboardRegion, metricName: string, what: string) =>
    metric(r, what, { namespace: 'AWS/ApplicationELB', metricName, dimensionsMap: { LoadBalancer: r.names.loadBalancerFullName }, statistic: 'Sum' });
  const tasks = (r: PairDashboardRegion, serviceName: string, what: string) =>
    metric(r, what, { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensionsMap: { ClusterName: r.names.clusterName, ServiceName: serviceName }, statistic: 'Average' });
  dashboard.addWidgets(
    graph('Route 53: region healthy (1) or not (0)', regions.flatMap((r) => r.healthCheck ? [new cloudwatch.Metric({
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensionsMap: { HealthCheckId: r.healthCheck.healthCheckId },
      statistic: 'Minimum',
      period: PERIOD,
      region: ROUTE53_METRICS_REGION,
      label: `${r.role} (${r.region}) check`,
    })] : [])),
    graph('Requests', regions.map((r) => loadBalancer(r, 'RequestCount', 'requests'))),
    graph('5xx answers', regions.flatMap((r) => [
      loadBalancer(r, 'HTTPCode_ELB_5XX_Count', 'load balancer 5xx'),
      loadBalancer(r, 'HTTPCode_Target_5XX_Count', 'targets 5xx'),
    ])),
    graph('Running tasks', regions.flatMap((r) => [
      tasks(r, r.names.pyFidoServiceName, 'PyFIDO tasks'),
      tasks(r, r.names.tomcatServiceName, 'Tomcat tasks'),
    ])),
  );
  return dashboard;
}
