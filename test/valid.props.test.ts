/**
 * Generated valid props (every preset, MongoDB option, VPC kind and option, with tokens where the
 * token policy carries them) synthesize and hold the deployment's invariants. A fixed seed and a
 * few cases here; `npx projen fuzz` runs the same properties over thousands of cases.
 */
import * as fc from 'fast-check';
import { asserted, UNIT_SEED, VALID_PROPERTIES } from './generated/properties';

/** Once a case fails, how long fast-check may shrink it here (each step is a synth); `npx projen fuzz` shrinks fully. */
const SHRINK_SECONDS = 2;

describe('generated valid props', () => {
  for (const property of VALID_PROPERTIES) {
    test(property.name, () => {
      fc.assert(asserted(property, SHRINK_SECONDS), { seed: UNIT_SEED, numRuns: property.unitRuns });
    }, 60_000);
  }
});
