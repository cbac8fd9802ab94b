import * as fs from 'fs';
import * as path from 'path';
import { readAssembly } from '../../src/private/api-model';
import type { ApiModel, ModelEntryPoint, ModelField, ModelStruct, ModelType, ModelTypeInfo } from '../../src/private/api-model-types';

// Writes src/private/api-model.generated.ts from the jsii assembly (.jsii) that `jsii` just wrote:
// every struct of the library with its props (inherited ones included), and every entry point that
// takes a struct (the exported classes' constructors and static methods). The runtime checks take
// the known keys of each struct from it, so a prop added to an interface is known without anyone
// listing it, and the TYPE of each prop, from which they derive its check; a unit test (test/api-model.test.ts) fails when the committed module is stale.
// Run by `npx projen compile` after jsii.

/** Where the generated module lives, from the repository root. */
export const MODEL_FILE = 'src/private/api-model.generated.ts';

/**
 * The model of `assembly`, with the props of the aws-cdk-lib structs it extends and the types its
 * props name from `cdkAssembly`; `library` (the compiled module) gives the values of its enums,
 * which jsii records by name only.
 */
export function apiModel(assembly: any, cdkAssembly: any, library: any = {}): ApiModel {
  const prefix = `${assembly.name}.`;
  const types: { [fqn: string]: any } = assembly.types;
  const local = (fqn: string | undefined) => (fqn?.startsWith(prefix) ? fqn.slice(prefix.length) : undefined);
  const isStruct = (fqn: string | undefined) => fqn !== undefined && types[fqn]?.datatype === true;
  const { modelType, named } = typeModeler(assembly, cdkAssembly, library);
  const fieldOf = (property: any): ModelField => ({ optional: property.optional === true, type: modelType(property.type) });

  const structs: { [name: string]: ModelStruct } = {};
  const cdkStructs: { [fqn: string]: string[] } = {};
  const flatten = (fqn: string, fields: { [name: string]: ModelField }, cdkBases: string[]): void => {
    const type = types[fqn];
    for (const base of type.interfaces ?? []) {
      if (base.startsWith(prefix)) {
        flatten(base, fields, cdkBases);
      } else {
        cdkBases.push(base);
        cdkStructs[base] = cdkProps(cdkAssembly, base);
      }
    }
    for (const property of type.properties ?? []) {
      fields[property.name] = fieldOf(property);
    }
  };
  for (const fqn of Object.keys(types).filter(isStruct).sort()) {
    const fields: { [name: string]: ModelField } = {};
    const cdkBases: string[] = [];
    flatten(fqn, fields, cdkBases);
    structs[local(fqn)!] = { fields: sortKeys(fields), cdkBases: [...new Set(cdkBases)].sort() };
  }

  const entryPoints: ModelEntryPoint[] = [];
  for (const fqn of Object.keys(types).sort()) {
    const type = types[fqn];
    if (type.kind !== 'class' || type.abstract && !(type.methods ?? []).some((m: any) => m.static)) {
      continue;
    }
    const parameters = (params: any[] = []) => params.map((p) => ({
      name: p.name,
      ...(isStruct(p.type.fqn) ? { struct: local(p.type.fqn) } : {}),
      optional: p.optional === true,
    }));
    if (type.initializer && !type.abstract && (type.initializer.parameters ?? []).some((p: any) => isStruct(p.type.fqn))) {
      entryPoints.push({ type: local(fqn)!, member: 'constructor', kind: extendsStack(types, fqn) ? 'stack' : 'construct', parameters: parameters(type.initializer.parameters) });
    }
    for (const method of (type.methods ?? []).filter((m: any) => m.static).sort((a: any, b: any) => a.name.localeCompare(b.name))) {
      if ((method.parameters ?? []).some((p: any) => isStruct(p.type.fqn))) {
        entryPoints.push({ type: local(fqn)!, member: method.name, kind: 'static', parameters: parameters(method.parameters) });
      }
    }
  }
  return { cdkVersion: cdkAssembly.version, structs, cdkStructs: sortKeys(cdkStructs), types: sortKeys(named), entryPoints };
}

/** A member as jsii records it, with how far up from the type it was declared (0: by the type itself). */
interface Member { readonly name: string; readonly depth: number; readonly type?: any; readonly optional?: boolean; readonly method: boolean }

/**
 * The instance members of `fqn`, inherited ones included (the nearest declaration of each), less
 * those every construct or resource has (declared in `constructs` or at aws-cdk-lib's top level,
 * unless the type is there too: Duration, SecretValue).
 */
function allMembers(typeOf: (fqn: string) => any, fqn: string): { properties: any[]; members: Member[] } {
  const generic = (declaring: string) => declaring !== fqn && (declaring.startsWith('constructs.')
    || (/^aws-cdk-lib\.[A-Z]/.test(declaring) && !/^aws-cdk-lib\.[A-Z]/.test(fqn)));
  const members = new Map<string, Member>();
  const properties = new Map<string, any>();
  const visit = (at: string, depth: number) => {
    const type = typeOf(at);
    if (!type || generic(at)) {
      return;
    }
    for (const p of type.properties ?? []) {
      if (!p.static && !p.protected && !members.has(p.name)) {
        members.set(p.name, { name: p.name, depth, type: p.type, optional: p.optional === true, method: false });
        properties.set(p.name, p);
      }
    }
    for (const m of type.methods ?? []) {
      if (!m.static && !m.protected && !members.has(m.name)) {
        members.set(m.name, { name: m.name, depth, method: true });
      }
    }
    for (const base of [...(type.base ? [type.base] : []), ...(type.interfaces ?? [])]) {
      visit(base, depth + 1);
    }
  };
  visit(fqn, 0);
  return { properties: [...properties.values()], members: [...members.values()] };
}

/**
 * A few members that tell an object offering `fqn` from another (it is duck-typed, see `like` in
 * src/private/schema.ts), chosen the same way every time. A method first, the nearest and then the
 * first by name: asking whether an object has a method reads its prototype and runs nothing. Only
 * for a type without methods, its identifying string property (an ID before a name before an
 * ARN), or else its first two non-optional properties: reading a property runs its getter, and a
 * getter may throw where the object is fine (an imported subnet's `availabilityZone`, an ARN
 * formatted from the stack of an import made outside any stack).
 */
export function distinctiveMembers(typeOf: (fqn: string) => any, fqn: string): string[] {
  const { members } = allMembers(typeOf, fqn);
  const order = (a: Member, b: Member) => a.depth - b.depth || a.name.localeCompare(b.name);
  const rank = (m: Member) => (/(Id|Identifier)$|^id$/.test(m.name) ? 0 : /(Name)$|^name$/.test(m.name) ? 1 : 2);
  const method = members.filter((m) => m.method).sort(order)[0];
  const identity = members.filter((m) => !m.method && !m.optional && m.type?.primitive === 'string' && /(Arn|Id|Name|Identifier)$|^(arn|id|name)$/.test(m.name))
    .sort((a, b) => rank(a) - rank(b) || order(a, b))[0];
  const picked = method ? [method] : identity ? [identity] : members.filter((m) => !m.method && !m.optional).sort(order).slice(0, 2);
  return picked.map((m) => (m.method ? m.name : `${m.name}:${typeofOf(m.type)}`));
}

/** What `typeof` says of a value of jsii type `type`. */
function typeofOf(type: any): string {
  switch (type?.primitive) {
    case 'string': case 'number': case 'boolean': return type.primitive;
    default: return 'object';
  }
}

/**
 * What turns a jsii type into the model's (`modelType`), recording in `named` what the model
 * needs to know of each enum, class, interface and aws-cdk-lib struct it names.
 */
function typeModeler(assembly: any, cdkAssembly: any, library: any) {
  const prefix = `${assembly.name}.`;
  const types: { [fqn: string]: any } = assembly.types;
  const local = (fqn: string | undefined) => (fqn?.startsWith(prefix) ? fqn.slice(prefix.length) : undefined);
  const isStruct = (fqn: string | undefined) => fqn !== undefined && types[fqn]?.datatype === true;
  const typeOf = (fqn: string) => types[fqn] ?? cdkAssembly.types[fqn];
  const named: { [fqn: string]: ModelTypeInfo } = {};


  const modelType = (type: any): ModelType => {
    if (type.primitive) {
      return { primitive: type.primitive };
    }
    if (type.collection) {
      const of = modelType(type.collection.elementtype);
      return type.collection.kind === 'array' ? { array: of } : { map: of };
    }
    if (type.union) {
      return { union: type.union.types.map(modelType) };
    }
    const fqn: string = type.fqn;
    if (isStruct(fqn)) {
      return { struct: local(fqn)! };
    }
    const found = typeOf(fqn);
    if (found?.kind === 'enum') {
      if (!named[fqn]) {
        const values = local(fqn) ? found.members.map((m: any) => library[local(fqn)!]?.[m.name] ?? m.name) : undefined;
        named[fqn] = { kind: 'enum', ...(values ? { values } : {}) };
      }
      return { enum: fqn };
    }
    if (found?.datatype) {
      if (!named[fqn]) {
        named[fqn] = { kind: 'struct', fields: {} };
        const fields: { [name: string]: { optional: boolean; type: ModelType } } = {};
        for (const property of allMembers(typeOf, fqn).properties) {
          fields[property.name] = { optional: property.optional === true, type: modelType(property.type) };
        }
        named[fqn] = { kind: 'struct', fields: sortKeys(fields) };
      }
      return { cdkStruct: fqn };
    }
    named[fqn] ??= { kind: 'ref', members: found ? distinctiveMembers(typeOf, fqn) : [] };
    return { ref: fqn };
  };

  return { modelType, named };
}

function extendsStack(types: { [fqn: string]: any }, fqn: string): boolean {
  for (let base = types[fqn]?.base; base; base = types[base]?.base) {
    if (base === 'aws-cdk-lib.Stack') {
      return true;
    }
  }
  return false;
}

/** Every prop of an aws-cdk-lib struct, its inherited ones included. */
export function cdkProps(cdkAssembly: any, fqn: string): string[] {
  const type = cdkAssembly.types[fqn];
  if (!type) {
    throw new Error(`${fqn} is not in aws-cdk-lib ${cdkAssembly.version}'s assembly`);
  }
  const inherited = (type.interfaces ?? []).flatMap((base: string) => cdkProps(cdkAssembly, base));
  return [...new Set([...inherited, ...(type.properties ?? []).map((p: any) => p.name)])].sort();
}

function sortKeys<T>(obj: { [key: string]: T }): { [key: string]: T } {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

/** The text of the generated module. */
export function render(model: ApiModel): string {
  return [
    '// Generated from the jsii assembly (.jsii) by tools/projenrc/api-model.ts, run by `npx projen compile`: do not edit.',
    '// test/api-model.test.ts fails when it is stale.',
    "import type { ApiModel } from './api-model-types';",
    '',
    '/* eslint-disable */',
    `export const API_MODEL: ApiModel = ${compact(JSON.stringify(model, undefined, 2))};`,
    '',
  ].join('\n');
}

/**
 * JSON with every object or list on one line when it fits in 120 characters, and else one line
 * per item, so that a field and its type read on one line.
 */
function compact(json: string): string {
  const write = (value: unknown, indent: string): string => {
    if (value === null || typeof value !== 'object') {
      return JSON.stringify(value);
    }
    const entries = Array.isArray(value)
      ? value.map((item) => ['', item] as const)
      : Object.entries(value as object).map(([key, item]) => [`${JSON.stringify(key)}: `, item] as const);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      return `${open}${close}`;
    }
    const inner = `${indent}  `;
    const line = `${open} ${entries.map(([key, item]) => `${key}${write(item, inner)}`).join(', ')} ${close}`;
    if (indent.length + line.length <= 120 && !line.includes('\n')) {
      return line;
    }
    return `${open}\n${entries.map(([key, item]) => `${inner}${key}${write(item, inner)}`).join(',\n')}\n${indent}${close}`;
  };
  return write(JSON.parse(json), '');
}

/** The model of the package at `root`, from its .jsii and its aws-cdk-lib's. */
export function modelOf(root: string): ApiModel {
  const cdk = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [root] }));
  // The compiled library (lib/, which jsii has just written) gives its enums' values.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return apiModel(readAssembly(path.join(root, '.jsii')), readAssembly(path.join(cdk, '.jsii')), require(path.join(root, 'lib')));
}

if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  const file = path.join(root, MODEL_FILE);
  const text = render(modelOf(root));
  // Written only when it changed, so that its time says when the model last changed (compile
  // runs jsii again then, since the code jsii just compiled read the old model).
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    fs.writeFileSync(file, text);
    console.log(`${MODEL_FILE}: written from .jsii`);
  }
}
