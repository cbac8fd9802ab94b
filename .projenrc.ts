import * as path from 'path';
import { awscdk, javascript, JsonFile } from 'projen';
import { ReleaseTrigger } from 'projen/lib/release';

// This file reads top to bottom as: the library (what is built and shipped), its tests, and the
// tools that judge, measure and show it. The tooling lives in tools/<name>/ (tools/README.md);
// examples/ and docs/ stay at the top, where a newcomer looks for them.

// ================================================================================================
// The library
// ================================================================================================

/**
 * The aws-cdk-lib floor users may pair this library with, and the version the tests install.
 * 2.258.0 is the first release whose validation context carries the construct tree, which the
 * cdk-nag 3 rule packs need to run as validation plugins; and the first whose Go module's
 * dependencies the Go module proxy serves (2.257.0 needs a cloud-assembly-schema it refuses).
 * It carries every API the construct uses (TLS 1.3 post-quantum listener policies, ECS deployment
 * alarms, Container Insights v2).
 */
const CDK_FLOOR = '2.258.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'arculus-fido-cdk',
  description:
    'AWS CDK construct library that deploys the Arculus FIDO2 server (PyFIDO and the Tomcat portal) on ECS Fargate behind an HTTPS load balancer, secure by default.',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'fido2', 'webauthn', 'ecs', 'fargate', 'arculus'],
  author: 'Arculus FIDO CDK maintainers',
  authorAddress: 'maintainers@arculus.example',
  repositoryUrl: 'https://github.com/arculus/arculus-fido-cdk.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  // .projenrc.ts stays at the root, where projen looks for it; the code it runs at build time
  // (the API model's generator, below) is a tool like the others.
  projenrcTs: true,
  projenrcTsOptions: { projenCodeDir: 'tools/projenrc' },

  cdkVersion: CDK_FLOOR,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // CI is `.ci/run` on a clean clone; no hosted workflows.
  github: false,
  // A maintainer cuts a release on a clean main with `npx projen release` (CONTRIBUTING.md,
  // Releasing): projen's release, with commit-and-tag-version, bumps the version from the
  // conventional commits since the last tag (below 1.0, a breaking change bumps the minor), builds
  // the four packages into dist/ at that version, prepends its entry to CHANGELOG.md, commits and
  // tags. Nothing is pushed or published: publib does that, with the maintainer's tokens.
  release: true,
  releaseTrigger: ReleaseTrigger.manual({ gitPushCommand: '' }),
  // projen's first release is 0.0.0; this one's is 0.1.0 (tools/release/next-version).
  nextVersionCommand: 'tools/release/next-version',

  publishToPypi: {
    distName: 'arculus-fido-cdk',
    module: 'arculus_fido_cdk',
  },
  publishToMaven: {
    javaPackage: 'com.arculus.fido.cdk',
    mavenGroupId: 'com.arculus',
    mavenArtifactId: 'fido-cdk',
  },
  publishToGo: {
    moduleName: 'github.com/arculus/arculus-fido-cdk-go',
    packageName: 'arculusfidocdk',
  },

  devDeps: [
    // cdk-nag 3 runs its rule packs as CDK validation plugins in the security tests.
    'cdk-nag@^3.0.2',
    // jsii-pacmak pins the Go binding's indirect dependencies to the npm versions installed here.
    // The Go module proxy refuses cloud-assembly-schema-go v54.26.0 (what ^54 resolves to today)
    // but serves v54.1.0, the version aws-cdk-go 2.258.0 itself requires, so pin the npm side to it.
    '@aws-cdk/cloud-assembly-schema@54.1.0',
    // Generated props for the property-based tests (test/*.props.test.ts and `npx projen fuzz`):
    // shrinking and seeded replay, which a hand-rolled generator would not give.
    'fast-check@^4',
    // The deployment check's EC2 client. The Lambda runtime provides the AWS SDK v3, so the bundle
    // leaves it out (esbuild's externals for the runtime); the tests need it installed.
    '@aws-sdk/client-ec2@^3',
    // Its Elastic Load Balancing client, likewise: before ECS starts a revision, the check reads the
    // production listener rules' weights and their target groups' health.
    '@aws-sdk/client-elastic-load-balancing-v2@^3',
    // The application secret's rotation function's client, for the same reason: the runtime
    // provides it, and its tests and tools/runtime/run load the real module.
    '@aws-sdk/client-secrets-manager@^3',
  ],

  // The functions the library ships are bundled below, without projen's generated constructs: those
  // hard-code one runtime, and the functions must run on the newest one the user's aws-cdk-lib knows.
  lambdaAutoDiscover: false,

  gitignore: ['cdk.out/', '*.tsbuildinfo', '.cache/'],

  // Snapshots guard logical IDs (construct IDs are API): a changed snapshot must fail the build,
  // not be rewritten by it. `npx projen test:update` rewrites them on purpose.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // Jest crawls only src/ and test/: the caches hold whole copies of the project (the version
    // matrix's, with its own node_modules), which cost the suite 9 s of crawling when they exist.
    // They also hold other package.json files (the matrix's copy of this project, the newcomer
    // apps): not modules of this project, and a name collision for jest's module map.
    // Jest's default, one worker fewer than the cores, is a single worker on this project's 2-core
    // machines: every core, since synthesis is CPU-bound and the files are independent.
    // Coverage is counted in the project's own files (Babel's istanbul instrumentation, cached with
    // the transform), not by V8 block coverage, which counts every function of every module each
    // test file loads afresh, aws-cdk-lib's included: that took the suite from 24 s to 40 s.
    // Each test file's assemblies go when its tests end (test/setup.ts), not left in the system's
    // temporary directory by the hundred on every run.
    jestConfig: {
      roots: ['<rootDir>/src', '<rootDir>/test'],
      modulePathIgnorePatterns: ['<rootDir>/.cache/'],
      maxWorkers: '100%',
      coverageProvider: 'babel',
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
  },
});

/**
 * The functions the library ships (src/private/<name>.lambda.ts), bundled by esbuild into
 * assets/private/<name>.lambda at build time, the AWS SDK left to the Lambda runtime.
 * src/private/bundled-function.ts puts each on the newest Node.js runtime of the user's aws-cdk-lib
 * when the app synthesizes (cdk-nag's AwsSolutions-L1 asks for it), never older than this target,
 * its BUNDLE_NODE_MAJOR (a unit test holds the two together).
 */
const BUNDLE_TARGET = 'node24';
for (const name of ['app-secret-rotation', 'atlas-rotation', 'deployment-check']) {
  const entrypoint = `src/private/${name}.lambda.ts`;
  project.bundler.addBundle(entrypoint, {
    target: BUNDLE_TARGET,
    platform: 'node',
    externals: ['@aws-sdk/*'],
    tsconfigPath: project.tsconfigDev.fileName,
  });
  // A handler may import dev dependencies: they are bundled, never the package's.
  project.eslint?.allowDevDeps(entrypoint);
}
// What the rotation functions share (bundled into each): it requires the SDK's Secrets Manager client too.
project.eslint?.allowDevDeps('src/private/rotation-protocol.ts');

// The API model the runtime checks read the props of each struct from (src/private/api-model.generated.ts),
// written from the assembly jsii just wrote (tools/projenrc/api-model.ts, projen's code dir above).
// When it changed, jsii runs again: the code it just compiled read the old model.
// test/api-model.test.ts fails when the committed model is stale.
project.compileTask.exec('ts-node --project tools/projenrc/tsconfig.json tools/projenrc/api-model.ts');
project.compileTask.exec('jsii --silence-warnings=reserved-word', {
  condition: 'node -e "const fs = require(\'fs\'); const t = (f) => fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0; process.exit(t(\'src/private/api-model.generated.ts\') > t(\'lib/private/api-model.generated.js\') ? 0 : 1)"',
});

// The CDK app a team that follows the deployment guide runs, with no TypeScript (src/app/main.ts):
// npx cdk deploy --app "npx arculus-fido-app --parameters parameters/prod.json"
project.addBins({ 'arculus-fido-app': 'lib/app/main.js' });

// The library's shape, checked on every build: no import circle, and no function so long that it
// mixes concerns (the deployment builds each concern in its own method). The tests, the examples
// and the bench, consumer, security and newcomer scripts are exempt from the length rule.
project.eslint?.addRules({
  'import/no-cycle': 'error',
  'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
});
project.eslint?.addOverride({
  files: ['test/**', 'examples/**', 'tools/bench/**', 'tools/consumers/**', 'tools/security/**', 'tools/newcomer/**'],
  rules: { 'max-lines-per-function': 'off' },
});

// The npm package is the library: lib/, assets/, the jsii assembly, API.md, and what the README
// links (SECURITY.md, docs/), since npm and Construct Hub render the README from the package
// (test/package-links.test.ts). Every binding embeds it (jsii-pacmak runs `npm pack`), so none of
// the rest ships: the tools and examples, the caches (Go modules, Maven, pip: gigabytes),
// synthesized templates and the CI script. tools/consumers/run checks the tarball.
project.npmignore?.exclude('/tools/', '/examples/', '/.cache/', '/cdk.out/', '/.ci/');
// Contributor material stays in the repository: the README links CONTRIBUTING.md on GitHub.
// CHANGELOG.md too: a release packs before it prepends its entry (`npx projen release`), so a
// packed copy would lack its own version; the README links it on GitHub.
project.npmignore?.exclude('/CONTRIBUTING.md', '/CHANGELOG.md');

/**
 * A folder of TypeScript scripts run with ts-node (examples/, tools/<name>/): type-checked like the
 * tests (its tsconfig.json extends test/tsconfig.json), and linted, free to import dev
 * dependencies as the tests are. The npm package leaves them out (above).
 */
function scriptFolder(folder: string): void {
  new JsonFile(project, `${folder}/tsconfig.json`, {
    obj: { extends: path.posix.relative(folder, 'test/tsconfig.json'), include: ['**/*.ts'] },
  });
  project.eslint?.addLintPattern(folder);
  project.eslint?.allowDevDeps(`${folder}/**`);
}

// ================================================================================================
// The tests
// ================================================================================================

// The unit suite (jest, test/ and src/; options above) synthesizes the bundled functions' assets:
// a fresh clone's `npx projen test` bundles them first, as `compile` does.
const bundle = project.tasks.tryFind('bundle');
if (bundle) {
  project.testTask.prependSpawn(bundle);
}

// Integration tests a maintainer with an AWS account deploys: test/integ.*.ts, IntegTest apps of
// @aws-cdk/integ-tests-alpha (published up to 2.245.0-alpha.0, whose aws-cdk-lib peer range takes
// the floor). integ-runner cannot run them yet: its newest release (2.197.10) reads cloud
// assemblies up to schema 53, and the floor writes 54. Until one can, tools/integ/snapshots.ts
// does what integ-runner does without credentials: synthesize each test and compare it with its
// committed snapshot, so a change to what is deployed fails `test` until the snapshot is updated
// on purpose (`npx projen integ:snapshot`).
project.addDevDeps('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0');
scriptFolder('tools/integ');
const integ = project.addTask('integ', {
  description: 'Synthesize the integration tests (test/integ.*.ts) and compare them with their committed snapshots',
  exec: 'ts-node --project tools/integ/tsconfig.json tools/integ/snapshots.ts',
  receiveArgs: true,
});
project.addTask('integ:snapshot', {
  description: 'Synthesize the integration tests and rewrite their committed snapshots, without deploying',
  exec: 'ts-node --project tools/integ/tsconfig.json tools/integ/snapshots.ts --update',
  receiveArgs: true,
});
project.testTask.spawn(integ);

// The bundled functions on the Node.js of every Lambda runtime they get (the floor aws-cdk-lib's
// newest Node.js runtime and the newest aws-cdk-lib's; Node.js from the npm registry's
// node-<platform>-<arch> packages), not only on the Node.js that runs jest.
scriptFolder('tools/runtime');
project.addTask('test:runtime', {
  description: 'Run the bundled Lambda functions (assets/) on the Node.js of each runtime they get (floor and newest aws-cdk-lib), against local AWS endpoints',
  exec: 'tools/runtime/run',
});

// Python, Java and Go users get the same deployment: the README's TypeScript example compiles
// (jsii-rosetta, strict, after every compile), and consumer apps in each language run against the
// packages jsii-pacmak builds (tools/consumers/run), their templates compared with the TypeScript
// synth.
const rosetta = project.addTask('rosetta:extract', {
  description: 'Compile the README\'s TypeScript example and translate it for the other languages (strict: a snippet that fails to compile fails)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosetta);
// The other documents' TypeScript examples (docs/*.md), which rosetta does not see, compile too.
scriptFolder('tools/doc-examples');
const docExamples = project.addTask('docs:examples', {
  description: 'Compile the TypeScript examples of README.md and docs/*.md against the library (a snippet that fails to compile fails)',
  exec: 'ts-node --project tools/doc-examples/tsconfig.json tools/doc-examples/check.ts',
});
project.postCompileTask.spawn(docExamples);
// jsii-pacmak builds the Java artifact against a Maven repository of its own, thrown away after
// each run unless given one to keep: the consumer suites' repository, so a rerun downloads nothing.
project.tasks.tryFind('package:java')?.reset('jsii-pacmak -v --target java --maven-local-repository .cache/consumers/m2');
scriptFolder('tools/consumers');
project.addTask('test:bindings', {
  description: 'Build the npm, Python, Java and Go packages and run the consumer apps of each language against them (tools/consumers/run)',
  steps: [{ spawn: 'compile' }, { spawn: 'rosetta:extract' }, { exec: 'tools/consumers/run' }],
});
// The rosetta tablet, and what the Java and Go consumer apps build beside their sources.
project.gitignore.exclude('.jsii.tabl.json', '/tools/consumers/java/target/', '/tools/consumers/go/_readme*/', '__pycache__/');

// A newcomer's apps: `cdk init` in TypeScript and Python, this library installed from the npm
// tarball and the wheel, the README's example and the scenarios (and in TypeScript docs/failover.md's
// region pair, listed by `cdk ls`) synthesized by the app's own `cdk synth` under the flags cdk init
// sets (tools/newcomer/run). Not a script folder:
// scenarios.ts imports the package by name, so the init app's own tsc checks it, not this project's.
project.addTask('test:newcomer', {
  description: 'Create TypeScript and Python apps with cdk init, install the packed library and cdk synth the README example, the scenarios and the region pair of docs/failover.md (tools/newcomer/run)',
  exec: 'tools/newcomer/run',
});

// The unit suite on the aws-cdk-lib floor and on the newest aws-cdk-lib (in a copy of this project
// under .cache/matrix, never in node_modules), each without feature flags and with cdk init's.
project.addTask('test:matrix', {
  description: 'Run the unit suite on the aws-cdk-lib floor and the newest aws-cdk-lib, without feature flags and with those cdk init sets (tools/matrix/run)',
  exec: 'tools/matrix/run',
});

// ================================================================================================
// The tools
// ================================================================================================

// Releasing (tools/release/; the release options are at the top, the steps in CONTRIBUTING.md).
// Before `npx projen release` commits, it checks what it built at the new version: the API
// against the last release (compat) and the four artifacts. The release commit then records the
// released package.json and .jsii as the baseline every later change is compared with, offline
// and without tags. projen's own compat task asks npm for the last release; this one
// reads the committed baseline and the commits since it (tools/release/compat.ts), so CI runs it.
scriptFolder('tools/release');
// jsii-diff's exit code is the gate: 1 for a breaking change, anything else for a failure to compare.
project.addDevDeps('jsii-diff@^1.134.0');
project.removeTask('compat');
const compat = project.addTask('compat', {
  description: 'Compare the API with the last release (tools/release/baseline) with jsii-diff; a breaking change fails unless a commit since says it breaks',
  exec: 'ts-node --project tools/release/tsconfig.json tools/release/compat.ts',
});
const checkArtifacts = project.addTask('check:artifacts', {
  description: 'Check the npm, Python, Java and Go artifacts in dist/: the names the README promises, the version, Construct Hub\'s metadata, nothing but the library; print their sizes',
  exec: 'ts-node --project tools/release/tsconfig.json tools/release/artifacts.ts',
});
const releaseTask = project.tasks.tryFind('release');
const afterBuild = (releaseTask?.steps ?? []).findIndex((step) => step.spawn === project.buildTask.name) + 1;
releaseTask?.insertStep(afterBuild, { spawn: compat.name }, { spawn: checkArtifacts.name });
const publishGit = project.tasks.tryFind('publish:git');
publishGit?.prependExec('tools/release/record-baseline');
// It tags the release with its changelog entry, whose `#` headings git would strip as comments
// (leaving the first release's tag message empty): git's comment character is `;` there instead.
publishGit?.env('GIT_CONFIG_COUNT', '1');
publishGit?.env('GIT_CONFIG_KEY_0', 'core.commentChar');
publishGit?.env('GIT_CONFIG_VALUE_0', ';');
// The baseline's .jsii is committed, unlike the one each build writes at the root.
project.gitignore.include('/tools/release/baseline/.jsii');

// The templates security reviewers judge, and the tools they judge them with (installed from
// PyPI, pinned, by tools/security/scan itself).
scriptFolder('tools/security');
project.addTask('synth:security', {
  description: 'Synthesize every preset, flat and nested, to cdk.out/security for the security scan',
  exec: 'ts-node --project tools/security/tsconfig.json tools/security/synth-templates.ts',
});
project.addTask('security', {
  description: 'Judge the synthesized templates with cfn-lint, checkov, the replacement check and the runbook check against botocore (see SECURITY.md)',
  steps: [{ spawn: 'synth:security' }, { exec: 'tools/security/scan' }],
});

// Rollout time and cost modeled from the templates, synth speed and the developer loop.
scriptFolder('tools/bench');
project.addTask('bench', {
  description: 'Model rollout time and monthly cost, time synth and the developer loop; writes docs/benchmarks.md',
  exec: 'ts-node --project tools/bench/tsconfig.json tools/bench/run.ts',
});

// The generated-props properties of the unit suite (test/generated/), over thousands of cases:
// each distinct defect shrunk to its smallest props; figures to docs/benchmarks.md.
scriptFolder('tools/fuzz');
project.addTask('fuzz', {
  description: 'Run the generated-props properties over 5,000 cases (FUZZ_CASES, FUZZ_SEED), shrink each distinct defect, write the figures to docs/benchmarks.md',
  exec: 'ts-node --project tools/fuzz/tsconfig.json tools/fuzz/run.ts',
});

// The example deployment a newcomer synthesizes on a fresh clone, with no AWS account. It stays at
// the top (examples/), where a newcomer looks for it.
scriptFolder('examples');
project.addTask('synth:example', {
  description: 'Synthesize the bundled example deployment (examples/app.ts) to cdk.out and list its templates',
  exec: 'ts-node --project examples/tsconfig.json examples/app.ts',
});

project.synth();
