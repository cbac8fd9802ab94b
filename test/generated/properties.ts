/**
 * The generated-props properties, shared by the unit suite (test/*.props.test.ts: a fixed seed,
 * few cases) and the long run (`npx projen fuzz`: thousands of cases, every distinct defect
 * shrunk to its smallest props).
 */
import * as fc from 'fast-check';
import { synthesizeOnce } from './build';
import { CATALOG, InvalidCase, invalidCase, invalidViolations, judgeGathered, normalizeMessage, REFUSED_TOKENS } from './invalid';
import { INVARIANTS, physicalNames, Violation } from './invariants';
import { applicationNameOfLengths, derivedNames, LONGEST_FITTING_APPLICATION_NAME, validRecipe, ValidRecipe } from './recipes';

/** A case's violations, or 'skip' when it cannot be judged (valid props that did not synthesize). */
export type Outcome = readonly Violation[] | 'skip';

export interface Property<T> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Cases in the unit suite. */
  readonly unitRuns: number;
  check(value: T): Outcome;
}

/**
 * The seed of the unit suite: its valid cases cover the three presets, the three MongoDB options,
 * the three kinds of VPC, nested and flat stacks, tokens, and every deployment strategy (rolling
 * left out and said, blue/green in a nested stack, linear, canary); its invalid cases break
 * deployment options and give a token strategy.
 */
export const UNIT_SEED = 524;

/** Valid props, with tokens wherever the token policy carries them. One arbitrary, so that every valid property sees the same cases. */
export const VALID = validRecipe({ tokens: true });
const VALID_UNIT_RUNS = 6;

const synthesizes: Property<ValidRecipe> = {
  name: 'valid props synthesize',
  arbitrary: VALID,
  unitRuns: VALID_UNIT_RUNS,
  check(recipe) {
    const s = synthesizeOnce(recipe);
    if (s.ok) {
      return [];
    }
    const error = s.error as Error;
    return [{ kind: `valid props fail to synthesize: ${error?.name}: ${normalizeMessage(String(error?.message ?? error))}`, detail: String(error?.message ?? error).slice(0, 600) }];
  },
};

/** Valid props synthesize, and each invariant holds on their templates. */
export const VALID_PROPERTIES: ReadonlyArray<Property<ValidRecipe>> = [
  synthesizes,
  ...INVARIANTS.map((invariant): Property<ValidRecipe> => ({
    name: invariant.name,
    arbitrary: VALID,
    unitRuns: VALID_UNIT_RUNS,
    check(recipe) {
      const s = synthesizeOnce(recipe);
      return s.ok ? invariant.check(s.deployed, recipe, s.facts) : 'skip';
    },
  })),
];

/** Application names near and over the limits: every name fits, or the one gathered error refuses applicationName, and only when a name would not fit. */
export const LONG_APPLICATION_NAMES: Property<ValidRecipe> = {
  name: 'a long applicationName fits every name, or is refused in the gathered error',
  arbitrary: validRecipe({ tokens: false, applicationName: applicationNameOfLengths(LONGEST_FITTING_APPLICATION_NAME - 24, 260) }),
  unitRuns: 3,
  check(recipe) {
    const s = synthesizeOnce(recipe);
    if (s.ok) {
      return physicalNames.check(s.deployed, recipe, s.facts);
    }
    const found: Violation[] = [...judgeGathered(s.error, [{ label: 'a long applicationName', accept: ['applicationName'] }])];
    const message = String((s.error as Error)?.message);
    const others = message.split('\n').slice(1).filter((l) => !l.startsWith('  - applicationName: '));
    if (found.length === 0 && others.length > 0) {
      found.push({ kind: 'a long applicationName: refused for other props too', detail: others.join('\n') });
    }
    const overflows = derivedNames(recipe.applicationName!, recipe.deploymentEnvironment).some((n) => n.name.length > n.limit);
    if (found.length === 0 && !overflows) {
      found.push({ kind: 'a long applicationName: refused though every name it makes fits', detail: `${recipe.applicationName!.length} characters: ${message}` });
    }
    return found;
  },
};

/** Broken props, by value and by JavaScript type, give the one gathered error naming them. */
export const INVALID_PROPS: Property<InvalidCase> = {
  name: 'invalid props give the one gathered error, naming each broken prop',
  arbitrary: invalidCase(CATALOG),
  unitRuns: 40,
  check: (c) => invalidViolations(c, CATALOG),
};

/** A token where the deployment must know the value gives the gathered error, saying it cannot be a token. */
export const REFUSED_TOKEN_PROPS: Property<InvalidCase> = {
  name: 'a token where a value must be known is refused in the gathered error',
  arbitrary: invalidCase(REFUSED_TOKENS, 2),
  unitRuns: 8,
  check: (c) => invalidViolations(c, REFUSED_TOKENS, true),
};

/** A property for `fc.assert`: a case fails with its violations listed; valid props that did not synthesize are skipped here (see `valid props synthesize`). */
export function asserted<T>(p: Property<T>): fc.IProperty<[T]> {
  return fc.property(p.arbitrary, (value) => {
    const outcome = p.check(value);
    fc.pre(outcome !== 'skip');
    if (outcome.length > 0) {
      throw new Error(outcome.map((v) => `${v.kind}${v.detail ? `\n      ${v.detail.split('\n').join('\n      ')}` : ''}`).join('\n'));
    }
    return true;
  });
}
