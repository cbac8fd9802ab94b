import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ArculusFidoDeploymentProps } from '../arculus-fido-deployment';
import type { FidoServiceOptions, ServiceSizing } from '../fido-service';
import { checkFargateSize } from './fargate';
import { desyncModeProblem } from './load-balancer-rules';
import { derivedNames } from './names';
import { isDeploymentEnvironment, PRESETS, ResolvedSizing } from './presets';
import { ProblemList, show } from './validation';

const APPLICATION_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HTTP_CODES = /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/;

/** Names of the secrets the deployment itself injects; a plain variable of the same name would clash. */
export const DEPLOYMENT_SECRET_NAMES = ['MONGODB_HOST', 'MONGODB_PORT', 'MONGODB_USERNAME', 'MONGODB_PASSWORD', 'JWT_SECRET'];

/** A service's sizing with the preset filling what the user left out. */
export function resolveSizing(preset: ResolvedSizing, given: ServiceSizing = {}): ResolvedSizing {
  const desiredCount = given.desiredCount ?? preset.desiredCount;
  return {
    cpu: given.cpu ?? preset.cpu,
    memoryLimitMiB: given.memoryLimitMiB ?? preset.memoryLimitMiB,
    desiredCount,
    minCapacity: given.minCapacity ?? desiredCount,
    maxCapacity: given.maxCapacity ?? Math.max(preset.maxCapacity, desiredCount),
    targetCpuUtilizationPercent: given.targetCpuUtilizationPercent ?? preset.targetCpuUtilizationPercent,
    spot: given.spot ?? preset.spot,
    cpuArchitecture: given.cpuArchitecture,
  };
}

function checkApplicationName(problems: ProblemList, applicationName: string, environment: unknown): void {
  if (Token.isUnresolved(applicationName)) {
    return;
  }
  if (typeof applicationName !== 'string' || !APPLICATION_NAME.test(applicationName)) {
    problems.add('applicationName', `must be lowercase letters, digits and single hyphens, starting with a letter (e.g. 'arculus-auth'), got ${show(applicationName)}`);
    return;
  }
  if (!isDeploymentEnvironment(environment)) {
    return;
  }
  for (const derived of derivedNames(applicationName, environment)) {
    if (derived.name.length > derived.maxLength) {
      const longest = applicationName.length - (derived.name.length - derived.maxLength);
      problems.add('applicationName', `makes the ${derived.what} '${derived.name}' ${derived.name.length} characters long, over the limit of ${derived.maxLength}; use at most ${longest} characters`);
      return;
    }
  }
}

function checkDomain(problems: ProblemList, props: ArculusFidoDeploymentProps): void {
  const domain = props.domain;
  if (!domain) {
    problems.add('domain', 'is required: give { domainName, certificate } or { domainName, hostedZone }');
    return;
  }
  const name = domain.domainName;
  if (!Token.isUnresolved(name)) {
    const labels = typeof name === 'string' ? name.split('.') : [];
    if (typeof name !== 'string' || name.length > 253 || labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) {
      problems.add('domain.domainName', `must be a fully qualified domain name such as 'auth.example.com' (letters, digits and hyphens in dot-separated labels, no scheme or path), got ${show(name)}`);
    } else if (domain.hostedZone && !Token.isUnresolved(domain.hostedZone.zoneName)) {
      const zone = domain.hostedZone.zoneName.replace(/\.$/, '').toLowerCase();
      const fqdn = name.toLowerCase();
      if (fqdn !== zone && !fqdn.endsWith(`.${zone}`)) {
        problems.add('domain.hostedZone', `is the zone '${zone}', which cannot hold records for '${name}'; give the zone of the domain or leave hostedZone out`);
      }
    }
  }
  if (!domain.certificate && !domain.hostedZone) {
    problems.add('domain.certificate', 'is required when no hostedZone is given: import the ACM certificate of the domain, or give hostedZone to have a DNS-validated certificate created');
  }
}

function checkSizing(problems: ProblemList, prop: string, sizing: ResolvedSizing): void {
  checkFargateSize(problems, prop, sizing.cpu, sizing.memoryLimitMiB);
  const counts = ['desiredCount', 'minCapacity', 'maxCapacity'] as const;
  const countsAreWhole = counts.every((key) => {
    const value = sizing[key];
    if (Token.isUnresolved(value)) {
      return false;
    }
    if (!Number.isInteger(value) || value < 1) {
      problems.add(`${prop}.${key}`, `must be a whole number of tasks, at least 1, got ${show(value)}`);
      return false;
    }
    return true;
  });
  if (countsAreWhole) {
    if (sizing.minCapacity > sizing.desiredCount) {
      problems.add(`${prop}.minCapacity`, `must not exceed desiredCount (${sizing.desiredCount}), got ${sizing.minCapacity}; raise desiredCount or lower minCapacity`);
    }
    if (sizing.desiredCount > sizing.maxCapacity) {
      problems.add(`${prop}.maxCapacity`, `must be at least desiredCount (${sizing.desiredCount}), got ${sizing.maxCapacity}; raise maxCapacity or lower desiredCount`);
    }
  }
  problems.integerInRange(`${prop}.targetCpuUtilizationPercent`, sizing.targetCpuUtilizationPercent, 10, 90);
}

function checkServiceOptions(problems: ProblemList, prop: string, options: FidoServiceOptions = {}): void {
  const healthCheck = options.healthCheck ?? {};
  const path = healthCheck.path;
  if (path !== undefined && !Token.isUnresolved(path) && (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path))) {
    problems.add(`${prop}.healthCheck.path`, `must be a URL path starting with '/', such as '/health', got ${show(path)}`);
  }
  problems.secondsInRange(`${prop}.healthCheck.interval`, healthCheck.interval, 5, 300);
  problems.secondsInRange(`${prop}.healthCheck.timeout`, healthCheck.timeout, 2, 120);
  const interval = healthCheck.interval;
  const timeout = healthCheck.timeout;
  if (timeout && !timeout.isUnresolved()) {
    const intervalSeconds = interval && !interval.isUnresolved() ? interval.toSeconds() : 30;
    if (timeout.toSeconds() >= intervalSeconds) {
      problems.add(`${prop}.healthCheck.timeout`, `must be shorter than the health check interval (${intervalSeconds} seconds), got ${timeout.toHumanString()}`);
    }
  }
  problems.integerInRange(`${prop}.healthCheck.healthyThresholdCount`, healthCheck.healthyThresholdCount, 2, 10);
  problems.integerInRange(`${prop}.healthCheck.unhealthyThresholdCount`, healthCheck.unhealthyThresholdCount, 2, 10);
  const codes = healthCheck.healthyHttpCodes;
  if (codes !== undefined && !Token.isUnresolved(codes) && !HTTP_CODES.test(codes)) {
    problems.add(`${prop}.healthCheck.healthyHttpCodes`, `must be HTTP codes from 200 to 499, as '200', '200,302' or '200-399', got ${show(codes)}`);
  }
  if (healthCheck.protocol !== undefined && healthCheck.protocol !== elbv2.Protocol.HTTP && healthCheck.protocol !== elbv2.Protocol.HTTPS) {
    problems.add(`${prop}.healthCheck.protocol`, `must be HTTP or HTTPS for an Application Load Balancer, got ${show(healthCheck.protocol)}`);
  }
  problems.secondsInRange(`${prop}.deregistrationDelay`, options.deregistrationDelay, 0, 3600);
  (options.writablePaths ?? []).forEach((writablePath, index) => {
    if (!Token.isUnresolved(writablePath) && (typeof writablePath !== 'string' || !/^\/[^\s]+$/.test(writablePath) || writablePath.split('/').includes('..'))) {
      problems.add(`${prop}.writablePaths[${index}]`, `must be an absolute directory in the container such as '/tmp' (not '/' itself), got ${show(writablePath)}`);
    }
  });
  if (options.writablePaths && !options.readonlyRootFilesystem) {
    problems.add(`${prop}.writablePaths`, 'only applies with readonlyRootFilesystem: true (without it every path is writable); turn readonlyRootFilesystem on or leave writablePaths out');
  }
  problems.secondsInRange(`${prop}.healthCheckGracePeriod`, options.healthCheckGracePeriod, 0, 2147483647);
  problems.secondsInRange(`${prop}.stopTimeout`, options.stopTimeout, 2, 120);

  const environmentNames = Object.keys(options.environment ?? {});
  const secretNames = new Set([...DEPLOYMENT_SECRET_NAMES, ...Object.keys(options.secrets ?? {})]);
  for (const name of environmentNames.filter((n) => secretNames.has(n))) {
    problems.add(`${prop}.environment.${name}`, 'is also set as a secret; a container variable is either plain or secret: remove it from environment');
  }
}

function checkNetwork(problems: ProblemList, props: ArculusFidoDeploymentProps): void {
  const network = props.network ?? {};
  if (network.allowedIngress !== undefined && network.allowedIngress.length === 0) {
    problems.add('network.allowedIngress', 'is empty, so no client could reach the load balancer; leave it out to admit 0.0.0.0/0, or name the clients');
  }
  (network.allowedIngress ?? []).forEach((peer, index) => {
    const prop = `network.allowedIngress[${index}]`;
    if (!peer || typeof (peer as ec2.IPeer).toIngressRuleConfig !== 'function') {
      problems.add(prop, `must be an ec2.IPeer such as ec2.Peer.ipv4('203.0.113.0/24'), ec2.Peer.prefixList(...) or a security group, got ${show(peer)}`);
    } else if (peer.canInlineRule && (peer.toIngressRuleConfig() as { cidrIpv6?: string }).cidrIpv6 !== undefined) {
      problems.add(prop, `is the IPv6 range ${peer.uniqueId}, but the load balancer is IPv4-only and would never see it; give the clients' IPv4 ranges`);
    }
  });
  if (!network.vpc) {
    problems.integerInRange('network.natGateways', network.natGateways, 1, 2);
  }
}

function checkLoggingAndEdge(problems: ProblemList, props: ArculusFidoDeploymentProps, regionAgnostic: boolean): void {
  const retention = props.logging?.retention;
  if (retention !== undefined && !Token.isUnresolved(retention) && !Object.values(logs.RetentionDays).includes(retention)) {
    problems.add('logging.retention', `must be a period CloudWatch Logs accepts (a logs.RetentionDays value such as RetentionDays.ONE_MONTH, i.e. 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days), got ${show(retention)}`);
  }
  const loadBalancer = props.loadBalancer ?? {};
  if ((loadBalancer.accessLogs ?? true) && !loadBalancer.accessLogsBucket && regionAgnostic) {
    problems.add('loadBalancer.accessLogs', "is on, but the stack is region-agnostic and ALB access logging needs a concrete region (the bucket policy names the region's log delivery); set env: { account, region } on the stack, or loadBalancer.accessLogs: false");
  }
  const prefix = loadBalancer.accessLogsPrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix) && (typeof prefix !== 'string' || prefix.startsWith('/') || prefix.endsWith('/') || /AWSLogs/i.test(prefix) || /\s/.test(prefix))) {
    problems.add('loadBalancer.accessLogsPrefix', `must be an S3 key prefix without leading or trailing '/', spaces or 'AWSLogs' (ALB adds that itself), such as 'alb', got ${show(prefix)}`);
  }
  problems.integerInRange('waf.rateLimit', props.waf?.rateLimit, 10, 2000000000);
}

/**
 * Every problem with a deployment's props, each naming the prop, the value and the fix.
 *
 * @param regionAgnostic whether the deployment's stack has no concrete region
 */
export function deploymentProblems(props: ArculusFidoDeploymentProps, applicationName: string, regionAgnostic: boolean): ProblemList {
  const problems = new ProblemList();
  const environment: unknown = props.deploymentEnvironment;
  if (!isDeploymentEnvironment(environment)) {
    problems.add('deploymentEnvironment', `must be one of 'dev', 'staging' or 'prod' (DeploymentEnvironment.DEV, .STAGING, .PROD), got ${show(environment)}`);
  }
  checkApplicationName(problems, applicationName, environment);
  checkDomain(problems, props);

  if (!props.mongoDb) {
    problems.add('mongoDb', 'is required: choose MongoDbConnection.fromEndpoint(), .fromSecret() or .documentDb()');
  } else {
    problems.addAll(props.mongoDb._problems());
  }

  const tag = props.images?.tag;
  if (tag !== undefined && !Token.isUnresolved(tag) && !IMAGE_TAG.test(tag)) {
    problems.add('images.tag', `must be a Docker tag (letters, digits, '_', '.', '-'; up to 128, not starting with '.' or '-'), got ${show(tag)}`);
  }

  const desyncProblem = desyncModeProblem(props.loadBalancer?.desyncMitigationMode);
  if (desyncProblem) {
    problems.add('loadBalancer.desyncMitigationMode', desyncProblem);
  }

  checkNetwork(problems, props);
  checkLoggingAndEdge(problems, props, regionAgnostic);

  if (isDeploymentEnvironment(environment)) {
    const preset = PRESETS[environment];
    checkSizing(problems, 'sizing.pyFido', resolveSizing(preset.pyFido, props.sizing?.pyFido));
    checkSizing(problems, 'sizing.tomcat', resolveSizing(preset.tomcat, props.sizing?.tomcat));
  }
  checkServiceOptions(problems, 'services.pyFido', props.services?.pyFido);
  checkServiceOptions(problems, 'services.tomcat', props.services?.tomcat);
  return problems;
}

