/**
 * Integration test: the dev preset, as the README's example deploys it, with images that answer the
 * health checks. After deploying, both services run their one task with every target healthy,
 * PyFIDO's /health and Tomcat's root answer over HTTPS at the domain, and the guide's outputs are
 * on the stack; then the Stop runbook brings both to 0 running tasks and the Start runbook back,
 * and a rotation of the application secret completes and redeploys both services through EventBridge. Run by integ-runner: `npx projen integ` compares the snapshot (no account needed),
 * `npx projen integ --force` with credentials and context deploys, asserts and destroys (README).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { assertDeploymentServes, assertRotationRedeploys, assertRunbooksStopAndStart, ECHO_IMAGE, integDomain, runEchoServers } from './integ-support';
import { ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App();
const domain = integDomain(app, 'fido-dev');
const stack = new ArculusFidoStack(app, 'ArculusFidoIntegDev', {
  deploymentEnvironment: DeploymentEnvironment.DEV,
  applicationName: 'arculus-integ',
  domain,
  // The echo servers never connect to MongoDB; the secret and its injection are what is tested.
  mongoDb: MongoDbConnection.fromEndpoint({ host: 'mongodb.invalid', username: 'fido' }),
  images: { pyFido: ecs.ContainerImage.fromRegistry(ECHO_IMAGE), tomcat: ecs.ContainerImage.fromRegistry(ECHO_IMAGE) },
  // Nothing of the test outlives it: no access log bucket, which would hold logs at teardown (and
  // needs a concrete region, where the test is environment-agnostic like its assertion stack).
  loadBalancer: { accessLogs: false },
});
runEchoServers(stack);

const integ = new IntegTest(app, 'ArculusFidoDev', { testCases: [stack] });
// The dev preset runs one task of each service; once it serves, the runbooks stop and start both.
const serving = assertDeploymentServes(integ, stack, domain.domainName, 1);
assertRunbooksStopAndStart(integ, stack, 1, serving);
// The application secret rotates, and the rotation redeploys both services on its own.
assertRotationRedeploys(integ, stack, serving);
