/**
 * Synthesizes every preset (dev, staging, prod), flat, in nested stacks and with every scaling
 * option, with a created DocumentDB cluster, plus MongoDB Atlas with a customer-managed key and
 * WAF, and in every preset blue/green and canary services with their deployment checks, NAT
 * instances, a dual-stack load balancer (IPv6 clients), and prod with a MongoDB by endpoint whose
 * password rotates (Atlas with the library's function, a self-managed server with AWS's
 * multi-user function; flat and nested), prod as a failover pair in two regions (on Atlas, its
 * application secret read by another account, and on a DocumentDB global cluster), and prod writing its records in a zone of another account (the
 * zone's `FidoHostedZoneRole`, a dual-stack deployment's alias records and a failover secondary's),
 * into `cdk.out/security/`, for cfn-lint and checkov (`tools/security/scan`); and the runbooks
 * (`FidoRunbooks`) on a bare stack, into `cdk.out/security/runbooks/`, whose Automation documents
 * `tools/security/runbooks.py` also judges against botocore's API models (and, with
 * `tools/security/sdk_calls.py`, every template's AwsCustomResource SDK calls, such as the records
 * written in the zone of another account).
 *
 *   npx projen synth:security
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  ArculusFidoImagesStack, ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment, FidoHostedZoneRole, MongoDbConnection, NatType,
} from '../../src';
import { addReviewedPair, addReviewedStack, ENV, everyScaling, givenVpc, importsStack, PAIR_SECONDARY_REGION } from '../../test/util';

const OUT = path.join('cdk.out', 'security');

/** A shape's props, or a function of the stack its imported resources (secrets, groups) live in. */
type Shape = Partial<ArculusFidoStackProps> | ((imports: Construct) => Partial<ArculusFidoStackProps>);

const shapes: Record<string, Shape> = {};
for (const environment of Object.values(DeploymentEnvironment)) {
  for (const nestedStacks of [false, true]) {
    shapes[`${environment}-${nestedStacks ? 'nested' : 'flat'}`] = {
      deploymentEnvironment: environment,
      nestedStacks,
      mongoDb: MongoDbConnection.documentDb(),
    };
  }
  // Every scaling option: policies, schedules, forecast, and office hours where the preset takes them.
  shapes[`${environment}-scaling`] = { deploymentEnvironment: environment, mongoDb: MongoDbConnection.documentDb(), sizing: everyScaling(environment) };
}
for (const environment of Object.values(DeploymentEnvironment)) {
  shapes[`${environment}-bluegreen`] = {
    deploymentEnvironment: environment,
    mongoDb: MongoDbConnection.documentDb(),
    services: {
      pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } },
      tomcat: { deployment: { strategy: ecs.DeploymentStrategy.CANARY } },
    },
  };
}
// The network levers: NAT instances (beside the S3 gateway endpoint every created VPC has).
for (const environment of Object.values(DeploymentEnvironment)) {
  shapes[`${environment}-nat-instance`] = { deploymentEnvironment: environment, mongoDb: MongoDbConnection.documentDb(), network: { natType: NatType.INSTANCE } };
}
// IPv6 clients: each preset's flat shape with a dual-stack load balancer, and nothing else changed,
// so that the scan also judges turning it on in a running deployment (it must replace nothing).
for (const environment of Object.values(DeploymentEnvironment)) {
  shapes[`${environment}-dual-stack`] = {
    deploymentEnvironment: environment,
    nestedStacks: false,
    mongoDb: MongoDbConnection.documentDb(),
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
  };
}
shapes['dev-atlas-cmk-waf'] = {
  deploymentEnvironment: DeploymentEnvironment.DEV,
  mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
  encryption: { customerManagedKey: true },
  waf: { enabled: true },
  loadBalancer: { redirectHttp: true },
  services: { tomcat: { enableExecuteCommand: true } },
};

// A MongoDB by endpoint whose password rotates, in prod (flat and nested): MongoDB Atlas with the
// library's function, and a self-managed server in the VPC with AWS's multi-user function.
for (const nestedStacks of [false, true]) {
  const layout = nestedStacks ? 'nested' : 'flat';
  shapes[`prod-atlas-rotation-${layout}`] = (imports) => ({
    deploymentEnvironment: DeploymentEnvironment.PROD,
    nestedStacks,
    mongoDb: MongoDbConnection.fromEndpoint({
      host: 'cluster0.abcde.mongodb.net',
      username: 'fido',
      atlasRotation: { projectId: '0123456789abcdef01234567', apiSecret: secretsmanager.Secret.fromSecretNameV2(imports, 'AtlasApi', 'atlas-api') },
    }),
  });
  shapes[`prod-selfmanaged-rotation-${layout}`] = (imports) => ({
    deploymentEnvironment: DeploymentEnvironment.PROD,
    nestedStacks,
    network: { vpc: givenVpc(imports) },
    mongoDb: MongoDbConnection.fromEndpoint({
      host: 'mongo.internal.example.com',
      username: 'fido',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(imports, 'MongoDb', 'sg-0123456789abcdef0'),
      masterSecret: secretsmanager.Secret.fromSecretCompleteArn(imports, 'Admin', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mongo-admin-AbCdEf'),
    }),
  });
}

/** An app writing to `cdk.out/security/<name>`. */
function appFor(name: string): App {
  return new App({
    outdir: path.join(OUT, name),
    // What `cdk synth` with credentials caches in cdk.context.json; without it the VPC's subnets
    // name the placeholder zones 'dummy1a' and 'dummy1b'.
    context: {
      [`availability-zones:account=${ENV.account}:region=${ENV.region}`]: ['us-east-1a', 'us-east-1b'],
      [`availability-zones:account=${ENV.account}:region=${PAIR_SECONDARY_REGION}`]: ['us-west-2a', 'us-west-2b'],
    },
  });
}

fs.rmSync(OUT, { recursive: true, force: true });
for (const [name, props] of Object.entries(shapes)) {
  const app = appFor(name);
  addReviewedStack(app, 'ArculusFido', typeof props === 'function' ? props(importsStack(app, 'UserImports')) : props);
  const assembly = app.synth();
  // Only the deployment's templates: the imports stacks are empty.
  for (const imports of ['Imports', 'UserImports']) {
    fs.rmSync(path.join(assembly.directory, `${imports}.template.json`), { force: true });
  }
  const templates = fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json'));
  console.log(`${name}: ${templates.length} templates`);
}

// The image repositories (the guide's Step 1), in their own stack, retained (prod) and not (dev);
// prod's replicating every push to a second region (a failover pair's) and to another account's
// registry, which lets it replicate there.
for (const environment of [DeploymentEnvironment.DEV, DeploymentEnvironment.PROD]) {
  const app = appFor(`images-${environment}`);
  const prod = environment === DeploymentEnvironment.PROD;
  const other = { account: '222222222222', region: PAIR_SECONDARY_REGION };
  new ArculusFidoImagesStack(app, 'ArculusFidoImages', {
    env: ENV,
    deploymentEnvironment: environment,
    ...(prod ? { replicationRegions: [PAIR_SECONDARY_REGION], replicationRegistries: [other] } : {}),
  });
  if (prod) {
    new ArculusFidoImagesStack(app, 'ArculusFidoImagesOtherAccount', { env: other, deploymentEnvironment: environment, replicationSourceAccounts: [ENV.account] });
  }
  app.synth();
  console.log(`images-${environment}: ${prod ? 2 : 1} template(s)`);
}

// Prod in two regions with DNS failover (docs/failover.md): both regions' stacks, dual-stack, the
// secondary a pilot light, the application secret readable by another account in both.
{
  const app = appFor('prod-pair');
  addReviewedPair(app, {
    secondary: {
      env: { ...ENV, region: PAIR_SECONDARY_REGION },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      standbyTasks: 0,
    },
  }, {
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
    // Another account reads the application secret, in both regions (docs/failover.md).
    secrets: { applicationSecretReaderAccounts: ['222222222222'] },
  });
  const assembly = app.synth();
  fs.rmSync(path.join(assembly.directory, 'Imports.template.json'), { force: true });
  console.log(`prod-pair: ${fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json')).length} templates`);
}

// Prod in two regions of two accounts (docs/failover.md, A secondary in another account): the
// link stack in the secondary's account, the replica's key in the primary's, the primary writing
// its values there through the link role, and the secondary writing both regions' failover
// records, A and AAAA, in a third account's zone through its FidoHostedZoneRole.
{
  const app = appFor('prod-pair-two-accounts');
  const secondaryEnv = { account: '222222222222', region: PAIR_SECONDARY_REGION };
  const imports = importsStack(app, 'PrimaryImports');
  const dns = new Stack(app, 'Dns', { env: { account: '333333333333', region: ENV.region } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(dns, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const zoneRole = new FidoHostedZoneRole(dns, 'ZoneRole', { hostedZone, domainNames: ['auth.example.com'], trustedAccounts: [secondaryEnv.account] });
  const certificate = (scope: Stack, region: string, account: string) => acm.Certificate.fromCertificateArn(scope, 'Certificate',
    `arn:aws:acm:${region}:${account}:certificate/00000000-0000-0000-0000-000000000000`);
  addReviewedPair(app, {
    secondary: {
      env: secondaryEnv,
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      certificate: certificate(importsStack(app, 'SecondaryImports', secondaryEnv), secondaryEnv.region, secondaryEnv.account),
    },
  }, {
    domain: { domainName: 'auth.example.com', hostedZone, hostedZoneRole: zoneRole.role, certificate: certificate(imports, ENV.region, ENV.account) },
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
  });
  const assembly = app.synth();
  for (const id of ['Imports', 'PrimaryImports', 'SecondaryImports']) {
    fs.rmSync(path.join(assembly.directory, `${id}.template.json`), { force: true });
  }
  console.log(`prod-pair-two-accounts: ${fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json')).length} templates`);
}

// Prod in two regions on DocumentDB: the primary's cluster made a global cluster, the secondary's
// joined to it, the master secret replicated, and the runbooks that move the writer.
{
  const app = appFor('prod-pair-documentdb');
  addReviewedPair(app, { secondary: { env: { ...ENV, region: PAIR_SECONDARY_REGION } } }, { mongoDb: MongoDbConnection.documentDb() });
  const assembly = app.synth();
  fs.rmSync(path.join(assembly.directory, 'Imports.template.json'), { force: true });
  console.log(`prod-pair-documentdb: ${fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json')).length} templates`);
}

// Prod writing its records in a zone of another account (docs/failover.md): the zone's account
// with the FidoHostedZoneRole the deployments assume, a dual-stack deployment whose alias A and
// AAAA records custom resources write there, and a failover secondary in the second region whose
// failover records (with this account's health check) go there alike.
{
  const app = appFor('prod-zone-other-account');
  const imports = importsStack(app);
  const dns = new Stack(app, 'Dns', { env: { account: '333333333333', region: ENV.region } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(dns, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const zoneRole = new FidoHostedZoneRole(dns, 'ZoneRole', { hostedZone, domainNames: ['auth.example.com', 'login.example.com'], trustedAccounts: [ENV.account] });
  const deployments: Array<[string, string, string]> = [
    ['ArculusFido', ENV.region, 'auth.example.com'],
    ['ArculusFidoSecondary', PAIR_SECONDARY_REGION, 'login.example.com'],
  ];
  for (const [id, region, domainName] of deployments) {
    const secondary = region === PAIR_SECONDARY_REGION;
    new ArculusFidoStack(app, id, {
      env: { ...ENV, region },
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: {
        domainName,
        hostedZone,
        hostedZoneRole: zoneRole.role,
        certificate: acm.Certificate.fromCertificateArn(imports, `${id}Certificate`, `arn:aws:acm:${region}:${ENV.account}:certificate/00000000-0000-0000-0000-000000000000`),
        ...(secondary ? { failover: { role: route53.Failover.SECONDARY } } : {}),
      },
      mongoDb: MongoDbConnection.fromEndpoint({ host: `${secondary ? 'west' : 'east'}.abcde.mongodb.net`, username: 'fido' }),
      loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
      images: { tag: '1.0.0' },
    });
  }
  const assembly = app.synth();
  fs.rmSync(path.join(assembly.directory, 'Imports.template.json'), { force: true });
  console.log(`prod-zone-other-account: ${fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.template.json')).length} templates`);
}
