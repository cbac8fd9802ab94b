import { Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';

/**
 * How a deployment uses keys and secrets of another stack without a cycle. CDK grants a role
 * access to a key by adding the role to the key's policy: for a key of another stack that names
 * this stack's role there, and the two stacks depend on each other. So such keys and secrets are
 * referenced by ARN, and the roles get their access through their own policies instead (the
 * key's policy must trust the account's IAM policies, as keys made with cdk init's flags do).
 */
export class OtherStacks {
  /** Keys of other stacks that encrypt secrets the services read. */
  private readonly secretKeys: kms.IKey[] = [];

  constructor(private readonly scope: Construct) {}

  /** `key` as this stack uses it. */
  public key(id: string, key: kms.IKey | undefined): kms.IKey | undefined {
    return key && this.isOther(key) ? kms.Key.fromKeyArn(this.scope, id, key.keyArn) : key;
  }

  /** `key`, which encrypts secrets the services read, as this stack uses it. */
  public secretKey(id: string, key: kms.IKey | undefined): kms.IKey | undefined {
    if (key && this.isOther(key)) {
      this.secretKeys.push(key);
    }
    return this.key(id, key);
  }

  /**
   * Lets the services read with `key`, whatever its stack: it encrypts a secret imported without
   * it (another region's secret's replica here), so no grant on the secret reaches it.
   */
  public readsWith(key: kms.IKey | undefined): void {
    if (key) {
      this.secretKeys.push(key);
    }
  }

  /**
   * `secret`, which the services read, as this stack reads it. A grant on a secret reaches its
   * key through the key's policy, which an imported key (of another account, say) keeps where it
   * is managed: the services then decrypt with it by their own policies.
   */
  public secret(id: string, secret: secretsmanager.ISecret): secretsmanager.ISecret {
    if (secret.encryptionKey && !Resource.isOwnedResource(secret.encryptionKey)) {
      this.secretKeys.push(secret.encryptionKey);
    }
    // Only a secret that another stack creates has a policy or key that a grant would change.
    if (!this.isOther(secret) || !Resource.isOwnedResource(secret)) {
      return secret;
    }
    if (secret.encryptionKey) {
      this.secretKeys.push(secret.encryptionKey);
    }
    return secretsmanager.Secret.fromSecretCompleteArn(this.scope, id, secret.secretArn);
  }

  /** Lets `roles` decrypt, through Secrets Manager only, what the other stacks' keys encrypt. */
  public grantDecrypt(roles: iam.IRole[]): void {
    if (this.secretKeys.length === 0) {
      return;
    }
    const statement = new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [...new Set(this.secretKeys.map((key) => key.keyArn))],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this.scope).region}.amazonaws.com` } },
    });
    roles.forEach((role) => role.addToPrincipalPolicy(statement));
  }

  private isOther(construct: IConstruct): boolean {
    return Stack.of(construct) !== Stack.of(this.scope);
  }
}
