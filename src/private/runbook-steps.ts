/**
 * The content of the runbooks' SSM Automation documents (schema 0.3): each step an AWS API call
 * that SSM makes with the document's role, named by its boto3 client (`ecs`,
 * `application-autoscaling`, `elbv2`) and operation, with the operation's own input names, or a
 * Python script whose boto3 calls are such calls. `tools/security/runbooks.py` judges every such
 * step and script against botocore's models of those APIs, and the role's policy against the calls.
 */

/** One step of a document, as the schema writes it. */
export type Step = Record<string, unknown>;

/** What the steps know of one service: the names the APIs take, and what Start restores. */
export interface RunbookTarget {
  /** The value of the documents' `Service` parameter, e.g. `pyfido`. */
  readonly name: string;
  /** The service in step names, e.g. `Pyfido`. */
  readonly stepName: string;
  /** Name of the cluster. */
  readonly cluster: string;
  /** Name of the service. */
  readonly service: string;
  /** The task count Start sets. */
  readonly desiredCount: number;
  /** The scaler's bounds Start restores; none without autoscaling. */
  readonly bounds?: { readonly min: number; readonly max: number };
  /** ARNs of the target groups Diagnose reads the health of. */
  readonly targetGroupArns: string[];
}

/** How long a document waits for a service, in seconds. */
export const WAIT_SECONDS = {
  /** Tasks stop within their stop timeout (at most 120 s) after the load balancer drains them. */
  stop: 900,
  /** New tasks pull their image, start and pass the health checks of the load balancer. */
  start: 1800,
  /** A redeployment replaces every task; a blue/green one also bakes. */
  redeploy: 3600,
};

/**
 * The statuses of a service deployment that failed and was rolled back (or could not be): the
 * services of this library always roll a failed deployment back, with ECS's circuit breaker
 * (rolling) or on their deployment alarms and check (blue/green, linear, canary).
 */
export const FAILED_DEPLOYMENT_STATUSES = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

const SCALABLE_DIMENSION = 'ecs:service:DesiredCount';

/** A step that calls `api` of the boto3 client `service` with `inputs`. */
function call(name: string, action: string, service: string, api: string, inputs: Record<string, unknown>, extra: Step = {}): Step {
  return { name, action, inputs: { Service: service, Api: api, ...inputs }, ...extra };
}

/** The outputs of a step, each `[name, JSONPath selector, type]`. */
function outputs(...list: Array<[string, string, string]>): Step {
  return { outputs: list.map(([Name, Selector, Type]) => ({ Name, Selector, Type })) };
}

/** DescribeServices of one service: the input every wait and assertion on it takes. */
function describeService(t: RunbookTarget): Record<string, unknown> {
  return { cluster: t.cluster, services: [t.service] };
}

/** A document of schema 0.3 that SSM runs with the role its `AutomationAssumeRole` parameter names. */
export function automationDocument(
  description: string, parameters: Record<string, unknown>, mainSteps: Step[], documentOutputs?: string[],
): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description,
    assumeRole: '{{AutomationAssumeRole}}',
    parameters,
    mainSteps,
    ...(documentOutputs ? { outputs: documentOutputs } : {}),
  };
}

/**
 * The steps of `targets` that the operator picks with the `Service` parameter (`all` or one
 * name): before each service's steps a branch that jumps past them unless picked, and after the
 * last one `last`, where every path ends.
 */
export function forPickedServices(targets: RunbookTarget[], stepsOf: (t: RunbookTarget) => Step[], last: Step): Step[] {
  const groups = targets.map((t) => ({ target: t, steps: stepsOf(t) }));
  return [
    ...groups.flatMap(({ target, steps }, index) => {
      const next = index + 1 < groups.length ? `Choose${groups[index + 1].target.stepName}` : last.name;
      const choose: Step = {
        name: `Choose${target.stepName}`,
        action: 'aws:branch',
        inputs: {
          Choices: [{
            Or: [{ Variable: '{{Service}}', StringEquals: 'all' }, { Variable: '{{Service}}', StringEquals: target.name }],
            NextStep: steps[0].name,
          }],
          Default: next,
        },
      };
      return [choose, ...steps];
    }),
    last,
  ];
}

/**
 * Stop: the scaler's bounds to 0..0 first (else it would start tasks again up to its minimum),
 * then no task, then the wait until none runs.
 */
export function stopSteps(t: RunbookTarget): Step[] {
  return [
    ...(t.bounds ? [scalerBounds(`ZeroBounds${t.stepName}`, t, 0, 0, true)] : []),
    call(`Stop${t.stepName}`, 'aws:executeAwsApi', 'ecs', 'UpdateService', { cluster: t.cluster, service: t.service, desiredCount: 0 }),
    call(`WaitStopped${t.stepName}`, 'aws:waitForAwsResourceProperty', 'ecs', 'DescribeServices', {
      ...describeService(t), PropertySelector: '$.services[0].runningCount', DesiredValues: ['0'],
    }, { timeoutSeconds: WAIT_SECONDS.stop }),
  ];
}

/** Start: the scaler's bounds back first, then the configured count, then the wait until it runs. */
export function startSteps(t: RunbookTarget): Step[] {
  return scaleSteps(t, ['RestoreBounds', 'Start', 'WaitStarted'], t.desiredCount, t.bounds);
}

/**
 * Back to standby, after a failback: the scaler's minimum and the task count down to `standby`,
 * under the same maximum, then the wait until that many run.
 */
export function standbySteps(t: RunbookTarget, standby: number): Step[] {
  return scaleSteps(t, ['StandbyBounds', 'Standby', 'WaitStandby'], standby, t.bounds && { min: standby, max: t.bounds.max });
}

/**
 * The scaler's bounds first where there is a scaler (its scheduled scaling resumed), then the task
 * count, then the wait until that many run; each step named by its verb and the service.
 */
function scaleSteps(t: RunbookTarget, [bounds, update, wait]: [string, string, string], desired: number, to?: { min: number; max: number }): Step[] {
  return [
    ...(to ? [scalerBounds(`${bounds}${t.stepName}`, t, to.min, to.max, false)] : []),
    call(`${update}${t.stepName}`, 'aws:executeAwsApi', 'ecs', 'UpdateService', { cluster: t.cluster, service: t.service, desiredCount: desired }),
    call(`${wait}${t.stepName}`, 'aws:waitForAwsResourceProperty', 'ecs', 'DescribeServices', {
      ...describeService(t), PropertySelector: '$.services[0].runningCount', DesiredValues: [String(desired)],
    }, { timeoutSeconds: WAIT_SECONDS.start }),
  ];
}

/**
 * Inverts the primary region's health check (Route 53 then calls the primary down and answers
 * with the secondary: a planned switchover), or turns it back.
 */
export function primaryCheckStep(name: string, healthCheckId: string, inverted: boolean): Step {
  return call(name, 'aws:executeAwsApi', 'route53', 'UpdateHealthCheck', { HealthCheckId: healthCheckId, Inverted: inverted });
}

/**
 * The script of the failover runbooks' last step (Python 3.11, the boto3 of SSM Automation): each
 * region's health as Route 53 decides it, and the region it answers the domain with. A region's
 * check is calculated from its endpoints' HTTPS checks; Route 53 gives no status of a calculated
 * check, so the script decides it as Route 53 does: an endpoint is healthy when more than 18% of
 * the checkers see it so, the region when at least HealthThreshold endpoints are, the other way
 * round when the check is inverted. Route 53 answers with the primary while it is healthy, with
 * the secondary while only that one is, and with the primary when neither is. No `{{` in it: SSM
 * would read a variable there.
 */
const SERVING_SCRIPT = `import boto3


def handler(events, context):
    route53 = boto3.client('route53')

    def region(check_id):
        config = route53.get_health_check(HealthCheckId=check_id)['HealthCheck']['HealthCheckConfig']
        children = config.get('ChildHealthChecks', [])
        lines, healthy_children = [], 0
        for child in children:
            observations = route53.get_health_check_status(HealthCheckId=child)['HealthCheckObservations']
            passing = sum(1 for o in observations if o['StatusReport']['Status'].startswith('Success'))
            healthy = passing > 0.18 * len(observations)
            healthy_children += 1 if healthy else 0
            lines.append(f'{child}: {passing} of {len(observations)} checkers see it healthy')
        healthy = healthy_children >= config.get('HealthThreshold', len(children))
        inverted = config.get('Inverted', False)
        if inverted:
            healthy = not healthy
        state = 'healthy' if healthy else 'unhealthy'
        return healthy, f"{state}{' (inverted: a switchover is in force)' if inverted else ''}; " + '; '.join(lines)

    primary_healthy, primary = region(events['PrimaryHealthCheck'])
    secondary_healthy, secondary = region(events['SecondaryHealthCheck'])
    if primary_healthy:
        serving = 'primary'
    elif secondary_healthy:
        serving = 'secondary'
    else:
        serving = 'primary (neither region passes its checks: Route 53 answers with the primary)'
    return {'Serving': serving, 'Primary': primary, 'Secondary': secondary}
`;

/** The failover runbooks' report: which region Route 53 answers with, and why. */
export function servingStep(name: string, primaryHealthCheckId: string, secondaryHealthCheckId: string): Step {
  return {
    name,
    action: 'aws:executeScript',
    inputs: {
      Runtime: 'python3.11',
      Handler: 'handler',
      Script: SERVING_SCRIPT,
      InputPayload: { PrimaryHealthCheck: primaryHealthCheckId, SecondaryHealthCheck: secondaryHealthCheckId },
    },
    ...outputs(
      ['Region', '$.Payload.Serving', 'String'],
      ['Primary', '$.Payload.Primary', 'String'],
      ['Secondary', '$.Payload.Secondary', 'String'],
    ),
  };
}

/**
 * RegisterScalableTarget of the service's task count, which updates the bounds of the existing
 * target, and suspends or resumes its scheduled scaling: a schedule (office hours, say) would
 * otherwise start a stopped service again at its next time.
 */
function scalerBounds(name: string, t: RunbookTarget, min: number, max: number, suspendSchedules: boolean): Step {
  return call(name, 'aws:executeAwsApi', 'application-autoscaling', 'RegisterScalableTarget', {
    ServiceNamespace: 'ecs',
    ResourceId: `service/${t.cluster}/${t.service}`,
    ScalableDimension: SCALABLE_DIMENSION,
    MinCapacity: min,
    MaxCapacity: max,
    SuspendedState: { ScheduledScalingSuspended: suspendSchedules },
  });
}

/**
 * Redeploy: a new deployment of the same task definition, then the wait until ECS finishes it
 * either way. DescribeServices lists the PRIMARY (newest) deployment first. A deployment that
 * fails is rolled back by a newer one, which becomes PRIMARY and then COMPLETED itself: so the
 * run also asserts that the PRIMARY deployment is still the one it started, and that it COMPLETED.
 */
export function redeploySteps(t: RunbookTarget): Step[] {
  const started = `Redeploy${t.stepName}`;
  return [
    call(started, 'aws:executeAwsApi', 'ecs', 'UpdateService', { cluster: t.cluster, service: t.service, forceNewDeployment: true },
      outputs(['DeploymentId', '$.service.deployments[0].id', 'String'])),
    call(`WaitRedeployed${t.stepName}`, 'aws:waitForAwsResourceProperty', 'ecs', 'DescribeServices', {
      ...describeService(t), PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED', 'FAILED'],
    }, { timeoutSeconds: WAIT_SECONDS.redeploy }),
    call(`CheckNotRolledBack${t.stepName}`, 'aws:assertAwsResourceProperty', 'ecs', 'DescribeServices', {
      ...describeService(t), PropertySelector: '$.services[0].deployments[0].id', DesiredValues: [`{{${started}.DeploymentId}}`],
    }),
    call(`CheckCompleted${t.stepName}`, 'aws:assertAwsResourceProperty', 'ecs', 'DescribeServices', {
      ...describeService(t), PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED'],
    }),
  ];
}

/** The last step of Stop, Start and Redeploy: every service's running and desired tasks, named. */
export function reportStep(cluster: string, targets: RunbookTarget[]): Step {
  return call('Report', 'aws:executeAwsApi', 'ecs', 'DescribeServices', { cluster, services: targets.map((t) => t.service) },
    outputs(...targets.flatMap((_, i): Array<[string, string, string]> => [
      [`Service${i + 1}`, `$.services[${i}].serviceName`, 'String'],
      [`Service${i + 1}Running`, `$.services[${i}].runningCount`, 'Integer'],
      [`Service${i + 1}Desired`, `$.services[${i}].desiredCount`, 'Integer'],
    ])));
}

/** Steps that may fail without failing the run: each gathers what exists, and may find nothing. */
const MAY_FIND_NOTHING: Step = { onFailure: 'Continue', isCritical: false };

/**
 * Diagnose, read-only: running against desired tasks and the rollout, the last stopped tasks with
 * why they stopped, the health of every target, the weights of the listener rules ECS moves
 * against each target group's healthy targets, and the last failed deployment with why it
 * failed. A step that describes what a list step found fails when the list is empty (the API
 * refuses an empty list), and is not critical.
 */
export function diagnoseSteps(t: RunbookTarget): Step[] {
  const s = t.stepName;
  return [
    call(`Describe${s}`, 'aws:executeAwsApi', 'ecs', 'DescribeServices', describeService(t), outputs(
      ['RunningCount', '$.services[0].runningCount', 'Integer'],
      ['DesiredCount', '$.services[0].desiredCount', 'Integer'],
      ['PendingCount', '$.services[0].pendingCount', 'Integer'],
      ['RolloutState', '$.services[0].deployments[0].rolloutState', 'String'],
      ['RolloutStateReason', '$.services[0].deployments[0].rolloutStateReason', 'String'],
      ['LatestEvent', '$.services[0].events[0].message', 'String'],
    )),
    call(`ListStopped${s}`, 'aws:executeAwsApi', 'ecs', 'ListTasks', { cluster: t.cluster, serviceName: t.service, desiredStatus: 'STOPPED', maxResults: 10 },
      outputs(['TaskArns', '$.taskArns', 'StringList'])),
    call(`DescribeStopped${s}`, 'aws:executeAwsApi', 'ecs', 'DescribeTasks', { cluster: t.cluster, tasks: `{{ListStopped${s}.TaskArns}}` }, {
      ...outputs(
        ['StopCodes', '$.tasks..stopCode', 'StringList'],
        ['StoppedReasons', '$.tasks..stoppedReason', 'StringList'],
        ['ContainerReasons', '$.tasks..containers..reason', 'StringList'],
      ),
      ...MAY_FIND_NOTHING,
    }),
    ...t.targetGroupArns.map((arn, i) => call(`TargetHealth${s}${i + 1}`, 'aws:executeAwsApi', 'elbv2', 'DescribeTargetHealth', { TargetGroupArn: arn }, outputs(
      ['Targets', '$.TargetHealthDescriptions..Target.Id', 'StringList'],
      ['States', '$.TargetHealthDescriptions..TargetHealth.State', 'StringList'],
      ['Reasons', '$.TargetHealthDescriptions..TargetHealth.Reason', 'StringList'],
      ['Descriptions', '$.TargetHealthDescriptions..TargetHealth.Description', 'StringList'],
    ))),
    ...(t.targetGroupArns.length > 0 ? [trafficStep(t)] : []),
    call(`LastFailedDeployment${s}`, 'aws:executeAwsApi', 'ecs', 'ListServiceDeployments', {
      cluster: t.cluster, service: t.service, status: FAILED_DEPLOYMENT_STATUSES, maxResults: 1,
    }, outputs(
      ['DeploymentArn', '$.serviceDeployments[0].serviceDeploymentArn', 'String'],
      ['Status', '$.serviceDeployments[0].status', 'String'],
      ['StatusReason', '$.serviceDeployments[0].statusReason', 'String'],
    )),
    call(`DescribeFailedDeployment${s}`, 'aws:executeAwsApi', 'ecs', 'DescribeServiceDeployments', {
      serviceDeploymentArns: [`{{LastFailedDeployment${s}.DeploymentArn}}`],
    }, {
      ...outputs(
        ['LifecycleStage', '$.serviceDeployments[0].lifecycleStage', 'String'],
        ['CircuitBreakerFailures', '$.serviceDeployments[0].deploymentCircuitBreaker.failureCount', 'Integer'],
        ['TriggeredAlarms', '$.serviceDeployments[0].alarms.triggeredAlarmNames', 'StringList'],
        ['RollbackReason', '$.serviceDeployments[0].rollback.reason', 'String'],
      ),
      ...MAY_FIND_NOTHING,
    }),
  ];
}

/**
 * The script of Diagnose's traffic step (Python 3.11, the boto3 of SSM Automation). ECS moves a
 * blue/green service's traffic by the weights of its listener rules, and does not check the live
 * weights before it shifts (containers-roadmap 2853): weights changed behind its back can leave
 * production traffic on a target group without healthy targets. For each rule ECS moves (the
 * production and test rules of the service's load balancers), it reads the weights of the forward
 * action and the healthy targets of each target group, one line per rule, and one line for each
 * target group that gets traffic (weight above 0) without a healthy target. No `{{` in it: SSM
 * would read a variable there.
 */
const TRAFFIC_SCRIPT = `import boto3


def handler(events, context):
    ecs = boto3.client('ecs')
    elbv2 = boto3.client('elbv2')
    service = ecs.describe_services(cluster=events['Cluster'], services=[events['Service']])['services'][0]
    routes = []
    for balancer in service.get('loadBalancers', []):
        routing = balancer.get('advancedConfiguration') or {}
        for listener, rule in (('production', routing.get('productionListenerRule')), ('test', routing.get('testListenerRule'))):
            if rule:
                routes.append((listener, rule))
    if not routes:
        return {
            'Verdict': 'No listener rule that ECS moves: the service deploys rolling, and its listeners forward to its target group (see its target health).',
            'Rules': [],
            'WithoutHealthyTargets': [],
        }
    rules = {r['RuleArn']: r for r in elbv2.describe_rules(RuleArns=[rule for _, rule in routes])['Rules']}
    counts = {}

    def healthy(group):
        if group not in counts:
            states = [d['TargetHealth']['State'] for d in elbv2.describe_target_health(TargetGroupArn=group)['TargetHealthDescriptions']]
            counts[group] = (states.count('healthy'), len(states))
        return counts[group]

    lines, unserved = [], []
    for listener, rule in routes:
        rule_name = rule.split(':')[-1]
        weights = []
        for action in rules[rule]['Actions']:
            if action['Type'] == 'forward':
                forward = action.get('ForwardConfig')
                groups = forward['TargetGroups'] if forward else [{'TargetGroupArn': action['TargetGroupArn'], 'Weight': 1}]
                weights += [(group['TargetGroupArn'], group.get('Weight', 1)) for group in groups]
        parts = []
        for group, weight in weights:
            count, total = healthy(group)
            group_name = group.split(':')[-1]
            parts.append(f'weight {weight} to {group_name} ({count} healthy of {total} targets)')
            if weight > 0 and count == 0:
                unserved.append(f'{listener.upper()} TRAFFIC GOES TO A TARGET GROUP WITHOUT HEALTHY TARGETS: the {listener} rule {rule_name} sends weight {weight} to {group_name}, which has {total} targets and none healthy.')
        lines.append(f'{listener} rule {rule_name}: ' + ('; '.join(parts) or 'forwards to no target group'))
    production = [line for line in unserved if line.startswith('PRODUCTION')]
    if production:
        verdict = ' '.join(production)
    elif unserved:
        verdict = 'Production traffic goes only to target groups with healthy targets; test traffic does not: ' + ' '.join(unserved)
    else:
        verdict = 'Every target group with traffic (weight above 0) has healthy targets.'
    return {'Verdict': verdict, 'Rules': lines, 'WithoutHealthyTargets': unserved}
`;

/**
 * Diagnose's traffic step: the live weights of the listener rules ECS moves between the service's
 * target groups, against each one's healthy targets, and a plain verdict. A rolling service has no
 * such rule, which it says. It may fail (a rule deleted by hand) without failing the run.
 */
function trafficStep(t: RunbookTarget): Step {
  return {
    name: `Traffic${t.stepName}`,
    action: 'aws:executeScript',
    inputs: { Runtime: 'python3.11', Handler: 'handler', Script: TRAFFIC_SCRIPT, InputPayload: { Cluster: t.cluster, Service: t.service } },
    ...outputs(
      ['Verdict', '$.Payload.Verdict', 'String'],
      ['Rules', '$.Payload.Rules', 'StringList'],
      ['WithoutHealthyTargets', '$.Payload.WithoutHealthyTargets', 'StringList'],
    ),
    ...MAY_FIND_NOTHING,
  };
}

/** `Step.Output` of every output of `steps`, for a document's outputs list. */
export function stepOutputs(steps: Step[]): string[] {
  return steps.flatMap((step) => ((step.outputs as Array<{ Name: string }> | undefined) ?? []).map((o) => `${step.name}.${o.Name}`));
}

/** What the failover documents know of a DocumentDB global cluster. */
export interface GlobalDatabase {
  readonly globalClusterIdentifier: string;
  readonly primaryClusterArn: string;
  readonly secondaryClusterArn: string;
}

/**
 * The script that waits until a global cluster's writer is `Writer` (a cluster's ARN) and the
 * global cluster is available with no failover under way: a failover or switchover promotes the
 * target within minutes, and SSM's wait steps cannot pick a member of a list by its ARN.
 */
const WRITER_SCRIPT = `import time

import boto3


def handler(events, context):
    docdb = boto3.client('docdb')
    deadline = time.time() + 540
    while True:
        cluster = docdb.describe_global_clusters(GlobalClusterIdentifier=events['GlobalClusterIdentifier'])['GlobalClusters'][0]
        writers = [m['DBClusterArn'] for m in cluster.get('GlobalClusterMembers', []) if m.get('IsWriter')]
        done = cluster.get('Status') == 'available' and 'FailoverState' not in cluster and writers == [events['Writer']]
        if done or time.time() > deadline:
            break
        time.sleep(10)
    state = f"global cluster {cluster.get('Status')}, writer {', '.join(writers) or 'none'}"
    if not done:
        raise Exception(f"{events['Writer']} is not the writer after 9 minutes: {state}")
    return {'Writer': state}
`;

/**
 * Makes `writer` (a cluster's ARN) the global cluster's writer, and waits until it writes. With
 * `allowDataLoss` (Failover, the primary's region down) DocumentDB promotes it at once, losing
 * the writes not yet replicated; without (Switchover, Failback, both regions up) it first
 * replicates every write, and fails if the current writer cannot be reached.
 */
export function databaseWriterSteps(name: string, database: GlobalDatabase, writer: string, allowDataLoss: boolean): Step[] {
  const target = { GlobalClusterIdentifier: database.globalClusterIdentifier, TargetDbClusterIdentifier: writer };
  return [
    allowDataLoss
      ? call(name, 'aws:executeAwsApi', 'docdb', 'FailoverGlobalCluster', { ...target, AllowDataLoss: true })
      : call(name, 'aws:executeAwsApi', 'docdb', 'SwitchoverGlobalCluster', target),
    {
      name: `WaitFor${name}`,
      action: 'aws:executeScript',
      timeoutSeconds: 600,
      inputs: {
        Runtime: 'python3.11',
        Handler: 'handler',
        Script: WRITER_SCRIPT,
        InputPayload: { GlobalClusterIdentifier: database.globalClusterIdentifier, Writer: writer },
      },
      ...outputs(['Writer', '$.Payload.Writer', 'String']),
    },
  ];
}
