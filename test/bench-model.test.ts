import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addBaseline } from '../bench/baseline';
import { compareTopology, median, monthlyCost, monthlyCostOf, resourceTypeCounts, rolloutsOf, rolloutSeconds } from '../bench/model';
import { DeploymentEnvironment } from '../src';
import { CERTIFICATE_ARN, ENV, synth } from './util';

/** A minimal template: one service behind one target group, with what the models read. */
function serviceTemplate(service: object, targetGroup: object = {}, extra: object = {}): any {
  return {
    Resources: {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '1024', Memory: '2048' } },
      Targets: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: targetGroup },
      Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, LoadBalancers: [{ TargetGroupArn: { Ref: 'Targets' } }], ...service } },
      ...extra,
    },
  };
}

describe('the rollout model', () => {
  test('is batches x (60 s start + interval x threshold) + deregistration delay', () => {
    const template = serviceTemplate(
      { DesiredCount: 4, DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 150 } },
      { HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3, TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }] },
    );
    // 4 tasks, 2 extra at a time: 2 batches of (60 + 30) s, then 20 s of draining.
    expect(rolloutsOf(template)[0]).toEqual(expect.objectContaining({ batches: 2, healthySeconds: 30, seconds: 2 * 90 + 20 }));
  });

  test('applies CloudFormation\'s defaults where the template is silent', () => {
    expect(rolloutSeconds(serviceTemplate({ DesiredCount: 1 }))).toBe(60 + 30 * 5 + 300);
  });

  test('reads the task count of an autoscaled service from its scalable target', () => {
    const template = serviceTemplate({}, {}, {
      Scaling: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { MinCapacity: 3, ResourceId: { 'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Svc', 'Name'] }]] } } },
    });
    expect(rolloutsOf(template)[0].desiredCount).toBe(3);
  });

  test('leaves blue/green, linear and canary services out, and models a rolling one beside them as before', () => {
    const template = serviceTemplate({ DesiredCount: 1 });
    for (const strategy of ['BLUE_GREEN', 'LINEAR', 'CANARY']) {
      template.Resources[`Svc${strategy}`] = { Type: 'AWS::ECS::Service', Properties: { DesiredCount: 1, DeploymentConfiguration: { Strategy: strategy } } };
    }
    template.Resources.Svc.Properties.DeploymentConfiguration = { Strategy: 'ROLLING' };
    expect(rolloutsOf(template).map((r) => r.service)).toEqual(['Svc']);
    expect(rolloutSeconds(template)).toBe(60 + 30 * 5 + 300);
  });

  test('refuses a template without a rolling service, and a strategy it does not know', () => {
    expect(() => rolloutSeconds(serviceTemplate({ DesiredCount: 1, DeploymentConfiguration: { Strategy: 'BLUE_GREEN' } }))).toThrow('no rolling ECS service');
    expect(() => rolloutsOf(serviceTemplate({ DeploymentConfiguration: { Strategy: 'EXTERNAL_MAGIC' } }))).toThrow("unknown deployment strategy 'EXTERNAL_MAGIC' on Svc");
  });

  test('models the reference topology (CDK defaults, the guide\'s health checks) at 420 s', () => {
    const app = new App();
    const stack = new Stack(app, 'Baseline', { env: ENV });
    addBaseline(stack, CERTIFICATE_ARN);
    expect(rolloutSeconds(Template.fromStack(stack).toJSON())).toBe(420);
  });

  test('models prod at 150 s at most', () => {
    const { template } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } });
    expect(rolloutSeconds(template.toJSON())).toBeLessThanOrEqual(150);
  });
});

describe('the cost model', () => {
  test('prices Fargate by vCPU- and GB-hours, on-demand, Spot and ARM64', () => {
    const onDemand = monthlyCostOf(serviceTemplate({ DesiredCount: 2 }))[0].usdPerMonth;
    expect(onDemand).toBeCloseTo(2 * (1 * 0.04048 + 2 * 0.004445) * 730, 6);
    const spot = monthlyCostOf(serviceTemplate({ DesiredCount: 2, CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] }))[0].usdPerMonth;
    expect(spot).toBeCloseTo(2 * (0.01246008 + 2 * 0.0013684) * 730, 6);
    const arm = serviceTemplate({ DesiredCount: 1 });
    arm.Resources.Task.Properties.RuntimePlatform = { CpuArchitecture: 'ARM64' };
    expect(monthlyCostOf(arm)[0].usdPerMonth).toBeCloseTo((0.03238 + 2 * 0.00356) * 730, 6);
  });

  test('adds the load balancer with one LCU, NAT gateways, public addresses and secrets', () => {
    const template = serviceTemplate({ DesiredCount: 0 }, {}, {
      Alb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: ['a', 'b'] } },
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} },
      Eip: { Type: 'AWS::EC2::EIP', Properties: {} },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
    });
    expect(monthlyCost(template)).toBeCloseTo((0.0225 + 0.008) * 730 + 0.045 * 730 + 3 * 0.005 * 730 + 0.4, 6);
  });

  test('keeps dev at or below 75 USD a month', () => {
    expect(monthlyCost(synth().template.toJSON())).toBeLessThanOrEqual(75);
  });

  test('refuses a DocumentDB instance class it has no price for', () => {
    const template = serviceTemplate({ DesiredCount: 0 }, {}, { Db: { Type: 'AWS::DocDB::DBInstance', Properties: { DBInstanceClass: 'db.x9.huge' } } });
    expect(() => monthlyCost(template)).toThrow('no DocumentDB price for db.x9.huge');
  });
});

describe('the topology comparison', () => {
  const template = (...types: string[]) => ({ Resources: Object.fromEntries(types.map((Type, i) => [`R${i}`, { Type }])) });
  const deployment = template('AWS::EC2::VPC', 'AWS::ECS::Service', 'AWS::ECS::Service');

  test('counts resources by type', () => {
    expect(resourceTypeCounts(deployment)).toEqual({ 'AWS::EC2::VPC': 1, 'AWS::ECS::Service': 2 });
  });

  test('finds no drift between equal topologies', () => {
    expect(compareTopology(deployment, template('AWS::ECS::Service', 'AWS::EC2::VPC', 'AWS::ECS::Service'))).toEqual({ differences: [], drift: 0 });
  });

  test('names each type that differs, and by how many resources, on either side', () => {
    const baseline = template('AWS::EC2::VPC', 'AWS::ECS::Service', 'AWS::S3::Bucket', 'AWS::S3::Bucket');
    expect(compareTopology(deployment, baseline)).toEqual({
      differences: [
        { type: 'AWS::ECS::Service', deployment: 2, baseline: 1, drift: 1 },
        { type: 'AWS::S3::Bucket', deployment: 0, baseline: 2, drift: 2 },
      ],
      drift: 3,
    });
  });
});

test('median', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
});
