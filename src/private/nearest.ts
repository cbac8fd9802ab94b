/**
 * The Damerau-Levenshtein distance of `a` and `b`: inserting, deleting or replacing a character,
 * or swapping two neighbours, is one edit each, and a swapped pair may be edited again ('cpu' to
 * 'cup' to 'cuap' is two edits; optimal string alignment would count three). Written here rather
 * than taken from a package, since the common ones (fastest-levenshtein, leven) count a swap as
 * two edits, and a swap is the typo people make most.
 */
export function editDistance(a: string, b: string): number {
  const far = a.length + b.length;
  // d[i + 1][j + 1] is the distance of a's first i characters and b's first j; row and column 0 are "far".
  const d: number[][] = Array.from({ length: a.length + 2 }, () => Array<number>(b.length + 2).fill(0));
  d[0][0] = far;
  for (let i = 0; i <= a.length; i++) {
    d[i + 1][0] = far;
    d[i + 1][1] = i;
  }
  for (let j = 0; j <= b.length; j++) {
    d[0][j + 1] = far;
    d[1][j + 1] = j;
  }
  /** The last row of `a` each character was seen in. */
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= a.length; i++) {
    let lastMatchColumn = 0;
    for (let j = 1; j <= b.length; j++) {
      const k = lastRow.get(b[j - 1]) ?? 0;
      const l = lastMatchColumn;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      if (cost === 0) {
        lastMatchColumn = j;
      }
      d[i + 1][j + 1] = Math.min(
        d[i][j] + cost,
        d[i + 1][j] + 1,
        d[i][j + 1] + 1,
        d[k][l] + (i - k - 1) + 1 + (j - l - 1),
      );
    }
    lastRow.set(a[i - 1], i);
  }
  return d[a.length + 1][b.length + 1];
}

/** Edits a misspelt name may be from the one meant: a name is rarely misspelt further. */
export const MAX_EDITS = 2;

function commonStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The one of `names` that `key` most likely misspells: the one equal to it but for case, else the
 * nearest within two edits (letter case aside) that is not `key`'s whole length away; of two as
 * near, the one sharing the longer start with it. Undefined when none is near, or two are alike.
 */
export function closest(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameButCase = names.find((n) => n.toLowerCase() === lower);
  if (sameButCase) {
    return sameButCase;
  }
  const scored = names
    .map((name) => ({ name, edits: editDistance(lower, name.toLowerCase()), start: commonStart(lower, name.toLowerCase()) }))
    .filter(({ name, edits }) => edits <= MAX_EDITS && edits < Math.max(key.length, name.length))
    .sort((a, b) => a.edits - b.edits || b.start - a.start);
  const [best, next] = scored;
  return best && !(next && next.edits === best.edits && next.start === best.start) ? best.name : undefined;
}
