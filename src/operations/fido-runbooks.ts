import { Annotations, Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources, INLINE_POLICY_REASON } from '../private/nag';
import {
  automationDocument, databaseWriterSteps, diagnoseSteps, forPickedServices, primaryCheckStep, redeploySteps, reportStep, RunbookTarget,
  servingStep, standbySteps, startSteps, Step, stepOutputs, stopSteps, WAIT_SECONDS,
} from '../private/runbook-steps';
import { sanitize, struct, reportBlockProblems } from '../private/schema';
import { ProblemList, show } from '../private/validation';

/**
 * One service the runbooks operate: the ECS service, the counts Start restores, and the target
 * groups Diagnose reads the health of.
 */
export interface RunbookService {
  /**
   * Short name of the service, e.g. `pyfido`: the value an operator gives the documents'
   * `Service` parameter, and part of their step names. 1 to 20 lowercase letters and digits,
   * starting with a letter; `all` picks every service.
   */
  readonly name: string;

  /**
   * The ECS service, in `FidoRunbooksProps.cluster`.
   */
  readonly service: ecs.IService;

  /**
   * The task count Start sets. With autoscaling, it must lie within `minCapacity`..`maxCapacity`,
   * and the scaler may change it afterwards, as always.
   */
  readonly desiredCount: number;

  /**
   * The scaler's minimum task count, which Start restores after Stop set it to 0. Give it with
   * `maxCapacity` when the service autoscales (its scalable target exists), and neither when not.
   *
   * @default - the service does not autoscale
   */
  readonly minCapacity?: number;

  /**
   * The scaler's maximum task count, which Start restores after Stop set it to 0.
   *
   * @default - the service does not autoscale
   */
  readonly maxCapacity?: number;

  /**
   * Target groups the service registers its tasks in (both of a blue/green service), whose
   * target health Diagnose reads. With them, Diagnose also reads the weights of the listener rules
   * ECS moves between a blue/green service's target groups, against each one's healthy targets.
   *
   * @default - none: Diagnose reads no target health and no listener rule
   */
  readonly targetGroups?: elbv2.ITargetGroup[];
}

/**
 * Props of `FidoRunbooks`.
 */
export interface FidoRunbooksProps {
  /**
   * The cluster every service runs in.
   */
  readonly cluster: ecs.ICluster;

  /**
   * The services the runbooks operate, in the order they stop, start and redeploy.
   */
  readonly services: RunbookService[];

  /**
   * Prefix of the document names, e.g. `arculus-auth-prod`, which names `arculus-auth-prod-Stop`,
   * `-Start`, `-Redeploy` and `-Diagnose`. Names are unique per account and region, and operators
   * type them, so they are fixed rather than generated. Letters, digits, `_`, `-` and `.`, at most
   * 119 characters; AWS keeps the prefixes `aws`, `amazon` and `amzn` for its own documents.
   */
  readonly documentNamePrefix: string;

  /**
   * For the secondary region of a failover pair: the documents that make it serve and hand back,
   * `<prefix>-Failover`, `-Switchover` and `-Failback` (see `FidoRunbooks.failoverDocument`).
   *
   * @default - no failover documents
   */
  readonly failover?: FailoverRunbookOptions;
}

/**
 * What the failover documents of a pair's secondary region act on.
 */
export interface FailoverRunbookOptions {
  /** This region's health check: the calculated check its failover record is answered by. */
  readonly healthCheck: route53.IHealthCheck;

  /**
   * The primary region's health check (its `ArculusFidoDeployment.failover.healthCheck`):
   * Switchover (and, with `database`, Failover) inverts it, Failback turns it back, and every
   * document reads it.
   */
  readonly primaryHealthCheck: route53.IHealthCheck;

  /** Tasks each service runs while standing by, which Failback returns them to. */
  readonly standbyTasks: number;

  /**
   * The DocumentDB global cluster whose writer follows the domain: Failover promotes this
   * region's cluster, Switchover moves the writer here, Failback moves it back, each waiting
   * until the new writer writes. Failover then inverts the primary's health check too: the
   * primary's cluster comes back from the outage as a secondary that cannot write, so Route 53
   * must keep answering with this region until Failback.
   *
   * @default - none: the database fails over on its own (MongoDB Atlas) or as its owner arranges
   */
  readonly database?: FailoverDatabaseOptions;
}

/**
 * A DocumentDB global cluster, as the failover documents of its secondary region move its writer.
 */
export interface FailoverDatabaseOptions {
  /** Identifier of the global cluster. */
  readonly globalClusterIdentifier: string;

  /** ARN of the primary region's cluster, the writer Failback returns to. */
  readonly primaryClusterArn: string;

  /** ARN of this region's cluster, the writer Failover and Switchover make. */
  readonly secondaryClusterArn: string;
}

/** The props' keys and the required ones, from the API model, for a caller without a compiler. */
const PROPS_SHAPE = struct('FidoRunbooksProps', { required: true });

/** The longest suffix of a document name, which the prefix leaves room for within SSM's 128. */
const LONGEST_SUFFIX = '-Diagnose';
const LONGEST_FAILOVER_SUFFIX = '-Switchover';
const DOCUMENT_NAME_MAX = 128;
const RESERVED_PREFIXES = /^(aws|amazon|amzn)/i;
const SERVICE_NAME = /^[a-z][a-z0-9]{0,19}$/;
/** How long Failback waits after handing the domain back, before it returns this region to standby. */
const FAILBACK_WAIT_MINUTES = 5;
/** ECS's limit of tasks per service. */
const MAX_TASKS = 5000;

/**
 * The condition keys of ecs:UpdateService (Service Authorization Reference) that stand for a
 * parameter Stop, Start and Redeploy never send: they send a task count or forceNewDeployment, for
 * which ECS has no key. Any automation of the account that may pass their roles runs with them, so
 * the roles allow the call only with each of these keys absent (`Null: true`), which refuses a call
 * that swaps the task definition (another image, another task role), turns on ECS Exec, or changes
 * the network: its subnets are a required member of the network configuration, so a call that
 * changes the security groups or the public IP carries `ecs:subnet` too.
 *
 * `Null`, not `StringEquals`: a key the request does not carry is absent, and `StringEquals` on an
 * absent key does not match, which would refuse the runbooks' own calls; nor `...IfExists`, which
 * would let a request name the parameter with the allowed value (ECS Exec set to false, another
 * subnet list). ECS documents `Null` among the evaluations of these keys.
 *
 * No condition key stands for the deployment configuration (its alarms and circuit breaker), the
 * load balancers, the health check grace period, placement or the platform version: IAM cannot
 * hold those, and the roles' trust (SSM Automation of this account) and resources (these services)
 * are what bound them. Task CPU and memory (`ecs:task-cpu`, `ecs:task-memory`) come with a task
 * definition, which is refused already.
 */
const UNSENT_UPDATE_SERVICE_KEYS = [
  'ecs:task-definition',
  'ecs:enable-execute-command',
  'ecs:subnet',
  'ecs:auto-assign-public-ip',
  'ecs:capacity-provider',
  'ecs:enable-service-connect',
  'ecs:namespace',
  'ecs:enable-vpc-lattice',
  'ecs:enable-ebs-volumes',
  'ecs:enable-ecs-managed-tags',
  'ecs:propagate-tags',
];

/** Problems with the runbooks' props, each naming its prop. */
function runbookProblems(given: FidoRunbooksProps): string[] {
  const problems = new ProblemList();
  sanitize(problems, '', given ?? {}, PROPS_SHAPE);
  // What is missing is reported above; the checks below read what is given.
  const props = { ...given, services: (Array.isArray(given?.services) ? given.services : []).map((s) => s ?? {}) } as FidoRunbooksProps;
  const prefix = props.documentNamePrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix)) {
    const longest = props.failover ? LONGEST_FAILOVER_SUFFIX : LONGEST_SUFFIX;
    const maxLength = DOCUMENT_NAME_MAX - longest.length;
    if (!/^[A-Za-z0-9_.-]+$/.test(prefix) || prefix.length > maxLength) {
      problems.add('documentNamePrefix', `must be 1 to ${maxLength} letters, digits, '_', '-' or '.' (SSM document names take at most ${DOCUMENT_NAME_MAX}, and the longest is '<prefix>${longest}'), got ${show(prefix)}`);
    } else if (RESERVED_PREFIXES.test(prefix)) {
      problems.add('documentNamePrefix', `must not start with 'aws', 'amazon' or 'amzn' in any case, which AWS keeps for its own documents, got ${show(prefix)}`);
    }
  }
  problems.integerInRange('failover.standbyTasks', props.failover?.standbyTasks, 0, MAX_TASKS);
  if (Array.isArray(given?.services) && props.services.length === 0) {
    problems.add('services', 'must name at least one service');
  }
  const seen = new Set<string>();
  props.services.forEach((s, i) => {
    const prop = `services[${i}]`;
    // A missing name is reported as required.
    if (s.name !== undefined && (!SERVICE_NAME.test(s.name) || s.name === 'all')) {
      problems.add(`${prop}.name`, `must be 1 to 20 lowercase letters and digits starting with a letter, other than 'all' (it is a value of the documents' Service parameter, where 'all' picks every service, and part of their step names), got ${show(s.name)}`);
    } else if (seen.has(s.name)) {
      problems.add(`${prop}.name`, `names another service already: ${show(s.name)}`);
    }
    seen.add(s.name);
    problems.integerInRange(`${prop}.desiredCount`, s.desiredCount, 1, MAX_TASKS);
    problems.integerInRange(`${prop}.minCapacity`, s.minCapacity, 0, MAX_TASKS);
    problems.integerInRange(`${prop}.maxCapacity`, s.maxCapacity, 1, MAX_TASKS);
    const { minCapacity: min, maxCapacity: max, desiredCount: desired } = s;
    if ((min === undefined) !== (max === undefined)) {
      problems.add(`${prop}.${min === undefined ? 'minCapacity' : 'maxCapacity'}`, 'must be given with the other bound when the service autoscales, and neither when it does not');
    } else if (min !== undefined && max !== undefined && [min, max, desired].every((n) => !Token.isUnresolved(n))
      && !problems.all.some((p) => p.startsWith(`${prop}.`)) && !(min <= desired && desired <= max)) {
      problems.add(`${prop}.desiredCount`, `must lie within minCapacity..maxCapacity (${min}..${max}), got ${desired}`);
    }
  });
  return [...problems.all];
}

/**
 * Runbooks of the deployment guide's service management, as AWS Systems Manager Automation
 * documents an operator runs from the console or `aws ssm start-automation-execution`, instead of
 * AWS CLI commands typed by hand:
 *
 * - `<prefix>-Stop` stops every service or one (`Service`: `all` or a service's name): for an
 *   autoscaled service it first sets the scaler's bounds to 0..0, since the scaler would start
 *   tasks again up to its minimum, and suspends its scheduled scaling, since a schedule (office
 *   hours) would too, then sets no task and waits until none runs.
 * - `<prefix>-Start` restores the scaler's bounds and the task count given here, resumes scheduled
 *   scaling (a schedule applies again at its next time), and waits until the tasks run.
 * - `<prefix>-Redeploy` starts a new deployment of the same task definition (after pushing an image
 *   to the same tag, or rotating a secret) and waits until ECS completes it; a deployment that ECS
 *   rolls back fails the run.
 * - `<prefix>-Diagnose` reads, without changing anything: running against desired tasks and the
 *   rollout, the last stopped tasks and why they stopped, every target's health, the live weights
 *   of each listener rule ECS moves between a blue/green service's target groups against each
 *   one's healthy targets (with a plain line when traffic goes to a target group without any:
 *   ECS does not check the weights before it shifts), and the last failed deployment and why it
 *   failed, as step outputs of the execution.
 *
 * Each document runs with a role of its own, which SSM assumes (for automations of this account
 * only) and which may make only the calls of that document, on these services. Stop, Start and
 * Redeploy may call ECS UpdateService only without a task definition, ECS Exec, network, capacity
 * provider, Service Connect, VPC Lattice, volume or tag setting: what ECS offers condition keys for.
 * To run one, an operator needs `ssm:StartAutomationExecution` on the document and `iam:PassRole`
 * on its role.
 */
export class FidoRunbooks extends Construct {
  /** Stops every service or one, scaler first. */
  public readonly stopDocument: ssm.CfnDocument;
  /** Starts every service or one with the configured counts and bounds. */
  public readonly startDocument: ssm.CfnDocument;
  /** Redeploys every service or one and waits until ECS completes the deployment. */
  public readonly redeployDocument: ssm.CfnDocument;
  /** Reads the services' state, read-only. */
  public readonly diagnoseDocument: ssm.CfnDocument;

  /** The role Stop runs with: ECS UpdateService and DescribeServices, and the scaler's bounds. */
  public readonly stopRole: iam.Role;
  /** The role Start runs with: the same calls as Stop. */
  public readonly startRole: iam.Role;
  /** The role Redeploy runs with: ECS UpdateService and DescribeServices. */
  public readonly redeployRole: iam.Role;
  /** The role Diagnose runs with: reads only. */
  public readonly diagnoseRole: iam.Role;

  /**
   * With `failover`: makes this region serve after the primary's has failed (Route 53 has moved,
   * or moves once this region passes its checks): raises every service to its sizing, waits until
   * the tasks run, and reports which region Route 53 answers with. With `failover.database`, it
   * promotes this region's cluster first, and inverts the primary's health check before the
   * report, so that Route 53 keeps answering with this region until Failback.
   *
   * @default - none: `failover` is not set
   */
  public readonly failoverDocument?: ssm.CfnDocument;

  /**
   * With `failover`: a planned switch to this region while the primary is healthy: what Failover
   * does, then the primary's health check inverted, so that Route 53 answers with this region.
   *
   * @default - none: `failover` is not set
   */
  public readonly switchoverDocument?: ssm.CfnDocument;

  /**
   * With `failover`: hands the domain back to the primary (its health check no longer inverted),
   * waits while clients' cached answers expire, and returns this region's services to standby once
   * Route 53 answers with the primary again (else it leaves them serving, and says so).
   *
   * @default - none: `failover` is not set
   */
  public readonly failbackDocument?: ssm.CfnDocument;

  private readonly props: FidoRunbooksProps;
  private redeployEventsRole?: iam.Role;

  constructor(scope: Construct, id: string, props: FidoRunbooksProps) {
    super(scope, id);
    reportBlockProblems(this, 'FidoRunbooks', runbookProblems(props));
    this.props = props;

    const targets = props.services.map((s): RunbookTarget => ({
      name: s.name,
      stepName: `${s.name.charAt(0).toUpperCase()}${s.name.slice(1)}`,
      cluster: props.cluster.clusterName,
      service: s.service.serviceName,
      desiredCount: s.desiredCount,
      bounds: s.minCapacity !== undefined && s.maxCapacity !== undefined ? { min: s.minCapacity, max: s.maxCapacity } : undefined,
      targetGroupArns: (s.targetGroups ?? []).map((g) => g.targetGroupArn),
    }));
    const names = props.services.map((s) => s.name);
    const scales = targets.some((t) => t.bounds);

    this.stopRole = this.role('StopRole', 'stops the FIDO services', this.changeStatements(scales));
    this.startRole = this.role('StartRole', 'starts the FIDO services', this.changeStatements(scales));
    this.redeployRole = this.role('RedeployRole', 'redeploys the FIDO services', this.changeStatements(false));
    this.diagnoseRole = this.role('DiagnoseRole', 'reads the state of the FIDO services', this.diagnoseStatements(targets));

    this.stopDocument = this.document('StopDocument', 'Stop', automationDocument(
      `# Stop FIDO services\n\nStops every service (\`all\`) or one of ${names.join(', ')}: the scaler's bounds to 0..0 first where the service autoscales (else it would start tasks again up to its minimum), with its scheduled scaling suspended (else a schedule, such as office hours, would start it at its next time), then no task, then waits up to ${WAIT_SECONDS.stop} s until none runs. \`${props.documentNamePrefix}-Start\` restores them.`,
      this.parameters(this.stopRole, names), forPickedServices(targets, stopSteps, reportStep(props.cluster.clusterName, targets))));
    this.startDocument = this.document('StartDocument', 'Start', automationDocument(
      `# Start FIDO services\n\nStarts every service (\`all\`) or one of ${names.join(', ')} as configured: the scaler's bounds first where the service autoscales, with its scheduled scaling resumed (a schedule, such as office hours, applies again at its next time: outside office hours the services run until the next end of the hours), then the task count, then waits up to ${WAIT_SECONDS.start} s until the tasks run.`,
      this.parameters(this.startRole, names), forPickedServices(targets, startSteps, reportStep(props.cluster.clusterName, targets))));
    this.redeployDocument = this.document('RedeployDocument', 'Redeploy', automationDocument(
      `# Redeploy FIDO services\n\nStarts a new deployment of every service (\`all\`) or one of ${names.join(', ')} with the same task definition (after pushing an image to the same tag, or rotating a secret), and waits up to ${WAIT_SECONDS.redeploy} s until ECS completes it. A deployment that ECS rolls back fails the run.`,
      this.parameters(this.redeployRole, names), forPickedServices(targets, redeploySteps, reportStep(props.cluster.clusterName, targets))));
    const diagnose = targets.flatMap(diagnoseSteps);
    this.diagnoseDocument = this.document('DiagnoseDocument', 'Diagnose', automationDocument(
      `# Diagnose FIDO services\n\nReads, without changing anything, for ${names.join(', ')}: running against desired tasks and the rollout, the last stopped tasks and why they stopped, each target's health, the weights of each listener rule ECS moves between a blue/green service's target groups against their healthy targets (Traffic<Service>.Verdict says plainly when traffic goes to a target group without healthy targets), and the last failed deployment and why it failed. A step that describes what the step before it listed fails, without failing the run, when that list is empty.`,
      { AutomationAssumeRole: this.assumeRoleParameter(this.diagnoseRole) }, diagnose, stepOutputs(diagnose)));

    if (props.failover) {
      [this.failoverDocument, this.switchoverDocument, this.failbackDocument] = this.failoverDocuments(props.failover, targets, scales);
    }
  }

  /**
   * Failover, Switchover and Failback, each with its role: the calls of Start on the services,
   * Route 53's reads of both regions' checks, and (Switchover, Failback) the one write that
   * inverts the primary's check or turns it back.
   */
  private failoverDocuments(failover: FailoverRunbookOptions, targets: RunbookTarget[], scales: boolean): ssm.CfnDocument[] {
    const primary = failover.primaryHealthCheck.healthCheckId;
    const serving = (name: string) => servingStep(name, primary, failover.healthCheck.healthCheckId);
    const database = failover.database;
    const document = (suffix: string, what: string, writes: boolean, description: string, steps: Step[]) => {
      const role = this.role(`${suffix}Role`, what, [
        ...this.changeStatements(scales),
        ...this.healthCheckStatements(primary, writes),
        ...(failover.database ? databaseStatements(this, failover.database, suffix === 'Failover' ? 'rds:FailoverGlobalCluster' : 'rds:SwitchoverGlobalCluster') : []),
      ]);
      return this.document(`${suffix}Document`, suffix, automationDocument(description, { AutomationAssumeRole: this.assumeRoleParameter(role) }, steps, stepOutputs(steps.slice(-1))));
    };
    const report = 'Serving.Region says which region Route 53 answers the domain with (Serving.Primary and Serving.Secondary say why)';
    const standby = failover.standbyTasks;
    const writer = (name: string, arn: 'primaryClusterArn' | 'secondaryClusterArn', allowDataLoss: boolean) =>
      database ? databaseWriterSteps(name, database, database[arn], allowDataLoss) : [];
    const databaseText = {
      failover: database ? 'promotes this region\'s DocumentDB cluster to the global cluster\'s writer (the writes the primary had not yet replicated, typically under a second of them, are lost) and waits until it writes, then ' : '',
      switchover: database ? ', moves the DocumentDB global cluster\'s writer here (every write replicated first: nothing is lost) and waits until it writes' : '',
      failback: database ? 'Moves the DocumentDB global cluster\'s writer back to the primary region (every write replicated first; it fails, changing nothing, while the primary\'s cluster cannot be reached) and waits until it writes, then turns' : 'Turns',
    };
    // Once this region's cluster writes, the primary's, back from the outage, rejoins as a secondary
    // that cannot write: Route 53 must not answer with the primary again on its checks alone, so
    // its check is inverted until Failback moves the writer back. Route 53's API answers from
    // us-east-1: should it fail there, the report still runs, and the run ends Failed.
    const hold: Step[] = database ? [{ ...primaryCheckStep('InvertPrimaryHealthCheck', primary, true), onFailure: 'Continue', isCritical: true }] : [];
    const holdText = database
      ? ` Then it inverts the primary region's health check, so that Route 53 keeps answering with this region once the primary comes back, its cluster a secondary that cannot write, until \`${this.props.documentNamePrefix}-Failback\` moves the writer back. Should Route 53's API fail then, the run reports and ends Failed: invert the check once the API answers (\`aws route53 update-health-check --inverted --health-check-id\`, the ID in the step's inputs).`
      : '';
    return [
      document('Failover', 'makes this region serve', !!database,
        `# Fail over to this region\n\nFor an outage of the primary region: ${databaseText.failover}raises every service here to its sizing (the scaler's bounds first where it autoscales), and waits up to ${WAIT_SECONDS.start} s until the tasks run. Route 53 answers with this region once the primary fails its checks and this region passes its own.${holdText} ${report}.`,
        [...writer('PromoteDatabase', 'secondaryClusterArn', true), ...targets.flatMap(startSteps), ...hold, serving('Serving')]),
      document('Switchover', 'switches the domain to this region', true,
        `# Switch over to this region\n\nA planned switch while the primary is healthy: raises every service here to its sizing, waits until the tasks run${databaseText.switchover}, then inverts the primary region's health check, so that Route 53 calls the primary down and answers with this region (after the records' TTL). \`${this.props.documentNamePrefix}-Failback\` hands back. ${report}.`,
        [
          ...targets.flatMap(startSteps),
          ...writer('SwitchDatabaseHere', 'secondaryClusterArn', false),
          primaryCheckStep('InvertPrimaryHealthCheck', primary, true),
          serving('Serving'),
        ]),
      document('Failback', 'hands the domain back to the primary region', true,
        `# Fail back to the primary region\n\n${databaseText.failback} the primary region's health check back (no longer inverted), waits ${FAILBACK_WAIT_MINUTES} minutes while Route 53 checks the primary and clients' cached answers expire, then, if Route 53 answers with the primary again, returns every service here to standby (${standby} tasks each); if not, it leaves them serving: run it again once the primary passes its checks. ${report}.`,
        [
          ...writer('SwitchDatabaseBack', 'primaryClusterArn', false),
          primaryCheckStep('RestorePrimaryHealthCheck', primary, false),
          { name: 'WaitForPrimary', action: 'aws:sleep', inputs: { Duration: `PT${FAILBACK_WAIT_MINUTES}M` } },
          serving('ServingAfterRestore'),
          {
            name: 'ChooseStandby',
            action: 'aws:branch',
            inputs: { Choices: [{ Variable: '{{ServingAfterRestore.Region}}', StringEquals: 'primary', NextStep: standbySteps(targets[0], standby)[0].name }], Default: 'Serving' },
          },
          ...targets.flatMap((t) => standbySteps(t, standby)),
          serving('Serving'),
        ]),
    ];
  }

  /**
   * Route 53's reads of the regions' checks (the endpoint checks are the children of the calculated
   * ones, found at run time) and, with `writes`, UpdateHealthCheck on the primary's check alone.
   */
  private healthCheckStatements(primaryHealthCheckId: string, writes: boolean): Array<{ statement: iam.PolicyStatement; wildcardReason?: string }> {
    const healthCheck = (id: string) => Stack.of(this).formatArn({ service: 'route53', region: '', account: '', resource: 'healthcheck', resourceName: id });
    return [
      {
        statement: new iam.PolicyStatement({ actions: ['route53:GetHealthCheck', 'route53:GetHealthCheckStatus'], resources: [healthCheck('*')] }),
        wildcardReason: 'The endpoint checks are the children of each region\'s calculated check, read at run time; route53:GetHealthCheck and GetHealthCheckStatus only read checks.',
      },
      ...(writes ? [{ statement: new iam.PolicyStatement({ actions: ['route53:UpdateHealthCheck'], resources: [healthCheck(primaryHealthCheckId)] }) }] : []),
    ];
  }

  /**
   * Redeploys every service whenever `secret`'s current value changes: a rotation, or a value put
   * by hand. ECS reads secrets only when a task starts, so without a new deployment running tasks
   * keep the old value (for a database password: their open connections work, new ones fail).
   *
   * An EventBridge rule matches Secrets Manager's `Secret Label Updated` event for this secret with
   * the label `AWSCURRENT`, and runs the Redeploy document with `Service` `all` through a role that
   * EventBridge assumes for this account's rules only, which may start only that document and pass
   * only its role. The secret must belong to this account and region, where its events are sent.
   *
   * @param id the rule's construct ID
   * @param secret a secret the services read
   */
  public redeployOnSecretChange(id: string, secret: secretsmanager.ISecret): events.Rule {
    this.warnIfElsewhere(secret);
    const rule = new events.Rule(this, id, {
      description: `Redeploys the FIDO services (${this.props.documentNamePrefix}-Redeploy) when the secret's current value changes`,
      eventPattern: secretChanges(secret),
    });
    const role = this.redeployEventsRole ??= this.eventsRole();
    rule.addTarget({
      bind: () => ({
        arn: this.redeployDefinitionArn(),
        role,
        input: events.RuleTargetInput.fromObject({ Service: ['all'] }),
      }),
    });
    return rule;
  }

  /**
   * Forwards the changes of `secret`'s current value to the default event bus of `region` in
   * `account`, where a deployment reading the secret's replica (`secrets.replicaOf`, or a pair's
   * secondary in another account) redeploys on them: Secrets Manager sends a secret's events to
   * its own region only. The bus of another account must let this one put events on it.
   *
   * @param id the rule's construct ID
   * @param secret the secret whose changes are forwarded
   * @param region the region of the bus
   * @param account the account of the bus; this stack's own when left out
   */
  public forwardSecretChanges(id: string, secret: secretsmanager.ISecret, region: string, account?: string): events.Rule {
    const stack = Stack.of(this);
    const where = account ? `${region} of account ${account}` : region;
    const rule = new events.Rule(this, id, {
      description: `Forwards the changes of the secret's current value to ${where}, where its replica's readers redeploy`,
      eventPattern: secretChanges(secret),
    });
    const bus = events.EventBus.fromEventBusArn(this, `${id}Bus`, stack.formatArn({ service: 'events', region, account, resource: 'event-bus', resourceName: 'default' }));
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: this.eventsPrincipal(),
      description: `EventBridge forwards a secret's changes to ${where}`,
    });
    rule.addTarget(new eventTargets.EventBus(bus, { role }));
    acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (EventBridge puts events on ${where}'s default bus).` });
    return rule;
  }

  /**
   * Secrets Manager sends a secret's events to its own account and region only: a rule here never
   * sees a secret of another, so say so rather than leave the services on an old value unnoticed.
   */
  private warnIfElsewhere(secret: secretsmanager.ISecret): void {
    const stack = Stack.of(this);
    if (Token.isUnresolved(secret.secretArn)) {
      return;
    }
    const { account, region } = Arn.split(secret.secretArn, ArnFormat.COLON_RESOURCE_NAME);
    const differs = (theirs: string | undefined, ours: string) => theirs !== undefined && theirs !== '' && !Token.isUnresolved(ours) && theirs !== ours;
    if (differs(account, stack.account) || differs(region, stack.region)) {
      Annotations.of(this).addWarningV2('arculus-fido:secret-events-elsewhere',
        `The secret ${secret.secretArn} belongs to ${account} in ${region}, and Secrets Manager sends its events there only: when its value changes, nothing here redeploys the services. Run the Redeploy runbook after rotating it, or put an EventBridge rule in that account and region that starts ${this.props.documentNamePrefix}-Redeploy here.`);
    }
  }

  /** The default version of the Redeploy document, as EventBridge and IAM name an automation. */
  private redeployDefinitionArn(): string {
    return Stack.of(this).formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: `${this.redeployDocument.ref}:$DEFAULT` });
  }

  /** The role EventBridge starts Redeploy with: that document only, and passing its role only. */
  /** EventBridge, for the rules of this account and region only. */
  private eventsPrincipal(): iam.IPrincipal {
    const stack = Stack.of(this);
    return new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }) },
      },
    });
  }

  private eventsRole(): iam.Role {
    const role = new iam.Role(this, 'RedeployEventsRole', {
      assumedBy: this.eventsPrincipal(),
      description: 'EventBridge redeploys the FIDO services when a secret they read changes',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: [this.redeployDefinitionArn()] }));
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.redeployRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }));
    acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (EventBridge starts the Redeploy document and passes its role).` });
    return role;
  }

  /** The documents' parameters: the role, and which service (no default: an operator picks). */
  private parameters(role: iam.IRole, names: string[]): Record<string, unknown> {
    return {
      AutomationAssumeRole: this.assumeRoleParameter(role),
      Service: {
        type: 'String',
        description: `The service to act on, or all of them: ${['all', ...names].join(', ')}.`,
        allowedValues: ['all', ...names],
      },
    };
  }

  private assumeRoleParameter(role: iam.IRole): Record<string, unknown> {
    return {
      type: 'String',
      description: 'The role the automation runs with; the default may make only the calls of this document, on these services.',
      default: role.roleArn,
    };
  }

  private document(id: string, suffix: string, content: Record<string, unknown>): ssm.CfnDocument {
    return new ssm.CfnDocument(this, id, {
      name: `${this.props.documentNamePrefix}-${suffix}`,
      documentType: 'Automation',
      documentFormat: 'JSON',
      content,
      // A named document cannot be replaced (the new one would take the name the old one still
      // has): a changed content becomes the document's new default version instead.
      updateMethod: 'NewVersion',
    });
  }

  /**
   * A role that SSM Automation assumes for executions of this account only (the confused-deputy
   * conditions SSM documents), with `statements` and the reasons for their findings.
   */
  private role(id: string, what: string, statements: Array<{ statement: iam.PolicyStatement; wildcardReason?: string }>): iam.Role {
    const stack = Stack.of(this);
    const role = new iam.Role(this, id, {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' }) },
        },
      }),
      description: `SSM Automation ${what}`,
    });
    for (const { statement, wildcardReason } of statements) {
      role.addToPolicy(statement);
      if (wildcardReason) {
        acknowledgeWildcardResources(role, statement, wildcardReason);
      }
    }
    acknowledge(role, { 'NIST.800.53.R5-IAMNoInlinePolicy': `${INLINE_POLICY_REASON} (SSM Automation ${what}).` });
    return role;
  }

  /**
   * Stop, Start and Redeploy: ECS DescribeServices on these services, UpdateService on them
   * without any parameter the runbooks do not send (`UNSENT_UPDATE_SERVICE_KEYS`), and with
   * `scales` the scaler's bounds. Application Auto Scaling checks that the caller of
   * RegisterScalableTarget may itself call ECS DescribeServices and UpdateService on the service
   * (these), uses its service-linked role, which the stack's scalable target created, and passes
   * no role: so no iam:PassRole or iam:CreateServiceLinkedRole.
   */
  private changeStatements(scales: boolean): Array<{ statement: iam.PolicyStatement; wildcardReason?: string }> {
    const services = this.props.services.map((s) => s.service.serviceArn);
    return [
      { statement: new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources: services }) },
      {
        statement: new iam.PolicyStatement({
          actions: ['ecs:UpdateService'],
          resources: services,
          conditions: { Null: Object.fromEntries(UNSENT_UPDATE_SERVICE_KEYS.map((key) => [key, 'true'])) },
        }),
      },
      ...(scales ? [{
        statement: new iam.PolicyStatement({
          actions: ['application-autoscaling:RegisterScalableTarget'],
          resources: [Stack.of(this).formatArn({ service: 'application-autoscaling', resource: 'scalable-target', resourceName: '*' })],
          conditions: { StringEquals: { 'application-autoscaling:service-namespace': 'ecs', 'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount' } },
        }),
        wildcardReason: 'A scalable target\'s ARN ends in an ID that Application Auto Scaling generates and CloudFormation does not return; the conditions keep the call to the task counts of ECS services, and the steps name these services.',
      }] : []),
    ];
  }

  /** Diagnose: read calls only, each on the narrowest resource ECS and Elastic Load Balancing authorize. */
  private diagnoseStatements(targets: RunbookTarget[]): Array<{ statement: iam.PolicyStatement; wildcardReason?: string }> {
    const stack = Stack.of(this);
    const cluster = this.props.cluster;
    const services = this.props.services.map((s) => s.service.serviceArn);
    const ecsArn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ecs', resource, resourceName });
    return [
      { statement: new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], resources: services }) },
      {
        // IAM authorizes ListTasks on a container instance, which Fargate tasks have none of;
        // ECS's cluster condition is what scopes it.
        statement: new iam.PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } } }),
        wildcardReason: 'ecs:ListTasks is authorized on container instances, which Fargate tasks have none of; the ecs:cluster condition keeps it to this cluster.',
      },
      {
        statement: new iam.PolicyStatement({ actions: ['ecs:DescribeTasks'], resources: [ecsArn('task', `${cluster.clusterName}/*`)] }),
        wildcardReason: 'Task IDs are only known at run time; the ARN keeps ecs:DescribeTasks to the tasks of this cluster.',
      },
      {
        // Authorized on both the service and the service deployment.
        statement: new iam.PolicyStatement({
          actions: ['ecs:DescribeServiceDeployments'],
          resources: [...services, ...this.props.services.map((s) => ecsArn('service-deployment', `${cluster.clusterName}/${s.service.serviceName}/*`))],
        }),
        wildcardReason: 'Service deployment IDs are only known at run time; the ARNs keep ecs:DescribeServiceDeployments to the deployments of these services.',
      },
      ...(targets.some((t) => t.targetGroupArns.length > 0) ? [{
        statement: new iam.PolicyStatement({ actions: ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeRules'], resources: ['*'] }),
        wildcardReason: 'elasticloadbalancing:DescribeTargetHealth and DescribeRules have no resource-level permissions; they only read target health and the weights of listener rules.',
      }] : []),
    ];
  }
}

/** The events of a change of `secret`'s current value (a new version, a rotation). */
function secretChanges(secret: secretsmanager.ISecret): events.EventPattern {
  return {
    source: ['aws.secretsmanager'],
    detailType: ['Secret Label Updated'],
    // A secret imported by name has no suffix: its ARN is the full one's prefix.
    resources: secret.secretFullArn ? [secret.secretFullArn] : events.Match.prefix(`${secret.secretArn}-`),
    detail: { labelUpdated: ['AWSCURRENT'] },
  };
}

/**
 * The global cluster's one move a failover document makes (`action`, on the global cluster and
 * its two clusters, named), and the reads of its state that the wait makes.
 */
function databaseStatements(scope: Construct, database: FailoverDatabaseOptions, action: string): Array<{ statement: iam.PolicyStatement }> {
  const globalCluster = Stack.of(scope).formatArn({
    service: 'rds', region: '', resource: 'global-cluster', resourceName: database.globalClusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  return [
    {
      statement: new iam.PolicyStatement({
        actions: [action],
        resources: [globalCluster, database.primaryClusterArn,
          database.secondaryClusterArn],
      }),
    },
    { statement: new iam.PolicyStatement({ actions: ['rds:DescribeGlobalClusters'], resources: [globalCluster] }) },
  ];
}
