/**
 * Integration test: the dev preset with both services deploying blue/green, as the README
 * recommends for prod. After deploying, everything the dev test asserts holds, ECS reports the
 * strategy, the bake time and the deployment check at RECONCILE_SERVICE, PRE_SCALE_UP (the
 * production rules) and POST_TEST_TRAFFIC_SHIFT (the new revision). The test listeners
 * (9001, 9443) admit only the deployment checks, so the assertions, which call from outside the
 * VPC, cannot reach them: deploying the stack a second time with another image tag
 * (`-c arculus-integ:imageTag=...`) runs a blue/green deployment through the check, whose log
 * group says what each request to the test listener answered.
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
        lifecycleHooks: [{ lifecycleStages: ['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'] }],
      },
    }],
  }));
}
