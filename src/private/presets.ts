import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
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
  readonly spot: boolean;
  readonly cpuArchitecture?: ecs.CpuArchitecture;
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

/** A preset's sizing: `minCapacity` is `desiredCount`, the CPU target 70%. */
function sizing(cpu: number, memoryLimitMiB: number, desiredCount: number, maxCapacity: number, spot: boolean): ResolvedSizing {
  return { cpu, memoryLimitMiB, desiredCount, minCapacity: desiredCount, maxCapacity, targetCpuUtilizationPercent: CPU_TARGET, spot };
}

/**
 * The deployment guide's environment mappings. PyFIDO's figures are the guide's own; Tomcat's
 * give the portal's JVM more memory in dev (256 CPU takes 1024 MiB) and follow PyFIDO elsewhere.
 */
export const PRESETS: Record<DeploymentEnvironment, EnvironmentPreset> = {
  [DeploymentEnvironment.DEV]: {
    pyFido: sizing(256, 512, 1, 1, true),
    tomcat: sizing(256, 1024, 1, 1, true),
    logRetention: logs.RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    natGateways: 1,
  },
  [DeploymentEnvironment.STAGING]: {
    pyFido: sizing(512, 1024, 2, 4, false),
    tomcat: sizing(512, 1024, 2, 4, false),
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    natGateways: 1,
  },
  [DeploymentEnvironment.PROD]: {
    pyFido: sizing(1024, 2048, 3, 6, false),
    tomcat: sizing(1024, 2048, 3, 6, false),
    logRetention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
    natGateways: 2,
  },
};

/** Whether a value (as JavaScript or Python may pass anything) is one of the enum's values. */
export function isDeploymentEnvironment(value: unknown): value is DeploymentEnvironment {
  return Object.values(DeploymentEnvironment).includes(value as DeploymentEnvironment);
}
