import { Annotations, CfnParameter, NestedStack, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { ArculusFidoStack, DeploymentEnvironment, FidoDataLayer, MongoDbConnection } from '../src';
import { runNag } from './nag-report';
import {
  baseProps, containerDefinition, ENV, importsStack, joined, logicalId, partition, synth, synthError, Synthesized, testApp, thrownBy, warnings,
} from './util';

const SECRET_NAMES = ['JWT_SECRET', 'MONGODB_HOST', 'MONGODB_PASSWORD', 'MONGODB_PORT', 'MONGODB_USERNAME'];
const MONGO_KEYS: Record<string, string> = { MONGODB_HOST: 'host', MONGODB_PORT: 'port', MONGODB_USERNAME: 'username', MONGODB_PASSWORD: 'password' };

/** The `valueFrom` of each of a container's secrets, by variable name. */
function secretsOf(template: Template, container: string): Record<string, any> {
  return Object.fromEntries(containerDefinition(template, container).Secrets.map((s: any) => [s.Name, s.ValueFrom]));
}

/** How CloudFormation renders `<arn><suffix>`, for a literal ARN or a reference. */
function arnWith(arn: unknown, suffix: string): unknown {
  return typeof arn === 'string' ? `${arn}${suffix}` : { 'Fn::Join': ['', [arn, suffix]] };
}

/**
 * Asserts that every container reads the MongoDB keys from `secretArn`, and JWT_SECRET from the
 * application secret; and JWT_SECRET_PREVIOUS from it when the deployment created and rotates it
 * (`previous`), never from a given one, whose keys are its owner's.
 */
function expectSecretsWiredTo(template: Template, mongoSecretArn: unknown, applicationSecretArn: unknown, previous: boolean): void {
  const names = previous ? [...SECRET_NAMES, 'JWT_SECRET_PREVIOUS'].sort() : SECRET_NAMES;
  for (const container of ['pyfido', 'tomcat']) {
    const secrets = secretsOf(template, container);
    expect(Object.keys(secrets).sort()).toEqual(names);
    for (const [name, key] of Object.entries(MONGO_KEYS)) {
      expect(secrets[name]).toEqual(arnWith(mongoSecretArn, `:${key}::`));
    }
    expect(secrets.JWT_SECRET).toEqual(arnWith(applicationSecretArn, ':jwtSecret::'));
    if (previous) {
      expect(secrets.JWT_SECRET_PREVIOUS).toEqual(arnWith(applicationSecretArn, ':jwtSecretPrevious::'));
    }
    const plain = (containerDefinition(template, container).Environment ?? []).map((e: any) => e.Name);
    expect(plain.filter((n: string) => names.includes(n))).toEqual([]);
  }
}

describe('MongoDB Atlas by endpoint, without a password', () => {
  let synthesized: Synthesized;
  let mongoSecret: string;
  let appSecret: string;
  beforeAll(() => {
    synthesized = synth();
    mongoSecret = logicalId(synthesized.template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('MongoDB') });
    appSecret = logicalId(synthesized.template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('application secret') });
  });

  test('creates the MongoDB secret with username, host and port, and a generated password', () => {
    const secret = synthesized.template.toJSON().Resources[mongoSecret].Properties;
    expect(JSON.parse(secret.GenerateSecretString.SecretStringTemplate)).toEqual({ username: 'fido', host: 'cluster0.abcde.mongodb.net', port: '27017' });
    expect(secret.GenerateSecretString.GenerateStringKey).toBe('password');
    expect(secret.GenerateSecretString.ExcludeCharacters).toContain('@');
    expect(secret.SecretString).toBeUndefined();
  });

  test('generates the application secret\'s jwtSecret', () => {
    synthesized.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'jwtSecret', ExcludePunctuation: true, PasswordLength: 64 },
    });
  });

  test('injects every secret as an ECS secret, never as a plain variable', () => {
    expectSecretsWiredTo(synthesized.template, { Ref: mongoSecret }, { Ref: appSecret }, true);
  });

  test('lets the execution roles read both secrets, and the task roles the application secret only', () => {
    const policies = Object.values(synthesized.template.findResources('AWS::IAM::Policy')) as any[];
    const readable = (policy: any) => policy.Properties.PolicyDocument.Statement
      .filter((s: any) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'))
      .flatMap((s: any) => [].concat(s.Resource));
    // The rotation function reads (and writes) the application secret: rotation.test.ts.
    const readers = policies.filter((p) => readable(p).length > 0 && !/Rotation/.test(p.Properties.PolicyName));
    expect(readers).toHaveLength(4);
    for (const policy of readers) {
      const role = policy.Properties.Roles[0].Ref;
      // ECS reads the MongoDB secret at task start; the application may read its own secret at run time.
      const expected = /ExecutionRole/.test(role) ? [{ Ref: mongoSecret }, { Ref: appSecret }] : [{ Ref: appSecret }];
      // In any order: some feature flags sort a policy's statements.
      expect([role, readable(policy)]).toEqual([role, expect.arrayContaining(expected)]);
      expect(readable(policy)).toHaveLength(expected.length);
      expect(role).toMatch(/ExecutionRole|TaskRole/);
    }
  });

  test('changes no database security group', () => {
    synthesized.template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { FromPort: 27017 }, 0);
  });

  test('exposes the MongoDB secret ARN as the MongoDBSecretArn output', () => {
    synthesized.template.hasOutput('MongoDBSecretArn', { Value: { Ref: mongoSecret } });
  });
});

describe('self-managed MongoDB with a password reference and a security group', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    // The flags of a `cdk init` app, among them @aws-cdk/core:checkSecretUsage, which throws
    // wherever a SecretValue is resolved outside a prop that accepts one.
    synthesized = synth((scope) => ({
      mongoDb: MongoDbConnection.fromEndpoint({
        host: 'mongo.internal.example.com',
        port: 27018,
        username: 'fido',
        password: SecretValue.secretsManager('mongo/fido', { jsonField: 'password' }),
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(scope, 'MongoSg', 'sg-0123456789abcdef0'),
      }),
    }), { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS });
  });

  test('stores the password as a dynamic reference, never its value', () => {
    const secret = Object.values(synthesized.template.findResources('AWS::SecretsManager::Secret', {
      Properties: { Description: Match.stringLikeRegexp('MongoDB') },
    }))[0] as any;
    const json = JSON.stringify(secret.Properties.SecretString);
    expect(json).toContain('{{resolve:secretsmanager:mongo/fido:SecretString:password::}}');
    expect(json).toContain('27018');
  });

  test('admits the MongoDB port into the database\'s security group from the tasks only', () => {
    const taskSg = logicalId(synthesized.template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO tasks') });
    const rules = Object.values(synthesized.template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: 'sg-0123456789abcdef0' },
    })) as any[];
    expect(rules.map((r) => r.Properties)).toEqual([expect.objectContaining({
      FromPort: 27018, ToPort: 27018, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [taskSg, 'GroupId'] },
    })]);
  });
});

describe('an existing MongoDB secret and application secret', () => {
  const MONGO_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/mongo-AbCdEf';
  const APP_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/app-GhIjKl';
  const MONGO_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/33333333-3333-3333-3333-333333333333';
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth((scope) => ({
      // The MongoDB secret's key is imported: its policy is not this app's to change.
      mongoDb: MongoDbConnection.fromSecret(secretsmanager.Secret.fromSecretAttributes(scope, 'Mongo', {
        secretCompleteArn: MONGO_ARN, encryptionKey: kms.Key.fromKeyArn(scope, 'MongoKey', MONGO_KEY_ARN),
      })),
      secrets: { applicationSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, 'App', APP_ARN) },
    }));
  });

  test('lets the tasks decrypt a secret under an imported key by their own policies, through Secrets Manager only', () => {
    const statements = Object.values(synthesized.template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const decrypts = statements.filter((statement: any) => statement.Action === 'kms:Decrypt');
    // The execution roles (MongoDB and application secret) and the task roles (application secret) of both services.
    expect(decrypts.length).toBeGreaterThanOrEqual(2);
    decrypts.forEach((statement: any) => expect(statement).toEqual({
      Action: 'kms:Decrypt', Effect: 'Allow', Resource: MONGO_KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    }));
  });

  test('creates no secret', () => {
    synthesized.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('wires the given secrets into the containers', () => {
    expectSecretsWiredTo(synthesized.template, MONGO_ARN, APP_ARN, false);
  });
});

describe('Amazon DocumentDB', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' }, mongoDb: MongoDbConnection.documentDb() });
  });

  test('is an encrypted cluster of 3 instances in the private subnets, protected and snapshotted in prod', () => {
    synthesized.template.hasResource('AWS::DocDB::DBCluster', {
      Properties: Match.objectLike({ StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 35, Port: 27017 }),
      DeletionPolicy: 'Snapshot',
    });
    synthesized.template.resourceCountIs('AWS::DocDB::DBInstance', 3);
    synthesized.template.allResourcesProperties('AWS::DocDB::DBInstance', { DBInstanceClass: 'db.r6g.large' });
    const subnetGroup = Object.values(synthesized.template.findResources('AWS::DocDB::DBSubnetGroup'))[0] as any;
    const subnets = synthesized.template.findResources('AWS::EC2::Subnet');
    expect(subnetGroup.Properties.SubnetIds.map((r: any) => subnets[r.Ref].Properties.MapPublicIpOnLaunch)).toEqual([false, false]);
  });

  test('admits 27017 into the cluster from the tasks only', () => {
    const taskSg = logicalId(synthesized.template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^Arculus FIDO tasks') });
    const rules = Object.values(synthesized.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 27017 } })) as any[];
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [taskSg, 'GroupId'] });
    const dbSg = logicalId(synthesized.template, 'AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('DocumentDB') });
    expect(rules[0].Properties.GroupId).toEqual({ 'Fn::GetAtt': [dbSg, 'GroupId'] });
  });

  test('wires the cluster\'s generated secret, which the attachment fills with host and port', () => {
    const secret = logicalId(synthesized.template, 'AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }) });
    const attachment = logicalId(synthesized.template, 'AWS::SecretsManager::SecretTargetAttachment', { TargetType: 'AWS::DocDB::DBCluster' });
    const appSecret = logicalId(synthesized.template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('application secret') });
    expectSecretsWiredTo(synthesized.template, { Ref: attachment }, { Ref: appSecret }, true);
    expect(synthesized.template.toJSON().Resources[attachment].Properties.SecretId).toEqual({ Ref: secret });
  });
});

describe('Amazon DocumentDB in dev', () => {
  test('is one t4g.medium instance, destroyed with the stack', () => {
    const { template } = synth({ mongoDb: MongoDbConnection.documentDb() });
    template.resourceCountIs('AWS::DocDB::DBInstance', 1);
    template.hasResourceProperties('AWS::DocDB::DBInstance', { DBInstanceClass: 'db.t4g.medium' });
    template.hasResource('AWS::DocDB::DBCluster', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtection: false, BackupRetentionPeriod: 1 }) });
  });
});

describe('a MongoDB password from a NoEcho parameter, with nested stacks', () => {
  test('reaches the nested data stack as a NoEcho parameter, never as a plain one', () => {
    const { stack } = synth((scope) => ({
      nestedStacks: true,
      mongoDb: MongoDbConnection.fromEndpoint({
        host: 'mongo.example.com',
        username: 'fido',
        password: SecretValue.cfnParameter(new CfnParameter(scope, 'MongoPassword', { type: 'String', noEcho: true })),
      }),
    }));
    const data = Template.fromStack(stack.node.findChild('Fido').node.findChild('DataStack') as NestedStack).toJSON();
    const parameters = Object.entries(data.Parameters ?? {}) as Array<[string, any]>;
    expect(parameters.filter(([, p]) => p.NoEcho !== true).map(([id]) => id).filter((id) => /Password/i.test(id))).toEqual([]);
    expect(data.Parameters.MongoDbPassword).toEqual(expect.objectContaining({ Type: 'String', NoEcho: true }));
    expect(JSON.stringify(data.Resources)).toContain('{"Ref":"MongoDbPassword"}');
  });
});

describe('an application secret that another account reads, in its region and through a replica', () => {
  const READER = '222222222222';
  const REPLICA_ARN = `arn:aws:secretsmanager:us-west-2:${ENV.account}:secret:fido-app-AbCdEf`;
  const REPLICA_KEY_ARN = `arn:aws:kms:us-west-2:${ENV.account}:key/11111111-1111-1111-1111-111111111111`;
  const { built, templates, findings } = runNag((app) => {
    const imports = importsStack(app);
    const west = new Stack(app, 'WestKeys', { env: { ...ENV, region: 'us-west-2' } });
    const westKey = new kms.Key(west, 'ReplicaKey', { enableKeyRotation: true });
    const owner = new ArculusFidoStack(app, 'Owner', {
      ...baseProps(imports),
      env: ENV,
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1.0.0' },
      secrets: { applicationSecretReaderAccounts: [READER], applicationSecretReplicaRegions: [{ region: 'us-west-2', encryptionKey: westKey }] },
    });
    // The reader, in its account and the replica's region, imports the replica by its full ARN.
    const readerImports = importsStack(app, 'ReaderImports', { account: READER, region: 'us-west-2' });
    const reader = new ArculusFidoStack(app, 'Reader', {
      env: { account: READER, region: 'us-west-2' },
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(readerImports, 'Certificate', `arn:aws:acm:us-west-2:${READER}:certificate/0`) },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      images: { tag: '1.0.0' },
      secrets: {
        applicationSecret: secretsmanager.Secret.fromSecretAttributes(readerImports, 'Shared', {
          secretCompleteArn: REPLICA_ARN,
          encryptionKey: kms.Key.fromKeyArn(readerImports, 'SharedKey', REPLICA_KEY_ARN),
        }),
      },
    });
    [owner, reader].forEach((stack) => Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider'));
    // The owner's account keeps the secret's events: the reader redeploys where they are forwarded.
    Annotations.of(reader).acknowledgeWarning('arculus-fido:secret-events-elsewhere', 'Forwarded by the owner');
    return { owner, reader, westKey };
  });
  const template = (stack: Stack) => Template.fromJSON(templates[stack.templateFile]);
  const [owner, reader, west] = [template(built.owner), template(built.reader), template(Stack.of(built.westKey))];
  const readerRoot = { AWS: joined('arn:', partition(), `:iam::${READER}:root`) };
  const decryptThrough = (region: string) => ({
    Sid: 'ApplicationSecretReadByOtherAccounts',
    Effect: 'Allow',
    Principal: readerRoot,
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
  });

  test('leaves cdk-nag (AwsSolutions, NIST 800-53 R5) no unacknowledged finding on either side', () => {
    expect(findings).toEqual([]);
  });

  test('lets the other account read the secret by its resource policy, which Secrets Manager replicates with it', () => {
    const [policy] = Object.values(owner.findResources('AWS::SecretsManager::ResourcePolicy')).map((r: any) => r.Properties);
    expect(policy.SecretId).toEqual({ Ref: expect.stringMatching(/ApplicationSecret/) });
    const statement = policy.ResourcePolicy.Statement.find((s: any) => s.Sid === 'ReadByOtherAccounts');
    expect({ ...statement, Action: [...statement.Action].sort() }).toEqual({
      Sid: 'ReadByOtherAccounts', Effect: 'Allow', Principal: readerRoot, Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: '*',
    });
  });

  test('lets it decrypt with the secret\'s key and the replica\'s, each through Secrets Manager of its own region only', () => {
    const statements = (t: Template) => Object.values(t.findResources('AWS::KMS::Key')).flatMap((k: any) => k.Properties.KeyPolicy.Statement);
    expect(statements(owner)).toContainEqual(decryptThrough('us-east-1'));
    expect(statements(west)).toContainEqual(decryptThrough('us-west-2'));
    expect(statements(owner).filter((s: any) => JSON.stringify(s.Principal ?? {}).includes(READER))).toHaveLength(1);
  });

  test('has the reader\'s tasks read the replica by its full ARN, with its key through Secrets Manager', () => {
    expect(secretsOf(reader, 'pyfido').JWT_SECRET).toBe(`${REPLICA_ARN}:jwtSecret::`);
    const statements = Object.values(reader.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['secretsmanager:GetSecretValue']), Resource: REPLICA_ARN }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt', Resource: REPLICA_KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } },
    }));
  });
});

describe('secrets.applicationSecretReaderAccounts refuses, in one error', () => {
  const replicaKey = (scope: Construct) => kms.Key.fromKeyArn(scope, 'WestKey', 'arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222');

  test('the AWS managed key, for the secret or a replica; accounts out of form, its own, or twice', () => {
    const message = synthError({
      deploymentEnvironment: DeploymentEnvironment.DEV,
      secrets: { applicationSecretReaderAccounts: ['2222', ENV.account, '222222222222', '222222222222'], applicationSecretReplicaRegions: [{ region: 'us-west-2' }] },
    });
    expect(message).toContain("secrets.applicationSecretReaderAccounts[0]: must be an account ID of 12 digits, such as '222222222222', got '2222'");
    expect(message).toContain(`secrets.applicationSecretReaderAccounts[1]: is the secret's own account (${ENV.account})`);
    expect(message).toContain("secrets.applicationSecretReaderAccounts[3]: names '222222222222' a second time; give each account once");
    expect(message).toContain("secrets.encryptionKey: is none, so us-east-1's AWS managed key of Secrets Manager encrypts there, which no other account may decrypt with, as secrets.applicationSecretReaderAccounts needs; turn on encryption.customerManagedKey");
    expect(message).toContain("secrets.applicationSecretReplicaRegions[0].encryptionKey: is none, so us-west-2's AWS managed key");
  });

  test('a given secret, which is shared where it is managed, and says what to add to an imported replica key', () => {
    const given = synthError((scope) => ({
      secrets: { applicationSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'Given', 'fido-app'), applicationSecretReaderAccounts: ['222222222222'] },
    }));
    expect(given).toContain('secrets.applicationSecretReaderAccounts: lets other accounts read the application secret the deployment creates, but secrets.applicationSecret is given');
    const app = testApp();
    const stack = new ArculusFidoStack(app, 'Owner', {
      ...baseProps(importsStack(app)),
      env: ENV,
      deploymentEnvironment: DeploymentEnvironment.PROD,
      secrets: { applicationSecretReaderAccounts: ['222222222222'], applicationSecretReplicaRegions: [{ region: 'us-west-2', encryptionKey: replicaKey(importsStack(app, 'West', { region: 'us-west-2' })) }] },
    });
    Template.fromStack(stack);
    const warning = warnings(stack, 'arculus-fido:shared-secret-key-policy').join('\n');
    expect(warning).toContain('The key arn:aws:kms:us-west-2:111111111111:key/22222222-2222-2222-2222-222222222222 of us-west-2 is imported');
    expect(warning).toContain('"kms:ViaService":"secretsmanager.us-west-2.amazonaws.com"');
  });

  test('on the data layer alone: beside a given secret, and without a key', () => {
    const stack = new Stack(testApp(), 'Data', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const props = {
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
      deploymentEnvironment: DeploymentEnvironment.PROD,
      vpc,
      clientSecurityGroup: new ec2.SecurityGroup(stack, 'Clients', { vpc }),
      applicationSecretReaderAccounts: ['222222222222'],
    };
    expect(thrownBy(() => new FidoDataLayer(stack, 'NoKey', props)))
      .toContain("encryptionKey: is none, so us-east-1's AWS managed key of Secrets Manager encrypts there");
    expect(thrownBy(() => new FidoDataLayer(stack, 'WithGiven', { ...props, applicationSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Given', 'fido-app') })))
      .toContain('applicationSecretReaderAccounts: shares only the application secret this construct creates, but applicationSecret is given');
  });
});
