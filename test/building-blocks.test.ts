import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DeploymentEnvironment, FidoDataLayer, FidoDataLayerProps, FidoLoadBalancer, FidoNetwork, FidoService, MongoDbConnection, NatType } from '../src';
import { CERTIFICATE_ARN, ENV, once, synthErrorOf, testApp, thrownBy } from './util';

// Each building block on a bare stack, as a user who builds another topology uses it: it works
// alone, and it refuses wrong props when it is made, as the deployment does: one error naming
// each prop (the deployment checks its blocks' props before it builds them).


const bareStack = () => new Stack(testApp(), 'Bare', { env: ENV });

describe('FidoNetwork alone', () => {
  test('creates the VPC with its S3 gateway endpoint, and the two closed security groups', () => {
    const stack = bareStack();
    new FidoNetwork(stack, 'Network');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 2);
  });

  test('refuses a NAT count the two-AZ VPC cannot take, when it is made', () => {
    const stack = bareStack();
    expect(thrownBy(() => new FidoNetwork(stack, 'Network', { natGateways: 3 })))
      .toMatch(/^FidoNetwork 'Bare\/Network' has 1 problem in its props:\n {2}- natGateways: must be a whole number from 1 to 2, got 3$/);
  });

  test('refuses natGateways beside a given VPC, which has NAT gateways of its own', () => {
    const stack = bareStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(thrownBy(() => new FidoNetwork(stack, 'Network', { vpc, natGateways: 2 }))).toMatch(/natGateways: only applies to a VPC this construct creates, but vpc is given/);
  });

  test('refuses a NAT count given as a token, as the deployment does: the template holds one NAT per count', () => {
    const stack = bareStack();
    expect(thrownBy(() => new FidoNetwork(stack, 'Network', { natGateways: new CfnParameter(stack, 'Nat', { type: 'Number' }).valueAsNumber })))
      .toMatch(/^FidoNetwork 'Bare\/Network' has 1 problem in its props:\n {2}- natGateways: cannot be a token .*, because a created VPC gets one NAT gateway resource per count/);
  });

  test('runs NAT instances of the image given, beside the S3 gateway endpoint', () => {
    const stack = bareStack();
    new FidoNetwork(stack, 'Network', { natType: NatType.INSTANCE, natMachineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::Instance', { ImageId: 'ami-0123456789abcdef0', InstanceType: 't4g.nano' });
  });

  test('refuses a NAT instance option without NAT instances', () => {
    const stack = bareStack();
    expect(thrownBy(() => new FidoNetwork(stack, 'Network', { natInstanceType: new ec2.InstanceType('t4g.micro') }))).toBe([
      "FidoNetwork 'Bare/Network' has 1 problem in its props:",
      '  - natInstanceType: only applies to NAT instances, but natType is left out (NAT gateways); set natType: NatType.INSTANCE or leave natInstanceType out',
    ].join('\n'));
  });

  test('refuses the S3 gateway endpoint option beside a given VPC', () => {
    const stack = bareStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(thrownBy(() => new FidoNetwork(stack, 'Given', { vpc, s3GatewayEndpoint: false })))
      .toMatch(/ {2}- s3GatewayEndpoint: only applies to a VPC this construct creates, but vpc is given \(its endpoints are its own: add one with vpc\.addGatewayEndpoint\(\)\); leave s3GatewayEndpoint out, got false$/);
  });
});

describe('FidoService alone', () => {
  type Props = Partial<ConstructorParameters<typeof FidoService>[2]>;
  const service = (props: Props | ((stack: Stack, vpc: ec2.Vpc) => Props) = {}) => {
    const stack = bareStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    new FidoService(stack, 'Service', {
      cluster,
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      containerPort: 8080,
      ...typeof props === 'function' ? props(stack, vpc) : props,
    });
    return stack;
  };

  test('runs one smallest task, without autoscaling, behind its target group', () => {
    const template = Template.fromStack(service());
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '256', Memory: '512' });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
  });

  test('scales between the bounds it is given, starting within them', () => {
    const template = Template.fromStack(service({ sizing: { minCapacity: 2, maxCapacity: 5 } }));
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 5 });
  });

  test('checks its sizing and options when it is made, with the prop named', () => {
    const message = thrownBy(() => service({ sizing: { cpu: 256, memoryLimitMiB: 4096 }, healthCheck: { path: 'health' }, stopTimeout: Duration.seconds(1) }));
    expect(message).toMatch(/has 3 problems in its props:\n {2}- sizing\.memoryLimitMiB: Fargate CPU 256 takes 512, 1024, 2048 MiB of memory, got 4096/);
    expect(message).toMatch(/healthCheck\.path: must be a URL path starting with '\/'/);
    expect(message).toMatch(/stopTimeout: must be a whole number of seconds from 2 to 120, got 1 second/);
  });

  test('refuses task subnets of another VPC of the app than the cluster\'s, naming only those', () => {
    const message = thrownBy(() => service((stack, vpc) => {
      const other = new ec2.Vpc(stack, 'Other', { maxAzs: 2 });
      return { vpcSubnets: { subnets: [vpc.privateSubnets[0], other.privateSubnets[1]] } };
    }));
    expect(message).toMatch(/^ {2}- vpcSubnets: selects 'Bare\/Other\/PrivateSubnet2', a subnet of the VPC 'Bare\/Other', not of cluster\.vpc 'Bare\/Vpc'; select subnets of cluster\.vpc$/m);
    expect(message).not.toMatch(/PrivateSubnet1/);
  });

  test('gives a JavaScript caller\'s wrong types the same kind of message', () => {
    const message = thrownBy(() => service({ sizing: { cpu: '512' as any }, environment: { PORT: 8080 as any } }));
    expect(message).toMatch(/sizing\.cpu: must be a number, got '512'/);
    expect(message).toMatch(/environment\.PORT: must be a string, got 8080/);
  });
});

describe('FidoService and FidoLoadBalancer composed for blue/green', () => {
  const compose = (route: boolean, testers: ec2.IPeer[] = [ec2.Peer.ipv4('198.51.100.0/24')], ipAddressType?: elbv2.IpAddressType) => {
    const stack = bareStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, ipProtocol: ipAddressType ? ec2.IpProtocol.DUAL_STACK : undefined });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const app = new FidoService(stack, 'Service', {
      cluster,
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      containerPort: 8080,
      healthCheck: { path: '/ready' },
      deployment: {
        strategy: ecs.DeploymentStrategy.CANARY,
        trafficShift: { stepPercent: 10, stepBakeTime: Duration.minutes(3) },
        testIngress: testers,
      },
    });
    const edge = new FidoLoadBalancer(stack, 'LoadBalancer', {
      vpc,
      ipAddressType,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
      pyFidoTargetGroup: app.targetGroup,
      tomcatTargetGroup: app.targetGroup,
      pyFidoTestPort: 9001,
    });
    if (route) {
      app.addTrafficRoute('Api', { listener: edge.pyFidoListener, testListener: edge.pyFidoTestListener });
      app.addDeploymentCheck({ loadBalancer: edge.loadBalancer, testPort: 9001, serverName: 'api.example.com' });
    }
    return { stack, app };
  };
  /** Routed, with the check and one IPv4 tester: synthesized once for the tests that read it. */
  const routed = once(() => Template.fromStack(compose(true).stack));

  test('routes its listener through a rule ECS moves, and checks the new revision at its own health check path', () => {
    const template = routed();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 2);
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { Strategy: 'CANARY', BakeTimeInMinutes: 5, CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 3 } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { SERVER_NAME: 'api.example.com', DEPLOYMENT_CHECKS: JSON.stringify([{ port: 9001, path: '/ready', expectedStatusCodes: '200', followRedirects: 5 }]) },
      },
    });
  });

  test('the test listener admits the check and the service\'s testIngress, not the load balancer\'s allowedIngress', () => {
    const template = routed().toJSON();
    const ofGroup = (group: any) => [
      ...group.Properties.SecurityGroupIngress ?? [],
      ...Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress').map((r) => r.Properties),
    ];
    const [loadBalancerGroup] = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroup' && r.Properties.GroupDescription === 'Arculus FIDO load balancer');
    const onTestPort = ofGroup(loadBalancerGroup).filter((rule: any) => rule.FromPort === 9001)
      .map((rule: any) => rule.CidrIp ?? rule.SourceSecurityGroupId['Fn::GetAtt'][0]);
    expect(onTestPort).toHaveLength(2);
    expect(onTestPort).toEqual(expect.arrayContaining(['198.51.100.0/24', expect.stringMatching(/^ServiceDeploymentCheckSecurityGroup/)]));
  });

  test('IPv6 testers: refused when the test listener\'s load balancer is IPv4, admitted when it is dual-stack', () => {
    expect(thrownBy(() => compose(true, [ec2.Peer.ipv6('2001:db8::/48')]))).toBe([
      "FidoService 'Bare/Service' has 1 problem in its props:",
      "  - deployment.testIngress[0]: is the IPv6 range 2001:db8::/48, but the load balancer is IPv4-only and would never see it; give the testers' IPv4 ranges",
    ].join('\n'));
    const template = Template.fromStack(compose(true, [ec2.Peer.ipv6('2001:db8::/48')], elbv2.IpAddressType.DUAL_STACK).stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Arculus FIDO load balancer',
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIpv6: '2001:db8::/48', FromPort: 9001, ToPort: 9001 })]),
    });
  });

  test('without a route, synth says that no listener reaches the service', () => {
    expect(synthErrorOf(compose(false).stack)).toMatch(/\[Bare\/Service\] deployment\.strategy is CANARY, but no listener routes to the service: call addTrafficRoute\(\)/);
  });

  test('a rolling service refuses a route and a check at once, since its listeners forward to it', () => {
    const { stack } = compose(false);
    const cluster = stack.node.findChild('Cluster') as ecs.Cluster;
    const rolling = new FidoService(stack, 'Rolling', { cluster, containerName: 'web', image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), containerPort: 80 });
    const edge = stack.node.findChild('LoadBalancer') as FidoLoadBalancer;
    expect(() => rolling.addTrafficRoute('Web', { listener: edge.httpsListener })).toThrow(/addTrafficRoute\(\) needs deployment\.strategy BLUE_GREEN, LINEAR or CANARY/);
    expect(() => rolling.addDeploymentCheck({ loadBalancer: edge.loadBalancer, testPort: 9001, serverName: 'a.example.com' })).toThrow(/addDeploymentCheck\(\) needs/);
  });
});

describe('FidoLoadBalancer alone', () => {
  type Props = Partial<ConstructorParameters<typeof FidoLoadBalancer>[2]>;
  const loadBalancer = (props: Props | ((stack: Stack, vpc: ec2.Vpc) => Props) = {}) => {
    const stack = bareStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const targetGroup = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, { vpc, port: 80, targetType: elbv2.TargetType.IP });
    new FidoLoadBalancer(stack, 'LoadBalancer', {
      vpc,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
      pyFidoTargetGroup: targetGroup('PyFido'),
      tomcatTargetGroup: targetGroup('Tomcat'),
      ...typeof props === 'function' ? props(stack, vpc) : props,
    });
    return stack;
  };

  test('has the three HTTPS listeners and access logs, and no web ACL unless asked', () => {
    const template = Template.fromStack(loadBalancer());
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 3);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  test('checks its options when it is made, with the prop named', () => {
    const message = thrownBy(() => loadBalancer({ desyncMitigationMode: elbv2.DesyncMitigationMode.MONITOR, webAcl: true, rateLimit: 5, accessLogsPrefix: '/alb' }));
    expect(message).toMatch(/- desyncMitigationMode: MONITOR lets request-smuggling attempts through/);
    expect(message).toMatch(/rateLimit: must be a whole number from 10 to 2000000000, got 5/);
    expect(message).toMatch(/accessLogsPrefix: must be an S3 key prefix without leading or trailing '\/'/);
  });

  test('refuses a malformed IPv4 CIDR and subnets of another VPC of the app, and takes /32, /0, host bits set and its own subnets', () => {
    const message = thrownBy(() => loadBalancer((stack, vpc) => {
      const other = new ec2.Vpc(stack, 'Other', { maxAzs: 2 });
      // The same load balancer with what it takes, beside: none of it is named.
      const targetGroup = (id: string) => new elbv2.ApplicationTargetGroup(stack, id, { vpc, port: 80, targetType: elbv2.TargetType.IP });
      new FidoLoadBalancer(stack, 'Taken', {
        vpc,
        vpcSubnets: { subnets: vpc.publicSubnets },
        allowedIngress: [ec2.Peer.ipv4('198.51.100.7/32'), ec2.Peer.ipv4('0.0.0.0/0'), ec2.Peer.ipv4('192.0.2.1/24')],
        certificate: acm.Certificate.fromCertificateArn(stack, 'TakenCertificate', CERTIFICATE_ARN),
        pyFidoTargetGroup: targetGroup('TakenPyFido'),
        tomcatTargetGroup: targetGroup('TakenTomcat'),
      });
      return { vpcSubnets: { subnets: other.publicSubnets }, allowedIngress: [ec2.Peer.ipv4('198.51.100.7/32'), ec2.Peer.ipv4('10.0.999.0/24')] };
    }));
    expect(message!.split('\n').slice(1)).toEqual([
      "  - allowedIngress[1]: must be an IPv4 CIDR EC2 accepts, with a prefix length from 0 to 32 and each octet from 0 to 255 (such as '203.0.113.0/24'), got '10.0.999.0/24'",
      "  - vpcSubnets: selects 'Bare/Other/PublicSubnet1' and 'Bare/Other/PublicSubnet2', subnets of the VPC 'Bare/Other', not of vpc 'Bare/Vpc'; select subnets of vpc",
    ]);
  });
});

describe('FidoDataLayer alone', () => {
  const dataLayer = (mongoDb: MongoDbConnection, props: Partial<FidoDataLayerProps> | ((stack: Stack) => Partial<FidoDataLayerProps>) = {}) => {
    const stack = bareStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    new FidoDataLayer(stack, 'Data', {
      mongoDb,
      deploymentEnvironment: DeploymentEnvironment.PROD,
      vpc,
      clientSecurityGroup: new ec2.SecurityGroup(stack, 'Tasks', { vpc, allowAllOutbound: false }),
      ...typeof props === 'function' ? props(stack) : props,
    });
    return stack;
  };

  test('creates the MongoDB and application secrets, the latter unrotated unless asked', () => {
    const template = Template.fromStack(dataLayer(MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido' })));
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  test('refuses a rotation interval Secrets Manager does not take, and a rotation or replicas beside a given application secret', () => {
    const atlas = MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido' });
    expect(thrownBy(() => dataLayer(atlas, { applicationSecretRotation: Duration.days(1001) })))
      .toMatch(/- applicationSecretRotation: Secrets Manager rotates every 1 to 1000 whole days, got 1001 days/);
    const app = testApp();
    const given = secretsmanager.Secret.fromSecretNameV2(new Stack(app, 'Secrets', { env: ENV }), 'App', 'fido/app');
    expect(thrownBy(() => dataLayer(atlas, { applicationSecret: given, applicationSecretRotation: Duration.days(30) })))
      .toMatch(/applicationSecretRotation: rotates only the application secret this construct creates, but applicationSecret is given/);
    expect(thrownBy(() => dataLayer(atlas, { applicationSecret: given, applicationSecretReplicaRegions: [{ region: 'us-west-2' }] })))
      .toMatch(/applicationSecretReplicaRegions: replicates only the application secret this construct creates, but applicationSecret is given/);
    const hourly = MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido', rotation: { automaticallyAfter: Duration.hours(1) } });
    expect(thrownBy(() => dataLayer(hourly))).toMatch(/- mongoDb\.rotation: must give exactly one of rotationLambda .* got neither/);
    expect(thrownBy(() => dataLayer(hourly))).toMatch(/mongoDb\.rotation\.automaticallyAfter: Secrets Manager rotates every 4 hours to 1000 days, got 1 hour/);
  });

  test('checks the MongoDB connection when it is made, with the prop named', () => {
    const message = thrownBy(() => dataLayer(MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido', port: 70000 })));
    expect(message).toMatch(/^FidoDataLayer 'Bare\/Data' has 1 problem in its props:\n {2}- mongoDb\.port: must be a TCP port from 1 to 65535, got 70000/);
  });

  test('refuses database subnets of another VPC of the app than its own', () => {
    const message = thrownBy(() => dataLayer(MongoDbConnection.documentDb(), (stack) => ({ vpcSubnets: { subnets: new ec2.Vpc(stack, 'Other', { maxAzs: 2 }).privateSubnets } })));
    expect(message).toMatch(/^ {2}- vpcSubnets: selects 'Bare\/Other\/PrivateSubnet1' and 'Bare\/Other\/PrivateSubnet2', subnets of the VPC 'Bare\/Other', not of vpc 'Bare\/Vpc'; select subnets of vpc$/m);
  });
});
