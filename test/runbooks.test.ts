import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { FidoRunbooks, FidoRunbooksProps, RunbookService } from '../src';
import { Finding, runNag } from './nag-report';
import { runbooksStack, RunbooksStack } from './runbooks-app';
import { ENV, joined, once, partition, synthErrorOf, testApp } from './util';

// The runbooks on a bare stack (test/runbooks-app.ts): PyFIDO autoscaled (2 tasks within 2..4),
// Tomcat without autoscaling (1 task), each with its target group. What the documents call is
// also judged against botocore's API models by tools/security/runbooks.py in the security scan.

type Json = any;

/** The resource of `type` whose logical ID starts with the construct path `prefix` (path separators dropped). */
function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The content of the document `<prefix>-<suffix>`. */
function content(template: Template, suffix: string): Json {
  const documents = Object.values(template.findResources('AWS::SSM::Document', { Properties: { Name: `arculus-auth-test-${suffix}` } }));
  expect(documents).toHaveLength(1);
  return (documents[0] as Json).Properties.Content;
}

function step(document: Json, name: string): Json {
  const found = document.mainSteps.find((s: Json) => s.name === name);
  expect(found).toBeDefined();
  return found;
}

/** The statements of the role's policy, order-free: actions sorted, resources sorted, statements sorted. */
function statements(template: Template, roleId: string): Json[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })) as Json[];
  expect(policies).toHaveLength(1);
  return normalize(policies[0].Properties.PolicyDocument.Statement);
}

function normalize(list: Json[]): Json[] {
  const sorted = (v: Json) => [v].flat().map((x: Json) => JSON.stringify(x)).sort().map((x: string) => JSON.parse(x));
  return list
    .map((s) => ({ ...s, Action: sorted(s.Action), Resource: sorted(s.Resource) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/**
 * What Stop, Start and Redeploy may not name in ecs:UpdateService: the condition keys of the call
 * (Service Authorization Reference) that stand for parameters the runbooks never send, each
 * required absent. Task CPU and memory come with a task definition, which is refused already.
 */
const UPDATE_SERVICE_CONDITION = {
  Null: Object.fromEntries([
    'ecs:task-definition', 'ecs:enable-execute-command', 'ecs:subnet', 'ecs:auto-assign-public-ip', 'ecs:capacity-provider',
    'ecs:enable-service-connect', 'ecs:namespace', 'ecs:enable-vpc-lattice', 'ecs:enable-ebs-volumes', 'ecs:enable-ecs-managed-tags',
    'ecs:propagate-tags',
  ].map((key) => [key, 'true'])),
};

/** The runbooks on a bare stack, synthesized once for the blocks that read it. */
const bare = once(() => {
  const built = runbooksStack(testApp());
  return { built, template: Template.fromStack(built.stack) };
});

describe('FidoRunbooks on a bare stack', () => {
  let built: RunbooksStack;
  let template: Template;
  let ids: { cluster: string; pyFido: string; tomcat: string };
  const name = (id: string) => ({ 'Fn::GetAtt': [id, 'Name'] });
  beforeAll(() => {
    ({ built, template } = bare());
    ids = {
      cluster: logicalId(template, 'AWS::ECS::Cluster', 'Cluster'),
      pyFido: logicalId(template, 'AWS::ECS::Service', 'PyFidoService'),
      tomcat: logicalId(template, 'AWS::ECS::Service', 'TomcatService'),
    };
  });

  test('writes four Automation documents named after the prefix, which update in place', () => {
    template.resourceCountIs('AWS::SSM::Document', 4);
    for (const suffix of ['Stop', 'Start', 'Redeploy', 'Diagnose']) {
      template.hasResourceProperties('AWS::SSM::Document', {
        Name: `arculus-auth-test-${suffix}`, DocumentType: 'Automation', DocumentFormat: 'JSON', UpdateMethod: 'NewVersion',
      });
      const document = content(template, suffix);
      expect(document.schemaVersion).toBe('0.3');
      expect(document.assumeRole).toBe('{{AutomationAssumeRole}}');
    }
    expect(built.runbooks.stopDocument.name).toBe('arculus-auth-test-Stop');
    expect(built.runbooks.diagnoseDocument.name).toBe('arculus-auth-test-Diagnose');
  });

  test('Stop, Start and Redeploy take their own role and the service an operator must pick: all, pyfido or tomcat', () => {
    for (const [suffix, role] of [['Stop', 'RunbooksStopRole'], ['Start', 'RunbooksStartRole'], ['Redeploy', 'RunbooksRedeployRole']]) {
      const parameters = content(template, suffix).parameters;
      expect(Object.keys(parameters)).toEqual(['AutomationAssumeRole', 'Service']);
      expect(parameters.AutomationAssumeRole).toMatchObject({ type: 'String', default: { 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', role), 'Arn'] } });
      expect(parameters.Service).toMatchObject({ type: 'String', allowedValues: ['all', 'pyfido', 'tomcat'] });
      expect(parameters.Service.default).toBeUndefined();
    }
    const diagnose = content(template, 'Diagnose').parameters;
    expect(Object.keys(diagnose)).toEqual(['AutomationAssumeRole']);
    expect(diagnose.AutomationAssumeRole.default).toEqual({ 'Fn::GetAtt': [logicalId(template, 'AWS::IAM::Role', 'RunbooksDiagnoseRole'), 'Arn'] });
  });

  test('every branch jumps past a service that is not picked, and every path ends at the report', () => {
    const firstSteps: Array<[string, [string, string]]> = [
      ['Stop', ['ZeroBoundsPyfido', 'StopTomcat']], ['Start', ['RestoreBoundsPyfido', 'StartTomcat']], ['Redeploy', ['RedeployPyfido', 'RedeployTomcat']],
    ];
    for (const [suffix, first] of firstSteps) {
      const document = content(template, suffix);
      const picks = (service: string, next: string) => ({
        Choices: [{ Or: [{ Variable: '{{Service}}', StringEquals: 'all' }, { Variable: '{{Service}}', StringEquals: service }], NextStep: next }],
      });
      expect(step(document, 'ChoosePyfido')).toEqual({ name: 'ChoosePyfido', action: 'aws:branch', inputs: { ...picks('pyfido', first[0]), Default: 'ChooseTomcat' } });
      expect(step(document, 'ChooseTomcat')).toEqual({ name: 'ChooseTomcat', action: 'aws:branch', inputs: { ...picks('tomcat', first[1]), Default: 'Report' } });
      expect(document.mainSteps[0].name).toBe('ChoosePyfido');
      expect(document.mainSteps[document.mainSteps.length - 1]).toEqual({
        name: 'Report',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'ecs', Api: 'DescribeServices', cluster: { Ref: ids.cluster }, services: [name(ids.pyFido), name(ids.tomcat)] },
        outputs: [1, 2].flatMap((n) => [
          { Name: `Service${n}`, Selector: `$.services[${n - 1}].serviceName`, Type: 'String' },
          { Name: `Service${n}Running`, Selector: `$.services[${n - 1}].runningCount`, Type: 'Integer' },
          { Name: `Service${n}Desired`, Selector: `$.services[${n - 1}].desiredCount`, Type: 'Integer' },
        ]),
      });
    }
  });

  test('Stop sets the scaler\'s bounds to 0..0, its schedules suspended, before the task count of the autoscaled service, and waits until no task runs', () => {
    const document = content(template, 'Stop');
    expect(document.mainSteps.map((s: Json) => s.name)).toEqual([
      'ChoosePyfido', 'ZeroBoundsPyfido', 'StopPyfido', 'WaitStoppedPyfido', 'ChooseTomcat', 'StopTomcat', 'WaitStoppedTomcat', 'Report',
    ]);
    expect(step(document, 'ZeroBoundsPyfido').inputs).toEqual({
      Service: 'application-autoscaling',
      Api: 'RegisterScalableTarget',
      ServiceNamespace: 'ecs',
      ResourceId: joined('service/', { Ref: ids.cluster }, '/', name(ids.pyFido)),
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 0,
      MaxCapacity: 0,
      // A schedule (office hours) would start the stopped service again at its next time.
      SuspendedState: { ScheduledScalingSuspended: true },
    });
    expect(step(document, 'StopTomcat').inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', cluster: { Ref: ids.cluster }, service: name(ids.tomcat), desiredCount: 0 });
    expect(step(document, 'WaitStoppedPyfido')).toEqual({
      name: 'WaitStoppedPyfido',
      action: 'aws:waitForAwsResourceProperty',
      inputs: {
        Service: 'ecs',
        Api: 'DescribeServices',
        cluster: { Ref: ids.cluster },
        services: [name(ids.pyFido)],
        PropertySelector: '$.services[0].runningCount',
        DesiredValues: ['0'],
      },
      timeoutSeconds: 900,
    });
  });

  test('Start restores the scaler\'s bounds and resumes its schedules, then the configured task counts, and waits until they run', () => {
    const document = content(template, 'Start');
    expect(document.mainSteps.map((s: Json) => s.name)).toEqual([
      'ChoosePyfido', 'RestoreBoundsPyfido', 'StartPyfido', 'WaitStartedPyfido', 'ChooseTomcat', 'StartTomcat', 'WaitStartedTomcat', 'Report',
    ]);
    expect(step(document, 'RestoreBoundsPyfido').inputs).toMatchObject({
      Api: 'RegisterScalableTarget', MinCapacity: 2, MaxCapacity: 4, SuspendedState: { ScheduledScalingSuspended: false },
    });
    expect(step(document, 'StartPyfido').inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', cluster: { Ref: ids.cluster }, service: name(ids.pyFido), desiredCount: 2 });
    expect(step(document, 'StartTomcat').inputs).toMatchObject({ service: name(ids.tomcat), desiredCount: 1 });
    expect(step(document, 'WaitStartedPyfido').inputs).toMatchObject({ PropertySelector: '$.services[0].runningCount', DesiredValues: ['2'] });
    expect(step(document, 'WaitStartedTomcat').inputs).toMatchObject({ PropertySelector: '$.services[0].runningCount', DesiredValues: ['1'] });
    expect(step(document, 'WaitStartedTomcat').timeoutSeconds).toBe(1800);
  });

  test('Redeploy forces a new deployment and fails the run unless that deployment completes without a rollback', () => {
    const document = content(template, 'Redeploy');
    expect(document.mainSteps.map((s: Json) => s.name)).toEqual([
      'ChoosePyfido', 'RedeployPyfido', 'WaitRedeployedPyfido', 'CheckNotRolledBackPyfido', 'CheckCompletedPyfido',
      'ChooseTomcat', 'RedeployTomcat', 'WaitRedeployedTomcat', 'CheckNotRolledBackTomcat', 'CheckCompletedTomcat', 'Report',
    ]);
    expect(step(document, 'RedeployTomcat')).toEqual({
      name: 'RedeployTomcat',
      action: 'aws:executeAwsApi',
      inputs: { Service: 'ecs', Api: 'UpdateService', cluster: { Ref: ids.cluster }, service: name(ids.tomcat), forceNewDeployment: true },
      outputs: [{ Name: 'DeploymentId', Selector: '$.service.deployments[0].id', Type: 'String' }],
    });
    expect(step(document, 'WaitRedeployedTomcat')).toMatchObject({
      action: 'aws:waitForAwsResourceProperty',
      inputs: { Api: 'DescribeServices', PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED', 'FAILED'] },
      timeoutSeconds: 3600,
    });
    expect(step(document, 'CheckNotRolledBackTomcat')).toMatchObject({
      action: 'aws:assertAwsResourceProperty',
      inputs: { Api: 'DescribeServices', PropertySelector: '$.services[0].deployments[0].id', DesiredValues: ['{{RedeployTomcat.DeploymentId}}'] },
    });
    expect(step(document, 'CheckCompletedTomcat')).toMatchObject({
      action: 'aws:assertAwsResourceProperty',
      inputs: { Api: 'DescribeServices', PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED'] },
    });
  });

  test('Diagnose only reads, gathers its findings as outputs, and a describe of an empty list does not fail the run', () => {
    const document = content(template, 'Diagnose');
    const perService = (s: string) => [
      `Describe${s}`, `ListStopped${s}`, `DescribeStopped${s}`, `TargetHealth${s}1`, `Traffic${s}`, `LastFailedDeployment${s}`, `DescribeFailedDeployment${s}`,
    ];
    expect(document.mainSteps.map((s: Json) => s.name)).toEqual([...perService('Pyfido'), ...perService('Tomcat')]);
    for (const s of document.mainSteps.filter((x: Json) => !x.name.startsWith('Traffic'))) {
      expect(s.action).toBe('aws:executeAwsApi');
      expect(s.inputs.Api).toMatch(/^(Describe|List)/);
    }
    // The script's calls, read-only too, are judged by tools/security/runbook_scripts.py.
    expect(step(document, 'TrafficPyfido').inputs.Script).not.toMatch(/\.(update|modify|register|deregister|set|create|delete|put)_/);
    expect(step(document, 'ListStoppedPyfido').inputs).toEqual({
      Service: 'ecs', Api: 'ListTasks', cluster: { Ref: ids.cluster }, serviceName: name(ids.pyFido), desiredStatus: 'STOPPED', maxResults: 10,
    });
    expect(step(document, 'DescribeStoppedPyfido')).toMatchObject({
      inputs: { Api: 'DescribeTasks', tasks: '{{ListStoppedPyfido.TaskArns}}' }, onFailure: 'Continue', isCritical: false,
    });
    expect(step(document, 'TargetHealthTomcat1').inputs).toEqual({
      Service: 'elbv2', Api: 'DescribeTargetHealth', TargetGroupArn: { Ref: logicalId(template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'TomcatTargetGroup') },
    });
    expect(step(document, 'LastFailedDeploymentPyfido').inputs).toMatchObject({
      Api: 'ListServiceDeployments', status: ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'], maxResults: 1,
    });
    expect(step(document, 'DescribeFailedDeploymentPyfido')).toMatchObject({
      inputs: { Api: 'DescribeServiceDeployments', serviceDeploymentArns: ['{{LastFailedDeploymentPyfido.DeploymentArn}}'] }, onFailure: 'Continue', isCritical: false,
    });
    // Every step output is an output of the execution, where an operator reads it.
    const outputs = document.mainSteps.flatMap((s: Json) => (s.outputs ?? []).map((o: Json) => `${s.name}.${o.Name}`));
    expect(outputs.length).toBeGreaterThan(30);
    expect(document.outputs).toEqual(outputs);
    expect(document.outputs).toEqual(expect.arrayContaining(['DescribePyfido.RunningCount', 'DescribeStoppedTomcat.StoppedReasons', 'TargetHealthPyfido1.States', 'LastFailedDeploymentTomcat.StatusReason']));
  });

  test('Diagnose reads the live weights of the listener rules ECS moves, against the healthy targets of each target group, in a step that may fail alone', () => {
    const document = content(template, 'Diagnose');
    expect(step(document, 'TrafficTomcat')).toEqual({
      name: 'TrafficTomcat',
      action: 'aws:executeScript',
      inputs: { Runtime: 'python3.11', Handler: 'handler', Script: expect.any(String), InputPayload: { Cluster: { Ref: ids.cluster }, Service: name(ids.tomcat) } },
      outputs: [
        { Name: 'Verdict', Selector: '$.Payload.Verdict', Type: 'String' },
        { Name: 'Rules', Selector: '$.Payload.Rules', Type: 'StringList' },
        { Name: 'WithoutHealthyTargets', Selector: '$.Payload.WithoutHealthyTargets', Type: 'StringList' },
      ],
      onFailure: 'Continue',
      isCritical: false,
    });
    expect(document.outputs).toEqual(expect.arrayContaining(['TrafficPyfido.Verdict', 'TrafficPyfido.Rules', 'TrafficTomcat.WithoutHealthyTargets']));
  });

  test('each role may be assumed by SSM Automation of this account only', () => {
    for (const role of ['RunbooksStopRole', 'RunbooksStartRole', 'RunbooksRedeployRole', 'RunbooksDiagnoseRole']) {
      const resource: Json = template.findResources('AWS::IAM::Role')[logicalId(template, 'AWS::IAM::Role', role)];
      expect(resource.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'ssm.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ENV.account },
          ArnLike: { 'aws:SourceArn': joined('arn:', partition(), `:ssm:${ENV.region}:${ENV.account}:automation-execution/*`) },
        },
      }]);
      expect(resource.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('Stop and Start may describe these services, update them only without naming what they do not change, and set the task count bounds of ECS services only', () => {
    const expected = normalize([
      { Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: [{ Ref: ids.pyFido }, { Ref: ids.tomcat }] },
      { Effect: 'Allow', Action: 'ecs:UpdateService', Resource: [{ Ref: ids.pyFido }, { Ref: ids.tomcat }], Condition: UPDATE_SERVICE_CONDITION },
      {
        Effect: 'Allow',
        Action: 'application-autoscaling:RegisterScalableTarget',
        Resource: joined('arn:', partition(), `:application-autoscaling:${ENV.region}:${ENV.account}:scalable-target/*`),
        Condition: { StringEquals: { 'application-autoscaling:service-namespace': 'ecs', 'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount' } },
      },
    ]);
    expect(statements(template, logicalId(template, 'AWS::IAM::Role', 'RunbooksStopRole'))).toEqual(expected);
    expect(statements(template, logicalId(template, 'AWS::IAM::Role', 'RunbooksStartRole'))).toEqual(expected);
  });

  test('Redeploy may describe these services and update them only without naming what it does not change, nothing else', () => {
    expect(statements(template, logicalId(template, 'AWS::IAM::Role', 'RunbooksRedeployRole'))).toEqual(normalize([
      { Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: [{ Ref: ids.pyFido }, { Ref: ids.tomcat }] },
      { Effect: 'Allow', Action: 'ecs:UpdateService', Resource: [{ Ref: ids.pyFido }, { Ref: ids.tomcat }], Condition: UPDATE_SERVICE_CONDITION },
    ]));
  });

  test('every write a runbook role allows has a condition (any automation of the account that may pass the role runs with it)', () => {
    for (const role of ['RunbooksStopRole', 'RunbooksStartRole', 'RunbooksRedeployRole', 'RunbooksDiagnoseRole']) {
      const writes = statements(template, logicalId(template, 'AWS::IAM::Role', role))
        .filter((s) => s.Action.some((a: string) => !/^[a-z-]+:(Describe|List|Get)/.test(a)));
      expect(writes.filter((s) => !s.Condition || Object.keys(s.Condition).length === 0)).toEqual([]);
    }
  });

  test('Diagnose may read these services, their tasks and deployments, and target health, nothing else', () => {
    const ecsArn = (...rest: Json[]) => joined('arn:', partition(), `:ecs:${ENV.region}:${ENV.account}:`, ...rest);
    expect(statements(template, logicalId(template, 'AWS::IAM::Role', 'RunbooksDiagnoseRole'))).toEqual(normalize([
      { Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], Resource: [{ Ref: ids.pyFido }, { Ref: ids.tomcat }] },
      { Effect: 'Allow', Action: 'ecs:ListTasks', Resource: '*', Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [ids.cluster, 'Arn'] } } } },
      { Effect: 'Allow', Action: 'ecs:DescribeTasks', Resource: ecsArn('task/', { Ref: ids.cluster }, '/*') },
      {
        Effect: 'Allow',
        Action: 'ecs:DescribeServiceDeployments',
        Resource: [
          { Ref: ids.pyFido }, { Ref: ids.tomcat },
          ecsArn('service-deployment/', { Ref: ids.cluster }, '/', name(ids.pyFido), '/*'),
          ecsArn('service-deployment/', { Ref: ids.cluster }, '/', name(ids.tomcat), '/*'),
        ],
      },
      { Effect: 'Allow', Action: ['elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetHealth'], Resource: '*' },
    ]));
  });
});

describe('Diagnose\'s traffic script, run on stand-ins of ECS and Elastic Load Balancing', () => {
  // The script of the Diagnose document, run by python3 with a boto3 of the test's own that
  // answers from a fixture: the service's load balancers, the listener rules and target health.
  let script: string;
  let folder: string;
  const tg = (n: string) => `arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/${n}/0123456789abcdef`;
  const rule = (n: string) => `arn:aws:elasticloadbalancing:us-east-1:111111111111:listener-rule/app/alb/1/2/${n}`;
  beforeAll(() => {
    script = step(content(bare().template, 'Diagnose'), 'TrafficPyfido').inputs.Script;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-script-'));
    fs.writeFileSync(path.join(folder, 'boto3.py'), [
      'import json, os',
      'FIXTURE = json.loads(os.environ["FIXTURE"])',
      'class Client:',
      '    def describe_services(self, cluster, services):',
      '        assert (cluster, services) == ("fido", ["pyfido"])',
      '        return {"services": [FIXTURE["service"]]}',
      '    def describe_rules(self, RuleArns):',
      '        return {"Rules": [FIXTURE["rules"][arn] for arn in RuleArns]}',
      '    def describe_target_health(self, TargetGroupArn):',
      '        return {"TargetHealthDescriptions": [{"Target": {"Id": "10.0.0.1"}, "TargetHealth": {"State": s}} for s in FIXTURE["health"][TargetGroupArn]]}',
      'def client(name):',
      '    assert name in ("ecs", "elbv2")',
      '    return Client()',
    ].join('\n'));
    fs.writeFileSync(path.join(folder, 'script.py'), script);
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  /** What the handler returns for `fixture`. */
  function run(fixture: Json): Json {
    const out = execFileSync('python3', ['-c', 'import json, script; print(json.dumps(script.handler({"Cluster": "fido", "Service": "pyfido"}, None)))'], {
      cwd: folder, env: { ...process.env, FIXTURE: JSON.stringify(fixture), PYTHONPATH: folder, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8',
    });
    return JSON.parse(out);
  }
  const forward = (weights: Array<[string, number]>) => ({
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([g, w]) => ({ TargetGroupArn: tg(g), Weight: w })) } }],
  });
  const blueGreen = (production: Json, test: Json, health: Record<string, string[]>) => ({
    service: {
      loadBalancers: [{
        targetGroupArn: tg('blue'),
        advancedConfiguration: { alternateTargetGroupArn: tg('green'), productionListenerRule: rule('prod'), testListenerRule: rule('test') },
      }],
    },
    rules: { [rule('prod')]: { RuleArn: rule('prod'), ...production }, [rule('test')]: { RuleArn: rule('test'), ...test } },
    health: Object.fromEntries(Object.entries(health).map(([g, states]) => [tg(g), states])),
  });

  test('reports each rule\'s weights with the healthy targets of each target group, and no problem when traffic goes to healthy targets', () => {
    const result = run(blueGreen(forward([['blue', 100], ['green', 0]]), forward([['blue', 100], ['green', 0]]), { blue: ['healthy', 'healthy'], green: [] }));
    expect(result).toEqual({
      Verdict: 'Every target group with traffic (weight above 0) has healthy targets.',
      Rules: [
        'production rule listener-rule/app/alb/1/2/prod: weight 100 to targetgroup/blue/0123456789abcdef (2 healthy of 2 targets); weight 0 to targetgroup/green/0123456789abcdef (0 healthy of 0 targets)',
        'test rule listener-rule/app/alb/1/2/test: weight 100 to targetgroup/blue/0123456789abcdef (2 healthy of 2 targets); weight 0 to targetgroup/green/0123456789abcdef (0 healthy of 0 targets)',
      ],
      WithoutHealthyTargets: [],
    });
  });

  test('says plainly when production traffic goes to a target group without healthy targets (weights moved behind ECS\'s back)', () => {
    const result = run(blueGreen(forward([['blue', 0], ['green', 100]]), forward([['blue', 100], ['green', 0]]), { blue: ['healthy'], green: ['unhealthy', 'draining'] }));
    const line = 'PRODUCTION TRAFFIC GOES TO A TARGET GROUP WITHOUT HEALTHY TARGETS: the production rule listener-rule/app/alb/1/2/prod sends weight 100 to targetgroup/green/0123456789abcdef, which has 2 targets and none healthy.';
    expect(result.WithoutHealthyTargets).toEqual([line]);
    expect(result.Verdict).toBe(line);
  });

  test('tells test traffic without healthy targets apart from production traffic', () => {
    const result = run(blueGreen(forward([['blue', 90], ['green', 10]]), forward([['green', 100]]), { blue: ['healthy'], green: ['unhealthy'] }));
    expect(result.WithoutHealthyTargets).toEqual([
      expect.stringMatching(/^PRODUCTION TRAFFIC GOES TO A TARGET GROUP WITHOUT HEALTHY TARGETS: .* sends weight 10 to targetgroup\/green/),
      expect.stringMatching(/^TEST TRAFFIC GOES TO A TARGET GROUP WITHOUT HEALTHY TARGETS: the test rule .* sends weight 100 to targetgroup\/green/),
    ]);
    expect(run(blueGreen(forward([['blue', 100]]), forward([['green', 100]]), { blue: ['healthy'], green: [] })).Verdict)
      .toMatch(/^Production traffic goes only to target groups with healthy targets; test traffic does not: TEST TRAFFIC GOES/);
  });

  test('says a rolling service has no rule that ECS moves', () => {
    expect(run({ service: { loadBalancers: [{ targetGroupArn: tg('blue') }] }, rules: {}, health: {} })).toEqual({
      Verdict: expect.stringMatching(/^No listener rule that ECS moves: the service deploys rolling/), Rules: [], WithoutHealthyTargets: [],
    });
  });
});

describe('FidoRunbooks for a service without autoscaling or target groups, imported', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(testApp(), 'Imported', { env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'fido', vpc });
    const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', { cluster, serviceName: 'api' });
    new FidoRunbooks(stack, 'Runbooks', { cluster, documentNamePrefix: 'fido', services: [{ name: 'api', service, desiredCount: 3 }] });
    template = Template.fromStack(stack);
  });

  test('Stop and Start change only the task count, and their roles may not touch any scaler', () => {
    const names = (suffix: string) => (Object.values(template.findResources('AWS::SSM::Document', { Properties: { Name: `fido-${suffix}` } }))[0] as Json).Properties.Content.mainSteps.map((s: Json) => s.name);
    expect(names('Stop')).toEqual(['ChooseApi', 'StopApi', 'WaitStoppedApi', 'Report']);
    expect(names('Start')).toEqual(['ChooseApi', 'StartApi', 'WaitStartedApi', 'Report']);
    expect(names('Diagnose')).toEqual(['DescribeApi', 'ListStoppedApi', 'DescribeStoppedApi', 'LastFailedDeploymentApi', 'DescribeFailedDeploymentApi']);
    const stop = (Object.values(template.findResources('AWS::SSM::Document', { Properties: { Name: 'fido-Start' } }))[0] as Json).Properties.Content;
    expect(step(stop, 'StartApi').inputs).toEqual({ Service: 'ecs', Api: 'UpdateService', cluster: 'fido', service: 'api', desiredCount: 3 });
    expect(stop.parameters.Service.allowedValues).toEqual(['all', 'api']);
    for (const role of ['RunbooksStopRole', 'RunbooksStartRole']) {
      expect(statements(template, logicalId(template, 'AWS::IAM::Role', role)).map((s) => s.Action)).toEqual([['ecs:DescribeServices'], ['ecs:UpdateService']]);
    }
  });

  test('Diagnose\'s role may not read target health or listener rules when no service has a target group', () => {
    const actions = statements(template, logicalId(template, 'AWS::IAM::Role', 'RunbooksDiagnoseRole')).flatMap((s) => s.Action);
    expect(actions).not.toContain('elasticloadbalancing:DescribeTargetHealth');
    expect(actions).not.toContain('elasticloadbalancing:DescribeRules');
    expect(actions.sort()).toEqual(['ecs:DescribeServiceDeployments', 'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListServiceDeployments', 'ecs:ListTasks']);
  });
});

describe('FidoRunbooks checks its props when it is made', () => {
  type Overrides = Partial<FidoRunbooksProps> | ((stack: Stack, api: ecs.IService) => Partial<FidoRunbooksProps>);
  const props = (overrides: Overrides = {}, service: Partial<RunbookService> = {}) => {
    const stack = new Stack(testApp(), 'Checked', { env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'] });
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'fido', vpc });
    const api = ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', { cluster, serviceName: 'api' });
    new FidoRunbooks(stack, 'Runbooks', {
      cluster,
      documentNamePrefix: 'fido-prod',
      services: [{ name: 'api', service: api, desiredCount: 2, ...service }],
      ...(typeof overrides === 'function' ? overrides(stack, api) : overrides),
    });
    return stack;
  };

  test('accepts valid props, and a prefix given as a CloudFormation parameter', () => {
    expect(synthErrorOf(() => props())).toBeUndefined();
    expect(synthErrorOf(() => props((stack) => ({ documentNamePrefix: new CfnParameter(stack, 'Prefix').valueAsString })))).toBeUndefined();
  });

  test.each([
    ['AWS-fido', /documentNamePrefix: must not start with 'aws', 'amazon' or 'amzn' in any case, which AWS keeps for its own documents, got 'AWS-fido'/],
    ['amazonfido', /documentNamePrefix: must not start with 'aws', 'amazon' or 'amzn'/],
    ['Amzn.fido', /documentNamePrefix: must not start with 'aws', 'amazon' or 'amzn'/],
    ['fido prod', /documentNamePrefix: must be 1 to 119 letters, digits, '_', '-' or '.' \(SSM document names take at most 128, and the longest is '<prefix>-Diagnose'\), got 'fido prod'/],
    ['', /documentNamePrefix: must be 1 to 119 letters/],
    ['x'.repeat(120), /documentNamePrefix: must be 1 to 119 letters, digits/],
  ])('errors when the document name prefix is %j', (prefix, message) => {
    expect(synthErrorOf(() => props({ documentNamePrefix: prefix }))).toMatch(message);
  });

  test('takes a prefix of 119 characters, the longest whose names fit', () => {
    expect(synthErrorOf(() => props({ documentNamePrefix: 'f'.repeat(119) }))).toBeUndefined();
  });

  test('leaves room for the longest failover document name, and takes a whole standby count only', () => {
    const failover = (stack: Stack, standbyTasks: number) => ({
      healthCheck: route53.HealthCheck.fromHealthCheckId(stack, 'Check', 'abcdef01-2345-6789-abcd-ef0123456789'),
      primaryHealthCheck: route53.HealthCheck.fromHealthCheckId(stack, 'PrimaryCheck', 'fedcba98-7654-3210-fedc-ba9876543210'),
      standbyTasks,
    });
    expect(synthErrorOf(() => props((stack) => ({ documentNamePrefix: 'f'.repeat(117), failover: failover(stack, 0) })))).toBeUndefined();
    expect(synthErrorOf(() => props((stack) => ({ documentNamePrefix: 'f'.repeat(118), failover: failover(stack, 1) }))))
      .toMatch(/documentNamePrefix: must be 1 to 117 letters, digits, '_', '-' or '.' \(SSM document names take at most 128, and the longest is '<prefix>-Switchover'\)/);
    expect(synthErrorOf(() => props((stack) => ({ failover: failover(stack, -1) })))).toMatch(/failover\.standbyTasks: must be a whole number from 0 to 5000, got -1/);
  });

  test('errors when no service is given', () => {
    expect(synthErrorOf(() => props({ services: [] }))).toMatch(/services: must name at least one service/);
  });

  test.each([['PyFido'], ['all'], ['py-fido'], ['1api'], ['a'.repeat(21)]])('errors when a service is named %j', (serviceName) => {
    expect(synthErrorOf(() => props({}, { name: serviceName }))).toMatch(new RegExp(`services\\[0\\]\\.name: must be 1 to 20 lowercase letters and digits starting with a letter, other than 'all' .*got '${serviceName}'`));
  });

  test('errors when two services have one name', () => {
    const error = synthErrorOf(() => props((_stack, api) => ({
      services: [{ name: 'api', service: api, desiredCount: 1 }, { name: 'api', service: api, desiredCount: 1 }],
    })));
    expect(error).toMatch(/services\[1\]\.name: names another service already: 'api'/);
  });

  test('errors when a count is no whole number of tasks', () => {
    expect(synthErrorOf(() => props({}, { desiredCount: 0 }))).toMatch(/services\[0\]\.desiredCount: must be a whole number from 1 to 5000, got 0/);
    expect(synthErrorOf(() => props({}, { desiredCount: 1.5 }))).toMatch(/services\[0\]\.desiredCount: must be a whole number from 1 to 5000, got 1.5/);
    expect(synthErrorOf(() => props({}, { minCapacity: -1, maxCapacity: 2 }))).toMatch(/services\[0\]\.minCapacity: must be a whole number from 0 to 5000, got -1/);
  });

  test('errors when only one of the scaler\'s bounds is given', () => {
    expect(synthErrorOf(() => props({}, { minCapacity: 1 }))).toMatch(/services\[0\]\.maxCapacity: must be given with the other bound when the service autoscales, and neither when it does not/);
    expect(synthErrorOf(() => props({}, { maxCapacity: 4 }))).toMatch(/services\[0\]\.minCapacity: must be given with the other bound/);
  });

  test('errors when the task count lies outside the scaler\'s bounds', () => {
    expect(synthErrorOf(() => props({}, { desiredCount: 5, minCapacity: 1, maxCapacity: 4 }))).toMatch(/services\[0\]\.desiredCount: must lie within minCapacity\.\.maxCapacity \(1\.\.4\), got 5/);
    expect(synthErrorOf(() => props({}, { desiredCount: 2, minCapacity: 3, maxCapacity: 4 }))).toMatch(/got 2/);
    expect(synthErrorOf(() => props({}, { desiredCount: 2, minCapacity: 2, maxCapacity: 2 }))).toBeUndefined();
  });

  test('gathers every problem into one error', () => {
    const error = synthErrorOf(() => props({ documentNamePrefix: 'aws-x' }, { name: 'API', desiredCount: 0, minCapacity: 1 }));
    expect(error).toMatch(/- documentNamePrefix: must not start/);
    expect(error).toMatch(/services\[0\]\.name: must be 1 to 20/);
    expect(error).toMatch(/services\[0\]\.desiredCount: must be a whole number/);
    expect(error).toMatch(/services\[0\]\.maxCapacity: must be given with the other bound/);
  });
});

describe('cdk-nag on the runbooks', () => {
  let findings: Finding[];
  let acknowledged: Map<string, Record<string, string>>;
  beforeAll(() => {
    const { findings: found, built: { runbooks } } = runNag((app) => runbooksStack(app));
    findings = found;
    acknowledged = new Map(runbooks.node.findAll().map((c) => [c.node.path, Object.assign({}, ...c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data))]));
  });

  test('finds nothing unacknowledged in the runbooks', () => {
    // The check ran: the bare stack's own VPC and services have findings of their own.
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.path.startsWith('Runbooks/Runbooks/'))).toEqual([]);
  });

  test('acknowledges each wildcard resource by its exact finding, with the reason, on the role that has it', () => {
    const arn = (rest: string) => `arn:<AWS::Partition>:${rest}`.replace('<AWS::Partition>', partition() === 'aws' ? 'aws' : '<AWS::Partition>');
    const wildcards = (role: string) => Object.keys(acknowledged.get(`Runbooks/Runbooks/${role}`) ?? {}).filter((id) => id.startsWith('AwsSolutions-IAM5')).sort();
    expect(wildcards('StopRole')).toEqual([`AwsSolutions-IAM5[Resource::${arn('application-autoscaling:us-east-1:111111111111:scalable-target/*')}]`]);
    expect(wildcards('StartRole')).toEqual(wildcards('StopRole'));
    expect(wildcards('RedeployRole')).toEqual([]);
    expect(wildcards('DiagnoseRole')).toEqual([
      `AwsSolutions-IAM5[Resource::${arn('ecs:us-east-1:111111111111:service-deployment/<ClusterEB0386A7>/<PyFidoServiceAB739E5F.Name>/*')}]`,
      `AwsSolutions-IAM5[Resource::${arn('ecs:us-east-1:111111111111:service-deployment/<ClusterEB0386A7>/<TomcatService2A9715D5.Name>/*')}]`,
      `AwsSolutions-IAM5[Resource::${arn('ecs:us-east-1:111111111111:task/<ClusterEB0386A7>/*')}]`,
      'AwsSolutions-IAM5[Resource::*]',
    ].sort());
    const reasons = acknowledged.get('Runbooks/Runbooks/DiagnoseRole')!;
    expect(reasons['AwsSolutions-IAM5[Resource::*]']).toMatch(/ecs:ListTasks is authorized on container instances.*elasticloadbalancing:DescribeTargetHealth and DescribeRules have no resource-level permissions/);
    expect(reasons['NIST.800.53.R5-IAMNoInlinePolicy']).toMatch(/SSM Automation reads the state of the FIDO services/);
  });
});
