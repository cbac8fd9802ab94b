import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { DeploymentEnvironment } from '../src';
import { synth, synthError } from './util';

/** The load balancer's attributes as a key -> value map. */
function albAttributes(template: Template): Record<string, string> {
  const alb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as any;
  return Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
}

describe('the load balancer, by default', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = synth().template;
    prod = synth({ environment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } }).template;
  });

  test('drops header fields with invalid names and mitigates desync defensively', () => {
    for (const template of [dev, prod]) {
      expect(albAttributes(template)).toEqual(expect.objectContaining({
        'routing.http.drop_invalid_header_fields.enabled': 'true',
        'routing.http.desync_mitigation_mode': 'defensive',
      }));
    }
  });

  test('is protected from deletion in prod only', () => {
    expect(albAttributes(prod)['deletion_protection.enabled']).toBe('true');
    expect(albAttributes(dev)['deletion_protection.enabled']).toBe('false');
  });

  test('has no plain HTTP listener', () => {
    dev.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP' }, 0);
  });
});

describe('load balancer options', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({
      environment: DeploymentEnvironment.PROD,
      images: { tag: '1.0.0' },
      network: { allowedIngress: [ec2.Peer.ipv4('198.51.100.0/24')] },
      loadBalancer: {
        redirectHttp: true,
        deletionProtection: false,
        sslPolicy: elbv2.SslPolicy.FIPS_TLS13_12_RES_PQ,
        desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      },
    }).template;
  });

  test('redirectHttp adds a port 80 listener that only redirects to HTTPS 443, for the allowed clients', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '198.51.100.0/24', FromPort: 80, ToPort: 80 })]),
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
      .flatMap((sg: any) => sg.Properties.SecurityGroupIngress ?? []);
    expect(ingress.map((r: any) => r.CidrIp)).toEqual(['198.51.100.0/24', '198.51.100.0/24', '198.51.100.0/24', '198.51.100.0/24']);
  });

  test('override deletion protection, TLS policy and desync mitigation', () => {
    expect(albAttributes(template)['deletion_protection.enabled']).toBe('false');
    expect(albAttributes(template)['routing.http.desync_mitigation_mode']).toBe('strictest');
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
    }, 3);
  });
});

describe('errors when', () => {
  test('desync mitigation is MONITOR', () => {
    expect(synthError({ loadBalancer: { desyncMitigationMode: elbv2.DesyncMitigationMode.MONITOR } })).toContain(
      'loadBalancer.desyncMitigationMode: MONITOR lets request-smuggling attempts through to the targets; use DEFENSIVE (the default) or STRICTEST');
  });
});

describe('VPC flow logs', () => {
  test('record all traffic of a created VPC into a log group with the environment\'s retention', () => {
    const { template } = synth({ environment: DeploymentEnvironment.STAGING });
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    const flowLogGroup = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([, r]: [string, any]) => !r.Properties.LogGroupName);
    expect(flowLogGroup).toHaveLength(1);
    expect((flowLogGroup[0][1] as any).Properties.RetentionInDays).toBe(30);
  });

  test('are not added to a given VPC, which belongs to its owner', () => {
    const { template } = synth((scope) => ({
      network: {
        vpc: ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
          vpcId: 'vpc-1', availabilityZones: ['a', 'b'], publicSubnetIds: ['s-1', 's-2'], privateSubnetIds: ['s-3', 's-4'],
        }),
      },
    }));
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
  });
});
