import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NestedStack, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { importsStack, testApp } from './util';
import { ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment, MongoDbConnection } from '../src';
import { run } from '../src/app/main';
import { addGuideStack, ALL_KEYS, GUIDE_KEYS, GuideParameters, loadGuide, parseParameters, secretBearing, UserError } from '../src/app/parameters';

// The app the npm package ships (`npx arculus-fido-app --parameters parameters/prod.json`): the
// deployment guide's parameters file, in either form, read as the props of one ArculusFidoStack.

const ENV = { account: '111111111111', region: 'us-east-1' };
const VARS = { CDK_DEFAULT_ACCOUNT: ENV.account, CDK_DEFAULT_REGION: ENV.region };
const FILE = 'parameters/prod.json';
const VPC_ID = 'vpc-0f0f0f0f0f0f0f0f0';
const PUBLIC = ['subnet-0aaaaaaaaaaaaaaa0', 'subnet-0aaaaaaaaaaaaaaa1'];
const PRIVATE = ['subnet-0bbbbbbbbbbbbbbb0', 'subnet-0bbbbbbbbbbbbbbb1'];
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-0000-4000-8000-000000000000';
const PASSWORD_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido-auth/prod/mongodb-password-AbCdEf';

/** The context `cdk synth` caches for Vpc.fromLookup of VPC_ID: public and private subnets in two AZs. */
const LOOKUP_CONTEXT = {
  [`vpc-provider:account=${ENV.account}:filter.vpc-id=${VPC_ID}:region=${ENV.region}:returnAsymmetricSubnets=true`]: {
    vpcId: VPC_ID,
    vpcCidrBlock: '10.0.0.0/16',
    ownerAccountId: ENV.account,
    availabilityZones: [],
    subnetGroups: [
      { name: 'Public', type: 'Public', subnets: PUBLIC.map((subnetId, i) => subnet(subnetId, 10 + i)) },
      { name: 'Private', type: 'Private', subnets: PRIVATE.map((subnetId, i) => subnet(subnetId, 20 + i)) },
    ],
  },
};

function subnet(subnetId: string, third: number) {
  return { subnetId, cidr: `10.0.${third}.0/24`, availabilityZone: `us-east-1${'ab'[third % 10]}`, routeTableId: `rtb-0c0c0c0c0c0c0c0${third}` };
}

/** The guide's eleven parameters, filled in as Step 3 asks (less the password), as a plain object. */
const GUIDE = {
  Environment: 'prod',
  ApplicationName: 'arculus-auth',
  VpcId: VPC_ID,
  PrivateSubnets: PRIVATE.join(','),
  PublicSubnets: PUBLIC.join(','),
  CertificateArn: CERTIFICATE_ARN,
  DomainName: 'auth.example.com',
  MongoDBHost: 'cluster0.abcde.mongodb.net',
  MongoDBUsername: 'fido',
  ImageTag: '1.4.2',
};

/** The same as CloudFormation's parameters list, as `aws cloudformation create-stack --parameters file://...` reads it. */
function asCloudFormationList(values: { [key: string]: unknown }): string {
  return JSON.stringify(Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })), undefined, 2);
}

/** The message of the error `fn` throws, which must be a user's error. */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const refusal = (values: { [key: string]: unknown }) => userError(() => parseParameters(JSON.stringify(values, undefined, 2), FILE));

/** The temporary directory of the test's parameters files, removed after the file's tests. */
const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-guide-'));
afterAll(() => fs.rmSync(TEMP, { recursive: true, force: true }));
let files = 0;

/** A parameters file in the temporary directory. */
function tempFile(name: string, text: string): string {
  const dir = path.join(TEMP, String(files++));
  fs.mkdirSync(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('the parameters file', () => {
  const expected: GuideParameters = {
    file: FILE,
    environment: DeploymentEnvironment.PROD,
    applicationName: 'arculus-auth',
    vpcId: VPC_ID,
    privateSubnetIds: PRIVATE,
    publicSubnetIds: PUBLIC,
    certificateArn: CERTIFICATE_ARN,
    domainName: 'auth.example.com',
    mongoDbHost: 'cluster0.abcde.mongodb.net',
    mongoDbUsername: 'fido',
    imageTag: '1.4.2',
  };

  test('is read as CloudFormation\'s parameters list', () => {
    expect(parseParameters(asCloudFormationList(GUIDE), FILE)).toEqual(expected);
  });

  test('is read as a plain JSON object, the same', () => {
    expect(parseParameters(JSON.stringify(GUIDE), FILE)).toEqual(expected);
  });

  test('takes JSON\'s own numbers, booleans and lists in a plain object, and the strings CloudFormation holds them as', () => {
    const options = {
      NestedStacks: true, WafEnabled: false, LogRetentionDays: 365, MongoDBPort: 27018, AllowedIngress: ['203.0.113.0/24', '198.51.100.0/24'], PublicSubnets: PUBLIC,
    };
    const asStrings = { NestedStacks: 'true', WafEnabled: 'False', LogRetentionDays: '365', MongoDBPort: '27018', AllowedIngress: '203.0.113.0/24, 198.51.100.0/24' };
    const want = { nestedStacks: true, wafEnabled: false, logRetentionDays: 365, mongoDbPort: 27018, allowedIngress: ['203.0.113.0/24', '198.51.100.0/24'], publicSubnetIds: PUBLIC };
    expect(parseParameters(JSON.stringify({ ...GUIDE, ...options }), FILE)).toMatchObject(want);
    expect(parseParameters(asCloudFormationList({ ...GUIDE, ...asStrings }), FILE)).toMatchObject(want);
  });

  test('takes an empty value, as a filled-in template leaves it, for a value not given: an empty password too', () => {
    const parameters = parseParameters(asCloudFormationList({ ...GUIDE, ImageTag: '', MongoDBPassword: '', HostedZoneId: '' }), FILE);
    expect(parameters.imageTag).toBeUndefined();
    expect(parameters.hostedZoneId).toBeUndefined();
  });

  test('holds every parameter of the guide\'s table', () => {
    expect(ALL_KEYS).toEqual(expect.arrayContaining([...GUIDE_KEYS]));
  });
});

describe('a file the app refuses, before anything is synthesized', () => {
  test('a plain-text MongoDB password: never echoed, with the command that stores it in Secrets Manager and the key that references it', () => {
    const message = userError(() => parseParameters(asCloudFormationList({ ...GUIDE, ApplicationName: 'fido-auth', MongoDBPassword: 'hunter2-S3cret' }), FILE));
    expect(message).toMatch(/^parameters\/prod\.json has 1 problem; nothing was synthesized:\n {2}- MongoDBPassword: a password in the parameters file is refused/);
    expect(message).toContain("aws secretsmanager create-secret --name fido-auth/prod/mongodb-password --secret-string '<the password>' --query ARN --output text");
    expect(message).toMatch(/remove MongoDBPassword and give the ARN that command prints as MongoDBPasswordSecretArn/);
    expect(message).not.toContain('hunter2');
  });

  test('a plain-text password, with the stack\'s region in the command', () => {
    const file = tempFile('prod.json', JSON.stringify({ ...GUIDE, MongoDBPassword: 'hunter2' }));
    const message = userError(() => loadGuide(file, { CDK_DEFAULT_ACCOUNT: ENV.account, CDK_DEFAULT_REGION: 'eu-west-1' }));
    expect(message).toContain('aws secretsmanager create-secret --region eu-west-1 --name arculus-auth/prod/mongodb-password');
    expect(message).not.toContain('hunter2');
  });

  test('a missing required key, named with what it holds', () => {
    const { VpcId: _vpc, MongoDBHost: _host, ...rest } = GUIDE;
    const message = refusal(rest);
    expect(message).toMatch(/has 2 problems/);
    expect(message).toMatch(/- VpcId: is required: the ID of the existing VPC, e\.g\. 'vpc-0123456789abcdef0'/);
    expect(message).toMatch(/- MongoDBHost: is required: the database host name/);
  });

  test('neither a certificate nor a hosted zone, and half a hosted zone', () => {
    const { CertificateArn: _certificate, ...rest } = GUIDE;
    expect(refusal(rest)).toMatch(/- CertificateArn: is required unless HostedZoneId and HostedZoneName are given \(then a DNS-validated certificate is created in that zone\)/);
    expect(refusal({ ...GUIDE, HostedZoneId: 'Z0123456789ABCDEFGHIJ' })).toMatch(/- HostedZoneName: is required with HostedZoneId: the hosted zone takes both its ID and its name/);
  });

  test.each([
    ['a case slip', 'mongoDBUserName', 'did you mean MongoDBUsername?'],
    ['one letter left out', 'DomainNam', 'did you mean DomainName?'],
    ['two letters swapped', 'ImageTga', 'did you mean ImageTag?'],
    ['one letter wrong', 'Enviroment', 'did you mean Environment?'],
    ['a key of the stack\'s environment', 'Region', 'is not read from the file: the CDK CLI deploys to the region of your AWS profile'],
    ['nothing close', 'Flavour', 'the parameters are Environment, ApplicationName, VpcId'],
  ])('an unknown key (%s), with the key it most likely means', (_what, key, expected) => {
    const message = refusal({ ...GUIDE, [key]: 'x' });
    expect(message).toContain(`- ${key}: `);
    expect(message).toContain(expected);
  });

  test('an unknown key is never a required key\'s stand-in: the required one is still missing', () => {
    const { Environment: _environment, ...rest } = GUIDE;
    const message = refusal({ ...rest, environment: 'prod' });
    expect(message).toMatch(/- environment: is not a parameter of this app, so it would be ignored; did you mean Environment\?/);
    expect(message).toMatch(/- Environment: is required/);
  });

  test('bad JSON, at its line and column, with the usual cause', () => {
    const text = '{\n  "Environment": "prod",\n  "VpcId": "vpc-0f0f0f0f0f0f0f0f0",\n}\n';
    expect(userError(() => parseParameters(text, FILE))).toMatch(
      /^parameters\/prod\.json has 1 problem; nothing was synthesized:\n {2}- JSON: not valid at line 4, column 1: .* \(JSON takes no comma before a closing \} or \]\)$/);
    expect(userError(() => parseParameters("{'Environment': 'prod'}", FILE))).toMatch(/- JSON: not valid at line 1, column 2: .*\(JSON strings and keys take double quotes\)/);
    expect(userError(() => parseParameters('', FILE))).toMatch(/- JSON: not valid at line 1, column 1: the file ends before the JSON does \(the file is empty\)/);
  });

  test('JSON of neither form', () => {
    // Its kind, not its value: a file of the wrong form may be any file, a password's too.
    expect(refusal('prod' as any)).toMatch(/- JSON: the file must be a list of \{"ParameterKey": \.\.\., "ParameterValue": \.\.\.\} entries .* or an object such as \{"Environment": "prod", \.\.\.\}, got a string$/);
  });

  test('CloudFormation entries this app cannot read', () => {
    const text = JSON.stringify([
      ...JSON.parse(asCloudFormationList(GUIDE)).filter((e: any) => e.ParameterKey !== 'ImageTag'),
      { ParameterKey: 'ImageTag', UsePreviousValue: true },
      { ParameterKey: 'ApplicationName', ParameterValue: 'other' },
      'Environment=prod',
    ]);
    const message = userError(() => parseParameters(text, FILE));
    expect(message).toMatch(/- ImageTag: has UsePreviousValue, an update-stack option that keeps a deployed value: this app has no deployed value to keep; give ParameterValue/);
    expect(message).toMatch(/- ImageTag: has no ParameterValue; give one, or remove the entry/);
    expect(message).toMatch(/- ApplicationName: is given more than once; keep one/);
    expect(message).toMatch(/- \[11\]: must be an object \{"ParameterKey": \.\.\., "ParameterValue": \.\.\.\}, got a string; /);
  });

  test.each([
    ['Environment', 'Prod', "must be one of dev, staging, prod, got 'Prod'; did you mean 'prod'?"],
    ['VpcId', 'vpc-123', "must be a VPC ID such as 'vpc-0123456789abcdef0', got 'vpc-123'"],
    ['PrivateSubnets', `${PRIVATE[0]},subnet-xyz`, "must be a subnet ID such as 'subnet-0123456789abcdef0', got 'subnet-xyz'"],
    ['PrivateSubnets', `${PRIVATE[0]},,${PRIVATE[1]}`, 'has an empty item (two commas in a row, or one at an end)'],
    ['PublicSubnets', `${PUBLIC[0]},${PUBLIC[0]}`, `lists '${PUBLIC[0]}' more than once`],
    ['CertificateArn', 'auth.example.com', "must be an ACM certificate ARN such as 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-...', got 'auth.example.com'"],
    ['ImageTag', 1.0, "must be a string (the tag of both images in ECR, e.g. '1.4.2' (default 'latest')), got 1"],
    ['NestedStacks', 'yes', "must be true or false (or the strings 'true', 'false') (true for the network, data and services in three nested stacks (default false)), got 'yes'"],
    ['LogRetentionDays', 8, 'must be a period CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90'],
    ['MongoDBPort', '27o17', 'must be a whole number (the database port (default 27017)), got \'27o17\''],
    ['MongoDBPort', 70000, 'must be a TCP port from 1 to 65535, got 70000'],
    ['AllowedIngress', '10.0.0.0/33', "each item must be an IPv4 CIDR such as '203.0.113.0/24' (0.0.0.0/0 for any client), got '10.0.0.0/33'"],
    ['StackName', '1-fido', 'must be a CloudFormation stack name: a letter, then letters, digits and hyphens'],
    ['HostedZoneId', 'zone-1', "must be a Route 53 hosted zone ID such as 'Z0123456789ABCDEFGHIJ'"],
    ['MongoDBPasswordSecretArn', 'fido/mongo', "must be a Secrets Manager secret ARN such as 'arn:aws:secretsmanager:"],
  ])('%s of the wrong form: %j', (key, value, expected) => {
    const values = { ...GUIDE, [key]: value, ...(key === 'HostedZoneId' ? { HostedZoneName: 'example.com' } : {}) };
    expect(refusal(values)).toContain(`- ${key}: ${expected}`);
  });

  test('an ApplicationName that would name the stack as CloudFormation refuses, unless StackName is given', () => {
    expect(refusal({ ...GUIDE, ApplicationName: 'Arculus_Auth' })).toMatch(
      /- ApplicationName: names the stack 'Arculus_Auth-prod' \(<ApplicationName>-<Environment>\), which CloudFormation refuses; .* or give a StackName/);
    expect(() => parseParameters(JSON.stringify({ ...GUIDE, ApplicationName: 'Arculus_Auth', StackName: 'FidoProd' }), FILE)).not.toThrow();
  });

  test('every problem of the file in one error', () => {
    const { DomainName: _domain, ...rest } = GUIDE;
    const message = refusal({ ...rest, Environment: 'production', MongoDBPassword: 'x', Imagetag: '2', VpcId: 'vpc' });
    expect(message).toMatch(/^parameters\/prod\.json has 5 problems; nothing was synthesized:\n/);
    for (const key of ['Environment', 'MongoDBPassword', 'Imagetag', 'VpcId', 'DomainName']) {
      expect(message).toMatch(new RegExp(`\n {2}- ${key}: `));
    }
  });

  test('no account or region: run it through the CDK CLI, in the same error as the file\'s problems', () => {
    const file = tempFile('prod.json', JSON.stringify({ ...GUIDE, VpcId: 'vpc' }));
    const message = userError(() => loadGuide(file, {}));
    expect(message).toMatch(/^nothing was synthesized from .*prod\.json, 2 problems:\n/);
    expect(message).toMatch(/- VpcId: must be a VPC ID/);
    expect(message).toMatch(/- CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION: are not set: the stack needs its account and region to look the VPC up; run the app through the CDK CLI, which sets them from your AWS credentials and profile: npx cdk deploy --app "npx arculus-fido-app --parameters <file>"/);
  });

  test('a password secret of another region', () => {
    const file = tempFile('prod.json', JSON.stringify({ ...GUIDE, MongoDBPasswordSecretArn: PASSWORD_ARN.replace('us-east-1', 'eu-west-1') }));
    expect(userError(() => loadGuide(file, VARS))).toMatch(/- MongoDBPasswordSecretArn: is in eu-west-1, but the stack deploys to us-east-1, and CloudFormation resolves secrets of its own region only/);
  });

  test('a file that does not exist', () => {
    expect(userError(() => loadGuide('parameters/nope.json', VARS))).toMatch(/- --parameters: parameters\/nope\.json does not exist \(relative paths start at .*\); give the path of the parameters file/);
  });

  test('a file over 1 MiB, named with the limit, unread past it; one of 1 MiB is read', () => {
    const padded = (bytes: number) => {
      const text = JSON.stringify(GUIDE);
      return `${text}${' '.repeat(bytes - text.length)}`;
    };
    const large = tempFile('prod.json', padded(1024 * 1024 + 1));
    const message = userError(() => loadGuide(large, VARS));
    expect(message).toMatch(/^nothing was synthesized from .*prod\.json, 1 problem:\n/);
    expect(message).toContain(`- --parameters: ${large} is larger than 1 MiB (1048576 bytes), the most a parameters file may be (it holds a few dozen short values); check that --parameters names the parameters file`);
    expect(loadGuide(tempFile('prod.json', padded(1024 * 1024)), VARS).parameters.vpcId).toBe(VPC_ID);
  });

  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%s, a name every object inherits, is an unknown key like any other', (key) => {
    // JSON.parse makes "__proto__" an own key of the object, as it does any other.
    const text = JSON.stringify(GUIDE).replace(/^\{/, `{${JSON.stringify(key)}: "x", `);
    const message = userError(() => parseParameters(text, FILE));
    expect(message).toMatch(/has 1 problem/);
    expect(message).toContain(`- ${key}: is not a parameter of this app, so it would be ignored; `);
    expect(userError(() => parseParameters(asCloudFormationList({ ...GUIDE, [key]: 'x' }), FILE))).toContain(`- ${key}: is not a parameter of this app`);
  });
});

describe('a value that may be a secret, which no message shows', () => {
  const PASSWORD = 'Hunter2-Pa55word!';

  test('the rule: a key whose name, in any case, holds password, passwd, passphrase, passcode, pwd, secret, token, credential or key', () => {
    expect(ALL_KEYS.filter(secretBearing)).toEqual(['MongoDBPassword', 'CustomerManagedKey', 'MongoDBPasswordSecretArn']);
    for (const key of ['mongodbpassword', 'DB_PASSWD', 'Passphrase', 'SmtpPasscode', 'PWD', 'ClientSecret', 'ApiToken', 'AwsCredentials', 'ApiKey', 'PRIVATE_KEY']) {
      expect([key, secretBearing(key)]).toEqual([key, true]);
    }
    for (const key of ['MongoDBHost', 'MongoDBUsername', 'DomainName', 'Environment', 'HostedZoneId', 'ImageTag', 'AllowedIngress']) {
      expect([key, secretBearing(key)]).toEqual([key, false]);
    }
  });

  test.each([
    ['a password pasted as the secret\'s ARN', 'MongoDBPasswordSecretArn', PASSWORD, "must be a Secrets Manager secret ARN such as 'arn:aws:secretsmanager:us-east-1:111111111111:secret:arculus-auth/prod/mongodb-password-AbCdEf', got a value that is not shown (MongoDBPasswordSecretArn may hold a secret)"],
    ['a number as the secret\'s ARN', 'MongoDBPasswordSecretArn', 20250101, 'must be a string (the ARN of a Secrets Manager secret that holds the database password as plain text (default: a password is generated into the deployment\'s MongoDB secret)), got a number that is not shown (MongoDBPasswordSecretArn may hold a secret)'],
    ['a string for the key switch', 'CustomerManagedKey', PASSWORD, "must be true or false (or the strings 'true', 'false') (true for one customer-managed KMS key for logs, secrets and database (default true in prod, false in dev and staging)), got a string that is not shown (CustomerManagedKey may hold a secret)"],
  ])('%s: the problem, with the key and the fix, not the value', (_what, key, value, expected) => {
    for (const text of [JSON.stringify({ ...GUIDE, [key]: value }), asCloudFormationList({ ...GUIDE, [key]: value })]) {
      const message = userError(() => parseParameters(text, FILE));
      expect(message).toContain(`- ${key}: ${expected}`);
      expect(message).not.toContain(String(value));
      expect(message).not.toContain(String(value).slice(0, 4));
    }
  });

  test('nor the value of an unknown key, nor an entry of the list form that is not an object, which is the value of no key', () => {
    const message = userError(() => parseParameters(JSON.stringify([
      ...JSON.parse(asCloudFormationList({ ...GUIDE, MongoDBPasswrd: PASSWORD })),
      `MongoDBPassword=${PASSWORD}`,
    ]), FILE));
    expect(message).toContain('- MongoDBPasswrd: is not a parameter of this app, so it would be ignored; did you mean MongoDBPassword?');
    expect(message).toContain('- [11]: must be an object {"ParameterKey": ..., "ParameterValue": ...}, got a string; the file must be');
    expect(message).not.toContain('Hunt');
  });

  test('nor a part of the file around a JSON syntax error, which may be a value: only its line and column', () => {
    const text = `{\n  "Environment": "prod",\n  "MongoDBPasswordSecretArn": ${PASSWORD}\n}\n`;
    const message = userError(() => parseParameters(text, FILE));
    expect(message).toMatch(/- JSON: not valid at line 3, column 31: an unexpected character/);
    expect(message).not.toContain('Hunt');
    expect(message).not.toMatch(/'H'|"H"/);
  });
});

describe('values the deployment refuses', () => {
  const refused = (values: { [key: string]: unknown }) => userError(() => {
    addGuideStack(testApp({ context: LOOKUP_CONTEXT }), parseParameters(JSON.stringify(values), FILE), ENV);
  });

  test('are named by the file\'s keys, in the deployment\'s one gathered error', () => {
    const message = refused({ ...GUIDE, PrivateSubnets: `${PUBLIC[0]},${PRIVATE[1]}`, PublicSubnets: `${PUBLIC[0]},subnet-0123456789abcdef0`, DomainName: 'auth..example.com' });
    expect(message).toMatch(/^parameters\/prod\.json: the deployment refuses these values:\nArculusFidoDeployment 'arculus-auth-prod\/Fido' has \d+ problems in its props:\n/);
    expect(message).toMatch(new RegExp(`- PrivateSubnets \\(network\\.privateSubnets\\): ${PUBLIC[0]} is a public subnet of network\\.vpc`));
    expect(message).toMatch(new RegExp(`- PublicSubnets \\(network\\.publicSubnets\\): subnet-0123456789abcdef0 is not a subnet of network\\.vpc \\(${VPC_ID}\\)`));
    expect(message).toMatch(/- DomainName \(domain\.domainName\): /);
  });

  test('subnets in one AZ', () => {
    expect(refused({ ...GUIDE, PublicSubnets: PUBLIC[0] })).toMatch(/- PublicSubnets \(network\.publicSubnets\): selects subnets in 1 Availability Zone \(us-east-1a\)/);
  });
});

describe('the VPC, before the CDK CLI has looked it up', () => {
  test('is all the app synthesizes: the CLI looks it up in the stack\'s account and region and runs the app again', () => {
    const app = testApp();
    expect(addGuideStack(app, parseParameters(JSON.stringify(GUIDE), FILE), ENV)).toBeUndefined();
    const assembly = app.synth();
    expect(assembly.manifest.missing).toEqual([expect.objectContaining({
      key: Object.keys(LOOKUP_CONTEXT)[0],
      provider: 'vpc-provider',
      props: expect.objectContaining({ account: ENV.account, region: ENV.region, filter: { 'vpc-id': VPC_ID } }),
    })]);
    expect(assembly.stacks.flatMap((s) => Object.keys(s.template.Resources ?? {}))).toEqual([]);
  });
});

/** The typed props a TypeScript user writes for the same values: the VPC looked up in a stack of imports. */
function typedProps(scope: Construct, overrides: Partial<ArculusFidoStackProps> = {}): ArculusFidoStackProps {
  return {
    env: ENV,
    deploymentEnvironment: DeploymentEnvironment.PROD,
    applicationName: 'fido-auth',
    domain: {
      domainName: 'auth.example.com',
      certificate: acm.Certificate.fromCertificateArn(scope, 'Certificate', CERTIFICATE_ARN),
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
    },
    mongoDb: MongoDbConnection.fromEndpoint({
      host: 'cluster0.abcde.mongodb.net', username: 'fido', port: 27018, password: SecretValue.secretsManager(PASSWORD_ARN),
    }),
    network: {
      vpc: ec2.Vpc.fromLookup(scope, 'Vpc', { vpcId: VPC_ID }),
      publicSubnets: { subnetType: ec2.SubnetType.PUBLIC, subnetFilters: [ec2.SubnetFilter.byIds(PUBLIC)] },
      privateSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, subnetFilters: [ec2.SubnetFilter.byIds(PRIVATE)] },
      allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.ipv4('198.51.100.0/24')],
    },
    images: { tag: '1.4.2' },
    waf: { enabled: true },
    logging: { retention: logs.RetentionDays.ONE_YEAR },
    encryption: { customerManagedKey: true },
    ...overrides,
  };
}

/** The same values in the guide's file, with the options under their keys. */
const GUIDE_WITH_OPTIONS = {
  ...GUIDE,
  ApplicationName: 'fido-auth',
  StackName: 'FidoProd',
  HostedZoneId: 'Z0123456789ABCDEFGHIJ',
  HostedZoneName: 'example.com',
  MongoDBPort: '27018',
  MongoDBPasswordSecretArn: PASSWORD_ARN,
  AllowedIngress: '203.0.113.0/24,198.51.100.0/24',
  WafEnabled: 'true',
  LogRetentionDays: '365',
  CustomerManagedKey: 'true',
};

/** Both apps, each with the lookup context the CDK CLI would have cached (and the CLI's own, as the version matrix sets it). */
function synthesizeBoth(text: string, overrides: Partial<ArculusFidoStackProps> = {}): { guide: ArculusFidoStack; typed: ArculusFidoStack } {
  const guideApp = testApp({ context: LOOKUP_CONTEXT });
  const guide = addGuideStack(guideApp, parseParameters(text, FILE), ENV)!;
  const typedApp = testApp({ context: LOOKUP_CONTEXT });
  const typed = new ArculusFidoStack(typedApp, 'FidoProd', typedProps(importsStack(typedApp), overrides));
  return { guide, typed };
}

function countByType(template: any): { [type: string]: number } {
  const counts: { [type: string]: number } = {};
  for (const resource of Object.values(template.Resources ?? {}) as any[]) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

/** The two templates have the same resources, each alike by logical ID, and the same outputs and parameters. */
function expectSameTemplate(guide: Stack, typed: Stack): void {
  const g = Template.fromStack(guide).toJSON();
  const t = Template.fromStack(typed).toJSON();
  expect(countByType(g)).toEqual(countByType(t));
  expect(Object.keys(g.Resources).sort()).toEqual(Object.keys(t.Resources).sort());
  for (const id of Object.keys(t.Resources)) {
    expect({ [id]: g.Resources[id] }).toEqual({ [id]: t.Resources[id] });
  }
  expect(g.Outputs).toEqual(t.Outputs);
  expect(g.Parameters).toEqual(t.Parameters);
}

describe('the guide\'s file and the typed API, with the same values', () => {
  let guide: ArculusFidoStack;
  let typed: ArculusFidoStack;
  let template: Template;
  beforeAll(() => {
    ({ guide, typed } = synthesizeBoth(JSON.stringify(GUIDE_WITH_OPTIONS)));
    template = Template.fromStack(guide);
  });

  test('synthesize the same stack: resource types and counts, every resource by logical ID, outputs', () => {
    expect(guide.stackName).toBe('FidoProd');
    expect(guide.account).toBe(ENV.account);
    expect(guide.region).toBe(ENV.region);
    expectSameTemplate(guide, typed);
  });

  test('leave the app one stack: the lookups leave it once answered', () => {
    expect(guide.node.root.node.children.filter(Stack.isStack).map((s) => s.node.id)).toEqual(['FidoProd']);
  });

  test('put the load balancer in PublicSubnets and the tasks in PrivateSubnets', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: PUBLIC, Scheme: 'internet-facing' });
    template.allResourcesProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: PRIVATE }) },
    });
  });

  test('serve DomainName with CertificateArn, aliased in the hosted zone', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Certificates: [{ CertificateArn: CERTIFICATE_ARN }] });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'auth.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  });

  test('keep a reference to the password secret in the MongoDB secret, never a value, beside MongoDBHost, MongoDBUsername and MongoDBPort', () => {
    const [secret] = Object.values(template.findResources('AWS::SecretsManager::Secret', { Properties: { Description: Match.stringLikeRegexp('MongoDB') } })) as any[];
    const json = JSON.stringify(secret.Properties.SecretString);
    expect(json).toContain(`{{resolve:secretsmanager:${PASSWORD_ARN}:SecretString:::}}`);
    expect(json).toContain('cluster0.abcde.mongodb.net');
    expect(json).toContain('27018');
  });

  test('run ImageTag from the ECR repositories named after ApplicationName', () => {
    const images = JSON.stringify((Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[]).map((td) => td.Properties.ContainerDefinitions.map((c: any) => c.Image)));
    expect(images).toContain('/fido-auth/pyfido:1.4.2');
    expect(images).toContain('/fido-auth/tomcat:1.4.2');
  });

  test('admit AllowedIngress only, keep logs LogRetentionDays, encrypt with a customer-managed key, put WAF in front', () => {
    const ingress = (Object.values(template.findResources('AWS::EC2::SecurityGroup')) as any[]).flatMap((sg) => sg.Properties.SecurityGroupIngress ?? []);
    expect(new Set(ingress.map((rule: any) => rule.CidrIp).filter(Boolean))).toEqual(new Set(['203.0.113.0/24', '198.51.100.0/24']));
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});

describe('the guide\'s file in CloudFormation\'s form, with nested stacks, and the typed API', () => {
  let guide: ArculusFidoStack;
  let typed: ArculusFidoStack;
  beforeAll(() => {
    ({ guide, typed } = synthesizeBoth(asCloudFormationList({ ...GUIDE_WITH_OPTIONS, NestedStacks: 'true' }), { nestedStacks: true }));
  });

  const nested = (stack: Stack) => stack.node.findAll().filter(NestedStack.isNestedStack).map((s) => s as Stack);

  test('synthesize the same parent stack and the same three nested stacks, resource by resource', () => {
    expectSameTemplate(guide, typed);
    const g = nested(guide);
    const t = nested(typed);
    expect(g.map((s) => s.node.path)).toEqual(t.map((s) => s.node.path));
    expect(g.map((s) => s.node.id)).toEqual(['NetworkStack', 'DataStack', 'ServicesStack']);
    g.forEach((stack, i) => expectSameTemplate(stack, t[i]));
  });
});

describe('the command line', () => {
  test('--help says how to run it and which keys the file takes', () => {
    let out = '';
    run(['--help'], {}, (text) => (out += text));
    expect(out).toMatch(/^Usage: arculus-fido-app --parameters <file>/);
    expect(out).toContain('npx cdk deploy --app "npx arculus-fido-app --parameters parameters/prod.json"');
  });

  test.each([
    [[], /^--parameters <file> is required\n\nUsage:/],
    [['--parameters'], /^--parameters takes the path of the parameters file/],
    [['parameters/prod.json'], /^unknown argument 'parameters\/prod\.json'\n\nUsage:/],
  ])('refuses %j with the usage', (argv, expected) => {
    expect(userError(() => run(argv, VARS, () => undefined))).toMatch(expected);
  });
});

/** What a run of the command printed, and where its cloud assembly is. */
interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  readonly outdir: string;
}

const ROOT = path.join(__dirname, '..');

/**
 * A require hook that runs src/ as it is, not lib/, which a `test` without `compile` would leave
 * stale: each .ts file transpiled on load, with the compiler options of tsconfig.json, by esbuild
 * (a dev dependency, which bundles the Lambda functions). ts-node would load the TypeScript
 * compiler into each process, which cost more CPU than the synth.
 */
function transpileHook(): string {
  const file = path.join(TEMP, 'transpile-ts.js');
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  fs.writeFileSync(file, [
    'const fs = require(\'fs\');',
    `const { transformSync } = require(${JSON.stringify(require.resolve('esbuild'))});`,
    'require.extensions[\'.ts\'] = (module, filename) => {',
    `  const options = { loader: 'ts', format: 'cjs', sourcefile: filename, sourcemap: 'inline', tsconfigRaw: { compilerOptions: ${JSON.stringify(compilerOptions)} } };`,
    '  module._compile(transformSync(fs.readFileSync(filename, \'utf8\'), options).code, filename);',
    '};',
  ].join('\n'));
  return file;
}

/** Runs the bin as `cdk deploy --app` runs it: a fresh process, the CLI's variables, its own outdir. */
function runBin(parameters: string, context: object, hook: string): Promise<Outcome> {
  const outdir = fs.mkdtempSync(path.join(TEMP, 'out-'));
  const cliContext = JSON.parse(process.env[cxapi.CONTEXT_ENV] ?? '{}');
  const env = { ...process.env, ...VARS, CDK_OUTDIR: outdir, [cxapi.CONTEXT_ENV]: JSON.stringify({ ...cliContext, ...context }) };
  const child = spawn(process.execPath, ['-r', hook, path.join(ROOT, 'src/app/main.ts'), '--parameters', parameters], { cwd: ROOT, env });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr, outdir })));
}

/** Runs the app in this process, as the bin does, with the CLI's variables, no lookup context and its own outdir. */
function runInProcess(parameters: string): Outcome {
  const outdir = fs.mkdtempSync(path.join(TEMP, 'out-'));
  const saved = { outdir: process.env[cxapi.OUTDIR_ENV], context: process.env[cxapi.CONTEXT_ENV] };
  process.env[cxapi.OUTDIR_ENV] = outdir;
  delete process.env[cxapi.CONTEXT_ENV];
  try {
    run(['--parameters', parameters], VARS, () => {});
    return { code: 0, stderr: '', outdir };
  } finally {
    for (const [name, value] of [[cxapi.OUTDIR_ENV, saved.outdir], [cxapi.CONTEXT_ENV, saved.context]] as const) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  }
}

describe('the bin, run as the CDK CLI runs it', () => {
  let deployed: Outcome;
  let refused: Outcome;
  let pending: Outcome;
  const guideFile = tempFile('prod.json', asCloudFormationList(GUIDE));
  beforeAll(async () => {
    // Two processes, as the CLI starts them: the synth, and a refusal's exit code and message.
    const hook = transpileHook();
    [deployed, refused] = await Promise.all([
      runBin(guideFile, LOOKUP_CONTEXT, hook),
      runBin(tempFile('prod.json', asCloudFormationList({ ...GUIDE, MongoDBPassword: 'hunter2' })), LOOKUP_CONTEXT, hook),
    ]);
    // A pending lookup needs no process of its own: the app run in this one, with the CLI's
    // variables and no lookup context, writes what it is missing to CDK_OUTDIR.
    pending = runInProcess(guideFile);
  }, 60_000);

  test('writes one stack, <ApplicationName>-<Environment>, for the stack\'s account and region, to CDK_OUTDIR', () => {
    expect(deployed.code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(deployed.outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.entries(manifest.artifacts).filter(([, a]: [string, any]) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map(([id, a]: [string, any]) => [id, a.environment])).toEqual([['arculus-auth-prod', 'aws://111111111111/us-east-1']]);
    const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(deployed.outdir, 'arculus-auth-prod.template.json'), 'utf8')));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: PUBLIC });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'arculus-auth-prod' });
    template.hasOutput('LoadBalancerDNS', {});
  });

  test('refuses a password with the one message and exit code 1, no stack trace, nothing written', () => {
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^arculus-fido-app: .*prod\.json has 1 problem; nothing was synthesized:\n {2}- MongoDBPassword: /);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).not.toContain('hunter2');
    expect(fs.readdirSync(refused.outdir)).toEqual([]);
  });

  test('without the lookup context, asks the CLI for it', () => {
    expect(pending.code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(pending.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.missing.map((m: any) => m.key)).toEqual(Object.keys(LOOKUP_CONTEXT));
  });
});
