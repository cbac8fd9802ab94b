import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { cdkProp, knownProps, modelStruct } from './api-model';
import { closest } from './nearest';
import { ProblemList, show } from './validation';

/**
 * The shape a prop must have. TypeScript, Python and Java callers get it checked by their
 * compiler or by jsii; a JavaScript caller has no compiler, so the deployment checks every value
 * against its shape first and reports a wrong type the way it reports a wrong value.
 */
export type Shape =
  | { readonly kind: 'string' | 'number' | 'boolean' | 'any' }
  | { readonly kind: 'enum'; readonly values: readonly unknown[]; readonly expected: string }
  | { readonly kind: 'like'; readonly expected: string; readonly test: (value: any) => boolean }
  | {
    readonly kind: 'struct';
    readonly expected: string;
    readonly fields: { readonly [name: string]: Shape };
    /** Whether a key it does not know is refused (this library's structs) or passed on (aws-cdk-lib's). */
    readonly closed: boolean;
    /** The struct's name in the API, for messages. */
    readonly name?: string;
    /** Every prop the struct has, from the API model (`fields` types some of them). */
    readonly known?: readonly string[];
    /** aws-cdk-lib structs it extends, whose props a newer aws-cdk-lib may add to. */
    readonly cdkBases?: readonly string[];
    /** Props that must be given, reported when missing. */
    readonly required?: readonly string[];
  }
  | { readonly kind: 'array'; readonly of: Shape }
  | { readonly kind: 'map'; readonly of: Shape };

export const STRING: Shape = { kind: 'string' };
export const NUMBER: Shape = { kind: 'number' };
export const BOOLEAN: Shape = { kind: 'boolean' };
/** Any value: a prop whose type is not checked here (yet), only its name. */
export const ANY: Shape = { kind: 'any' };

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

/**
 * One of this library's structs, its props taken from the API model (the jsii assembly): a key
 * the struct does not have is refused, since it would be ignored. `fields` gives the shape of the
 * props whose type is checked; every other prop is accepted as it is, except that one holding
 * another struct of this library is checked as that struct. With `required`, a prop the API
 * requires is reported when missing, here and in the structs below.
 */
export function struct(name: string, fields: { [name: string]: Shape }, options: { required?: boolean } = {}): Shape {
  const model = modelStruct(name);
  const extra = Object.keys(fields).filter((field) => !model.fields[field]);
  if (extra.length > 0) {
    throw new Error(`The shape of ${name} has ${extra.join(', ')}, which the API model lacks; run npx projen compile`);
  }
  const derived = Object.fromEntries(Object.entries(model.fields).map(([field, { struct: inner, collection }]): [string, Shape] => {
    if (fields[field]) {
      return [field, fields[field]];
    }
    if (!inner) {
      return [field, ANY];
    }
    const shape = struct(inner, {}, options);
    return [field, collection === 'array' ? arrayOf(shape) : collection === 'map' ? mapOf(shape) : shape];
  }));
  return {
    kind: 'struct',
    expected: `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} object`,
    fields: derived,
    closed: true,
    name,
    known: knownProps(name),
    cdkBases: model.cdkBases,
    required: options.required ? Object.keys(model.fields).filter((field) => !model.fields[field].optional) : undefined,
  };
}

const PROPS_OF = Symbol('propsOf');

/**
 * A copy of `props` that says which struct they are, for a construct that a stack hands its own
 * props on to: the construct then knows the stack's props (`env`, `stackName`, ...) as props.
 */
export function propsOf<T extends object>(name: string, props: T): T {
  const copy = { ...(props ?? {}) } as T;
  Object.defineProperty(copy, PROPS_OF, { value: name, enumerable: false });
  return copy;
}

/** The struct `props` were marked as by `propsOf`, if any. */
export function declaredStruct(props: unknown): string | undefined {
  return typeof props === 'object' && props !== null ? (props as { [PROPS_OF]?: string })[PROPS_OF] : undefined;
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
    case 'any': return 'anything';
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
    case 'any': return true;
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
  const pathOf = (key: string) => (prop ? `${prop}.${key}` : key);
  for (const [key, item] of Object.entries(value)) {
    const field = Object.prototype.hasOwnProperty.call(shape.fields, key) ? shape.fields[key] : undefined;
    if (field) {
      result[key] = sanitize(problems, pathOf(key), item, field);
    } else if (shape.closed && item !== undefined && !shape.known?.includes(key) && !(shape.cdkBases ?? []).some((base) => cdkProp(base, key))) {
      problems.add(pathOf(key), unknownProp(key, shape));
    } else {
      result[key] = item;
    }
  }
  for (const key of shape.required ?? []) {
    if ((value[key] === undefined || value[key] === null) && !problems.about(pathOf(key))) {
      problems.add(pathOf(key), 'is required');
    }
  }
  return result;
}

/** Why `key` is refused, and the prop it most likely misspells, or else every prop. */
function unknownProp(key: string, shape: Shape & { kind: 'struct' }): string {
  const known = shape.known ?? Object.keys(shape.fields);
  const near = closest(key, known);
  const name = shape.name ?? shape.expected.replace(/^an? (.*) object$/, '$1');
  return `is not a prop of ${name}, so it would be ignored${near ? `; did you mean ${near}?` : `; the props are ${known.join(', ')}`}`;
}

/**
 * `defaults` with every field of `given` laid over it that is not `undefined`: a field passed
 * explicitly as `undefined` (`path: maybePath`) keeps the default, as leaving it out does, where
 * an object spread would replace the default with `undefined`.
 */
export function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  return { ...defaults, ...Object.fromEntries(Object.entries(given ?? {}).filter(([, value]) => value !== undefined)) };
}

/**
 * Throws a building block's problems at once, as one error, when a prop it requires is missing:
 * nothing can be built without it, and building would fail on it with a TypeError. Otherwise its
 * problems wait for synth, where its other checks report them.
 */
export function throwIfRequiredMissing(scope: IConstruct, className: string, problems: readonly string[]): void {
  if (problems.some((problem) => /: is required($|:)/.test(problem))) {
    const list = new ProblemList();
    list.addAll(problems);
    list.throwIfAny(scope, className);
  }
}
