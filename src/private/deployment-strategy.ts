import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { DeploymentCheck as CheckOption, ServiceDeploymentOptions } from '../service/options';
import { DeploymentCheck, MAX_REDIRECTS, servingStatusCodes, statusCodesProblem } from './deployment-check/checks';
import { AddressFamilies, checkIngressPeers } from './load-balancer-rules';
import { ProblemList, show } from './validation';

/** How long both revisions run after production traffic moved, unless the user says otherwise. */
export const DEFAULT_BAKE_TIME = Duration.minutes(5);

/** Status codes a user's check passes on unless it names its own. */
export const DEFAULT_EXPECTED_STATUS_CODES = '200-399';

/** Requests, attempts and per-request timeout of the deployment check (the function reads them from its environment). */
export const CHECK_LIMITS = { maxChecks: 10, attempts: 3, timeoutSeconds: 5, retryDelaySeconds: 2 };

/** Ports the deployment's production listeners take, which no test listener may reuse. */
export const PRODUCTION_PORTS = [80, 443, 5001, 8080];

/** Whether a strategy moves traffic between two target groups (blue/green, linear, canary), not rolling. */
export function shiftsTraffic(strategy: ecs.DeploymentStrategy | undefined): boolean {
  return strategy !== undefined && strategy !== ecs.DeploymentStrategy.ROLLING;
}

/** The requests the deployment check sends: the health check path first, then the user's. */
export function deploymentChecks(healthCheck: elbv2.HealthCheck | undefined, testPort: number, checks: CheckOption[] = []): DeploymentCheck[] {
  return [
    // The ALB's own default for an HTTP health check is '/' answering 200. Where the health check
    // takes a redirect, the check follows it within the domain to a page served (2xx).
    {
      path: healthCheck?.path ?? '/',
      expectedStatusCodes: servingStatusCodes(healthCheck?.healthyHttpCodes ?? '200'),
      followRedirects: MAX_REDIRECTS,
    },
    ...checks.map((check) => ({ path: check.path, expectedStatusCodes: check.expectedStatusCodes ?? DEFAULT_EXPECTED_STATUS_CODES })),
  ].map((check) => ({ port: testPort, ...check }));
}

/** What only a traffic-shifting strategy uses, and so is refused beside a rolling one. */
const SHIFT_ONLY: ReadonlyArray<keyof ServiceDeploymentOptions> = ['bakeTime', 'trafficShift', 'testPort', 'testIngress', 'checks'];

/**
 * Checks one service's deployment options (`prop` names them, e.g. `services.pyFido.deployment`).
 * Shared by the deployment's gathered validation and FidoService on its own.
 */
export function checkDeploymentOptions(
  problems: ProblemList, prop: string, deployment: ServiceDeploymentOptions | undefined, families?: AddressFamilies,
): void {
  if (!deployment) {
    return;
  }
  const strategy = deployment.strategy;
  if (Token.isUnresolved(strategy)) {
    problems.refuseToken(`${prop}.strategy`, strategy, 'it decides which target groups, listener rules and functions the template holds');
    return;
  }
  if (!shiftsTraffic(strategy)) {
    for (const key of SHIFT_ONLY.filter((k) => deployment[k] !== undefined)) {
      problems.add(`${prop}.${key}`, `only applies to BLUE_GREEN, LINEAR and CANARY deployments, but strategy is ${strategy ?? 'ROLLING (the default)'}; set strategy to ecs.DeploymentStrategy.BLUE_GREEN or leave ${key} out`);
    }
    return;
  }
  wholeMinutes(problems, `${prop}.bakeTime`, deployment.bakeTime);
  checkTrafficShift(problems, `${prop}.trafficShift`, strategy!, deployment.trafficShift);
  problems.integerInRange(`${prop}.testPort`, deployment.testPort, 1, 65535);
  if (deployment.testPort !== undefined && PRODUCTION_PORTS.includes(deployment.testPort)) {
    problems.add(`${prop}.testPort`, `is a production listener's port (${PRODUCTION_PORTS.join(', ')}); choose a free port such as 9001, got ${deployment.testPort}`);
  }
  checkIngressPeers(problems, `${prop}.testIngress`, deployment.testIngress ?? [], "testers'", families);
  checkChecks(problems, `${prop}.checks`, deployment.checks ?? []);
}

function checkTrafficShift(problems: ProblemList, prop: string, strategy: ecs.DeploymentStrategy, shift: ecs.TrafficShiftConfig | undefined): void {
  if (!shift) {
    return;
  }
  if (strategy === ecs.DeploymentStrategy.BLUE_GREEN) {
    problems.add(prop, 'only applies to LINEAR and CANARY deployments; BLUE_GREEN moves all production traffic at once. Set strategy to LINEAR or CANARY, or leave trafficShift out');
    return;
  }
  const step = shift.stepPercent;
  const low = strategy === ecs.DeploymentStrategy.LINEAR ? 3 : 0.1;
  const tenths = (n: number) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;
  if (step !== undefined && !Token.isUnresolved(step) && (!Number.isFinite(step) || step < low || step > 100 || !tenths(step))) {
    problems.add(`${prop}.stepPercent`, `must be a multiple of 0.1 from ${low} to 100 for a ${strategy} deployment, got ${show(step)}`);
  }
  wholeMinutes(problems, `${prop}.stepBakeTime`, shift.stepBakeTime);
}

function checkChecks(problems: ProblemList, prop: string, checks: CheckOption[]): void {
  if (checks.length > CHECK_LIMITS.maxChecks) {
    problems.add(prop, `must hold at most ${CHECK_LIMITS.maxChecks} requests (each may take ${CHECK_LIMITS.attempts} attempts of ${CHECK_LIMITS.timeoutSeconds} s inside one hook invocation), got ${checks.length}`);
  }
  checks.forEach((check, index) => {
    if (check.path === undefined) {
      problems.addUnlessAbout(`${prop}[${index}].path`, "is required: the path to request, such as '/api/status'");
    } else if (!Token.isUnresolved(check.path) && (!check.path.startsWith('/') || /\s/.test(check.path))) {
      problems.add(`${prop}[${index}].path`, `must be a URL path starting with '/', such as '/api/status', got ${show(check.path)}`);
    }
    const codes = check.expectedStatusCodes;
    const problem = codes === undefined || Token.isUnresolved(codes) ? undefined : statusCodesProblem(codes);
    if (problem) {
      problems.add(`${prop}[${index}].expectedStatusCodes`, problem);
    }
  });
}

/** ECS counts bake times in whole minutes, from 0 to 1440 (a day). */
function wholeMinutes(problems: ProblemList, prop: string, value: Duration | undefined): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const minutes = value.toMilliseconds() / 60000;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
    problems.add(prop, `must be a whole number of minutes from 0 to 1440 (ECS counts it in minutes), got ${value.toHumanString()}`);
  }
}
