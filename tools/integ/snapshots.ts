/**
 * The integration tests' snapshots, checked without an AWS account: each test/integ.*.ts app is
 * synthesized (as `cdk synth` runs an app: CDK_OUTDIR set, the app synthesizes on exit) and its
 * templates and integ manifest are compared with the committed `test/<file>.snapshot/`, the
 * directory integ-runner keeps. A difference fails, naming each resource added, removed or
 * changed, until the snapshot is rewritten on purpose with `--update` (`npx projen integ:snapshot`).
 *
 * This is what integ-runner does without credentials; its newest release (2.197.10) cannot read
 * the cloud assemblies of this library's aws-cdk-lib floor (schema 54; it reads up to 53).
 *
 * Beyond integ-runner, every AWS SDK call of the assertions must name a service their function can
 * call (see `unknownServices`): a wrong name passes synthesis and fails only in an account.
 *
 *   ts-node --project tools/integ/tsconfig.json tools/integ/snapshots.ts [--update]
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const TEST_DIR = 'test';
const update = process.argv.includes('--update');

/** The files of a synthesized test that describe what is deployed: its templates and integ manifest. */
function kept(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.template.json') || f === 'integ.json').sort();
}

/**
 * A synthesized file as it is compared: the assertions' `salt` (the synth time, which makes
 * CloudFormation rerun every assertion on each deploy) is left out, as it changes on every synth.
 */
function normalized(file: string, dir: string): any {
  const content = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
  for (const resource of Object.values<any>(content.Resources ?? {})) {
    if (String(resource.Type).startsWith('Custom::DeployAssert@') && resource.Properties?.salt !== undefined) {
      resource.Properties.salt = '<synth time>';
    }
  }
  return content;
}

/**
 * The tables by which the assertions' function (aws-cdk-lib's SDK adapter, which integ-tests-alpha
 * bundles) resolves a call's service to an AWS SDK for JavaScript v3 client, and by which
 * aws-cdk-lib names the IAM action its role is allowed.
 */
const SDK_TABLES = path.dirname(require.resolve('aws-cdk-lib/custom-resources/lib/helpers-internal'));
const V2_TO_V3: Record<string, string> = JSON.parse(fs.readFileSync(path.join(SDK_TABLES, 'sdk-v2-to-v3.json'), 'utf-8'));
const V3_CLIENTS: Record<string, { iamPrefix?: string }> = JSON.parse(fs.readFileSync(path.join(SDK_TABLES, 'sdk-v3-metadata.json'), 'utf-8'));

/**
 * The assertions' SDK calls in a synthesized template whose service is no SDK v3 client, as the
 * adapter resolves it (lower-cased, `@aws-sdk/client-` dropped, a v2 name mapped to its v3 client):
 * such a call fails in an account only, its client package missing and its role allowed an action
 * of a service prefix that does not exist (`ElasticLoadBalancingV2` is neither; `ELBv2` is).
 */
function unknownServices(file: string, dir: string): string[] {
  const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf-8'));
  const found: string[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    const service = resource.Properties?.service;
    if (!String(resource.Type).startsWith('Custom::DeployAssert@SdkCall') || typeof service !== 'string') {
      continue;
    }
    const name = service.toLowerCase().replace(/^@aws-sdk\/client-/, '');
    if (!((V2_TO_V3[name] ?? name) in V3_CLIENTS)) {
      found.push(`${file}: ${id} calls ${service}.${resource.Properties.api}, but ${JSON.stringify(service)} is no AWS SDK v3 client the assertions' function knows; name it by its v2 constructor (ELBv2), its v3 client (elastic-load-balancing-v2) or its package (@aws-sdk/client-elastic-load-balancing-v2)`);
    }
  }
  return found;
}

function synthesize(testFile: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-integ-'));
  const result = spawnSync('npx', ['ts-node', '--project', path.join(TEST_DIR, 'tsconfig.json'), testFile], {
    env: { ...process.env, CDK_OUTDIR: outdir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`${testFile} did not synthesize (exit ${result.status})`);
  }
  return outdir;
}

/** The sections of a template compared entry by entry. */
const SECTIONS = ['Resources', 'Outputs', 'Parameters', 'Conditions', 'Mappings', 'Rules'];

/** What differs between two templates, by logical ID, or between two other files, as a whole. */
function differences(file: string, committed: any, synthesized: any): string[] {
  if (!file.endsWith('.template.json')) {
    return JSON.stringify(committed) === JSON.stringify(synthesized) ? [] : [`${file}: changed`];
  }
  const found: string[] = [];
  for (const section of SECTIONS) {
    const was = committed[section] ?? {};
    const now = synthesized[section] ?? {};
    for (const id of new Set([...Object.keys(was), ...Object.keys(now)])) {
      if (!(id in now)) {
        found.push(`${file}: ${section}.${id} removed`);
      } else if (!(id in was)) {
        found.push(`${file}: ${section}.${id} added${now[id].Type ? ` (${now[id].Type})` : ''}`);
      } else if (JSON.stringify(was[id]) !== JSON.stringify(now[id])) {
        found.push(`${file}: ${section}.${id} changed`);
      }
    }
  }
  const rest = (t: any) => JSON.stringify(Object.fromEntries(Object.entries(t).filter(([section]) => !SECTIONS.includes(section))));
  if (rest(committed) !== rest(synthesized)) {
    found.push(`${file}: template sections other than ${SECTIONS.join(', ')} changed`);
  }
  return found;
}

/** What a test's synthesis shows: its differences from the snapshot, and its calls that cannot be made. */
interface Checked {
  readonly differences: string[];
  readonly unknownServices: string[];
}

function check(testFile: string): Checked {
  const snapshot = path.join(TEST_DIR, `${path.basename(testFile)}.snapshot`);
  const outdir = synthesize(testFile);
  try {
    const files = kept(outdir);
    const unknown = files.filter((f) => f.endsWith('.template.json')).flatMap((f) => unknownServices(f, outdir)).map((line) => `${testFile}: ${line}`);
    if (update) {
      fs.rmSync(snapshot, { recursive: true, force: true });
      fs.mkdirSync(snapshot, { recursive: true });
      for (const f of files) {
        fs.writeFileSync(path.join(snapshot, f), JSON.stringify(normalized(f, outdir), undefined, 1) + '\n');
      }
      console.log(`${testFile}: snapshot written (${files.join(', ')})`);
      return { differences: [], unknownServices: unknown };
    }
    if (!fs.existsSync(snapshot)) {
      return { differences: [`${testFile}: no snapshot in ${snapshot}`], unknownServices: unknown };
    }
    const committedFiles = kept(snapshot);
    const found = [
      ...committedFiles.filter((f) => !files.includes(f)).map((f) => `${f}: no longer synthesized`),
      ...files.filter((f) => !committedFiles.includes(f)).map((f) => `${f}: not in the snapshot`),
    ];
    for (const f of files.filter((name) => committedFiles.includes(name))) {
      found.push(...differences(f, normalized(f, snapshot), normalized(f, outdir)));
    }
    console.log(`${testFile}: ${found.length === 0 ? `unchanged (${files.length} files)` : `${found.length} differences`}`);
    return { differences: found.map((line) => `${testFile}: ${line}`), unknownServices: unknown };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const tests = fs.readdirSync(TEST_DIR).filter((f) => /^integ\..+\.ts$/.test(f)).sort().map((f) => path.join(TEST_DIR, f));
if (tests.length === 0) {
  throw new Error(`no integration test (integ.*.ts) in ${TEST_DIR}/`);
}
const checked = tests.map(check);
const unknown = checked.flatMap((c) => c.unknownServices);
const changes = checked.flatMap((c) => c.differences);
if (unknown.length > 0) {
  console.error(unknown.join('\n'));
  console.error('\nThese assertions would fail in an account: their function cannot call the service they name.\n');
}
if (changes.length > 0) {
  console.error(changes.join('\n'));
  console.error('\nWhat these tests deploy has changed. If that is intended, rewrite the snapshots with `npx projen integ:snapshot` and commit them.');
}
if (unknown.length > 0 || changes.length > 0) {
  process.exit(1);
}
