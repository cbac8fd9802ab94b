import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DeploymentEnvironment } from '../deployment-environment';

/** A service's sizing with every value decided. */
export interface ResolvedSizing {
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly desiredCount: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetCpuUtilizationPercent: number;
}

/** What an environment decides when the props leave a value open. */
export interface EnvironmentPreset {
  readonly pyFido: ResolvedSizing;
  readonly tomcat: ResolvedSizing;
  readonly logRetention: logs.RetentionDays;
  /** Log groups and secrets. */
  readonly removalPolicy: RemovalPolicy;
  /** NAT gateways of a VPC the construct creates. */
  readonly natGateways: number;
}

const CPU_TARGET = 70;

/**
 * The deployment guide's environment mappings. PyFIDO's figures are the guide's own; Tomcat's
 * give the portal's JVM more memory in dev (256 CPU takes 1024 MiB) and follow PyFIDO elsewhere.
 */
export const PRESETS: Record<DeploymentEnvironment, EnvironmentPreset> = {
  [DeploymentEnvironment.DEV]: {
    pyFido: { cpu: 256, memoryLimitMiB: 512, desiredCount: 1, minCapacity: 1, maxCapacity: 1, targetCpuUtilizationPercent: CPU_TARGET },
    tomcat: { cpu: 256, memoryLimitMiB: 1024, desiredCount: 1, minCapacity: 1, maxCapacity: 1, targetCpuUtilizationPercent: CPU_TARGET },
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    natGateways: 1,
  },
  [DeploymentEnvironment.STAGING]: {
    pyFido: { cpu: 512, memoryLimitMiB: 1024, desiredCount: 2, minCapacity: 2, maxCapacity: 4, targetCpuUtilizationPercent: CPU_TARGET },
    tomcat: { cpu: 512, memoryLimitMiB: 1024, desiredCount: 2, minCapacity: 2, maxCapacity: 4, targetCpuUtilizationPercent: CPU_TARGET },
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    natGateways: 1,
  },
  [DeploymentEnvironment.PROD]: {
    pyFido: { cpu: 1024, memoryLimitMiB: 2048, desiredCount: 3, minCapacity: 3, maxCapacity: 6, targetCpuUtilizationPercent: CPU_TARGET },
    tomcat: { cpu: 1024, memoryLimitMiB: 2048, desiredCount: 3, minCapacity: 3, maxCapacity: 6, targetCpuUtilizationPercent: CPU_TARGET },
    logRetention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
    natGateways: 2,
  },
};

/** Whether a value (as JavaScript or Python may pass anything) is one of the enum's values. */
export function isDeploymentEnvironment(value: unknown): value is DeploymentEnvironment {
  return Object.values(DeploymentEnvironment).includes(value as DeploymentEnvironment);
}
