import type {
  RotationEvent, RotationStep, SecretsClient, SecretsManagerCommand, SecretsManagerOperation, SecretsManagerOperations,
} from '../src/private/rotation-protocol';

/**
 * One secret in memory, with versions and staging labels, answering the calls of the rotation
 * function as Secrets Manager does (the rules its API reference states):
 * - a label is on one version at most; putting or moving it takes it off the other;
 * - moving AWSCURRENT (UpdateSecretVersionStage, or PutSecretValue staging a new version
 *   AWSCURRENT) moves AWSPREVIOUS to the version AWSCURRENT left;
 * - moving a label off another version than RemoveFromVersionId names is refused;
 * - RotateSecret makes the rotation's version, staged AWSPENDING, with no value: reading it is a
 *   ResourceNotFoundException until PutSecretValue gives it one; and it is refused while
 *   AWSPENDING is on a version other than the AWSCURRENT one (a rotation under way);
 * - PutSecretValue with a token already used is accepted again with the same value only;
 * - with `abandonRotationOnPut`, a value put AWSCURRENT by hand while a rotation is under way
 *   abandons that rotation, as Secrets Manager documents for its RotationAbandoned event: AWSPENDING
 *   leaves the rotation's version. Off, AWSPENDING stays where it was (as it does after a label is
 *   moved by hand), which is the harder case for the rotation function.
 * Errors carry the service's error names (`name`), as the SDK's exceptions do.
 */
export class SecretsManagerStub implements SecretsClient {
  readonly arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:fido-app-AbCdEf';
  rotationEnabled = true;
  /** Every call made, in order. */
  readonly calls: SecretsManagerCommand[] = [];
  /**
   * Other secrets the function reads (an API key, say), by ARN: GetSecretValue gives their value
   * as AWSCURRENT; nothing else may be called on them.
   */
  readonly others = new Map<string, string>();
  /** Makes the next call of an operation fail, once, with this error name. */
  readonly failNext = new Map<SecretsManagerOperation, string>();
  /** A value put AWSCURRENT during a rotation removes AWSPENDING from the rotation's version. */
  abandonRotationOnPut = false;
  private readonly versions = new Map<string, { value?: string; stages: Set<string> }>();
  private nextVersion = 1;

  constructor(initialValue: string) {
    this.versions.set('v0', { value: initialValue, stages: new Set(['AWSCURRENT']) });
  }

  /** VersionIdsToStages, as DescribeSecret gives it. */
  stages(): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const [id, version] of this.versions) {
      if (version.stages.size > 0) {
        result[id] = [...version.stages].sort();
      }
    }
    return result;
  }

  /** The value of the version with this label. */
  valueAt(stage: string): string | undefined {
    return [...this.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  /** What RotateSecret does before it invokes the function: a new, empty version staged AWSPENDING. */
  startRotation(token = `token-${this.nextVersion++}`): string {
    const pending = this.holder('AWSPENDING');
    if (pending !== undefined && pending !== this.holder('AWSCURRENT')) {
      throw error('InvalidRequestException', 'A previous rotation isn\'t complete. That rotation will be reattempted.');
    }
    this.label('AWSPENDING', token);
    return token;
  }

  /** RotateSecret, then the four steps in order, as Secrets Manager runs a rotation. */
  async rotate(handle: (event: RotationEvent) => Promise<void>, token?: string): Promise<string> {
    const t = this.startRotation(token);
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as RotationStep[]) {
      await handle(this.event(Step, t));
    }
    return t;
  }

  event(Step: RotationStep, ClientRequestToken: string, RotationToken?: string): RotationEvent {
    return { Step, SecretId: this.arn, ClientRequestToken, ...(RotationToken ? { RotationToken } : {}) };
  }

  async send<K extends SecretsManagerOperation>(command: SecretsManagerCommand<K>): Promise<SecretsManagerOperations[K]['output']> {
    this.calls.push(command);
    const failure = this.failNext.get(command.operation);
    if (failure) {
      this.failNext.delete(command.operation);
      throw error(failure, `injected ${failure}`);
    }
    const other = this.others.get((command.input as { SecretId: string }).SecretId);
    if (other !== undefined) {
      if (command.operation !== 'GetSecretValue') {
        throw error('AccessDeniedException', `the function may not call ${command.operation} on another secret`);
      }
      return { VersionId: 'other-v1', SecretString: other } as SecretsManagerOperations[K]['output'];
    }
    if ((command.input as { SecretId: string }).SecretId !== this.arn) {
      throw error('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
    }
    return this.answer(command as SecretsManagerCommand) as SecretsManagerOperations[K]['output'];
  }

  private answer(command: SecretsManagerCommand): object {
    switch (command.operation) {
      case 'DescribeSecret':
        return { RotationEnabled: this.rotationEnabled, VersionIdsToStages: this.stages() };
      case 'GetSecretValue':
        return this.getSecretValue(command.input as SecretsManagerOperations['GetSecretValue']['input']);
      case 'PutSecretValue':
        return this.putSecretValue(command.input as SecretsManagerOperations['PutSecretValue']['input']);
      case 'UpdateSecretVersionStage':
        return this.updateSecretVersionStage(command.input as SecretsManagerOperations['UpdateSecretVersionStage']['input']);
    }
  }

  private getSecretValue(input: SecretsManagerOperations['GetSecretValue']['input']): object {
    const id = input.VersionId ?? this.holder(input.VersionStage ?? 'AWSCURRENT');
    const version = id === undefined ? undefined : this.versions.get(id);
    if (id === undefined || version === undefined || version.value === undefined) {
      throw error('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret value for VersionId or VersionStage.');
    }
    if (input.VersionStage !== undefined && !version.stages.has(input.VersionStage)) {
      throw error('ResourceNotFoundException', 'The VersionId and VersionStage do not refer to the same version.');
    }
    return { VersionId: id, SecretString: version.value };
  }

  private putSecretValue(input: SecretsManagerOperations['PutSecretValue']['input']): object {
    const existing = this.versions.get(input.ClientRequestToken);
    if (existing?.value !== undefined) {
      if (existing.value !== input.SecretString) {
        throw error('ResourceExistsException', 'A resource with the ID you requested already exists.');
      }
      return { VersionId: input.ClientRequestToken };
    }
    const current = this.holder('AWSCURRENT');
    const pending = this.holder('AWSPENDING');
    if (this.abandonRotationOnPut && input.VersionStages.includes('AWSCURRENT') && pending !== undefined && pending !== current && pending !== input.ClientRequestToken) {
      this.versions.get(pending)!.stages.delete('AWSPENDING');
    }
    this.versions.set(input.ClientRequestToken, { value: input.SecretString, stages: existing?.stages ?? new Set() });
    for (const stage of input.VersionStages) {
      this.label(stage, input.ClientRequestToken);
    }
    if (input.VersionStages.includes('AWSCURRENT') && current !== undefined && current !== input.ClientRequestToken) {
      this.label('AWSPREVIOUS', current);
    }
    return { VersionId: input.ClientRequestToken };
  }

  private updateSecretVersionStage(input: SecretsManagerOperations['UpdateSecretVersionStage']['input']): object {
    const holder = this.holder(input.VersionStage);
    if (holder !== undefined && holder !== input.RemoveFromVersionId && holder !== input.MoveToVersionId) {
      throw error('InvalidParameterException', `The staging label ${input.VersionStage} is attached to version ${holder}; name it in RemoveFromVersionId.`);
    }
    if (input.MoveToVersionId === undefined) {
      this.versions.get(input.RemoveFromVersionId ?? '')?.stages.delete(input.VersionStage);
      return {};
    }
    if (!this.versions.has(input.MoveToVersionId)) {
      throw error('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret version.');
    }
    this.label(input.VersionStage, input.MoveToVersionId);
    if (input.VersionStage === 'AWSCURRENT' && holder !== undefined && holder !== input.MoveToVersionId) {
      this.label('AWSPREVIOUS', holder);
    }
    return {};
  }

  private holder(stage: string): string | undefined {
    return [...this.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  private label(stage: string, versionId: string): void {
    for (const version of this.versions.values()) {
      version.stages.delete(stage);
    }
    const version = this.versions.get(versionId) ?? { stages: new Set<string>() };
    version.stages.add(stage);
    this.versions.set(versionId, version);
  }
}

function error(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
