import { CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment, MongoDbConnection } from '../src';
import { baseProps, containerDefinition, ENV, GIVEN_VPC, givenVpc, importsStack, once, synth, synthError, testApp, warningMessages } from './util';

// The apps users really write, and what broke in them: CloudFormation parameters, imported VPCs,
// mixed-case domains, JavaScript callers without a compiler, prod data on delete.

type Overrides = Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>);

const numberParameter = (scope: Construct, id: string) => new CfnParameter(scope, id, { type: 'Number' }).valueAsNumber;
const stringParameter = (scope: Construct, id: string) => new CfnParameter(scope, id).valueAsString;
const zone = (scope: Construct) => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z1', zoneName: 'example.com' });
const { vpcId: VPC_ID, publicSubnetIds: PUBLIC, privateSubnetIds: PRIVATE } = GIVEN_VPC;
const importedVpc = givenVpc;

/**
 * Whether `value` references the CloudFormation parameter `name` of another stack, however the
 * app's flags carry it there (an export and Fn::ImportValue, or a published output).
 */
const references = (value: unknown, name: string) => new RegExp(`OutputRef${name}[0-9A-F]{8}`).test(JSON.stringify(value));

/** The one gathered error of `overrides`, which must name each of `expected`. */
function expectGathered(overrides: Overrides, ...expected: RegExp[]): string {
  const message = synthError(overrides);
  expect(message).toMatch(/^ArculusFidoDeployment 'Fido\/Fido' has \d+ problems? in its props:\n/);
  for (const e of expected) {
    expect(message).toMatch(e);
  }
  return message!;
}

/**
 * Dev with a parameter for PyFIDO's task bound and one for the domain in a hosted zone, and health
 * checks given in part: options of separate resources (the scaler, the alias record, the target groups).
 */
const devParameters = once(() => synth((scope) => {
  const maybe = (value?: string) => value;
  return {
    sizing: { pyFido: { maxCapacity: numberParameter(scope, 'Max') } },
    domain: { domainName: stringParameter(scope, 'Domain'), hostedZone: zone(scope) },
    services: {
      pyFido: { healthCheck: { path: maybe(), interval: Duration.seconds(20) } },
      tomcat: { healthCheck: { healthyHttpCodes: maybe(), healthyThresholdCount: undefined } },
    },
  };
}));

/**
 * Prod with parameters for the image tag, the MongoDB endpoint and the WAF rate limit, and PyFIDO
 * bounded at 4..12 tasks: the bounds reach the scaler alone.
 */
const prodParameters = once(() => synth((scope) => ({
  deploymentEnvironment: DeploymentEnvironment.PROD,
  images: { tag: stringParameter(scope, 'Tag') },
  mongoDb: MongoDbConnection.fromEndpoint({ host: stringParameter(scope, 'Host'), username: 'fido', port: numberParameter(scope, 'Port') }),
  waf: { rateLimit: numberParameter(scope, 'Rate') },
  sizing: { pyFido: { minCapacity: 4, maxCapacity: 12 } },
})));

describe('CloudFormation parameters', () => {
  test('are carried into the template where they belong: task bounds turn the scaler on', () => {
    const { template } = devParameters();
    const [target] = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')) as any[];
    expect(target.Properties.MinCapacity).toBe(1);
    expect(references(target.Properties.MaxCapacity, 'Max')).toBe(true);
  });

  test('are carried into the alias record as a fully qualified name, never appended to the zone', () => {
    const { template } = devParameters();
    const [record] = Object.values(template.findResources('AWS::Route53::RecordSet')) as any[];
    expect(record.Properties.Name).toEqual({ 'Fn::Join': ['', [expect.anything(), '.']] });
    expect(references(record.Properties.Name, 'Domain')).toBe(true);
  });

  test('are carried into the MongoDB secret and the WAF rule', () => {
    const { template } = prodParameters();
    for (const name of ['Tag', 'Host', 'Port', 'Rate']) {
      expect(references(template.toJSON(), name)).toBe(true);
    }
  });

  test('are never dropped: each one given where a token belongs is referenced by the template', () => {
    const app = testApp();
    const parameters = importsStack(app, 'Parameters');
    const number = (id: string) => numberParameter(parameters, id);
    const list = (id: string) => new CfnParameter(parameters, id, { type: 'List<AWS::EC2::Subnet::Id>' }).valueAsList;
    const stack = new ArculusFidoStack(app, 'Fido', {
      env: ENV,
      ...baseProps(parameters),
      network: {
        // A VPC wholly from parameters: its AZs and subnets are known at deploy time only.
        vpc: ec2.Vpc.fromVpcAttributes(parameters, 'Vpc', {
          vpcId: stringParameter(parameters, 'VpcId'), availabilityZones: Fn.getAzs(), publicSubnetIds: list('Public'), privateSubnetIds: list('Private'),
        }),
        allowedIngress: [ec2.Peer.ipv4(stringParameter(parameters, 'Cidr'))],
      },
      sizing: { pyFido: { cpu: number('Cpu'), memoryLimitMiB: number('Memory'), desiredCount: number('Desired'), targetCpuUtilizationPercent: number('Target') } },
      logging: { retention: number('Retention') },
      services: { pyFido: { healthCheck: { interval: Duration.seconds(number('Interval')) }, environment: { FEATURE: stringParameter(parameters, 'Feature') } } },
    });
    const template = Template.fromStack(stack).toJSON();
    const given = Object.keys(Template.fromStack(parameters).toJSON().Parameters).filter((p) => p !== 'BootstrapVersion');
    expect(given).toHaveLength(11);
    expect(given.filter((p) => !references(template, p))).toEqual([]);
  });

  test('are refused, with the reason, where the value must be known at synth', () => {
    expectGathered((scope) => ({
      deploymentEnvironment: stringParameter(scope, 'Env') as DeploymentEnvironment,
      applicationName: stringParameter(scope, 'App'),
      network: { natGateways: numberParameter(scope, 'Nat') },
      mongoDb: MongoDbConnection.documentDb({ instances: numberParameter(scope, 'Instances') }),
    }),
    /- deploymentEnvironment: cannot be a token .*, because it picks the preset/,
    /- applicationName: cannot be a token .*, because the cluster, log group, alarm and repository names are built from it/,
    /- network\.natGateways: cannot be a token .*, because a created VPC gets one NAT gateway resource per count/,
    /- mongoDb\.instances: cannot be a token .*, because a DocumentDB cluster is written with one instance resource per count/);
  });
});

describe('a mixed-case domain', () => {
  test('is lowercased for the alias record, the certificate, the endpoints and the containers', () => {
    const { stack, template } = synth((scope) => ({ domain: { domainName: 'Auth.Example.COM', hostedZone: zone(scope) } }));
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'auth.example.com.' });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'auth.example.com' });
    expect(stack.deployment.pyFidoEndpoint).toBe('https://auth.example.com:5001');
    const env = containerDefinition(template, 'tomcat').Environment;
    expect(env).toContainEqual({ Name: 'PYFIDO_URL', Value: 'https://auth.example.com:5001' });
  });

  test('may end in the root\'s dot, which names the same domain', () => {
    const { template } = synth((scope) => ({ domain: { domainName: 'auth.example.com.', hostedZone: zone(scope) } }));
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'auth.example.com.' });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'auth.example.com' });
  });

  test('longer than ACM takes needs a certificate of its own', () => {
    const domainName = `${'a'.repeat(60)}.example.com`;
    expectGathered((scope) => ({ domain: { domainName, hostedZone: zone(scope) } }),
      /- domain\.domainName: is 72 characters long, but ACM certificates take at most 64/);
  });
});

describe('an imported VPC', () => {
  test('puts the load balancer in the public subnets it is given', () => {
    const { template } = synth((scope) => ({
      network: { vpc: importedVpc(scope), publicSubnets: { subnets: PUBLIC.map((subnetId, i) => ec2.Subnet.fromSubnetAttributes(scope, `P${i}`, { subnetId, availabilityZone: `us-east-1${'ab'[i]}` })) } },
    }));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: PUBLIC });
  });

  test('refuses a list of subnet IDs where a selection goes (a JavaScript caller\'s mistake)', () => {
    expectGathered((scope) => ({ network: { vpc: importedVpc(scope), publicSubnets: PUBLIC as any } }),
      /- network\.publicSubnets: must be an ec2\.SubnetSelection object .*not a list of subnet IDs.*got a list/);
  });

  test('refuses one Availability Zone', () => {
    expectGathered((scope) => ({ network: { vpc: importedVpc(scope, ['us-east-1a']) } }),
      /- network\.vpc: spans 1 Availability Zone\(s\) \(us-east-1a\), but an Application Load Balancer needs subnets in at least two/);
  });

  test('refuses private subnets for the load balancer, public ones for the tasks, and subnets of another VPC', () => {
    expectGathered((scope) => ({
      network: {
        vpc: importedVpc(scope),
        publicSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        privateSubnets: { subnets: [ec2.Subnet.fromSubnetId(scope, 'A', PUBLIC[0]), ec2.Subnet.fromSubnetId(scope, 'B', 'subnet-0000000000000009f')] },
      },
    }),
    new RegExp(`- network\\.publicSubnets: ${PRIVATE[0]} is a private subnet of network\\.vpc, but the internet-facing load balancer needs public subnets`),
    new RegExp(`- network\\.privateSubnets: ${PUBLIC[0]} is a public subnet of network\\.vpc, but the tasks get no public IP`),
    new RegExp(`- network\\.privateSubnets: subnet-0000000000000009f is not a subnet of network\\.vpc \\(${VPC_ID}\\)`));
  });

  test('refuses options that only apply to a created VPC, and the other way round', () => {
    expectGathered((scope) => ({ network: { vpc: importedVpc(scope), natGateways: 2 } }),
      /- network\.natGateways: only applies to a VPC the deployment creates, but network\.vpc is given/);
    expectGathered({ network: { publicSubnets: { subnetType: ec2.SubnetType.PUBLIC } } },
      /- network\.publicSubnets: only applies to a VPC you give in network\.vpc/);
  });
});

describe('defaults', () => {
  test('adapt to the bounds the user gave: prod with 4..12 PyFIDO tasks starts at 4', () => {
    const { template } = prodParameters();
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 4, MaxCapacity: 12 });
  });

  test('adapt to a lower maximum: prod capped at 2 runs 2 tasks without a scaler', () => {
    const { template } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1' }, sizing: { pyFido: { maxCapacity: 2 }, tomcat: { maxCapacity: 2 } } });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.allResourcesProperties('AWS::ECS::Service', { DesiredCount: 2 });
  });

  test('hold where a health check field is given as undefined, as where it is left out', () => {
    const { template } = devParameters();
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 5001, HealthCheckPath: '/health', Matcher: { HttpCode: '200' }, HealthCheckIntervalSeconds: 20, HealthyThresholdCount: 2,
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080, HealthCheckPath: '/', Matcher: { HttpCode: '200-399' }, HealthyThresholdCount: 2,
    });
  });

  test('leave only two values the user gave to conflict', () => {
    expectGathered({ sizing: { pyFido: { minCapacity: 5, maxCapacity: 3 } } },
      /- sizing\.pyFido\.maxCapacity: must be at least minCapacity \(5\), got 3; raise maxCapacity or lower minCapacity/);
  });
});

describe('a JavaScript caller without a compiler', () => {
  test.each([
    ['a plain object for the VPC', { network: { vpc: { vpcId: 'vpc-1' } } }, /- network\.vpc: must be an ec2\.IVpc.*got a plain object/],
    ['a number for a Duration', { services: { pyFido: { deregistrationDelay: 30 } } }, /- services\.pyFido\.deregistrationDelay: must be a Duration such as Duration\.seconds\(30\), got 30/],
    ['a number for an environment value', { services: { tomcat: { environment: { PORT: 8080 } } } }, /- services\.tomcat\.environment\.PORT: must be a string, got 8080/],
    ['a string for a number', { sizing: { pyFido: { cpu: '512' } } }, /- sizing\.pyFido\.cpu: must be a number, got '512'/],
    ['a misspelt prop', { sizing: { pyFido: { desiredcount: 2 } } }, /- sizing\.pyFido\.desiredcount: is not a prop of ServiceSizing, so it would be ignored; did you mean desiredCount\?/],
    ['a plain object for the MongoDB connection', { mongoDb: { host: 'db' } }, /- mongoDb: must be a MongoDbConnection/],
    ['a string for the domain', { domain: 'auth.example.com' }, /- domain: must be a DomainOptions object, got 'auth\.example\.com'/],
    ['a string for the image', { images: { pyFido: 'nginx:1' } }, /- images\.pyFido: must be an ecs\.ContainerImage/],
    ['a string for a boolean', { nestedStacks: 'yes' }, /- nestedStacks: must be true or false, got 'yes'/],
    ['null in a list, which must not widen it to the default', { network: { allowedIngress: [null] } }, /- network\.allowedIngress\[0\]: must be an ec2\.IPeer .*, got null/],
    ['one peer where a list goes', { network: { allowedIngress: ec2.Peer.anyIpv4() } }, /- network\.allowedIngress: must be a list, each item an ec2\.IPeer/],
  ])('gets the gathered error for %s, never a TypeError', (_what, overrides, expected) => {
    expectGathered(overrides as any, expected);
  });

  test('has the aws-cdk-lib objects it passes taken as they are, those imported outside any stack too', () => {
    // The type checks duck-type an object by its methods: a getter, such as an ARN formatted from
    // the stack, would throw for a hosted zone imported in the app's scope (as the integ tests do).
    const app = testApp();
    const appZone = route53.HostedZone.fromHostedZoneAttributes(app, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'example.com' });
    const stack = new ArculusFidoStack(app, 'Fido', { env: ENV, ...baseProps(importsStack(app)), domain: { domainName: 'auth.example.com', hostedZone: appZone } });
    expect(stack.deployment.certificate).toBeDefined();
  });

  test('gets the gathered error for a negative retention, not a Duration error from deep inside', () => {
    expectGathered({ logging: { retention: -1 as any } }, /- logging\.retention: must be a period CloudWatch Logs accepts/);
  });

  test('gets both a wrong CPU size and a memory no size takes named in one pass', () => {
    expectGathered({ sizing: { pyFido: { cpu: -256, memoryLimitMiB: 99999 } } },
      /- sizing\.pyFido\.cpu: Fargate takes 256, 512/, /- sizing\.pyFido\.memoryLimitMiB: Fargate takes 512 to 122880 MiB/);
  });

  test('gets the gathered error for a plain-text password and a numeric host', () => {
    expectGathered({ mongoDb: MongoDbConnection.fromEndpoint({ host: 5, username: 'fido', password: 'hunter2' } as any) },
      /- mongoDb\.host: must be a string, got 5/,
      /- mongoDb\.password: must be a SecretValue/);
  });
});

describe('options that would be ignored', () => {
  test.each([
    ['images.tag beside both images', { images: { tag: '1', pyFido: ecs.ContainerImage.fromRegistry('a'), tomcat: ecs.ContainerImage.fromRegistry('b') } }, /- images\.tag: only applies to the default ECR images/],
    ['a rate limit without the web ACL', { waf: { enabled: false, rateLimit: 100 } }, /- waf\.rateLimit: only applies with a web ACL/],
    ['an access log prefix with access logs off', { loadBalancer: { accessLogs: false, accessLogsPrefix: 'x' } }, /- loadBalancer\.accessLogs: is false, so accessLogsBucket and accessLogsPrefix would be ignored/],
  ])('are refused: %s', (_what, overrides, expected) => {
    expectGathered(overrides, expected);
  });
});

describe('regions', () => {
  test('a certificate or key of another region is refused', () => {
    expectGathered((scope) => ({
      domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(scope, 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/x') },
      logging: { encryptionKey: kms.Key.fromKeyArn(scope, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/x') },
    }),
    /- domain\.certificate: is in eu-west-1, but the stack deploys to us-east-1/,
    /- logging\.encryptionKey: is in eu-west-1, but the stack deploys to us-east-1/);
  });

  test('are checked in the same pass as every other prop: one error names them all', () => {
    expectGathered((scope) => ({
      sizing: { pyFido: { cpu: 300 } },
      domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(scope, 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/x') },
    }), /has 2 problems/, /- sizing\.pyFido\.cpu: Fargate takes/, /- domain\.certificate: is in eu-west-1/);
  });

  test('a malformed certificate ARN is refused, not thrown from deep inside', () => {
    expectGathered((scope) => ({ domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(scope, 'C', 'not-an-arn') } }),
      /- domain\.certificate: has the ARN 'not-an-arn', which is not an ARN/);
  });
});

describe('names', () => {
  test('two deployments with the same names in one stack are refused', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shared', { env: ENV });
    const { ArculusFidoDeployment } = jest.requireActual('../src');
    new ArculusFidoDeployment(stack, 'First', baseProps(stack));
    expect(() => new ArculusFidoDeployment(stack, 'Second', { ...baseProps(new Construct(stack, 'Imports')) }))
      .toThrow(/- applicationName: the names of 'arculus-auth-dev' \(cluster, log groups, alarms\) are those of the deployment 'Shared\/First' in the same stack/);
  });

  test('an ECS cluster of the app\'s own with the deployment\'s cluster name is refused too', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shared', { env: ENV });
    new ecs.CfnCluster(stack, 'Theirs', { clusterName: 'arculus-auth-dev' });
    const { ArculusFidoDeployment } = jest.requireActual('../src');
    expect(() => new ArculusFidoDeployment(stack, 'Fido', baseProps(stack)))
      .toThrow(/- applicationName: the ECS cluster name 'arculus-auth-dev' is that of the cluster 'Shared\/Theirs' in the same stack/);
  });

  test('two deployments with the same names in stacks that may share an account and region are warned about', () => {
    const app = testApp();
    const first = new ArculusFidoStack(app, 'First', { env: ENV, ...baseProps(importsStack(app, 'I1')) });
    const second = new ArculusFidoStack(app, 'Second', { env: ENV, ...baseProps(importsStack(app, 'I2')) });
    expect(warningMessages(second).filter((w) => /are those of the deployment 'First\/Fido'/.test(w))).toHaveLength(1);
    expect(warningMessages(first).filter((w) => /are those of/.test(w))).toHaveLength(0);
  });
});

describe('prod data on delete', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synth({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1' },
      mongoDb: MongoDbConnection.documentDb(),
      encryption: { customerManagedKey: true },
    }));
  });

  test('keeps every secret, DocumentDB\'s master secret included, and every key, log group and bucket', () => {
    for (const type of ['AWS::SecretsManager::Secret', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::S3::Bucket']) {
      const resources = Object.values(template.findResources(type)) as any[];
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.map((r) => [r.DeletionPolicy, r.UpdateReplacePolicy])).toEqual(resources.map(() => ['Retain', 'Retain']));
    }
  });

  test('snapshots the DocumentDB cluster', () => {
    expect((Object.values(template.findResources('AWS::DocDB::DBCluster'))[0] as any).DeletionPolicy).toBe('Snapshot');
  });
});

describe('a KMS key shared from another stack', () => {
  test('encrypts the logs and secrets without a cycle between the stacks', () => {
    const app = testApp();
    const keys = new Stack(app, 'Keys', { env: ENV });
    const key = new kms.Key(keys, 'Key');
    const bucketStack = new Stack(app, 'Logs', { env: ENV });
    const bucket = new s3.Bucket(bucketStack, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const stack = new ArculusFidoStack(app, 'Fido', {
      env: ENV,
      ...baseProps(keys),
      mongoDb: MongoDbConnection.documentDb(),
      logging: { encryptionKey: key },
      secrets: { encryptionKey: key },
      loadBalancer: { accessLogsBucket: bucket },
    });
    expect(() => app.synth()).not.toThrow();
    expect(stack.dependencies.map((s) => s.stackName).sort()).toEqual(['Keys', 'Logs']);
    expect(keys.dependencies).toEqual([]);
    // The execution roles may decrypt the secrets through their own policies.
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policies).toMatch(/"kms:Decrypt"/);
    expect(policies).toMatch(/OutputFnGetAttKey[0-9A-F]+Arn/);
  });
});

describe('existing secrets of another stack, encrypted with that stack\'s key', () => {
  test('are read without a cycle, the execution roles decrypting through Secrets Manager only', () => {
    const app = testApp();
    const database = new Stack(app, 'Database', { env: ENV });
    const key = new kms.Key(database, 'Key');
    const stack = new ArculusFidoStack(app, 'Fido', {
      env: ENV,
      ...baseProps(database),
      mongoDb: MongoDbConnection.fromSecret(new secretsmanager.Secret(database, 'Mongo', { encryptionKey: key })),
      secrets: { applicationSecret: new secretsmanager.Secret(database, 'App', { encryptionKey: key }) },
      nestedStacks: true,
    });
    expect(() => app.synth()).not.toThrow();
    expect(database.dependencies).toEqual([]);
    const services = Template.fromStack(stack.node.findChild('Fido').node.findChild('ServicesStack') as Stack);
    services.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
        })]),
      },
    });
  });
});
