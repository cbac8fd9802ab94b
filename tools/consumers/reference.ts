/**
 * The TypeScript side of the consumer suites: synthesizes each scenario the Python, Java and Go
 * consumer apps also build, and writes its templates to `<dir>/<name>.json`: `readme`, the
 * README's TypeScript example; `custom`, below (its `Platform` stack); `pair`, below, as four templates
 * (`pair-primary`, `pair-secondary`, `pair-keys` and `pair-images`); and `pair-accounts`, below, as four
 * (`pair-accounts-primary`, `pair-accounts-secondary`, `pair-accounts-link` and `pair-accounts-keys`).
 * Each consumer suite compares its own templates with these, resource by resource, so a binding that
 * drops or misreads an option fails.
 *
 *   ts-node --project tools/consumers/tsconfig.json tools/consumers/reference.ts <dir>
 *
 * Keep `custom`, `pair` and `pair-accounts` in step with their copies: tools/consumers/python/test_consumer.py,
 * tools/consumers/java/src/test/java/com/arculus/fido/consumer/ConsumerTest.java and
 * tools/consumers/go/consumer_test.go. The README examples of the four languages must agree with each
 * other: each consumer suite runs its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { runApp, withReadmeApps } from './readme-apps';
import {
  ArculusFidoDeployment, ArculusFidoImagesStack, ArculusFidoRegionPair, DeploymentEnvironment, FidoDataLayer, FidoHostedZoneRole, MongoDbConnection,
  NatType, PredictiveScalingMode,
} from '../../src';

/**
 * The construct in a platform team's own stack, with an option of every kind a binding has to
 * carry: nested structs, enums of this library and of aws-cdk-lib, an abstract class's factory
 * with its own options, durations, lists of interfaces and of structs holding aws-cdk-lib
 * objects (a schedule and its time zone), maps, an aws-cdk-lib class made from a string (the NAT
 * instances' type) and a method call afterwards. Beside it, a building block: the data layer of a
 * MongoDB Atlas whose password the library rotates (a struct holding an imported secret). The
 * domain's zone belongs to another account, whose stack `Dns` in the same app holds a
 * `FidoHostedZoneRole`: the deployment gets its `role` as `domain.hostedZoneRole` (an aws-cdk-lib
 * interface made by this library's construct, its generated name written into the template) and
 * writes its alias A and AAAA records there through custom resources that assume it.
 */
function custom(): Stack {
  const app = new App();
  const dns = new Stack(app, 'Dns', { env: { account: '333333333333', region: 'eu-west-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(dns, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const zoneRole = new FidoHostedZoneRole(dns, 'ZoneRole', {
    hostedZone: zone,
    domainNames: ['passkeys.example.com'],
    trustedAccounts: ['111111111111'],
  });
  const stack = new Stack(app, 'Platform', { env: { account: '111111111111', region: 'eu-west-1' } });
  const deployment = new ArculusFidoDeployment(stack, 'Fido', {
    deploymentEnvironment: DeploymentEnvironment.STAGING,
    applicationName: 'passkeys',
    domain: {
      domainName: 'passkeys.example.com',
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate',
        'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-1111-1111-1111-111111111111'),
      hostedZone: zone,
      hostedZoneRole: zoneRole.role,
    },
    mongoDb: MongoDbConnection.documentDb({
      instances: 2,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      backupRetention: Duration.days(14),
      rotationInterval: Duration.days(60),
    }),
    network: {
      natGateways: 2,
      natType: NatType.INSTANCE,
      natInstanceType: new ec2.InstanceType('t4g.micro'),
      allowedIngress: [ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.ipv6('2001:db8::/32')],
    },
    // IPv6 clients: the created VPC gets IPv6, the listeners admit the IPv6 range above.
    loadBalancer: { ipAddressType: elbv2.IpAddressType.DUAL_STACK },
    waf: { enabled: true, rateLimit: 2000 },
    encryption: { customerManagedKey: true },
    images: { tag: '2.1.0' },
    sizing: {
      pyFido: {
        cpu: 1024,
        memoryLimitMiB: 2048,
        desiredCount: 2,
        maxCapacity: 8,
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        targetMemoryUtilizationPercent: 75,
        schedules: [{
          name: 'MorningPeak', schedule: appscaling.Schedule.cron({ hour: '7', minute: '30', weekDay: 'MON-FRI' }), timeZone: TimeZone.EUROPE_BERLIN, minCapacity: 4,
        }],
        predictiveScaling: PredictiveScalingMode.FORECAST_ONLY,
      },
      officeHours: { start: '07:00', end: '20:00', timeZone: TimeZone.EUROPE_BERLIN },
    },
    logging: { retention: logs.RetentionDays.ONE_YEAR },
    secrets: { applicationSecretRotationInterval: Duration.days(14) },
    services: {
      pyFido: {
        deployment: {
          strategy: ecs.DeploymentStrategy.BLUE_GREEN,
          bakeTime: Duration.minutes(10),
          checks: [{ path: '/api/status', expectedStatusCodes: '200,401' }],
        },
      },
      tomcat: {
        readonlyRootFilesystem: true,
        writablePaths: ['/tmp', '/usr/local/tomcat/work'],
        environment: { JAVA_OPTS: '-Xmx1536m' },
        enableExecuteCommand: true,
        deployment: { strategy: ecs.DeploymentStrategy.LINEAR, trafficShift: { stepPercent: 20, stepBakeTime: Duration.minutes(2) } },
      },
    },
    monitoring: { emails: ['oncall@example.com'], thresholds: { cpuPercent: 65, latencyP99: Duration.seconds(1) } },
  });
  deployment.connections.allowTo(ec2.Peer.ipv4('10.1.0.0/16'), ec2.Port.tcp(5432), 'Reporting database');
  new FidoDataLayer(stack, 'AtlasData', {
    deploymentEnvironment: DeploymentEnvironment.STAGING,
    vpc: deployment.network.vpc,
    clientSecurityGroup: deployment.network.serviceSecurityGroup,
    mongoDb: MongoDbConnection.fromEndpoint({
      host: 'cluster0.abcde.mongodb.net',
      username: 'passkeys',
      atlasRotation: {
        projectId: '0123456789abcdef01234567',
        apiSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'AtlasApi', 'passkeys/atlas-api'),
      },
      rotationInterval: Duration.days(7),
    }),
  });
  return stack;
}

/**
 * The deployment in two regions with DNS failover, as a team writes it in its App
 * (docs/failover.md): the zone imported by its ID at the app's scope (both regions' stacks write
 * a failover record in it), DocumentDB made a global cluster that the secondary's cluster joins, a
 * pilot-light secondary, a
 * slower and more tolerant health check than the default, and the image repositories in the
 * primary's region, replicated to the secondary's. Prod has keys of its own, so the pair makes a
 * third stack, `keys`, holding the key of the application secret's replica in the secondary's
 * region, reached as a user would, through `pair.secondaryKey`. Another account may read the
 * application secret (`secrets.applicationSecretReaderAccounts`): the secret's resource policy
 * names it, and both regions' keys (the primary's own, the `keys` stack's) let it decrypt through
 * Secrets Manager of their region.
 */
function pair(): { primary: Stack; secondary: Stack; keys: Stack; images: Stack } {
  const app = new App();
  const env = (region: string) => ({ account: '111111111111', region });
  const zone = route53.HostedZone.fromHostedZoneAttributes(app, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const fido = new ArculusFidoRegionPair(app, 'Fido', {
    deployment: {
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: { domainName: 'auth.example.com', hostedZone: zone },
      mongoDb: MongoDbConnection.documentDb(),
      images: { tag: '1.0.0' },
      // Another account's deployment reads the application secret, in either region.
      secrets: { applicationSecretReaderAccounts: ['222222222222'] },
    },
    primary: { env: env('us-east-1') },
    secondary: {
      env: env('us-west-2'),
      standbyTasks: 0,
    },
    healthCheckInterval: Duration.seconds(30),
    failureThreshold: 2,
  });
  const images = new ArculusFidoImagesStack(app, 'Images', {
    env: env('us-east-1'),
    deploymentEnvironment: DeploymentEnvironment.PROD,
    replicationRegions: ['us-west-2'],
    // Another account's registry gets the pushes too, and a build account may push here.
    replicationRegistries: [{ account: '222222222222', region: 'eu-west-1' }],
    replicationSourceAccounts: ['333333333333'],
  });
  if (!fido.secondaryKey) {
    throw new Error('the prod pair has no secondaryKey: its key stack is missing');
  }
  return { primary: fido.primary, secondary: fido.secondary, keys: Stack.of(fido.secondaryKey), images };
}

/**
 * The pair with its secondary in another account (docs/failover.md), as a team writes it in its
 * App: the primary in 111111111111, the secondary in 222222222222, each region on its own MongoDB
 * Atlas endpoint (a DocumentDB global cluster joins clusters of one account only), prod's keys, and
 * the primary's certificate imported from a stack of its account and region (the primary writes
 * nothing in the zone, so cannot validate one). Then every Route 53 object is the secondary's
 * account's, and the pair makes a fourth stack, `link` (`secondaryLink`), in the secondary's
 * account: the role through which the primary's stack hands its values over, and the bus policy
 * that lets it forward the secret's changes. The replica's key, `keys`, stays in the primary's
 * account, in the secondary's region.
 */
function pairAccounts(): { primary: Stack; secondary: Stack; link: Stack; keys: Stack } {
  const app = new App();
  const imports = new Stack(app, 'Imports', { env: { account: '111111111111', region: 'us-east-1' } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(app, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const fido = new ArculusFidoRegionPair(app, 'Fido', {
    deployment: {
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: {
        domainName: 'auth.example.com',
        hostedZone: zone,
        certificate: acm.Certificate.fromCertificateArn(imports, 'Certificate',
          'arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111'),
      },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
      images: { tag: '1.0.0' },
    },
    primary: { env: { account: '111111111111', region: 'us-east-1' } },
    secondary: {
      env: { account: '222222222222', region: 'us-west-2' },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
    },
  });
  if (!fido.secondaryKey) {
    throw new Error('the prod pair has no secondaryKey: its key stack is missing');
  }
  return { primary: fido.primary, secondary: fido.secondary, link: fido.secondaryLink!, keys: Stack.of(fido.secondaryKey) };
}

/** The template of a stack, from one synth of its app. */
function templateOf(stack: Stack): unknown {
  return (stack.node.root as App).synth().getStackArtifact(stack.artifactId).template;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    throw new Error('usage: reference.ts <dir>');
  }
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, template: unknown) => fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(template, undefined, 2));
  // The README's TypeScript example itself, compiled and run as a user's app (needs lib/ compiled).
  write('readme', withReadmeApps((app) => runApp(process.execPath, ['app.js'], app).template));
  write('custom', templateOf(custom()));
  const { primary, secondary, keys, images } = pair();
  write('pair-primary', templateOf(primary));
  write('pair-secondary', templateOf(secondary));
  write('pair-keys', templateOf(keys));
  write('pair-images', templateOf(images));
  const accounts = pairAccounts();
  write('pair-accounts-primary', templateOf(accounts.primary));
  write('pair-accounts-secondary', templateOf(accounts.secondary));
  write('pair-accounts-link', templateOf(accounts.link));
  write('pair-accounts-keys', templateOf(accounts.keys));
}
