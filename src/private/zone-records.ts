import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { roleCallResource, SdkCallLogs } from './sdk-calls';

/**
 * What a record and a check need of a load balancer: its names, which a stack of another account
 * knows too (as values handed to it), where a load balancer's construct cannot be imported.
 */
export interface AliasedLoadBalancer {
  readonly loadBalancerDnsName: string;
  readonly loadBalancerCanonicalHostedZoneId: string;
}

/** An alias record of the domain, A and perhaps AAAA, as the deployment would have CloudFormation write it. */
export interface ZoneRecord {
  /** Fully qualified, with the final dot. */
  readonly name: string;
  readonly loadBalancer: AliasedLoadBalancer;
  /** Whether Route 53 answers only while the load balancer has healthy targets. */
  readonly evaluateTargetHealth: boolean;
  /** For a failover record: its role, set identifier and health check. */
  readonly failover?: { readonly role: route53.Failover; readonly setIdentifier: string; readonly healthCheck: route53.IHealthCheck };
}

/** The construct IDs of a record's resources: its A record's, and its AAAA record's where it has one. */
export interface ZoneRecordIds {
  readonly a: string;
  readonly aaaa?: string;
}

/** Writes a record in the zone of another account, A and, with `ids.aaaa`, AAAA; see `zoneRecordWriter`. */
export type ZoneRecordWriter = (ids: ZoneRecordIds, record: ZoneRecord) => void;

/**
 * Writes records in `zone`, which belongs to another account, each through a custom resource
 * that assumes `role` there (a `FidoHostedZoneRole`): CREATE when created, which fails as
 * CloudFormation's own record does where the record exists already (it is someone else's), UPSERT
 * when changed, DELETE when removed. One resource per name, type and set identifier, its physical
 * ID: a change of any of them makes CloudFormation write the new record before it deletes the old
 * one, which is then another record. Route 53 answers a DELETE of a record that is gone, or no
 * longer as written (a failed CREATE's rollback among them), with InvalidChangeBatch: that record
 * is left as it is. aws-cdk-lib's function behind them logs to `ZoneRecordsLogGroup`, made with
 * the first record (`roleCallResource`).
 */
export function zoneRecordWriter(scope: Construct, zone: route53.IHostedZone, role: iam.IRole, logging: SdkCallLogs): ZoneRecordWriter {
  const write = (id: string, record: ZoneRecord, type: RecordType): void => {
    roleCallResource(scope, id, {
      resourceType: 'Custom::ZoneRecord',
      onCreate: changeCall(zone, role, record, type, 'CREATE'),
      onUpdate: changeCall(zone, role, record, type, 'UPSERT'),
      onDelete: { ...changeCall(zone, role, record, type, 'DELETE'), ignoreErrorCodesMatching: 'InvalidChangeBatch' },
      logGroupId: 'ZoneRecordsLogGroup',
      logging,
      policyReason: POLICY_REASON,
    });
  };
  return (ids, record) => {
    write(ids.a, record, 'A');
    if (ids.aaaa) {
      write(ids.aaaa, record, 'AAAA');
    }
  };
}

type RecordType = 'A' | 'AAAA';

/** The ChangeResourceRecordSets call that applies `action` to the `type` record of `record`, as the zone's role. */
function changeCall(zone: route53.IHostedZone, role: iam.IRole, record: ZoneRecord, type: RecordType, action: 'CREATE' | 'UPSERT' | 'DELETE'): cr.AwsSdkCall {
  const recordSet = {
    Name: record.name,
    Type: type,
    AliasTarget: {
      // As aws-cdk-lib's LoadBalancerTarget points an alias: at the name that answers both families.
      DNSName: `dualstack.${record.loadBalancer.loadBalancerDnsName}`,
      HostedZoneId: record.loadBalancer.loadBalancerCanonicalHostedZoneId,
      EvaluateTargetHealth: record.evaluateTargetHealth,
    },
    ...(record.failover ? {
      Failover: record.failover.role,
      SetIdentifier: record.failover.setIdentifier,
      HealthCheckId: record.failover.healthCheck.healthCheckId,
    } : {}),
  };
  return {
    service: 'Route53',
    action: 'changeResourceRecordSets',
    parameters: { HostedZoneId: zone.hostedZoneId, ChangeBatch: { Changes: [{ Action: action, ResourceRecordSet: recordSet }] } },
    assumedRoleArn: role.roleArn,
    physicalResourceId: cr.PhysicalResourceId.of(`${record.name} ${type}${record.failover ? ` ${record.failover.setIdentifier}` : ''}`),
  };
}

const POLICY_REASON = "CDK generates this policy for the AwsCustomResource function alone: sts:AssumeRole on the zone's role, which decides what the function may write.";
