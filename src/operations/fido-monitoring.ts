import { Annotations, ArnFormat, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';
import { AlarmThresholds, MonitoringOptions } from './options';
import { SecretRotation } from '../data/options';
import { ALARM_TIMING, AlarmTiming, checkMonitoringProps, DEFAULT_THRESHOLDS, MONITORING_PROPS, seconds } from '../private/monitoring';
import { monitoringDashboard } from '../private/monitoring-dashboard';
import {
  documentDbMetric, highestOverGroups, missingTasks, responseTimeP99, serviceUtilization, target5xxRate, unhealthyTargets,
} from '../private/monitoring-metrics';
import { databaseAlarmNames, dashboardName, rotationAlarmName, serviceAlarmNames } from '../private/names';
import { sanitize } from '../private/schema';
import { ProblemList, show } from '../private/validation';

/**
 * One service `FidoMonitoring` watches.
 */
export interface MonitoredService {
  /**
   * Short name of the service, e.g. `pyfido`: it names the service's alarms
   * (`<namePrefix>-<name>-cpu`), its dashboard widgets and its construct scope. Letters, digits,
   * '-' and '_'.
   */
  readonly name: string;

  /**
   * The ECS service. Its cluster and name are the dimensions of its AWS/ECS and Container
   * Insights metrics.
   */
  readonly service: ecs.IBaseService;

  /**
   * Every target group the service registers in: one for a rolling service, the pair of each
   * traffic route of a blue/green, linear or canary service (`FidoService.targetGroup` and
   * `alternateTargetGroup`), at most 5. Each must already be attached to a load balancer, whose
   * name is a dimension of its metrics. Empty for a service behind no load balancer.
   */
  readonly targetGroups: elbv2.IApplicationTargetGroup[];

  /**
   * The service's log group, which the dashboard searches for recent errors.
   */
  readonly logGroup: logs.ILogGroup;
}

/**
 * Props of `FidoMonitoring`.
 */
export interface FidoMonitoringProps extends MonitoringOptions {
  /**
   * Prefix of the alarm names and the dashboard's name, e.g. `arculus-auth-prod`: the alarms are
   * `<namePrefix>-<service>-<what>`, `<namePrefix>-docdb-<what>` and
   * `<namePrefix>-<rotation>-rotation-errors`, the dashboard
   * `<namePrefix>`. Letters, digits, '-' and '_'. The names are fixed, so operators find them and
   * two deployments in one account need two prefixes.
   */
  readonly namePrefix: string;

  /**
   * The services to watch.
   */
  readonly services: MonitoredService[];

  /**
   * A DocumentDB cluster the services use, whose CPU and connections are watched.
   *
   * @default - no database alarms or widgets
   */
  readonly databaseCluster?: docdb.IDatabaseCluster;

  /**
   * Whether `databaseCluster` is a secondary cluster of a DocumentDB global cluster, whose
   * replication lag is watched too (`<namePrefix>-docdb-replication-lag`).
   *
   * @default false
   */
  readonly databaseReplicates?: boolean;

  /**
   * Customer-managed key of a created topic. Its key policy gets a statement that lets CloudWatch
   * (`cloudwatch.amazonaws.com`) use it to publish for this account's alarms only
   * (`aws:SourceAccount` and `aws:SourceArn` conditions), and, with `secretRotations`, one that
   * lets EventBridge (`events.amazonaws.com`) use it for this account's rules only; an imported
   * key's policy cannot be changed here (synth warns), so it must already allow that. Refused with
   * `topic`.
   *
   * @default - a new key, rotated every year, that costs 1 USD per month
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Secrets that rotate, each with the function that rotates it where the app has one
   * (`FidoDataLayer.secretRotations` lists the deployment's). A failed rotation notifies the topic
   * twice over: an alarm on each function's `Errors` (`<namePrefix>-<name>-rotation-errors`, any
   * failed invocation in 5 minutes), and an EventBridge rule that publishes Secrets Manager's
   * `RotationFailed` and `RotationAbandoned` events of the secrets (the whole event: the secret's
   * ARN, the step that failed, never a value). A created topic lets this account's EventBridge
   * rules publish; a given topic's policy must let `events.amazonaws.com` publish. Off with
   * `alarms: false`.
   *
   * @default - no rotation is watched
   */
  readonly secretRotations?: SecretRotation[];
}

/** The parts of a checked service that the construct builds from. */
interface Watched {
  readonly name: string;
  readonly service: ecs.IBaseService;
  readonly groups: elbv2.IApplicationTargetGroupMetrics[];
  readonly logGroup?: logs.ILogGroup;
}

/**
 * Alarms, notifications and a dashboard for the deployment's services, their target groups and
 * its DocumentDB cluster.
 *
 * Every alarm sends ALARM and OK to one SNS topic, which e-mail addresses may subscribe to. Hand
 * it the deployment alarms (`FidoService.addDeploymentAlarms()`) and any alarm of your own with
 * `notifyOn()`. A created topic is encrypted with a customer-managed key, since CloudWatch cannot
 * publish to a topic encrypted with the AWS managed key `aws/sns`, and refuses publishing without
 * TLS. Create it after the target groups are attached to their listeners (and, for blue/green,
 * after `addTrafficRoute()`), whose load balancer names their metrics.
 *
 * Each alarm has a fixed name from `namePrefix` (`<namePrefix>-pyfido-cpu`). An alarm costs
 * 0.10 USD per month per metric it reads (the 5xx rate reads two per target group); after the
 * first deployment, each alarm sends one OK as it leaves INSUFFICIENT_DATA.
 */
export class FidoMonitoring extends Construct {
  /** Topic that receives ALARM and OK from every alarm: the given one, or the one created. */
  public readonly topic: sns.ITopic;

  /**
   * Key of the created topic.
   *
   * @default - none: a topic was given
   */
  public readonly encryptionKey?: kms.IKey;

  /** The alarms this construct created (empty with `alarms: false`). */
  public readonly alarms: cloudwatch.Alarm[] = [];

  /**
   * The EventBridge rule that sends Secrets Manager's rotation failures of `secretRotations` to
   * the topic.
   *
   * @default - none: no `secretRotations`, or `alarms: false`
   */
  public readonly rotationFailureRule?: events.Rule;

  /**
   * The dashboard.
   *
   * @default - none, with `dashboard: false`
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  private readonly problems = new ProblemList();
  private readonly action: cloudwatch.IAlarmAction;
  /** Alarms that already send to the topic, so that none gets the same action twice. */
  private readonly notifying = new Set<cloudwatch.IAlarm>();
  /** The key of the topic this construct created, whose policy it adds to. */
  private topicKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: FidoMonitoringProps) {
    super(scope, id);
    // Wrongly typed parts (from a caller without a compiler) are left out, so what is built from
    // `given` never meets them; the defaults are built in place of wrong values, so that the one
    // error thrown at the end names every problem with the props, the services' included.
    const given: Partial<FidoMonitoringProps> = sanitize(this.problems, '', props, MONITORING_PROPS) ?? {};
    checkMonitoringProps(this.problems, given);

    const prefix = given.namePrefix ?? '';
    const thresholds: Required<AlarmThresholds> = { ...DEFAULT_THRESHOLDS, ...definedOnly(given.thresholds ?? {}) };
    this.topic = given.topic ?? this.createTopic(prefix, given.encryptionKey);
    this.encryptionKey = given.topic ? undefined : this.topic.masterKey;
    new Set(given.emails ?? []).forEach((email) => this.topic.addSubscription(new subscriptions.EmailSubscription(email)));
    this.action = new actions.SnsAction(this.topic);

    const services = this.watchedServices(given.services ?? []);
    const database = given.databaseCluster;
    const rotations = this.watchedRotations(given.secretRotations ?? []);
    if (given.alarms !== false) {
      services.forEach((service) => this.createServiceAlarms(prefix, service, thresholds));
      if (database) {
        this.createDatabaseAlarms(prefix, database, thresholds, given.databaseReplicates ?? false);
      }
      this.createRotationAlarms(prefix, rotations);
      if (rotations.length > 0) {
        this.rotationFailureRule = this.createRotationFailureRule(rotations, !given.topic);
      }
    }
    if (given.dashboard !== false) {
      this.dashboard = monitoringDashboard(this, 'Dashboard', {
        // A refused prefix is reported at synth; CloudWatch's own check would throw here first.
        dashboardName: given.dashboardName ?? (this.problems.about('namePrefix') ? undefined : dashboardName(prefix)),
        services,
        databaseCluster: database,
        rotationFunctions: rotations.flatMap(({ name, rotationFunction }) => (rotationFunction ? [{ name, rotationFunction }] : [])),
        thresholds: given.alarms !== false ? thresholds : undefined,
        alarms: this.alarms,
      });
    }
    this.problems.throwIfAny(this, 'FidoMonitoring');
  }

  /**
   * Sends ALARM and OK of these alarms to the topic as well, e.g. the deployment alarms of
   * `FidoService.addDeploymentAlarms()`. Each must be defined in this app (an `Alarm` or
   * `CompositeAlarm`): an imported alarm's actions belong to its own definition, so one is refused
   * at once, with the others. An alarm handed twice is notified once.
   */
  public notifyOn(...alarms: cloudwatch.IAlarm[]): void {
    const problems = new ProblemList();
    alarms.filter((alarm) => !definedHere(alarm)).forEach((alarm) => problems.add('notifyOn()', `alarm ${show(alarm.alarmName)} is not defined in this app (imported?), so its actions cannot be set here; add the topic to its actions where it is defined`));
    problems.throwIfAny(this, 'FidoMonitoring', 'in a call');
    for (const alarm of alarms) {
      if (this.notifying.has(alarm)) {
        continue;
      }
      (alarm as cloudwatch.AlarmBase).addAlarmAction(this.action);
      (alarm as cloudwatch.AlarmBase).addOkAction(this.action);
      this.notifying.add(alarm);
    }
  }

  /**
   * The topic, encrypted with a customer-managed key CloudWatch may use, refusing publishing
   * without TLS, and open to publishing from this account's alarms. The topic policy replaces
   * SNS's default one, which let the account's alarms publish, so it says so itself.
   */
  private createTopic(prefix: string, givenKey?: kms.IKey): sns.ITopic {
    const key = givenKey ?? new kms.Key(this, 'TopicKey', {
      description: `Encrypts the ${prefix} alarm topic; CloudWatch alarms use it to publish`,
      enableKeyRotation: true,
      // It encrypts messages only while SNS delivers them: nothing is left to decrypt once the
      // topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // CloudWatch acts for this account's alarms only, in the key policy and the topic policy alike:
    // the key may be the deployment's one key, which also encrypts its secrets, database and logs,
    // so CloudWatch acting for anyone else's alarm (a confused deputy) must not be able to use it.
    const stack = Stack.of(this);
    const alarmsOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    // The AWS documented statement for an AWS service publishing to an encrypted topic.
    const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: alarmsOfThisAccount,
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('arculus-fido:monitoring-key-policy',
        'encryptionKey is imported, so its key policy cannot be changed here: it must let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey* (best only for this account\'s alarms, with aws:SourceAccount and aws:SourceArn conditions), or no alarm notification is delivered.');
    }
    this.topicKey = key;
    const topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: alarmsOfThisAccount,
    }));
    return topic;
  }

  /**
   * The services that can be built, with the metrics of their target groups. A service whose name
   * is refused (a problem is recorded) is left out, since its name is also its construct ID.
   */
  private watchedServices(services: ReadonlyArray<Partial<MonitoredService>>): Watched[] {
    return services.flatMap((service, index): Watched[] => {
      const { name, service: ecsService } = service;
      if (!name || !ecsService || this.problems.about(`services[${index}].name`)) {
        return [];
      }
      const groups = (service.targetGroups ?? []).flatMap((group, groupIndex) => {
        try {
          return [group.metrics];
        } catch {
          this.problems.add(`services[${index}].targetGroups[${groupIndex}]`, 'is not attached to a load balancer yet, and its metrics are named by one; create FidoMonitoring after the listeners forward to it (for blue/green, after addTrafficRoute())');
          return [];
        }
      });
      return [{ name, service: ecsService, groups, logGroup: service.logGroup }];
    });
  }

  /** The rotations that can be built: a rotation whose name is refused is left out, since its name is also its construct ID. */
  private watchedRotations(rotations: ReadonlyArray<Partial<SecretRotation>>): SecretRotation[] {
    return rotations.flatMap((rotation, index): SecretRotation[] => {
      const { name, secret } = rotation;
      return name && secret && !this.problems.about(`secretRotations[${index}].name`) ? [{ name, secret, rotationFunction: rotation.rotationFunction }] : [];
    });
  }

  /** An alarm on the errors of each rotation function: any failed invocation. */
  private createRotationAlarms(prefix: string, rotations: SecretRotation[]): void {
    const rotationsWithFunctions = rotations.filter((r) => r.rotationFunction);
    if (rotationsWithFunctions.length === 0) {
      return;
    }
    const scope = new Construct(this, 'SecretRotations');
    for (const { name, rotationFunction } of rotationsWithFunctions) {
      this.createAlarm(new Construct(scope, name), 'ErrorsAlarm', rotationAlarmName(prefix, name), ALARM_TIMING.rotationErrors, 1,
        (period) => rotationFunction!.metricErrors({ statistic: 'Sum', period }),
        `${name}: the rotation function failed in the last 5 minutes, so the secret did not rotate. Its log group says which step and why; a rotation abandoned after a value was put by hand starts again at the next interval, or at once with aws secretsmanager rotate-secret.`);
    }
  }

  /**
   * An EventBridge rule that publishes Secrets Manager's rotation failures of the secrets to the
   * topic. A created topic's policy lets this rule publish, and its key's policy this account's
   * rules (the key may be the deployment's, which a nested stack's rule could not be named in).
   */
  private createRotationFailureRule(rotations: SecretRotation[], topicCreated: boolean): events.Rule {
    const rule = new events.Rule(this, 'RotationFailureRule', {
      description: 'Sends Secrets Manager\'s RotationFailed and RotationAbandoned events of the deployment\'s rotating secrets to the alarm topic',
      eventPattern: {
        source: ['aws.secretsmanager'],
        detailType: ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['RotationFailed', 'RotationAbandoned'],
          // A secret imported by name has no suffix: its ARN is the full one's prefix.
          additionalEventData: { SecretId: rotations.map(({ secret }) => secret.secretFullArn ?? { prefix: `${secret.secretArn}-` }) },
        },
      },
    });
    // The topic's own policy grants the rule, rather than a role: EventBridge documents a role as
    // a cause of failed delivery to an encrypted topic.
    rule.addTarget({ bind: () => ({ arn: this.topic.topicArn }) });
    if (!topicCreated) {
      return rule;
    }
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRotationFailureRule',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }));
    const { statementAdded } = this.topicKey!.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeRulesToPublish',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
      },
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('arculus-fido:monitoring-key-policy-events',
        'encryptionKey is imported, so its key policy cannot be changed here: it must let events.amazonaws.com use kms:Decrypt and kms:GenerateDataKey* (best only for this account\'s rules, with aws:SourceAccount and aws:SourceArn conditions), or no rotation failure reaches the topic.');
    }
    return rule;
  }

  private createServiceAlarms(prefix: string, watched: Watched, thresholds: Required<AlarmThresholds>): void {
    const { name, service, groups } = watched;
    const names = serviceAlarmNames(prefix, name);
    const scope = new Construct(this, name);
    if (groups.length > 0) {
      this.createAlarm(scope, 'Target5xxRateAlarm', names.target5xxRate, ALARM_TIMING.target5xxRate, thresholds.target5xxPercent,
        (period) => target5xxRate(groups, `${name} 5xx rate (%)`, period),
        `${name}: ${thresholds.target5xxPercent}% or more of the requests answered with a 5xx by the targets in each of the last 2 periods of 5 minutes. See the dashboard's recent errors.`);
      this.createAlarm(scope, 'UnhealthyTargetsAlarm', names.unhealthyTargets, ALARM_TIMING.unhealthyTargets, thresholds.unhealthyHosts,
        (period) => highestOverGroups(groups, `${name} unhealthy targets`, period, unhealthyTargets),
        `${name}: ${thresholds.unhealthyHosts} or more targets failing their health check for 5 minutes; ECS cannot replace them with healthy tasks.`);
      const latencySeconds = seconds(thresholds.latencyP99);
      this.createAlarm(scope, 'LatencyP99Alarm', names.latencyP99, ALARM_TIMING.latencyP99, latencySeconds,
        (period) => highestOverGroups(groups, `${name} p99 response time (s)`, period, responseTimeP99),
        `${name}: 1 request in 100 took ${latencySeconds} s or longer for 15 minutes. Look at the tasks' CPU and the database.`);
    }
    this.createAlarm(scope, 'CpuAlarm', names.cpu, ALARM_TIMING.cpu, thresholds.cpuPercent,
      (period) => serviceUtilization(service, 'CPUUtilization', period),
      `${name}: average CPU of the tasks at ${thresholds.cpuPercent}% or more for 15 minutes; autoscaling is at its maximum or cannot keep up.`);
    this.createAlarm(scope, 'MemoryAlarm', names.memory, ALARM_TIMING.memory, thresholds.memoryPercent,
      (period) => serviceUtilization(service, 'MemoryUtilization', period),
      `${name}: average memory of the tasks at ${thresholds.memoryPercent}% or more for 15 minutes; a task that reaches its limit is killed.`);
    this.createAlarm(scope, 'RunningTasksAlarm', names.runningTasks, ALARM_TIMING.runningTasks, thresholds.missingTasks,
      (period) => missingTasks(service, `${name} tasks missing`, period),
      `${name}: ${thresholds.missingTasks} or more tasks fewer running than desired for 10 minutes; ECS cannot start them (see the service's events). Needs Container Insights.`);
  }

  private createDatabaseAlarms(prefix: string, cluster: docdb.IDatabaseCluster, thresholds: Required<AlarmThresholds>, replicates: boolean): void {
    const names = databaseAlarmNames(prefix);
    this.createAlarm(this, 'DocumentDbCpuAlarm', names.cpu, ALARM_TIMING.documentDbCpu, thresholds.documentDbCpuPercent,
      (period) => documentDbMetric(cluster, 'CPUUtilization', 'Average', period),
      `DocumentDB: CPU at ${thresholds.documentDbCpuPercent}% or more for 15 minutes; choose a larger instance class.`);
    this.createAlarm(this, 'DocumentDbConnectionsAlarm', names.connections, ALARM_TIMING.documentDbConnections, thresholds.documentDbConnections,
      (period) => documentDbMetric(cluster, 'DatabaseConnections', 'Maximum', period),
      `DocumentDB: ${thresholds.documentDbConnections} or more connections for 5 minutes; past its instance class's limit, DocumentDB refuses new ones.`);
    if (replicates) {
      const lag = thresholds.documentDbReplicationLag;
      this.createAlarm(this, 'DocumentDbReplicationLagAlarm', names.replicationLag, ALARM_TIMING.documentDbReplicationLag, lag.toMilliseconds(),
        (period) => documentDbMetric(cluster, 'GlobalClusterReplicationLag', 'Maximum', period),
        `DocumentDB global cluster: this region's copy ${lag.isUnresolved() ? 'the threshold' : lag.toHumanString()} or more behind the primary for 5 minutes; a failover now would lose that much of the writes.`);
    }
  }

  /** An alarm that goes off at or above `threshold` in every evaluated period, and notifies the topic. */
  private createAlarm(
    scope: Construct, id: string, alarmName: string, timing: AlarmTiming, threshold: number,
    metric: (period: Duration) => cloudwatch.IMetric, description: string,
  ): void {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmName,
      alarmDescription: description,
      metric: metric(timing.period),
      threshold,
      evaluationPeriods: timing.evaluationPeriods,
      datapointsToAlarm: timing.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: timing.treatMissingData,
    });
    this.alarms.push(alarm);
    this.notifyOn(alarm);
  }
}

/** The fields of `obj` that are not undefined, so that spreading it keeps the defaults of the rest. */
function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Whether an alarm is defined in this app, so that actions added to it reach the template.
 * Duck-typed: an app may load two copies of aws-cdk-lib.
 */
function definedHere(alarm: cloudwatch.IAlarm): boolean {
  const child = (alarm as IConstruct).node?.defaultChild;
  return typeof (alarm as Partial<cloudwatch.AlarmBase>).addAlarmAction === 'function'
    && child !== undefined && CfnResource.isCfnResource(child)
    && ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm'].includes(child.cfnResourceType);
}
