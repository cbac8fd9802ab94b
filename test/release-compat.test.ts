/**
 * The API compatibility gate's judgement (tools/release/compat.ts): a breaking change between the
 * last release and main passes only when a commit since says it breaks, the way the changelog and
 * commit-and-tag-version read it, and a release that carries it bumps major (minor below 1.0).
 */
import { declaresBreakingChange, judgeBreakingChange } from '../tools/release/compat';

describe('a commit that says it breaks', () => {
  test.each([
    'feat!: drop the loadBalancing getter',
    'fix(deployment)!: rename the alarms prop',
    'feat: rename the alarms prop\n\nBREAKING CHANGE: `alarms` is now `monitoring`; rename it in your props.',
    'refactor: move the edge\n\nBREAKING-CHANGE: import FidoLoadBalancer from the package root.',
  ])('%j declares it', (message) => {
    expect(declaresBreakingChange(message)).toBe(true);
  });

  test.each([
    'feat: add the canary deployment',
    'Building blocks judge their props once',
    'fix: keep the old name working\n\nThis avoids a breaking change: the getter stays, deprecated.',
    'docs: explain what a BREAKING CHANGE: footer does',
  ])('%j does not', (message) => {
    expect(declaresBreakingChange(message)).toBe(false);
  });
});

describe('a breaking change since the last release', () => {
  const breaking = ['feat!: drop the loadBalancing getter\n\nBREAKING CHANGE: use loadBalancer.'];
  const quiet = ['feat: add a prop', 'fix: a default'];

  test('fails when no commit says it breaks, whatever the version', () => {
    expect(judgeBreakingChange('0.1.0', '0.0.0', quiet).allowed).toBe(false);
    expect(judgeBreakingChange('0.1.0', '0.2.0', quiet).allowed).toBe(false);
    expect(judgeBreakingChange('0.1.0', '0.0.0', []).reason).toMatch(/BREAKING CHANGE/);
  });

  test('passes on main (version 0.0.0) when a commit says it breaks, naming the next breaking release', () => {
    const verdict = judgeBreakingChange('0.1.0', '0.0.0', [...quiet, ...breaking]);
    expect(verdict).toEqual({ allowed: true, reason: expect.stringContaining('0.2.0') });
    expect(judgeBreakingChange('1.4.2', '0.0.0', breaking).reason).toContain('2.0.0');
  });

  test('below 1.0, a release may carry it as a minor bump, never as a patch', () => {
    expect(judgeBreakingChange('0.1.0', '0.2.0', breaking).allowed).toBe(true);
    expect(judgeBreakingChange('0.1.0', '1.0.0', breaking).allowed).toBe(true);
    expect(judgeBreakingChange('0.1.0', '0.1.1', breaking)).toEqual({ allowed: false, reason: expect.stringContaining('0.2.0') });
  });

  test('from 1.0 on, a release must carry it as a major bump', () => {
    expect(judgeBreakingChange('1.4.2', '2.0.0', breaking).allowed).toBe(true);
    expect(judgeBreakingChange('1.4.2', '1.5.0', breaking).allowed).toBe(false);
    expect(judgeBreakingChange('1.4.2', '1.4.3', breaking).allowed).toBe(false);
  });
});
