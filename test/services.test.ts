import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { DeploymentEnvironment } from '../src';
import { containerDefinition, joined, logicalId, once, partition, synth, Synthesized, warnings } from './util';

const prodPinned = once(() => synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } }));

/** Dev with PyFIDO on ARM64 and on-demand Fargate, and Tomcat with a longer stop timeout and a plain variable that looks like a secret. */
const devLevers = once(() => synth({
  sizing: { pyFido: { spot: false, cpuArchitecture: ecs.CpuArchitecture.ARM64 } },
  services: { tomcat: { stopTimeout: Duration.seconds(60), environment: { SMTP_PASSWORD: 'hunter2', LOG_LEVEL: 'info' } } },
}));

describe('the services', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth();
  });

  test('are two Fargate services in a cluster with Container Insights', () => {
    synthesized.template.resourceCountIs('AWS::ECS::Service', 2);
    // Dev runs on Fargate Spot (see 'running cost levers').
    synthesized.template.allResourcesProperties('AWS::ECS::Service', {
      LaunchType: Match.absent(),
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
    });
    synthesized.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'arculus-auth-dev',
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('roll out with zero downtime and roll back a failing deployment', () => {
    synthesized.template.allResourcesProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  test.each([
    ['pyfido', 5001],
    ['tomcat', 8080],
  ])('run %s on port %d from the default ECR repository at latest', (name, port) => {
    const container = containerDefinition(synthesized.template, name);
    expect(container.PortMappings).toEqual([expect.objectContaining({ ContainerPort: port, Protocol: 'tcp' })]);
    expect(JSON.stringify(container.Image)).toContain(`arculus-auth/${name}:latest`);
    expect(container.Essential).toBe(true);
    expect(container.Privileged).toBe(false);
    expect(container.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: expect.objectContaining({ 'awslogs-stream-prefix': name }),
    });
  });

  test('give the containers their environment and domain', () => {
    const env = (name: string) => Object.fromEntries(containerDefinition(synthesized.template, name).Environment.map((e: any) => [e.Name, e.Value]));
    // The application secret's ARN, which is no secret: the task role reads keys from it at run time.
    const applicationSecretArn = { Ref: logicalId(synthesized.template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('application secret') }) };
    expect(env('pyfido')).toEqual({ ENVIRONMENT: 'dev', DOMAIN_NAME: 'auth.example.com', APPLICATION_SECRET_ARN: applicationSecretArn });
    expect(env('tomcat')).toEqual({
      ENVIRONMENT: 'dev',
      DOMAIN_NAME: 'auth.example.com',
      APPLICATION_SECRET_ARN: applicationSecretArn,
      // For browsers, and for the portal's own calls inside the VPC (Service Connect).
      PYFIDO_URL: 'https://auth.example.com:5001',
      PYFIDO_INTERNAL_URL: 'http://pyfido:5001',
    });
  });

  test('let the execution role pull the default images', () => {
    synthesized.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['ecr:BatchGetImage']),
          Resource: joined('arn:', partition(), ':ecr:us-east-1:111111111111:repository/arculus-auth/pyfido'),
        })]),
      },
    });
  });
});

describe('images and extra settings', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth((scope) => ({
      applicationName: 'acme-fido',
      images: { pyFido: ecs.ContainerImage.fromRegistry('public.ecr.aws/acme/pyfido:2.0.0'), tag: 'v1.4.2' },
      services: {
        pyFido: {
          environment: { LOG_LEVEL: 'debug', ENVIRONMENT: 'dev-blue' },
          secrets: {
            SMTP_PASSWORD: ecs.Secret.fromSecretsManager(
              secretsmanager.Secret.fromSecretCompleteArn(scope, 'Smtp', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:smtp-AbCdEf')),
          },
        },
      },
    }));
  });

  test('any container image replaces the default, and the tag applies to the other', () => {
    expect(containerDefinition(synthesized.template, 'pyfido').Image).toBe('public.ecr.aws/acme/pyfido:2.0.0');
    expect(JSON.stringify(containerDefinition(synthesized.template, 'tomcat').Image)).toContain('acme-fido/tomcat:v1.4.2');
  });

  test('extra environment variables are added, and override the deployment\'s', () => {
    const env = containerDefinition(synthesized.template, 'pyfido').Environment;
    expect(env).toEqual(expect.arrayContaining([{ Name: 'LOG_LEVEL', Value: 'debug' }, { Name: 'ENVIRONMENT', Value: 'dev-blue' }]));
    expect(env.filter((e: any) => e.Name === 'ENVIRONMENT')).toHaveLength(1);
  });

  test('extra secrets are added to the deployment\'s', () => {
    const names = containerDefinition(synthesized.template, 'pyfido').Secrets.map((s: any) => s.Name).sort();
    expect(names).toEqual(['JWT_SECRET', 'JWT_SECRET_PREVIOUS', 'MONGODB_HOST', 'MONGODB_PASSWORD', 'MONGODB_PORT', 'MONGODB_USERNAME', 'SMTP_PASSWORD']);
  });

  test('the application name prefixes the cluster and log groups', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'acme-fido-dev' });
    synthesized.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ecs/acme-fido/dev/pyfido' });
  });
});

describe('warnings', () => {
  test('a prod deployment of the latest tag is warned about', () => {
    const { stack } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD });
    const found = warnings(stack, 'arculus-fido:mutable-image-tag');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/images\.tag is 'latest' in prod/);
  });

  test('a pinned tag in prod, or latest in dev, is not', () => {
    expect(warnings(prodPinned().stack, 'arculus-fido:mutable-image-tag')).toEqual([]);
    expect(warnings(synth().stack, 'arculus-fido:mutable-image-tag')).toEqual([]);
  });

  test('a plain environment variable that looks like a secret is warned about', () => {
    const { stack } = devLevers();
    const found = warnings(stack, 'arculus-fido:secret-in-environment');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/services\.tomcat\.environment\.SMTP_PASSWORD looks like a secret/);
  });
});

describe('running cost and rollout levers', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth();
    prod = prodPinned();
  });

  test('dev runs on Fargate Spot through the cluster\'s capacity providers; prod on on-demand Fargate', () => {
    dev.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    });
    prod.template.allResourcesProperties('AWS::ECS::Service', { LaunchType: 'FARGATE', CapacityProviderStrategy: Match.absent() });
    prod.template.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 0);
  });

  test('tasks run on x86_64 Linux, drain for 30 s and get 30 s to stop', () => {
    for (const template of [dev.template, prod.template]) {
      template.allResourcesProperties('AWS::ECS::TaskDefinition', {
        RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      });
      template.allResourcesProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
      for (const name of ['pyfido', 'tomcat']) {
        expect(containerDefinition(template, name).StopTimeout).toBe(30);
      }
    }
  });

  test('Spot and ARM64 are overridable per service', () => {
    const { template } = devLevers();
    expect(containerDefinition(template, 'pyfido').taskDefinition.RuntimePlatform.CpuArchitecture).toBe('ARM64');
    expect(containerDefinition(template, 'tomcat').StopTimeout).toBe(60);
    template.resourcePropertiesCountIs('AWS::ECS::Service', { LaunchType: 'FARGATE' }, 1);
    template.resourcePropertiesCountIs('AWS::ECS::Service', { CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] }, 1);
  });
});

describe('ECS Exec, opted into for one service', () => {
  let template: Template;
  let plain: Template;
  beforeAll(() => {
    template = synth({ services: { tomcat: { enableExecuteCommand: true } }, encryption: { customerManagedKey: true } }).template;
    plain = synth().template;
  });

  test('is on for that service only', () => {
    const services = template.findResources('AWS::ECS::Service');
    const byContainer = Object.fromEntries(Object.values(services).map((s: any) => [s.Properties.LoadBalancers[0].ContainerName, s.Properties]));
    expect(byContainer.tomcat.EnableExecuteCommand).toBe(true);
    expect(byContainer.pyfido.EnableExecuteCommand).toBeUndefined();
  });

  test('logs every session to the deployment\'s exec log group, encrypted with its key, and encrypts the sessions', () => {
    const key = logicalId(template, 'AWS::KMS::Key');
    const logGroup = logicalId(template, 'AWS::Logs::LogGroup', { LogGroupName: '/ecs/arculus-auth/dev/exec' });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/ecs/arculus-auth/dev/exec', RetentionInDays: 7, KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    });
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: { Ref: logGroup } },
        },
      },
    });
  });

  test('lets only that service\'s task role open the session channel', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('ssmmessages:CreateControlChannel'));
    expect(policies).toHaveLength(1);
    expect(JSON.stringify((policies[0] as any).Properties.Roles)).toMatch(/TomcatTaskDefinitionTaskRole/);
  });

  test('without it, the cluster has no exec configuration and no exec log group', () => {
    expect(JSON.stringify(plain.findResources('AWS::ECS::Cluster'))).not.toContain('ExecuteCommandConfiguration');
    plain.resourcePropertiesCountIs('AWS::Logs::LogGroup', { LogGroupName: '/ecs/arculus-auth/dev/exec' }, 0);
  });
});
