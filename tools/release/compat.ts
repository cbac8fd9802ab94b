/**
 * The API compatibility gate: jsii-diff between the last release's assembly (tools/release/baseline/,
 * the package.json and .jsii of the released npm tarball, committed by the release) and the one
 * `npx projen compile` just wrote. Offline, with no tags needed: the baseline is a file of the
 * repository, and the commits since it are those after the commit that last changed it.
 *
 * A breaking change passes only when a commit since the release says it breaks (`feat!:` or a
 * `BREAKING CHANGE:` footer, which the changelog shows users), and, while a release is being cut
 * (package.json holds the new version, not 0.0.0), only when the version is a major bump, or a
 * minor one below 1.0 as semver allows. commit-and-tag-version bumps this way from the same commits.
 *
 *   ts-node --project tools/release/tsconfig.json tools/release/compat.ts   (npx projen compat)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const BASELINE_DIR = 'tools/release/baseline';

/** A conventional commit that says it breaks: `type!:`/`type(scope)!:`, or a BREAKING CHANGE footer. */
export function declaresBreakingChange(message: string): boolean {
  const [subject = ''] = message.split('\n');
  return /^[a-z]+(\([^)]*\))?!:/i.test(subject) || /^BREAKING[ -]CHANGE:/m.test(message);
}

/** The version a release of these commits may have when the API breaks, or why none may. */
export interface Verdict {
  readonly allowed: boolean;
  readonly reason: string;
}

/**
 * Whether a breaking change between `baselineVersion` and `version` may pass, given the messages
 * of the commits since the baseline. `version` is 0.0.0 outside a release (projen resets it).
 */
export function judgeBreakingChange(baselineVersion: string, version: string, messages: string[]): Verdict {
  const declared = messages.filter(declaresBreakingChange);
  if (declared.length === 0) {
    return {
      allowed: false,
      reason: 'no commit since the release says it breaks: make the change compatible (deprecate, do not remove), or say so in '
        + 'its commit, `feat!: ...` with a `BREAKING CHANGE: <what users must do>` footer (CONTRIBUTING.md, Releasing)',
    };
  }
  const [baseMajor, baseMinor] = baselineVersion.split('.').map(Number);
  const next = baseMajor === 0 ? `0.${baseMinor + 1}.0` : `${baseMajor + 1}.0.0`;
  if (version === '0.0.0') {
    return { allowed: true, reason: `declared by ${declared.length} commit(s); the next release is ${next} or later` };
  }
  const [major, minor] = version.split('.').map(Number);
  const bumped = major > baseMajor || (baseMajor === 0 && major === 0 && minor > baseMinor);
  return bumped
    ? { allowed: true, reason: `declared by ${declared.length} commit(s), released as ${version}` }
    : { allowed: false, reason: `declared, but ${version} is not a breaking release after ${baselineVersion}: it must be ${next} or later` };
}

/** The messages of the commits after the one that last wrote the baseline (all of them if it is not in the clone). */
function commitsSinceBaseline(): string[] {
  const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf-8' }).stdout.trim();
  const released = git('log', '-1', '--format=%H', '--', BASELINE_DIR);
  const log = git('log', '--format=%B%x00', released ? `${released}..HEAD` : 'HEAD');
  return log.split('\0').map((m) => m.trim()).filter(Boolean);
}

function main(): number {
  const baselinePackage = path.join(BASELINE_DIR, 'package.json');
  if (!fs.existsSync(baselinePackage)) {
    console.log(`compat: no release in ${BASELINE_DIR} yet, nothing to compare with`);
    return 0;
  }
  const baselineVersion: string = JSON.parse(fs.readFileSync(baselinePackage, 'utf-8')).version;
  const version: string = JSON.parse(fs.readFileSync('package.json', 'utf-8')).version;
  const diff = spawnSync('jsii-diff', [BASELINE_DIR, '.', '--keys'], { encoding: 'utf-8' });
  if (diff.status === 0) {
    console.log(`compat: the API is compatible with ${baselineVersion}`);
    return 0;
  }
  const report = `${diff.stdout}${diff.stderr}`.trim();
  if (diff.status !== 1) {
    console.error(`compat: jsii-diff could not compare with ${baselineVersion} (exit ${diff.status}):\n${report}`);
    return 2;
  }
  const verdict = judgeBreakingChange(baselineVersion, version, commitsSinceBaseline());
  console.error(`${report}\ncompat: breaking change since ${baselineVersion}, ${verdict.allowed ? 'allowed' : 'refused'}: ${verdict.reason}`);
  return verdict.allowed ? 0 : 1;
}

if (require.main === module) {
  process.exitCode = main();
}
