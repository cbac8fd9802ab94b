import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import type { ModelStruct } from './api-model-types';
import { API_MODEL } from './api-model.generated';

export type { ApiModel, ModelEntryPoint, ModelField, ModelStruct } from './api-model-types';

// The library's API as its jsii assembly records it (api-model.generated.ts, written from .jsii
// by `npx projen compile`): the props of every struct, for the checks of a caller without a
// compiler, who may misspell a prop or leave out a required one.

/** Reads a jsii assembly file, following a compressed file's redirect (aws-cdk-lib ships .jsii.gz). */
export function readAssembly(file: string): any {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (json.schema === 'jsii/file-redirect') {
    const data = fs.readFileSync(path.join(path.dirname(file), json.filename));
    return JSON.parse((json.compression === 'gzip' ? zlib.gunzipSync(data) : data).toString('utf8'));
  }
  return json;
}

/** The struct `name` of the API model; a name it lacks is this library's mistake. */
export function modelStruct(name: string): ModelStruct {
  const struct = API_MODEL.structs[name];
  if (!struct) {
    throw new Error(`${name} is not a struct of the API model (src/private/api-model.generated.ts); run npx projen compile`);
  }
  return struct;
}

/** Every prop of the struct `name`: its own, its library bases' and its aws-cdk-lib bases'. */
export function knownProps(name: string): string[] {
  const struct = modelStruct(name);
  return [...Object.keys(struct.fields), ...struct.cdkBases.flatMap((base) => API_MODEL.cdkStructs[base] ?? [])];
}

let runtimeCdk: { version: string; assembly?: any } | undefined;

/**
 * Whether the aws-cdk-lib in use, when it is another release than the one the model was built
 * against, has `key` as a prop of its struct `fqn`: a newer release may add props to StackProps,
 * which the stacks pass on. Its assembly is read only then (it is large), and once.
 */
export function cdkProp(fqn: string, key: string): boolean {
  try {
    if (!runtimeCdk) {
      const packageJson = require.resolve('aws-cdk-lib/package.json');
      runtimeCdk = { version: JSON.parse(fs.readFileSync(packageJson, 'utf8')).version };
      if (runtimeCdk.version !== API_MODEL.cdkVersion) {
        runtimeCdk.assembly = readAssembly(path.join(path.dirname(packageJson), '.jsii'));
      }
    }
    return (runtimeCdk.assembly?.types[fqn]?.properties ?? []).some((p: { name: string }) => p.name === key)
      || (runtimeCdk.assembly?.types[fqn]?.interfaces ?? []).some((base: string) => cdkProp(base, key));
  } catch {
    // No assembly to read (a bundled app, say): only the props the model knows are accepted.
    return false;
  }
}

/** Forgets the aws-cdk-lib read by `cdkProp`, for tests. */
export function forgetRuntimeCdk(): void {
  runtimeCdk = undefined;
}
