/**
 * The README's examples as apps a user runs: the TypeScript one compiled to JavaScript that imports
 * this package by name, the Python one as written. Shared by the reference templates and the
 * synth timing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

/** The stack the README's examples define. */
export const README_STACK = 'ArculusFidoProd';

/**
 * The README's example in `language` (the fence's info string: ts, python, java, go): TypeScript in
 * README.md, the other languages in docs/languages.md.
 */
export function readmeExample(language: string): string {
  const file = language === 'ts' ? 'README.md' : 'docs/languages.md';
  const readme = fs.readFileSync(path.join(ROOT, file), 'utf-8');
  const found = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(readme);
  if (!found) {
    throw new Error(`${file} has no ${language} example`);
  }
  return found[1];
}

/**
 * A folder holding `app.js` (the TypeScript example, compiled; `arculus-fido-cdk` resolves to this
 * checkout) and `app.py`, for `fn`; removed afterwards.
 */
export function withReadmeApps<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-readme-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'arculus-fido-cdk'));
    for (const dependency of ['aws-cdk-lib', 'constructs']) {
      fs.symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(dir, 'node_modules', dependency));
    }
    const js = ts.transpileModule(readmeExample('ts'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(dir, 'app.js'), js.outputText);
    fs.writeFileSync(path.join(dir, 'app.py'), readmeExample('python'));
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs an app as `cdk synth` does (CDK_OUTDIR set; a TypeScript app synthesizes on exit) and
 * returns the README stack's template and the wall time of the whole process.
 */
export function runApp(command: string, args: string[], cwd: string): { template: any; seconds: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-synth-'));
  try {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd, env: { ...process.env, CDK_OUTDIR: outdir }, encoding: 'utf-8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const file = path.join(outdir, `${README_STACK}.template.json`);
    if (result.status !== 0 || !fs.existsSync(file)) {
      throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
    }
    return { template: JSON.parse(fs.readFileSync(file, 'utf-8')), seconds };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
