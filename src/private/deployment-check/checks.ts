import * as http from 'http';
import * as https from 'https';

/**
 * One request the blue/green lifecycle hook makes through the load balancer's test listener.
 * The same shape is written into the function's DEPLOYMENT_CHECKS variable at synth and read back
 * by the handler, so the two sides cannot disagree about it.
 */
export interface DeploymentCheck {
  /** The test listener's port on the load balancer. */
  readonly port: number;
  /** The path requested, starting with '/'. */
  readonly path: string;
  /** The answers that count as success, in the ALB matcher syntax: '200', '200,302', '200-399'. */
  readonly expectedStatusCodes: string;
  /**
   * How many redirects within the server name the check follows (on the same address and test
   * port, whatever port the Location names) before the answer that is compared with
   * expectedStatusCodes; a redirect to another host fails the check. @default 0: a redirect is the answer
   */
  readonly followRedirects?: number;
}

/** Where the checks are sent: the load balancer nodes, and the name they must present. */
export interface CheckTarget {
  /** The load balancer nodes' private IP addresses. */
  readonly addresses: string[];
  /** The deployment's domain: the certificate's name, sent as SNI and as the Host header. */
  readonly serverName: string;
  readonly protocol: 'https' | 'http';
}

/** How one check ended; logged as it is, so an operator can read why a deployment rolled back. */
export interface CheckResult {
  readonly port: number;
  readonly path: string;
  readonly ok: boolean;
  /** The status of the last answer, when there was one. */
  readonly status?: number;
  /** Why the last attempt failed. */
  readonly error?: string;
  /** How many requests were made. */
  readonly attempts: number;
  /** The address the last request went to. */
  readonly address: string;
  /** The paths redirects led to in the last attempt, in order, when the check follows them. */
  readonly redirectedTo?: string[];
}

/** Tuning of runChecks; the defaults suit a Lambda function with a timeout of a minute or more. */
export interface RunOptions {
  /** The whole of one attempt (connect, TLS, answer, body, and the redirects it follows), in milliseconds. @default 5000 */
  readonly timeoutMs?: number;
  /** Requests per check before it counts as failed. @default 3 */
  readonly attempts?: number;
  /** Pause between two requests of the same check, in milliseconds. @default 2000 */
  readonly retryDelayMs?: number;
}

const STATUS_PART = /^(\d{3})(?:-(\d{3}))?$/;
const STATUS_SYNTAX = "must be status codes or ranges such as '200' or '200-399', separated by commas without spaces";

/**
 * Says what is wrong with an ALB-style list of expected status codes, so a mistake is refused at
 * synth with a reason, and the hook never runs with a list that would match nothing.
 */
export function statusCodesProblem(spec: string): string | undefined {
  if (typeof spec !== 'string' || spec === '') {
    return `${STATUS_SYNTAX}, got ${JSON.stringify(spec)}`;
  }
  for (const part of spec.split(',')) {
    const match = STATUS_PART.exec(part);
    if (!match) {
      return `${STATUS_SYNTAX}, got ${JSON.stringify(spec)}`;
    }
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < 100 || high > 599) {
      return `${STATUS_SYNTAX}; every code must be from 100 to 599, got '${part}'`;
    }
    if (low > high) {
      return `${STATUS_SYNTAX}; a range must go from low to high, got '${part}'`;
    }
  }
  return undefined;
}

/**
 * Whether an answer is one of the expected codes. A list statusCodesProblem refuses matches
 * nothing, so a bad list fails the deployment rather than passing it.
 */
export function matchesStatus(spec: string, status: number): boolean {
  if (statusCodesProblem(spec) !== undefined) {
    return false;
  }
  return spec.split(',').some((part) => {
    const [low, high = low] = part.split('-').map(Number);
    return status >= low && status <= high;
  });
}

/**
 * Says what is wrong with the DEPLOYMENT_CHECKS value, so the synth-time validation and the
 * handler refuse the same things.
 */
export function deploymentChecksProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return 'must be a non-empty array of { port, path, expectedStatusCodes }';
  }
  for (const [i, check] of value.entries()) {
    if (typeof check !== 'object' || check === null) {
      return `[${i}] must be an object { port, path, expectedStatusCodes }`;
    }
    const { port, path, expectedStatusCodes } = check as Record<string, unknown>;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return `[${i}].port must be an integer from 1 to 65535, got ${JSON.stringify(port)}`;
    }
    if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
      return `[${i}].path must start with '/' and hold no spaces, got ${JSON.stringify(path)}`;
    }
    const codes = typeof expectedStatusCodes === 'string' ? statusCodesProblem(expectedStatusCodes) : 'must be a string';
    if (codes !== undefined) {
      return `[${i}].expectedStatusCodes ${codes}`;
    }
    const { followRedirects } = check as Record<string, unknown>;
    if (followRedirects !== undefined && (typeof followRedirects !== 'number' || !Number.isInteger(followRedirects) || followRedirects < 0 || followRedirects > MAX_REDIRECTS)) {
      return `[${i}].followRedirects must be an integer from 0 to ${MAX_REDIRECTS}, got ${JSON.stringify(followRedirects)}`;
    }
  }
  return undefined;
}

/** The most redirects a check may follow. */
export const MAX_REDIRECTS = 5;

/**
 * The answers of a health check's matcher that show a page served: its codes without 300-399, or
 * 200-299 when nothing else is left. The deployment check asks for these at the end of the
 * redirects it follows, so a revision that redirects every path (to a login page that fails, in a
 * loop, off the domain) does not pass on its 302 as the load balancer's health check lets it.
 */
export function servingStatusCodes(healthyHttpCodes: string): string {
  if (statusCodesProblem(healthyHttpCodes) !== undefined) {
    return healthyHttpCodes;
  }
  const parts: string[] = [];
  for (const part of healthyHttpCodes.split(',')) {
    const [low, high = low] = part.split('-').map(Number);
    for (const [from, to] of [[low, Math.min(high, 299)], [Math.max(low, 400), high]]) {
      if (from <= to) {
        parts.push(from === to ? String(from) : `${from}-${to}`);
      }
    }
  }
  return parts.length > 0 ? parts.join(',') : '200-299';
}

/**
 * Sends every check to the load balancer nodes and reports each one. Checks run side by side; a
 * check starts on a different node than the check before it, and each retry moves to the next
 * node, so with two checks or more every node is asked and one bad node is retried past.
 */
export async function runChecks(checks: DeploymentCheck[], target: CheckTarget, options: RunOptions = {}): Promise<CheckResult[]> {
  if (target.addresses.length === 0) {
    throw new Error('no address to send the checks to');
  }
  const attempts = Math.max(1, options.attempts ?? 3);
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryDelayMs = options.retryDelayMs ?? 2000;
  return Promise.all(checks.map(async (check, index) => {
    let last: Answer = { error: 'not attempted' };
    let address = target.addresses[index % target.addresses.length];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        await sleep(retryDelayMs);
      }
      address = target.addresses[(index + attempt - 1) % target.addresses.length];
      last = await attemptCheck(target, address, check, timeoutMs);
      if (last.error === undefined && last.status !== undefined && matchesStatus(check.expectedStatusCodes, last.status)) {
        return { port: check.port, path: check.path, ok: true, ...last, attempts: attempt, address };
      }
      if (last.error === undefined && last.status !== undefined) {
        last = { ...last, error: `status ${last.status}, expected ${check.expectedStatusCodes}` };
      }
    }
    return { port: check.port, path: check.path, ok: false, ...last, attempts, address };
  }));
}

/** What one request got: a status, or why there was none. */
interface Answer {
  readonly status?: number;
  readonly error?: string;
  /** Where the request was sent on to, for a redirect. */
  readonly location?: string;
  /** The paths the attempt's redirects led to. */
  readonly redirectedTo?: string[];
}

/**
 * One attempt of a check: its request, and the redirects it follows (check.followRedirects) within
 * the server name, on the same address and port, all within timeoutMs. Never rejects.
 */
async function attemptCheck(target: CheckTarget, address: string, check: DeploymentCheck, timeoutMs: number): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  const follow = check.followRedirects ?? 0;
  const redirectedTo: string[] = [];
  const trail = () => (redirectedTo.length > 0 ? { redirectedTo } : {});
  let path = check.path;
  for (;;) {
    // Each request waits what is left of the attempt's time; a timeout names the attempt's whole.
    const { location, ...answer } = await request(target, address, { ...check, path }, Math.max(1, deadline - Date.now()), timeoutMs);
    const status = answer.status;
    if (follow === 0 || answer.error !== undefined || status === undefined || status < 300 || status > 399 || location === undefined) {
      return { ...answer, ...trail() };
    }
    if (redirectedTo.length >= follow) {
      return { status, ...trail(), error: `status ${status} after ${follow} redirects, to ${location} again` };
    }
    let next: URL;
    try {
      next = new URL(location, `https://${target.serverName}${path}`);
    } catch {
      return { status, ...trail(), error: `status ${status} redirects to ${JSON.stringify(location)}, which is no URL` };
    }
    if (next.hostname.toLowerCase() !== target.serverName.toLowerCase()) {
      return { status, ...trail(), error: `status ${status} redirects off ${target.serverName}, to ${next.origin}` };
    }
    path = `${next.pathname}${next.search}`;
    redirectedTo.push(path);
  }
}

/**
 * One GET, never followed (a redirect is the answer, its Location kept), bounded as a whole by
 * timeoutMs, on a connection of its own (no keep-alive, so nothing outlives the invocation);
 * a timeout is reported as one of the attempt's `attemptMs`. Never rejects.
 */
function request(target: CheckTarget, address: string, check: DeploymentCheck, timeoutMs: number, attemptMs = timeoutMs): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (answer: Answer) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      }
    };
    const options: https.RequestOptions = {
      host: address,
      port: check.port,
      path: check.path,
      method: 'GET',
      headers: { 'Host': target.serverName, 'User-Agent': 'arculus-fido-deployment-check' },
      agent: false,
      ...(target.protocol === 'https' ? { servername: target.serverName } : {}),
    };
    const req = (target.protocol === 'https' ? https : http).request(options, (res) => {
      const status = res.statusCode;
      const location = typeof res.headers.location === 'string' ? { location: res.headers.location } : {};
      res.on('end', () => settle({ status, ...location }));
      res.on('error', (err) => settle({ status, error: `the answer broke off: ${describeError(err)}` }));
      res.on('close', () => settle({ status, error: 'the answer broke off' }));
      res.resume();
    });
    timer = setTimeout(() => {
      settle({ error: `timed out after ${attemptMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => settle({ error: describeError(err) }));
    req.end();
  });
}

function describeError(err: Error & { code?: string }): string {
  return err.code && !err.message.includes(err.code) ? `${err.code}: ${err.message}` : err.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
