import { randomBytes } from 'crypto';
import * as https from 'https';
import { isDeepStrictEqual } from 'util';

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
 * (createSecret run again, testSecret, finishSecret) abandons the rotation: it removes AWSPENDING
 * from the version, as Secrets Manager itself does when it abandons one (RotationAbandoned), and
 * fails, which Secrets Manager reports (RotationFailed). The value put stays current, and the next
 * rotation starts from it. finishSecret moves AWSCURRENT off the version it read as current only,
 * and then removes AWSPENDING, as AWS's rotation templates do. Every step may run again.
 *
 * No secret value is ever logged or put in an error message: the Lambda runtime logs a thrown
 * error as it is. Nor is CloudFormation's response URL, whose signature lets anyone answer for
 * the stack.
 */

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
/** The keys a rotation changes; every other key is carried over as it is. */
const ROTATED_KEYS = ['jwtSecret', 'jwtSecretPrevious'];
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** One of the four steps of a rotation. */
export type RotationStep = (typeof STEPS)[number];

/** What Secrets Manager invokes the function with. */
export interface RotationEvent {
  readonly Step: string;
  /** The secret's ARN. */
  readonly SecretId: string;
  /** The version this rotation creates (its VersionId). */
  readonly ClientRequestToken: string;
  /**
   * Identifies the source of the request; Secrets Manager checks it when the function calls it
   * with an assumed role or from another account. Sensitive: never logged.
   */
  readonly RotationToken?: string;
}

/** The Secrets Manager operations the function calls, with the fields it sends and reads (API names). */
export interface SecretsManagerOperations {
  DescribeSecret: {
    input: { SecretId: string };
    output: { RotationEnabled?: boolean; VersionIdsToStages?: Record<string, string[]> };
  };
  GetSecretValue: {
    input: { SecretId: string; VersionId?: string; VersionStage?: string };
    output: { VersionId?: string; SecretString?: string };
  };
  PutSecretValue: {
    input: { SecretId: string; ClientRequestToken: string; SecretString: string; VersionStages: string[]; RotationToken?: string };
    output: { VersionId?: string };
  };
  UpdateSecretVersionStage: {
    input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string };
    output: object;
  };
}

export type SecretsManagerOperation = keyof SecretsManagerOperations;

/** One call: the operation's name and its input. The default client maps it onto the SDK's `<operation>Command`. */
export interface SecretsManagerCommand<K extends SecretsManagerOperation = SecretsManagerOperation> {
  readonly operation: K;
  readonly input: SecretsManagerOperations[K]['input'];
}

/** The one method the function needs of a Secrets Manager client; a test gives its own. */
export interface SecretsClient {
  send<K extends SecretsManagerOperation>(command: SecretsManagerCommand<K>): Promise<SecretsManagerOperations[K]['output']>;
}

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

/** The SDK module, as much of it as the default client uses. */
type SdkModule = {
  readonly SecretsManagerClient: new (config: object) => { send(command: unknown): Promise<unknown> };
} & { readonly [K in `${SecretsManagerOperation}Command`]: new (input: unknown) => unknown };

/**
 * A client of the AWS SDK for JavaScript v3, which the Lambda runtime provides (the bundle leaves
 * `@aws-sdk/*` out). It is required here, not imported at the top: loading the module needs
 * neither the SDK nor AWS configuration.
 */
export function sdkSecretsClient(): SecretsClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('@aws-sdk/client-secrets-manager') as SdkModule;
  const client = new sdk.SecretsManagerClient({});
  return {
    send: async <K extends SecretsManagerOperation>(command: SecretsManagerCommand<K>) =>
      client.send(new sdk[`${command.operation}Command`](command.input)) as Promise<SecretsManagerOperations[K]['output']>,
  };
}

/** 512 bits from the CSPRNG, as base64url (no padding): safe in JSON, an environment variable and a header. */
export function newJwtSecret(): string {
  return randomBytes(64).toString('base64url');
}

/** The checked event, in the names the code uses. */
interface Rotation {
  readonly step: RotationStep;
  readonly secretId: string;
  readonly token: string;
  readonly rotationToken?: string;
}

/** What every step works with. */
interface StepContext extends Rotation {
  readonly client: SecretsClient;
  readonly random: () => string;
  readonly note: (message: string, fields?: Record<string, unknown>) => void;
  /** VersionIdsToStages, as DescribeSecret gave it before the step. */
  readonly stages: Record<string, string[]>;
}

function readEvent(event: unknown): Rotation {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (!STEPS.includes(e.Step as RotationStep)) {
    throw new Error(`Step must be one of ${STEPS.join(', ')}, got ${JSON.stringify(e.Step)}`);
  }
  for (const key of ['SecretId', 'ClientRequestToken']) {
    if (typeof e[key] !== 'string' || e[key] === '') {
      throw new Error(`${key} must be a non-empty string`);
    }
  }
  const rotationToken = typeof e.RotationToken === 'string' && e.RotationToken !== '' ? e.RotationToken : undefined;
  return { step: e.Step as RotationStep, secretId: e.SecretId as string, token: e.ClientRequestToken as string, rotationToken };
}

/**
 * The value of a version as a JSON object. A value that does not parse is reported without the
 * parser's message, which quotes the value.
 */
function parseValue(value: string | undefined, which: string, secretId: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? '');
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`the ${which} value of ${secretId} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

function jwtSecretOf(value: Record<string, unknown>, which: string, secretId: string): string {
  const jwtSecret = value.jwtSecret;
  if (typeof jwtSecret !== 'string' || jwtSecret === '') {
    throw new Error(`the ${which} value of ${secretId} has no jwtSecret (a non-empty string)`);
  }
  return jwtSecret;
}

/** The current version: its ID and its value. */
async function currentVersion(ctx: StepContext): Promise<{ versionId?: string; value: Record<string, unknown> }> {
  const { VersionId, SecretString } = await ctx.client.send({ operation: 'GetSecretValue', input: { SecretId: ctx.secretId, VersionStage: CURRENT } });
  return { versionId: VersionId, value: parseValue(SecretString, CURRENT, ctx.secretId) };
}

/** The value of this rotation's version, or undefined while it has none (RotateSecret made it empty). */
async function pendingValue(ctx: StepContext): Promise<string | undefined> {
  try {
    const { SecretString } = await ctx.client.send({
      operation: 'GetSecretValue',
      input: { SecretId: ctx.secretId, VersionId: ctx.token, VersionStage: PENDING },
    });
    return SecretString;
  } catch (e) {
    if ((e as { name?: unknown }).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw e;
  }
}

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

/**
 * Gives up a rotation whose version can never pass (its value never changes): removes AWSPENDING
 * from it, so that Secrets Manager may start the next rotation, and fails, so that this one is
 * reported. A retry of any step of the version then fails at the first checks, changing nothing.
 */
async function abandon(ctx: StepContext, problem: string): Promise<never> {
  await ctx.client.send({
    operation: 'UpdateSecretVersionStage',
    input: { SecretId: ctx.secretId, VersionStage: PENDING, RemoveFromVersionId: ctx.token },
  });
  ctx.note(`${ctx.step}: abandoned the rotation: removed AWSPENDING from the version`);
  throw new Error(`${problem}; the rotation is abandoned (${PENDING} removed from version ${ctx.token}), and the next one starts from the ${CURRENT} value`);
}

/** The pending value, checked against the current version: abandons the rotation if it can never pass. */
async function checkedPending(ctx: StepContext, pendingString: string): Promise<{ versionId?: string }> {
  const current = await currentVersion(ctx);
  const problem = notOneRotationOn(pendingString, current.value, ctx.secretId);
  if (problem !== undefined) {
    await abandon(ctx, problem);
  }
  return current;
}

/** The pending value, which createSecret must have put. */
async function requiredPending(ctx: StepContext): Promise<string> {
  const pendingString = await pendingValue(ctx);
  if (pendingString === undefined) {
    throw new Error(`the ${PENDING} version ${ctx.token} of ${ctx.secretId} has no value: createSecret has not run`);
  }
  return pendingString;
}

/**
 * Puts the new version, staged AWSPENDING, unless an earlier run of this step already did; a value
 * an earlier run put from a value that is no longer current abandons the rotation.
 */
async function createSecret(ctx: StepContext): Promise<void> {
  const existing = await pendingValue(ctx);
  if (existing !== undefined) {
    await checkedPending(ctx, existing);
    ctx.note('createSecret: the pending version already has a value one rotation on from the current one; nothing to do');
    return;
  }
  const { value: current } = await currentVersion(ctx);
  const next = { ...current, jwtSecret: ctx.random(), jwtSecretPrevious: jwtSecretOf(current, CURRENT, ctx.secretId) };
  await ctx.client.send({
    operation: 'PutSecretValue',
    input: {
      SecretId: ctx.secretId,
      ClientRequestToken: ctx.token,
      SecretString: JSON.stringify(next),
      VersionStages: [PENDING],
      ...(ctx.rotationToken ? { RotationToken: ctx.rotationToken } : {}),
    },
  });
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
 * Moves AWSCURRENT to this rotation's version from the version it read as current (Secrets Manager
 * refuses the move if AWSCURRENT moved since, and moves AWSPREVIOUS to the one it leaves), then
 * removes AWSPENDING from it, as AWS's rotation templates do. A pending value that is no longer
 * one rotation on from the current one (AWSCURRENT moved after testSecret) abandons the rotation:
 * finishing it would drop the value put by hand.
 */
async function finishSecret(ctx: StepContext): Promise<void> {
  const { versionId } = await checkedPending(ctx, await requiredPending(ctx));
  const currentVersionId = versionId ?? Object.keys(ctx.stages).find((version) => ctx.stages[version].includes(CURRENT));
  await ctx.client.send({
    operation: 'UpdateSecretVersionStage',
    input: { SecretId: ctx.secretId, VersionStage: CURRENT, MoveToVersionId: ctx.token, RemoveFromVersionId: currentVersionId },
  });
  await removePending(ctx.client, ctx.secretId, ctx.token);
  ctx.note('finishSecret: moved AWSCURRENT to the version, and removed AWSPENDING from it', { from: currentVersionId });
}

/** Takes AWSPENDING off a version that is AWSCURRENT: the rotation is complete. */
async function removePending(client: SecretsClient, secretId: string, token: string): Promise<void> {
  await client.send({ operation: 'UpdateSecretVersionStage', input: { SecretId: secretId, VersionStage: PENDING, RemoveFromVersionId: token } });
}

const STEP_FUNCTIONS: Record<RotationStep, (ctx: StepContext) => Promise<void>> = { createSecret, setSecret, testSecret, finishSecret };

/**
 * The version's stages, after the checks every step starts with (as AWS's rotation templates do):
 * rotation is enabled, and the version is staged AWSPENDING or already AWSCURRENT.
 */
async function versionStages(client: SecretsClient, rotation: Rotation): Promise<Record<string, string[]>> {
  const { secretId, token } = rotation;
  const metadata = await client.send({ operation: 'DescribeSecret', input: { SecretId: secretId } });
  if (!metadata.RotationEnabled) {
    throw new Error(`secret ${secretId} is not enabled for rotation`);
  }
  const stages = metadata.VersionIdsToStages ?? {};
  const ofToken = stages[token];
  if (!ofToken) {
    throw new Error(`version ${token} of secret ${secretId} has no stage: it is not the version of a rotation`);
  }
  if (!ofToken.includes(CURRENT) && !ofToken.includes(PENDING)) {
    throw new Error(`version ${token} of secret ${secretId} is not staged ${PENDING} (it has ${ofToken.join(', ') || 'no stage'})`);
  }
  return stages;
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
  const { SecretString } = await client.send({ operation: 'GetSecretValue', input: { SecretId: secretId, VersionStage: CURRENT } });
  const current = parseValue(SecretString, CURRENT, secretId);
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
    const rotation = readEvent(event);
    const { step, secretId, token } = rotation;
    const note = (message: string, fields: Record<string, unknown> = {}) => log(JSON.stringify({ message, step, secretId, token, ...fields }));
    note('rotation step started');
    try {
      const stages = await versionStages(deps.client, rotation);
      if (stages[token].includes(CURRENT)) {
        // A finishSecret that moved AWSCURRENT but failed to remove AWSPENDING, run again.
        if (step === 'finishSecret' && stages[token].includes(PENDING)) {
          await removePending(deps.client, secretId, token);
          note('finishSecret: the version is already AWSCURRENT; removed AWSPENDING from it');
          return;
        }
        note('the version is already AWSCURRENT; nothing to do');
        return;
      }
      await STEP_FUNCTIONS[step]({ ...rotation, client: deps.client, random: deps.random ?? newJwtSecret, note, stages });
    } catch (e) {
      note('rotation step failed', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      throw e;
    }
  };
}

let defaultClient: SecretsClient | undefined;

/** The Lambda entry point: the SDK's client, made at the first call. */
export const handler = makeHandler({ client: { send: (command) => (defaultClient ??= sdkSecretsClient()).send(command) } });
