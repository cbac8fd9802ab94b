import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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

/** The wildcard resources acknowledged on each construct, with their reasons, recorded at validation. */
const wildcardReasons = new WeakMap<IConstruct, Array<{ statement: iam.PolicyStatement; reason: string }>>();

/**
 * Acknowledges cdk-nag's wildcard finding (AwsSolutions-IAM5) for each resource of `statement`
 * that holds a '*', on `construct` (the role), with `reason`. The finding names the resource as the
 * template writes it, references flattened as cdk-nag flattens them (`<Logical.Attr>`), which is
 * final only once CDK has resolved references between stacks: so the acknowledgement is recorded
 * when the construct tree is validated, after that and before any rule pack runs, for exactly the
 * resources granted (a resource written by hand into the rule ID would break on any logical ID).
 */
export function acknowledgeWildcardResources(construct: IConstruct, statement: iam.PolicyStatement, reason: string): void {
  let entries = wildcardReasons.get(construct);
  if (!entries) {
    const recorded: Array<{ statement: iam.PolicyStatement; reason: string }> = [];
    entries = recorded;
    wildcardReasons.set(construct, recorded);
    construct.node.addValidation({
      validate: () => {
        const reasons = new Map<string, string[]>();
        for (const entry of recorded) {
          for (const resource of Stack.of(construct).resolve(entry.statement.resources) as unknown[]) {
            const flat = flattenReference(resource);
            if (flat.includes('*')) {
              const id = `AwsSolutions-IAM5[Resource::${flat}]`;
              reasons.set(id, [...(reasons.get(id) ?? []), entry.reason]);
            }
          }
        }
        acknowledge(construct, Object.fromEntries([...reasons].map(([id, list]) => [id, [...new Set(list)].join(' ')])));
        return [];
      },
    });
  }
  entries.push({ statement, reason });
}

/** A resolved template value as cdk-nag names it in a finding: `<Logical>`, `<Logical.Attr>`, joins joined. */
function flattenReference(value: unknown): string {
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  const node = (value ?? {}) as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) {
    return flattenReference(node['Fn::Sub']);
  }
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) {
    return flattenReference(node['Fn::ImportValue']);
  }
  if (node.Ref) {
    return `<${flattenReference(node.Ref)}>`;
  }
  return JSON.stringify(value);
}
