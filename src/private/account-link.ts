import { PhysicalName, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources, INLINE_POLICY_REASON } from './nag';
import { roleCallResource, SdkCallLogs } from './sdk-calls';

/**
 * Values one account's stack hands to a stack of another account, which aws-cdk-lib's references
 * cannot cross. The writer puts each value into an SSM parameter of the reader's account and
 * region, through a role there (`linkRole`); the reader reads its own region's parameters at
 * deploy time (CloudFormation SSM parameter types), so it deploys while the writer's region is
 * down, as aws-cdk-lib's strong cross-region references do within one account.
 */

/** The parameters' path in the reader's account: one per reading stack. */
export function linkPath(readerStackName: string): string {
  return `/arculus-fido/links/${readerStackName}`;
}

/**
 * The role of the reader's account (`scope`'s stack) that the writer's account assumes to put and
 * delete the parameters under `path`, in this region only.
 */
export function linkRole(scope: Construct, id: string, props: { readonly writerAccount: string; readonly path: string }): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    roleName: PhysicalName.GENERATE_IF_NEEDED,
    assumedBy: new iam.AccountPrincipal(props.writerAccount),
    description: `Puts the values account ${props.writerAccount} hands to this account under ${props.path}`,
  });
  const statement = new iam.PolicyStatement({
    actions: ['ssm:DeleteParameter', 'ssm:PutParameter'],
    resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.path.replace(/^\//, '') + '/*' })],
  });
  role.addToPolicy(statement);
  acknowledgeWildcardResources(role, statement, `The values' names are the writer's to choose; the role reaches the parameters under ${props.path} only, in this account and region.`);
  acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the link role: the parameters under ${props.path}).` });
  return role;
}

/** Where the values go: the reader's link role (`linkRole`), its region, and the parameters' path. */
export interface LinkTarget {
  readonly role: iam.IRole;
  readonly region: string;
  readonly path: string;
}

/** Writes one value, `<path>/<name>`, as the custom resource `id`; see `linkWriter`. */
export type LinkWriter = (id: string, name: string, value: string) => cr.AwsCustomResource;

/**
 * Writes values known at deploy time in `scope`'s stack as parameters `<path>/<name>` of the
 * reader's account and region, through its link role: put when created or changed, deleted with
 * the writer's resource. aws-cdk-lib's function behind them logs as `logging` says
 * (`roleCallResource`).
 */
export function linkWriter(scope: Construct, target: LinkTarget, logging: SdkCallLogs): LinkWriter {
  return (id, name, value) => {
    const parameterName = `${target.path}/${name}`;
    const call = (action: string, parameters: object): cr.AwsSdkCall => ({
      service: 'SSM',
      action,
      parameters,
      region: target.region,
      assumedRoleArn: target.role.roleArn,
      physicalResourceId: cr.PhysicalResourceId.of(parameterName),
    });
    const put = call('putParameter', { Name: parameterName, Value: value, Type: 'String', Overwrite: true });
    return roleCallResource(scope, id, {
      resourceType: 'Custom::LinkValue',
      onCreate: put,
      onUpdate: put,
      onDelete: { ...call('deleteParameter', { Name: parameterName }), ignoreErrorCodesMatching: 'ParameterNotFound' },
      logGroupId: 'LinkValuesLogGroup',
      logging,
      policyReason: POLICY_REASON,
    });
  };
}

const POLICY_REASON = 'CDK generates this policy for the AwsCustomResource function alone: sts:AssumeRole on the link role of the other account, which decides what the function may write.';

/** The value `<path>/<name>` that another account's stack wrote here, read when this stack deploys. */
export function readLinkValue(scope: Construct, path: string, name: string): string {
  return ssm.StringParameter.valueForStringParameter(scope, `${path}/${name}`);
}
