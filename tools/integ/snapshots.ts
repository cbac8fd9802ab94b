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

function check(testFile: string): string[] {
  const snapshot = path.join(TEST_DIR, `${path.basename(testFile)}.snapshot`);
  const outdir = synthesize(testFile);
  try {
    const files = kept(outdir);
    if (update) {
      fs.rmSync(snapshot, { recursive: true, force: true });
      fs.mkdirSync(snapshot, { recursive: true });
      for (const f of files) {
        fs.writeFileSync(path.join(snapshot, f), JSON.stringify(normalized(f, outdir), undefined, 1) + '\n');
      }
      console.log(`${testFile}: snapshot written (${files.join(', ')})`);
      return [];
    }
    if (!fs.existsSync(snapshot)) {
      return [`${testFile}: no snapshot in ${snapshot}`];
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
    return found.map((line) => `${testFile}: ${line}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const tests = fs.readdirSync(TEST_DIR).filter((f) => /^integ\..+\.ts$/.test(f)).sort().map((f) => path.join(TEST_DIR, f));
if (tests.length === 0) {
  throw new Error(`no integration test (integ.*.ts) in ${TEST_DIR}/`);
}
const problems = tests.flatMap(check);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error('\nWhat these tests deploy has changed. If that is intended, rewrite the snapshots with `npx projen integ:snapshot` and commit them.');
  process.exit(1);
}
