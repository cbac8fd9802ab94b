import { Annotations, Duration, FeatureFlags, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { FidoServiceOptions, ServiceSizing } from './options';
import { bundledFunction } from '../private/bundled-function';
import { checkServiceOptions, checkSizing } from '../private/check-props';
import { checkSelectionOfVpc } from '../private/cross-checks';
import { CHECK_LIMITS, DEFAULT_BAKE_TIME, deploymentChecks, shiftsTraffic } from '../private/deployment-strategy';
import { checkIngressPeers } from '../private/load-balancer-rules';
import { acknowledge, INLINE_POLICY_REASON, LOG_KEY_REASON } from '../private/nag';
import { deploymentAlarmNames } from '../private/names';
import { ResolvedSizing, SCALING_PACE } from '../private/presets';
import { addScaling, attachedToLoadBalancer, checkRequestsWithStrategy } from '../private/scaling';
import { sanitize, struct, reportBlockProblems, withDefaults } from '../private/schema';
import { autoscales, resolveSizing } from '../private/sizing';
import { ProblemList } from '../private/validation';

/** Why a blue/green, linear or canary service leaves ECS's circuit breaker off. */
const CIRCUIT_BREAKER_REASON = 'ECS documents the circuit breaker for rolling deployments only; a blue/green, linear or canary deployment rolls back on its deployment check and on the deployment alarms, which watch both target groups';

/** A lone service's sizing: the smallest Fargate task, one of it, no autoscaling, on-demand. */
const STANDALONE_SIZING: ResolvedSizing = {
  cpu: 256, memoryLimitMiB: 512, desiredCount: 1, minCapacity: 1, maxCapacity: 1, targetCpuUtilizationPercent: 70, spot: false, ...SCALING_PACE,
};


/** The props' keys, their types and the required ones, from the API model. */
const PROPS_SHAPE = struct('FidoServiceProps', { required: true });

/** Problems with a lone service's props, each naming its prop (a deployment checks its own before it builds). */
function loneServiceProblems(props: FidoServiceProps, sizing: ResolvedSizing): string[] {
  const problems = new ProblemList();
  const typed: FidoServiceProps = sanitize(problems, '', props ?? {}, PROPS_SHAPE) ?? {};
  if (problems.all.length === 0) {
    checkSizing(problems, 'sizing', sizing, typed.sizing ?? {}, [], 0);
    checkRequestsWithStrategy(problems, 'sizing', '', typed.sizing ?? {}, typed.deployment?.strategy);
    // Whether the load balancer takes IPv6 testers is told by the test listener, at addTrafficRoute().
    checkServiceOptions(problems, '', typed, [], { ipv6: true });
  }
  checkSelectionOfVpc(problems, 'vpcSubnets', 'cluster.vpc', () => props.cluster.vpc, props?.vpcSubnets);
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
 * A production listener whose traffic a blue/green, linear or canary service takes, through a
 * listener rule that ECS moves between the service's two target groups.
 */
export interface TrafficRouteOptions {
  /**
   * The production listener. Its default action is never reached: the route's rule matches every path.
   */
  readonly listener: elbv2.ApplicationListener;

  /**
   * A test listener, whose traffic ECS moves to the new revision before any production traffic,
   * and through which the deployment check calls it. It is opened to the service's
   * `deployment.testIngress`.
   *
   * @default - no test route
   */
  readonly testListener?: elbv2.ApplicationListener;
}

/**
 * Where the deployment check of a blue/green, linear or canary service finds the test listener.
 */
export interface DeploymentCheckTarget {
  /**
   * The load balancer of the test listener. The check connects to its nodes' private addresses
   * from inside the VPC, so the listener needs to admit only the check's security group.
   */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /**
   * Port of the test listener.
   */
  readonly testPort: number;

  /**
   * The name the load balancer's certificate is for, sent as TLS server name and `Host` header,
   * e.g. `auth.example.com`.
   */
  readonly serverName: string;

  /**
   * Subnets of the check's function; they need a route to the EC2 API, where it looks up the load
   * balancer's addresses, and to the Elastic Load Balancing API, where it reads the production
   * rules (a NAT gateway or interface endpoints).
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * One of the deployment's Fargate services (PyFIDO or Tomcat): its task definition, container,
 * log group, service, target group and autoscaling.
 *
 * Deployments are zero-downtime: ECS keeps 100% of the tasks healthy, starts up to 200%, and the
 * circuit breaker rolls a deployment that cannot get healthy back. A rolling service (the default)
 * registers in `targetGroup`, which the load balancer's listeners forward to. A blue/green, linear
 * or canary service (`deployment.strategy`) also has `alternateTargetGroup`: route each listener to
 * it with `addTrafficRoute()`, and add the check of the new revision with `addDeploymentCheck()`.
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
   * The second target group of a blue/green, linear or canary service: ECS registers each new
   * revision in whichever of the two does not serve production traffic.
   *
   * @default - none: the service deploys rolling
   */
  public readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;

  /**
   * The service's scalable task count, when autoscaling is on.
   *
   * @default - no autoscaling
   */
  public readonly scalableTaskCount?: ecs.ScalableTaskCount;

  /** The tasks' network side. */
  public readonly connections: ec2.Connections;

  private readonly containerName: string;
  private readonly props: FidoServiceProps;
  /** Every target group the service registers in, for the deployment alarms' metrics. */
  private readonly registeredIn: elbv2.ApplicationTargetGroup[] = [];
  private readonly routes: elbv2.ApplicationListenerRule[] = [];
  private loadBalancerRole?: iam.Role;
  private loadBalancerPolicy?: iam.ManagedPolicy;
  private deploymentCheck?: lambda.Function;

  constructor(scope: Construct, id: string, props: FidoServiceProps) {
    super(scope, id);

    const sizing = resolveSizing(STANDALONE_SIZING, props?.sizing);
    // Routes are added after the service is made: they are judged at synth.
    reportBlockProblems(this, 'FidoService', loneServiceProblems(props, sizing), () => this.routeProblems());
    const autoscaling = autoscales(sizing);
    this.props = props;
    const shifting = shiftsTraffic(props.deployment?.strategy);

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
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? Duration.seconds(60),
      serviceConnectConfiguration: props.serviceConnect,
      enableExecuteCommand: props.enableExecuteCommand,
      ...this.deploymentSettings(props, shifting),
    });
    this.connections = this.service.connections;
    if (shifting) {
      Annotations.of(this.service).acknowledgeWarning('@aws-cdk/aws-ecs:shouldUseCircuitBreaker', CIRCUIT_BREAKER_REASON);
    }
    if (props.enableExecuteCommand) {
      acknowledge(this.taskDefinition.taskRole, {
        'AwsSolutions-IAM5[Resource::*]': 'ECS Exec: the ssmmessages channel actions have no resource-level permissions, and logs:DescribeLogGroups lists log groups; the session log writes are scoped to the exec log group.',
        'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the task role, for ECS Exec sessions).`,
      });
    }

    this.acknowledgeFindings(props.logEncryptionKey);

    // Rolling: the tasks register in one target group. Blue/green: in one of a pair per route,
    // attached with the route's listener rule (addTrafficRoute).
    this.targetGroup = this.createTargetGroup('TargetGroup', !shifting);
    this.alternateTargetGroup = shifting ? this.createTargetGroup('AlternateTargetGroup', false) : undefined;

    if (autoscaling) {
      this.scalableTaskCount = addScaling(this.service, sizing, this.targetGroup);
    }
  }

  /**
   * How ECS deploys the service. ECS's circuit breaker serves rolling deployments only; a
   * blue/green one fails on its check and its alarms. The deployment controller stays as rolling
   * renders it (ECS, explicit unless a flag leaves it out), since changing that property replaces
   * the service.
   */
  private deploymentSettings(props: FidoServiceProps, shifting: boolean): Partial<ecs.FargateServiceProps> {
    if (!shifting) {
      return { circuitBreaker: { enable: true, rollback: true } };
    }
    const deployment = props.deployment!;
    return {
      deploymentController: FeatureFlags.of(this).isEnabled(cxapi.ECS_DISABLE_EXPLICIT_DEPLOYMENT_CONTROLLER_FOR_CIRCUIT_BREAKER)
        ? undefined
        : { type: ecs.DeploymentControllerType.ECS },
      deploymentStrategy: deployment.strategy,
      bakeTime: deployment.bakeTime ?? DEFAULT_BAKE_TIME,
      linearConfiguration: deployment.strategy === ecs.DeploymentStrategy.LINEAR ? deployment.trafficShift : undefined,
      canaryConfiguration: deployment.strategy === ecs.DeploymentStrategy.CANARY ? deployment.trafficShift : undefined,
    };
  }

  /** A target group of the service's container, with its health check and, if `register`, its tasks. */
  private createTargetGroup(id: string, register: boolean): elbv2.ApplicationTargetGroup {
    const props = this.props;
    const targetGroup = new elbv2.ApplicationTargetGroup(this, id, {
      vpc: props.cluster.vpc,
      port: props.containerPort,
      protocol: props.targetProtocol ?? elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
      healthCheck: withDefaults<elbv2.HealthCheck>({ path: '/', interval: Duration.seconds(30), healthyThresholdCount: 2 }, props.healthCheck),
      targets: register ? [this.service.loadBalancerTarget({ containerName: props.containerName, containerPort: props.containerPort })] : undefined,
    });
    this.registeredIn.push(targetGroup);
    return targetGroup;
  }

  /**
   * Every target group the service registers its tasks in: `targetGroup`, and for a blue/green,
   * linear or canary service also `alternateTargetGroup` and the pair of each further route. What
   * watches the service's traffic (alarms, dashboards) watches all of them, since traffic moves
   * between them.
   */
  public get targetGroups(): elbv2.ApplicationTargetGroup[] {
    return [...this.registeredIn];
  }

  /** Refuses IPv6 testers on the test listener of a load balancer that is not dual-stack, which would never see them. */
  private checkTestersReach(testListener: elbv2.ApplicationListener): void {
    const type = (testListener.loadBalancer as { ipAddressType?: elbv2.IpAddressType }).ipAddressType;
    if (type !== elbv2.IpAddressType.IPV4) {
      return;
    }
    const problems = new ProblemList();
    checkIngressPeers(problems, 'deployment.testIngress', this.props.deployment?.testIngress ?? [], "testers'");
    problems.throwIfAny(this, 'FidoService');
  }

  /**
   * Routes a production listener (and a test listener) of a blue/green, linear or canary service
   * to it: a rule on each listener, matching every path, forwards to a pair of target groups,
   * and ECS moves the rule's weights from the serving one to the other during a deployment. The
   * first route uses `targetGroup` and `alternateTargetGroup`; each further one (another port of
   * the same container) gets a pair of its own, `<id>TargetGroup` and `<id>AlternateTargetGroup`.
   *
   * @param id names the route's constructs, e.g. `Https`
   * @returns the production listener rule
   */
  public addTrafficRoute(id: string, options: TrafficRouteOptions): elbv2.ApplicationListenerRule {
    if (!this.alternateTargetGroup) {
      throw new Error(`FidoService '${this.node.path}': addTrafficRoute() needs deployment.strategy BLUE_GREEN, LINEAR or CANARY; a rolling service is served by the listeners' default action`);
    }
    const [blue, green] = this.routes.length === 0
      ? [this.targetGroup, this.alternateTargetGroup]
      : [this.createTargetGroup(`${id}TargetGroup`, false), this.createTargetGroup(`${id}AlternateTargetGroup`, false)];
    const rule = (ruleId: string, listener: elbv2.ApplicationListener) => new elbv2.ApplicationListenerRule(this, ruleId, {
      listener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 100 }, { targetGroup: green, weight: 0 }]),
    });
    const production = rule(`${id}ProductionRule`, options.listener);
    const test = options.testListener ? rule(`${id}TestRule`, options.testListener) : undefined;
    // The test listener serves the unchecked revision: the testers the user names reach it, and the check.
    if (options.testListener) {
      this.checkTestersReach(options.testListener);
    }
    for (const peer of options.testListener ? this.props.deployment?.testIngress ?? [] : []) {
      options.testListener!.connections.allowDefaultPortFrom(peer, `${this.containerName} test listener from testers (deployment.testIngress)`);
    }
    const listeners = [options.listener, ...options.testListener ? [options.testListener] : []];
    this.allowTrafficShift([production, ...test ? [test] : []], listeners, [blue, green]);
    this.service.loadBalancerTarget({
      containerName: this.props.containerName,
      containerPort: this.props.containerPort,
      alternateTarget: new ecs.AlternateTarget(`${id}AlternateTarget`, {
        alternateTargetGroup: green,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(production),
        testListener: test ? ecs.ListenerRuleConfiguration.applicationListenerRule(test) : undefined,
        role: this.loadBalancerRole,
      }),
    }).attachToApplicationTargetGroup(blue);
    this.routes.push(production);
    return production;
  }

  /**
   * The role ECS moves the service's traffic with: the Elastic Load Balancing calls ECS documents
   * for it (AmazonECSInfrastructureRolePolicyForLoadBalancers), on this service's listener rules,
   * listeners and target groups only, where the managed policy grants them on every load balancer
   * of the account. The service waits for the policy, so no deployment starts without it.
   */
  private allowTrafficShift(
    rules: elbv2.ApplicationListenerRule[], listeners: elbv2.ApplicationListener[], targetGroups: elbv2.ApplicationTargetGroup[],
  ): void {
    if (!this.loadBalancerRole) {
      this.loadBalancerRole = new iam.Role(this, 'LoadBalancerRole', {
        assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
        description: `ECS moves ${this.containerName} traffic between its target groups during a deployment`,
      });
      this.loadBalancerPolicy = new iam.ManagedPolicy(this, 'LoadBalancerPolicy', {
        description: `The Elastic Load Balancing calls ECS makes to move ${this.containerName} traffic, on its own rules, listeners and target groups`,
        roles: [this.loadBalancerRole],
        statements: [new iam.PolicyStatement({
          actions: ['DescribeListeners', 'DescribeRules', 'DescribeTargetGroups', 'DescribeTargetHealth'].map((a) => `elasticloadbalancing:${a}`),
          resources: ['*'],
        })],
      });
      this.service.node.addDependency(this.loadBalancerPolicy);
      acknowledge(this.loadBalancerPolicy, {
        'AwsSolutions-IAM5[Resource::*]': 'Elastic Load Balancing\'s Describe calls have no resource-level permissions, so they read every load balancer of the account, as in the AWS managed policy. What remains wide: those reads, and who may assume the role: ecs.amazonaws.com, on behalf of any principal of this account allowed iam:PassRole on it (ECS documents no source condition for this role). The writes (ModifyRule, ModifyListener, RegisterTargets, DeregisterTargets) name this service\'s rules, listeners and target groups.',
      });
    }
    this.loadBalancerPolicy!.addStatements(
      new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyRule'], resources: rules.map((r) => r.listenerRuleArn) }),
      new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyListener'], resources: listeners.map((l) => l.listenerArn) }),
      new iam.PolicyStatement({
        actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        resources: targetGroups.map((g) => g.targetGroupArn),
      }),
    );
  }

  /**
   * Adds the check of a new revision to a blue/green, linear or canary service: once ECS has
   * moved the test listener's traffic to the new revision, a function the library ships requests
   * the health check path (and `deployment.checks`) through the test listener, and fails the
   * deployment on any wrong answer, timeout or refused connection, so ECS rolls back before any
   * production traffic moves. Before ECS starts the new revision (RECONCILE_SERVICE,
   * PRE_SCALE_UP), the same function reads the production rules of every route and fails the
   * deployment when one sends users to an empty target group, or to one without a healthy target
   * while the other has healthy ones. It runs in the VPC and reaches the load balancer's private
   * addresses; its security group may reach only the test port and the AWS APIs (HTTPS).
   */
  public addDeploymentCheck(target: DeploymentCheckTarget): lambda.IFunction {
    if (!this.alternateTargetGroup) {
      throw new Error(`FidoService '${this.node.path}': addDeploymentCheck() needs deployment.strategy BLUE_GREEN, LINEAR or CANARY`);
    }
    if (this.deploymentCheck) {
      throw new Error(`FidoService '${this.node.path}': addDeploymentCheck() was already called; a service has one deployment check`);
    }
    const props = this.props;
    const checks = deploymentChecks(props.healthCheck, target.testPort, props.deployment?.checks);
    const securityGroup = new ec2.SecurityGroup(this, 'DeploymentCheckSecurityGroup', {
      vpc: props.cluster.vpc,
      description: `Deployment check of ${this.containerName}: the test listener and the EC2 API only`,
      allowAllOutbound: false,
    });
    securityGroup.connections.allowTo(target.loadBalancer, ec2.Port.tcp(target.testPort), `${this.containerName} test listener`);
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'EC2 API: the load balancer\'s addresses');
    const perCheck = CHECK_LIMITS.attempts * (CHECK_LIMITS.timeoutSeconds + CHECK_LIMITS.retryDelaySeconds);
    const logGroup = new logs.LogGroup(this, 'DeploymentCheckLogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    const fn = bundledFunction(this, 'DeploymentCheck', 'deployment-check', {
      description: `Checks a new ${this.containerName} revision through the test listener before ECS moves production traffic`,
      vpc: props.cluster.vpc,
      vpcSubnets: target.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      timeout: Duration.seconds(15 + checks.length * perCheck),
      logGroup,
      environment: {
        DEPLOYMENT_CHECKS: JSON.stringify(checks),
        SERVER_NAME: target.serverName,
        LOAD_BALANCER_ENI_DESCRIPTION: `ELB ${target.loadBalancer.loadBalancerFullName}`,
        LOAD_BALANCER_VPC_ID: (target.loadBalancer.vpc ?? props.cluster.vpc).vpcId,
        // Every route's production rule, the routes added after this call included.
        PRODUCTION_RULE_ARNS: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.routes.map((rule) => rule.listenerRuleArn)) }),
        CHECK_TIMEOUT_SECONDS: String(CHECK_LIMITS.timeoutSeconds),
        CHECK_ATTEMPTS: String(CHECK_LIMITS.attempts),
      },
    });
    // Describe* calls have no resource-level permissions.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ec2:DescribeNetworkInterfaces', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetHealth'],
      resources: ['*'],
    }));
    // ECS invokes the check with a role of its own, which may invoke this function and no version of it.
    const invokeRole = new iam.Role(this, 'DeploymentCheckInvokeRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: `ECS invokes the ${this.containerName} deployment check`,
    });
    invokeRole.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
    // Before ECS starts the new revision (RECONCILE_SERVICE when an earlier deployment left two
    // revisions active, then PRE_SCALE_UP on every deployment), the check reads the production
    // rules; once test traffic reaches the new revision, it asks it through the test listener.
    this.service.addLifecycleHook(new ecs.DeploymentLifecycleLambdaTarget(fn, 'DeploymentCheck', {
      lifecycleStages: [
        ecs.DeploymentLifecycleStage.RECONCILE_SERVICE,
        ecs.DeploymentLifecycleStage.PRE_SCALE_UP,
        ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT,
      ],
      role: invokeRole,
    }));
    acknowledge(invokeRole, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (ECS invokes the deployment check).` });
    this.acknowledgeCheckFindings(fn, logGroup, props.logEncryptionKey);
    this.deploymentCheck = fn;
    return fn;
  }

  /**
   * A blue/green service without a route would never register a task, and a policy on requests
   * reads them from the load balancer a listener forwards to the target group from.
   */
  private routeProblems(): string[] {
    if (this.alternateTargetGroup && this.routes.length === 0) {
      return [`deployment.strategy is ${this.props.deployment?.strategy}, but no listener routes to the service: call addTrafficRoute() with the production listener`];
    }
    if (this.props.sizing?.targetRequestsPerTarget !== undefined && !attachedToLoadBalancer(this.targetGroup)) {
      return ['sizing.targetRequestsPerTarget: scales on the requests the load balancer counts for targetGroup, but no listener forwards to it: add it to a listener (addTargetGroups or ListenerAction.forward)'];
    }
    return [];
  }

  private acknowledgeCheckFindings(fn: lambda.Function, logGroup: logs.LogGroup, logEncryptionKey?: kms.IKey): void {
    acknowledge(fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'The AWS managed policy that lets the deployment check write its own logs (CreateLogGroup, CreateLogStream, PutLogEvents), and nothing else.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]': 'The AWS managed policy Lambda needs to attach the function to the VPC (network interfaces in its subnets).',
      'AwsSolutions-IAM5[Resource::*]': 'ec2:DescribeNetworkInterfaces, elasticloadbalancing:DescribeRules and DescribeTargetHealth have no resource-level permissions; the check only reads the load balancer\'s private addresses, the production rules\' weights and their target groups\' health.',
      'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the deployment check: describe network interfaces, listener rules and target health).`,
      'NIST.800.53.R5-LambdaConcurrency': 'ECS invokes the check once per deployment stage; reserved concurrency would only take from the account\'s pool, and new accounts may have none to spare.',
      'NIST.800.53.R5-LambdaDLQ': 'ECS invokes the check synchronously and reads its answer; a failed invocation fails the deployment, so there is no event to keep.',
    });
    if (!logEncryptionKey) {
      acknowledge(logGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
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
   * Creates the two deployment alarms, on the targets' 5xx responses and unhealthy targets, and
   * has ECS roll a deployment back when either goes off, including during a blue/green bake
   * time. Call it once the target groups are attached to a load balancer (the alarms' metrics
   * name them) and, for a blue/green service, after its traffic routes: each alarm then watches
   * every target group of the service, since traffic moves from one to the other.
   *
   * @param alarmNamePrefix prefix of the alarm names, e.g. `arculus-auth-prod-pyfido`; ECS finds
   * the alarms by name, so the names are fixed, not generated
   */
  public addDeploymentAlarms(alarmNamePrefix: string): cloudwatch.Alarm[] {
    const names = deploymentAlarmNames(alarmNamePrefix);
    const minute = Duration.minutes(1);
    const alarms = [
      new cloudwatch.Alarm(this, 'Target5xxAlarm', {
        alarmName: names[0],
        alarmDescription: `5xx responses from the ${this.containerName} targets; rolls an ECS deployment back`,
        metric: this.acrossTargetGroups('SUM', (metrics) => metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute, statistic: 'Sum' })),
        threshold: 10,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'UnhealthyHostsAlarm', {
        alarmName: names[1],
        alarmDescription: `Unhealthy ${this.containerName} targets; rolls an ECS deployment back`,
        metric: this.acrossTargetGroups('MAX', (metrics) => metrics.unhealthyHostCount({ period: minute, statistic: 'Maximum' })),
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

  /**
   * A target group metric of a rolling service, or the `SUM` or `MAX` of it over every target
   * group of a blue/green one (a target group without data counts as 0, so the other decides).
   */
  private acrossTargetGroups(
    combine: 'SUM' | 'MAX', metricOf: (metrics: elbv2.IApplicationTargetGroupMetrics) => cloudwatch.Metric,
  ): cloudwatch.IMetric {
    if (this.registeredIn.length === 1) {
      return metricOf(this.targetGroup.metrics);
    }
    const usingMetrics = Object.fromEntries(this.registeredIn.map((group, index) => [`tg${index}`, metricOf(group.metrics)]));
    return new cloudwatch.MathExpression({
      expression: `${combine}([${Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(', ')}])`,
      usingMetrics,
      period: Duration.minutes(1),
      label: `${combine} over the ${this.containerName} target groups`,
    });
  }
}
