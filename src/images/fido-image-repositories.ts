import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { IFidoImageRepositories, ImageReplicationRegistry } from './options';
import { DeploymentEnvironment } from '../deployment/deployment-environment';
import { checkNames } from '../private/check-props';
import { DEFAULT_APPLICATION_NAME, deploymentNames } from '../private/names';
import { PRESETS } from '../private/presets';
import { reportBlockProblems, sanitize, struct } from '../private/schema';
import { ACCOUNT, ACCOUNT_EXPECTED, ProblemList, show } from '../private/validation';

/** Untagged images are kept this long: see `untaggedImageMaxAge`. */
const UNTAGGED_IMAGE_MAX_AGE_DAYS = 14;

/** Tagged images kept per repository: see `maxTaggedImageCount`. */
const MAX_TAGGED_IMAGE_COUNT = 100;

/**
 * Props of `FidoImageRepositories`.
 */
export interface FidoImageRepositoriesProps {
  /**
   * The environment of the deployments that pull from the repositories; picks the removal policy.
   * The repositories' names carry no environment, so the deployments of one `applicationName` in
   * one account and region share them: give the most valuable of those environments (prod, if
   * prod pulls from them).
   */
  readonly deploymentEnvironment: DeploymentEnvironment;

  /**
   * Prefix of the repositories' names, `<applicationName>/pyfido` and `<applicationName>/tomcat`:
   * the deployment's `applicationName`, whose default images are pulled from them. Lowercase
   * letters, digits and single hyphens, starting with a letter.
   *
   * @default 'arculus-auth'
   */
  readonly applicationName?: string;

  /**
   * How long an untagged image is kept after its push, in whole days. Tags are immutable, so no
   * push untags an image: untagged images are pushes by digest alone, and the per-platform
   * images of a multi-arch image whose tagged index has expired (ECR never expires an image
   * that a kept index still references). Nothing runs them; two weeks leaves time to notice and
   * tag one pushed without a tag by mistake.
   *
   * @default Duration.days(14)
   */
  readonly untaggedImageMaxAge?: Duration;

  /**
   * How many tagged images each repository keeps; the oldest pushes beyond it expire. A
   * deployment pulls its tag on every task start (a scale-out, a replaced task, a rollback), so
   * the tag a deployment runs, and the one it would roll back to, must stay among the last
   * `maxTaggedImageCount` pushes, counting the pushes for every environment that shares the
   * repositories. The default keeps months of releases, or weeks of builds pushed by CI, for a
   * few dollars a month of storage; raise it if CI pushes more often than that.
   *
   * @default 100
   */
  readonly maxTaggedImageCount?: number;

  /**
   * Key that encrypts the images. ECR creates a grant on it when it creates a repository, so its
   * key policy must let the account's principals create grants (the default key policy does).
   * Choose it before the first deploy: ECR cannot change a repository's encryption, and a named
   * repository cannot be replaced in place, so a later change fails the deploy.
   *
   * @default - the AWS managed key of ECR (aws/ecr)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the repositories, with their images, when they leave the stack. With
   * `RemovalPolicy.DESTROY` the images are deleted with them (CloudFormation deletes only an
   * empty repository); `RemovalPolicy.SNAPSHOT` does not apply.
   *
   * @default - RemovalPolicy.RETAIN in prod, RemovalPolicy.DESTROY in dev and staging
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Regions of this account that every push is copied to, by ECR's registry replication, for
   * the secondary region of an `ArculusFidoRegionPair`: its deployment pulls from the
   * repositories of its own region, which must exist there first (an `ArculusFidoImagesStack` in
   * that region makes them with the same settings; a repository ECR creates on replication has
   * ECR's defaults instead). Only the two repositories' pushes are copied (a filter on
   * `<applicationName>/`).
   *
   * ECR keeps one replication configuration per registry, so this one replaces any other of the
   * account and region: synth warns (`arculus-fido:registry-replication`); acknowledge the
   * warning once you know the registry has none of its own.
   *
   * @default - no replication
   */
  readonly replicationRegions?: string[];

  /**
   * Registries of other accounts that every push is copied to, in the same rule as
   * `replicationRegions`: for a deployment in another account that pulls from the repositories
   * of its own registry. Each destination registry must let this account replicate to it, and
   * must hold the two repositories before the first push: an `ArculusFidoImagesStack` there, with
   * this account in its `replicationSourceAccounts`, does both.
   *
   * @default - no registry of another account
   */
  readonly replicationRegistries?: ImageReplicationRegistry[];

  /**
   * Accounts whose registries may copy their pushes into these repositories (their
   * `replicationRegistries` name this account and region), by a registry policy that lets each
   * replicate images (`ecr:ReplicateImage`) into `<applicationName>/` repositories only. It does
   * not let them create repositories: ECR would make them with its own defaults (mutable tags, no
   * scanning, no lifecycle), so the copies land in these.
   *
   * ECR keeps one policy per registry, so this one replaces any other of the account and region:
   * synth warns (`arculus-fido:registry-policy`); acknowledge the warning once you know the
   * registry has none of its own.
   *
   * @default - no other account may replicate to this registry
   */
  readonly replicationSourceAccounts?: string[];
}

/** A region's name as AWS writes it, e.g. `us-west-2` or `ap-southeast-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The props' shape, for a JavaScript caller. */
const PROPS_SHAPE = struct('FidoImageRepositoriesProps');

/** Props whose value must be known at synth, and why. */
const SYNTH_TIME_PROPS = {
  deploymentEnvironment: 'it picks the removal policy while the template is written',
  applicationName: 'the repository names are built from it and checked at synth, as the deployment that pulls from them checks them',
  untaggedImageMaxAge: 'the lifecycle policy is JSON text written at synth, where a token would stay an unresolved reference',
  maxTaggedImageCount: 'the lifecycle policy is JSON text written at synth, where a token would stay an unresolved reference',
} as const;

/** The repositories' settings with every default decided, and the problems found on the way. */
interface ResolvedRepositories {
  /** The two repository names, or undefined when `applicationName` is wrong (synth fails then). */
  readonly names?: { readonly pyFido: string; readonly tomcat: string };
  readonly untaggedImageMaxAge: Duration;
  readonly maxTaggedImageCount: number;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly replicationRegions: readonly string[];
  readonly replicationRegistries: readonly ImageReplicationRegistry[];
  readonly replicationSourceAccounts: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Decides every setting once and checks every value. A wrong value is reported, and the
 * default built in its place, so that one synth error lists every problem.
 */
function resolveRepositories(given: FidoImageRepositoriesProps, own: { account: string; region: string }): ResolvedRepositories {
  const problems = new ProblemList();
  const raw: any = { ...(given ?? {}) };
  for (const [prop, why] of Object.entries(SYNTH_TIME_PROPS)) {
    const value = raw[prop];
    // A Duration is duck-typed, as the props' shape checks it: an app may load two aws-cdk-libs.
    const duration = typeof value?.isUnresolved === 'function';
    if (duration && value.isUnresolved()) {
      problems.add(prop, `cannot be a Duration of a token (a CloudFormation parameter or reference), because ${why}`);
      delete raw[prop];
    } else if (!duration && Token.isUnresolved(value)) {
      problems.refuseToken(prop, value, why);
      delete raw[prop];
    }
  }
  const props: FidoImageRepositoriesProps = sanitize(problems, '', raw, PROPS_SHAPE) ?? {};
  const applicationName = props.applicationName ?? DEFAULT_APPLICATION_NAME;
  // The repositories' own names, not the runbooks' tighter ones, limit applicationName here.
  const environment = checkNames(problems, props.deploymentEnvironment, applicationName, { runbooks: false });
  const names = problems.about('applicationName') ? undefined : deploymentNames(applicationName, environment ?? DeploymentEnvironment.DEV);

  let untaggedImageMaxAge = props.untaggedImageMaxAge;
  if (untaggedImageMaxAge !== undefined) {
    const days = untaggedImageMaxAge.toMilliseconds() / Duration.days(1).toMilliseconds();
    if (!Number.isInteger(days) || days < 1) {
      problems.add('untaggedImageMaxAge', `must be a whole number of days, at least 1 (ECR counts an image's age in days), got ${untaggedImageMaxAge.toHumanString()}`);
      untaggedImageMaxAge = undefined;
    }
  }
  let maxTaggedImageCount = props.maxTaggedImageCount;
  if (maxTaggedImageCount !== undefined && (!Number.isInteger(maxTaggedImageCount) || maxTaggedImageCount < 1)) {
    problems.add('maxTaggedImageCount', `must be a whole number of images, at least 1, got ${show(maxTaggedImageCount)}`);
    maxTaggedImageCount = undefined;
  }
  let removalPolicy = props.removalPolicy;
  if (removalPolicy === RemovalPolicy.SNAPSHOT) {
    problems.add('removalPolicy', `must be RemovalPolicy.RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY: an ECR repository has no snapshot, got ${show(removalPolicy)}`);
    removalPolicy = undefined;
  }

  const replication = checkReplication(problems, props, own);
  return {
    ...replication,
    names: names && { pyFido: names.pyFido.repository, tomcat: names.tomcat.repository },
    untaggedImageMaxAge: untaggedImageMaxAge ?? Duration.days(UNTAGGED_IMAGE_MAX_AGE_DAYS),
    maxTaggedImageCount: maxTaggedImageCount ?? MAX_TAGGED_IMAGE_COUNT,
    encryptionKey: props.encryptionKey,
    removalPolicy: removalPolicy ?? PRESETS[environment ?? DeploymentEnvironment.DEV].removalPolicy,
    problems: problems.all,
  };
}

/**
 * Checks where the pushes are copied to, and from where they may be copied here: regions and
 * accounts in their form, no registry that is this one or this account's, none twice.
 */
function checkReplication(
  problems: ProblemList, props: FidoImageRepositoriesProps, own: { account: string; region: string },
): Pick<ResolvedRepositories, 'replicationRegions' | 'replicationRegistries' | 'replicationSourceAccounts'> {
  // A JavaScript caller may leave out a registry's account or region, which the types require.
  const check = (form: RegExp, expected: string) => (prop: string, value: string | undefined): boolean => {
    const ok = value !== undefined && (Token.isUnresolved(value) || form.test(value));
    if (!ok) {
      problems.add(prop, value === undefined ? `is required: ${expected}` : `must be ${expected}, got ${show(value)}`);
    }
    return ok;
  };
  const region = check(REGION, "a region's name such as 'us-west-2'");
  const account = check(ACCOUNT, ACCOUNT_EXPECTED);
  // A list of names, each in its form, not the repositories' own, and given once.
  const distinct = (prop: string, values: readonly string[], form: typeof region, what: 'region' | 'account', ours: string, why: string) => {
    values.forEach((value, index) => {
      const at = `${prop}[${index}]`;
      if (!form(at, value)) {
        return;
      } else if (value === ours) {
        problems.add(at, `is the repositories' own ${what} (${ours}); ${why}`);
      } else {
        problems.repeated(at, values, index, what);
      }
    });
  };
  const replicationRegions = props.replicationRegions ?? [];
  distinct('replicationRegions', replicationRegions, region, 'region', own.region, 'ECR replicates to other regions only');
  const replicationRegistries = props.replicationRegistries ?? [];
  const keys = replicationRegistries.map((r) => `${r.account}/${r.region}`);
  replicationRegistries.forEach((registry, index) => {
    const prop = `replicationRegistries[${index}]`;
    // Both checked, so that one error names both.
    const formed = [account(`${prop}.account`, registry.account), region(`${prop}.region`, registry.region)];
    if (formed.includes(false)) {
      return;
    } else if (registry.account === own.account) {
      problems.add(`${prop}.account`, `is the repositories' own account (${own.account}); give its region in replicationRegions instead`);
    } else if (keys.indexOf(keys[index]) < index) {
      problems.add(prop, `names the registry of ${registry.account} in ${registry.region} a second time; give each registry once`);
    }
  });
  const replicationSourceAccounts = props.replicationSourceAccounts ?? [];
  distinct('replicationSourceAccounts', replicationSourceAccounts, account, 'account', own.account,
    'its other regions replicate here without a registry policy; leave it out');
  return { replicationRegions, replicationRegistries, replicationSourceAccounts };
}

/**
 * The two ECR repositories an Arculus FIDO deployment pulls its default images from,
 * `<applicationName>/pyfido` and `<applicationName>/tomcat`: the deployment guide's step 1
 * ("Push Docker Images to ECR") as code. Deploy them (`ArculusFidoImagesStack`) before the
 * deployment, push both images, then deploy the deployment at the tag you pushed.
 *
 * Tags are immutable: a tag names one image for good, so the image a deployment runs, and the
 * one it rolls back to, cannot change under it. It also means a tag takes one push only. Tag
 * every build with a version or a commit (`1.4.2`, `git rev-parse --short HEAD`) and give that
 * tag to the deployment in `images.tag`; its default, `latest`, would take the first build and
 * refuse every later one.
 *
 * Every push is scanned for vulnerabilities (ECR basic scanning), untagged images expire after
 * `untaggedImageMaxAge` and each repository keeps its last `maxTaggedImageCount` tagged images.
 * The images are encrypted with KMS. In prod the repositories are retained when they leave the
 * stack; elsewhere they are deleted with their images.
 *
 * Create one per `applicationName`, account and region: repository names are unique there.
 */
export class FidoImageRepositories extends Construct implements IFidoImageRepositories {
  /** The repository of the PyFIDO image, `<applicationName>/pyfido`. */
  public readonly pyFidoRepository: ecr.IRepository;

  /** The repository of the Tomcat portal image, `<applicationName>/tomcat`. */
  public readonly tomcatRepository: ecr.IRepository;

  constructor(scope: Construct, id: string, props: FidoImageRepositoriesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const resolved = resolveRepositories(props, { account: stack.account, region: stack.region });
    reportBlockProblems(this, 'FidoImageRepositories', resolved.problems);

    this.pyFidoRepository = this.createRepository('PyFidoRepository', resolved, resolved.names?.pyFido);
    this.tomcatRepository = this.createRepository('TomcatRepository', resolved, resolved.names?.tomcat);
    const applicationName = props.applicationName ?? DEFAULT_APPLICATION_NAME;
    const destinations = [
      ...resolved.replicationRegions.map((region) => ({ region, registryId: stack.account })),
      ...resolved.replicationRegistries.map((registry) => ({ region: registry.region, registryId: registry.account })),
    ];
    if (destinations.length > 0) {
      this.replicate(destinations, applicationName);
    }
    if (resolved.replicationSourceAccounts.length > 0) {
      this.allowReplicationFrom(resolved.replicationSourceAccounts, applicationName);
    }
  }

  /**
   * The registry's replication: every push to `<applicationName>/...` copied to each destination
   * registry. ECR refuses a destination that is the registry itself.
   */
  private replicate(destinations: ecr.CfnReplicationConfiguration.ReplicationDestinationProperty[], applicationName: string): void {
    new ecr.CfnReplicationConfiguration(this, 'Replication', {
      replicationConfiguration: {
        rules: [{
          destinations,
          repositoryFilters: [{ filter: `${applicationName}/`, filterType: 'PREFIX_MATCH' }],
        }],
      },
    });
    const where = destinations.map((d) => (d.registryId === Stack.of(this).account ? d.region : `${d.registryId} in ${d.region}`));
    Annotations.of(this).addWarningV2('arculus-fido:registry-replication',
      `the replication of replicationRegions and replicationRegistries replaces the replication configuration of the whole ECR registry of this account and region with one rule (pushes to ${applicationName}/ copied to ${where.join(', ')}); a rule the registry has from elsewhere is lost. Acknowledge this warning once you know it has none, or add that rule to the repositories' stack.`);
  }

  /**
   * The registry's policy: each source account may replicate images into the
   * `<applicationName>/` repositories of this registry, and do nothing else.
   */
  private allowReplicationFrom(accounts: readonly string[], applicationName: string): void {
    const stack = Stack.of(this);
    new ecr.CfnRegistryPolicy(this, 'RegistryPolicy', {
      policyText: new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          sid: 'ReplicationFromSourceAccounts',
          principals: accounts.map((account) => new iam.AccountPrincipal(account)),
          actions: ['ecr:ReplicateImage'],
          resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: `${applicationName}/*` })],
        })],
      }),
    });
    Annotations.of(this).addWarningV2('arculus-fido:registry-policy',
      `replicationSourceAccounts replaces the policy of the whole ECR registry of this account and region with its own statement (${accounts.join(', ')} may replicate to ${applicationName}/); a statement the registry has from elsewhere is lost. Acknowledge this warning once you know it has none, or add that statement to the repositories' stack.`);
  }

  private createRepository(id: string, resolved: ResolvedRepositories, repositoryName: string | undefined): ecr.Repository {
    return new ecr.Repository(this, id, {
      repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: resolved.encryptionKey,
      removalPolicy: resolved.removalPolicy,
      // CloudFormation deletes only an empty repository: a destroyed one goes with its images.
      emptyOnDelete: resolved.removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [
        {
          description: `Expire untagged images ${resolved.untaggedImageMaxAge.toDays()} days after their push`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: resolved.untaggedImageMaxAge,
        },
        {
          // Counted over tagged images only: the per-platform images of a multi-arch image are
          // untagged, and would otherwise take places from releases.
          description: `Keep the last ${resolved.maxTaggedImageCount} tagged images`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: ['*'],
          maxImageCount: resolved.maxTaggedImageCount,
        },
      ],
    });
  }
}
