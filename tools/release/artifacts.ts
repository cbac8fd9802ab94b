/**
 * The four artifacts in dist/, as publib would publish them: the npm tarball, the Python wheel and
 * sdist, the Maven artifact and the Go module. Each must carry the name the README's Install table
 * promises and the version being released (dist/version.txt during a release, else package.json),
 * the npm package the metadata Construct Hub reads, and nothing but the library: no cache, test,
 * tool, synthesized template or snapshot. Every binding embeds the npm tarball checked here.
 * Prints each artifact's size and file count.
 *
 *   ts-node --project tools/release/tsconfig.json tools/release/artifacts.ts
 *
 * Run by tools/consumers/run after it packs (`npx projen test:bindings`, in CI) and by
 * `npx projen release` after the release build.
 */
import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const DIST = 'dist';
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf-8'));
const version: string = fs.existsSync(path.join(DIST, 'version.txt'))
  ? fs.readFileSync(path.join(DIST, 'version.txt'), 'utf-8').trim()
  : pkg.version;
const readme = fs.readFileSync('README.md', 'utf-8');
const { python, java, go } = pkg.jsii.targets;

const problems: string[] = [];
const rows: string[] = [];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { maxBuffer: 256 * 1024 * 1024 });
/** The files of an archive (directories left out): tar for .tgz and .tar.gz, unzip for .whl and .jar. */
const entries = (file: string) => (/\.(tgz|tar\.gz)$/.test(file) ? run('tar', '-tzf', file) : run('unzip', '-Z1', file))
  .toString().split('\n').filter((e) => e && !e.endsWith('/'));
const member = (file: string, name: string) => (/\.(tgz|tar\.gz)$/.test(file) ? run('tar', '-xzOf', file, name) : run('unzip', '-p', file, name));

function expect(ok: boolean, problem: string): void {
  if (!ok) {
    problems.push(problem);
  }
}

/** One artifact: it must exist, every file must match `allowed`, and `required` must be there. */
function archive(file: string, allowed: RegExp, required: string[]): string[] {
  if (!fs.existsSync(file)) {
    problems.push(`${file}: missing (dist/ holds ${listFiles(DIST).join(', ') || 'nothing'})`);
    return [];
  }
  const files = entries(file);
  for (const extra of files.filter((f) => !allowed.test(f))) {
    problems.push(`${file}: holds ${extra}, which is not the library`);
  }
  for (const missing of required.filter((r) => !files.includes(r))) {
    problems.push(`${file}: lacks ${missing}`);
  }
  rows.push(`${file}  ${(fs.statSync(file).size / 1024).toFixed(0)} KiB  ${files.length} files`);
  return files;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

// npm: the package users install, and the tarball every binding embeds. Besides the library, it
// holds the documents the README links (SECURITY.md, docs/): npm and Construct Hub render the
// README from the package.
const tarball = path.join(DIST, 'js', `${pkg.name}@${version}.jsii.tgz`);
const npmFiles = archive(tarball,
  /^package\/(lib\/.+\.(js|d\.ts)|assets\/private\/[^/]+\.lambda\/index\.js|\.jsii|\.jsii\.tabl\.json|API\.md|LICENSE|README\.md|SECURITY\.md|docs\/[^/]+\.md|package\.json)$/,
  ['package/package.json', 'package/.jsii', 'package/lib/index.js', 'package/lib/index.d.ts', 'package/README.md', 'package/LICENSE', 'package/API.md']);
const tarballSha = npmFiles.length ? sha(fs.readFileSync(tarball)) : '';
if (npmFiles.includes('package/package.json')) {
  const meta = JSON.parse(member(tarball, 'package/package.json').toString());
  expect(meta.version === version, `${tarball}: package.json version ${meta.version}, not ${version}`);
  expect(readme.includes(`npm install ${meta.name}`), `README.md: no \`npm install ${meta.name}\``);
  // What Construct Hub lists and shows: an AWS CDK construct library (keywords, the aws-cdk-lib
  // peer), its stability, license, repository and description, and the languages' package names.
  for (const keyword of ['cdk', 'awscdk', 'aws-cdk']) {
    expect(meta.keywords?.includes(keyword), `${tarball}: keyword ${keyword} missing`);
  }
  expect(meta.peerDependencies?.['aws-cdk-lib'] !== undefined, `${tarball}: no aws-cdk-lib peer dependency`);
  expect(['stable', 'experimental'].includes(meta.stability), `${tarball}: stability ${meta.stability}`);
  expect(meta.license === 'Apache-2.0', `${tarball}: license ${meta.license}`);
  expect(/^https:\/\/github\.com\/.+\.git$/.test(meta.repository?.url ?? ''), `${tarball}: repository ${JSON.stringify(meta.repository)}`);
  expect((meta.description ?? '').length > 20, `${tarball}: no description`);
  expect(JSON.stringify(meta.jsii?.targets) === JSON.stringify(pkg.jsii.targets), `${tarball}: jsii targets differ from package.json's`);
}

/** A binding embeds the npm tarball: the very one checked above. */
function embeds(file: string, name: string, files: string[]): void {
  if (files.includes(name)) {
    expect(sha(member(file, name)) === tarballSha, `${file}: ${name} is not ${tarball}`);
  }
}

// Python: the wheel pip installs, and the sdist beside it.
const mod = esc(python.module);
const jsiiTgz = `${esc(pkg.name)}@${esc(version)}\\.jsii\\.tgz`;
const wheel = path.join(DIST, 'python', `${python.module}-${version}-py3-none-any.whl`);
const embeddedPy = `${python.module}/_jsii/${pkg.name}@${version}.jsii.tgz`;
const wheelFiles = archive(wheel,
  new RegExp(`^(${mod}/(.+\\.py|py\\.typed|_jsii/${jsiiTgz})|${mod}-${esc(version)}\\.dist-info/(LICENSE|METADATA|WHEEL|RECORD|top_level\\.txt)|${mod}-${esc(version)}\\.data/scripts/[^/]+)$`),
  [`${python.module}/__init__.py`, embeddedPy, `${python.module}-${version}.dist-info/METADATA`]);
embeds(wheel, embeddedPy, wheelFiles);
if (wheelFiles.length) {
  const metadata = member(wheel, `${python.module}-${version}.dist-info/METADATA`).toString();
  expect(metadata.includes(`\nName: ${python.distName}\n`), `${wheel}: METADATA names no ${python.distName}`);
  expect(metadata.includes(`\nVersion: ${version}\n`), `${wheel}: METADATA is not version ${version}`);
  expect(readme.includes(`pip install ${python.distName}`), `README.md: no \`pip install ${python.distName}\``);
}
const sdistRoot = `${python.module}-${version}`;
archive(path.join(DIST, 'python', `${sdistRoot}.tar.gz`),
  new RegExp(`^${esc(sdistRoot)}/(LICENSE|MANIFEST\\.in|PKG-INFO|README\\.md|pyproject\\.toml|setup\\.cfg|setup\\.py|src/${mod}/(.+\\.py|py\\.typed|_jsii/${jsiiTgz}|_jsii/bin/[^/]+)|src/${mod}\\.egg-info/[^/]+)$`),
  [`${sdistRoot}/setup.py`, `${sdistRoot}/src/${python.module}/__init__.py`]);

// Java: a Maven repository layout publib deploys from, and the jar in it.
const groupPath = java.maven.groupId.replace(/\./g, '/');
const artifact = `${java.maven.artifactId}-${version}`;
const javaDir = path.join(DIST, 'java', groupPath, java.maven.artifactId);
const javaFiles = listFiles(path.join(DIST, 'java'));
const javaAllowed = new RegExp(`^${esc(groupPath)}/${esc(java.maven.artifactId)}/(maven-metadata\\.xml|${esc(version)}/${esc(artifact)}(-sources|-javadoc)?\\.jar|${esc(version)}/${esc(artifact)}\\.pom)(\\.md5|\\.sha1)?$`);
for (const extra of javaFiles.filter((f) => !javaAllowed.test(f))) {
  problems.push(`${DIST}/java: holds ${extra}, which is not the ${java.maven.groupId}:${java.maven.artifactId} artifact`);
}
const jar = path.join(javaDir, version, `${artifact}.jar`);
const javaPackage = esc(java.package.replace(/\./g, '/'));
const embeddedJava = `${java.package.replace(/\./g, '/')}/${pkg.name}@${version}.jsii.tgz`;
const jarFiles = archive(jar,
  new RegExp(`^(META-INF/(MANIFEST\\.MF|INDEX\\.LIST|maven/${esc(java.maven.groupId)}/${esc(java.maven.artifactId)}/pom\\.(xml|properties))|${javaPackage}/([^/]+\\.class|\\$Module\\.txt|${jsiiTgz}))$`),
  [embeddedJava, `META-INF/maven/${java.maven.groupId}/${java.maven.artifactId}/pom.xml`]);
embeds(jar, embeddedJava, jarFiles);
archive(path.join(javaDir, version, `${artifact}-sources.jar`),
  new RegExp(`^(META-INF/(MANIFEST\\.MF|maven/.+/pom\\.(xml|properties))|${javaPackage}/([^/]+\\.java|\\$Module\\.txt|${jsiiTgz}))$`), []);
const pom = path.join(javaDir, version, `${artifact}.pom`);
if (fs.existsSync(pom)) {
  const xml = fs.readFileSync(pom, 'utf-8');
  for (const [tag, value] of [['groupId', java.maven.groupId], ['artifactId', java.maven.artifactId], ['version', version]]) {
    expect(xml.includes(`<${tag}>${value}</${tag}>`), `${pom}: no <${tag}>${value}</${tag}>`);
  }
  expect(readme.includes(`${java.maven.groupId}:${java.maven.artifactId}`), `README.md: no Maven \`${java.maven.groupId}:${java.maven.artifactId}\``);
} else {
  problems.push(`${pom}: missing`);
}

// Go: the module publib-golang pushes to its repository, tagged with its version file.
const goModules = fs.existsSync(path.join(DIST, 'go')) ? fs.readdirSync(path.join(DIST, 'go')) : [];
expect(goModules.length === 1 && goModules[0] === go.packageName, `${DIST}/go: holds ${goModules.join(', ') || 'nothing'}, not one module ${go.packageName}`);
const goDir = path.join(DIST, 'go', go.packageName);
const goFiles = listFiles(goDir);
const goModule = `${go.moduleName}/${go.packageName}`;
const embeddedGo = `jsii/${pkg.name}-${version}.tgz`;
for (const extra of goFiles.filter((f) => !new RegExp(`^(go\\.mod|go\\.sum|version|LICENSE|NOTICE|README\\.md|[^/]+\\.go|internal/[^/]+\\.go|jsii/jsii\\.go|${esc(embeddedGo)})$`).test(f))) {
  problems.push(`${goDir}: holds ${extra}, which is not the module`);
}
if (goFiles.includes('go.mod') && goFiles.includes('version') && goFiles.includes(embeddedGo)) {
  expect(fs.readFileSync(path.join(goDir, 'go.mod'), 'utf-8').startsWith(`module ${goModule}\n`), `${goDir}/go.mod: module is not ${goModule}`);
  expect(fs.readFileSync(path.join(goDir, 'version'), 'utf-8').trim() === version, `${goDir}/version is not ${version}`);
  expect(sha(fs.readFileSync(path.join(goDir, embeddedGo))) === tarballSha, `${goDir}/${embeddedGo} is not ${tarball}`);
  expect(readme.includes(`go get ${goModule}`), `README.md: no \`go get ${goModule}\``);
  const size = goFiles.reduce((sum, f) => sum + fs.statSync(path.join(goDir, f)).size, 0);
  rows.push(`${goDir}/  ${(size / 1024).toFixed(0)} KiB  ${goFiles.length} files`);
} else {
  problems.push(`${goDir}: lacks go.mod, version or ${embeddedGo}`);
}

console.log(`artifacts at ${version}:\n${rows.map((r) => `  ${r}`).join('\n')}`);
if (problems.length) {
  console.error(`${problems.length} problem(s) with the artifacts:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
}
