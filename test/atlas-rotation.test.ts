import * as path from 'path';
import { AtlasApiStub } from './atlas-api-stub';
import { SecretsManagerStub } from './secrets-manager-stub';
import { AtlasHandlerDeps, digestAuthorization, makeHandler, newPassword, otherUser } from '../src/private/atlas-rotation.lambda';

const API_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:atlas-api-key-AbCdEf';
const PASSWORD_0 = 'initial-password-0123456789abcdef';
const INITIAL = JSON.stringify({ username: 'fido', password: PASSWORD_0, host: 'cluster0.abcde.mongodb.net', port: '27017' });
const ROLES = [{ roleName: 'readWrite', databaseName: 'fido' }, { roleName: 'read', databaseName: 'config' }];
const SCOPES = [{ name: 'Cluster0', type: 'CLUSTER' }];

let atlas: AtlasApiStub;
let server: { url: string; close: () => Promise<void> };

beforeEach(async () => {
  atlas = new AtlasApiStub({ fido: { password: PASSWORD_0, roles: ROLES, scopes: SCOPES, labels: [{ key: 'app', value: 'fido' }] } });
  server = await atlas.listen();
});
afterEach(() => server.close());

/** A stub secret, the API key's secret beside it, and a handler over both that draws pw-1, pw-2, ... and keeps its log lines. */
function setup(credentials: object = atlas.apiKey, deps: Partial<AtlasHandlerDeps> = {}) {
  const secret = new SecretsManagerStub(INITIAL);
  secret.others.set(API_SECRET_ARN, JSON.stringify(credentials));
  const lines: string[] = [];
  let n = 0;
  const handle = makeHandler({
    client: secret,
    env: { ATLAS_PROJECT_ID: atlas.projectId, ATLAS_API_SECRET_ARN: API_SECRET_ARN, MONGODB_USERNAME: 'fido', ATLAS_ADMIN_API_URL_FOR_TESTS: server.url },
    random: () => `pw-${++n}-${'x'.repeat(24)}`,
    log: (line) => lines.push(line),
    ...deps,
  });
  const json = (at: string) => JSON.parse(secret.valueAt(at) ?? 'null');
  /** Whether the user in the version at `stage` logs in to Atlas with its password. */
  const works = (stage: string) => atlas.users.get(json(stage).username)?.password === json(stage).password;
  return { secret, handle, lines, json, works };
}

type Setup = ReturnType<typeof setup>;

async function steps(s: Setup, token: string, ...names: Array<'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret'>) {
  for (const name of names) {
    await s.handle(s.secret.event(name, token));
  }
}

describe('createSecret', () => {
  test('puts the other user of the pair with a new password, every other key kept, with the RotationToken', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token, 'rotation-token-1'));
    expect(JSON.parse(s.secret.valueAt('AWSPENDING')!)).toEqual({ ...JSON.parse(INITIAL), username: 'fido_clone', password: 'pw-1-xxxxxxxxxxxxxxxxxxxxxxxx' });
    expect(s.secret.calls.find((c) => c.operation === 'PutSecretValue')!.input).toEqual(expect.objectContaining({ RotationToken: 'rotation-token-1', VersionStages: ['AWSPENDING'] }));
    // Nothing in Atlas yet.
    expect(atlas.calls).toEqual([]);
  });

  test('run again, does nothing: the pending value stays the one first put', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret', 'createSecret');
    expect(s.json('AWSPENDING').password).toBe('pw-1-xxxxxxxxxxxxxxxxxxxxxxxx');
  });

  test('refuses a current user outside the pair the deployment names', async () => {
    const s = setup();
    await s.secret.send({ operation: 'PutSecretValue', input: { SecretId: s.secret.arn, ClientRequestToken: 'v-admin', SecretString: JSON.stringify({ ...JSON.parse(INITIAL), username: 'admin' }), VersionStages: ['AWSCURRENT'] } });
    const token = s.secret.startRotation();
    await expect(s.handle(s.secret.event('createSecret', token))).rejects.toThrow('the user "admin" is neither "fido" nor "fido_clone": the function changes the password of these two users only');
    expect(s.secret.valueAt('AWSPENDING')).toBeUndefined();
  });
});

describe('setSecret', () => {
  test('the first rotation creates the clone with the current user\'s roles, scopes and labels, and never touches the current user', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret', 'setSecret');
    expect(atlas.users.get('fido_clone')).toEqual({ password: 'pw-1-xxxxxxxxxxxxxxxxxxxxxxxx', roles: ROLES, scopes: SCOPES, labels: [{ key: 'app', value: 'fido' }] });
    expect(atlas.users.get('fido')!.password).toBe(PASSWORD_0);
    expect(atlas.calls.filter((c) => c.auth !== 'none').map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `GET /api/atlas/v2/groups/${atlas.projectId}/databaseUsers/admin/fido_clone 404`,
      `GET /api/atlas/v2/groups/${atlas.projectId}/databaseUsers/admin/fido 200`,
      `POST /api/atlas/v2/groups/${atlas.projectId}/databaseUsers 201`,
    ]);
    // Each call with an API key answers a digest challenge first.
    expect(atlas.calls.every((c, i) => (i % 2 === 0 ? c.auth === 'none' && c.status === 401 : c.auth === 'digest'))).toBe(true);
  });

  test('once the clone exists, sets the other user\'s password (PATCH), and run again sets the same one again', async () => {
    const s = setup();
    await s.secret.rotate(s.handle);
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret', 'setSecret', 'setSecret');
    expect(s.json('AWSPENDING').username).toBe('fido');
    expect(atlas.users.get('fido')!.password).toBe('pw-2-xxxxxxxxxxxxxxxxxxxxxxxx');
    expect(atlas.users.get('fido_clone')!.password).toBe('pw-1-xxxxxxxxxxxxxxxxxxxxxxxx');
    expect(atlas.calls.filter((c) => c.method === 'PATCH' && c.auth === 'digest').map((c) => c.path)).toEqual([
      `/api/atlas/v2/groups/${atlas.projectId}/databaseUsers/admin/fido`,
      `/api/atlas/v2/groups/${atlas.projectId}/databaseUsers/admin/fido`,
    ]);
  });

  test('a clone created since it looked (409 on POST) gets its password set instead', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    // The GET finds no clone; by the POST there is one (an earlier attempt whose answer was lost).
    atlas.afterCall = (call) => {
      if (call.method === 'GET' && call.status === 404) {
        atlas.users.set('fido_clone', { password: 'set-by-a-lost-attempt', roles: ROLES, scopes: SCOPES });
      }
    };
    await steps(s, token, 'setSecret');
    expect(atlas.users.get('fido_clone')!.password).toBe('pw-1-xxxxxxxxxxxxxxxxxxxxxxxx');
    expect(atlas.calls.filter((c) => c.auth === 'digest').map((c) => `${c.method} ${c.status}`)).toEqual(['GET 404', 'GET 200', 'POST 409', 'PATCH 200']);
  });

  test('fails, naming the call and Atlas\'s error code, when Atlas refuses; the current user is untouched', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    atlas.failNext.set('POST', 500);
    await expect(steps(s, token, 'setSecret')).rejects.toThrow(`the Atlas Administration API answered POST /api/atlas/v2/groups/${atlas.projectId}/databaseUsers with HTTP 500 (UNEXPECTED_ERROR)`);
    expect(s.works('AWSCURRENT')).toBe(true);
  });

  test('fails when the current user does not exist in Atlas, which leaves no roles to copy', async () => {
    const s = setup();
    atlas.users.delete('fido');
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    await expect(steps(s, token, 'setSecret')).rejects.toThrow(`Atlas project ${atlas.projectId} has no database user "fido" on admin to copy the roles of`);
  });

  test('fails before calling Atlas when the pending value is not the other user of the pair, or another host', async () => {
    for (const change of [{ username: 'fido' }, { username: 'root' }, { host: 'elsewhere.example.com' }]) {
      const s = setup();
      const token = s.secret.startRotation();
      await s.secret.send({
        operation: 'PutSecretValue',
        input: { SecretId: s.secret.arn, ClientRequestToken: token, SecretString: JSON.stringify({ ...JSON.parse(INITIAL), username: 'fido_clone', ...change }), VersionStages: ['AWSPENDING'] },
      });
      atlas.calls.length = 0;
      await expect(steps(s, token, 'setSecret')).rejects.toThrow(/is not the other user of the pair|neither|is not the AWSCURRENT one/);
      expect(atlas.calls).toEqual([]);
    }
  });
});

describe('testSecret', () => {
  test('fails when the other user is missing in Atlas (setSecret has not run), or has other roles', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    await expect(steps(s, token, 'testSecret')).rejects.toThrow(`Atlas project ${atlas.projectId} has no database user "fido_clone" on admin: setSecret has not run`);
    await steps(s, token, 'setSecret');
    atlas.users.get('fido_clone')!.roles = [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }];
    await expect(steps(s, token, 'testSecret')).rejects.toThrow('the database users "fido_clone" and "fido" differ in roles or scopes');
  });

  test('passes the other user with the current user\'s roles and scopes, in any order', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret', 'setSecret');
    atlas.users.get('fido_clone')!.roles = [...ROLES].reverse();
    await steps(s, token, 'testSecret');
    expect(s.lines.some((l) => l.includes('testSecret: the other user exists in Atlas'))).toBe(true);
  });
});

describe('rotations', () => {
  test.each([
    ['an API key (HTTP digest)', () => atlas.apiKey, 'digest'],
    ['a service account (OAuth 2.0 client credentials)', () => atlas.serviceAccount, 'bearer'],
  ])('with %s, users alternate fido, fido_clone, fido, fido_clone; every AWSCURRENT user works in Atlas throughout', async (_name, credentials, auth) => {
    const s = setup(credentials());
    const users = [];
    for (let i = 0; i < 3; i++) {
      const token = s.secret.startRotation();
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
        await s.handle(s.secret.event(step, token));
        // The no-outage promise: tasks that read the secret before the rotation keep working.
        expect(s.works('AWSCURRENT')).toBe(true);
      }
      expect(s.works('AWSPREVIOUS')).toBe(true);
      users.push(s.json('AWSCURRENT').username);
    }
    expect(users).toEqual(['fido_clone', 'fido', 'fido_clone']);
    expect(new Set(atlas.calls.filter((c) => c.path.includes('databaseUsers') && c.status < 400).map((c) => c.auth))).toEqual(new Set([auth]));
  });

  test('an interrupted rotation leaves AWSCURRENT working, blocks a new one, and completes when Secrets Manager retries it', async () => {
    const s = setup();
    await s.secret.rotate(s.handle);
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    atlas.failNext.set('PATCH', 503);
    await expect(steps(s, token, 'setSecret')).rejects.toThrow(/HTTP 503/);
    expect(s.json('AWSCURRENT').username).toBe('fido_clone');
    expect(s.works('AWSCURRENT')).toBe(true);
    // Secrets Manager starts no other rotation while this one is pending: it retries it.
    expect(() => s.secret.startRotation()).toThrow('A previous rotation isn\'t complete');
    await steps(s, token, 'createSecret', 'setSecret', 'testSecret', 'finishSecret');
    expect(s.json('AWSCURRENT')).toEqual(expect.objectContaining({ username: 'fido', password: 'pw-2-xxxxxxxxxxxxxxxxxxxxxxxx' }));
    expect(s.works('AWSCURRENT') && s.works('AWSPREVIOUS')).toBe(true);
  });

  test('no log line and no error message holds a password, the API key or a token', async () => {
    const s = setup(atlas.serviceAccount);
    await s.secret.rotate(s.handle);
    const token = s.secret.startRotation();
    atlas.failNext.set('PATCH', 500);
    const errors: string[] = [];
    await steps(s, token, 'createSecret').then(() => steps(s, token, 'setSecret')).catch((e: Error) => errors.push(`${e.name}: ${e.message}`));
    expect(errors).toHaveLength(1);
    const secrets = [PASSWORD_0, 'pw-1-xxxx', 'pw-2-xxxx', atlas.serviceAccount.clientSecret, atlas.apiKey.privateKey];
    for (const text of [...s.lines, ...errors]) {
      for (const value of secrets) {
        expect(text).not.toContain(value);
      }
    }
  });
});

describe('the function\'s settings', () => {
  test.each([
    [{ ATLAS_ADMIN_API_URL_FOR_TESTS: 'https://attacker.example.com' }, 'ATLAS_ADMIN_API_URL_FOR_TESTS must be an http URL of the loopback interface'],
    [{ ATLAS_ADMIN_API_URL_FOR_TESTS: 'http://10.0.0.1:8080' }, 'ATLAS_ADMIN_API_URL_FOR_TESTS must be an http URL of the loopback interface'],
    [{ ATLAS_PROJECT_ID: 'my-project' }, 'ATLAS_PROJECT_ID must be an Atlas project ID (24 hexadecimal digits), got "my-project"'],
    [{ MONGODB_USERNAME: '' }, 'MONGODB_USERNAME must be set'],
  ])('refuses %j before any call to Atlas', async (env, expected) => {
    const s = setup();
    const handle = makeHandler({
      client: s.secret,
      env: { ATLAS_PROJECT_ID: atlas.projectId, ATLAS_API_SECRET_ARN: API_SECRET_ARN, MONGODB_USERNAME: 'fido', ATLAS_ADMIN_API_URL_FOR_TESTS: server.url, ...env },
      log: () => undefined,
    });
    const token = s.secret.startRotation();
    await expect(handle(s.secret.event('createSecret', token)).then(() => handle(s.secret.event('setSecret', token)))).rejects.toThrow(expected);
    expect(atlas.calls).toEqual([]);
  });

  test('refuses an API secret with neither a service account nor an API key', async () => {
    const s = setup({ user: 'someone' });
    const token = s.secret.startRotation();
    await steps(s, token, 'createSecret');
    await expect(steps(s, token, 'setSecret')).rejects.toThrow(`the Atlas API secret ${API_SECRET_ARN} holds neither clientId and clientSecret (a service account) nor publicKey and privateKey (an API key)`);
  });

  test('without the test override, calls https://cloud.mongodb.com', async () => {
    const s = setup();
    const urls: string[] = [];
    const handle = makeHandler({
      client: s.secret,
      env: { ATLAS_PROJECT_ID: atlas.projectId, ATLAS_API_SECRET_ARN: API_SECRET_ARN, MONGODB_USERNAME: 'fido' },
      fetch: (async (url: string) => {
        urls.push(url);
        throw new Error('offline');
      }) as unknown as typeof fetch,
      log: () => undefined,
    });
    const token = s.secret.startRotation();
    await handle(s.secret.event('createSecret', token));
    await expect(handle(s.secret.event('setSecret', token))).rejects.toThrow('offline');
    expect(urls).toEqual([`https://cloud.mongodb.com/api/atlas/v2/groups/${atlas.projectId}/databaseUsers/admin/fido_clone`]);
  });
});

describe('helpers', () => {
  test('otherUser alternates within the pair and refuses anyone else', () => {
    expect(otherUser('fido', 'fido')).toBe('fido_clone');
    expect(otherUser('fido_clone', 'fido')).toBe('fido');
    expect(() => otherUser('fido_clone_clone', 'fido')).toThrow('neither');
  });

  test('newPassword is 32 characters of [A-Za-z0-9], new each call', () => {
    const passwords = Array.from({ length: 50 }, () => newPassword());
    passwords.forEach((p) => expect(p).toMatch(/^[A-Za-z0-9]{32}$/));
    expect(new Set(passwords).size).toBe(50);
  });

  test('digestAuthorization answers RFC 2617\'s worked example', () => {
    // RFC 2617 section 3.5 (qop=auth, MD5).
    const header = digestAuthorization({ realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth,auth-int', opaque: '5ccc069c403ebaf9f0171e9517f40e41' },
      'GET', '/dir/index.html', 'Mufasa', 'Circle Of Life', '0a4f113b');
    expect(header).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });
});

describe('the bundled asset', () => {
  const file = path.join(__dirname, '..', 'assets', 'private', 'atlas-rotation.lambda', 'index.js');

  test('loads, exports the handler Lambda calls (index.handler), and rotates as the sources do', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(file) as typeof import('../src/private/atlas-rotation.lambda');
    expect(typeof bundle.handler).toBe('function');
    const s = setup(atlas.apiKey, {});
    const handle = bundle.makeHandler({
      client: s.secret,
      env: { ATLAS_PROJECT_ID: atlas.projectId, ATLAS_API_SECRET_ARN: API_SECRET_ARN, MONGODB_USERNAME: 'fido', ATLAS_ADMIN_API_URL_FOR_TESTS: server.url },
      log: () => undefined,
    });
    await s.secret.rotate(handle);
    expect(s.json('AWSCURRENT').username).toBe('fido_clone');
    expect(s.works('AWSCURRENT')).toBe(true);
  });
});
