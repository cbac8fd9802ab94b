import { Duration, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { bundledFunction, BundledFunctionName } from './bundled-function';
import { acknowledge, INLINE_POLICY_REASON, LOG_KEY_REASON } from './nag';

/** The construct IDs of a shipped rotation's resources: each caller's own, fixed (construct IDs are API). */
export interface RotationFunctionIds {
  readonly securityGroup: string;
  readonly logGroup: string;
  readonly function: string;
}

/** A shipped rotation function of a secret, and where it runs. */
export interface RotationFunctionProps {
  readonly ids: RotationFunctionIds;
  readonly name: BundledFunctionName;
  readonly description: string;
  readonly securityGroupDescription: string;
  /** What the function's HTTPS reaches: the description of its one egress rule. */
  readonly https: string;
  readonly secret: secretsmanager.Secret;
  readonly interval: Duration;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly timeout: Duration;
  readonly environment?: { [key: string]: string };
  readonly logRetention?: logs.RetentionDays;
  readonly logEncryptionKey?: kms.IKey;
  readonly logRemovalPolicy: RemovalPolicy;
  /** What the function's inline policy reaches, for its acknowledgement. */
  readonly policyScope: string;
}

/**
 * One of the library's rotation functions, in the private subnets with HTTPS out only, and the
 * schedule. CDK's rotation schedule grants the function the four Secrets Manager calls on the
 * secret (and the key's use through Secrets Manager) and lets Secrets Manager invoke it.
 */
export function rotationFunction(scope: Construct, props: RotationFunctionProps): lambda.Function {
  const securityGroup = new ec2.SecurityGroup(scope, props.ids.securityGroup, {
    vpc: props.vpc,
    description: props.securityGroupDescription,
    allowAllOutbound: false,
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), props.https);
  const logGroup = new logs.LogGroup(scope, props.ids.logGroup, {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    encryptionKey: props.logEncryptionKey,
    removalPolicy: props.logRemovalPolicy,
  });
  const fn = bundledFunction(scope, props.ids.function, props.name, {
    description: props.description,
    vpc: props.vpc,
    vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [securityGroup],
    timeout: props.timeout,
    logGroup,
    environment: props.environment,
  });
  // The first rotation waits a full interval: the value is new, and a rotation while the stack is
  // still creating the services would race their first deployment with a Redeploy.
  props.secret.addRotationSchedule('Rotation', { rotationLambda: fn, automaticallyAfter: props.interval, rotateImmediatelyOnUpdate: false });
  // The schedule lets Secrets Manager invoke the function; only on behalf of this account.
  for (const permission of fn.node.children.filter((c): c is lambda.CfnPermission => c instanceof lambda.CfnPermission)) {
    if (permission.principal === 'secretsmanager.amazonaws.com') {
      permission.sourceAccount = Stack.of(scope).account;
    }
  }
  const key = props.secret.encryptionKey;
  if (key && !Resource.isOwnedResource(key)) {
    // The schedule grants a key by its policy, which an imported key's cannot take: CDK drops
    // that grant, so the function's own policy carries it, with the two calls Secrets Manager
    // makes for it (reading a version, and putting one).
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
    }));
  }
  acknowledge(fn, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'The AWS managed policy that lets the rotation function write its own logs, and nothing else.',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]': 'The AWS managed policy Lambda needs to attach the function to the VPC (network interfaces in its subnets).',
    'AwsSolutions-IAM5[Resource::*]': 'secretsmanager:GetRandomPassword, which CDK\'s rotation schedule grants, has no resource-level permissions; it only returns random bytes.',
    'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the rotation function: ${props.policyScope}).`,
    'NIST.800.53.R5-LambdaConcurrency': 'Secrets Manager invokes the function four times per rotation, once a rotation period; reserved concurrency would only take from the account\'s pool.',
    'NIST.800.53.R5-LambdaDLQ': 'Secrets Manager invokes each step synchronously and retries a failed rotation itself, leaving AWSCURRENT where it was: there is no event to keep.',
  });
  if (!props.logEncryptionKey) {
    acknowledge(logGroup, { 'NIST.800.53.R5-CloudWatchLogGroupEncrypted': `${LOG_KEY_REASON}.` });
  }
  return fn;
}
