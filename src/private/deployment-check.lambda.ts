import { DescribeNetworkInterfacesCommand, DescribeNetworkInterfacesCommandOutput, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeRulesCommand, DescribeRulesCommandOutput, DescribeTargetHealthCommand, DescribeTargetHealthCommandOutput, ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeploymentCheck, deploymentChecksProblem, runChecks } from './deployment-check/checks';
import { judgeProduction, ProductionTarget } from './deployment-check/production';

/** What ECS reads from the lifecycle hook: anything but SUCCEEDED rolls the deployment back. */
export interface HookResponse {
  readonly hookStatus: 'SUCCEEDED' | 'FAILED';
}

/** The one EC2 call the function makes; a test gives its own. */
export interface NetworkInterfaceClient {
  send(command: DescribeNetworkInterfacesCommand): Promise<DescribeNetworkInterfacesCommandOutput>;
}

/** Which network interfaces are the load balancer's: its own, in its VPC. */
export interface LoadBalancerInterfaces {
  /** 'ELB app/<name>/<id>', which Elastic Load Balancing writes on each of its nodes' interfaces. */
  readonly description: string;
  /** The load balancer's VPC. */
  readonly vpcId: string;
}

/** The stages before ECS starts the new revision, at which the check reads the production rules. */
export const PRODUCTION_STAGES = ['RECONCILE_SERVICE', 'PRE_SCALE_UP'];

/** What the handler needs from outside; the Lambda entry point gives the real ones. */
export interface HandlerDeps {
  /** The load balancer nodes' private IPs, from their network interfaces. */
  readonly findAddresses: (interfaces: LoadBalancerInterfaces) => Promise<string[]>;
  /** The production rules' target groups, weights and targets. */
  readonly readProduction: (ruleArns: string[]) => Promise<ProductionTarget[]>;
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
  readonly interfaces: LoadBalancerInterfaces;
  readonly timeoutMs: number;
  readonly attempts: number;
}

let defaultClient: EC2Client | undefined;

/**
 * The load balancer nodes' private IPs. The load balancer is internet-facing, so its DNS name gives
 * public IPs the function (in the VPC, outside the allowed clients) cannot reach; its network
 * interfaces give the private ones. They are found by their 'ELB app/<name>/<id>' description and,
 * since anyone who may create an interface may write that description, also as interfaces that
 * Elastic Load Balancing itself requested (requester 'amazon-elb', requester-managed) in the load
 * balancer's VPC: an interface of someone else's never receives the checks. The client is made at
 * the first call, so loading the module needs no AWS configuration.
 */
export async function findLoadBalancerAddresses(interfaces: LoadBalancerInterfaces, client?: NetworkInterfaceClient): Promise<string[]> {
  const ec2: NetworkInterfaceClient = client ?? (defaultClient ??= new EC2Client({}));
  const addresses: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeNetworkInterfacesCommand({
      Filters: [
        { Name: 'description', Values: [interfaces.description] },
        { Name: 'requester-id', Values: ['amazon-elb'] },
        { Name: 'requester-managed', Values: ['true'] },
        { Name: 'vpc-id', Values: [interfaces.vpcId] },
      ],
      NextToken: nextToken,
    }));
    for (const eni of page.NetworkInterfaces ?? []) {
      // The filters again, as a second lock: a stand-in or a changed API never widens them.
      const ours = eni.Description === interfaces.description && eni.RequesterId === 'amazon-elb' && eni.RequesterManaged === true && eni.VpcId === interfaces.vpcId;
      if (ours && eni.Status === 'in-use' && eni.PrivateIpAddress) {
        addresses.push(eni.PrivateIpAddress);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return addresses;
}

/** The two Elastic Load Balancing calls the check makes; a test gives its own. */
export interface LoadBalancingClient {
  send(command: DescribeRulesCommand | DescribeTargetHealthCommand): Promise<DescribeRulesCommandOutput | DescribeTargetHealthCommandOutput>;
}

let defaultElbClient: ElasticLoadBalancingV2Client | undefined;

/**
 * The target groups each production rule forwards to, with their weights and targets. A forward
 * to one target group, without weights, sends it all the traffic (weight 1). The client is made at
 * the first call, so loading the module needs no AWS configuration.
 */
export async function readProductionTargets(ruleArns: string[], client?: LoadBalancingClient): Promise<ProductionTarget[]> {
  const elb: LoadBalancingClient = client ?? (defaultElbClient ??= new ElasticLoadBalancingV2Client({}));
  const { Rules: rules = [] } = await elb.send(new DescribeRulesCommand({ RuleArns: ruleArns })) as DescribeRulesCommandOutput;
  const weighted: Array<{ ruleArn: string; targetGroupArn: string; weight: number }> = [];
  for (const rule of rules) {
    for (const action of (rule.Actions ?? []).filter((a) => a.Type === 'forward')) {
      const single = action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : [];
      const groups = action.ForwardConfig?.TargetGroups ?? single;
      for (const group of groups) {
        if (group.TargetGroupArn) {
          weighted.push({ ruleArn: rule.RuleArn ?? '', targetGroupArn: group.TargetGroupArn, weight: group.Weight ?? 1 });
        }
      }
    }
  }
  const counts = new Map<string, Promise<{ registered: number; healthy: number }>>();
  const countOf = async (targetGroupArn: string) => {
    const command = new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn });
    const { TargetHealthDescriptions: targets = [] } = await elb.send(command) as DescribeTargetHealthCommandOutput;
    const states = targets.map((t) => t.TargetHealth?.State ?? 'unavailable');
    return { registered: states.filter((s) => !s.includes('draining')).length, healthy: states.filter((s) => s === 'healthy').length };
  };
  for (const { targetGroupArn } of weighted) {
    if (!counts.has(targetGroupArn)) {
      counts.set(targetGroupArn, countOf(targetGroupArn));
    }
  }
  return Promise.all(weighted.map(async (w) => ({ ...w, ...await counts.get(w.targetGroupArn)! })));
}

/** Reads the production rules' ARNs (PRODUCTION_RULE_ARNS, a JSON array); a string is the reason they are unusable. */
function readRuleArns(env: NodeJS.ProcessEnv): string[] | string {
  let arns: unknown;
  try {
    arns = JSON.parse(env.PRODUCTION_RULE_ARNS ?? '');
  } catch (e) {
    return `PRODUCTION_RULE_ARNS is not JSON: ${(e as Error).message}`;
  }
  if (!Array.isArray(arns) || arns.length === 0 || !arns.every((a) => typeof a === 'string' && a.startsWith('arn:'))) {
    return `PRODUCTION_RULE_ARNS must be a non-empty array of listener rule ARNs, got ${JSON.stringify(arns)}`;
  }
  return arns as string[];
}

/** Reads the function's variables; a string is the reason they are unusable. */
function readConfig(env: NodeJS.ProcessEnv): Config | string {
  const serverName = env.SERVER_NAME;
  const eniDescription = env.LOAD_BALANCER_ENI_DESCRIPTION;
  const vpcId = env.LOAD_BALANCER_VPC_ID;
  if (!serverName) {
    return 'SERVER_NAME is not set';
  }
  if (!eniDescription) {
    return 'LOAD_BALANCER_ENI_DESCRIPTION is not set';
  }
  if (!vpcId) {
    return 'LOAD_BALANCER_VPC_ID is not set';
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
  const interfaces = { description: eniDescription, vpcId };
  return { checks: checks as DeploymentCheck[], serverName, interfaces, timeoutMs: timeoutSeconds * 1000, attempts };
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
 * Builds the lifecycle hook of ECS blue/green, linear and canary deployments. ECS invokes it at
 * three stages (the event's lifecycleStage):
 *
 * - RECONCILE_SERVICE and PRE_SCALE_UP, before any task of the new revision starts: it reads the
 *   production listener rules (PRODUCTION_RULE_ARNS) and answers FAILED when one sends users to an
 *   empty target group, or to one without a healthy target while the other has healthy ones (see
 *   judgeProduction). ECS itself does not look at the live weights before it shifts.
 * - any other stage (ECS invokes it at POST_TEST_TRAFFIC_SHIFT): it asks the new revision through
 *   the load balancer's test listener and answers SUCCEEDED only when every check passes.
 *
 * It never throws: a thrown error would also roll back, but without saying why, so every failure
 * is turned into FAILED with a log line an operator can read.
 */
export function makeHandler(deps: HandlerDeps): (event: unknown) => Promise<HookResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const protocol = deps.protocol ?? 'https';
  const fail = (reason: string): HookResponse => {
    log(JSON.stringify({ message: 'deployment check summary', hookStatus: 'FAILED', reason }));
    return { hookStatus: 'FAILED' };
  };
  const checkProduction = async (env: NodeJS.ProcessEnv): Promise<HookResponse> => {
    const ruleArns = readRuleArns(env);
    if (typeof ruleArns === 'string') {
      return fail(`configuration: ${ruleArns}`);
    }
    const targets = await deps.readProduction(ruleArns);
    for (const target of targets) {
      log(JSON.stringify({ message: 'production target group', ...target }));
    }
    const verdict = judgeProduction(ruleArns, targets);
    if (!verdict.ok) {
      return fail(verdict.reason);
    }
    log(JSON.stringify({ message: 'deployment check summary', hookStatus: 'SUCCEEDED', reason: verdict.reason }));
    return { hookStatus: 'SUCCEEDED' };
  };
  const checkTestListener = async (env: NodeJS.ProcessEnv): Promise<HookResponse> => {
    const config = readConfig(env);
    if (typeof config === 'string') {
      return fail(`configuration: ${config}`);
    }
    const addresses = await deps.findAddresses(config.interfaces);
    if (addresses.length === 0) {
      return fail(`no in-use network interface of Elastic Load Balancing described '${config.interfaces.description}' in ${config.interfaces.vpcId}: no load balancer address to check`);
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
  };
  return async (event: unknown) => {
    try {
      const summary = eventSummary(event);
      log(JSON.stringify({ message: 'deployment check started', ...summary }));
      const env = deps.env ?? process.env;
      return PRODUCTION_STAGES.includes(summary.lifecycleStage as string) ? await checkProduction(env) : await checkTestListener(env);
    } catch (e) {
      return fail(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  };
}

/** The Lambda entry point. */
export const handler = makeHandler({
  findAddresses: (interfaces) => findLoadBalancerAddresses(interfaces),
  readProduction: (ruleArns) => readProductionTargets(ruleArns),
});
