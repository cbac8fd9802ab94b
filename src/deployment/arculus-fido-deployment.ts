import { Annotations, ArnFormat, Aws, CfnElement, NestedStack, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { DeploymentEnvironment } from './deployment-environment';
import { ArculusFidoDeploymentProps } from './options';
import { FidoDataLayer } from '../data/fido-data-layer';
import { FidoLoadBalancer } from '../edge/fido-load-balancer';
import { FidoNetwork } from '../network/fido-network';
import { FidoMonitoring } from '../operations/fido-monitoring';
import { FailoverDatabaseOptions, FidoRunbooks } from '../operations/fido-runbooks';
import { addFailoverRecord, CheckedEndpoint, deployedSizing } from '../private/failover';
import { acknowledge, INLINE_POLICY_REASON, LOG_KEY_REASON } from '../private/nag';
import { OtherStacks } from '../private/other-stacks';
import { resolveDeployment } from '../private/resolve';
import { HTTPS_PORT, PYFIDO_PORT, ResolvedDeployment, ResolvedService } from '../private/resolved';
import { SdkCallLogs } from '../private/sdk-calls';
import { importReplica } from '../private/secret-replication';
import { shareSecret } from '../private/shared-secret';
import { autoscales } from '../private/sizing';
import { zoneRecordWriter } from '../private/zone-records';
import { FidoService } from '../service/fido-service';

/** The construct IDs of each service's constructs: API, since a changed ID replaces the resource. */
const CONSTRUCT_IDS = {
  pyFido: { service: 'PyFido', repository: 'PyFidoRepository' },
  tomcat: { service: 'Tomcat', repository: 'TomcatRepository' },
} as const;

/**
 * The endpoints Route 53 checks in a failover pair: each service's on the path its target group
 * checks. Tomcat answers 443 and 8080 alike: its check on 443 covers both.
 */
function failoverEndpoints(resolved: ResolvedDeployment): CheckedEndpoint[] {
  return [resolved.tomcat, resolved.pyFido].map((settings) => ({
    id: CONSTRUCT_IDS[settings.prop].service,
    port: settings.prop === 'tomcat' ? HTTPS_PORT : settings.port,
    path: settings.options.healthCheck?.path ?? '/',
  }));
}

/** A deployment's failover record and the health check Route 53 answers it by. */
export interface DeploymentFailover {
  /**
   * The failover alias record of the domain.
   *
   * @default - none in this stack: the zone is of another account (`domain.hostedZoneRole`), and a
   * custom resource writes the record there
   */
  readonly record?: route53.ARecord;
  /**
   * The AAAA failover alias record beside it, answered by the same health check.
   *
   * @default - none: the load balancer is IPv4 only, or the zone is of another account
   */
  readonly ipv6Record?: route53.AaaaRecord;
  /** Healthy while Tomcat on 443 and PyFIDO on 5001 both pass Route 53's HTTPS checks. */
  readonly healthCheck: route53.IHealthCheck;
}

/** Plain variable names that suggest a secret value. */
const SECRET_LIKE_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/**
 * The Arculus FIDO2 server on ECS Fargate: PyFIDO and the Tomcat portal behind one internet-facing
 * HTTPS load balancer, with their secrets, log groups, autoscaling and DNS.
 *
 * Each resource has one way in: the cluster, certificate and key here, everything else through
 * the building block that owns it (`network.vpc`, `dataLayer.mongoDbSecret`, `pyFido.service`,
 * `pyFido.logGroup`, `loadBalancer.loadBalancer`, ...). Its `connections` are the tasks'
 * security group: allow them to reach other resources with `deployment.connections.allowTo(...)`.
 */
export class ArculusFidoDeployment extends Construct implements ec2.IConnectable {
  /** The environment the deployment serves: dev, staging or prod. */
  public readonly deploymentEnvironment: DeploymentEnvironment;

  /** The prefix of the deployment's names. */
  public readonly applicationName: string;

  /** The ECS cluster, named `<applicationName>-<environment>`. */
  public readonly cluster: ecs.Cluster;

  /** Certificate of the HTTPS listeners, given or created. */
  public readonly certificate: acm.ICertificate;

  /** URL of the PyFIDO API: `https://<domainName>:5001`. */
  public readonly pyFidoEndpoint: string;

  /** URL of the Tomcat portal: `https://<domainName>`. */
  public readonly tomcatEndpoint: string;

  /** The network: `vpc`, the load balancer's and the tasks' security groups, the flow log group. */
  public readonly network: FidoNetwork;

  /** The data layer: `mongoDbSecret`, `applicationSecret` and a created `databaseCluster`. */
  public readonly dataLayer: FidoDataLayer;

  /** PyFIDO: `service`, `taskDefinition`, `container`, `targetGroup`, `logGroup`, `scalableTaskCount`. */
  public readonly pyFido: FidoService;

  /** Tomcat: `service`, `taskDefinition`, `container`, `targetGroup`, `logGroup`, `scalableTaskCount`. */
  public readonly tomcat: FidoService;

  /**
   * The edge, configured by the `loadBalancer` prop: `loadBalancer`, its listeners,
   * `accessLogsBucket`, `webAcl` and its log group.
   */
  public readonly loadBalancer: FidoLoadBalancer;

  /** Alarms, their notification `topic` and the `dashboard`. */
  public readonly monitoring: FidoMonitoring;

  /**
   * The edge, under its former name.
   *
   * @deprecated use `loadBalancer`, which matches the prop that configures it
   */
  public get loadBalancing(): FidoLoadBalancer {
    return this.loadBalancer;
  }

  /**
   * The Stop, Start, Redeploy and Diagnose runbooks and their roles.
   *
   * @default - none: `runbooks` is false
   */
  public readonly runbooks?: FidoRunbooks;

  /**
   * The failover alias record of the domain and the health check that decides it (calculated
   * from one HTTPS check of Tomcat on 443 and one of PyFIDO on 5001).
   *
   * @default - none: `domain.failover` is not set
   */
  public readonly failover?: DeploymentFailover;

  /** The log group of ECS Exec sessions, when a service allows ECS Exec. */
  private execLogGroup?: logs.LogGroup;

  /** The tasks' network side (their security group). */
  public readonly connections: ec2.Connections;

  /**
   * The customer-managed key of logs, secrets and database.
   *
   * @default - none when `encryption.customerManagedKey` is off (dev and staging by default)
   */
  public readonly encryptionKey?: kms.IKey;

  /**
   * How the deployment's functions log, as resolved: for the custom resources made beside it in
   * its stack (a region pair's).
   *
   * @internal
   */
  public readonly _logs: SdkCallLogs;

  /**
   * The endpoints of the load balancer Route 53 checks in a failover pair, on the paths the
   * target groups check.
   *
   * @internal
   */
  public readonly _failoverEndpoints: CheckedEndpoint[];

  constructor(scope: Construct, id: string, props: ArculusFidoDeploymentProps) {
    super(scope, id);
    const resolved = resolveDeployment(this, props);
    this.deploymentEnvironment = resolved.environment;
    this.applicationName = resolved.applicationName;
    this.tomcatEndpoint = `https://${resolved.domainName}`;
    this.pyFidoEndpoint = `https://${resolved.domainName}:${PYFIDO_PORT}`;

    // One key for every layer, so it lives beside them rather than in any of them.
    this.encryptionKey = resolved.createEncryptionKey ? this.createEncryptionKey(resolved.removalPolicy) : undefined;
    const otherStacks = new OtherStacks(this);
    const logEncryptionKey = otherStacks.key('LogEncryptionKey', resolved.logEncryptionKey) ?? this.encryptionKey;
    this._logs = { retention: resolved.logRetention, encryptionKey: logEncryptionKey, removalPolicy: resolved.logRemovalPolicy };
    this._failoverEndpoints = failoverEndpoints(resolved);
    const layer = (stackId: string): Construct => resolved.nestedStacks ? new NestedStack(this, stackId) : this;

    this.network = new FidoNetwork(layer('NetworkStack'), 'Network', {
      vpc: resolved.vpc,
      ...resolved.createdVpc,
      flowLogRetention: resolved.logRetention,
      flowLogRemovalPolicy: resolved.logRemovalPolicy,
      flowLogEncryptionKey: logEncryptionKey,
      allowAllOutbound: resolved.allowAllOutbound,
    });
    this.connections = this.network.serviceSecurityGroup.connections;

    this.dataLayer = new FidoDataLayer(layer('DataStack'), 'Data', {
      mongoDb: resolved.mongoDb,
      deploymentEnvironment: resolved.environment,
      vpc: this.network.vpc,
      vpcSubnets: resolved.privateSubnets,
      clientSecurityGroup: this.network.serviceSecurityGroup,
      // A replica is read where it is, by the ARN of its region: Secrets Manager keeps the name.
      applicationSecret: resolved.replicaOf
        ? importReplica(this, 'ApplicationSecretReplica', resolved.replicaOf.applicationSecret)
        : resolved.applicationSecret,
      applicationSecretReplicaRegions: resolved.applicationSecretReplicaRegions,
      encryptionKey: otherStacks.secretKey('SecretEncryptionKey', resolved.secretEncryptionKey) ?? this.encryptionKey,
      removalPolicy: resolved.removalPolicy,
      logRetention: resolved.logRetention,
      logEncryptionKey,
      logRemovalPolicy: resolved.logRemovalPolicy,
      applicationSecretRotation: resolved.applicationSecretRotation,
    });

    const services = layer('ServicesStack');
    this.cluster = new ecs.Cluster(services, 'Cluster', {
      vpc: this.network.vpc,
      clusterName: resolved.names.cluster,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      // Tomcat calls PyFIDO through Service Connect, inside the VPC.
      defaultCloudMapNamespace: { name: resolved.names.namespace, type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
      executeCommandConfiguration: resolved.executeCommand ? this.execSessionLogging(services, resolved, logEncryptionKey) : undefined,
    });
    this.certificate = resolved.certificate ?? new acm.Certificate(services, 'Certificate', {
      domainName: resolved.domainName,
      validation: acm.CertificateValidation.fromDns(resolved.hostedZone),
    });
    this.shareApplicationSecret(otherStacks, resolved);
    const { secrets, applicationSecret, mongoDbSecret } = this.deploymentSecrets(otherStacks, resolved);
    const serviceEnvironment = { APPLICATION_SECRET_ARN: applicationSecret.secretArn, ...this.mongoDbHost(otherStacks) };
    const serviceConnect = this.serviceConnectGroups(services);
    const variables = { secrets, environment: serviceEnvironment };
    this.pyFido = this.addService(services, resolved.pyFido, resolved, variables, serviceConnect.pyFido, logEncryptionKey);
    this.tomcat = this.addService(services, resolved.tomcat, resolved, variables, serviceConnect.tomcat, logEncryptionKey);
    // A task reads jwtSecretPrevious when it starts: not before the key is in the secret.
    const seed = this.dataLayer.previousJwtSecretSeed;
    if (seed) {
      [this.pyFido, this.tomcat].forEach((s) => s.service.node.addDependency(seed));
    }
    // As the guide says, the tasks may read the application secret through their task role (API
    // keys the application loads at run time); the MongoDB secret stays the execution role's alone.
    const taskRoles = [this.pyFido, this.tomcat].map((s) => s.taskDefinition.taskRole);
    taskRoles.forEach((role) => {
      applicationSecret.grantRead(role);
      acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the task role: reading the application secret).` });
    });
    otherStacks.grantDecrypt([...[this.pyFido, this.tomcat].map((s) => s.taskDefinition.obtainExecutionRole()), ...taskRoles]);
    this.acknowledgeExecLogStreams(resolved);

    this.loadBalancer = this.addLoadBalancer(services, resolved, logEncryptionKey);
    this.routeTraffic(resolved);
    const deploymentAlarms = this.servicesWith(resolved)
      .filter(([, settings]) => settings.deploymentAlarms)
      // Their metrics name the target groups, which need the load balancer and routes first.
      .flatMap(([service, settings]) => service.addDeploymentAlarms(settings.names.alarmPrefix));
    this.monitoring = this.addMonitoring(services, resolved, deploymentAlarms);
    this.failover = resolved.hostedZone ? this.addRecords(services, resolved, resolved.hostedZone) : undefined;
    this.runbooks = resolved.runbooks ? this.addRunbooks(services, resolved, [mongoDbSecret, applicationSecret]) : undefined;
    this.warn(resolved);
  }

  /**
   * Lets the accounts of `secrets.applicationSecretReaderAccounts` read the created application
   * secret (on its keys themselves, wherever they are: their policies name accounts only), and the
   * services decrypt a replica with its key, which no grant on the replica reaches.
   */
  private shareApplicationSecret(otherStacks: OtherStacks, resolved: ResolvedDeployment): void {
    if (this.dataLayer.applicationSecretCreated) {
      shareSecret(this.dataLayer.applicationSecret, resolved.applicationSecretReaderAccounts,
        resolved.secretEncryptionKey ?? this.encryptionKey, resolved.applicationSecretReplicaRegions);
    }
    otherStacks.readsWith(resolved.replicaKey);
  }

  /**
   * The domain's records in the zone: a plain alias A record at the load balancer, or in a
   * failover pair the region's failover alias with the health checks that decide it; and an
   * AAAA record of the same kind beside it when the load balancer is dual-stack. In a zone of
   * another account, custom resources write them there as `domain.hostedZoneRole`, and their
   * function logs like the deployment's own.
   */
  private addRecords(scope: Construct, resolved: ResolvedDeployment, zone: route53.IHostedZone): DeploymentFailover | undefined {
    const ipv6 = resolved.ipAddressType === elbv2.IpAddressType.DUAL_STACK;
    const writeInZone = resolved.hostedZoneRole && zoneRecordWriter(scope, zone, resolved.hostedZoneRole, this._logs);
    if (resolved.failover) {
      return addFailoverRecord(scope, {
        zone,
        writeInZone,
        domainName: resolved.domainName,
        loadBalancer: this.loadBalancer.loadBalancer,
        failover: resolved.failover,
        endpoints: this._failoverEndpoints,
        setIdentifier: `${resolved.names.cluster}-${resolved.failover.role.toLowerCase()}`,
        ipv6,
      });
    }
    // Fully qualified, so that the zone's name is never appended a second time.
    const recordName = `${resolved.domainName}.`;
    if (writeInZone) {
      const record = { name: recordName, loadBalancer: this.loadBalancer.loadBalancer, evaluateTargetHealth: false };
      writeInZone({ a: 'AliasRecordInZoneAccount', aaaa: ipv6 ? 'AaaaAliasRecordInZoneAccount' : undefined }, record);
      return undefined;
    }
    const alias = {
      zone,
      recordName,
      target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(this.loadBalancer.loadBalancer)),
    };
    new route53.ARecord(scope, 'AliasRecord', alias);
    if (ipv6) {
      // IPv6 clients resolve the same name to the load balancer's IPv6 addresses.
      new route53.AaaaRecord(scope, 'AaaaAliasRecord', alias);
    }
    return undefined;
  }

  /**
   * Service Connect reaches PyFIDO's tasks at their own address on 5001, the only way in besides
   * the load balancer. The shared task group (the deployment's `connections`) also holds whatever
   * a user attaches to it, so each service gets a group of its own: PyFIDO's admits 5001 from
   * Tomcat's alone, and Tomcat's may send there.
   */
  private serviceConnectGroups(scope: Construct): { pyFido: ec2.SecurityGroup; tomcat: ec2.SecurityGroup } {
    const vpc = this.network.vpc;
    const pyFido = new ec2.SecurityGroup(scope, 'PyFidoServiceConnectSecurityGroup', {
      vpc, allowAllOutbound: false, description: 'Arculus FIDO PyFIDO tasks: Service Connect port 5001 from the Tomcat tasks only',
    });
    const tomcat = new ec2.SecurityGroup(scope, 'TomcatServiceConnectSecurityGroup', {
      vpc, allowAllOutbound: false, description: 'Arculus FIDO Tomcat tasks: PyFIDO by Service Connect',
    });
    tomcat.connections.allowTo(pyFido, ec2.Port.tcp(PYFIDO_PORT), 'PyFIDO from Tomcat (Service Connect)');
    return { pyFido, tomcat };
  }

  /**
   * One of the two services, wired to the deployment's secrets, network and logs. The
   * deployment's variables and secrets come first: a service's own options may override a variable.
   */
  private addService(
    scope: Construct, settings: ResolvedService, resolved: ResolvedDeployment,
    variables: { secrets: { [name: string]: ecs.Secret }; environment: { [name: string]: string } },
    serviceConnectGroup: ec2.ISecurityGroup, logEncryptionKey?: kms.IKey,
  ): FidoService {
    const ids = CONSTRUCT_IDS[settings.prop];
    if (settings.sizing.spot) {
      // Idempotent: the cluster gets the FARGATE and FARGATE_SPOT capacity providers once.
      this.cluster.enableFargateCapacityProviders();
    }
    const image = settings.image ?? ecs.ContainerImage.fromEcrRepository(
      settings.repository ?? ecr.Repository.fromRepositoryName(scope, ids.repository, settings.names.repository), resolved.imageTag);
    const service = new FidoService(scope, ids.service, {
      ...settings.options,
      cluster: this.cluster,
      containerName: settings.name,
      image,
      containerPort: settings.port,
      sizing: deployedSizing(settings.sizing, resolved.standbyTasks),
      vpcSubnets: resolved.privateSubnets,
      securityGroups: [this.network.serviceSecurityGroup],
      environment: { ...variables.environment, ...settings.options.environment },
      secrets: { ...variables.secrets, ...settings.options.secrets },
      logGroupName: settings.names.logGroup,
      logRetention: resolved.logRetention,
      logEncryptionKey,
      logRemovalPolicy: resolved.logRemovalPolicy,
      serviceConnect: settings.prop === 'pyFido'
        ? { services: [{ portMappingName: settings.name, discoveryName: settings.name, dnsName: settings.name, port: settings.port }] }
        : {},
    });
    // The tasks also hold their Service Connect group, which stays out of the service's
    // connections: the load balancer (and whatever is wired to the deployment's connections)
    // reaches the shared group's container ports, never this group's 5001.
    (service.service.node.defaultChild as ecs.CfnService).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.SecurityGroups',
      [this.network.serviceSecurityGroup.securityGroupId, serviceConnectGroup.securityGroupId]);
    return service;
  }

  /**
   * Routes the listeners of each blue/green, linear or canary service through rules that ECS
   * moves between its target groups, and adds the check of a new revision through the test
   * listener. Tomcat serves two production listeners (443 and 8080), so it gets a route, and a
   * pair of target groups, for each; its test listener checks the 443 route.
   */
  private routeTraffic(resolved: ResolvedDeployment): void {
    const lb = this.loadBalancer;
    const routes = [
      { service: this.pyFido, settings: resolved.pyFido, routes: [{ id: 'PyFido', listener: lb.pyFidoListener, testListener: lb.pyFidoTestListener }] },
      {
        service: this.tomcat,
        settings: resolved.tomcat,
        routes: [{ id: 'Https', listener: lb.httpsListener, testListener: lb.tomcatTestListener }, { id: 'Tomcat', listener: lb.tomcatListener, testListener: undefined }],
      },
    ];
    for (const { service, settings, routes: serviceRoutes } of routes) {
      if (settings.testPort === undefined) {
        continue;
      }
      for (const { id, ...route } of serviceRoutes) {
        service.addTrafficRoute(id, route);
      }
      service.addDeploymentCheck({
        loadBalancer: lb.loadBalancer,
        testPort: settings.testPort,
        serverName: resolved.domainName,
        vpcSubnets: resolved.privateSubnets,
      });
    }
  }

  /**
   * Where ECS Exec sessions go: every command and its output to a log group of the deployment's
   * own (its retention, key and removal), and the sessions encrypted with the deployment's key
   * when there is one.
   */
  private execSessionLogging(scope: Construct, resolved: ResolvedDeployment, logEncryptionKey?: kms.IKey): ecs.ExecuteCommandConfiguration {
    const logGroup = new logs.LogGroup(scope, 'ExecLogGroup', {
      logGroupName: resolved.names.execLogGroup,
      retention: resolved.logRetention,
      encryptionKey: logEncryptionKey,
      removalPolicy: resolved.logRemovalPolicy,
    });
    this.execLogGroup = logGroup;
    if (!logEncryptionKey) {
      acknowledge(logGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
    }
    return {
      kmsKey: this.encryptionKey,
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: { cloudWatchLogGroup: logGroup, cloudWatchEncryptionEnabled: logEncryptionKey !== undefined },
    };
  }

  /**
   * ECS Exec writes each session to a log stream of the exec log group: the task role of a
   * service with ECS Exec may create and write streams in that group (`<group ARN>:*`), and only
   * there. The rule pack reports the stream wildcard by the group's ARN as it reads it in the
   * template, which this names the same way.
   */
  private acknowledgeExecLogStreams(resolved: ResolvedDeployment): void {
    const logGroup = this.execLogGroup;
    if (!logGroup) {
      return;
    }
    const stack = Stack.of(logGroup);
    const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    const groupId = stack.getLogicalId(logGroup.node.defaultChild as CfnElement);
    const streams = `arn:${literal(stack.partition, 'AWS::Partition')}:logs:${literal(stack.region, 'AWS::Region')}:${literal(stack.account, 'AWS::AccountId')}:log-group:<${groupId}>:*`;
    for (const [service] of this.servicesWith(resolved).filter(([, settings]) => settings.options.enableExecuteCommand)) {
      acknowledge(service.taskDefinition.taskRole, {
        [`AwsSolutions-IAM5[Resource::${streams}]`]: 'ECS Exec writes each session to its own log stream of the exec log group; the streams are named per session, so the grant covers the streams of that one group only.',
      });
    }
  }

  /**
   * Alarms on both services, their target groups, a created DocumentDB cluster and the rotating
   * secrets, and the deployment alarms, all sending ALARM and OK to one topic; and the dashboard.
   */
  private addMonitoring(scope: Construct, resolved: ResolvedDeployment, deploymentAlarms: cloudwatch.IAlarm[]): FidoMonitoring {
    const monitoring = new FidoMonitoring(scope, 'Monitoring', {
      ...resolved.monitoring,
      namePrefix: resolved.names.cluster,
      services: this.servicesWith(resolved).map(([service, settings]) => ({
        name: settings.name,
        service: service.service,
        targetGroups: service.targetGroups,
        logGroup: service.logGroup,
      })),
      databaseCluster: this.dataLayer.databaseCluster ?? this.dataLayer.documentDbSecondaryCluster,
      databaseReplicates: this.dataLayer.documentDbSecondaryCluster !== undefined,
      secretRotations: this.dataLayer.secretRotations,
      // A given topic has its own key.
      encryptionKey: resolved.monitoring.topic ? undefined : this.encryptionKey,
    });
    monitoring.notifyOn(...deploymentAlarms);
    return monitoring;
  }

  /**
   * The runbooks of the guide's service management, for this cluster's two services, and
   * Redeploy run whenever a secret the services read changes (ECS reads secrets at task start).
   */
  private addRunbooks(scope: Construct, resolved: ResolvedDeployment, [mongoDbSecret, applicationSecret]: secretsmanager.ISecret[]): FidoRunbooks {
    const runbooks = new FidoRunbooks(scope, 'Runbooks', {
      cluster: this.cluster,
      documentNamePrefix: resolved.names.cluster,
      services: this.servicesWith(resolved).map(([service, settings]) => ({
        name: settings.name,
        service: service.service,
        desiredCount: settings.sizing.desiredCount,
        // Start raises a standby's scaler to the services' own bounds.
        ...(autoscales(deployedSizing(settings.sizing, resolved.standbyTasks))
          ? { minCapacity: settings.sizing.minCapacity, maxCapacity: settings.sizing.maxCapacity }
          : {}),
        targetGroups: service.targetGroups,
      })),
      // A secondary that knows the primary's check makes itself serve, and hands back.
      failover: this.failover && resolved.failover?.primaryHealthCheck ? {
        healthCheck: this.failover.healthCheck,
        primaryHealthCheck: resolved.failover.primaryHealthCheck,
        standbyTasks: resolved.standbyTasks ?? 0,
        database: this.failoverDatabase(),
      } : undefined,
    });
    // A replica changes with its source, whose events the source's region forwards here.
    const changesFrom = this.dataLayer.mongoDbSecretChangesFrom;
    runbooks.redeployOnSecretChange('RedeployOnMongoDbSecretChange', changesFrom === this.dataLayer.mongoDbSecret ? mongoDbSecret : changesFrom);
    const globalCluster = this.dataLayer.documentDbGlobalCluster;
    if (globalCluster && this.dataLayer.databaseCluster) {
      for (const secondary of globalCluster.secondaryRegions) {
        runbooks.forwardSecretChanges(`ForwardMongoDbSecretChangesTo${secondary.region}`, mongoDbSecret, secondary.region);
      }
    }
    const applicationSecretRule = runbooks.redeployOnSecretChange('RedeployOnApplicationSecretChange', resolved.replicaOf?.applicationSecret ?? applicationSecret);
    for (const replica of resolved.applicationSecretReplicaRegions) {
      runbooks.forwardSecretChanges(`ForwardApplicationSecretChangesTo${replica.region}`, applicationSecret, replica.region);
    }
    // Putting jwtSecretPrevious when the stack is created makes a new current version: the rule
    // comes after it, so that it starts no Redeploy of services still being created.
    const seed = this.dataLayer.previousJwtSecretSeed;
    if (seed) {
      applicationSecretRule.node.addDependency(seed);
    }
    return runbooks;
  }

  /**
   * A DocumentDB secondary cluster's endpoint, as the plain `MONGODB_HOST` (a host name is no
   * secret), beside the replica of the primary's master secret that the tasks read here.
   */
  private mongoDbHost(otherStacks: OtherStacks): { [name: string]: string } {
    const [host, global] = [this.dataLayer.mongoDbHost, this.dataLayer.documentDbGlobalCluster];
    if (this.dataLayer.documentDbSecondaryCluster && global) {
      otherStacks.readsWith(global.secondaryRegions.find((r) => r.region === Stack.of(this).region)?.encryptionKey);
    }
    return host ? { MONGODB_HOST: host } : {};
  }

  /** The global cluster whose writer this region's failover documents move: a secondary cluster's. */
  private failoverDatabase(): FailoverDatabaseOptions | undefined {
    const [global, cluster] = [this.dataLayer.documentDbGlobalCluster, this.dataLayer.documentDbSecondaryCluster];
    return global && cluster ? {
      globalClusterIdentifier: global.globalClusterIdentifier,
      primaryClusterArn: global.primaryClusterArn,
      secondaryClusterArn: Stack.of(this).formatArn({ service: 'rds', resource: 'cluster', resourceName: cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    } : undefined;
  }

  /** Each of the two services with its resolved settings. */
  private servicesWith(resolved: ResolvedDeployment): Array<[FidoService, ResolvedService]> {
    return [[this.pyFido, resolved.pyFido], [this.tomcat, resolved.tomcat]];
  }

  /**
   * The MongoDB and application secrets, as every container reads them, and the two secrets
   * themselves. `JWT_SECRET_PREVIOUS` only from an application secret the deployment created and
   * rotates (or the replica of one that `secrets.replicaOf` rotates), which holds the key from the
   * start; a given secret's keys are its owner's.
   */
  private deploymentSecrets(otherStacks: OtherStacks, resolved: ResolvedDeployment): {
    secrets: { [name: string]: ecs.Secret }; applicationSecret: secretsmanager.ISecret; mongoDbSecret: secretsmanager.ISecret;
  } {
    const mongoDb = otherStacks.secret('MongoDbSecretOfThisStack', this.dataLayer.mongoDbSecret);
    const application = otherStacks.secret('ApplicationSecretOfThisStack', this.dataLayer.applicationSecret);
    return {
      secrets: {
        ...(this.dataLayer.mongoDbHost ? {} : { MONGODB_HOST: ecs.Secret.fromSecretsManager(mongoDb, 'host') }),
        MONGODB_PORT: ecs.Secret.fromSecretsManager(mongoDb, 'port'),
        MONGODB_USERNAME: ecs.Secret.fromSecretsManager(mongoDb, 'username'),
        MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(mongoDb, 'password'),
        JWT_SECRET: ecs.Secret.fromSecretsManager(application, 'jwtSecret'),
        ...(this.dataLayer.previousJwtSecretSeed ?? resolved.replicaOf?.previousJwtSecretSeed ? { JWT_SECRET_PREVIOUS: ecs.Secret.fromSecretsManager(application, 'jwtSecretPrevious') } : {}),
      },
      applicationSecret: application,
      mongoDbSecret: mongoDb,
    };
  }

  private addLoadBalancer(scope: Construct, resolved: ResolvedDeployment, logEncryptionKey?: kms.IKey): FidoLoadBalancer {
    const loadBalancing = new FidoLoadBalancer(scope, 'LoadBalancer', {
      vpc: this.network.vpc,
      vpcSubnets: resolved.publicSubnets,
      securityGroup: this.network.loadBalancerSecurityGroup,
      certificate: this.certificate,
      allowedIngress: resolved.allowedIngress,
      ipAddressType: resolved.ipAddressType,
      pyFidoTargetGroup: this.pyFido.targetGroup,
      tomcatTargetGroup: this.tomcat.targetGroup,
      pyFidoTestPort: resolved.pyFido.testPort,
      tomcatTestPort: resolved.tomcat.testPort,
      sslPolicy: resolved.sslPolicy,
      redirectHttp: resolved.redirectHttp,
      deletionProtection: resolved.deletionProtection,
      desyncMitigationMode: resolved.desyncMitigationMode,
      accessLogs: resolved.accessLogs,
      accessLogsBucket: resolved.accessLogsBucket,
      accessLogsPrefix: resolved.accessLogsPrefix,
      accessLogsExpiration: resolved.accessLogsExpiration,
      // Dev and staging leave nothing behind; prod keeps its logs.
      accessLogsRemovalPolicy: resolved.removalPolicy,
      webAcl: resolved.waf,
      rateLimit: resolved.wafRateLimit,
      webAclLogGroupName: resolved.names.webAclLogGroup,
      webAclLogRetention: resolved.logRetention,
      webAclLogEncryptionKey: logEncryptionKey,
      webAclLogRemovalPolicy: resolved.logRemovalPolicy,
    });
    // The environment's own choices; a user who turns these off in prod sees the findings.
    acknowledge(loadBalancing.loadBalancer, {
      ...(resolved.wafFromPreset && !resolved.waf ? {
        'NIST.800.53.R5-ALBWAFEnabled': `AWS WAF is on by default in prod only, to keep ${resolved.environment} cheap (5 USD per month plus rules); turn it on with waf.enabled.`,
      } : {}),
      ...(resolved.deletionProtectionFromPreset && !resolved.deletionProtection ? {
        'NIST.800.53.R5-ELBDeletionProtectionEnabled': `Deletion protection is on by default in prod only: ${resolved.environment} stacks are torn down routinely. Turn it on with loadBalancer.deletionProtection.`,
      } : {}),
    });
    return loadBalancing;
  }

  /** What works, but is probably not what the user meant. */
  private warn(resolved: ResolvedDeployment): void {
    const usesDefaultImages = !resolved.pyFido.image || !resolved.tomcat.image;
    if (usesDefaultImages && resolved.imageTag === 'latest' && resolved.preset.warnOnMutableImageTag) {
      Annotations.of(this).addWarningV2('arculus-fido:mutable-image-tag',
        `images.tag is 'latest' in ${resolved.environment}: a moved tag changes what runs without a change to the stack, and a rollback cannot return to the old image. Deploy an immutable tag (a version or a commit).`);
    }
    for (const settings of [resolved.pyFido, resolved.tomcat]) {
      for (const name of Object.keys(settings.options.environment ?? {}).filter((n) => SECRET_LIKE_NAME.test(n))) {
        Annotations.of(this).addWarningV2('arculus-fido:secret-in-environment',
          `services.${settings.prop}.environment.${name} looks like a secret but is a plain environment variable, visible in the template and the task definition; pass it in secrets as an ecs.Secret instead.`);
      }
    }
    if (!resolved.runbooks && this.dataLayer.mongoDbSecretRotates) {
      Annotations.of(this).addWarningV2('arculus-fido:rotation-without-redeploy',
        'The MongoDB password rotates, but runbooks is false, so nothing redeploys the services afterwards: ECS reads secrets only when a task starts, so running tasks keep the old password (open connections work, new ones fail) until the next deployment. Turn runbooks on, which redeploys them after every rotation, or turn the rotation off.');
    }
    if (resolved.nestedStacks && Stack.of(this).nested) {
      Annotations.of(this).addWarningV2('arculus-fido:nested-in-nested', 'nestedStacks is on inside a nested stack: the layers become nested stacks of a nested stack.');
    }
  }

  /**
   * The customer-managed key: rotated yearly, administered by the account, usable by CloudWatch
   * Logs for this account's log groups in this region. Secrets Manager and DocumentDB use it
   * through the grants CDK adds for the roles that read the secrets.
   */
  private createEncryptionKey(removalPolicy: RemovalPolicy): kms.Key {
    const key = new kms.Key(this, 'EncryptionKey', {
      description: `Arculus FIDO ${this.deploymentEnvironment}: log groups, secrets and database`,
      enableKeyRotation: true,
      removalPolicy,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
      },
    }));
    return key;
  }
}
