import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/**
 * Sizing of the two services, each value over the environment's preset.
 */
export interface SizingOptions {
  /**
   * PyFIDO sizing.
   *
   * @default - the environment's preset: 256 CPU / 512 MiB / 1 task (dev), 512 / 1024 / 2 with up
   * to 4 (staging), 1024 / 2048 / 3 with up to 6 (prod)
   */
  readonly pyFido?: ServiceSizing;

  /**
   * Tomcat sizing.
   *
   * @default - the environment's preset: 256 CPU / 1024 MiB / 1 task (dev), 512 / 1024 / 2 with
   * up to 4 (staging), 1024 / 2048 / 3 with up to 6 (prod)
   */
  readonly tomcat?: ServiceSizing;

  /**
   * Hours in which the services run; outside them both scale to zero tasks, and they are back
   * (at their `minCapacity`, or `desiredCount` without autoscaling) `wakeAhead` before the hours
   * start. For dev and staging: a FIDO2 server that sleeps refuses sign-ins, so prod refuses it.
   *
   * The Stop runbook holds the services at zero through the schedule (it suspends scheduled
   * scaling), and Start resumes the schedule with the services.
   *
   * @default - the services run around the clock
   */
  readonly officeHours?: OfficeHours;

  /**
   * Run each service at this many tasks while the deployment stands by as the SECONDARY of a
   * failover pair (`domain.failover`): 1 or more is a warm standby, which serves as soon as DNS
   * fails over; 0 is pilot light, which serves once the Start runbook (or your failover) has
   * raised the services to their sizing. The services keep their `maxCapacity`, and the Start
   * runbook raises them to their `desiredCount` and `minCapacity`. Refused beside schedules and
   * office hours, which would move the standby's bounds.
   *
   * @default - no standby: the services run at their sizing
   */
  readonly standbyTasks?: number;
}

/**
 * Hours in which the services of a dev or staging deployment run, on the same days each week.
 */
export interface OfficeHours {
  /**
   * When the hours start, as `HH:MM` on a 24-hour clock, in `timeZone`.
   */
  readonly start: string;

  /**
   * When the hours end and the services scale to zero, as `HH:MM`, later than `start` on the
   * same day.
   */
  readonly end: string;

  /**
   * Days the hours apply to, as a cron day-of-week field: `MON-FRI`, `MON,WED,FRI`, `*`.
   *
   * @default 'MON-FRI'
   */
  readonly weekDays?: string;

  /**
   * Time zone of `start` and `end`; scheduled scaling follows its daylight saving time.
   *
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * How long before `start` the services scale back up, so that their tasks have started and
   * passed their health checks when the hours begin. From 0 to 60 minutes, in whole minutes.
   *
   * @default Duration.minutes(15)
   */
  readonly wakeAhead?: Duration;
}

/**
 * Capacity of a service on a schedule: scheduled scaling sets the scaler's bounds at each time
 * the schedule gives, for known peaks (the first sign-ins of the working day) or quiet hours.
 */
export interface ScheduledCapacity {
  /**
   * Name of the scheduled action: letters, digits, `-` and `_`, unique among the service's.
   *
   * @default - `Schedule<n>`, its place in the list from 1
   */
  readonly name?: string;

  /**
   * When the bounds change: `Schedule.cron(...)`, `Schedule.rate(...)` or `Schedule.at(...)`.
   */
  readonly schedule: appscaling.Schedule;

  /**
   * Time zone of a cron or `at` schedule.
   *
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * The scaler's fewest tasks from then on. At least one of `minCapacity` and `maxCapacity`.
   *
   * @default - unchanged
   */
  readonly minCapacity?: number;

  /**
   * The scaler's most tasks from then on.
   *
   * @default - unchanged
   */
  readonly maxCapacity?: number;
}

/**
 * How a predictive scaling policy acts on its forecast of the service's CPU load.
 */
export enum PredictiveScalingMode {
  /** Forecasts only, to compare with the load before it scales anything. */
  FORECAST_ONLY = 'ForecastOnly',
  /** Forecasts, and raises the task count ahead of the forecast load. */
  FORECAST_AND_SCALE = 'ForecastAndScale',
}

/**
 * Options of the two services.
 */
export interface ServicesOptions {
  /**
   * Options of the PyFIDO service.
   *
   * @default - the deployment's defaults
   */
  readonly pyFido?: FidoServiceOptions;

  /**
   * Options of the Tomcat service.
   *
   * @default - the deployment's defaults
   */
  readonly tomcat?: FidoServiceOptions;
}

/**
 * Size and task count of one Fargate service. In a deployment, every value left out comes from
 * the environment's preset.
 *
 * Fargate accepts these CPU / memory pairs: 256 CPU with 512, 1024 or 2048 MiB; 512 with 1024 to
 * 4096 MiB; 1024 with 2048 to 8192 MiB; 2048 with 4096 to 16384 MiB; 4096 with 8192 to 30720 MiB
 * (all in 1024 MiB steps); 8192 with 16384 to 61440 MiB in 4096 MiB steps; 16384 with 32768 to
 * 122880 MiB in 8192 MiB steps.
 */
export interface ServiceSizing {
  /**
   * CPU units of each task (1024 = 1 vCPU).
   *
   * @default - PyFIDO: 256 (dev), 512 (staging), 1024 (prod); Tomcat: 256, 512, 1024; 256 outside a deployment
   */
  readonly cpu?: number;

  /**
   * Memory of each task, in MiB. Must suit `cpu` (see the table above).
   *
   * @default - PyFIDO: 512 (dev), 1024 (staging), 2048 (prod); Tomcat: 1024, 1024, 2048; 512 outside a deployment
   */
  readonly memoryLimitMiB?: number;

  /**
   * Number of tasks to run. With autoscaling (`maxCapacity` above `minCapacity`) this is only
   * the count a new service starts with: it is left out of the template so that a deploy never
   * resets the count the scaler chose, and the scaler raises it to `minCapacity` at once.
   * At least 1 in a deployment (which stands by at fewer through `sizing.standbyTasks`); a
   * `FidoService` on its own may be 0.
   *
   * @default - 1 (dev), 2 (staging), 3 (prod); 1 outside a deployment
   */
  readonly desiredCount?: number;

  /**
   * Fewest tasks the scaler keeps: at least 1 in a deployment, 0 or more for a `FidoService` on
   * its own.
   *
   * @default - `desiredCount`
   */
  readonly minCapacity?: number;

  /**
   * Most tasks the scaler may run. Autoscaling on CPU is on when this exceeds `minCapacity`.
   *
   * @default - 1 (dev), 4 (staging), 6 (prod); `desiredCount` (no autoscaling) outside a
   * deployment; never below `desiredCount`
   */
  readonly maxCapacity?: number;

  /**
   * Average CPU utilization, in percent, that target tracking keeps the service at.
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Run the tasks on Fargate Spot, about 70% cheaper than on-demand Fargate. AWS may reclaim a
   * Spot task with two minutes' notice, and ECS then starts a replacement: fine for dev, not for
   * an authentication service that must stay up.
   *
   * @default - true in dev, false in staging and prod; false outside a deployment
   */
  readonly spot?: boolean;

  /**
   * CPU architecture of the tasks. Graviton (`ARM64`) costs 20% less per vCPU-hour and GB-hour,
   * but the images must be built for arm64 (or multi-arch).
   *
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Average memory utilization, in percent, that target tracking keeps the service at, beside
   * CPU: the service scales out when any policy asks, and in only when all allow. A JVM (Tomcat)
   * reserves its heap at start, so its memory says little about its load: prefer requests.
   *
   * @default - no scaling on memory
   */
  readonly targetMemoryUtilizationPercent?: number;

  /**
   * Requests per task per minute (the load balancer's `RequestCountPerTarget`) that target
   * tracking keeps the service at, beside CPU. A login storm raises it in proportion at once,
   * where CPU stops at 100% and takes several rounds to scale: measure what one task serves at
   * the CPU target, and give that. Only for the rolling strategy: blue/green moves production
   * between two target groups, and the policy reads one.
   *
   * @default - no scaling on requests
   */
  readonly targetRequestsPerTarget?: number;

  /**
   * How long after a scale-out the scaler waits before it scales out again on the same policy.
   *
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * How long after a scaling activity the scaler waits before it scales in.
   *
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Capacity on a schedule: each entry sets the scaler's bounds at its times. The service gets a
   * scaler even if its bounds do not differ.
   *
   * @default - none
   */
  readonly schedules?: ScheduledCapacity[];

  /**
   * Predictive scaling on CPU, beside target tracking: Application Auto Scaling forecasts the
   * load from the last 14 days (it needs 24 hours of it) and raises the task count ahead of a
   * daily peak. Start with `FORECAST_ONLY` and compare the forecast with the load.
   *
   * @default - no predictive scaling
   */
  readonly predictiveScaling?: PredictiveScalingMode;
}

/**
 * What a user may change about one of the deployment's services.
 */
export interface FidoServiceOptions {
  /**
   * Plain environment variables for the container, added to (and overriding) the ones the
   * deployment sets. Never put a secret here: use `secrets`.
   *
   * @default - only the deployment's own variables
   */
  readonly environment?: { [key: string]: string };

  /**
   * Secrets for the container, injected by ECS from Secrets Manager or SSM Parameter Store at task
   * start; the task execution role is granted read access.
   *
   * @default - only the deployment's own secrets (MongoDB and application secret)
   */
  readonly secrets?: { [key: string]: ecs.Secret };

  /**
   * Health check of the service's target group, merged over the defaults.
   *
   * @default - PyFIDO: path `/health`, healthy HTTP code 200; Tomcat: path `/`, healthy HTTP codes
   * 200-399 (a Tomcat root usually answers with a 302 redirect); both: interval 30 s, healthy
   * threshold 2
   */
  readonly healthCheck?: elbv2.HealthCheck;

  /**
   * Protocol between the load balancer and the container. TLS from clients ends at the load
   * balancer; choose HTTPS only when the image itself serves TLS on its port.
   *
   * @default elbv2.ApplicationProtocol.HTTP
   */
  readonly targetProtocol?: elbv2.ApplicationProtocol;

  /**
   * How long the load balancer lets in-flight requests finish before a stopping task is removed.
   * Every rolling deployment waits this long once, after the new tasks are healthy: the ALB's
   * 300 s default would make a deployment take 420 s. FIDO2 registration and login requests
   * finish in well under a second, so 30 s drains them with a wide margin.
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * How long ECS ignores failing load balancer health checks after a task starts.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Mount the container's root file system read-only, so an attacker who gets code execution
   * cannot change the application or drop tools on disk. The image must then write only to
   * `writablePaths`. Off by default because a stock Tomcat writes to its `work` and `temp`
   * directories.
   *
   * @default false
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Directories that stay writable (as empty task-local volumes) when `readonlyRootFilesystem` is
   * on, e.g. `['/tmp', '/usr/local/tomcat/work', '/usr/local/tomcat/temp']` for Tomcat.
   *
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];

  /**
   * How long ECS waits after SIGTERM before it kills the container. The task is deregistered
   * (see `deregistrationDelay`) before it is stopped, so this only has to let the server close
   * its connections and flush its logs (2 to 120 s).
   *
   * @default Duration.seconds(30)
   */
  readonly stopTimeout?: Duration;

  /**
   * Roll a deployment back when its target group reports 5xx responses from the targets (10 or
   * more in each of 2 consecutive minutes) or unhealthy targets (in 2 consecutive minutes), next
   * to the circuit breaker, which only sees tasks that fail to start or to pass health checks.
   *
   * @default true
   */
  readonly deploymentAlarms?: boolean;

  /**
   * Allow ECS Exec (`aws ecs execute-command`) into the service's containers, for troubleshooting.
   * In a deployment, every session's input and output is logged to the log group
   * `/ecs/<applicationName>/<environment>/exec` (with the logs' retention and key), and sessions
   * are encrypted with the deployment's key when `encryption.customerManagedKey` is on. Off by
   * default: a shell in a production container is a privilege to grant on purpose.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * How ECS replaces the service's tasks with a new revision: rolling (the guide's way), or
   * blue/green, linear or canary, which first prove the new revision through a test listener.
   *
   * @default - rolling: 100% of the tasks stay healthy, up to 200% run, the circuit breaker rolls back
   */
  readonly deployment?: ServiceDeploymentOptions;
}

/**
 * One request the blue/green deployment check sends to the new revision through the test
 * listener, besides the service's own health check path.
 */
export interface DeploymentCheck {
  /**
   * Path of the request, starting with `/`, e.g. `/api/status`.
   */
  readonly path: string;

  /**
   * Status codes that pass, in the load balancer's matcher syntax: codes and ranges separated by
   * commas, e.g. `200`, `200,302` or `200-399`. Redirects are not followed.
   *
   * @default '200-399'
   */
  readonly expectedStatusCodes?: string;
}

/**
 * How ECS deploys a new revision of one service.
 *
 * With `BLUE_GREEN`, `LINEAR` or `CANARY`, ECS starts the new (green) revision beside the running
 * (blue) one and registers it in an alternate target group. It moves a test listener's traffic to
 * it first; a function the library ships then calls the service through that test listener (the
 * health check path, and every `checks` entry) and fails the deployment on any wrong answer, so
 * ECS rolls back before any user's request reaches the new revision. Then ECS moves production
 * traffic (all at once, in linear steps, or a canary step first), keeps the blue revision for
 * `bakeTime`, during which the deployment alarms still roll back, and stops it.
 *
 * It costs double the service's tasks while both revisions run, a second target group per
 * listener, and one test listener port, which admits only the check and `testIngress`.
 */
export interface ServiceDeploymentOptions {
  /**
   * The deployment strategy.
   *
   * @default ecs.DeploymentStrategy.ROLLING
   */
  readonly strategy?: ecs.DeploymentStrategy;

  /**
   * How long both revisions keep running after production traffic has moved, so that a rollback
   * only moves traffic back (0 to 1440 minutes). Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;

  /**
   * The steps of a `LINEAR` or `CANARY` deployment: the share of production traffic moved per
   * step (linear: 3 to 100 percent; canary: the first step, 0.1 to 100 percent) and the wait
   * after each step (0 to 1440 minutes).
   *
   * @default - ECS's: linear 10 percent every 6 minutes, canary 5 percent for 10 minutes
   */
  readonly trafficShift?: ecs.TrafficShiftConfig;

  /**
   * Port of the HTTPS test listener through which the new revision is checked before it gets
   * production traffic. Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default - 9001 for PyFIDO, 9443 for Tomcat
   */
  readonly testPort?: number;

  /**
   * Testers admitted to the test listener besides the deployment check.
   *
   * During a deployment the test listener serves the new revision before it is checked, and
   * outside one it is a second way into the service, so it admits only the check unless testers
   * are named here: IPv4 ranges (such as the testers' office, `ec2.Peer.ipv4('203.0.113.0/24')`),
   * prefix lists or security groups; the load balancer is IPv4-only. Only with `BLUE_GREEN`,
   * `LINEAR` or `CANARY`.
   *
   * @default - only the deployment check (its security group), not `network.allowedIngress`
   */
  readonly testIngress?: ec2.IPeer[];

  /**
   * Requests the deployment check sends through the test listener besides the service's health
   * check path (PyFIDO `/health`, Tomcat `/`, with the health check's codes), each tried up to 3
   * times with a 5 s timeout. Only with `BLUE_GREEN`, `LINEAR` or `CANARY`.
   *
   * @default - only the health check path
   */
  readonly checks?: DeploymentCheck[];
}
