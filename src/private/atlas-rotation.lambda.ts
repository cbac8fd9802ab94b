import { createHash, randomBytes } from 'crypto';
import {
  CURRENT, currentValue, finishSecret, lazySdkSecretsClient, parseValue, PENDING, pendingValue, putPending, RotationEvent, RotationStep,
  runStep, SecretsClient, StepContext,
} from './rotation-protocol';

/**
 * The rotation function of a MongoDB Atlas connection secret (`{ username, password, host, port }`):
 * Secrets Manager calls it four times per rotation, and it changes the database user's password
 * through the Atlas Administration API (v2), alternating between two users, as AWS's multi-user
 * rotation functions do:
 *
 * - createSecret puts the pending version: the current value with the other user of the pair
 *   (`<user>` and `<user>_clone`) and a new password;
 * - setSecret sets that password on the other user in Atlas (PATCH), creating the user first with
 *   the current user's roles and scopes when it does not exist yet (POST), so the first rotation
 *   needs nothing done by hand;
 * - testSecret reads the other user back: it exists on `admin` with the current user's roles and
 *   scopes (the function has HTTPS out only, no route to the cluster, so it cannot log in);
 * - finishSecret makes the pending version current; the deployment then redeploys the services.
 *
 * The user in AWSCURRENT is never changed: tasks started with it keep working until they are
 * redeployed, and an interrupted rotation leaves it as it was. The password of the user in
 * AWSPREVIOUS is changed by the next rotation, so a task must be restarted within one rotation
 * interval (the deployment does it right after each rotation).
 *
 * The Atlas API key is read from its own secret (ATLAS_API_SECRET_ARN): a service account
 * (`clientId`, `clientSecret`: OAuth 2.0 client credentials) or a programmatic API key
 * (`publicKey`, `privateKey`: HTTP digest authentication). It is sent to https://cloud.mongodb.com
 * only; ATLAS_ADMIN_API_URL_FOR_TESTS may point the function at a stand-in on the loopback
 * interface, and nowhere else.
 *
 * No secret value (password, key, token) is ever logged or put in an error message.
 */

/** Where the Atlas Administration API is. */
export const ATLAS_API_URL = 'https://cloud.mongodb.com';

/** The API version of the database user resources the function calls (a stable Atlas API version). */
export const ATLAS_API_VERSION = '2023-01-01';

/** The suffix of the second user of the pair, as AWS's multi-user MongoDB rotation function names it. */
export const CLONE_SUFFIX = '_clone';

/** The environment variables the function reads; the construct sets them. */
export interface AtlasRotationEnvironment {
  /** The Atlas project (group) ID: 24 hexadecimal digits. */
  readonly ATLAS_PROJECT_ID?: string;
  /** ARN of the secret holding the Atlas API key. */
  readonly ATLAS_API_SECRET_ARN?: string;
  /** The database user the deployment names: the function changes this user and its clone only. */
  readonly MONGODB_USERNAME?: string;
  /** A local stand-in of the Atlas API, for tests: an http URL on the loopback interface. */
  readonly ATLAS_ADMIN_API_URL_FOR_TESTS?: string;
}

/** What the handler needs from outside; the Lambda entry point gives the real ones. */
export interface AtlasHandlerDeps {
  readonly client: SecretsClient;
  /** @default process.env */
  readonly env?: AtlasRotationEnvironment;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** A new password. @default 32 characters of [A-Za-z0-9] from crypto.randomBytes (190 bits) */
  readonly random?: () => string;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * 32 characters drawn uniformly from [A-Za-z0-9] (rejection sampling): nothing a connection
 * string, a shell or JSON needs to escape.
 */
export function newPassword(length = 32): string {
  let password = '';
  while (password.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248 && password.length < length) {
        password += ALPHANUMERIC[byte % 62];
      }
    }
  }
  return password;
}

/** The other user of the pair: `<user>` and `<user>_clone`. */
export function otherUser(username: string, baseUser: string): string {
  if (username === baseUser) {
    return baseUser + CLONE_SUFFIX;
  }
  if (username === baseUser + CLONE_SUFFIX) {
    return baseUser;
  }
  throw new Error(`the user ${JSON.stringify(username)} is neither ${JSON.stringify(baseUser)} nor ${JSON.stringify(baseUser + CLONE_SUFFIX)}: the function changes the password of these two users only`);
}

/** The checked settings of the function. */
interface Settings {
  readonly projectId: string;
  readonly apiSecretArn: string;
  readonly baseUser: string;
  readonly baseUrl: string;
}

/** The base URL: Atlas, or a loopback stand-in for tests (never another host, which would receive the API key). */
function baseUrlOf(override: string | undefined): string {
  if (override === undefined || override === '') {
    return ATLAS_API_URL;
  }
  let url: URL | undefined;
  try {
    url = new URL(override);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.pathname !== '/') {
    throw new Error('ATLAS_ADMIN_API_URL_FOR_TESTS must be an http URL of the loopback interface (a local stand-in of the Atlas API), such as http://127.0.0.1:8080');
  }
  return url.origin;
}

function settingsOf(env: AtlasRotationEnvironment): Settings {
  const projectId = env.ATLAS_PROJECT_ID ?? '';
  if (!/^[0-9a-f]{24}$/.test(projectId)) {
    throw new Error(`ATLAS_PROJECT_ID must be an Atlas project ID (24 hexadecimal digits), got ${JSON.stringify(projectId)}`);
  }
  for (const key of ['ATLAS_API_SECRET_ARN', 'MONGODB_USERNAME'] as const) {
    if (!env[key]) {
      throw new Error(`${key} must be set`);
    }
  }
  const baseUrl = baseUrlOf(env.ATLAS_ADMIN_API_URL_FOR_TESTS);
  return { projectId, apiSecretArn: env.ATLAS_API_SECRET_ARN!, baseUser: env.MONGODB_USERNAME!, baseUrl };
}

/** How the function authenticates to the Atlas API. */
type Credentials = { readonly kind: 'serviceAccount'; readonly clientId: string; readonly clientSecret: string }
| { readonly kind: 'apiKey'; readonly publicKey: string; readonly privateKey: string };

function nonEmpty(value: Record<string, unknown>, key: string): string | undefined {
  return typeof value[key] === 'string' && value[key] !== '' ? value[key] as string : undefined;
}

/** The API key's secret: a service account's `clientId` and `clientSecret`, or an API key's `publicKey` and `privateKey`. */
async function credentialsOf(client: SecretsClient, secretArn: string): Promise<Credentials> {
  const value = await currentValue(client, secretArn);
  const clientId = nonEmpty(value, 'clientId');
  const clientSecret = nonEmpty(value, 'clientSecret');
  if (clientId && clientSecret) {
    return { kind: 'serviceAccount', clientId, clientSecret };
  }
  const publicKey = nonEmpty(value, 'publicKey');
  const privateKey = nonEmpty(value, 'privateKey');
  if (publicKey && privateKey) {
    return { kind: 'apiKey', publicKey, privateKey };
  }
  throw new Error(`the Atlas API secret ${secretArn} holds neither clientId and clientSecret (a service account) nor publicKey and privateKey (an API key)`);
}

/** A database user as the Atlas API gives it (the fields the function reads and copies). */
export interface AtlasDatabaseUser {
  readonly username: string;
  readonly databaseName: string;
  readonly roles?: ReadonlyArray<{ readonly roleName: string; readonly databaseName: string; readonly collectionName?: string }>;
  readonly scopes?: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly labels?: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The fields of a `WWW-Authenticate: Digest ...` challenge. */
function digestChallenge(header: string | null): Record<string, string> {
  if (!header || !/^Digest\s/i.test(header)) {
    throw new Error('the Atlas API answered 401 without a Digest challenge');
  }
  const fields: Record<string, string> = {};
  for (const match of header.slice(header.indexOf(' ')).matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
    fields[match[1].toLowerCase()] = match[2] ?? match[3];
  }
  return fields;
}

/** The Authorization header answering a digest challenge (RFC 7616, MD5, qop=auth), as Atlas asks of an API key. */
export function digestAuthorization(
  challenge: Record<string, string>, method: string, uri: string, user: string, password: string, cnonce: string,
): string {
  const ha1 = md5(`${user}:${challenge.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const nc = '00000001';
  const qop = (challenge.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const response = qop ? md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${user}"`, `realm="${challenge.realm}"`, `nonce="${challenge.nonce}"`, `uri="${uri}"`, `response="${response}"`, 'algorithm=MD5',
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(challenge.opaque !== undefined ? [`opaque="${challenge.opaque}"`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

/** An Atlas API failure: the call and the answer's status and error code, never a value. */
class AtlasApiError extends Error {
  constructor(readonly status: number, readonly errorCode: string | undefined, call: string) {
    super(`the Atlas Administration API answered ${call} with HTTP ${status}${errorCode ? ` (${errorCode})` : ''}`);
    this.name = 'AtlasApiError';
  }
}

/** The database user calls of the Atlas Administration API, authenticated with the function's credentials. */
class AtlasApi {
  private accessToken?: string;

  constructor(private readonly settings: Settings, private readonly credentials: Credentials, private readonly fetchFn: typeof fetch) {}

  private usersPath(username?: string): string {
    const base = `/api/atlas/v2/groups/${this.settings.projectId}/databaseUsers`;
    return username === undefined ? base : `${base}/admin/${encodeURIComponent(username)}`;
  }

  /** The user on `admin`, or undefined if Atlas has no such user. */
  async getUser(username: string): Promise<AtlasDatabaseUser | undefined> {
    const { status, body } = await this.call('GET', this.usersPath(username), undefined, [404]);
    return status === 404 ? undefined : body as AtlasDatabaseUser;
  }

  /** Creates a user on `admin` with the password, and the template's roles, scopes and labels. */
  async createUser(template: AtlasDatabaseUser, username: string, password: string): Promise<'created' | 'exists'> {
    const user = {
      databaseName: 'admin',
      groupId: this.settings.projectId,
      username,
      password,
      roles: template.roles ?? [],
      ...(template.scopes ? { scopes: template.scopes } : {}),
      ...(template.labels ? { labels: template.labels } : {}),
    };
    const { status } = await this.call('POST', this.usersPath(), user, [409]);
    return status === 409 ? 'exists' : 'created';
  }

  async setPassword(username: string, password: string): Promise<void> {
    await this.call('PATCH', this.usersPath(username), { databaseName: 'admin', groupId: this.settings.projectId, username, password });
  }

  private async call(method: string, path: string, body: unknown, accepted: number[] = []): Promise<{ status: number; body: unknown }> {
    const call = `${method} ${path}`;
    const headers: Record<string, string> = { Accept: `application/vnd.atlas.${ATLAS_API_VERSION}+json` };
    if (body !== undefined) {
      headers['Content-Type'] = `application/vnd.atlas.${ATLAS_API_VERSION}+json`;
    }
    const send = (authorization?: string) => this.fetchFn(this.settings.baseUrl + path, {
      method,
      headers: { ...headers, ...(authorization ? { Authorization: authorization } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    let response: Response;
    if (this.credentials.kind === 'serviceAccount') {
      response = await send(`Bearer ${await this.token()}`);
    } else {
      // Digest: the first answer is the challenge, the second the call's own.
      const challenge = await send();
      if (challenge.status !== 401) {
        throw new AtlasApiError(challenge.status, await errorCodeOf(challenge), `${call} (unauthenticated, expecting a Digest challenge)`);
      }
      const { publicKey, privateKey } = this.credentials;
      response = await send(digestAuthorization(digestChallenge(challenge.headers.get('www-authenticate')), method, path, publicKey, privateKey, randomBytes(16).toString('hex')));
    }
    if (response.ok || accepted.includes(response.status)) {
      const text = await response.text();
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
    }
    throw new AtlasApiError(response.status, await errorCodeOf(response), call);
  }

  /** A service account's access token (OAuth 2.0 client credentials), once per invocation. */
  private async token(): Promise<string> {
    if (this.accessToken) {
      return this.accessToken;
    }
    const { clientId, clientSecret } = this.credentials as Extract<Credentials, { kind: 'serviceAccount' }>;
    const response = await this.fetchFn(`${this.settings.baseUrl}/api/oauth/token`, {
      method: 'POST',
      headers: {
        'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'Authorization': `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(10_000),
      redirect: 'error',
    });
    if (!response.ok) {
      throw new AtlasApiError(response.status, await errorCodeOf(response), 'POST /api/oauth/token');
    }
    const token = (await response.json() as { access_token?: unknown }).access_token;
    if (typeof token !== 'string' || token === '') {
      throw new Error('the Atlas token endpoint answered without an access_token');
    }
    return this.accessToken = token;
  }
}

/** The `errorCode` of an Atlas error answer (a constant such as USER_NOT_FOUND), if it has one: never its detail. */
async function errorCodeOf(response: Response): Promise<string | undefined> {
  try {
    const code = (JSON.parse(await response.text()) as { errorCode?: unknown; error?: unknown }).errorCode;
    return typeof code === 'string' && /^[A-Z0-9_]{1,100}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** A value's `username` and `password`, checked. */
function userOf(value: Record<string, unknown>, which: string, secretId: string): { username: string; password: string } {
  const { username, password } = value;
  if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
    throw new Error(`the ${which} value of ${secretId} has no username and password (non-empty strings)`);
  }
  return { username, password };
}

/** What the Atlas steps work with besides the protocol's context. */
interface AtlasContext {
  readonly settings: Settings;
  readonly random: () => string;
  readonly api: () => Promise<AtlasApi>;
}

/** The current and pending values, checked: the pending one holds the other user of the pair, for the same host. */
async function pair(ctx: StepContext, atlas: AtlasContext) {
  const pendingString = await pendingValue(ctx);
  if (pendingString === undefined) {
    throw new Error(`the ${PENDING} version ${ctx.token} of ${ctx.secretId} has no value: createSecret has not run`);
  }
  const currentValueOf = await currentValue(ctx.client, ctx.secretId);
  const current = userOf(currentValueOf, CURRENT, ctx.secretId);
  const pendingValueOf = parseValue(pendingString, PENDING, ctx.secretId);
  const pending = userOf(pendingValueOf, PENDING, ctx.secretId);
  if (pending.username !== otherUser(current.username, atlas.settings.baseUser)) {
    throw new Error(`the ${PENDING} user of ${ctx.secretId} is not the other user of the pair of the ${CURRENT} one`);
  }
  if (pendingValueOf.host !== currentValueOf.host) {
    throw new Error(`the ${PENDING} host of ${ctx.secretId} is not the ${CURRENT} one`);
  }
  return { current, pending };
}

/** Puts the pending version (the other user, a new password), unless an earlier run of this step already did. */
async function createSecret(ctx: StepContext, atlas: AtlasContext): Promise<void> {
  if (await pendingValue(ctx) !== undefined) {
    ctx.note('createSecret: the pending version already has a value; nothing to do');
    return;
  }
  const current = await currentValue(ctx.client, ctx.secretId);
  const { username } = userOf(current, CURRENT, ctx.secretId);
  const next = { ...current, username: otherUser(username, atlas.settings.baseUser), password: atlas.random() };
  await putPending(ctx, next);
  ctx.note('createSecret: put the pending version', { from: username, to: next.username });
}

/**
 * Sets the pending password on the other user in Atlas: PATCH when the user exists, else POST with
 * the current user's roles and scopes. Run again, it sets the same password again.
 */
async function setSecret(ctx: StepContext, atlas: AtlasContext): Promise<void> {
  const { current, pending } = await pair(ctx, atlas);
  const api = await atlas.api();
  if (await api.getUser(pending.username)) {
    await api.setPassword(pending.username, pending.password);
    ctx.note('setSecret: set the password of the other user in Atlas', { user: pending.username });
    return;
  }
  const template = await api.getUser(current.username);
  if (!template) {
    throw new Error(`Atlas project ${atlas.settings.projectId} has no database user ${JSON.stringify(current.username)} on admin to copy the roles of`);
  }
  if (await api.createUser(template, pending.username, pending.password) === 'exists') {
    // Created since the GET (an earlier run whose answer was lost): set the password instead.
    await api.setPassword(pending.username, pending.password);
  }
  ctx.note('setSecret: created the other user in Atlas with the current user\'s roles', { user: pending.username, copiedFrom: current.username });
}

/** Serializes roles or scopes in one order, to compare two users' sets. */
function canonical(items: ReadonlyArray<object> | undefined): string {
  return JSON.stringify((items ?? []).map((item) => JSON.stringify(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))).sort());
}

/** The other user exists in Atlas with the current user's roles and scopes. */
async function testSecret(ctx: StepContext, atlas: AtlasContext): Promise<void> {
  const { current, pending } = await pair(ctx, atlas);
  const api = await atlas.api();
  const [other, template] = [await api.getUser(pending.username), await api.getUser(current.username)];
  if (!other) {
    throw new Error(`Atlas project ${atlas.settings.projectId} has no database user ${JSON.stringify(pending.username)} on admin: setSecret has not run`);
  }
  if (template && (canonical(other.roles) !== canonical(template.roles) || canonical(other.scopes) !== canonical(template.scopes))) {
    throw new Error(`the database users ${JSON.stringify(pending.username)} and ${JSON.stringify(current.username)} differ in roles or scopes in Atlas project ${atlas.settings.projectId}: give them the same`);
  }
  ctx.note('testSecret: the other user exists in Atlas with the current user\'s roles and scopes', { user: pending.username });
}

function atlasSteps(atlas: AtlasContext): Record<RotationStep, (ctx: StepContext) => Promise<void>> {
  return {
    createSecret: (ctx) => createSecret(ctx, atlas),
    setSecret: (ctx) => setSecret(ctx, atlas),
    testSecret: (ctx) => testSecret(ctx, atlas),
    finishSecret,
  };
}

/**
 * Builds the rotation function. A failed step throws, which is what tells Secrets Manager the
 * rotation failed (it retries, and leaves AWSCURRENT where it was); the error names the step, the
 * secret, the version and the Atlas call, never a value.
 */
export function makeHandler(deps: AtlasHandlerDeps): (event: RotationEvent) => Promise<void> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event: RotationEvent) => {
    let settings: Settings | undefined;
    const atlas: AtlasContext = {
      get settings() {
        return settings ??= settingsOf(deps.env ?? process.env);
      },
      random: deps.random ?? newPassword,
      api: async () => new AtlasApi(atlas.settings, await credentialsOf(deps.client, atlas.settings.apiSecretArn), deps.fetch ?? fetch),
    };
    return runStep(deps.client, log, event, atlasSteps(atlas));
  };
}

/** The Lambda entry point: the SDK's client, made at the first call. */
export const handler = makeHandler({ client: lazySdkSecretsClient() });
