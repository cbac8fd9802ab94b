import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { testApp } from './util';

/** A finding of a rule pack that nobody acknowledged: the rule and the construct it concerns. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
}

/**
 * Builds with `build` in a fresh app and synthesizes it with cdk-nag's AwsSolutions and NIST
 * 800-53 R5 packs as validation plugins, as a security reviewer runs them; returns every finding
 * nobody acknowledged, and what `build` returned. aws-cdk-lib prints its validation progress and
 * report and marks the process as failed when a plugin reports a violation (newer releases throw
 * 'ValidationFailed' instead): both are silenced here, and the report file is read either way.
 * The templates the app wrote (nested stacks' included) come back by file name.
 */
export function runNag<T>(build: (app: App) => T): { findings: Finding[]; built: T; templates: Record<string, any> } {
  // The app's assembly directory is the test file's, removed when its tests end (test/setup.ts).
  const app = testApp();
  const built = build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const quiet = [jest.spyOn(console, 'error').mockImplementation(() => {}), jest.spyOn(console, 'log').mockImplementation(() => {})];
  const exitCode = process.exitCode;
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== 'ValidationFailed') {
      throw e;
    }
  } finally {
    process.exitCode = exitCode;
    quiet.forEach((spy) => spy.mockRestore());
  }
  const reportFile = path.join(app.outdir, 'validation-report.json');
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf-8')) : { pluginReports: [] };
  const findings: Finding[] = report.pluginReports.flatMap((plugin: any) => plugin.violations.flatMap((violation: any) =>
    violation.violatingConstructs.map((c: any) => ({ rule: violation.ruleName, path: c.constructPath }))));
  const templates = Object.fromEntries(fs.readdirSync(app.outdir).filter((file) => file.endsWith('.template.json'))
    .map((file) => [file, JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf-8'))]));
  return { findings, built, templates };
}
