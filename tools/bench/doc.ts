/**
 * Where `npx projen bench` writes its figures in docs/benchmarks.md: between its own markers, and
 * nowhere else. Another task (`npx projen fuzz`) keeps a section of its own in the same file,
 * between `<!-- fuzz:start -->` and `<!-- fuzz:end -->`; the bench keeps it verbatim, even when it
 * sits inside the bench's markers.
 */

const BENCH = /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/;
const FUZZ = /<!-- fuzz:start -->[\s\S]*?<!-- fuzz:end -->/g;

/**
 * `doc` with the bench's section replaced by `figures`. A fuzz section inside the old bench
 * section is carried over, unchanged, after the new figures; one outside it is not touched.
 */
export function replaceFigures(doc: string, figures: string): string {
  const bench = BENCH.exec(doc);
  if (!bench) {
    throw new Error('docs/benchmarks.md has no <!-- bench:start --> ... <!-- bench:end --> section to write the figures into');
  }
  const fuzzInside = bench[0].match(FUZZ) ?? [];
  const occurrences = (marker: string) => bench[0].split(marker).length - 1;
  if (occurrences('<!-- fuzz:start -->') !== fuzzInside.length || occurrences('<!-- fuzz:end -->') !== fuzzInside.length) {
    throw new Error('docs/benchmarks.md: a fuzz section crosses the bench section\'s markers; move it wholly inside or outside them');
  }
  const section = ['<!-- bench:start -->', figures, ...fuzzInside.map((fuzz) => `\n${fuzz}`), '<!-- bench:end -->'].join('\n');
  // Spliced, not String.replace with a string: a `$&` or `$'` in the figures or the fuzz section
  // would be read as a replacement pattern.
  return doc.slice(0, bench.index) + section + doc.slice(bench.index + bench[0].length);
}
