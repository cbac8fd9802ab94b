import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ArculusFidoStackProps, DeploymentEnvironment, FidoServiceOptions } from '../src';
import { GIVEN_VPC, givenVpc, logicalId, newestNamedNodeRuntime, once, synth, Synthesized, synthError, warningMessages } from './util';

const BLUE_GREEN: FidoServiceOptions = { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } };

type Resources = Record<string, { Type: string; Properties: any }>;

function resources(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.toJSON().Resources as Resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties]);
}

function serviceOf(template: Template, container: string): any {
  return resources(template, 'AWS::ECS::Service').find(([, p]) => p.LoadBalancers?.[0]?.ContainerName === container)![1];
}

/** Every ingress rule of a security group, inline or a resource of its own, as 'port:source'. */
function ingressOf(template: Template, groupId: string): string[] {
  const inline = resources(template, 'AWS::EC2::SecurityGroup').find(([id]) => id === groupId)![1].SecurityGroupIngress ?? [];
  const separate = resources(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => p.GroupId?.['Fn::GetAtt']?.[0] === groupId).map(([, p]) => p);
  return [...inline, ...separate].map((rule: any) => `${rule.FromPort}:${rule.CidrIp ?? rule.SourceSecurityGroupId['Fn::GetAtt'][0]}`);
}

const LOAD_BALANCER_GROUP = { GroupDescription: 'Arculus FIDO load balancer: HTTPS listeners in, targets out' };

function listenerId(template: Template, port: number): string {
  return logicalId(template, 'AWS::ElasticLoadBalancingV2::Listener', { Port: port });
}

/** The rule on a listener: its target groups by weight. */
function ruleOn(template: Template, listener: string): { priority: number; paths: string[]; weights: Array<[string, number]> } {
  const [, rule] = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').find(([, p]) => p.ListenerArn.Ref === listener)!;
  return {
    priority: rule.Priority,
    paths: rule.Conditions.flatMap((c: any) => c.PathPatternConfig.Values),
    weights: rule.Actions[0].ForwardConfig.TargetGroups.map((g: any) => [g.TargetGroupArn.Ref, g.Weight]),
  };
}

/** Each preset as it comes, with rolling services: synthesized once for the blocks that read it. */
const presets = Object.fromEntries(Object.values(DeploymentEnvironment).map((environment) => [
  environment, once(() => synth({ deploymentEnvironment: environment })),
])) as Record<DeploymentEnvironment, () => Synthesized>;

/**
 * Dev with a linear PyFIDO and a canary Tomcat, in a given VPC: the strategies' options and the
 * subnets of their checks are apart.
 */
const linearAndCanary = once(() => synth((scope) => ({
  services: {
    pyFido: {
      deployment: {
        strategy: ecs.DeploymentStrategy.LINEAR,
        trafficShift: { stepPercent: 25, stepBakeTime: Duration.minutes(2) },
        bakeTime: Duration.minutes(10),
        testPort: 7001,
      },
    },
    tomcat: { deployment: { strategy: ecs.DeploymentStrategy.CANARY } },
  },
  network: { vpc: givenVpc(scope) },
})).template);

describe('blue/green on both services, in prod', () => {
  const rolling = presets[DeploymentEnvironment.PROD]().template;
  const { template, stack } = synth({
    deploymentEnvironment: DeploymentEnvironment.PROD,
    images: { tag: '1.0.0' },
    services: { pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, checks: [{ path: '/api/status', expectedStatusCodes: '200,401' }] } }, tomcat: BLUE_GREEN },
  });
  const pyFido = serviceOf(template, 'pyfido');
  const tomcat = serviceOf(template, 'tomcat');

  test('ECS deploys blue/green with a 5-minute bake, the check after test traffic moves, and the alarms rolling back', () => {
    for (const service of [pyFido, tomcat]) {
      // The ECS controller, as the rolling service has it: explicit, or left out under cdk init's flag.
      expect(service.DeploymentController).toEqual(serviceOf(rolling, 'pyfido').DeploymentController);
      expect([undefined, 'ECS']).toContain(service.DeploymentController?.Type);
      expect(service.DeploymentConfiguration).toMatchObject({
        Strategy: 'BLUE_GREEN',
        BakeTimeInMinutes: 5,
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        Alarms: { Enable: true, Rollback: true },
        // The production rules are read before ECS starts a revision; the new revision is asked once test traffic reaches it.
        LifecycleHooks: [{ LifecycleStages: ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'], HookTargetArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } }],
      });
      // ECS's circuit breaker serves rolling deployments only: the check and the alarms roll back instead.
      expect(service.DeploymentConfiguration.DeploymentCircuitBreaker).toBeUndefined();
    }
    // CDK's advice to turn the circuit breaker on is acknowledged, with the reason: synth is quiet
    // but for the base props' Atlas password, which nothing rotates in prod (secrets.test.ts).
    expect(warningMessages(stack).filter((w) => !w.includes('[ack: arculus-fido:mongodb-password-not-rotated]'))).toEqual([]);
  });

  test('PyFIDO routes 5001 and its test port 9001 through rules ECS moves between two target groups', () => {
    expect(pyFido.LoadBalancers).toHaveLength(1);
    const [entry] = pyFido.LoadBalancers;
    const blue = entry.TargetGroupArn.Ref;
    const green = entry.AdvancedConfiguration.AlternateTargetGroupArn.Ref;
    expect(blue).not.toEqual(green);
    const production = ruleOn(template, listenerId(template, 5001));
    const testRule = ruleOn(template, listenerId(template, 9001));
    for (const rule of [production, testRule]) {
      expect(rule).toEqual({ priority: 1, paths: ['/*'], weights: [[blue, 100], [green, 0]] });
    }
    expect(entry.AdvancedConfiguration.ProductionListenerRule.Ref).toEqual(
      resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').find(([, p]) => p.ListenerArn.Ref === listenerId(template, 5001))![0]);
    expect(entry.AdvancedConfiguration.TestListenerRule).toBeDefined();
    expect(entry.AdvancedConfiguration.RoleArn['Fn::GetAtt'][1]).toEqual('Arn');
  });

  test('Tomcat keeps serving 443 and 8080: a pair of target groups per listener, the test port 9443 on the 443 route', () => {
    expect(tomcat.LoadBalancers).toHaveLength(2);
    const [https, port8080] = tomcat.LoadBalancers;
    for (const entry of tomcat.LoadBalancers) {
      expect(entry).toMatchObject({ ContainerName: 'tomcat', ContainerPort: 8080 });
    }
    const pair = (entry: any) => [[entry.TargetGroupArn.Ref, 100], [entry.AdvancedConfiguration.AlternateTargetGroupArn.Ref, 0]];
    expect(ruleOn(template, listenerId(template, 443)).weights).toEqual(pair(https));
    expect(ruleOn(template, listenerId(template, 9443)).weights).toEqual(ruleOn(template, listenerId(template, 443)).weights);
    expect(ruleOn(template, listenerId(template, 8080)).weights).toEqual(pair(port8080));
    expect(https.AdvancedConfiguration.TestListenerRule).toBeDefined();
    expect(port8080.AdvancedConfiguration.TestListenerRule).toBeUndefined();
    // Four target groups with Tomcat's health check: every one of them can take production traffic.
    const tomcatGroups = [https, port8080].flatMap((e) => [e.TargetGroupArn.Ref, e.AdvancedConfiguration.AlternateTargetGroupArn.Ref]);
    expect(new Set(tomcatGroups).size).toBe(4);
    const groups = Object.fromEntries(resources(template, 'AWS::ElasticLoadBalancingV2::TargetGroup'));
    for (const id of tomcatGroups) {
      expect(groups[id]).toMatchObject({ Port: 8080, TargetType: 'ip', HealthCheckPath: '/', Matcher: { HttpCode: '200-399' } });
    }
  });

  test('the test listeners are HTTPS with the production certificate and policy, admitting the check only, not the allowed clients', () => {
    const production = resources(template, 'AWS::ElasticLoadBalancingV2::Listener').find(([, p]) => p.Port === 443)![1];
    for (const port of [9001, 9443]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: port, Protocol: 'HTTPS', Certificates: production.Certificates, SslPolicy: production.SslPolicy,
      });
    }
    const ingress = ingressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', LOAD_BALANCER_GROUP));
    // The unchecked revision answers on the test ports: nobody but the check reaches them by default.
    expect(ingress.filter((rule) => /^9(001|443):/.test(rule)).sort()).toEqual([
      `9001:${logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: 'Deployment check of pyfido: the test listener and the EC2 API only' })}`,
      `9443:${logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: 'Deployment check of tomcat: the test listener and the EC2 API only' })}`,
    ]);
    // The production listeners still admit network.allowedIngress (0.0.0.0/0 by default).
    expect(ingress.filter((rule) => /:0\.0\.0\.0\/0$/.test(rule)).sort()).toEqual(['443:0.0.0.0/0', '5001:0.0.0.0/0', '8080:0.0.0.0/0']);
  });

  test('the check runs in the VPC on the newest Node.js runtime, requests the health check path and the user\'s checks, and may only describe network interfaces', () => {
    const functions = resources(template, 'AWS::Lambda::Function').filter(([, p]) => p.Environment?.Variables?.DEPLOYMENT_CHECKS);
    expect(functions).toHaveLength(2);
    const firstPort = (p: any): number => JSON.parse(p.Environment.Variables.DEPLOYMENT_CHECKS)[0].port;
    const byPort: Record<string, { id: string; props: any }> = Object.fromEntries(functions.map(([id, p]) => [firstPort(p), { id, props: p }]));
    expect(JSON.parse(byPort[9001].props.Environment.Variables.DEPLOYMENT_CHECKS)).toEqual([
      { port: 9001, path: '/health', expectedStatusCodes: '200', followRedirects: 5 },
      { port: 9001, path: '/api/status', expectedStatusCodes: '200,401' },
    ]);
    // Tomcat's health check passes on a redirect (200-399); the check follows it within the domain to a page served.
    expect(JSON.parse(byPort[9443].props.Environment.Variables.DEPLOYMENT_CHECKS)).toEqual([{ port: 9443, path: '/', expectedStatusCodes: '200-299', followRedirects: 5 }]);
    // Every production rule of the service, to read before a revision starts: Tomcat's 443 and 8080.
    const productionRules = (port: number) => resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .filter(([, p]) => p.ListenerArn.Ref === listenerId(template, port)).map(([id]) => ({ Ref: id }));
    expect(byPort[9001].props.Environment.Variables.PRODUCTION_RULE_ARNS).toEqual({ 'Fn::Join': ['', ['["', ...productionRules(5001), '"]']] });
    expect(byPort[9443].props.Environment.Variables.PRODUCTION_RULE_ARNS).toEqual({ 'Fn::Join': ['', ['["', ...productionRules(443), '","', ...productionRules(8080), '"]']] });
    for (const { props } of Object.values(byPort)) {
      expect(props.Runtime).toBe(newestNamedNodeRuntime());
      expect(props.VpcConfig.SubnetIds).toEqual(pyFido.NetworkConfiguration.AwsvpcConfiguration.Subnets);
      expect(props.Environment.Variables).toMatchObject({
        SERVER_NAME: 'auth.example.com',
        CHECK_TIMEOUT_SECONDS: '5',
        CHECK_ATTEMPTS: '3',
        LOAD_BALANCER_ENI_DESCRIPTION: { 'Fn::Join': ['', ['ELB ', { 'Fn::GetAtt': [expect.any(String), 'LoadBalancerFullName'] }]] },
        LOAD_BALANCER_VPC_ID: { Ref: logicalId(template, 'AWS::EC2::VPC', {}) },
      });
      // Long enough for every request's attempts, retries included.
      expect(props.Timeout).toBeGreaterThanOrEqual(15 + JSON.parse(props.Environment.Variables.DEPLOYMENT_CHECKS).length * 21);
    }
    const checkPolicies = resources(template, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Roles).includes('DeploymentCheckServiceRole'))
      .flatMap(([, p]) => p.PolicyDocument.Statement);
    const reads = { Action: ['ec2:DescribeNetworkInterfaces', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetHealth'], Effect: 'Allow', Resource: '*' };
    expect(checkPolicies).toEqual([reads, reads]);
  });

  test('the check\'s security group reaches the test port of the load balancer and HTTPS only', () => {
    const [groupId] = resources(template, 'AWS::EC2::SecurityGroup').find(([id]) => /PyFidoDeploymentCheckSecurityGroup/.test(id))!;
    const egress = [
      ...resources(template, 'AWS::EC2::SecurityGroup').find(([id]) => id === groupId)![1].SecurityGroupEgress ?? [],
      ...resources(template, 'AWS::EC2::SecurityGroupEgress').filter(([, p]) => p.GroupId?.['Fn::GetAtt']?.[0] === groupId).map(([, p]) => p),
    ];
    expect(egress.map((e: any) => `${e.IpProtocol}:${e.FromPort}-${e.ToPort}:${e.CidrIp ?? e.DestinationSecurityGroupId['Fn::GetAtt'][0]}`).sort()).toEqual([
      'tcp:443-443:0.0.0.0/0',
      `tcp:9001-9001:${logicalId(template, 'AWS::EC2::SecurityGroup', LOAD_BALANCER_GROUP)}`,
    ].sort());
  });

  test('ECS may invoke each check, and move only the service\'s own listener rules and targets', () => {
    for (const service of [pyFido, tomcat]) {
      const hookRole = service.DeploymentConfiguration.LifecycleHooks[0].RoleArn['Fn::GetAtt'][0];
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] },
      });
      // The function itself, not its versions ('<arn>:*').
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: hookRole }],
        PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: service.DeploymentConfiguration.LifecycleHooks[0].HookTargetArn }] },
      });
    }
    for (const service of [pyFido, tomcat]) {
      const roleId = service.LoadBalancers[0].AdvancedConfiguration.RoleArn['Fn::GetAtt'][0];
      const role = resources(template, 'AWS::IAM::Role').find(([id]) => id === roleId)![1];
      // Not the account-wide AWS managed policy: a policy of the service's own.
      expect(role.ManagedPolicyArns).toBeUndefined();
      const policies = resources(template, 'AWS::IAM::ManagedPolicy').filter(([, p]) => JSON.stringify(p.Roles) === JSON.stringify([{ Ref: roleId }]));
      expect(policies).toHaveLength(1);
      const statements = policies[0][1].PolicyDocument.Statement;
      const resourcesOf = (action: string) => statements.filter((st: any) => [st.Action].flat().includes(action))
        .flatMap((st: any) => [st.Resource].flat().map((r: any) => r.Ref ?? r)).sort();
      const rules = service.LoadBalancers
        .flatMap((entry: any) => [entry.AdvancedConfiguration.ProductionListenerRule.Ref, entry.AdvancedConfiguration.TestListenerRule?.Ref])
        .filter((id: string | undefined) => id !== undefined).sort();
      const groups = service.LoadBalancers
        .flatMap((entry: any) => [entry.TargetGroupArn.Ref, entry.AdvancedConfiguration.AlternateTargetGroupArn.Ref]).sort();
      const listeners = rules.map((id: string) => resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').find(([rule]) => rule === id)![1].ListenerArn.Ref).sort();
      expect(resourcesOf('elasticloadbalancing:ModifyRule')).toEqual(rules);
      expect(resourcesOf('elasticloadbalancing:ModifyListener')).toEqual(listeners);
      expect(resourcesOf('elasticloadbalancing:RegisterTargets')).toEqual(groups);
      expect(resourcesOf('elasticloadbalancing:DeregisterTargets')).toEqual(groups);
      // Only the Describe calls, which have no resource-level permissions, name every resource.
      expect(statements.filter((st: any) => st.Resource === '*').flatMap((st: any) => st.Action).sort()).toEqual(
        ['DescribeListeners', 'DescribeRules', 'DescribeTargetGroups', 'DescribeTargetHealth'].map((a) => `elasticloadbalancing:${a}`));
      // ECS starts no deployment before the policy exists.
      const serviceId = resources(template, 'AWS::ECS::Service').find(([, p]) => p === service)![0];
      expect(template.toJSON().Resources[serviceId].DependsOn).toContain(policies[0][0]);
    }
  });

  test('the deployment alarms watch every target group of the service, so they still roll back once traffic has moved', () => {
    const alarms = Object.fromEntries(resources(template, 'AWS::CloudWatch::Alarm').map(([, p]) => [p.AlarmName, p]));
    const groupsIn = (alarm: any) => alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) =>
      JSON.stringify(m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'TargetGroup').Value));
    const expectations: Array<[string, string, number]> = [
      ['arculus-auth-prod-pyfido-target-5xx', 'SUM', 2],
      ['arculus-auth-prod-pyfido-unhealthy-hosts', 'MAX', 2],
      ['arculus-auth-prod-tomcat-target-5xx', 'SUM', 4],
      ['arculus-auth-prod-tomcat-unhealthy-hosts', 'MAX', 4],
    ];
    for (const [name, combine, count] of expectations) {
      const alarm = alarms[name];
      expect(alarm.Metrics.find((m: any) => m.Expression).Expression).toMatch(new RegExp(`^${combine}\\(\\[FILL\\(\\w+, 0\\)(, FILL\\(\\w+, 0\\)){${count - 1}}\\]\\)$`));
      expect(new Set(groupsIn(alarm)).size).toBe(count);
    }
    expect(pyFido.DeploymentConfiguration.Alarms.AlarmNames).toEqual(['arculus-auth-prod-pyfido-target-5xx', 'arculus-auth-prod-pyfido-unhealthy-hosts']);
  });

  test('switching from rolling replaces nothing: every resource keeps its logical ID, type and the properties whose change replaces it', () => {
    const before = rolling.toJSON().Resources as Resources;
    const after = template.toJSON().Resources as Resources;
    // The registry schemas' createOnlyProperties (tools/security/replacements.py judges every resource
    // by the schemas cfn-lint ships), plus what the reference pages still call replacing
    // (DeploymentController, LaunchType): the properties whose change replaces the resource.
    const replacing: Record<string, string[]> = {
      'AWS::ECS::Service': ['Cluster', 'LaunchType', 'Role', 'SchedulingStrategy', 'ServiceName', 'DeploymentController'],
      'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name', 'Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId', 'IpAddressType'],
      'AWS::ElasticLoadBalancingV2::Listener': ['LoadBalancerArn'],
      'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
    };
    for (const [id, resource] of Object.entries(before)) {
      expect([id, after[id]?.Type]).toEqual([id, resource.Type]);
      for (const prop of replacing[resource.Type] ?? []) {
        expect([id, prop, after[id].Properties?.[prop]]).toEqual([id, prop, resource.Properties?.[prop]]);
      }
    }
    // The listeners keep forwarding to the same target group by default; the new rules come first.
    for (const port of [443, 5001, 8080]) {
      const id = listenerId(rolling, port);
      expect(after[id].Properties.DefaultActions).toEqual(before[id].Properties.DefaultActions);
    }
  });
});

/**
 * Which option changes make CloudFormation re-apply a production listener rule (its declared
 * weights: the first target group at 100) on a running blue/green deployment: a rule is updated
 * when its own properties change, and replaced with its listener. ECS may have moved production to
 * the other target group, so such a change sends users to the one without tasks (aws-cdk 36649).
 */
describe('option changes on a running blue/green deployment, and the production rules', () => {
  const OTHER_CERTIFICATE = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111';
  const TARGET_GROUP_REPLACING = ['Name', 'Port', 'Protocol', 'ProtocolVersion', 'TargetType', 'VpcId', 'IpAddressType'];
  const both = (deployment: Record<string, unknown>, other: FidoServiceOptions = {}): FidoServiceOptions => (
    { ...other, deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, ...deployment } });
  const before = synth({ services: { pyFido: both({}), tomcat: both({}) } }).template;
  // Every option a user may change beside a running deployment that touches a target group, a
  // listener or the deployment settings, all at once: none of them may reach a rule.
  const unrelated = synth((scope) => ({
    domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(scope, 'OtherCertificate', OTHER_CERTIFICATE) },
    loadBalancer: { sslPolicy: elbv2.SslPolicy.TLS13_13, redirectHttp: true },
    sizing: { pyFido: { cpu: 512, memoryLimitMiB: 1024, desiredCount: 2 } },
    services: {
      pyFido: both({ strategy: ecs.DeploymentStrategy.LINEAR, bakeTime: Duration.minutes(20), testPort: 9101, checks: [{ path: '/api/status' }] }, {
        healthCheck: { path: '/ready', healthyHttpCodes: '200,204', interval: Duration.seconds(10) },
        deregistrationDelay: Duration.seconds(5),
      }),
      tomcat: both({ strategy: ecs.DeploymentStrategy.CANARY, testPort: 9543 }, { healthCheck: { path: '/portal/login', healthyHttpCodes: '200' }, healthCheckGracePeriod: Duration.minutes(2) }),
    },
  })).template;
  // The target groups' protocol is replacing: a new pair of target groups, and the rules with them.
  const newProtocol = synth({ services: { pyFido: both({}), tomcat: both({}, { targetProtocol: elbv2.ApplicationProtocol.HTTPS }) } }).template;

  const rules = (template: Template) => Object.fromEntries(resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
  const targetGroups = (template: Template) => Object.fromEntries(resources(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')
    .map(([id, p]) => [id, Object.fromEntries(TARGET_GROUP_REPLACING.map((key) => [key, p[key]]))]));
  const listeners = (template: Template) => Object.fromEntries(resources(template, 'AWS::ElasticLoadBalancingV2::Listener').map(([id, p]) => [id, p.LoadBalancerArn]));

  test('health checks, deregistration delay, test ports, certificate, TLS policy, the HTTP redirect, strategy, bake time, checks and sizing leave every rule as it is', () => {
    expect(Object.keys(rules(before))).toHaveLength(5);
    expect(rules(unrelated)).toEqual(rules(before));
    // Nor replace what a rule points at: the target groups and the listeners keep their logical IDs and replacing properties.
    expect(targetGroups(unrelated)).toEqual(targetGroups(before));
    expect(listeners(unrelated)).toMatchObject(listeners(before));
  });

  test('the target protocol replaces the service\'s target groups, and so rewrites its production rules', () => {
    // The rules' text stays (a Ref to the same logical ID), but the Ref resolves to the new target
    // group's ARN, so CloudFormation updates every rule that names a replaced one.
    const groupsBefore = targetGroups(before);
    const replaced = Object.entries(targetGroups(newProtocol))
      .filter(([id, p]) => JSON.stringify(groupsBefore[id]) !== JSON.stringify(p)).map(([id]) => id);
    expect(replaced.every((id) => /^FidoTomcat/.test(id))).toBe(true);
    expect(replaced).toHaveLength(4);
    const rewritten = Object.entries(rules(newProtocol))
      .filter(([, rule]) => replaced.some((id) => JSON.stringify(rule.Actions).includes(`"${id}"`))).map(([id]) => id);
    expect(rewritten.sort()).toEqual(Object.keys(rules(before)).filter((id) => /^FidoTomcat/.test(id)).sort());
  });
});

describe('linear and canary deployments', () => {
  const template = linearAndCanary();

  test('the steps and bake time reach ECS, and the test listener takes the given port', () => {
    expect(serviceOf(template, 'pyfido').DeploymentConfiguration).toMatchObject({
      Strategy: 'LINEAR', BakeTimeInMinutes: 10, LinearConfiguration: { StepPercent: 25, StepBakeTimeInMinutes: 2 },
    });
    expect(serviceOf(template, 'tomcat').DeploymentConfiguration).toMatchObject({ Strategy: 'CANARY', BakeTimeInMinutes: 5 });
    expect(serviceOf(template, 'tomcat').DeploymentConfiguration.CanaryConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 7001, Protocol: 'HTTPS' });
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Port: 9001 }, 0);
  });
});

describe('testers admitted to a test listener (deployment.testIngress)', () => {
  const { template } = synth((scope) => ({
    network: { allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24')] },
    services: {
      pyFido: {
        deployment: {
          strategy: ecs.DeploymentStrategy.BLUE_GREEN,
          testIngress: [ec2.Peer.ipv4('198.51.100.0/24'), ec2.Peer.ipv4(new CfnParameter(scope, 'TesterCidr').valueAsString)],
        },
      },
      tomcat: BLUE_GREEN,
    },
  }));
  const ingress = ingressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', LOAD_BALANCER_GROUP));
  const checkGroup = (container: string) => logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: `Deployment check of ${container}: the test listener and the EC2 API only` });

  test('reach the test port of their service only, beside the check; the allowed clients reach the production ports only', () => {
    const parameterRule = ingress.find((rule) => rule.startsWith('9001:') && !rule.endsWith('198.51.100.0/24') && !rule.endsWith(checkGroup('pyfido')));
    expect(parameterRule).toBeDefined();
    expect(ingress.filter((rule) => /^9(001|443):/.test(rule)).sort()).toEqual([
      '9001:198.51.100.0/24', `9001:${checkGroup('pyfido')}`, parameterRule, `9443:${checkGroup('tomcat')}`,
    ].sort());
    expect(ingress.filter((rule) => rule.endsWith(':203.0.113.0/24')).sort()).toEqual(['443:203.0.113.0/24', '5001:203.0.113.0/24', '8080:203.0.113.0/24']);
  });
});

describe('a rolling service (the default in every preset)', () => {
  test.each(Object.values(DeploymentEnvironment))('%s: no alternate target group, listener rule, test listener or check', (environment) => {
    const { template } = presets[environment]();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 3);
    for (const [, service] of resources(template, 'AWS::ECS::Service')) {
      expect(service.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
      expect(service.DeploymentConfiguration.Strategy).toBeUndefined();
      expect(service.DeploymentConfiguration.LifecycleHooks).toBeUndefined();
      expect(service.LoadBalancers[0].AdvancedConfiguration).toBeUndefined();
    }
  });
});

describe('deployment options that are wrong or would be ignored', () => {
  const errorFor = (services: ArculusFidoStackProps['services'], other: Partial<ArculusFidoStackProps> = {}) => synthError({ services, ...other }) ?? '';

  test('options of a traffic-shifting strategy beside a rolling one are refused, each named', () => {
    const message = errorFor({ pyFido: { deployment: { bakeTime: Duration.minutes(5), testPort: 9001, checks: [{ path: '/x' }] } } });
    expect(message).toContain('services.pyFido.deployment.bakeTime: only applies to BLUE_GREEN, LINEAR and CANARY deployments, but strategy is ROLLING (the default)');
    expect(message).toContain('services.pyFido.deployment.testPort: only applies');
    expect(message).toContain('services.pyFido.deployment.checks: only applies');
    expect(message).toContain('3 problems');
  });

  test('trafficShift needs LINEAR or CANARY, and its step and bake time must be what ECS takes', () => {
    expect(errorFor({ tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, trafficShift: { stepPercent: 10 } } } }))
      .toContain('services.tomcat.deployment.trafficShift: only applies to LINEAR and CANARY deployments; BLUE_GREEN moves all production traffic at once');
    const linear = { strategy: ecs.DeploymentStrategy.LINEAR, trafficShift: { stepPercent: 2, stepBakeTime: Duration.seconds(90) } };
    expect(errorFor({ tomcat: { deployment: linear } }))
      .toMatch(/stepPercent: must be a multiple of 0\.1 from 3 to 100 for a LINEAR deployment, got 2[\s\S]*stepBakeTime: must be a whole number of minutes from 0 to 1440/);
    expect(errorFor({ tomcat: { deployment: { strategy: ecs.DeploymentStrategy.CANARY, trafficShift: { stepPercent: 0.05 } } } }))
      .toContain('must be a multiple of 0.1 from 0.1 to 100 for a CANARY deployment, got 0.05');
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.days(2) } } }))
      .toContain('services.pyFido.deployment.bakeTime: must be a whole number of minutes from 0 to 1440 (ECS counts it in minutes), got 2 days');
  });

  test('test ports must be free and differ between the services', () => {
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testPort: 443 } } }))
      .toContain("services.pyFido.deployment.testPort: is a production listener's port (80, 443, 5001, 8080); choose a free port such as 9001, got 443");
    expect(errorFor({
      pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testPort: 9100 } },
      tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testPort: 9100 } },
    })).toContain("services.tomcat.deployment.testPort: is PyFIDO's test port too (9100)");
    // The port the user gave is named, not the other service's default.
    expect(errorFor({
      pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testPort: 9443 } },
      tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } },
    })).toContain("services.pyFido.deployment.testPort: is Tomcat's test port too (9443)");
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testPort: 70000 } } }))
      .toContain('services.pyFido.deployment.testPort: must be a whole number from 1 to 65535, got 70000');
  });

  test('checks need a path and status codes in the load balancer\'s syntax', () => {
    const message = errorFor({
      pyFido: {
        deployment: {
          strategy: ecs.DeploymentStrategy.BLUE_GREEN,
          checks: [{ path: 'health' }, { path: '/ok', expectedStatusCodes: '200-' }, { path: '/fine', expectedStatusCodes: '200,302' }],
        },
      },
    });
    expect(message).toContain("services.pyFido.deployment.checks[0].path: must be a URL path starting with '/', such as '/api/status', got 'health'");
    expect(message).toContain('services.pyFido.deployment.checks[1].expectedStatusCodes:');
    expect(message).not.toContain('checks[2]');
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, checks: Array(11).fill({ path: '/' }) } } }))
      .toContain('services.pyFido.deployment.checks: must hold at most 10 requests');
  });

  test('a JavaScript caller\'s wrong strategy and a token strategy are refused with the reason', () => {
    expect(errorFor({ pyFido: { deployment: { strategy: 'BLUE-GREEN' as any } } }))
      .toContain("services.pyFido.deployment.strategy: must be an ecs.DeploymentStrategy such as DeploymentStrategy.BLUE_GREEN, got 'BLUE-GREEN'");
    const token = Token.asString({ Ref: 'Strategy' }) as ecs.DeploymentStrategy;
    expect(errorFor({ pyFido: { deployment: { strategy: token } } }))
      .toContain('services.pyFido.deployment.strategy: cannot be a token (a CloudFormation parameter or reference), because it decides which target groups, listener rules and functions the template holds');
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, Checks: [] } as any } }))
      .toContain('services.pyFido.deployment.Checks: is not a prop of ServiceDeploymentOptions, so it would be ignored; did you mean checks?');
  });

  test('testIngress: IPv6 ranges and CIDRs EC2 refuses are refused, as in network.allowedIngress, and it needs a test listener', () => {
    const message = errorFor({
      pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testIngress: [ec2.Peer.ipv4('198.51.100.0/24'), ec2.Peer.anyIpv6(), ec2.Peer.ipv4('10.0.0.0/33')] } },
      tomcat: { deployment: { testIngress: [ec2.Peer.ipv4('198.51.100.0/24')] } },
    });
    expect(message).toContain("services.pyFido.deployment.testIngress[1]: is the IPv6 range ::/0, but loadBalancer.ipAddressType is IPV4 (the default), so no IPv6 client reaches the load balancer; set loadBalancer.ipAddressType: elbv2.IpAddressType.DUAL_STACK, or give the testers' IPv4 ranges");
    expect(message).toContain("services.pyFido.deployment.testIngress[2]: must be an IPv4 CIDR EC2 accepts, with a prefix length from 0 to 32 and each octet from 0 to 255 (such as '203.0.113.0/24'), got '10.0.0.0/33'");
    expect(message).toContain('services.tomcat.deployment.testIngress: only applies to BLUE_GREEN, LINEAR and CANARY deployments, but strategy is ROLLING (the default)');
    expect(message).toContain('3 problems');
    expect(errorFor({ pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testIngress: ['198.51.100.0/24' as unknown as ec2.IPeer] } } }))
      .toContain("services.pyFido.deployment.testIngress[0]: must be an ec2.IPeer such as ec2.Peer.ipv4('203.0.113.0/24')");
  });

  test('a given VPC\'s private subnets carry the check', () => {
    const template = linearAndCanary();
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: GIVEN_VPC.privateSubnetIds } });
  });
});
