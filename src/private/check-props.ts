import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { checkDeploymentOptions } from './deployment-strategy';
import { checkFargateSize } from './fargate';
import { AddressFamilies, checkAccessLogsPrefix, checkIngressPeers, desyncModeProblem, ipAddressTypeProblem } from './load-balancer-rules';
import { deploymentNames, derivedNames } from './names';
import { isDeploymentEnvironment, ResolvedSizing } from './presets';
import { checkScaling } from './scaling';
import { ProblemList, show } from './validation';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import type { ArculusFidoDeploymentProps } from '../deployment/options';
import type { DomainOptions } from '../edge/options';
import { NatType, type NetworkOptions } from '../network/options';
import type { FidoServiceOptions, ServiceSizing } from '../service/options';

const APPLICATION_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HTTP_CODES = /^[2-4]\d\d(-[2-4]\d\d)?(,[2-4]\d\d(-[2-4]\d\d)?)*$/;

/** Names of the secrets the deployment itself injects; a plain variable of the same name would clash. */
export const DEPLOYMENT_SECRET_NAMES = ['MONGODB_HOST', 'MONGODB_PORT', 'MONGODB_USERNAME', 'MONGODB_PASSWORD', 'JWT_SECRET', 'JWT_SECRET_PREVIOUS'];

/**
 * Props that decide what the template holds, so they must be known at synth, and why. The NAT
 * props are refused in `checkCreatedVpcOptions`, which FidoNetwork shares.
 */
const SYNTH_TIME_PROPS: ReadonlyArray<{ path: string[]; why: string }> = [
  { path: ['deploymentEnvironment'], why: 'it picks the preset (sizing, NAT gateways, WAF, retention) while the template is written' },
  { path: ['applicationName'], why: 'the cluster, log group, alarm and repository names are built from it and checked against their AWS limits at synth' },
  { path: ['loadBalancer', 'ipAddressType'], why: 'it decides whether a created VPC gets IPv6 resources and the records AAAA ones, written at synth; give elbv2.IpAddressType.IPV4 or .DUAL_STACK' },
];

/**
 * Removes, with a problem each, the tokens given where a value must be known at synth. Tokens
 * anywhere else are carried into the template.
 */
export function refuseTokens(problems: ProblemList, props: ArculusFidoDeploymentProps): ArculusFidoDeploymentProps {
  let result: any = props;
  for (const { path, why } of SYNTH_TIME_PROPS) {
    const parent = path.slice(0, -1).reduce((obj: any, key) => (obj && typeof obj === 'object' ? obj[key] : undefined), result);
    const key = path[path.length - 1];
    if (parent && typeof parent === 'object' && Token.isUnresolved(parent[key])) {
      problems.refuseToken(path.join('.'), parent[key], why);
      result = withoutPath(result, path);
    }
  }
  return result;
}

/** A copy of `obj` with the value at `path` removed. */
function withoutPath(obj: any, path: string[]): any {
  const [key, ...rest] = path;
  if (rest.length === 0) {
    const { [key]: _removed, ...others } = obj;
    return others;
  }
  return { ...obj, [key]: withoutPath(obj[key], rest) };
}

/** Checks the environment and the application name; returns the environment when it is valid. */
export function checkNames(
  problems: ProblemList, environment: unknown, applicationName: string, options: { runbooks?: boolean } = {},
): DeploymentEnvironment | undefined {
  const valid = isDeploymentEnvironment(environment);
  if (!valid && environment !== undefined) {
    problems.add('deploymentEnvironment', `must be one of 'dev', 'staging' or 'prod' (DeploymentEnvironment.DEV, .STAGING, .PROD), got ${show(environment)}`);
  } else if (!valid) {
    problems.addUnlessAbout('deploymentEnvironment', 'is required: DeploymentEnvironment.DEV, .STAGING or .PROD');
  }
  if (!APPLICATION_NAME.test(applicationName)) {
    problems.add('applicationName', `must be lowercase letters, digits and single hyphens, starting with a letter (e.g. 'arculus-auth'), got ${show(applicationName)}`);
  } else if (valid) {
    // The name that leaves the least room decides how long applicationName may be.
    const tightest = derivedNames(deploymentNames(applicationName, environment), options)
      .map((derived) => ({ ...derived, fits: applicationName.length - (derived.name.length - derived.maxLength) }))
      .reduce((a, b) => (b.fits < a.fits ? b : a));
    if (tightest.name.length > tightest.maxLength) {
      problems.add('applicationName', `makes the ${tightest.what} '${tightest.name}' ${tightest.name.length} characters long, over the limit of ${tightest.maxLength}; use at most ${tightest.fits} characters`);
    }
  }
  return valid ? environment : undefined;
}

/** Whether `name` is a fully qualified domain name: dot-separated labels, the last not all digits. */
export function isDomainName(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/** Whether the zone `zoneName` (final dot or not) can hold records of `name`: the zone's own name or one below it. */
export function zoneHolds(zoneName: string, name: string): boolean {
  const [zone, fqdn] = [zoneName, name].map((n) => n.replace(/\.$/, '').toLowerCase());
  return fqdn === zone || fqdn.endsWith(`.${zone}`);
}

/** Checks the domain; returns its name as Route 53 and ACM store it (lowercase), or the token. */
export function checkDomain(problems: ProblemList, domain: DomainOptions | undefined): string {
  if (!domain) {
    problems.addUnlessAbout('domain', 'is required: give { domainName, certificate } or { domainName, hostedZone }');
    return '';
  }
  // An absolute name ('auth.example.com.') is the same name.
  const name = domain.domainName !== undefined && !Token.isUnresolved(domain.domainName) ? domain.domainName.replace(/\.$/, '') : domain.domainName;
  if (name === undefined) {
    problems.addUnlessAbout('domain.domainName', "is required: the domain of the endpoints, such as 'auth.example.com'");
  } else if (!Token.isUnresolved(name)) {
    if (!isDomainName(name)) {
      problems.add('domain.domainName', `must be a fully qualified domain name such as 'auth.example.com' (letters, digits and hyphens in dot-separated labels, no scheme or path), got ${show(name)}`);
    } else if (domain.hostedZone && !Token.isUnresolved(domain.hostedZone.zoneName) && !zoneHolds(domain.hostedZone.zoneName, name)) {
      const zone = domain.hostedZone.zoneName.replace(/\.$/, '').toLowerCase();
      problems.add('domain.hostedZone', `is the zone '${zone}', which cannot hold records for '${name}'; give the zone of the domain or leave hostedZone out`);
    }
    if (!domain.certificate && name.length > 64) {
      problems.add('domain.domainName', `is ${name.length} characters long, but ACM certificates take at most 64; import a certificate (for example a wildcard of a parent domain) in domain.certificate`);
    }
  }
  if (domain.hostedZoneRole && !domain.hostedZone) {
    problems.add('domain.hostedZoneRole', 'writes the records of domainName in domain.hostedZone, which is not given; give the zone of the other account (route53.HostedZone.fromHostedZoneAttributes()), or leave hostedZoneRole out');
  } else if (domain.hostedZoneRole && !domain.certificate) {
    problems.add('domain.certificate', 'is required with domain.hostedZoneRole: ACM validates a new certificate through a record that CloudFormation would write in the zone, which is of another account; request the certificate in this account and region, validate it with a record in the zone (docs/failover.md, A zone of another account), and import it here');
  }
  if (!domain.certificate && !domain.hostedZone && !problems.about('domain.certificate') && !problems.about('domain.hostedZone')) {
    problems.add('domain.certificate', 'is required when no hostedZone is given: import the ACM certificate of the domain, or give hostedZone to have a DNS-validated certificate created');
  }
  return name === undefined || Token.isUnresolved(name) ? name ?? '' : name.toLowerCase();
}

/**
 * Checks a service's final sizing. Range problems name the prop the value came from; relations
 * are only checked between values the user gave, since the defaults adapt to them. `fewestTasks`
 * is the least `minCapacity` and `desiredCount` may be: 1 in a deployment, which stands by at
 * fewer through `sizing.standbyTasks` alone; 0 for a service on its own (a standby, or stopped).
 * `maxCapacity` is always 1 or more.
 */
export function checkSizing(
  problems: ProblemList, prop: string, sizing: ResolvedSizing, given: ServiceSizing, reservedScheduleNames: readonly string[] = [], fewestTasks = 1,
): void {
  checkFargateSize(problems, prop, sizing.cpu, sizing.memoryLimitMiB);
  const counts = ['minCapacity', 'desiredCount', 'maxCapacity'] as const;
  const whole = counts.filter((key) => problems.wholeTasks(`${prop}.${key}`, given[key], key === 'maxCapacity' ? 1 : fewestTasks));
  const conflict = (low: typeof counts[number], high: typeof counts[number], blame: 'low' | 'high') => {
    if (whole.includes(low) && whole.includes(high) && given[low]! > given[high]!) {
      const message = blame === 'low'
        ? `must not exceed ${high} (${given[high]}), got ${given[low]}; raise ${high} or lower ${low}`
        : `must be at least ${low} (${given[low]}), got ${given[high]}; raise ${high} or lower ${low}`;
      problems.add(`${prop}.${blame === 'low' ? low : high}`, message);
    }
  };
  conflict('minCapacity', 'desiredCount', 'low');
  conflict('desiredCount', 'maxCapacity', 'high');
  conflict('minCapacity', 'maxCapacity', 'high');
  problems.integerInRange(`${prop}.targetCpuUtilizationPercent`, sizing.targetCpuUtilizationPercent, 10, 90);
  checkScaling(problems, prop, sizing, given, reservedScheduleNames);
}

/** Checks the options of one service. */
export function checkServiceOptions(
  problems: ProblemList, prop: string, options: FidoServiceOptions, reservedSecretNames = DEPLOYMENT_SECRET_NAMES, families?: AddressFamilies,
): void {
  checkHealthCheck(problems, `${prop}.healthCheck`, options.healthCheck ?? {});
  problems.secondsInRange(`${prop}.deregistrationDelay`, options.deregistrationDelay, 0, 3600);
  (options.writablePaths ?? []).forEach((writablePath, index) => {
    if (!Token.isUnresolved(writablePath) && (!/^\/[^\s]+$/.test(writablePath) || writablePath.split('/').includes('..'))) {
      problems.add(`${prop}.writablePaths[${index}]`, `must be an absolute directory in the container such as '/tmp' (not '/' itself), got ${show(writablePath)}`);
    }
  });
  if (options.writablePaths && !options.readonlyRootFilesystem) {
    problems.add(`${prop}.writablePaths`, 'only applies with readonlyRootFilesystem: true (without it every path is writable); turn readonlyRootFilesystem on or leave writablePaths out');
  }
  problems.secondsInRange(`${prop}.healthCheckGracePeriod`, options.healthCheckGracePeriod, 0, 2147483647);
  problems.secondsInRange(`${prop}.stopTimeout`, options.stopTimeout, 2, 120);
  checkDeploymentOptions(problems, `${prop}.deployment`, options.deployment, families);

  const secretNames = new Set([...reservedSecretNames, ...Object.keys(options.secrets ?? {})]);
  for (const name of Object.keys(options.environment ?? {}).filter((n) => secretNames.has(n))) {
    problems.add(`${prop}.environment.${name}`, 'is also set as a secret; a container variable is either plain or secret: remove it from environment');
  }
}

function checkHealthCheck(problems: ProblemList, prop: string, healthCheck: elbv2.HealthCheck): void {
  const path = healthCheck.path;
  if (path !== undefined && !Token.isUnresolved(path) && (!path.startsWith('/') || /\s/.test(path))) {
    problems.add(`${prop}.path`, `must be a URL path starting with '/', such as '/health', got ${show(path)}`);
  }
  problems.secondsInRange(`${prop}.interval`, healthCheck.interval, 5, 300);
  problems.secondsInRange(`${prop}.timeout`, healthCheck.timeout, 2, 120);
  const { interval, timeout } = healthCheck;
  if (timeout && !timeout.isUnresolved()) {
    const intervalSeconds = interval && !interval.isUnresolved() ? interval.toSeconds({ integral: false }) : 30;
    if (timeout.toSeconds({ integral: false }) >= intervalSeconds) {
      problems.add(`${prop}.timeout`, `must be shorter than the health check interval (${intervalSeconds} seconds), got ${timeout.toHumanString()}`);
    }
  }
  problems.integerInRange(`${prop}.healthyThresholdCount`, healthCheck.healthyThresholdCount, 2, 10);
  problems.integerInRange(`${prop}.unhealthyThresholdCount`, healthCheck.unhealthyThresholdCount, 2, 10);
  const codes = healthCheck.healthyHttpCodes;
  if (codes !== undefined && !Token.isUnresolved(codes) && !HTTP_CODES.test(codes)) {
    problems.add(`${prop}.healthyHttpCodes`, `must be HTTP codes from 200 to 499, as '200', '200,302' or '200-399', got ${show(codes)}`);
  }
  if (healthCheck.protocol !== undefined && healthCheck.protocol !== elbv2.Protocol.HTTP && healthCheck.protocol !== elbv2.Protocol.HTTPS) {
    problems.add(`${prop}.protocol`, `must be HTTP or HTTPS for an Application Load Balancer, got ${show(healthCheck.protocol)}`);
  }
}

/** The props of a VPC that the deployment or `FidoNetwork` creates, named alike in both. */
export interface CreatedVpcOptions {
  readonly ipProtocol?: ec2.IpProtocol;
  readonly natGateways?: number;
  readonly natType?: NatType;
  readonly natInstanceType?: ec2.InstanceType;
  readonly natMachineImage?: ec2.IMachineImage;
  readonly s3GatewayEndpoint?: boolean;
}

/** Why each prop of a created VPC does not apply to a given one. */
const GIVEN_VPC_OWNS: { readonly [key in keyof CreatedVpcOptions]-?: string } = {
  ipProtocol: 'its IP addresses are its own',
  natGateways: 'its NAT gateways are its own',
  natType: 'its NAT is its own',
  natInstanceType: 'its NAT is its own',
  natMachineImage: 'its NAT is its own',
  s3GatewayEndpoint: 'its endpoints are its own: add one with vpc.addGatewayEndpoint()',
};

/**
 * Checks the props of the two-AZ VPC that `creator` makes: a NAT count of 1 or 2 (its private
 * subnets need a NAT route out), the NAT instance options only with NAT instances, and values known
 * at synth where the template depends on them; each refused beside a given VPC, which has its own.
 * Shared by the deployment (`prefix` 'network.') and FidoNetwork on its own.
 */
export function checkCreatedVpcOptions(problems: ProblemList, prefix: string, creator: string, options: CreatedVpcOptions, vpcGiven: boolean): void {
  if (vpcGiven) {
    for (const key of Object.keys(GIVEN_VPC_OWNS) as Array<keyof CreatedVpcOptions>) {
      const value = options[key];
      if (value !== undefined) {
        const got = key === 'natMachineImage' ? '' : `, got ${show(value)}`;
        problems.add(`${prefix}${key}`, `only applies to a VPC ${creator} creates, but ${prefix}vpc is given (${GIVEN_VPC_OWNS[key]}); leave ${key} out${got}`);
      }
    }
    return;
  }
  if (Token.isUnresolved(options.ipProtocol)) {
    problems.refuseToken(`${prefix}ipProtocol`, options.ipProtocol, 'it decides whether the template holds the IPv6 block, routes and egress-only gateway; give ec2.IpProtocol.IPV4_ONLY or .DUAL_STACK');
  }
  if (Token.isUnresolved(options.natGateways)) {
    problems.refuseToken(`${prefix}natGateways`, options.natGateways, 'a created VPC gets one NAT gateway resource per count, written at synth; give the number, or a VPC of your own');
  }
  problems.integerInRange(`${prefix}natGateways`, options.natGateways, 1, 2);
  const { natType, natInstanceType, natMachineImage } = options;
  if (Token.isUnresolved(natType)) {
    problems.refuseToken(`${prefix}natType`, natType, 'it decides whether the template holds NAT gateways or NAT instances; give NatType.GATEWAY or NatType.INSTANCE');
  } else if (natType !== NatType.INSTANCE) {
    for (const [key, value] of [['natInstanceType', natInstanceType], ['natMachineImage', natMachineImage]] as const) {
      if (value !== undefined) {
        problems.add(`${prefix}${key}`, `only applies to NAT instances, but ${prefix}natType is ${natType === undefined ? 'left out (NAT gateways)' : show(natType)}; set natType: NatType.INSTANCE or leave ${key} out`);
      }
    }
  }
  // With NAT instances, or maybe (a token type): without them, the type is refused as ignored above.
  const instances = natType === NatType.INSTANCE || Token.isUnresolved(natType);
  if (instances && natInstanceType !== undefined && !natMachineImage && Token.isUnresolved(natInstanceType.toString())) {
    problems.refuseToken(`${prefix}natInstanceType`, natInstanceType,
      "the default image's architecture (arm64 or x86_64) is chosen from it at synth; give the type, or natMachineImage too");
  }
}

/** Checks the network options that need no VPC to judge; `families` tells whether the load balancer is dual-stack. */
export function checkNetworkValues(problems: ProblemList, network: NetworkOptions, families: AddressFamilies): void {
  if (network.allowedIngress !== undefined && network.allowedIngress.length === 0) {
    problems.add('network.allowedIngress', `is empty, so no client could reach the load balancer; leave it out to admit ${families.ipv6 ? '0.0.0.0/0 and ::/0' : '0.0.0.0/0'}, or name the clients`);
  }
  checkIngressPeers(problems, 'network.allowedIngress', network.allowedIngress ?? [], "clients'", families);
  if (network.vpcIpProtocol !== undefined && !network.vpc) {
    problems.add('network.vpcIpProtocol', 'only applies to a VPC you give in network.vpc; a created VPC gets IPv6 from loadBalancer.ipAddressType. Leave vpcIpProtocol out');
  } else if (network.vpcIpProtocol !== undefined && !families.ipv6) {
    problems.add('network.vpcIpProtocol', `only applies with loadBalancer.ipAddressType: DUAL_STACK, but it is IPV4${families.typeGiven ? '' : ' (the default)'}; set ipAddressType or leave vpcIpProtocol out, got ${show(network.vpcIpProtocol)}`);
  }
  checkCreatedVpcOptions(problems, 'network.', 'the deployment', network, network.vpc !== undefined);
  if (!network.vpc) {
    for (const key of ['publicSubnets', 'privateSubnets'] as const) {
      if (network[key] !== undefined) {
        problems.add(`network.${key}`, 'only applies to a VPC you give in network.vpc; a created VPC has one public and one private subnet per AZ, which the deployment uses. Give network.vpc or leave it out');
      }
    }
  }
}

/** Checks the log retention; returns it when CloudWatch Logs takes it (or it is a token). */
export function checkRetention(problems: ProblemList, retention: logs.RetentionDays | undefined): logs.RetentionDays | undefined {
  if (retention === undefined || Token.isUnresolved(retention) || Object.values(logs.RetentionDays).includes(retention)) {
    return retention;
  }
  problems.add('logging.retention', `must be a period CloudWatch Logs accepts (a logs.RetentionDays value such as RetentionDays.ONE_MONTH, i.e. 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 days), got ${show(retention)}`);
  return undefined;
}

/** Checks the image tag, load balancer and WAF options. */
export function checkEdge(problems: ProblemList, props: ArculusFidoDeploymentProps, webAcl: boolean): void {
  const tag = props.images?.tag;
  if (tag !== undefined && !Token.isUnresolved(tag) && !IMAGE_TAG.test(tag)) {
    problems.add('images.tag', `must be a Docker tag (letters, digits, '_', '.', '-'; up to 128, not starting with '.' or '-'), got ${show(tag)}`);
  }
  if (props.images?.tag !== undefined && props.images.pyFido && props.images.tomcat) {
    problems.add('images.tag', 'only applies to the default ECR images, but both images.pyFido and images.tomcat are given; put the tag in those images or leave images.tag out');
  }
  if (props.images?.repositories && props.images.pyFido && props.images.tomcat) {
    problems.add('images.repositories', 'only applies to the default ECR images, but both images.pyFido and images.tomcat are given; leave repositories out');
  } else if (props.images?.repositories && (tag === undefined || tag === 'latest')) {
    problems.add('images.tag', `is ${tag === undefined ? "left out ('latest')" : "'latest'"}, but images.repositories has immutable tags, where a tag takes one push: push each build under its own tag (a version or a commit) and give it here`);
  }
  const typeProblem = ipAddressTypeProblem(props.loadBalancer?.ipAddressType);
  if (typeProblem) {
    problems.add('loadBalancer.ipAddressType', typeProblem);
  }
  const desyncProblem = desyncModeProblem(props.loadBalancer?.desyncMitigationMode);
  if (desyncProblem) {
    problems.add('loadBalancer.desyncMitigationMode', desyncProblem);
  }
  const loadBalancer = props.loadBalancer ?? {};
  const prefix = loadBalancer.accessLogsPrefix;
  checkAccessLogsPrefix(problems, 'loadBalancer.accessLogsPrefix', prefix);
  if (loadBalancer.accessLogs === false && (loadBalancer.accessLogsBucket || prefix !== undefined)) {
    problems.add('loadBalancer.accessLogs', 'is false, so accessLogsBucket and accessLogsPrefix would be ignored; turn access logs on or leave those out');
  }
  problems.integerInRange('waf.rateLimit', props.waf?.rateLimit, 10, 2000000000);
  if (!webAcl && props.waf?.rateLimit !== undefined) {
    problems.add('waf.rateLimit', `only applies with a web ACL, which is off${props.waf.enabled === false ? '' : ' by default outside prod'}; set waf.enabled: true or leave rateLimit out`);
  }
}
