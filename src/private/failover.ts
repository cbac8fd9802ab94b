import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { ResolvedSizing } from './presets';
import { ProblemList, show } from './validation';
import type { AliasedLoadBalancer, ZoneRecordWriter } from './zone-records';
import type { DomainOptions } from '../edge/options';
import type { SizingOptions } from '../service/options';

/** A deployment's part in DNS failover, decided once. */
export interface ResolvedFailover {
  readonly role: route53.Failover;
  readonly healthCheckInterval: Duration;
  readonly failureThreshold: number;
  /** The primary region's health check, which a secondary's failover runbooks act on. */
  readonly primaryHealthCheck?: route53.IHealthCheck;
}

/** How often Route 53 checks an endpoint, unless the props say otherwise: its fast interval. */
export const DEFAULT_HEALTH_CHECK_INTERVAL = Duration.seconds(10);
/** Failed checks in a row before Route 53 calls an endpoint down: Route 53's own default. */
export const DEFAULT_FAILURE_THRESHOLD = 3;

/**
 * Checks `domain.failover` and `sizing.standbyTasks` beside what they depend on: the public
 * zone that holds the records, the clients the load balancer admits (Route 53's health checkers
 * among them), and the services' bounds a standby stays under.
 */
export function resolveFailover(
  problems: ProblemList, domain: DomainOptions | undefined, allowedIngress: ec2.IPeer[] | undefined,
): ResolvedFailover | undefined {
  const failover = domain?.failover;
  if (!failover) {
    return undefined;
  }
  if (!domain?.hostedZone) {
    problems.add('domain.failover', 'needs domain.hostedZone, the public zone that holds the failover records of domainName; give the zone, or leave failover out');
  } else if (domain.hostedZone instanceof route53.PrivateHostedZone) {
    problems.add('domain.hostedZone', 'is a private zone, whose records Route 53 health checks cannot steer for clients on the internet; give the public zone of domainName');
  }
  const interval = failover.healthCheckInterval;
  checkHealthCheckTiming(problems, 'domain.failover.', interval, failover.failureThreshold);
  if (failover.primaryHealthCheck && failover.role !== route53.Failover.SECONDARY) {
    problems.add('domain.failover.primaryHealthCheck', `is for the SECONDARY's failover runbooks, but role is ${show(failover.role)}; leave it out here`);
  }
  const peers = allowedIngress ?? [];
  if (allowedIngress && !peers.some((peer) => peer.uniqueId === ec2.Peer.anyIpv4().uniqueId || peer.uniqueId.startsWith('pl-') || Token.isUnresolved(peer.uniqueId))) {
    problems.add('network.allowedIngress', 'admits neither 0.0.0.0/0 nor a prefix list, so Route 53\'s health checkers could never reach the load balancer and the region would always count as down; add ec2.Peer.prefixList() with the ID of the region\'s com.amazonaws.<region>.route53-healthchecks list, or leave allowedIngress out');
  }
  return {
    role: failover.role,
    healthCheckInterval: interval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
    failureThreshold: failover.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    primaryHealthCheck: failover.primaryHealthCheck,
  };
}

/** Checks how often Route 53 checks (`<prefix>healthCheckInterval`) and how many failures in a row call an endpoint down. */
export function checkHealthCheckTiming(
  problems: ProblemList, prefix: string, interval: Duration | undefined, failureThreshold: number | undefined,
): void {
  // A token goes into the health checks as it is: CloudFormation takes a parameter there.
  if (interval !== undefined && !interval.isUnresolved() && ![10, 30].includes(interval.toMilliseconds() / 1000)) {
    problems.add(`${prefix}healthCheckInterval`, `must be 10 or 30 seconds (Route 53 checks at one of the two), got ${interval.toHumanString()}`);
  }
  problems.integerInRange(`${prefix}failureThreshold`, failureThreshold, 1, 10);
}

/**
 * Checks `sizing.standbyTasks`: a whole number of tasks from 0, for the SECONDARY of a failover
 * pair only, at most the minimum each service runs at, and without schedules that would move it.
 */
export function checkStandby(
  problems: ProblemList, sizing: SizingOptions | undefined, failover: ResolvedFailover | undefined,
  services: ReadonlyArray<{ prop: string; sizing: ResolvedSizing }>,
): number | undefined {
  const standby = sizing?.standbyTasks;
  if (standby === undefined) {
    return undefined;
  }
  // A token becomes the services' count and minimum as it is; only a known count is compared.
  const known = problems.wholeTasks('sizing.standbyTasks', standby, 0);
  if (!known && !Token.isUnresolved(standby)) {
    return undefined;
  }
  if (failover?.role !== route53.Failover.SECONDARY) {
    problems.add('sizing.standbyTasks', `keeps the services at ${standby} tasks until failover, but domain.failover.role is ${failover ? show(failover.role) : 'not set'}; give it to the SECONDARY of a failover pair only`);
  }
  if (sizing?.officeHours) {
    problems.add('sizing.standbyTasks', 'keeps a standby at its count, but sizing.officeHours would wake it to its full sizing every day; leave one of the two out');
  }
  for (const { prop, sizing: resolved } of services) {
    if ((resolved.schedules ?? []).length > 0 && !sizing?.officeHours) {
      problems.add(`sizing.${prop}.schedules`, `would move the bounds of a standby kept at ${standby} tasks (sizing.standbyTasks); leave the schedules out of the standby region`);
    }
    if (known && !Token.isUnresolved(resolved.minCapacity) && standby > resolved.minCapacity) {
      problems.add('sizing.standbyTasks', `is ${standby}, above the ${resolved.minCapacity} tasks sizing.${prop} runs at when it serves; a standby runs at most as many`);
    }
  }
  return standby;
}

/** The sizing a service is deployed at: its own, or the standby's count below the same maximum. */
export function deployedSizing(sizing: ResolvedSizing, standby: number | undefined): ResolvedSizing {
  return standby === undefined ? sizing : { ...sizing, desiredCount: standby, minCapacity: standby };
}

/** The alias target of `loadBalancer`, as aws-cdk-lib's LoadBalancerTarget renders it: the name that answers both families. */
export function loadBalancerAlias(loadBalancer: AliasedLoadBalancer, evaluateTargetHealth: boolean): route53.IAliasRecordTarget {
  return {
    bind: () => ({
      hostedZoneId: loadBalancer.loadBalancerCanonicalHostedZoneId,
      dnsName: `dualstack.${loadBalancer.loadBalancerDnsName}`,
      evaluateTargetHealth,
    }),
  };
}

/** An endpoint of the load balancer that Route 53 requests over HTTPS. */
export interface CheckedEndpoint {
  /** Names the health check construct, e.g. `Tomcat`. */
  readonly id: string;
  readonly port: number;
  /** The path the target group checks, which answers without signing in. */
  readonly path: string;
}

/** What the failover records of a region point at, and how Route 53 checks it. */
export interface FailoverTarget {
  readonly loadBalancer: AliasedLoadBalancer;
  readonly failover: ResolvedFailover;
  readonly endpoints: readonly CheckedEndpoint[];
}

/** Where a region's failover records go, and what they are named. */
export interface FailoverRecordOptions {
  readonly zone: route53.IHostedZone;
  /** Writes the records in the zone, when it is of another account. */
  readonly writeInZone?: ZoneRecordWriter;
  readonly domainName: string;
  readonly setIdentifier: string;
  /** Whether an AAAA failover record goes beside the A record (a dual-stack load balancer). */
  readonly ipv6: boolean;
}

/** A region's failover records, with the check that decides them. */
export interface FailoverRecords {
  readonly record?: route53.ARecord;
  readonly ipv6Record?: route53.AaaaRecord;
  readonly healthCheck: route53.IHealthCheck;
}

/**
 * The failover alias record of `domainName` for this load balancer, answered while every endpoint
 * passes Route 53's HTTPS checks (`regionHealthCheck`). The checks stay in the deployment's
 * account; with `writeInZone`, the records go into a zone of another account through it, and
 * refer to those checks there (Route 53 takes a check of another account).
 */
export function addFailoverRecord(scope: Construct, props: FailoverTarget & FailoverRecordOptions): FailoverRecords {
  return failoverRecords(scope, props, props.loadBalancer, props.failover.role, regionHealthCheck(scope, props));
}

/**
 * The check Route 53 answers a region's failover record by: one HTTPS check per endpoint, and a
 * calculated check that is healthy only when all of them are. Route 53 requests the load
 * balancer's own DNS name: a check of the domain would follow the failover record to whichever
 * region it answers with.
 */
export function regionHealthCheck(scope: Construct, target: FailoverTarget): route53.HealthCheck {
  const checks = target.endpoints.map((endpoint) => new route53.HealthCheck(scope, `${endpoint.id}HealthCheck`, {
    type: route53.HealthCheckType.HTTPS,
    fqdn: target.loadBalancer.loadBalancerDnsName,
    port: endpoint.port,
    resourcePath: endpoint.path,
    requestInterval: target.failover.healthCheckInterval,
    failureThreshold: target.failover.failureThreshold,
  }));
  return new route53.HealthCheck(scope, 'RegionHealthCheck', {
    type: route53.HealthCheckType.CALCULATED,
    childHealthChecks: checks,
    healthThreshold: checks.length,
  });
}

/** The failover records (`role`) of `domainName` at `loadBalancer`, answered by `healthCheck`. */
export function failoverRecords(
  scope: Construct, props: FailoverRecordOptions, loadBalancer: AliasedLoadBalancer, role: route53.Failover, healthCheck: route53.IHealthCheck,
): FailoverRecords {
  // Fully qualified, so that the zone's name is never appended a second time.
  const recordName = `${props.domainName}.`;
  if (props.writeInZone) {
    const failover = { role, setIdentifier: props.setIdentifier, healthCheck };
    const record = { name: recordName, loadBalancer, evaluateTargetHealth: true, failover };
    props.writeInZone({ a: 'FailoverRecordInZoneAccount', aaaa: props.ipv6 ? 'FailoverAaaaRecordInZoneAccount' : undefined }, record);
    return { healthCheck };
  }
  const options = {
    zone: props.zone,
    recordName,
    // Route 53 requires it of failover alias records: a load balancer without a healthy target is down too.
    target: route53.RecordTarget.fromAlias(loadBalancerAlias(loadBalancer, true)),
    failover: role,
    setIdentifier: props.setIdentifier,
    healthCheck,
  };
  const record = new route53.ARecord(scope, 'FailoverRecord', options);
  // IPv6 clients fail over with the same checks: the load balancer's two families share them.
  const ipv6Record = props.ipv6 ? new route53.AaaaRecord(scope, 'FailoverAaaaRecord', options) : undefined;
  return { record, ipv6Record, healthCheck };
}
