import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { checkDomain, checkEdge, checkNames, checkNetworkValues, checkRetention, checkServiceOptions, checkSizing, refuseTokens } from './check-props';
import { checkEnvironmentFacts } from './cross-checks';
import { shiftsTraffic } from './deployment-strategy';
import { checkStandby, resolveFailover } from './failover';
import type { AddressFamilies } from './load-balancer-rules';
import { checkMonitoringProps } from './monitoring';
import { DEFAULT_APPLICATION_NAME, DeploymentNames, deploymentNames, PYFIDO, ServiceNames, TOMCAT } from './names';
import { DEFAULT_NAT_INSTANCE_TYPE } from './nat';
import { EnvironmentPreset, PRESETS } from './presets';
import { PYFIDO_PORT, ResolvedDeployment, ResolvedService, TOMCAT_PORT } from './resolved';
import { checkRequestsWithStrategy, officeHoursNames, officeHoursSchedules, OfficeHoursSchedules } from './scaling';
import { sanitize, struct, withDefaults } from './schema';
import { checkSecretReaders, resolveReplication } from './secret-replication';
import { resolveSizing } from './sizing';
import { ProblemList } from './validation';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import type { ArculusFidoDeploymentProps } from '../deployment/options';
import { NatType } from '../network/options';
import type { MonitoringOptions } from '../operations/options';
import type { FidoServiceOptions, ServiceSizing } from '../service/options';

/** How often a secret the deployment creates rotates, unless the props say otherwise. */
const DEFAULT_ROTATION_INTERVAL = Duration.days(30);

/**
 * Turns a deployment's props and its environment's preset into final settings: checks the type of
 * every value (a JavaScript caller has no compiler), refuses tokens where a value must be known at
 * synth, decides every default once, checks every value and the facts about the stack and VPC
 * known at synth, and throws one error listing every problem.
 */
export function resolveDeployment(scope: IConstruct, given: ArculusFidoDeploymentProps): ResolvedDeployment {
  const problems = new ProblemList();
  const props: ArculusFidoDeploymentProps = sanitize(problems, '', refuseTokens(problems, given ?? {}), struct('ArculusFidoDeploymentProps')) ?? {};
  const applicationName = props.applicationName ?? DEFAULT_APPLICATION_NAME;
  const environment = checkNames(problems, props.deploymentEnvironment, applicationName, { runbooks: props.runbooks ?? true });
  const preset = PRESETS[environment ?? DeploymentEnvironment.DEV];
  const names = deploymentNames(applicationName, environment ?? DeploymentEnvironment.DEV);
  const domainName = checkDomain(problems, props.domain);
  const logRetention = checkRetention(problems, props.logging?.retention) ?? preset.logRetention;
  const baseEnvironment = { ENVIRONMENT: environment ?? '', DOMAIN_NAME: domainName };
  const officeHours = officeHoursSchedules(problems, props.sizing?.officeHours, environment);
  const failover = resolveFailover(problems, props.domain, props.network?.allowedIngress);
  const families = addressFamilies(props);

  const resolved = {
    environment: environment!,
    preset,
    applicationName,
    names,
    domainName,
    certificate: props.domain?.certificate,
    hostedZone: props.domain?.hostedZone,
    hostedZoneRole: props.domain?.hostedZoneRole,
    failover,
    mongoDb: props.mongoDb!,
    ...resolveNetwork(problems, props, preset, families),
    logRetention,
    ...resolveLogsAndSecrets(props, preset),
    applicationSecretRotation: resolveApplicationSecretRotation(problems, props),
    ...resolveReplication(problems, scope, props.secrets ?? {}),
    ...resolveEdge(problems, props, preset, logRetention),
    imageTag: props.images?.tag ?? 'latest',
    pyFido: resolveService(problems, props, preset, 'pyFido', names.pyFido, officeHours, baseEnvironment, families),
    tomcat: resolveService(problems, props, preset, 'tomcat', names.tomcat, officeHours, {
      ...baseEnvironment,
      // What browsers are sent to, and the in-VPC address the portal calls PyFIDO at.
      PYFIDO_URL: `https://${domainName}:${PYFIDO_PORT}`,
      PYFIDO_INTERNAL_URL: `${(props.services?.pyFido?.targetProtocol ?? elbv2.ApplicationProtocol.HTTP).toLowerCase()}://${PYFIDO}:${PYFIDO_PORT}`,
    }, families),
    nestedStacks: props.nestedStacks ?? false,
    executeCommand: SERVICES.some((service) => props.services?.[service]?.enableExecuteCommand === true),
    monitoring: props.monitoring ?? {},
    runbooks: props.runbooks ?? true,
  };
  checkOperations(problems, resolved);
  checkSecretReaders(problems, scope, props.secrets ?? {}, resolved.createEncryptionKey);
  const standbyTasks = checkStandby(problems, props.sizing, failover, [resolved.pyFido, resolved.tomcat]);
  if (resolved.pyFido.testPort !== undefined && resolved.pyFido.testPort === resolved.tomcat.testPort) {
    // Name the port the user gave; when both were given, Tomcat's.
    const [blamed, other] = props.services?.tomcat?.deployment?.testPort !== undefined ? ['tomcat', 'PyFIDO'] : ['pyFido', 'Tomcat'];
    problems.add(`services.${blamed}.deployment.testPort`, `is ${other}'s test port too (${resolved.tomcat.testPort}); each service needs its own test listener, so give the two services different ports`);
  }
  if (!props.mongoDb) {
    problems.addUnlessAbout('mongoDb', 'is required: choose MongoDbConnection.fromEndpoint(), .fromSecret() or .documentDb()');
  } else {
    problems.addAll(props.mongoDb.validate());
  }
  // Facts about the stack, the VPC and the other deployments: every value has its type by now.
  checkEnvironmentFacts(problems, scope, resolved);
  problems.throwIfAny(scope, 'ArculusFidoDeployment');
  return { ...resolved, standbyTasks };
}

/**
 * Checks the monitoring options as the monitoring checks them (each problem under `monitoring.`),
 * and that the runbooks' names are names SSM takes.
 */
function checkOperations(
  problems: ProblemList, resolved: { names: DeploymentNames; monitoring: MonitoringOptions; runbooks: boolean; applicationName: string },
): void {
  const monitoring = new ProblemList();
  checkMonitoringProps(monitoring, { ...resolved.monitoring, namePrefix: resolved.names.cluster, services: [] });
  problems.addAll(monitoring.all.map((problem) => `monitoring.${problem}`));
  if (resolved.runbooks && /^(aws|amazon|amzn)/i.test(resolved.applicationName)) {
    problems.add('applicationName', `names the runbooks '${resolved.names.cluster}-Stop' and so on, but SSM keeps document names starting with 'aws', 'amazon' or 'amzn' for AWS's own; choose another applicationName or set runbooks: false, got '${resolved.applicationName}'`);
  }
}

/** Whether the load balancer is dual-stack, as the ingress checks and the network need it. */
function addressFamilies(props: ArculusFidoDeploymentProps): AddressFamilies {
  const type = props.loadBalancer?.ipAddressType;
  return { ipv6: type === elbv2.IpAddressType.DUAL_STACK, typeProp: 'loadBalancer.ipAddressType', typeGiven: type !== undefined };
}

function resolveNetwork(problems: ProblemList, props: ArculusFidoDeploymentProps, preset: EnvironmentPreset, families: AddressFamilies) {
  const network = props.network ?? {};
  checkNetworkValues(problems, network, families);
  const natType = network.natType ?? NatType.GATEWAY;
  return {
    vpc: network.vpc,
    vpcIpProtocol: network.vpcIpProtocol,
    // A given VPC's NAT, endpoints and addresses are its own.
    createdVpc: network.vpc ? {} : {
      ipProtocol: families.ipv6 ? ec2.IpProtocol.DUAL_STACK : undefined,
      natGateways: network.natGateways ?? preset.natGateways,
      natType,
      natInstanceType: natType === NatType.INSTANCE ? network.natInstanceType ?? DEFAULT_NAT_INSTANCE_TYPE : undefined,
      // The latest Amazon Linux 2023 image of the instance type's architecture when left out.
      natMachineImage: network.natMachineImage,
      s3GatewayEndpoint: network.s3GatewayEndpoint ?? true,
    },
    publicSubnets: network.publicSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
    privateSubnets: network.privateSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    allowedIngress: network.allowedIngress ?? (families.ipv6 ? [ec2.Peer.anyIpv4(), ec2.Peer.anyIpv6()] : [ec2.Peer.anyIpv4()]),
    allowAllOutbound: network.allowAllOutbound ?? false,
  };
}

function resolveLogsAndSecrets(props: ArculusFidoDeploymentProps, preset: EnvironmentPreset) {
  return {
    logRemovalPolicy: props.logging?.removalPolicy ?? preset.removalPolicy,
    logEncryptionKey: props.logging?.encryptionKey,
    removalPolicy: preset.removalPolicy,
    createEncryptionKey: props.encryption?.customerManagedKey ?? preset.customerManagedKey,
    applicationSecret: props.secrets?.applicationSecret,
    applicationSecretReaderAccounts: props.secrets?.applicationSecretReaderAccounts ?? [],
    secretEncryptionKey: props.secrets?.encryptionKey,
  };
}

/**
 * How often the created application secret rotates, or undefined when it does not: by default
 * whenever the deployment creates it and the Redeploy runbook can roll the services afterwards.
 */
function resolveApplicationSecretRotation(problems: ProblemList, props: ArculusFidoDeploymentProps): Duration | undefined {
  const secrets = props.secrets ?? {};
  const runbooks = props.runbooks ?? true;
  const interval = secrets.applicationSecretRotationInterval;
  problems.daysInRange('secrets.applicationSecretRotationInterval', interval, 1, 1000, 'Secrets Manager rotates every');
  if (secrets.rotateApplicationSecret === true && secrets.applicationSecret) {
    problems.add('secrets.rotateApplicationSecret', 'rotates only the application secret the deployment creates, but secrets.applicationSecret is given: rotate that secret where it is managed (the services are redeployed when its value changes), or leave applicationSecret out');
  } else if (secrets.rotateApplicationSecret === true && !runbooks) {
    problems.add('secrets.rotateApplicationSecret', 'needs the Redeploy runbook to roll the services after each rotation (ECS reads secrets only when a task starts), but runbooks is false: turn runbooks on, or set rotateApplicationSecret: false');
  }
  const given = secrets.applicationSecret ? 'secrets.applicationSecret is given' : secrets.replicaOf ? 'it is a replica, rotated with secrets.replicaOf' : undefined;
  const rotates = secrets.rotateApplicationSecret ?? (!given && runbooks);
  if (!rotates && interval !== undefined && secrets.rotateApplicationSecret === undefined) {
    problems.add('secrets.applicationSecretRotationInterval', `only applies when the application secret rotates, which it does not here (${given ?? 'runbooks is false'}); leave it out`);
  } else if (!rotates && interval !== undefined) {
    problems.add('secrets.applicationSecretRotationInterval', 'only applies when the application secret rotates, but rotateApplicationSecret is false; leave it out or turn rotation on');
  }
  return rotates ? interval ?? DEFAULT_ROTATION_INTERVAL : undefined;
}

function resolveEdge(problems: ProblemList, props: ArculusFidoDeploymentProps, preset: EnvironmentPreset, logRetention: number) {
  const loadBalancer = props.loadBalancer ?? {};
  const waf = props.waf?.enabled ?? preset.waf;
  checkEdge(problems, props, waf);
  return {
    // As given: left out, the template names no type (IPv4), as before the option existed.
    ipAddressType: loadBalancer.ipAddressType,
    sslPolicy: loadBalancer.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ,
    redirectHttp: loadBalancer.redirectHttp ?? false,
    deletionProtection: loadBalancer.deletionProtection ?? preset.deletionProtection,
    desyncMitigationMode: loadBalancer.desyncMitigationMode ?? elbv2.DesyncMitigationMode.DEFENSIVE,
    accessLogs: loadBalancer.accessLogs ?? true,
    accessLogsBucket: loadBalancer.accessLogsBucket,
    accessLogsPrefix: loadBalancer.accessLogsPrefix ?? 'alb',
    accessLogsExpiration: Duration.days(logRetention),
    waf,
    wafRateLimit: props.waf?.rateLimit ?? 1000,
    wafFromPreset: props.waf?.enabled === undefined,
    deletionProtectionFromPreset: loadBalancer.deletionProtection === undefined,
  };
}

const SERVICES = ['pyFido', 'tomcat'] as const;

/** What each service runs and how the load balancer checks it, before the user's options. */
const SERVICE_DEFAULTS = {
  pyFido: { name: PYFIDO, port: PYFIDO_PORT, healthCheck: { path: '/health', healthyHttpCodes: '200' }, testPort: 9001 },
  // A Tomcat root usually answers with a 302 redirect to the portal's start page.
  tomcat: { name: TOMCAT, port: TOMCAT_PORT, healthCheck: { path: '/', healthyHttpCodes: '200-399' }, testPort: 9443 },
};

function resolveService(
  problems: ProblemList, props: ArculusFidoDeploymentProps, preset: EnvironmentPreset, prop: 'pyFido' | 'tomcat', names: ServiceNames,
  officeHours: OfficeHoursSchedules, environment: { [name: string]: string }, families: AddressFamilies,
): ResolvedService {
  const defaults = SERVICE_DEFAULTS[prop];
  const given: ServiceSizing = props.sizing?.[prop] ?? {};
  const resolved = resolveSizing(preset[prop], given);
  checkSizing(problems, `sizing.${prop}`, resolved, given, officeHoursNames(props.sizing?.officeHours));
  const sizing = { ...resolved, schedules: [...resolved.schedules ?? [], ...officeHours(resolved)] };
  const options: FidoServiceOptions = props.services?.[prop] ?? {};
  checkServiceOptions(problems, `services.${prop}`, options, undefined, families);
  checkRequestsWithStrategy(problems, `sizing.${prop}`, `services.${prop}.`, given, options.deployment?.strategy);
  return {
    prop,
    name: defaults.name,
    port: defaults.port,
    image: props.images?.[prop],
    repository: props.images?.repositories?.[prop === 'pyFido' ? 'pyFidoRepository' : 'tomcatRepository'],
    sizing,
    options: {
      ...options,
      environment: { ...environment, ...options.environment },
      healthCheck: withDefaults<elbv2.HealthCheck>(defaults.healthCheck, options.healthCheck),
    },
    deploymentAlarms: options.deploymentAlarms ?? true,
    names,
    testPort: shiftsTraffic(options.deployment?.strategy) ? options.deployment?.testPort ?? defaults.testPort : undefined,
  };
}
