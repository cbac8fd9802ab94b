/**
 * `npx projen bench`: measures, in one run on this machine, the rollout time and monthly cost
 * modeled from each preset's template, synth speed against a hand-written L2 baseline, and the
 * developer loop; prints one table and writes it to docs/benchmarks.md.
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Annotations, App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addBaseline } from './baseline';
import { devLeverRows, presetCostRows } from './costs';
import { replaceFigures } from './doc';
import { failoverRows, WARM_STANDBY_RTO_GOAL_SECONDS } from './failover';
import type { LeverProps } from './levers';
import { BenchRow, blueGreenRows, compareTopology, median, resourceTypeCounts, rolloutSeconds, scaleOutRows } from './model';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection, ServicesOptions } from '../../src';
import { addReviewedPair, PAIR_SECONDARY_REGION } from '../../test/util';

const ENV = { account: '111111111111', region: 'us-east-1' };
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
/** Synths of each app run and thrown away before timing, so both are timed with a warm JIT. */
const WARM_UP_RUNS = 3;
/** Timed pairs of one deployment synth and one baseline synth, in one context. */
const SYNTH_PAIRS = 15;
/** The goal: synth time per resource at most this many times the baseline's. */
const SYNTH_GOAL = 1.2;
/** Resources the baseline may differ from the deployment by. */
const MAX_DRIFT = 3;

/** One synthesized stack. */
interface Synth {
  readonly template: any;
  /** Wall time of the app's construction and synthesis. */
  readonly seconds: number;
  /** The stack's warnings and errors, as `path: message`. */
  readonly warnings: string[];
}

function synthesized(stack: cxapi.CloudFormationStackArtifact, seconds: number): Synth {
  const warnings = stack.messages.filter((m) => m.level !== 'info').map((m) => `${m.id}: ${m.entry.data}`);
  return { template: stack.template, seconds, warnings };
}

/**
 * Synthesizes one deployment the way the README's example does (the certificate imported at app
 * level, no second stack), with `props` laid over it; returns the template and the wall time.
 */
function synthDeployment(
  environment: DeploymentEnvironment, context: Record<string, any> = {}, props: LeverProps & { mongoDb?: MongoDbConnection } = {},
): Synth {
  const started = process.hrtime.bigint();
  const app = new App({ context });
  const stack = new ArculusFidoStack(app, 'Fido', {
    env: ENV,
    deploymentEnvironment: environment,
    domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(app, 'Certificate', CERTIFICATE_ARN) },
    mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
    images: { tag: '1.0.0' },
    ...props,
  });
  // The Atlas password rotates at the provider here, as in the baseline: said as a user says it.
  Annotations.of(stack).acknowledgeWarning('arculus-fido:mongodb-password-not-rotated', 'Rotated at the provider, as in the baseline');
  const assembly = app.synth({ skipValidation: true, validateOnSynthesis: false });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return synthesized(assembly.getStackByName(stack.stackName), seconds);
}

/**
 * Synthesizes the prod deployment as a pair, us-east-1 and us-west-2, the secondary standing by
 * at `standbyTasks`; returns the templates of both regions and of the secondary's key stack.
 */
function synthPair(standbyTasks: number, documentDb = false): { primary: any; secondary: any; keys?: any } {
  const app = new App();
  const pair = addReviewedPair(app, {
    secondary: {
      env: { ...ENV, region: PAIR_SECONDARY_REGION },
      // On DocumentDB the pair makes the secondary's cluster, joined to the primary's global cluster.
      mongoDb: documentDb ? undefined : MongoDbConnection.fromEndpoint({ host: 'west.abcde.mongodb.net', username: 'fido' }),
      standbyTasks,
    },
  }, documentDb ? { mongoDb: MongoDbConnection.documentDb() } : {});
  const assembly = app.synth({ skipValidation: true, validateOnSynthesis: false });
  const template = (stack: Stack) => assembly.getStackArtifact(stack.artifactId).template;
  return { primary: template(pair.primary), secondary: template(pair.secondary), keys: pair.secondaryKey && template(Stack.of(pair.secondaryKey)) };
}

function synthBaseline(context: Record<string, any> = {}): Synth {
  const started = process.hrtime.bigint();
  const app = new App({ context });
  const stack = new Stack(app, 'Baseline', { env: ENV });
  addBaseline(stack, CERTIFICATE_ARN);
  const assembly = app.synth({ skipValidation: true, validateOnSynthesis: false });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return synthesized(assembly.getStackByName(stack.stackName), seconds);
}

const resourceCount = (template: any) => Object.keys(template.Resources).length;

function timed(command: string, cwd: string): number {
  const started = Date.now();
  execSync(command, { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  return (Date.now() - started) / 1000;
}

function main(): void {
  const rows: BenchRow[] = [];
  const baseline = synthBaseline().template;
  const referenceRollout = rolloutSeconds(baseline);

  // 1. Rollout and 2. cost, modeled from each preset's template (synthesized once, read by both).
  const presets = [DeploymentEnvironment.DEV, DeploymentEnvironment.STAGING, DeploymentEnvironment.PROD]
    .map((environment) => ({ environment, template: synthDeployment(environment).template }));
  for (const { environment, template } of presets) {
    const rollout = rolloutSeconds(template);
    rows.push({
      figure: `Rollout, ${environment} (modeled)`,
      value: `${rollout} s`,
      reference: `${referenceRollout} s (CDK defaults, guide health checks)`,
      goal: environment === DeploymentEnvironment.PROD ? '<= 150 s' : '-',
      met: environment === DeploymentEnvironment.PROD ? rollout <= 150 : undefined,
    });
  }
  // The README's recommendation for prod: both services blue/green, with their checks.
  const blueGreen: ServicesOptions = {
    pyFido: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } },
    tomcat: { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN } },
  };
  rows.push(...blueGreenRows(synthDeployment(DeploymentEnvironment.PROD, {}, { services: blueGreen }).template, 'prod, blue/green'));
  // How fast each preset's services scale out after a login storm, by signal (docs/capacity.md).
  for (const { environment, template } of presets) {
    rows.push(...scaleOutRows(template, environment));
  }
  rows.push(...presetCostRows(presets));
  // Two regions (docs/failover.md): the time sign-in is down when the primary fails, and the cost.
  rows.push(...failoverRows('warm standby, 1 task per service', synthPair(1), presets[2].template, WARM_STANDBY_RTO_GOAL_SECONDS));
  rows.push(...failoverRows('pilot light', synthPair(0), presets[2].template));
  // On DocumentDB: the global cluster's promotion in the recovery time, its lag as the RPO, and a
  // second cluster in the cost, against prod on DocumentDB in one region.
  rows.push(...failoverRows('warm standby on DocumentDB', synthPair(1, true),
    synthDeployment(DeploymentEnvironment.PROD, {}, { mongoDb: MongoDbConnection.documentDb() }).template, WARM_STANDBY_RTO_GOAL_SECONDS));
  // Dev with each cost lever of tools/bench/levers.ts, and with all of them.
  rows.push(...devLeverRows(presets[0].template, (props) => synthDeployment(DeploymentEnvironment.DEV, {}, props).template));

  // 3. Synth speed, per synthesized resource, against the baseline: judged under the feature
  // flags `cdk init` writes into a new project's cdk.json, as a user's app runs, and under none.
  // The baseline empties its VPC's default security group explicitly, so under both both apps
  // stage the same custom resource handler.
  rows.push(synthSpeed('new project flags', cxapi.CURRENTLY_RECOMMENDED_FLAGS));
  rows.push(synthSpeed('no feature flags', {}));

  // 4. Developer loop.
  const root = path.resolve(__dirname, '..', '..');
  const suite = timed('npx jest --ci --coverage=false', root);
  rows.push({ figure: `Unit suite wall time (${os.cpus().length} cores)`, value: `${suite.toFixed(1)} s`, reference: '-', goal: '< 30 s', met: suite < 30 });
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'arculus-bench-'));
  try {
    execSync(`git clone --quiet "${root}" "${clone}"`, { stdio: 'ignore' });
    const install = timed('npm ci --no-audit --no-fund', clone);
    const build = timed('npx projen compile', clone);
    rows.push({ figure: 'Clean clone: npm ci + jsii build', value: `${(install + build).toFixed(0)} s (${install.toFixed(0)} + ${build.toFixed(0)})`, reference: '-', goal: '-', met: undefined });
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }

  const table = [
    '| figure | value | reference | goal | met |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.reference} | ${r.goal} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`),
  ].join('\n');
  console.log(table);
  const docPath = path.join(root, 'docs', 'benchmarks.md');
  const figures = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node.js ${process.version}.\n\n${table}`;
  fs.writeFileSync(docPath, replaceFigures(fs.readFileSync(docPath, 'utf-8'), figures));
}

/**
 * Synth time per resource of the prod deployment against the baseline, in one context: after
 * warm-up synths of both, SYNTH_PAIRS pairs of one synth each, alternating which goes first; each
 * pair gives the ratio of the two times per resource, and the row reports the median ratio and
 * the range. Noise from other processes lands in one pair, not in a median of its own.
 */
function synthSpeed(label: string, context: Record<string, any>): BenchRow {
  let ours = synthDeployment(DeploymentEnvironment.PROD, context);
  let theirs = synthBaseline(context);
  for (let run = 1; run < WARM_UP_RUNS; run++) {
    ours = synthDeployment(DeploymentEnvironment.PROD, context);
    theirs = synthBaseline(context);
  }
  const [oursCount, theirsCount] = [resourceCount(ours.template), resourceCount(theirs.template)];
  checkLikeForLike(label, ours, theirs);

  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  const ratios: number[] = [];
  for (let pair = 0; pair < SYNTH_PAIRS; pair++) {
    if (pair % 2 === 0) {
      ours = synthDeployment(DeploymentEnvironment.PROD, context);
      theirs = synthBaseline(context);
    } else {
      theirs = synthBaseline(context);
      ours = synthDeployment(DeploymentEnvironment.PROD, context);
    }
    oursMs.push(ours.seconds * 1000 / oursCount);
    theirsMs.push(theirs.seconds * 1000 / theirsCount);
    ratios.push(oursMs[pair] / theirsMs[pair]);
  }
  const ratio = median(ratios);
  return {
    figure: `Synth time per resource, prod, ${label} (median of ${SYNTH_PAIRS} pair ratios)`,
    value: `${ratio.toFixed(2)}x (pairs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); ${median(oursMs).toFixed(2)} ms, ${oursCount} resources`,
    reference: `${median(theirsMs).toFixed(2)} ms, ${theirsCount} resources: hand-written L2 baseline`,
    goal: `<= ${SYNTH_GOAL}x`,
    met: ratio <= SYNTH_GOAL,
  };
}

/**
 * Refuses to time the two apps unless they do the same work: neither synthesizes with warnings,
 * and the baseline still builds the deployment's topology.
 */
function checkLikeForLike(label: string, ours: Synth, theirs: Synth): void {
  // Under cdk init's flags a synth prints its warnings as a validation report (and hashes the
  // cloud assembly for it): work one app would be timed for and the other not.
  for (const [app, synth] of [['deployment', ours], ['baseline', theirs]] as const) {
    if (synth.warnings.length > 0) {
      throw new Error(`The ${app} synthesizes with warnings (${label}), which a validation report would print inside the timed synth: ${synth.warnings.join('; ')}`);
    }
  }
  checkTopology(label, ours.template, theirs.template);
}

/**
 * Prints the resource types of both templates side by side, and throws when the baseline is more
 * than MAX_DRIFT resources apart from the deployment, naming the types.
 */
function checkTopology(label: string, deployment: any, baseline: any): void {
  const ours = resourceTypeCounts(deployment);
  const theirs = resourceTypeCounts(baseline);
  const { differences, drift } = compareTopology(deployment, baseline);
  const note = (type: string) => {
    const difference = differences.find((d) => d.type === type);
    return difference ? `DRIFT ${difference.drift}` : '';
  };
  const types = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  const width = Math.max(...types.map((t) => t.length));
  console.log(`Resource types, ${label}: deployment ${resourceCount(deployment)}, baseline ${resourceCount(baseline)}`);
  console.log(`  ${'type'.padEnd(width)}  deployment  baseline`);
  for (const type of types) {
    console.log(`  ${type.padEnd(width)}  ${String(ours[type] ?? 0).padStart(10)}  ${String(theirs[type] ?? 0).padStart(8)}  ${note(type)}`.trimEnd());
  }
  if (drift > MAX_DRIFT) {
    const which = differences.filter((d) => d.drift > 0).map((d) => `${d.type} (deployment ${d.deployment}, baseline ${d.baseline})`);
    throw new Error(`tools/bench/baseline.ts no longer builds the deployment's topology (${label}): ${drift} resources apart, more than ${MAX_DRIFT}: ${which.join(', ')}. Build the same resources in the baseline before timing the two.`);
  }
}

main();
