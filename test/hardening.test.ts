import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';
import { baseProps, containerDefinition, givenVpc, joined, logicalId, once, partition, synth, synthError, testApp, warnings } from './util';

/** The load balancer's attributes as a key -> value map. */
function albAttributes(template: Template): Record<string, string> {
  const alb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as any;
  return Object.fromEntries(alb.Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
}

const PROD = { deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } };

/**
 * The default dev template, and prod's with a created DocumentDB cluster: prod's defaults as its
 * key encrypts them, and its load balancer, WAF and access logs, which are the same with MongoDB Atlas.
 */
const defaultTemplates = once(() => ({
  dev: synth().template,
  prod: synth({ ...PROD, mongoDb: MongoDbConnection.documentDb() }).template,
}));

const staging = once(() => synth({ deploymentEnvironment: DeploymentEnvironment.STAGING }).template);

/** Prod with every load balancer option changed, and without WAF, which the load balancer options leave alone. */
const prodOptions = once(() => synth({
  ...PROD,
  network: { allowedIngress: [ec2.Peer.ipv4('198.51.100.0/24')] },
  loadBalancer: {
    redirectHttp: true,
    deletionProtection: false,
    sslPolicy: elbv2.SslPolicy.FIPS_TLS13_12_RES_PQ,
    desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
  },
  waf: { enabled: false },
}).template);

/**
 * Dev with options of separate concerns, which leave each other's resources alone: no access logs,
 * a read-only Tomcat root, PyFIDO without deployment alarms and no monitoring alarms, and a MongoDB
 * password by dynamic reference.
 */
const devOptions = once(() => synth({
  loadBalancer: { accessLogs: false },
  services: {
    tomcat: { readonlyRootFilesystem: true, writablePaths: ['/tmp', '/usr/local/tomcat/work'] },
    pyFido: { deploymentAlarms: false },
  },
  monitoring: { alarms: false },
  mongoDb: MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido', password: SecretValue.secretsManager('mongo-password') }),
}));

/** Dev with a created DocumentDB cluster, a customer-managed key, and WAF at 300 requests per client. */
const devHardened = once(() => synth({
  encryption: { customerManagedKey: true },
  mongoDb: MongoDbConnection.documentDb(),
  waf: { enabled: true, rateLimit: 300 },
}).template);

describe('the load balancer, by default', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    ({ dev, prod } = defaultTemplates());
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
    template = prodOptions();
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
    const template = staging();
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    const flowLogGroup = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => /FlowLog/.test(id));
    expect(flowLogGroup).toHaveLength(1);
    template.hasResourceProperties('AWS::EC2::FlowLog', { LogGroupName: { Ref: flowLogGroup[0][0] } });
    expect((flowLogGroup[0][1] as any).Properties.RetentionInDays).toBe(30);
  });

  test('are not added to a given VPC, which belongs to its owner', () => {
    const { template } = synth((scope) => ({
      network: { vpc: givenVpc(scope) },
    }));
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
  });
});

describe('ALB access logs, by default', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    ({ dev, prod } = defaultTemplates());
  });

  test('go to a bucket under the prefix alb', () => {
    const bucket = logicalId(dev, 'AWS::S3::Bucket');
    expect(albAttributes(dev)).toEqual(expect.objectContaining({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': { Ref: bucket },
      'access_logs.s3.prefix': 'alb',
    }));
  });

  test('land in a versioned bucket that blocks public access and encrypts with SSE-S3; prod retains it', () => {
    const hardened = Match.objectLike({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    prod.hasResource('AWS::S3::Bucket', { Properties: hardened, DeletionPolicy: 'Retain' });
    // Nothing empties the prod bucket.
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('in dev, leave nothing behind: the bucket is emptied and deleted with the stack', () => {
    dev.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    dev.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: logicalId(dev, 'AWS::S3::Bucket') } });
  });

  test('refuse requests without TLS', () => {
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('expire with the environment\'s log retention', () => {
    const expiry = (template: Template) => (Object.values(template.findResources('AWS::S3::Bucket'))[0] as any)
      .Properties.LifecycleConfiguration.Rules[0].ExpirationInDays;
    expect(expiry(dev)).toBe(7);
    expect(expiry(prod)).toBe(90);
    // Overwritten or deleted logs stay recoverable as long, then go.
    const noncurrent = (template: Template) => (Object.values(template.findResources('AWS::S3::Bucket'))[0] as any)
      .Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays;
    expect(noncurrent(dev)).toBe(7);
    expect(noncurrent(prod)).toBe(90);
  });
});

describe('ALB access logs, by choice', () => {
  test('turn off with loadBalancer.accessLogs: false', () => {
    const { template } = devOptions();
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(albAttributes(template)['access_logs.s3.enabled']).toBeUndefined();
  });

  test('need a concrete region, and say so on a region-agnostic stack', () => {
    const app = testApp();
    expect(() => new ArculusFidoStack(app, 'Fido', baseProps(new Stack(app, 'Imports1')))).toThrow(
      "loadBalancer.accessLogs: is on, but the stack is region-agnostic and ALB access logging needs a concrete region (the bucket policy names the region's log delivery); set env: { account, region } on the stack, or loadBalancer.accessLogs: false");
    expect(() => new ArculusFidoStack(app, 'NoLogs', baseProps(new Stack(app, 'Imports2'), { loadBalancer: { accessLogs: false } }))).not.toThrow();
  });
});

describe('AWS WAF', () => {
  let prod: Template;
  beforeAll(() => {
    prod = defaultTemplates().prod;
  });

  test('guards the prod load balancer with the managed rule groups after a per-IP rate limit', () => {
    const webAcl = logicalId(prod, 'AWS::WAFv2::WebACL', { Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    const rules = prod.toJSON().Resources[webAcl].Properties.Rules;
    expect(rules.map((r: any) => [r.Priority, r.Name])).toEqual([
      [0, 'RateLimitPerClientIp'],
      [1, 'AWSManagedRulesAmazonIpReputationList'],
      [2, 'AWSManagedRulesKnownBadInputsRuleSet'],
      [3, 'AWSManagedRulesCommonRuleSet'],
    ]);
    expect(rules[0]).toEqual(expect.objectContaining({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
    }));
    for (const rule of rules.slice(1)) {
      expect(rule.Statement.ManagedRuleGroupStatement.VendorName).toBe('AWS');
      expect(rule.OverrideAction).toEqual({ None: {} });
    }
    prod.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [webAcl, 'Arn'] },
      ResourceArn: { Ref: logicalId(prod, 'AWS::ElasticLoadBalancingV2::LoadBalancer') },
    });
  });

  test('logs requests with credentials and cookies redacted, to an aws-waf-logs- group', () => {
    prod.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-arculus-auth-prod', RetentionInDays: 90 });
    prod.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
      // The group's ARN without the ':*' suffix, which WAF refuses.
      LogDestinationConfigs: [
        joined('arn:', partition(), ':logs:us-east-1:111111111111:log-group:', { Ref: logicalId(prod, 'AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-arculus-auth-prod' }) }),
      ],
    });
  });

  test('is opt-in outside prod, with a configurable rate limit, and opt-out in prod', () => {
    defaultTemplates().dev.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const dev = devHardened();
    dev.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 300 }) } })]),
    });
    prodOptions().resourceCountIs('AWS::WAFv2::WebACL', 0);
  });
});

describe('the tasks, by default', () => {
  let template: Template;
  beforeAll(() => {
    template = defaultTemplates().dev;
  });

  test('are not privileged and keep a writable root file system (stock Tomcat writes to it)', () => {
    for (const name of ['pyfido', 'tomcat']) {
      const container = containerDefinition(template, name);
      expect(container.Privileged).toBe(false);
      expect(container.ReadonlyRootFilesystem).toBe(false);
    }
  });

  test('roll a deployment back when its target 5xx or unhealthy-host alarm goes off', () => {
    for (const [name, service] of [['pyfido', 'PyFido'], ['tomcat', 'Tomcat']]) {
      const alarms = [`arculus-auth-dev-${name}-target-5xx`, `arculus-auth-dev-${name}-unhealthy-hosts`];
      const serviceId = logicalId(template, 'AWS::ECS::Service', { ServiceName: Match.absent(), TaskDefinition: { Ref: Match.stringLikeRegexp(`^Fido${service}TaskDefinition`) } });
      const resource = template.toJSON().Resources[serviceId];
      expect(resource.Properties.DeploymentConfiguration.Alarms).toEqual({ AlarmNames: alarms, Enable: true, Rollback: true });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarms[0],
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        Threshold: 10,
        EvaluationPeriods: 2,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarms[1], MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Threshold: 1, EvaluationPeriods: 2,
      });
      // The alarms exist before ECS is asked to watch them.
      expect(resource.DependsOn).toEqual(expect.arrayContaining([
        logicalId(template, 'AWS::CloudWatch::Alarm', { AlarmName: alarms[0] }),
        logicalId(template, 'AWS::CloudWatch::Alarm', { AlarmName: alarms[1] }),
      ]));
    }
  });
});

describe('task options', () => {
  test('readonlyRootFilesystem mounts the root read-only with task-local writable paths', () => {
    const { template } = devOptions();
    const tomcat = containerDefinition(template, 'tomcat');
    expect(tomcat.ReadonlyRootFilesystem).toBe(true);
    expect(tomcat.MountPoints).toEqual([
      { ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'writable-0' },
      { ContainerPath: '/usr/local/tomcat/work', ReadOnly: false, SourceVolume: 'writable-1' },
    ]);
    expect(tomcat.taskDefinition.Volumes).toEqual([{ Name: 'writable-0' }, { Name: 'writable-1' }]);
    expect(containerDefinition(template, 'pyfido').ReadonlyRootFilesystem).toBe(false);
  });

  test('deploymentAlarms: false leaves the circuit breaker alone', () => {
    const { template } = devOptions();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName).sort())
      .toEqual(['arculus-auth-dev-tomcat-target-5xx', 'arculus-auth-dev-tomcat-unhealthy-hosts']);
  });
});

describe('a customer-managed key', () => {
  let template: Template;
  let key: string;
  beforeAll(() => {
    template = devHardened();
    key = logicalId(template, 'AWS::KMS::Key');
  });

  test('is rotated and lets CloudWatch Logs use it for this account\'s log groups only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'CloudWatchLogsOfThisAccount',
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('encrypts every log group, secret and the DocumentDB cluster', () => {
    const keyArn = { 'Fn::GetAtt': [key, 'Arn'] };
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as any[];
    // Both services', the flow logs', WAF's and the application secret's rotation function's.
    expect(logGroups.length).toBe(5);
    expect(logGroups.map((g) => g.Properties.KmsKeyId)).toEqual(logGroups.map(() => keyArn));
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')) as any[];
    expect(secrets.length).toBe(2);
    expect(secrets.map((s) => s.Properties.KmsKeyId)).toEqual(secrets.map(() => keyArn));
    template.hasResourceProperties('AWS::DocDB::DBCluster', { StorageEncrypted: true, KmsKeyId: keyArn });
  });

  test('is read by the task execution roles through Secrets Manager only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
        })]),
      },
    });
  });

  test('is absent in dev and staging unless asked: their one key is the alarm topic\'s, which CloudWatch needs to publish to an encrypted topic', () => {
    for (const plain of [defaultTemplates().dev, staging()]) {
      plain.resourceCountIs('AWS::KMS::Key', 1);
      const topicKey = Object.keys(plain.findResources('AWS::KMS::Key'))[0];
      expect(topicKey).toMatch(/^FidoMonitoring/);
      plain.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [topicKey, 'Arn'] } });
      for (const logGroup of Object.values(plain.findResources('AWS::Logs::LogGroup'))) {
        expect((logGroup as any).Properties.KmsKeyId).toBeUndefined();
      }
      for (const secret of Object.values(plain.findResources('AWS::SecretsManager::Secret'))) {
        expect((secret as any).Properties.KmsKeyId).toBeUndefined();
      }
    }
  });
});

describe('prod\'s customer-managed key, on by default', () => {
  let prod: Template;
  let optedOut: Template;
  beforeAll(() => {
    prod = defaultTemplates().prod;
    optedOut = synth({ ...PROD, mongoDb: MongoDbConnection.documentDb(), encryption: { customerManagedKey: false } }).template;
  });

  test('is one rotated key, retained with the stack, for the log groups (services, flow, WAF), the secrets, DocumentDB and the alarm topic', () => {
    prod.resourceCountIs('AWS::KMS::Key', 1);
    const key = logicalId(prod, 'AWS::KMS::Key');
    expect(key).toMatch(/^FidoEncryptionKey/);
    prod.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    const keyArn = { 'Fn::GetAtt': [key, 'Arn'] };
    const logGroups = prod.findResources('AWS::Logs::LogGroup');
    const names = Object.values(logGroups).map((g: any) => JSON.stringify(g.Properties.LogGroupName ?? ''));
    expect(names.some((n) => n.includes('pyfido'))).toBe(true);
    expect(names.some((n) => n.includes('tomcat'))).toBe(true);
    expect(names.some((n) => n.includes('aws-waf-logs-'))).toBe(true);
    expect(Object.keys(logGroups).some((id) => /FlowLog/.test(id))).toBe(true);
    for (const [id, logGroup] of Object.entries(logGroups)) {
      expect([id, (logGroup as any).Properties.KmsKeyId]).toEqual([id, keyArn]);
    }
    const secrets = Object.values(prod.findResources('AWS::SecretsManager::Secret')) as any[];
    expect(secrets.length).toBe(2);
    expect(secrets.map((s) => s.Properties.KmsKeyId)).toEqual(secrets.map(() => keyArn));
    prod.hasResourceProperties('AWS::DocDB::DBCluster', { StorageEncrypted: true, KmsKeyId: keyArn });
    prod.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
  });

  test('lets CloudWatch alarms publish to the topic it encrypts', () => {
    prod.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: Match.arrayWith(['kms:Decrypt']),
        })]),
      },
    });
  });

  test('is turned off with encryption.customerManagedKey: false, leaving AWS managed keys and the topic\'s own key', () => {
    optedOut.resourceCountIs('AWS::KMS::Key', 1);
    expect(logicalId(optedOut, 'AWS::KMS::Key')).toMatch(/^FidoMonitoring/);
    for (const logGroup of Object.values(optedOut.findResources('AWS::Logs::LogGroup'))) {
      expect((logGroup as any).Properties.KmsKeyId).toBeUndefined();
    }
    optedOut.hasResourceProperties('AWS::DocDB::DBCluster', { StorageEncrypted: true, KmsKeyId: Match.absent() });
  });
});

describe('a created DocumentDB cluster', () => {
  let template: Template;
  beforeAll(() => {
    template = devHardened();
  });

  test('exports audit logs, turned on in its parameter group, and requires TLS', () => {
    template.hasResourceProperties('AWS::DocDB::DBClusterParameterGroup', {
      Family: 'docdb5.0', Parameters: { tls: 'enabled', audit_logs: 'enabled' },
    });
    template.hasResourceProperties('AWS::DocDB::DBCluster', {
      EnableCloudwatchLogsExports: ['audit'],
      DBClusterParameterGroupName: { Ref: logicalId(template, 'AWS::DocDB::DBClusterParameterGroup') },
    });
  });

  test('rotates its password every 30 days', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  test('is the only place the tasks reach on the MongoDB port', () => {
    const taskSg = logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO tasks') });
    const docDbSg = logicalId(template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO DocumentDB') });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [taskSg, 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [docDbSg, 'GroupId'] },
      FromPort: 27017,
      ToPort: 27017,
    });
    const inline = template.toJSON().Resources[taskSg].Properties.SecurityGroupEgress;
    // PyFIDO's port is reached only within the tasks' own group (Service Connect), not inline to any address.
    expect(inline.map((r: any) => r.ToPort).sort()).toEqual([443]);
  });

  test('can leave rotation to the operator', () => {
    const manual = synth({ mongoDb: MongoDbConnection.documentDb({ rotatePassword: false }) }).template;
    const schedules = Object.values(manual.findResources('AWS::SecretsManager::RotationSchedule')) as any[];
    // The application secret's own schedule is the only one left.
    const applicationSecret = logicalId(manual, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('application secret') });
    expect(schedules.map((r) => r.Properties.SecretId)).toEqual([{ Ref: applicationSecret }]);
  });
});

describe('a plain-text MongoDB password', () => {
  test('warns that it lands in the template', () => {
    const { stack } = synth({ mongoDb: MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido', password: SecretValue.unsafePlainText('hunter2') }) });
    expect(warnings(stack, 'arculus-fido:plaintext-password')).toEqual([expect.stringContaining(
      'mongoDb.password is a plain-text SecretValue: the password is written into the CloudFormation template')]);
  });

  test('does not warn for a dynamic reference', () => {
    const { stack } = devOptions();
    expect(warnings(stack, 'arculus-fido:plaintext-password')).toEqual([]);
  });

  test('refuses an SSM SecureString reference, which CloudFormation would not resolve in the secret', () => {
    const password = SecretValue.ssmSecure('/fido/mongo-password', '1');
    expect(synthError({ mongoDb: MongoDbConnection.fromEndpoint({ host: 'db.example.com', username: 'fido', password }) }))
      .toMatch(/mongoDb\.password: is an SSM SecureString reference \(SecretValue\.ssmSecure\), which CloudFormation resolves only in the properties it lists/);
  });
});

describe('rotation interval', () => {
  test('is configurable', () => {
    synth({ mongoDb: MongoDbConnection.documentDb({ rotationInterval: Duration.days(7) }) }).template
      .hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(7 days)' } });
  });
});
