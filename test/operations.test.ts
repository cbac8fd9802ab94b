import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DeploymentEnvironment } from '../src';
import { once, synth, synthError } from './util';

// What an operator on call gets from a deployment as it comes: runbooks named in the outputs, one
// topic every alarm notifies, and a dashboard. The building blocks' own tests (runbooks.test.ts,
// monitoring.test.ts) cover their contents; these cover how the deployment wires them.

function outputs(template: Template): Record<string, any> {
  return template.toJSON().Outputs;
}

describe('a prod deployment, as it comes', () => {
  const { template } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } });
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

  test('has the four runbooks, named after the cluster, in the stack outputs', () => {
    const documents = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SSM::Document');
    expect(documents.map(([, r]) => r.Properties.Name).sort()).toEqual(
      ['arculus-auth-prod-Diagnose', 'arculus-auth-prod-Redeploy', 'arculus-auth-prod-Start', 'arculus-auth-prod-Stop']);
    for (const [output, action] of [['StopRunbook', 'Stop'], ['StartRunbook', 'Start'], ['RedeployRunbook', 'Redeploy'], ['DiagnoseRunbook', 'Diagnose']]) {
      const [id] = documents.find(([, r]) => r.Properties.Name === `arculus-auth-prod-${action}`)!;
      expect(outputs(template)[output].Value).toEqual({ Ref: id });
    }
  });

  test('lets Start restore the preset\'s task counts and scaling bounds (prod: 3, 3..6)', () => {
    const start = Object.values(resources).find((r) => r.Properties?.Name === 'arculus-auth-prod-Start')!;
    const steps = JSON.stringify(start.Properties.Content);
    expect(steps).toMatch(/"MinCapacity":3,"MaxCapacity":6/);
    expect(steps).toMatch(/"desiredCount":3/);
  });

  test('sends ALARM and OK of every alarm, the deployment alarms included, to the one topic in the outputs', () => {
    const topics = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const [topic] = topics[0];
    expect(outputs(template).AlarmTopicArn.Value).toEqual({ Ref: topic });
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    // 2 deployment alarms and 6 monitoring alarms per service (no DocumentDB: MongoDB Atlas), and
    // one on the application secret's rotation function.
    expect(alarms).toHaveLength(17);
    for (const alarm of alarms) {
      expect([alarm.Properties.AlarmName, alarm.Properties.AlarmActions, alarm.Properties.OKActions])
        .toEqual([alarm.Properties.AlarmName, [{ Ref: topic }], [{ Ref: topic }]]);
    }
  });

  test('has a dashboard named after the cluster, in the outputs', () => {
    const [id, dashboard] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::CloudWatch::Dashboard')!;
    expect(dashboard.Properties.DashboardName).toBe('arculus-auth-prod');
    expect(outputs(template).DashboardName.Value).toEqual({ Ref: id });
  });
});

describe('operations options', () => {
  /** Dev without runbooks, monitoring alarms or dashboard: what the deployment leaves out. */
  const quiet = once(() => synth({ runbooks: false, monitoring: { alarms: false, dashboard: false } }).template);
  /** Dev with e-mails and thresholds for the monitoring, and a blue/green Tomcat it watches. */
  const watched = once(() => synth({
    monitoring: { emails: ['oncall@example.com'], thresholds: { cpuPercent: 65, latencyP99: Duration.seconds(1) } },
    services: { tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } } },
  }).template);

  test('runbooks: false leaves the runbooks and their outputs out', () => {
    const template = quiet();
    template.resourceCountIs('AWS::SSM::Document', 0);
    expect(Object.keys(outputs(template)).filter((o) => o.endsWith('Runbook'))).toEqual([]);
  });

  test('monitoring takes e-mail subscriptions and thresholds, and turns alarms and the dashboard off', () => {
    const template = watched();
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'arculus-auth-dev-tomcat-cpu', Threshold: 65 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'arculus-auth-dev-pyfido-latency-p99', Threshold: 1 });
    // Only the deployment alarms, still notifying.
    quiet().resourceCountIs('AWS::CloudWatch::Alarm', 4);
    quiet().resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(outputs(quiet()).DashboardName).toBeUndefined();
  });

  test('a blue/green service is watched on every target group it registers in', () => {
    const template = watched();
    const rate = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a: any) => a.Properties.AlarmName === 'arculus-auth-dev-tomcat-5xx-rate') as any;
    const groups = new Set(rate.Properties.Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => JSON.stringify(m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'TargetGroup').Value)));
    // 443 and 8080, each a pair.
    expect(groups.size).toBe(4);
  });

  test('wrong monitoring options and a name SSM keeps for AWS are refused in the gathered error, each named', () => {
    const message = synthError({
      applicationName: 'awsome-auth',
      monitoring: { emails: ['not-an-address'], thresholds: { cpuPercent: 150, unhealthyHosts: 0 } },
    }) ?? '';
    expect(message).toContain("monitoring.emails[0]: must be an e-mail address such as 'ops@example.com', got 'not-an-address'");
    expect(message).toContain('monitoring.thresholds.cpuPercent: must be a percentage more than 0 and at most 100, got 150');
    expect(message).toContain('monitoring.thresholds.unhealthyHosts: must be a whole number from 1 to 1000, got 0');
    expect(message).toContain("applicationName: names the runbooks 'awsome-auth-dev-Stop' and so on, but SSM keeps document names starting with 'aws', 'amazon' or 'amzn'");
    expect(message).toContain('4 problems');
    expect(synthError({ applicationName: 'awsome-auth', runbooks: false })).toBeUndefined();
  });

  test('a JavaScript caller\'s wrong types in monitoring get the same kind of message', () => {
    const message = synthError({ monitoring: { emails: 'ops@example.com' as any, Alarms: false } as any });
    expect(message).toContain("monitoring.emails: must be a list, each item a string, got 'ops@example.com'");
    expect(message).toContain('monitoring.Alarms: is not a prop of MonitoringOptions, so it would be ignored; did you mean alarms?');
  });
});
