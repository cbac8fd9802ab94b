/**
 * Integration test: the dev preset with both services deploying blue/green, as the README
 * recommends for prod. After deploying, everything the dev test asserts holds, ECS reports the
 * strategy, the bake time and the deployment check at POST_TEST_TRAFFIC_SHIFT, and the test
 * listeners (9001, 9443) answer as the production ones do. Deploying the stack a second time with
 * another image tag (`-c arculus-integ:imageTag=...`) runs a blue/green deployment through the
 * check; its log group says what each request answered.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { assertDeploymentServes, ECHO_IMAGE, integDomain, runEchoServers } from './integ-support';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App();
const domain = integDomain(app, 'fido-bg');
const image = ecs.ContainerImage.fromRegistry(app.node.tryGetContext('arculus-integ:imageTag')
  ? `${ECHO_IMAGE.split(':')[0]}:${app.node.tryGetContext('arculus-integ:imageTag')}`
  : ECHO_IMAGE);
const blueGreen = { deployment: { strategy: ecs.DeploymentStrategy.BLUE_GREEN, bakeTime: Duration.minutes(1) } };
const stack = new ArculusFidoStack(app, 'ArculusFidoIntegBlueGreen', {
  deploymentEnvironment: DeploymentEnvironment.DEV,
  applicationName: 'arculus-integ-bg',
  domain,
  mongoDb: MongoDbConnection.fromEndpoint({ host: 'mongodb.invalid', username: 'fido' }),
  images: { pyFido: image, tomcat: image },
  services: { pyFido: blueGreen, tomcat: blueGreen },
  loadBalancer: { accessLogs: false },
});
runEchoServers(stack);

const integ = new IntegTest(app, 'ArculusFidoBlueGreen', { testCases: [stack] });
assertDeploymentServes(integ, stack, domain.domainName, 1);

for (const service of [stack.deployment.pyFido, stack.deployment.tomcat]) {
  integ.assertions.awsApiCall('ECS', 'describeServices', {
    cluster: stack.deployment.cluster.clusterName,
    services: [service.service.serviceName],
  }).expect(ExpectedResult.objectLike({
    services: [{
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 1,
        lifecycleHooks: [{ lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
      },
    }],
  }));
}
const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) };
integ.assertions.httpApiCall(`https://${domain.domainName}:9001/health`).expect(ExpectedResult.objectLike({ status: 200 })).waitForAssertions(wait);
integ.assertions.httpApiCall(`https://${domain.domainName}:9443/`).expect(ExpectedResult.objectLike({ ok: true })).waitForAssertions(wait);
