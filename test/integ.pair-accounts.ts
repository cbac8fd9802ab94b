/**
 * Integration test: `ArculusFidoRegionPair` in prod with its secondary in another account
 * (docs/failover.md, A secondary in another account): the primary in us-east-1 of one account,
 * the secondary in us-west-2 of another, with images that answer the health checks; each region's
 * echo servers answer `ok <region>`, so that an HTTPS answer at the domain says which region
 * served it. After deploying, from the secondary's account and region, where every Route 53
 * object of such a pair is:
 *
 * 1. the primary handed its values over: its load balancer's DNS name is an SSM parameter of the
 *    secondary's account and region, written through the link role;
 * 2. the secondary's services run their standby task each with every target healthy: ECS starts
 *    a task only once it has read its secrets, the application secret's replica of the primary's
 *    account among them;
 * 3. Route 53's checkers reach both regions' load balancers over HTTPS (Tomcat on 443, PyFIDO on
 *    5001), and the domain serves from the primary;
 * 4. the primary's region check is inverted (it fails, as in an outage), and the domain then
 *    serves from the secondary, with its own certificate, on both ports;
 * 5. the check is set back, and the domain serves from the primary again.
 *
 * As in the other tests, what prod keeps on deletion and the load balancers' deletion protection
 * are turned off, so that a run leaves nothing behind.
 *
 * With two accounts (see docs/integration-tests.md): context names the primary's account, the
 * secondary's, a public hosted zone of the secondary's account that resolves on the internet (the
 * domain becomes `fido-pair-accounts.<zone>`), and the primary's certificate of that domain, in
 * its account and us-east-1, validated in that zone. The primary's account is bootstrapped in
 * both regions, the secondary's in us-west-2, each trusting the account the CLI runs as.
 *
 *   npx aws-cdk@2 bootstrap aws://PRIMARY/us-east-1 aws://PRIMARY/us-west-2 --profile primary
 *   npx aws-cdk@2 bootstrap aws://SECONDARY/us-west-2 --trust PRIMARY \
 *     --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess --profile secondary
 *   APP="npx ts-node --project test/tsconfig.json test/integ.pair-accounts.ts"
 *   CONTEXT="-c arculus-integ:primaryAccount=PRIMARY -c arculus-integ:secondaryAccount=SECONDARY \
 *     -c arculus-integ:zoneName=example.com -c arculus-integ:hostedZoneId=Z0123456789ABCDEFGHIJ \
 *     -c arculus-integ:certificateArn=arn:aws:acm:us-east-1:PRIMARY:certificate/..."
 *   npx aws-cdk@2 deploy --all --require-approval never --app "$APP" $CONTEXT --profile primary
 *   npx aws-cdk@2 destroy --all --force --app "$APP" $CONTEXT --profile primary
 *
 * Without accounts, `npx projen integ` compares its synthesis with test/integ.pair-accounts.ts.snapshot.
 */
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { assertChecksPass, assertDomainServes, assertServiceUp, ECHO_IMAGE, integDomain, runEchoServers } from './integ-support';
import { ArculusFidoRegionPair, ArculusFidoStack, DeploymentEnvironment, MongoDbConnection } from '../src';

const app = new App();
const context = (key: string, placeholder: string): string => app.node.tryGetContext(`arculus-integ:${key}`) ?? placeholder;
const primaryAccount = context('primaryAccount', '111111111111');
const secondaryAccount = context('secondaryAccount', '222222222222');
const domain = integDomain(app, 'fido-pair-accounts');
const image = ecs.ContainerImage.fromRegistry(ECHO_IMAGE);
// The echo servers never connect to MongoDB: each region's secret and its injection are what is deployed.
const mongoDb = MongoDbConnection.fromEndpoint({ host: 'mongodb.invalid', username: 'fido' });
const pair = new ArculusFidoRegionPair(app, 'ArculusFidoIntegPairAccounts', {
  deployment: {
    deploymentEnvironment: DeploymentEnvironment.PROD,
    // Apart from the other tests' names, which they deploy in the same regions.
    applicationName: 'arculus-integ-accounts',
    domain: {
      ...domain,
      // The primary's stack writes nothing in the secondary's zone: its certificate is imported.
      certificate: acm.Certificate.fromCertificateArn(app, 'PrimaryCertificate',
        context('certificateArn', `arn:aws:acm:us-east-1:${primaryAccount}:certificate/00000000-0000-0000-0000-000000000000`)),
    },
    mongoDb,
    images: { pyFido: image, tomcat: image },
    loadBalancer: { accessLogs: false, deletionProtection: false },
  },
  primary: { env: { account: primaryAccount, region: 'us-east-1' } },
  // A warm standby: one task of each service.
  secondary: { env: { account: secondaryAccount, region: 'us-west-2' }, mongoDb },
});
const link = pair.secondaryLink!;
const keys = Stack.of(pair.secondaryKey!);
for (const stack of [link, keys, pair.primary, pair.secondary]) {
  RemovalPolicies.of(stack).destroy();
}

/** What `stack`'s echo servers answer: its region. */
const answerOf = (stack: ArculusFidoStack) => `ok ${stack.region}`;
for (const stack of [pair.primary, pair.secondary]) {
  runEchoServers(stack, answerOf(stack));
}

// The assertions' stack, in the secondary's account and region: its calls reach that region's
// services and parameters, the pair's Route 53 checks, and the domain from the internet.
const assertions = new Stack(app, 'ArculusFidoIntegPairAccountsAssertions', { env: { account: secondaryAccount, region: 'us-west-2' } });
const integ = new IntegTest(app, 'ArculusFidoPairAccounts', { testCases: [link, keys, pair.primary, pair.secondary], assertionStack: assertions });

/** Inverts the primary's region check, or sets it back: inverted, a healthy region counts as down. */
function primaryInverted(inverted: boolean): IApiCall {
  return integ.assertions.awsApiCall('Route53', 'updateHealthCheck', { HealthCheckId: pair.primaryHealthCheck.healthCheckId, Inverted: inverted })
    .expect(ExpectedResult.objectLike({ HealthCheck: { HealthCheckConfig: { Type: 'CALCULATED', Inverted: inverted } } }));
}

// 1-3. The values handed over, the standby up on the primary's secret, both regions checked, the primary serving.
const serving = [
  integ.assertions.awsApiCall('SSM', 'getParameter', { Name: `/arculus-fido/links/${pair.secondary.stackName}/load-balancer-dns-name` })
    .expect(ExpectedResult.objectLike({ Parameter: { Value: Match.stringLikeRegexp('\\.elb\\.amazonaws\\.com$') } })),
  ...assertServiceUp(integ, pair.secondary, pair.secondary.deployment.pyFido, 1),
  ...assertServiceUp(integ, pair.secondary, pair.secondary.deployment.tomcat, 1),
  // The secondary's stack holds both regions' checks.
  ...assertChecksPass(integ, pair.secondary, 4),
  ...assertDomainServes(integ, domain.domainName, answerOf(pair.primary)),
];
// 4. The primary fails its check: the domain serves from the secondary.
const failed = primaryInverted(true);
serving.forEach((call) => call.next(failed));
const failedOver = assertDomainServes(integ, domain.domainName, answerOf(pair.secondary)).map((call) => failed.next(call));
// 5. The check set back: the domain serves from the primary again.
const restored = primaryInverted(false);
failedOver.forEach((call) => call.next(restored));
assertDomainServes(integ, domain.domainName, answerOf(pair.primary)).forEach((call) => restored.next(call));
