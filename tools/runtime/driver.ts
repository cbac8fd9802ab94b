/**
 * Runs the bundled functions (assets/private/<name>.lambda/index.js) on the Node.js that runs it:
 * tools/runtime/run bundles this driver and starts it with the Node.js of each Lambda runtime the
 * functions get (nodejs24.x on the aws-cdk-lib floor, the newest aws-cdk-lib's newest Node.js
 * runtime), the functions copied out of the project and the AWS SDK found through NODE_PATH only,
 * as the Lambda runtime lays them out (/var/task, /var/runtime/node_modules).
 *
 *   node driver.js <app-secret-rotation.lambda dir> <deployment-check.lambda dir> <atlas-rotation.lambda dir>
 *
 * Each function is loaded as the runtime loads a handler (require, and import() for a runtime that
 * imports), then run twice: through makeHandler with a client of the test's own, and through its
 * real entry point, whose AWS SDK client talks to a local server answering as Secrets Manager
 * (JSON protocol) or EC2 (query protocol) would. Each rotation function runs through Secrets
 * Manager's protocol: whole rotations, a rotation interrupted by a failed step and completed by
 * Secrets Manager's retry of it, and a step run twice. The Atlas rotation function calls a local
 * stand-in of the Atlas Administration API (test/atlas-api-stub.ts), with an API key (HTTP digest)
 * and a service account (OAuth 2.0). A table of the checks, then exit 1 if one failed.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as rotationModule from '../../src/private/app-secret-rotation.lambda';
import type * as atlasModule from '../../src/private/atlas-rotation.lambda';
import type * as checkModule from '../../src/private/deployment-check.lambda';
import { AtlasApiStub } from '../../test/atlas-api-stub';
import { SecretsManagerStub } from '../../test/secrets-manager-stub';

const [rotationDir, checkDir, atlasDir] = process.argv.slice(2);
const results: Array<{ check: string; ok: boolean; ms: number; detail: string }> = [];

async function step(check: string, run: () => Promise<string | void>): Promise<void> {
  const started = process.hrtime.bigint();
  try {
    const detail = (await run()) ?? '';
    results.push({ check, ok: true, ms: Number(process.hrtime.bigint() - started) / 1e6, detail });
  } catch (e) {
    results.push({ check, ok: false, ms: Number(process.hrtime.bigint() - started) / 1e6, detail: e instanceof Error ? e.message : String(e) });
  }
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

function body(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString())).on('error', reject);
  });
}

/**
 * Secrets Manager's JSON 1.1 protocol over the in-memory secret: X-Amz-Target names the operation.
 * The secret is read at each request: the entry point's SDK client, made once, keeps its endpoint.
 */
function secretsManagerEndpoint(secret: () => SecretsManagerStub): http.RequestListener {
  return async (req, res) => {
    const stub = secret();
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '') as rotationModule.SecretsManagerOperation;
    const input = JSON.parse(await body(req)) as rotationModule.SecretsManagerCommand['input'];
    try {
      const output = await stub.send({ operation, input } as rotationModule.SecretsManagerCommand);
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(output));
    } catch (e) {
      const { name, message } = e as Error;
      res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: name, message }));
    }
  };
}

/**
 * EC2's query protocol, DescribeNetworkInterfaces only: the load balancer's in-use interface at
 * 127.0.0.1, one of its interfaces not in use, and someone's own interface with the same
 * description (not requester-managed), which the function must leave out whatever the filters do.
 */
function ec2Endpoint(requests: URLSearchParams[]): http.RequestListener {
  const eni = (id: string, status: string, ip: string, requester: string, managed: boolean) => `<item><networkInterfaceId>${id}</networkInterfaceId>`
    + `<description>ELB app/fido/1</description><requesterId>${requester}</requesterId><requesterManaged>${managed}</requesterManaged>`
    + `<vpcId>vpc-1</vpcId><status>${status}</status><privateIpAddress>${ip}</privateIpAddress></item>`;
  return async (req, res) => {
    const params = new URLSearchParams(await body(req));
    requests.push(params);
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(
      '<?xml version="1.0" encoding="UTF-8"?>\n'
      + '<DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><networkInterfaceSet>'
      + eni('eni-1', 'in-use', '127.0.0.1', 'amazon-elb', true)
      + eni('eni-2', 'available', '10.0.0.9', 'amazon-elb', true)
      + eni('eni-3', 'in-use', '10.0.0.66', '111111111111', false)
      + '</networkInterfaceSet></DescribeNetworkInterfacesResponse>');
  };
}

const RULE = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener-rule/app/fido/1/2/3';
const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/green/2';

/**
 * Elastic Load Balancing's query protocol, DescribeRules and DescribeTargetHealth: the production
 * rule's weights on BLUE and GREEN as given, and each target group's targets' states.
 */
function elbEndpoint(requests: URLSearchParams[], weights: { blue: number; green: number }, states: Record<string, string[]>): http.RequestListener {
  const xml = (action: string, result: string) => '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<${action}Response xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><${action}Result>${result}</${action}Result>`
    + `<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`;
  return async (req, res) => {
    const params = new URLSearchParams(await body(req));
    requests.push(params);
    const group = (arn: string, weight: number) => `<member><TargetGroupArn>${arn}</TargetGroupArn><Weight>${weight}</Weight></member>`;
    const answer = params.get('Action') === 'DescribeRules'
      ? xml('DescribeRules', `<Rules><member><RuleArn>${RULE}</RuleArn><Priority>1</Priority><Actions><member><Type>forward</Type>`
        + `<ForwardConfig><TargetGroups>${group(BLUE, weights.blue)}${group(GREEN, weights.green)}</TargetGroups></ForwardConfig></member></Actions></member></Rules>`)
      : xml('DescribeTargetHealth', `<TargetHealthDescriptions>${(states[params.get('TargetGroupArn') ?? ''] ?? [])
        .map((state, i) => `<member><Target><Id>10.0.0.${i + 1}</Id><Port>5001</Port></Target><TargetHealth><State>${state}</State></TargetHealth></member>`).join('')}</TargetHealthDescriptions>`);
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(answer);
  };
}

/** The function as the runtime loads it, by require and by import(): both must give the same handler. */
async function load<T extends { handler: unknown }>(dir: string): Promise<T> {
  const file = path.resolve(dir, 'index.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const required = require(file) as T;
  const imported = await import(pathToFileURL(file).href) as T;
  assert.strictEqual(typeof required.handler, 'function', 'require: no handler function');
  assert.strictEqual(imported.handler, required.handler, 'import(): not the handler require gives');
  return required;
}

/** The version of an SDK package, which must be found through NODE_PATH, as the runtime's is. */
function sdkVersion(name: string): string {
  const resolved = require.resolve(name);
  for (const dir of (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, name, 'package.json');
    if (resolved.startsWith(path.join(dir, name) + path.sep) && fs.existsSync(file)) {
      return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    }
  }
  throw new Error(`${name} resolves to ${resolved}, not through NODE_PATH`);
}

const INITIAL = JSON.stringify({ jwtSecret: 'initial-jwt-secret-value', apiKey: 'an-api-key' });

/** A bundle loaded as the runtime loads it, as the first step of its checks; undefined if that failed. */
async function loadStep<T extends { handler: unknown }>(name: string, dir: string): Promise<T | undefined> {
  let bundle: T | undefined;
  await step(`${name}: loads (require, import)`, async () => {
    bundle = await load<T>(dir);
  });
  return bundle;
}

async function rotationChecks(): Promise<void> {
  const bundle = await loadStep<typeof rotationModule>('app-secret-rotation', rotationDir);
  if (!bundle) {
    return;
  }
  const { makeHandler, handler } = bundle;
  // One local Secrets Manager for the entry point's client, serving each check's secret in turn.
  let served = new SecretsManagerStub(INITIAL);
  const endpoint = await listen(secretsManagerEndpoint(() => served));
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint.url;
  try {
    await rotationRuns(makeHandler, handler, (stub) => {
      served = stub;
    });
  } finally {
    endpoint.server.close();
  }
}

async function rotationRuns(
  makeHandler: typeof rotationModule.makeHandler, handler: typeof rotationModule.handler, serve: (stub: SecretsManagerStub) => void,
): Promise<void> {
  await step('app-secret-rotation: two rotations, test client', async () => {
    const stub = new SecretsManagerStub(INITIAL);
    const handle = makeHandler({ client: stub, log: () => undefined });
    await stub.rotate(handle);
    const first = JSON.parse(stub.valueAt('AWSCURRENT')!);
    await stub.rotate(handle);
    const second = JSON.parse(stub.valueAt('AWSCURRENT')!);
    assert.match(first.jwtSecret, /^[A-Za-z0-9_-]{86}$/);
    assert.deepStrictEqual(second, { jwtSecret: second.jwtSecret, jwtSecretPrevious: first.jwtSecret, apiKey: 'an-api-key' });
    return `${stub.calls.length} calls`;
  });
  await step('app-secret-rotation: a rotation interrupted in finishSecret, retried by Secrets Manager; a step run twice', async () => {
    const stub = new SecretsManagerStub(INITIAL);
    const handle = makeHandler({ client: stub, log: () => undefined });
    const token = stub.startRotation();
    for (const name of ['createSecret', 'setSecret', 'testSecret'] as const) {
      await handle(stub.event(name, token));
    }
    stub.failNext.set('UpdateSecretVersionStage', 'InternalServiceError');
    await assert.rejects(handle(stub.event('finishSecret', token)), /injected InternalServiceError/);
    assert.deepStrictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!), JSON.parse(INITIAL), 'AWSCURRENT moved in an interrupted rotation');
    assert.throws(() => stub.startRotation(), /previous rotation isn't complete/);
    // Secrets Manager's retry runs the steps again, with the same token; finishSecret twice.
    for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret', 'finishSecret'] as const) {
      await handle(stub.event(name, token));
    }
    assert.strictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!).jwtSecretPrevious, 'initial-jwt-secret-value');
    // Finished as AWS's templates finish: AWSPENDING is taken off the version made current.
    assert.strictEqual(stub.stages()[token].join(), 'AWSCURRENT');
  });
  await step('app-secret-rotation: entry point, SDK client to a local Secrets Manager', async () => {
    const stub = new SecretsManagerStub(INITIAL);
    serve(stub);
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      // createSecret reads the empty pending version first: the SDK must give Secrets Manager's
      // ResourceNotFoundException back by name, or nothing would ever be put.
      const token = await stub.rotate(handler);
      // The next rotation's createSecret, run twice: the second finds the value the first put.
      const rerun = stub.startRotation();
      await handler(stub.event('createSecret', rerun));
      await handler(stub.event('createSecret', rerun));
      assert.deepStrictEqual(JSON.parse(stub.valueAt('AWSPREVIOUS')!), JSON.parse(INITIAL));
      assert.strictEqual(stub.stages()[token].join(), 'AWSCURRENT');
      assert.ok(lines.every((l) => !l.includes('initial-jwt-secret-value')), 'a log line holds the secret');
      return `${stub.calls.length} calls through @aws-sdk/client-secrets-manager ${sdkVersion('@aws-sdk/client-secrets-manager')}`;
    } finally {
      console.log = log;
    }
  });
  await step('app-secret-rotation: entry point, a rotation interrupted by a value put by hand, a retried step, the next rotation', async () => {
    const stub = new SecretsManagerStub(INITIAL);
    serve(stub);
    const log = console.log;
    console.log = () => undefined;
    try {
      const interrupted = stub.startRotation();
      await handler(stub.event('createSecret', interrupted));
      await handler(stub.event('setSecret', interrupted));
      // An operator's PutSecretValue moves AWSCURRENT before testSecret.
      const byHand = { jwtSecret: 'jwt-put-by-hand', apiKey: 'api-key-put-by-hand' };
      await stub.send({ operation: 'PutSecretValue', input: { SecretId: stub.arn, ClientRequestToken: 'by-hand', SecretString: JSON.stringify(byHand), VersionStages: ['AWSCURRENT'] } });
      await assert.rejects(handler(stub.event('testSecret', interrupted)), /the rotation is abandoned/);
      // Secrets Manager retries the step: it fails, changing nothing.
      await assert.rejects(handler(stub.event('testSecret', interrupted)), /has no stage/);
      assert.deepStrictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!), byHand);
      // The next rotation is accepted, and keeps the jwtSecret that was current as the previous one.
      const next = await stub.rotate(handler);
      const current = JSON.parse(stub.valueAt('AWSCURRENT')!);
      assert.deepStrictEqual(current, { jwtSecret: current.jwtSecret, jwtSecretPrevious: byHand.jwtSecret, apiKey: byHand.apiKey });
      assert.deepStrictEqual(stub.stages()[next], ['AWSCURRENT']);
      return `${stub.calls.length} calls through the SDK`;
    } finally {
      console.log = log;
    }
  });
}

const ATLAS_INITIAL = JSON.stringify({ username: 'fido', password: 'initial-mongodb-password', host: 'cluster0.abcde.mongodb.net', port: '27017' });
const API_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:atlas-api-AbCdEf';

/** A local Atlas with the user fido, a secret over it with the API key's secret beside, and whether the AWSCURRENT user logs in. */
async function atlasSetup(credentials: (atlas: AtlasApiStub) => object) {
  const atlas = new AtlasApiStub({ fido: { password: 'initial-mongodb-password', roles: [{ roleName: 'readWrite', databaseName: 'fido' }], scopes: [{ name: 'Cluster0', type: 'CLUSTER' }] } });
  const server = await atlas.listen();
  const stub = new SecretsManagerStub(ATLAS_INITIAL);
  stub.others.set(API_SECRET_ARN, JSON.stringify(credentials(atlas)));
  const env = { ATLAS_PROJECT_ID: atlas.projectId, ATLAS_API_SECRET_ARN: API_SECRET_ARN, MONGODB_USERNAME: 'fido', ATLAS_ADMIN_API_URL_FOR_TESTS: server.url };
  const works = (stage: string) => {
    const value = JSON.parse(stub.valueAt(stage) ?? '{}');
    return atlas.users.get(value.username)?.password === value.password;
  };
  return { atlas, server, stub, env, works };
}

async function atlasChecks(): Promise<void> {
  const bundle = await loadStep<typeof atlasModule>('atlas-rotation', atlasDir);
  if (!bundle) {
    return;
  }
  const { makeHandler, handler } = bundle;
  await step('atlas-rotation: three rotations, API key (HTTP digest) to a local Atlas; the AWSCURRENT user logs in after every step', async () => {
    const { atlas, server, stub, env, works } = await atlasSetup((a) => a.apiKey);
    try {
      const handle = makeHandler({ client: stub, env, log: () => undefined });
      const users: string[] = [];
      for (let i = 0; i < 3; i++) {
        const token = stub.startRotation();
        for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
          await handle(stub.event(name, token));
          assert.ok(works('AWSCURRENT'), `the AWSCURRENT user no longer logs in after ${name}`);
        }
        users.push(JSON.parse(stub.valueAt('AWSCURRENT')!).username);
      }
      assert.deepStrictEqual(users, ['fido_clone', 'fido', 'fido_clone']);
      assert.deepStrictEqual(atlas.users.get('fido_clone')!.roles, atlas.users.get('fido')!.roles);
      return `${atlas.calls.length} calls to the stand-in`;
    } finally {
      await server.close();
    }
  });
  await step('atlas-rotation: a rotation interrupted in setSecret (Atlas answers 503), retried by Secrets Manager; steps run twice', async () => {
    const { atlas, server, stub, env, works } = await atlasSetup((a) => a.apiKey);
    try {
      const handle = makeHandler({ client: stub, env, log: () => undefined });
      await stub.rotate(handle);
      const token = stub.startRotation();
      await handle(stub.event('createSecret', token));
      await handle(stub.event('createSecret', token));
      atlas.failNext.set('PATCH', 503);
      await assert.rejects(handle(stub.event('setSecret', token)), /HTTP 503/);
      assert.strictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!).username, 'fido_clone');
      assert.ok(works('AWSCURRENT'), 'the interrupted rotation broke the AWSCURRENT user');
      assert.throws(() => stub.startRotation(), /previous rotation isn't complete/);
      for (const name of ['createSecret', 'setSecret', 'setSecret', 'testSecret', 'finishSecret', 'finishSecret'] as const) {
        await handle(stub.event(name, token));
      }
      assert.strictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!).username, 'fido');
      assert.ok(works('AWSCURRENT') && works('AWSPREVIOUS'), 'after the retry, a user of the pair does not log in');
    } finally {
      await server.close();
    }
  });
  await step('atlas-rotation: entry point, SDK client to a local Secrets Manager, service account (OAuth 2.0) to a local Atlas', async () => {
    const { atlas, server, stub, env, works } = await atlasSetup((a) => a.serviceAccount);
    const sm = await listen(secretsManagerEndpoint(() => stub));
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.url;
    Object.assign(process.env, env);
    const log = console.log;
    const lines: string[] = [];
    console.log = (line: string) => lines.push(line);
    try {
      await stub.rotate(handler);
      assert.strictEqual(JSON.parse(stub.valueAt('AWSCURRENT')!).username, 'fido_clone');
      assert.ok(works('AWSCURRENT'));
      assert.ok(atlas.calls.some((c) => c.path === '/api/oauth/token' && c.status === 200), 'no access token was asked for');
      const secrets = ['initial-mongodb-password', atlas.serviceAccount.clientSecret, JSON.parse(stub.valueAt('AWSCURRENT')!).password];
      assert.ok(lines.every((l) => secrets.every((v) => !l.includes(v))), 'a log line holds a secret');
      return `${stub.calls.length} calls through @aws-sdk/client-secrets-manager ${sdkVersion('@aws-sdk/client-secrets-manager')}, ${atlas.calls.length} to the stand-in`;
    } finally {
      console.log = log;
      for (const key of Object.keys(env)) {
        delete process.env[key];
      }
      sm.server.close();
      await server.close();
    }
  });
}

async function deploymentCheckChecks(): Promise<void> {
  const bundle = await loadStep<typeof checkModule>('deployment-check', checkDir);
  if (!bundle) {
    return;
  }
  const { makeHandler, findLoadBalancerAddresses, readProductionTargets, handler } = bundle;
  const hosts: Array<string | undefined> = [];
  const app = await listen((req, res) => {
    hosts.push(req.headers.host);
    res.writeHead(req.url === '/health' ? 200 : 500).end();
  });
  const port = Number(new URL(app.url).port);
  const env = (p: string) => ({
    SERVER_NAME: 'fido.example.com',
    LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/fido/1',
    LOAD_BALANCER_VPC_ID: 'vpc-1',
    DEPLOYMENT_CHECKS: JSON.stringify([{ port, path: p, expectedStatusCodes: '200' }]),
    CHECK_ATTEMPTS: '1',
    PRODUCTION_RULE_ARNS: JSON.stringify([RULE]),
  });
  const noProduction = async () => [];
  try {
    await step('deployment-check: SUCCEEDED and FAILED, test addresses', async () => {
      const run = (p: string) => makeHandler({ findAddresses: async () => ['127.0.0.1'], readProduction: noProduction, protocol: 'http', env: env(p), log: () => undefined })({});
      assert.deepStrictEqual(await run('/health'), { hookStatus: 'SUCCEEDED' });
      assert.deepStrictEqual(await run('/broken'), { hookStatus: 'FAILED' });
      assert.deepStrictEqual(hosts, ['fido.example.com', 'fido.example.com']);
    });
    await step('deployment-check: addresses from the SDK client to a local EC2', async () => {
      const requests: URLSearchParams[] = [];
      const ec2 = await listen(ec2Endpoint(requests));
      process.env.AWS_ENDPOINT_URL_EC2 = ec2.url;
      try {
        const handle = makeHandler({ findAddresses: (i) => findLoadBalancerAddresses(i), readProduction: noProduction, protocol: 'http', env: env('/health'), log: () => undefined });
        assert.deepStrictEqual(await handle({}), { hookStatus: 'SUCCEEDED' });
        assert.strictEqual(requests[0]?.get('Action'), 'DescribeNetworkInterfaces');
        const filters = Object.fromEntries([1, 2, 3, 4].map((i) => [requests[0]?.get(`Filter.${i}.Name`), requests[0]?.get(`Filter.${i}.Value.1`)]));
        assert.deepStrictEqual(filters, { 'description': 'ELB app/fido/1', 'requester-id': 'amazon-elb', 'requester-managed': 'true', 'vpc-id': 'vpc-1' });
        // The other interfaces of the answer are not asked: the stand-in's app listens on 127.0.0.1 only.
        assert.deepStrictEqual(await findLoadBalancerAddresses({ description: 'ELB app/fido/1', vpcId: 'vpc-1' }), ['127.0.0.1']);
        return `through @aws-sdk/client-ec2 ${sdkVersion('@aws-sdk/client-ec2')}`;
      } finally {
        ec2.server.close();
      }
    });
    // Before ECS starts a revision: the production rule's weights and target health from a local
    // Elastic Load Balancing, through the entry point's own SDK client (made once, so one endpoint
    // whose weights each step sets).
    const requests: URLSearchParams[] = [];
    const live = { blue: 0, green: 0 };
    const elb = await listen(elbEndpoint(requests, live, { [BLUE]: [], [GREEN]: ['healthy', 'healthy', 'draining'] }));
    process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 = elb.url;
    Object.assign(process.env, env('/health'));
    for (const [name, weights, expected] of [
      ['healthy target group in production', { blue: 0, green: 100 }, 'SUCCEEDED'],
      ['production weight on an empty target group', { blue: 100, green: 0 }, 'FAILED'],
    ] as const) {
      await step(`deployment-check: PRE_SCALE_UP, ${name}: ${expected}, SDK client to a local Elastic Load Balancing`, async () => {
        Object.assign(live, weights);
        requests.length = 0;
        const log = console.log;
        const lines: string[] = [];
        console.log = (line: string) => lines.push(line);
        try {
          assert.deepStrictEqual(await handler({ lifecycleStage: 'PRE_SCALE_UP', executionDetails: {} }), { hookStatus: expected });
          assert.deepStrictEqual(requests.map((r) => r.get('Action')), ['DescribeRules', 'DescribeTargetHealth', 'DescribeTargetHealth']);
          assert.strictEqual(requests[0].get('RuleArns.member.1'), RULE);
          const targets = await readProductionTargets([RULE]);
          const counted = targets.map((t) => [t.targetGroupArn, t.weight, t.registered, t.healthy]);
          assert.deepStrictEqual(counted, [[BLUE, weights.blue, 0, 0], [GREEN, weights.green, 2, 2]]);
          return `${JSON.parse(lines[lines.length - 1]).reason}; through @aws-sdk/client-elastic-load-balancing-v2 ${sdkVersion('@aws-sdk/client-elastic-load-balancing-v2')}`;
        } finally {
          console.log = log;
        }
      });
    }
    elb.server.close();
  } finally {
    app.server.close();
  }
}

async function main(): Promise<void> {
  // The SDK clients read these; a local endpoint takes any signature.
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', AWS_EC2_METADATA_DISABLED: 'true' });
  await rotationChecks();
  await atlasChecks();
  await deploymentCheckChecks();
  console.log(`Node.js ${process.version} (V8 ${process.versions.v8}) on ${process.platform}-${process.arch}`);
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.ms.toFixed(1).padStart(8)} ms  ${r.check}${r.detail ? `: ${r.detail}` : ''}`);
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
}

void main();
