/**
 * The reference topology, written by hand with CDK's L2 constructs (L1 where WAF has no L2): the
 * deployment's resources, built the way a team copying the deployment guide would, with CDK's
 * defaults for every rollout lever the deployment tunes (deregistration delay, healthy percents)
 * and the guide's health checks (interval 30 s, healthy threshold 2), at prod's task counts.
 *
 * It is the yardstick of synth time per resource, so it builds what the prod deployment builds: a
 * VPC whose default security group is emptied (by the same custom resource handler) and whose
 * flow logs go to CloudWatch Logs, a cluster with a Cloud Map HTTP namespace for ECS Service
 * Connect, two Fargate services in one security group that admits Service Connect (TCP 5001)
 * from itself, CPU autoscaling and deployment alarms, an ALB with three HTTPS listeners, access
 * logs in S3 and a WAF web ACL with logging, and two retained secrets. `npx projen bench` compares
 * its resource types with the deployment's and refuses to time the two when they drift apart.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';

/** The Service Connect port: PyFIDO's, which Tomcat calls. */
const SERVICE_CONNECT_PORT = 5001;

export function addBaseline(stack: Stack, certificateArn: string): void {
  // Emptying the default security group is explicit, not left to the feature flag that turns it
  // on in new projects: without any flags the baseline stages the same custom resource handler.
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, restrictDefaultSecurityGroup: true });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs')) });

  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    defaultCloudMapNamespace: { name: 'fido', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
  });
  // Prod retains its secrets (and a DocumentDB cluster's) when they leave the stack.
  const mongo = new secretsmanager.Secret(stack, 'MongoDbSecret', { removalPolicy: RemovalPolicy.RETAIN });
  const app = new secretsmanager.Secret(stack, 'ApplicationSecret', { removalPolicy: RemovalPolicy.RETAIN });
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn);
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  alb.logAccessLogs(new s3.Bucket(stack, 'AccessLogs', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  }));

  const tasks = new ec2.SecurityGroup(stack, 'TaskSecurityGroup', { vpc, allowAllOutbound: false });
  tasks.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
  tasks.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(27017));
  tasks.connections.allowInternally(ec2.Port.tcp(SERVICE_CONNECT_PORT));

  const service = (id: string, port: number, path: string, serviceConnect: ecs.ServiceConnectProps) => {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { cpu: 1024, memoryLimitMiB: 2048 });
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(`example/${id.toLowerCase()}:1.0.0`),
      portMappings: [{ containerPort: port, name: id.toLowerCase() }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: new logs.LogGroup(stack, `${id}Logs`), streamPrefix: id }),
      secrets: { MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(mongo, 'password'), JWT_SECRET: ecs.Secret.fromSecretsManager(app, 'jwtSecret') },
    });
    const fargate = new ecs.FargateService(stack, `${id}Service`, {
      cluster,
      taskDefinition,
      desiredCount: 3,
      // ECS's own defaults, stated: left out, CDK warns about both, and under cdk init's flags
      // prints the warnings as a validation report inside every timed synth.
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      securityGroups: [tasks],
      serviceConnectConfiguration: serviceConnect,
    });
    fargate.autoScaleTaskCount({ minCapacity: 3, maxCapacity: 6 }).scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: 70 });
    const targets = new elbv2.ApplicationTargetGroup(stack, `${id}Targets`, {
      vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [fargate],
      healthCheck: { path, interval: Duration.seconds(30), healthyThresholdCount: 2 },
    });
    return { id, fargate, targets };
  };
  const pyFido = service('PyFido', SERVICE_CONNECT_PORT, '/health', { services: [{ portMappingName: 'pyfido' }] });
  const tomcat = service('Tomcat', 8080, '/', {});
  for (const [port, { targets }] of [[443, tomcat], [5001, pyFido], [8080, tomcat]] as const) {
    alb.addListener(`Https${port}`, { port, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [certificate], defaultTargetGroups: [targets] });
  }

  // Deployment alarms name the target groups' load balancer, so they come after the listeners.
  for (const { id, fargate, targets } of [pyFido, tomcat]) {
    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number) => new cloudwatch.Alarm(stack, `${id}${name}`, {
      alarmName: `baseline-${id.toLowerCase()}-${name}`,
      metric,
      threshold,
      evaluationPeriods: 2,
    }).alarmName;
    fargate.enableDeploymentAlarms([
      alarm('5xx', targets.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) }), 10),
      alarm('unhealthy', targets.metrics.unhealthyHostCount({ period: Duration.minutes(1) }), 1),
    ]);
  }

  const visibility = (metricName: string) => ({ metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true });
  const webAcl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('WebAcl'),
    rules: [
      { name: 'RateLimit', priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: 'IP' } }, visibilityConfig: visibility('RateLimit') },
      ...['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'].map((name, index) => ({
        name,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      })),
    ],
  });
  new wafv2.CfnWebACLAssociation(stack, 'WebAclAssociation', { resourceArn: alb.loadBalancerArn, webAclArn: webAcl.attrArn });
  const wafLogs = new logs.LogGroup(stack, 'WafLogs', { logGroupName: 'aws-waf-logs-baseline' });
  new wafv2.CfnLoggingConfiguration(stack, 'WafLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });
}
