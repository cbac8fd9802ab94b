import { EventEmitter } from 'events';
import type * as httpsModule from 'https';
import * as path from 'path';
import { SecretsManagerStub } from './secrets-manager-stub';
import { HandlerDeps, httpsPut, makeHandler, newJwtSecret, RotationEvent, sdkSecretsClient, SecretsManagerCommand } from '../src/private/app-secret-rotation.lambda';

/**
 * The SDK is not a dependency of the tests: a module of the same shape stands in for it. Each
 * `<Operation>Command` keeps its name and input; the client's calls go to `mockBackend`.
 */
let mockBackend: { send(command: SecretsManagerCommand): Promise<unknown> } | undefined;
const mockClients: Array<{ config: unknown }> = [];
jest.mock('@aws-sdk/client-secrets-manager', () => {
  const command = (operation: string) => class {
    readonly operation = operation;
    constructor(readonly input: unknown) {}
  };
  return {
    SecretsManagerClient: class {
      constructor(readonly config: unknown) {
        mockClients.push(this);
      }
      send(c: SecretsManagerCommand) {
        if (!mockBackend) {
          throw new Error('no backend');
        }
        return mockBackend.send(c);
      }
    },
    DescribeSecretCommand: command('DescribeSecret'),
    GetSecretValueCommand: command('GetSecretValue'),
    PutSecretValueCommand: command('PutSecretValue'),
    UpdateSecretVersionStageCommand: command('UpdateSecretVersionStage'),
  };
}, { virtual: true });

const JWT_0 = 'jwt-zero-0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ';
const API_KEY = 'api-key-value-kept-through-rotations';
const INITIAL = JSON.stringify({ jwtSecret: JWT_0, apiKey: API_KEY });

/** A stub secret, and a handler over it that draws jwt-1, jwt-2, ... and keeps its log lines. */
function setup(initial = INITIAL, deps: Partial<HandlerDeps> = {}) {
  const secret = new SecretsManagerStub(initial);
  const lines: string[] = [];
  let n = 0;
  const handle = makeHandler({ client: secret, random: () => `jwt-${++n}-${'x'.repeat(40)}`, log: (line) => lines.push(line), ...deps });
  const json = (at: string) => JSON.parse(secret.valueAt(at) ?? 'null');
  const operations = () => secret.calls.map((c) => c.operation);
  return { secret, handle, lines, json, operations };
}

/** A rotation's version with the value `value`, staged AWSPENDING: what a createSecret would have put. */
async function pendingWith(s: ReturnType<typeof setup>, value: unknown): Promise<string> {
  const token = s.secret.startRotation();
  await s.secret.send({
    operation: 'PutSecretValue',
    input: { SecretId: s.secret.arn, ClientRequestToken: token, SecretString: typeof value === 'string' ? value : JSON.stringify(value), VersionStages: ['AWSPENDING'] },
  });
  s.secret.calls.length = 0;
  return token;
}

describe('createSecret', () => {
  test('puts the new version staged AWSPENDING: every key of the current value, a new jwtSecret, the current one as jwtSecretPrevious', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    expect(s.json('AWSPENDING')).toEqual({ jwtSecret: `jwt-1-${'x'.repeat(40)}`, jwtSecretPrevious: JWT_0, apiKey: API_KEY });
    expect(s.secret.stages()).toEqual({ v0: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    expect(s.operations()).toEqual(['DescribeSecret', 'GetSecretValue', 'GetSecretValue', 'PutSecretValue']);
    expect(s.secret.calls[3].input).toMatchObject({ SecretId: s.secret.arn, ClientRequestToken: token, VersionStages: ['AWSPENDING'] });
    expect(s.secret.calls[3].input).not.toHaveProperty('RotationToken');
  });

  test('passes the event\'s RotationToken on to PutSecretValue', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token, 'rotation-token-from-secrets-manager'));
    expect(s.secret.calls.find((c) => c.operation === 'PutSecretValue')?.input).toMatchObject({ RotationToken: 'rotation-token-from-secrets-manager' });
  });

  test('run again, does nothing: the pending value stays the one first put', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    const first = s.secret.valueAt('AWSPENDING');
    s.secret.calls.length = 0;
    await s.handle(s.secret.event('createSecret', token));
    expect(s.secret.valueAt('AWSPENDING')).toBe(first);
    expect(s.operations()).toEqual(['DescribeSecret', 'GetSecretValue', 'GetSecretValue']);
    expect(s.lines.pop()).toMatch(/already has a value one rotation on from the current one; nothing to do/);
  });

  test('run again after PutSecretValue failed, puts the version', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    s.secret.failNext.set('PutSecretValue', 'InternalServiceError');
    await expect(s.handle(s.secret.event('createSecret', token))).rejects.toThrow('injected InternalServiceError');
    expect(s.secret.valueAt('AWSPENDING')).toBeUndefined();
    await s.handle(s.secret.event('createSecret', token));
    expect(s.json('AWSPENDING')).toMatchObject({ jwtSecretPrevious: JWT_0 });
  });

  test('fails on an error other than ResourceNotFoundException reading the pending version, and puts nothing', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    s.secret.failNext.set('GetSecretValue', 'AccessDeniedException');
    await expect(s.handle(s.secret.event('createSecret', token))).rejects.toThrow('injected AccessDeniedException');
    expect(s.operations()).not.toContain('PutSecretValue');
  });

  test.each([
    ['has no jwtSecret', JSON.stringify({ apiKey: API_KEY }), /the AWSCURRENT value of .* has no jwtSecret/],
    ['has an empty jwtSecret', JSON.stringify({ jwtSecret: '' }), /has no jwtSecret/],
    ['has a jwtSecret that is not a string', JSON.stringify({ jwtSecret: 42 }), /has no jwtSecret/],
    ['is not JSON', 'plain-text-secret-value', /the AWSCURRENT value of .* is not a JSON object/],
    ['is a JSON array', JSON.stringify([JWT_0]), /is not a JSON object/],
  ])('fails when the current value %s, and puts nothing', async (_what, initial, message) => {
    const s = setup(initial);
    const token = s.secret.startRotation();
    await expect(s.handle(s.secret.event('createSecret', token))).rejects.toThrow(message);
    expect(s.operations()).not.toContain('PutSecretValue');
    expect(s.secret.stages()[token]).toEqual(['AWSPENDING']);
  });
});

describe('setSecret', () => {
  test('sets nothing: only the checks every step makes', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    s.secret.calls.length = 0;
    await s.handle(s.secret.event('setSecret', token));
    expect(s.operations()).toEqual(['DescribeSecret']);
    expect(s.lines.pop()).toMatch(/setSecret: nothing to set/);
  });
});

describe('testSecret', () => {
  test('passes a pending value one rotation on from the current one, and changes nothing', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    const before = s.secret.stages();
    await s.handle(s.secret.event('testSecret', token));
    await s.handle(s.secret.event('testSecret', token));
    expect(s.secret.stages()).toEqual(before);
    expect(s.secret.calls.filter((c) => c.operation === 'PutSecretValue' || c.operation === 'UpdateSecretVersionStage')).toHaveLength(1);
  });

  test.each([
    ['is not JSON', 'not-json-at-all', /the AWSPENDING value of .* is not a JSON object/],
    ['has no jwtSecret', { jwtSecretPrevious: JWT_0 }, /the AWSPENDING value of .* has no jwtSecret/],
    ['has an empty jwtSecret', { jwtSecret: '', jwtSecretPrevious: JWT_0 }, /has no jwtSecret/],
    ['has jwtSecret equal to jwtSecretPrevious', { jwtSecret: JWT_0, jwtSecretPrevious: JWT_0 }, /a jwtSecret equal to its jwtSecretPrevious/],
    ['has jwtSecretPrevious other than the current jwtSecret', { jwtSecret: 'new-value-1', jwtSecretPrevious: 'older-value' }, /a jwtSecretPrevious other than the AWSCURRENT jwtSecret/],
    ['has no jwtSecretPrevious', { jwtSecret: 'new-value-1' }, /a jwtSecretPrevious other than the AWSCURRENT jwtSecret/],
  ])('fails when the pending value %s', async (_what, value, message) => {
    const s = setup();
    const token = await pendingWith(s, value);
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(message);
  });

  test('fails when the pending version has no value yet (createSecret has not run)', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(/has no value: createSecret has not run/);
  });
});

describe('finishSecret', () => {
  test('moves AWSCURRENT to the pending version, removing it from the current one (AWSPREVIOUS follows), then AWSPENDING from the version, as AWS\'s template does', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    s.secret.calls.length = 0;
    await s.handle(s.secret.event('finishSecret', token));
    expect(s.secret.calls.filter((c) => c.operation !== 'GetSecretValue').map((c) => [c.operation, c.input])).toEqual([
      ['DescribeSecret', { SecretId: s.secret.arn }],
      ['UpdateSecretVersionStage', { SecretId: s.secret.arn, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: 'v0' }],
      ['UpdateSecretVersionStage', { SecretId: s.secret.arn, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }],
    ]);
    expect(s.secret.stages()).toEqual({ v0: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
  });

  test('run again, does nothing: the version is already AWSCURRENT', async () => {
    const s = setup();
    const token = await s.secret.rotate(s.handle);
    const stages = s.secret.stages();
    s.secret.calls.length = 0;
    await s.handle(s.secret.event('finishSecret', token));
    expect(s.operations()).toEqual(['DescribeSecret']);
    expect(s.secret.stages()).toEqual(stages);
    expect(s.lines.pop()).toMatch(/already AWSCURRENT; nothing to do/);
  });

  test('run again after removing AWSPENDING failed (AWSCURRENT moved), removes it', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    let failed = false;
    const client = {
      send: (command: SecretsManagerCommand) => {
        if (!failed && command.operation === 'UpdateSecretVersionStage' && (command.input as { VersionStage: string }).VersionStage === 'AWSPENDING') {
          failed = true;
          return Promise.reject(Object.assign(new Error('injected InternalServiceError'), { name: 'InternalServiceError' }));
        }
        return s.secret.send(command);
      },
    } as HandlerDeps['client'];
    const handle = makeHandler({ client, log: () => undefined });
    await expect(handle(s.secret.event('finishSecret', token))).rejects.toThrow('injected InternalServiceError');
    expect(s.secret.stages()[token]).toEqual(['AWSCURRENT', 'AWSPENDING']);
    await handle(s.secret.event('finishSecret', token));
    expect(s.secret.stages()[token]).toEqual(['AWSCURRENT']);
    expect(s.json('AWSCURRENT')).toMatchObject({ jwtSecretPrevious: JWT_0 });
  });

  test('moves AWSCURRENT off the version it read as current only: one moved in between makes Secrets Manager refuse, and the retry abandons', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    // A value put by hand right after finishSecret read the current one.
    const client = {
      send: async (command: SecretsManagerCommand) => {
        if (command.operation === 'UpdateSecretVersionStage' && (command.input as { VersionStage: string }).VersionStage === 'AWSCURRENT' && s.secret.valueAt('AWSCURRENT') === INITIAL) {
          await putByHand(s, { jwtSecret: 'jwt-put-by-hand-in-between-0123456789', apiKey: API_KEY });
        }
        return s.secret.send(command);
      },
    } as HandlerDeps['client'];
    const handle = makeHandler({ client, log: () => undefined });
    await expect(handle(s.secret.event('finishSecret', token))).rejects.toThrow(/label AWSCURRENT is attached to version put-by-hand/);
    expect(s.json('AWSCURRENT')).toMatchObject({ jwtSecret: 'jwt-put-by-hand-in-between-0123456789' });
    await expect(handle(s.secret.event('finishSecret', token))).rejects.toThrow(/the rotation is abandoned/);
    expect(s.json('AWSCURRENT')).toMatchObject({ jwtSecret: 'jwt-put-by-hand-in-between-0123456789' });
  });

  test('run again after UpdateSecretVersionStage failed, moves AWSCURRENT; AWSCURRENT stayed in between', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    s.secret.failNext.set('UpdateSecretVersionStage', 'AccessDeniedException');
    await expect(s.handle(s.secret.event('finishSecret', token))).rejects.toThrow('injected AccessDeniedException');
    expect(s.json('AWSCURRENT')).toEqual(JSON.parse(INITIAL));
    await s.handle(s.secret.event('finishSecret', token));
    expect(s.json('AWSCURRENT')).toMatchObject({ jwtSecretPrevious: JWT_0 });
  });
});

describe('the checks every step makes first', () => {
  const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

  test.each(STEPS)('%s fails when rotation is disabled, reading and writing nothing', async (step) => {
    const s = setup();
    const token = s.secret.startRotation();
    s.secret.rotationEnabled = false;
    await expect(s.handle(s.secret.event(step, token))).rejects.toThrow(`secret ${s.secret.arn} is not enabled for rotation`);
    expect(s.operations()).toEqual(['DescribeSecret']);
  });

  test.each(STEPS)('%s does nothing for a version already AWSCURRENT', async (step) => {
    const s = setup();
    await s.handle(s.secret.event(step, 'v0'));
    expect(s.operations()).toEqual(['DescribeSecret']);
    expect(s.lines.pop()).toMatch(/already AWSCURRENT; nothing to do/);
  });

  test.each(STEPS)('%s fails for a version staged neither AWSPENDING nor AWSCURRENT (AWSPREVIOUS)', async (step) => {
    const s = setup();
    await s.secret.rotate(s.handle);
    s.secret.calls.length = 0;
    await expect(s.handle(s.secret.event(step, 'v0'))).rejects.toThrow('version v0 of secret arn:aws:secretsmanager:eu-west-1:111111111111:secret:fido-app-AbCdEf is not staged AWSPENDING (it has AWSPREVIOUS)');
    expect(s.operations()).toEqual(['DescribeSecret']);
  });

  test.each(STEPS)('%s fails for a version the secret does not have', async (step) => {
    const s = setup();
    await expect(s.handle(s.secret.event(step, 'no-such-token'))).rejects.toThrow(/version no-such-token of secret .* has no stage/);
    expect(s.operations()).toEqual(['DescribeSecret']);
  });

  test.each([
    ['an unknown Step', { Step: 'rotate', SecretId: 'arn', ClientRequestToken: 't' }, 'Step must be one of createSecret, setSecret, testSecret, finishSecret, got "rotate"'],
    ['no Step', { SecretId: 'arn', ClientRequestToken: 't' }, 'Step must be one of createSecret, setSecret, testSecret, finishSecret, got undefined'],
    ['no SecretId', { Step: 'createSecret', ClientRequestToken: 't' }, 'SecretId must be a non-empty string'],
    ['an empty ClientRequestToken', { Step: 'createSecret', SecretId: 'arn', ClientRequestToken: '' }, 'ClientRequestToken must be a non-empty string'],
  ])('refuses an event with %s, calling nothing', async (_what, event, message) => {
    const s = setup();
    await expect(s.handle(event as RotationEvent)).rejects.toThrow(message);
    expect(s.secret.calls).toEqual([]);
  });
});

describe('rotations', () => {
  test('a full rotation (create, set, test, finish) makes the new value current, the old one AWSPREVIOUS', async () => {
    const s = setup();
    const token = await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-1-${'x'.repeat(40)}`, jwtSecretPrevious: JWT_0, apiKey: API_KEY });
    expect(s.json('AWSPREVIOUS')).toEqual(JSON.parse(INITIAL));
    expect(s.secret.stages()).toEqual({ v0: ['AWSPREVIOUS'], [token]: ['AWSCURRENT'] });
    expect(s.lines.map((l) => JSON.parse(l).message)).toEqual([
      'rotation step started', 'createSecret: put the pending version',
      'rotation step started', 'setSecret: nothing to set; the services read the secret when their tasks start',
      'rotation step started', 'testSecret: the pending value is one rotation on from the current one',
      'rotation step started', 'finishSecret: moved AWSCURRENT to the version, and removed AWSPENDING from it',
    ]);
  });

  test('a second rotation keeps only the immediate previous jwtSecret', async () => {
    const s = setup();
    await s.secret.rotate(s.handle);
    const second = await s.secret.rotate(s.handle);
    const current = s.json('AWSCURRENT');
    expect(current).toEqual({ jwtSecret: `jwt-2-${'x'.repeat(40)}`, jwtSecretPrevious: `jwt-1-${'x'.repeat(40)}`, apiKey: API_KEY });
    expect(Object.values(current)).not.toContain(JWT_0);
    expect(s.secret.stages()[second]).toEqual(['AWSCURRENT']);
  });

  test('Secrets Manager may start the next rotation after one: no version is left AWSPENDING', async () => {
    const s = setup();
    await s.secret.rotate(s.handle);
    expect(Object.values(s.secret.stages()).flat()).not.toContain('AWSPENDING');
    expect(() => s.secret.startRotation()).not.toThrow();
  });

  test('with the default random, jwtSecret is 64 random bytes as base64url, new every rotation', async () => {
    const s = setup(INITIAL, { random: undefined });
    await s.secret.rotate(s.handle);
    const first = s.json('AWSCURRENT').jwtSecret as string;
    await s.secret.rotate(s.handle);
    const second = s.json('AWSCURRENT');
    expect(first).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(Buffer.from(first, 'base64url')).toHaveLength(64);
    expect(second.jwtSecretPrevious).toBe(first);
    expect(second.jwtSecret).not.toBe(first);
  });

  test('no log line and no error message holds a secret value, or the start of one, or the RotationToken', async () => {
    const errors: string[] = [];
    const keep = (e: Error) => {
      errors.push(`${e.name}: ${e.message}\n${e.stack}`);
    };
    // A full rotation, Secrets Manager's RotationToken given to every step.
    const s = setup(INITIAL, { random: undefined });
    const token = s.secret.startRotation();
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await s.handle(s.secret.event(step, token, 'sensitive-rotation-token'));
    }
    // A current value that does not parse: the parser's own message quotes its start.
    const notJson = setup('S3cr3t-plain-text-value');
    await notJson.handle(notJson.secret.event('createSecret', notJson.secret.startRotation())).catch(keep);
    // A pending value that fails the test.
    const failing = setup();
    const failingToken = await pendingWith(failing, { jwtSecret: JWT_0, jwtSecretPrevious: JWT_0, apiKey: API_KEY });
    await failing.handle(failing.secret.event('testSecret', failingToken)).catch(keep);

    expect(errors).toHaveLength(2);
    const values = [JWT_0, API_KEY, 'S3cr3t-plain-text-value', 'sensitive-rotation-token', ...Object.values(s.json('AWSCURRENT')) as string[]];
    const texts = [...s.lines, ...notJson.lines, ...failing.lines, ...errors];
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      for (const value of values) {
        expect(text).not.toContain(value.slice(0, 10));
      }
    }
  });
});

/** An operator's PutSecretValue, as the README suggests for a new API key: a new version staged AWSCURRENT. */
async function putByHand(s: ReturnType<typeof setup>, value: object, token = 'put-by-hand'): Promise<void> {
  await s.secret.send({
    operation: 'PutSecretValue',
    input: { SecretId: s.secret.arn, ClientRequestToken: token, SecretString: JSON.stringify(value), VersionStages: ['AWSCURRENT'] },
  });
}

describe('a rotation interrupted by a value put by hand recovers', () => {
  const BY_HAND = { jwtSecret: 'jwt-put-by-hand-0123456789abcdefghijklmnopqrstuvwxyz', apiKey: 'api-key-put-by-hand' };
  const X = 'x'.repeat(40);

  test('AWSCURRENT moved between createSecret and testSecret: testSecret abandons the rotation, a retried step changes nothing, and the next rotation starts from the value put', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await s.handle(s.secret.event('setSecret', token));
    await putByHand(s, BY_HAND);

    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(
      new RegExp(`jwtSecretPrevious other than the AWSCURRENT jwtSecret: .*the rotation is abandoned \\(AWSPENDING removed from version ${token}\\)`));
    // The value put stays current, and no version holds AWSPENDING: Secrets Manager may rotate again.
    expect(s.json('AWSCURRENT')).toEqual(BY_HAND);
    expect(s.secret.stages()).toEqual({ 'v0': ['AWSPREVIOUS'], 'put-by-hand': ['AWSCURRENT'] });

    // Secrets Manager retries the step: it fails as AWS's templates do for a version of no
    // rotation, and changes nothing.
    s.secret.calls.length = 0;
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(`version ${token} of secret ${s.secret.arn} has no stage`);
    expect(s.operations()).toEqual(['DescribeSecret']);

    // The next rotation: jwtSecretPrevious is the jwtSecret that was current, the value put by hand.
    const next = await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-2-${X}`, jwtSecretPrevious: BY_HAND.jwtSecret, apiKey: BY_HAND.apiKey });
    expect(s.json('AWSPREVIOUS')).toEqual(BY_HAND);
    expect(s.secret.stages()[next]).toEqual(['AWSCURRENT']);
  });

  test('a retried createSecret after AWSCURRENT moved abandons the rotation too, rather than keep a value made from the old one', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await putByHand(s, BY_HAND);
    await expect(s.handle(s.secret.event('createSecret', token))).rejects.toThrow(/the rotation is abandoned/);
    expect(s.secret.stages()[token]).toBeUndefined();
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toMatchObject({ jwtSecretPrevious: BY_HAND.jwtSecret, apiKey: BY_HAND.apiKey });
  });

  test('AWSCURRENT moved between testSecret and finishSecret: finishSecret abandons the rotation, and the value put stays current', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await s.handle(s.secret.event('testSecret', token));
    await putByHand(s, BY_HAND);
    await expect(s.handle(s.secret.event('finishSecret', token))).rejects.toThrow(/the rotation is abandoned/);
    expect(s.json('AWSCURRENT')).toEqual(BY_HAND);
    expect(s.secret.stages()[token]).toBeUndefined();
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-2-${X}`, jwtSecretPrevious: BY_HAND.jwtSecret, apiKey: BY_HAND.apiKey });
  });

  test('a value put by hand that keeps jwtSecret but changes another key is not overwritten by the rotation either', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await putByHand(s, { jwtSecret: JWT_0, apiKey: 'a-new-api-key-put-by-hand' });
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(/differs from the AWSCURRENT value in apiKey: .*the rotation is abandoned/);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: JWT_0, apiKey: 'a-new-api-key-put-by-hand' });
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-2-${X}`, jwtSecretPrevious: JWT_0, apiKey: 'a-new-api-key-put-by-hand' });
  });

  test('AWSCURRENT moved back by hand (UpdateSecretVersionStage to AWSPREVIOUS) during a rotation: abandoned, and the next rotation keeps the value moved back to as previous', async () => {
    const s = setup();
    await s.secret.rotate(s.handle);
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    const [current] = Object.entries(s.secret.stages()).find(([, stages]) => stages.includes('AWSCURRENT'))!;
    await s.secret.send({ operation: 'UpdateSecretVersionStage', input: { SecretId: s.secret.arn, VersionStage: 'AWSCURRENT', MoveToVersionId: 'v0', RemoveFromVersionId: current } });
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(/the rotation is abandoned/);
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-3-${X}`, jwtSecretPrevious: JWT_0, apiKey: API_KEY });
  });

  test('Secrets Manager abandoning the rotation itself on the value put (RotationAbandoned): the version\'s steps change nothing, and the next rotation starts from the value put', async () => {
    const s = setup();
    s.secret.abandonRotationOnPut = true;
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await putByHand(s, BY_HAND);
    for (const step of ['testSecret', 'finishSecret'] as const) {
      await expect(s.handle(s.secret.event(step, token))).rejects.toThrow(/has no stage/);
    }
    expect(s.json('AWSCURRENT')).toEqual(BY_HAND);
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: `jwt-2-${X}`, jwtSecretPrevious: BY_HAND.jwtSecret, apiKey: BY_HAND.apiKey });
  });

  test('a transient error while abandoning leaves AWSPENDING for the retry, which abandons then', async () => {
    const s = setup();
    const token = s.secret.startRotation();
    await s.handle(s.secret.event('createSecret', token));
    await putByHand(s, BY_HAND);
    s.secret.failNext.set('UpdateSecretVersionStage', 'InternalServiceError');
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow('injected InternalServiceError');
    expect(s.secret.stages()[token]).toEqual(['AWSPENDING']);
    await expect(s.handle(s.secret.event('testSecret', token))).rejects.toThrow(/the rotation is abandoned/);
    expect(s.secret.stages()[token]).toBeUndefined();
  });
});

/**
 * The CloudFormation custom resource the deployment seeds jwtSecretPrevious with, and a handler
 * over the stub secret that keeps what it answers CloudFormation.
 */
function seeding(initial = INITIAL) {
  const s = setup(initial);
  const responses: Array<{ url: string; body: any }> = [];
  const handle = makeHandler({
    client: s.secret,
    log: (line) => s.lines.push(line),
    respond: async (url: string, body: string) => {
      responses.push({ url, body: JSON.parse(body) });
    },
  } as HandlerDeps);
  const event = (RequestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown> = {}) => ({
    RequestType,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/signed?X-Amz-Signature=response-url-signature',
    StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Fido/guid',
    RequestId: '6f0c4cbb-1f6f-4b8e-9a53-0c4e3c4ee6a1',
    ResourceType: 'Custom::ArculusFidoJwtSecretPrevious',
    LogicalResourceId: 'ApplicationSecretPreviousKey',
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: `${s.secret.arn}/jwtSecretPrevious` }),
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:rotation', SecretId: s.secret.arn, ...properties },
  }) as unknown as RotationEvent;
  return { ...s, handle, responses, event };
}

describe('seeding jwtSecretPrevious (a CloudFormation custom resource, before any task reads the key)', () => {
  test('on Create, a value without the key gets jwtSecretPrevious equal to jwtSecret, every other key kept, as the new AWSCURRENT version', async () => {
    const s = seeding();
    await s.handle(s.event('Create'));
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: JWT_0, jwtSecretPrevious: JWT_0, apiKey: API_KEY });
    expect(s.json('AWSPREVIOUS')).toEqual(JSON.parse(INITIAL));
    expect(s.secret.calls.find((c) => c.operation === 'PutSecretValue')?.input).toMatchObject({ VersionStages: ['AWSCURRENT'] });
    expect(s.responses).toEqual([{
      url: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response/),
      body: {
        Status: 'SUCCESS',
        Reason: expect.any(String),
        PhysicalResourceId: `${s.secret.arn}/jwtSecretPrevious`,
        StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/Fido/guid',
        RequestId: '6f0c4cbb-1f6f-4b8e-9a53-0c4e3c4ee6a1',
        LogicalResourceId: 'ApplicationSecretPreviousKey',
      },
    }]);
  });

  test('the seeded value passes the next rotation, which keeps the seeded jwtSecret as jwtSecretPrevious', async () => {
    const s = seeding();
    await s.handle(s.event('Create'));
    await s.secret.rotate(s.handle);
    expect(s.json('AWSCURRENT')).toEqual({ jwtSecret: expect.not.stringMatching(JWT_0), jwtSecretPrevious: JWT_0, apiKey: API_KEY });
  });

  test.each(['Create', 'Update'] as const)('on %s, a value that has the key (a rotation ran) is left alone', async (requestType) => {
    const rotated = JSON.stringify({ jwtSecret: 'jwt-new-value-of-a-rotation', jwtSecretPrevious: JWT_0, apiKey: API_KEY });
    const s = seeding(rotated);
    await s.handle(s.event(requestType));
    expect(s.operations()).not.toContain('PutSecretValue');
    expect(s.secret.valueAt('AWSCURRENT')).toBe(rotated);
    expect(s.responses.map((r) => r.body.Status)).toEqual(['SUCCESS']);
  });

  test('on Delete, calls nothing and answers SUCCESS with the resource\'s physical ID: the key stays for the tasks still running', async () => {
    const s = seeding();
    await s.handle(s.event('Delete'));
    expect(s.secret.calls).toEqual([]);
    expect(s.responses.map((r) => [r.body.Status, r.body.PhysicalResourceId])).toEqual([['SUCCESS', `${s.secret.arn}/jwtSecretPrevious`]]);
  });

  test.each([
    ['a value without jwtSecret', JSON.stringify({ apiKey: API_KEY }), {}, /the AWSCURRENT value of .* has no jwtSecret/],
    ['a value that is not JSON', 'S3cr3t-plain-text-value', {}, /is not a JSON object/],
    ['no SecretId', INITIAL, { SecretId: undefined }, /SecretId must be a non-empty string/],
  ])('answers FAILED, with the reason and no value, for %s, and puts nothing', async (_what, initial, properties, reason) => {
    const s = seeding(initial);
    await s.handle(s.event('Create', properties));
    expect(s.operations()).not.toContain('PutSecretValue');
    expect(s.responses).toHaveLength(1);
    expect(s.responses[0].body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(reason), LogicalResourceId: 'ApplicationSecretPreviousKey' });
    expect(s.responses[0].body.PhysicalResourceId).toEqual(expect.any(String));
    for (const value of [JWT_0, API_KEY, 'S3cr3t-plain-text-value']) {
      expect(JSON.stringify(s.responses[0].body)).not.toContain(value.slice(0, 10));
    }
  });

  test('logs neither a secret value nor the response URL, whose signature lets anyone answer for the stack', async () => {
    const s = seeding();
    await s.handle(s.event('Create'));
    expect(s.lines.length).toBeGreaterThan(0);
    for (const line of s.lines) {
      for (const value of [JWT_0, API_KEY, 'response-url-signature', 'cloudformation-custom-resource-response']) {
        expect(line).not.toContain(value.slice(0, 10));
      }
    }
  });
});

describe('the answer to CloudFormation', () => {
  /** https.request stood in for (on the module itself, which the function's import reads through): records the request and answers with `status`. */
  function fakeHttps(status: number) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const https = require('https') as typeof httpsModule;
    const sent: Array<{ url: unknown; options: any; body: string }> = [];
    const spy = jest.spyOn(https, 'request').mockImplementation(((url: unknown, options: any, callback: (response: EventEmitter) => void) => {
      const request = Object.assign(new EventEmitter(), {
        setTimeout: () => request,
        destroy: () => undefined,
        end: (body: string) => {
          sent.push({ url, options, body });
          const response = Object.assign(new EventEmitter(), { statusCode: status, resume: () => setImmediate(() => response.emit('end')) });
          callback(response);
        },
      });
      return request;
    }) as unknown as typeof https.request);
    return { sent, restore: () => spy.mockRestore() };
  }

  test('is PUT to the response URL without a content type, as its signature requires', async () => {
    const fake = fakeHttps(200);
    try {
      await httpsPut('https://bucket.s3.amazonaws.com/signed?X-Amz-Signature=abc', '{"Status":"SUCCESS"}');
    } finally {
      fake.restore();
    }
    expect(fake.sent).toEqual([{
      url: 'https://bucket.s3.amazonaws.com/signed?X-Amz-Signature=abc',
      options: { method: 'PUT', headers: { 'content-type': '', 'content-length': 20 } },
      body: '{"Status":"SUCCESS"}',
    }]);
  });

  test('fails when the URL refuses it, without quoting the URL', async () => {
    const fake = fakeHttps(403);
    try {
      await expect(httpsPut('https://bucket.s3.amazonaws.com/signed?X-Amz-Signature=abc', '{}')).rejects.toThrow(/^CloudFormation's response URL answered HTTP 403$/);
    } finally {
      fake.restore();
    }
  });
});

describe('the SDK client', () => {
  beforeEach(() => {
    mockClients.length = 0;
    mockBackend = undefined;
  });

  test.each([
    ['DescribeSecret', { SecretId: 'arn' }],
    ['GetSecretValue', { SecretId: 'arn', VersionId: 't', VersionStage: 'AWSPENDING' }],
    ['PutSecretValue', { SecretId: 'arn', ClientRequestToken: 't', SecretString: '{}', VersionStages: ['AWSPENDING'] }],
    ['UpdateSecretVersionStage', { SecretId: 'arn', VersionStage: 'AWSCURRENT', MoveToVersionId: 't', RemoveFromVersionId: 'v0' }],
  ] as const)('sends %s as the SDK\'s command of that name (<operation>Command) with its input, and gives back its output', async (operation, input) => {
    const sent: unknown[] = [];
    mockBackend = {
      send: async (command) => {
        sent.push(command);
        return { answered: operation };
      },
    };
    const client = sdkSecretsClient();
    await expect(client.send({ operation, input } as SecretsManagerCommand)).resolves.toEqual({ answered: operation });
    const sdk = jest.requireMock('@aws-sdk/client-secrets-manager') as Record<string, new (...args: unknown[]) => unknown>;
    expect(sent).toEqual([expect.any(sdk[`${operation}Command`])]);
    expect(sent[0]).toMatchObject({ input });
    expect(mockClients).toEqual([expect.objectContaining({ config: {} })]);
  });

  test('the entry point loads without the SDK, makes one client at its first call, and rotates through it', async () => {
    let entry: { handler: (event: RotationEvent) => Promise<void> } | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      entry = require('../src/private/app-secret-rotation.lambda');
    });
    expect(mockClients).toHaveLength(0);
    const stub = new SecretsManagerStub(INITIAL);
    mockBackend = stub;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await stub.rotate(entry!.handler);
    } finally {
      log.mockRestore();
    }
    expect(mockClients).toHaveLength(1);
    expect(JSON.parse(stub.valueAt('AWSCURRENT')!)).toMatchObject({ jwtSecretPrevious: JWT_0, apiKey: API_KEY });
  });
});

describe('newJwtSecret', () => {
  test('is 86 base64url characters holding 64 bytes, different each call', () => {
    const values = new Set(Array.from({ length: 100 }, newJwtSecret));
    expect(values.size).toBe(100);
    for (const value of values) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(Buffer.from(value, 'base64url')).toHaveLength(64);
    }
  });
});

describe('the bundled asset', () => {
  /** Written by `npx projen bundle`, which the test task runs before jest. */
  const BUNDLE = path.join(__dirname, '..', 'assets', 'private', 'app-secret-rotation.lambda', 'index.js');

  test('loads and exports the handler Lambda calls (index.handler)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(BUNDLE) as { handler?: unknown; makeHandler?: unknown };
    expect(typeof bundle.handler).toBe('function');
    expect(typeof bundle.makeHandler).toBe('function');
  });

  test('rotates as the sources do', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(BUNDLE) as { makeHandler: typeof makeHandler };
    const stub = new SecretsManagerStub(INITIAL);
    await stub.rotate(bundle.makeHandler({ client: stub, random: () => 'bundled-new-value', log: () => undefined }));
    expect(JSON.parse(stub.valueAt('AWSCURRENT')!)).toEqual({ jwtSecret: 'bundled-new-value', jwtSecretPrevious: JWT_0, apiKey: API_KEY });
  });
});
