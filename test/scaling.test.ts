import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { DeploymentEnvironment, FidoService, PredictiveScalingMode } from '../src';
import { CERTIFICATE_ARN, ENV, synth, synthError, synthErrorOf, testApp, thrownBy } from './util';

// Capacity that follows demand: target tracking on CPU, memory and requests per target (out when
// any asks, in when all allow), scheduled capacity, predictive scaling, and office hours that put
// dev and staging to sleep; every value checked in the one gathered error.

const SCALABLE_TARGET = 'AWS::ApplicationAutoScaling::ScalableTarget';
const SCALING_POLICY = 'AWS::ApplicationAutoScaling::ScalingPolicy';

/** The scalable target of the service whose ResourceId names `service` (`PyFido`, say). */
function scalableTarget(template: Template, service: string): any {
  const found = Object.values(template.findResources(SCALABLE_TARGET))
    .filter((t: any) => JSON.stringify(t.Properties.ResourceId).includes(`${service}Service`));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
}

describe('a staging service scaling on CPU, memory, requests, a schedule and a forecast', () => {
  const { template } = synth({
    deploymentEnvironment: DeploymentEnvironment.STAGING,
    sizing: {
      pyFido: {
        targetMemoryUtilizationPercent: 75,
        targetRequestsPerTarget: 600,
        scaleOutCooldown: Duration.seconds(30),
        schedules: [{
          name: 'MorningPeak',
          schedule: appscaling.Schedule.cron({ hour: '7', minute: '30', weekDay: 'MON-FRI' }),
          timeZone: TimeZone.EUROPE_BERLIN,
          minCapacity: 4,
          maxCapacity: 8,
        }],
        predictiveScaling: PredictiveScalingMode.FORECAST_ONLY,
      },
    },
  });

  test('tracks CPU, memory and requests per target, each with the cooldowns given or their defaults', () => {
    const policies = Object.values(template.findResources(SCALING_POLICY)).map((p: any) => p.Properties)
      .filter((p) => p.PolicyType === 'TargetTrackingScaling' && JSON.stringify(p.ScalingTargetId).includes('PyFido'));
    const byMetric = Object.fromEntries(policies.map((p) => {
      const configuration = p.TargetTrackingScalingPolicyConfiguration;
      return [configuration.PredefinedMetricSpecification.PredefinedMetricType, configuration];
    }));
    expect(Object.keys(byMetric).sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']);
    expect(byMetric.ECSServiceAverageCPUUtilization).toMatchObject({ TargetValue: 70, ScaleOutCooldown: 30, ScaleInCooldown: 300 });
    expect(byMetric.ECSServiceAverageMemoryUtilization).toMatchObject({ TargetValue: 75, ScaleOutCooldown: 30, ScaleInCooldown: 300 });
    expect(byMetric.ALBRequestCountPerTarget).toMatchObject({ TargetValue: 600, ScaleOutCooldown: 30 });
  });

  test('names the request policy\'s target group by the load balancer its listener belongs to', () => {
    const label = JSON.stringify(Object.values(template.findResources(SCALING_POLICY)).map((p: any) => p.Properties)
      .find((p) => p.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification.PredefinedMetricType === 'ALBRequestCountPerTarget')
      .TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.ResourceLabel);
    // app/<name>/<id> of the listener's ARN, then the group's own full name.
    expect(label).toMatch(/"Fn::Split":\["\/",\{"Ref":"FidoLoadBalancerPyFidoListener[0-9A-F]+"\}\]/);
    expect(label).toMatch(/"Fn::GetAtt":\["FidoPyFidoTargetGroup[0-9A-F]+","TargetGroupFullName"\]/);
  });

  test('sets the scheduled bounds in the time zone given, beside the preset\'s bounds', () => {
    const target = scalableTarget(template, 'PyFido');
    expect(target).toMatchObject({ MinCapacity: 2, MaxCapacity: 4 });
    expect(target.ScheduledActions).toEqual([{
      ScheduledActionName: 'MorningPeak',
      Schedule: 'cron(30 7 ? * MON-FRI *)',
      Timezone: 'Europe/Berlin',
      ScalableTargetAction: { MinCapacity: 4, MaxCapacity: 8 },
    }]);
  });

  test('forecasts CPU without scaling on it (forecast only), and leaves Tomcat as it was', () => {
    template.hasResourceProperties(SCALING_POLICY, {
      PolicyType: 'PredictiveScaling',
      ServiceNamespace: 'ecs',
      ScalableDimension: 'ecs:service:DesiredCount',
      PredictiveScalingPolicyConfiguration: {
        Mode: 'ForecastOnly',
        SchedulingBufferTime: 300,
        MaxCapacityBreachBehavior: 'HonorMaxCapacity',
        MetricSpecifications: [{ TargetValue: 70, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ECSServiceCPUUtilization' } }],
      },
    });
    expect(Object.values(template.findResources(SCALING_POLICY))).toHaveLength(5);
    expect(scalableTarget(template, 'Tomcat').ScheduledActions).toBeUndefined();
  });
});

describe('a dev deployment with office hours', () => {
  const { template } = synth({
    sizing: { officeHours: { start: '08:00', end: '19:00', timeZone: TimeZone.EUROPE_BERLIN } },
  });

  test('sleeps at the end of the hours and wakes both services 15 minutes before they start, on weekdays', () => {
    for (const service of ['PyFido', 'Tomcat']) {
      const target = scalableTarget(template, service);
      expect(target).toMatchObject({ MinCapacity: 1, MaxCapacity: 1 });
      expect(target.ScheduledActions).toEqual([
        { ScheduledActionName: 'OfficeHoursSleep', Schedule: 'cron(0 19 ? * MON-FRI *)', Timezone: 'Europe/Berlin', ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } },
        { ScheduledActionName: 'OfficeHoursWake', Schedule: 'cron(45 7 ? * MON-FRI *)', Timezone: 'Europe/Berlin', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 1 } },
      ]);
    }
  });

  test('leaves the task count to the scaler, so that a deploy at night does not start the tasks', () => {
    for (const service of Object.values(template.findResources('AWS::ECS::Service'))) {
      expect((service as any).Properties.DesiredCount).toBeUndefined();
    }
  });

  test('adds only the scaler to what the services had: no resource of theirs is replaced', () => {
    const plain = synth().template;
    const ids = (t: Template) => Object.keys(t.toJSON().Resources);
    const added = ids(template).filter((id) => !ids(plain).includes(id));
    expect(ids(plain).filter((id) => !ids(template).includes(id))).toEqual([]);
    expect(added.map((id) => template.toJSON().Resources[id].Type).sort()).toEqual([
      SCALABLE_TARGET, SCALABLE_TARGET, SCALING_POLICY, SCALING_POLICY,
    ]);
  });
});

describe('refusals, named in the one error', () => {
  test.each([
    ['office hours in prod', { deploymentEnvironment: DeploymentEnvironment.PROD, sizing: { officeHours: { start: '08:00', end: '19:00' } } },
      /sizing\.officeHours: scales the services to zero outside the hours, and a FIDO2 server that sleeps refuses sign-ins: prod runs around the clock/],
    ['an end before the start', { sizing: { officeHours: { start: '18:00', end: '08:00' } } },
      /sizing\.officeHours\.end: must be later than start \(18:00\) on the same day, got '08:00'/],
    ['a time that is not HH:MM', { sizing: { officeHours: { start: '8am', end: '19:00' } } },
      /sizing\.officeHours\.start: must be a time of day as HH:MM on a 24-hour clock, such as '08:00', got '8am'/],
    ['a wake before midnight', { sizing: { officeHours: { start: '00:10', end: '19:00' } } },
      /sizing\.officeHours\.wakeAhead: would wake the services the day before \(00:10 less 15 minutes\)/],
    ['days cron does not know', { sizing: { officeHours: { start: '08:00', end: '19:00', weekDays: 'MONDAY' } } },
      /sizing\.officeHours\.weekDays: must be a cron day-of-week field such as 'MON-FRI'/],
    ['a request target of 0', { sizing: { pyFido: { targetRequestsPerTarget: 0 } } },
      /sizing\.pyFido\.targetRequestsPerTarget: must be a whole number of requests per task per minute, at least 1, got 0/],
    ['a memory target of 95%', { sizing: { tomcat: { targetMemoryUtilizationPercent: 95 } } },
      /sizing\.tomcat\.targetMemoryUtilizationPercent: must be a whole number from 10 to 90, got 95/],
    ['a cooldown of two hours', { sizing: { pyFido: { scaleInCooldown: Duration.hours(2) } } },
      /sizing\.pyFido\.scaleInCooldown: must be a whole number of seconds from 0 to 3600, got 2 hours/],
    ['a schedule whose min exceeds the service\'s maxCapacity', { sizing: { pyFido: { maxCapacity: 3, schedules: [{ schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 5 }] } } },
      /sizing\.pyFido\.schedules\[0\]\.minCapacity: must not exceed the service's maxCapacity \(3\), got 5; raise maxCapacity in the schedule or lower minCapacity/],
    ['a schedule whose min exceeds its own max', { sizing: { pyFido: { schedules: [{ schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 5, maxCapacity: 2 }] } } },
      /sizing\.pyFido\.schedules\[0\]\.minCapacity: must not exceed the schedule's maxCapacity \(2\), got 5/],
    ['a schedule that sets no bound', { sizing: { pyFido: { schedules: [{ schedule: appscaling.Schedule.rate(Duration.hours(1)) }] } } },
      /sizing\.pyFido\.schedules\[0\]: must give minCapacity, maxCapacity or both/],
    ['a schedule named as office hours\' own', { sizing: { officeHours: { start: '08:00', end: '19:00' }, pyFido: { schedules: [{ name: 'OfficeHoursWake', schedule: appscaling.Schedule.rate(Duration.hours(1)), minCapacity: 1 }] } } },
      /sizing\.pyFido\.schedules\[0\]\.name: 'OfficeHoursWake' names another scheduled action of the service/],
    ['requests per target under blue/green', {
      deploymentEnvironment: DeploymentEnvironment.STAGING,
      sizing: { tomcat: { targetRequestsPerTarget: 500 } },
      services: { tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } } },
    }, /sizing\.tomcat\.targetRequestsPerTarget: scales on the requests of one target group, but services\.tomcat\.deployment\.strategy is BLUE_GREEN, which moves production between two/],
  ])('%s', (_name, overrides, message) => {
    expect(synthError(overrides as any)).toMatch(message);
  });

  test('gathers them all', () => {
    const error = synthError({ sizing: { officeHours: { start: '18:00', end: '08:00' }, pyFido: { targetRequestsPerTarget: 0, targetMemoryUtilizationPercent: 95 } } })!;
    expect(error).toMatch(/has 3 problems in its props/);
  });
});

describe('FidoService alone, scaling on requests', () => {
  const service = (attach: boolean) => {
    const stack = new Stack(testApp(), 'Bare', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const app = new FidoService(stack, 'Service', {
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      containerPort: 8080,
      sizing: { minCapacity: 1, maxCapacity: 4, targetRequestsPerTarget: 300 },
    });
    if (attach) {
      const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', { vpc, internetFacing: true });
      loadBalancer.addListener('Https', { port: 443, certificates: [acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)], defaultTargetGroups: [app.targetGroup] });
    }
    return stack;
  };

  test('reads the requests of the load balancer a listener forwards to the target group from, added after the service', () => {
    Template.fromStack(service(true)).hasResourceProperties(SCALING_POLICY, {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 300,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: Match.anyValue() },
      },
    });
  });

  test('says at synth when no listener ever forwards to it', () => {
    expect(synthErrorOf(service(false))).toMatch(/sizing\.targetRequestsPerTarget: scales on the requests the load balancer counts for targetGroup, but no listener forwards to it/);
  });

  test('refuses requests beside a traffic-shifting strategy when it is made', () => {
    const stack = new Stack(testApp(), 'Bare', { env: ENV });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 }) });
    expect(thrownBy(() => new FidoService(stack, 'Service', {
      cluster,
      containerName: 'app',
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      containerPort: 8080,
      sizing: { targetRequestsPerTarget: 300 },
      deployment: { strategy: ecs.DeploymentStrategy.LINEAR },
    }))).toMatch(/- sizing\.targetRequestsPerTarget: scales on the requests of one target group, but deployment\.strategy is LINEAR/);
  });
});
