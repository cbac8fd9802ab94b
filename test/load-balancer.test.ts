import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { CERTIFICATE_ARN, logicalId, synth, Synthesized } from './util';

describe('the load balancer', () => {
  let synthesized: Synthesized;
  let pyFidoTg: string;
  let tomcatTg: string;
  beforeAll(() => {
    synthesized = synth();
    pyFidoTg = logicalId(synthesized.template, 'AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 5001 });
    tomcatTg = logicalId(synthesized.template, 'AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080 });
  });

  test('is one internet-facing application load balancer', () => {
    synthesized.template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
  });

  test.each([
    [443, 'tomcat'],
    [5001, 'pyfido'],
    [8080, 'tomcat'],
  ])('listens with HTTPS on %d and forwards to %s, with the certificate and a TLS 1.3 policy', (port, target) => {
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: port,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: target === 'pyfido' ? pyFidoTg : tomcatTg } }],
    });
  });

  test('has exactly the three listeners of the guide', () => {
    synthesized.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 3);
  });

  test('checks PyFIDO on /health, healthy after 2 checks 30 s apart', () => {
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 5001,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
  });

  test('checks Tomcat on /, healthy after 2 checks 30 s apart, accepting redirects', () => {
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200-399' },
    });
  });

  test('registers each service\'s container in its own target group', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'pyfido', ContainerPort: 5001, TargetGroupArn: { Ref: pyFidoTg } }],
    });
    synthesized.template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'tomcat', ContainerPort: 8080, TargetGroupArn: { Ref: tomcatTg } }],
    });
  });
});

describe('health check and target overrides', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth({
      services: {
        pyFido: {
          healthCheck: { path: '/status', interval: Duration.seconds(10), timeout: Duration.seconds(5), unhealthyThresholdCount: 3 },
          deregistrationDelay: Duration.seconds(120),
          targetProtocol: elbv2.ApplicationProtocol.HTTPS,
        },
        tomcat: { healthCheck: { healthyHttpCodes: '200', healthyThresholdCount: 3 }, healthCheckGracePeriod: Duration.seconds(120) },
      },
    });
  });

  test('merge over the defaults per service', () => {
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 5001,
      Protocol: 'HTTPS',
      HealthCheckPath: '/status',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '120' }]),
    });
    synthesized.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
    });
  });

  test('set the grace period of the service', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [Match.objectLike({ ContainerName: 'tomcat' })],
      HealthCheckGracePeriodSeconds: 120,
    });
  });
});
