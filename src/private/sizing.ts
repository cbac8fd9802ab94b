import { Token } from 'aws-cdk-lib';
import type { ResolvedSizing } from './presets';
import { withDefaults } from './schema';
import type { ServiceSizing } from '../service/options';

/** A number known at synth, as opposed to a token resolved at deploy time. */
function known(value: number | undefined): value is number {
  return value !== undefined && !Token.isUnresolved(value);
}

/**
 * A service's sizing with `base` (an environment's preset, or a lone service's defaults) filling
 * what the user left out. The defaults adapt to what the user gave: a task count inside the user's
 * `minCapacity`..`maxCapacity`, bounds around the user's `desiredCount`. Only two values the user
 * gave can therefore conflict.
 */
export function resolveSizing(base: ResolvedSizing, given: ServiceSizing = {}): ResolvedSizing {
  const { minCapacity: min, maxCapacity: max } = given;
  let desiredCount = given.desiredCount ?? base.desiredCount;
  if (given.desiredCount === undefined) {
    desiredCount = known(min) ? Math.max(desiredCount, min) : desiredCount;
    desiredCount = known(max) ? Math.min(desiredCount, max) : desiredCount;
  }
  const minCapacity = min ?? (known(max) && known(desiredCount) ? Math.min(desiredCount, max) : desiredCount);
  const maxCapacity = max ?? (known(desiredCount) && known(minCapacity) ? Math.max(base.maxCapacity, desiredCount, minCapacity) : desiredCount);
  // Every other value is the one given, or the base's.
  return { ...withDefaults(base, given), desiredCount, minCapacity, maxCapacity };
}

/**
 * Whether the service scales: when its bounds differ, or when either is a token (a bound known
 * only at deploy time needs the scaler in the template to take effect), or on a schedule.
 */
export function autoscales(sizing: ResolvedSizing): boolean {
  const { minCapacity, maxCapacity } = sizing;
  return !known(minCapacity) || !known(maxCapacity) || maxCapacity > minCapacity || (sizing.schedules ?? []).length > 0;
}
