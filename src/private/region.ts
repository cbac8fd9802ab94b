import { Resource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The region of a construct as known at synth: an imported resource's from its ARN, any other's
 * from its stack. `undefined` when it is a token (an environment-agnostic stack) or the construct
 * is in no stack.
 */
export function regionOf(construct: IConstruct): string | undefined {
  try {
    const region = Resource.isResource(construct) ? construct.env.region : Stack.of(construct).region;
    return Token.isUnresolved(region) ? undefined : region;
  } catch {
    return undefined;
  }
}
