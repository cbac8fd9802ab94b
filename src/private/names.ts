/** A physical name the deployment builds from `applicationName`, with the limit AWS puts on it. */
export interface DerivedName {
  readonly what: string;
  readonly name: string;
  readonly maxLength: number;
}

/** The services' short names: container names, log group and ECR repository suffixes. */
export const PYFIDO = 'pyfido';
export const TOMCAT = 'tomcat';

/** The ECS cluster's name, which operators type: `<applicationName>-<environment>`. */
export function clusterName(applicationName: string, environment: string): string {
  return `${applicationName}-${environment}`;
}

/** A service's log group, as the deployment guide fixes it: `/ecs/<applicationName>/<environment>/<service>`. */
export function logGroupName(applicationName: string, environment: string, service: string): string {
  return `/ecs/${applicationName}/${environment}/${service}`;
}

/** The ECR repository of a service's default image: `<applicationName>/<service>`. */
export function repositoryName(applicationName: string, service: string): string {
  return `${applicationName}/${service}`;
}

/** Every physical name built from `applicationName`, longest-limited first. */
export function derivedNames(applicationName: string, environment: string): DerivedName[] {
  return [
    { what: 'ECS cluster name', name: clusterName(applicationName, environment), maxLength: 255 },
    { what: 'ECR repository name', name: repositoryName(applicationName, PYFIDO), maxLength: 256 },
    { what: 'ECR repository name', name: repositoryName(applicationName, TOMCAT), maxLength: 256 },
    { what: 'log group name', name: logGroupName(applicationName, environment, PYFIDO), maxLength: 512 },
    { what: 'log group name', name: logGroupName(applicationName, environment, TOMCAT), maxLength: 512 },
  ];
}
