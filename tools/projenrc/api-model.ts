import * as fs from 'fs';
import * as path from 'path';
import { readAssembly } from '../../src/private/api-model';
import type { ApiModel, ModelEntryPoint, ModelField, ModelStruct } from '../../src/private/api-model-types';

// Writes src/private/api-model.generated.ts from the jsii assembly (.jsii) that `jsii` just wrote:
// every struct of the library with its props (inherited ones included), and every entry point that
// takes a struct (the exported classes' constructors and static methods). The runtime checks take
// the known keys of each struct from it, so a prop added to an interface is known without anyone
// listing it; a unit test (test/api-model.test.ts) fails when the committed module is stale.
// Run by `npx projen compile` after jsii.

/** Where the generated module lives, from the repository root. */
export const MODEL_FILE = 'src/private/api-model.generated.ts';

/** The model of `assembly`, with the props of the aws-cdk-lib structs it extends from `cdkAssembly`. */
export function apiModel(assembly: any, cdkAssembly: any): ApiModel {
  const prefix = `${assembly.name}.`;
  const types: { [fqn: string]: any } = assembly.types;
  const local = (fqn: string | undefined) => (fqn?.startsWith(prefix) ? fqn.slice(prefix.length) : undefined);
  const isStruct = (fqn: string | undefined) => fqn !== undefined && types[fqn]?.datatype === true;

  const fieldOf = (property: any): ModelField => {
    const type = property.type;
    const collection = type.collection;
    const element = collection ? collection.elementtype : type;
    const struct = isStruct(element.fqn) ? local(element.fqn) : undefined;
    return {
      optional: property.optional === true,
      ...(struct ? { struct } : {}),
      ...(struct && collection ? { collection: collection.kind } : {}),
    };
  };

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
  return { cdkVersion: cdkAssembly.version, structs, cdkStructs: sortKeys(cdkStructs), entryPoints };
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

/** JSON with every object or list that holds no other on one line. */
function compact(json: string): string {
  return json.replace(/[{[]\n[^{}[\]]*\n\s*[}\]]/g, (leaf) => leaf.replace(/\n\s*/g, ' '));
}

/** The model of the package at `root`, from its .jsii and its aws-cdk-lib's. */
export function modelOf(root: string): ApiModel {
  const cdk = path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [root] }));
  return apiModel(readAssembly(path.join(root, '.jsii')), readAssembly(path.join(cdk, '.jsii')));
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
