import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ArculusFidoDeploymentProps, ArculusFidoRegionPair, ArculusFidoRegionPairProps, ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';
import { Finding, runNag } from './nag-report';
import { addReviewedPair, givenVpc, importsStack, synthError, testApp, thrownBy } from './util';
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
function reviewedPair(overrides: Partial<ArculusFidoRegionPairProps> = {}) {
  const { findings, built: fido, templates } = runNag((app) => {
    const built = addReviewedPair(app, overrides);
    // Atlas by endpoint without atlasRotation: its warning (a finding under cdk init's flags), acknowledged as a user does.
    [built.primary, built.secondary].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    return built;
  });
  const template = (stack: Stack) => Template.fromJSON(templates[stack.templateFile]);
  return { fido, primary: template(fido.primary), secondary: template(fido.secondary), findings };
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
  const { fido, primary, secondary, findings } = reviewedPair();

  test('leaves cdk-nag (AwsSolutions, NIST 800-53 R5) no unacknowledged finding in either region', () => {
    expect(findings).toEqual([]);
  });

  test('deploys each region in a stack of its own, named after its role, in its own region', () => {
    expect([fido.primary.stackName, fido.primary.region]).toEqual(['Fido-primary', 'us-east-1']);
    expect([fido.secondary.stackName, fido.secondary.region]).toEqual(['Fido-secondary', 'us-west-2']);
  });

  test('shares no value between the stacks, so one region deploys while the other is down', () => {
    for (const template of [primary, secondary]) {
      const text = JSON.stringify(template.toJSON());
      expect(text).not.toContain('Fn::ImportValue');
      expect(text).not.toContain('Fn::GetStackOutput');
      expect(Object.values(template.toJSON().Outputs ?? {}).some((o: any) => o.Export)).toBe(false);
    }
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

  test('connects each region to its own MongoDB', () => {
    const host = (template: Template) => JSON.stringify(propertiesOf(template, 'AWS::SecretsManager::Secret').find((s) => JSON.stringify(s).includes('mongodb.net')));
    expect(host(primary)).toContain('east.abcde.mongodb.net');
    expect(host(secondary)).toContain('west.abcde.mongodb.net');
  });

  test('names the dashboards apart, since dashboards are global to the account', () => {
    expect(propertiesOf(primary, 'AWS::CloudWatch::Dashboard').map((d) => d.DashboardName)).toEqual(['arculus-auth-prod']);
    expect(propertiesOf(secondary, 'AWS::CloudWatch::Dashboard').map((d) => d.DashboardName)).toEqual(['arculus-auth-prod-us-west-2']);
  });

  test('fails over within the 3 minutes the bench models for a warm standby: 30 s of checks and the 60 s TTL', () => {
    expect(failoverOf(primary.toJSON(), secondary.toJSON())).toEqual({ detectionSeconds: 30, scaleUpSeconds: 0, dnsSeconds: 60, rtoSeconds: 90 });
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
  const { secondary } = pair({
    secondary: {
      env: { account: ACCOUNT, region: 'eu-west-1' },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      standbyTasks: 0,
      stackName: 'FidoStandby',
    },
    healthCheckInterval: Duration.seconds(30),
    failureThreshold: 2,
  }, { loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK } });

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

  test('checks at the given interval and threshold', () => {
    const https = propertiesOf(secondary, HEALTH_CHECK).map((p) => p.HealthCheckConfig).filter((c) => c.Type === 'HTTPS');
    expect(https.map((c) => [c.RequestInterval, c.FailureThreshold])).toEqual([[30, 2], [30, 2]]);
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

  test('a missing secondary, for a caller without a compiler', () => {
    const message = thrownBy(() => new ArculusFidoRegionPair(testApp(), 'Fido', { deployment: {}, primary: { env: { region: 'us-east-1' } } } as any));
    expect(message).toContain('secondary: is required');
  });
});

describe('domain.failover and sizing.standbyTasks on one deployment refuse', () => {
  const zone = (scope: Stack) => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });

  test('failover without a zone, checks Route 53 does not offer, and a standby of a primary', () => {
    const message = synthError({
      domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/x'), failover: { role: route53.Failover.PRIMARY, healthCheckInterval: Duration.seconds(20), failureThreshold: 11 } },
      sizing: { standbyTasks: 1 },
    });
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
