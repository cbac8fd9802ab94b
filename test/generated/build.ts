/**
 * Turns a recipe into real props in a fresh App (one per case: nothing mutable is shared between
 * cases), and synthesizes it.
 */
import * as fs from 'fs';
import { App, CfnParameter, Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import {
  DeploymentRecipe, isParam, MongoRecipe, Num, PeerRecipe, Removal, Service, SERVICES, ServiceRecipe, SizingRecipe, Str, Strategy, ValidRecipe,
} from './recipes';
import { Deployed, rootParameter } from './templates';
import { ArculusFidoDeployment, ArculusFidoDeploymentProps, DeploymentEnvironment, MongoDbConnection, NatType, ServiceDeploymentOptions } from '../../src';
import { testApp } from '../util';

export const ENV = { account: '111111111111', region: 'us-east-1' };
/** The construct path of every generated deployment: stack `Fido`, deployment `Fido`. */
export const DEPLOYMENT_PATH = 'Fido/Fido';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
const MONGO_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/mongo-AbCdEf';
const APP_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/app-GhIjKl';
const API_KEYS_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/api-keys-MnOpQr';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
export const CLIENT_SECURITY_GROUP = 'sg-0c0c0c0c0c0c0c0c0';
export const CLIENT_PREFIX_LIST = 'pl-0a0a0a0a0a0a0a0a0';
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const LOOKUP_VPC_ID = 'vpc-0f0f0f0f0f0f0f0f0';

/** Subnet ids of an imported VPC, by AZ index. */
export const publicSubnetId = (i: number) => `subnet-0aaaaaaaaaaaaaaa${i}`;
export const privateSubnetId = (i: number) => `subnet-0bbbbbbbbbbbbbbb${i}`;

const REMOVAL: Record<Removal, RemovalPolicy> = {
  retain: RemovalPolicy.RETAIN,
  destroy: RemovalPolicy.DESTROY,
  snapshot: RemovalPolicy.SNAPSHOT,
};

const STRATEGY: Record<Strategy, ecs.DeploymentStrategy> = {
  ROLLING: ecs.DeploymentStrategy.ROLLING,
  BLUE_GREEN: ecs.DeploymentStrategy.BLUE_GREEN,
  LINEAR: ecs.DeploymentStrategy.LINEAR,
  CANARY: ecs.DeploymentStrategy.CANARY,
};

/** A recipe built into props, with what the invariants need to know about it. */
export class PropsBuilder {
  public readonly app: App;
  public readonly stack: Stack;
  /** Prop path -> logical ID of the CfnParameter passed there. */
  public readonly params: Record<string, string> = {};
  /** The allowed clients, as the canonical peers the load balancer's rules must show. */
  public readonly clients: string[] = [];
  /** Distinctive text in the MongoDB password reference. */
  public readonly markers: string[] = [];
  /** The NoEcho parameter of the MongoDB password. */
  public passwordParam?: string;
  /** The public subnets the load balancer must use, for an imported VPC. */
  public publicSubnetIds?: string[];
  private vpc?: ec2.IVpc;
  private apiKeys?: secretsmanager.ISecret;

  constructor(public readonly recipe: ValidRecipe) {
    const lookup = recipe.vpc.kind === 'lookup' ? lookupContext(recipe.vpc.azs) : {};
    // `cdk init`'s flags, but for the annotations report, which prints every warning to stderr.
    const flags = recipe.recommendedFlags ? { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, [cxapi.ANNOTATIONS_IN_VALIDATION_REPORT]: false } : {};
    // Asset metadata, as the CDK CLI turns it on: it names each nested stack's template file.
    this.app = testApp({ context: { ...flags, ...lookup, [cxapi.ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true } });
    this.stack = new Stack(this.app, 'Fido', { env: ENV });
  }

  /** A string prop, or the value of a new String parameter. */
  public str(prop: string, value: Str): string;
  public str(prop: string, value: Str | undefined): string | undefined;
  public str(prop: string, value: Str | undefined): string | undefined {
    return isParam(value) ? this.param(prop, 'String').valueAsString : value;
  }

  /** A number prop, or the value of a new Number parameter. */
  public num(prop: string, value: Num): number;
  public num(prop: string, value: Num | undefined): number | undefined;
  public num(prop: string, value: Num | undefined): number | undefined {
    return isParam(value) ? this.param(prop, 'Number').valueAsNumber : value;
  }

  public param(prop: string, type: 'String' | 'Number'): CfnParameter {
    const id = `P${prop.replace(/[^A-Za-z0-9]/g, '')}`;
    this.params[prop] = id;
    return new CfnParameter(this.stack, id, { type });
  }

  /** The props of the recipe. */
  public props(): ArculusFidoDeploymentProps {
    const r = this.recipe;
    return {
      deploymentEnvironment: r.deploymentEnvironment as DeploymentEnvironment,
      ...(r.applicationName !== undefined ? { applicationName: r.applicationName } : {}),
      domain: {
        domainName: this.str('domain.domainName', r.domain.name),
        ...(r.domain.certificate ? { certificate: acm.Certificate.fromCertificateArn(this.stack, 'Certificate', CERTIFICATE_ARN) } : {}),
        ...(r.domain.zoneName !== undefined ? {
          hostedZone: route53.HostedZone.fromHostedZoneAttributes(this.stack, 'Zone', { hostedZoneId: 'Z0000000000000000000A', zoneName: r.domain.zoneName }),
        } : {}),
      },
      mongoDb: this.mongoDb(r.mongoDb),
      network: this.network(),
      ...(r.loadBalancer ? { loadBalancer: this.loadBalancer() } : {}),
      ...(r.waf ? { waf: { enabled: r.waf.enabled, rateLimit: this.num('waf.rateLimit', r.waf.rateLimit) } } : {}),
      ...(r.encryption ? { encryption: { ...r.encryption } } : {}),
      ...(r.logging ? {
        logging: {
          retention: r.logging.retention as logs.RetentionDays | undefined,
          removalPolicy: r.logging.removalPolicy && REMOVAL[r.logging.removalPolicy],
          encryptionKey: r.logging.encryptionKey ? kms.Key.fromKeyArn(this.stack, 'LogKey', KEY_ARN) : undefined,
        },
      } : {}),
      ...(r.secrets ? {
        secrets: {
          applicationSecret: r.secrets.applicationSecret ? secretsmanager.Secret.fromSecretCompleteArn(this.stack, 'AppSecret', APP_SECRET_ARN) : undefined,
          encryptionKey: r.secrets.encryptionKey ? kms.Key.fromKeyArn(this.stack, 'SecretKey', KEY_ARN) : undefined,
        },
      } : {}),
      ...(r.images ? {
        images: {
          tag: this.str('images.tag', r.images.tag),
          pyFido: r.images.pyFido && this.image('pyfido', r.images.pyFido),
          tomcat: r.images.tomcat && this.image('tomcat', r.images.tomcat),
        },
      } : {}),
      ...(r.sizing ? { sizing: this.perService(r.sizing, (s, z) => this.sizing(s, z)) } : {}),
      ...(r.services ? { services: this.perService(r.services, (s, o) => this.service(s, o)) } : {}),
      ...(r.nestedStacks !== undefined ? { nestedStacks: r.nestedStacks } : {}),
    };
  }

  private perService<T, U>(given: Partial<Record<Service, T>>, build: (s: Service, value: T) => U): Partial<Record<Service, U>> {
    return Object.fromEntries(SERVICES.filter((s) => given[s]).map((s) => [s, build(s, given[s]!)]));
  }

  /** The MongoDB connection of `m`, with `overrides` over its options (and `secret` for fromSecret). */
  public mongoDb(m: MongoRecipe, overrides: Record<string, unknown> = {}, secret?: { value: unknown }): MongoDbConnection {
    const with_ = <T>(options: T): T => ({ ...options, ...overrides });
    switch (m.kind) {
      case 'endpoint':
        return MongoDbConnection.fromEndpoint(with_({
          host: this.str('mongoDb.host', m.host),
          username: this.str('mongoDb.username', m.username),
          port: this.num('mongoDb.port', m.port),
          password: m.password && this.password(m.password.kind, m.password.marker),
          securityGroup: m.securityGroup ? this.mongoSecurityGroup() : undefined,
        }));
      case 'secret':
        return MongoDbConnection.fromSecret(secret ? secret.value as secretsmanager.ISecret : this.once('MongoSecret', () => m.byName
          ? secretsmanager.Secret.fromSecretNameV2(this.stack, 'MongoSecret', 'fido/mongo')
          : secretsmanager.Secret.fromSecretCompleteArn(this.stack, 'MongoSecret', MONGO_SECRET_ARN)), with_({
          port: m.port,
          securityGroup: m.securityGroup ? this.mongoSecurityGroup() : undefined,
        }));
      case 'documentDb':
        return MongoDbConnection.documentDb(with_({
          instances: m.instances,
          engineVersion: m.engineVersion,
          masterUsername: this.str('mongoDb.masterUsername', m.masterUsername),
          backupRetention: m.backupRetentionDays === undefined ? undefined : Duration.days(m.backupRetentionDays),
          removalPolicy: m.removalPolicy && REMOVAL[m.removalPolicy],
          rotatePassword: m.rotatePassword,
          rotationInterval: m.rotationIntervalDays === undefined ? undefined : Duration.days(m.rotationIntervalDays),
          instanceType: m.instanceType === undefined ? undefined : new ec2.InstanceType(m.instanceType),
        }));
    }
  }

  /** The construct `id` of the stack, created by `create` the first time (a connection may be built twice). */
  private once<T>(id: string, create: () => T): T {
    return (this.stack.node.tryFindChild(id) as T | undefined) ?? create();
  }

  private mongoSecurityGroup(): ec2.ISecurityGroup {
    return this.once('MongoSg', () => ec2.SecurityGroup.fromSecurityGroupId(this.stack, 'MongoSg', 'sg-0d0d0d0d0d0d0d0d0'));
  }

  /** The VPC of the recipe (built once per case). */
  public getVpc(): ec2.IVpc | undefined {
    const v = this.recipe.vpc;
    if (v.kind === 'created' || this.vpc) {
      return this.vpc;
    }
    if (v.kind === 'app') {
      // With IPv6 when the load balancer is dual-stack, as its subnets must have.
      const ipProtocol = this.recipe.loadBalancer?.ipAddressType === 'dualstack' ? ec2.IpProtocol.DUAL_STACK : undefined;
      this.vpc = new ec2.Vpc(this.stack, 'AppVpc', { maxAzs: v.azs, ipProtocol });
      return this.vpc;
    }
    const azs = AZS.slice(0, v.azs);
    this.vpc = v.kind === 'attributes'
      ? ec2.Vpc.fromVpcAttributes(this.stack, 'ImportedVpc', {
        vpcId: 'vpc-0e0e0e0e0e0e0e0e0',
        vpcCidrBlock: '10.0.0.0/16',
        availabilityZones: azs,
        publicSubnetIds: azs.map((_, i) => publicSubnetId(i)),
        publicSubnetRouteTableIds: azs.map((_, i) => `rtb-0aaaaaaaaaaaaaaa${i}`),
        privateSubnetIds: azs.map((_, i) => privateSubnetId(i)),
        privateSubnetRouteTableIds: azs.map((_, i) => `rtb-0bbbbbbbbbbbbbbb${i}`),
      })
      : ec2.Vpc.fromLookup(this.stack, 'LookedUpVpc', { vpcId: LOOKUP_VPC_ID });
    return this.vpc;
  }

  private password(kind: 'secretsManager' | 'ssmSecure' | 'cfnParameter', marker: string): SecretValue {
    switch (kind) {
      case 'secretsManager':
        if (!this.markers.includes(marker)) this.markers.push(marker);
        return SecretValue.secretsManager(`fido/${marker}`, { jsonField: 'password' });
      case 'ssmSecure':
        if (!this.markers.includes(marker)) this.markers.push(marker);
        return SecretValue.ssmSecure(`/fido/${marker}/mongo-password`, '1');
      case 'cfnParameter':
        this.passwordParam = 'MongoPassword';
        return SecretValue.cfnParameter(this.once('MongoPassword', () => new CfnParameter(this.stack, 'MongoPassword', { type: 'String', noEcho: true })));
    }
  }

  private network(): ArculusFidoDeploymentProps['network'] {
    const n = this.recipe.network ?? {};
    const vpc = this.getVpc();
    const imported = this.recipe.vpc.kind !== 'created';
    if (imported) {
      const all = vpc!.publicSubnets.map((s) => s.subnetId);
      this.publicSubnetIds = n.publicSubnets === 'explicit' ? all.slice(0, 2) : all;
    }
    const publicSubnets: Record<string, ec2.SubnetSelection> = {
      type: { subnetType: ec2.SubnetType.PUBLIC },
      group: { subnetGroupName: 'Public' },
      onePerAz: { subnetType: ec2.SubnetType.PUBLIC, onePerAz: true },
      explicit: { subnets: vpc?.publicSubnets.slice(0, 2) ?? [] },
    };
    const privateSubnets: Record<string, ec2.SubnetSelection> = {
      type: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      group: { subnetGroupName: 'Private' },
      explicit: { subnets: vpc?.privateSubnets ?? [] },
    };
    const peers = n.allowedIngress?.map((p, i) => this.peer(p, i));
    if (!peers) {
      this.clients.push(JSON.stringify('0.0.0.0/0'));
      if (this.recipe.loadBalancer?.ipAddressType === 'dualstack') {
        this.clients.push(JSON.stringify('::/0'));
      }
    }
    return {
      ...(vpc ? { vpc } : {}),
      ...(n.vpcIpProtocol ? { vpcIpProtocol: ec2.IpProtocol.DUAL_STACK } : {}),
      ...(peers ? { allowedIngress: peers } : {}),
      ...(n.allowAllOutbound !== undefined ? { allowAllOutbound: n.allowAllOutbound } : {}),
      ...(n.natGateways !== undefined ? { natGateways: n.natGateways } : {}),
      ...(n.natType !== undefined ? { natType: n.natType === 'instance' ? NatType.INSTANCE : NatType.GATEWAY } : {}),
      ...(n.natInstanceType !== undefined ? { natInstanceType: new ec2.InstanceType(n.natInstanceType) } : {}),
      ...(n.s3GatewayEndpoint !== undefined ? { s3GatewayEndpoint: n.s3GatewayEndpoint } : {}),
      ...(n.publicSubnets ? { publicSubnets: publicSubnets[n.publicSubnets] } : {}),
      ...(n.privateSubnets ? { privateSubnets: privateSubnets[n.privateSubnets] } : {}),
    };
  }

  private peer(p: PeerRecipe, index: number): ec2.IPeer {
    if (p === 'anyIpv4') {
      this.clients.push(JSON.stringify('0.0.0.0/0'));
      return ec2.Peer.anyIpv4();
    }
    if (p === 'anyIpv6') {
      this.clients.push(JSON.stringify('::/0'));
      return ec2.Peer.anyIpv6();
    }
    if (typeof p === 'object' && 'cidr6' in p) {
      this.clients.push(JSON.stringify(p.cidr6));
      return ec2.Peer.ipv6(p.cidr6);
    }
    if (p === 'securityGroup') {
      this.clients.push(JSON.stringify(CLIENT_SECURITY_GROUP));
      return ec2.SecurityGroup.fromSecurityGroupId(this.stack, 'ClientSg', CLIENT_SECURITY_GROUP);
    }
    if (p === 'prefixList') {
      this.clients.push(JSON.stringify(CLIENT_PREFIX_LIST));
      return ec2.Peer.prefixList(CLIENT_PREFIX_LIST);
    }
    const cidr = this.str(`network.allowedIngress[${index}]`, p.cidr);
    this.clients.push(JSON.stringify(isParam(p.cidr) ? rootParameter(this.params[`network.allowedIngress[${index}]`]) : p.cidr));
    return ec2.Peer.ipv4(cidr);
  }

  private loadBalancer(): ArculusFidoDeploymentProps['loadBalancer'] {
    const lb = this.recipe.loadBalancer!;
    return {
      ipAddressType: lb.ipAddressType as elbv2.IpAddressType | undefined,
      sslPolicy: lb.sslPolicy as elbv2.SslPolicy | undefined,
      redirectHttp: lb.redirectHttp,
      deletionProtection: lb.deletionProtection,
      desyncMitigationMode: lb.desyncMitigationMode as elbv2.DesyncMitigationMode | undefined,
      accessLogs: lb.accessLogs,
      accessLogsBucket: lb.accessLogsBucket ? s3.Bucket.fromBucketName(this.stack, 'AccessLogsBucket', 'fido-access-logs') : undefined,
      accessLogsPrefix: this.str('loadBalancer.accessLogsPrefix', lb.accessLogsPrefix),
    };
  }

  private image(name: string, kind: 'registry' | 'ecr'): ecs.ContainerImage {
    return kind === 'registry'
      ? ecs.ContainerImage.fromRegistry(`public.ecr.aws/arculus/${name}:1.0.0`)
      : ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(this.stack, `${name}Repository`, `team/${name}`), '1.0.0');
  }

  private sizing(s: Service, z: SizingRecipe) {
    const prop = (key: string) => `sizing.${s}.${key}`;
    return {
      cpu: this.num(prop('cpu'), z.cpu),
      memoryLimitMiB: this.num(prop('memoryLimitMiB'), z.memoryLimitMiB),
      desiredCount: this.num(prop('desiredCount'), z.desiredCount),
      minCapacity: this.num(prop('minCapacity'), z.minCapacity),
      maxCapacity: this.num(prop('maxCapacity'), z.maxCapacity),
      targetCpuUtilizationPercent: this.num(prop('targetCpuUtilizationPercent'), z.targetCpuUtilizationPercent),
      spot: z.spot,
      cpuArchitecture: z.arm64 === undefined ? undefined : z.arm64 ? ecs.CpuArchitecture.ARM64 : ecs.CpuArchitecture.X86_64,
    };
  }

  private service(s: Service, o: ServiceRecipe) {
    const prop = (key: string) => `services.${s}.${key}`;
    const h = o.healthCheck;
    const seconds = (n: number | undefined) => n === undefined ? undefined : Duration.seconds(n);
    this.apiKeys ??= o.secrets?.length ? secretsmanager.Secret.fromSecretCompleteArn(this.stack, 'ApiKeys', API_KEYS_ARN) : undefined;
    return {
      environment: o.environment && Object.fromEntries(Object.entries(o.environment).map(([k, v]) => [k, this.str(prop(`environment.${k}`), v)])),
      secrets: o.secrets && Object.fromEntries(o.secrets.map((name) => [name, ecs.Secret.fromSecretsManager(this.apiKeys!, name.toLowerCase())])),
      healthCheck: h && {
        path: this.str(prop('healthCheck.path'), h.path),
        healthyHttpCodes: this.str(prop('healthCheck.healthyHttpCodes'), h.healthyHttpCodes),
        interval: seconds(h.intervalSeconds),
        timeout: seconds(h.timeoutSeconds),
        healthyThresholdCount: h.healthyThresholdCount,
        unhealthyThresholdCount: h.unhealthyThresholdCount,
        protocol: h.protocol as elbv2.Protocol | undefined,
      },
      deregistrationDelay: seconds(o.deregistrationDelaySeconds),
      healthCheckGracePeriod: seconds(o.healthCheckGracePeriodSeconds),
      stopTimeout: seconds(o.stopTimeoutSeconds),
      readonlyRootFilesystem: o.readonlyRootFilesystem,
      writablePaths: o.writablePaths,
      deploymentAlarms: o.deploymentAlarms,
      targetProtocol: o.targetProtocol as elbv2.ApplicationProtocol | undefined,
      deployment: o.deployment && this.deployment(o.deployment),
    };
  }

  private deployment(d: DeploymentRecipe): ServiceDeploymentOptions {
    const minutes = (n: number | undefined) => n === undefined ? undefined : Duration.minutes(n);
    const shift = d.trafficShift;
    return {
      strategy: d.strategy && STRATEGY[d.strategy],
      bakeTime: minutes(d.bakeMinutes),
      trafficShift: shift && {
        stepPercent: shift.stepTenths === undefined ? undefined : shift.stepTenths / 10,
        stepBakeTime: minutes(shift.stepBakeMinutes),
      },
      testPort: d.testPort,
      testIngress: d.testIngress?.map((cidr) => ec2.Peer.ipv4(cidr)),
      checks: d.checks?.map((c) => ({ path: c.path, expectedStatusCodes: c.expectedStatusCodes })),
    };
  }
}

/** The context `cdk synth` would have cached for Vpc.fromLookup of an asymmetric VPC over `azs` AZs. */
function lookupContext(azs: number): Record<string, unknown> {
  const key = `vpc-provider:account=${ENV.account}:filter.vpc-id=${LOOKUP_VPC_ID}:region=${ENV.region}:returnAsymmetricSubnets=true`;
  const subnets = (id: (i: number) => string, third: number) => AZS.slice(0, azs).map((az, i) => ({
    subnetId: id(i),
    cidr: `10.0.${third + i}.0/24`,
    availabilityZone: az,
    routeTableId: `rtb-0c0c0c0c0c0c0c${third}${i}`,
  }));
  return {
    [key]: {
      vpcId: LOOKUP_VPC_ID,
      vpcCidrBlock: '10.0.0.0/16',
      ownerAccountId: ENV.account,
      availabilityZones: [],
      subnetGroups: [
        { name: 'Public', type: 'Public', subnets: subnets(publicSubnetId, 10) },
        { name: 'Private', type: 'Private', subnets: subnets(privateSubnetId, 20) },
      ],
    },
  };
}

/** Builds the deployment of `builder` (or of `props` instead of the recipe's). */
export function addDeployment(builder: PropsBuilder, props: ArculusFidoDeploymentProps = builder.props()): ArculusFidoDeployment {
  return new ArculusFidoDeployment(builder.stack, 'Fido', props);
}

/** Synthesizes the builder's app and reads its templates; the cloud assembly is removed after. */
export function synthesizeApp(builder: PropsBuilder): Deployed {
  const assembly = builder.app.synth();
  try {
    return Deployed.read(assembly, builder.stack.stackName);
  } finally {
    fs.rmSync(assembly.directory, { recursive: true, force: true });
  }
}

/** The outcome of synthesizing a valid recipe. */
export type Synthesis =
  | { readonly ok: true; readonly deployed: Deployed; readonly facts: Facts }
  | { readonly ok: false; readonly error: unknown };

/** What the invariants need to know of how a recipe was built. */
export interface Facts {
  readonly params: Readonly<Record<string, string>>;
  readonly clients: readonly string[];
  readonly markers: readonly string[];
  readonly passwordParam?: string;
  readonly publicSubnetIds?: readonly string[];
}

/** Builds and synthesizes `recipe`, in an App of its own. */
export function synthesize(recipe: ValidRecipe): Synthesis {
  try {
    const builder = new PropsBuilder(recipe);
    addDeployment(builder);
    const deployed = synthesizeApp(builder);
    const { params, clients, markers, passwordParam, publicSubnetIds } = builder;
    return { ok: true, deployed, facts: { params, clients, markers, passwordParam, publicSubnetIds } };
  } catch (error) {
    return { ok: false, error };
  }
}

const memo = new Map<string, Synthesis>();
const MEMO_SIZE = 48;

/**
 * `synthesize`, remembered for the last few recipes: the properties of the unit suite check their
 * invariants on the same seeded cases, and each case is synthesized once. What is kept is only
 * read (the templates and the facts of the build); every new case gets a new App.
 */
export function synthesizeOnce(recipe: ValidRecipe): Synthesis {
  const key = JSON.stringify(recipe);
  let found = memo.get(key);
  if (!found) {
    found = synthesize(recipe);
    memo.set(key, found);
    if (memo.size > MEMO_SIZE) {
      memo.delete(memo.keys().next().value!);
    }
  }
  return found;
}
