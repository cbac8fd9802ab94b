import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { MONITORING_OPTIONS } from './monitoring';
import {
  arrayOf, BOOLEAN, cdkStruct, DURATION, HEALTH_CHECK, KEY, like, mapOf, NUMBER, oneOf, PEER, REMOVAL_POLICY, SECRET, Shape, STRING, struct,
  SUBNET_SELECTION, VPC,
} from './schema';

/** A service's sizing (`ServiceSizing`). */
export const SERVICE_SIZING = struct('ServiceSizing', {
  cpu: NUMBER,
  memoryLimitMiB: NUMBER,
  desiredCount: NUMBER,
  minCapacity: NUMBER,
  maxCapacity: NUMBER,
  targetCpuUtilizationPercent: NUMBER,
  spot: BOOLEAN,
  cpuArchitecture: like('an ecs.CpuArchitecture such as CpuArchitecture.ARM64', '_cpuArchitecture:string'),
});

/** The fields of a service's options (`FidoServiceOptions`). */
export const SERVICE_OPTION_FIELDS: { [name: string]: Shape } = {
  environment: mapOf(STRING),
  secrets: mapOf(like('an ecs.Secret, e.g. ecs.Secret.fromSecretsManager(secret, field)', 'arn:string', 'grantRead')),
  healthCheck: HEALTH_CHECK,
  targetProtocol: oneOf('an elbv2.ApplicationProtocol', elbv2.ApplicationProtocol),
  deregistrationDelay: DURATION,
  healthCheckGracePeriod: DURATION,
  readonlyRootFilesystem: BOOLEAN,
  writablePaths: arrayOf(STRING),
  stopTimeout: DURATION,
  deploymentAlarms: BOOLEAN,
  enableExecuteCommand: BOOLEAN,
  deployment: struct('ServiceDeploymentOptions', {
    strategy: oneOf('an ecs.DeploymentStrategy such as DeploymentStrategy.BLUE_GREEN', ecs.DeploymentStrategy),
    bakeTime: DURATION,
    trafficShift: cdkStruct('an ecs.TrafficShiftConfig object', { stepPercent: NUMBER, stepBakeTime: DURATION }),
    testPort: NUMBER,
    checks: arrayOf(struct('DeploymentCheck', { path: STRING, expectedStatusCodes: STRING })),
  }),
};

export const SERVICE_OPTIONS = struct('FidoServiceOptions', SERVICE_OPTION_FIELDS);

/** The load balancer's options (`LoadBalancerOptions`). */
export const LOAD_BALANCER_OPTIONS = struct('LoadBalancerOptions', {
  sslPolicy: oneOf('an elbv2.SslPolicy', elbv2.SslPolicy),
  redirectHttp: BOOLEAN,
  deletionProtection: BOOLEAN,
  desyncMitigationMode: oneOf('an elbv2.DesyncMitigationMode', elbv2.DesyncMitigationMode),
  accessLogs: BOOLEAN,
  accessLogsBucket: like('an s3.IBucket', 'bucketName:string', 'grantPut'),
  accessLogsPrefix: STRING,
});

/** The fields of `ArculusFidoDeploymentProps` whose type is checked. */
const DEPLOYMENT_FIELDS: { [name: string]: Shape } = {
  deploymentEnvironment: STRING,
  applicationName: STRING,
  domain: struct('DomainOptions', {
    domainName: STRING,
    certificate: like('an acm.ICertificate, e.g. acm.Certificate.fromCertificateArn(...)', 'certificateArn:string'),
    hostedZone: like('a route53.IHostedZone, e.g. route53.HostedZone.fromLookup(...)', 'zoneName:string', 'hostedZoneId:string'),
  }),
  mongoDb: like('a MongoDbConnection from MongoDbConnection.fromEndpoint(), .fromSecret() or .documentDb()', 'bind', '_problems'),
  network: struct('NetworkOptions', {
    vpc: VPC,
    publicSubnets: SUBNET_SELECTION,
    privateSubnets: SUBNET_SELECTION,
    allowedIngress: arrayOf(PEER),
    natGateways: NUMBER,
    allowAllOutbound: BOOLEAN,
  }),
  loadBalancer: LOAD_BALANCER_OPTIONS,
  waf: struct('WafOptions', { enabled: BOOLEAN, rateLimit: NUMBER }),
  encryption: struct('EncryptionOptions', { customerManagedKey: BOOLEAN }),
  images: struct('ImageOptions', {
    pyFido: like('an ecs.ContainerImage, e.g. ecs.ContainerImage.fromRegistry(...)', 'bind'),
    tomcat: like('an ecs.ContainerImage, e.g. ecs.ContainerImage.fromRegistry(...)', 'bind'),
    tag: STRING,
    repositories: like('an IFidoImageRepositories such as a FidoImageRepositories', 'pyFidoRepository:object', 'tomcatRepository:object'),
  }),
  sizing: struct('SizingOptions', { pyFido: SERVICE_SIZING, tomcat: SERVICE_SIZING }),
  logging: struct('LoggingOptions', { retention: NUMBER, encryptionKey: KEY, removalPolicy: REMOVAL_POLICY }),
  secrets: struct('SecretsOptions', { applicationSecret: SECRET, encryptionKey: KEY, rotateApplicationSecret: BOOLEAN, applicationSecretRotationInterval: DURATION }),
  services: struct('ServicesOptions', { pyFido: SERVICE_OPTIONS, tomcat: SERVICE_OPTIONS }),
  nestedStacks: BOOLEAN,
  monitoring: MONITORING_OPTIONS,
  runbooks: BOOLEAN,
};

/** `ArculusFidoDeploymentProps`. */
export const DEPLOYMENT_PROPS = struct('ArculusFidoDeploymentProps', DEPLOYMENT_FIELDS);

/** `ArculusFidoStackProps`: the deployment's and the stack's own (`env`, `stackName`, ...). */
export const STACK_PROPS = struct('ArculusFidoStackProps', DEPLOYMENT_FIELDS);
