import { createHash, randomBytes } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

/** A database user as the stand-in keeps it. */
export interface StubUser {
  password: string;
  roles: Array<{ roleName: string; databaseName: string; collectionName?: string }>;
  scopes?: Array<{ name: string; type: string }>;
  labels?: Array<{ key: string; value: string }>;
}

/** One call the stand-in answered: never a password or a credential. */
export interface StubCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly auth: 'none' | 'digest' | 'bearer' | 'basic';
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const VERSIONED_JSON = 'application/vnd.atlas.2023-01-01+json';

/**
 * A local stand-in of the parts of the Atlas Administration API (v2) that the Atlas rotation
 * function calls, answering as the API reference states:
 * - `POST /api/oauth/token`: a service account's access token (Basic client ID and secret,
 *   `grant_type=client_credentials`), valid as a Bearer token on the calls below;
 * - an API key authenticates with HTTP digest (MD5, qop=auth): a call without it gets 401 and a
 *   challenge with a fresh nonce, and a response that does not match the key's is refused;
 * - `GET /api/atlas/v2/groups/{groupId}/databaseUsers/admin/{username}`: the user, or 404
 *   (`USERNAME_NOT_FOUND`);
 * - `POST /api/atlas/v2/groups/{groupId}/databaseUsers`: creates a user (201), 409
 *   (`USER_ALREADY_EXISTS`) if there is one;
 * - `PATCH /api/atlas/v2/groups/{groupId}/databaseUsers/admin/{username}`: changes what the body
 *   gives (here, the password);
 * - the versioned media type `application/vnd.atlas.2023-01-01+json` is required in Accept (406
 *   otherwise), and a project other than its own is 404 (`GROUP_NOT_FOUND`).
 */
export class AtlasApiStub {
  readonly projectId = '0123456789abcdef01234567';
  readonly apiKey = { publicKey: 'pubkey01', privateKey: 'private-key-of-the-api-key-0123456789' };
  readonly serviceAccount = { clientId: 'mdb_sa_id_0123456789', clientSecret: 'mdb_sa_sk_secret-of-the-service-account' };
  readonly users = new Map<string, StubUser>();
  readonly calls: StubCall[] = [];
  /** Makes the next call of a method on the database users fail, once, with this HTTP status. */
  readonly failNext = new Map<string, number>();
  /** Called after each answer: a test changes the state between two calls of the function here. */
  afterCall?: (call: StubCall) => void;
  private readonly nonces = new Set<string>();
  private readonly tokens = new Set<string>();

  constructor(users: Record<string, StubUser> = {}) {
    for (const [name, user] of Object.entries(users)) {
      this.users.set(name, user);
    }
  }

  /** Serves the stand-in on the loopback interface. */
  async listen(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString();
    const method = req.method ?? '';
    const path = req.url ?? '';
    const answer = (status: number, json: unknown, auth: StubCall['auth'], headers: Record<string, string> = {}) => {
      const call = { method, path, status, auth };
      this.calls.push(call);
      this.afterCall?.(call);
      res.writeHead(status, { 'Content-Type': status < 300 ? VERSIONED_JSON : 'application/json', ...headers }).end(json === undefined ? '' : JSON.stringify(json));
    };
    const error = (status: number, errorCode: string, auth: StubCall['auth'], headers: Record<string, string> = {}) =>
      answer(status, { error: status, errorCode, detail: `${errorCode} (stand-in)`, reason: http.STATUS_CODES[status] }, auth, headers);

    if (path === '/api/oauth/token') {
      return this.token(req, body, answer, error);
    }
    const auth = this.authenticate(req, method, path);
    if (auth === 'none') {
      const nonce = randomBytes(12).toString('hex');
      this.nonces.add(nonce);
      return error(401, 'UNAUTHORIZED', auth, { 'WWW-Authenticate': `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=false` });
    }
    if (auth === 'refused') {
      return error(401, 'UNAUTHORIZED', 'none');
    }
    if (req.headers.accept !== VERSIONED_JSON) {
      return error(406, 'INVALID_VERSION_OR_MEDIA_TYPE', auth);
    }
    const match = /^\/api\/atlas\/v2\/groups\/([^/]+)\/databaseUsers(?:\/admin\/([^/?]+))?$/.exec(path);
    if (!match) {
      return error(404, 'RESOURCE_NOT_FOUND', auth);
    }
    if (match[1] !== this.projectId) {
      return error(404, 'GROUP_NOT_FOUND', auth);
    }
    const injected = this.failNext.get(method);
    if (injected) {
      this.failNext.delete(method);
      return error(injected, 'UNEXPECTED_ERROR', auth);
    }
    const username = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    return this.databaseUsers(method, username, body, auth, answer, error);
  }

  private databaseUsers(
    method: string, username: string | undefined, body: string, auth: StubCall['auth'],
    answer: (status: number, json: unknown, auth: StubCall['auth']) => void,
    error: (status: number, errorCode: string, auth: StubCall['auth']) => void,
  ): void {
    const view = (name: string) => {
      const { password: _password, ...rest } = this.users.get(name)!;
      return { databaseName: 'admin', groupId: this.projectId, username: name, ...rest };
    };
    if (method === 'GET' && username !== undefined) {
      return this.users.has(username) ? answer(200, view(username), auth) : error(404, 'USERNAME_NOT_FOUND', auth);
    }
    if (method === 'POST' && username === undefined) {
      const user = JSON.parse(body);
      if (user.databaseName !== 'admin' || user.groupId !== this.projectId || typeof user.username !== 'string' || typeof user.password !== 'string' || !Array.isArray(user.roles)) {
        return error(400, 'INVALID_ATTRIBUTE', auth);
      }
      if (this.users.has(user.username)) {
        return error(409, 'USER_ALREADY_EXISTS', auth);
      }
      this.users.set(user.username, { password: user.password, roles: user.roles, scopes: user.scopes, labels: user.labels });
      return answer(201, view(user.username), auth);
    }
    if (method === 'PATCH' && username !== undefined) {
      const user = this.users.get(username);
      if (!user) {
        return error(404, 'USERNAME_NOT_FOUND', auth);
      }
      const patch = JSON.parse(body);
      if (patch.username !== undefined && patch.username !== username) {
        return error(400, 'INVALID_ATTRIBUTE', auth);
      }
      if (typeof patch.password === 'string') {
        user.password = patch.password;
      }
      return answer(200, view(username), auth);
    }
    return error(405, 'METHOD_NOT_ALLOWED', auth);
  }

  private token(
    req: http.IncomingMessage, body: string,
    answer: (status: number, json: unknown, auth: StubCall['auth']) => void,
    error: (status: number, errorCode: string, auth: StubCall['auth']) => void,
  ): void {
    const expected = `Basic ${Buffer.from(`${this.serviceAccount.clientId}:${this.serviceAccount.clientSecret}`).toString('base64')}`;
    if (req.method !== 'POST' || req.headers.authorization !== expected || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return error(401, 'INVALID_CLIENT', 'basic');
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return answer(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 }, 'basic');
  }

  /** A Bearer token it issued, a digest response that matches the API key's, no authorization, or a refused one. */
  private authenticate(req: http.IncomingMessage, method: string, uri: string): 'none' | 'refused' | 'digest' | 'bearer' {
    const header = req.headers.authorization;
    if (!header) {
      return 'none';
    }
    if (header.startsWith('Bearer ')) {
      return this.tokens.has(header.slice(7)) ? 'bearer' : 'refused';
    }
    const fields: Record<string, string> = {};
    for (const m of header.replace(/^Digest\s+/, '').matchAll(/(\w+)=(?:"([^"]*)"|([^\s,]+))/g)) {
      fields[m[1]] = m[2] ?? m[3];
    }
    if (!header.startsWith('Digest ') || !this.nonces.delete(fields.nonce) || fields.username !== this.apiKey.publicKey || fields.uri !== uri || fields.qop !== 'auth') {
      return 'refused';
    }
    const ha1 = md5(`${this.apiKey.publicKey}:MMS Public API:${this.apiKey.privateKey}`);
    const expected = md5(`${ha1}:${fields.nonce}:${fields.nc}:${fields.cnonce}:auth:${md5(`${method}:${uri}`)}`);
    return fields.response === expected ? 'digest' : 'refused';
  }
}
