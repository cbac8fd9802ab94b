import { DescribeNetworkInterfacesCommand, DescribeNetworkInterfacesCommandOutput, EC2Client } from '@aws-sdk/client-ec2';
import { DeploymentCheck, deploymentChecksProblem, runChecks } from './deployment-check/checks';

/** What ECS reads from the lifecycle hook: anything but SUCCEEDED rolls the deployment back. */
export interface HookResponse {
  readonly hookStatus: 'SUCCEEDED' | 'FAILED';
}

/** The one EC2 call the function makes; a test gives its own. */
export interface NetworkInterfaceClient {
  send(command: DescribeNetworkInterfacesCommand): Promise<DescribeNetworkInterfacesCommandOutput>;
}

/** What the handler needs from outside; the Lambda entry point gives the real ones. */
export interface HandlerDeps {
  /** The load balancer nodes' private IPs, from the description of their network interfaces. */
  readonly findAddresses: (eniDescription: string) => Promise<string[]>;
  /** 'http' only in tests: the test listeners are HTTPS. @default 'https' */
  readonly protocol?: 'https' | 'http';
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** The pause between two attempts of a check, in milliseconds; shorter only in tests. @default 2000 */
  readonly retryDelayMs?: number;
}

interface Config {
  readonly checks: DeploymentCheck[];
  readonly serverName: string;
  readonly eniDescription: string;
  readonly timeoutMs: number;
  readonly attempts: number;
}

let defaultClient: EC2Client | undefined;

/**
 * The load balancer nodes' private IPs. The load balancer is internet-facing, so its DNS name gives
 * public IPs the function (in the VPC, outside the allowed clients) cannot reach; its network
 * interfaces, found by their 'ELB app/<name>/<id>' description, give the private ones. The client
 * is made at the first call, so loading the module needs no AWS configuration.
 */
export async function findLoadBalancerAddresses(eniDescription: string, client?: NetworkInterfaceClient): Promise<string[]> {
  const ec2: NetworkInterfaceClient = client ?? (defaultClient ??= new EC2Client({}));
  const addresses: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: 'description', Values: [eniDescription] }],
      NextToken: nextToken,
    }));
    for (const eni of page.NetworkInterfaces ?? []) {
      if (eni.Status === 'in-use' && eni.PrivateIpAddress) {
        addresses.push(eni.PrivateIpAddress);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return addresses;
}

/** Reads the function's variables; a string is the reason they are unusable. */
function readConfig(env: NodeJS.ProcessEnv): Config | string {
  const serverName = env.SERVER_NAME;
  const eniDescription = env.LOAD_BALANCER_ENI_DESCRIPTION;
  if (!serverName) {
    return 'SERVER_NAME is not set';
  }
  if (!eniDescription) {
    return 'LOAD_BALANCER_ENI_DESCRIPTION is not set';
  }
  if (!env.DEPLOYMENT_CHECKS) {
    return 'DEPLOYMENT_CHECKS is not set';
  }
  let checks: unknown;
  try {
    checks = JSON.parse(env.DEPLOYMENT_CHECKS);
  } catch (e) {
    return `DEPLOYMENT_CHECKS is not JSON: ${(e as Error).message}`;
  }
  const problem = deploymentChecksProblem(checks);
  if (problem !== undefined) {
    return `DEPLOYMENT_CHECKS${problem.startsWith('[') ? '' : ' '}${problem}`;
  }
  const timeoutSeconds = Number(env.CHECK_TIMEOUT_SECONDS ?? '5');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    return `CHECK_TIMEOUT_SECONDS must be a number of seconds above 0, got '${env.CHECK_TIMEOUT_SECONDS}'`;
  }
  const attempts = Number(env.CHECK_ATTEMPTS ?? '3');
  if (!Number.isInteger(attempts) || attempts < 1) {
    return `CHECK_ATTEMPTS must be a whole number from 1, got '${env.CHECK_ATTEMPTS}'`;
  }
  return { checks: checks as DeploymentCheck[], serverName, eniDescription, timeoutMs: timeoutSeconds * 1000, attempts };
}

/** The fields of the ECS lifecycle hook event worth a line in the log; the rest is not read. */
function eventSummary(event: unknown): Record<string, unknown> {
  if (typeof event !== 'object' || event === null) {
    return {};
  }
  const { lifecycleStage, executionDetails } = event as Record<string, unknown>;
  return { lifecycleStage, executionDetails };
}

/**
 * Builds the lifecycle hook of ECS blue/green deployments (stage POST_TEST_TRAFFIC_SHIFT): it asks
 * the green revision through the load balancer's test listener and answers SUCCEEDED only when
 * every check passes. It never throws: a thrown error would also roll back, but without saying
 * why, so every failure is turned into FAILED with a log line an operator can read.
 */
export function makeHandler(deps: HandlerDeps): (event: unknown) => Promise<HookResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const protocol = deps.protocol ?? 'https';
  const fail = (reason: string): HookResponse => {
    log(JSON.stringify({ message: 'deployment check summary', hookStatus: 'FAILED', reason }));
    return { hookStatus: 'FAILED' };
  };
  return async (event: unknown) => {
    try {
      log(JSON.stringify({ message: 'deployment check started', ...eventSummary(event) }));
      const config = readConfig(deps.env ?? process.env);
      if (typeof config === 'string') {
        return fail(`configuration: ${config}`);
      }
      const addresses = await deps.findAddresses(config.eniDescription);
      if (addresses.length === 0) {
        return fail(`no in-use network interface described '${config.eniDescription}': no load balancer address to check`);
      }
      const target = { addresses, serverName: config.serverName, protocol };
      const { timeoutMs, attempts } = config;
      const results = await runChecks(config.checks, target, { timeoutMs, attempts, retryDelayMs: deps.retryDelayMs });
      for (const result of results) {
        log(JSON.stringify({ message: 'deployment check', serverName: config.serverName, ...result }));
      }
      const failed = results.filter((r) => !r.ok).length;
      const hookStatus = failed === 0 ? 'SUCCEEDED' : 'FAILED';
      log(JSON.stringify({ message: 'deployment check summary', hookStatus, passed: results.length - failed, failed, addresses }));
      return { hookStatus };
    } catch (e) {
      return fail(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  };
}

/** The Lambda entry point. */
export const handler = makeHandler({ findAddresses: (eniDescription) => findLoadBalancerAddresses(eniDescription) });
