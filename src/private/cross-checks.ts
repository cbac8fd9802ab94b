import { Annotations, Arn, ArnFormat, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';
import { checkIpv6Subnets } from './load-balancer-rules';
import { DeploymentNames } from './names';
import type { ResolvedDeployment } from './resolved';
import { ProblemList, show } from './validation';

/**
 * Checks what only the stack, the given VPC and the rest of the app can tell: the region of the
 * certificate and keys, the subnets of the load balancer and tasks, and names taken by another
 * deployment.
 */
export function checkEnvironmentFacts(problems: ProblemList, scope: IConstruct, resolved: ResolvedDeployment): void {
  const stack = Stack.of(scope);
  if (resolved.accessLogs && !resolved.accessLogsBucket && Token.isUnresolved(stack.region)) {
    problems.add('loadBalancer.accessLogs', "is on, but the stack is region-agnostic and ALB access logging needs a concrete region (the bucket policy names the region's log delivery); set env: { account, region } on the stack, or loadBalancer.accessLogs: false");
  }
  checkRegion(problems, stack, 'domain.certificate', resolved.certificate?.certificateArn, 'An ALB listener takes certificates of its own region only; request or import the certificate there');
  checkRegion(problems, stack, 'logging.encryptionKey', resolved.logEncryptionKey?.keyArn, 'CloudWatch Logs encrypts with keys of its own region only');
  checkRegion(problems, stack, 'secrets.encryptionKey', resolved.secretEncryptionKey?.keyArn, 'Secrets Manager and DocumentDB encrypt with keys of their own region only');
  const zoneAccount = resolved.hostedZoneRole?.env.account;
  if (zoneAccount !== undefined && !Token.isUnresolved(zoneAccount) && zoneAccount === stack.account) {
    problems.add('domain.hostedZoneRole', `is a role of this stack's account (${zoneAccount}), whose zones CloudFormation writes in itself; leave it out, and give it only for a zone of another account`);
  }
  if (resolved.vpc) {
    checkVpc(problems, resolved);
  }
  if (resolved.environment) {
    checkNamesUnique(problems, scope, resolved.names);
  }
}

function checkRegion(problems: ProblemList, stack: Stack, prop: string, arn: string | undefined, why: string): void {
  if (arn === undefined || Token.isUnresolved(arn) || Token.isUnresolved(stack.region)) {
    return;
  }
  let region: string | undefined;
  try {
    region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
  } catch {
    problems.add(prop, `has the ARN ${show(arn)}, which is not an ARN (arn:partition:service:region:account:resource)`);
    return;
  }
  if (region && region !== stack.region) {
    problems.add(prop, `is in ${region}, but the stack deploys to ${stack.region}. ${why}; got ${show(arn)}`);
  }
}

/** Whether a string is known at synth: neither a token nor an element of a list token. */
function known(value: string): boolean {
  return !Token.isUnresolved(value) && !Token.isUnresolved([value]);
}

/** The subnet IDs of a VPC's groups, each known at synth. */
function knownIds(subnets: ec2.ISubnet[]): Set<string> {
  return new Set(subnets.map((s) => s.subnetId).filter(known));
}

/** The AZ of a subnet, or undefined when it was imported without one. */
function zoneOf(subnet: ec2.ISubnet): string | undefined {
  try {
    const zone = subnet.availabilityZone;
    return known(zone) ? zone : undefined;
  } catch {
    return undefined;
  }
}

function checkVpc(problems: ProblemList, resolved: ResolvedDeployment): void {
  const vpc = resolved.vpc!;
  // A list token (Fn.getAzs(), a List parameter) stands for AZs known only at deploy time.
  const zones = Token.isUnresolved(vpc.availabilityZones) ? undefined : vpc.availabilityZones.filter(known);
  if (zones && zones.length === vpc.availabilityZones.length && zones.length < 2) {
    problems.add('network.vpc', `spans ${zones.length} Availability Zone(s) (${zones.join(', ') || 'none'}), but an Application Load Balancer needs subnets in at least two; give a VPC with public and private subnets in two or more AZs`);
    return;
  }
  const publicIds = knownIds(vpc.publicSubnets);
  const privateIds = knownIds([...vpc.privateSubnets, ...vpc.isolatedSubnets]);
  checkSubnets(problems, vpc, 'network.publicSubnets', resolved.publicSubnets, (id) => {
    if (publicIds.has(id)) {
      return undefined;
    }
    return privateIds.has(id)
      ? `is a private subnet of network.vpc, but the internet-facing load balancer needs public subnets (routed to an internet gateway)${publicIds.size ? `, such as ${[...publicIds].join(', ')}` : ''}`
      : undefined;
  });
  checkSubnets(problems, vpc, 'network.privateSubnets', resolved.privateSubnets, (id) => (publicIds.has(id)
    ? 'is a public subnet of network.vpc, but the tasks get no public IP and would reach neither ECR nor Secrets Manager from it; select private subnets with a NAT route or VPC endpoints'
    : undefined));
  // On subnets that are the VPC's own: a selection refused above is fixed first.
  if (resolved.ipAddressType === elbv2.IpAddressType.DUAL_STACK && !problems.about('network.publicSubnets')) {
    const told = checkIpv6Subnets(problems, 'network.vpc', 'loadBalancer.ipAddressType', vpc, resolved.publicSubnets);
    if (!told && resolved.vpcIpProtocol !== ec2.IpProtocol.DUAL_STACK) {
      problems.add('network.vpc', 'is imported, so whether its public subnets have IPv6 cannot be read at synth, but loadBalancer.ipAddressType is DUAL_STACK; once its public subnets have IPv6 CIDR blocks and a ::/0 route to the internet gateway, say so with network.vpcIpProtocol: ec2.IpProtocol.DUAL_STACK');
    }
  }
}

/**
 * Checks that `selection` picks subnets of the VPC (by ID where known, else by the VPC construct
 * that holds them) in two or more AZs, and asks `wrongGroup` about each subnet of a known group.
 */
function checkSubnets(
  problems: ProblemList, vpc: ec2.IVpc, prop: string, selection: ec2.SubnetSelection, wrongGroup: (id: string) => string | undefined,
): void {
  let subnets: ec2.ISubnet[];
  try {
    subnets = vpc.selectSubnets(selection).subnets;
  } catch (e) {
    problems.add(prop, `selects no subnets of network.vpc: ${(e as Error).message.replace(/^«[^»]*» /, '')}`);
    return;
  }
  const allIds = knownIds([...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]);
  checkSubnetsOfVpc(problems, prop, 'network.vpc', vpc, subnets);
  for (const subnet of subnets) {
    const id = subnet.subnetId;
    if (!known(id)) {
      continue;
    }
    const wrong = wrongGroup(id);
    if (wrong) {
      problems.add(prop, `${id} ${wrong}`);
    } else if (allIds.size > 0 && !allIds.has(id)) {
      problems.add(prop, `${id} is not a subnet of network.vpc (${vpc.vpcId}); select subnets of the VPC the deployment runs in`);
    }
  }
  const zones = subnets.map(zoneOf);
  if (subnets.length > 0 && zones.every((z) => z !== undefined) && new Set(zones).size < 2) {
    problems.add(prop, `selects subnets in ${new Set(zones).size} Availability Zone (${[...new Set(zones)].join(', ')}), but the load balancer and DocumentDB need two or more; select subnets in at least two AZs`);
  }
}

/** Whether a construct is a VPC, created, imported or looked up (as the props' type check tells one). */
function isVpc(c: IConstruct): c is IConstruct & ec2.IVpc {
  return typeof (c as Partial<ec2.IVpc>).selectSubnets === 'function' && typeof (c as Partial<ec2.IVpc>).vpcId === 'string';
}

/** The innermost VPC construct that holds `c` (a subnet construct, or the resource a subnet ID refers to). */
function vpcHolding(c: IConstruct | undefined): (IConstruct & ec2.IVpc) | undefined {
  return c?.node ? [...c.node.scopes].reverse().find(isVpc) : undefined;
}

/** A VPC as a message names it: its construct path, and its ID when known at synth. */
function nameOf(vpc: ec2.IVpc): string {
  const path = (vpc as Partial<IConstruct>).node?.path;
  const id = known(vpc.vpcId) ? vpc.vpcId : undefined;
  return [path !== undefined ? `'${path}'` : undefined, id && path !== undefined ? `(${id})` : id].filter((part) => part).join(' ');
}

/**
 * The VPC construct other than `vpc` that holds a subnet whose ID is a token (one of a VPC created
 * in the app, or imported with IDs known at deploy time only): the VPC holding the resource the ID
 * refers to, else the VPC holding the subnet's construct. Undefined for `vpc`'s own subnets, for a
 * subnet whose ID is known (judged by ID), and where nothing tells (a subnet imported from a
 * parameter, say).
 */
function otherVpcOf(vpc: ec2.IVpc, own: ReadonlySet<ec2.ISubnet>, subnet: ec2.ISubnet): (IConstruct & ec2.IVpc) | undefined {
  if (own.has(subnet) || known(subnet.subnetId)) {
    return undefined;
  }
  const referenced = Tokenization.reverseCompleteString(subnet.subnetId);
  const holder = (Reference.isReference(referenced) ? vpcHolding(referenced.target) : undefined) ?? vpcHolding(subnet);
  return holder && holder !== vpc && holder.vpcId !== vpc.vpcId ? holder : undefined;
}

/**
 * Refuses, as `prop`, the selected subnets that belong to another VPC of the app than `vpc` (given
 * as `vpcProp`): their IDs are tokens, so only the constructs tell. Shared by the deployment and
 * the building blocks that take a VPC and a subnet selection.
 */
export function checkSubnetsOfVpc(problems: ProblemList, prop: string, vpcProp: string, vpc: ec2.IVpc, subnets: readonly ec2.ISubnet[]): void {
  const own = new Set([...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]);
  const byVpc = new Map<IConstruct & ec2.IVpc, ec2.ISubnet[]>();
  for (const subnet of subnets) {
    const other = otherVpcOf(vpc, own, subnet);
    if (other) {
      byVpc.set(other, [...byVpc.get(other) ?? [], subnet]);
    }
  }
  for (const [other, theirs] of byVpc) {
    const names = theirs.map((s) => `'${(s as Partial<IConstruct>).node?.path ?? s.subnetId}'`);
    const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    const given = nameOf(vpc);
    problems.add(prop, `selects ${listed}, ${names.length === 1 ? 'a subnet' : 'subnets'} of the VPC ${nameOf(other)}, not of ${vpcProp}${given ? ` ${given}` : ''}; select subnets of ${vpcProp}`);
  }
}

/**
 * Checks, for a building block used alone, that `selection` picks no subnet of another VPC of the
 * app than `vpc`. A selection that picks nothing is left to the block's own constructs to refuse.
 */
export function checkSelectionOfVpc(
  problems: ProblemList, prop: string, vpcProp: string, vpc: () => ec2.IVpc, selection: ec2.SubnetSelection | undefined,
): void {
  if (!selection?.subnets) {
    return;
  }
  let given: ec2.IVpc;
  let subnets: ec2.ISubnet[];
  try {
    given = vpc();
    subnets = given.selectSubnets(selection).subnets;
  } catch {
    return;
  }
  checkSubnetsOfVpc(problems, prop, vpcProp, given, subnets);
}

/**
 * Refuses a second deployment with the same names in one stack, and warns about one in another
 * stack that may share the account and region: cluster, log group, alarm and namespace names are
 * unique there, so the second deploy would fail. Read from the app's ECS clusters (every
 * deployment names its cluster `<applicationName>-<environment>`), whoever made them.
 */
function checkNamesUnique(problems: ProblemList, scope: IConstruct, names: DeploymentNames): void {
  const stack = outermostStack(scope);
  for (const cluster of scope.node.root.node.findAll()) {
    if (!CfnResource.isCfnResource(cluster) || cluster.cfnResourceType !== 'AWS::ECS::Cluster'
      || (cluster as ecs.CfnCluster).clusterName !== names.cluster || cluster.node.scopes.includes(scope)) {
      continue;
    }
    const owner = deploymentOf(cluster);
    const otherStack = outermostStack(owner ?? cluster);
    const what = owner
      ? `the names of '${names.cluster}' (cluster, log groups, alarms) are those of the deployment '${owner.node.path}'`
      : `the ECS cluster name '${names.cluster}' is that of the cluster '${cluster.node.path}'`;
    if (otherStack === stack) {
      problems.add('applicationName', `${what} in the same stack, and AWS takes each only once per account and region; give one of them another applicationName`);
    } else if (!provablyApart(stack, otherStack)) {
      Annotations.of(scope).addWarningV2('arculus-fido:duplicate-names',
        `${what}, in another stack that may deploy to the same account and region, where the second deploy would fail; give one of them another applicationName, or give both stacks env`);
    }
  }
}

/** The deployment whose cluster `cfnCluster` is: the nearest scope whose `cluster` it is. */
function deploymentOf(cfnCluster: IConstruct): IConstruct | undefined {
  return [...cfnCluster.node.scopes].reverse().find((s) => (s as { cluster?: IConstruct }).cluster?.node.defaultChild === cfnCluster);
}

/** The stack a construct deploys with: a nested stack's parent, up to the top. */
function outermostStack(construct: IConstruct): Stack {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) {
    stack = stack.nestedStackParent;
  }
  return stack;
}

function provablyApart(a: Stack, b: Stack): boolean {
  const concrete = (s: string) => !Token.isUnresolved(s);
  return (concrete(a.account) && concrete(b.account) && a.account !== b.account)
    || (concrete(a.region) && concrete(b.region) && a.region !== b.region);
}
