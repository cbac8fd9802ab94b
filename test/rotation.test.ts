import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';
import { baseProps, containerDefinition, ENV, joined, logicalId, newestNamedNodeRuntime, once, partition, synth, synthError, testApp, warnings } from './util';

const ATLAS = { host: 'cluster0.abcde.mongodb.net', username: 'fido' };

/** The logical ID of the application secret the deployment creates. */
function applicationSecretOf(template: Template): string {
  return logicalId(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('application secret') });
}

/** Rotation schedules by the secret they rotate (its Ref's logical ID). */
function schedulesBySecret(template: Template): Record<string, any> {
  return Object.fromEntries(Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'))
    .map((r: any) => [r.Properties.SecretId.Ref, r.Properties]));
}

/** Dev with a created DocumentDB cluster, and the application secret rotating every 7 days, which leaves DocumentDB's alone. */
const documentDbDev = once(() => synth({
  mongoDb: MongoDbConnection.documentDb(),
  secrets: { applicationSecretRotationInterval: Duration.days(7) },
}));

/** Prod with MongoDB Atlas rotated by the user's function every 14 days, and the application secret rotated by hand. */
const atlasRotatedByUser = once(() => synth((scope) => ({
  deploymentEnvironment: DeploymentEnvironment.PROD,
  images: { tag: '1.0.0' },
  mongoDb: MongoDbConnection.fromEndpoint({
    ...ATLAS,
    rotation: { rotationLambda: lambda.Function.fromFunctionArn(scope, 'AtlasRotation', 'arn:aws:lambda:us-east-1:111111111111:function:atlas-rotation'), automaticallyAfter: Duration.days(14) },
  }),
  secrets: { rotateApplicationSecret: false },
})));

/** The rules that redeploy the services when a secret's current value changes, by logical ID. */
function redeployRules(template: Template): Record<string, any> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Events::Rule'))
    .filter(([, r]: [string, any]) => r.Properties.EventPattern['detail-type'][0] === 'Secret Label Updated'));
}

/** The secrets whose rotation failures reach the alarm topic (the rule's SecretId list), or undefined without the rule. */
function rotationFailuresWatched(template: Template): unknown[] | undefined {
  const rules = Object.values(template.findResources('AWS::Events::Rule'))
    .filter((r: any) => r.Properties.EventPattern['detail-type'][0] === 'AWS Service Event via CloudTrail');
  expect(rules.length).toBeLessThanOrEqual(1);
  return rules.map((r: any) => r.Properties.EventPattern.detail.additionalEventData.SecretId)[0];
}

/** Statements of the policies attached to `role` (a logical ID). */
function statementsOf(template: Template, role: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('the application secret, by default', () => {
  const { template } = synth();
  const secret = applicationSecretOf(template);
  const fn = logicalId(template, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('Rotates the Arculus FIDO application secret') });
  const fnProps = template.toJSON().Resources[fn].Properties;

  test('rotates every 30 days with the function the library ships, on the newest Node.js runtime of the aws-cdk-lib in use', () => {
    expect(schedulesBySecret(template)[secret]).toEqual({
      SecretId: { Ref: secret },
      RotationLambdaARN: { 'Fn::GetAtt': [fn, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      // Not at creation, which would race the services' first deployment with a Redeploy.
      RotateImmediatelyOnUpdate: false,
    });
    expect(fnProps.Runtime).toBe(newestNamedNodeRuntime());
    expect(fnProps.Handler).toBe('index.handler');
    // Secrets Manager may invoke it, for this account only; nothing else may.
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter((p: any) => JSON.stringify(p).includes(fn));
    expect(permissions.map((p: any) => p.Properties)).toEqual([{
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] }, Principal: 'secretsmanager.amazonaws.com', Action: 'lambda:InvokeFunction', SourceAccount: '111111111111',
    }]);
  });

  test('runs in the private subnets with HTTPS out only, and logs with the logs\' retention', () => {
    const sg = fnProps.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0];
    const group = template.toJSON().Resources[sg].Properties;
    expect(group.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).filter((r: any) => JSON.stringify(r).includes(sg))).toEqual([]);
    const privateSubnets = Object.keys(template.findResources('AWS::EC2::Subnet')).filter((id) => /PrivateSubnet/.test(id)).sort();
    expect(fnProps.VpcConfig.SubnetIds.map((s: any) => s.Ref).sort()).toEqual(privateSubnets);
    const logGroup = fnProps.LoggingConfig.LogGroup.Ref;
    expect(template.toJSON().Resources[logGroup].Properties.RetentionInDays).toBe(7);
  });

  test('lets the function call only the four Secrets Manager operations of a rotation, on this secret', () => {
    const role = fnProps.Role['Fn::GetAtt'][0];
    const statements = statementsOf(template, role);
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(expect.arrayContaining([
      {
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
        Effect: 'Allow',
        Resource: { Ref: secret },
      },
      { Action: 'secretsmanager:GetRandomPassword', Effect: 'Allow', Resource: '*' },
    ]));
  });

  test('tells the containers where the secret is: its ARN, not its value', () => {
    for (const container of Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((t: any) => t.Properties.ContainerDefinitions[0])) {
      expect(container.Environment).toContainEqual({ Name: 'APPLICATION_SECRET_ARN', Value: { Ref: secret } });
      expect(container.Secrets).toContainEqual({ Name: 'JWT_SECRET', ValueFrom: expect.anything() });
    }
  });
});

describe('the previous jwtSecret reaches the containers (JWT_SECRET_PREVIOUS)', () => {
  const { template } = synth();
  const resources = template.toJSON().Resources as Record<string, any>;
  const secret = applicationSecretOf(template);
  const fn = logicalId(template, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('Rotates the Arculus FIDO application secret') });
  const seeds = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::ArculusFidoJwtSecretPrevious');

  test('from the key jwtSecretPrevious of the created, rotated application secret', () => {
    for (const container of Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((t: any) => t.Properties.ContainerDefinitions[0])) {
      expect(container.Secrets).toContainEqual({ Name: 'JWT_SECRET_PREVIOUS', ValueFrom: { 'Fn::Join': ['', [{ Ref: secret }, ':jwtSecretPrevious::']] } });
    }
  });

  test('which the rotation function puts in the secret (equal to jwtSecret) before any task starts, as a custom resource', () => {
    expect(seeds).toHaveLength(1);
    const [seed, resource] = seeds[0];
    expect(resource.Properties).toEqual({ ServiceToken: { 'Fn::GetAtt': [fn, 'Arn'] }, SecretId: { Ref: secret } });
    // Only once the function may read and write the secret.
    const role = resources[fn].Properties.Role['Fn::GetAtt'][0];
    const policy = Object.entries(resources).find(([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === role))![0];
    expect(resource.DependsOn).toContain(policy);
    // ECS reads the key when a task starts: both services wait for it, as does the rule that
    // redeploys on a change of the secret (so the seed's new version starts no Redeploy at creation).
    for (const [, service] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ECS::Service')) {
      expect(service.DependsOn).toContain(seed);
    }
    const rule = Object.entries(redeployRules(template)).find(([, r]) => JSON.stringify(r.Properties.EventPattern).includes(secret))!;
    expect(rule[1].DependsOn).toContain(seed);
  });

  test('not from a secret the deployment does not rotate, nor from a given one, whose keys are its owner\'s; a given one\'s may be mapped by hand', () => {
    const notRotated = atlasRotatedByUser().template;
    const given = synth((scope) => {
      const applicationSecret = secretsmanager.Secret.fromSecretCompleteArn(scope, 'App', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/app-AbCdEf');
      return { secrets: { applicationSecret }, services: { tomcat: { secrets: { JWT_SECRET_PREVIOUS: ecs.Secret.fromSecretsManager(applicationSecret, 'jwtSecretPrevious') } } } };
    }).template;
    for (const t of [notRotated, given]) {
      expect(Object.values(t.toJSON().Resources).filter((r: any) => r.Type === 'Custom::ArculusFidoJwtSecretPrevious')).toEqual([]);
    }
    const names = (t: Template, container: string) => containerDefinition(t, container).Secrets.map((s: any) => s.Name);
    expect(names(notRotated, 'pyfido')).not.toContain('JWT_SECRET_PREVIOUS');
    expect(names(given, 'pyfido')).not.toContain('JWT_SECRET_PREVIOUS');
    expect(containerDefinition(given, 'tomcat').Secrets).toContainEqual({
      Name: 'JWT_SECRET_PREVIOUS', ValueFrom: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/app-AbCdEf:jwtSecretPrevious::',
    });
  });

  test('a plain variable of that name is refused, as for the other secrets', () => {
    expect(synthError({ services: { pyFido: { environment: { JWT_SECRET_PREVIOUS: 'x' } } } }))
      .toEqual(expect.stringContaining('services.pyFido.environment.JWT_SECRET_PREVIOUS: is also set as a secret'));
  });
});

describe('a rotated secret reaches the running tasks', () => {
  const { template } = documentDbDev();
  const rules = redeployRules(template);
  const redeploy = logicalId(template, 'AWS::SSM::Document', { Name: 'arculus-auth-dev-Redeploy' });
  const redeployRole = logicalId(template, 'AWS::IAM::Role', { Description: 'SSM Automation redeploys the FIDO services' });
  const eventsRole = logicalId(template, 'AWS::IAM::Role', { Description: Match.stringLikeRegexp('^EventBridge redeploys') });
  const definition = joined('arn:', partition(), ':ssm:us-east-1:111111111111:automation-definition/', { Ref: redeploy }, ':$DEFAULT');

  test('when the current value of the MongoDB secret or the application secret changes: a rotation, or a value put by hand', () => {
    const watched = Object.values(rules).map((r: any) => r.Properties.EventPattern);
    const documentDbSecret = template.findResources('AWS::SecretsManager::SecretTargetAttachment');
    expect(watched).toEqual(expect.arrayContaining([applicationSecretOf(template), Object.keys(documentDbSecret)[0]].map((id) => ({
      'source': ['aws.secretsmanager'],
      'detail-type': ['Secret Label Updated'],
      'resources': [{ Ref: id }],
      'detail': { labelUpdated: ['AWSCURRENT'] },
    }))));
    expect(watched).toHaveLength(2);
  });

  test('by running the Redeploy runbook on every service', () => {
    for (const rule of Object.values(rules) as any[]) {
      expect(rule.Properties.Targets).toEqual([{
        Id: 'Target0', Arn: definition, Input: JSON.stringify({ Service: ['all'] }), RoleArn: { 'Fn::GetAtt': [eventsRole, 'Arn'] },
      }]);
    }
    // Redeploy itself waits for ECS to complete the deployment: runbooks.test.ts.
  });

  test('with a role EventBridge assumes for this account\'s rules only, which may start Redeploy and pass its role, nothing else', () => {
    const role = template.toJSON().Resources[eventsRole].Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': joined('arn:', partition(), ':events:us-east-1:111111111111:rule/*') },
      },
    })]);
    // In any order: cdk init's flags sort a policy's statements.
    const statements = statementsOf(template, eventsRole);
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(expect.arrayContaining([
      { Action: 'ssm:StartAutomationExecution', Effect: 'Allow', Resource: definition },
      { Action: 'iam:PassRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [redeployRole, 'Arn'] }, Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } } },
    ]));
  });

  test('the DocumentDB master password rotates every 30 days too', () => {
    const attachment = Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment'))[0];
    expect(schedulesBySecret(template)[attachment].RotationRules).toEqual({ ScheduleExpression: 'rate(30 days)' });
  });
});

describe('a secret of another account', () => {
  test('warns that its changes never reach this account\'s rules, with what to do instead', () => {
    const { stack } = synth((scope) => ({
      mongoDb: MongoDbConnection.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(scope, 'Shared', 'arn:aws:secretsmanager:us-east-1:222222222222:secret:atlas-AbCdEf')),
    }));
    expect(warnings(stack, 'arculus-fido:secret-events-elsewhere')).toEqual([expect.stringMatching(
      /^The secret arn:aws:secretsmanager:us-east-1:222222222222:secret:atlas-AbCdEf belongs to 222222222222 in us-east-1, and Secrets Manager sends its events there only: .*Run the Redeploy runbook after rotating it/)]);
    // The deployment's own secrets are this account's: no warning for them.
    expect(warnings(synth().stack, 'arculus-fido:secret-events-elsewhere')).toEqual([]);
  });
});

describe('application secret rotation, configured', () => {
  test('every applicationSecretRotationInterval', () => {
    const { template } = documentDbDev();
    expect(schedulesBySecret(template)[applicationSecretOf(template)].RotationRules).toEqual({ ScheduleExpression: 'rate(7 days)' });
  });

  test('off with rotateApplicationSecret: false, which leaves the Redeploy rules for values put by hand', () => {
    const { template } = atlasRotatedByUser();
    expect(schedulesBySecret(template)[applicationSecretOf(template)]).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(template.findResources('AWS::Lambda::Function'))
      .filter((id) => !/ApplicationSecretRotation/.test(id)).length);
    expect(Object.keys(redeployRules(template))).toHaveLength(2);
    // Only the MongoDB secret rotates: its failures reach the topic; the user's function is theirs to alarm on.
    const mongoDbSecret = logicalId(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('MongoDB') });
    expect(rotationFailuresWatched(template)).toEqual([{ Ref: mongoDbSecret }]);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a: any) => /rotation-errors/.test(a.Properties.AlarmName))).toEqual([]);
  });

  test('off when the secret is given, which rotates where it is managed; its changes still redeploy, matched by prefix when imported by name', () => {
    const { template } = synth((scope) => ({ secrets: { applicationSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'App', 'fido/app') } }));
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    const patterns = Object.values(redeployRules(template)).map((r: any) => r.Properties.EventPattern.resources[0]);
    expect(patterns).toContainEqual({ prefix: joined('arn:', partition(), ':secretsmanager:us-east-1:111111111111:secret:fido/app-') });
  });

  test('off without the runbooks, which would roll the services after a rotation', () => {
    const { template, stack } = synth({ runbooks: false, mongoDb: MongoDbConnection.documentDb() });
    expect(schedulesBySecret(template)[applicationSecretOf(template)]).toBeUndefined();
    expect(redeployRules(template)).toEqual({});
    // DocumentDB's password still rotates, and its failures reach the topic: synth says, once, that nothing rolls the services.
    expect(rotationFailuresWatched(template)).toEqual([{ Ref: Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment'))[0] }]);
    expect(warnings(stack, 'arculus-fido:rotation-without-redeploy')).toEqual([expect.stringContaining('runbooks is false, so nothing redeploys the services')]);
  });

  test.each([
    [{ secrets: { rotateApplicationSecret: true }, runbooks: false },
      'secrets.rotateApplicationSecret: needs the Redeploy runbook to roll the services after each rotation (ECS reads secrets only when a task starts), but runbooks is false: turn runbooks on, or set rotateApplicationSecret: false'],
    [{ secrets: { rotateApplicationSecret: false, applicationSecretRotationInterval: Duration.days(7) } },
      'secrets.applicationSecretRotationInterval: only applies when the application secret rotates, but rotateApplicationSecret is false'],
    [{ runbooks: false, secrets: { applicationSecretRotationInterval: Duration.days(7) } },
      'secrets.applicationSecretRotationInterval: only applies when the application secret rotates, which it does not here (runbooks is false); leave it out'],
    [{ secrets: { applicationSecretRotationInterval: Duration.hours(36) } },
      'secrets.applicationSecretRotationInterval: Secrets Manager rotates every 1 to 1000 whole days, got 1 day 12 hours'],
    [{ secrets: { applicationSecretRotationInterval: Duration.days(1001) } },
      'secrets.applicationSecretRotationInterval: Secrets Manager rotates every 1 to 1000 whole days, got 1001 days'],
    [{ secrets: { rotateApplicationSecret: 'yes' as unknown as boolean } },
      "secrets.rotateApplicationSecret: must be true or false, got 'yes'"],
  ])('refuses %j', (props, expected) => {
    expect(synthError(props)).toEqual(expect.stringContaining(expected));
  });

  test('refuses rotateApplicationSecret: true beside a given secret', () => {
    expect(synthError((scope) => ({ secrets: { rotateApplicationSecret: true, applicationSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'App', 'fido/app') } })))
      .toEqual(expect.stringContaining('secrets.rotateApplicationSecret: rotates only the application secret the deployment creates, but secrets.applicationSecret is given'));
  });
});

describe('prod in nested stacks, with its customer-managed key', () => {
  const { template, stack } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' }, nestedStacks: true, mongoDb: MongoDbConnection.documentDb() });
  const data = Template.fromStack(stack.node.findAll().find((c) => Stack.isStack(c) && c.node.id === 'DataStack') as Stack);
  const services = Template.fromStack(stack.node.findAll().find((c) => Stack.isStack(c) && c.node.id === 'ServicesStack') as Stack);

  test('the function decrypts and encrypts the secret with the key through Secrets Manager only, by its own policy (no cycle between the stacks)', () => {
    // CDK's own grant would go into the key's policy, in the parent stack: a cycle, or (for the key
    // imported by ARN) nothing at all.
    const fn = logicalId(data, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('Rotates the Arculus FIDO application secret') });
    const role = data.toJSON().Resources[fn].Properties.Role['Fn::GetAtt'][0];
    expect(statementsOf(data, role)).toContainEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    }));
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('ApplicationSecretRotation');
  });

  test('the rules live beside the runbooks and watch both secrets', () => {
    expect(Object.keys(redeployRules(services))).toHaveLength(2);
    expect(rotationFailuresWatched(services)).toHaveLength(2);
    expect(Object.keys(data.findResources('AWS::SecretsManager::RotationSchedule'))).toHaveLength(2);
  });

  test('jwtSecretPrevious is put in the data stack, which the services stack waits for', () => {
    expect(Object.values(data.toJSON().Resources).filter((r: any) => r.Type === 'Custom::ArculusFidoJwtSecretPrevious')).toHaveLength(1);
    const nested = template.toJSON().Resources as Record<string, any>;
    const stackOf = (id: string) => Object.entries(nested).find(([logical, r]) => r.Type === 'AWS::CloudFormation::Stack' && logical.startsWith(`Fido${id}`))![0];
    expect(nested[stackOf('DataStack')]).toBeDefined();
    expect([].concat(nested[stackOf('ServicesStack')].DependsOn ?? [])).toContain(stackOf('DataStack'));
  });
});

describe('a MongoDB secret by endpoint (Atlas, self-managed)', () => {
  test('rotates with the function the user gives, and its changes redeploy the services', () => {
    const { template, stack } = atlasRotatedByUser();
    const mongoSecret = logicalId(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('^MongoDB connection') });
    expect(schedulesBySecret(template)[mongoSecret]).toEqual({
      SecretId: { Ref: mongoSecret },
      RotationLambdaARN: 'arn:aws:lambda:us-east-1:111111111111:function:atlas-rotation',
      RotationRules: { ScheduleExpression: 'rate(14 days)' },
    });
    expect(warnings(stack, 'arculus-fido:mongodb-password-not-rotated')).toEqual([]);
  });

  test('rotates with a hosted rotation for a server in the VPC', () => {
    const app = testApp();
    const vpcStack = new Stack(app, 'Network', { env: ENV });
    const vpc = new ec2.Vpc(vpcStack, 'Vpc');
    const hostedRotation = secretsmanager.HostedRotation.mongoDbSingleUser({ vpc });
    const mongoDb = MongoDbConnection.fromEndpoint({ ...ATLAS, rotation: { hostedRotation } });
    const stack = new ArculusFidoStack(app, 'Fido', { env: ENV, ...baseProps(vpcStack, { network: { vpc }, mongoDb }) });
    const template = Template.fromStack(stack);
    const mongoSecret = logicalId(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('^MongoDB connection') });
    expect(schedulesBySecret(template)[mongoSecret].HostedRotationLambda).toEqual(expect.objectContaining({ RotationType: 'MongoDBSingleUser' }));
  });

  test('without a rotation, warns once in prod, with the reason and the ways to rotate; not elsewhere', () => {
    const { stack } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' } });
    expect(warnings(stack, 'arculus-fido:mongodb-password-not-rotated')).toEqual([expect.stringMatching(
      /^The MongoDB password in prod never rotates\. Give MongoDbConnection\.fromEndpoint\(\) atlasRotation: \{ projectId, apiSecret \}/)]);
    expect(warnings(synth().stack, 'arculus-fido:mongodb-password-not-rotated')).toEqual([]);
  });

  test.each([
    [{ automaticallyAfter: Duration.days(7) }, 'mongoDb.rotation: must give exactly one of rotationLambda (your function) and hostedRotation (e.g. HostedRotation.mongoDbSingleUser({ vpc })), got neither'],
    [{ hostedRotation: secretsmanager.HostedRotation.mongoDbSingleUser(), automaticallyAfter: Duration.hours(1) }, 'mongoDb.rotation.automaticallyAfter: Secrets Manager rotates every 4 hours to 1000 days, got 1 hour'],
    ['monthly', 'mongoDb.rotation: must be a secretsmanager.RotationScheduleOptions object'],
  ])('refuses a rotation of %j', (rotation, expected) => {
    const mongoDb = MongoDbConnection.fromEndpoint({ ...ATLAS, rotation: rotation as secretsmanager.RotationScheduleOptions });
    const message = synthError({ mongoDb });
    expect(message).toEqual(expect.stringContaining(expected));
    // Once: the options are checked against their shape in one pass.
    expect(message!.split(expected)).toHaveLength(2);
  });
});

const PROJECT_ID = '0123456789abcdef01234567';

/** Prod with a self-managed MongoDB in the VPC (its security group given) rotated by AWS's multi-user function. */
const selfManaged = once(() => {
  const app = testApp();
  const network = new Stack(app, 'Network', { env: ENV });
  const vpc = new ec2.Vpc(network, 'Vpc');
  const databaseGroup = new ec2.SecurityGroup(network, 'MongoDb', { vpc });
  const masterSecret = secretsmanager.Secret.fromSecretCompleteArn(network, 'Admin', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mongo-admin-AbCdEf');
  const mongoDb = MongoDbConnection.fromEndpoint({ host: 'mongo.internal.example.com', username: 'fido', securityGroup: databaseGroup, masterSecret });
  const stack = new ArculusFidoStack(app, 'Fido', {
    env: ENV, ...baseProps(network, { deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' }, network: { vpc }, mongoDb }),
  });
  return { stack, template: Template.fromStack(stack), network: Template.fromStack(network) };
});

/** Prod with MongoDB Atlas rotated by the library's function every 14 days, the API key in a secret of the user's. */
const atlasRotated = once(() => synth((scope) => ({
  deploymentEnvironment: DeploymentEnvironment.PROD,
  images: { tag: '1.0.0' },
  mongoDb: MongoDbConnection.fromEndpoint({
    ...ATLAS,
    atlasRotation: { projectId: PROJECT_ID, apiSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, 'AtlasApi', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:atlas-api-AbCdEf') },
    rotationInterval: Duration.days(14),
  }),
})));

function mongoSecretOf(template: Template): string {
  return logicalId(template, 'AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('^MongoDB connection') });
}

describe('a self-managed MongoDB with an administrator\'s secret (masterSecret)', () => {
  test('rotates every 30 days with AWS\'s multi-user MongoDB function in the private subnets, the first one an interval after deployment', () => {
    const { template } = selfManaged();
    const schedule = schedulesBySecret(template)[mongoSecretOf(template)];
    expect(schedule).toEqual(expect.objectContaining({ RotationRules: { ScheduleExpression: 'rate(30 days)' }, RotateImmediatelyOnUpdate: false }));
    expect(schedule.HostedRotationLambda).toEqual(expect.objectContaining({
      RotationType: 'MongoDBMultiUser',
      MasterSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mongo-admin-AbCdEf',
      ExcludeCharacters: ' "\'\\/@:?#[]%`',
    }));
    expect(JSON.stringify(schedule.HostedRotationLambda.VpcSubnetIds)).toMatch(/PrivateSubnet1/);
    expect(JSON.stringify(schedule.HostedRotationLambda.VpcSubnetIds)).not.toMatch(/PublicSubnet/);
    expect([].concat(template.toJSON().Transform)).toEqual([expect.stringMatching(/^AWS::SecretsManager-/)]);
  });

  test('the secret holds what AWS\'s function reads: engine mongo and the administrator\'s secret as masterarn', () => {
    const { template } = selfManaged();
    const value = JSON.parse(template.toJSON().Resources[mongoSecretOf(template)].Properties.GenerateSecretString.SecretStringTemplate);
    expect(value).toEqual({ username: 'fido', host: 'mongo.internal.example.com', port: '27017', engine: 'mongo', masterarn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mongo-admin-AbCdEf' });
  });

  test('the function reaches MongoDB as the tasks do: MongoDB\'s group admits its own group on the port; it has HTTPS out besides, and nothing else', () => {
    const { template, stack } = selfManaged();
    const resources = template.toJSON().Resources;
    const schedule = schedulesBySecret(template)[mongoSecretOf(template)];
    const group = schedule.HostedRotationLambda.VpcSecurityGroupIds['Fn::GetAtt'][0];
    expect(resources[group].Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })]);
    const ruleFrom = (type: string, props: object) => Object.values(template.findResources(type, { Properties: props }))
      .map((r: any) => r.Properties);
    // The other stack's group: an export, or under cdk init's flags a published output.
    const databaseGroup = JSON.stringify(template.toJSON()).includes('Fn::GetStackOutput')
      ? { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/MongoDb/) }) }
      : { 'Fn::ImportValue': expect.stringMatching(/MongoDb/) };
    expect(ruleFrom('AWS::EC2::SecurityGroupEgress', { GroupId: { 'Fn::GetAtt': [group, 'GroupId'] } })).toEqual([
      expect.objectContaining({ DestinationSecurityGroupId: databaseGroup, FromPort: 27017, ToPort: 27017, IpProtocol: 'tcp' }),
    ]);
    expect(ruleFrom('AWS::EC2::SecurityGroupIngress', { SourceSecurityGroupId: { 'Fn::GetAtt': [group, 'GroupId'] } })).toEqual([
      expect.objectContaining({ GroupId: databaseGroup, FromPort: 27017, ToPort: 27017, IpProtocol: 'tcp' }),
    ]);
    expect(stack.deployment.dataLayer.mongoDbSecretRotates).toBe(true);
    // AWS hosts the function: no function of the library's to watch.
    expect(stack.deployment.dataLayer.mongoDbRotationFunction).toBeUndefined();
  });

  test('no warning that the password never rotates, and the secret\'s changes redeploy the services', () => {
    const { stack, template } = selfManaged();
    expect(warnings(stack, 'arculus-fido:mongodb-password-not-rotated')).toEqual([]);
    const rules = Object.values(template.findResources('AWS::Events::Rule')).map((r: any) => JSON.stringify(r.Properties.EventPattern));
    expect(rules.some((pattern) => pattern.includes(mongoSecretOf(template)))).toBe(true);
  });

  test('without MongoDB\'s security group, the function reaches the port at any address, as the tasks do', () => {
    const { template } = synth((scope) => ({
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'mongo.example.com', username: 'fido', port: 27018, masterSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'Admin', 'mongo-admin') }),
    }));
    const group = schedulesBySecret(template)[mongoSecretOf(template)].HostedRotationLambda.VpcSecurityGroupIds['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[group].Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 27018, ToPort: 27018 }),
    ]);
  });
});

describe('MongoDB Atlas rotated by the library (atlasRotation)', () => {
  const fnOf = (template: Template) => logicalId(template, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('MongoDB Atlas password') });

  test('rotates at the interval with the function the library ships, on the newest Node.js runtime, the first one an interval after deployment', () => {
    const { template, stack } = atlasRotated();
    const fn = fnOf(template);
    expect(schedulesBySecret(template)[mongoSecretOf(template)]).toEqual({
      SecretId: { Ref: mongoSecretOf(template) },
      RotationLambdaARN: { 'Fn::GetAtt': [fn, 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(14 days)' },
      RotateImmediatelyOnUpdate: false,
    });
    const props = template.toJSON().Resources[fn].Properties;
    expect(props.Runtime).toBe(newestNamedNodeRuntime());
    expect(props.Environment.Variables).toEqual({
      ATLAS_PROJECT_ID: PROJECT_ID,
      ATLAS_API_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:atlas-api-AbCdEf',
      MONGODB_USERNAME: 'fido',
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    });
    // The alarm on failed rotations watches it.
    expect(stack.node.findAll().includes(stack.deployment.dataLayer.mongoDbRotationFunction as any)).toBe(true);
    expect(stack.deployment.dataLayer.mongoDbSecretRotates).toBe(true);
  });

  test('runs in the private subnets with HTTPS out only, and may read the Atlas API secret besides the four calls on its own', () => {
    const { template } = atlasRotated();
    const props = template.toJSON().Resources[fnOf(template)].Properties;
    const group = template.toJSON().Resources[props.VpcConfig.SecurityGroupIds[0]['Fn::GetAtt'][0]].Properties;
    expect(group.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    const privateSubnets = Object.keys(template.findResources('AWS::EC2::Subnet')).filter((id) => /PrivateSubnet/.test(id)).sort();
    expect(props.VpcConfig.SubnetIds.map((s: any) => s.Ref).sort()).toEqual(privateSubnets);
    const statements = statementsOf(template, props.Role['Fn::GetAtt'][0]);
    expect(statements).toContainEqual(expect.objectContaining({
      // In either order: cdk init's flags sort a statement's actions.
      Action: expect.arrayContaining(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']), Resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:atlas-api-AbCdEf',
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      Resource: { Ref: mongoSecretOf(template) },
    }));
  });

  test('both containers read the user as well as the password from the secret when a task starts: a rotation changes both', () => {
    const { template } = atlasRotated();
    for (const name of ['pyfido', 'tomcat']) {
      const secrets = Object.fromEntries(containerDefinition(template, name).Secrets.map((s: any) => [s.Name, JSON.stringify(s.ValueFrom)]));
      expect(secrets.MONGODB_USERNAME).toMatch(/:username::"/);
      expect(secrets.MONGODB_PASSWORD).toMatch(/:password::"/);
      expect(secrets.MONGODB_USERNAME).toContain(mongoSecretOf(template));
    }
  });

  test('no warning that the password never rotates; the secret is the one the services read, unchanged in shape', () => {
    const { template, stack } = atlasRotated();
    expect(warnings(stack, 'arculus-fido:mongodb-password-not-rotated')).toEqual([]);
    const value = JSON.parse(template.toJSON().Resources[mongoSecretOf(template)].Properties.GenerateSecretString.SecretStringTemplate);
    expect(value).toEqual({ username: 'fido', host: ATLAS.host, port: '27017' });
  });
});

describe('MongoDB Atlas rotated by the library, in prod\'s nested stacks with the customer-managed key', () => {
  test('the function decrypts and encrypts the secret with the key through Secrets Manager only, by its own policy (no cycle between the stacks)', () => {
    const { stack, template } = synth((scope) => ({
      deploymentEnvironment: DeploymentEnvironment.PROD,
      images: { tag: '1.0.0' },
      nestedStacks: true,
      mongoDb: MongoDbConnection.fromEndpoint({
        ...ATLAS, atlasRotation: { projectId: PROJECT_ID, apiSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'AtlasApi', 'atlas-api') },
      }),
    }));
    const data = Template.fromStack(stack.node.findAll().find((c) => Stack.isStack(c) && c.node.id === 'DataStack') as Stack);
    const fn = logicalId(data, 'AWS::Lambda::Function', { Description: Match.stringLikeRegexp('MongoDB Atlas password') });
    const role = data.toJSON().Resources[fn].Properties.Role['Fn::GetAtt'][0];
    expect(statementsOf(data, role)).toContainEqual(expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    }));
    // The key's policy, in the parent stack, names no role of the data stack (which would depend on it both ways).
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toMatch(/DataStack|MongoDbRotation/);
  });
});

describe('the prod warning of a MongoDB password that never rotates names the prop that turns rotation on', () => {
  test.each([
    ['an Atlas host', ATLAS.host, 'atlasRotation: { projectId, apiSecret }', 'masterSecret'],
    ['a self-managed host', 'mongo.internal.example.com', 'masterSecret (a self-managed server', 'atlasRotation'],
  ])('%s', (_kind, host, names, notNamed) => {
    const { stack } = synth({ deploymentEnvironment: DeploymentEnvironment.PROD, images: { tag: '1.0.0' }, mongoDb: MongoDbConnection.fromEndpoint({ host, username: 'fido' }) });
    const [warning, ...more] = warnings(stack, 'arculus-fido:mongodb-password-not-rotated');
    expect(more).toEqual([]);
    expect(warning).toContain(`Give MongoDbConnection.fromEndpoint() ${names}`);
    expect(warning).not.toContain(notNamed);
  });
});

describe('the rotation options of a MongoDB by endpoint are checked', () => {
  const apiSecret = (scope: Construct) => secretsmanager.Secret.fromSecretNameV2(scope, `Secret${scope.node.children.length}`, 'atlas-api');
  test.each([
    [(scope: Construct) => ({ masterSecret: apiSecret(scope), atlasRotation: { projectId: PROJECT_ID, apiSecret: apiSecret(scope) } }),
      'mongoDb.atlasRotation: rotates the password, and so does masterSecret: give one of rotation (your function), masterSecret (a self-managed server) and atlasRotation (MongoDB Atlas), got masterSecret and atlasRotation'],
    [() => ({ rotationInterval: Duration.days(7) }),
      'mongoDb.rotationInterval: is how often masterSecret or atlasRotation rotates the password, and neither is given'],
    [(scope: Construct) => ({ masterSecret: apiSecret(scope), rotationInterval: Duration.days(2000) }),
      'mongoDb.rotationInterval: Secrets Manager rotates every 1 to 1000 whole days'],
    [(scope: Construct) => ({ atlasRotation: { projectId: 'fido-prod', apiSecret: apiSecret(scope) } }),
      'mongoDb.atlasRotation.projectId: must be the ID of an Atlas project (24 hexadecimal digits, in the project\'s settings), got \'fido-prod\''],
    [() => ({ atlasRotation: { projectId: PROJECT_ID } }),
      'mongoDb.atlasRotation.apiSecret: is required: the secret holding the Atlas Administration API credentials'],
  ])('errors on %#', (options, expected) => {
    const message = synthError((scope) => ({ mongoDb: MongoDbConnection.fromEndpoint({ ...ATLAS, ...options(scope) } as any) }));
    expect(message).toEqual(expect.stringContaining(expected));
  });
});
