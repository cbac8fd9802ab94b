import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Duration, FeatureFlags, Stack, Stage, TimeZone, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import {
  ArculusFidoDeploymentProps, ArculusFidoRegionPair, ArculusFidoRegionPairProps, ArculusFidoStack, ArculusFidoStackProps, DeploymentEnvironment,
  MongoDbConnection, PredictiveScalingMode, SizingOptions,
} from '../src';

/** The directory of this test file's assemblies, made on its first synth (`testOutdir`). */
let outRoot: string | undefined;

/**
 * A new assembly directory in this test file's own (an app left to itself makes one in the
 * system's temporary directory and leaves it there: hundreds a run). test/setup.ts removes the
 * file's directory once its tests end (`removeTestOutdirs`).
 */
export function testOutdir(): string {
  outRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-test-'));
  return fs.mkdtempSync(path.join(outRoot, 'cdk.out-'));
}

/** Removes every assembly directory `testOutdir` made for this test file. */
export function removeTestOutdirs(): void {
  if (outRoot) {
    fs.rmSync(outRoot, { recursive: true, force: true });
    outRoot = undefined;
  }
}

/**
 * An `App` as the tests make it: `new App(props)` without what only the CDK's tooling reads and no
 * test does, the stack traces of each construct's creation and of each annotation (costly under
 * jest's source maps) and the construct tree (tree.json); together about a fifth of a synth. The
 * templates, annotations and validation reports are the same.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    stackTraces: false,
    treeMetadata: false,
    ...props,
    outdir: props.outdir ?? testOutdir(),
    context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true, ...props.context },
  });
}

/** A given VPC's well-formed IDs (newer aws-cdk-lib checks their format on synth). */
export const GIVEN_VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  publicSubnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
  publicSubnetRouteTableIds: ['rtb-0000000000000000a', 'rtb-0000000000000000b'],
  privateSubnetIds: ['subnet-0000000000000001a', 'subnet-0000000000000001b'],
  privateSubnetRouteTableIds: ['rtb-0000000000000001a', 'rtb-0000000000000001b'],
};

/**
 * A VPC the user gives, imported in `scope`, with a public and a private subnet in each of `zones`
 * and their route tables, as a complete import has them (under cdk init's flags aws-cdk-lib warns
 * of subnets without, which a rule pack's check would report).
 */
export function givenVpc(scope: Construct, zones = ['us-east-1a', 'us-east-1b']): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: GIVEN_VPC.vpcId,
    availabilityZones: zones,
    publicSubnetIds: GIVEN_VPC.publicSubnetIds.slice(0, zones.length),
    publicSubnetRouteTableIds: GIVEN_VPC.publicSubnetRouteTableIds.slice(0, zones.length),
    privateSubnetIds: GIVEN_VPC.privateSubnetIds.slice(0, zones.length),
    privateSubnetRouteTableIds: GIVEN_VPC.privateSubnetRouteTableIds.slice(0, zones.length),
  });
}

/** The account and region of the test stacks: ALB access logs need a concrete region. */
export const ENV = { account: '111111111111', region: 'us-east-1' };

export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';

/** The props every test starts from: a dev deployment with an imported certificate and MongoDB Atlas. */
export function baseProps(scope: Construct, overrides: Partial<ArculusFidoStackProps> = {}): ArculusFidoStackProps {
  return {
    deploymentEnvironment: DeploymentEnvironment.DEV,
    domain: {
      domainName: 'auth.example.com',
      certificate: acm.Certificate.fromCertificateArn(scope, 'ImportedCertificate', CERTIFICATE_ARN),
    },
    mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
    ...overrides,
  };
}

/**
 * The stack the imported resources (certificate, secrets, zones) live in, as in a real app. It holds
 * no resource, which the CloudFormation rules newer aws-cdk-lib runs on every synth report as
 * F0001 (an error under cdk init's `@aws-cdk/core:validateAgainstDefaultRules`): acknowledged on
 * this stack alone, so that the version matrix's other cells judge the deployment, not the scaffold.
 */
export function importsStack(app: App, id = 'Imports', env: { account?: string; region?: string } = {}): Stack {
  const imports = new Stack(app, id, { env: { ...ENV, ...env } });
  Validations.of(imports).acknowledge({
    id: 'CloudFormation-Validate::F0001',
    reason: 'The tests\' stack of imported resources holds references only, no resource of its own',
  });
  return imports;
}

/**
 * The partition in an ARN of the test stacks: the literal 'aws' under cdk init's
 * `@aws-cdk/core:enablePartitionLiterals` (their region is known), else a reference. Decided as
 * the tests' apps decide it, from the context every `App` reads.
 */
export function partition(): string | { Ref: string } {
  return FeatureFlags.of(new App()).isEnabled(cxapi.ENABLE_PARTITION_LITERALS) ? 'aws' : { Ref: 'AWS::Partition' };
}

/** `parts` joined as a template writes them: adjacent strings merged, a plain string if nothing else is left. */
export function joined(...parts: Array<string | object>): string | { 'Fn::Join': [string, Array<string | object>] } {
  const merged: Array<string | object> = [];
  for (const part of parts) {
    const last = merged.length - 1;
    if (typeof part === 'string' && typeof merged[last] === 'string') {
      merged[last] += part;
    } else {
      merged.push(part);
    }
  }
  return merged.length === 1 && typeof merged[0] === 'string' ? merged[0] : { 'Fn::Join': ['', merged] };
}

/**
 * A deployment as a security reviewer synthesizes it, in `app`: a concrete account and region, a
 * DNS-validated certificate, a created DocumentDB cluster and a pinned image tag, then `props`.
 */
export function addReviewedStack(app: App, id: string, props: Partial<ArculusFidoStackProps> = {}): ArculusFidoStack {
  const imports = importsStack(app);
  return new ArculusFidoStack(app, id, {
    env: ENV,
    deploymentEnvironment: DeploymentEnvironment.DEV,
    domain: {
      domainName: 'auth.example.com',
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0000000000000000000', zoneName: 'example.com' }),
    },
    mongoDb: MongoDbConnection.documentDb(),
    images: { tag: '1.0.0' },
    ...props,
  });
}

/** The region of a reviewed pair's secondary. */
export const PAIR_SECONDARY_REGION = 'us-west-2';

/**
 * A prod deployment in two regions as a reviewer synthesizes it, in `app`: ENV's region and
 * PAIR_SECONDARY_REGION, the zone imported by its ID in the imports stack, each region's MongoDB
 * by its endpoint and a pinned image tag, then `overrides` and `deployment` laid over the pair's
 * and the shared deployment's props.
 */
export function addReviewedPair(
  app: App, overrides: Partial<ArculusFidoRegionPairProps> = {}, deployment: Partial<ArculusFidoDeploymentProps> = {},
): ArculusFidoRegionPair {
  const imports = importsStack(app);
  const zone = route53.HostedZone.fromHostedZoneAttributes(imports, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  return new ArculusFidoRegionPair(app, 'Fido', {
    deployment: {
      deploymentEnvironment: DeploymentEnvironment.PROD,
      domain: { domainName: 'auth.example.com', hostedZone: zone },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'east.abcde.mongodb.net', username: 'fido' }),
      images: { tag: '1.0.0' },
      ...deployment,
    },
    primary: { env: ENV },
    secondary: {
      env: { ...ENV, region: PAIR_SECONDARY_REGION },
      mongoDb: MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
    },
    ...overrides,
  });
}

export interface Synthesized {
  readonly app: App;
  readonly stack: ArculusFidoStack;
  readonly template: Template;
}

/**
 * Every scaling option at once, as the reviewers judge them (cdk-nag in test/nag.test.ts, cfn-lint
 * and checkov in tools/security): PyFIDO on CPU, memory and requests with a morning schedule and
 * a forecast, Tomcat on CPU and memory, and office hours where the environment takes them.
 */
export function everyScaling(environment: DeploymentEnvironment): SizingOptions {
  return {
    pyFido: {
      targetMemoryUtilizationPercent: 75,
      targetRequestsPerTarget: 600,
      scaleOutCooldown: Duration.seconds(30),
      schedules: [{ name: 'MorningPeak', schedule: appscaling.Schedule.cron({ hour: '7', minute: '30', weekDay: 'MON-FRI' }), timeZone: TimeZone.EUROPE_BERLIN, minCapacity: 1 }],
      predictiveScaling: PredictiveScalingMode.FORECAST_ONLY,
    },
    tomcat: { targetMemoryUtilizationPercent: 80 },
    officeHours: environment === DeploymentEnvironment.PROD ? undefined : { start: '08:00', end: '19:00', timeZone: TimeZone.EUROPE_BERLIN },
  };
}

/** The base props' deployment, synthesized once per test file (which only reads it). */
let baseSynthesized: Synthesized | undefined;

/**
 * Synthesizes one `ArculusFidoStack` from the base props with `overrides`, in an app with `context`
 * (feature flags). The base props alone are synthesized once per test file: many tests read them.
 */
export function synth(
  overrides: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>) = {},
  context: Record<string, unknown> = {},
): Synthesized {
  const plain = typeof overrides === 'object' && Object.keys(overrides).length === 0 && Object.keys(context).length === 0;
  if (plain) {
    baseSynthesized ??= synthesize({}, {});
    return baseSynthesized;
  }
  return synthesize(overrides, context);
}

function synthesize(
  overrides: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>),
  context: Record<string, unknown>,
): Synthesized {
  const app = testApp({ context });
  // Imported resources (certificate, secrets, zones) live in a stack of their own, as in a real app.
  const imports = importsStack(app);
  const given = typeof overrides === 'function' ? overrides(imports) : overrides;
  const stack = new ArculusFidoStack(app, 'Fido', { env: ENV, ...baseProps(imports, given) });
  return { app, stack, template: Template.fromStack(stack) };
}

/**
 * `make()`, made the first time it is asked for and kept: a deployment several tests of a file read
 * (and only read) is synthesized once, by whichever of them runs first.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** The error message the construct throws for `overrides`, or `undefined` if it synthesizes. */
export function synthError(overrides: Partial<ArculusFidoStackProps> | ((scope: Construct) => Partial<ArculusFidoStackProps>)): string | undefined {
  try {
    synth(overrides);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** What `build` throws (a building block's refusal of its props, say), or `undefined`. */
export function thrownBy(build: () => unknown): string | undefined {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/**
 * The error of `stack`, or `undefined`: what a building block throws when it is made (pass a
 * function that makes the stack), else its app's synth error (a later call left undone, say).
 */
export function synthErrorOf(stack: Stack | (() => Stack)): string | undefined {
  try {
    Template.fromStack(typeof stack === 'function' ? stack() : stack);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/**
 * The warnings on the stack's constructs, as `Annotations.fromStack(stack).findWarning('*', ...)`
 * finds them. Read from the cloud assembly the app last synthesized, the one the stack's template
 * came from (aws-cdk-lib refuses to hand that out if constructs were added since), where
 * `Annotations.fromStack` would synthesize the app once more.
 */
export function warningMessages(stack: Stack): string[] {
  return Stage.of(stack)!.synth().getStackArtifact(stack.artifactId).messages
    .filter((m) => m.level === cxapi.SynthesisMessageLevel.WARNING)
    .map((m) => String(m.entry.data));
}

/** Warnings with `id` attached to the stack's constructs. */
export function warnings(stack: ArculusFidoStack, id: string): string[] {
  return warningMessages(stack).filter((data) => data.includes(`[ack: ${id}]`));
}

/**
 * Whether the preset snapshots compare whole templates. They are made with the aws-cdk-lib floor
 * and no feature flags; in the version matrix's other cells (tools/matrix/run: the newest aws-cdk-lib,
 * the flags of `cdk init`) a template differs for reasons of aws-cdk-lib's own (asset hashes,
 * handler runtimes, properties a flag sets), so there `ARCULUS_SNAPSHOT=logical-ids` compares only
 * what must never change: the logical IDs and types (`logicalIds`).
 */
export const FULL_SNAPSHOTS = ((mode) => {
  if (mode !== undefined && mode !== 'logical-ids') {
    throw new Error(`ARCULUS_SNAPSHOT must be unset (whole templates) or 'logical-ids', got '${mode}'`);
  }
  return mode === undefined;
})(process.env.ARCULUS_SNAPSHOT);

/**
 * What a deployed stack is keyed by: the logical ID and type of every resource (a changed one is a
 * replaced resource) and the logical ID of every output (what scripts read).
 */
export function logicalIds(template: Template): { resources: Record<string, string>; outputs: string[] } {
  const json = template.toJSON();
  return {
    resources: Object.fromEntries(Object.entries(json.Resources ?? {}).map(([id, r]: [string, any]) => [id, r.Type]).sort()),
    outputs: Object.keys(json.Outputs ?? {}).sort(),
  };
}

/**
 * `fn` run without the context the version matrix passes in `CDK_CONTEXT_JSON` (cdk init's feature
 * flags; every `App` reads it), as in an app whose cdk.json sets no flags.
 */
export function withoutCliContext<T>(fn: () => T): T {
  const saved = process.env[cxapi.CONTEXT_ENV];
  delete process.env[cxapi.CONTEXT_ENV];
  try {
    return fn();
  } finally {
    if (saved !== undefined) {
      process.env[cxapi.CONTEXT_ENV] = saved;
    }
  }
}

/** The logical ID of the only resource of `type` whose properties match `props`. */
export function logicalId(template: Template, type: string, props: object = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  }
  return found[0];
}

/** The container definition named `name` in the template. */
export function containerDefinition(template: Template, name: string): any {
  const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as any[];
  for (const td of taskDefinitions) {
    const container = td.Properties.ContainerDefinitions.find((c: any) => c.Name === name);
    if (container) {
      return { ...container, taskDefinition: td.Properties };
    }
  }
  throw new Error(`no container named ${name}`);
}

/**
 * The newest Node.js Lambda runtime of the aws-cdk-lib the tests run on, read from its named
 * constants (`Runtime.NODEJS_<major>_X`) rather than from `Runtime.ALL`, which the library reads:
 * `nodejs24.x` on the floor, `nodejs26.x` on 2.278.0.
 */
export function newestNamedNodeRuntime(): string {
  const majors = Object.getOwnPropertyNames(lambda.Runtime).map((name) => Number(/^NODEJS_(\d+)_X$/.exec(name)?.[1])).filter((m) => m > 0);
  return `nodejs${Math.max(...majors)}.x`;
}
