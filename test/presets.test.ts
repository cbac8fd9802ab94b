import { Match } from 'aws-cdk-lib/assertions';
import { DeploymentEnvironment } from '../src';
import { containerDefinition, FULL_SNAPSHOTS, logicalIds, synth, Synthesized } from './util';

// The deployment guide's "Environment Mappings" and "Log Retention" tables, and the presets this
// library adds for Tomcat, autoscaling, NAT gateways and removal policies.
const TABLE = [
  {
    deploymentEnvironment: DeploymentEnvironment.DEV,
    pyFido: { cpu: '256', memory: '512', desired: 1, max: 1 },
    tomcat: { cpu: '256', memory: '1024', desired: 1, max: 1 },
    retentionDays: 7,
    natGateways: 1,
    deletionPolicy: 'Delete',
  },
  {
    deploymentEnvironment: DeploymentEnvironment.STAGING,
    pyFido: { cpu: '512', memory: '1024', desired: 2, max: 4 },
    tomcat: { cpu: '512', memory: '1024', desired: 2, max: 4 },
    retentionDays: 30,
    natGateways: 1,
    deletionPolicy: 'Delete',
  },
  {
    deploymentEnvironment: DeploymentEnvironment.PROD,
    pyFido: { cpu: '1024', memory: '2048', desired: 3, max: 6 },
    tomcat: { cpu: '1024', memory: '2048', desired: 3, max: 6 },
    retentionDays: 90,
    natGateways: 2,
    deletionPolicy: 'Retain',
  },
];

describe.each(TABLE)('the $deploymentEnvironment preset', (row) => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth({ deploymentEnvironment: row.deploymentEnvironment, images: { tag: '1.2.3' } });
  });

  test.each([
    ['pyfido', row.pyFido],
    ['tomcat', row.tomcat],
  ])('sizes the %s task definition', (name, expected) => {
    const container = containerDefinition(synthesized.template, name);
    expect(container.taskDefinition.Cpu).toBe(expected.cpu);
    expect(container.taskDefinition.Memory).toBe(expected.memory);
    expect(container.taskDefinition.RequiresCompatibilities).toEqual(['FARGATE']);
  });

  test('runs the desired task count, and leaves it to the scaler when autoscaling', () => {
    const services = Object.values(synthesized.template.findResources('AWS::ECS::Service')) as any[];
    expect(services).toHaveLength(2);
    const autoscaling = row.pyFido.max > row.pyFido.desired;
    for (const service of services) {
      expect(service.Properties.DesiredCount).toEqual(autoscaling ? undefined : row.pyFido.desired);
    }
    if (autoscaling) {
      synthesized.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
      synthesized.template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: row.pyFido.desired,
        MaxCapacity: row.pyFido.max,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      synthesized.template.allResourcesProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 70,
        }),
      });
    } else {
      synthesized.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    }
  });

  test('keeps logs for the guide\'s retention under the guide\'s log group names', () => {
    for (const service of ['pyfido', 'tomcat']) {
      synthesized.template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: `/ecs/arculus-auth/${row.deploymentEnvironment}/${service}`,
          RetentionInDays: row.retentionDays,
        },
        DeletionPolicy: row.deletionPolicy,
        UpdateReplacePolicy: row.deletionPolicy,
      });
    }
  });

  test('retains the secrets in prod only', () => {
    synthesized.template.allResources('AWS::SecretsManager::Secret', { DeletionPolicy: row.deletionPolicy });
  });

  test('creates NAT gateways for the environment', () => {
    synthesized.template.resourceCountIs('AWS::EC2::NatGateway', row.natGateways);
  });

  test('names the cluster <applicationName>-<environment>', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: `arculus-auth-${row.deploymentEnvironment}` });
  });

  // The whole template, as the aws-cdk-lib floor makes it without feature flags (FULL_SNAPSHOTS).
  (FULL_SNAPSHOTS ? test : test.skip)('keeps its logical IDs (snapshot)', () => {
    expect(synthesized.template.toJSON()).toMatchSnapshot();
  });

  // Construct IDs are API: on every aws-cdk-lib from the floor up and under cdk init's flags, the
  // same resources of the same types under the same logical IDs, and the same outputs.
  test('keeps the logical ID and type of every resource and output, on any aws-cdk-lib and flags (snapshot)', () => {
    expect(logicalIds(synthesized.template)).toMatchSnapshot();
  });
});

describe('sizing overrides', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1.2.3' },
      sizing: {
        pyFido: { cpu: 2048, memoryLimitMiB: 8192, desiredCount: 4, maxCapacity: 12, targetCpuUtilizationPercent: 50 },
        tomcat: { desiredCount: 2, minCapacity: 2, maxCapacity: 2 },
      },
    });
  });

  test('replace the preset per service', () => {
    const pyFido = containerDefinition(synthesized.template, 'pyfido');
    expect([pyFido.taskDefinition.Cpu, pyFido.taskDefinition.Memory]).toEqual(['2048', '8192']);
    const tomcat = containerDefinition(synthesized.template, 'tomcat');
    expect([tomcat.taskDefinition.Cpu, tomcat.taskDefinition.Memory]).toEqual(['1024', '2048']);
  });

  test('scale PyFIDO between desiredCount and maxCapacity at the chosen CPU target', () => {
    synthesized.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    synthesized.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 4, MaxCapacity: 12 });
    synthesized.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 50 }),
    });
  });

  test('turn autoscaling off when maxCapacity equals minCapacity, and pin the count', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
  });
});
