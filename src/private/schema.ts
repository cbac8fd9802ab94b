import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ProblemList, show } from './validation';

/**
 * The shape a prop must have. TypeScript, Python and Java callers get it checked by their
 * compiler or by jsii; a JavaScript caller has no compiler, so the deployment checks every value
 * against its shape first and reports a wrong type the way it reports a wrong value.
 */
export type Shape =
  | { readonly kind: 'string' | 'number' | 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly unknown[]; readonly expected: string }
  | { readonly kind: 'like'; readonly expected: string; readonly test: (value: any) => boolean }
  | { readonly kind: 'struct'; readonly expected: string; readonly fields: { readonly [name: string]: Shape }; readonly closed: boolean }
  | { readonly kind: 'array'; readonly of: Shape }
  | { readonly kind: 'map'; readonly of: Shape };

export const STRING: Shape = { kind: 'string' };
export const NUMBER: Shape = { kind: 'number' };
export const BOOLEAN: Shape = { kind: 'boolean' };

/** One of an enum's values. */
export function oneOf(expected: string, values: object): Shape {
  return { kind: 'enum', values: Object.values(values), expected };
}

/**
 * An object that offers the members of an interface or class. Duck-typed rather than
 * `instanceof`, because an app may load two copies of aws-cdk-lib and jsii hands other languages'
 * objects over as proxies.
 */
export function like(expected: string, ...members: string[]): Shape {
  return {
    kind: 'like',
    expected,
    test: (value) => {
      try {
        return typeof value === 'object' && members.every((m) => {
          const [name, type] = m.split(':');
          return typeof value[name] === (type ?? 'function');
        });
      } catch {
        // A getter that throws (an imported subnet's unknown AZ, say) is not this shape's member.
        return false;
      }
    },
  };
}

/** One of this library's structs: an unknown key is refused, since it would be ignored. */
export function struct(name: string, fields: { [name: string]: Shape }): Shape {
  return { kind: 'struct', expected: `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} object`, fields, closed: true };
}

/** One of aws-cdk-lib's structs, which may gain fields in a newer release: unknown keys pass. */
export function cdkStruct(expected: string, fields: { [name: string]: Shape }): Shape {
  return { kind: 'struct', expected, fields, closed: false };
}

export function arrayOf(of: Shape): Shape {
  return { kind: 'array', of };
}

export function mapOf(of: Shape): Shape {
  return { kind: 'map', of };
}

export const DURATION = like('a Duration such as Duration.seconds(30)', 'toSeconds', 'toHumanString', 'isUnresolved');
export const REMOVAL_POLICY = oneOf('a RemovalPolicy (RemovalPolicy.RETAIN, SNAPSHOT or DESTROY)', RemovalPolicy);
export const VPC = like('an ec2.IVpc, e.g. ec2.Vpc.fromLookup(...)', 'vpcId:string', 'selectSubnets');
export const SUBNET_SELECTION = cdkStruct('an ec2.SubnetSelection object such as { subnetType: ec2.SubnetType.PUBLIC } or { subnets: [subnet, ...] } (not a list of subnet IDs: wrap them with ec2.Subnet.fromSubnetId)', {
  subnetType: oneOf('an ec2.SubnetType', ec2.SubnetType),
  availabilityZones: arrayOf(STRING),
  subnetGroupName: STRING,
  subnets: arrayOf(like('an ec2.ISubnet, e.g. ec2.Subnet.fromSubnetId(...)', 'subnetId:string')),
  onePerAz: BOOLEAN,
  subnetFilters: arrayOf(like('an ec2.SubnetFilter', 'selectSubnets')),
});
export const PEER = like("an ec2.IPeer such as ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.prefixList(...) or a security group", 'toIngressRuleConfig', 'uniqueId:string');
export const KEY = like('a kms.IKey', 'keyArn:string', 'grantDecrypt');
export const SECRET = like('a secretsmanager.ISecret', 'secretArn:string', 'grantRead');
export const SECURITY_GROUP = like('an ec2.ISecurityGroup', 'securityGroupId:string');
export const HEALTH_CHECK = cdkStruct('an elbv2.HealthCheck object', {
  enabled: BOOLEAN,
  path: STRING,
  port: STRING,
  protocol: oneOf('an elbv2.Protocol', elbv2.Protocol),
  interval: DURATION,
  timeout: DURATION,
  healthyThresholdCount: NUMBER,
  unhealthyThresholdCount: NUMBER,
  healthyHttpCodes: STRING,
  healthyGrpcCodes: STRING,
});

function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'array': return `a list, each item ${describe(shape.of)}`;
    case 'map': return `an object of named values, each ${describe(shape.of)}`;
    default: return shape.expected;
  }
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) {
    return `a list (${show(value)})`;
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return `${value!.constructor?.name && value!.constructor.name !== 'Object' ? `an object of class ${value!.constructor.name}` : 'a plain object'}`;
  }
  return show(value);
}

function matches(shape: Shape, value: unknown): boolean {
  switch (shape.kind) {
    case 'string': case 'number': case 'boolean': return typeof value === shape.kind;
    case 'enum': return shape.values.includes(value) || Token.isUnresolved(value);
    case 'like': return shape.test(value);
    case 'array': return Array.isArray(value);
    default: return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/**
 * Checks `value` against `shape` and returns it with every wrongly typed part left out (so the
 * value checks and defaults that follow never meet a wrong type), recording a problem for each.
 * `null` counts as not given, as `??` treats it, except as an item of a list or map, where leaving
 * it out would change what the list says.
 */
export function sanitize(problems: ProblemList, prop: string, value: unknown, shape: Shape, inList = false): any {
  if (value === undefined || (value === null && !inList)) {
    return undefined;
  }
  if (!matches(shape, value)) {
    const hint = shape.kind === 'number' && typeof value === 'string' && Token.isUnresolved(value)
      ? ': a string token cannot stand for a number; pass a number token such as CfnParameter.valueAsNumber'
      : '';
    problems.add(prop, `must be ${describe(shape)}, got ${typeOf(value)}${hint}`);
    return undefined;
  }
  switch (shape.kind) {
    case 'array': {
      // A list with a wrong item is left out whole: a shorter list would mean something else.
      const items = (value as unknown[]).map((item, index) => sanitize(problems, `${prop}[${index}]`, item, shape.of, true));
      return items.every((item) => item !== undefined) ? items : undefined;
    }
    case 'map':
      return Object.fromEntries(Object.entries(value as object)
        .map(([key, item]) => [key, sanitize(problems, `${prop}.${key}`, item, shape.of, true)])
        .filter(([, item]) => item !== undefined));
    case 'struct':
      return sanitizeStruct(problems, prop, value as { [key: string]: unknown }, shape);
    default:
      return value;
  }
}

function sanitizeStruct(problems: ProblemList, prop: string, value: { [key: string]: unknown }, shape: Shape & { kind: 'struct' }): object {
  const result: { [key: string]: unknown } = {};
  for (const [key, item] of Object.entries(value)) {
    const path = prop ? `${prop}.${key}` : key;
    const field = shape.fields[key];
    if (field) {
      result[key] = sanitize(problems, path, item, field);
    } else if (shape.closed && item !== undefined) {
      const known = Object.keys(shape.fields);
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      problems.add(path, `is not a prop of ${shape.expected.replace(/^an? (.*) object$/, '$1')}, so it would be ignored${near ? `; did you mean ${near}?` : `; the props are ${known.join(', ')}`}`);
    } else {
      result[key] = item;
    }
  }
  return result;
}

/**
 * `defaults` with every field of `given` laid over it that is not `undefined`: a field passed
 * explicitly as `undefined` (`path: maybePath`) keeps the default, as leaving it out does, where
 * an object spread would replace the default with `undefined`.
 */
export function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  return { ...defaults, ...Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined)) };
}
