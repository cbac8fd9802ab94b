import { execFileSync } from 'child_process';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  ArculusFidoDeploymentProps, ArculusFidoRegionPair, ArculusFidoRegionPairProps, ArculusFidoStack,
  DeploymentEnvironment, DomainOptions, FidoHostedZoneRole, MongoDbConnection,
} from '../src';
import { Finding, runNag } from './nag-report';
import { addReviewedPair, baseProps, CERTIFICATE_ARN, givenVpc, importsStack, joined, partition, synthError, testApp, thrownBy, warnings } from './util';
import { failoverOf } from '../tools/bench/failover';

// Sign-in survives a regional outage: the deployment in two regions, each with its own
// certificate, and a Route 53 failover record per region answered while that region's load
// balancer passes HTTPS health checks; the secondary stands by at a few tasks, or none.

const ACCOUNT = '111111111111';
const HEALTH_CHECK = 'AWS::Route53::HealthCheck';
const RECORD = 'AWS::Route53::RecordSet';

/** A prod pair in us-east-1 and us-west-2, its zone imported by ID in a stack of the app. */
function pair(overrides: Partial<ArculusFidoRegionPairProps> = {}, deployment: Partial<ArculusFidoDeploymentProps> = {}) {
  const fido = addReviewedPair(testApp(), overrides, deployment);
  return { fido, primary: Template.fromStack(fido.primary), secondary: Template.fromStack(fido.secondary), findings: [] as Finding[] };
}

/** The pair as `pair()` makes it, judged by cdk-nag's rule packs on the same synth. */
function reviewedPair(overrides: Partial<ArculusFidoRegionPairProps> = {}, deployment: Partial<ArculusFidoDeploymentProps> = {}) {
  const { findings, built: fido, templates } = runNag((app) => {
    const built = addReviewedPair(app, overrides, deployment);
    // Atlas by endpoint without atlasRotation: its warning (a finding under cdk init's flags), acknowledged as a user does.
    [built.primary, built.secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return built;
  });
  const template = (stack: Stack) => Template.fromJSON(templates[stack.templateFile]);
  const keys = fido.secondaryKey ? template(Stack.of(fido.secondaryKey)) : undefined;
  return { fido, primary: template(fido.primary), secondary: template(fido.secondary), keys, findings };
}

/** The ARN an ECS container definition reads its secret `name` from, in the template's first task definition. */
function secretValueFrom(template: Template, name: string): any {
  const definition = propertiesOf(template, 'AWS::ECS::TaskDefinition')[0].ContainerDefinitions[0];
  return definition.Secrets.find((s: any) => s.Name === name)?.ValueFrom;
}

/** The SSM parameters a stack's cross-region export reader imports, by name. */
function crossRegionImports(template: Template): string[] {
  return propertiesOf(template, 'Custom::CrossRegionExportReader').flatMap((p) => Object.keys(p.ReaderProps.imports));
}

/** The properties of every resource of `type` in `template`. */
function propertiesOf(template: Template, type: string): any[] {
  return Object.values(template.findResources(type)).map((r: any) => r.Properties);
}

/** The scalable target of the service whose ResourceId names `service` (`PyFido`, say). */
function scalableTarget(template: Template, service: string): any {
  return propertiesOf(template, 'AWS::ApplicationAutoScaling::ScalableTarget')
    .find((t) => JSON.stringify(t.ResourceId).includes(`${service}Service`));
}

describe('a prod pair with a warm standby', () => {
  // Another account reads the application secret too, in either region.
  const { fido, primary, secondary, keys, findings } = reviewedPair({}, { secrets: { applicationSecretReaderAccounts: ['222222222222'] } });

  test('leaves cdk-nag (AwsSolutions, NIST 800-53 R5) no unacknowledged finding in either region', () => {
    expect(findings).toEqual([]);
  });

  test('deploys each region in a stack of its own, named after its role, in its own region', () => {
    expect([fido.primary.stackName, fido.primary.region]).toEqual(['Fido-primary', 'us-east-1']);
    expect([fido.secondary.stackName, fido.secondary.region]).toEqual(['Fido-secondary', 'us-west-2']);
    // One account: no link between accounts.
    expect(fido.secondaryLink).toBeUndefined();
  });

  test('shares values only through each region\'s own SSM parameters, so one region deploys while the other is down', () => {
    // aws-cdk-lib's cross-region references: the writer puts each value in the reader's region.
    // The secondary reads the primary's application secret and check, and the names its dashboard shows.
    const fromPrimary = crossRegionImports(secondary).map((name) => name.replace(/^\/cdk\/exports\/Fido-secondary\/Fidoprimaryuseast1/, '').replace(/[0-9A-F]{8,}/g, ''));
    expect(fromPrimary.sort()).toEqual([
      'FnGetAttFidoLoadBalancerLoadBalancerFullName', 'FnGetAttFidoPyFidoServiceName', 'FnGetAttFidoTomcatServiceName',
      'RefFidoCluster', 'RefFidoDataApplicationSecret', 'RefFidoRegionHealthCheck',
    ]);
    expect(crossRegionImports(primary)).toEqual([expect.stringMatching(/^\/cdk\/exports\/Fido-primary\/.*SecretEncryptionKey/)]);
    expect(propertiesOf(primary, 'Custom::CrossRegionExportReader')[0].ReaderProps.region).toBe('us-east-1');
    expect(propertiesOf(secondary, 'Custom::CrossRegionExportReader')[0].ReaderProps.region).toBe('us-west-2');
    // Nothing else crosses: no export of either region's stack is imported by the other.
    expect(JSON.stringify(primary.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
    expect(Object.values(secondary.toJSON().Outputs ?? {}).some((o: any) => o.Export)).toBe(false);
    expect(fido.primary.dependencies.map((s) => s.stackName)).toEqual(['Fido-secondary-keys']);
    expect(fido.secondary.dependencies.map((s) => s.stackName).sort()).toEqual(['Fido-primary', 'Fido-secondary-keys']);
  });

  test('replicates the application secret to the secondary, encrypted there with a rotated key of that region kept on delete', () => {
    expect(Stack.of(fido.secondaryKey!).region).toBe('us-west-2');
    keys!.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const [application] = propertiesOf(primary, 'AWS::SecretsManager::Secret').filter((p) => p.GenerateSecretString?.GenerateStringKey === 'jwtSecret');
    expect(application.ReplicaRegions).toEqual([{ Region: 'us-west-2', KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('SecretEncryptionKey')] } }]);
  });

  test('has the secondary read the replica by its full ARN, with the previous JWT key the primary\'s rotation keeps, and rotate nothing itself', () => {
    const replica = (key: string) => joined(
      'arn:', partition(), ':secretsmanager:us-west-2:111111111111:secret:',
      { 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('ApplicationSecret')] }] }] },
      `:${key}::`,
    );
    expect(secretValueFrom(secondary, 'JWT_SECRET')).toEqual(replica('jwtSecret'));
    expect(secretValueFrom(secondary, 'JWT_SECRET_PREVIOUS')).toEqual(replica('jwtSecretPrevious'));
    expect(propertiesOf(secondary, 'AWS::SecretsManager::Secret').some((p) => p.GenerateSecretString?.GenerateStringKey === 'jwtSecret')).toBe(false);
    expect(propertiesOf(secondary, 'AWS::SecretsManager::RotationSchedule').length).toBeLessThan(propertiesOf(primary, 'AWS::SecretsManager::RotationSchedule').length);
  });

  test('lets the secondary\'s tasks decrypt the replica with its key, through Secrets Manager of that region only', () => {
    const statements = propertiesOf(secondary, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: { 'Fn::ImportValue': expect.stringContaining('SecretEncryptionKey') },
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } },
    });
  });

  test('lets the primary\'s rotation function encrypt with the replica\'s key, as Secrets Manager replicates each value it puts', () => {
    const statements = propertiesOf(primary, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('SecretEncryptionKey')] },
    });
  });

  test('lets another account read the secret in both regions: by its replicated policy, and decrypt with each region\'s key there', () => {
    const [policy] = propertiesOf(primary, 'AWS::SecretsManager::ResourcePolicy');
    expect(policy.ResourcePolicy.Statement).toContainEqual(expect.objectContaining({
      Sid: 'ReadByOtherAccounts', Principal: { AWS: joined('arn:', partition(), ':iam::222222222222:root') },
    }));
    const readers = (template: Template) => propertiesOf(template, 'AWS::KMS::Key').flatMap((k) => k.KeyPolicy.Statement)
      .filter((statement) => statement.Sid === 'ApplicationSecretReadByOtherAccounts').map((statement) => statement.Condition.StringEquals['kms:ViaService']);
    expect(readers(primary)).toEqual(['secretsmanager.us-east-1.amazonaws.com']);
    expect(readers(keys!)).toEqual(['secretsmanager.us-west-2.amazonaws.com']);
  });

  test('redeploys the secondary when the primary\'s secret changes: the primary forwards its events there', () => {
    const forward = propertiesOf(primary, 'AWS::Events::Rule').find((r) => JSON.stringify(r.Targets).includes('event-bus/default'));
    expect(forward.Targets[0].Arn).toEqual(joined('arn:', partition(), ':events:us-west-2:111111111111:event-bus/default'));
    const application = Object.keys(primary.findResources('AWS::SecretsManager::Secret', { Properties: { GenerateSecretString: { GenerateStringKey: 'jwtSecret' } } }))[0];
    expect(forward.EventPattern).toEqual({ 'source': ['aws.secretsmanager'], 'detail-type': ['Secret Label Updated'], 'resources': [{ Ref: application }], 'detail': { labelUpdated: ['AWSCURRENT'] } });
    const redeploy = propertiesOf(secondary, 'AWS::Events::Rule').find((r) => JSON.stringify(r.EventPattern.resources).includes('ExportsReader'));
    expect(redeploy.EventPattern.resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('ApplicationSecret')] }]);
    expect(JSON.stringify(redeploy.Targets[0].Arn)).toContain(':ssm:us-west-2:111111111111:automation-definition/');
  });

  test('gives each region a DNS-validated certificate of the domain in the zone', () => {
    for (const template of [primary, secondary]) {
      template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'auth.example.com',
        DomainValidationOptions: [{ DomainName: 'auth.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      });
    }
  });

  test('writes one failover alias record per region, PRIMARY and SECONDARY, and no plain record', () => {
    for (const [template, role] of [[primary, 'PRIMARY'], [secondary, 'SECONDARY']] as const) {
      const records = propertiesOf(template, RECORD);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        Name: 'auth.example.com.',
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        Failover: role,
        SetIdentifier: `arculus-auth-prod-${role.toLowerCase()}`,
        AliasTarget: { DNSName: expect.anything(), HostedZoneId: expect.anything() },
      });
      // Answered by the region's calculated check.
      const calculated = Object.entries(template.findResources(HEALTH_CHECK))
        .find(([, r]: [string, any]) => r.Properties.HealthCheckConfig.Type === 'CALCULATED')!;
      expect(records[0].HealthCheckId).toEqual({ Ref: calculated[0] });
    }
  });

  test('checks Tomcat on 443 and PyFIDO on 5001 over HTTPS at the load balancer, every 10 s, down after 3 failures', () => {
    for (const template of [primary, secondary]) {
      const configs = propertiesOf(template, HEALTH_CHECK).map((p) => p.HealthCheckConfig);
      const https = configs.filter((c) => c.Type === 'HTTPS');
      expect(https.map((c) => [c.Port, c.ResourcePath])).toEqual(expect.arrayContaining([[443, '/'], [5001, '/health']]));
      expect(https).toHaveLength(2);
      for (const check of https) {
        expect(check).toMatchObject({ RequestInterval: 10, FailureThreshold: 3, EnableSNI: true });
        // The load balancer itself: the domain would follow the failover record to either region.
        expect(JSON.stringify(check.FullyQualifiedDomainName)).toContain('DNSName');
      }
      const calculated = configs.find((c) => c.Type === 'CALCULATED');
      expect(calculated).toMatchObject({ HealthThreshold: 2 });
      expect(calculated.ChildHealthChecks).toHaveLength(2);
    }
  });

  test('runs the primary at its sizing and the secondary at one task per service, under the same maximum', () => {
    for (const service of ['PyFido', 'Tomcat']) {
      expect(scalableTarget(primary, service)).toMatchObject({ MinCapacity: 3, MaxCapacity: 6 });
      expect(scalableTarget(secondary, service)).toMatchObject({ MinCapacity: 1, MaxCapacity: 6 });
    }
  });

  test('lets the secondary\'s Start runbook raise the services to their own sizing', () => {
    const start = propertiesOf(secondary, 'AWS::SSM::Document').find((d) => d.Name === 'arculus-auth-prod-Start');
    const bounds = [...JSON.stringify(start.Content).matchAll(/"MinCapacity":(\d+),"MaxCapacity":(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(bounds).toEqual([[3, 6], [3, 6]]);
  });

  test('gives the secondary the runbooks that make it serve, switch over and hand back, acting on the primary\'s check', () => {
    const documents = Object.fromEntries(propertiesOf(secondary, 'AWS::SSM::Document').map((d) => [d.Name, d.Content]));
    const primaryCheck = { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('RegionHealthCheck')] };
    const calls = (name: string) => documents[`arculus-auth-prod-${name}`].mainSteps.map((step: any) => step.inputs.Api ?? step.action);
    const start = ['RegisterScalableTarget', 'UpdateService', 'DescribeServices'];
    expect(calls('Failover')).toEqual([...start, ...start, 'aws:executeScript']);
    expect(calls('Switchover')).toEqual([...start, ...start, 'UpdateHealthCheck', 'aws:executeScript']);
    expect(calls('Failback')).toEqual(['UpdateHealthCheck', 'aws:sleep', 'aws:executeScript', 'aws:branch', ...start, ...start, 'aws:executeScript']);
    const inverts = (name: string) => documents[`arculus-auth-prod-${name}`].mainSteps.find((step: any) => step.inputs.Api === 'UpdateHealthCheck').inputs;
    expect(fido.primaryHealthCheck).toBe(fido.primary.deployment.failover!.healthCheck);
    expect(inverts('Switchover')).toEqual({ Service: 'route53', Api: 'UpdateHealthCheck', HealthCheckId: primaryCheck, Inverted: true });
    expect(inverts('Failback')).toMatchObject({ HealthCheckId: primaryCheck, Inverted: false });
    // Failover and Switchover raise the services to their sizing; Failback returns them to one task each.
    const counts = (name: string) => documents[`arculus-auth-prod-${name}`].mainSteps
      .filter((step: any) => step.inputs.Api === 'RegisterScalableTarget' || step.inputs.Api === 'UpdateService')
      .map((step: any) => step.inputs.MinCapacity ?? step.inputs.desiredCount);
    expect(counts('Switchover')).toEqual([3, 3, 3, 3]);
    expect(counts('Failback')).toEqual([1, 1, 1, 1]);
    // Failback returns to standby only once Route 53 answers with the primary again.
    const branch = documents['arculus-auth-prod-Failback'].mainSteps.find((step: any) => step.action === 'aws:branch').inputs;
    expect(branch).toEqual({ Choices: [{ Variable: '{{ServingAfterRestore.Region}}', StringEquals: 'primary', NextStep: 'StandbyBoundsPyfido' }], Default: 'Serving' });
    expect(documents['arculus-auth-prod-Failover'].outputs).toEqual(['Serving.Region', 'Serving.Primary', 'Serving.Secondary']);
    expect(Object.keys(secondary.toJSON().Outputs)).toEqual(expect.arrayContaining(['FailoverRunbook', 'SwitchoverRunbook', 'FailbackRunbook']));
    expect(Object.keys(primary.toJSON().Outputs)).not.toContain('FailoverRunbook');
  });

  test('reports the region Route 53 answers with as Route 53 decides it: over 18% of checkers, all endpoints, inversion', () => {
    const step = propertiesOf(secondary, 'AWS::SSM::Document').find((d) => d.Name === 'arculus-auth-prod-Failover').Content.mainSteps.at(-1);
    // The script with a stand-in of boto3's Route 53 client: each case, the checks' configs and observations.
    const harness = `
import json, sys, types
cases = json.loads(sys.stdin.read())
results = []
for case in cases:
    class Route53:
        def get_health_check(self, HealthCheckId):
            return {'HealthCheck': {'HealthCheckConfig': case['checks'][HealthCheckId]}}
        def get_health_check_status(self, HealthCheckId):
            ok, total = case['status'][HealthCheckId]
            return {'HealthCheckObservations': [{'StatusReport': {'Status': 'Success: HTTP Status Code 200' if i < ok else 'Failure: timed out'}} for i in range(total)]}
    sys.modules['boto3'] = types.SimpleNamespace(client=lambda name: Route53())
    scope = {}
    exec(case['script'], scope)
    results.append(scope['handler']({'PrimaryHealthCheck': 'p', 'SecondaryHealthCheck': 's'}, None))
print(json.dumps(results))
`;
    const checks = (inverted: boolean) => ({
      p: { Type: 'CALCULATED', ChildHealthChecks: ['p1', 'p2'], HealthThreshold: 2, Inverted: inverted },
      s: { Type: 'CALCULATED', ChildHealthChecks: ['s1', 's2'], HealthThreshold: 2 },
    });
    const up = [16, 16];
    const cases = [
      { checks: checks(false), status: { p1: up, p2: up, s1: up, s2: up } },
      // 3 of 16 checkers (19%) still count as healthy; 2 of 16 (12.5%) do not.
      { checks: checks(false), status: { p1: [3, 16], p2: up, s1: up, s2: up } },
      { checks: checks(false), status: { p1: [2, 16], p2: up, s1: up, s2: up } },
      { checks: checks(true), status: { p1: up, p2: up, s1: up, s2: up } },
      { checks: checks(false), status: { p1: [0, 16], p2: up, s1: up, s2: [0, 16] } },
    ].map((c) => ({ ...c, script: step.inputs.Script }));
    const out = execFileSync('python3', ['-c', harness], { input: JSON.stringify(cases) }).toString();
    const results = JSON.parse(out);
    expect(results.map((r: any) => r.Serving)).toEqual([
      'primary', 'primary', 'secondary', 'secondary', 'primary (neither region passes its checks: Route 53 answers with the primary)',
    ]);
    expect(results[3].Primary).toMatch(/^unhealthy \(inverted: a switchover is in force\); p1: 16 of 16 checkers see it healthy; p2: 16 of 16/);
    expect(step.outputs.map((o: any) => o.Selector)).toEqual(['$.Payload.Serving', '$.Payload.Primary', '$.Payload.Secondary']);
  });

  test('lets only Switchover and Failback invert the primary\'s check, and nothing else of Route 53 but reads', () => {
    const roles = secondary.findResources('AWS::IAM::Role');
    const policyOf = (name: string) => {
      const [roleId] = Object.entries(roles).find(([, r]: [string, any]) => r.Properties.Description === name)!;
      return propertiesOf(secondary, 'AWS::IAM::Policy').find((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }])).PolicyDocument.Statement;
    };
    const ofRoute53 = (statements: any[]) => statements.filter((st) => JSON.stringify(st.Action).includes('route53:'));
    const update = {
      Action: 'route53:UpdateHealthCheck',
      Effect: 'Allow',
      Resource: joined('arn:', partition(), ':route53:::healthcheck/', { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('RegionHealthCheck')] }),
    };
    const reads = { Action: ['route53:GetHealthCheck', 'route53:GetHealthCheckStatus'], Effect: 'Allow', Resource: joined('arn:', partition(), ':route53:::healthcheck/*') };
    expect(ofRoute53(policyOf('SSM Automation makes this region serve'))).toEqual([reads]);
    for (const role of ['SSM Automation switches the domain to this region', 'SSM Automation hands the domain back to the primary region']) {
      expect(ofRoute53(policyOf(role))).toEqual([reads, update]);
    }
  });

  test('connects each region to its own MongoDB', () => {
    const host = (template: Template) => JSON.stringify(propertiesOf(template, 'AWS::SecretsManager::Secret').find((s) => JSON.stringify(s).includes('mongodb.net')));
    expect(host(primary)).toContain('east.abcde.mongodb.net');
    expect(host(secondary)).toContain('west.abcde.mongodb.net');
  });

  test('shows both regions on one dashboard in the secondary: Route 53\'s verdict, requests, 5xx and tasks, each metric in its region', () => {
    const [dashboard] = propertiesOf(secondary, 'AWS::CloudWatch::Dashboard').filter((d) => d.DashboardName === 'arculus-auth-prod-pair');
    const widgets = JSON.parse(dashboard.DashboardBody['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : 'TOKEN')).join('')).widgets;
    expect(widgets[0].properties.markdown).toContain('primary: us-east-1, secondary: us-west-2');
    expect(widgets[0].properties.markdown).toContain('`arculus-auth-prod-Failover`');
    const lines = (w: any) => w.properties.metrics.map((m: any) => [m[1], m.at(-1).region, m.at(-1).label]);
    const graphs = widgets.slice(1).map((w: any) => [w.properties.title, lines(w)]);
    expect(graphs).toEqual([
      ['Route 53: region healthy (1) or not (0)', [
        ['HealthCheckStatus', 'us-east-1', 'primary (us-east-1) check'], ['HealthCheckStatus', 'us-east-1', 'secondary (us-west-2) check'],
      ]],
      ['Requests', [['RequestCount', 'us-east-1', 'primary (us-east-1) requests'], ['RequestCount', 'us-west-2', 'secondary (us-west-2) requests']]],
      ['5xx answers', [
        ['HTTPCode_ELB_5XX_Count', 'us-east-1', 'primary (us-east-1) load balancer 5xx'], ['HTTPCode_Target_5XX_Count', 'us-east-1', 'primary (us-east-1) targets 5xx'],
        ['HTTPCode_ELB_5XX_Count', 'us-west-2', 'secondary (us-west-2) load balancer 5xx'], ['HTTPCode_Target_5XX_Count', 'us-west-2', 'secondary (us-west-2) targets 5xx'],
      ]],
      ['Running tasks', [
        ['RunningTaskCount', 'us-east-1', 'primary (us-east-1) PyFIDO tasks'], ['RunningTaskCount', 'us-east-1', 'primary (us-east-1) Tomcat tasks'],
        ['RunningTaskCount', 'us-west-2', 'secondary (us-west-2) PyFIDO tasks'], ['RunningTaskCount', 'us-west-2', 'secondary (us-west-2) Tomcat tasks'],
      ]],
    ]);
    expect(Stack.of(fido.dashboard!)).toBe(fido.secondary);
  });

  test('names the dashboards apart, since dashboards are global to the account', () => {
    expect(propertiesOf(primary, 'AWS::CloudWatch::Dashboard').map((d) => d.DashboardName)).toEqual(['arculus-auth-prod']);
    expect(propertiesOf(secondary, 'AWS::CloudWatch::Dashboard').map((d) => d.DashboardName).sort()).toEqual(['arculus-auth-prod-pair', 'arculus-auth-prod-us-west-2']);
  });

  test('fails over within the 3 minutes the bench models for a warm standby: 30 s of checks and the 60 s TTL', () => {
    expect(failoverOf(primary.toJSON(), secondary.toJSON())).toEqual({
      detectionSeconds: 30, scaleUpSeconds: 0, promotionSeconds: 0, dnsSeconds: 60, rtoSeconds: 90,
    });
  });

  test('gives each region the operator\'s outputs', () => {
    for (const template of [primary, secondary]) {
      for (const output of ['LoadBalancerDNS', 'ClusterName', 'StartRunbook', 'DiagnoseRunbook', 'AlarmTopicArn']) {
        template.hasOutput(output, {});
      }
    }
  });
});

describe('a pair with a pilot-light secondary and slower checks', () => {
  const { fido, primary, secondary } = pair({
    secondary: {
      env: { account: ACCOUNT, region: 'eu-west-1' },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      standbyTasks: 0,
      stackName: 'FidoStandby',
    },
    healthCheckInterval: Duration.seconds(30),
    failureThreshold: 2,
  }, {
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
    encryption: { customerManagedKey: false },
    monitoring: { dashboard: false },
  });

  test('fails IPv6 clients over too: an AAAA failover alias beside the A record, decided by the same check', () => {
    const records = propertiesOf(secondary, RECORD);
    expect(records.map((r) => r.Type).sort()).toEqual(['A', 'AAAA']);
    expect(records[0]).toEqual({ ...records[1], Type: records[0].Type });
    expect(records.every((r) => r.Failover === 'SECONDARY')).toBe(true);
  });

  test('keeps the standby\'s services at zero tasks, scalable to their maximum', () => {
    for (const service of ['PyFido', 'Tomcat']) {
      expect(scalableTarget(secondary, service)).toMatchObject({ MinCapacity: 0, MaxCapacity: 6 });
    }
  });

  test('fails over once the standby has started and passed its checks, as the bench models it', () => {
    // 60 s task start, the target groups' 30 s x 2 (the guide's health check), and Route 53's 30 s x 2.
    expect(failoverOf(secondary.toJSON(), secondary.toJSON()).scaleUpSeconds).toBe(60 + 60 + 60);
  });

  test('replicates under the AWS managed key where the deployment has no key of its own, with no key stack', () => {
    expect(fido.secondaryKey).toBeUndefined();
    const [application] = propertiesOf(primary, 'AWS::SecretsManager::Secret').filter((p) => p.GenerateSecretString?.GenerateStringKey === 'jwtSecret');
    expect(application.ReplicaRegions).toEqual([{ Region: 'eu-west-1' }]);
    expect(JSON.stringify(secretValueFrom(secondary, 'JWT_SECRET'))).toContain(':secretsmanager:eu-west-1:111111111111:secret:');
  });

  test('makes no dashboard of the pair where the deployment makes none', () => {
    expect(fido.dashboard).toBeUndefined();
    secondary.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  test('checks at the given interval and threshold', () => {
    const https = propertiesOf(secondary, HEALTH_CHECK).map((p) => p.HealthCheckConfig).filter((c) => c.Type === 'HTTPS');
    expect(https.map((c) => [c.RequestInterval, c.FailureThreshold])).toEqual([[30, 2], [30, 2]]);
  });
});

describe('a prod pair on DocumentDB: a global cluster made of the primary\'s, joined by the secondary\'s', () => {
  const { fido, primary, secondary, keys, findings } = reviewedPair({ secondary: { env: { account: ACCOUNT, region: 'us-west-2' } } }, { mongoDb: MongoDbConnection.documentDb() });
  const [globalCluster] = propertiesOf(primary, 'AWS::DocDB::GlobalCluster');
  const clusterOf = (template: Template) => Object.entries(template.findResources('AWS::DocDB::DBCluster'))[0] as [string, any];
  const [primaryClusterId] = clusterOf(primary);
  const [secondaryClusterId, secondaryCluster] = clusterOf(secondary);
  const documents = Object.fromEntries(propertiesOf(secondary, 'AWS::SSM::Document').map((d) => [d.Name, d.Content]));
  const steps = (name: string) => documents[`arculus-auth-prod-${name}`].mainSteps.map((step: any) => [step.name, step.inputs.Api ?? step.action]);
  const clusterArn = (region: string, id: unknown) => joined('arn:', partition(), `:rds:${region}:${ACCOUNT}:cluster:`, id);

  test('makes the global cluster of the primary\'s cluster, kept with it, and on memory-optimized instances in both regions', () => {
    expect(globalCluster).toEqual({
      GlobalClusterIdentifier: expect.stringMatching(/^[a-z][a-z0-9-]{0,62}$/),
      SourceDBClusterIdentifier: clusterArn('us-east-1', { Ref: primaryClusterId }),
      DeletionProtection: true,
    });
    expect(Object.values(primary.findResources('AWS::DocDB::GlobalCluster'))[0].DeletionPolicy).toBe('Retain');
    for (const template of [primary, secondary]) {
      expect(propertiesOf(template, 'AWS::DocDB::DBInstance').map((i) => i.DBInstanceClass)).toEqual(['db.r6g.large', 'db.r6g.large', 'db.r6g.large']);
    }
  });

  test('joins the secondary\'s cluster to it by name, encrypted with the secondary\'s key, with no master user of its own', () => {
    expect(secondaryCluster.Properties).toMatchObject({
      GlobalClusterIdentifier: globalCluster.GlobalClusterIdentifier,
      EngineVersion: '5.0.0',
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::ImportValue': expect.stringContaining('SecretEncryptionKey') },
      EnableCloudwatchLogsExports: ['audit'],
      DeletionProtection: true,
      BackupRetentionPeriod: 35,
    });
    expect(secondaryCluster.Properties.MasterUsername).toBeUndefined();
    expect(secondaryCluster.DeletionPolicy).toBe('Snapshot');
    expect(propertiesOf(secondary, 'AWS::DocDB::DBClusterParameterGroup')).toEqual([expect.objectContaining({ Family: 'docdb5.0', Parameters: { tls: 'enabled', audit_logs: 'enabled' } })]);
    expect(propertiesOf(secondary, 'AWS::Logs::LogGroup').map((g) => JSON.stringify(g.LogGroupName))).toContainEqual(expect.stringContaining('/audit'));
  });

  test('replicates the master secret to the secondary region with its key, and the secondary\'s tasks read it there, connecting to their own cluster', () => {
    const [master] = propertiesOf(primary, 'AWS::SecretsManager::Secret').filter((p) => p.GenerateSecretString?.GenerateStringKey === 'password');
    expect(master.ReplicaRegions).toEqual([{ Region: 'us-west-2', KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('SecretEncryptionKey')] } }]);
    for (const name of ['MONGODB_USERNAME', 'MONGODB_PASSWORD', 'MONGODB_PORT']) {
      expect(JSON.stringify(secretValueFrom(secondary, name))).toContain(`:secretsmanager:us-west-2:${ACCOUNT}:secret:`);
    }
    expect(secretValueFrom(secondary, 'MONGODB_HOST')).toBeUndefined();
    const container = propertiesOf(secondary, 'AWS::ECS::TaskDefinition')[0].ContainerDefinitions[0];
    expect(container.Environment).toContainEqual({ Name: 'MONGODB_HOST', Value: { 'Fn::GetAtt': [secondaryClusterId, 'Endpoint'] } });
    // The primary's tasks read all four from the master secret itself.
    expect(secretValueFrom(primary, 'MONGODB_HOST')).toBeDefined();
  });

  test('lets the primary\'s rotation put values into the replica: the secondary\'s key encrypts, never decrypts, through Secrets Manager for this account', () => {
    const statements = Object.values(keys!.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const replication = statements.find((st: any) => st.Sid === 'ReplicateSecretValuesPutInThePrimaryRegion');
    expect(replication).toEqual({
      Sid: 'ReplicateSecretValuesPutInThePrimaryRegion',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com', 'secretsmanager.us-west-2.amazonaws.com'] },
        StringLike: { 'kms:EncryptionContext:SecretARN': joined('arn:', partition(), `:secretsmanager:us-west-2:${ACCOUNT}:secret:*`) },
      },
    });
  });

  test('redeploys the secondary on the master secret\'s rotation in the primary, whose events the primary forwards', () => {
    const forwards = propertiesOf(primary, 'AWS::Events::Rule').filter((r) => JSON.stringify(r.Targets).includes(':us-west-2:'));
    expect(forwards.map((r) => JSON.stringify(r.EventPattern.resources))).toEqual(expect.arrayContaining([expect.stringContaining('DocumentDbSecret'), expect.stringContaining('ApplicationSecret')]));
    const [rule] = propertiesOf(secondary, 'AWS::Events::Rule').filter((r) => r.Description?.startsWith('Redeploys') && JSON.stringify(r.EventPattern).includes('DocumentDbSecret'));
    expect(rule.EventPattern.resources).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('DocumentDbSecret')] }]);
    // The replica rotates, and alarms, in the primary's region.
    expect(JSON.stringify(propertiesOf(secondary, 'AWS::Events::Rule').map((r) => r.EventPattern))).not.toContain('RotationFailed');
  });

  test('moves the writer in each runbook: Failover promotes, Switchover and Failback move it without loss, each waiting until it writes', () => {
    expect(steps('Failover').slice(0, 3)).toEqual([['PromoteDatabase', 'FailoverGlobalCluster'], ['WaitForPromoteDatabase', 'aws:executeScript'], ['RestoreBoundsPyfido', 'RegisterScalableTarget']]);
    const promote = documents['arculus-auth-prod-Failover'].mainSteps[0].inputs;
    expect(promote).toEqual({
      Service: 'docdb',
      Api: 'FailoverGlobalCluster',
      GlobalClusterIdentifier: globalCluster.GlobalClusterIdentifier,
      TargetDbClusterIdentifier: clusterArn('us-west-2', { Ref: secondaryClusterId }),
      AllowDataLoss: true,
    });
    const switchover = steps('Switchover').map(([name]: string[]) => name);
    expect(switchover.indexOf('SwitchDatabaseHere')).toBeGreaterThan(switchover.indexOf('WaitForRunningTomcat'));
    expect(switchover.indexOf('WaitForSwitchDatabaseHere')).toBe(switchover.indexOf('InvertPrimaryHealthCheck') - 1);
    expect(steps('Failback').slice(0, 3)).toEqual([['SwitchDatabaseBack', 'SwitchoverGlobalCluster'], ['WaitForSwitchDatabaseBack', 'aws:executeScript'], ['RestorePrimaryHealthCheck', 'UpdateHealthCheck']]);
    expect(documents['arculus-auth-prod-Failback'].mainSteps[0].inputs.TargetDbClusterIdentifier)
      .toEqual(joined('arn:', partition(), ':rds:us-east-1:111111111111:cluster:', { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('DocumentDb')] }));
  });

  test('Failover holds the domain here once the promoted cluster writes: the primary\'s check inverted, even should Route 53\'s API fail', () => {
    const failover = documents['arculus-auth-prod-Failover'];
    const names = steps('Failover').map(([name]: string[]) => name);
    // After the services run, before the report; the primary's cluster would come back unable to write.
    expect(names.slice(-3)).toEqual(['WaitStartedTomcat', 'InvertPrimaryHealthCheck', 'Serving']);
    const hold = failover.mainSteps.find((step: any) => step.name === 'InvertPrimaryHealthCheck');
    expect(hold).toMatchObject({
      action: 'aws:executeAwsApi',
      inputs: { Service: 'route53', Api: 'UpdateHealthCheck', HealthCheckId: { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('RegionHealthCheck')] }, Inverted: true },
      // Route 53's API answers from us-east-1: the report runs anyway, and the run ends Failed.
      onFailure: 'Continue',
      isCritical: true,
    });
    expect(failover.description).toContain('until `arculus-auth-prod-Failback` moves the writer back');
    // Its role may write that one check.
    const roles = secondary.findResources('AWS::IAM::Role');
    const [roleId] = Object.entries(roles).find(([, r]: [string, any]) => r.Properties.Description === 'SSM Automation makes this region serve')!;
    const statements = propertiesOf(secondary, 'AWS::IAM::Policy').find((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }])).PolicyDocument.Statement;
    expect(statements.filter((st: any) => st.Action === 'route53:UpdateHealthCheck')).toEqual([{
      Action: 'route53:UpdateHealthCheck',
      Effect: 'Allow',
      Resource: joined('arn:', partition(), ':route53:::healthcheck/', { 'Fn::GetAtt': [expect.stringMatching(/^ExportsReader/), expect.stringContaining('RegionHealthCheck')] }),
    }]);
  });

  test('gives each runbook\'s role the one move of the global cluster it makes, on that cluster and its two members', () => {
    const roles = secondary.findResources('AWS::IAM::Role');
    const rdsOf = (description: string) => {
      const [roleId] = Object.entries(roles).find(([, r]: [string, any]) => r.Properties.Description === description)!;
      return propertiesOf(secondary, 'AWS::IAM::Policy').find((p) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]))
        .PolicyDocument.Statement.filter((st: any) => JSON.stringify(st.Action).includes('rds:')).map((st: any) => st.Action);
    };
    expect(rdsOf('SSM Automation makes this region serve')).toEqual(['rds:FailoverGlobalCluster', 'rds:DescribeGlobalClusters']);
    expect(rdsOf('SSM Automation switches the domain to this region')).toEqual(['rds:SwitchoverGlobalCluster', 'rds:DescribeGlobalClusters']);
    expect(rdsOf('SSM Automation hands the domain back to the primary region')).toEqual(['rds:SwitchoverGlobalCluster', 'rds:DescribeGlobalClusters']);
  });

  test('waits for the new writer as DocumentDB reports it: available, no failover under way, the target the one writer', () => {
    const step = documents['arculus-auth-prod-Failover'].mainSteps[1];
    // The script with stand-ins of boto3's DocumentDB client and of time: each case, the states it reads in turn.
    const harness = `
import json, sys, types
cases = json.loads(sys.stdin.read())
results = []
for case in cases:
    states = list(case['states'])
    clock = {'now': 0}
    class DocDB:
        def describe_global_clusters(self, GlobalClusterIdentifier):
            return {'GlobalClusters': [states.pop(0) if len(states) > 1 else states[0]]}
    sys.modules['boto3'] = types.SimpleNamespace(client=lambda name: DocDB())
    sys.modules['time'] = types.SimpleNamespace(time=lambda: clock['now'], sleep=lambda s: clock.__setitem__('now', clock['now'] + s))
    scope = {}
    exec(case['script'], scope)
    try:
        results.append([scope['handler']({'GlobalClusterIdentifier': 'g', 'Writer': 'west'}, None)['Writer'], clock['now']])
    except Exception as error:
        results.append(['failed: ' + str(error), clock['now']])
print(json.dumps(results))
`;
    const state = (status: string, writer: string, failing = false) => ({
      Status: status,
      GlobalClusterMembers: [{ DBClusterArn: 'east', IsWriter: writer === 'east' }, { DBClusterArn: 'west', IsWriter: writer === 'west' }],
      ...(failing ? { FailoverState: { Status: 'failing-over' } } : {}),
    });
    const cases = [
      [state('available', 'west')],
      [state('failing-over', 'east', true), state('available', 'west', true), state('available', 'west')],
      [state('available', 'east')],
    ].map((states) => ({ states, script: step.inputs.Script }));
    const results = JSON.parse(execFileSync('python3', ['-c', harness], { input: JSON.stringify(cases) }).toString());
    expect(results).toEqual([
      ['global cluster available, writer west', 0],
      ['global cluster available, writer west', 20],
      ['failed: west is not the writer after 9 minutes: global cluster available, writer east', 550],
    ]);
    expect(step.timeoutSeconds).toBe(600);
  });

  test('watches the secondary\'s cluster with the deployment\'s alarms and its replication lag, and is clean by cdk-nag', () => {
    const cpu = propertiesOf(secondary, 'AWS::CloudWatch::Alarm').find((a) => a.AlarmName === 'arculus-auth-prod-docdb-cpu');
    expect(cpu.Dimensions).toEqual([{ Name: 'DBClusterIdentifier', Value: { Ref: secondaryClusterId } }]);
    // The secondary's lag is the recovery point: 10 s for 5 minutes notifies, as the primary's alarms do.
    const lag = propertiesOf(secondary, 'AWS::CloudWatch::Alarm').find((a) => a.AlarmName === 'arculus-auth-prod-docdb-replication-lag');
    expect(lag).toMatchObject({
      Namespace: 'AWS/DocDB',
      MetricName: 'GlobalClusterReplicationLag',
      Statistic: 'Maximum',
      Period: 60,
      Threshold: 10000,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: { Ref: secondaryClusterId } }],
    });
    expect(lag.AlarmActions).toEqual(cpu.AlarmActions);
    expect(propertiesOf(primary, 'AWS::CloudWatch::Alarm').map((a) => a.AlarmName)).not.toContain('arculus-auth-prod-docdb-replication-lag');
    expect(findings).toEqual([]);
    expect(fido.secondaryKey).toBeDefined();
  });

  test('models the promotion in the recovery time, and the replication lag as the RPO', () => {
    expect(failoverOf(primary.toJSON(), secondary.toJSON())).toEqual({
      detectionSeconds: 30, scaleUpSeconds: 0, promotionSeconds: 60, dnsSeconds: 60, rtoSeconds: 150, rpoSeconds: 1,
    });
  });
});

describe('a pair whose application secret is the user\'s own, replicated by its owner, in an app that prefers weak references', () => {
  // cdk init's flags prefer weak cross-stack references, which read the other region's stack outputs.
  const app = testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'weak' } });
  const given = secretsmanager.Secret.fromSecretCompleteArn(importsStack(app, 'Secrets'), 'AppSecret', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido-app-AbCdEf');
  const fido = addReviewedPair(app, {}, { secrets: { applicationSecret: given } });
  const [primary, secondary] = [Template.fromStack(fido.primary), Template.fromStack(fido.secondary)];

  test('reads the replica of that secret in the secondary region, by the name Secrets Manager keeps', () => {
    expect(secretValueFrom(secondary, 'JWT_SECRET')).toEqual(joined('arn:', partition(), ':secretsmanager:us-west-2:111111111111:secret:fido-app-AbCdEf:jwtSecret::'));
    // Its keys are its owner's: no previous key is assumed.
    expect(secretValueFrom(secondary, 'JWT_SECRET_PREVIOUS')).toBeUndefined();
    expect(propertiesOf(primary, 'AWS::SecretsManager::Secret').some((p) => p.ReplicaRegions)).toBe(false);
  });

  test('still reads what the regions share from each one\'s own SSM parameters, so the secondary deploys while the primary is down', () => {
    expect(JSON.stringify(secondary.toJSON())).not.toContain('Fn::GetStackOutput');
    expect(crossRegionImports(secondary)).toContainEqual(expect.stringMatching(/^\/cdk\/exports\/Fido-secondary\/.*RegionHealthCheck/));
  });

  test('says that its changes redeploy the secondary only where its owner forwards them', () => {
    expect(warnings(fido.secondary, 'arculus-fido:secret-events-elsewhere')).toEqual([
      expect.stringContaining('arn:aws:secretsmanager:us-east-1:111111111111:secret:fido-app-AbCdEf belongs to 111111111111 in us-east-1'),
    ]);
  });
});

describe('secrets.replicaOf and secrets.applicationSecretReplicaRegions refuse, in one error', () => {
  const east = { account: ACCOUNT, region: 'us-east-1' };

  test('replicas in the secret\'s own region, twice in one region, under another region\'s key, and of a given secret', () => {
    const message = thrownBy(() => {
      const app = testApp();
      const stack = new Stack(app, 'East', { env: east });
      new ArculusFidoStack(app, 'Fido', baseProps(stack, {
        env: east,
        secrets: {
          applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Given', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido-app-AbCdEf'),
          applicationSecretReplicaRegions: [
            { region: 'us-east-1' },
            { region: 'eu-west-1', encryptionKey: kms.Key.fromKeyArn(stack, 'EastKey', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') },
            { region: 'eu-west-1' },
          ],
        },
      }));
    });
    expect(message).toContain('secrets.applicationSecretReplicaRegions: replicates only the application secret the deployment creates, but secrets.applicationSecret is given');
    expect(message).toContain("secrets.applicationSecretReplicaRegions[0].region: is the deployment's own region (us-east-1)");
    expect(message).toContain('secrets.applicationSecretReplicaRegions[1].encryptionKey: is a key of us-east-1, but a replica in eu-west-1 is encrypted with a key of its own region');
    expect(message).toContain("secrets.applicationSecretReplicaRegions[2].region: names 'eu-west-1' a second time; give each region once");
  });

  test('a replica of a deployment that does not replicate here, of this region, or of another account, and its rotation', () => {
    const app = testApp();
    const source = new ArculusFidoStack(app, 'East', baseProps(new Stack(app, 'EastImports', { env: east }), { env: east }));
    const west = (id: string, env: { account: string; region: string }, secrets: object) => thrownBy(() => {
      const imports = new Stack(app, `${id}Imports`, { env });
      const replicaOf = source.deployment.dataLayer;
      new ArculusFidoStack(app, id, { ...baseProps(imports), env, crossRegionReferences: true, secrets: { replicaOf, ...secrets } });
    });
    const notReplicated = west('West', { account: ACCOUNT, region: 'us-west-2' }, { rotateApplicationSecret: true });
    expect(notReplicated).toContain("secrets.replicaOf: has an application secret that does not replicate to us-west-2: add { region: 'us-west-2' } to that deployment's secrets.applicationSecretReplicaRegions");
    expect(notReplicated).toContain('secrets.rotateApplicationSecret: cannot rotate a replica');
    expect(west('SameRegion', east, {})).toContain('secrets.replicaOf: is a deployment of this region (us-east-1); give its application secret as secrets.applicationSecret instead');
    expect(west('OtherAccount', { account: '222222222222', region: 'eu-west-1' }, {})).toContain('secrets.replicaOf: is a deployment of account 111111111111, but Secrets Manager replicates a secret within its own account');
  });
});

describe('the pair refuses, in one error', () => {
  test('one region twice, a region known only at deploy time, no zone, and what the pair sets itself', () => {
    const message = thrownBy(() => {
      const app = testApp();
      new ArculusFidoRegionPair(app, 'Fido', {
        deployment: {
          deploymentEnvironment: DeploymentEnvironment.PROD,
          domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(importsStack(app), 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/x'), failover: { role: route53.Failover.PRIMARY } },
          mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
          sizing: { standbyTasks: 2 },
          secrets: { applicationSecretReplicaRegions: [{ region: 'eu-west-1' }] },
        },
        primary: { env: { account: ACCOUNT, region: 'us-east-1' } },
        secondary: { env: { account: ACCOUNT, region: 'us-east-1' }, mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }) },
      });
    });
    expect(message).toContain('ArculusFidoRegionPair');
    expect(message).toContain("secondary.env.region: is the primary's region too (us-east-1)");
    expect(message).toContain('deployment.domain.hostedZone: is required');
    expect(message).toContain('deployment.domain.failover: is set by the pair');
    expect(message).toContain('deployment.sizing.standbyTasks: is set by the pair');
    expect(message).toContain('deployment.secrets.applicationSecretReplicaRegions: is set by the pair');
  });

  test('a region left to deploy time', () => {
    const message = thrownBy(() => pair({ primary: { env: { account: ACCOUNT } } }));
    expect(message).toContain("primary.env.region: must be a region known at synth, such as 'us-east-1', got none");
  });

  test('a VPC of the primary region for the secondary, naming where the secondary gets its own', () => {
    const message = thrownBy(() => {
      const app = testApp();
      const imports = importsStack(app);
      new ArculusFidoRegionPair(app, 'Fido', {
        deployment: {
          deploymentEnvironment: DeploymentEnvironment.PROD,
          domain: { domainName: 'auth.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }) },
          mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
          network: { vpc: givenVpc(imports) },
        },
        primary: { env: { account: ACCOUNT, region: 'us-east-1' } },
        secondary: {
          env: { account: ACCOUNT, region: 'us-west-2' },
          mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
          certificate: acm.Certificate.fromCertificateArn(imports, 'EastCert', 'arn:aws:acm:us-east-1:111111111111:certificate/x'),
        },
      });
    });
    expect(message).toContain('deployment.network.vpc: is a resource of us-east-1, but the secondary region\'s stack deploys to us-west-2 and cannot use it; give the secondary a network of its own in secondary.network');
    expect(message).toContain('secondary.certificate: is a resource of us-east-1, but the secondary region\'s stack deploys to us-west-2');
    expect(message).not.toContain('primary region');
  });

  test('a zone that is a resource of one stack, and a pair inside a stack', () => {
    const message = thrownBy(() => {
      const app = testApp();
      const stack = new Stack(app, 'Outer', { env: { account: ACCOUNT, region: 'us-east-1' } });
      new ArculusFidoRegionPair(stack, 'Fido', {
        deployment: {
          deploymentEnvironment: DeploymentEnvironment.PROD,
          domain: { domainName: 'auth.example.com', hostedZone: new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' }) },
          mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
        },
        primary: { env: { account: ACCOUNT, region: 'us-east-1' } },
        secondary: { env: { account: ACCOUNT, region: 'us-west-2' }, mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }) },
      });
    });
    expect(message).toContain('scope: is inside a stack');
    expect(message).toContain('deployment.domain.hostedZone: is a zone of one stack');
  });

  test('DocumentDB options a global cluster refuses, a region without global clusters, and a secondary database the pair would not follow', () => {
    const onDocumentDb = (documentDb: object, secondaryRegion = 'us-west-2', secondaryMongoDb?: MongoDbConnection) => thrownBy(() => addReviewedPair(testApp(), {
      secondary: { env: { account: ACCOUNT, region: secondaryRegion }, mongoDb: secondaryMongoDb },
    }, { mongoDb: MongoDbConnection.documentDb(documentDb) }));
    const options = onDocumentDb({
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      engineVersion: '3.6.0',
      instances: 16,
      secondaryRegions: [{ region: 'eu-west-1' }],
    }, 'sa-east-1');
    expect(options).toContain("deployment.mongoDb.instanceType: is 't4g.medium', but a DocumentDB global cluster runs on memory-optimized instances of r5 or later only (not t3, t4g or r4)");
    expect(options).toContain("deployment.mongoDb.engineVersion: is '3.6.0', but DocumentDB global clusters need engine 4.0 or later");
    expect(options).toContain('deployment.mongoDb.instances: is 16, but the primary of a global cluster with 1 secondary region(s) holds at most 15 instances');
    expect(options).toContain('deployment.mongoDb.secondaryRegions: is set by the pair');
    expect(options).toContain('secondary.env.region: is sa-east-1, where DocumentDB has no global clusters');
    expect(onDocumentDb({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.R4, ec2.InstanceSize.LARGE) })).toContain("deployment.mongoDb.instanceType: is 'r4.large'");
    expect(onDocumentDb({}, 'us-west-2', MongoDbConnection.documentDb())).toContain('secondary.mongoDb: is a new DocumentDB cluster, which would start empty and follow nothing');
    const missing = thrownBy(() => addReviewedPair(testApp(), { secondary: { env: { account: ACCOUNT, region: 'us-west-2' } } }));
    expect(missing).toContain("secondary.mongoDb: is required: give the secondary region's endpoint of your MongoDB");
  });

  test('secondaryRegions of a DocumentDB cluster: twice one region, a key of another region, none with global clusters, and its own', () => {
    const east = { account: ACCOUNT, region: 'us-east-1' };
    const deployed = (secondaryRegions: (imports: Stack) => secretsmanager.ReplicaRegion[]) => thrownBy(() => {
      const app = testApp();
      const imports = new Stack(app, 'Imports', { env: east });
      new ArculusFidoStack(app, 'Fido', {
        ...baseProps(imports),
        env: east,
        mongoDb: MongoDbConnection.documentDb({
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), secondaryRegions: secondaryRegions(imports),
        }),
      });
    });
    const message = deployed((imports) => [
      { region: 'eu-west-1' },
      { region: 'eu-west-1', encryptionKey: kms.Key.fromKeyArn(imports, 'EastKey', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab') },
      { region: 'eu-south-1' },
    ]);
    expect(message).toContain("mongoDb.secondaryRegions[1].region: names 'eu-west-1' a second time; give each region once");
    expect(message).toContain("mongoDb.secondaryRegions[1].encryptionKey: is a key of us-east-1, but eu-west-1's copy of the master secret and its cluster are encrypted with a key of their own region");
    expect(message).toContain('mongoDb.secondaryRegions[2].region: is eu-south-1, where DocumentDB has no global clusters');
    expect(deployed(() => [{ region: 'us-east-1' }])).toContain("mongoDb.secondaryRegions[0].region: is the cluster's own region (us-east-1)");
  });

  test('a DocumentDB secondary of a deployment without a global cluster, or one that leaves this region out', () => {
    const app = testApp();
    const east = { account: ACCOUNT, region: 'us-east-1' };
    const regional = new ArculusFidoStack(app, 'Regional', { ...baseProps(new Stack(app, 'RegionalImports', { env: east })), env: east, mongoDb: MongoDbConnection.documentDb() });
    const global = new ArculusFidoStack(app, 'Global', {
      ...baseProps(new Stack(app, 'GlobalImports', { env: east })),
      env: east,
      mongoDb: MongoDbConnection.documentDb({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE), secondaryRegions: [{ region: 'eu-west-1' }] }),
    });
    const west = (id: string, primary: ArculusFidoStack) => thrownBy(() => {
      const env = { account: ACCOUNT, region: 'us-west-2' };
      const imports = new Stack(app, `${id}Imports`, { env });
      new ArculusFidoStack(app, id, {
        ...baseProps(imports),
        env,
        crossRegionReferences: true,
        domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(imports, 'WestCertificate', `arn:aws:acm:us-west-2:${ACCOUNT}:certificate/x`) },
        mongoDb: MongoDbConnection.documentDbSecondary({ primary: primary.deployment.dataLayer }),
      });
    });
    expect(west('FromRegional', regional)).toContain("mongoDb.primary: has no DocumentDB global cluster: give that deployment mongoDb: MongoDbConnection.documentDb({ secondaryRegions: [{ region: 'us-west-2' }] })");
    expect(west('FromGlobal', global)).toContain("mongoDb.primary: has a global cluster whose secondary regions do not include us-west-2: add { region: 'us-west-2' }");
  });

  test('a missing secondary, for a caller without a compiler', () => {
    const message = thrownBy(() => new ArculusFidoRegionPair(testApp(), 'Fido', { deployment: {}, primary: { env: { region: 'us-east-1' } } } as any));
    expect(message).toContain('secondary: is required');
  });
});

describe('domain.failover and sizing.standbyTasks on one deployment refuse', () => {
  const zone = (scope: Stack) => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

  test('failover without a zone, checks Route 53 does not offer, and a standby or a primary\'s check given to a primary', () => {
    const elsewhere = new Stack();
    const message = synthError({
      domain: {
        domainName: 'auth.example.com',
        certificate: acm.Certificate.fromCertificateArn(elsewhere, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/x'),
        failover: {
          role: route53.Failover.PRIMARY,
          healthCheckInterval: Duration.seconds(20),
          failureThreshold: 11,
          primaryHealthCheck: route53.HealthCheck.fromHealthCheckId(elsewhere, 'Check', 'abcdef01-2345-6789-abcd-ef0123456789'),
        },
      },
      sizing: { standbyTasks: 1 },
    });
    expect(message).toContain("domain.failover.primaryHealthCheck: is for the SECONDARY's failover runbooks, but role is 'PRIMARY'");
    expect(message).toContain('domain.failover: needs domain.hostedZone');
    expect(message).toContain('domain.failover.healthCheckInterval: must be 10 or 30 seconds');
    expect(message).toContain('domain.failover.failureThreshold: must be a whole number from 1 to 10, got 11');
    expect(message).toContain("sizing.standbyTasks: keeps the services at 1 tasks until failover, but domain.failover.role is 'PRIMARY'");
  });

  test('clients that leave Route 53\'s checkers out, a standby above the services\' minimum, and one beside office hours', () => {
    const message = synthError((scope) => ({
      domain: { domainName: 'auth.example.com', hostedZone: zone(scope as Stack), failover: { role: route53.Failover.SECONDARY } },
      network: { allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24')] },
      sizing: { standbyTasks: 2, officeHours: { start: '08:00', end: '18:00' } },
    }));
    expect(message).toContain('network.allowedIngress: admits neither 0.0.0.0/0 nor a prefix list');
    expect(message).toContain('sizing.standbyTasks: is 2, above the 1 tasks sizing.pyFido runs at when it serves');
    expect(message).toContain('sizing.standbyTasks: keeps a standby at its count, but sizing.officeHours would wake it');
  });

  test('a negative standby, and accepts a prefix list of Route 53\'s checkers', () => {
    const message = synthError((scope) => ({
      domain: { domainName: 'auth.example.com', hostedZone: zone(scope as Stack), failover: { role: route53.Failover.SECONDARY } },
      network: { allowedIngress: [ec2.Peer.prefixList('pl-0123456789abcdef0')] },
      sizing: { standbyTasks: -1 },
    }));
    expect(message).toContain('sizing.standbyTasks: must be a whole number of tasks, at least 0, got -1');
    expect(message).not.toContain('network.allowedIngress');
  });

  test('a dashboard name CloudWatch would not take', () => {
    expect(synthError({ monitoring: { dashboardName: 'my dashboard' } })).toContain("monitoring.dashboardName: must be 1 to 255 letters, digits, '-' and '_', got 'my dashboard'");
  });
});

test('a deployment without failover keeps its plain alias record', () => {
  // The record of every single-region deployment is unchanged: construct IDs are API.
  const app = testApp();
  const imports = importsStack(app);
  const stack = new ArculusFidoStack(app, 'Fido', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    deploymentEnvironment: DeploymentEnvironment.DEV,
    domain: { domainName: 'auth.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }) },
    mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs(HEALTH_CHECK, 0);
  template.hasResourceProperties(RECORD, { Name: 'auth.example.com.', Failover: Match.absent(), SetIdentifier: Match.absent() });
  expect(Object.keys(template.findResources(RECORD))[0]).toMatch(/^FidoAliasRecord/);
});

describe('a zone of another account: the records written there through a FidoHostedZoneRole', () => {
  const ZONE_ACCOUNT = '333333333333';
  const ZONE_ROLE = 'AWS::IAM::Role';
  const { built, templates, findings } = runNag((app) => {
    const dns = new Stack(app, 'Dns', { env: { account: ZONE_ACCOUNT, region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(dns, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const zoneRole = new FidoHostedZoneRole(dns, 'ZoneRole', { hostedZone: zone, domainNames: ['auth.example.com', 'Login.example.com.'], trustedAccounts: [ACCOUNT] });
    const imports = importsStack(app);
    type Domain = Partial<DomainOptions>;
    const deployment = (id: string, region: string, domain: Domain, more: Partial<ArculusFidoDeploymentProps> = {}) => new ArculusFidoStack(app, id, {
      env: { account: ACCOUNT, region },
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: {
        domainName: 'auth.example.com',
        hostedZone: zone,
        hostedZoneRole: zoneRole.role,
        certificate: acm.Certificate.fromCertificateArn(imports, `${id}Certificate`, `arn:aws:acm:${region}:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`),
        ...domain,
      },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
      images: { tag: '1.0.0' },
      ...more,
    });
    const plain = deployment('Plain', 'us-east-1', {}, { loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK } });
    const secondary = deployment('Secondary', 'us-west-2', { domainName: 'login.example.com', failover: { role: route53.Failover.SECONDARY } });
    [plain, secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return { dns, plain, secondary };
  });
  const template = (stack: Stack) => Template.fromJSON(templates[stack.templateFile]);
  const [dns, plain, secondary] = [template(built.dns), template(built.plain), template(built.secondary)];
  const roleName = propertiesOf(dns, ZONE_ROLE)[0].RoleName;
  /** The SDK calls of every record a deployment writes in the zone, each with its tokens as `${Logical.Attr}`. */
  const zoneRecords = (t: Template) => propertiesOf(t, 'Custom::ZoneRecord').map((p) => ({ create: call(p.Create), update: call(p.Update), delete: call(p.Delete) }));
  /** A string of the template, its references written `${Logical.Attr}` (the logical ID without its hash). */
  const flat = (value: any): string => (typeof value === 'string' ? value : (value['Fn::Join']?.[1] ?? [value]).map((part: any) => {
    if (typeof part === 'string') {
      return part;
    }
    const [ref, attr] = part['Fn::GetAtt'] ?? [part.Ref];
    return `\${${ref.replace(/[0-9A-F]{8}$/, '')}${attr ? `.${attr}` : ''}}`;
  }).join(''));
  const call = (value: any): any => JSON.parse(flat(value));
  const roleArn = `arn:${flat(partition())}:iam::${ZONE_ACCOUNT}:role/${roleName}`;

  test('leaves cdk-nag (AwsSolutions, NIST 800-53 R5) no unacknowledged finding in the zone\'s account or the deployments\'', () => {
    expect(findings).toEqual([]);
  });

  test('lets the deployments\' account assume a role of the zone\'s account, under a name CDK writes into their templates', () => {
    expect(roleName).toMatch(/^[\w+=,.@-]{1,64}$/);
    dns.hasResourceProperties(ZONE_ROLE, {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: joined('arn:', partition(), `:iam::${ACCOUNT}:root`) } }] },
    });
  });

  test('lets that role create, upsert and delete the A and AAAA records of the given names, normalized, in that zone only', () => {
    const [policy] = propertiesOf(dns, 'AWS::IAM::Policy');
    expect(policy.PolicyDocument.Statement).toEqual([{
      Action: 'route53:ChangeResourceRecordSets',
      Effect: 'Allow',
      Resource: joined('arn:', partition(), ':route53:::hostedzone/Z0123456789ABCDEFGHIJ'),
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['auth.example.com', 'login.example.com'],
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA'],
          'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
        },
      },
    }]);
  });

  test('writes a dual-stack deployment\'s alias A and AAAA records there, as that role, and no record or certificate of its own', () => {
    // CREATE fails, as CloudFormation's own record does, on a record someone else wrote; updates upsert.
    plain.resourceCountIs(RECORD, 0);
    plain.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    const records = zoneRecords(plain);
    expect(records.map((r) => r.create.parameters.ChangeBatch.Changes[0].ResourceRecordSet.Type).sort()).toEqual(['A', 'AAAA']);
    for (const { create, update } of records) {
      for (const [sdkCall, action] of [[create, 'CREATE'], [update, 'UPSERT']]) {
        expect(sdkCall).toMatchObject({ service: 'Route53', action: 'changeResourceRecordSets', assumedRoleArn: roleArn });
        expect(sdkCall.parameters).toEqual({
          HostedZoneId: 'Z0123456789ABCDEFGHIJ',
          ChangeBatch: {
            Changes: [{
              Action: action,
              ResourceRecordSet: {
                Name: 'auth.example.com.',
                Type: expect.stringMatching(/^A{1,4}$/),
                AliasTarget: { DNSName: expect.stringMatching(/^dualstack\.\$\{FidoLoadBalancer.*\.DNSName\}$/), HostedZoneId: expect.stringMatching(/\.CanonicalHostedZoneID\}$/), EvaluateTargetHealth: false },
              },
            }],
          },
        });
      }
    }
  });

  test('deletes each record it wrote with the stack, and leaves one already gone or no longer as written', () => {
    for (const { create, delete: remove } of zoneRecords(plain)) {
      expect(remove.parameters.ChangeBatch.Changes[0]).toEqual({ ...create.parameters.ChangeBatch.Changes[0], Action: 'DELETE' });
      expect(remove).toMatchObject({ assumedRoleArn: roleArn, ignoreErrorCodesMatching: 'InvalidChangeBatch' });
      // One resource per name and type: a changed one is a new record, written before the old goes.
      expect(remove.physicalResourceId.id).toBe(create.physicalResourceId.id);
    }
    expect(zoneRecords(plain).map((r) => r.create.physicalResourceId.id).sort()).toEqual(['auth.example.com. A', 'auth.example.com. AAAA']);
  });

  test('logs the writing function as the deployment logs, with its key and retention, kept on delete in prod', () => {
    const logGroups = Object.entries(plain.findResources('AWS::Logs::LogGroup'));
    const [, logGroup] = logGroups.find(([id]) => id.startsWith('FidoZoneRecordsLogGroup'))!;
    const [, serviceLogs] = logGroups.find(([id]) => id.startsWith('FidoPyFidoLogGroup'))!;
    expect(logGroup.DeletionPolicy).toBe('Retain');
    expect(logGroup.Properties).toEqual({ RetentionInDays: serviceLogs.Properties.RetentionInDays, KmsKeyId: serviceLogs.Properties.KmsKeyId });
    expect(logGroup.Properties.KmsKeyId).toBeDefined();
    const provider = propertiesOf(plain, 'AWS::Lambda::Function').find((f) => JSON.stringify(f.LoggingConfig ?? {}).includes('FidoZoneRecordsLogGroup'));
    expect(provider).toBeDefined();
  });

  test('lets the writing function assume that role, and nothing else', () => {
    const statements = propertiesOf(plain, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().some((action: string) => /^(sts|route53):/.test(action)));
    // One policy for each record's resource (A and AAAA), each with the one statement.
    expect(statements).toHaveLength(2);
    statements.forEach((s) => expect({ ...s, Resource: flat(s.Resource) }).toEqual({ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: roleArn }));
  });

  test('writes a failover secondary\'s record there with its role, set identifier and this account\'s check', () => {
    secondary.resourceCountIs(RECORD, 0);
    secondary.resourceCountIs(HEALTH_CHECK, 3);
    const [record] = zoneRecords(secondary);
    expect(record.create.parameters.ChangeBatch.Changes[0].ResourceRecordSet).toMatchObject({
      Name: 'login.example.com.',
      Type: 'A',
      Failover: 'SECONDARY',
      SetIdentifier: 'arculus-auth-prod-secondary',
      HealthCheckId: '${FidoRegionHealthCheck}',
      AliasTarget: { EvaluateTargetHealth: true },
    });
    expect(built.secondary.deployment.failover?.record).toBeUndefined();
    expect(built.secondary.deployment.failover?.healthCheck).toBeDefined();
  });
});

describe('a pair whose zone is in a DNS account of its own', () => {
  const DNS_ACCOUNT = '333333333333';
  const certificate = (scope: Construct, region: string) => acm.Certificate.fromCertificateArn(scope, `Certificate-${region}`,
    `arn:aws:acm:${region}:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`);
  const { built: fido, templates, findings } = runNag((app) => {
    const imports = importsStack(app, 'DnsImports');
    const role = iam.Role.fromRoleArn(imports, 'ZoneRole', `arn:aws:iam::${DNS_ACCOUNT}:role/fido-records`, { mutable: false });
    const built = addReviewedPair(app, {
      secondary: {
        env: { account: ACCOUNT, region: 'us-west-2' },
        mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
        certificate: certificate(importsStack(app, 'WestImports', { region: 'us-west-2' }), 'us-west-2'),
      },
    }, {
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'DnsZone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
        hostedZoneRole: role,
        certificate: certificate(imports, 'us-east-1'),
      },
    });
    [built.primary, built.secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return built;
  });
  const [primary, secondary] = [fido.primary, fido.secondary].map((stack) => Template.fromJSON(templates[stack.templateFile]));
  const recordSets = (template: Template) => propertiesOf(template, 'Custom::ZoneRecord')
    .map((p) => JSON.stringify(p.Create))
    .map((create) => ({ failover: /"Failover\\?":\\?"(\w+)/.exec(create)?.[1], role: create.includes(`iam::${DNS_ACCOUNT}:role/fido-records`) }));

  test('is clean by cdk-nag in both regions', () => {
    expect(findings).toEqual([]);
  });

  test('writes each region\'s failover record in that zone through the DNS account\'s role, with no record or certificate of its own', () => {
    expect(recordSets(primary)).toEqual([{ failover: 'PRIMARY', role: true }]);
    expect(recordSets(secondary)).toEqual([{ failover: 'SECONDARY', role: true }]);
    for (const template of [primary, secondary]) {
      template.resourceCountIs(RECORD, 0);
      template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
      template.resourceCountIs(HEALTH_CHECK, 3);
    }
  });

  test('still gives the secondary the runbooks that invert the primary\'s check, which stays in the pair\'s account', () => {
    expect(fido.secondary.deployment.runbooks?.switchoverDocument).toBeDefined();
    expect(fido.primary.deployment.failover?.record).toBeUndefined();
  });

  test('refuses a secondary without its certificate, naming the prop', () => {
    const message = thrownBy(() => addReviewedPair(testApp(), {}, {
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(new Stack(), 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
        hostedZoneRole: iam.Role.fromRoleArn(new Stack(), 'Role', `arn:aws:iam::${DNS_ACCOUNT}:role/fido-records`),
        certificate: certificate(new Stack(), 'us-east-1'),
      },
    }));
    expect(message).toContain('secondary.certificate: is required with deployment.domain.hostedZoneRole');
  });
});

describe('a zone of another account refuses, in one error', () => {
  const zone = (scope: Stack) => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

  test('a role without its zone or a certificate, or a role of the stack\'s own account', () => {
    const noZone = synthError((scope) => ({ domain: { domainName: 'auth.example.com', hostedZoneRole: iam.Role.fromRoleArn(scope, 'Role', 'arn:aws:iam::333333333333:role/zone') } }));
    expect(noZone).toContain('domain.hostedZoneRole: writes the records of domainName in domain.hostedZone, which is not given');
    const noCertificate = synthError((scope) => ({
      domain: { domainName: 'auth.example.com', hostedZone: zone(scope as Stack), hostedZoneRole: iam.Role.fromRoleArn(scope, 'Role', 'arn:aws:iam::333333333333:role/zone') },
    }));
    expect(noCertificate).toContain('domain.certificate: is required with domain.hostedZoneRole');
    const ownAccount = synthError((scope) => ({
      domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(scope, 'Certificate', CERTIFICATE_ARN), hostedZone: zone(scope as Stack), hostedZoneRole: iam.Role.fromRoleArn(scope, 'Role', `arn:aws:iam::${ACCOUNT}:role/zone`) },
    }));
    expect(ownAccount).toContain(`domain.hostedZoneRole: is a role of this stack's account (${ACCOUNT})`);
  });

  test('FidoHostedZoneRole: no names, a name out of form or outside the zone, and accounts out of form, its own, or twice', () => {
    const message = thrownBy(() => {
      const stack = new Stack(testApp(), 'Dns', { env: { account: '333333333333', region: 'us-east-1' } });
      const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
      new FidoHostedZoneRole(stack, 'ZoneRole', {
        hostedZone,
        domainNames: ['https://auth.example.com', 'auth.example.org'],
        trustedAccounts: ['1111', '333333333333', ACCOUNT, ACCOUNT],
      });
    });
    expect(message).toContain("domainNames[0]: must be a fully qualified domain name such as 'auth.example.com', got 'https://auth.example.com'");
    expect(message).toContain("domainNames[1]: is 'auth.example.org', which the zone 'example.com' cannot hold");
    expect(message).toContain("trustedAccounts[0]: must be an account ID of 12 digits, such as '222222222222', got '1111'");
    expect(message).toContain("trustedAccounts[1]: is the zone's own account (333333333333)");
    expect(message).toContain(`trustedAccounts[3]: names '${ACCOUNT}' a second time`);
    const empty = thrownBy(() => new FidoHostedZoneRole(new Stack(testApp(), 'Dns'), 'ZoneRole', {
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(new Stack(), 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
      domainNames: [],
      trustedAccounts: [],
    }));
    expect(empty).toContain('domainNames: is empty');
    expect(empty).toContain('trustedAccounts: is empty');
  });
});


describe('a prod pair whose secondary is in another account', () => {
  const OTHER = '222222222222';
  const { built: fido, templates, findings } = runNag((app) => {
    const imports = importsStack(app, 'PrimaryImports');
    const built = addReviewedPair(app, {
      secondary: { env: { account: OTHER, region: 'us-west-2' }, mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }) },
    }, {
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
        certificate: acm.Certificate.fromCertificateArn(imports, 'Certificate', CERTIFICATE_ARN),
      },
    });
    [built.primary, built.secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return built;
  });
  const template = (stack: Stack) => Template.fromJSON(templates[stack.templateFile]);
  const [primary, secondary] = [fido.primary, fido.secondary].map(template);
  const linkStack = fido.secondaryLink!;
  const link = template(linkStack);
  const keys = template(Stack.of(fido.secondaryKey!));
  const parameter = (name: string) => Object.entries(secondary.toJSON().Parameters)
    .find(([, p]: [string, any]) => p.Default === `/arculus-fido/links/Fido-secondary/${name}`)?.[0];
  const linkValues = Object.fromEntries(propertiesOf(primary, 'Custom::LinkValue').map((p) => {
    const create = JSON.parse(JSON.stringify(p.Create).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/, (_m, parts) => JSON.stringify(JSON.parse(`[${parts}]`).map((x: any) => typeof x === 'string' ? x : '<token>').join(''))));
    return [create, p];
  }).map(([create, p]) => [/links\/Fido-secondary\/([a-z-]+)/.exec(create)![1], { create, resource: p }]));

  test('leaves cdk-nag (AwsSolutions, NIST 800-53 R5) no unacknowledged finding in any of its four stacks', () => {
    expect(findings).toEqual([]);
  });

  test('deploys the link first in the secondary\'s account, the replica\'s key in the primary\'s, then the primary, then the secondary', () => {
    const where = (stack: Stack) => [stack.stackName, stack.account, stack.region];
    expect(where(linkStack)).toEqual(['Fido-secondary-link', OTHER, 'us-west-2']);
    expect(where(Stack.of(fido.secondaryKey!))).toEqual(['Fido-secondary-keys', ACCOUNT, 'us-west-2']);
    expect(where(fido.primary)).toEqual(['Fido-primary', ACCOUNT, 'us-east-1']);
    expect(where(fido.secondary)).toEqual(['Fido-secondary', OTHER, 'us-west-2']);
    expect(fido.primary.dependencies.map((s) => s.stackName).sort()).toEqual(['Fido-secondary-keys', 'Fido-secondary-link']);
    expect(fido.secondary.dependencies.map((s) => s.stackName)).toEqual(['Fido-primary']);
  });

  test('crosses accounts through the link only: the secondary reads the primary\'s values from its own region\'s parameters', () => {
    expect(JSON.stringify(secondary.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput|ExportsReader/);
    secondary.resourceCountIs('Custom::CrossRegionExportReader', 0);
    expect(Object.keys(linkValues).sort()).toEqual([
      'application-secret-replica-arn', 'application-secret-replica-key-arn', 'load-balancer-canonical-hosted-zone-id', 'load-balancer-dns-name',
      'load-balancer-full-name', 'pyfido-service-name', 'tomcat-service-name',
    ]);
    for (const name of Object.keys(linkValues)) {
      expect(parameter(name)).toBeDefined();
    }
  });

  test('lets only the primary\'s account put the values, under the secondary\'s path in its region, through the link role', () => {
    link.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: joined('arn:', partition(), `:iam::${ACCOUNT}:root`) } }] },
    });
    const [policy] = propertiesOf(link, 'AWS::IAM::Policy');
    expect(policy.PolicyDocument.Statement).toEqual([{
      Action: ['ssm:DeleteParameter', 'ssm:PutParameter'],
      Effect: 'Allow',
      Resource: joined('arn:', partition(), `:ssm:us-west-2:${OTHER}:parameter/arculus-fido/links/Fido-secondary/*`),
    }]);
    const { create } = linkValues['load-balancer-dns-name'];
    expect(create).toContain('"region":"us-west-2"');
    expect(create).toContain('"action":"putParameter"');
    expect(create).toContain(`:iam::${OTHER}:role/`);
    expect(JSON.stringify(linkValues['load-balancer-dns-name'].resource.Delete)).toContain('deleteParameter');
  });

  test('hands over the replica\'s ARN as the secret\'s own with the secondary\'s region, which Secrets Manager keeps the name and suffix of', () => {
    const value = JSON.parse(linkValues['application-secret-replica-arn'].create).parameters.Value;
    expect(value).toBe('arn:<token>:secretsmanager:us-west-2:<token>:secret:<token>');
  });

  test('lets the secondary\'s account read the replica: the secret\'s policy, and the replica key\'s, through Secrets Manager there', () => {
    const [policy] = propertiesOf(primary, 'AWS::SecretsManager::ResourcePolicy');
    expect(policy.ResourcePolicy.Statement).toContainEqual(expect.objectContaining({
      Sid: 'ReadByOtherAccounts', Principal: { AWS: joined('arn:', partition(), `:iam::${OTHER}:root`) },
    }));
    const readers = propertiesOf(keys, 'AWS::KMS::Key').flatMap((k) => k.KeyPolicy.Statement).filter((statement) => statement.Sid === 'ApplicationSecretReadByOtherAccounts');
    expect(readers.map((statement) => statement.Condition.StringEquals['kms:ViaService'])).toEqual(['secretsmanager.us-west-2.amazonaws.com']);
  });

  test('has the secondary\'s tasks read the replica by the ARN handed over, and decrypt with its key through Secrets Manager there', () => {
    const replica = parameter('application-secret-replica-arn')!;
    expect(secretValueFrom(secondary, 'JWT_SECRET')).toEqual({ 'Fn::Join': ['', [{ Ref: replica }, ':jwtSecret::']] });
    const statements = propertiesOf(secondary, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement);
    expect(statements).toContainEqual({
      Action: 'kms:Decrypt',
      Effect: 'Allow',
      Resource: { Ref: parameter('application-secret-replica-key-arn') },
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } },
    });
    expect(propertiesOf(secondary, 'AWS::SecretsManager::Secret').some((p) => p.GenerateSecretString?.GenerateStringKey === 'jwtSecret')).toBe(false);
  });

  test('keeps every Route 53 object in the secondary\'s account: both regions\' checks and failover records, none in the primary\'s', () => {
    for (const type of [HEALTH_CHECK, RECORD, 'AWS::CertificateManager::Certificate', 'Custom::ZoneRecord']) {
      primary.resourceCountIs(type, 0);
    }
    expect(fido.primary.deployment.failover).toBeUndefined();
    const dnsName = { Ref: parameter('load-balancer-dns-name') };
    const checked = propertiesOf(secondary, HEALTH_CHECK).filter((c) => c.HealthCheckConfig.Type === 'HTTPS');
    expect(checked.filter((c) => JSON.stringify(c.HealthCheckConfig.FullyQualifiedDomainName) === JSON.stringify(dnsName))
      .map((c) => [c.HealthCheckConfig.Port, c.HealthCheckConfig.ResourcePath])).toEqual([[443, '/'], [5001, '/health']]);
    expect(checked).toHaveLength(4);
    const records = propertiesOf(secondary, RECORD);
    expect(records.map((r) => r.Failover).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    const primaryRecord = records.find((r) => r.Failover === 'PRIMARY');
    expect(primaryRecord).toMatchObject({ Name: 'auth.example.com.', Type: 'A', SetIdentifier: 'arculus-auth-prod-primary', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(primaryRecord.AliasTarget).toEqual({
      DNSName: { 'Fn::Join': ['', ['dualstack.', dnsName]] },
      HostedZoneId: { Ref: parameter('load-balancer-canonical-hosted-zone-id') },
      EvaluateTargetHealth: true,
    });
  });

  test('gives the secondary the runbooks that invert the primary\'s check, now of its own stack', () => {
    expect(Stack.of(fido.primaryHealthCheck)).toBe(fido.secondary);
    const documents = Object.fromEntries(propertiesOf(secondary, 'AWS::SSM::Document').map((d) => [d.Name, d.Content]));
    const inverts = documents['arculus-auth-prod-Switchover'].mainSteps.find((step: any) => step.inputs.Api === 'UpdateHealthCheck').inputs;
    const primaryRecord = propertiesOf(secondary, RECORD).find((r) => r.Failover === 'PRIMARY');
    expect(inverts).toEqual({ Service: 'route53', Api: 'UpdateHealthCheck', HealthCheckId: primaryRecord.HealthCheckId, Inverted: true });
  });

  test('redeploys the secondary when the primary\'s secret changes: the primary forwards its events to that account\'s bus, which lets it', () => {
    const forward = propertiesOf(primary, 'AWS::Events::Rule').find((r) => JSON.stringify(r.Targets).includes(`${OTHER}:event-bus/default`));
    expect(forward.Targets[0].Arn).toEqual(joined('arn:', partition(), `:events:us-west-2:${OTHER}:event-bus/default`));
    link.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      Statement: { Action: 'events:PutEvents', Effect: 'Allow', Principal: { AWS: joined('arn:', partition(), `:iam::${ACCOUNT}:root`) } },
    });
    const redeploy = propertiesOf(secondary, 'AWS::Events::Rule').find((r) => JSON.stringify(r.EventPattern?.resources ?? '').includes('us-east-1'));
    expect(JSON.stringify(redeploy.EventPattern.resources)).toContain(parameter('application-secret-replica-arn'));
    expect(JSON.stringify(redeploy.Targets[0].Arn)).toContain(`:ssm:us-west-2:${OTHER}:automation-definition/`);
  });

  test('shows both regions on one dashboard, the primary\'s metrics by the names handed over, as its account\'s', () => {
    const [dashboard] = propertiesOf(secondary, 'AWS::CloudWatch::Dashboard').filter((d) => d.DashboardName === 'arculus-auth-prod-pair');
    const parameterOf = (part: any) => Object.entries(secondary.toJSON().Parameters).find(([id]) => part?.Ref === id)?.[1] as any;
    const body = dashboard.DashboardBody['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : `<${parameterOf(part)?.Default ?? 'TOKEN'}>`)).join('');
    const widgets = JSON.parse(body).widgets;
    expect(widgets[0].properties.markdown).toContain(`account ${ACCOUNT}'s: they show here once this account monitors it (CloudWatch cross-account observability)`);
    const lines = (w: any) => w.properties.metrics.map((m: any) => [m.slice(0, -1).join(' '), m.at(-1).accountId ?? '-', m.at(-1).region, m.at(-1).label]);
    const primaryLines = widgets.slice(1).flatMap(lines).filter((l: string[]) => l[3].startsWith('primary'));
    const links = '/arculus-fido/links/Fido-secondary';
    expect(primaryLines).toEqual([
      ['AWS/Route53 HealthCheckStatus HealthCheckId <TOKEN>', '-', 'us-east-1', 'primary (us-east-1) check'],
      [`AWS/ApplicationELB RequestCount LoadBalancer <${links}/load-balancer-full-name>`, ACCOUNT, 'us-east-1', 'primary (us-east-1) requests'],
      [`AWS/ApplicationELB HTTPCode_ELB_5XX_Count LoadBalancer <${links}/load-balancer-full-name>`, ACCOUNT, 'us-east-1', 'primary (us-east-1) load balancer 5xx'],
      [`AWS/ApplicationELB HTTPCode_Target_5XX_Count LoadBalancer <${links}/load-balancer-full-name>`, ACCOUNT, 'us-east-1', 'primary (us-east-1) targets 5xx'],
      [`ECS/ContainerInsights RunningTaskCount ClusterName arculus-auth-prod ServiceName <${links}/pyfido-service-name>`, ACCOUNT, 'us-east-1', 'primary (us-east-1) PyFIDO tasks'],
      [`ECS/ContainerInsights RunningTaskCount ClusterName arculus-auth-prod ServiceName <${links}/tomcat-service-name>`, ACCOUNT, 'us-east-1', 'primary (us-east-1) Tomcat tasks'],
    ]);
    expect(widgets.slice(1).flatMap(lines).filter((l: string[]) => l[3].startsWith('secondary')).map((l: string[]) => l[1])).toEqual(['-', '-', '-', '-', '-', '-']);
  });

  test('refuses, in one error, what two accounts cannot share: a DocumentDB global cluster, the AWS managed key, a given secret, and a certificate to validate', () => {
    const imports = new Stack();
    const message = thrownBy(() => addReviewedPair(testApp(), {
      secondary: { env: { account: OTHER, region: 'us-west-2' } },
    }, {
      deploymentEnvironment: DeploymentEnvironment.DEV,
      mongoDb: MongoDbConnection.documentDb(),
      secrets: { applicationSecret: secretsmanager.Secret.fromSecretNameV2(imports, 'Secret', 'fido/app') },
    }));
    expect(message).toContain(`secondary.mongoDb: is required with the secondary in account ${OTHER}: a DocumentDB global cluster joins clusters of one account only`);
    expect(message).toContain(`deployment.encryption.customerManagedKey: is off, but when the secondary is in account ${OTHER} that account reads the application secret's replica`);
    expect(message).toContain('deployment.secrets.applicationSecret: is given, but when the secondary is in account');
    expect(message).toContain('deployment.domain.certificate: is required when the secondary is in account');
  });
});

describe('a pair of two accounts whose zone is in a third, DNS account', () => {
  const [OTHER, DNS_ACCOUNT] = ['222222222222', '333333333333'];
  const { built: fido, templates, findings } = runNag((app) => {
    const imports = importsStack(app, 'DnsImports');
    const west = importsStack(app, 'WestImports', { account: OTHER, region: 'us-west-2' });
    const built = addReviewedPair(app, {
      secondary: {
        env: { account: OTHER, region: 'us-west-2' },
        mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
        certificate: acm.Certificate.fromCertificateArn(west, 'Certificate', `arn:aws:acm:us-west-2:${OTHER}:certificate/00000000-0000-0000-0000-000000000000`),
        standbyTasks: 0,
      },
      healthCheckInterval: Duration.seconds(30),
    }, {
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'DnsZone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
        hostedZoneRole: iam.Role.fromRoleArn(imports, 'ZoneRole', `arn:aws:iam::${DNS_ACCOUNT}:role/fido-records`, { mutable: false }),
        certificate: acm.Certificate.fromCertificateArn(imports, 'Certificate', CERTIFICATE_ARN),
      },
      loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
    });
    [built.primary, built.secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return built;
  });
  const [primary, secondary] = [fido.primary, fido.secondary].map((stack) => Template.fromJSON(templates[stack.templateFile]));
  const written = propertiesOf(secondary, 'Custom::ZoneRecord').map((p) => JSON.stringify(p.Create))
    .map((create) => [/"Type\\?":\\?"(A+)/.exec(create)?.[1], /"Failover\\?":\\?"(\w+)/.exec(create)?.[1], create.includes(`iam::${DNS_ACCOUNT}:role/fido-records`)]);

  test('is clean by cdk-nag in every stack', () => {
    expect(findings).toEqual([]);
  });

  test('writes both regions\' A and AAAA failover records from the secondary\'s account, through the DNS account\'s role, and nothing from the primary\'s', () => {
    expect(written.sort()).toEqual([['A', 'PRIMARY', true], ['A', 'SECONDARY', true], ['AAAA', 'PRIMARY', true], ['AAAA', 'SECONDARY', true]]);
    for (const type of ['Custom::ZoneRecord', RECORD, HEALTH_CHECK, 'AWS::CertificateManager::Certificate']) {
      primary.resourceCountIs(type, 0);
    }
    secondary.resourceCountIs(RECORD, 0);
    secondary.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('checks both regions every 30 s from the secondary\'s account, where one log group takes the writing function\'s logs', () => {
    const checks = propertiesOf(secondary, HEALTH_CHECK).filter((c) => c.HealthCheckConfig.Type === 'HTTPS');
    expect(checks.map((c) => c.HealthCheckConfig.RequestInterval)).toEqual([30, 30, 30, 30]);
    expect(Object.keys(secondary.findResources('AWS::Logs::LogGroup')).filter((id) => id.includes('ZoneRecordsLogGroup'))).toHaveLength(1);
  });

  test('names the pair\'s own props when its checks are not ones Route 53 offers', () => {
    const message = thrownBy(() => addReviewedPair(testApp(), { healthCheckInterval: Duration.seconds(20), failureThreshold: 0 }));
    expect(message).toContain('healthCheckInterval: must be 10 or 30 seconds');
    expect(message).toContain('failureThreshold: must be a whole number from 1 to 10, got 0');
    expect(message).not.toContain('domain.failover');
  });
});
