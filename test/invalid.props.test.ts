/**
 * Generated invalid props (wrong values and wrong JavaScript types, at every depth) and tokens
 * where the deployment must know the value give the deployment's one gathered error, naming each
 * broken prop; never a TypeError or a resolution error. A fixed seed and a few cases here;
 * `npx projen fuzz` runs the same properties over thousands of cases.
 */
import * as fc from 'fast-check';
import { asserted, INVALID_PROPS, LONG_APPLICATION_NAMES, Property, REFUSED_TOKEN_PROPS, UNIT_SEED } from './generated/properties';

/**
 * A failing case is reported as found, with its seed and path, not shrunk: each shrinking step is
 * a synth, and the suite must stay fast. `npx projen fuzz` shrinks every defect to its smallest props.
 */
const OPTIONS = { seed: UNIT_SEED, endOnFailure: true };

describe('generated invalid props', () => {
  for (const property of [INVALID_PROPS, REFUSED_TOKEN_PROPS, LONG_APPLICATION_NAMES] as Array<Property<unknown>>) {
    test(property.name, () => {
      fc.assert(asserted(property), { ...OPTIONS, numRuns: property.unitRuns });
    }, 60_000);
  }
});
