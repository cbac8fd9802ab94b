import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cdkProp, knownProps, modelStruct } from './api-model';
import type { ModelType } from './api-model-types';
import { API_MODEL } from './api-model.generated';
import { closest } from './nearest';
import { article, TYPE_NOTES, typeName } from './type-notes';
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
  | { readonly kind: 'map'; readonly of: Shape }
  | { readonly kind: 'union'; readonly of: readonly Shape[] };

export const STRING: Shape = { kind: 'string' };
export const NUMBER: Shape = { kind: 'number' };
export const BOOLEAN: Shape = { kind: 'boolean' };
/** Any value: a prop whose type is not checked here (yet), only its name. */
export const ANY: Shape = { kind: 'any' };

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
 * One of this library's structs, its props and their types taken from the API model (the jsii
 * assembly): a key the struct does not have is refused, since it would be ignored, and each prop
 * is checked against the shape its type gives (`shapeOf`). With `required`, a prop the API
 * requires is reported when missing, here and in the structs below.
 */
export function struct(name: string, options: { required?: boolean } = {}): Shape {
  const key = `${name}${options.required ? '!' : ''}`;
  const cached = STRUCTS.get(key);
  if (cached) {
    return cached;
  }
  const model = modelStruct(name);
  const fields: { [field: string]: Shape } = {};
  const shape: Shape = {
    kind: 'struct',
    expected: `${article(name)} ${name} object`,
    fields,
    closed: true,
    name,
    known: knownProps(name),
    cdkBases: model.cdkBases,
    required: options.required ? Object.keys(model.fields).filter((field) => !model.fields[field].optional) : undefined,
  };
  // Cached before its fields are made, so a struct that holds itself would end.
  STRUCTS.set(key, shape);
  for (const [field, { type }] of Object.entries(model.fields)) {
    fields[field] = shapeOf(type, options);
  }
  return shape;
}

const STRUCTS = new Map<string, Shape>();

/**
 * The shape a value of the jsii type `type` must have: a primitive its `typeof`, an enum one of
 * its values, a class or interface an object offering a few of its members, a struct its props'.
 * TYPE_NOTES (type-notes.ts) adds what the model cannot know: a friendlier description, members
 * the assembly does not list, another test.
 */
export function shapeOf(type: ModelType, options: { required?: boolean } = {}): Shape {
  if ('primitive' in type) {
    switch (type.primitive) {
      case 'string': return STRING;
      case 'number': return NUMBER;
      case 'boolean': return BOOLEAN;
      case 'date': return like('a Date', 'getTime');
      default: return ANY;
    }
  }
  if ('array' in type) {
    return arrayOf(shapeOf(type.array, options));
  }
  if ('map' in type) {
    return mapOf(shapeOf(type.map, options));
  }
  if ('union' in type) {
    return { kind: 'union', of: type.union.map((of) => shapeOf(of, options)) };
  }
  if ('struct' in type) {
    return struct(type.struct, options);
  }
  return typeShape('enum' in type ? type.enum : 'ref' in type ? type.ref : type.cdkStruct);
}

const TYPES = new Map<string, Shape>();

/** The shape of a value of the enum, class, interface or aws-cdk-lib struct `fqn` of the API model. */
export function typeShape(fqn: string): Shape {
  let shape = TYPES.get(fqn);
  if (!shape) {
    shape = makeTypeShape(fqn);
    TYPES.set(fqn, shape);
  }
  return shape;
}

function makeTypeShape(fqn: string): Shape {
  const info = API_MODEL.types[fqn];
  if (!info) {
    throw new Error(`${fqn} is not a type of the API model (src/private/api-model.generated.ts); run npx projen compile`);
  }
  const note = TYPE_NOTES[fqn] ?? {};
  const name = typeName(fqn);
  switch (info.kind) {
    case 'enum': {
      const values = () => info.values ?? cdkEnumValues(fqn);
      if (note.valuesCheckedBy) {
        return typeof values()[0] === 'number' ? NUMBER : STRING;
      }
      let read: readonly unknown[] | undefined;
      // Read when first checked: the aws-cdk-lib in use has the values.
      return { kind: 'enum', expected: note.expected ?? `${article(name)} ${name}`, get values() { return (read ??= values()); } };
    }
    case 'struct':
      return cdkStruct(note.expected ?? `${article(name)} ${name} object`,
        Object.fromEntries(Object.entries(info.fields).map(([field, { type }]): [string, Shape] => [field, shapeOf(type)])));
    default: {
      const expected = note.expected ?? `${article(name)} ${name}`;
      return note.test ? { kind: 'like', expected, test: note.test } : like(expected, ...(note.members ?? info.members));
    }
  }
}

/**
 * The values of the aws-cdk-lib enum `fqn` in the aws-cdk-lib in use:
 * `aws-cdk-lib.aws_elasticloadbalancingv2.SslPolicy` is `require('aws-cdk-lib/aws-elasticloadbalancingv2').SslPolicy`.
 * A numeric enum's object also maps its values back to their names, which are left out.
 */
function cdkEnumValues(fqn: string): Array<string | number> {
  const parts = fqn.split('.');
  const submodule = parts.length > 2 ? `/${parts[1].replace(/_/g, '-')}` : '';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const values: unknown[] = Object.values(require(`aws-cdk-lib${submodule}`)[parts[parts.length - 1]]);
  const numeric = values.some((value) => typeof value === 'number');
  return values.filter((value): value is string | number => (numeric ? typeof value === 'number' : typeof value === 'string'));
}

/**
 * `props` without the props of the aws-cdk-lib structs the struct `name` extends: what a stack
 * whose props extend StackProps hands on to the construct it holds, once it has taken its own
 * (`env`, `stackName`, ... and those a newer aws-cdk-lib adds).
 */
export function withoutCdkBaseProps<Rest extends object>(name: string, props: Rest & object): Rest {
  const { cdkBases } = modelStruct(name);
  const isBaseProp = (key: string) => cdkBases.some((base) => (API_MODEL.cdkStructs[base] ?? []).includes(key) || cdkProp(base, key));
  return Object.fromEntries(Object.entries(props ?? {}).filter(([key]) => !isBaseProp(key))) as Rest;
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

function describe(shape: Shape): string {
  switch (shape.kind) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'any': return 'anything';
    case 'array': return `a list, each item ${describe(shape.of)}`;
    case 'map': return `an object of named values, each ${describe(shape.of)}`;
    case 'union': return shape.of.map(describe).join(' or ');
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
    case 'union': return shape.of.some((of) => matches(of, value));
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
    case 'union':
      return sanitize(problems, prop, value, shape.of.find((of) => matches(of, value))!, inList);
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
 * Reports the problems a building block found in its props, as `ArculusFidoDeployment` does: at
 * once, when it is made, as one `ValidationError` listing every problem. `afterwards` is judged
 * at synth (`node.addValidation`): what a later call must still do, such as a route only
 * `addTrafficRoute()` gives, which only the finished tree tells.
 */
export function reportBlockProblems(
  scope: IConstruct, className: string, problems: readonly string[], afterwards?: () => readonly string[],
): void {
  const list = new ProblemList();
  list.addAll(problems);
  list.throwIfAny(scope, className);
  if (afterwards) {
    scope.node.addValidation({ validate: () => [...afterwards()] });
  }
}
