/**
 * `npx projen fuzz`: the generated-props properties of the unit suite (test/generated/), over
 * thousands of cases. Each distinct defect (a broken rule, named without the case's values) is
 * shrunk to its smallest props, then set aside so that the run goes on looking for others. Prints
 * the figures and the defects, and writes the figures to docs/benchmarks.md between the
 * `fuzz:start` and `fuzz:end` markers.
 *
 * FUZZ_CASES (default 5000) cases in all, FUZZ_SEED (default: the clock) to replay a run,
 * FUZZ_SHRINK_SECONDS (default 20) to bound the shrinking of each defect.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { synthesize } from '../test/generated/build';
import { CATALOG, InvalidCase, normalizeMessage, REFUSED_TOKENS, withItsBase } from '../test/generated/invalid';
import { INVARIANTS, Violation } from '../test/generated/invariants';
import { INVALID_PROPS, LONG_APPLICATION_NAMES, Outcome, Property, REFUSED_TOKEN_PROPS, VALID, VALID_PROPERTIES } from '../test/generated/properties';
import { ValidRecipe } from '../test/generated/recipes';

const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SHRINK_SECONDS = Number(process.env.FUZZ_SHRINK_SECONDS ?? 20);

interface Defect {
  readonly signature: string;
  readonly detail: string;
  readonly counterexample: string;
  readonly shrinks: number;
  /** The seed and path that replay the shrunk case with fc.assert. */
  readonly seed: number;
  readonly path: string | null;
  /** Seen only once the cases were used up: the case as first seen, not shrunk. */
  readonly unshrunk?: boolean;
}

interface Explored {
  cases: number;
  failingCases: number;
  skipped: number;
  seconds: number;
  readonly defects: Defect[];
  /** Cases showing each defect. */
  readonly seen: Map<string, number>;
  /** The first case showing each defect, with its violation. */
  readonly first: Map<string, { value: string; detail: string }>;
}

/**
 * Runs `check` over `budget` cases of `arbitrary`. When a case shows a defect not seen before,
 * fast-check shrinks it (a smaller case fails when it shows that same defect), the defect is
 * recorded, and a new round goes on with the next seed, the known defects set aside.
 */
function explore<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T, shrinking: boolean) => Outcome,
  budget: number,
  seed: number,
  simplify: (value: T, shows: (candidate: T) => boolean) => T = (value) => value,
): Explored {
  const explored: Explored = { cases: 0, failingCases: 0, skipped: 0, seconds: 0, defects: [], seen: new Map(), first: new Map() };
  const started = Date.now();
  for (let round = 0; explored.cases < budget; round++) {
    let target: Violation | undefined;
    let shrinkStarted = 0;
    const result = fc.check(fc.property(arbitrary, (value) => {
      if (target === undefined) {
        explored.cases++;
        const outcome = check(value, false);
        if (outcome === 'skip') {
          explored.skipped++;
          return true;
        }
        if (outcome.length > 0) {
          explored.failingCases++;
        }
        for (const v of outcome) {
          if (!explored.first.has(v.kind)) {
            explored.first.set(v.kind, { value: fc.stringify(value), detail: v.detail });
          }
        }
        for (const kind of new Set(outcome.map((v) => v.kind))) {
          explored.seen.set(kind, (explored.seen.get(kind) ?? 0) + 1);
        }
        target = outcome.find((v) => !explored.defects.some((d) => d.signature === v.kind));
        shrinkStarted = Date.now();
        return target === undefined;
      }
      if (Date.now() - shrinkStarted > SHRINK_SECONDS * 1000) {
        return true;
      }
      const outcome = check(value, true);
      const hit = outcome === 'skip' ? undefined : outcome.find((v) => v.kind === target!.kind);
      if (hit) {
        target = hit;
      }
      return hit === undefined;
    }), { seed: seed + round, numRuns: budget - explored.cases });
    if (!result.failed || !target) {
      break;
    }
    const signature = target.kind;
    const smallest = simplify(result.counterexample![0], (candidate) => {
      const outcome = check(candidate, true);
      return outcome !== 'skip' && outcome.some((v) => v.kind === signature);
    });
    const defect: Defect = {
      signature,
      detail: target.detail,
      counterexample: fc.stringify(smallest),
      shrinks: result.numShrinks,
      seed: result.seed,
      path: result.counterexamplePath,
    };
    explored.defects.push(defect);
    console.log(`[${label}] defect ${explored.defects.length} after ${explored.cases} cases (${result.numShrinks} shrinks): ${defect.signature}\n    smallest props: ${defect.counterexample}\n    ${defect.detail.split('\n').slice(0, 4).join('\n    ')}`);
  }
  // A defect first seen in a case that showed another new one, when the cases ran out.
  for (const [signature, { value, detail }] of explored.first) {
    if (!explored.defects.some((d) => d.signature === signature)) {
      explored.defects.push({ signature, detail, counterexample: value, shrinks: 0, seed, path: null, unshrunk: true });
      console.log(`[${label}] defect ${explored.defects.length}, not shrunk (the cases ran out): ${signature}\n    props: ${value}`);
    }
  }
  explored.seconds = (Date.now() - started) / 1000;
  return explored;
}

/**
 * fast-check's array shrinking removes leading items only: each broken prop of a shrunk case is
 * tried alone. The case is reported with the base its broken props build on.
 */
function simplifyMutations(catalog: typeof CATALOG) {
  return <T>(value: T, shows: (candidate: T) => boolean): T => {
    const c = value as unknown as InvalidCase;
    const alone = c.mutations.length < 2 ? undefined : c.mutations
      .map((m) => ({ base: c.base, mutations: [m] }))
      .find((a) => shows(a as unknown as T));
    return withItsBase(alone ?? c, catalog) as unknown as T;
  };
}

interface Row {
  readonly property: string;
  readonly cases: number;
  readonly failingCases: number;
  readonly defects: number;
  readonly time: string;
}

function main(): void {
  const rows: Row[] = [];
  const all: Array<{ property: string; defects: Defect[]; seen: Map<string, number> }> = [];
  const shares = { valid: 0.3, longNames: 0.05, invalid: 0.55, refused: 0.1 };
  console.log(`fuzz: ${CASES} cases, seed ${SEED}, shrinking each defect for at most ${SHRINK_SECONDS} s`);

  // Valid props: each case is synthesized once and judged by every valid property.
  const checked = new Map<string, { cases: number; failing: number }>(VALID_PROPERTIES.map((p) => [p.name, { cases: 0, failing: 0 }]));
  const [synthesizes] = VALID_PROPERTIES;
  const valid = explore('valid props', VALID, (recipe: ValidRecipe, shrinking): Outcome => {
    const s = synthesize(recipe);
    const count = (name: string, violations: readonly Violation[]) => {
      if (!shrinking) {
        const c = checked.get(name)!;
        c.cases++;
        c.failing += violations.length > 0 ? 1 : 0;
      }
    };
    if (!s.ok) {
      const error = s.error as Error;
      const violations = [{ kind: `${synthesizes.name} :: ${error?.name}: ${normalizeMessage(String(error?.message ?? error))}`, detail: String(error?.message ?? error) }];
      count(synthesizes.name, violations);
      return violations;
    }
    count(synthesizes.name, []);
    return INVARIANTS.flatMap((invariant) => {
      const violations = invariant.check(s.deployed, recipe, s.facts);
      count(invariant.name, violations);
      return violations.map((v) => ({ kind: `${invariant.name} :: ${v.kind}`, detail: v.detail }));
    });
  }, Math.round(CASES * shares.valid), SEED);
  for (const p of VALID_PROPERTIES) {
    const defects = valid.defects.filter((d) => d.signature.startsWith(`${p.name} :: `));
    const seen = new Map([...valid.seen].filter(([k]) => k.startsWith(`${p.name} :: `)));
    const c = checked.get(p.name)!;
    const time = p === synthesizes ? `${valid.seconds.toFixed(0)} s (these cases, judged by every valid property)` : 'same cases';
    rows.push({ property: p.name, cases: c.cases, failingCases: c.failing, defects: defects.length, time });
    all.push({ property: p.name, defects, seen });
  }

  let total = valid.cases;
  let seconds = valid.seconds;
  const runAlone = <T>(p: Property<T>, share: number, simplify?: (value: T, shows: (candidate: T) => boolean) => T) => {
    const explored = explore(p.name, p.arbitrary, (v) => p.check(v), Math.round(CASES * share), SEED, simplify);
    rows.push({ property: p.name, cases: explored.cases, failingCases: explored.failingCases, defects: explored.defects.length, time: `${explored.seconds.toFixed(0)} s` });
    all.push({ property: p.name, defects: explored.defects, seen: explored.seen });
    total += explored.cases;
    seconds += explored.seconds;
  };
  runAlone(LONG_APPLICATION_NAMES, shares.longNames);
  runAlone(INVALID_PROPS, shares.invalid, simplifyMutations(CATALOG));
  runAlone(REFUSED_TOKEN_PROPS, shares.refused, simplifyMutations(REFUSED_TOKENS));

  const defects = all.reduce((n, a) => n + a.defects.length, 0);
  const table = [
    '| property | cases | failing cases | distinct defects | time |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.property} | ${r.cases} | ${r.failingCases} | ${r.defects} | ${r.time} |`),
  ].join('\n');
  const summary = `${total} generated cases (seed ${SEED}) in ${(seconds / 60).toFixed(1)} min, ${defects} distinct defects, each shrunk for at most ${SHRINK_SECONDS} s.`;
  console.log(`\n${summary}\n\n${table}`);

  // The defects, with their smallest props, for whoever fixes them (left out of git).
  const root = path.resolve(__dirname, '..');
  const reportDir = path.join(root, '.cache', 'fuzz');
  fs.mkdirSync(reportDir, { recursive: true });
  fs.writeFileSync(path.join(reportDir, `report-${SEED}.json`), JSON.stringify({ seed: SEED, cases: CASES, rows, properties: all.map((a) => ({ ...a, seen: Object.fromEntries(a.seen) })) }, null, 2));
  console.log(`\nDefects and their smallest props: ${path.relative(root, path.join(reportDir, `report-${SEED}.json`))}`);

  const list = all.flatMap((a) => a.defects.map((d) => `- ${d.signature.includes(' :: ') ? d.signature : `${a.property} :: ${d.signature}`} (${a.seen.get(d.signature) ?? 0} cases)`));
  const section = [
    '<!-- fuzz:start -->',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node.js ${process.version}: ${summary}`,
    '',
    table,
    ...(list.length > 0 ? ['', `<details><summary>Distinct defects (replay: FUZZ_SEED=${SEED} FUZZ_CASES=${CASES} npx projen fuzz)</summary>`, '', ...list, '', '</details>'] : []),
    '<!-- fuzz:end -->',
  ].join('\n');
  const file = path.join(root, 'docs', 'benchmarks.md');
  const doc = fs.readFileSync(file, 'utf-8');
  const marker = /<!-- fuzz:start -->[\s\S]*<!-- fuzz:end -->/;
  fs.writeFileSync(file, marker.test(doc) ? doc.replace(marker, () => section) : `${doc.trimEnd()}\n\n${section}\n`);
}

main();
