import { PhysicalName, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { isDomainName, zoneHolds } from '../private/check-props';
import { acknowledge, INLINE_POLICY_REASON } from '../private/nag';
import { reportBlockProblems, sanitize, struct } from '../private/schema';
import { ProblemList, show } from '../private/validation';

/**
 * Props of `FidoHostedZoneRole`.
 */
export interface FidoHostedZoneRoleProps {
  /** The public zone the deployments write their records in: a zone of this stack's account. */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The names whose A and AAAA records the role may create, change and delete: each deployment's
   * `domain.domainName`, such as `auth.example.com`. No other record of the zone.
   */
  readonly domainNames: string[];

  /**
   * The accounts whose deployments assume the role (12 digits each). What a principal of those
   * accounts may assume is then up to that account's own policies: the deployment's custom
   * resource gets `sts:AssumeRole` on this role alone.
   */
  readonly trustedAccounts: string[];

  /**
   * Name of the role. The deployments of the other accounts name it in their `domain.hostedZoneRole`
   * (`iam.Role.fromRoleArn()`); in one app, give them this construct's `role`, and CDK writes the
   * name into their templates.
   *
   * @default - a name CDK generates, fixed once the role exists
   */
  readonly roleName?: string;
}

/** The props' shape, for a JavaScript caller. */
const PROPS_SHAPE = struct('FidoHostedZoneRoleProps', { required: true });

/**
 * The role of a hosted zone's account that deployments in other accounts assume to write their
 * records of the domain there (`domain.hostedZoneRole`): CloudFormation writes records only in
 * its own account's zones, so a deployment whose zone is elsewhere writes them through a custom
 * resource that assumes this role.
 *
 * The role may write (CREATE, UPSERT and DELETE) the A and AAAA records of `domainNames` in this one
 * zone, through Route 53's condition keys on the change's names, types and actions, and nothing
 * else: not the zone, not its other records, and no record type a deployment does not write.
 * Deploy it before the deployments that assume it.
 */
export class FidoHostedZoneRole extends Construct {
  /** The role the deployments assume. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: FidoHostedZoneRoleProps) {
    super(scope, id);
    const problems = new ProblemList();
    const given: FidoHostedZoneRoleProps = sanitize(problems, '', props, PROPS_SHAPE) ?? ({} as FidoHostedZoneRoleProps);
    const account = Stack.of(this).account;
    const domainNames = (given.domainNames ?? []).map((name) => (Token.isUnresolved(name) ? name : name.replace(/\.$/, '').toLowerCase()));
    if (given.domainNames?.length === 0) {
      problems.add('domainNames', "is empty: give the domain.domainName of each deployment that writes its records here, such as 'auth.example.com'");
    }
    const zoneName = given.hostedZone?.zoneName;
    domainNames.forEach((name, index) => {
      if (Token.isUnresolved(name)) {
        return;
      } else if (!isDomainName(name)) {
        problems.add(`domainNames[${index}]`, `must be a fully qualified domain name such as 'auth.example.com', got ${show(given.domainNames[index])}`);
      } else if (zoneName !== undefined && !Token.isUnresolved(zoneName) && !zoneHolds(zoneName, name)) {
        problems.add(`domainNames[${index}]`, `is '${name}', which the zone '${zoneName.replace(/\.$/, '').toLowerCase()}' cannot hold; give names in the zone`);
      }
    });
    const trusted = given.trustedAccounts ?? [];
    if (given.trustedAccounts?.length === 0) {
      problems.add('trustedAccounts', 'is empty: give the accounts of the deployments that write their records here');
    }
    problems.otherAccounts('trustedAccounts', trusted, {
      account, what: "the zone's own account", why: 'whose stacks write their records with CloudFormation, and need no domain.hostedZoneRole',
    });
    reportBlockProblems(this, 'FidoHostedZoneRole', problems.all);

    this.role = new iam.Role(this, 'Role', {
      roleName: given.roleName ?? PhysicalName.GENERATE_IF_NEEDED,
      assumedBy: new iam.CompositePrincipal(...trusted.map((a) => new iam.AccountPrincipal(a))),
      description: `Writes the A and AAAA records of ${domainNames.join(', ')} for Arculus FIDO deployments of ${trusted.join(', ')}`,
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [Stack.of(this).formatArn({ account: '', region: '', service: 'route53', resource: 'hostedzone', resourceName: given.hostedZone.hostedZoneId })],
      conditions: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': domainNames,
          'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA'],
          'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
        },
      },
    }));
    acknowledge(this.role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (the zone's role: the records of the deployments' domain names).` });
  }
}
