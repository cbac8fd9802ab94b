import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ProblemList, show } from './validation';

/** An account ID: twelve digits. */
const ACCOUNT = /^\d{12}$/;

/** A key that encrypts the shared secret or one of its replicas, with its region. */
export interface SharedSecretKey {
  readonly key?: kms.IKey;
  readonly region: string;
}

/** Where a key of the shared secret or a replica is given, whether it is, and how to give one. */
export interface SharedSecretKeyProp {
  readonly prop: string;
  readonly given: boolean;
  readonly region: string;
  /** How to give the key, for the problem when it is not given. */
  readonly fix?: string;
}

/**
 * Checks the accounts that may read the application secret (`prop`): each an account ID, not
 * the secret's own account, none twice; and that a customer-managed key encrypts the secret and
 * each replica, since another account cannot decrypt with an AWS managed key.
 */
export function checkReaderAccounts(
  problems: ProblemList, prop: string, accounts: readonly string[], ownAccount: string, keys: readonly SharedSecretKeyProp[],
): void {
  accounts.forEach((account, index) => {
    const at = `${prop}[${index}]`;
    if (Token.isUnresolved(account)) {
      return;
    } else if (!ACCOUNT.test(account)) {
      problems.add(at, `must be an account ID of 12 digits, such as '222222222222', got ${show(account)}`);
    } else if (account === ownAccount) {
      problems.add(at, `is the secret's own account (${ownAccount}), whose principals read it by their own policies; leave it out`);
    } else {
      problems.repeated(at, accounts, index, 'account');
    }
  });
  if (accounts.length === 0) {
    return;
  }
  for (const { prop: keyProp, given, region, fix } of keys) {
    if (!given) {
      problems.add(keyProp, `is none, so ${region}'s AWS managed key of Secrets Manager encrypts there, which no other account may decrypt with, as ${prop} needs; ${fix ?? `give a customer-managed key of ${region}`}`);
    }
  }
}

/**
 * Lets principals of `readers` read `secret` and its replicas: a resource policy on the secret,
 * which Secrets Manager replicates with it, and in the policy of each key a statement that lets
 * them decrypt through Secrets Manager of that key's region only. What else they may do is up to
 * their own accounts' policies. A key whose policy this app does not hold (an imported key) gets
 * a warning with the statement to add where that key is managed.
 */
export function shareSecret(secret: secretsmanager.ISecret, readers: readonly string[], keys: readonly SharedSecretKey[]): void {
  if (readers.length === 0) {
    return;
  }
  const principals = () => readers.map((account) => new iam.AccountPrincipal(account));
  secret.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'ReadByOtherAccounts',
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    principals: principals(),
    resources: ['*'],
  }));
  for (const { key, region } of keys) {
    const statement = new iam.PolicyStatement({
      sid: 'ApplicationSecretReadByOtherAccounts',
      actions: ['kms:Decrypt'],
      principals: principals(),
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    });
    if (key && !key.addToResourcePolicy(statement).statementAdded) {
      Annotations.of(secret).addWarningV2('arculus-fido:shared-secret-key-policy',
        `The key ${key.keyArn} of ${region} is imported, so its policy is not this app's to change: for ${readers.join(', ')} to read the application secret there, `
        + `add to it ${JSON.stringify(key.stack.resolve(statement.toStatementJson()))}`);
    }
  }
}
