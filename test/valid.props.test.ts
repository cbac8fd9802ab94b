/**
 * Generated valid props (every preset, MongoDB option, VPC kind and option, with tokens where the
 * token policy carries them) synthesize and hold the deployment's invariants. A fixed seed and a
 * few cases here; `npx projen fuzz` runs the same properties over thousands of cases.
 */
import * as fc from 'fast-check';
import { asserted, UNIT_SEED, VALID_PROPERTIES } from './generated/properties';

/**
 * A failing case is reported as found, with its seed and path, not shrunk: each shrinking step is
 * a synth, and the suite must stay fast. `npx projen fuzz` shrinks every defect to its smallest props.
 */
const OPTIONS = { seed: UNIT_SEED, endOnFailure: true };

describe('generated valid props', () => {
  for (const property of VALID_PROPERTIES) {
    test(property.name, () => {
      fc.assert(asserted(property), { ...OPTIONS, numRuns: property.unitRuns });
    }, 60_000);
  }
});
