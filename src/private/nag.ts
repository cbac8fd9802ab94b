import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records that a rule-pack finding (cdk-nag's AwsSolutions or NIST 800-53 R5) on `construct` and
 * its children is accepted, and why. The reason is what a security reviewer reads, so it says what
 * the finding means here and what protects the resource instead. Nothing is acknowledged app- or
 * stack-wide: always on the construct the finding concerns.
 */
export function acknowledge(construct: IConstruct, reasons: { [ruleId: string]: string }): void {
  // Recorded as `Validations.of(construct).acknowledge()` records it, under the metadata key rule
  // packs read, in one way for every ID: `acknowledge()` refuses IDs with more than one '::',
  // such as 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:...]', and captures a stack
  // trace per entry that nobody reads.
  construct.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, reasons);
}

/** Why a log group without a customer-managed key is accepted. */
export const LOG_KEY_REASON = "Encrypted at rest with CloudWatch Logs' own keys; turn on encryption.customerManagedKey (or give logging.encryptionKey) for a key you control and can revoke";

/** Why a secret without a customer-managed key is accepted. */
export const SECRET_KEY_REASON = 'Encrypted at rest with the AWS managed key aws/secretsmanager; turn on encryption.customerManagedKey (or give secrets.encryptionKey) for a key you control and can revoke';

/** Why the inline policy CDK generates for one role is accepted. */
export const INLINE_POLICY_REASON = 'CDK generates this policy from grants for this one role, scoped to the resources it uses; a managed policy would be shared and no narrower';
