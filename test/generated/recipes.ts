/**
 * Generated deployment props, as plain data ("recipes") that fast-check can shrink and print, and
 * that `build.ts` turns into real props in a fresh App. Shared by the unit suite
 * (test/*.props.test.ts) and the long run (`npx projen fuzz`).
 */
import * as fc from 'fast-check';

export type Env = 'dev' | 'staging' | 'prod';
export const ENVIRONMENTS: readonly Env[] = ['dev', 'staging', 'prod'];

/** The value of a CloudFormation parameter (a token) created in the deployment's stack. */
export interface Param {
  readonly param: 'String' | 'Number';
}
export type Str = string | Param;
export type Num = number | Param;

export function isParam(value: unknown): value is Param {
  return typeof value === 'object' && value !== null && 'param' in value;
}

export interface DomainRecipe {
  readonly name: Str;
  /** Name of the hosted zone to import; with it, the alias record is created. */
  readonly zoneName?: string;
  /** Import a certificate; without it one is created in the zone. */
  readonly certificate: boolean;
}

export interface PasswordRecipe {
  readonly kind: 'secretsManager' | 'ssmSecure' | 'cfnParameter';
  /** Distinctive text in the reference, to look for in the templates. */
  readonly marker: string;
}

export type MongoRecipe =
  | { readonly kind: 'endpoint'; readonly host: Str; readonly username: Str; readonly port?: Num; readonly password?: PasswordRecipe; readonly securityGroup?: boolean }
  | { readonly kind: 'secret'; readonly byName?: boolean; readonly port?: number; readonly securityGroup?: boolean }
  | {
    readonly kind: 'documentDb';
    readonly instances?: number;
    readonly engineVersion?: string;
    readonly masterUsername?: Str;
    readonly backupRetentionDays?: number;
    readonly removalPolicy?: Removal;
    readonly rotatePassword?: boolean;
    readonly rotationIntervalDays?: number;
    readonly instanceType?: string;
  };

export type Removal = 'retain' | 'destroy' | 'snapshot';

/**
 * The deployment's VPC: created by it, or given: imported by attributes, looked up, or created in
 * the app (`new ec2.Vpc`). Valid props are generated with the first three; invalid cases that
 * break a subnet selection build on any given one.
 */
export type VpcRecipe =
  | { readonly kind: 'created' }
  | { readonly kind: 'attributes'; readonly azs: number }
  | { readonly kind: 'lookup'; readonly azs: number }
  | { readonly kind: 'app'; readonly azs: number };

/** A client of the load balancer: IPv4 (any, or a range), IPv6 (any, or a range: dual-stack only), a security group or a prefix list. */
export type PeerRecipe = 'anyIpv4' | 'anyIpv6' | 'securityGroup' | 'prefixList' | { readonly cidr: Str } | { readonly cidr6: string };

export interface NetworkRecipe {
  readonly allowedIngress?: PeerRecipe[];
  /** Said of a given VPC with a dual-stack load balancer, which an imported one does not tell. */
  readonly vpcIpProtocol?: 'dualStack';
  readonly allowAllOutbound?: boolean;
  readonly natGateways?: number;
  /** NAT gateways or NAT instances, of a type given or not (created VPCs only). */
  readonly natType?: 'gateway' | 'instance';
  readonly natInstanceType?: 't4g.nano' | 't4g.micro' | 't3.nano';
  readonly s3GatewayEndpoint?: boolean;
  /** How the load balancer's subnets are selected: by type, by group name, one per AZ, or two given subnets (imported VPCs). */
  readonly publicSubnets?: 'type' | 'group' | 'onePerAz' | 'explicit';
  readonly privateSubnets?: 'type' | 'group' | 'explicit';
}

export interface LoadBalancerRecipe {
  /** IPv4 (said, or left out) or dual-stack: IPv6 in a created VPC, ::/0 admitted by default, AAAA beside A. */
  readonly ipAddressType?: 'ipv4' | 'dualstack';
  readonly sslPolicy?: string;
  readonly redirectHttp?: boolean;
  readonly deletionProtection?: boolean;
  readonly desyncMitigationMode?: 'defensive' | 'strictest';
  readonly accessLogs?: boolean;
  readonly accessLogsBucket?: boolean;
  readonly accessLogsPrefix?: Str;
}

export interface SizingRecipe {
  readonly cpu?: Num;
  readonly memoryLimitMiB?: Num;
  readonly desiredCount?: Num;
  readonly minCapacity?: Num;
  readonly maxCapacity?: Num;
  readonly targetCpuUtilizationPercent?: Num;
  readonly spot?: boolean;
  readonly arm64?: boolean;
}

export interface HealthCheckRecipe {
  readonly path?: Str;
  readonly healthyHttpCodes?: Str;
  readonly intervalSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly healthyThresholdCount?: number;
  readonly unhealthyThresholdCount?: number;
  readonly protocol?: 'HTTP' | 'HTTPS';
}

export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

export interface CheckRecipe {
  readonly path: string;
  readonly expectedStatusCodes?: string;
}

/** A service's deployment: only what the strategy uses (the library refuses the rest as ignored). */
export interface DeploymentRecipe {
  /** Left out: rolling, as with 'ROLLING'. */
  readonly strategy?: Strategy;
  readonly bakeMinutes?: number;
  /** LINEAR and CANARY only. The step in tenths of a percent: an integer, so that the percent is exactly the literal a user writes. */
  readonly trafficShift?: { readonly stepTenths?: number; readonly stepBakeMinutes?: number };
  readonly testPort?: number;
  /** IPv4 ranges of testers admitted to the test listener. */
  readonly testIngress?: string[];
  readonly checks?: CheckRecipe[];
}

export interface ServiceRecipe {
  readonly environment?: Record<string, Str>;
  /** Names of extra ECS secrets, read from an imported secret. */
  readonly secrets?: string[];
  readonly healthCheck?: HealthCheckRecipe;
  readonly deregistrationDelaySeconds?: number;
  readonly healthCheckGracePeriodSeconds?: number;
  readonly stopTimeoutSeconds?: number;
  readonly readonlyRootFilesystem?: boolean;
  readonly writablePaths?: string[];
  readonly deploymentAlarms?: boolean;
  readonly targetProtocol?: 'HTTP' | 'HTTPS';
  readonly deployment?: DeploymentRecipe;
}

export type Service = 'pyFido' | 'tomcat';
export const SERVICES: readonly Service[] = ['pyFido', 'tomcat'];

/** Props the deployment must accept. */
export interface ValidRecipe {
  readonly deploymentEnvironment: Env;
  readonly applicationName?: string;
  readonly domain: DomainRecipe;
  readonly mongoDb: MongoRecipe;
  readonly vpc: VpcRecipe;
  readonly network?: NetworkRecipe;
  readonly loadBalancer?: LoadBalancerRecipe;
  readonly waf?: { readonly enabled?: boolean; readonly rateLimit?: Num };
  readonly encryption?: { readonly customerManagedKey?: boolean };
  readonly logging?: { readonly retention?: number; readonly removalPolicy?: 'retain' | 'destroy'; readonly encryptionKey?: boolean };
  readonly secrets?: { readonly applicationSecret?: boolean; readonly encryptionKey?: boolean };
  readonly images?: { readonly tag?: Str; readonly pyFido?: 'registry' | 'ecr'; readonly tomcat?: 'registry' | 'ecr' };
  readonly sizing?: Partial<Record<Service, SizingRecipe>>;
  readonly services?: Partial<Record<Service, ServiceRecipe>>;
  readonly nestedStacks?: boolean;
  /** Synthesize with the feature flags `cdk init` writes into a new project. */
  readonly recommendedFlags?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Facts the generators and the invariants share.

/** The presets of the README: [desiredCount, maxCapacity] of both services, and the CPU / memory of each. */
export const PRESET_COUNTS: Record<Env, { desired: number; max: number }> = {
  dev: { desired: 1, max: 1 },
  staging: { desired: 2, max: 4 },
  prod: { desired: 3, max: 6 },
};
export const PRESET_SIZE: Record<Env, Record<Service, { cpu: number; memory: number }>> = {
  dev: { pyFido: { cpu: 256, memory: 512 }, tomcat: { cpu: 256, memory: 1024 } },
  staging: { pyFido: { cpu: 512, memory: 1024 }, tomcat: { cpu: 512, memory: 1024 } },
  prod: { pyFido: { cpu: 1024, memory: 2048 }, tomcat: { cpu: 1024, memory: 2048 } },
};

/** Ports of the production listeners (80 only redirects): no test listener may take one. */
export const PRODUCTION_PORTS = [80, 443, 5001, 8080];

/** The README's defaults of each service: its container port, health check, test listener port and production listeners. */
export const SERVICE_FACTS: Record<Service, {
  container: 'pyfido' | 'tomcat';
  port: number;
  healthCheck: { path: string; codes: string };
  testPort: number;
  productionPorts: number[];
}> = {
  pyFido: { container: 'pyfido', port: 5001, healthCheck: { path: '/health', codes: '200' }, testPort: 9001, productionPorts: [5001] },
  // Tomcat serves 443 and 8080; its test listener checks the 443 route.
  tomcat: { container: 'tomcat', port: 8080, healthCheck: { path: '/', codes: '200-399' }, testPort: 9443, productionPorts: [443, 8080] },
};

/** Bake time of a traffic-shifting deployment unless given, in minutes; status codes of a check unless given. */
export const DEFAULT_BAKE_MINUTES = 5;
export const DEFAULT_CHECK_CODES = '200-399';

/** The strategy of a service's deployment in a recipe. */
export function strategyOf(recipe: ValidRecipe, s: Service): Strategy {
  return recipe.services?.[s]?.deployment?.strategy ?? 'ROLLING';
}

/** The test listener port of a traffic-shifting service, or undefined for a rolling one. */
export function testPortOf(recipe: ValidRecipe, s: Service): number | undefined {
  return strategyOf(recipe, s) === 'ROLLING' ? undefined : recipe.services?.[s]?.deployment?.testPort ?? SERVICE_FACTS[s].testPort;
}

/** Fargate's CPU / memory table. */
export const FARGATE: ReadonlyArray<{ cpu: number; memory: number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];
const ALL_MEMORY = [...new Set(FARGATE.flatMap((e) => e.memory))].sort((a, b) => a - b);

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) {
    values.push(v);
  }
  return values;
}

/** CloudWatch Logs retention periods (logs.RetentionDays). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999];

/** Plain variables the deployment sets itself, and the secrets it injects: generated variables keep clear of them. */
export const RESERVED_VARIABLES = [
  'ENVIRONMENT', 'DOMAIN_NAME', 'PYFIDO_URL', 'PYFIDO_INTERNAL_URL',
  'MONGODB_HOST', 'MONGODB_PORT', 'MONGODB_USERNAME', 'MONGODB_PASSWORD', 'JWT_SECRET', 'JWT_SECRET_PREVIOUS', 'APPLICATION_SECRET_ARN',
];

/** The longest applicationName whose every derived name fits (runbook `<app>-staging-Redeploy`, 128). */
export const LONGEST_FITTING_APPLICATION_NAME = 128 - '-staging-Redeploy'.length;

/**
 * Every physical name the deployment builds from `applicationName` in `environment`, with the
 * limit AWS puts on it: the ones any deployment of that environment may create.
 */
export function derivedNames(name: string, environment: Env): Array<{ name: string; limit: number }> {
  const cluster = `${name}-${environment}`;
  return [
    { name: cluster, limit: 255 },
    { name: `${name}/pyfido`, limit: 256 },
    { name: `${name}/tomcat`, limit: 256 },
    { name: `/ecs/${name}/${environment}/pyfido`, limit: 512 },
    { name: `/ecs/${name}/${environment}/tomcat`, limit: 512 },
    { name: `aws-waf-logs-${name}-${environment}`, limit: 512 },
    { name: `/ecs/${name}/${environment}/exec`, limit: 512 },
    // The dashboard, and the alarms of the monitoring: DocumentDB's and each service's.
    { name: cluster, limit: 255 },
    ...['docdb-cpu', 'docdb-connections'].map((what) => ({ name: `${cluster}-${what}`, limit: 255 })),
    ...['pyfido', 'tomcat'].flatMap((s) => [
      { name: `${cluster}-${s}-target-5xx`, limit: 255 },
      { name: `${cluster}-${s}-unhealthy-hosts`, limit: 255 },
      ...['5xx-rate', 'unhealthy-targets', 'latency-p99', 'cpu', 'memory', 'running-tasks'].map((what) => ({ name: `${cluster}-${s}-${what}`, limit: 255 })),
    ]),
    // The runbooks (SSM documents), which every deployment here creates.
    ...['Stop', 'Start', 'Redeploy', 'Diagnose'].map((action) => ({ name: `${cluster}-${action}`, limit: 128 })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/** A literal, or now and then a CloudFormation parameter of `type` (shrinks to the literal). */
function tokenOr<T>(literal: fc.Arbitrary<T>, type: Param['param'], tokens: boolean): fc.Arbitrary<T | Param> {
  return tokens
    ? fc.oneof({ weight: 5, arbitrary: literal }, { weight: 1, arbitrary: fc.constant<Param>({ param: type }) })
    : literal;
}

const label = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,12}[a-zA-Z0-9])?$/);
const longLabel = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9-]{30,61}[a-zA-Z0-9]$/);
const topLevelDomain = fc.stringMatching(/^[a-zA-Z]{2,6}$/);

/** A valid application name of exactly `length` characters, built from `seedName`. */
export function applicationNameOfLength(seedName: string, length: number): string {
  let name = (seedName + 'a'.repeat(length)).slice(0, length);
  if (name.endsWith('-')) {
    name = `${name.slice(0, -1)}a`;
  }
  return name;
}

const shortApplicationName = fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,6}){0,2}$/);

/** Valid application names of `min` to `max` characters. */
export function applicationNameOfLengths(min: number, max: number): fc.Arbitrary<string> {
  return fc.tuple(shortApplicationName, fc.integer({ min, max })).map(([s, l]) => applicationNameOfLength(s, l));
}

/** Application names up to `max` characters, now and then near that length. */
export function applicationName(min: number, max: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: shortApplicationName.filter((n) => n.length >= min && n.length <= max) },
    { weight: 1, arbitrary: applicationNameOfLengths(Math.max(min, max - 30), max) },
  );
}

const domain = (tokens: boolean): fc.Arbitrary<DomainRecipe> => fc.record({
  sub: fc.array(fc.oneof({ weight: 6, arbitrary: label }, { weight: 1, arbitrary: longLabel }), { maxLength: 3 }),
  zone: fc.array(label, { minLength: 1, maxLength: 2 }),
  tld: topLevelDomain,
  hostedZone: fc.boolean(),
  zoneLowercased: fc.boolean(),
  certificate: fc.boolean(),
  token: tokens ? fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) : fc.constant(false),
}, { noNullPrototype: true }).map(({ sub, zone, tld, hostedZone, zoneLowercased, certificate, token }) => {
  const zoneName = [...zone, tld].join('.');
  let name = [...sub, zoneName].join('.');
  if (name.length > 253) {
    name = zoneName;
  }
  // ACM takes at most 64 characters for the certificate's domain name: a longer one needs an imported certificate.
  const importCertificate = certificate || !hostedZone || name.length > 64;
  return {
    name: token ? { param: 'String' as const } : name,
    ...(hostedZone ? { zoneName: zoneLowercased ? zoneName.toLowerCase() : zoneName } : {}),
    certificate: importCertificate,
  };
});

const hostName = fc.oneof(
  fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 2, maxLength: 4 }).map((l) => l.join('.')),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.')),
);
const userName = fc.string({ minLength: 1, maxLength: 16, unit: 'grapheme-ascii' }).filter((u) => u.trim() !== '' && !u.includes('$'));
const port = fc.oneof(fc.constantFrom(27017, 27018, 5001, 443), fc.integer({ min: 1, max: 65535 }));
const marker = fc.stringMatching(/^[a-z0-9]{10}$/).map((s) => `pwmarker${s}`);

const mongoDb = (tokens: boolean): fc.Arbitrary<MongoRecipe> => fc.oneof(
  fc.record({
    kind: fc.constant('endpoint' as const),
    host: tokenOr(hostName, 'String', tokens),
    username: tokenOr(userName, 'String', tokens),
    port: tokenOr(port, 'Number', tokens),
    // Not ssmSecure, which the connection refuses (CloudFormation does not resolve it in a secret's value).
    password: fc.record({ kind: fc.constantFrom('secretsManager' as const, 'cfnParameter' as const), marker }, { noNullPrototype: true }),
    securityGroup: fc.boolean(),
  }, { requiredKeys: ['kind', 'host', 'username'], noNullPrototype: true }),
  fc.record({
    kind: fc.constant('secret' as const),
    byName: fc.boolean(),
    port,
    securityGroup: fc.boolean(),
  }, { requiredKeys: ['kind'], noNullPrototype: true }),
  fc.record({
    kind: fc.constant('documentDb' as const),
    instances: fc.integer({ min: 1, max: 4 }),
    engineVersion: fc.constantFrom('5.0.0', '4.0.0'),
    masterUsername: tokenOr(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,15}$/), 'String', tokens),
    backupRetentionDays: fc.integer({ min: 1, max: 35 }),
    removalPolicy: fc.constantFrom<Removal>('retain', 'snapshot', 'destroy'),
    rotatePassword: fc.boolean(),
    rotationIntervalDays: fc.integer({ min: 1, max: 1000 }),
    instanceType: fc.constantFrom('t4g.medium', 'r6g.large', 'r5.large'),
  }, { requiredKeys: ['kind'], noNullPrototype: true }),
);

const vpc: fc.Arbitrary<VpcRecipe> = fc.oneof(
  fc.constant({ kind: 'created' as const }),
  fc.record({ kind: fc.constant('attributes' as const), azs: fc.integer({ min: 2, max: 3 }) }, { noNullPrototype: true }),
  fc.record({ kind: fc.constant('lookup' as const), azs: fc.integer({ min: 2, max: 3 }) }, { noNullPrototype: true }),
);

/** An IPv4 CIDR whose host bits are zero. */
const cidr = fc.tuple(fc.nat(0xffffffff), fc.integer({ min: 8, max: 32 })).map(([address, prefix]) => {
  const masked = prefix === 0 ? 0 : Math.floor(address / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
});

/** An IPv6 CIDR EC2 takes: documentation and unique local ranges, now and then compressed differently. */
const cidr6 = fc.constantFrom('2001:db8::/32', '2001:db8:1234::/48', 'fd00:ab:cd::/64', '2001:0db8:0000:0000::/64', '2001:db8::7/128');

const peer = (tokens: boolean): fc.Arbitrary<PeerRecipe> => fc.oneof(
  fc.constant<PeerRecipe>('anyIpv4'),
  fc.record({ cidr: tokenOr(cidr, 'String', tokens) }, { noNullPrototype: true }),
  fc.constant<PeerRecipe>('anyIpv6'),
  fc.record({ cidr6 }, { noNullPrototype: true }),
  fc.constant<PeerRecipe>('securityGroup'),
  fc.constant<PeerRecipe>('prefixList'),
);

/** Peers are unique: one of each kind, distinct CIDRs, and at most one parameter CIDR. */
const peerKey = (p: PeerRecipe) => typeof p === 'string' ? p : 'cidr6' in p ? p.cidr6 : isParam(p.cidr) ? 'parameter' : p.cidr;

/** Whether a peer is an IPv6 range, which only a dual-stack load balancer takes. */
export const isIpv6PeerRecipe = (p: PeerRecipe) => p === 'anyIpv6' || (typeof p === 'object' && 'cidr6' in p);

const network = (tokens: boolean): fc.Arbitrary<NetworkRecipe> => fc.record({
  allowedIngress: fc.uniqueArray(peer(tokens), { minLength: 1, maxLength: 3, selector: peerKey }),
  allowAllOutbound: fc.boolean(),
  natGateways: fc.integer({ min: 1, max: 2 }),
  natType: fc.constantFrom('gateway' as const, 'instance' as const),
  natInstanceType: fc.constantFrom('t4g.nano' as const, 't4g.micro' as const, 't3.nano' as const),
  s3GatewayEndpoint: fc.boolean(),
  publicSubnets: fc.constantFrom('type' as const, 'group' as const, 'onePerAz' as const, 'explicit' as const),
  privateSubnets: fc.constantFrom('type' as const, 'group' as const, 'explicit' as const),
}, { requiredKeys: [], noNullPrototype: true });

const accessLogsPrefix = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,12}(\/[a-z0-9_-]{1,8}){0,2}$/).filter((p) => !/awslogs/i.test(p));

const loadBalancer = (tokens: boolean): fc.Arbitrary<LoadBalancerRecipe> => fc.record({
  ipAddressType: fc.constantFrom('ipv4' as const, 'dualstack' as const),
  sslPolicy: fc.constantFrom('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09', 'ELBSecurityPolicy-TLS13-1-3-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06'),
  redirectHttp: fc.boolean(),
  deletionProtection: fc.boolean(),
  desyncMitigationMode: fc.constantFrom('defensive' as const, 'strictest' as const),
  accessLogs: fc.boolean(),
  accessLogsBucket: fc.boolean(),
  accessLogsPrefix: tokenOr(accessLogsPrefix, 'String', tokens),
}, { requiredKeys: [], noNullPrototype: true });

const count = (tokens: boolean, max: number) => tokenOr(fc.integer({ min: 1, max }), 'Number', tokens);

const sizing = (tokens: boolean): fc.Arbitrary<SizingRecipe> => fc.record({
  cpu: tokenOr(fc.constantFrom(...FARGATE.map((e) => e.cpu)), 'Number', tokens),
  memoryLimitMiB: tokenOr(fc.constantFrom(...ALL_MEMORY), 'Number', tokens),
  desiredCount: count(tokens, 8),
  minCapacity: count(tokens, 8),
  maxCapacity: count(tokens, 12),
  targetCpuUtilizationPercent: tokenOr(fc.integer({ min: 10, max: 90 }), 'Number', tokens),
  spot: fc.boolean(),
  arm64: fc.boolean(),
}, { requiredKeys: [], noNullPrototype: true });

const variableName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/).filter((n) => !RESERVED_VARIABLES.includes(n));
const httpCode = fc.integer({ min: 200, max: 499 });
const httpCodes = fc.oneof(
  httpCode.map(String),
  fc.tuple(httpCode, httpCode).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.uniqueArray(httpCode, { minLength: 2, maxLength: 3 }).map((c) => c.join(',')),
);

const minutes = fc.integer({ min: 0, max: 1440 });

/**
 * Test ports apart per service, so that the two never meet: PyFIDO's below 32768 (never a
 * production port, nor Tomcat's default 9443), Tomcat's from 32768 (PyFIDO's default 9001 is
 * below), each now and then its default or an end of its range.
 */
const TEST_PORTS: Record<Service, fc.Arbitrary<number>> = {
  pyFido: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 32767 }).filter((p) => ![...PRODUCTION_PORTS, SERVICE_FACTS.tomcat.testPort].includes(p)) },
    { weight: 1, arbitrary: fc.constantFrom(9001, 1, 32767) },
  ),
  tomcat: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 32768, max: 65535 }) },
    { weight: 1, arbitrary: fc.constantFrom(9443, 32768, 65535) },
  ),
};

/** Status codes in the load balancer's matcher syntax, as a deployment check takes them (100 to 599). */
const statusCode = fc.integer({ min: 100, max: 599 });
const statusCodes = fc.oneof(
  statusCode.map(String),
  fc.tuple(statusCode, statusCode).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
  fc.uniqueArray(statusCode, { minLength: 2, maxLength: 3 }).map((c) => c.join(',')),
);

const check: fc.Arbitrary<CheckRecipe> = fc.record({
  path: fc.stringMatching(/^\/[a-zA-Z0-9_.~%\-/]{0,24}(\?[a-z0-9]{1,6}=[a-z0-9]{0,6})?$/),
  expectedStatusCodes: statusCodes,
}, { requiredKeys: ['path'], noNullPrototype: true });

/** A traffic-shifting deployment of `strategy`; with `lowestStepTenths`, a traffic shift whose step is at least that. */
const shifting = (s: Service, strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY', lowestStepTenths?: number): fc.Arbitrary<DeploymentRecipe> => fc.record({
  strategy: fc.constant(strategy),
  bakeMinutes: minutes,
  trafficShift: lowestStepTenths === undefined
    ? fc.constant(undefined)
    : fc.record({
      stepTenths: fc.integer({ min: lowestStepTenths, max: 1000 }),
      stepBakeMinutes: minutes,
    }, { requiredKeys: [], noNullPrototype: true }),
  testPort: TEST_PORTS[s],
  // Now and then the same range as an allowed client's, which the test port must still admit only as a tester.
  testIngress: fc.uniqueArray(fc.constantFrom('198.51.100.0/24', '192.0.2.7/32', '203.0.113.0/24'), { maxLength: 2 }),
  checks: fc.array(check, { maxLength: 3 }),
}, { requiredKeys: ['strategy'], noNullPrototype: true }).map(dropUndefined);

/** Rolling (left out, or said), or blue/green, linear (steps of 3 to 100 percent) or canary (0.1 to 100). */
const deployment = (s: Service): fc.Arbitrary<DeploymentRecipe> => fc.oneof(
  fc.record({ strategy: fc.constant('ROLLING' as const) }, { requiredKeys: [], noNullPrototype: true }),
  shifting(s, 'BLUE_GREEN'),
  shifting(s, 'LINEAR', 30),
  shifting(s, 'CANARY', 1),
);

const service = (tokens: boolean, s: Service): fc.Arbitrary<ServiceRecipe> => fc.record({
  environment: fc.dictionary(variableName, tokenOr(fc.string({ maxLength: 12 }).filter((v) => !v.includes('$')), 'String', tokens), { maxKeys: 3, noNullPrototype: true }),
  secrets: fc.uniqueArray(variableName, { maxLength: 2 }),
  healthCheck: fc.record({
    path: tokenOr(fc.stringMatching(/^\/[a-zA-Z0-9_.\-/]{0,20}$/), 'String', tokens),
    healthyHttpCodes: tokenOr(httpCodes, 'String', tokens),
    intervalSeconds: fc.integer({ min: 5, max: 300 }),
    timeoutSeconds: fc.integer({ min: 2, max: 120 }),
    healthyThresholdCount: fc.integer({ min: 2, max: 10 }),
    unhealthyThresholdCount: fc.integer({ min: 2, max: 10 }),
    protocol: fc.constantFrom('HTTP' as const, 'HTTPS' as const),
  }, { requiredKeys: [], noNullPrototype: true }),
  deregistrationDelaySeconds: fc.integer({ min: 0, max: 3600 }),
  healthCheckGracePeriodSeconds: fc.integer({ min: 0, max: 3600 }),
  stopTimeoutSeconds: fc.integer({ min: 2, max: 120 }),
  readonlyRootFilesystem: fc.boolean(),
  writablePaths: fc.uniqueArray(fc.stringMatching(/^\/[a-z]{1,8}(\/[a-z]{1,8})?$/), { minLength: 1, maxLength: 3 }),
  deploymentAlarms: fc.boolean(),
  targetProtocol: fc.constantFrom('HTTP' as const, 'HTTPS' as const),
  deployment: deployment(s),
}, { requiredKeys: [], noNullPrototype: true });

const services = (tokens: boolean) => fc.record({ pyFido: service(tokens, 'pyFido'), tomcat: service(tokens, 'tomcat') }, { requiredKeys: [], noNullPrototype: true });
const sizings = (tokens: boolean) => fc.record({ pyFido: sizing(tokens), tomcat: sizing(tokens) }, { requiredKeys: [], noNullPrototype: true });

export interface ValidRecipeOptions {
  /** Put CloudFormation parameters wherever the token policy carries them. */
  readonly tokens: boolean;
  /** Application names, at most LONGEST_FITTING_APPLICATION_NAME long by default. */
  readonly applicationName?: fc.Arbitrary<string>;
}

/** Props the deployment must accept, in every preset and every MongoDB, VPC and option combination. */
export function validRecipe(options: ValidRecipeOptions): fc.Arbitrary<ValidRecipe> {
  const { tokens } = options;
  return fc.record({
    deploymentEnvironment: fc.constantFrom<Env>(...ENVIRONMENTS),
    applicationName: options.applicationName ?? applicationName(1, LONGEST_FITTING_APPLICATION_NAME),
    domain: domain(tokens),
    mongoDb: mongoDb(tokens),
    vpc,
    network: network(tokens),
    loadBalancer: loadBalancer(tokens),
    waf: fc.record({ enabled: fc.boolean(), rateLimit: tokenOr(fc.integer({ min: 10, max: 2_000_000_000 }), 'Number', tokens) }, { requiredKeys: [], noNullPrototype: true }),
    encryption: fc.record({ customerManagedKey: fc.boolean() }, { requiredKeys: [], noNullPrototype: true }),
    logging: fc.record({
      retention: fc.constantFrom(...RETENTION_DAYS),
      removalPolicy: fc.constantFrom('retain' as const, 'destroy' as const),
      encryptionKey: fc.boolean(),
    }, { requiredKeys: [], noNullPrototype: true }),
    secrets: fc.record({ applicationSecret: fc.boolean(), encryptionKey: fc.boolean() }, { requiredKeys: [], noNullPrototype: true }),
    images: fc.record({
      tag: tokenOr(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), 'String', tokens),
      pyFido: fc.constantFrom('registry' as const, 'ecr' as const),
      tomcat: fc.constantFrom('registry' as const, 'ecr' as const),
    }, { requiredKeys: [], noNullPrototype: true }),
    sizing: sizings(tokens),
    services: services(tokens),
    nestedStacks: fc.boolean(),
    recommendedFlags: fc.boolean(),
  }, { requiredKeys: ['deploymentEnvironment', 'domain', 'mongoDb', 'vpc'], noNullPrototype: true }).map(normalize);
}

/** The smallest valid props: what an invalid case's base shrinks to first. */
export const MINIMAL_RECIPE: ValidRecipe = {
  deploymentEnvironment: 'dev',
  domain: { name: 'auth.example.com', certificate: true },
  mongoDb: { kind: 'endpoint', host: 'cluster0.example.net', username: 'fido' },
  vpc: { kind: 'created' },
};

/**
 * Makes a generated recipe valid where its parts depend on each other: Fargate CPU and memory,
 * 1 <= minCapacity <= desiredCount <= maxCapacity against the preset, a health check timeout
 * below its interval, writable paths only with a read-only root file system, secrets apart from
 * plain variables, and given subnets only in an imported VPC.
 */
function normalize(recipe: ValidRecipe): ValidRecipe {
  const env = recipe.deploymentEnvironment;
  const sizingOf = (s: Service, given: SizingRecipe | undefined): SizingRecipe | undefined =>
    given && normalizeSizing(given, PRESET_SIZE[env][s], PRESET_COUNTS[env]);
  const serviceOf = (given: ServiceRecipe | undefined): ServiceRecipe | undefined => given && normalizeService(given);
  const imported = recipe.vpc.kind !== 'created';
  // The library refuses options that would be ignored: subnets only with a given VPC, the NAT and
  // endpoint options only with a created one (an instance type only with NAT instances), the tag
  // only for a default image, the rate limit only with the web ACL, the access log options only
  // with access logs.
  // IPv6 clients only with a dual-stack load balancer, and an imported VPC said to have IPv6.
  const { publicSubnets, privateSubnets, natGateways, natType, natInstanceType, s3GatewayEndpoint, vpcIpProtocol: _said, ...rest } =
    recipe.network ?? {};
  const dualStack = recipe.loadBalancer?.ipAddressType === 'dualstack';
  const clients = rest.allowedIngress?.filter((p) => dualStack || !isIpv6PeerRecipe(p));
  const created = { natGateways, natType, natInstanceType: natType === 'instance' ? natInstanceType : undefined, s3GatewayEndpoint };
  const givenVpc = { publicSubnets, privateSubnets, vpcIpProtocol: dualStack ? 'dualStack' as const : undefined };
  const given = (recipe.network || (dualStack && imported))
    && { ...rest, allowedIngress: clients?.length ? clients : undefined, ...(imported ? givenVpc : created) };
  const bothImages = recipe.images?.pyFido !== undefined && recipe.images?.tomcat !== undefined;
  const webAcl = recipe.waf?.enabled ?? env === 'prod';
  const accessLogs = recipe.loadBalancer?.accessLogs ?? true;
  return {
    ...recipe,
    ...(given ? { network: dropUndefined(given) } : {}),
    ...(recipe.images && bothImages ? { images: dropUndefined({ ...recipe.images, tag: undefined }) } : {}),
    ...(recipe.waf && !webAcl ? { waf: dropUndefined({ ...recipe.waf, rateLimit: undefined }) } : {}),
    ...(recipe.loadBalancer && !accessLogs
      ? { loadBalancer: dropUndefined({ ...recipe.loadBalancer, accessLogsPrefix: undefined, accessLogsBucket: undefined }) }
      : {}),
    ...(recipe.sizing ? { sizing: dropUndefined({ pyFido: sizingOf('pyFido', recipe.sizing.pyFido), tomcat: sizingOf('tomcat', recipe.sizing.tomcat) }) } : {}),
    ...(recipe.services ? { services: dropUndefined({ pyFido: serviceOf(recipe.services.pyFido), tomcat: serviceOf(recipe.services.tomcat) }) } : {}),
  };
}

function normalizeSizing(given: SizingRecipe, preset: { cpu: number; memory: number }, counts: { desired: number; max: number }): SizingRecipe {
  const s: { -readonly [K in keyof SizingRecipe]: SizingRecipe[K] } = { ...given };
  // Fargate's table, for the literal values (a token is only known at deploy time).
  const cpu = s.cpu ?? preset.cpu;
  const memory = s.memoryLimitMiB ?? preset.memory;
  if (typeof cpu === 'number' && typeof memory === 'number') {
    const entry = FARGATE.find((e) => e.cpu === cpu)!;
    if (!entry.memory.includes(memory)) {
      if (s.memoryLimitMiB === undefined) {
        s.memoryLimitMiB = entry.memory[0];
      } else if (s.cpu === undefined) {
        s.cpu = FARGATE.find((e) => e.memory.includes(memory))!.cpu;
      } else {
        s.memoryLimitMiB = entry.memory[0];
      }
    }
  }
  // Task counts: 1 <= min <= desired <= max among the literals.
  const desired = s.desiredCount ?? counts.desired;
  if (typeof desired === 'number') {
    if (typeof s.minCapacity === 'number' && s.minCapacity > desired) {
      s.minCapacity = desired;
    }
    if (typeof s.maxCapacity === 'number' && s.maxCapacity < desired) {
      s.maxCapacity = desired;
    }
  } else if (typeof s.minCapacity === 'number' && typeof s.maxCapacity === 'number' && s.minCapacity > s.maxCapacity) {
    s.maxCapacity = s.minCapacity;
  }
  return s;
}

function normalizeService(given: ServiceRecipe): ServiceRecipe {
  const s: { -readonly [K in keyof ServiceRecipe]: ServiceRecipe[K] } = { ...given };
  if (s.healthCheck?.timeoutSeconds !== undefined && s.healthCheck.timeoutSeconds >= (s.healthCheck.intervalSeconds ?? 30)) {
    const { timeoutSeconds: _dropped, ...rest } = s.healthCheck;
    s.healthCheck = rest;
  }
  if (s.writablePaths && !s.readonlyRootFilesystem) {
    delete s.writablePaths;
  }
  if (s.secrets && s.environment) {
    s.secrets = s.secrets.filter((name) => !(name in s.environment!));
  }
  return s;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
