import { Annotations, Aws, Duration, NestedStack, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
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
import { Construct } from 'constructs';
import { DeploymentEnvironment } from './deployment-environment';
import { FidoDataLayer } from './fido-data-layer';
import { FidoLoadBalancer } from './fido-load-balancer';
import { FidoNetwork } from './fido-network';
import { FidoService, FidoServiceOptions, ServiceSizing } from './fido-service';
import { MongoDbConnection } from './mongodb-connection';
import { DomainOptions, EncryptionOptions, ImageOptions, LoadBalancerOptions, LoggingOptions, NetworkOptions, SecretsOptions, ServicesOptions, SizingOptions, WafOptions } from './options';
import { acknowledge } from './private/nag';
import { clusterName, logGroupName, PYFIDO, repositoryName, TOMCAT } from './private/names';
import { PRESETS } from './private/presets';
import { deploymentProblems, resolveSizing } from './private/validate-props';

/** Ports of the deployment guide's listeners and containers. */
const PYFIDO_PORT = 5001;
const TOMCAT_PORT = 8080;

/** How the deployment builds one of its two services. */
interface ServiceSpec {
  /** The service's key in `sizing`, `images` and `services`. */
  readonly prop: 'pyFido' | 'tomcat';
  readonly name: string;
  readonly port: number;
  readonly image: ecs.ContainerImage;
  readonly sizing: ServiceSizing;
  readonly options?: FidoServiceOptions;
  readonly environment: { [key: string]: string };
  readonly healthCheck: elbv2.HealthCheck;
}

/** Plain variable names that suggest a secret value. */
const SECRET_LIKE_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;

/**
 * Props of `ArculusFidoDeployment`.
 */
export interface ArculusFidoDeploymentProps {
  /**
   * The environment the deployment serves (dev, staging or prod), which picks sizing, log
   * retention, NAT gateways and removal policies. Named apart from a stack's `env` (its account
   * and region), which it sits beside in `ArculusFidoStackProps`.
   */
  readonly deploymentEnvironment: DeploymentEnvironment;

  /**
   * Prefix of the names the deployment builds: the cluster `<applicationName>-<environment>`, the
   * log groups `/ecs/<applicationName>/<environment>/...` and the default ECR repositories
   * `<applicationName>/pyfido` and `<applicationName>/tomcat`. Lowercase letters, digits and single
   * hyphens, starting with a letter.
   *
   * @default 'arculus-auth'
   */
  readonly applicationName?: string;

  /**
   * Domain name and certificate of the HTTPS endpoints.
   */
  readonly domain: DomainOptions;

  /**
   * Where the services' MongoDB lives: MongoDB Atlas or self-managed (`fromEndpoint`), an
   * existing secret (`fromSecret`), or a new Amazon DocumentDB cluster (`documentDb`).
   */
  readonly mongoDb: MongoDbConnection;

  /**
   * VPC, subnets and allowed clients.
   *
   * @default - a new VPC and 0.0.0.0/0 admitted to the load balancer
   */
  readonly network?: NetworkOptions;

  /**
   * TLS policy, HTTP redirect, deletion protection, desync mitigation and access logs of the load
   * balancer.
   *
   * @default - TLS 1.3 policy, no HTTP listener, deletion protection in prod, defensive desync
   * mitigation, access logs to a new bucket
   */
  readonly loadBalancer?: LoadBalancerOptions;

  /**
   * AWS WAF in front of the load balancer.
   *
   * @default - a web ACL with the AWS managed rule groups and a rate limit of 1000 requests per
   * client IP in 5 minutes in prod; none in dev and staging
   */
  readonly waf?: WafOptions;

  /**
   * Customer-managed encryption of logs, secrets and database.
   *
   * @default - AWS owned and managed keys
   */
  readonly encryption?: EncryptionOptions;

  /**
   * Container images.
   *
   * @default - the ECR repositories `<applicationName>/pyfido` and `<applicationName>/tomcat` at `latest`
   */
  readonly images?: ImageOptions;

  /**
   * CPU, memory and task counts of each service.
   *
   * @default - the environment's preset
   */
  readonly sizing?: SizingOptions;

  /**
   * Log retention, encryption and removal policy.
   *
   * @default - the environment's preset, CloudWatch Logs' own encryption
   */
  readonly logging?: LoggingOptions;

  /**
   * The application secret and the key of the created secrets.
   *
   * @default - a generated application secret, AWS managed encryption keys
   */
  readonly secrets?: SecretsOptions;

  /**
   * Environment variables, secrets, health checks and load balancing of each service.
   *
   * @default - the deployment's defaults
   */
  readonly services?: ServicesOptions;

  /**
   * Put the network, the data layer (secrets, database) and the services (cluster, load balancer,
   * tasks, DNS) in three nested stacks, `NetworkStack`, `DataStack` and `ServicesStack`, as the
   * deployment guide's CloudFormation does. Changing this on a deployed stack replaces every
   * resource.
   *
   * @default false
   */
  readonly nestedStacks?: boolean;
}

/**
 * The Arculus FIDO2 server on ECS Fargate: PyFIDO and the Tomcat portal behind one internet-facing
 * HTTPS load balancer, with their secrets, log groups, autoscaling and DNS.
 *
 * Its `connections` are the tasks' security group: allow them to reach other resources with
 * `deployment.connections.allowTo(...)`.
 */
export class ArculusFidoDeployment extends Construct implements ec2.IConnectable {
  /** The environment the deployment serves: dev, staging or prod. */
  public readonly deploymentEnvironment: DeploymentEnvironment;

  /** The prefix of the deployment's names. */
  public readonly applicationName: string;

  /** The VPC, created or given. */
  public readonly vpc: ec2.IVpc;

  /** The ECS cluster, named `<applicationName>-<environment>`. */
  public readonly cluster: ecs.Cluster;

  /** The internet-facing Application Load Balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The PyFIDO Fargate service. */
  public readonly pyFidoService: ecs.FargateService;

  /** The Tomcat Fargate service. */
  public readonly tomcatService: ecs.FargateService;

  /** Log group `/ecs/<applicationName>/<environment>/pyfido`. */
  public readonly pyFidoLogGroup: logs.ILogGroup;

  /** Log group `/ecs/<applicationName>/<environment>/tomcat`. */
  public readonly tomcatLogGroup: logs.ILogGroup;

  /** Secret with the MongoDB `username`, `password`, `host` and `port`. */
  public readonly mongoDbSecret: secretsmanager.ISecret;

  /** Secret with the application's `jwtSecret` (and API keys). */
  public readonly applicationSecret: secretsmanager.ISecret;

  /** Certificate of the HTTPS listeners, given or created. */
  public readonly certificate: acm.ICertificate;

  /** URL of the PyFIDO API: `https://<domainName>:5001`. */
  public readonly pyFidoEndpoint: string;

  /** URL of the Tomcat portal: `https://<domainName>`. */
  public readonly tomcatEndpoint: string;

  /** The network building block: VPC and security groups. */
  public readonly network: FidoNetwork;

  /** The data building block: MongoDB and application secrets, DocumentDB cluster. */
  public readonly dataLayer: FidoDataLayer;

  /** The PyFIDO building block: service, task definition, target group, log group. */
  public readonly pyFido: FidoService;

  /** The Tomcat building block: service, task definition, target group, log group. */
  public readonly tomcat: FidoService;

  /** The load balancer building block: load balancer and listeners. */
  public readonly loadBalancing: FidoLoadBalancer;

  /** The tasks' network side (their security group). */
  public readonly connections: ec2.Connections;

  /**
   * The customer-managed key of logs, secrets and database.
   *
   * @default - none: `encryption.customerManagedKey` is off
   */
  public readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ArculusFidoDeploymentProps) {
    super(scope, id);

    const applicationName = props.applicationName ?? 'arculus-auth';
    deploymentProblems(props, applicationName, Token.isUnresolved(Stack.of(this).region)).throwIfAny(`ArculusFidoDeployment '${this.node.path}'`);

    const environment = props.deploymentEnvironment;
    const preset = PRESETS[environment];
    const domain = props.domain;
    const network = props.network ?? {};
    this.deploymentEnvironment = environment;
    this.applicationName = applicationName;

    const layer = (stackId: string): Construct => props.nestedStacks ? new NestedStack(this, stackId) : this;
    const logging: LoggingOptions = props.logging ?? {};
    const logRetention = logging.retention ?? preset.logRetention;
    const logRemovalPolicy = logging.removalPolicy ?? preset.removalPolicy;

    // One key for every layer, so it lives beside them rather than in any of them.
    this.encryptionKey = props.encryption?.customerManagedKey ? this.createEncryptionKey(preset.removalPolicy) : undefined;
    const logEncryptionKey = logging.encryptionKey ?? this.encryptionKey;
    const secretEncryptionKey = props.secrets?.encryptionKey ?? this.encryptionKey;

    // Network: VPC and security groups.
    this.network = new FidoNetwork(layer('NetworkStack'), 'Network', {
      vpc: network.vpc,
      natGateways: network.natGateways ?? preset.natGateways,
      flowLogRetention: logRetention,
      flowLogRemovalPolicy: logRemovalPolicy,
      flowLogEncryptionKey: logEncryptionKey,
      allowAllOutbound: network.allowAllOutbound,
    });
    this.vpc = this.network.vpc;
    const privateSubnets = network.privateSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // Data: MongoDB connection and application secret.
    this.dataLayer = new FidoDataLayer(layer('DataStack'), 'Data', {
      mongoDb: props.mongoDb,
      deploymentEnvironment: environment,
      vpc: this.vpc,
      vpcSubnets: privateSubnets,
      clientSecurityGroup: this.network.serviceSecurityGroup,
      applicationSecret: props.secrets?.applicationSecret,
      encryptionKey: secretEncryptionKey,
      removalPolicy: preset.removalPolicy,
      logRetention,
    });
    this.mongoDbSecret = this.dataLayer.mongoDbSecret;
    this.applicationSecret = this.dataLayer.applicationSecret;

    // Services: cluster, certificate, the two services, load balancer and DNS.
    const services = layer('ServicesStack');
    this.cluster = new ecs.Cluster(services, 'Cluster', {
      vpc: this.vpc,
      clusterName: clusterName(applicationName, environment),
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.certificate = domain.certificate ?? new acm.Certificate(services, 'Certificate', {
      domainName: domain.domainName,
      validation: acm.CertificateValidation.fromDns(domain.hostedZone),
    });
    this.tomcatEndpoint = `https://${domain.domainName}`;
    this.pyFidoEndpoint = `https://${domain.domainName}:${PYFIDO_PORT}`;

    const tag = props.images?.tag ?? 'latest';
    const defaultImage = (repositoryId: string, service: string): ecs.ContainerImage => {
      const repository = ecr.Repository.fromRepositoryName(services, repositoryId, repositoryName(applicationName, service));
      return ecs.ContainerImage.fromEcrRepository(repository, tag);
    };
    const usesDefaultImages = !props.images?.pyFido || !props.images?.tomcat;
    if (usesDefaultImages && tag === 'latest' && environment === DeploymentEnvironment.PROD) {
      Annotations.of(this).addWarningV2('arculus-fido:mutable-image-tag',
        "images.tag is 'latest' in prod: a moved tag changes what runs without a change to the stack, and a rollback cannot return to the old image. Deploy an immutable tag (a version or a commit).");
    }

    const secrets = {
      MONGODB_HOST: ecs.Secret.fromSecretsManager(this.mongoDbSecret, 'host'),
      MONGODB_PORT: ecs.Secret.fromSecretsManager(this.mongoDbSecret, 'port'),
      MONGODB_USERNAME: ecs.Secret.fromSecretsManager(this.mongoDbSecret, 'username'),
      MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(this.mongoDbSecret, 'password'),
      JWT_SECRET: ecs.Secret.fromSecretsManager(this.applicationSecret, 'jwtSecret'),
    };
    const baseEnvironment = {
      ENVIRONMENT: environment,
      DOMAIN_NAME: domain.domainName,
    };
    const addService = (serviceId: string, spec: ServiceSpec): FidoService => {
      const options = spec.options ?? {};
      if (spec.sizing.spot) {
        // Idempotent: the cluster gets the FARGATE and FARGATE_SPOT capacity providers once.
        this.cluster.enableFargateCapacityProviders();
      }
      this.warnOnSecretLikeVariables(`services.${spec.prop}.environment`, options.environment);
      return new FidoService(services, serviceId, {
        ...options,
        cluster: this.cluster,
        containerName: spec.name,
        image: spec.image,
        containerPort: spec.port,
        sizing: spec.sizing,
        vpcSubnets: privateSubnets,
        securityGroups: [this.network.serviceSecurityGroup],
        environment: { ...spec.environment, ...options.environment },
        secrets: { ...secrets, ...options.secrets },
        healthCheck: { ...spec.healthCheck, ...options.healthCheck },
        logGroupName: logGroupName(applicationName, environment, spec.name),
        logRetention,
        logEncryptionKey,
        logRemovalPolicy,
      });
    };

    this.pyFido = addService('PyFido', {
      prop: 'pyFido',
      name: PYFIDO,
      port: PYFIDO_PORT,
      image: props.images?.pyFido ?? defaultImage('PyFidoRepository', PYFIDO),
      sizing: resolveSizing(preset.pyFido, props.sizing?.pyFido),
      options: props.services?.pyFido,
      environment: baseEnvironment,
      healthCheck: { path: '/health', healthyHttpCodes: '200' },
    });
    this.tomcat = addService('Tomcat', {
      prop: 'tomcat',
      name: TOMCAT,
      port: TOMCAT_PORT,
      image: props.images?.tomcat ?? defaultImage('TomcatRepository', TOMCAT),
      sizing: resolveSizing(preset.tomcat, props.sizing?.tomcat),
      options: props.services?.tomcat,
      environment: { ...baseEnvironment, PYFIDO_URL: this.pyFidoEndpoint },
      // A Tomcat root usually answers with a 302 redirect to the portal's start page.
      healthCheck: { path: '/', healthyHttpCodes: '200-399' },
    });
    this.pyFidoService = this.pyFido.service;
    this.tomcatService = this.tomcat.service;
    this.pyFidoLogGroup = this.pyFido.logGroup;
    this.tomcatLogGroup = this.tomcat.logGroup;
    this.connections = this.network.serviceSecurityGroup.connections;

    this.loadBalancing = new FidoLoadBalancer(services, 'LoadBalancer', {
      vpc: this.vpc,
      vpcSubnets: network.publicSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.network.loadBalancerSecurityGroup,
      certificate: this.certificate,
      allowedIngress: network.allowedIngress,
      pyFidoTargetGroup: this.pyFido.targetGroup,
      tomcatTargetGroup: this.tomcat.targetGroup,
      ...props.loadBalancer,
      deletionProtection: props.loadBalancer?.deletionProtection ?? environment === DeploymentEnvironment.PROD,
      accessLogsExpiration: Duration.days(logRetention),
      webAcl: props.waf?.enabled ?? environment === DeploymentEnvironment.PROD,
      rateLimit: props.waf?.rateLimit,
      webAclLogGroupName: `aws-waf-logs-${applicationName}-${environment}`,
      webAclLogRetention: logRetention,
      webAclLogEncryptionKey: logEncryptionKey,
      webAclLogRemovalPolicy: logRemovalPolicy,
    });
    this.loadBalancer = this.loadBalancing.loadBalancer;
    // The environment's own choices; a user who turns these off in prod sees the findings.
    if (environment !== DeploymentEnvironment.PROD) {
      acknowledge(this.loadBalancer, {
        ...(props.waf?.enabled === undefined ? {
          'NIST.800.53.R5-ALBWAFEnabled': `AWS WAF is on by default in prod only, to keep ${environment} cheap (5 USD per month plus rules); turn it on with waf.enabled.`,
        } : {}),
        ...(props.loadBalancer?.deletionProtection === undefined ? {
          'NIST.800.53.R5-ELBDeletionProtectionEnabled': `Deletion protection is on by default in prod only: ${environment} stacks are torn down routinely. Turn it on with loadBalancer.deletionProtection.`,
        } : {}),
      });
    }

    // Tomcat calls PyFIDO at its public endpoint, through the NAT gateways and the load balancer.
    this.network.serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(PYFIDO_PORT), 'PyFIDO endpoint (Tomcat calls it through the load balancer)');

    // Alarms that roll a bad deployment back; their metrics need the target groups attached.
    for (const [service, spec] of [[this.pyFido, props.services?.pyFido], [this.tomcat, props.services?.tomcat]] as const) {
      if (spec?.deploymentAlarms ?? true) {
        service.addDeploymentAlarms(`${clusterName(applicationName, environment)}-${service.node.id.toLowerCase()}`);
      }
    }

    if (domain.hostedZone) {
      new route53.ARecord(services, 'AliasRecord', {
        zone: domain.hostedZone,
        recordName: domain.domainName,
        target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }

    if (props.nestedStacks && Stack.of(this).nested) {
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

  private warnOnSecretLikeVariables(prop: string, environment: { [key: string]: string } | undefined): void {
    for (const name of Object.keys(environment ?? {}).filter((n) => SECRET_LIKE_NAME.test(n))) {
      Annotations.of(this).addWarningV2('arculus-fido:secret-in-environment',
        `${prop}.${name} looks like a secret but is a plain environment variable, visible in the template and the task definition; pass it in secrets as an ecs.Secret instead.`);
    }
  }
}
