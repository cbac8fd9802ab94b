import { Duration, Environment, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { ArculusFidoStack } from './arculus-fido-stack';
import { DeploymentEnvironment } from './deployment-environment';
import { ArculusFidoDeploymentProps } from './options';
import { MongoDbConnection } from '../data/mongodb-connection';
import { DocumentDbOptions } from '../data/options';
import { NetworkOptions } from '../network/options';
import { handToSecondary, PrimaryInSecondary, primaryInSecondary, SecondaryLink, secondaryLink } from '../private/account-pair';
import { allowReplicaPuts, checkGlobalOptions, NO_GLOBAL_CLUSTERS } from '../private/documentdb';
import { checkHealthCheckTiming, DEFAULT_FAILURE_THRESHOLD, DEFAULT_HEALTH_CHECK_INTERVAL, failoverRecords, ResolvedFailover } from '../private/failover';
import { DEFAULT_APPLICATION_NAME, deploymentNames } from '../private/names';
import { metricNamesOf, pairDashboard, RegionMetricNames } from '../private/pair-dashboard';
import { PRESETS } from '../private/presets';
import { regionOf } from '../private/region';
import { sanitize, struct } from '../private/schema';
import { ProblemList, show } from '../private/validation';
import { zoneRecordWriter } from '../private/zone-records';

/** The feature flag of aws-cdk-lib that picks how stacks reference each other's values. */
const CROSS_STACK_REFERENCES_FLAG = '@aws-cdk/core:defaultCrossStackReferences';

/**
 * Where one region of a pair deploys.
 */
export interface PairRegionOptions {
  /**
   * Account and region of the region's stack. The region must be given, and known at synth:
   * the two regions' records, checks and names depend on it. The two regions' accounts may
   * differ (see `ArculusFidoRegionPair` for what the pair then builds, and what it needs).
   */
  readonly env: Environment;

  /**
   * Name of the region's stack.
   *
   * @default - `<id>-primary` or `<id>-secondary`, `<id>` being the pair's construct ID
   */
  readonly stackName?: string;
}

/**
 * The secondary region of a pair: where it deploys, and what it has of its own.
 */
export interface SecondaryRegionOptions extends PairRegionOptions {
  /**
   * The MongoDB the secondary region's services connect to: the secondary's endpoint of a
   * MongoDB Atlas cluster with nodes in both regions, or of your own replica set (see
   * docs/failover.md for what each side of the replication needs).
   *
   * @default - with `deployment.mongoDb` a `MongoDbConnection.documentDb()`, a secondary cluster
   * of the same size in this region, joined to a global cluster made from the primary's
   * (`documentDbSecondary()`); required otherwise
   */
  readonly mongoDb?: MongoDbConnection;

  /**
   * Certificate of the domain in the secondary region: ACM certificates serve only the load
   * balancers of their own region.
   *
   * @default - a DNS-validated certificate created in the secondary region, in the deployment's
   * `domain.hostedZone` (`deployment.domain.certificate` is the primary's alone); required with
   * `deployment.domain.hostedZoneRole`, a zone of another account
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The secondary region's network, in place of `deployment.network`.
   *
   * @default - `deployment.network`; a VPC given there belongs to the primary region, so with one
   * the secondary needs its own here
   */
  readonly network?: NetworkOptions;

  /**
   * Tasks each service runs while the secondary stands by: 1 or more is a warm standby, which
   * serves the moment DNS fails over; 0 is pilot light, cheaper, which serves once the Start
   * runbook has raised the services to their sizing (Route 53 keeps answering with the primary
   * while neither region passes its checks).
   *
   * @default 1
   */
  readonly standbyTasks?: number;
}

/**
 * Props of `ArculusFidoRegionPair`.
 */
export interface ArculusFidoRegionPairProps {
  /**
   * The deployment both regions run: the primary's as given, the secondary's with the
   * `secondary` options in place of its own. `domain.hostedZone` is required (it holds the
   * failover records), and `domain.failover` and `sizing.standbyTasks` are the pair's to set.
   * With the secondary in another account, `domain.certificate` (the primary's) is required too,
   * and so are customer-managed keys (`encryption.customerManagedKey`, on in prod, or
   * `secrets.encryptionKey`).
   */
  readonly deployment: ArculusFidoDeploymentProps;

  /** The primary region, which serves while its health checks pass. */
  readonly primary: PairRegionOptions;

  /** The secondary region, which serves when the primary's checks fail. */
  readonly secondary: SecondaryRegionOptions;

  /**
   * How often Route 53's checkers request each region's load balancer: 10 or 30 seconds.
   *
   * @default Duration.seconds(10)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * Failed checks in a row before Route 53 calls a region down: 1 to 10.
   *
   * @default 3
   */
  readonly failureThreshold?: number;
}

/**
 * The Arculus FIDO2 server in two regions, with DNS failover between them: the whole deployment
 * in each region's own `ArculusFidoStack` (`primary` and `secondary`, deployed together with
 * `cdk deploy --all`), each with a certificate of its own and a Route 53 failover alias record
 * of the domain, answered while HTTPS health checks of that region's load balancer (Tomcat on
 * 443, PyFIDO on 5001) pass. The secondary stands by at `secondary.standbyTasks` per service.
 *
 * Both regions read one application secret: the primary's, replicated to the secondary's region
 * and rotated in the primary, whose changes redeploy both (see `secrets.replicaOf`).
 *
 * With `deployment.mongoDb` a `MongoDbConnection.documentDb()`, the primary's cluster becomes a
 * DocumentDB global cluster and the secondary region gets a cluster of the same size joined to it
 * (read-only until the Failover runbook promotes it); its services read the master secret's
 * replica. Otherwise give the secondary's own endpoint in `secondary.mongoDb`.
 *
 * Each region's stack holds everything of its region, the record and its checks included (with
 * `deployment.domain.hostedZoneRole`, a zone of another account, each region writes its record
 * there through that role, and each needs an imported certificate). The stacks share only the
 * application secret's ARN and the replica's key, through aws-cdk-lib's cross-region references,
 * which each stack reads from its own region: one region deploys while the other is down. Put the
 * pair in an App or a Stage, not in a stack.
 *
 * The secondary may deploy to another account than the primary (its `env.account`), where
 * aws-cdk-lib's references do not reach. Then every Route 53 object of the pair is the
 * secondary's account's: both regions' health checks and failover records, written in the zone
 * (of that account, or of a third through `deployment.domain.hostedZoneRole`, which must trust
 * the secondary's account), so that its runbooks and dashboard act on checks of their own
 * account. The primary's stack writes nothing in the zone, and needs `deployment.domain.certificate`.
 * A stack `<secondary stack name>-link` in the secondary's account, deployed first, holds a role
 * through which the primary's stack writes what the secondary reads into SSM parameters of the
 * secondary's account and region: its load balancer's names, and the ARNs of the application
 * secret's replica and its key. The replica stays in the primary's account, under a key there
 * (`secondaryKey`), and the secondary's account may read it (`secrets.applicationSecretReaderAccounts`);
 * the secret's changes are forwarded to that account's default event bus, which lets the
 * primary's account put them. DocumentDB global clusters join clusters of one account only: give
 * `secondary.mongoDb`. The pair's dashboard shows the primary's metrics as its account's, by
 * names the primary hands over too: they show once the secondary's account monitors the
 * primary's (CloudWatch cross-account observability).
 */
export class ArculusFidoRegionPair extends Construct {
  /** The primary region's stack. */
  public readonly primary: ArculusFidoStack;

  /** The secondary region's stack. */
  public readonly secondary: ArculusFidoStack;

  /**
   * The key of the secondary region that encrypts its secrets, the application secret's replica
   * among them (and, on DocumentDB, the master secret's replica and the secondary cluster), where
   * the deployment uses customer-managed keys (`encryption.customerManagedKey`,
   * on in prod, or a given `secrets.encryptionKey`). It lives in a stack of its own,
   * `<secondary stack name>-keys`, deployed before both regions' stacks: the primary replicates
   * with it, the secondary reads with it. With the secondary in another account, the key is the
   * primary's account's (the replica is), in the secondary's region, and encrypts the replica only.
   *
   * @default - none: the replica is encrypted with the secondary region's AWS managed key
   */
  public readonly secondaryKey?: kms.Key;

  /**
   * The dashboard of both regions, `<dashboard name>-pair`, in the secondary's stack: each
   * region's Route 53 check, requests, 5xx answers and running tasks, side by side (a primary of
   * another account's as that account's metrics).
   *
   * @default - none: `deployment.monitoring.dashboard` is false
   */
  public readonly dashboard?: cloudwatch.Dashboard;

  /**
   * The primary region's health check, which its failover record is answered by and the
   * secondary's runbooks invert: the calculated check of Tomcat's and PyFIDO's. It is in the
   * primary's stack (`primary.deployment.failover.healthCheck`), or in the secondary's when that
   * is of another account, where every Route 53 object of the pair is.
   */
  public readonly primaryHealthCheck: route53.IHealthCheck;

  /**
   * With the secondary in another account: the stack `<secondary stack name>-link` of that account
   * and the secondary's region, deployed before the others, holding the role through which the
   * primary's stack writes what the secondary reads, and the default event bus's permission for
   * the primary's account to forward the application secret's changes.
   *
   * @default - none: both regions deploy to one account
   */
  public readonly secondaryLink?: Stack;

  constructor(scope: Construct, id: string, props: ArculusFidoRegionPairProps) {
    super(scope, id);
    const problems = new ProblemList();
    const given: ArculusFidoRegionPairProps = sanitize(problems, '', props, struct('ArculusFidoRegionPairProps', { required: true })) ?? {};
    checkPair(problems, this, given);
    problems.throwIfAny(this, 'ArculusFidoRegionPair');

    // A region deploys while the other is down only if it reads what the stacks share from its
    // own region: strong cross-region references (SSM parameters written into the reader's region),
    // not weak ones (Fn::GetStackOutput, read from the other region), which cdk init's flags pick.
    this.node.setContext(CROSS_STACK_REFERENCES_FLAG, 'strong');
    const { deployment, primary, secondary } = given;
    const accounts = twoAccounts(given);
    // A DocumentDB cluster of the deployment's own becomes global, and the secondary's joins it.
    const documentDb = secondary.mongoDb ? undefined : deployment.mongoDb?._documentDbOptions();
    const secrets = deployment.secrets ?? {};
    const secondaryStackName = secondary.stackName ?? `${id}-secondary`;
    // An environment that is not one is the stacks' to report.
    const preset = PRESETS[deployment.deploymentEnvironment ?? DeploymentEnvironment.DEV] ?? PRESETS[DeploymentEnvironment.DEV];
    if (secrets.encryptionKey || (deployment.encryption?.customerManagedKey ?? preset.customerManagedKey)) {
      // The replica is the primary's account's: its key too, in the secondary's region.
      const env = accounts ? { account: accounts.primary, region: secondary.env.region } : secondary.env;
      const keyStack = new Stack(this, 'SecondaryKeys', { env, stackName: `${secondaryStackName}-keys`, crossRegionReferences: true });
      this.secondaryKey = new kms.Key(keyStack, 'SecretEncryptionKey', {
        description: `Arculus FIDO ${deployment.deploymentEnvironment}: the secondary region's secrets, the application secret's replica among them${documentDb ? ', and its DocumentDB cluster' : ''}`,
        enableKeyRotation: true,
        removalPolicy: preset.removalPolicy,
      });
    }
    if (documentDb && this.secondaryKey && documentDb.rotatePassword !== false) {
      allowReplicaPuts(this.secondaryKey, primary.env.region!);
    }
    const link = accounts && secondaryLink(this, {
      env: { account: accounts.secondary, region: secondary.env.region! }, secondaryStackName, primaryAccount: accounts.primary,
    });
    this.primary = this.addPrimary(given, documentDb, accounts);
    // Dashboards are global to the account: the secondary's and the pair's are named apart.
    const prefix = deploymentNames(deployment.applicationName ?? DEFAULT_APPLICATION_NAME, deployment.deploymentEnvironment).cluster;
    const dashboardName = deployment.monitoring?.dashboardName ?? prefix;
    // With the secondary in another account, what it knows of the primary (the secret's replica
    // and key, read from the link's parameters, and the primary's check) must be constructs of the
    // secondary's stack, which exists only once its constructor runs: the props below hand them
    // over through getters, which the deployment reads there, and `once` makes them one time.
    const fromPrimary = link && once(() => primaryInSecondary(this.node.findChild('Secondary') as Stack, {
      link,
      primaryRegion: primary.env.region!,
      failover: this.failover(given, route53.Failover.PRIMARY),
      endpoints: this.primary.deployment._failoverEndpoints,
      clusterName: prefix,
    }));
    this.secondary = new ArculusFidoStack(this, 'Secondary', {
      ...deployment,
      env: secondary.env,
      stackName: secondaryStackName,
      crossRegionReferences: true,
      secrets: fromPrimary
        // The primary's application secret, through its replica here, which this account may read.
        ? { get applicationSecret() { return fromPrimary().applicationSecret; } }
        // The primary's application secret, through its replica here: rotated there, read here.
        : { encryptionKey: this.secondaryKey, replicaOf: this.primary.deployment.dataLayer },
      mongoDb: secondary.mongoDb ?? MongoDbConnection.documentDbSecondary({
        primary: this.primary.deployment.dataLayer,
        instanceType: documentDb?.instanceType,
        instances: documentDb?.instances,
        backupRetention: documentDb?.backupRetention,
        removalPolicy: documentDb?.removalPolicy,
      }),
      network: secondary.network ?? deployment.network,
      domain: {
        ...deployment.domain,
        certificate: secondary.certificate,
        failover: fromPrimary
          ? { ...this.failover(given, route53.Failover.SECONDARY), get primaryHealthCheck() { return fromPrimary().healthCheck; } }
          : { ...this.failover(given, route53.Failover.SECONDARY), primaryHealthCheck: this.primary.deployment.failover?.healthCheck },
      },
      sizing: { ...deployment.sizing, standbyTasks: secondary.standbyTasks ?? 1 },
      monitoring: { ...deployment.monitoring, dashboardName: `${dashboardName}-${secondary.env.region}` },
    });
    this.secondaryLink = link?.stack;
    if (link && fromPrimary && accounts) {
      this.linkAccounts(given, link, fromPrimary(), { ...accounts, prefix });
    }
    this.primaryHealthCheck = fromPrimary?.().healthCheck ?? this.primary.deployment.failover!.healthCheck;
    if (deployment.monitoring?.dashboard !== false) {
      this.dashboard = this.addDashboard(given, `${dashboardName}-pair`, prefix, accounts && fromPrimary?.().metricNames);
    }
  }

  /**
   * The pair's dashboard, in the secondary's stack, which may read the primary's names: it deploys
   * after it, and with the secondary in another account (`primaryNames`, the primary's metric names
   * handed over) reads them from the link and shows its metrics as that account's.
   */
  private addDashboard(
    given: ArculusFidoRegionPairProps, dashboardName: string, prefix: string, primaryNames?: RegionMetricNames,
  ): cloudwatch.Dashboard {
    const region = (role: 'primary' | 'secondary') => ({ role, region: given[role].env.region! });
    return pairDashboard(this.secondary, 'PairDashboard', {
      dashboardName,
      regions: [
        {
          ...region('primary'),
          healthCheck: this.primaryHealthCheck,
          account: primaryNames && this.primary.account,
          names: primaryNames ?? metricNamesOf(this.primary.deployment),
        },
        { ...region('secondary'), healthCheck: this.secondary.deployment.failover?.healthCheck, names: metricNamesOf(this.secondary.deployment) },
      ],
      runbookPrefix: this.secondary.deployment.runbooks ? prefix : undefined,
    });
  }

  /**
   * The primary region's stack: with the secondary in the same account, its failover record and
   * checks; in another, none (the secondary's account makes them), and the application secret
   * readable by that account.
   */
  private addPrimary(
    given: ArculusFidoRegionPairProps, documentDb: DocumentDbOptions | undefined, accounts: TwoAccounts | undefined,
  ): ArculusFidoStack {
    const { deployment, primary, secondary } = given;
    const secrets = deployment.secrets ?? {};
    const readers = secrets.applicationSecretReaderAccounts ?? [];
    return new ArculusFidoStack(this, 'Primary', {
      ...deployment,
      mongoDb: documentDb
        ? MongoDbConnection.documentDb({ ...documentDb, secondaryRegions: [{ region: secondary.env.region!, encryptionKey: this.secondaryKey }] })
        : deployment.mongoDb,
      env: primary.env,
      stackName: primary.stackName ?? `${this.node.id}-primary`,
      crossRegionReferences: true,
      domain: accounts
        ? { ...deployment.domain, hostedZone: undefined, hostedZoneRole: undefined }
        : { ...deployment.domain, failover: this.failover(given, route53.Failover.PRIMARY) },
      secrets: secrets.applicationSecret ? secrets : {
        ...secrets,
        applicationSecretReplicaRegions: [{ region: secondary.env.region!, encryptionKey: this.secondaryKey }],
        applicationSecretReaderAccounts: accounts && !readers.includes(accounts.secondary)
          ? [...readers, accounts.secondary]
          : secrets.applicationSecretReaderAccounts,
      },
    });
  }

  /**
   * With the secondary in another account: the primary's failover records, written from the
   * secondary's stack; the values the primary hands over; the application secret's changes,
   * forwarded from the primary's account, redeploying the secondary's services; and the order
   * the stacks deploy in, which no reference between them gives.
   */
  private linkAccounts(
    given: ArculusFidoRegionPairProps, link: SecondaryLink, fromPrimary: PrimaryInSecondary, names: TwoAccounts & { prefix: string },
  ): void {
    const domain = given.deployment.domain!;
    const zone = domain.hostedZone!;
    failoverRecords(fromPrimary.scope, {
      zone,
      writeInZone: domain.hostedZoneRole && zoneRecordWriter(fromPrimary.scope, zone, domain.hostedZoneRole, this.secondary.deployment._logs),
      domainName: domain.domainName,
      setIdentifier: `${names.prefix}-primary`,
      ipv6: this.primary.deployment.loadBalancer.loadBalancer.ipAddressType === elbv2.IpAddressType.DUAL_STACK,
    }, fromPrimary.loadBalancer, route53.Failover.PRIMARY, fromPrimary.healthCheck);
    this.secondary.deployment.runbooks?.redeployOnSecretChange('RedeployOnPrimaryApplicationSecretChange', fromPrimary.sourceSecret);
    handToSecondary(this.primary.deployment, { link, secondaryAccount: names.secondary, replicaKey: this.secondaryKey! });
    // Dependencies of constructs, which aws-cdk-lib makes the stacks' (Stack.addDependency is
    // deprecated in newer releases, and addStackDependency unknown to the floor's).
    this.primary.node.addDependency(link.stack);
    this.secondary.node.addDependency(this.primary);
  }

  /** The failover of one region of the pair, as its deployment (or the secondary's account, for the primary) makes it. */
  private failover(given: ArculusFidoRegionPairProps, role: route53.Failover): ResolvedFailover {
    return {
      role,
      healthCheckInterval: given.healthCheckInterval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
      failureThreshold: given.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD,
    };
  }
}

/** The accounts of a pair whose regions deploy to two different accounts, both known at synth. */
interface TwoAccounts {
  readonly primary: string;
  readonly secondary: string;
}

/** The pair's two accounts when they differ; none when they are one, or either is not known at synth. */
function twoAccounts(props: ArculusFidoRegionPairProps): TwoAccounts | undefined {
  const [primary, secondary] = [props.primary?.env?.account, props.secondary?.env?.account];
  const known = (account: string | undefined): account is string => account !== undefined && !Token.isUnresolved(account);
  return known(primary) && known(secondary) && primary !== secondary ? { primary, secondary } : undefined;
}


/** `make`'s value, made the first time it is asked for. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => value ??= make();
}

/**
 * Checks what only the pair knows: two regions known at synth and different, a scope outside any
 * stack, a public zone both stacks can write to, what the pair sets left to it, and no resource
 * of one region given to the other.
 */
function checkPair(problems: ProblemList, pair: Construct, props: ArculusFidoRegionPairProps): void {
  if (pair.node.scopes.some((s) => Stack.isStack(s))) {
    problems.add('scope', 'is inside a stack, but the pair makes a stack per region; put it in an App or a Stage');
  }
  const regions = (['primary', 'secondary'] as const).map((role) => {
    const region = props[role]?.env?.region;
    if (region === undefined || Token.isUnresolved(region)) {
      problems.add(`${role}.env.region`, `must be a region known at synth, such as 'us-east-1', got ${region === undefined ? 'none' : show(region)}; the pair's records and names depend on it`);
      return undefined;
    }
    return region;
  });
  if (regions[0] && regions[0] === regions[1]) {
    problems.add('secondary.env.region', `is the primary's region too (${regions[0]}); a pair survives a regional outage only across two regions`);
  }
  const deployment = props.deployment ?? {};
  const zone = deployment.domain?.hostedZone;
  if (deployment.domain && !zone) {
    problems.add('deployment.domain.hostedZone', 'is required: the pair writes a failover record of domainName in it for each region');
  } else if (zone && Token.isUnresolved(zone.hostedZoneId)) {
    problems.add('deployment.domain.hostedZone', 'is a zone of one stack, which the other region\'s stack cannot refer to; import it by its ID with route53.HostedZone.fromHostedZoneAttributes()');
  }
  if (deployment.domain?.hostedZoneRole && !props.secondary?.certificate) {
    problems.add('secondary.certificate', 'is required with deployment.domain.hostedZoneRole: the zone is of another account, where CloudFormation cannot write the record that validates a new certificate; import the secondary region\'s certificate here (docs/failover.md, A zone of another account)');
  }
  checkHealthCheckTiming(problems, '', props.healthCheckInterval, props.failureThreshold);
  const accounts = twoAccounts(props);
  if (accounts) {
    checkTwoAccounts(problems, deployment, accounts);
  }
  if (deployment.domain?.failover) {
    problems.add('deployment.domain.failover', 'is set by the pair (PRIMARY and SECONDARY); give healthCheckInterval and failureThreshold on the pair instead');
  }
  for (const prop of ['applicationSecretReplicaRegions', 'replicaOf'] as const) {
    if (deployment.secrets?.[prop] !== undefined) {
      problems.add(`deployment.secrets.${prop}`, 'is set by the pair: the primary\'s application secret replicates to the secondary region, whose services read the replica; leave it out');
    }
  }
  checkDatabase(problems, deployment, props.primary, props.secondary, accounts);
  if (deployment.sizing?.standbyTasks !== undefined) {
    problems.add('deployment.sizing.standbyTasks', 'is set by the pair for the secondary region; give secondary.standbyTasks instead');
  }
  const [primaryRegion, secondaryRegion] = regions;
  if (primaryRegion) {
    refuseForeign(problems, 'deployment', deployment, primaryRegion, 'primary');
  }
  if (secondaryRegion) {
    const secondaryProps = {
      ...deployment,
      // The secondary reads the primary's application secret through its replica, with a key of its own.
      secrets: undefined,
      domain: { ...deployment.domain, certificate: props.secondary.certificate },
      network: props.secondary.network ?? deployment.network,
    };
    refuseForeign(problems, 'deployment', secondaryProps, secondaryRegion, 'secondary', props.secondary);
  }
}

/**
 * Checks what a pair of two accounts needs: the primary's certificate, which its stack cannot
 * validate in a zone it writes nothing in, and a customer-managed key and a secret of the pair's
 * own, which the secondary's account may read.
 */
function checkTwoAccounts(problems: ProblemList, deployment: ArculusFidoDeploymentProps, accounts: TwoAccounts): void {
  const other = `the secondary is in account ${accounts.secondary}`;
  if (deployment.domain && !deployment.domain.certificate) {
    problems.add('deployment.domain.certificate', `is required when ${other}: the pair's records and checks are all that account's, and the primary's stack writes nothing in the zone, so it cannot validate a new certificate there; import the primary region's certificate here (docs/failover.md, A secondary in another account)`);
  }
  if (deployment.secrets?.applicationSecret) {
    problems.add('deployment.secrets.applicationSecret', `is given, but when ${other} the pair shares the application secret it creates, through a replica that account may read; leave it out`);
  }
  const preset = PRESETS[deployment.deploymentEnvironment ?? DeploymentEnvironment.DEV];
  if (preset && !deployment.secrets?.encryptionKey && !(deployment.encryption?.customerManagedKey ?? preset.customerManagedKey)) {
    problems.add('deployment.encryption.customerManagedKey', `is off, but when ${other} that account reads the application secret's replica, which needs keys of the primary's account that let it (no account may use another's AWS managed key); turn it on (it is on in prod), or give secrets.encryptionKey`);
  }
}

/**
 * Checks the pair's databases: the secondary's given, or a global cluster made of the
 * deployment's DocumentDB cluster, whose options it must take.
 */
function checkDatabase(
  problems: ProblemList, deployment: ArculusFidoDeploymentProps,
  primary: PairRegionOptions | undefined, secondary: SecondaryRegionOptions | undefined, accounts: TwoAccounts | undefined,
): void {
  const documentDb = deployment.mongoDb?._documentDbOptions?.();
  const given = secondary?.mongoDb;
  if (!given && !documentDb && deployment.mongoDb) {
    problems.add('secondary.mongoDb', 'is required: give the secondary region\'s endpoint of your MongoDB (an Atlas cluster with nodes in both regions, or your own replica set); the pair makes the secondary\'s database only for a deployment.mongoDb of MongoDbConnection.documentDb()');
  }
  if (given?._documentDbOptions?.()) {
    problems.add('secondary.mongoDb', 'is a new DocumentDB cluster, which would start empty and follow nothing; leave it out, and with deployment.mongoDb a documentDb() the secondary\'s cluster joins a global cluster made from the primary\'s');
  }
  if (!documentDb || given) {
    return;
  }
  if (accounts) {
    problems.add('secondary.mongoDb', `is required with the secondary in account ${accounts.secondary}: a DocumentDB global cluster joins clusters of one account only, so the pair cannot make the secondary's from deployment.mongoDb; give the secondary region's endpoint of a MongoDB both accounts reach (an Atlas cluster with nodes in both regions, or your own replica set)`);
    return;
  }
  if (documentDb.secondaryRegions !== undefined) {
    problems.add('deployment.mongoDb.secondaryRegions', 'is set by the pair: the primary\'s cluster becomes a global cluster with the secondary region in it; leave it out');
  }
  checkGlobalOptions(problems, 'deployment.mongoDb', documentDb, 1);
  for (const role of ['primary', 'secondary'] as const) {
    const region = (role === 'primary' ? primary : secondary)?.env?.region;
    if (region !== undefined && NO_GLOBAL_CLUSTERS.includes(region)) {
      problems.add(`${role}.env.region`, `is ${region}, where DocumentDB has no global clusters, so the pair cannot make one of deployment.mongoDb's cluster; pick another region, or give each region a MongoDB of its own`);
    }
  }
}

/**
 * Refuses, one problem each, the resources in `value` (a struct of props, walked through its
 * structs and lists) that belong to a region other than `region`: a stack cannot use them. A
 * hosted zone or an IAM role is global. A value of `secondary` is named as `secondary.<prop>`.
 */
function refuseForeign(
  problems: ProblemList, prefix: string, value: unknown, region: string, role: 'primary' | 'secondary', secondary?: SecondaryRegionOptions,
): void {
  for (const [path, resource] of resourcesIn(value, '')) {
    const where = regionOf(resource);
    if (where === undefined || where === region || isGlobal(resource)) {
      continue;
    }
    const fromSecondary = secondary && ((path === 'domain.certificate') || (path.startsWith('network.') && secondary.network));
    const prop = fromSecondary ? `secondary.${path.replace(/^domain\./, '')}` : `${prefix}.${path}`;
    const fix = role === 'secondary' && path.startsWith('network.') && !fromSecondary
      ? 'give the secondary a network of its own in secondary.network'
      : 'give one of that region, or leave it out to have one created there';
    problems.add(prop, `is a resource of ${where}, but the ${role} region's stack deploys to ${region} and cannot use it; ${fix}`);
  }
}

/** The constructs in a struct of props, with their paths: through plain objects and lists only. */
function resourcesIn(value: unknown, path: string): Array<[string, IConstruct]> {
  if (value === null || typeof value !== 'object') {
    return [];
  }
  if (Construct.isConstruct(value)) {
    return [[path, value]];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => resourcesIn(item, `${path}[${index}]`));
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    return [];
  }
  return Object.entries(value).flatMap(([key, item]) => resourcesIn(item, path ? `${path}.${key}` : key));
}

/** A resource of no region: a hosted zone, or an IAM role (such as `domain.hostedZoneRole`). */
function isGlobal(construct: IConstruct): boolean {
  return typeof (construct as Partial<route53.IHostedZone>).hostedZoneId === 'string' || typeof (construct as Partial<iam.IRole>).roleArn === 'string';
}
