import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, LOG_KEY_REASON } from './nag';

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

/** Where the function that writes the records logs: as the deployment's other log groups. */
export interface ZoneRecordLogs {
  readonly retention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
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
 * the first record.
 */
export function zoneRecordWriter(scope: Construct, zone: route53.IHostedZone, role: iam.IRole, logging: ZoneRecordLogs): ZoneRecordWriter {
  const write = (id: string, record: ZoneRecord, type: RecordType): void => {
    const resource = new cr.AwsCustomResource(scope, id, {
      resourceType: 'Custom::ZoneRecord',
      onCreate: changeCall(zone, role, record, type, 'CREATE'),
      onUpdate: changeCall(zone, role, record, type, 'UPSERT'),
      onDelete: { ...changeCall(zone, role, record, type, 'DELETE'), ignoreErrorCodesMatching: 'InvalidChangeBatch' },
      // The function may only assume the zone's role; the role decides what it may write.
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      // Lambda's own SDK has ChangeResourceRecordSets: nothing to download at deploy time.
      installLatestAwsSdk: false,
      logGroup: sdkCallLogGroup(scope, 'ZoneRecordsLogGroup', logging),
    });
    acknowledge(resource, { 'NIST.800.53.R5-IAMNoInlinePolicy': POLICY_REASON });
    acknowledgeSdkCalls(scope, POLICY_REASON);
  };
  return (ids, record) => {
    write(ids.a, record, 'A');
    if (ids.aaaa) {
      write(ids.aaaa, record, 'AAAA');
    }
  };
}

/** The log group of each stack's AwsCustomResource function, made by the first call's scope. */
const SDK_CALL_LOG_GROUPS = new WeakMap<Stack, logs.LogGroup>();

/**
 * The log group that aws-cdk-lib's one function behind every AwsCustomResource of `scope`'s stack
 * logs to: made as `id` in `scope` with the first of them (the function takes the first one's),
 * and the same for every later one, which would otherwise leave an empty log group behind.
 */
export function sdkCallLogGroup(scope: Construct, id: string, logging: ZoneRecordLogs): logs.LogGroup {
  const stack = Stack.of(scope);
  let logGroup = SDK_CALL_LOG_GROUPS.get(stack);
  if (!logGroup) {
    logGroup = new logs.LogGroup(scope, id, logging);
    SDK_CALL_LOG_GROUPS.set(stack, logGroup);
    if (!logging.encryptionKey) {
      acknowledge(logGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
    }
  }
  return logGroup;
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

/** The stacks whose AwsCustomResource function's findings are acknowledged. */
const ACKNOWLEDGED_PROVIDERS = new WeakSet<Stack>();

/**
 * Records, once per stack, why the findings on aws-cdk-lib's one function behind every
 * AwsCustomResource of `scope`'s stack (named `AWS<its UUID>`) are accepted: `policyReason` for
 * the policy of the first of them, which it also carries.
 */
export function acknowledgeSdkCalls(scope: Construct, policyReason: string): void {
  const stack = Stack.of(scope);
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider && !ACKNOWLEDGED_PROVIDERS.has(stack)) {
    ACKNOWLEDGED_PROVIDERS.add(stack);
    acknowledge(provider, { ...PROVIDER_REASONS, 'NIST.800.53.R5-IAMNoInlinePolicy': policyReason });
  }
}

const POLICY_REASON = "CDK generates this policy for the AwsCustomResource function alone: sts:AssumeRole on the zone's role, which decides what the function may write.";

const PROVIDER_REASONS = {
  'AwsSolutions-L1': "aws-cdk-lib picks the runtime of its AwsCustomResource function, the newest its facts name for the stack's region, and moves it with its releases; the function runs aws-cdk-lib's own handler, only while the stack changes.",
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "aws-cdk-lib's AwsCustomResource function writes its own logs with the AWS managed basic execution policy, and nothing else.",
  'NIST.800.53.R5-LambdaConcurrency': 'CloudFormation invokes the function once per change of the stack; reserved concurrency would only take from the account\'s pool.',
  'NIST.800.53.R5-LambdaDLQ': 'CloudFormation invokes the function synchronously through its custom resource and fails the change on an error: there is no event to keep.',
  'NIST.800.53.R5-LambdaInsideVPC': 'The function calls only AWS APIs (STS, and the service of each call as the role it assumes) during a stack change; it reaches no resource of the VPC.',
};
