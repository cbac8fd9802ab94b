import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LinkTarget, linkPath, linkRole, linkWriter, readLinkValue } from './account-link';
import { CheckedEndpoint, regionHealthCheck, ResolvedFailover } from './failover';
import type { RegionMetricNames } from './pair-dashboard';
import type { AliasedLoadBalancer } from './zone-records';
import type { ArculusFidoDeployment } from '../deployment/arculus-fido-deployment';

/**
 * What a pair whose secondary is in another account builds beside its two deployments. Stacks of
 * two accounts cannot refer to each other's values, so every Route 53 object of the pair lives in
 * the secondary's account (both regions' checks and failover records), and the primary hands the
 * secondary what it needs of its region through SSM parameters of the secondary's account and
 * region (`account-link`): its load balancer's names, the ARNs of the application secret's
 * replica and of that replica's key, and the names the pair's dashboard finds its metrics by.
 */

/** The names of the values the primary hands to the secondary. */
const VALUES = {
  dnsName: 'load-balancer-dns-name',
  zoneId: 'load-balancer-canonical-hosted-zone-id',
  fullName: 'load-balancer-full-name',
  pyFidoService: 'pyfido-service-name',
  tomcatService: 'tomcat-service-name',
  secretArn: 'application-secret-replica-arn',
  keyArn: 'application-secret-replica-key-arn',
} as const;

/** The secondary's link: a stack of its account and region, deployed before both regions'. */
export interface SecondaryLink {
  readonly stack: Stack;
  readonly target: LinkTarget;
}

/**
 * The stack `<secondary stack name>-link` in the secondary's account and region: the link role
 * the primary's account writes the values through, and the default event bus's permission for
 * the primary's account to put events on it (the application secret's changes, forwarded).
 */
export function secondaryLink(pair: Construct, props: {
  readonly env: { readonly account: string; readonly region: string };
  readonly secondaryStackName: string;
  readonly primaryAccount: string;
}): SecondaryLink {
  const stack = new Stack(pair, 'SecondaryLink', { env: props.env, stackName: `${props.secondaryStackName}-link` });
  const path = linkPath(props.secondaryStackName);
  const role = linkRole(stack, 'LinkRole', { writerAccount: props.primaryAccount, path });
  const sid = `arculus-fido-${props.primaryAccount}`;
  new events.EventBusPolicy(stack, 'PrimaryAccountEvents', {
    eventBus: events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default'),
    statementId: sid,
    statement: new iam.PolicyStatement({
      sid,
      principals: [new iam.AccountPrincipal(props.primaryAccount)],
      actions: ['events:PutEvents'],
      resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
    }).toJSON(),
  });
  return { stack, target: { role, region: props.env.region, path } };
}

/**
 * Writes, from the primary's stack, what the secondary reads: the load balancer's names, the full
 * ARNs of the application secret's replica in the secondary's region and of its key, and the
 * services' names (with the load balancer's, what the dashboard finds their metrics by). Then
 * forwards the secret's changes to the secondary's bus, where they redeploy its services.
 */
export function handToSecondary(primary: ArculusFidoDeployment, props: {
  readonly link: SecondaryLink;
  readonly secondaryAccount: string;
  readonly replicaKey: kms.IKey;
}): void {
  const scope = new Construct(Stack.of(primary), 'SecondaryLink');
  // aws-cdk-lib's function behind the writers logs as the deployment's own functions do.
  const write = linkWriter(scope, props.link.target, primary._logs);
  const loadBalancer = primary.loadBalancer.loadBalancer;
  const secret = primary.dataLayer.applicationSecret;
  const region = props.link.target.region;
  write('LoadBalancerDnsName', VALUES.dnsName, loadBalancer.loadBalancerDnsName);
  write('LoadBalancerCanonicalHostedZoneId', VALUES.zoneId, loadBalancer.loadBalancerCanonicalHostedZoneId);
  write('ApplicationSecretReplicaArn', VALUES.secretArn, secretIn(secret.secretFullArn ?? secret.secretArn, region));
  write('ApplicationSecretReplicaKeyArn', VALUES.keyArn, props.replicaKey.keyArn);
  write('LoadBalancerFullName', VALUES.fullName, loadBalancer.loadBalancerFullName);
  write('PyFidoServiceName', VALUES.pyFidoService, primary.pyFido.service.serviceName);
  write('TomcatServiceName', VALUES.tomcatService, primary.tomcat.service.serviceName);
  primary.runbooks?.forwardSecretChanges('ForwardApplicationSecretChangesToSecondaryAccount', secret, region, props.secondaryAccount);
}

/** What the secondary's stack knows of the primary region, read from the values it handed over. */
export interface PrimaryInSecondary {
  /** The application secret's replica in this region, with its key: what the services read. */
  readonly applicationSecret: secretsmanager.ISecret;
  /** The application secret itself, in the primary's region: whose changes redeploy the services. */
  readonly sourceSecret: secretsmanager.ISecret;
  /** The primary's load balancer, as its records point at it. */
  readonly loadBalancer: AliasedLoadBalancer;
  /** What the pair's dashboard finds the primary's metrics by. */
  readonly metricNames: RegionMetricNames;
  /** The primary region's health check, in this account, which the failover runbooks act on. */
  readonly healthCheck: route53.HealthCheck;
  /** Where the primary region's Route 53 objects are, in the secondary's stack. */
  readonly scope: Construct;
}

/**
 * Reads, in the secondary's stack, the values the primary handed over, and
 * makes the primary region's Route 53 check there (`PrimaryRegion`).
 */
export function primaryInSecondary(stack: Stack, props: {
  readonly link: SecondaryLink;
  readonly primaryRegion: string;
  readonly failover: ResolvedFailover;
  readonly endpoints: readonly CheckedEndpoint[];
  /** The primary's cluster's name, which the deployment's names decide (the same in each region). */
  readonly clusterName: string;
}): PrimaryInSecondary {
  const scope = new Construct(stack, 'PrimaryRegion');
  const read = (name: string) => readLinkValue(stack, props.link.target.path, name);
  const replicaArn = read(VALUES.secretArn);
  const loadBalancer = { loadBalancerDnsName: read(VALUES.dnsName), loadBalancerCanonicalHostedZoneId: read(VALUES.zoneId) };
  return {
    applicationSecret: secretsmanager.Secret.fromSecretAttributes(scope, 'ApplicationSecretReplica', {
      secretCompleteArn: replicaArn,
      encryptionKey: kms.Key.fromKeyArn(scope, 'ApplicationSecretReplicaKey', read(VALUES.keyArn)),
    }),
    sourceSecret: secretsmanager.Secret.fromSecretCompleteArn(scope, 'ApplicationSecret', secretIn(replicaArn, props.primaryRegion)),
    loadBalancer,
    metricNames: {
      loadBalancerFullName: read(VALUES.fullName),
      clusterName: props.clusterName,
      pyFidoServiceName: read(VALUES.pyFidoService),
      tomcatServiceName: read(VALUES.tomcatService),
    },
    scope,
    healthCheck: regionHealthCheck(scope, { loadBalancer, failover: props.failover, endpoints: props.endpoints }),
  };
}

/** The ARN of the secret `secretArn` in `region`, its replica's: Secrets Manager keeps the name and its suffix. */
function secretIn(secretArn: string, region: string): string {
  return Arn.format({ ...Arn.split(secretArn, ArnFormat.COLON_RESOURCE_NAME), service: 'secretsmanager', resource: 'secret', region });
}
