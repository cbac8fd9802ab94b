/**
 * Integration test: the prod preset in nested stacks (as the deployment guide's CloudFormation),
 * with a created DocumentDB cluster and images that answer the health checks. After deploying,
 * everything the dev test asserts holds with prod's three tasks per service, the DocumentDB
 * cluster is available, and the MongoDB secret is readable by the services' execution roles and
 * not by their task roles, while the application secret is readable by both.
 *
 * What prod keeps on deletion (secrets, log groups, a DocumentDB snapshot) and what blocks it
 * (deletion protection of the load balancer and the cluster) is turned off here, so that a run
 * leaves nothing behind in the maintainer's account: the test is about serving, and the unit
 * suite asserts prod's retention on the templates.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicies } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { assertDeploymentServes, ECHO_IMAGE, integDomain, resourcesOf, runEchoServers } from './integ-support';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App();
const domain = integDomain(app, 'fido-prod');
const stack = new ArculusFidoStack(app, 'ArculusFidoIntegProd', {
  deploymentEnvironment: DeploymentEnvironment.PROD,
  applicationName: 'arculus-integ',
  domain,
  mongoDb: MongoDbConnection.documentDb(),
  nestedStacks: true,
  images: { pyFido: ecs.ContainerImage.fromRegistry(ECHO_IMAGE), tomcat: ecs.ContainerImage.fromRegistry(ECHO_IMAGE) },
  loadBalancer: { accessLogs: false, deletionProtection: false },
});
runEchoServers(stack);
RemovalPolicies.of(stack).destroy();
for (const cluster of resourcesOf(stack, 'AWS::DocDB::DBCluster')) {
  cluster.addPropertyOverride('DeletionProtection', false);
}

const integ = new IntegTest(app, 'ArculusFidoProd', { testCases: [stack] });
// The prod preset starts three tasks of each service.
assertDeploymentServes(integ, stack, domain.domainName, 3);

const { dataLayer, pyFido } = stack.deployment;
integ.assertions.awsApiCall('DocDB', 'describeDBClusters', { DBClusterIdentifier: dataLayer.databaseCluster!.clusterIdentifier })
  .expect(ExpectedResult.objectLike({ DBClusters: [{ Status: 'available' }] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

// Both services' roles are made alike; PyFIDO's stand for both. ECS reads both secrets at task
// start (execution role); the application may read its own secret at run time (task role), never
// MongoDB's.
const reads = [
  { secret: dataLayer.mongoDbSecret, role: pyFido.taskDefinition.obtainExecutionRole(), decision: 'allowed' },
  { secret: dataLayer.mongoDbSecret, role: pyFido.taskDefinition.taskRole, decision: 'implicitDeny' },
  { secret: dataLayer.applicationSecret, role: pyFido.taskDefinition.obtainExecutionRole(), decision: 'allowed' },
  { secret: dataLayer.applicationSecret, role: pyFido.taskDefinition.taskRole, decision: 'allowed' },
];
for (const { secret, role, decision } of reads) {
  {
    integ.assertions.awsApiCall('IAM', 'simulatePrincipalPolicy', {
      PolicySourceArn: role.roleArn,
      ActionNames: ['secretsmanager:GetSecretValue'],
      ResourceArns: [secret.secretArn],
    }).expect(ExpectedResult.objectLike({ EvaluationResults: [{ EvalDecision: decision }] }));
  }
}
