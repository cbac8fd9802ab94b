/**
 * What every rotation function the library ships shares: Secrets Manager's four-step protocol
 * (createSecret, setSecret, testSecret, finishSecret, as its rotation templates describe), the
 * checks each step starts with, the client, and the one way a step fails. Each function
 * (src/private/<name>.lambda.ts) brings its own steps; esbuild bundles this module into each.
 *
 * No secret value is ever logged or put in an error message: the Lambda runtime logs a thrown
 * error as it is.
 */

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

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

/** The Secrets Manager operations the functions call, with the fields they send and read (API names). */
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

/** The one method a function needs of a Secrets Manager client; a test gives its own. */
export interface SecretsClient {
  send<K extends SecretsManagerOperation>(command: SecretsManagerCommand<K>): Promise<SecretsManagerOperations[K]['output']>;
}

/** The SDK module, as much of it as the default client uses. */
type SdkModule = {
  readonly SecretsManagerClient: new (config: object) => { send(command: unknown): Promise<unknown> };
} & { readonly [K in `${SecretsManagerOperation}Command`]: new (input: unknown) => unknown };

/**
 * A client of the AWS SDK for JavaScript v3, which the Lambda runtime provides (the bundles leave
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

/** A client made at its first call: the entry points load without the SDK or AWS configuration. */
export function lazySdkSecretsClient(): SecretsClient {
  let client: SecretsClient | undefined;
  return { send: (command) => (client ??= sdkSecretsClient()).send(command) };
}

/** The checked event, in the names the code uses. */
export interface Rotation {
  readonly step: RotationStep;
  readonly secretId: string;
  readonly token: string;
  readonly rotationToken?: string;
}

/** What every step works with. */
export interface StepContext extends Rotation {
  readonly client: SecretsClient;
  readonly note: (message: string, fields?: Record<string, unknown>) => void;
  /** VersionIdsToStages, as DescribeSecret gave it before the step. */
  readonly stages: Record<string, string[]>;
}

export function readEvent(event: unknown): Rotation {
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
export function parseValue(value: string | undefined, which: string, secretId: string): Record<string, unknown> {
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

/** The AWSCURRENT version of a secret: its ID, and its value as a JSON object. */
export async function currentVersion(client: SecretsClient, secretId: string): Promise<{ versionId?: string; value: Record<string, unknown> }> {
  const { VersionId, SecretString } = await client.send({ operation: 'GetSecretValue', input: { SecretId: secretId, VersionStage: CURRENT } });
  return { versionId: VersionId, value: parseValue(SecretString, CURRENT, secretId) };
}

/** The AWSCURRENT value of a secret (the rotated one, or another the function reads) as a JSON object. */
export async function currentValue(client: SecretsClient, secretId: string): Promise<Record<string, unknown>> {
  return (await currentVersion(client, secretId)).value;
}

/** The value of this rotation's version, or undefined while it has none (RotateSecret made it empty). */
export async function pendingValue(ctx: StepContext): Promise<string | undefined> {
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

/** Puts this rotation's version, staged AWSPENDING, with the event's RotationToken. */
export async function putPending(ctx: StepContext, value: Record<string, unknown>): Promise<void> {
  await ctx.client.send({
    operation: 'PutSecretValue',
    input: {
      SecretId: ctx.secretId,
      ClientRequestToken: ctx.token,
      SecretString: JSON.stringify(value),
      VersionStages: [PENDING],
      ...(ctx.rotationToken ? { RotationToken: ctx.rotationToken } : {}),
    },
  });
}

/** The value of this rotation's version, which createSecret must have put. */
export async function requiredPending(ctx: StepContext): Promise<string> {
  const pendingString = await pendingValue(ctx);
  if (pendingString === undefined) {
    throw new Error(`the ${PENDING} version ${ctx.token} of ${ctx.secretId} has no value: createSecret has not run`);
  }
  return pendingString;
}

/** Takes AWSPENDING off a version: the rotation is complete, or given up. */
export async function removePending(client: SecretsClient, secretId: string, token: string): Promise<void> {
  await client.send({ operation: 'UpdateSecretVersionStage', input: { SecretId: secretId, VersionStage: PENDING, RemoveFromVersionId: token } });
}

/**
 * Gives up a rotation whose version can never pass (a version's value never changes): removes
 * AWSPENDING from it, as Secrets Manager itself does when it abandons one, so that the next
 * rotation may start, and fails, so that this one is reported. A retry of any step of the version
 * then fails at the first checks, changing nothing. `problem` names keys, never values.
 */
export async function abandon(ctx: StepContext, problem: string): Promise<never> {
  await removePending(ctx.client, ctx.secretId, ctx.token);
  ctx.note(`${ctx.step}: abandoned the rotation: removed AWSPENDING from the version`);
  throw new Error(`${problem}; the rotation is abandoned (${PENDING} removed from version ${ctx.token}), and the next one starts from the ${CURRENT} value`);
}

/**
 * Moves AWSCURRENT to this rotation's version from `fromVersion` (the version a step read as
 * current; Secrets Manager refuses the move if AWSCURRENT moved since, and moves AWSPREVIOUS to the
 * one it leaves), then removes AWSPENDING from it, as AWS's rotation templates do.
 */
export async function finishSecret(ctx: StepContext, fromVersion?: string): Promise<void> {
  const currentVersionId = fromVersion ?? Object.keys(ctx.stages).find((version) => ctx.stages[version].includes(CURRENT));
  await ctx.client.send({
    operation: 'UpdateSecretVersionStage',
    input: { SecretId: ctx.secretId, VersionStage: CURRENT, MoveToVersionId: ctx.token, RemoveFromVersionId: currentVersionId },
  });
  await removePending(ctx.client, ctx.secretId, ctx.token);
  ctx.note('finishSecret: moved AWSCURRENT to the version, and removed AWSPENDING from it', { from: currentVersionId });
}

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

/**
 * Runs one step of a rotation: checks the event and the version, skips a version already
 * AWSCURRENT, and logs the start, and a failure with its reason. A failed step throws, which is
 * what tells Secrets Manager the rotation failed (it retries, and leaves AWSCURRENT where it was);
 * the error names the step, the secret and the version, never a value.
 */
export async function runStep(
  client: SecretsClient,
  log: (line: string) => void,
  event: unknown,
  steps: Record<RotationStep, (ctx: StepContext) => Promise<void>>,
): Promise<void> {
  const rotation = readEvent(event);
  const { step, secretId, token } = rotation;
  const note = (message: string, fields: Record<string, unknown> = {}) => log(JSON.stringify({ message, step, secretId, token, ...fields }));
  note('rotation step started');
  try {
    const stages = await versionStages(client, rotation);
    if (stages[token].includes(CURRENT)) {
      // A finishSecret that moved AWSCURRENT but failed to remove AWSPENDING, run again.
      if (step === 'finishSecret' && stages[token].includes(PENDING)) {
        await removePending(client, secretId, token);
        note('finishSecret: the version is already AWSCURRENT; removed AWSPENDING from it');
        return;
      }
      note('the version is already AWSCURRENT; nothing to do');
      return;
    }
    await steps[step]({ ...rotation, client, note, stages });
  } catch (e) {
    note('rotation step failed', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    throw e;
  }
}
