import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, LOG_KEY_REASON } from './nag';

/**
 * Custom resources whose every call assumes a role of another account, which alone decides what
 * they may do (the zone's role writes records, the link role parameters), on aws-cdk-lib's
 * `AwsCustomResource`: one function per stack behind all of them, logging as the deployment logs.
 */

/** Where the function behind the calls logs: as the deployment's other log groups. */
export interface SdkCallLogs {
  readonly retention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** A custom resource's calls, each made as `assumedRoleArn`. */
export interface RoleCallResourceProps {
  readonly resourceType: string;
  readonly onCreate: cr.AwsSdkCall;
  readonly onUpdate: cr.AwsSdkCall;
  /** The delete, with `ignoreErrorCodesMatching` for what is gone already. */
  readonly onDelete: cr.AwsSdkCall;
  /** The construct ID of the function's log group, made in `scope` if the stack has none yet. */
  readonly logGroupId: string;
  readonly logging: SdkCallLogs;
  /** Why the policy aws-cdk-lib writes for the calls (sts:AssumeRole on the role) is accepted. */
  readonly policyReason: string;
}

/**
 * The custom resource `id` making `props`' calls, each as the role it names: the function's own
 * policy may only assume that role (the role decides what it may do), Lambda's own SDK makes the
 * calls (nothing downloaded at deploy time), and the function logs to the stack's one log group.
 */
export function roleCallResource(scope: Construct, id: string, props: RoleCallResourceProps): cr.AwsCustomResource {
  const resource = new cr.AwsCustomResource(scope, id, {
    resourceType: props.resourceType,
    onCreate: props.onCreate,
    onUpdate: props.onUpdate,
    onDelete: props.onDelete,
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
    logGroup: sdkCallLogGroup(scope, props.logGroupId, props.logging),
  });
  acknowledge(resource, { 'NIST.800.53.R5-IAMNoInlinePolicy': props.policyReason });
  acknowledgeProvider(scope, props.policyReason);
  return resource;
}

/** The log group of each stack's AwsCustomResource function, made by the first call's scope. */
const SDK_CALL_LOG_GROUPS = new WeakMap<Stack, logs.LogGroup>();

/**
 * The log group that aws-cdk-lib's one function behind every AwsCustomResource of `scope`'s stack
 * logs to: made as `id` in `scope` with the first of them (the function takes the first one's),
 * and the same for every later one, which would otherwise leave an empty log group behind.
 */
function sdkCallLogGroup(scope: Construct, id: string, logging: SdkCallLogs): logs.LogGroup {
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

/** The stacks whose AwsCustomResource function's findings are acknowledged. */
const ACKNOWLEDGED_PROVIDERS = new WeakSet<Stack>();

/**
 * Records, once per stack, why the findings on aws-cdk-lib's one function behind every
 * AwsCustomResource of `scope`'s stack (named `AWS<its UUID>`) are accepted: `policyReason` for
 * the policy of the first of them, which it also carries.
 */
function acknowledgeProvider(scope: Construct, policyReason: string): void {
  const stack = Stack.of(scope);
  const provider = stack.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (provider && !ACKNOWLEDGED_PROVIDERS.has(stack)) {
    ACKNOWLEDGED_PROVIDERS.add(stack);
    acknowledge(provider, { ...PROVIDER_REASONS, 'NIST.800.53.R5-IAMNoInlinePolicy': policyReason });
  }
}

const PROVIDER_REASONS = {
  'AwsSolutions-L1': "aws-cdk-lib picks the runtime of its AwsCustomResource function, the newest its facts name for the stack's region, and moves it with its releases; the function runs aws-cdk-lib's own handler, only while the stack changes.",
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': "aws-cdk-lib's AwsCustomResource function writes its own logs with the AWS managed basic execution policy, and nothing else.",
  'NIST.800.53.R5-LambdaConcurrency': 'CloudFormation invokes the function once per change of the stack; reserved concurrency would only take from the account\'s pool.',
  'NIST.800.53.R5-LambdaDLQ': 'CloudFormation invokes the function synchronously through its custom resource and fails the change on an error: there is no event to keep.',
  'NIST.800.53.R5-LambdaInsideVPC': 'The function calls only AWS APIs (STS, and the service of each call as the role it assumes) during a stack change; it reaches no resource of the VPC.',
};
