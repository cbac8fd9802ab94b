
import { CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ArculusFidoStack, DeploymentEnvironment, NatType } from '../src';
import { baseProps, ENV, GIVEN_VPC, givenVpc, importsStack, logicalId, once, synth, synthError, Synthesized, testApp } from './util';

const ref = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

/** Every ingress or egress rule of a security group, inline or separate, as `peer:from-to` (or `peer:all`). */
function rulesOf(template: Template, sgId: string, direction: 'Ingress' | 'Egress'): string[] {
  const peer = (r: any) => r.CidrIp ?? r.SourcePrefixListId
    ?? (r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId)?.['Fn::GetAtt']?.[0];
  const inline = template.toJSON().Resources[sgId].Properties[`SecurityGroup${direction}`] ?? [];
  const separate = Object.values(template.findResources(`AWS::EC2::SecurityGroup${direction}`, { Properties: { GroupId: ref(sgId) } }))
    .map((r: any) => r.Properties);
  return [...inline, ...separate].map((r: any) => `${peer(r)}:${r.IpProtocol === '-1' ? 'all' : `${r.FromPort}-${r.ToPort}`}`).sort();
}

const ingressOf = (template: Template, sgId: string) => rulesOf(template, sgId, 'Ingress');
const egressOf = (template: Template, sgId: string) => rulesOf(template, sgId, 'Egress');

/** Whether a subnet is one of the VPC's public subnets, by the tag CDK gives it. */
const isPublicSubnet = (subnet: any) => subnet.Properties.Tags.some((t: any) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public');

const ALB_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO load balancer') };
const TASK_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO tasks') };
const PYFIDO_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO PyFIDO tasks') };
const TOMCAT_SG = { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO Tomcat tasks') };

describe('a created network', () => {
  let synthesized: Synthesized;
  let albSg: string;
  let taskSg: string;
  beforeAll(() => {
    synthesized = synth();
    albSg = logicalId(synthesized.template, 'AWS::EC2::SecurityGroup', ALB_SG);
    taskSg = logicalId(synthesized.template, 'AWS::EC2::SecurityGroup', TASK_SG);
  });

  test('is a VPC over 2 AZs with public and private subnets, an internet gateway and NAT', () => {
    const { template } = synthesized;
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')) as any[];
    const az = (s: any) => JSON.stringify(s.Properties.AvailabilityZone);
    const publicSubnets = subnets.filter(isPublicSubnet);
    const privateSubnets = subnets.filter((s) => !isPublicSubnet(s));
    expect(publicSubnets).toHaveLength(2);
    expect(privateSubnets).toHaveLength(2);
    expect(new Set(publicSubnets.map(az)).size).toBe(2);
    expect(new Set(privateSubnets.map(az)).size).toBe(2);
  });

  test('admits 443, 5001 and 8080 into the load balancer from 0.0.0.0/0, and nothing else', () => {
    expect(ingressOf(synthesized.template, albSg)).toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:5001-5001', '0.0.0.0/0:8080-8080']);
  });

  test('admits 5001 and 8080 into the tasks from the load balancer security group only', () => {
    expect(ingressOf(synthesized.template, taskSg)).toEqual([`${albSg}:5001-5001`, `${albSg}:8080-8080`]);
  });

  test('admits Service Connect\'s 5001 into PyFIDO\'s tasks from Tomcat\'s tasks only, through a group of each of their own', () => {
    const { template } = synthesized;
    const pyFidoSg = logicalId(template, 'AWS::EC2::SecurityGroup', PYFIDO_SG);
    const tomcatSg = logicalId(template, 'AWS::EC2::SecurityGroup', TOMCAT_SG);
    expect(ingressOf(template, pyFidoSg)).toEqual([`${tomcatSg}:5001-5001`]);
    expect(egressOf(template, tomcatSg)).toEqual([`${pyFidoSg}:5001-5001`]);
    // Whatever else holds the shared task group (deployment.connections) reaches no container port.
    expect(ingressOf(template, tomcatSg)).toEqual([]);
    const groupsOf = (container: string) => (Object.values(template.findResources('AWS::ECS::Service')) as any[])
      .find((s) => s.Properties.LoadBalancers[0].ContainerName === container).Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups;
    expect(groupsOf('pyfido')).toEqual([ref(taskSg), ref(pyFidoSg)]);
    expect(groupsOf('tomcat')).toEqual([ref(taskSg), ref(tomcatSg)]);
  });

  test('lets the load balancer send only to the tasks\' container ports', () => {
    expect(egressOf(synthesized.template, albSg)).toEqual([`${taskSg}:5001-5001`, `${taskSg}:8080-8080`]);
  });

  test('puts the load balancer in the public subnets and the tasks in the private subnets without public IPs', () => {
    const { template } = synthesized;
    const subnets = template.findResources('AWS::EC2::Subnet');
    const isPublic = (r: any) => isPublicSubnet(subnets[r.Ref]);
    const alb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as any;
    expect(alb.Properties.Scheme).toBe('internet-facing');
    expect(alb.Properties.Subnets.map(isPublic)).toEqual([true, true]);
    for (const service of Object.values(template.findResources('AWS::ECS::Service')) as any[]) {
      const config = service.Properties.NetworkConfiguration.AwsvpcConfiguration;
      expect(config.AssignPublicIp).toBe('DISABLED');
      expect(config.Subnets.map(isPublic)).toEqual([false, false]);
      expect(config.SecurityGroups[0]).toEqual(ref(taskSg));
    }
  });

  test('launches nothing with a public IP, not even in the public subnets', () => {
    synthesized.template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('lets the tasks send only HTTPS and MongoDB through the shared group (PyFIDO\'s port through Tomcat\'s own)', () => {
    expect(egressOf(synthesized.template, taskSg)).toEqual(['0.0.0.0/0:27017-27017', '0.0.0.0/0:443-443']);
  });

  test('has Tomcat reach PyFIDO by Service Connect in the cluster\'s namespace', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'arculus-auth-dev' });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Services: [{ PortName: 'pyfido', DiscoveryName: 'pyfido', ClientAliases: [{ Port: 5001, DnsName: 'pyfido' }] }],
      },
    });
    const services = Object.values(template.findResources('AWS::ECS::Service')) as any[];
    expect(services.map((s) => s.Properties.ServiceConnectConfiguration?.Enabled)).toEqual([true, true]);
  });

  test('restricts the VPC\'s default security group', () => {
    synthesized.template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('exposes the tasks\' security group as the deployment\'s connections', () => {
    const deployment = synthesized.stack.deployment;
    expect(deployment.connections.securityGroups).toEqual([deployment.network.serviceSecurityGroup]);
  });
});

/**
 * Open egress for the tasks, and allowed clients for the load balancer: each its own security group.
 * The clients are a range, one address (/32), a range written with host bits set (EC2 takes it as
 * written) and a prefix list; /0 is the default's (Peer.anyIpv4() is the CIDR 0.0.0.0/0).
 */
const opened = once(() => synth({
  network: {
    allowAllOutbound: true,
    allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.ipv4('198.51.100.7/32'), ec2.Peer.ipv4('192.0.2.1/24'), ec2.Peer.prefixList('pl-12345678')],
  },
}));

describe('allowAllOutbound', () => {
  test('opens the tasks\' egress to everything, the escape hatch', () => {
    const { template } = opened();
    expect(egressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', TASK_SG))).toEqual(['0.0.0.0/0:all']);
  });
});

describe('allowedIngress', () => {
  test('replaces 0.0.0.0/0 on every listener port, each range as written', () => {
    const { template } = opened();
    expect(ingressOf(template, logicalId(template, 'AWS::EC2::SecurityGroup', ALB_SG))).toEqual([
      '192.0.2.1/24:443-443', '192.0.2.1/24:5001-5001', '192.0.2.1/24:8080-8080',
      '198.51.100.7/32:443-443', '198.51.100.7/32:5001-5001', '198.51.100.7/32:8080-8080',
      '203.0.113.0/24:443-443', '203.0.113.0/24:5001-5001', '203.0.113.0/24:8080-8080',
      'pl-12345678:443-443', 'pl-12345678:5001-5001', 'pl-12345678:8080-8080',
    ]);
  });
});

describe('an imported VPC', () => {
  let template: Template;
  beforeAll(() => {
    const app = testApp();
    const vpcStack = importsStack(app, 'Vpc');
    // Well-formed IDs (public 0a, 0b; private 1a, 1b; isolated 2a, 2b): newer aws-cdk-lib checks
    // their format on synth.
    const vpc = ec2.Vpc.fromVpcAttributes(vpcStack, 'Existing', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
      privateSubnetIds: ['subnet-0000000000000001a', 'subnet-0000000000000001b'],
      isolatedSubnetIds: ['subnet-0000000000000002a', 'subnet-0000000000000002b'],
    });
    const stack = new ArculusFidoStack(app, 'Fido', baseProps(vpcStack, {
      env: ENV,
      network: {
        vpc,
        privateSubnets: { subnets: [ec2.Subnet.fromSubnetId(vpcStack, 'Chosen', 'subnet-0000000000000001b')] },
      },
    }));
    template = Template.fromStack(stack);
  });

  test('creates no VPC, subnets, NAT or endpoint', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Instance', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  test('puts the load balancer in its public subnets and the tasks in the chosen private subnets', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-0000000000000000a', 'subnet-0000000000000000b'] });
    template.allResourcesProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: ['subnet-0000000000000001b'] }) },
    });
    template.allResourcesProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
  });
});

describe('a VPC created in the app, given as network.vpc', () => {
  /** VPC A, which the deployment is given, and VPC B beside it, both in the stack of `scope`. */
  const vpcs = (scope: Construct) => ({ a: new ec2.Vpc(scope, 'A', { maxAzs: 2 }), b: new ec2.Vpc(scope, 'B', { maxAzs: 2 }) });
  /** The subnets a template refers to, as the IDs of the other stack's subnet resources it imports. */
  // A reference to the Imports stack: an export (Fn::ImportValue), or under cdk init's flags a
  // published output (Fn::GetStackOutput).
  const importedSubnets = (subnets: unknown[]) => subnets.map((s) => /(?:Exports|Publish)OutputRef(\w+?)Subnet[0-9A-F]{8}/.exec(JSON.stringify(s))?.[1]);

  test('takes its own subnets, selected one by one, though another VPC is beside it', () => {
    const { template } = synth((scope) => {
      const { a } = vpcs(scope);
      return {
        network: { vpc: a, publicSubnets: { subnets: a.publicSubnets }, privateSubnets: { subnets: [a.privateSubnets[1], a.privateSubnets[0]] } },
      };
    });
    const alb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as any;
    expect(importedSubnets(alb.Properties.Subnets)).toEqual(['APublicSubnet1', 'APublicSubnet2']);
    for (const service of Object.values(template.findResources('AWS::ECS::Service')) as any[]) {
      expect(importedSubnets(service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets)).toEqual(['APrivateSubnet2', 'APrivateSubnet1']);
    }
  });

  test('refuses subnets of the other VPC, whole or beside its own, and one imported again by its ID', () => {
    const fix = "not of network.vpc 'Imports/A'; select subnets of network.vpc";
    expect(synthError((scope) => {
      const { a, b } = vpcs(scope);
      const again = ec2.Subnet.fromSubnetId(scope, 'Again', b.privateSubnets[1].subnetId);
      return { network: { vpc: a, publicSubnets: { subnets: b.publicSubnets }, privateSubnets: { subnets: [a.privateSubnets[0], again] } } };
    })).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 2 problems in its props:",
      `  - network.publicSubnets: selects 'Imports/B/PublicSubnet1' and 'Imports/B/PublicSubnet2', subnets of the VPC 'Imports/B', ${fix}`,
      `  - network.privateSubnets: selects 'Imports/Again', a subnet of the VPC 'Imports/B', ${fix}`,
    ].join('\n'));
  });

  test('refuses them beside an imported network.vpc too, which it names by ID', () => {
    expect(synthError((scope) => {
      const b = new ec2.Vpc(scope, 'B', { maxAzs: 2 });
      return { network: { vpc: givenVpc(scope), privateSubnets: { subnets: b.privateSubnets } } };
    })).toMatch(new RegExp(`^  - network\\.privateSubnets: selects 'Imports/B/PrivateSubnet1' and 'Imports/B/PrivateSubnet2', subnets of the VPC 'Imports/B', not of network\\.vpc 'Imports/Vpc' \\(${GIVEN_VPC.vpcId}\\); select subnets of network\\.vpc$`, 'm'));
  });
});

/** The route tables of the created VPC's private subnets, as references. */
function privateRouteTables(template: Template): object[] {
  const associations = Object.values(template.findResources('AWS::EC2::SubnetRouteTableAssociation')) as any[];
  const subnets = template.findResources('AWS::EC2::Subnet');
  return associations.filter((a) => !isPublicSubnet(subnets[a.Properties.SubnetId.Ref])).map((a) => a.Properties.RouteTableId);
}

describe('the S3 gateway endpoint', () => {
  const without = once(() => synth({ network: { s3GatewayEndpoint: false } }));

  test('is in a created VPC by default, routed from the private subnets only', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      RouteTableIds: privateRouteTables(template),
    });
  });

  test('only adds a resource to an existing deployment: every other resource is as without it', () => {
    const before = without().template.toJSON();
    const after = synth().template.toJSON();
    const added = Object.keys(after.Resources).filter((id) => !(id in before.Resources));
    expect(added.map((id) => after.Resources[id].Type)).toEqual(['AWS::EC2::VPCEndpoint']);
    expect({ ...after, Resources: Object.fromEntries(Object.entries(after.Resources).filter(([id]) => !added.includes(id))) }).toEqual(before);
  });

  test('is left out with s3GatewayEndpoint: false', () => {
    without().template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });
});

/** The NAT instances' security group, by the description aws-cdk-lib gives it. */
const NAT_SG = { GroupDescription: 'Security Group for NAT instances' };

describe('NAT instances (natType: NatType.INSTANCE)', () => {
  const dev = once(() => synth({ network: { natType: NatType.INSTANCE } }));

  test('replace the NAT gateway with one t4g.nano instance on Amazon Linux 2023 for arm64, read from SSM at deploy time', () => {
    const json = dev().template.toJSON();
    dev().template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const instances = Object.values(dev().template.findResources('AWS::EC2::Instance')) as any[];
    expect(instances).toHaveLength(1);
    const [instance] = instances;
    expect(instance.Properties).toMatchObject({ InstanceType: 't4g.nano', SourceDestCheck: false });
    expect(json.Parameters[instance.Properties.ImageId.Ref]).toEqual({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64',
    });
    const [nic] = instance.Properties.NetworkInterfaces;
    expect(nic.AssociatePublicIpAddress).toBe(true);
    expect(isPublicSubnet(json.Resources[nic.SubnetId.Ref])).toBe(true);
  });

  test('route both private subnets out through the instance', () => {
    const { template } = dev();
    const instance = logicalId(template, 'AWS::EC2::Instance');
    const routes = Object.values(template.findResources('AWS::EC2::Route', { Properties: { DestinationCidrBlock: '0.0.0.0/0', InstanceId: { Ref: instance } } })) as any[];
    expect(routes.map((r) => r.Properties.RouteTableId)).toEqual(privateRouteTables(template));
  });

  test('give the instance an Elastic IP, which stays when the instance is replaced', () => {
    const { template } = dev();
    template.resourceCountIs('AWS::EC2::EIP', 1);
    template.hasResourceProperties('AWS::EC2::EIP', { Domain: 'vpc', InstanceId: { Ref: logicalId(template, 'AWS::EC2::Instance') } });
  });

  test('require IMDSv2 and encrypt the root volume', () => {
    dev().template.hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', DeleteOnTermination: true } }],
    });
  });

  test('admit TCP, UDP and ICMP from the private subnets only, and send anywhere', () => {
    const { template } = dev();
    const natSg = logicalId(template, 'AWS::EC2::SecurityGroup', NAT_SG);
    const privateCidrs = (Object.values(template.findResources('AWS::EC2::Subnet')) as any[]).filter((s) => !isPublicSubnet(s)).map((s) => s.Properties.CidrBlock);
    expect(privateCidrs).toHaveLength(2);
    expect(ingressOf(template, natSg)).toEqual(privateCidrs.flatMap((cidr) => [`${cidr}:-1--1`, `${cidr}:0-65535`, `${cidr}:0-65535`]).sort());
    const protocols = template.toJSON().Resources[natSg].Properties.SecurityGroupIngress.map((r: any) => r.IpProtocol).sort();
    expect(protocols).toEqual(['icmp', 'icmp', 'tcp', 'tcp', 'udp', 'udp']);
    expect(egressOf(template, natSg)).toEqual(['0.0.0.0/0:all']);
    template.hasResourceProperties('AWS::EC2::Instance', { NetworkInterfaces: [Match.objectLike({ GroupSet: [{ 'Fn::GetAtt': [natSg, 'GroupId'] }] })] });
  });

  test('keep the S3 gateway endpoint and leave the tasks\' security groups as they are', () => {
    const { template } = dev();
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
    const taskSg = logicalId(template, 'AWS::EC2::SecurityGroup', TASK_SG);
    expect(egressOf(template, taskSg)).toEqual(['0.0.0.0/0:27017-27017', '0.0.0.0/0:443-443']);
  });

  test('follow the NAT count and the instance type\'s architecture: prod\'s two, one per AZ, on x86_64 for a t3.micro', () => {
    const { template } = synth({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1.0.0' },
      network: { natType: NatType.INSTANCE, natInstanceType: new ec2.InstanceType('t3.micro') },
    });
    const json = template.toJSON();
    const instances = Object.values(template.findResources('AWS::EC2::Instance')) as any[];
    expect(instances.map((i) => i.Properties.InstanceType)).toEqual(['t3.micro', 't3.micro']);
    const subnetOf = (instance: any) => json.Resources[instance.Properties.NetworkInterfaces[0].SubnetId.Ref];
    expect(new Set(instances.map((i) => JSON.stringify(subnetOf(i).Properties.AvailabilityZone))).size).toBe(2);
    expect(new Set(instances.map((i) => json.Parameters[i.Properties.ImageId.Ref].Default))).toEqual(new Set(['/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64']));
    template.resourceCountIs('AWS::EC2::EIP', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });
});

describe('the NAT and endpoint options', () => {
  test('are refused, in the one gathered error, where they would be ignored or a token decides the template', () => {
    expect(synthError((scope) => ({
      network: {
        natInstanceType: new ec2.InstanceType(new CfnParameter(scope, 'NatType').valueAsString),
        natMachineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }),
        natGateways: new CfnParameter(scope, 'NatCount', { type: 'Number' }).valueAsNumber,
      },
    }))).toMatch(new RegExp([
      "^ArculusFidoDeployment 'Fido/Fido' has 3 problems in its props:",
      '  - network\\.natGateways: cannot be a token \\(a CloudFormation parameter or reference\\), because a created VPC gets one NAT gateway resource per count, written at synth; give the number, or a VPC of your own; got \\S+',
      '  - network\\.natInstanceType: only applies to NAT instances, but network\\.natType is left out \\(NAT gateways\\); set natType: NatType\\.INSTANCE or leave natInstanceType out',
      '  - network\\.natMachineImage: only applies to NAT instances, but network\\.natType is left out \\(NAT gateways\\); set natType: NatType\\.INSTANCE or leave natMachineImage out$',
    ].join('\n')));
  });

  test('refuse a token type of NAT, and a token instance type the default image\'s architecture would be chosen from', () => {
    const message = synthError((scope) => ({
      network: { natType: new CfnParameter(scope, 'Nat').valueAsString as NatType, natInstanceType: new ec2.InstanceType(new CfnParameter(scope, 'Type').valueAsString) },
    }));
    expect(message).toMatch(/^ArculusFidoDeployment 'Fido\/Fido' has 2 problems in its props:\n/);
    expect(message).toMatch(/\n {2}- network\.natType: cannot be a token .*, because it decides whether the template holds NAT gateways or NAT instances; give NatType\.GATEWAY or NatType\.INSTANCE; got /);
    expect(message).toMatch(/\n {2}- network\.natInstanceType: cannot be a token .*, because the default image's architecture \(arm64 or x86_64\) is chosen from it at synth; give the type, or natMachineImage too; got /);
  });

  test('refuse a token instance type once, as ignored, without NAT instances', () => {
    expect(synthError((scope) => ({ network: { natInstanceType: new ec2.InstanceType(new CfnParameter(scope, 'Type').valueAsString) } }))).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 1 problem in its props:",
      '  - network.natInstanceType: only applies to NAT instances, but network.natType is left out (NAT gateways); set natType: NatType.INSTANCE or leave natInstanceType out',
    ].join('\n'));
  });

  test('carry a token instance type into the template beside a given image', () => {
    const { template } = synth((scope) => ({
      network: {
        natType: NatType.INSTANCE,
        natInstanceType: new ec2.InstanceType(new CfnParameter(scope, 'Type').valueAsString),
        natMachineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }),
      },
    }));
    const [instance] = Object.values(template.findResources('AWS::EC2::Instance', { Properties: { ImageId: 'ami-0123456789abcdef0' } })) as any[];
    // The parameter of the imports stack, read across stacks: an export, or (under cdk init's flags) a published output.
    expect(JSON.stringify(instance.Properties.InstanceType)).toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
  });

  test('are refused beside a given VPC, each naming why', () => {
    expect(synthError((scope) => ({
      network: {
        vpc: givenVpc(scope),
        natType: NatType.INSTANCE,
        s3GatewayEndpoint: true,
        natMachineImage: ec2.MachineImage.latestAmazonLinux2023(),
      },
    }))).toBe([
      "ArculusFidoDeployment 'Fido/Fido' has 3 problems in its props:",
      "  - network.natType: only applies to a VPC the deployment creates, but network.vpc is given (its NAT is its own); leave natType out, got 'instance'",
      '  - network.natMachineImage: only applies to a VPC the deployment creates, but network.vpc is given (its NAT is its own); leave natMachineImage out',
      '  - network.s3GatewayEndpoint: only applies to a VPC the deployment creates, but network.vpc is given (its endpoints are its own: add one with vpc.addGatewayEndpoint()); leave s3GatewayEndpoint out, got true',
    ].join('\n'));
  });

  test('refuse a value that is not a NatType, for a caller without a compiler', () => {
    expect(synthError({ network: { natType: 'nat-instance' as NatType } })).toMatch(/\n {2}- network\.natType: must be a NatType, got 'nat-instance'$/);
  });
});
