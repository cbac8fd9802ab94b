import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import * as api from '../src';
import { ENV, synthErrorOf, testApp } from './util';
import { ALL_KEYS } from '../src/app/parameters';
import { knownProps, readAssembly } from '../src/private/api-model';
import { API_MODEL } from '../src/private/api-model.generated';
import { closest, editDistance } from '../src/private/nearest';
import { sanitize, Shape, struct } from '../src/private/schema';
import { TYPE_NOTES } from '../src/private/type-notes';
import { ProblemList } from '../src/private/validation';

// Generated from the API model, which is generated from the jsii assembly: every struct level
// reachable from every entry point that takes a struct (the exported classes' constructors and
// static methods) refuses a key it does not know. A struct or entry point added to the API is
// covered here once `npx projen compile` has written the model, without a test of its own.

const ROOT = path.join(__dirname, '..');
const UNKNOWN = 'zzUnknown';

// That the committed model is the one of the current .jsii is .ci/run's to check: compile writes
// it, and the tree must then be as committed (on a fresh clone, before compile, there is no .jsii).

/** Every struct level under `name`: its path from the top (`services[0]`, `sizing.pyFido`) and its struct. */
function levels(name: string, at = ''): Array<{ path: string; struct: string }> {
  const nested = Object.entries(API_MODEL.structs[name].fields).flatMap(([field, { type }]) => {
    const collection = 'array' in type ? '[0]' : 'map' in type ? '.key' : '';
    const element = 'array' in type ? type.array : 'map' in type ? type.map : type;
    return 'struct' in element ? levels(element.struct, `${at ? `${at}.` : ''}${field}${collection}`) : [];
  });
  return [{ path: at, struct: name }, ...nested];
}

/** An object holding `{ zzUnknown: 1 }` at `at`. */
function withUnknownAt(at: string): object {
  const parts = at ? at.split('.').flatMap((part) => part.replace(/\[0\]$/, '.[0]').split('.')) : [];
  let value: unknown = { [UNKNOWN]: 1 };
  for (const part of parts.reverse()) {
    value = part === '[0]' ? [value] : { [part]: value };
  }
  return value as object;
}

/** What the entry point reports for `props`: what it throws, its synth errors or its problems. */
function reported(entry: typeof API_MODEL.entryPoints[number], props: object): string {
  const type = (api as any)[entry.type];
  const app = testApp();
  const stack = new Stack(app, 'Test', { env: ENV });
  try {
    if (entry.kind === 'static') {
      const made = type[entry.member](...entry.parameters.map((p) => (p.struct ? props : undefined)));
      if (typeof made?.validate !== 'function') {
        throw new Error(`${entry.type}.${entry.member}() returns no validate(): teach this test how it reports its props`);
      }
      return made.validate().join('\n');
    }
    const made = entry.kind === 'stack' ? new type(app, 'Made', { env: ENV, ...props }) : new type(stack, 'Made', props);
    return synthErrorOf(made instanceof Stack ? made : stack) ?? '';
  } catch (e) {
    return (e as Error).message;
  }
}

const CASES = API_MODEL.entryPoints.flatMap((entry) => entry.parameters.filter((p) => p.struct).flatMap((parameter) =>
  levels(parameter.struct!).map((level) => ({ entry, ...level, name: `${entry.type}${entry.member === 'constructor' ? '' : `.${entry.member}`}(${parameter.name}${level.path ? `.${level.path}` : ''})` }))));

test('the coverage follows the API', () => {
  const entryPoints = new Set(CASES.map((c) => `${c.entry.type}.${c.entry.member}`));
  // Every exported class is an entry point, and every struct of the API is reached from one.
  expect([...entryPoints].sort()).toEqual(expect.arrayContaining([
    'ArculusFidoDeployment.constructor', 'ArculusFidoImagesStack.constructor', 'ArculusFidoStack.constructor', 'FidoDataLayer.constructor',
    'FidoImageRepositories.constructor', 'FidoLoadBalancer.constructor', 'FidoMonitoring.constructor', 'FidoNetwork.constructor', 'FidoRunbooks.constructor',
    'FidoService.constructor', 'MongoDbConnection.documentDb', 'MongoDbConnection.fromEndpoint', 'MongoDbConnection.fromSecret',
  ]));
  console.log(`unknown keys: ${entryPoints.size} entry points, ${CASES.length} struct levels, ${new Set(CASES.map((c) => c.struct)).size} structs`);
});

/**
 * The struct that judges the props of struct `name`: a stack's props (extending StackProps) are
 * the stack's own and those it hands on whole to the construct it holds, whose struct has the
 * same fields and judges every key the stack does not take.
 */
function judgedAs(name: string): string {
  const { fields, cdkBases } = API_MODEL.structs[name];
  if (cdkBases.length === 0) {
    return name;
  }
  const same = (other: string) => API_MODEL.structs[other].cdkBases.length === 0
    && JSON.stringify(Object.keys(API_MODEL.structs[other].fields).sort()) === JSON.stringify(Object.keys(fields).sort());
  return Object.keys(API_MODEL.structs).find(same) ?? name;
}

test.each(CASES.map((c) => [c.name, c]))('%s refuses a key it does not know', (_name, { entry, path: at, struct: given }) => {
  const name = judgedAs(given);
  const expected = `${at ? `${at}.` : ''}${UNKNOWN}: is not a prop of ${name}, so it would be ignored; the props are ${knownProps(name).join(', ')}`;
  expect(reported(entry, withUnknownAt(at))).toContain(expected);
});

describe('a misspelt prop names the one meant', () => {
  /** The name a typo should be taken for: the nearest, of two as near the one sharing the longer start. */
  const meant = (typo: string, names: readonly string[]) => {
    const lower = typo.toLowerCase();
    const scored = names.map((name) => ({ name, edits: editDistance(lower, name.toLowerCase()), start: commonStart(lower, name.toLowerCase()) }))
      .sort((a, b) => a.edits - b.edits || b.start - a.start);
    return scored.length > 1 && scored[0].edits === scored[1].edits && scored[0].start === scored[1].start ? undefined : scored[0].name;
  };
  const commonStart = (a: string, b: string) => {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };

  /** One edit at `at`: a letter left out, added, replaced, or swapped with the next. */
  const edit = fc.record({ kind: fc.constantFrom('delete', 'insert', 'replace', 'swap'), at: fc.nat(), letter: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_') });
  const apply = (name: string, { kind, at, letter }: { kind: string; at: number; letter: string }) => {
    const i = at % (name.length + (kind === 'insert' ? 1 : 0));
    switch (kind) {
      case 'delete': return name.slice(0, i) + name.slice(i + 1);
      case 'insert': return name.slice(0, i) + letter + name.slice(i);
      case 'replace': return name.slice(0, i) + letter + name.slice(i + 1);
      default: return i + 1 < name.length ? name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2) : name;
    }
  };

  /** The structs that judge props: a stack's props are judged as those it hands on. */
  const structs = Object.keys(API_MODEL.structs).filter((name) => judgedAs(name) === name);
  /** Typos drawn for each prop of each level: every prop is misspelt, not only those a random draw picks. */
  const RUNS_PER_PROP = 3;

  test(`one or two edits of every prop of every struct, and of every parameter of the app (${RUNS_PER_PROP} runs a prop)`, () => {
    let discarded = 0;
    let runs = 0;
    const levelsOf = [
      ...structs.map((name) => ({ name, props: knownProps(name), shape: struct(name) })),
      { name: 'the parameters file', props: [...ALL_KEYS], shape: undefined },
    ];
    for (const level of levelsOf) {
      for (const name of level.props) {
        fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 2 }), (edits) => {
          runs++;
          const typo = edits.reduce(apply, name);
          // A typo that is another prop, or nearer to another, or as near and alike, means that one.
          if (level.props.some((p) => p.toLowerCase() === typo.toLowerCase()) || meant(typo, level.props) !== name || typo.length === 0) {
            discarded++;
            return;
          }
          if (level.name === 'the parameters file') {
            expect(closest(typo, level.props)).toBe(name);
            return;
          }
          const problems = new ProblemList();
          sanitize(problems, '', { [typo]: 1 }, level.shape!);
          expect(problems.all).toEqual([`${typo}: is not a prop of ${level.name}, so it would be ignored; did you mean ${name}?`]);
        }), { numRuns: RUNS_PER_PROP, seed: 26 });
      }
    }
    console.log(`typos: ${runs} runs over ${levelsOf.length} levels and ${levelsOf.reduce((n, l) => n + l.props.length, 0)} props, ${discarded} taken for another prop (or no typo) and not judged`);
  });
});

describe('every prop has one source of truth', () => {
  /** Whether `shape` checks nothing of a value (a list or map of anything checks only that it is one). */
  const unchecked = (shape: Shape): boolean => shape.kind === 'any' || ((shape.kind === 'array' || shape.kind === 'map') && unchecked(shape.of));
  const anyType = (type: object): boolean => 'primitive' in type && (type.primitive === 'any' || type.primitive === 'json');

  test('its type, derived from the API model: no prop of a struct is left unchecked unless jsii types it `any`', () => {
    const untyped = Object.entries(API_MODEL.structs).flatMap(([name, { fields }]) => {
      const shape = struct(name) as Shape & { kind: 'struct' };
      return Object.entries(fields).filter(([field, { type }]) => unchecked(shape.fields[field]) && !anyType(type)).map(([field]) => `${name}.${field}`);
    });
    expect(untyped).toEqual([]);
    const props = Object.values(API_MODEL.structs).reduce((n, { fields }) => n + Object.keys(fields).length, 0);
    console.log(`prop types: ${props} props of ${Object.keys(API_MODEL.structs).length} structs, each checked by the shape of its type; ${Object.keys(API_MODEL.types).length} enums, classes, interfaces and aws-cdk-lib structs named`);
  });

  (fs.existsSync(path.join(ROOT, '.jsii')) ? test : test.skip)('its default, documented: every optional prop of every struct has an @default', () => {
    const assembly = readAssembly(path.join(ROOT, '.jsii'));
    const undocumented = Object.entries(assembly.types as { [fqn: string]: any })
      .filter(([, type]) => type.datatype)
      .flatMap(([fqn, type]) => (type.properties ?? []).filter((p: any) => p.optional && !p.docs?.default).map((p: any) => `${fqn}.${p.name}`));
    expect(undocumented).toEqual([]);
  });

  test('every note on a type names a type of the API model', () => {
    expect(Object.keys(TYPE_NOTES).filter((fqn) => !API_MODEL.types[fqn])).toEqual([]);
  });
});
