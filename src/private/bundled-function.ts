import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The Node.js major the bundles are built for: esbuild's `--target=node<major>` of every bundle task
 * (.projenrc.ts, BUNDLE_TARGET). A function never runs on an older runtime than its bundle's target.
 */
export const BUNDLE_NODE_MAJOR = 24;

/** The functions the library ships: src/private/<name>.lambda.ts, bundled into assets/private/<name>.lambda. */
export type BundledFunctionName = 'app-secret-rotation' | 'atlas-rotation' | 'deployment-check';

/**
 * The newest Node.js Lambda runtime that the aws-cdk-lib in use knows (`lambda.Runtime.ALL`, which
 * every runtime aws-cdk-lib defines joins), and never older than the bundles' target. Chosen when
 * the user's app synthesizes, from the user's own aws-cdk-lib: cdk-nag's AwsSolutions-L1 judges a
 * function against the same list, so the shipped functions hold on every aws-cdk-lib from the
 * floor on without an acknowledgement. Variable runtimes (`NODEJS_LATEST`, the regional latest)
 * name an older version and are left out.
 */
export function newestNodeRuntime(known: readonly lambda.Runtime[] = lambda.Runtime.ALL): lambda.Runtime {
  let newest: { runtime: lambda.Runtime; major: number } | undefined;
  for (const runtime of known) {
    const major = Number(/^nodejs(\d+)\.x$/.exec(runtime.name)?.[1]);
    if (runtime.family === lambda.RuntimeFamily.NODEJS && !runtime.isVariable && major >= (newest?.major ?? BUNDLE_NODE_MAJOR)) {
      newest = { runtime, major };
    }
  }
  return newest?.runtime ?? new lambda.Runtime(`nodejs${BUNDLE_NODE_MAJOR}.x`, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });
}

/**
 * One of the library's bundled functions, on the newest Node.js runtime (`newestNodeRuntime`).
 * Its description names its source until `props` gives one; construct IDs are the caller's.
 */
export function bundledFunction(scope: Construct, id: string, name: BundledFunctionName, props: lambda.FunctionOptions): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    description: `src/private/${name}.lambda.ts`,
    ...props,
    runtime: newestNodeRuntime(),
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'private', `${name}.lambda`)),
  });
  // As projen's generated constructs set it, so that templates stay as they were.
  fn.addEnvironment('AWS_NODEJS_CONNECTION_REUSE_ENABLED', '1', { removeInEdge: true });
  return fn;
}
