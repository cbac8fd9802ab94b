import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import type { ServiceSizing } from '../service/options';

/** The sizing props whose default is to leave the thing out: Fargate's architecture, no such policy. */
type LeftOutByDefault = 'cpuArchitecture' | 'targetMemoryUtilizationPercent' | 'targetRequestsPerTarget' | 'schedules' | 'predictiveScaling';

/**
 * A service's sizing with every value decided: each prop of `ServiceSizing`, given or from the
 * preset, but those whose default is to leave the thing out. Derived, so that a prop added to
 * `ServiceSizing` needs a default here (or a place in `LeftOutByDefault`) before anything compiles.
 */
export type ResolvedSizing = Required<Omit<ServiceSizing, LeftOutByDefault>> & Pick<ServiceSizing, LeftOutByDefault>;

/** What a created DocumentDB cluster gets when its options leave a value open. */
export interface DocumentDbPreset {
  readonly instanceType: ec2.InstanceType;
  readonly instances: number;
  readonly backupRetentionDays: number;
  /** The cluster's own removal policy; its master secret follows the environment's `removalPolicy`. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * What an environment decides when the props leave a value open: every per-environment rule of
 * the library lives in this table, and nowhere else.
 */
export interface EnvironmentPreset {
  readonly pyFido: ResolvedSizing;
  readonly tomcat: ResolvedSizing;
  readonly logRetention: logs.RetentionDays;
  /** Log groups, secrets (DocumentDB's master secret too), the customer-managed key and the image repositories. */
  readonly removalPolicy: RemovalPolicy;
  /** NAT gateways of a VPC the construct creates. */
  readonly natGateways: number;
  /** Deletion protection of the load balancer. */
  readonly deletionProtection: boolean;
  /** An AWS WAF web ACL in front of the load balancer. */
  readonly waf: boolean;
  /** Warn when the default images run at the mutable tag `latest`. */
  readonly warnOnMutableImageTag: boolean;
  /** One customer-managed KMS key for the log groups, the created secrets and a created DocumentDB cluster. */
  readonly customerManagedKey: boolean;
  readonly documentDb: DocumentDbPreset;
}

const CPU_TARGET = 70;

/**
 * How fast the scaler acts: out again a minute after a scale-out (a login storm needs every
 * round it can get), in only after five (a task started in a storm is not stopped in a lull).
 */
export const SCALING_PACE = { scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(300) };

/** A preset's sizing: `minCapacity` is `desiredCount`, the CPU target 70%. */
function sizing(cpu: number, memoryLimitMiB: number, desiredCount: number, maxCapacity: number, spot: boolean): ResolvedSizing {
  const targetCpuUtilizationPercent = CPU_TARGET;
  return { cpu, memoryLimitMiB, desiredCount, minCapacity: desiredCount, maxCapacity, targetCpuUtilizationPercent, spot, ...SCALING_PACE };
}

/** Outside prod: one burstable instance, destroyed with the stack. */
const SMALL_DATABASE = {
  instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
  instances: 1,
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
};

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
    deletionProtection: false,
    waf: false,
    warnOnMutableImageTag: false,
    customerManagedKey: false,
    documentDb: { ...SMALL_DATABASE, backupRetentionDays: 1 },
  },
  [DeploymentEnvironment.STAGING]: {
    pyFido: sizing(512, 1024, 2, 4, false),
    tomcat: sizing(512, 1024, 2, 4, false),
    logRetention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
    natGateways: 1,
    deletionProtection: false,
    waf: false,
    warnOnMutableImageTag: false,
    customerManagedKey: false,
    documentDb: { ...SMALL_DATABASE, backupRetentionDays: 7 },
  },
  [DeploymentEnvironment.PROD]: {
    pyFido: sizing(1024, 2048, 3, 6, false),
    tomcat: sizing(1024, 2048, 3, 6, false),
    logRetention: logs.RetentionDays.THREE_MONTHS,
    removalPolicy: RemovalPolicy.RETAIN,
    natGateways: 2,
    deletionProtection: true,
    waf: true,
    warnOnMutableImageTag: true,
    customerManagedKey: true,
    documentDb: {
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      instances: 3,
      backupRetentionDays: 35,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      deletionProtection: true,
    },
  },
};

/** Whether a value (as JavaScript or Python may pass anything) is one of the enum's values. */
export function isDeploymentEnvironment(value: unknown): value is DeploymentEnvironment {
  return Object.values(DeploymentEnvironment).includes(value as DeploymentEnvironment);
}
