import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeploymentEnvironment, FidoLoadBalancer, FidoMonitoring, FidoMonitoringProps, FidoService, MonitoredService, SecretRotation } from '../src';
import { runNag } from './nag-report';
import { addReviewedStack, CERTIFICATE_ARN, ENV, testApp, thrownBy } from './util';
import { deploymentAlarmNames } from '../src/private/names';

// FidoMonitoring on a bare stack, beside the building blocks it watches: a rolling PyFIDO, a
// blue/green Tomcat with two target groups, the load balancer, and a DocumentDB cluster.

const PREFIX = 'arculus-auth-prod';
const MINUTE = 60;

interface Fixture {
  readonly stack: Stack;
  readonly services: MonitoredService[];
  readonly deploymentAlarms: cloudwatch.Alarm[];
  readonly database: docdb.IDatabaseCluster;
}

/** The services and load balancer on a bare stack, ready to be watched. */
function fixture(app = testApp()): Fixture {
  const stack = new Stack(app, 'Bare', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
  const pyFido = new FidoService(stack, 'PyFido', { cluster, containerName: 'pyfido', image, containerPort: 5000 });
  const tomcat = new FidoService(stack, 'Tomcat', {
    cluster, containerName: 'tomcat', image, containerPort: 8080, deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN },
  });
  const edge = new FidoLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    pyFidoTargetGroup: pyFido.targetGroup,
    tomcatTargetGroup: tomcat.targetGroup,
  });
  tomcat.addTrafficRoute('Web', { listener: edge.httpsListener });
  const deploymentAlarms = pyFido.addDeploymentAlarms(`${PREFIX}-pyfido`);
  return {
    stack,
    services: [
      { name: 'pyfido', service: pyFido.service, targetGroups: [pyFido.targetGroup], logGroup: pyFido.logGroup },
      { name: 'tomcat', service: tomcat.service, targetGroups: [tomcat.targetGroup, tomcat.alternateTargetGroup!], logGroup: tomcat.logGroup },
    ],
    deploymentAlarms,
    database: docdb.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Database', { clusterIdentifier: 'fido-docdb' }),
  };
}

/** A FidoMonitoring over the fixture, with `props` over the defaults. */
function monitored(props: Partial<FidoMonitoringProps> = {}, app?: App): Fixture & { monitoring: FidoMonitoring } {
  const f = fixture(app);
  const monitoring = new FidoMonitoring(f.stack, 'Monitoring', {
    namePrefix: PREFIX, services: f.services, databaseCluster: f.database, ...props,
  });
  return { ...f, monitoring };
}


/** Every resource of a type, by logical ID. */
function resources(template: Template, type: string): { [id: string]: any } {
  return Object.fromEntries(Object.entries(template.findResources(type)).map(([id, r]) => [id, r.Properties]));
}

/** The properties of the alarm named `name`. */
function alarmNamed(template: Template, name: string): any {
  const found = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).filter((p) => p.AlarmName === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The alarm's metric math entries by ID. */
function metricsById(alarm: any): { [id: string]: any } {
  return Object.fromEntries(alarm.Metrics.map((m: any) => [m.Id, m]));
}

/**
 * The dashboard body as JSON. CloudFormation writes it as an Fn::Join of strings and references;
 * each reference becomes a readable placeholder (`Ref:LogicalId`, `GetAtt:LogicalId.Attribute`).
 */
function dashboardBody(template: Template): any {
  const [dashboard] = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'));
  const body = dashboard.DashboardBody;
  const parts: unknown[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts.map((part: any) => {
    if (typeof part === 'string') {
      return part;
    }
    if (part.Ref) {
      return `Ref:${part.Ref}`;
    }
    if (part['Fn::GetAtt']) {
      return `GetAtt:${part['Fn::GetAtt'].join('.')}`;
    }
    return 'Token';
  }).join('');
  return JSON.parse(text);
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: any } }): string {
  return stack.getLogicalId(construct.node.defaultChild);
}

describe('FidoMonitoring with its defaults', () => {
  let f: ReturnType<typeof monitored>;
  let template: Template;
  let ownAlarm: cloudwatch.Alarm;
  let topicRef: { Ref: string };

  beforeAll(() => {
    f = monitored({ emails: ['ops@example.com', 'oncall@example.com'] });
    ownAlarm = new cloudwatch.Alarm(f.stack, 'OwnAlarm', {
      metric: new cloudwatch.Metric({ namespace: 'Custom', metricName: 'Signups' }), threshold: 1, evaluationPeriods: 1,
    });
    f.monitoring.notifyOn(...f.deploymentAlarms, ownAlarm, f.deploymentAlarms[0]);
    template = Template.fromStack(f.stack);
    topicRef = { Ref: logicalIdOf(f.stack, f.monitoring.topic) };
  });

  test('creates six alarms per service and two on DocumentDB, named from the prefix', () => {
    const names = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((p) => p.AlarmName).filter((n) => n !== undefined);
    const expected = ['pyfido', 'tomcat'].flatMap((s) => ['5xx-rate', 'unhealthy-targets', 'latency-p99', 'cpu', 'memory', 'running-tasks'].map((w) => `${PREFIX}-${s}-${w}`));
    expect(names.sort()).toEqual([...expected, `${PREFIX}-docdb-cpu`, `${PREFIX}-docdb-connections`, ...deploymentAlarmNames(`${PREFIX}-pyfido`)].sort());
    expect(f.monitoring.alarms).toHaveLength(14);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(255);
    }
  });

  test('alarms on the 5xx rate as a percent of the requests over every target group of the service', () => {
    const tomcat = alarmNamed(template, `${PREFIX}-tomcat-5xx-rate`);
    expect(tomcat).toMatchObject({
      Threshold: 5, EvaluationPeriods: 2, DatapointsToAlarm: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
    const metrics = metricsById(tomcat);
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['errors', 'errors0', 'errors1', 'requests', 'requests0', 'requests1']));
    expect(tomcat.Metrics).toHaveLength(7);
    const top = tomcat.Metrics.find((m: any) => m.ReturnData !== false);
    expect(top.Expression).toBe('IF(requests >= 10, 100 * errors / requests, 0)');
    expect(metrics.errors.Expression).toBe('FILL(errors0, 0) + FILL(errors1, 0)');
    expect(metrics.requests.Expression).toBe('FILL(requests0, 0) + FILL(requests1, 0)');
    for (const index of [0, 1]) {
      expect(metrics[`errors${index}`].MetricStat).toMatchObject({ Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count' }, Stat: 'Sum', Period: 5 * MINUTE });
      expect(metrics[`requests${index}`].MetricStat).toMatchObject({ Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount' }, Stat: 'Sum', Period: 5 * MINUTE });
    }
    // Each target group of the pair, by its own dimension.
    const groups = [0, 1].map((i) => metrics[`errors${i}`].MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'TargetGroup').Value);
    expect(JSON.stringify(groups[0])).not.toEqual(JSON.stringify(groups[1]));
    expect(metricsById(alarmNamed(template, `${PREFIX}-pyfido-5xx-rate`)).errors.Expression).toBe('FILL(errors0, 0)');
  });

  test('alarms on unhealthy targets: the target group\'s own metric, or the highest over a pair', () => {
    const pyfido = alarmNamed(template, `${PREFIX}-pyfido-unhealthy-targets`);
    expect(pyfido).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      Period: MINUTE,
      Threshold: 1,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const tomcat = alarmNamed(template, `${PREFIX}-tomcat-unhealthy-targets`);
    const metrics = metricsById(tomcat);
    expect(tomcat.Metrics.find((m: any) => m.ReturnData !== false).Expression).toBe('MAX([FILL(tg0, 0), FILL(tg1, 0)])');
    expect(metrics.tg1.MetricStat).toMatchObject({ Metric: { MetricName: 'UnHealthyHostCount' }, Stat: 'Maximum', Period: MINUTE });
  });

  test('alarms on the p99 target response time, in seconds', () => {
    expect(alarmNamed(template, `${PREFIX}-pyfido-latency-p99`)).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Period: 5 * MINUTE,
      Threshold: 2,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    const tomcat = alarmNamed(template, `${PREFIX}-tomcat-latency-p99`);
    expect(metricsById(tomcat).tg0.MetricStat).toMatchObject({ Metric: { MetricName: 'TargetResponseTime' }, Stat: 'p99', Period: 5 * MINUTE });
  });

  test('alarms on each service\'s CPU and memory (AWS/ECS, by cluster and service)', () => {
    const serviceId = logicalIdOf(f.stack, f.services[0].service);
    for (const [what, metricName] of [['cpu', 'CPUUtilization'], ['memory', 'MemoryUtilization']]) {
      const alarm = alarmNamed(template, `${PREFIX}-pyfido-${what}`);
      expect(alarm).toMatchObject({
        Namespace: 'AWS/ECS',
        MetricName: metricName,
        Statistic: 'Average',
        Period: 5 * MINUTE,
        Threshold: 80,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Dimensions).toEqual([
        { Name: 'ClusterName', Value: { Ref: logicalIdOf(f.stack, f.services[0].service.cluster as ecs.Cluster) } },
        { Name: 'ServiceName', Value: { 'Fn::GetAtt': [serviceId, 'Name'] } },
      ]);
    }
  });

  test('alarms on running tasks below desired, from Container Insights, leaving missing data missing', () => {
    const alarm = alarmNamed(template, `${PREFIX}-tomcat-running-tasks`);
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 10, DatapointsToAlarm: 10, TreatMissingData: 'missing' });
    const metrics = metricsById(alarm);
    expect(alarm.Metrics.find((m: any) => m.ReturnData !== false)).toMatchObject({ Expression: 'desired - FILL(running, 0)' });
    for (const [id, metricName] of [['desired', 'DesiredTaskCount'], ['running', 'RunningTaskCount']]) {
      expect(metrics[id].MetricStat).toMatchObject({ Metric: { Namespace: 'ECS/ContainerInsights', MetricName: metricName }, Stat: 'Average', Period: MINUTE });
      expect(metrics[id].MetricStat.Metric.Dimensions.map((d: any) => d.Name)).toEqual(['ClusterName', 'ServiceName']);
    }
  });

  test('alarms on the DocumentDB cluster\'s CPU and connections', () => {
    expect(alarmNamed(template, `${PREFIX}-docdb-cpu`)).toMatchObject({
      Namespace: 'AWS/DocDB',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Period: 5 * MINUTE,
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'fido-docdb' }],
      Threshold: 80,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    expect(alarmNamed(template, `${PREFIX}-docdb-connections`)).toMatchObject({
      Namespace: 'AWS/DocDB',
      MetricName: 'DatabaseConnections',
      Statistic: 'Maximum',
      Period: MINUTE,
      Threshold: 400,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      TreatMissingData: 'notBreaching',
    });
  });

  test('sends ALARM and OK of every alarm to the topic, those handed to notifyOn() included, once each', () => {
    const alarms = resources(template, 'AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(17);
    for (const props of Object.values(alarms)) {
      expect(props.AlarmActions).toEqual([topicRef]);
      expect(props.OKActions).toEqual([topicRef]);
    }
  });

  test('encrypts the topic with a created, rotated key whose policy lets CloudWatch use it for this account\'s alarms only', () => {
    const [keyId] = Object.keys(resources(template, 'AWS::KMS::Key'));
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { EnableKeyRotation: true, PendingWindowInDays: 7 } });
    const [topicPolicy] = Object.values(resources(template, 'AWS::SNS::TopicPolicy'));
    const alarmsOfThisAccount = topicPolicy.PolicyDocument.Statement.find((s: any) => s.Sid === 'AllowAlarmsOfThisAccount').Condition;
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          // As the topic policy: the account, and its alarms' ARNs.
          Condition: alarmsOfThisAccount,
        }]),
      },
    });
    expect(alarmsOfThisAccount.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(f.monitoring.encryptionKey).toBeDefined();
  });

  test('refuses publishing without TLS, and lets this account\'s alarms publish', () => {
    const [policy] = Object.values(resources(template, 'AWS::SNS::TopicPolicy'));
    expect(policy.Topics).toEqual([topicRef]);
    const statements = policy.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topicRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const allow = statements.find((s: any) => s.Sid === 'AllowAlarmsOfThisAccount');
    expect(allow).toMatchObject({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topicRef });
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    expect(JSON.stringify(allow.Condition.ArnLike['aws:SourceArn'])).toMatch(/:cloudwatch:us-east-1:111111111111:alarm:\*"/);
  });

  test('subscribes each e-mail address', () => {
    const subscriptions = Object.values(resources(template, 'AWS::SNS::Subscription'));
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint, s.TopicArn])).toEqual([
      ['email', 'ops@example.com', topicRef],
      ['email', 'oncall@example.com', topicRef],
    ]);
  });

  describe('the dashboard', () => {
    let widgets: any[];
    const titled = (title: string) => {
      const found = widgets.filter((w) => w.properties.title === title);
      expect(found).toHaveLength(1);
      return found[0].properties;
    };

    beforeAll(() => {
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: PREFIX });
      widgets = dashboardBody(template).widgets;
    });

    test('opens with the state of the alarms it created', () => {
      expect(widgets[0]).toMatchObject({ type: 'alarm', properties: { title: 'Alarms' } });
      expect(widgets[0].properties.alarms).toHaveLength(14);
    });

    test('shows per target group the requests, p50 and p99 response time, 4xx and 5xx, and the targets', () => {
      const labels = (title: string) => titled(title).metrics.map((m: any) => m[m.length - 1].label);
      expect(labels('tomcat requests')).toEqual(['tomcat #1 requests', 'tomcat #2 requests']);
      expect(labels('tomcat target response time (s)')).toEqual(['tomcat #1 p50', 'tomcat #1 p99', 'tomcat #2 p50', 'tomcat #2 p99']);
      expect(labels('tomcat target 4xx and 5xx')).toEqual(['tomcat #1 4xx', 'tomcat #1 5xx', 'tomcat #2 4xx', 'tomcat #2 5xx']);
      expect(labels('tomcat targets')).toEqual(['tomcat #1 healthy', 'tomcat #1 unhealthy', 'tomcat #2 healthy', 'tomcat #2 unhealthy']);
      expect(labels('pyfido requests')).toEqual(['pyfido requests']);
      const latency = titled('pyfido target response time (s)');
      expect(latency.metrics.map((m: any) => [m[1], m[m.length - 1].stat])).toEqual([['TargetResponseTime', 'p50'], ['TargetResponseTime', 'p99']]);
      expect(latency.annotations.horizontal).toEqual([expect.objectContaining({ value: 2, label: 'p99 alarm' })]);
      expect(titled('pyfido target 4xx and 5xx').metrics.map((m: any) => m[1])).toEqual(['HTTPCode_Target_4XX_Count', 'HTTPCode_Target_5XX_Count']);
    });

    test('shows per service the CPU, memory and running and desired tasks', () => {
      expect(titled('pyfido CPU (%)').metrics.map((m: any) => m.slice(0, 2))).toEqual([['AWS/ECS', 'CPUUtilization']]);
      expect(titled('pyfido CPU (%)').annotations.horizontal).toEqual([expect.objectContaining({ value: 80 })]);
      expect(titled('pyfido memory (%)').metrics.map((m: any) => m.slice(0, 2))).toEqual([['AWS/ECS', 'MemoryUtilization']]);
      expect(titled('tomcat tasks').metrics.map((m: any) => m.slice(0, 2))).toEqual([
        ['ECS/ContainerInsights', 'RunningTaskCount'], ['ECS/ContainerInsights', 'DesiredTaskCount'],
      ]);
    });

    test('lists each service\'s recent errors with Logs Insights', () => {
      for (const [index, name] of ['pyfido', 'tomcat'].entries()) {
        const logs = titled(`${name} recent errors`);
        expect(logs.query).toBe(`SOURCE 'Ref:${logicalIdOf(f.stack, f.services[index].logGroup as any)}' | fields @timestamp, @logStream, @message\n| filter @message like /(?i)(error|exception|traceback|fatal|severe)/\n| sort @timestamp desc\n| limit 100`);
        expect(logs.view).toBe('table');
      }
    });

    test('shows the DocumentDB cluster\'s CPU and connections', () => {
      expect(titled('DocumentDB CPU (%)').metrics).toEqual([expect.arrayContaining(['AWS/DocDB', 'CPUUtilization', 'DBClusterIdentifier', 'fido-docdb'])]);
      expect(titled('DocumentDB connections').annotations.horizontal).toEqual([expect.objectContaining({ value: 400 })]);
    });
  });
});

describe('FidoMonitoring with thresholds of its own', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromStack(monitored({
      thresholds: {
        target5xxPercent: 1.5,
        unhealthyHosts: 2,
        latencyP99: Duration.millis(750),
        cpuPercent: 90,
        memoryPercent: 85,
        missingTasks: 2,
        documentDbCpuPercent: 70,
        documentDbConnections: 1360,
      },
    }).stack);
  });

  test.each([
    ['pyfido-5xx-rate', 1.5], ['pyfido-unhealthy-targets', 2], ['pyfido-latency-p99', 0.75], ['pyfido-cpu', 90], ['pyfido-memory', 85],
    ['pyfido-running-tasks', 2], ['docdb-cpu', 70], ['docdb-connections', 1360],
  ])('alarm %s goes off at %d', (suffix, threshold) => {
    expect(alarmNamed(template, `${PREFIX}-${suffix}`).Threshold).toBe(threshold);
  });
});

test('FidoMonitoring takes CloudFormation parameters for the prefix, the thresholds and the e-mail addresses', () => {
  const f = fixture();
  const parameter = (id: string, type = 'Number') => new CfnParameter(f.stack, id, { type });
  new FidoMonitoring(f.stack, 'Monitoring', {
    namePrefix: parameter('Prefix', 'String').valueAsString,
    services: f.services,
    emails: [parameter('Email', 'String').valueAsString],
    thresholds: { cpuPercent: parameter('Cpu').valueAsNumber, latencyP99: Duration.seconds(parameter('Latency').valueAsNumber) },
  });
  const template = Template.fromStack(f.stack);
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: { 'Fn::Join': ['', [{ Ref: 'Prefix' }, '-pyfido-cpu']] }, Threshold: { Ref: 'Cpu' },
  });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: { 'Fn::Join': ['', [{ Ref: 'Prefix' }, '-pyfido-latency-p99']] }, Threshold: { Ref: 'Latency' },
  });
  template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { Ref: 'Email' } });
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: { Ref: 'Prefix' } });
});

describe('FidoMonitoring turned down', () => {
  test('without alarms: no alarm of its own, the topic still takes the ones handed to it, and the graphs carry no alarm line', () => {
    const f = monitored({ alarms: false });
    f.monitoring.notifyOn(...f.deploymentAlarms);
    const template = Template.fromStack(f.stack);
    expect(f.monitoring.alarms).toEqual([]);
    expect(Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((p) => p.AlarmName).sort()).toEqual(deploymentAlarmNames(`${PREFIX}-pyfido`).sort());
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const widgets = dashboardBody(template).widgets;
    expect(widgets.some((w: any) => w.type === 'alarm')).toBe(false);
    expect(widgets.filter((w: any) => w.properties.annotations)).toEqual([]);
  });

  test('without a dashboard: none', () => {
    const f = monitored({ dashboard: false });
    Template.fromStack(f.stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(f.monitoring.dashboard).toBeUndefined();
  });

  test('without a DocumentDB cluster: no database alarm or widget', () => {
    const f = fixture();
    new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: f.services });
    const template = Template.fromStack(f.stack);
    expect(Object.values(resources(template, 'AWS::CloudWatch::Alarm')).filter((p) => /docdb/.test(p.AlarmName))).toEqual([]);
    expect(dashboardBody(template).widgets.filter((w: any) => /DocumentDB/.test(JSON.stringify(w)))).toEqual([]);
  });
});

describe('FidoMonitoring with a topic or key of the user\'s', () => {
  test('a given topic receives the alarms and subscriptions, and is left as it is: no key, no policy', () => {
    const f = fixture();
    const topic = new sns.Topic(f.stack, 'OpsTopic', { masterKey: new kms.Key(f.stack, 'OpsKey', { enableKeyRotation: true }) });
    const monitoring = new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: f.services, topic, emails: ['ops@example.com'] });
    const template = Template.fromStack(f.stack);
    expect(monitoring.topic).toBe(topic);
    expect(monitoring.encryptionKey).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    const ref = { Ref: logicalIdOf(f.stack, topic) };
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: ref, Endpoint: 'ops@example.com' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `${PREFIX}-pyfido-cpu`, AlarmActions: [ref], OKActions: [ref] });
  });

  test('a given key encrypts the created topic and gets CloudWatch\'s statement', () => {
    const f = fixture();
    const key = new kms.Key(f.stack, 'DeploymentKey', { enableKeyRotation: true });
    const monitoring = new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: f.services, encryptionKey: key });
    const template = Template.fromStack(f.stack);
    expect(monitoring.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('an imported key, whose policy cannot change here, gets a warning that says what it needs', () => {
    const f = fixture();
    const key = kms.Key.fromKeyArn(f.stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000');
    new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: f.services, encryptionKey: key });
    Annotations.fromStack(f.stack).hasWarning('/Bare/Monitoring', Match.stringLikeRegexp('encryptionKey is imported.*cloudwatch\\.amazonaws\\.com.*kms:Decrypt and kms:GenerateDataKey\\*'));
  });
});

/** Two rotating secrets on the fixture's stack: one with a function of the app, one imported by name and rotated elsewhere. */
function rotations(stack: Stack): SecretRotation[] {
  const secret = new secretsmanager.Secret(stack, 'AppSecret');
  const rotationFunction = new lambda.Function(stack, 'Rotation', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  return [
    { name: 'application-secret', secret, rotationFunction },
    { name: 'mongodb-secret', secret: secretsmanager.Secret.fromSecretNameV2(stack, 'MongoSecret', 'fido/mongodb') },
  ];
}

describe('FidoMonitoring watching secret rotations', () => {
  let f: ReturnType<typeof monitored>;
  let template: Template;
  let topicRef: { Ref: string };
  let secretRef: { Ref: string };
  let functionRef: { Ref: string };

  beforeAll(() => {
    const app = testApp();
    const stack = new Stack(app, 'Pre', { env: ENV });
    const given = rotations(stack);
    // The rotations live in a stack of their own, as the deployment's data layer may.
    f = monitored({ secretRotations: given }, app);
    template = Template.fromStack(f.stack);
    topicRef = { Ref: logicalIdOf(f.stack, f.monitoring.topic) };
    const pre = Template.fromStack(stack);
    secretRef = { Ref: Object.keys(pre.findResources('AWS::SecretsManager::Secret'))[0] };
    functionRef = { Ref: Object.keys(pre.findResources('AWS::Lambda::Function'))[0] };
  });

  test('alarms on any error of a rotation function in 5 minutes, named from the prefix and the rotation, with ALARM and OK to the topic', () => {
    const alarm = alarmNamed(template, `${PREFIX}-application-secret-rotation-errors`);
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    expect(JSON.stringify(alarm.Dimensions)).toContain('FunctionName');
    expect(alarm.AlarmDescription).toMatch(/^application-secret: the rotation function failed/);
    // A secret rotated outside the app has no function to alarm on.
    expect(Object.values(resources(template, 'AWS::CloudWatch::Alarm')).filter((a) => /mongodb/.test(a.AlarmName))).toEqual([]);
  });

  test('publishes Secrets Manager\'s RotationFailed and RotationAbandoned events of every rotating secret to the topic', () => {
    const [rule] = Object.values(resources(template, 'AWS::Events::Rule'));
    expect(rule.EventPattern).toEqual({
      'source': ['aws.secretsmanager'],
      'detail-type': ['AWS Service Event via CloudTrail'],
      'detail': {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['RotationFailed', 'RotationAbandoned'],
        additionalEventData: {
          SecretId: [
            // The other stack's secret: an export, or under cdk init's flags a published output.
            expect.objectContaining(JSON.stringify(rule.EventPattern).includes('Fn::GetStackOutput')
              ? { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/AppSecret/) }) }
              : { 'Fn::ImportValue': expect.stringMatching(/AppSecret/) }),
            // Imported by name, so matched by the prefix of its full ARN (the partition a literal under cdk init's flags).
            { prefix: expect.anything() },
          ],
        },
      },
    });
    expect(JSON.stringify(rule.EventPattern.detail.additionalEventData.SecretId[1].prefix)).toMatch(/:secretsmanager:us-east-1:111111111111:secret:fido\/mongodb-"/);
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toEqual([{ Arn: topicRef, Id: 'Target0' }]);
    expect(f.monitoring.rotationFailureRule).toBeDefined();
    expect(secretRef.Ref).toMatch(/AppSecret/);
  });

  test('lets that rule publish to the created topic, and EventBridge use its key for this account\'s rules only', () => {
    const ruleId = Object.keys(resources(template, 'AWS::Events::Rule'))[0];
    const [topicPolicy] = Object.values(resources(template, 'AWS::SNS::TopicPolicy'));
    expect(topicPolicy.PolicyDocument.Statement.find((s: any) => s.Sid === 'AllowRotationFailureRule')).toEqual({
      Sid: 'AllowRotationFailureRule',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicRef,
      Condition: { StringEquals: { 'aws:SourceAccount': ENV.account }, ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
    });
    const [key] = Object.values(resources(template, 'AWS::KMS::Key'));
    const statement = key.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowEventBridgeRulesToPublish');
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' });
    expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ENV.account });
    expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toMatch(/:events:us-east-1:111111111111:rule\/\*"/);
  });

  test('shows the alarm with the others, and the functions\' invocations and errors on the dashboard', () => {
    const body = dashboardBody(template);
    const alarmWidget = body.widgets.find((w: any) => w.properties.title === 'Alarms');
    const alarmId = Object.entries(resources(template, 'AWS::CloudWatch::Alarm')).find(([, a]) => /rotation-errors/.test(a.AlarmName))![0];
    expect(alarmWidget.properties.alarms).toContain(`GetAtt:${alarmId}.Arn`);
    const graph = body.widgets.find((w: any) => w.properties.title === 'Rotation functions: invocations and errors');
    expect(graph.properties.metrics.map((m: any) => [m[0], m[1], m.at(-1).label])).toEqual([
      ['AWS/Lambda', 'Invocations', 'application-secret invocations'],
      ['AWS/Lambda', 'Errors', 'application-secret errors'],
    ]);
    expect(functionRef.Ref).toMatch(/Rotation/);
  });

  test('with alarms: false, no rotation alarm and no rule', () => {
    const app = testApp();
    const stack = new Stack(app, 'Pre', { env: ENV });
    const { stack: bare } = monitored({ secretRotations: rotations(stack), alarms: false }, app);
    const t = Template.fromStack(bare);
    t.resourceCountIs('AWS::Events::Rule', 0);
    // The fixture's deployment alarms only.
    expect(Object.values(resources(t, 'AWS::CloudWatch::Alarm')).map((a) => a.AlarmName)).toEqual(deploymentAlarmNames(`${PREFIX}-pyfido`));
  });

  test('a given topic is the rule\'s target, and is left as it is', () => {
    const f2 = fixture();
    const topic = new sns.Topic(f2.stack, 'OpsTopic', { masterKey: new kms.Key(f2.stack, 'OpsKey', { enableKeyRotation: true }) });
    new FidoMonitoring(f2.stack, 'Monitoring', { namePrefix: PREFIX, services: f2.services, topic, secretRotations: rotations(f2.stack) });
    const t = Template.fromStack(f2.stack);
    t.hasResourceProperties('AWS::Events::Rule', { Targets: [{ Arn: { Ref: logicalIdOf(f2.stack, topic) }, Id: 'Target0' }] });
    t.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    expect(JSON.stringify(t.toJSON())).not.toContain('events.amazonaws.com');
  });

  test('an imported key gets a warning that says what EventBridge needs', () => {
    const f2 = fixture();
    const key = kms.Key.fromKeyArn(f2.stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000');
    new FidoMonitoring(f2.stack, 'Monitoring', { namePrefix: PREFIX, services: f2.services, encryptionKey: key, secretRotations: rotations(f2.stack) });
    Annotations.fromStack(f2.stack).hasWarning('/Bare/Monitoring', Match.stringLikeRegexp('encryptionKey is imported.*events\\.amazonaws\\.com.*kms:Decrypt and kms:GenerateDataKey\\*'));
  });

  test('errors when a rotation\'s name is not one an alarm can carry, is taken, or is missing, and when a secret is missing', () => {
    const f2 = fixture();
    const [withFunction] = rotations(f2.stack);
    const message = thrownBy(() => new FidoMonitoring(f2.stack, 'Monitoring', {
      namePrefix: PREFIX,
      services: f2.services,
      secretRotations: [
        withFunction, { ...withFunction }, { ...withFunction, name: 'app secret' },
        { secret: withFunction.secret } as unknown as SecretRotation, { name: 'lonely' } as unknown as SecretRotation,
      ],
    }));
    expect(message).toMatch(/secretRotations\[1\]\.name: 'application-secret' is the name of another rotation; each rotation's alarm needs a name of its own/);
    expect(message).toMatch(/secretRotations\[2\]\.name: must be letters, digits, '-' and '_', known at synth \(it names the rotation's alarm\), got 'app secret'/);
    expect(message).toMatch(/secretRotations\[3\]\.name: is required/);
    expect(message).toMatch(/secretRotations\[4\]\.secret: is required/);
  });

  test('errors when a rotation\'s name makes its alarm name too long', () => {
    const f2 = fixture();
    const [withFunction] = rotations(f2.stack);
    const long = 'a'.repeat(230);
    expect(thrownBy(() => new FidoMonitoring(f2.stack, 'Monitoring', { namePrefix: PREFIX, services: [], secretRotations: [{ ...withFunction, name: long }] })))
      .toMatch(/secretRotations\[0\]\.name: makes the alarm name 'arculus-auth-prod-a{230}-rotation-errors' 264 characters long, over CloudWatch's limit of 255; shorten namePrefix or the rotation's name by 9/);
  });
});

describe('FidoMonitoring checks its props when it is made, with the prop named', () => {
  test('errors when a threshold is out of its range', () => {
    const message = thrownBy(() => monitored({
      thresholds: {
        target5xxPercent: 0,
        unhealthyHosts: 1.5,
        latencyP99: Duration.seconds(5000),
        cpuPercent: 101,
        memoryPercent: -1,
        missingTasks: 0,
        documentDbCpuPercent: 200,
        documentDbConnections: 40000,
        documentDbReplicationLag: Duration.hours(2),
      },
    }));
    expect(message).toMatch(/^FidoMonitoring 'Bare\/Monitoring' has 9 problems in its props:\n {2}- thresholds\.target5xxPercent: must be a percentage more than 0 and at most 100, got 0/);
    expect(message).toMatch(/thresholds\.unhealthyHosts: must be a whole number from 1 to 1000, got 1\.5/);
    expect(message).toMatch(/thresholds\.latencyP99: must be more than 0 and at most 4000 seconds, got 1 hour 23 minutes/);
    expect(message).toMatch(/thresholds\.cpuPercent: must be a percentage more than 0 and at most 100, got 101/);
    expect(message).toMatch(/thresholds\.memoryPercent: must be a percentage more than 0 and at most 100, got -1/);
    expect(message).toMatch(/thresholds\.missingTasks: must be a whole number from 1 to 5000, got 0/);
    expect(message).toMatch(/thresholds\.documentDbCpuPercent: must be a percentage more than 0 and at most 100, got 200/);
    expect(message).toMatch(/thresholds\.documentDbConnections: must be a whole number from 1 to 30000, got 40000/);
    expect(message).toMatch(/thresholds\.documentDbReplicationLag: must be more than 0 and at most 1 hour, got 2 hours/);
  });

  test('errors when an e-mail address is malformed or listed twice', () => {
    const message = thrownBy(() => monitored({ emails: ['ops@example.com', 'not-an-address', 'ops@example.com'] }));
    expect(message).toMatch(/emails\[1\]: must be an e-mail address such as 'ops@example\.com', got 'not-an-address'/);
    expect(message).toMatch(/emails\[2\]: 'ops@example\.com' is listed twice/);
  });

  test('errors when the prefix cannot name a dashboard, or makes an alarm name too long', () => {
    expect(thrownBy(() => monitored({ namePrefix: 'arculus auth/prod' }))).toMatch(/namePrefix: must be letters, digits, '-' and '_' \(it names the dashboard and the alarms\), got 'arculus auth\/prod'/);
    const long = 'a'.repeat(240);
    expect(thrownBy(() => monitored({ namePrefix: long }))).toMatch(/services\[0\]\.name: makes the alarm name 'a{240}-pyfido-unhealthy-targets' 265 characters long, over CloudWatch's limit of 255; shorten namePrefix or the service name by 10/);
  });

  test('errors when two services share a name, or a name is not one an alarm can carry', () => {
    const f = fixture();
    const message = thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', {
      namePrefix: PREFIX,
      services: [f.services[0], { ...f.services[1], name: 'pyfido' }, { ...f.services[1], name: 'tom cat' }],
    }));
    expect(message).toMatch(/services\[1\]\.name: 'pyfido' is the name of another service/);
    expect(message).toMatch(/services\[2\]\.name: must be letters, digits, '-' and '_'/);
  });

  test('errors when a service name makes a DocumentDB alarm\'s name', () => {
    const f = fixture();
    expect(thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: [{ ...f.services[0], name: 'docdb' }], databaseCluster: f.database })))
      .toMatch(/makes the alarm name 'arculus-auth-prod-docdb-cpu', which another alarm of this construct has/);
  });

  test('errors when a topic and a key are both given, or the topic uses the AWS managed key', () => {
    const f = fixture();
    const topic = new sns.Topic(f.stack, 'Managed', { masterKey: kms.Alias.fromAliasName(f.stack, 'SnsAlias', 'alias/aws/sns') });
    const key = new kms.Key(f.stack, 'Key');
    const message = thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', { namePrefix: PREFIX, services: f.services, topic, encryptionKey: key }));
    expect(message).toMatch(/encryptionKey: only applies to a topic this construct creates, but topic is given/);
    expect(message).toMatch(/topic: is encrypted with the AWS managed key aws\/sns/);
  });

  test('errors when a service has more target groups than an alarm\'s math takes, or one is not attached', () => {
    const f = fixture();
    const vpc = f.stack.node.findChild('Vpc') as ec2.Vpc;
    const loose = new elbv2.ApplicationTargetGroup(f.stack, 'Loose', { vpc, port: 80, targetType: elbv2.TargetType.IP });
    const tomcat = f.services[1];
    const message = thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', {
      namePrefix: PREFIX,
      services: [
        { ...f.services[0], targetGroups: [...f.services[0].targetGroups, loose] },
        { ...tomcat, targetGroups: [...tomcat.targetGroups, ...tomcat.targetGroups, ...tomcat.targetGroups] },
      ],
    }));
    expect(message).toMatch(/services\[0\]\.targetGroups\[1\]: is not attached to a load balancer yet/);
    expect(message).toMatch(/services\[1\]\.targetGroups: takes at most 5 target groups .* got 6/);
  });

  test('errors when an alarm handed to notifyOn() is imported, whose actions cannot be set here', () => {
    const f = monitored();
    const imported = cloudwatch.Alarm.fromAlarmName(f.stack, 'Imported', 'someone-elses-alarm');
    expect(thrownBy(() => f.monitoring.notifyOn(imported)))
      .toMatch(/^FidoMonitoring 'Bare\/Monitoring' has 1 problem in a call:\n {2}- notifyOn\(\): alarm 'someone-elses-alarm' is not defined in this app/);
  });

  test('gives a JavaScript caller\'s wrong types and unknown props the same kind of message', () => {
    const f = fixture();
    const message = thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', {
      namePrefix: PREFIX,
      services: f.services,
      thresholds: { cpuPercent: '80' as any, latencyP99: 2 as any },
      emails: 'ops@example.com' as any,
      cluster: f.services[0].service.cluster,
    } as any));
    expect(message).toMatch(/thresholds\.cpuPercent: must be a number, got '80'/);
    expect(message).toMatch(/thresholds\.latencyP99: must be a Duration such as Duration\.seconds\(30\), got 2/);
    expect(message).toMatch(/emails: must be a list, each item a string, got 'ops@example\.com'/);
    expect(message).toMatch(/cluster: is not a prop of FidoMonitoringProps, so it would be ignored/);
  });

  test('errors when a JavaScript caller leaves out what is required', () => {
    const f = fixture();
    const message = thrownBy(() => new FidoMonitoring(f.stack, 'Monitoring', { services: [{ name: 'pyfido', service: f.services[0].service }] } as any));
    expect(message).toMatch(/namePrefix: is required/);
    expect(message).toMatch(/services\[0\]\.targetGroups: is required/);
    expect(message).toMatch(/services\[0\]\.logGroup: is required/);
  });
});

describe('a nested prod deployment with DocumentDB and its customer-managed key, monitored as it comes', () => {
  const stack = addReviewedStack(testApp(), 'Fido', { deploymentEnvironment: DeploymentEnvironment.PROD, nestedStacks: true, encryption: { customerManagedKey: true } });
  const { deployment } = stack;
  const all = stack.node.findAll().filter(Stack.isStack).map((s) => Template.fromStack(s));
  const alarms = all.flatMap((t) => Object.values(resources(t, 'AWS::CloudWatch::Alarm')));

  test('watches both services, DocumentDB, the application secret\'s rotation function and the deployment alarms: 19 alarms, each with ALARM and OK to the one topic', () => {
    expect(alarms.map((a) => a.AlarmName)).toEqual(expect.arrayContaining([
      'arculus-auth-prod-docdb-connections', 'arculus-auth-prod-docdb-cpu', 'arculus-auth-prod-pyfido-target-5xx', 'arculus-auth-prod-tomcat-running-tasks',
      'arculus-auth-prod-application-secret-rotation-errors',
    ]));
    // 4 deployment alarms, 6 per service, 2 of DocumentDB, 1 on the rotation function.
    expect(alarms).toHaveLength(19);
    for (const alarm of alarms) {
      expect([alarm.AlarmName, alarm.AlarmActions]).toEqual([alarm.AlarmName, [expect.anything()]]);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
    }
  });

  test('encrypts the topic with the deployment\'s key, which CloudWatch may use: no second key', () => {
    expect(deployment.monitoring.encryptionKey).toBe(deployment.encryptionKey);
    const keys = all.flatMap((t) => Object.values(resources(t, 'AWS::KMS::Key')));
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(keys[0].KeyPolicy)).toContain('cloudwatch.amazonaws.com');
  });

  test('sends the rotation failures of both rotating secrets, the application secret and DocumentDB\'s, to the topic, through the deployment\'s key', () => {
    expect(deployment.dataLayer.secretRotations.map((r) => [r.name, r.rotationFunction !== undefined])).toEqual([['mongodb-secret', false], ['application-secret', true]]);
    const rules = all.flatMap((t) => Object.values(resources(t, 'AWS::Events::Rule'))).filter((r) => r.EventPattern?.['detail-type']?.[0] === 'AWS Service Event via CloudTrail');
    expect(rules).toHaveLength(1);
    expect(rules[0].EventPattern.detail.additionalEventData.SecretId).toHaveLength(2);
    const [key] = all.flatMap((t) => Object.values(resources(t, 'AWS::KMS::Key')));
    expect(key.KeyPolicy.Statement.map((s: any) => s.Sid)).toContain('AllowEventBridgeRulesToPublish');
  });
});

test('the alarm names stay apart from the deployment alarms\' names of the same prefix', () => {
  const template = Template.fromStack(monitored().stack);
  const names = Object.values(resources(template, 'AWS::CloudWatch::Alarm')).map((p) => p.AlarmName);
  expect(new Set(names).size).toBe(names.length);
});

describe('cdk-nag on FidoMonitoring', () => {
  test('no unacknowledged finding under the construct, and a handed alarm now has the action NIST asks for', () => {
    const { findings } = runNag((app) => {
      const f = monitored({ emails: ['ops@example.com'] }, app);
      const own = new cloudwatch.Alarm(f.stack, 'OwnAlarm', { metric: new cloudwatch.Metric({ namespace: 'Custom', metricName: 'Signups' }), threshold: 1, evaluationPeriods: 1 });
      f.monitoring.notifyOn(own);
      // The control: an alarm nobody hands over keeps the finding.
      new cloudwatch.Alarm(f.stack, 'SilentAlarm', { metric: new cloudwatch.Metric({ namespace: 'Custom', metricName: 'Signups' }), threshold: 1, evaluationPeriods: 1 });
    });
    expect(findings.filter((finding) => finding.path.startsWith('Bare/Monitoring/'))).toEqual([]);
    expect(findings.filter((finding) => finding.path.startsWith('Bare/OwnAlarm'))).toEqual([]);
    expect(findings).toContainEqual({ rule: 'NIST.800.53.R5-CloudWatchAlarmAction', path: 'Bare/SilentAlarm/Resource' });
  });
});
