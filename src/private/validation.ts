import { Duration, Token, ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The name of the error every refusal of props is thrown as (aws-cdk-lib's names are literal strings). */
const INVALID_PROPS = 'ArculusFidoInvalidProps' as ConstructorParameters<typeof ValidationError>[0];

/**
 * Gathers every problem found in a construct's props so that the user sees them all in one error.
 * Each problem names the prop, the value received and the fix. Values that are CloudFormation
 * tokens are never judged: they are only known at deploy time.
 */
export class ProblemList {
  private readonly problems: string[] = [];

  /** Records a problem with `prop`. */
  public add(prop: string, message: string): void {
    this.problems.push(`${prop}: ${message}`);
  }

  /** Records a problem with `prop` unless one is recorded already (a wrong type, say). */
  public addUnlessAbout(prop: string, message: string): void {
    if (!this.about(prop)) {
      this.add(prop, message);
    }
  }

  /** Records that `prop` was given a token where the value must be known at synth, and `why`. */
  public refuseToken(prop: string, value: unknown, why: string): void {
    this.add(prop, `cannot be a token (a CloudFormation parameter or reference), because ${why}; got ${show(value)}`);
  }

  /** Records the problems another check found, each already naming its prop. */
  public addAll(problems: readonly string[]): void {
    this.problems.push(...problems);
  }

  /** Whether a problem with `prop` itself (not one of its parts) is recorded: then it needs no second one. */
  public about(prop: string): boolean {
    return this.problems.some((p) => p.startsWith(`${prop}: `));
  }

  /** Every problem recorded so far. */
  public get all(): readonly string[] {
    return this.problems;
  }

  /**
   * Whether the value at `index` of `values` was given before in the list; if so, records that at
   * `prop`, in the one wording of every list (`what` names an item: 'region', 'account').
   */
  public repeated(prop: string, values: readonly string[], index: number, what: string): boolean {
    const again = values.indexOf(values[index]) < index;
    if (again) {
      this.add(prop, `names ${show(values[index])} a second time; give each ${what} once`);
    }
    return again;
  }

  /**
   * Checks a list of other accounts at `prop`: each an account ID (a token goes as it is), not
   * `own.account` (`own.why` says why not), none twice.
   */
  public otherAccounts(
    prop: string, accounts: readonly string[], own: { readonly account: string; readonly what: string; readonly why: string },
  ): void {
    accounts.forEach((account, index) => {
      const at = `${prop}[${index}]`;
      if (Token.isUnresolved(account)) {
        return;
      } else if (!ACCOUNT.test(account)) {
        this.add(at, `must be ${ACCOUNT_EXPECTED}, got ${show(account)}`);
      } else if (account === own.account) {
        this.add(at, `is ${own.what} (${own.account}), ${own.why}; leave it out`);
      } else {
        this.repeated(at, accounts, index, 'account');
      }
    });
  }

  /** Checks that a number is a whole number within [min, max]. */
  public integerInRange(prop: string, value: number | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(prop, `must be a whole number from ${min} to ${max}, got ${value}`);
    }
  }

  /**
   * Checks a number of tasks: whole, and at least `min`. Whether it is one known at synth that
   * passed, for the comparisons that follow (a token is left to deploy time).
   */
  public wholeTasks(prop: string, value: number | undefined, min: number): value is number {
    return this.wholeCount(prop, value, min, 'tasks');
  }

  /**
   * Checks a count of `unit` (e.g. `tasks`, `requests per task per minute`): whole, and at least
   * `min`. Whether it is one known at synth that passed (a token is left to deploy time).
   */
  public wholeCount(prop: string, value: number | undefined, min: number, unit: string): value is number {
    if (value === undefined || Token.isUnresolved(value)) {
      return false;
    }
    if (!Number.isInteger(value) || value < min) {
      this.add(prop, `must be a whole number of ${unit}, at least ${min}, got ${show(value)}`);
      return false;
    }
    return true;
  }

  /** Checks that a duration, in whole seconds, lies within [min, max] seconds. */
  public secondsInRange(prop: string, value: Duration | undefined, min: number, max: number): void {
    if (value === undefined || value.isUnresolved()) {
      return;
    }
    const seconds = value.toMilliseconds() / 1000;
    if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
      this.add(prop, `must be a whole number of seconds from ${min} to ${max}, got ${value.toHumanString()}`);
    }
  }

  /** Checks that a duration is a whole number of days within [min, max]; `what` says what takes it. */
  public daysInRange(prop: string, value: Duration | undefined, min: number, max: number, what: string): void {
    if (value === undefined || value.isUnresolved()) {
      return;
    }
    const days = value.toDays({ integral: false });
    if (!Number.isInteger(days) || days < min || days > max) {
      this.add(prop, `${what} ${min} to ${max} whole days, got ${value.toHumanString()}`);
    }
  }

  /**
   * Throws one error that lists every problem, if there is any: aws-cdk-lib's `ValidationError`,
   * which carries the construct's path (`constructPath`) to the CDK CLI and to tools that read it.
   *
   * @param scope the construct whose props were checked
   * @param className its class, for the message: `FidoNetwork 'Stack/Net' has 2 problems in its props`
   * @param where what was checked, for the message: a method's arguments are `in a call`
   */
  public throwIfAny(scope: IConstruct, className: string, where = 'in its props'): void {
    if (this.problems.length === 0) {
      return;
    }
    const lines = this.problems.map((p) => `  - ${p}`).join('\n');
    const count = this.problems.length === 1 ? '1 problem' : `${this.problems.length} problems`;
    throw new ValidationError(INVALID_PROPS, `${className} '${scope.node.path}' has ${count} ${where}:\n${lines}`, scope);
  }
}

/** An account ID: twelve digits. */
export const ACCOUNT = /^\d{12}$/;

/** What an account ID looks like, for a message. */
export const ACCOUNT_EXPECTED = "an account ID of 12 digits, such as '222222222222'";

/** Quotes a value for an error message, whatever its type. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
