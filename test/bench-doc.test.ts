import { replaceFigures } from '../tools/bench/doc';

const FUZZ = '<!-- fuzz:start -->\n| seed | runs |\n| --- | --- |\n| $& 42 | 100 |\n<!-- fuzz:end -->';

describe('the bench figures in docs/benchmarks.md', () => {
  test('replace the bench section only', () => {
    const doc = '# Benchmarks\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\n## After\n';
    expect(replaceFigures(doc, 'new')).toBe('# Benchmarks\n\n<!-- bench:start -->\nnew\n<!-- bench:end -->\n\n## After\n');
  });

  test('leave a fuzz section outside the bench section as it is', () => {
    const doc = `<!-- bench:start -->\nold\n<!-- bench:end -->\n\n${FUZZ}\n`;
    expect(replaceFigures(doc, 'new')).toBe(`<!-- bench:start -->\nnew\n<!-- bench:end -->\n\n${FUZZ}\n`);
  });

  test('carry a fuzz section inside the bench section over verbatim, after the figures', () => {
    const doc = `<!-- bench:start -->\nold\n\n${FUZZ}\n<!-- bench:end -->\n`;
    const once = replaceFigures(doc, 'new');
    expect(once).toBe(`<!-- bench:start -->\nnew\n\n${FUZZ}\n<!-- bench:end -->\n`);
    expect(replaceFigures(once, 'new')).toBe(once);
  });

  test('add no fuzz section when there is none', () => {
    expect(replaceFigures('<!-- bench:start -->\n<!-- bench:end -->', 'new')).not.toContain('fuzz');
  });

  test('refuse a document without the bench markers, or with a fuzz section across them', () => {
    expect(() => replaceFigures('# Benchmarks\n', 'new')).toThrow(/no <!-- bench:start -->/);
    expect(() => replaceFigures('<!-- bench:start -->\n<!-- fuzz:start -->\n<!-- bench:end -->\n<!-- fuzz:end -->', 'new')).toThrow(/crosses/);
    expect(() => replaceFigures('<!-- fuzz:start -->\n<!-- bench:start -->\n<!-- fuzz:end -->\n<!-- bench:end -->', 'new')).toThrow(/crosses/);
  });
});
