import { CustomResource, Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';

/**
 * The deployment's Secrets Manager secrets.
 */
export interface SecretsOptions {
  /**
   * An existing application secret. It must hold the JSON key `jwtSecret`, which the containers
   * get as `JWT_SECRET`; add API keys as further keys and map them with `services.*.secrets`.
   * `JWT_SECRET_PREVIOUS` is not set from it: map `jwtSecretPrevious` yourself once every version
   * holds it (ECS refuses to start a task whose secret names a key the value lacks).
   *
   * @default - a secret with a generated 64-character `jwtSecret`
   */
  readonly applicationSecret?: secretsmanager.ISecret;

  /**
   * KMS key that encrypts the secrets the deployment creates (and a created DocumentDB cluster).
   * A key of another stack is used through IAM policies only, so its key policy must trust the
   * account's IAM policies, as keys created with the `@aws-cdk/aws-kms:defaultKeyPolicies` flag
   * (every `cdk init` app) do.
   *
   * @default - the deployment's key when `encryption.customerManagedKey` is on, otherwise the
   * AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Rotate the application secret the deployment creates, every
   * `applicationSecretRotationInterval`, with the rotation function the library ships: a new
   * `jwtSecret` each time, the one before kept as `jwtSecretPrevious` (equal to `jwtSecret` until
   * the first rotation: the function puts it on deployment), every other key unchanged. The
   * containers get both, as `JWT_SECRET` and `JWT_SECRET_PREVIOUS`. After each rotation the
   * Redeploy runbook rolls both services, so they read the new values (see SECURITY.md for what
   * the application does with the two keys). Needs `runbooks`; a given `applicationSecret`
   * rotates as its owner arranges.
   *
   * @default - true when the deployment creates the application secret and `runbooks` is on
   */
  readonly rotateApplicationSecret?: boolean;

  /**
   * How often the application secret rotates, when `rotateApplicationSecret` is on: 1 to 1000
   * whole days. A token signed with a key stays verifiable for one interval after the key is
   * replaced, and no longer.
   *
   * @default Duration.days(30)
   */
  readonly applicationSecretRotationInterval?: Duration;

  /**
   * Regions the application secret the deployment creates replicates to (Secrets Manager
   * replication), each with the key that encrypts its replica there: a key of that region, or
   * none for that region's AWS managed key. Every new value, rotations included, reaches each
   * replica within seconds. Where `runbooks` is on, the secret's changes are forwarded to each
   * region's default event bus too, so that a deployment there with this one's data layer as
   * `secrets.replicaOf` redeploys its services. `ArculusFidoRegionPair` sets it for its primary.
   *
   * @default - no replica
   */
  readonly applicationSecretReplicaRegions?: secretsmanager.ReplicaRegion[];

  /**
   * The data layer (`ArculusFidoDeployment.dataLayer`) of the deployment, in another region of the
   * same account, whose application secret this one reads through its replica in this stack's
   * region, so that a token signed in either region verifies in both. That secret must replicate
   * here: the deployment creates it with this region in `secrets.applicationSecretReplicaRegions`
   * (the replica is then encrypted with the key given there), or it is a given secret you
   * replicate yourself. Rotation stays with that deployment, and its changes, forwarded here,
   * redeploy these services where `runbooks` is on. This stack reads the replica's ARN through
   * aws-cdk-lib's cross-region references, so it needs `crossRegionReferences: true`, as
   * `ArculusFidoRegionPair` sets for its secondary.
   *
   * @default - the deployment's application secret is its own
   */
  readonly replicaOf?: IFidoDataLayer;
}

/**
 * The application secret of a deployment's data layer, as another region's deployment reads its
 * replica (`secrets.replicaOf`). `FidoDataLayer` is one.
 */
export interface IFidoDataLayer extends IConstruct {
  /** The application secret: created, or given. */
  readonly applicationSecret: secretsmanager.ISecret;

  /** Whether the data layer created `applicationSecret` (else it was given). */
  readonly applicationSecretCreated: boolean;

  /** Regions the created application secret replicates to, with their keys. */
  readonly applicationSecretReplicaRegions: secretsmanager.ReplicaRegion[];

  /**
   * The custom resource that puts `jwtSecretPrevious` into a created application secret that
   * rotates: with it, every version of the secret holds that key.
   *
   * @default - none: the application secret does not rotate, or was given
   */
  readonly previousJwtSecretSeed?: CustomResource;
}

/**
 * A secret that rotates on a schedule, and the function that rotates it: what `FidoMonitoring`
 * watches so that a failed rotation does not go unnoticed (`FidoDataLayer.secretRotations` lists
 * the deployment's own).
 */
export interface SecretRotation {
  /**
   * Short name of the rotation, e.g. `application-secret`: it names the alarm on the function's
   * errors (`<namePrefix>-<name>-rotation-errors`) and its construct scope. Letters, digits, '-'
   * and '_'.
   */
  readonly name: string;

  /**
   * The rotating secret. Secrets Manager's `RotationFailed` and `RotationAbandoned` events of it
   * reach the monitoring topic; it sends them to its own account and region only.
   */
  readonly secret: secretsmanager.ISecret;

  /**
   * The function that rotates it, whose `Errors` metric is alarmed on: any failed invocation (a
   * rotation step, or an abandoned rotation) notifies the topic within 5 minutes.
   *
   * @default - no alarm on a function: the secret rotates with one outside the app (a hosted
   * rotation, AWS's DocumentDB rotation application), and only Secrets Manager's events tell of a
   * failure
   */
  readonly rotationFunction?: lambda.IFunction;
}
