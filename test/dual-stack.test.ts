import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { FidoLoadBalancer, FidoNetwork } from '../src';
import { CERTIFICATE_ARN, givenVpc, logicalId, once, synth, synthError, testApp, thrownBy } from './util';

const DUAL_STACK = elbv2.IpAddressType.DUAL_STACK;

/** The domain of the base props, with a hosted zone: the alias records are made in it. */
const zoned = (scope: Construct) => ({
  domainName: 'auth.example.com',
  certificate: acm.Certificate.fromCertificateArn(scope, 'Certificate', CERTIFICATE_ARN),
  hostedZone: route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'example.com' }),
});

/** Every ingress rule of a security group, inline or separate, as `peer:from-to`. */
function ingressOf(template: Template, sgId: string): string[] {
  const inline = template.toJSON().Resources[sgId].Properties.SecurityGroupIngress ?? [];
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } } }))
    .map((r: any) => r.Properties);
  return [...inline, ...separate]
    .map((r: any) => `${r.CidrIp ?? r.CidrIpv6 ?? r.SourcePrefixListId ?? r.SourceSecurityGroupId?.['Fn::GetAtt']?.[0]}:${r.FromPort}-${r.ToPort}`)
    .sort();
}

const ALB_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO load balancer') };
const TASK_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO tasks') };

/** Dev, dual-stack, with the redirect listener, WAF, a hosted zone and a blue/green PyFIDO (its test listener). */
const dualStack = once(() => synth((scope) => ({
  domain: zoned(scope),
  loadBalancer: { ipAddressType: DUAL_STACK, redirectHttp: true },
  waf: { enabled: true },
  services: { pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } } },
})));

/** The same deployment, IPv4 only (the default): what an existing deployment looks like before. */
const ipv4 = once(() => synth((scope) => ({
  domain: zoned(scope),
  loadBalancer: { redirectHttp: true },
  waf: { enabled: true },
  services: { pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } } },
})));

describe('loadBalancer.ipAddressType: DUAL_STACK, in a VPC the deployment creates', () => {
  let template: Template;
  beforeAll(() => {
    template = dualStack().template;
  });

  test('gives the load balancer IPv4 and IPv6 addresses', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack', Scheme: 'internet-facing' });
  });

  test('gives the VPC an Amazon-provided IPv6 block, a /64 to every subnet, and IPv6 routes: public to the internet gateway, private out only', () => {
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
    template.hasResourceProperties('AWS::EC2::VPCCidrBlock', { AmazonProvidedIpv6CidrBlock: true });
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    expect(subnets).toHaveLength(4);
    for (const subnet of subnets) {
      expect(subnet.Properties.Ipv6CidrBlock).toBeDefined();
      // Nothing launched in a subnet gets a public address by accident: IPv4 as before, nor IPv6.
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
      expect(subnet.Properties.AssignIpv6AddressOnCreation).toBe(false);
    }
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationIpv6CidrBlock: '::/0' } })) as any[];
    expect(routes.filter((r) => r.Properties.GatewayId)).toHaveLength(2);
    expect(routes.filter((r) => r.Properties.EgressOnlyInternetGatewayId)).toHaveLength(2);
  });

  test('admits ::/0 beside 0.0.0.0/0 on every listener port, the redirect port too, and nothing else', () => {
    const albSg = logicalId(template, 'AWS::EC2::SecurityGroup', ALB_SG);
    const taskSg = logicalId(template, 'AWS::EC2::SecurityGroup', TASK_SG);
    const checkSg = logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Deployment check of pyfido') });
    expect(ingressOf(template, albSg)).toEqual([
      '0.0.0.0/0:443-443', '0.0.0.0/0:5001-5001', '0.0.0.0/0:80-80', '0.0.0.0/0:8080-8080',
      '::/0:443-443', '::/0:5001-5001', '::/0:80-80', '::/0:8080-8080',
      // The test listener admits the deployment check only, in either family.
      `${checkSg}:9001-9001`,
    ]);
    // The tasks still admit only the load balancer (PyFIDO's port from Tomcat has a group of its own).
    expect(ingressOf(template, taskSg)).toEqual([`${albSg}:5001-5001`, `${albSg}:8080-8080`].sort());
  });

  test('points an AAAA alias record beside the A record, same name, same zone, at the load balancer', () => {
    const records = Object.values(template.findResources('AWS::Route53::RecordSet')) as any[];
    const alias = records.filter((r) => r.Properties.AliasTarget);
    expect(alias.map((r) => r.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    const [a, aaaa] = ['A', 'AAAA'].map((type) => alias.find((r) => r.Properties.Type === type).Properties);
    expect(aaaa.Name).toBe('auth.example.com.');
    expect(aaaa.Name).toBe(a.Name);
    expect(aaaa.HostedZoneId).toEqual(a.HostedZoneId);
    expect(aaaa.AliasTarget).toEqual(a.AliasTarget);
  });

  test('keeps the web ACL\'s rules, whose per-IP rate limit counts IPv6 clients too, with no IP set of one family', () => {
    const rules = (t: Template) => (Object.values(t.findResources('AWS::WAFv2::WebACL'))[0] as any).Properties.Rules;
    expect(rules(template)).toEqual(rules(ipv4().template));
    expect(rules(template)[0].Statement.RateBasedStatement.AggregateKeyType).toBe('IP');
    template.resourceCountIs('AWS::WAFv2::IPSet', 0);
  });

  test('turned on in a running deployment, keeps every resource: same logical IDs, types and create-only properties', () => {
    const before = ipv4().template.toJSON().Resources;
    const after = template.toJSON().Resources;
    const createOnly: Record<string, string[]> = {
      'AWS::EC2::VPC': ['CidrBlock'],
      'AWS::EC2::Subnet': ['VpcId', 'AvailabilityZone', 'CidrBlock', 'Ipv6Native'],
      'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
      'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Type', 'Scheme'],
      'AWS::EC2::Route': ['RouteTableId', 'DestinationCidrBlock', 'DestinationIpv6CidrBlock'],
      'AWS::Route53::RecordSet': ['HostedZoneName', 'HostedZoneId'],
    };
    for (const [id, resource] of Object.entries(before) as Array<[string, any]>) {
      expect([id, after[id]?.Type]).toEqual([id, resource.Type]);
      for (const prop of createOnly[resource.Type] ?? []) {
        expect([id, prop, after[id].Properties?.[prop]]).toEqual([id, prop, resource.Properties?.[prop]]);
      }
    }
    const added = Object.keys(after).filter((id) => !(id in before)).map((id) => after[id].Type).sort();
    expect(added).toEqual([
      'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::Route', 'AWS::EC2::Route', 'AWS::EC2::Route', 'AWS::EC2::Route',
      'AWS::EC2::VPCCidrBlock', 'AWS::Route53::RecordSet',
    ]);
  });
});

describe('network.allowedIngress with a dual-stack load balancer', () => {
  test('takes IPv6 ranges beside IPv4 ones, each as written, in place of both defaults', () => {
    const { template } = synth({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.ipv6('2001:db8::/32')] },
    });
    expect(ingressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', ALB_SG))).toEqual([
      '2001:db8::/32:443-443', '2001:db8::/32:5001-5001', '2001:db8::/32:8080-8080',
      '203.0.113.0/24:443-443', '203.0.113.0/24:5001-5001', '203.0.113.0/24:8080-8080',
    ]);
  });

  test('with IPv6 ranges only, leaves IPv4 clients out, as asked', () => {
    const { template } = synth({ loadBalancer: { ipAddressType: DUAL_STACK }, network: { allowedIngress: [ec2.Peer.anyIpv6()] } });
    expect(ingressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', ALB_SG))).toEqual(['::/0:443-443', '::/0:5001-5001', '::/0:8080-8080']);
  });
});

describe('a given VPC with a dual-stack load balancer', () => {
  test('is taken when it was created in the app with IPv6', () => {
    const { template } = synth((scope) => ({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { vpc: new ec2.Vpc(scope, 'Dual', { maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK }) },
    }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack' });
  });

  test('is taken when imported, once network.vpcIpProtocol says it has IPv6', () => {
    const { template } = synth((scope) => ({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { vpc: givenVpc(scope), vpcIpProtocol: ec2.IpProtocol.DUAL_STACK },
    }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack' });
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 0);
  });
});

describe('errors when', () => {
  test('an IPv6 peer is given to an IPv4 load balancer, or a range no EC2 rule takes to a dual-stack one', () => {
    expect(synthError({ network: { allowedIngress: [ec2.Peer.ipv6('2001:db8::/32')] } })).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      '  - network.allowedIngress[0]: is the IPv6 range 2001:db8::/32, but loadBalancer.ipAddressType is IPV4 (the default), so no IPv6 client reaches the load balancer; set loadBalancer.ipAddressType: elbv2.IpAddressType.DUAL_STACK, or give the clients\' IPv4 ranges',
    ].join('\n'));
    expect(synthError({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { allowedIngress: [ec2.Peer.ipv6('2001:db8::/129'), ec2.Peer.ipv6('2001:db8:::/48')] },
    })).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 2 problems in its props:",
      "  - network.allowedIngress[0]: must be an IPv6 CIDR EC2 accepts, with a prefix length from 0 to 128 (such as '2001:db8::/32'), got '2001:db8::/129'",
      "  - network.allowedIngress[1]: must be an IPv6 CIDR EC2 accepts, with a prefix length from 0 to 128 (such as '2001:db8::/32'), got '2001:db8:::/48'",
    ].join('\n'));
  });

  test('an IPv6 tester is named for the test listener of an IPv4 load balancer, and is taken on a dual-stack one', () => {
    const services = { pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, testIngress: [ec2.Peer.ipv6('2001:db8::/48')] } } };
    expect(synthError({ services })).toMatch(/\n {2}- services\.pyFido\.deployment\.testIngress\[0\]: is the IPv6 range 2001:db8::\/48, but loadBalancer\.ipAddressType is IPV4 \(the default\)/);
    expect(synthError({ services, loadBalancer: { ipAddressType: DUAL_STACK } })).toBeUndefined();
  });

  test('the load balancer would have no public IPv4 address, or its type is a token', () => {
    expect(synthError({ loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 } })).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      "  - loadBalancer.ipAddressType: DUAL_STACK_WITHOUT_PUBLIC_IPV4 leaves the endpoints without a public IPv4 address, so IPv4-only clients (and the tasks, which call https://<domainName>:5001 over IPv4 through NAT) could not reach them; use DUAL_STACK (IPv4 and IPv6) or IPV4, got 'dualstack-without-public-ipv4'",
    ].join('\n'));
    expect(synthError((scope) => ({ loadBalancer: { ipAddressType: new CfnParameter(scope, 'Type').valueAsString as elbv2.IpAddressType } })))
      .toMatch(/\n {2}- loadBalancer\.ipAddressType: cannot be a token .*, because it decides whether a created VPC gets IPv6 resources and the records AAAA ones, written at synth; give elbv2\.IpAddressType\.IPV4 or \.DUAL_STACK; got /);
    expect(synthError({ loadBalancer: { ipAddressType: 'ipv6' as elbv2.IpAddressType } })).toMatch(/\n {2}- loadBalancer\.ipAddressType: must be an elbv2\.IpAddressType, got 'ipv6'$/);
  });

  test('the given VPC has no IPv6, or cannot tell and is not said to have it', () => {
    expect(synthError((scope) => ({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { vpc: new ec2.Vpc(scope, 'Plain', { maxAzs: 2 }) },
    }))).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      "  - network.vpc: has no IPv6 CIDR block in the load balancer's subnets 'Imports/Plain/PublicSubnet1' and 'Imports/Plain/PublicSubnet2', but loadBalancer.ipAddressType is DUAL_STACK; create the VPC with ipProtocol: ec2.IpProtocol.DUAL_STACK (its subnets get /64s, nothing is replaced), or leave ipAddressType out",
    ].join('\n'));
    expect(synthError((scope) => ({ loadBalancer: { ipAddressType: DUAL_STACK }, network: { vpc: givenVpc(scope) } }))).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      '  - network.vpc: is imported, so whether its public subnets have IPv6 cannot be read at synth, but loadBalancer.ipAddressType is DUAL_STACK; once its public subnets have IPv6 CIDR blocks and a ::/0 route to the internet gateway, say so with network.vpcIpProtocol: ec2.IpProtocol.DUAL_STACK',
    ].join('\n'));
  });

  test('network.vpcIpProtocol is given without a VPC, with an IPv4 load balancer, or against what the VPC shows', () => {
    expect(synthError({ loadBalancer: { ipAddressType: DUAL_STACK }, network: { vpcIpProtocol: ec2.IpProtocol.DUAL_STACK } })).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      '  - network.vpcIpProtocol: only applies to a VPC you give in network.vpc; a created VPC gets IPv6 from loadBalancer.ipAddressType. Leave vpcIpProtocol out',
    ].join('\n'));
    expect(synthError((scope) => ({ network: { vpc: givenVpc(scope), vpcIpProtocol: ec2.IpProtocol.DUAL_STACK } }))).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      "  - network.vpcIpProtocol: only applies with loadBalancer.ipAddressType: DUAL_STACK, but it is IPV4 (the default); set ipAddressType or leave vpcIpProtocol out, got 'Dual_Stack'",
    ].join('\n'));
    expect(synthError((scope) => ({
      loadBalancer: { ipAddressType: DUAL_STACK },
      network: { vpc: new ec2.Vpc(scope, 'Plain', { maxAzs: 2 }), vpcIpProtocol: ec2.IpProtocol.DUAL_STACK },
    }))).toMatch(/\n {2}- network\.vpc: has no IPv6 CIDR block in the load balancer's subnets /);
  });
});

/** A standalone load balancer in `vpc`, with its target groups. */
function loneLoadBalancer(stack: Stack, vpc: ec2.IVpc, props: { ipAddressType?: elbv2.IpAddressType; allowedIngress?: ec2.IPeer[] }) {
  const targetGroup = (id: string, port: number) => new elbv2.ApplicationTargetGroup(stack, id, {
    vpc, port, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP,
  });
  return new FidoLoadBalancer(stack, 'Alb', {
    vpc,
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    pyFidoTargetGroup: targetGroup('PyFido', 5001),
    tomcatTargetGroup: targetGroup('Tomcat', 8080),
    accessLogs: false,
    ...props,
  });
}

describe('the building blocks on their own', () => {
  test('FidoNetwork creates a dual-stack VPC with ipProtocol, and refuses it beside a given VPC', () => {
    const stack = new Stack(testApp());
    new FidoNetwork(stack, 'Network', { ipProtocol: ec2.IpProtocol.DUAL_STACK });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
    const other = new Stack(testApp());
    expect(thrownBy(() => new FidoNetwork(other, 'Network', { vpc: givenVpc(other), ipProtocol: ec2.IpProtocol.DUAL_STACK }))).toMatch(
      /\n {2}- ipProtocol: only applies to a VPC this construct creates, but vpc is given \(its IP addresses are its own\); leave ipProtocol out, got 'Dual_Stack'/);
  });

  test('FidoLoadBalancer admits both families by default when dual-stack, in a VPC with IPv6', () => {
    const stack = new Stack(testApp());
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, ipProtocol: ec2.IpProtocol.DUAL_STACK });
    loneLoadBalancer(stack, vpc, { ipAddressType: DUAL_STACK });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { IpAddressType: 'dualstack' });
    const sg = logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: 'Arculus FIDO load balancer' });
    expect(ingressOf(template, sg)).toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:5001-5001', '0.0.0.0/0:8080-8080', '::/0:443-443', '::/0:5001-5001', '::/0:8080-8080']);
  });

  test('FidoLoadBalancer refuses IPv6 peers when IPv4, a VPC without IPv6 when dual-stack, and no public IPv4', () => {
    const stack = new Stack(testApp());
    const plain = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    expect(thrownBy(() => loneLoadBalancer(stack, plain, { allowedIngress: [ec2.Peer.anyIpv6()] }))).toMatch(
      /\n {2}- allowedIngress\[0\]: is the IPv6 range ::\/0, but ipAddressType is IPV4 \(the default\), so no IPv6 client reaches the load balancer; set ipAddressType: elbv2\.IpAddressType\.DUAL_STACK, or give the clients' IPv4 ranges/);
    const other = new Stack(testApp());
    const vpc = new ec2.Vpc(other, 'Vpc', { maxAzs: 2 });
    const message = thrownBy(() => loneLoadBalancer(other, vpc, { ipAddressType: elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4 }));
    expect(message).toMatch(/\n {2}- ipAddressType: DUAL_STACK_WITHOUT_PUBLIC_IPV4 leaves the endpoints without a public IPv4 address/);
    const third = new Stack(testApp());
    expect(thrownBy(() => loneLoadBalancer(third, new ec2.Vpc(third, 'Vpc', { maxAzs: 2 }), { ipAddressType: DUAL_STACK }))).toMatch(
      /\n {2}- vpc: has no IPv6 CIDR block in the load balancer's subnets 'Default\/Vpc\/PublicSubnet1' and 'Default\/Vpc\/PublicSubnet2', but ipAddressType is DUAL_STACK/);
  });
});
