/**
 * Invalid props: a valid recipe with one to three props broken, by a wrong value or a wrong
 * JavaScript type (as a JavaScript, Python or Java user may pass), at every depth; and props that
 * refuse tokens, given one. Either must give the deployment's one gathered error, naming the
 * broken prop.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as fc from 'fast-check';
import { addDeployment, DEPLOYMENT_PATH, PropsBuilder, synthesizeApp } from './build';
import type { Violation } from './invariants';
import { MINIMAL_RECIPE, MongoRecipe, SERVICES, validRecipe, ValidRecipe, VpcRecipe } from './recipes';
import { NatType } from '../../src';

/** A value to put where a prop goes, as data (printed in counterexamples). */
export type Bad =
  | { readonly str: string }
  | { readonly num: number }
  | { readonly bool: boolean }
  | { readonly nil: null }
  | { readonly absent: true }
  | { readonly list: readonly Bad[] }
  | { readonly obj: { readonly [key: string]: Bad } }
  | { readonly duration: readonly [number, 'seconds' | 'minutes' | 'hours' | 'days'] }
  | { readonly enum: keyof typeof ENUMS }
  | { readonly ipv6Peer: true }
  | { readonly ipv4Peers: readonly string[] }
  | { readonly otherVpcSubnets: OtherVpcSubnets }
  | { readonly param: 'String' | 'Number' };

/**
 * Subnets of a second VPC created in the app (`new ec2.Vpc`), where the deployment is given
 * another: of its public or private `group`; `all` of them, `one`, one `beside` a subnet of the
 * given VPC, or all imported `again` by their IDs (`ec2.Subnet.fromSubnetId`, a token).
 */
interface OtherVpcSubnets {
  readonly group: 'public' | 'private';
  readonly pick: 'all' | 'one' | 'beside' | 'again';
}

/** Enum members that are real values of their enum, but refused where they are put; and the deployment strategies a companion sets. */
const ENUMS = {
  'DesyncMitigationMode.MONITOR': elbv2.DesyncMitigationMode.MONITOR,
  'Protocol.TCP': elbv2.Protocol.TCP,
  'SubnetType.PRIVATE_WITH_EGRESS': ec2.SubnetType.PRIVATE_WITH_EGRESS,
  'DeploymentControllerType.CODE_DEPLOY': ecs.DeploymentControllerType.CODE_DEPLOY,
  'DeploymentStrategy.ROLLING': ecs.DeploymentStrategy.ROLLING,
  'DeploymentStrategy.BLUE_GREEN': ecs.DeploymentStrategy.BLUE_GREEN,
  'DeploymentStrategy.LINEAR': ecs.DeploymentStrategy.LINEAR,
  'DeploymentStrategy.CANARY': ecs.DeploymentStrategy.CANARY,
  'NatType.INSTANCE': NatType.INSTANCE,
  'IpAddressType.IPV4': elbv2.IpAddressType.IPV4,
  'IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4': elbv2.IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4,
  'IpProtocol.DUAL_STACK': ec2.IpProtocol.DUAL_STACK,
};

const str = (s: string): Bad => ({ str: s });
const num = (n: number): Bad => ({ num: n });
const bool = (b: boolean): Bad => ({ bool: b });
const NULL: Bad = { nil: null };
const ABSENT: Bad = { absent: true };
const list = (...items: Bad[]): Bad => ({ list: items });
const obj = (o: { [key: string]: Bad } = {}): Bad => ({ obj: o });
const duration = (amount: number, unit: 'seconds' | 'minutes' | 'hours' | 'days'): Bad => ({ duration: [amount, unit] });

/** Wrong JavaScript types for a prop of each kind. */
const NOT_A_STRING = [num(5), bool(true), list(), obj()];
const NOT_A_NUMBER = [str('2'), bool(true), list(), obj()];
const NOT_A_BOOLEAN = [str('yes'), num(1), obj()];
const NOT_AN_OBJECT = [num(1), str('x'), list(), bool(true)];

interface Entry {
  readonly path: string;
  readonly values: readonly Bad[];
  /** Other props the error may name instead, when the broken value only conflicts with them. */
  readonly alsoAccept?: readonly string[];
  /** The MongoDB connection the broken option belongs to. */
  readonly mongo?: MongoRecipe['kind'];
  /** The prop only matters with a created VPC. */
  readonly createdVpc?: boolean;
  /** Props set alongside, for the broken value to be wrong. */
  readonly companions?: ReadonlyArray<readonly [string, Bad]>;
  /** The certificate is created in a hosted zone (not imported). */
  readonly createdCertificate?: boolean;
  /** The prop only matters with a VPC given in network.vpc: imported (by attributes or looked up), or created in the app. */
  readonly givenVpc?: 'imported' | 'app';
  /** Values generated, besides `values`: drawn as often as `weight` of them would be; `holds` tells its values. */
  readonly generated?: { readonly arbitrary: fc.Arbitrary<Bad>; readonly weight: number; readonly holds: (value: Bad) => boolean };
  /**
   * What the error must say of a value, beyond naming the prop: `exactly` the props it names at or
   * under the broken one (each malformed item, never a valid one beside it), text it must `mention`,
   * and, when each broken prop of a case says so, `nothingElse` (no prop the case did not break).
   */
  readonly says?: (value: Bad) => Said;
}

interface Said {
  readonly exactly?: readonly string[];
  readonly mentions?: readonly string[];
  readonly nothingElse?: boolean;
}

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:fido/mongo-AbCdEf';
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';

function serviceEntries(s: string): Entry[] {
  const sizing = `sizing.${s}`;
  const counts = ['desiredCount', 'minCapacity', 'maxCapacity'].map((k) => `${sizing}.${k}`);
  const service = `services.${s}`;
  const healthCheck = `${service}.healthCheck`;
  return [
    { path: sizing, values: NOT_AN_OBJECT },
    { path: `${sizing}.cpu`, values: [num(300), num(-256), num(Number.NaN), num(Infinity), ...NOT_A_NUMBER] },
    { path: `${sizing}.memoryLimitMiB`, values: [num(99999), num(1.5), num(Number.NaN), ...NOT_A_NUMBER] },
    { path: `${sizing}.desiredCount`, values: [num(0), num(-1), num(1.5), num(Number.NaN), ...NOT_A_NUMBER] },
    { path: `${sizing}.minCapacity`, values: [num(0), num(2.5), ...NOT_A_NUMBER] },
    { path: `${sizing}.maxCapacity`, values: [num(0), num(2.5), ...NOT_A_NUMBER], alsoAccept: counts },
    { path: `${sizing}.targetCpuUtilizationPercent`, values: [num(95), num(5), num(50.5), num(Number.NaN), ...NOT_A_NUMBER] },
    { path: `${sizing}.spot`, values: NOT_A_BOOLEAN },
    { path: `${sizing}.cpuArchitecture`, values: [str('ARM64'), num(1), obj()] },
    { path: service, values: NOT_AN_OBJECT },
    { path: `${service}.environment`, values: [str('A=1'), list(), num(1)] },
    { path: `${service}.environment`, values: [obj({ FEATURE: num(5) }), obj({ FEATURE: NULL }), obj({ FEATURE: obj() }), obj({ FEATURE: list() })] },
    { path: `${service}.environment.MONGODB_PASSWORD`, values: [str('x')], alsoAccept: [`${service}.environment`] },
    { path: `${service}.secrets`, values: [str('x'), num(1), list(), obj({ API_KEY: str(SECRET_ARN) }), obj({ API_KEY: obj() })] },
    { path: healthCheck, values: NOT_AN_OBJECT },
    { path: `${healthCheck}.path`, values: [str('health'), str('/he alth'), ...NOT_A_STRING] },
    { path: `${healthCheck}.interval`, values: [duration(3, 'seconds'), duration(6, 'minutes'), num(30), str('30s'), obj()] },
    { path: `${healthCheck}.timeout`, values: [duration(1, 'seconds'), duration(121, 'seconds'), num(5), str('5s'), obj()], alsoAccept: [`${healthCheck}.interval`] },
    { path: `${healthCheck}.healthyThresholdCount`, values: [num(1), num(11), num(2.5), ...NOT_A_NUMBER] },
    { path: `${healthCheck}.unhealthyThresholdCount`, values: [num(1), num(11), num(2.5), ...NOT_A_NUMBER] },
    { path: `${healthCheck}.healthyHttpCodes`, values: [str('200-600'), str('OK'), str(''), num(200), list(), obj()] },
    { path: `${healthCheck}.protocol`, values: [{ enum: 'Protocol.TCP' }, str('http'), num(1)] },
    { path: `${service}.deregistrationDelay`, values: [duration(2, 'hours'), num(30), str('30s'), obj()] },
    { path: `${service}.healthCheckGracePeriod`, values: [num(60), str('60s'), obj()] },
    { path: `${service}.stopTimeout`, values: [duration(1, 'seconds'), duration(121, 'seconds'), num(30), str('30s')] },
    { path: `${service}.readonlyRootFilesystem`, values: NOT_A_BOOLEAN },
    {
      path: `${service}.writablePaths`,
      values: [str('/tmp'), list(str('tmp')), list(str('/')), list(num(5)), num(1), obj()],
      companions: [[`${service}.readonlyRootFilesystem`, bool(true)]],
    },
    { path: `${service}.writablePaths`, values: [list(str('/tmp'))], companions: [[`${service}.readonlyRootFilesystem`, bool(false)]], alsoAccept: [`${service}.readonlyRootFilesystem`] },
    { path: `${service}.deploymentAlarms`, values: NOT_A_BOOLEAN },
    { path: `${service}.targetProtocol`, values: [str('TCP'), num(1), obj()] },
    ...deploymentEntries(s),
  ];
}

type StrategyName = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** A service's deployment options; what only a strategy takes is broken beside it (a companion). */
function deploymentEntries(s: string): Entry[] {
  const deployment = `services.${s}.deployment`;
  const strategy = `${deployment}.strategy`;
  const beside = (name: StrategyName): ReadonlyArray<readonly [string, Bad]> => [[strategy, { enum: `DeploymentStrategy.${name}` }]];
  const eleven = Array.from({ length: 11 }, () => obj({ path: str('/') }));
  return [
    { path: deployment, values: [...NOT_AN_OBJECT, obj({ testport: num(9001) })] },
    { path: strategy, values: [str('BLUE-GREEN'), str('blue_green'), str(''), { enum: 'DeploymentControllerType.CODE_DEPLOY' }, num(1), bool(true), list(), obj()] },
    { path: `${deployment}.bakeTime`, values: [duration(1441, 'minutes'), duration(2, 'days'), duration(90, 'seconds'), num(5), str('5m'), obj()], companions: beside('BLUE_GREEN') },
    { path: `${deployment}.trafficShift`, values: [num(10), str('10%'), list()], companions: beside('LINEAR') },
    { path: `${deployment}.trafficShift`, values: [obj({ stepPercent: num(10) }), obj()], companions: beside('BLUE_GREEN') },
    {
      path: `${deployment}.trafficShift.stepPercent`,
      values: [num(2), num(2.95), num(100.1), num(0), num(-5), num(Number.NaN), num(Infinity), str('10'), bool(true), obj()],
      companions: beside('LINEAR'),
    },
    { path: `${deployment}.trafficShift.stepPercent`, values: [num(0.05), num(0), num(150), num(12.34)], companions: beside('CANARY') },
    { path: `${deployment}.trafficShift.stepBakeTime`, values: [duration(1441, 'minutes'), duration(90, 'seconds'), duration(2, 'days'), num(6), str('PT6M'), obj()], companions: beside('LINEAR') },
    {
      path: `${deployment}.testPort`,
      values: [num(443), num(80), num(5001), num(8080), num(0), num(70000), num(1.5), num(-1), num(Number.NaN), str('9001'), bool(true), list(), obj()],
      companions: beside('BLUE_GREEN'),
    },
    {
      path: `${deployment}.checks`,
      values: [
        list(obj({ path: str('health') })), list(obj({ path: str('/he alth') })), list(obj({ path: num(5) })), list(obj()),
        ...['200-', '99', '600', '399-200', '200, 302', 'OK', ''].map((codes) => list(obj({ path: str('/'), expectedStatusCodes: str(codes) }))),
        list(obj({ path: str('/'), expectedStatusCodes: num(200) })), list(...eleven), list(str('/health')), list(num(1)), list(NULL), str('/health'), num(1), obj(),
      ],
      companions: beside('CANARY'),
    },
    // What only a traffic-shifting strategy uses, beside a rolling one (said, or left out): refused as ignored.
    { path: `${deployment}.bakeTime`, values: [duration(5, 'minutes')], companions: beside('ROLLING') },
    { path: `${deployment}.trafficShift`, values: [obj({ stepPercent: num(10) })], companions: [[strategy, ABSENT]] },
    { path: `${deployment}.testPort`, values: [num(9001)], companions: [[strategy, ABSENT]] },
    { path: `${deployment}.checks`, values: [list(obj({ path: str('/health') }))], companions: beside('ROLLING') },
  ];
}

const octet = fc.integer({ min: 0, max: 255 });
const octets = fc.tuple(octet, octet, octet, octet);

/** An IPv4 CIDR EC2 takes: a prefix length from 0 to 32, host bits set now and then. */
const takenCidr = fc.tuple(octets, fc.integer({ min: 0, max: 32 })).map(([o, prefix]) => `${o.join('.')}/${prefix}`);

/** An IPv4 CIDR of the shape aws-cdk-lib checks, which EC2 refuses: a prefix length of 33 to 99, or an octet (any) of 256 to 999. */
const malformedCidr = fc.oneof(
  fc.tuple(octets, fc.integer({ min: 33, max: 99 })).map(([o, prefix]) => `${o.join('.')}/${prefix}`),
  fc.tuple(octets, fc.nat(3), fc.integer({ min: 256, max: 999 }), fc.integer({ min: 0, max: 32 }))
    .map(([o, at, wrong, prefix]) => `${o.map((x, i) => (i === at ? wrong : x)).join('.')}/${prefix}`),
);

/** Whether a CIDR is one EC2 refuses (as generated here). */
const isMalformed = (cidr: string) => {
  const [address, prefix] = cidr.split('/');
  return Number(prefix) > 32 || address.split('.').some((o) => Number(o) > 255);
};

/** A list of IPv4 peers with at least one malformed CIDR, anywhere in it, among CIDRs EC2 takes (and now and then another malformed one). */
const MALFORMED_CIDRS: Entry['generated'] = {
  arbitrary: fc.tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: takenCidr }, { weight: 1, arbitrary: malformedCidr }), { maxLength: 2 }),
    malformedCidr,
    fc.array(fc.oneof({ weight: 4, arbitrary: takenCidr }, { weight: 1, arbitrary: malformedCidr }), { maxLength: 2 }),
  ).map(([before, malformed, after]): Bad => ({ ipv4Peers: [...before, malformed, ...after] })),
  weight: 12,
  holds: (b) => 'ipv4Peers' in b,
};

/** Each malformed CIDR is named at its index, with its value; a CIDR EC2 takes beside it never is. */
const saysMalformedCidrs = (b: Bad): Said => {
  const cidrs = 'ipv4Peers' in b ? b.ipv4Peers : [];
  return {
    exactly: cidrs.flatMap((cidr, i) => (isMalformed(cidr) ? [`network.allowedIngress[${i}]`] : [])),
    mentions: cidrs.filter(isMalformed).map((cidr) => `got '${cidr}'`),
    nothingElse: true,
  };
};

/** The construct ID of the second VPC, created in the deployment's stack. */
const OTHER_VPC = 'OtherVpc';

/** Subnets of a second VPC of the app, every way (new objects for each entry: an entry is found by its values). */
const otherVpcSubnets = (): Bad[] => (['public', 'private'] as const).flatMap((group) =>
  (['all', 'one', 'beside', 'again'] as const).map((pick): Bad => ({ otherVpcSubnets: { group, pick } })));

/** The error names the second VPC and says to select subnets of network.vpc; it names no other prop (the given VPC's other selection, say). */
const saysOtherVpc = (): Said => ({ mentions: [`of the VPC '${DEPLOYMENT_PATH.split('/')[0]}/${OTHER_VPC}'`, 'select subnets of network.vpc'], nothingElse: true });

/** Every prop, with values that are wrong there. */
export const CATALOG: readonly Entry[] = [
  { path: 'deploymentEnvironment', values: [str('production'), str('PROD'), str(''), num(1), NULL, ABSENT, obj(), list()] },
  { path: 'applicationName', values: [str('Arculus-Auth'), str('arculus_auth'), str(''), str('a'.repeat(260)), num(5), bool(true), list(), obj()] },
  { path: 'nestedStacks', values: NOT_A_BOOLEAN },
  { path: 'domain', values: [ABSENT, NULL, str('auth.example.com'), num(5), list()] },
  { path: 'domain.domainName', values: [ABSENT, NULL, str('not a domain'), str('https://auth.example.com'), str('auth'), num(42), list(), obj()] },
  { path: 'domain.domainName', values: [str(`${'a'.repeat(60)}.example.com`)], createdCertificate: true, alsoAccept: ['domain.certificate', 'domain'] },
  { path: 'domain.certificate', values: [str(CERTIFICATE_ARN), obj(), obj({ domainName: str('auth.example.com') }), num(5), list()] },
  { path: 'domain.hostedZone', values: [str('Z0000000000000000000A'), obj(), obj({ zoneName: str('example.com') }), num(1), list()] },
  { path: 'mongoDb', values: [ABSENT, NULL, obj(), str('mongodb://fido@cluster0.example.net/fido'), num(27017), list()] },
  { path: 'mongoDb.host', mongo: 'endpoint', values: [str(''), str('mongodb+srv://cluster0.example.net'), str('db.example.net:27017'), ABSENT, NULL, ...NOT_A_STRING] },
  { path: 'mongoDb.username', mongo: 'endpoint', values: [str(' '), str(''), ABSENT, NULL, ...NOT_A_STRING] },
  { path: 'mongoDb.port', mongo: 'endpoint', values: [num(0), num(70000), num(1.5), num(Number.NaN), num(-1), ...NOT_A_NUMBER] },
  { path: 'mongoDb.password', mongo: 'endpoint', values: [str('not-a-secret-value'), num(5), obj(), list()] },
  { path: 'mongoDb.securityGroup', mongo: 'endpoint', values: [str('sg-0123456789abcdef0'), obj(), num(1), list()] },
  { path: 'mongoDb.masterSecret', mongo: 'endpoint', values: [str(SECRET_ARN), obj(), num(1), list()] },
  { path: 'mongoDb.atlasRotation', mongo: 'endpoint', values: [str('0123456789abcdef01234567'), num(1), list()] },
  { path: 'mongoDb.rotationInterval', mongo: 'endpoint', values: [num(30), str('P30D'), obj(), list()] },
  { path: 'mongoDb.port', mongo: 'secret', values: [num(0), num(70000), num(1.5), ...NOT_A_NUMBER] },
  { path: 'mongoDb.securityGroup', mongo: 'secret', values: [str('sg-0123456789abcdef0'), obj(), num(1)] },
  // The secret of fromSecret is an argument, not an option: the error names it under mongoDb.
  { path: 'mongoDb.secret', mongo: 'secret', values: [str(SECRET_ARN), obj(), NULL, ABSENT, num(1), list()], alsoAccept: ['mongoDb'] },
  { path: 'mongoDb.instances', mongo: 'documentDb', values: [num(0), num(17), num(1.5), num(Number.NaN), str('3'), obj()] },
  { path: 'mongoDb.engineVersion', mongo: 'documentDb', values: [str('latest'), str('5'), num(5), list(), obj()] },
  { path: 'mongoDb.masterUsername', mongo: 'documentDb', values: NOT_A_STRING },
  { path: 'mongoDb.backupRetention', mongo: 'documentDb', values: [duration(40, 'days'), duration(36, 'hours'), num(7), str('P7D'), obj()] },
  { path: 'mongoDb.removalPolicy', mongo: 'documentDb', values: [str('keep'), num(1), obj()] },
  { path: 'mongoDb.rotatePassword', mongo: 'documentDb', values: NOT_A_BOOLEAN },
  { path: 'mongoDb.rotationInterval', mongo: 'documentDb', values: [duration(36, 'hours'), duration(2000, 'days'), num(30), str('P30D')] },
  { path: 'mongoDb.instanceType', mongo: 'documentDb', values: [str('t4g.medium'), obj(), num(1)] },
  { path: 'network', values: NOT_AN_OBJECT },
  { path: 'network.vpc', values: [str('vpc-0123456789abcdef0'), obj(), obj({ vpcId: str('vpc-0123456789abcdef0') }), num(1), list()] },
  { path: 'network.publicSubnets', values: [list(), str('subnet-0123456789abcdef0'), num(1), obj({ subnetType: str('Public-ish') }), obj({ subnetType: { enum: 'SubnetType.PRIVATE_WITH_EGRESS' } })] },
  { path: 'network.privateSubnets', values: [list(), str('subnet-0123456789abcdef0'), num(1), obj({ subnetType: str('Private-ish') })] },
  // An IPv6 peer is refused beside an IPv4 load balancer, said or left out.
  {
    path: 'network.allowedIngress',
    values: [list(), str('0.0.0.0/0'), num(1), obj(), list(str('203.0.113.0/24')), list(num(5)), list(NULL), list(obj()), list({ ipv6Peer: true })],
    companions: [['loadBalancer.ipAddressType', { enum: 'IpAddressType.IPV4' }]],
  },
  { path: 'network.allowedIngress', values: [list({ ipv6Peer: true })], companions: [['loadBalancer.ipAddressType', ABSENT]] },
  // Said of a created VPC (which takes IPv6 from the load balancer), and not an IpProtocol.
  { path: 'network.vpcIpProtocol', createdVpc: true, values: [{ enum: 'IpProtocol.DUAL_STACK' }, str('dual'), num(1)] },
  { path: 'network.allowedIngress', values: [], generated: MALFORMED_CIDRS, says: saysMalformedCidrs },
  ...(['network.publicSubnets', 'network.privateSubnets'] as const).flatMap((path) => (['imported', 'app'] as const).map((givenVpc): Entry => ({
    path, givenVpc, values: otherVpcSubnets(), says: saysOtherVpc,
  }))),
  { path: 'network.natGateways', createdVpc: true, values: [num(0), num(3), num(1.5), num(Number.NaN), str('1'), obj()] },
  { path: 'network.natType', createdVpc: true, values: [str('nat-instance'), str('INSTANCE'), num(1), bool(true), obj()] },
  { path: 'network.natInstanceType', createdVpc: true, values: [str('t4g.nano'), obj(), num(1), list()], companions: [['network.natType', { enum: 'NatType.INSTANCE' }]] },
  { path: 'network.natMachineImage', createdVpc: true, values: [str('ami-0123456789abcdef0'), obj(), num(1)], companions: [['network.natType', { enum: 'NatType.INSTANCE' }]] },
  { path: 'network.s3GatewayEndpoint', createdVpc: true, values: NOT_A_BOOLEAN },
  { path: 'network.allowAllOutbound', values: NOT_A_BOOLEAN },
  { path: 'loadBalancer', values: NOT_AN_OBJECT },
  { path: 'loadBalancer.sslPolicy', values: [str('TLS1.0'), num(5), obj()] },
  { path: 'loadBalancer.desyncMitigationMode', values: [{ enum: 'DesyncMitigationMode.MONITOR' }, str('paranoid'), num(1)] },
  { path: 'loadBalancer.accessLogsPrefix', values: [str('/alb'), str('alb/'), str('AWSLogs'), str('my logs'), ...NOT_A_STRING] },
  { path: 'loadBalancer.accessLogsBucket', values: [str('fido-access-logs'), obj(), num(1)] },
  { path: 'loadBalancer.ipAddressType', values: [{ enum: 'IpAddressType.DUAL_STACK_WITHOUT_PUBLIC_IPV4' }, str('ipv6'), num(1), obj()] },
  { path: 'loadBalancer.redirectHttp', values: NOT_A_BOOLEAN },
  { path: 'loadBalancer.deletionProtection', values: NOT_A_BOOLEAN },
  { path: 'loadBalancer.accessLogs', values: NOT_A_BOOLEAN },
  { path: 'waf', values: NOT_AN_OBJECT },
  { path: 'waf.enabled', values: NOT_A_BOOLEAN },
  { path: 'waf.rateLimit', values: [num(5), num(1.5), num(2000000001), num(Number.NaN), num(-1), ...NOT_A_NUMBER] },
  { path: 'encryption', values: NOT_AN_OBJECT },
  { path: 'encryption.customerManagedKey', values: NOT_A_BOOLEAN },
  { path: 'images', values: NOT_AN_OBJECT },
  { path: 'images.pyFido', values: [str('nginx:latest'), obj(), obj({ imageName: str('nginx') }), num(1), list()] },
  { path: 'images.tomcat', values: [str('tomcat:10'), obj(), num(1), list()] },
  { path: 'images.tag', values: [str('v1 beta'), str(''), str('.hidden'), str('a'.repeat(129)), ...NOT_A_STRING] },
  { path: 'sizing', values: NOT_AN_OBJECT },
  { path: 'logging', values: NOT_AN_OBJECT },
  { path: 'logging.retention', values: [num(42), num(0), num(-1), num(1.5), str('7'), obj()] },
  { path: 'logging.encryptionKey', values: [str(KEY_ARN), obj(), num(1)] },
  { path: 'logging.removalPolicy', values: [str('keep'), num(1), obj()] },
  { path: 'secrets', values: NOT_AN_OBJECT },
  { path: 'secrets.applicationSecret', values: [str(SECRET_ARN), obj(), num(1)] },
  { path: 'secrets.encryptionKey', values: [str(KEY_ARN), obj(), num(1)] },
  { path: 'services', values: NOT_AN_OBJECT },
  ...SERVICES.flatMap(serviceEntries),
  // Two traffic-shifting services need two test ports: one given the other's default. The error names the port given.
  {
    path: 'services.tomcat.deployment.testPort',
    values: [num(9001)],
    companions: [
      ['services.tomcat.deployment.strategy', { enum: 'DeploymentStrategy.BLUE_GREEN' }],
      ['services.pyFido.deployment.strategy', { enum: 'DeploymentStrategy.CANARY' }],
      ['services.pyFido.deployment.testPort', ABSENT],
    ],
  },
  {
    path: 'services.pyFido.deployment.testPort',
    values: [num(9443)],
    companions: [
      ['services.pyFido.deployment.strategy', { enum: 'DeploymentStrategy.LINEAR' }],
      ['services.tomcat.deployment.strategy', { enum: 'DeploymentStrategy.BLUE_GREEN' }],
      ['services.tomcat.deployment.testPort', ABSENT],
    ],
  },
];

/** The props that refuse tokens, and the parameter type to give them. */
export const REFUSED_TOKENS: readonly Entry[] = [
  { path: 'deploymentEnvironment', values: [{ param: 'String' }] },
  { path: 'applicationName', values: [{ param: 'String' }] },
  { path: 'network.natGateways', createdVpc: true, values: [{ param: 'Number' }] },
  { path: 'network.natType', createdVpc: true, values: [{ param: 'String' }] },
  { path: 'loadBalancer.ipAddressType', values: [{ param: 'String' }] },
  { path: 'mongoDb.instances', mongo: 'documentDb', values: [{ param: 'Number' }] },
  { path: 'mongoDb.engineVersion', mongo: 'documentDb', values: [{ param: 'String' }] },
  ...SERVICES.map((s): Entry => ({ path: `services.${s}.deployment.strategy`, values: [{ param: 'String' }] })),
];

/** One broken prop of a case. */
export interface Mutation {
  readonly path: string;
  readonly value: Bad;
}

export interface InvalidCase {
  readonly base: ValidRecipe;
  readonly mutations: readonly Mutation[];
}

const entryOf = (catalog: readonly Entry[], m: Mutation): Entry =>
  catalog.find((e) => e.path === m.path && (e.values.includes(m.value) || e.generated?.holds(m.value)))
  ?? catalog.find((e) => e.path === m.path)!;

/** Whether two broken props would step on each other. */
function conflict(catalog: readonly Entry[], a: Mutation, b: Mutation): boolean {
  const ea = entryOf(catalog, a);
  const eb = entryOf(catalog, b);
  const nested = (x: string, y: string) => x === y || y.startsWith(`${x}.`);
  const vpcProps = ['network.vpc', 'network.natGateways', 'network.natType', 'network.natInstanceType', 'network.natMachineImage', 'network.s3GatewayEndpoint', 'network.publicSubnets', 'network.privateSubnets'];
  // A companion must not touch the other broken prop (nor what holds it), nor be set two ways by the two.
  const touches = (e: Entry, path: string) => (e.companions ?? []).some(([c]) => nested(c, path) || nested(path, c));
  const disagree = (ea.companions ?? []).some(([c, v]) => (eb.companions ?? []).some(([d, w]) => c === d && JSON.stringify(v) !== JSON.stringify(w)));
  return nested(a.path, b.path) || nested(b.path, a.path) || touches(ea, b.path) || touches(eb, a.path) || disagree
    || (!!ea.mongo && !!eb.mongo && ea.mongo !== eb.mongo)
    || ((ea.mongo !== undefined || a.path === 'mongoDb') && (eb.mongo !== undefined || b.path === 'mongoDb'))
    || (vpcProps.includes(a.path) && vpcProps.includes(b.path))
    || ((ea.createdCertificate || eb.createdCertificate) === true && a.path.startsWith('domain') && b.path.startsWith('domain'));
}

/** One to three broken props over a valid base (which shrinks to the minimal props first). */
export function invalidCase(catalog: readonly Entry[] = CATALOG, maxMutations = 3): fc.Arbitrary<InvalidCase> {
  const pairs = catalog.flatMap((e) => e.values.map((value) => ({ path: e.path, value })));
  // The broken prop is what the case is about: it never shrinks into another one (a generated value shrinks within its entry).
  const picked: fc.Arbitrary<Mutation> = fc.noShrink(fc.integer({ min: 0, max: pairs.length - 1 })).map((i) => pairs[i]);
  const generated = catalog.flatMap((e) => (e.generated ? [{
    weight: e.generated.weight,
    arbitrary: e.generated.arbitrary.map((value): Mutation => ({ path: e.path, value })),
  }] : []));
  const mutation = generated.length === 0 ? picked : fc.oneof({ weight: pairs.length, arbitrary: picked }, ...generated);
  return fc.record({
    base: fc.oneof({ withCrossShrink: true }, fc.constant(MINIMAL_RECIPE), validRecipe({ tokens: false })),
    mutations: fc.uniqueArray(mutation, { minLength: 1, maxLength: maxMutations, selector: (m) => m.path })
      .filter((ms) => ms.every((a, i) => ms.every((b, j) => i === j || !conflict(catalog, a, b)))),
  }, { noNullPrototype: true });
}

const ABSENT_VALUE = Symbol('absent');

function materialize(b: Bad, builder: PropsBuilder, path: string): unknown {
  if ('str' in b) return b.str;
  if ('num' in b) return b.num;
  if ('bool' in b) return b.bool;
  if ('nil' in b) return null;
  if ('absent' in b) return ABSENT_VALUE;
  if ('list' in b) return b.list.map((x, i) => materialize(x, builder, `${path}[${i}]`));
  if ('obj' in b) return Object.fromEntries(Object.entries(b.obj).map(([k, x]) => [k, materialize(x, builder, `${path}.${k}`)]));
  if ('duration' in b) return Duration[b.duration[1]](b.duration[0]);
  if ('enum' in b) return ENUMS[b.enum];
  if ('ipv6Peer' in b) return ec2.Peer.anyIpv6();
  if ('ipv4Peers' in b) return b.ipv4Peers.map((cidr) => ec2.Peer.ipv4(cidr));
  if ('otherVpcSubnets' in b) return otherVpcSelection(b.otherVpcSubnets, builder, path);
  const param = builder.param(path, b.param);
  return b.param === 'String' ? param.valueAsString : param.valueAsNumber;
}

/** The selection of `o` for the prop at `path`, with the second VPC created in the deployment's stack. */
function otherVpcSelection(o: OtherVpcSubnets, builder: PropsBuilder, path: string): ec2.SubnetSelection {
  const other = (builder.stack.node.tryFindChild(OTHER_VPC) as ec2.IVpc | undefined) ?? new ec2.Vpc(builder.stack, OTHER_VPC, { maxAzs: 2 });
  const theirs = o.group === 'public' ? other.publicSubnets : other.privateSubnets;
  const given = builder.getVpc()!;
  switch (o.pick) {
    case 'all':
      return { subnets: theirs };
    case 'one':
      return { subnets: [theirs[1]] };
    case 'beside':
      return { subnets: [(path.endsWith('publicSubnets') ? given.publicSubnets : given.privateSubnets)[0], theirs[1]] };
    case 'again':
      return { subnets: theirs.map((s, i) => ec2.Subnet.fromSubnetId(builder.stack, `Again${path.replace(/\W/g, '')}${i}`, s.subnetId)) };
  }
}

function setDeep(target: any, path: string, value: unknown): void {
  const segments = path.split('.');
  let node = target;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next) || ![Object.prototype, null].includes(Object.getPrototypeOf(next))) {
      node[segment] = {};
    }
    node = node[segment];
  }
  const last = segments[segments.length - 1];
  if (value === ABSENT_VALUE) {
    delete node[last];
  } else {
    node[last] = value;
  }
}

/** The base a case's broken props need: a created VPC, the MongoDB connection they belong to, a created certificate. */
function baseFor(catalog: readonly Entry[], c: InvalidCase): ValidRecipe {
  let base = c.base;
  for (const m of c.mutations) {
    const e = entryOf(catalog, m);
    if (e.createdVpc && base.vpc.kind !== 'created') {
      // A created VPC gets IPv6 from the load balancer's type: nothing to say of it.
      const { publicSubnets, privateSubnets, vpcIpProtocol: _said, ...network } = base.network ?? {};
      base = {
        ...base,
        vpc: { kind: 'created' },
        network: {
          ...network,
          ...(publicSubnets && publicSubnets !== 'explicit' ? { publicSubnets } : {}),
          ...(privateSubnets && privateSubnets !== 'explicit' ? { privateSubnets } : {}),
        },
      };
    }
    if (e.mongo && base.mongoDb.kind !== e.mongo) {
      base = { ...base, mongoDb: e.mongo === 'endpoint' ? MINIMAL_RECIPE.mongoDb : { kind: e.mongo } };
    }
    if (e.createdCertificate) {
      base = { ...base, domain: { name: 'auth.example.com', zoneName: 'example.com', certificate: false } };
    }
    if (e.givenVpc) {
      const azs = base.vpc.kind === 'created' ? 2 : base.vpc.azs;
      const imported = base.vpc.kind === 'attributes' || base.vpc.kind === 'lookup';
      const vpc: VpcRecipe = e.givenVpc === 'app' ? { kind: 'app', azs } : imported ? base.vpc : { kind: 'attributes', azs };
      if (JSON.stringify(vpc) !== JSON.stringify(base.vpc)) {
        // The NAT and endpoint options only go with a created VPC; subnet selections of a given one carry over.
        const { natGateways: _count, natType: _type, natInstanceType: _instanceType, s3GatewayEndpoint: _endpoint, ...network } = base.network ?? {};
        // A dual-stack load balancer's given VPC has IPv6 (one created in the app is made so), and is said to.
        const said = base.loadBalancer?.ipAddressType === 'dualstack' ? { vpcIpProtocol: 'dualStack' as const } : {};
        base = { ...base, vpc, ...(base.network || said.vpcIpProtocol ? { network: { ...network, ...said } } : {}) };
      }
    }
  }
  return base;
}

/** The case with the base its broken props build on, as it reads in a report. */
export function withItsBase(c: InvalidCase, catalog: readonly Entry[] = CATALOG): InvalidCase {
  return { base: baseFor(catalog, c), mutations: c.mutations };
}

/** Builds the case's props in a fresh App: the base's props with the broken ones put in. */
export function buildInvalid(c: InvalidCase, catalog: readonly Entry[] = CATALOG): { builder: PropsBuilder; props: any } {
  const base = baseFor(catalog, c);
  const builder = new PropsBuilder(base);
  const props: any = builder.props();
  for (const m of c.mutations) {
    const e = entryOf(catalog, m);
    const value = materialize(m.value, builder, m.path);
    // A companion makes the broken value count; it never overwrites another broken value of the case.
    for (const [path, companion] of (e.companions ?? []).filter(([companionPath]) => !c.mutations.some((other) => other.path === companionPath))) {
      setDeep(props, path, materialize(companion, builder, path));
    }
    if (e.mongo) {
      const option = m.path.slice('mongoDb.'.length);
      props.mongoDb = option === 'secret'
        ? builder.mongoDb(base.mongoDb, {}, { value: value === ABSENT_VALUE ? undefined : value })
        : builder.mongoDb(base.mongoDb, { [option]: value === ABSENT_VALUE ? undefined : value });
    } else {
      setDeep(props, m.path, value);
    }
  }
  return { builder, props };
}

/** How a value reads in a defect's name: its kind, not the value itself. */
export function kindOf(b: Bad): string {
  if ('str' in b) return 'a wrong string';
  if ('num' in b) return Number.isNaN(b.num) ? 'NaN' : Number.isFinite(b.num) ? 'a wrong number' : 'Infinity';
  if ('bool' in b) return 'a boolean';
  if ('nil' in b) return 'null';
  if ('absent' in b) return 'undefined';
  if ('list' in b) return b.list.length === 0 ? 'an empty array' : 'an array of wrong items';
  if ('obj' in b) return Object.keys(b.obj).length === 0 ? 'a plain object {}' : 'a plain object of wrong values';
  if ('duration' in b) return 'a Duration out of range';
  if ('enum' in b) return `enum ${b.enum}`;
  if ('ipv6Peer' in b) return 'an IPv6 peer';
  if ('ipv4Peers' in b) return 'a malformed IPv4 CIDR';
  if ('otherVpcSubnets' in b) return 'subnets of another VPC of the app';
  return 'a token';
}

/** Strips a message of the case's values, so that messages of one defect read the same. */
export function normalizeMessage(message: string): string {
  return message.split('\n')[0]
    .replace(/\$\{Token\[[^\]]*\]\}/g, '<token>')
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\/tmp\/\S+/g, '<path>')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N')
    .slice(0, 160);
}

const HEADER = new RegExp(`^ArculusFidoDeployment '${DEPLOYMENT_PATH}' has (1 problem|(\\d+) problems) in its props:$`);
const LINE = /^ {2}- ([A-Za-z][A-Za-z0-9_.[\]]*): (.+)$/;

export interface Expectation {
  /** What the case broke, as it names it in a defect. */
  readonly label: string;
  /** Prop paths the error may name for it (the prop itself or one below it). */
  readonly accept: readonly string[];
  /** The problem must say the value cannot be a token. */
  readonly token?: boolean;
  /** Exactly the props it names for it; text its problems must hold; whether, with every broken prop saying so, nothing else may be named. */
  readonly exactly?: readonly string[];
  readonly mentions?: readonly string[];
  readonly nothingElse?: boolean;
}

/**
 * Judges what building the props did: it must have thrown the deployment's one gathered error,
 * in its form, with a problem naming each broken prop.
 */
export function judgeGathered(error: unknown, expectations: readonly Expectation[]): Violation[] {
  const all = expectations.map((e) => e.label).join(' + ');
  if (error === undefined) {
    return [{ kind: `${all}: synthesizes without an error`, detail: '' }];
  }
  // By name, not instanceof: jest runs the code in a realm of its own.
  const isError = typeof error === 'object' && error !== null && typeof (error as Error).message === 'string';
  const message = isError ? (error as Error).message : String(error);
  const name = isError ? (error as Error).name : typeof error;
  if (!isError || name === 'TypeError') {
    return [{ kind: `${all}: ${name}: ${normalizeMessage(message)}`, detail: message.slice(0, 400) }];
  }
  if (/Resolution error/.test(message)) {
    return [{ kind: `${all}: Resolution error: ${normalizeMessage(message.replace(/^.*Resolution error: /s, ''))}`, detail: message.slice(0, 400) }];
  }
  const lines = message.split('\n');
  const header = HEADER.exec(lines[0]);
  if (!header) {
    return [{ kind: `${all}: not the gathered error: ${name}: ${normalizeMessage(message)}`, detail: message.slice(0, 400) }];
  }
  const problems = lines.slice(1).map((l) => LINE.exec(l));
  const count = header[2] === undefined ? 1 : Number(header[2]);
  if (problems.some((p) => !p) || problems.length !== count) {
    return [{ kind: `${all}: the gathered error is malformed`, detail: message }];
  }
  const found: Violation[] = [];
  const names = (e: Expectation, prop: string) => e.accept.some((a) => prop === a || prop.startsWith(`${a}.`) || prop.startsWith(`${a}[`));
  for (const e of expectations) {
    const naming = problems.filter((p) => names(e, p![1]));
    if (naming.length === 0) {
      found.push({ kind: `${e.label}: the gathered error does not name it`, detail: message });
    } else if (e.token && !naming.some((p) => /\btokens?\b/i.test(p![2].replace(/\$\{Token\[[^\]]*\]\}/g, '')))) {
      found.push({ kind: `${e.label}: the gathered error does not say it cannot be a token`, detail: message });
    } else if (e.exactly && JSON.stringify([...new Set(naming.map((p) => p![1]))].sort()) !== JSON.stringify([...e.exactly].sort())) {
      found.push({ kind: `${e.label}: the gathered error does not name exactly the broken items`, detail: `expected ${e.exactly.join(', ')}:\n${message}` });
    } else if (e.mentions?.some((text) => !naming.some((p) => p![2].includes(text)))) {
      found.push({ kind: `${e.label}: the gathered error does not say what is wrong with it`, detail: `expected ${e.mentions.join(' / ')}:\n${message}` });
    }
  }
  if (expectations.every((e) => e.nothingElse) && problems.some((p) => !expectations.some((e) => names(e, p![1])))) {
    found.push({ kind: `${all}: the gathered error names a prop the case did not break`, detail: message });
  }
  return found;
}

/** Builds, constructs and synthesizes a case; returns the error, if any. */
function run(c: InvalidCase, catalog: readonly Entry[]): unknown {
  try {
    const { builder, props } = buildInvalid(c, catalog);
    addDeployment(builder, props);
    synthesizeApp(builder);
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * The violations of an invalid case. A case with several broken props that fails is retried with
 * each alone, so that a defect is named after the prop that shows it.
 */
export function invalidViolations(c: InvalidCase, catalog: readonly Entry[] = CATALOG, token = false): Violation[] {
  const expectation = (m: Mutation): Expectation => {
    const e = entryOf(catalog, m);
    return { label: `${m.path} = ${kindOf(m.value)}`, accept: [m.path, ...(e.alsoAccept ?? [])], token, ...e.says?.(m.value) };
  };
  const found = judgeGathered(run(c, catalog), c.mutations.map(expectation));
  if (found.length === 0 || c.mutations.length === 1) {
    return found;
  }
  const alone = c.mutations.flatMap((m) => judgeGathered(run({ base: c.base, mutations: [m] }, catalog), [expectation(m)]));
  return alone.length > 0 ? alone : found.map((v) => ({ ...v, kind: `only with other props broken: ${v.kind}` }));
}
