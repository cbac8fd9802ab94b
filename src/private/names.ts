/** A physical name the deployment builds from `applicationName`, with the limit AWS puts on it. */
export interface DerivedName {
  readonly what: string;
  readonly name: string;
  readonly maxLength: number;
}

/** The `applicationName` of a deployment, and of its image repositories, that names none. */
export const DEFAULT_APPLICATION_NAME = 'arculus-auth';

/** The services' short names: container names, log group and ECR repository suffixes, Service Connect names. */
export const PYFIDO = 'pyfido';
export const TOMCAT = 'tomcat';

/** The physical names of one service. */
export interface ServiceNames {
  /** `/ecs/<applicationName>/<environment>/<service>`, as the deployment guide fixes it. */
  readonly logGroup: string;
  /** The ECR repository of the default image: `<applicationName>/<service>`. */
  readonly repository: string;
  /** Prefix of the deployment alarms' names, which ECS finds by name. */
  readonly alarmPrefix: string;
}

/** The names of a service's two deployment alarms: on target 5xx responses, and on unhealthy targets. */
export function deploymentAlarmNames(prefix: string): [string, string] {
  return [`${prefix}-target-5xx`, `${prefix}-unhealthy-hosts`];
}

/** Every physical name a deployment sets: built here once, checked and used from here. */
export interface DeploymentNames {
  /** The ECS cluster, which operators type: `<applicationName>-<environment>`. */
  readonly cluster: string;
  /** The Cloud Map namespace of Service Connect; namespace names are unique per account and region. */
  readonly namespace: string;
  /** The web ACL's log group: AWS WAF requires the prefix `aws-waf-logs-`. */
  readonly webAclLogGroup: string;
  /** The log group of ECS Exec sessions, beside the services' own. */
  readonly execLogGroup: string;
  readonly pyFido: ServiceNames;
  readonly tomcat: ServiceNames;
}

function serviceNames(applicationName: string, environment: string, service: string): ServiceNames {
  return {
    logGroup: `/ecs/${applicationName}/${environment}/${service}`,
    repository: `${applicationName}/${service}`,
    alarmPrefix: `${applicationName}-${environment}-${service}`,
  };
}

export function deploymentNames(applicationName: string, environment: string): DeploymentNames {
  return {
    cluster: `${applicationName}-${environment}`,
    namespace: `${applicationName}-${environment}`,
    webAclLogGroup: `aws-waf-logs-${applicationName}-${environment}`,
    execLogGroup: `/ecs/${applicationName}/${environment}/exec`,
    pyFido: serviceNames(applicationName, environment, PYFIDO),
    tomcat: serviceNames(applicationName, environment, TOMCAT),
  };
}

/** The runbooks' document names, `<prefix>-<action>`, which SSM takes up to 128 characters long. */
export const RUNBOOK_ACTIONS = ['Stop', 'Start', 'Redeploy', 'Diagnose'] as const;

/**
 * Every name of `names` with the limit AWS puts on it: the runbooks' only when the deployment
 * creates them, since theirs is the tightest limit.
 */
export function derivedNames(names: DeploymentNames, options: { runbooks?: boolean } = {}): DerivedName[] {
  const alarms = (what: string, list: string[]) => list.map((name) => ({ what: `CloudWatch alarm name (${what})`, name, maxLength: 255 }));
  const service = (s: ServiceNames, short: string): DerivedName[] => [
    { what: 'log group name', name: s.logGroup, maxLength: 512 },
    { what: 'ECR repository name', name: s.repository, maxLength: 256 },
    ...alarms('deployment alarm', deploymentAlarmNames(s.alarmPrefix)),
    ...alarms('monitoring', Object.values(serviceAlarmNames(names.cluster, short))),
  ];
  return [
    { what: 'ECS cluster name', name: names.cluster, maxLength: 255 },
    { what: 'Cloud Map namespace name', name: names.namespace, maxLength: 1024 },
    { what: 'WAF log group name', name: names.webAclLogGroup, maxLength: 512 },
    { what: 'ECS Exec log group name', name: names.execLogGroup, maxLength: 512 },
    { what: 'CloudWatch dashboard name', name: dashboardName(names.cluster), maxLength: 255 },
    ...alarms('DocumentDB', Object.values(databaseAlarmNames(names.cluster))),
    ...service(names.pyFido, PYFIDO),
    ...service(names.tomcat, TOMCAT),
    ...(options.runbooks ?? true ? RUNBOOK_ACTIONS.map((action) => ({ what: 'SSM document name (runbook)', name: `${names.cluster}-${action}`, maxLength: 128 })) : []),
    // The application secret rotates with the library's function only beside the runbooks.
    ...(options.runbooks ?? true ? alarms('secret rotation', [rotationAlarmName(names.cluster, APPLICATION_SECRET_ROTATION)]) : []),
  ];
}

/**
 * The names of the alarms `FidoMonitoring` creates for one service, `<prefix>-<service>-<what>`.
 * None ends as a deployment alarm does (`-target-5xx`, `-unhealthy-hosts`), so a prefix that is
 * the deployment's `<applicationName>-<environment>` gives names apart from those.
 */
export interface ServiceAlarmNames {
  readonly target5xxRate: string;
  readonly unhealthyTargets: string;
  readonly latencyP99: string;
  readonly cpu: string;
  readonly memory: string;
  readonly runningTasks: string;
}

export function serviceAlarmNames(prefix: string, service: string): ServiceAlarmNames {
  const name = (what: string) => `${prefix}-${service}-${what}`;
  return {
    target5xxRate: name('5xx-rate'),
    unhealthyTargets: name('unhealthy-targets'),
    latencyP99: name('latency-p99'),
    cpu: name('cpu'),
    memory: name('memory'),
    runningTasks: name('running-tasks'),
  };
}

/** The names of the DocumentDB cluster's alarms, `<prefix>-docdb-<what>`. */
export interface DatabaseAlarmNames {
  readonly cpu: string;
  readonly connections: string;
  /** A global cluster's secondary only. */
  readonly replicationLag: string;
}

export function databaseAlarmNames(prefix: string): DatabaseAlarmNames {
  return { cpu: `${prefix}-docdb-cpu`, connections: `${prefix}-docdb-connections`, replicationLag: `${prefix}-docdb-replication-lag` };
}

/** The names of the deployment's secret rotations (`SecretRotation.name`), which name their alarms. */
export const APPLICATION_SECRET_ROTATION = 'application-secret';
export const MONGODB_SECRET_ROTATION = 'mongodb-secret';

/** The name of the alarm on a rotation function's errors, `<prefix>-<rotation>-rotation-errors`. */
export function rotationAlarmName(prefix: string, rotation: string): string {
  return `${prefix}-${rotation}-rotation-errors`;
}

/** The monitoring dashboard's name: the prefix itself, e.g. `arculus-auth-prod`. */
export function dashboardName(prefix: string): string {
  return prefix;
}
