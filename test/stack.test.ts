import { NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ArculusFidoDeployment, ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';
import { baseProps, ENV, importsStack, synth, Synthesized, testApp, withoutCliContext } from './util';

const SEED_OUTPUTS = ['LoadBalancerDNS', 'PyFidoEndpoint', 'TomcatEndpoint', 'ClusterName', 'MongoDBSecretArn'];

describe('the stack outputs', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth();
  });

  test('carry the guide\'s logical IDs', () => {
    const outputs = Object.keys(synthesized.template.toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(SEED_OUTPUTS));
  });

  test('give the load balancer DNS name, the endpoints, the cluster and the secret', () => {
    const { template, stack } = synthesized;
    const resolve = (v: unknown) => stack.resolve(v);
    template.hasOutput('LoadBalancerDNS', { Value: resolve(stack.deployment.loadBalancer.loadBalancer.loadBalancerDnsName) });
    // The former name of the attribute stays, deprecated, for code written against it.
    expect(stack.deployment.loadBalancing).toBe(stack.deployment.loadBalancer);
    template.hasOutput('PyFidoEndpoint', { Value: 'https://auth.example.com:5001' });
    template.hasOutput('TomcatEndpoint', { Value: 'https://auth.example.com' });
    template.hasOutput('ClusterName', { Value: resolve(stack.deployment.cluster.clusterName) });
    template.hasOutput('MongoDBSecretArn', { Value: resolve(stack.deployment.dataLayer.mongoDbSecret.secretArn) });
    template.hasOutput('PyFidoServiceName', { Value: resolve(stack.deployment.pyFido.service.serviceName) });
    template.hasOutput('TomcatLogGroupName', { Value: resolve(stack.deployment.tomcat.logGroup.logGroupName) });
  });

  test('the deployment exposes the endpoints as URLs', () => {
    expect(synthesized.stack.deployment.pyFidoEndpoint).toBe('https://auth.example.com:5001');
    expect(synthesized.stack.deployment.tomcatEndpoint).toBe('https://auth.example.com');
  });

  test('no DNS record or certificate is created without a hosted zone', () => {
    synthesized.template.resourceCountIs('AWS::Route53::RecordSet', 0);
    synthesized.template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });
});

describe('a hosted zone', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth((scope) => ({
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
      },
    }));
  });

  test('gets a DNS-validated certificate, used by every listener', () => {
    synthesized.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'auth.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'auth.example.com', HostedZoneId: 'Z123' }],
    });
    const certificate = Object.keys(synthesized.template.findResources('AWS::CertificateManager::Certificate'))[0];
    synthesized.template.allResourcesProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Certificates: [{ CertificateArn: { Ref: certificate } }],
    });
  });

  test('gets an alias A record pointing the domain at the load balancer', () => {
    synthesized.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'auth.example.com.',
      Type: 'A',
      HostedZoneId: 'Z123',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });
});

describe('nested stacks', () => {
  let parent: Template;
  let stack: ArculusFidoStack;
  const nested: Record<string, Template> = {};
  beforeAll(() => {
    const app = testApp();
    stack = new ArculusFidoStack(app, 'Fido', {
      env: ENV,
      deploymentEnvironment: DeploymentEnvironment.STAGING,
      domain: {
        domainName: 'auth.example.com',
        hostedZone: route53.HostedZone.fromHostedZoneAttributes(importsStack(app), 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' }),
      },
      mongoDb: MongoDbConnection.documentDb(),
      nestedStacks: true,
    });
    parent = Template.fromStack(stack);
    for (const id of ['NetworkStack', 'DataStack', 'ServicesStack']) {
      nested[id] = Template.fromStack(stack.deployment.node.findChild(id) as NestedStack);
    }
  });

  test('split the network, the data layer and the services into three nested stacks', () => {
    parent.resourceCountIs('AWS::CloudFormation::Stack', 3);
    expect(Object.keys(parent.toJSON().Resources).every((id) => parent.toJSON().Resources[id].Type === 'AWS::CloudFormation::Stack')).toBe(true);
  });

  test('put the VPC and security groups in the network stack', () => {
    nested.NetworkStack.resourceCountIs('AWS::EC2::VPC', 1);
    nested.NetworkStack.resourceCountIs('AWS::EC2::SecurityGroup', 2);
  });

  test('put the secrets and the database in the data stack', () => {
    nested.DataStack.resourceCountIs('AWS::SecretsManager::Secret', 2);
    nested.DataStack.resourceCountIs('AWS::DocDB::DBCluster', 1);
    nested.DataStack.resourceCountIs('AWS::EC2::VPC', 0);
  });

  test('put the cluster, services, load balancer, certificate and DNS in the services stack', () => {
    nested.ServicesStack.resourceCountIs('AWS::ECS::Cluster', 1);
    nested.ServicesStack.resourceCountIs('AWS::ECS::Service', 2);
    nested.ServicesStack.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    nested.ServicesStack.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 3);
    nested.ServicesStack.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    nested.ServicesStack.resourceCountIs('AWS::Route53::RecordSet', 1);
  });

  test('keep the guide\'s outputs on the parent stack', () => {
    expect(Object.keys(parent.toJSON().Outputs)).toEqual(expect.arrayContaining(SEED_OUTPUTS));
  });
});

describe('the deployment construct alone', () => {
  test('fits in any stack, with flat logical IDs under its construct ID', () => {
    const app = testApp();
    const stack = new Stack(app, 'Existing', { env: ENV });
    new ArculusFidoDeployment(stack, 'Auth', {
      deploymentEnvironment: DeploymentEnvironment.DEV,
      domain: { domainName: 'auth.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' }) },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido' }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Service', 2);
    expect(template.toJSON().Outputs).toBeUndefined();
    const ids = Object.keys(template.toJSON().Resources);
    // Besides CDK's own per-stack providers that close the VPC's default security group and empty
    // the access log bucket when it is deleted.
    const others = ids.filter((id) => !id.startsWith('Auth'));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((id) => !/^Custom(VpcRestrictDefaultSG|S3AutoDeleteObjects)CustomResourceProvider/.test(id))).toEqual([]);
    expect(ids).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AuthNetworkVpc[0-9A-F]{8}$/),
      expect.stringMatching(/^AuthCluster[0-9A-F]{8}$/),
      expect.stringMatching(/^AuthPyFidoService[0-9A-F]{8}$/),
      expect.stringMatching(/^AuthTomcatService[0-9A-F]{8}$/),
      expect.stringMatching(/^AuthLoadBalancer[0-9A-F]{8}$/),
      expect.stringMatching(/^AuthDataMongoDbSecret[0-9A-F]{8}$/),
    ]));
  });
});

describe('a project created with `cdk init`', () => {
  // Its cdk.json turns on every currently recommended feature flag; an older app has none.
  const resources = (context: Record<string, unknown>) => {
    const app = testApp({ context });
    const imports = importsStack(app);
    const stack = new ArculusFidoStack(app, 'Fido', { env: ENV, ...baseProps(imports, { deploymentEnvironment: DeploymentEnvironment.PROD }) });
    const template = Template.fromStack(stack).toJSON();
    return Object.fromEntries(Object.entries(template.Resources).map(([id, r]: [string, any]) => [id, r.Type]));
  };

  test('gets the same resources under the same logical IDs as an app without feature flags', () => {
    const withFlags = resources(cxapi.CURRENTLY_RECOMMENDED_FLAGS);
    expect(Object.keys(withFlags).length).toBeGreaterThan(50);
    expect(withFlags).toEqual(withoutCliContext(() => resources({})));
  });
});
