/**
 * `npx projen bench`: measures, in one run on this machine, the rollout time and monthly cost
 * modeled from each preset's template, synth speed against a hand-written L2 baseline, and the
 * developer loop; prints one table and writes it to docs/benchmarks.md.
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addBaseline } from './baseline';
import { median, monthlyCost, rolloutSeconds } from './model';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const ENV = { account: '111111111111', region: 'us-east-1' };
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000';
const SYNTH_RUNS = 15;

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly reference: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

/**
 * Synthesizes one deployment the way the README's example does (the certificate imported at app
 * level, no second stack); returns the template and the wall time.
 */
function synthDeployment(environment: DeploymentEnvironment, context: Record<string, any> = {}): { template: any; seconds: number } {
  const started = process.hrtime.bigint();
  const app = new App({ context });
  const stack = new ArculusFidoStack(app, 'Fido', {
    env: ENV,
    deploymentEnvironment: environment,
    domain: { domainName: 'auth.example.com', certificate: acm.Certificate.fromCertificateArn(app, 'Certificate', CERTIFICATE_ARN) },
    mongoDb: MongoDbConnection.fromEndpoint({ host: 'cluster0.abcde.mongodb.net', username: 'fido' }),
    images: { tag: '1.0.0' },
  });
  const assembly = app.synth({ skipValidation: true, validateOnSynthesis: false });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { template: assembly.getStackByName(stack.stackName).template, seconds };
}

function synthBaseline(context: Record<string, any> = {}): { template: any; seconds: number } {
  const started = process.hrtime.bigint();
  const app = new App({ context });
  const stack = new Stack(app, 'Baseline', { env: ENV });
  addBaseline(stack, CERTIFICATE_ARN);
  const assembly = app.synth({ skipValidation: true, validateOnSynthesis: false });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { template: assembly.getStackByName(stack.stackName).template, seconds };
}

const resourceCount = (template: any) => Object.keys(template.Resources).length;

function timed(command: string, cwd: string): number {
  const started = Date.now();
  execSync(command, { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  return (Date.now() - started) / 1000;
}

function main(): void {
  const rows: Row[] = [];
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
  for (const { environment, template } of presets) {
    const cost = monthlyCost(template);
    rows.push({
      figure: `Monthly cost, ${environment} (modeled, us-east-1)`,
      value: `${cost.toFixed(2)} USD`,
      reference: environment === DeploymentEnvironment.DEV ? `${monthlyCost(onDemand(template)).toFixed(2)} USD on on-demand Fargate` : '-',
      goal: environment === DeploymentEnvironment.DEV ? '<= 75 USD' : '-',
      met: environment === DeploymentEnvironment.DEV ? cost <= 75 : undefined,
    });
  }

  // 3. Synth speed: per synthesized resource, alternated with the baseline, after one warm-up each.
  // Both apps run first with the feature flags `cdk init` writes into a new project's cdk.json,
  // as a user's app does: with them the baseline's VPC also restricts its default security group,
  // so both stage the same custom resource handler. The second run, without any flags, is shown
  // for comparison only.
  rows.push(synthSpeed('new project flags', cxapi.CURRENTLY_RECOMMENDED_FLAGS, true));
  rows.push(synthSpeed('no feature flags', {}, false));

  // 4. Developer loop.
  const root = path.resolve(__dirname, '..');
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
  const doc = fs.readFileSync(path.join(root, 'docs', 'benchmarks.md'), 'utf-8');
  const marker = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/;
  fs.writeFileSync(path.join(root, 'docs', 'benchmarks.md'), doc.replace(marker,
    `<!-- bench:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores, Node.js ${process.version}.\n\n${table}\n<!-- bench:end -->`));
}

/** Time per synthesized resource of the prod deployment against the baseline, in one context. */
function synthSpeed(label: string, context: Record<string, any>, withGoal: boolean): Row {
  synthDeployment(DeploymentEnvironment.PROD, context);
  synthBaseline(context);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < SYNTH_RUNS; run++) {
    const a = synthDeployment(DeploymentEnvironment.PROD, context);
    ours.push(a.seconds * 1000 / resourceCount(a.template));
    const b = synthBaseline(context);
    theirs.push(b.seconds * 1000 / resourceCount(b.template));
  }
  const ratios = ours.map((o, i) => o / theirs[i]);
  const ratio = median(ours) / median(theirs);
  return {
    figure: `Synth time per resource, prod, ${label} (median of ${SYNTH_RUNS})`,
    value: `${median(ours).toFixed(2)} ms (${ratio.toFixed(2)}x; per-run ratios ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
    reference: `${median(theirs).toFixed(2)} ms hand-written L2 baseline`,
    goal: withGoal ? '<= 1.2x' : '-',
    met: withGoal ? ratio <= 1.2 : undefined,
  };
}

/** The same template with every service on on-demand Fargate: what the dev Spot lever saves. */
function onDemand(template: any): any {
  const copy = JSON.parse(JSON.stringify(template));
  for (const resource of Object.values(copy.Resources) as any[]) {
    if (resource.Type === 'AWS::ECS::Service') {
      delete resource.Properties.CapacityProviderStrategy;
    }
  }
  return copy;
}

main();
