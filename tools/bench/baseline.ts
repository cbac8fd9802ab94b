/**
 * The reference topology, written by hand with CDK's L2 constructs (L1 where WAF has no L2): the
 * deployment's resources, built the way a team copying the deployment guide would, with CDK's
 * defaults for every rollout lever the deployment tunes (deregistration delay, healthy percents)
 * and the guide's health checks (interval 30 s, healthy threshold 2), at prod's task counts.
 *
 * It is the yardstick of synth time per resource, so it builds what the prod deployment builds: a
 * VPC whose default security group is emptied (by the same custom resource handler) and whose
 * flow logs go to CloudWatch Logs, a cluster with a Cloud Map HTTP namespace for ECS Service
 * Connect, two Fargate services in one security group, and each in a group of its own for
 * Service Connect (PyFIDO's admits TCP 5001 from Tomcat's alone), CPU autoscaling and deployment alarms, an ALB with three HTTPS listeners, access
 * logs in S3 and a WAF web ACL with logging, and two retained secrets. Around the services, what a
 * team sets up to run them: an alarm topic (encrypted with a key CloudWatch may use, TLS only) that
 * the deployment alarms and six alarms per service notify, a dashboard, and the guide's Stop,
 * Start, Redeploy and Diagnose procedures as SSM Automation runbooks, each with a role of its own,
 * the application secret's rotation (which also seeds its previous key) with Redeploy run when
 * either secret changes, an alarm on the rotation function's errors and a rule that sends
 * Secrets Manager's rotation failures to the topic, and a free S3 gateway endpoint in the VPC. `npx projen bench` compares its resource types with the deployment's and refuses to time the two
 * when they drift apart.
 */
import { join } from 'path';
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';

/** The Service Connect port: PyFIDO's, which Tomcat calls. */
const SERVICE_CONNECT_PORT = 5001;

/** Prod's task count, and the scaler's bounds, which the Start runbook restores. */
const TASKS = { desired: 3, min: 3, max: 6 };

/** What the alarms, the dashboard and the runbooks need of one service. */
interface Service {
  /** `PyFido`, `Tomcat`: in construct IDs and step names. */
  readonly id: string;
  /** `pyfido`, `tomcat`: in alarm names, and what an operator picks in a runbook. */
  readonly name: string;
  readonly fargate: ecs.FargateService;
  readonly targets: elbv2.ApplicationTargetGroup;
  readonly logGroup: logs.ILogGroup;
}

export function addBaseline(stack: Stack, certificateArn: string): void {
  // Emptying the default security group is explicit, not left to the feature flag that turns it
  // on in new projects: without any flags the baseline stages the same custom resource handler.
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    restrictDefaultSecurityGroup: true,
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs')) });

  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    // The running-tasks alarm and the dashboard read the task counts Container Insights sends.
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
    defaultCloudMapNamespace: { name: 'fido', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
  });
  // Prod retains its secrets (and a DocumentDB cluster's) when they leave the stack.
  const mongo = new secretsmanager.Secret(stack, 'MongoDbSecret', { removalPolicy: RemovalPolicy.RETAIN });
  const app = new secretsmanager.Secret(stack, 'ApplicationSecret', { removalPolicy: RemovalPolicy.RETAIN });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn);
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  alb.logAccessLogs(new s3.Bucket(stack, 'AccessLogs', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  }));

  const tasks = new ec2.SecurityGroup(stack, 'TaskSecurityGroup', { vpc, allowAllOutbound: false });
  tasks.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  tasks.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(27017));
  // Service Connect: PyFIDO's own group admits 5001 from Tomcat's alone.
  const pyFidoConnect = new ec2.SecurityGroup(stack, 'PyFidoConnectSecurityGroup', { vpc, allowAllOutbound: false });
  const tomcatConnect = new ec2.SecurityGroup(stack, 'TomcatConnectSecurityGroup', { vpc, allowAllOutbound: false });
  tomcatConnect.connections.allowTo(pyFidoConnect, ec2.Port.tcp(SERVICE_CONNECT_PORT));

  const service = (id: string, port: number, path: string, serviceConnect: ecs.ServiceConnectProps, connectGroup: ec2.SecurityGroup): Service => {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { cpu: 1024, memoryLimitMiB: 2048 });
    const logGroup = new logs.LogGroup(stack, `${id}Logs`);
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(`example/${id.toLowerCase()}:1.0.0`),
      portMappings: [{ containerPort: port, name: id.toLowerCase() }],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: id }),
      secrets: {
        MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(mongo, 'password'),
        JWT_SECRET: ecs.Secret.fromSecretsManager(app, 'jwtSecret'),
        JWT_SECRET_PREVIOUS: ecs.Secret.fromSecretsManager(app, 'jwtSecretPrevious'),
      },
    });
    const fargate = new ecs.FargateService(stack, `${id}Service`, {
      cluster,
      taskDefinition,
      desiredCount: TASKS.desired,
      // ECS's own defaults, stated: left out, CDK warns about both, and under cdk init's flags
      // prints the warnings as a validation report inside every timed synth.
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      securityGroups: [tasks],
      serviceConnectConfiguration: serviceConnect,
    });
    // The Service Connect group beside the tasks' one, out of the service's connections (as the
    // deployment attaches it), so the load balancer's rules stay on the tasks' group alone.
    (fargate.node.defaultChild as ecs.CfnService).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
      [tasks.securityGroupId, connectGroup.securityGroupId]);
    fargate.autoScaleTaskCount({ minCapacity: TASKS.min, maxCapacity: TASKS.max }).scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 70 });
    const targets = new elbv2.ApplicationTargetGroup(stack, `${id}Targets`, {
      vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [fargate],
      healthCheck: { path, interval: Duration.seconds(30), healthyThresholdCount: 2 },
    });
    return { id, name: id.toLowerCase(), fargate, targets, logGroup };
  };
  const pyFido = service('PyFido', SERVICE_CONNECT_PORT, '/health', { services: [{ portMappingName: 'pyfido' }] }, pyFidoConnect);
  const tomcat = service('Tomcat', 8080, '/', {}, tomcatConnect);
  for (const [port, { targets }] of [[443, tomcat], [5001, pyFido], [8080, tomcat]] as const) {
    alb.addListener(`Https${port}`, { port, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [certificate], defaultTargetGroups: [targets] });
  }

  // Every alarm sends ALARM and OK to one topic. CloudWatch cannot publish to a topic under the AWS
  // managed key aws/sns, so the topic gets a key of its own whose policy lets CloudWatch use it.
  const topicKey = new kms.Key(stack, 'AlarmTopicKey', { enableKeyRotation: true });
  topicKey.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  const topic = new sns.Topic(stack, 'AlarmTopic', { masterKey: topicKey, enforceSSL: true });
  // The topic policy that enforceSSL writes replaces SNS's default one, so it admits the alarms.
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  const notify = new cloudwatchActions.SnsAction(topic);

  // Deployment alarms name the target groups' load balancer, so they come after the listeners.
  for (const { id, fargate, targets } of [pyFido, tomcat]) {
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number) => {
      const created = new cloudwatch.Alarm(stack, `${id}${name}`, {
        alarmName: `baseline-${id.toLowerCase()}-${name}`,
        metric,
        threshold,
        evaluationPeriods: 2,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      return created.alarmName;
    };
    fargate.enableDeploymentAlarms([
      alarm('5xx', targets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) }), 10),
      alarm('unhealthy', targets.metrics.unhealthyHostCount({ period: Duration.minutes(1) }), 1),
    ]);
  }

  const visibility = (metricName: string) => ({ metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true });
  const webAcl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('WebAcl'),
    rules: [
      { name: 'RateLimit', priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP' } }, visibilityConfig: visibility('RateLimit') },
      ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'].map((name, index) => ({
        name,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      })),
    ],
  });
  new wafv2.CfnWebACLAssociation(stack, 'WebAclAssociation', { resourceArn: alb.loadBalancerArn, webAclArn: webAcl.attrArn });
  const wafLogs = new logs.LogGroup(stack, 'WafLogs', { logGroupName: 'aws-waf-logs-baseline' });
  new wafv2.CfnLoggingConfiguration(stack, 'WafLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });

  const alarms = [pyFido, tomcat].flatMap((s) => addServiceAlarms(stack, s, notify));
  addDashboard(stack, [pyFido, tomcat], alarms);
  const { redeploy, redeployRole } = addRunbooks(stack, cluster, [pyFido, tomcat]);
  addSecretRotation(stack, vpc, app, [mongo, app], redeploy, redeployRole, topic, notify);
}

/**
 * The application secret rotated every 30 days by a function in the VPC (the deployment's own
 * bundle, so both apps stage the same asset) with HTTPS out only, and Redeploy run by EventBridge
 * whenever either secret's current value changes, through a role that may start only that.
 */
function addSecretRotation(
  stack: Stack, vpc: ec2.IVpc, rotated: secretsmanager.Secret, watched: secretsmanager.ISecret[], redeploy: ssm.CfnDocument, redeployRole: iam.IRole,
  topic: sns.ITopic, notify: cloudwatch.IAlarmAction,
): void {
  const securityGroup = new ec2.SecurityGroup(stack, 'RotationSecurityGroup', { vpc, allowAllOutbound: false });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  const fn = new lambda.Function(stack, 'Rotation', {
    runtime: new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS),
    handler: 'index.handler',
    code: lambda.Code.fromAsset(join(__dirname, '..', '..', 'assets', 'private', 'app-secret-rotation.lambda')),
    vpc,
    securityGroups: [securityGroup],
    logGroup: new logs.LogGroup(stack, 'RotationLogs'),
  });
  rotated.addRotationSchedule('Rotation', { rotationLambda: fn, automaticallyAfter: Duration.days(30), rotateImmediatelyOnUpdate: false });
  // A failed rotation is heard of: the function's errors, and Secrets Manager's own report.
  const errors = new cloudwatch.Alarm(stack, 'RotationErrors', { metric: fn.metricErrors({ period: Duration.minutes(5) }), threshold: 1, evaluationPeriods: 1 });
  errors.addAlarmAction(notify);
  new events.Rule(stack, 'RotationFailures', {
    eventPattern: { source: ['aws.secretsmanager'], detail: { eventName: ['RotationFailed', 'RotationAbandoned'] } },
    targets: [{ bind: () => ({ arn: topic.topicArn }) }],
  });
  // The same function puts jwtSecretPrevious into the secret before any task reads it.
  new CustomResource(stack, 'PreviousKey', { serviceToken: fn.functionArn, resourceType: 'Custom::ArculusFidoJwtSecretPrevious', properties: { SecretId: rotated.secretArn } });
  const definition = stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${redeploy.ref}:$DEFAULT` });
  const eventsRole = new iam.Role(stack, 'RedeployEventsRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
  eventsRole.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: [definition] }));
  redeployRole.grantPassRole(eventsRole);
  watched.forEach((secret, i) => new events.Rule(stack, `RedeployOnSecretChange${i}`, {
    eventPattern: { source: ['aws.secretsmanager'], detailType: ['Secret Label Updated'], resources: [secret.secretArn], detail: { labelUpdated: ['AWSCURRENT'] } },
    targets: [{ bind: () => ({ arn: definition, role: eventsRole, input: events.RuleTargetInput.fromObject({ Service: ['all'] }) }) }],
  }));
}

/** A service's task count as Container Insights reports it (`RunningTaskCount`, `DesiredTaskCount`). */
function taskCount(fargate: ecs.FargateService, metricName: string, period: Duration, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: fargate.cluster.clusterName, ServiceName: fargate.serviceName },
    statistic: 'Average',
    period,
    label,
  });
}

/**
 * Six alarms per service, each going off when every period it evaluates breaches, and sending
 * ALARM and OK to the topic: the targets' 5xx rate (a rate only from 10 requests in the period),
 * unhealthy targets, p99 response time, CPU, memory, and tasks missing (Container Insights).
 * Missing data is no breach, except for the missing tasks, where it means Container Insights
 * sends nothing: neither OK nor an alarm.
 */
function addServiceAlarms(stack: Stack, { id, name, fargate, targets }: Service, notify: cloudwatch.IAlarmAction): cloudwatch.Alarm[] {
  const minute = Duration.minutes(1);
  const fiveMinutes = Duration.minutes(5);
  const alarm = (
    what: string, metric: cloudwatch.IMetric, threshold: number, periods: number, missing = cloudwatch.TreatMissingData.NOT_BREACHING,
  ) => {
    const created = new cloudwatch.Alarm(stack, `${id}${what}Alarm`, {
      alarmName: `baseline-${name}-${what.toLowerCase()}`,
      metric,
      threshold,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: missing,
    });
    created.addAlarmAction(notify);
    created.addOkAction(notify);
    return created;
  };
  const fiveXxRate = new cloudwatch.MathExpression({
    expression: 'IF(requests >= 10, 100 * FILL(errors, 0) / requests, 0)',
    usingMetrics: {
      errors: targets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period: fiveMinutes }),
      requests: targets.metrics.requestCount({ statistic: 'Sum', period: fiveMinutes }),
    },
    period: fiveMinutes,
    label: `${name} 5xx rate (%)`,
  });
  const missingTasks = new cloudwatch.MathExpression({
    expression: 'desired - FILL(running, 0)',
    usingMetrics: { desired: taskCount(fargate, 'DesiredTaskCount', minute), running: taskCount(fargate, 'RunningTaskCount', minute) },
    period: minute,
    label: `${name} tasks missing`,
  });
  return [
    alarm('5xxRate', fiveXxRate, 5, 2),
    alarm('UnhealthyTargets', targets.metrics.unhealthyHostCount({ statistic: 'Maximum', period: minute }), 1, 5),
    alarm('LatencyP99', targets.metrics.targetResponseTime({ statistic: 'p99', period: fiveMinutes }), 2, 3),
    alarm('Cpu', fargate.metricCpuUtilization({ period: fiveMinutes }), 80, 3),
    alarm('Memory', fargate.metricMemoryUtilization({ period: fiveMinutes }), 80, 3),
    alarm('MissingTasks', missingTasks, 1, 10, cloudwatch.TreatMissingData.MISSING),
  ];
}

/**
 * One dashboard: the alarms' states, then per service, at 1-minute points, its requests, response
 * times, 4xx and 5xx and targets, its tasks' CPU and memory and their count, and its recent errors
 * (a Logs Insights query for what a Python traceback, a Java stack trace and the log levels write).
 */
function addDashboard(stack: Stack, services: Service[], alarms: cloudwatch.IAlarm[]): void {
  const minute = Duration.minutes(1);
  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { dashboardName: 'baseline' });
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 3 }));
  for (const { name, fargate, targets, logGroup } of services) {
    const graph = (title: string, width: number, left: cloudwatch.IMetric[], alarmAt?: number) => new cloudwatch.GraphWidget({
      title: `${name} ${title}`,
      width,
      height: 6,
      left,
      leftYAxis: { min: 0, showUnits: false },
      leftAnnotations: alarmAt === undefined ? [] : [{ value: alarmAt, label: 'alarm', color: cloudwatch.Color.RED }],
    });
    const tg = targets.metrics;
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${name}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      graph('requests', 6, [tg.requestCount({ statistic: 'Sum', period: minute, label: 'requests' })]),
      graph('target response time (s)', 6, [
        tg.targetResponseTime({ statistic: 'p50', period: minute, label: 'p50' }),
        tg.targetResponseTime({ statistic: 'p99', period: minute, label: 'p99' }),
      ], 2),
      graph('target 4xx and 5xx', 6, [
        tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { statistic: 'Sum', period: minute, label: '4xx' }),
        tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period: minute, label: '5xx' }),
      ]),
      graph('targets', 6, [
        tg.healthyHostCount({ statistic: 'Minimum', period: minute, label: 'healthy' }),
        tg.unhealthyHostCount({ statistic: 'Maximum', period: minute, label: 'unhealthy' }),
      ], 1),
    );
    dashboard.addWidgets(
      graph('CPU (%)', 8, [fargate.metricCpuUtilization({ period: minute, label: 'CPU' })], 80),
      graph('memory (%)', 8, [fargate.metricMemoryUtilization({ period: minute, label: 'memory' })], 80),
      graph('tasks', 8, [taskCount(fargate, 'RunningTaskCount', minute, 'running'), taskCount(fargate, 'DesiredTaskCount', minute, 'desired')]),
    );
    dashboard.addWidgets(new cloudwatch.LogQueryWidget({
      title: `${name} recent errors`,
      logGroupNames: [logGroup.logGroupName],
      queryLines: [
        'fields @timestamp, @logStream, @message',
        'filter @message like /(?i)(error|exception|traceback|fatal|severe)/',
        'sort @timestamp desc',
        'limit 100',
      ],
      view: cloudwatch.LogQueryVisualizationType.TABLE,
      width: 24,
      height: 6,
    }));
  }
}

/** One step of an Automation runbook, as schema 0.3 writes it. */
type Step = Record<string, unknown>;

/**
 * The guide's service management as SSM Automation runbooks, which an operator starts for every
 * service or one (`Service`): Stop sets the scaler's bounds to 0..0 first (else it starts tasks
 * again up to its minimum), then no task, and waits until none runs; Start puts the bounds and the
 * task count back and waits until the tasks run; Redeploy starts a new deployment of the same task
 * definition and waits until ECS completes it, failing when ECS rolled it back; Diagnose only
 * reads: the tasks, why the last ones stopped, the targets' health and the last failed deployment.
 * Each runs with a role of its own that SSM assumes for this account's automations only.
 */
function addRunbooks(stack: Stack, cluster: ecs.Cluster, services: Service[]): { redeploy: ssm.CfnDocument; redeployRole: iam.Role } {
  const serviceArns = services.map((s) => s.fargate.serviceArn);
  const role = (id: string, statements: iam.PolicyStatement[]) => {
    const created = new iam.Role(stack, `${id}RunbookRole`, {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }) },
        },
      }),
    });
    statements.forEach((statement) => created.addToPolicy(statement));
    return created;
  };
  const updateServices = new iam.PolicyStatement({ actions: ['ecs:UpdateService', 'ecs:DescribeServices'], resources: serviceArns });
  // Application Auto Scaling returns no scalable target ARN to scope this to; the conditions keep
  // it to ECS task counts.
  const setBounds = new iam.PolicyStatement({
    actions: ['application-autoscaling:RegisterScalableTarget'],
    resources: [stack.formatArn({ service: 'application-autoscaling', resource: 'scalable-target', resourceName: '*' })],
    conditions: { StringEquals: { 'application-autoscaling:service-namespace': 'ecs', 'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount' } },
  });

  const call = (name: string, service: string, api: string, inputs: object, extra: Step = {}): Step =>
    ({ name, action: 'aws:executeAwsApi', inputs: { Service: service, Api: api, ...inputs }, ...extra });
  const outputs = (...list: Array<[string, string, string]>): Step => ({ outputs: list.map(([Name, Selector, Type]) => ({ Name, Selector, Type })) });
  const describe = (s: Service) => ({ Service: 'ecs', Api: 'DescribeServices', cluster: cluster.clusterName, services: [s.fargate.serviceName] });
  const waitFor = (name: string, s: Service, selector: string, values: string[], timeoutSeconds: number): Step =>
    ({ name, action: 'aws:waitForAwsResourceProperty', timeoutSeconds, inputs: { ...describe(s), PropertySelector: selector, DesiredValues: values } });
  const check = (name: string, s: Service, selector: string, values: string[]): Step =>
    ({ name, action: 'aws:assertAwsResourceProperty', inputs: { ...describe(s), PropertySelector: selector, DesiredValues: values } });
  const bounds = (name: string, s: Service, min: number, max: number): Step => call(name, 'application-autoscaling', 'RegisterScalableTarget', {
    ServiceNamespace: 'ecs',
    ResourceId: `service/${cluster.clusterName}/${s.fargate.serviceName}`,
    ScalableDimension: 'ecs:service:DesiredCount',
    MinCapacity: min,
    MaxCapacity: max,
  });
  const report = call('Report', 'ecs', 'DescribeServices', { cluster: cluster.clusterName, services: services.map((s) => s.fargate.serviceName) },
    outputs(...services.flatMap((s, i): Array<[string, string, string]> => [
      [`${s.id}Running`, `$.services[${i}].runningCount`, 'Integer'],
      [`${s.id}Desired`, `$.services[${i}].desiredCount`, 'Integer'],
    ])));

  const runbook = (id: string, runbookRole: iam.IRole, description: string, mainSteps: Step[], picksService: boolean) => new ssm.CfnDocument(stack, `${id}Runbook`, {
    name: `baseline-${id}`,
    documentType: 'Automation',
    documentFormat: 'JSON',
    // A named document cannot be replaced; a change becomes its new default version.
    updateMethod: 'NewVersion',
    content: {
      schemaVersion: '0.3',
      description,
      assumeRole: '{{AutomationAssumeRole}}',
      parameters: {
        AutomationAssumeRole: { type: 'String', description: 'The role the automation runs with.', default: runbookRole.roleArn },
        ...(picksService ? { Service: { type: 'String', description: 'The service, or all of them.', allowedValues: ['all', ...services.map((s) => s.name)] } } : {}),
      },
      mainSteps,
      ...(mainSteps.some((step) => step.outputs) ? { outputs: mainSteps.flatMap((step) => ((step.outputs ?? []) as Array<{ Name: string }>).map((o) => `${step.name}.${o.Name}`)) } : {}),
    },
  });
  // Before each service's steps, a branch that skips them unless the operator picked it (or all).
  const forPicked = (stepsOf: (s: Service) => Step[]): Step[] => [
    ...services.flatMap((s, i) => {
      const steps = stepsOf(s);
      const choice = { Or: [{ Variable: '{{Service}}', StringEquals: 'all' }, { Variable: '{{Service}}', StringEquals: s.name }], NextStep: steps[0].name };
      const skipTo = i + 1 < services.length ? `Choose${services[i + 1].id}` : 'Report';
      return [{ name: `Choose${s.id}`, action: 'aws:branch', inputs: { Choices: [choice], Default: skipTo } }, ...steps];
    }),
    report,
  ];

  runbook('Stop', role('Stop', [updateServices, setBounds]), '# Stop FIDO services\n\nThe scaler\'s bounds to 0..0, then no task; waits up to 15 minutes until none runs.', forPicked((s) => [
    bounds(`ZeroBounds${s.id}`, s, 0, 0),
    call(`Stop${s.id}`, 'ecs', 'UpdateService', { cluster: cluster.clusterName, service: s.fargate.serviceName, desiredCount: 0 }),
    waitFor(`WaitStopped${s.id}`, s, '$.services[0].runningCount', ['0'], 900),
  ]), true);
  runbook('Start', role('Start', [updateServices, setBounds]), `# Start FIDO services\n\nThe scaler's bounds back to ${TASKS.min}..${TASKS.max}, then ${TASKS.desired} tasks; waits up to 30 minutes until they run.`, forPicked((s) => [
    bounds(`RestoreBounds${s.id}`, s, TASKS.min, TASKS.max),
    call(`Start${s.id}`, 'ecs', 'UpdateService', { cluster: cluster.clusterName, service: s.fargate.serviceName, desiredCount: TASKS.desired }),
    waitFor(`WaitStarted${s.id}`, s, '$.services[0].runningCount', [String(TASKS.desired)], 1800),
  ]), true);
  // ECS lists the newest (PRIMARY) deployment first; one that fails is replaced by its rollback.
  const redeployRole = role('Redeploy', [updateServices]);
  const redeploy = runbook('Redeploy', redeployRole, '# Redeploy FIDO services\n\nA new deployment of the same task definition; waits up to an hour until ECS completes it, and fails when ECS rolled it back.', forPicked((s) => [
    call(`Redeploy${s.id}`, 'ecs', 'UpdateService', { cluster: cluster.clusterName, service: s.fargate.serviceName, forceNewDeployment: true },
      outputs(['DeploymentId', '$.service.deployments[0].id', 'String'])),
    waitFor(`WaitRedeployed${s.id}`, s, '$.services[0].deployments[0].rolloutState', ['COMPLETED', 'FAILED'], 3600),
    check(`CheckNotRolledBack${s.id}`, s, '$.services[0].deployments[0].id', [`{{Redeploy${s.id}.DeploymentId}}`]),
    check(`CheckCompleted${s.id}`, s, '$.services[0].deployments[0].rolloutState', ['COMPLETED']),
  ]), true);

  const diagnoseRole = role('Diagnose', [
    new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], resources: serviceArns }),
    // ListTasks is authorized on container instances, which Fargate has none of: the condition scopes it.
    new iam.PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } } }),
    new iam.PolicyStatement({ actions: ['ecs:DescribeTasks'], resources: [stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*` })] }),
    new iam.PolicyStatement({
      actions: ['ecs:DescribeServiceDeployments'],
      resources: [...serviceArns, ...services.map((s) => stack.formatArn({ service: 'ecs', resource: 'service-deployment', resourceName: `${cluster.clusterName}/${s.fargate.serviceName}/*` }))],
    }),
    new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeTargetHealth'], resources: ['*'] }),
  ]);
  // A describe step fails when the list before it is empty; that is a finding, not a failed run.
  const mayFindNothing = { onFailure: 'Continue', isCritical: false };
  runbook('Diagnose', diagnoseRole, '# Diagnose FIDO services\n\nReads, changing nothing: running against desired tasks and the rollout, why the last tasks stopped, the targets\' health, and the last failed deployment.', services.flatMap((s) => [
    call(`Describe${s.id}`, 'ecs', 'DescribeServices', { cluster: cluster.clusterName, services: [s.fargate.serviceName] }, outputs(
      ['RunningCount', '$.services[0].runningCount', 'Integer'],
      ['DesiredCount', '$.services[0].desiredCount', 'Integer'],
      ['PendingCount', '$.services[0].pendingCount', 'Integer'],
      ['RolloutState', '$.services[0].deployments[0].rolloutState', 'String'],
      ['RolloutStateReason', '$.services[0].deployments[0].rolloutStateReason', 'String'],
      ['LatestEvent', '$.services[0].events[0].message', 'String'],
    )),
    call(`ListStopped${s.id}`, 'ecs', 'ListTasks', { cluster: cluster.clusterName, serviceName: s.fargate.serviceName, desiredStatus: 'STOPPED', maxResults: 10 },
      outputs(['TaskArns', '$.taskArns', 'StringList'])),
    call(`DescribeStopped${s.id}`, 'ecs', 'DescribeTasks', { cluster: cluster.clusterName, tasks: `{{ListStopped${s.id}.TaskArns}}` }, {
      ...outputs(['StopCodes', '$.tasks..stopCode', 'StringList'], ['StoppedReasons', '$.tasks..stoppedReason', 'StringList'], ['ContainerReasons', '$.tasks..containers..reason', 'StringList']),
      ...mayFindNothing,
    }),
    call(`TargetHealth${s.id}`, 'elbv2', 'DescribeTargetHealth', { TargetGroupArn: s.targets.targetGroupArn }, outputs(
      ['Targets', '$.TargetHealthDescriptions..Target.Id', 'StringList'],
      ['States', '$.TargetHealthDescriptions..TargetHealth.State', 'StringList'],
      ['Reasons', '$.TargetHealthDescriptions..TargetHealth.Reason', 'StringList'],
      ['Descriptions', '$.TargetHealthDescriptions..TargetHealth.Description', 'StringList'],
    )),
    call(`LastFailedDeployment${s.id}`, 'ecs', 'ListServiceDeployments', {
      cluster: cluster.clusterName,
      service: s.fargate.serviceName,
      status: ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'],
      maxResults: 1,
    }, outputs(
      ['DeploymentArn', '$.serviceDeployments[0].serviceDeploymentArn', 'String'],
      ['Status', '$.serviceDeployments[0].status', 'String'],
      ['StatusReason', '$.serviceDeployments[0].statusReason', 'String'],
    )),
    call(`DescribeFailedDeployment${s.id}`, 'ecs', 'DescribeServiceDeployments', { serviceDeploymentArns: [`{{LastFailedDeployment${s.id}.DeploymentArn}}`] }, {
      ...outputs(
        ['LifecycleStage', '$.serviceDeployments[0].lifecycleStage', 'String'],
        ['CircuitBreakerFailures', '$.serviceDeployments[0].deploymentCircuitBreaker.failureCount', 'Integer'],
        ['TriggeredAlarms', '$.serviceDeployments[0].alarms.triggeredAlarmNames', 'StringList'],
        ['RollbackReason', '$.serviceDeployments[0].rollback.reason', 'String'],
      ),
      ...mayFindNothing,
    }),
  ]), false);
  return { redeploy, redeployRole };
}
