/**
 * `npx projen fuzz`: the generated-props properties of the unit suite (test/generated/), over
 * thousands of cases. Each distinct defect (a broken rule, named without the case's values) is
 * shrunk to its smallest props, then set aside so that the run goes on looking for others. Prints
 * the figures and the defects, and writes the figures to docs/benchmarks.md between the
 * `fuzz:start` and `fuzz:end` markers.
 *
 * FUZZ_CASES (default 5000) cases in all, FUZZ_SEED (default: the clock) to replay a run,
 * FUZZ_SHRINK_SECONDS (default 20) to bound the shrinking of each defect.
 *
 * The cases run in chunks, each in a process of its own: CDK keeps every token it has encoded in
 * a process-wide map, and with it every App, so one process would run out of memory after a few
 * thousand synths.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { synthesize } from '../../test/generated/build';
import { CATALOG, InvalidCase, normalizeMessage, REFUSED_TOKENS, withItsBase } from '../../test/generated/invalid';
import { INVARIANTS, Violation } from '../../test/generated/invariants';
import { INVALID_PROPS, LONG_APPLICATION_NAMES, Outcome, Property, REFUSED_TOKEN_PROPS, VALID, VALID_PROPERTIES } from '../../test/generated/properties';
import { ValidRecipe } from '../../test/generated/recipes';

const CASES = Number(process.env.FUZZ_CASES ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const SHRINK_SECONDS = Number(process.env.FUZZ_SHRINK_SECONDS ?? 20);
/** Cases per process. */
const CHUNK = 400;

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

/** What one chunk of cases found. */
interface Explored {
  cases: number;
  failingCases: number;
  seconds: number;
  readonly defects: Defect[];
  /** Cases showing each defect. */
  readonly seen: Record<string, number>;
  /** The first case showing each defect, with its violation. */
  readonly first: Record<string, { value: string; detail: string }>;
  /** Valid props: cases each valid property judged, and how many broke it. */
  readonly checked: Record<string, { cases: number; failing: number }>;
}

type Simplify<T> = (value: T, shows: (candidate: T) => boolean) => T;

/**
 * Runs `check` over `budget` cases of `arbitrary`. When a case shows a defect not `known`, fast-check
 * shrinks it (a smaller case fails when it shows that same defect), the defect is recorded, and a
 * new round goes on with the next seed, the known defects set aside.
 */
function explore<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T, shrinking: boolean, explored: Explored) => Outcome,
  budget: number,
  seed: number,
  known: readonly string[],
  simplify: Simplify<T> = (value) => value,
): Explored {
  const explored: Explored = { cases: 0, failingCases: 0, seconds: 0, defects: [], seen: {}, first: {}, checked: {} };
  const isKnown = (kind: string) => known.includes(kind) || explored.defects.some((d) => d.signature === kind);
  const started = Date.now();
  for (let round = 0; explored.cases < budget; round++) {
    let target: Violation | undefined;
    let shrinkStarted = 0;
    const result = fc.check(fc.property(arbitrary, (value) => {
      if (target === undefined) {
        explored.cases++;
        const outcome = check(value, false, explored);
        if (outcome === 'skip') {
          return true;
        }
        if (outcome.length > 0) {
          explored.failingCases++;
        }
        for (const v of outcome) {
          explored.first[v.kind] ??= { value: fc.stringify(value), detail: v.detail };
        }
        for (const kind of new Set(outcome.map((v) => v.kind))) {
          explored.seen[kind] = (explored.seen[kind] ?? 0) + 1;
        }
        target = outcome.find((v) => !isKnown(v.kind));
        shrinkStarted = Date.now();
        return target === undefined;
      }
      if (Date.now() - shrinkStarted > SHRINK_SECONDS * 1000) {
        return true;
      }
      const outcome = check(value, true, explored);
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
      const outcome = check(candidate, true, explored);
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
    console.log(`[${label}] new defect (${result.numShrinks} shrinks): ${defect.signature}\n    smallest props: ${defect.counterexample}\n    ${defect.detail.split('\n').slice(0, 4).join('\n    ')}`);
  }
  explored.seconds = (Date.now() - started) / 1000;
  return explored;
}

/**
 * fast-check's array shrinking removes leading items only: each broken prop of a shrunk case is
 * tried alone. The case is reported with the base its broken props build on.
 */
function simplifyMutations(catalog: typeof CATALOG): Simplify<InvalidCase> {
  return (c, shows) => {
    const alone = c.mutations.length < 2 ? undefined : c.mutations
      .map((m) => ({ base: c.base, mutations: [m] }))
      .find((a) => shows(a));
    return withItsBase(alone ?? c, catalog);
  };
}

/** Valid props: each case is synthesized once and judged by every valid property. */
function checkValid(recipe: ValidRecipe, shrinking: boolean, explored: Explored): Outcome {
  const [synthesizes] = VALID_PROPERTIES;
  const count = (name: string, violations: readonly Violation[]) => {
    if (!shrinking) {
      const c = explored.checked[name] ??= { cases: 0, failing: 0 };
      c.cases++;
      c.failing += violations.length > 0 ? 1 : 0;
    }
  };
  const s = synthesize(recipe);
  if (!s.ok) {
    const error = s.error as Error;
    const message = String(error?.message ?? error);
    const violations = [{ kind: `${synthesizes.name} :: ${error?.name}: ${normalizeMessage(message)}`, detail: message }];
    count(synthesizes.name, violations);
    return violations;
  }
  count(synthesizes.name, []);
  return INVARIANTS.flatMap((invariant) => {
    const violations = invariant.check(s.deployed, recipe, s.facts);
    count(invariant.name, violations);
    return violations.map((v) => ({ kind: `${invariant.name} :: ${v.kind}`, detail: v.detail }));
  });
}

interface Group {
  readonly label: string;
  readonly share: number;
  explore(budget: number, seed: number, known: readonly string[]): Explored;
}

const alone = <T>(p: Property<T>, share: number, simplify?: Simplify<T>): Group => ({
  label: p.name,
  share,
  explore: (budget, seed, known) => explore(p.name, p.arbitrary, (v) => p.check(v), budget, seed, known, simplify),
});

const GROUPS: readonly Group[] = [
  { label: 'valid props', share: 0.3, explore: (budget, seed, known) => explore('valid props', VALID, checkValid, budget, seed, known) },
  alone(LONG_APPLICATION_NAMES, 0.05),
  alone(INVALID_PROPS, 0.55, simplifyMutations(CATALOG)),
  alone(REFUSED_TOKEN_PROPS, 0.1, simplifyMutations(REFUSED_TOKENS)),
];

interface ChunkInput {
  readonly group: number;
  readonly budget: number;
  readonly seed: number;
  readonly known: readonly string[];
  readonly out: string;
}

/** Runs one chunk in a process of its own. */
function runChunk(input: Omit<ChunkInput, 'out'>): Explored {
  const out = path.join(os.tmpdir(), `arculus-fuzz-${process.pid}-${input.group}-${input.seed}.json`);
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), FUZZ_CHUNK: JSON.stringify({ ...input, out }) },
    stdio: 'inherit',
  });
  if (child.status !== 0 || !fs.existsSync(out)) {
    throw new Error(`fuzz chunk ${JSON.stringify(input)} failed: exit ${child.status} ${child.signal ?? ''}`);
  }
  try {
    return JSON.parse(fs.readFileSync(out, 'utf-8'));
  } finally {
    fs.rmSync(out, { force: true });
  }
}

interface Row {
  readonly property: string;
  readonly cases: number;
  readonly failingCases: number;
  readonly defects: number;
  readonly time: string;
}

function main(): void {
  const started = Date.now();
  console.log(`fuzz: ${CASES} cases, seed ${SEED}, shrinking each defect for at most ${SHRINK_SECONDS} s, ${CHUNK} cases per process`);
  const rows: Row[] = [];
  const found: Array<{ property: string; defects: Defect[]; seen: Record<string, number> }> = [];
  let total = 0;
  let seconds = 0;
  GROUPS.forEach((group, index) => {
    const budget = Math.round(CASES * group.share);
    const all: Explored = { cases: 0, failingCases: 0, seconds: 0, defects: [], seen: {}, first: {}, checked: {} };
    for (let chunk = 0; all.cases < budget; chunk++) {
      const known = all.defects.map((d) => d.signature);
      const part = runChunk({ group: index, budget: Math.min(CHUNK, budget - all.cases), seed: SEED + chunk * 1000, known });
      all.cases += part.cases;
      all.failingCases += part.failingCases;
      all.seconds += part.seconds;
      all.defects.push(...part.defects);
      for (const [kind, n] of Object.entries(part.seen)) all.seen[kind] = (all.seen[kind] ?? 0) + n;
      for (const [kind, first] of Object.entries(part.first)) all.first[kind] ??= first;
      for (const [name, c] of Object.entries(part.checked)) {
        const sum = all.checked[name] ??= { cases: 0, failing: 0 };
        sum.cases += c.cases;
        sum.failing += c.failing;
      }
      if (part.cases === 0) break;
    }
    // A defect first seen beside another new one, when the cases ran out: reported as first seen.
    for (const [signature, { value, detail }] of Object.entries(all.first)) {
      if (!all.defects.some((d) => d.signature === signature)) {
        all.defects.push({ signature, detail, counterexample: value, shrinks: 0, seed: SEED, path: null, unshrunk: true });
        console.log(`[${group.label}] defect not shrunk (the cases ran out): ${signature}\n    props: ${value}`);
      }
    }
    total += all.cases;
    seconds += all.seconds;
    if (group.label === 'valid props') {
      for (const p of VALID_PROPERTIES) {
        const prefix = `${p.name} :: `;
        const c = all.checked[p.name] ?? { cases: 0, failing: 0 };
        const time = p === VALID_PROPERTIES[0] ? `${all.seconds.toFixed(0)} s (these cases, judged by every valid property)` : 'same cases';
        const defects = all.defects.filter((d) => d.signature.startsWith(prefix));
        rows.push({ property: p.name, cases: c.cases, failingCases: c.failing, defects: defects.length, time });
        found.push({ property: p.name, defects, seen: Object.fromEntries(Object.entries(all.seen).filter(([k]) => k.startsWith(prefix))) });
      }
    } else {
      rows.push({ property: group.label, cases: all.cases, failingCases: all.failingCases, defects: all.defects.length, time: `${all.seconds.toFixed(0)} s` });
      found.push({ property: group.label, defects: all.defects, seen: all.seen });
    }
  });

  const defects = found.reduce((n, a) => n + a.defects.length, 0);
  const table = [
    '| property | cases | failing cases | distinct defects | time |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.property} | ${r.cases} | ${r.failingCases} | ${r.defects} | ${r.time} |`),
  ].join('\n');
  const wall = (Date.now() - started) / 60000;
  const summary = `${total} generated cases (seed ${SEED}) in ${wall.toFixed(1)} min (${(seconds / 60).toFixed(1)} min in the properties, the rest starting processes), `
    + `${defects} distinct defects, each shrunk for at most ${SHRINK_SECONDS} s.`;
  console.log(`\n${summary}\n\n${table}`);

  // The defects, with their smallest props, for whoever fixes them (left out of git).
  const root = path.resolve(__dirname, '..', '..');
  const report = path.join(root, '.cache', 'fuzz', `report-${SEED}.json`);
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, JSON.stringify({ seed: SEED, cases: CASES, rows, properties: found }, null, 2));
  console.log(`\nDefects and their smallest props: ${path.relative(root, report)}`);

  const list = found.flatMap((a) => a.defects.map((d) => `- ${d.signature.includes(' :: ') ? d.signature : `${a.property} :: ${d.signature}`} (${a.seen[d.signature] ?? 0} cases)`));
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

if (process.env.FUZZ_CHUNK) {
  const input: ChunkInput = JSON.parse(process.env.FUZZ_CHUNK);
  fs.writeFileSync(input.out, JSON.stringify(GROUPS[input.group].explore(input.budget, input.seed, input.known)));
} else {
  main();
}
