/**
 * Integration test: `ArculusFidoRegionPair` in prod, primary in us-east-1 and secondary in
 * us-west-2 (as docs/failover.md deploys it), with images that answer the health checks; each
 * region's echo servers answer `ok <region>`, so that an HTTPS answer at the domain says which
 * region served it. After deploying:
 *
 * 1. both regions serve: the primary's services run their three tasks with every target healthy,
 *    the domain answers over HTTPS from the primary, the guide's outputs are on its stack; Route
 *    53's checkers reach each region's load balancer over HTTPS (Tomcat on 443, PyFIDO on 5001);
 * 2. the failover record answers with the primary's load balancer (Route 53 TestDNSAnswer);
 * 3. the primary's region check is inverted (it fails, as in an outage), and the record then
 *    answers with the secondary's load balancer, and the domain serves from the secondary, with
 *    its own certificate, on both ports;
 * 4. the check is set back, and the record answers with the primary again.
 *
 * The assertions run from one region, the primary's: integ-tests-alpha's calls (2.245.0-alpha.0)
 * have no region of their own, their function calls its own region's endpoints. So the secondary's
 * ECS services and target groups are not asserted directly; Route 53 is global, and its checks,
 * its answers and the domain's HTTPS answer after failover are what prove the secondary serves.
 * To tell the two load balancers apart in Route 53's answers, the test adds a plain alias record
 * per region, `primary.<domain>` and `secondary.<domain>`: the failover record's answer must hold
 * an address of the region's.
 *
 * As in the prod test, what prod keeps on deletion (secrets, log groups, the secondary's key) and
 * the load balancers' deletion protection are turned off, so that a run leaves nothing behind.
 *
 * With an account (see docs/integration-tests.md): a public hosted zone of yours that resolves on
 * the internet, given as context (the domain becomes `fido-pair.<zone>`), and both regions
 * bootstrapped; `cdk deploy --all` deploys the secondary's keys, the primary, the secondary and
 * the assertions, in that order:
 *
 *   npx aws-cdk@2 bootstrap aws://ACCOUNT/us-east-1 aws://ACCOUNT/us-west-2 --profile my-profile
 *   APP="npx ts-node --project test/tsconfig.json test/integ.pair.ts"
 *   CONTEXT="-c arculus-integ:zoneName=example.com -c arculus-integ:hostedZoneId=Z0123456789ABCDEFGHIJ"
 *   npx aws-cdk@2 deploy --all --require-approval never --app "$APP" $CONTEXT --profile my-profile
 *   npx aws-cdk@2 destroy --all --force --app "$APP" $CONTEXT --profile my-profile
 *
 * Without an account, `npx projen integ` compares its synthesis with test/integ.pair.ts.snapshot.
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { assertChecksPass, assertDeploymentServes, assertDomainServes, ECHO_IMAGE, integDomain, runEchoServers } from './integ-support';
import { ArculusFidoRegionPair, ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App();
const domain = integDomain(app, 'fido-pair');
const zone = domain.hostedZone!;
const image = ecs.ContainerImage.fromRegistry(ECHO_IMAGE);
// The echo servers never connect to MongoDB: each region's secret and its injection are what is deployed.
const mongoDb = MongoDbConnection.fromEndpoint({ host: 'mongodb.invalid', username: 'fido' });
const pair = new ArculusFidoRegionPair(app, 'ArculusFidoIntegPair', {
  deployment: {
    deploymentEnvironment: DeploymentEnvironment.PROD,
    // Apart from the prod test's names, which it deploys in us-east-1 too.
    applicationName: 'arculus-integ-pair',
    domain,
    mongoDb,
    images: { pyFido: image, tomcat: image },
    loadBalancer: { accessLogs: false, deletionProtection: false },
  },
  primary: { env: { region: 'us-east-1' } },
  // A warm standby: one task of each service.
  secondary: { env: { region: 'us-west-2' }, mongoDb },
});
const keys = Stack.of(pair.secondaryKey!);
for (const stack of [keys, pair.primary, pair.secondary]) {
  RemovalPolicies.of(stack).destroy();
}

/** What `stack`'s echo servers answer: its region. */
const answerOf = (stack: ArculusFidoStack) => `ok ${stack.region}`;

/**
 * `<label>.<domain>`, a plain alias of `stack`'s load balancer that the test adds: what Route 53
 * answers for it is that load balancer's addresses.
 */
function regionRecord(stack: ArculusFidoStack, label: string): string {
  const recordName = `${label}.${domain.domainName}`;
  new route53.ARecord(stack, 'IntegRegionRecord', {
    zone,
    recordName: `${recordName}.`,
    target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(stack.deployment.loadBalancer.loadBalancer)),
  });
  return recordName;
}

for (const stack of [pair.primary, pair.secondary]) {
  runEchoServers(stack, answerOf(stack));
}
const regionNames = { primary: regionRecord(pair.primary, 'primary'), secondary: regionRecord(pair.secondary, 'secondary') };

// The assertions' stack, in the primary's region: its calls reach that region's services, and
// Route 53 from anywhere. The secondary's health checks reach it by cross-region references.
const assertions = new Stack(app, 'ArculusFidoIntegPairAssertions', { env: { region: pair.primary.region }, crossRegionReferences: true });
const integ = new IntegTest(app, 'ArculusFidoPair', { testCases: [keys, pair.primary, pair.secondary], assertionStack: assertions });
const wait = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) };

/** What Route 53 answers for an A query of `recordName` in the zone, as its name servers would. */
function dnsAnswer(recordName: string): IApiCall {
  return integ.assertions.awsApiCall('Route53', 'testDNSAnswer', { HostedZoneId: zone.hostedZoneId, RecordName: recordName, RecordType: 'A' });
}

/**
 * Waits until the failover record answers with an address of `region`'s load balancer: one that
 * Route 53 answers for the region's own record.
 */
function answersWith(region: keyof typeof regionNames): IApiCall {
  const address = dnsAnswer(regionNames[region]).getAttString('RecordData.0');
  return dnsAnswer(domain.domainName)
    .expect(ExpectedResult.objectLike({ ResponseCode: 'NOERROR', RecordData: Match.arrayWith([address]) }))
    .waitForAssertions(wait);
}

/** Inverts the primary's region check, or sets it back: inverted, a healthy region counts as down. */
function primaryInverted(inverted: boolean): IApiCall {
  return integ.assertions.awsApiCall('Route53', 'updateHealthCheck', { HealthCheckId: pair.primaryHealthCheck.healthCheckId, Inverted: inverted })
    .expect(ExpectedResult.objectLike({ HealthCheck: { HealthCheckConfig: { Type: 'CALCULATED', Inverted: inverted } } }));
}

// 1, 2. Both regions serve, and the record answers with the primary, whose three tasks serve the domain.
const serving = [
  ...assertDeploymentServes(integ, pair.primary, domain.domainName, 3, answerOf(pair.primary)),
  // Route 53's checkers reach each region's load balancer.
  ...assertChecksPass(integ, pair.primary, 2),
  ...assertChecksPass(integ, pair.secondary, 2),
  answersWith('primary'),
];
// 3. The primary fails its check: the record answers with the secondary, which serves the domain.
const failed = primaryInverted(true);
serving.forEach((call) => call.next(failed));
const failedOver = failed.next(answersWith('secondary'));
const secondaryServes = assertDomainServes(integ, domain.domainName, answerOf(pair.secondary)).map((call) => failedOver.next(call));
// 4. The check set back: the record answers with the primary again.
const restored = primaryInverted(false);
secondaryServes.forEach((call) => call.next(restored));
restored.next(answersWith('primary'));
