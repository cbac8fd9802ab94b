import { PhysicalName, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, INLINE_POLICY_REASON } from './nag';

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
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['ssm:PutParameter', 'ssm:DeleteParameter'],
    resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: props.path.replace(/^\//, '') + '/*' })],
  }));
  acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the link role: the parameters under ${props.path}).` });
  return role;
}

/** A value to hand to the reader's account. */
export interface LinkValue {
  /** The reader's link role (`linkRole`). */
  readonly role: iam.IRole;
  /** The reader's region. */
  readonly region: string;
  readonly path: string;
  readonly name: string;
  readonly value: string;
}

/**
 * Writes `value` (known at deploy time in the writer's stack, `scope`'s) as the parameter
 * `<path>/<name>` of the reader's account and `region`, through `role` (a `linkRole`): put when
 * created or changed, deleted with the writer's resource.
 */
export function writeLinkValue(scope: Construct, id: string, props: LinkValue): cr.AwsCustomResource {
  const parameterName = `${props.path}/${props.name}`;
  const call = (action: string, parameters: object): cr.AwsSdkCall => ({
    service: 'SSM',
    action,
    parameters,
    region: props.region,
    assumedRoleArn: props.role.roleArn,
    physicalResourceId: cr.PhysicalResourceId.of(parameterName),
  });
  const put = call('putParameter', { Name: parameterName, Value: props.value, Type: 'String', Overwrite: true });
  return new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::LinkValue',
    onCreate: put,
    onUpdate: put,
    onDelete: { ...call('deleteParameter', { Name: parameterName }), ignoreErrorCodesMatching: 'ParameterNotFound' },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  });
}

/** The value `<path>/<name>` that another account's stack wrote here, read when this stack deploys. */
export function readLinkValue(scope: Construct, path: string, name: string): string {
  return ssm.StringParameter.valueForStringParameter(scope, `${path}/${name}`);
}
