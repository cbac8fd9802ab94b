/**
 * The reference topology, written by hand with CDK's L2 constructs and their defaults: a VPC, a
 * cluster, two Fargate services, an ALB with three HTTPS listeners, two log groups and two
 * secrets, with the deployment guide's health checks (interval 30 s, healthy threshold 2) and
 * prod's task counts. It is what a team copying the guide would write.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export function addBaseline(stack: Stack, certificateArn: string): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const mongo = new secretsmanager.Secret(stack, 'MongoDbSecret');
  const app = new secretsmanager.Secret(stack, 'ApplicationSecret');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', certificateArn);
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });

  const service = (id: string, port: number, path: string) => {
    const taskDefinition = new ecs.FargateTaskDefinition(stack, `${id}Task`, { cpu: 1024, memoryLimitMiB: 2048 });
    taskDefinition.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(`example/${id.toLowerCase()}:1.0.0`),
      portMappings: [{ containerPort: port }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: new logs.LogGroup(stack, `${id}Logs`), streamPrefix: id }),
      secrets: { MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(mongo, 'password'), JWT_SECRET: ecs.Secret.fromSecretsManager(app, 'jwtSecret') },
    });
    const fargate = new ecs.FargateService(stack, `${id}Service`, { cluster, taskDefinition, desiredCount: 3 });
    return new elbv2.ApplicationTargetGroup(stack, `${id}Targets`, {
      vpc,
      port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [fargate],
      healthCheck: { path, interval: Duration.seconds(30), healthyThresholdCount: 2 },
    });
  };
  const pyFido = service('PyFido', 5001, '/health');
  const tomcat = service('Tomcat', 8080, '/');
  for (const [port, targets] of [[443, tomcat], [5001, pyFido], [8080, tomcat]] as const) {
    alb.addListener(`Https${port}`, { port, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [certificate], defaultTargetGroups: [targets] });
  }
}
