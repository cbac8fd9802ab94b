/**
 * The cost levers of a dev deployment that the bench prices one by one and all together
 * (`npx projen bench`, tools/bench/run.ts): each is the props that turn it on, laid over the dev
 * preset, and the props of dev without it.
 *
 * TO ADD A LEVER (the office-hours schedule of issue 22, say): append an entry to `DEV_LEVERS`
 * with the props that turn it on. The bench then prints a row for it (dev with it against dev
 * without it) and folds its props into "dev with all levers" (`allLevers`), whose goal is 45 USD a
 * month. The cost model (model.ts, `monthlyCostOf`) prices what the lever changes in the template,
 * and only that: a lever whose saving the model cannot read from the template (a schedule's hours
 * without tasks, say, which it reads nowhere yet) shows none until the model learns it, with a
 * test in test/bench-model.test.ts.
 */
import { NatType, type ArculusFidoStackProps } from '../../src';

/** The props a lever may set: what a user of the dev preset gives, not the stack's own. */
export type LeverProps = Omit<Partial<ArculusFidoStackProps>, 'env' | 'deploymentEnvironment' | 'domain' | 'mongoDb'>;

export interface CostLever {
  /** What its row calls it. */
  readonly name: string;
  /** The props that turn it on. */
  readonly on: LeverProps;
  /** The props of dev without it, when that is not the preset's default. */
  readonly off?: LeverProps;
  /** What it costs in availability, or why the modeled figure does not show what it saves. */
  readonly note: string;
}

export const DEV_LEVERS: readonly CostLever[] = [
  {
    name: 'NAT instance',
    on: { network: { natType: NatType.INSTANCE } },
    note: 'a t4g.nano is a single point of failure for egress, and is replaced (about a minute without egress) on the first stack update after a new Amazon Linux image',
  },
  {
    name: 'S3 gateway endpoint',
    on: { network: { s3GatewayEndpoint: true } },
    // On by default in a created VPC: the row compares dev without it.
    off: { network: { s3GatewayEndpoint: false } },
    note: 'free; what it saves (NAT processing of image layers and other S3 traffic, 0.045 USD a GB through a NAT gateway) is traffic, which the model leaves out',
  },
  {
    name: 'office hours 08:00-19:00 on weekdays',
    on: { sizing: { officeHours: { start: '08:00', end: '19:00' } } },
    note: 'no sign-in outside the hours; the tasks are back 15 minutes before they start, and Stop holds them at zero through a wake',
  },
  {
    name: 'no dashboard',
    on: { monitoring: { dashboard: false } },
    note: 'the alarms still notify; the Diagnose runbook, the metrics and the logs remain, without the one page that shows them together',
  },
];

/**
 * `levers`' props laid over one another, each nested object merged key by key. Two levers that
 * set one prop to different values are refused: "all levers" would then depend on their order.
 */
export function allLevers(levers: readonly CostLever[] = DEV_LEVERS): LeverProps {
  return levers.reduce<LeverProps>((merged, lever) => merge(merged, lever.on, lever.name), {});
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function merge(into: any, from: any, lever: string, path = ''): any {
  const result = { ...into };
  for (const [key, value] of Object.entries(from)) {
    const at = path ? `${path}.${key}` : key;
    if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = merge(result[key], value, lever, at);
    } else if (key in result && result[key] !== value) {
      throw new Error(`the lever '${lever}' sets ${at} to ${String(value)}, but another lever set it to ${String(result[key])}; levers must not disagree`);
    } else {
      result[key] = value;
    }
  }
  return result;
}
