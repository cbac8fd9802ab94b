/**
 * What the integration tests (test/integ.*.ts) share: the deployment's images, which answer the
 * health checks without a private registry, the context a maintainer gives, and the assertions
 * every deployment must pass once it is up. integ-runner runs the apps; see docs/integration-tests.md
 * ("Integration tests") for a run against an account.
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { ArculusFidoStack, DomainOptions, FidoService } from '../src';

/**
 * A public image (ECR Public's copy of Docker's official Python) that needs no login: the test
 * runs a few lines of Python in it that answer 200 to every GET, on the container's port.
 */
export const ECHO_IMAGE = 'public.ecr.aws/docker/library/python:3.13-alpine';

/**
 * The command that makes `ECHO_IMAGE` answer 200 on `port`, with `answer` as its body, to the
 * load balancer's health checks and to the assertions.
 */
export function echoCommand(port: number, answer = 'ok'): string[] {
  if (!/^[\w .-]+$/.test(answer)) {
    throw new Error(`echoCommand: the answer goes into a Python bytes literal, so letters, digits, spaces, '.', '-' and '_' only, got ${JSON.stringify(answer)}`);
  }
  const server = [
    'import http.server',
    'class Echo(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        self.send_response(200)',
    "        self.send_header('Content-Type', 'text/plain')",
    '        self.end_headers()',
    `        self.wfile.write(b'${answer}')`,
    `http.server.ThreadingHTTPServer(('', ${port}), Echo).serve_forever()`,
  ].join('\n');
  return ['python3', '-c', server];
}

/**
 * The hosted zone the test's domain goes in, from context (`-c` or integ-runner's context):
 * `arculus-integ:hostedZoneId` and `arculus-integ:zoneName`, a public zone of the maintainer's
 * account that resolves on the internet. Without them the test synthesizes with placeholders, as
 * its snapshot does; a deploying run needs them.
 */
export function integDomain(app: App, label: string): DomainOptions {
  const zoneName: string = app.node.tryGetContext('arculus-integ:zoneName') ?? 'integ.example.com';
  const hostedZoneId: string = app.node.tryGetContext('arculus-integ:hostedZoneId') ?? 'Z0000000000000000000';
  return {
    domainName: `${label}.${zoneName}`,
    // Imported at app level, as the README's example does: it belongs to no stack of the test.
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(app, `${label}Zone`, { hostedZoneId, zoneName }),
  };
}

/**
 * Runs `ECHO_IMAGE`'s server in both services' containers, on their own ports, answering `answer`
 * (in a pair, each region's names the region, so that an assertion sees which region served it).
 */
export function runEchoServers(stack: ArculusFidoStack, answer?: string): void {
  for (const [service, port] of [[stack.deployment.pyFido, 5001], [stack.deployment.tomcat, 8080]] as const) {
    (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.Command', echoCommand(port, answer));
  }
}

/** Waits until `service` runs `tasks` tasks (as many as it wants). */
function runningTasks(integ: IntegTest, stack: ArculusFidoStack, service: FidoService, tasks: number): IApiCall {
  return integ.assertions.awsApiCall('ECS', 'describeServices', {
    cluster: stack.deployment.cluster.clusterName,
    services: [service.service.serviceName],
  }).expect(ExpectedResult.objectLike({
    services: [{ status: 'ACTIVE', desiredCount: tasks, runningCount: tasks }],
  })).waitForAssertions({ totalTimeout: Duration.minutes(20), interval: Duration.seconds(30) });
}

/** What a service must show once the deployment is up: its running tasks, and every target healthy. */
export function assertServiceUp(integ: IntegTest, stack: ArculusFidoStack, service: FidoService, tasks: number): IApiCall[] {
  return [
    runningTasks(integ, stack, service, tasks),
    integ.assertions.awsApiCall('ELBv2', 'describeTargetHealth', {
      TargetGroupArn: service.targetGroup.targetGroupArn,
    }).expect(ExpectedResult.objectLike({
      // Exactly `tasks` targets, each healthy.
      TargetHealthDescriptions: Array.from({ length: tasks }, () => ({ TargetHealth: { State: 'healthy' } })),
    })).waitForAssertions({ totalTimeout: Duration.minutes(20), interval: Duration.seconds(30) }),
  ];
}

/**
 * Runs one of the deployment's runbooks on both services and waits until its execution succeeds:
 * the assertion's function starts it as an operator does, passing the runbook's role.
 */
function runRunbook(integ: IntegTest, document: ssm.CfnDocument, role: iam.IRole, after: IApiCall[]): IApiCall {
  const start = integ.assertions.awsApiCall('SSM', 'startAutomationExecution', {
    DocumentName: document.ref,
    Parameters: { Service: ['all'] },
  });
  start.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [role.roleArn] });
  after.forEach((call) => call.next(start));
  return start.next(integ.assertions.awsApiCall('SSM', 'getAutomationExecution', {
    AutomationExecutionId: start.getAttString('AutomationExecutionId'),
  }).expect(ExpectedResult.objectLike({ AutomationExecution: { AutomationExecutionStatus: 'Success' } }))
    .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) }));
}

/**
 * Once every other assertion held: the Stop runbook brings both services to 0 running tasks, and
 * the Start runbook brings them back to `tasks`.
 */
export function assertRunbooksStopAndStart(integ: IntegTest, stack: ArculusFidoStack, tasks: number, after: IApiCall[]): void {
  const runbooks = stack.deployment.runbooks!;
  const services = [stack.deployment.pyFido, stack.deployment.tomcat];
  const stopped = runRunbook(integ, runbooks.stopDocument, runbooks.stopRole, after);
  const atZero = services.map((service) => stopped.next(runningTasks(integ, stack, service, 0)));
  const started = runRunbook(integ, runbooks.startDocument, runbooks.startRole, atZero);
  services.forEach((service) => started.next(runningTasks(integ, stack, service, tasks)));
}

/**
 * Once `after` held: rotating the application secret completes (the library's function ran its
 * four steps), and EventBridge then runs the Redeploy runbook on the services, which succeeds.
 */
export function assertRotationRedeploys(integ: IntegTest, stack: ArculusFidoStack, after: IApiCall[]): void {
  const secretId = stack.deployment.dataLayer.applicationSecret.secretArn;
  const rotate = integ.assertions.awsApiCall('SecretsManager', 'rotateSecret', { SecretId: secretId });
  // Secrets Manager invokes the function on behalf of the caller, who must be allowed to.
  rotate.provider.addToRolePolicy({ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [stack.deployment.dataLayer.applicationSecretRotationFunction!.functionArn] });
  after.forEach((call) => call.next(rotate));
  const wait = { totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) };
  // LastRotatedDate is set once finishSecret has moved AWSCURRENT; no secret value is read.
  rotate.next(integ.assertions.awsApiCall('SecretsManager', 'describeSecret', { SecretId: secretId })
    .expect(ExpectedResult.objectLike({ RotationEnabled: true, LastRotatedDate: Match.stringLikeRegexp('^[0-9]{4}-') }))
    .waitForAssertions(wait))
    .next(integ.assertions.awsApiCall('SSM', 'describeAutomationExecutions', {
      Filters: [{ Key: 'DocumentNamePrefix', Values: [stack.deployment.runbooks!.redeployDocument.ref] }],
    }).expect(ExpectedResult.objectLike({
      AutomationExecutionMetadataList: Match.arrayWith([Match.objectLike({ AutomationExecutionStatus: 'Success', ExecutedBy: Match.stringLikeRegexp('RedeployEventsRole') })]),
    })).waitForAssertions(wait));
}

/** The guide's outputs a deployed stack must carry. */
export const GUIDE_OUTPUTS = ['LoadBalancerDNS', 'PyFidoEndpoint', 'TomcatEndpoint', 'ClusterName', 'MongoDBSecretArn'];

/**
 * The domain serves over HTTPS: PyFIDO's `/health` answers 200 and Tomcat's root 200-399, each
 * with `answer` as its body where given (the echo servers' answer of the region that served).
 */
export function assertDomainServes(integ: IntegTest, domainName: string, answer?: string): IApiCall[] {
  const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) };
  const body = answer === undefined ? {} : { body: answer };
  return [
    integ.assertions.httpApiCall(`https://${domainName}:5001/health`).expect(ExpectedResult.objectLike({ status: 200, ...body })).waitForAssertions(wait),
    // fetch follows a redirect; `ok` is a final answer from 200 to 299.
    integ.assertions.httpApiCall(`https://${domainName}/`).expect(ExpectedResult.objectLike({ ok: true, ...body })).waitForAssertions(wait),
  ];
}

/**
 * Waits until Route 53's checkers reach each of the HTTPS checks in `scope` (a region's Tomcat on
 * 443 and PyFIDO on 5001): a checker reports success on each. Route 53 gives no status of the
 * calculated check that decides a record (GetHealthCheckStatus refuses calculated checks).
 */
export function assertChecksPass(integ: IntegTest, scope: Construct, expected: number): IApiCall[] {
  const isHttps = (c: IConstruct): c is route53.HealthCheck => c instanceof route53.HealthCheck
    && ((c.node.defaultChild as route53.CfnHealthCheck).healthCheckConfig as route53.CfnHealthCheck.HealthCheckConfigProperty).type === 'HTTPS';
  const checks = scope.node.findAll().filter(isHttps);
  if (checks.length !== expected) {
    throw new Error(`${scope.node.path}: ${checks.length} HTTPS health checks, expected ${expected}`);
  }
  const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) };
  return checks.map((check) => integ.assertions.awsApiCall('Route53', 'getHealthCheckStatus', { HealthCheckId: check.healthCheckId })
    .expect(ExpectedResult.objectLike({
      HealthCheckObservations: Match.arrayWith([Match.objectLike({ StatusReport: Match.objectLike({ Status: Match.stringLikeRegexp('^Success') }) })]),
    }))
    .waitForAssertions(wait));
}

/**
 * The assertions of every deployment: both services at `tasks` running tasks with every target
 * healthy, the domain serving over HTTPS (`assertDomainServes`, with `answer` where given), and
 * the guide's five outputs on the stack.
 */
export function assertDeploymentServes(integ: IntegTest, stack: ArculusFidoStack, domainName: string, tasks: number, answer?: string): IApiCall[] {
  return [
    ...assertServiceUp(integ, stack, stack.deployment.pyFido, tasks),
    ...assertServiceUp(integ, stack, stack.deployment.tomcat, tasks),
    ...assertDomainServes(integ, domainName, answer),
    // One call per output: CloudFormation lists a stack's outputs in no fixed order.
    ...GUIDE_OUTPUTS.map((key) => integ.assertions.awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
      .expect(ExpectedResult.objectLike({ Stacks: [{ Outputs: Match.arrayWith([Match.objectLike({ OutputKey: key })]) }] }))),
  ];
}

/** Every resource of `stack` (nested stacks included) of `type`. */
export function resourcesOf(stack: Stack, type: string): CfnResource[] {
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === type);
}
