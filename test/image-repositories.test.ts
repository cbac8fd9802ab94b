import { App, CfnParameter, Duration, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  ArculusFidoDeployment, ArculusFidoImagesStack, ArculusFidoStack, DeploymentEnvironment, FidoImageRepositories, FidoImageRepositoriesProps,
} from '../src';
import { Finding, runNag } from './nag-report';
import { baseProps, ENV, joined, partition, testApp, warningMessages } from './util';

const REPOSITORY = 'AWS::ECR::Repository';

interface Built {
  readonly stack: Stack;
  readonly repositories: FidoImageRepositories;
  readonly template: Template;
}

/** One `FidoImageRepositories` on a bare stack, as a user adds it, synthesized. */
function build(props: Partial<FidoImageRepositoriesProps> | ((stack: Stack) => Partial<FidoImageRepositoriesProps>) = {}): Built {
  const stack = new Stack(testApp(), 'Images', { env: ENV });
  const given = typeof props === 'function' ? props(stack) : props;
  const repositories = new FidoImageRepositories(stack, 'Images', { deploymentEnvironment: DeploymentEnvironment.DEV, ...given });
  return { stack, repositories, template: Template.fromStack(stack) };
}

/** The error of making the repositories with `props`, or undefined if they synthesize. */
function buildError(props: Partial<FidoImageRepositoriesProps> | ((stack: Stack) => Partial<FidoImageRepositoriesProps>)): string | undefined {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

/** The repository named `name`, as the template holds it (properties and policies). */
function repository(template: Template, name: string): any {
  const found = Object.values(template.findResources(REPOSITORY, { Properties: { RepositoryName: name } }));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The parsed lifecycle policy of the repository named `name`. */
function lifecyclePolicy(template: Template, name: string): { rules: any[] } {
  return JSON.parse(repository(template, name).Properties.LifecyclePolicy.LifecyclePolicyText);
}

describe('the repositories with their defaults', () => {
  let built: Built;
  beforeAll(() => {
    built = build();
  });

  test('are the two the deployment pulls from: <applicationName>/pyfido and <applicationName>/tomcat', () => {
    built.template.resourceCountIs(REPOSITORY, 2);
    const logicalId = (name: string) => Object.keys(built.template.findResources(REPOSITORY, { Properties: { RepositoryName: name } }))[0];
    // Each property is the repository of its name.
    expect(built.stack.resolve(built.repositories.pyFidoRepository.repositoryName)).toEqual({ Ref: logicalId('arculus-auth/pyfido') });
    expect(built.stack.resolve(built.repositories.tomcatRepository.repositoryName)).toEqual({ Ref: logicalId('arculus-auth/tomcat') });
  });

  test('have immutable tags and scan every push', () => {
    for (const name of ['arculus-auth/pyfido', 'arculus-auth/tomcat']) {
      expect(repository(built.template, name).Properties).toMatchObject({
        ImageTagMutability: 'IMMUTABLE',
        ImageScanningConfiguration: { ScanOnPush: true },
      });
    }
  });

  test('expire untagged images 14 days after their push, then keep the last 100 tagged images', () => {
    for (const name of ['arculus-auth/pyfido', 'arculus-auth/tomcat']) {
      const rules = lifecyclePolicy(built.template, name).rules;
      expect(rules).toEqual([
        expect.objectContaining({
          rulePriority: 1,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
          action: { type: 'expire' },
        }),
        expect.objectContaining({
          rulePriority: 2,
          // Every tag, and tagged images only: the untagged images of a multi-arch image take no place.
          selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 100 },
          action: { type: 'expire' },
        }),
      ]);
    }
  });

  test('are encrypted with KMS under the AWS managed key of ECR', () => {
    built.template.allResourcesProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.absent() },
    });
    built.template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('are named as the deployment names its default images, for any applicationName', () => {
    const stack = new Stack(testApp(), 'Fido', { env: ENV });
    const deployment = new ArculusFidoDeployment(stack, 'Fido', baseProps(stack, { applicationName: 'acme-auth' }));
    const repositories = new FidoImageRepositories(stack, 'Images', { deploymentEnvironment: DeploymentEnvironment.DEV, applicationName: 'acme-auth' });
    const pulled = deployment.node.findAll()
      .filter((c) => c.node.id === 'PyFidoRepository' || c.node.id === 'TomcatRepository')
      .map((c) => (c as ecr.IRepository).repositoryName)
      .sort();
    expect(pulled).toEqual(['acme-auth/pyfido', 'acme-auth/tomcat']);
    const created = [repositories.pyFidoRepository, repositories.tomcatRepository]
      .map((r) => (r.node.defaultChild as ecr.CfnRepository).repositoryName);
    expect(created).toEqual(pulled);
  });
});

describe.each([DeploymentEnvironment.DEV, DeploymentEnvironment.STAGING])('in %s', (deploymentEnvironment) => {
  let built: Built;
  beforeAll(() => {
    built = build({ deploymentEnvironment });
  });

  test('the repositories are deleted with the stack, with their images', () => {
    for (const name of ['arculus-auth/pyfido', 'arculus-auth/tomcat']) {
      expect(repository(built.template, name)).toMatchObject({
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: { EmptyOnDelete: true },
      });
    }
  });
});

describe('in prod', () => {
  let built: Built;
  beforeAll(() => {
    built = build({ deploymentEnvironment: DeploymentEnvironment.PROD });
  });

  test('the repositories and their images are retained when they leave the stack', () => {
    for (const name of ['arculus-auth/pyfido', 'arculus-auth/tomcat']) {
      const resource = repository(built.template, name);
      expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(resource.Properties.EmptyOnDelete).not.toBe(true);
    }
  });
});

describe('the options', () => {
  let built: Built;
  let key: kms.Key;
  beforeAll(() => {
    built = build((stack) => {
      key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      return {
        deploymentEnvironment: DeploymentEnvironment.PROD,
        applicationName: 'acme-auth',
        encryptionKey: key,
        untaggedImageMaxAge: Duration.days(3),
        maxTaggedImageCount: 30,
        removalPolicy: RemovalPolicy.DESTROY,
      };
    });
  });

  test('applicationName names the repositories', () => {
    repository(built.template, 'acme-auth/pyfido');
    repository(built.template, 'acme-auth/tomcat');
  });

  test('a given key encrypts the images', () => {
    built.template.allResourcesProperties(REPOSITORY, {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: built.stack.resolve(key.keyArn) },
    });
  });

  test('the lifecycle values replace the defaults', () => {
    const rules = lifecyclePolicy(built.template, 'acme-auth/tomcat').rules;
    expect(rules.map((r) => r.selection.countNumber)).toEqual([3, 30]);
  });

  test('RemovalPolicy.DESTROY in prod deletes the repositories with their images', () => {
    expect(repository(built.template, 'acme-auth/pyfido')).toMatchObject({ DeletionPolicy: 'Delete', Properties: { EmptyOnDelete: true } });
  });

  test('RemovalPolicy.RETAIN in dev keeps them, and does not empty them', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.RETAIN });
    const resource = repository(template, 'arculus-auth/pyfido');
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties.EmptyOnDelete).not.toBe(true);
  });
});

describe('replication to the secondary region of a pair', () => {
  const { stack, template } = build({ applicationName: 'acme-auth', replicationRegions: ['us-west-2', 'eu-west-1'] });

  test('copies every push to the two repositories to each region\'s registry of this account', () => {
    template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{
          Destinations: [{ Region: 'us-west-2', RegistryId: ENV.account }, { Region: 'eu-west-1', RegistryId: ENV.account }],
          RepositoryFilters: [{ Filter: 'acme-auth/', FilterType: 'PREFIX_MATCH' }],
        }],
      },
    });
  });

  test('warns that the registry\'s replication configuration is replaced, and whose', () => {
    const warnings = Stage.of(stack)!.synth().getStackArtifact(stack.artifactId).messages.map((m) => String(m.entry.data));
    expect(warnings.some((w) => w.includes('replaces the replication configuration of the whole ECR registry') && w.includes('[ack: arculus-fido:registry-replication]'))).toBe(true);
  });

  test('is left out without regions', () => {
    expect(Object.keys(build().template.findResources('AWS::ECR::ReplicationConfiguration'))).toEqual([]);
  });

  test('refuses the repositories\' own region, a region twice and a name that is not a region, in one error', () => {
    const message = buildError({ replicationRegions: [ENV.region, 'us-west-2', 'us-west-2', 'US West'] });
    expect(message).toContain(`replicationRegions[0]: is the repositories' own region (${ENV.region})`);
    expect(message).toContain("replicationRegions[2]: names 'us-west-2' a second time");
    expect(message).toContain("replicationRegions[3]: must be a region's name such as 'us-west-2', got 'US West'");
  });
});

describe('replication to the registry of another account', () => {
  // The primary's images in one account, the secondary's in another, as `cdk deploy --all` deploys them.
  const WEST = { account: '222222222222', region: 'us-west-2' };
  let source: ArculusFidoImagesStack;
  let destination: ArculusFidoImagesStack;
  let policy: any;
  let nag: { findings: Finding[]; templates: Record<string, any> };
  // The templates runNag's synth wrote: where a finding makes newer aws-cdk-lib throw, the app
  // holds no assembly, and Template.fromStack would synthesize (and throw) again.
  const templateOf = (stack: Stack) => Template.fromJSON(nag.templates[`${stack.artifactId}.template.json`]);
  beforeAll(() => {
    nag = runNag((app) => {
      destination = new ArculusFidoImagesStack(app, 'ImagesWest', {
        env: WEST, deploymentEnvironment: DeploymentEnvironment.PROD, applicationName: 'acme-auth', replicationSourceAccounts: [ENV.account],
      });
      source = new ArculusFidoImagesStack(app, 'Images', {
        env: ENV,
        deploymentEnvironment: DeploymentEnvironment.PROD,
        applicationName: 'acme-auth',
        replicationRegions: ['eu-west-1'],
        replicationRegistries: [WEST, { account: '333333333333', region: 'eu-west-1' }],
      });
      source.addDependency(destination);
    });
    policy = Object.values(templateOf(destination).findResources('AWS::ECR::RegistryPolicy'));
  });

  test('the source copies every push to this account\'s regions and to each other account\'s registry, in one rule', () => {
    templateOf(source).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [{
          Destinations: [
            { Region: 'eu-west-1', RegistryId: ENV.account },
            { Region: 'us-west-2', RegistryId: '222222222222' },
            { Region: 'eu-west-1', RegistryId: '333333333333' },
          ],
          RepositoryFilters: [{ Filter: 'acme-auth/', FilterType: 'PREFIX_MATCH' }],
        }],
      },
    });
    expect(warningMessages(source).some((w) => w.includes('copied to eu-west-1, 222222222222 in us-west-2, 333333333333 in eu-west-1')
      && w.includes('[ack: arculus-fido:registry-replication]'))).toBe(true);
  });

  test('the destination lets the source account replicate into its <applicationName>/ repositories, and do nothing else', () => {
    expect(policy).toHaveLength(1);
    expect(policy[0].Properties.PolicyText).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'ReplicationFromSourceAccounts',
        Effect: 'Allow',
        Principal: { AWS: joined('arn:', partition(), `:iam::${ENV.account}:root`) },
        Action: 'ecr:ReplicateImage',
        Resource: joined('arn:', partition(), ':ecr:us-west-2:222222222222:repository/acme-auth/*'),
      }],
    });
    expect(warningMessages(destination).some((w) => w.includes(`${ENV.account} may replicate to acme-auth/`) && w.includes('[ack: arculus-fido:registry-policy]'))).toBe(true);
  });

  test('the copies land in the destination\'s own repositories: the policy covers each of them, and the source\'s filter each of the source\'s', () => {
    // A string where the partition is a literal (cdk init's flags), else a join ending in it.
    const arn = policy[0].Properties.PolicyText.Statement[0].Resource;
    const resource: string = typeof arn === 'string' ? arn : arn['Fn::Join'][1].slice(-1)[0];
    const pattern = new RegExp(`^${resource.replace(/^.*:repository\//, '').replace('*', '.*')}$`);
    for (const stack of [destination, source]) {
      const names = Object.values(templateOf(stack).findResources(REPOSITORY)).map((r: any) => r.Properties.RepositoryName);
      expect(names.sort()).toEqual(['acme-auth/pyfido', 'acme-auth/tomcat']);
      expect(names.filter((name) => !pattern.test(name) || !name.startsWith('acme-auth/'))).toEqual([]);
    }
  });

  test('cdk-nag finds nothing on either registry', () => {
    expect(Object.keys(nag.templates).sort()).toEqual(['Images.template.json', 'ImagesWest.template.json']);
    // Under cdk init's flags aws-cdk-lib reports warnings too (newer ones as `Annotation::<id>`):
    // the two the tests above read.
    const warned = ['arculus-fido:registry-policy', 'arculus-fido:registry-replication'];
    expect(nag.findings.filter((finding) => !warned.includes(finding.rule.replace(/^Annotation::/, '')))).toEqual([]);
  });

  test('without source accounts, a registry has no policy', () => {
    expect(Object.keys(templateOf(source).findResources('AWS::ECR::RegistryPolicy'))).toEqual([]);
  });

  test('takes accounts that are tokens, for deploy time', () => {
    const { template } = build((stack) => {
      const account = new CfnParameter(stack, 'Account').valueAsString;
      return { replicationRegistries: [{ account, region: 'us-west-2' }], replicationSourceAccounts: [account] };
    });
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: { Rules: [Match.objectLike({ Destinations: [{ Region: 'us-west-2', RegistryId: { Ref: 'Account' } }] })] },
    });
    template.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: { Statement: [Match.objectLike({ Principal: { AWS: joined('arn:', partition(), ':iam::', { Ref: 'Account' }, ':root') } })] },
    });
  });

  test('refuses this account as a registry or a source, an account or region out of form, and one twice, in one error', () => {
    const message = buildError({
      replicationRegistries: [
        { account: ENV.account, region: 'us-west-2' },
        { account: '2222', region: 'us-west-2' },
        { account: '222222222222', region: 'West' },
        { account: '22222222222x', region: 'us west' },
        { account: '222222222222', region: 'us-west-2' },
        { account: '222222222222', region: 'us-west-2' },
      ],
      replicationSourceAccounts: [ENV.account, '333333333333', '333333333333', 'acme'],
    })!;
    expect(message).toContain(`replicationRegistries[0].account: is the repositories' own account (${ENV.account}); give its region in replicationRegions instead`);
    expect(message).toContain("replicationRegistries[1].account: must be an account ID of 12 digits, such as '222222222222', got '2222'");
    expect(message).toContain("replicationRegistries[2].region: must be a region's name such as 'us-west-2', got 'West'");
    expect(message).toContain("replicationRegistries[3].account: must be an account ID of 12 digits, such as '222222222222', got '22222222222x'");
    expect(message).toContain("replicationRegistries[3].region: must be a region's name such as 'us-west-2', got 'us west'");
    expect(message).toContain('replicationRegistries[5]: names the registry of 222222222222 in us-west-2 a second time; give each registry once');
    expect(message).toContain(`replicationSourceAccounts[0]: is the repositories' own account (${ENV.account})`);
    expect(message).toContain("replicationSourceAccounts[2]: names '333333333333' a second time");
    expect(message).toContain("replicationSourceAccounts[3]: must be an account ID of 12 digits, such as '222222222222', got 'acme'");
    expect(message).toMatch(/has 9 problems in its props/);
  });

  test('refuses a registry without its region, as a JavaScript caller may give it', () => {
    expect(buildError({ replicationRegistries: [{ account: '222222222222' } as any] })).toMatch(/replicationRegistries\[0\]\.region: is required: a region's name such as 'us-west-2'/);
  });
});

describe('ArculusFidoImagesStack', () => {
  let stack: ArculusFidoImagesStack;
  let template: Template;
  beforeAll(() => {
    stack = new ArculusFidoImagesStack(testApp(), 'ArculusFidoImages', { env: ENV, deploymentEnvironment: DeploymentEnvironment.PROD });
    template = Template.fromStack(stack);
  });

  test('holds the two repositories, under the construct ID Images', () => {
    template.resourceCountIs(REPOSITORY, 2);
    expect(stack.node.findChild('Images')).toBe(stack.repositories);
  });

  test('outputs what the push commands read, under fixed logical IDs', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['PyFidoRepositoryUri', 'Region', 'RegistryUri', 'TomcatRepositoryUri']);
  });

  test('the repository URIs, the registry and the region', () => {
    const { pyFidoRepository, tomcatRepository } = stack.repositories;
    template.hasOutput('PyFidoRepositoryUri', { Value: stack.resolve(pyFidoRepository.repositoryUri) });
    template.hasOutput('TomcatRepositoryUri', { Value: stack.resolve(tomcatRepository.repositoryUri) });
    template.hasOutput('RegistryUri', { Value: joined('111111111111.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }) });
    template.hasOutput('Region', { Value: 'us-east-1' });
  });

  test('without env, the registry and region are the deploy-time account\'s and region\'s', () => {
    const agnostic = Template.fromStack(new ArculusFidoImagesStack(testApp(), 'Agnostic', { deploymentEnvironment: DeploymentEnvironment.DEV }));
    agnostic.hasOutput('RegistryUri', { Value: joined({ Ref: 'AWS::AccountId' }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }) });
    agnostic.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
  });

  test('passes the repositories\' props through', () => {
    const dev = new ArculusFidoImagesStack(testApp(), 'Dev', { env: ENV, deploymentEnvironment: DeploymentEnvironment.DEV, applicationName: 'acme-auth' });
    Template.fromStack(dev).hasResource(REPOSITORY, { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RepositoryName: 'acme-auth/pyfido' }) });
  });
});

describe('validation', () => {
  test('errors when applicationName is not lowercase letters, digits and single hyphens', () => {
    expect(buildError({ applicationName: 'Arculus_Auth' })).toMatch(
      /FidoImageRepositories 'Images\/Images' has 1 problem in its props:\n {2}- applicationName: must be lowercase letters, digits and single hyphens, starting with a letter \(e\.g\. 'arculus-auth'\), got 'Arculus_Auth'/);
  });

  test('errors when applicationName makes a name over its AWS limit', () => {
    expect(buildError({ applicationName: `a${'b'.repeat(250)}` })).toMatch(/applicationName: makes the .* over the limit of \d+; use at most \d+ characters/);
  });

  test('errors when deploymentEnvironment is missing or not one of the enum\'s values', () => {
    expect(buildError({ deploymentEnvironment: undefined })).toMatch(/deploymentEnvironment: is required: DeploymentEnvironment\.DEV, \.STAGING or \.PROD/);
    expect(buildError({ deploymentEnvironment: 'qa' as DeploymentEnvironment })).toMatch(/deploymentEnvironment: must be one of 'dev', 'staging' or 'prod'.*got 'qa'/);
  });

  test.each([
    [Duration.hours(12), '12 hours'],
    [Duration.hours(36), '1 day 12 hours'],
    [Duration.days(0), '0 days'],
  ])('errors when untaggedImageMaxAge is %s: not a whole number of days, at least 1', (untaggedImageMaxAge, shown) => {
    expect(buildError({ untaggedImageMaxAge })).toMatch(`untaggedImageMaxAge: must be a whole number of days, at least 1 (ECR counts an image's age in days), got ${shown}`);
  });

  test.each([0, -5, 2.5])('errors when maxTaggedImageCount is %s', (maxTaggedImageCount) => {
    expect(buildError({ maxTaggedImageCount })).toMatch(`maxTaggedImageCount: must be a whole number of images, at least 1, got ${maxTaggedImageCount}`);
  });

  test('errors when removalPolicy is SNAPSHOT, which a repository does not have', () => {
    expect(buildError({ removalPolicy: RemovalPolicy.SNAPSHOT })).toMatch(/removalPolicy: must be RemovalPolicy\.RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY: an ECR repository has no snapshot, got 'snapshot'/);
  });

  test('errors when a value written at synth is a token', () => {
    const error = buildError((stack) => {
      const count = new CfnParameter(stack, 'Count', { type: 'Number' }).valueAsNumber;
      return {
        applicationName: new CfnParameter(stack, 'Name').valueAsString,
        untaggedImageMaxAge: Duration.days(count),
        maxTaggedImageCount: count,
      };
    });
    expect(error).toMatch(/applicationName: cannot be a token .* the repository names are built from it/);
    expect(error).toMatch(/untaggedImageMaxAge: cannot be a Duration of a token .* the lifecycle policy is JSON text written at synth/);
    expect(error).toMatch(/maxTaggedImageCount: cannot be a token .* the lifecycle policy is JSON text written at synth/);
  });

  test('errors when a JavaScript caller passes a value of the wrong type', () => {
    const error = buildError({ maxTaggedImageCount: '30' as any, untaggedImageMaxAge: 14 as any, encryptionKey: 'alias/ecr' as any });
    expect(error).toMatch(/maxTaggedImageCount: must be a number, got '30'/);
    expect(error).toMatch(/untaggedImageMaxAge: must be a Duration such as Duration\.seconds\(30\), got 14/);
    expect(error).toMatch(/encryptionKey: must be a kms\.IKey, got 'alias\/ecr'/);
  });

  test('gathers every problem into one error', () => {
    const error = buildError({ applicationName: 'Bad', maxTaggedImageCount: 0, untaggedImageMaxAge: Duration.hours(1), removalPolicy: RemovalPolicy.SNAPSHOT })!;
    expect(error).toMatch(/^FidoImageRepositories 'Images\/Images' has 4 problems in its props:\n/);
    expect(error.match(/^ {2}- /gm)).toHaveLength(4);
  });

  test('valid props synthesize', () => {
    expect(buildError({ applicationName: 'acme-auth-2', maxTaggedImageCount: 1, untaggedImageMaxAge: Duration.days(1) })).toBeUndefined();
  });
});

/** Every finding of cdk-nag's AwsSolutions and NIST 800-53 R5 packs on the stacks `addStacks` adds, as rule and construct path. */
function nagFindings(addStacks: (app: App) => void): Finding[] {
  return runNag(addStacks).findings;
}

describe('cdk-nag', () => {
  test.each([DeploymentEnvironment.DEV, DeploymentEnvironment.PROD])('the images stack in %s: no finding, and nothing acknowledged', (deploymentEnvironment) => {
    let stack: ArculusFidoImagesStack | undefined;
    const findings = nagFindings((app) => {
      stack = new ArculusFidoImagesStack(app, 'ArculusFidoImages', { env: ENV, deploymentEnvironment });
    });
    expect(findings).toEqual([]);
    const acknowledged = stack!.node.findAll().filter((c) => c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY));
    expect(acknowledged).toEqual([]);
  });

  test('reports a repository a user opens to everyone (the check itself works)', () => {
    const findings = nagFindings((app) => {
      const stack = new ArculusFidoImagesStack(app, 'ArculusFidoImages', { env: ENV, deploymentEnvironment: DeploymentEnvironment.DEV });
      stack.repositories.tomcatRepository.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage'],
        principals: [new iam.AnyPrincipal()],
      }));
    });
    expect(findings).toEqual([{ rule: 'AwsSolutions-ECR1', path: 'ArculusFidoImages/Images/TomcatRepository/Resource' }]);
  });
});

describe('the deployment pulling from the repositories it is given', () => {
  const app = testApp();
  const images = new ArculusFidoImagesStack(app, 'Images', { env: ENV, deploymentEnvironment: DeploymentEnvironment.PROD, applicationName: 'acme-auth' });
  const deployment = new ArculusFidoStack(app, 'Fido', {
    env: ENV,
    ...baseProps(app as any, { deploymentEnvironment: DeploymentEnvironment.PROD, applicationName: 'acme-auth' }),
    images: { tag: '1.4.2', repositories: images.repositories },
  });
  const template = Template.fromStack(deployment);

  test('each container runs its repository\'s image at the tag, imported from the images stack', () => {
    const containers = Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((t: any) => t.Properties.ContainerDefinitions[0]);
    expect(containers).toHaveLength(2);
    for (const container of containers) {
      const image = JSON.stringify(container.Image);
      // A reference to the images stack: an import, or (under newer aws-cdk-lib's flags) a stack output read.
      expect(image).toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
      expect(image).toMatch(new RegExp(`Images${container.Name === 'pyfido' ? 'PyFido' : 'Tomcat'}Repository`));
      expect(image).toContain(':1.4.2');
    }
  });

  test('images.tag is required with them, since their tags take one push each', () => {
    const message = (tag?: string) => {
      try {
        const again = testApp();
        const repositories = new ArculusFidoImagesStack(again, 'Images', { env: ENV, deploymentEnvironment: DeploymentEnvironment.DEV }).repositories;
        new ArculusFidoStack(again, 'Fido', { env: ENV, ...baseProps(again as any), images: { tag, repositories } });
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    };
    expect(message()).toContain("images.tag: is left out ('latest'), but images.repositories has immutable tags, where a tag takes one push");
    expect(message('latest')).toContain("images.tag: is 'latest', but images.repositories has immutable tags");
    expect(message('2.0.0')).toBeUndefined();
  });
});
