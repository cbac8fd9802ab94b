import { randomBytes } from 'crypto';
import * as https from 'https';
import { isDeepStrictEqual } from 'util';
import {
  abandon, CURRENT, currentValue, currentVersion, finishSecret, lazySdkSecretsClient, parseValue, PENDING, pendingValue, putPending,
  requiredPending, RotationEvent, RotationStep, runStep, SecretsClient, StepContext,
} from './rotation-protocol';

/**
 * The rotation function of the application secret: Secrets Manager calls it four times per
 * rotation (createSecret, setSecret, testSecret, finishSecret), as its rotation templates describe.
 * The new version keeps every key of the current value, takes a new `jwtSecret`, and keeps the
 * current one as `jwtSecretPrevious`: tokens signed before the rotation stay verifiable for one
 * rotation period, and no longer (the value before that is dropped).
 *
 * CloudFormation also calls it, as the custom resource that seeds `jwtSecretPrevious` (equal to
 * `jwtSecret`) into a value without it, before any task starts: ECS refuses to start a task whose
 * secret names a JSON key the value lacks, and the generated value has only `jwtSecret`.
 *
 * A rotation recovers from AWSCURRENT moving under it (a value put by hand, as the README suggests
 * for a new API key, or a version staged by hand): a version's value never changes, so a pending
 * value made from a value that is no longer current can never pass. The step that finds one
 * (createSecret run again, testSecret, finishSecret) abandons the rotation (rotation-protocol.ts),
 * and fails, which Secrets Manager reports (RotationFailed). The value put stays current, and the
 * next rotation starts from it. finishSecret moves AWSCURRENT off the version it read as current
 * only. Every step may run again.
 *
 * No secret value is ever logged or put in an error message: the Lambda runtime logs a thrown
 * error as it is. Nor is CloudFormation's response URL, whose signature lets anyone answer for
 * the stack.
 */

export type {
  RotationEvent, RotationStep, SecretsClient, SecretsManagerCommand, SecretsManagerOperation, SecretsManagerOperations,
} from './rotation-protocol';
export { sdkSecretsClient } from './rotation-protocol';

/**
 * What CloudFormation invokes the function with for the custom resource that seeds
 * `jwtSecretPrevious` (the fields the function reads).
 */
export interface SeedEvent {
  readonly RequestType: string;
  /** Where the answer goes: a presigned S3 URL. Sensitive: never logged. */
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: { readonly SecretId?: unknown };
}

/** What the handler needs from outside; the Lambda entry point gives the real ones. */
export interface HandlerDeps {
  readonly client: SecretsClient;
  /** A new jwtSecret. @default 64 random bytes (crypto.randomBytes), base64url: 86 characters */
  readonly random?: () => string;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Sends CloudFormation the answer to a custom resource event. @default an HTTPS PUT of the body to the URL */
  readonly respond?: (url: string, body: string) => Promise<void>;
}

/** 512 bits from the CSPRNG, as base64url (no padding): safe in JSON, an environment variable and a header. */
export function newJwtSecret(): string {
  return randomBytes(64).toString('base64url');
}

function jwtSecretOf(value: Record<string, unknown>, which: string, secretId: string): string {
  const jwtSecret = value.jwtSecret;
  if (typeof jwtSecret !== 'string' || jwtSecret === '') {
    throw new Error(`the ${which} value of ${secretId} has no jwtSecret (a non-empty string)`);
  }
  return jwtSecret;
}

/** The keys a rotation changes; every other key is carried over as it is. */
const ROTATED_KEYS = ['jwtSecret', 'jwtSecretPrevious'];

/** The keys of an object but the rotated ones, sorted. */
function carriedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => !ROTATED_KEYS.includes(key)).sort();
}

/**
 * Why the pending value is not one rotation on from the current one, or undefined when it is: a
 * new `jwtSecret`, the current one as `jwtSecretPrevious`, every other key as the current value
 * has it. Names keys, never values.
 */
function notOneRotationOn(pendingString: string, current: Record<string, unknown>, secretId: string): string | undefined {
  let pending: Record<string, unknown>;
  let jwtSecret: string;
  try {
    pending = parseValue(pendingString, PENDING, secretId);
    jwtSecret = jwtSecretOf(pending, PENDING, secretId);
  } catch (e) {
    return (e as Error).message;
  }
  if (jwtSecret === pending.jwtSecretPrevious) {
    return `the ${PENDING} value of ${secretId} has a jwtSecret equal to its jwtSecretPrevious`;
  }
  const moved = `it was not made from the ${CURRENT} value, which moved after createSecret (a value put or a version staged by hand)`;
  if (pending.jwtSecretPrevious !== jwtSecretOf(current, CURRENT, secretId)) {
    return `the ${PENDING} value of ${secretId} has a jwtSecretPrevious other than the ${CURRENT} jwtSecret: ${moved}`;
  }
  const differing = [...new Set([...carriedKeys(pending), ...carriedKeys(current)])].sort()
    .filter((key) => !isDeepStrictEqual(pending[key], current[key]));
  if (differing.length > 0) {
    return `the ${PENDING} value of ${secretId} differs from the ${CURRENT} value in ${differing.join(', ')}: ${moved}`;
  }
  return undefined;
}

/** The current version, after checking the pending value against it: abandons the rotation if it can never pass. */
async function checkedPending(ctx: StepContext, pendingString: string): Promise<{ versionId?: string }> {
  const current = await currentVersion(ctx.client, ctx.secretId);
  const problem = notOneRotationOn(pendingString, current.value, ctx.secretId);
  if (problem !== undefined) {
    await abandon(ctx, problem);
  }
  return current;
}

/**
 * Puts the new version, staged AWSPENDING, unless an earlier run of this step already did; a value
 * an earlier run put from a value that is no longer current abandons the rotation.
 */
async function createSecret(ctx: StepContext, random: () => string): Promise<void> {
  const existing = await pendingValue(ctx);
  if (existing !== undefined) {
    await checkedPending(ctx, existing);
    ctx.note('createSecret: the pending version already has a value one rotation on from the current one; nothing to do');
    return;
  }
  const current = await currentValue(ctx.client, ctx.secretId);
  const next = { ...current, jwtSecret: random(), jwtSecretPrevious: jwtSecretOf(current, CURRENT, ctx.secretId) };
  await putPending(ctx, next);
  ctx.note('createSecret: put the pending version', { keys: Object.keys(next).sort() });
}

/** The services read the secret when a task starts: there is nothing to set elsewhere. */
async function setSecret(ctx: StepContext): Promise<void> {
  ctx.note('setSecret: nothing to set; the services read the secret when their tasks start');
}

/** The pending value is one rotation on from the current one, or the rotation is abandoned. */
async function testSecret(ctx: StepContext): Promise<void> {
  await checkedPending(ctx, await requiredPending(ctx));
  ctx.note('testSecret: the pending value is one rotation on from the current one');
}

/**
 * Makes the version current from the version it was checked against; a pending value that is no
 * longer one rotation on from the current one (AWSCURRENT moved after testSecret) abandons the
 * rotation, since finishing it would drop the value put by hand.
 */
async function finishJwtSecret(ctx: StepContext): Promise<void> {
  const { versionId } = await checkedPending(ctx, await requiredPending(ctx));
  await finishSecret(ctx, versionId);
}

/** The four steps, with the random source of new jwtSecrets. */
function jwtSteps(random: () => string): Record<RotationStep, (ctx: StepContext) => Promise<void>> {
  return { createSecret: (ctx) => createSecret(ctx, random), setSecret, testSecret, finishSecret: finishJwtSecret };
}

/** Whether CloudFormation sent the event (a custom resource's request), not Secrets Manager. */
function isSeedEvent(event: unknown): event is SeedEvent {
  return typeof event === 'object' && event !== null && 'RequestType' in event && 'ResponseURL' in event;
}

/**
 * Puts `jwtSecretPrevious`, equal to `jwtSecret`, into a current value without it (every other
 * key kept), as a new AWSCURRENT version; a value that has it (a rotation ran) is left alone.
 * Accepting the current key a second time widens nothing, and the next rotation keeps it as the
 * previous one, as it should.
 */
async function seedPreviousKey(client: SecretsClient, secretId: unknown, token: string, note: (message: string) => void): Promise<void> {
  if (typeof secretId !== 'string' || secretId === '') {
    throw new Error('ResourceProperties.SecretId must be a non-empty string');
  }
  const current = await currentValue(client, secretId);
  const jwtSecret = jwtSecretOf(current, CURRENT, secretId);
  if (typeof current.jwtSecretPrevious === 'string' && current.jwtSecretPrevious !== '') {
    note('seed: the current value has a jwtSecretPrevious; nothing to do');
    return;
  }
  const seeded = JSON.stringify({ ...current, jwtSecretPrevious: jwtSecret });
  await client.send({ operation: 'PutSecretValue', input: { SecretId: secretId, ClientRequestToken: token, SecretString: seeded, VersionStages: [CURRENT] } });
  note('seed: put jwtSecretPrevious, equal to jwtSecret, as the current version');
}

/**
 * Answers a custom resource event: seeds on Create and Update, and leaves the key on Delete (tasks
 * that still run read it when they restart). Every outcome is sent to CloudFormation, which would
 * otherwise wait an hour; a failure with its reason, which names no value.
 */
async function answerCloudFormation(deps: HandlerDeps, event: SeedEvent, log: (line: string) => void): Promise<void> {
  const secretId = event.ResourceProperties?.SecretId;
  const fields = { requestType: event.RequestType, logicalResourceId: event.LogicalResourceId, requestId: event.RequestId, secretId };
  const note = (message: string, more: Record<string, unknown> = {}) => log(JSON.stringify({ message, ...fields, ...more }));
  note('custom resource request received');
  let failure: string | undefined;
  try {
    if (event.RequestType !== 'Delete') {
      await seedPreviousKey(deps.client, secretId, event.RequestId, note);
    }
  } catch (e) {
    failure = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    note('custom resource request failed', { error: failure });
  }
  const body = JSON.stringify({
    Status: failure === undefined ? 'SUCCESS' : 'FAILED',
    Reason: failure ?? 'jwtSecretPrevious is in the current value',
    PhysicalResourceId: event.PhysicalResourceId ?? (typeof secretId === 'string' && secretId !== '' ? `${secretId}/jwtSecretPrevious` : event.LogicalResourceId),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  });
  await (deps.respond ?? httpsPut)(event.ResponseURL, body);
  note('custom resource answered', { status: failure === undefined ? 'SUCCESS' : 'FAILED' });
}

/** PUTs `body` to a presigned URL, as CloudFormation takes a custom resource's answer (no content type). */
export function httpsPut(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode !== undefined && response.statusCode < 300
        ? resolve()
        : reject(new Error(`CloudFormation's response URL answered HTTP ${response.statusCode}`))));
    });
    request.setTimeout(10_000, () => request.destroy(new Error('CloudFormation\'s response URL did not answer within 10 s')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Builds the rotation function. A failed step throws, which is what tells Secrets Manager the
 * rotation failed (it retries, and leaves AWSCURRENT where it was); the error names the step, the
 * secret and the version, never a value. A CloudFormation custom resource event seeds
 * `jwtSecretPrevious` instead.
 */
export function makeHandler(deps: HandlerDeps): (event: RotationEvent | SeedEvent) => Promise<void> {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (event: RotationEvent | SeedEvent) => {
    if (isSeedEvent(event)) {
      return answerCloudFormation(deps, event, log);
    }
    return runStep(deps.client, log, event, jwtSteps(deps.random ?? newJwtSecret));
  };
}

/** The Lambda entry point: the SDK's client, made at the first call. */
export const handler = makeHandler({ client: lazySdkSecretsClient() });
