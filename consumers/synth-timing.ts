/**
 * Times the README's example as a user's `cdk synth` runs it: a whole process that loads the
 * CDK and this library, builds the stack and writes the cloud assembly to $CDK_OUTDIR. The
 * TypeScript example runs as the JavaScript `tsc` makes of it, on Node.js (the app synthesizes on
 * exit when CDK_OUTDIR is set); the Python example runs as written, on the bindings (the jsii
 * kernel in a Node.js child process). Alternated, median of five each.
 *
 *   ts-node --project consumers/tsconfig.json consumers/synth-timing.ts <python>
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const RUNS = 5;
const ROOT = path.resolve(__dirname, '..');

function example(language: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const found = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(readme);
  if (!found) {
    throw new Error(`README.md has no ${language} example`);
  }
  return found[1];
}

/** Wall time of one run, in seconds; the run must write the stack's template. */
function run(command: string, args: string[], cwd: string): number {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-synth-'));
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, CDK_OUTDIR: outdir }, encoding: 'utf-8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const written = fs.existsSync(path.join(outdir, 'ArculusFidoProd.template.json'));
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0 || !written) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const python = process.argv[2];
  if (!python) {
    throw new Error('usage: synth-timing.ts <python with arculus_fido_cdk installed>');
  }
  // The TypeScript example, compiled, importing this package by name as a user's app does.
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-readme-'));
  try {
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(app, 'node_modules', 'arculus-fido-cdk'));
    for (const dependency of ['aws-cdk-lib', 'constructs']) {
      fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(app, 'node_modules', dependency));
    }
    const js = ts.transpileModule(example('ts'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(app, 'app.js'), js.outputText);
    fs.writeFileSync(path.join(app, 'app.py'), example('python'));

    const node: number[] = [];
    const py: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(run(process.execPath, ['app.js'], app));
      py.push(run(python, ['app.py'], app));
    }
    const spread = (values: number[]) => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
    console.log(`README example, load + synth, median of ${RUNS}:`);
    console.log(`  Node.js (TypeScript example): ${median(node).toFixed(2)} s (${spread(node)})`);
    console.log(`  Python (Python example):      ${median(py).toFixed(2)} s (${spread(py)}), ${(median(py) / median(node)).toFixed(1)}x`);
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
}

main();
