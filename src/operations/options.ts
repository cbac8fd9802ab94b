import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * The services' CloudWatch log groups, `/ecs/<applicationName>/<environment>/pyfido` and
 * `/ecs/<applicationName>/<environment>/tomcat`, and the flow log group of a created VPC.
 */
export interface LoggingOptions {
  /**
   * How long logs are kept.
   *
   * @default - 7 days (dev), 30 days (staging), 90 days (prod)
   */
  readonly retention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the log groups. Its key policy must let the CloudWatch Logs service
   * principal of the stack's region use it. A key of another stack is used through IAM policies
   * only (a grant in its key policy would make the two stacks depend on each other), so its key
   * policy must also trust the account's IAM policies, as keys created with the
   * `@aws-cdk/aws-kms:defaultKeyPolicies` flag (every `cdk init` app) do.
   *
   * @default - the deployment's key when `encryption.customerManagedKey` is on, otherwise
   * CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the log groups when they leave the stack.
   *
   * @default - RETAIN in prod, DESTROY in dev and staging
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Thresholds of the alarms `FidoMonitoring` creates. Each alarm goes off when its value is at or
 * above the threshold in every period of its evaluation (the periods are named with each field),
 * and sends ALARM and OK to the monitoring topic.
 */
export interface AlarmThresholds {
  /**
   * Percent of a service's requests that its targets answer with a 5xx, over every target group
   * of the service, in two 5-minute periods running (`<prefix>-<service>-5xx-rate`). A period
   * with fewer than 10 requests counts as 0%: one failed request among three is not a rate (the
   * deployment alarm counts 5xx responses whatever the traffic). More than 0 and at most 100.
   *
   * Why 5: a healthy service answers almost no request with a 5xx, and each one is a sign-in or
   * registration that failed; 1 in 20 for 10 minutes is a partial outage (a failing task among
   * several, a database that times out), while a lone error does not reach it.
   *
   * @default 5
   */
  readonly target5xxPercent?: number;

  /**
   * Unhealthy targets in any target group of a service, in five 1-minute periods running
   * (`<prefix>-<service>-unhealthy-targets`). A whole number from 1 to 1000.
   *
   * Why 1: the load balancer stops sending a failing target traffic and ECS replaces its task
   * within a minute or two, so users may not notice; a target still unhealthy after 5 minutes
   * means the replacements fail too (a crash loop, a dependency down) and capacity is short.
   *
   * @default 1
   */
  readonly unhealthyHosts?: number;

  /**
   * 99th percentile of the time a service's targets take to answer, the highest over its target
   * groups, in three 5-minute periods running (`<prefix>-<service>-latency-p99`). More than 0 and
   * at most 4000 seconds (the load balancer's longest idle timeout).
   *
   * Why 2 seconds: a WebAuthn registration or sign-in takes two calls to the server, each a few
   * database reads and writes that answer in tens of milliseconds; 1 request in 100 slower than
   * 2 seconds for 15 minutes is a user who waits, and a sign of a saturated task or database.
   * A CloudFormation parameter is taken in seconds: `Duration.seconds(parameter.valueAsNumber)`.
   *
   * @default Duration.seconds(2)
   */
  readonly latencyP99?: Duration;

  /**
   * Average CPU utilization of a service's tasks (AWS/ECS), in three 5-minute periods running
   * (`<prefix>-<service>-cpu`). More than 0 and at most 100.
   *
   * Why 80: the deployment's autoscaling keeps the average at 70%, so a service above 80% for 15
   * minutes is at its largest task count or cannot start tasks fast enough; a service without
   * autoscaling needs a larger CPU size.
   *
   * @default 80
   */
  readonly cpuPercent?: number;

  /**
   * Average memory utilization of a service's tasks (AWS/ECS), in three 5-minute periods running
   * (`<prefix>-<service>-memory`). More than 0 and at most 100.
   *
   * Why 80: a Fargate task has no swap, and a container that reaches its memory limit is killed;
   * 80% for 15 minutes leaves room to act before that. A JVM that holds a large heap whatever
   * the load (Tomcat with a high `-Xmx`) sits high: raise this above its steady level.
   *
   * @default 80
   */
  readonly memoryPercent?: number;

  /**
   * Tasks a service runs fewer than it wants (Container Insights `DesiredTaskCount` less
   * `RunningTaskCount`), in ten 1-minute periods running (`<prefix>-<service>-running-tasks`). A
   * whole number from 1 to 5000. Needs Container Insights on the cluster.
   *
   * Why 1: ECS replaces a stopped task, and starts the tasks of a scale-out, within a minute or
   * two; a task still missing after 10 minutes means ECS cannot start it (the image, a secret,
   * capacity, a container that exits).
   *
   * @default 1
   */
  readonly missingTasks?: number;

  /**
   * Average CPU utilization of the DocumentDB cluster, in three 5-minute periods running
   * (`<prefix>-docdb-cpu`). More than 0 and at most 100.
   *
   * Why 80: queries queue behind a busy instance and the services' requests slow down with them;
   * 80% for 15 minutes is the time to choose a larger instance class (or read replicas).
   *
   * @default 80
   */
  readonly documentDbCpuPercent?: number;

  /**
   * Most connections to the DocumentDB cluster, in five 1-minute periods running
   * (`<prefix>-docdb-connections`). A whole number from 1 to 30000.
   *
   * Why 400: 80% of the 500 connections a db.t3.medium or db.t4g.medium instance accepts (the
   * dev and staging class); DocumentDB refuses connections past its instance's limit, and each
   * task holds a pool of them. A db.r6g.large (prod) accepts 1,700: give about 1,360 there.
   *
   * @default 400
   */
  readonly documentDbConnections?: number;

  /**
   * Replication lag of a DocumentDB global cluster's secondary cluster (AWS/DocDB
   * `GlobalClusterReplicationLag`, the most in each of five 1-minute periods running,
   * `<prefix>-docdb-replication-lag`), in a pair's secondary region. More than 0 and at most 1 hour.
   *
   * Why 10 seconds: the lag is typically under a second; a failover loses the writes of the lag
   * (sign-ins, registrations), so ten times that for 5 minutes means the recovery point has grown
   * past what the pair is modeled for (docs/failover.md), before anyone needs it.
   *
   * @default Duration.seconds(10)
   */
  readonly documentDbReplicationLag?: Duration;
}

/**
 * Alarms, notifications and dashboard of a deployment.
 */
export interface MonitoringOptions {
  /**
   * Create the alarms on the services, their target groups and the DocumentDB cluster. Off, the
   * topic still receives the alarms handed to `FidoMonitoring.notifyOn()`.
   *
   * @default true
   */
  readonly alarms?: boolean;

  /**
   * Topic that receives ALARM and OK from every alarm. Its access policy must let CloudWatch
   * (`cloudwatch.amazonaws.com`) publish, as SNS's default policy does, and its key, if any, must
   * be customer-managed and let CloudWatch use it (`kms:Decrypt`, `kms:GenerateDataKey*`, best
   * with the conditions `aws:SourceAccount` and `aws:SourceArn` on your alarms, so that no other
   * account's alarm can make CloudWatch use the key): CloudWatch cannot publish to a topic
   * encrypted with the AWS managed key `aws/sns`. Its policy and key are left as they are.
   *
   * @default - a new topic, encrypted with `encryptionKey`, that refuses publishing without TLS
   */
  readonly topic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the topic. SNS sends each a confirmation message, and an
   * address gets no notification until its owner confirms.
   *
   * @default - no subscription
   */
  readonly emails?: string[];

  /**
   * Thresholds of the alarms.
   *
   * @default - each threshold's own default
   */
  readonly thresholds?: AlarmThresholds;

  /**
   * Create the CloudWatch dashboard, named as the prefix. A dashboard costs 3 USD per month
   * beyond the account's first three.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * Name of the dashboard. CloudWatch dashboards are global to the account: two deployments of
   * one name (a pair's two regions, say) need two names.
   *
   * @default - the prefix, e.g. `arculus-auth-prod`
   */
  readonly dashboardName?: string;
}
