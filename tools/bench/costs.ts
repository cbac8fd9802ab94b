/**
 * The bench's cost rows: each preset's monthly cost, and dev's with each lever of
 * tools/bench/levers.ts and with all of them, each modeled from a synthesized template.
 */
import { allLevers, CostLever, DEV_LEVERS, LeverProps } from './levers';
import { BenchRow, monthlyCost } from './model';
import { DeploymentEnvironment } from '../../src';

/** What dev may cost a month, with the preset's defaults and with every lever. */
export const DEV_GOAL_USD = 75;
export const DEV_WITH_LEVERS_GOAL_USD = 45;

const usd = (value: number) => `${value.toFixed(2)} USD`;

/** The same template with every service on on-demand Fargate: what the dev Spot lever saves. */
export function onDemand(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  for (const resource of Object.values(copy.Resources) as any[]) {
    if (resource.Type === 'AWS::ECS::Service') {
      delete resource.Properties.CapacityProviderStrategy;
    }
  }
  return copy;
}

/** The monthly cost of each preset, dev against its goal and against on-demand Fargate. */
export function presetCostRows(presets: ReadonlyArray<{ environment: DeploymentEnvironment; template: any }>): BenchRow[] {
  return presets.map(({ environment, template }) => {
    const cost = monthlyCost(template);
    const dev = environment === DeploymentEnvironment.DEV;
    return {
      figure: `Monthly cost, ${environment} (modeled, us-east-1)`,
      value: usd(cost),
      reference: dev ? `${usd(monthlyCost(onDemand(template)))} on on-demand Fargate` : '-',
      goal: dev ? `<= ${DEV_GOAL_USD} USD` : '-',
      met: dev ? cost <= DEV_GOAL_USD : undefined,
    };
  });
}

/**
 * Dev's monthly cost with each lever against dev without it, then with all of them against the
 * preset's defaults: `synthDev` synthesizes the dev preset with the props given, and `dev` is the
 * preset's own template.
 */
export function devLeverRows(dev: any, synthDev: (props: LeverProps) => any, levers: readonly CostLever[] = DEV_LEVERS): BenchRow[] {
  const cost = (props: LeverProps) => monthlyCost(synthDev(props));
  const rows: BenchRow[] = levers.map((lever) => {
    const withIt = cost(lever.on);
    const without = lever.off ? cost(lever.off) : monthlyCost(dev);
    return {
      figure: `Monthly cost, dev, ${lever.name} (modeled)`,
      value: usd(withIt),
      reference: `${usd(without)} without it, ${usd(without - withIt)} less: ${lever.note}`,
      goal: '-',
      met: undefined,
    };
  });
  const all = cost(allLevers(levers));
  rows.push({
    figure: `Monthly cost, dev with all levers (modeled: ${levers.map((l) => l.name).join(', ')})`,
    value: usd(all),
    reference: `${usd(monthlyCost(dev))} with the preset's defaults`,
    goal: `<= ${DEV_WITH_LEVERS_GOAL_USD} USD`,
    met: all <= DEV_WITH_LEVERS_GOAL_USD,
  });
  return rows;
}
