import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FidoServiceOptions, ServiceSizing } from './options';
import { checkServiceOptions, checkSizing } from './private/check-props';
import { SERVICE_OPTION_FIELDS, SERVICE_SIZING } from './private/deployment-shape';
import { acknowledge, INLINE_POLICY_REASON, LOG_KEY_REASON } from './private/nag';
import { deploymentAlarmNames } from './private/names';
import { ResolvedSizing } from './private/presets';
import { cdkStruct, sanitize } from './private/schema';
import { autoscales, resolveSizing } from './private/sizing';
import { ProblemList } from './private/validation';

/** A lone service's sizing: the smallest Fargate task, one of it, no autoscaling, on-demand. */
const STANDALONE_SIZING: ResolvedSizing = {
  cpu: 256, memoryLimitMiB: 512, desiredCount: 1, minCapacity: 1, maxCapacity: 1, targetCpuUtilizationPercent: 70, spot: false,
};


/** Problems with a lone service's props, each naming its prop (a deployment checks its own before it builds). */
function loneServiceProblems(props: FidoServiceProps, sizing: ResolvedSizing): string[] {
  const problems = new ProblemList();
  const given = sanitize(problems, 'sizing', props.sizing, SERVICE_SIZING);
  // What the deployment wires in is typed by it; what a user chooses is checked here.
  const { cluster, image, sizing: _sizing, vpcSubnets, securityGroups, containerName, containerPort, ...rest } = props;
  const { logGroupName, logRetention, logEncryptionKey, logRemovalPolicy, serviceConnect, ...options } = rest;
  const typed = sanitize(problems, '', options, cdkStruct('FidoServiceProps', SERVICE_OPTION_FIELDS));
  if (problems.all.length === 0) {
    checkSizing(problems, 'sizing', sizing, given ?? {});
    checkServiceOptions(problems, '', typed, []);
  }
  return problems.all.map((p) => p.replace(/^\./, ''));
}

/**
 * Props of `FidoService`.
 */
export interface FidoServiceProps extends FidoServiceOptions {
  /**
   * Cluster the service runs in. Its VPC is the target group's VPC.
   */
  readonly cluster: ecs.ICluster;

  /**
   * Name of the container (and of its log stream prefix), e.g. `pyfido`.
   */
  readonly containerName: string;

  /**
   * Image of the container.
   */
  readonly image: ecs.ContainerImage;

  /**
   * Port the container listens on.
   */
  readonly containerPort: number;

  /**
   * CPU, memory and task counts.
   *
   * @default - 256 CPU, 512 MiB, 1 task, no autoscaling
   */
  readonly sizing?: ServiceSizing;

  /**
   * Subnets of the tasks. Tasks never get a public IP.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the tasks.
   *
   * @default - a new security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Name of the service's log group.
   *
   * @default - a name CloudFormation generates
   */
  readonly logGroupName?: string;

  /**
   * How long the container's logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the log group. Its key policy must let CloudWatch Logs use it.
   *
   * @default - CloudWatch Logs' own encryption
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * What happens to the log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;

  /**
   * ECS Service Connect: how other services of the cluster's namespace reach this one inside the
   * VPC (give `services`), or only that this one reaches them (`{}`). The cluster needs a
   * default Cloud Map namespace unless `namespace` is given.
   *
   * @default - no Service Connect
   */
  readonly serviceConnect?: ecs.ServiceConnectProps;
}

/**
 * One of the deployment's Fargate services (PyFIDO or Tomcat): its task definition, container,
 * log group, service, target group and autoscaling.
 *
 * Deployments are rolling and zero-downtime: ECS keeps 100% of the tasks healthy, starts up to
 * 200%, and the circuit breaker rolls a deployment that cannot get healthy back.
 */
export class FidoService extends Construct implements ec2.IConnectable {
  /** The Fargate service. */
  public readonly service: ecs.FargateService;

  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;

  /** The container. */
  public readonly container: ecs.ContainerDefinition;

  /** The container's log group. */
  public readonly logGroup: logs.LogGroup;

  /** Target group the load balancer forwards to; the service registers its tasks in it. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;

  /**
   * The service's scalable task count, when autoscaling is on.
   *
   * @default - no autoscaling
   */
  public readonly scalableTaskCount?: ecs.ScalableTaskCount;

  /** The tasks' network side. */
  public readonly connections: ec2.Connections;

  private readonly containerName: string;

  constructor(scope: Construct, id: string, props: FidoServiceProps) {
    super(scope, id);

    const sizing = resolveSizing(STANDALONE_SIZING, props.sizing);
    const autoscaling = autoscales(sizing);
    // A deployment checks these before it builds; a service on its own checks them at synth.
    this.node.addValidation({ validate: () => loneServiceProblems(props, sizing) });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: sizing.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });

    this.containerName = props.containerName;
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: props.containerName,
      image: props.image,
      essential: true,
      privileged: false,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? false,
      stopTimeout: props.stopTimeout ?? Duration.seconds(30),
      environment: props.environment,
      secrets: props.secrets,
      portMappings: [{ containerPort: props.containerPort, name: props.containerName }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: props.containerName }),
    });

    if (props.readonlyRootFilesystem) {
      (props.writablePaths ?? ['/tmp']).forEach((containerPath, index) => {
        const sourceVolume = `writable-${index}`;
        this.taskDefinition.addVolume({ name: sourceVolume });
        this.container.addMountPoints({ sourceVolume, containerPath, readOnly: false });
      });
    }

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: autoscaling ? undefined : sizing.desiredCount,
      assignPublicIp: false,
      // Spot needs the cluster's Fargate capacity providers (`Cluster.enableFargateCapacityProviders()`).
      capacityProviderStrategies: sizing.spot ? [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] : undefined,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: props.securityGroups,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      serviceConnectConfiguration: props.serviceConnect,
    });
    this.connections = this.service.connections;

    this.acknowledgeFindings(props.logEncryptionKey);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.cluster.vpc,
      port: props.containerPort,
      protocol: props.targetProtocol ?? elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
      healthCheck: {
        path: '/',
        interval: Duration.seconds(30),
        healthyThresholdCount: 2,
        ...props.healthCheck,
      },
      targets: [this.service.loadBalancerTarget({ containerName: props.containerName, containerPort: props.containerPort })],
    });

    if (autoscaling) {
      this.scalableTaskCount = this.service.autoScaleTaskCount({ minCapacity: sizing.minCapacity, maxCapacity: sizing.maxCapacity });
      this.scalableTaskCount.scaleOnCpuUtilization('CpuScaling', {
        targetUtilizationPercent: sizing.targetCpuUtilizationPercent,
        scaleInCooldown: Duration.seconds(300),
        scaleOutCooldown: Duration.seconds(60),
      });
    }
  }

  /** Records why the rule-pack findings on the task definition, its roles and the log group are accepted. */
  private acknowledgeFindings(logEncryptionKey?: kms.IKey): void {
    acknowledge(this.taskDefinition, {
      'AwsSolutions-ECS2': 'The plain variables carry settings only (ENVIRONMENT, DOMAIN_NAME, PYFIDO_URL and the user\'s own); credentials reach the container as ECS secrets from Secrets Manager, and synth warns about secret-like variable names.',
    });
    // The execution role exists once the container has an image and a log driver.
    acknowledge(this.taskDefinition.obtainExecutionRole(), {
      'AwsSolutions-IAM5[Resource::*]': 'ecr:GetAuthorizationToken, which pulls the image, has no resource-level permissions and needs "*"; the pull and the secret reads are scoped to their repository and secrets.',
      'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the task execution role: image pull, log writes, secret reads).`,
    });
    if (!logEncryptionKey) {
      acknowledge(this.logGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
    }
  }

  /**
   * Creates the two deployment alarms, on the target group's 5xx responses and unhealthy targets,
   * and has ECS roll a deployment back when either goes off. Call it once the target group is
   * attached to a load balancer (the alarms' metrics name it).
   *
   * @param alarmNamePrefix prefix of the alarm names, e.g. `arculus-auth-prod-pyfido`; ECS finds
   * the alarms by name, so the names are fixed, not generated
   */
  public addDeploymentAlarms(alarmNamePrefix: string): cloudwatch.Alarm[] {
    const metrics = this.targetGroup.metrics;
    const names = deploymentAlarmNames(alarmNamePrefix);
    const alarms = [
      new cloudwatch.Alarm(this, 'Target5xxAlarm', {
        alarmName: names[0],
        alarmDescription: `5xx responses from the ${this.containerName} targets; rolls an ECS deployment back`,
        metric: metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 10,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'UnhealthyHostsAlarm', {
        alarmName: names[1],
        alarmDescription: `Unhealthy ${this.containerName} targets; rolls an ECS deployment back`,
        metric: metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    // The literal names, which ECS needs (and which avoid CDK's warning about name tokens), with
    // an explicit dependency so the alarms exist before the service's next deployment.
    this.service.enableDeploymentAlarms(names, { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    this.service.node.addDependency(...alarms);
    for (const alarm of alarms) {
      acknowledge(alarm, {
        'NIST.800.53.R5-CloudWatchAlarmAction': 'The alarm acts through the ECS deployment configuration, which rolls a deployment back while it is in alarm; CloudWatch alarm actions cannot express that. Add a notification with alarm.addAlarmAction() to also page someone.',
      });
    }
    return alarms;
  }
}
