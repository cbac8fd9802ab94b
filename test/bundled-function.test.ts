import * as fs from 'fs';
import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newestNamedNodeRuntime } from './util';
import { BUNDLE_NODE_MAJOR, newestNodeRuntime } from '../src/private/bundled-function';

const node = (name: string, props: lambda.LambdaRuntimeProps = {}): lambda.Runtime => new lambda.Runtime(name, lambda.RuntimeFamily.NODEJS, props);

describe('the Node.js runtime of the functions the library ships', () => {
  test('is the newest Node.js runtime of the aws-cdk-lib in use, so that cdk-nag\'s AwsSolutions-L1 holds on it', () => {
    expect(newestNodeRuntime().name).toBe(newestNamedNodeRuntime());
  });

  test('follows what aws-cdk-lib knows: a newer runtime is taken, variable and other families are not', () => {
    const known = [node('nodejs22.x'), node('nodejs24.x'), node('nodejs26.x'), node('nodejs28.x', { isVariable: true }),
      new lambda.Runtime('python3.14', lambda.RuntimeFamily.PYTHON), node('nodejs')];
    expect(newestNodeRuntime(known).name).toBe('nodejs26.x');
    // Compared as numbers, not as strings: 100 is newer than 26.
    expect(newestNodeRuntime([...known, node('nodejs100.x')]).name).toBe('nodejs100.x');
  });

  test(`is never older than the bundles' target (Node.js ${BUNDLE_NODE_MAJOR})`, () => {
    expect(newestNodeRuntime([node('nodejs20.x'), node('nodejs22.x')]).name).toBe(`nodejs${BUNDLE_NODE_MAJOR}.x`);
    expect(newestNodeRuntime([]).family).toBe(lambda.RuntimeFamily.NODEJS);
  });

  test('the bundles are built for that target: every bundle task of .projenrc.ts passes --target=node<BUNDLE_NODE_MAJOR>', () => {
    const tasks = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '.projen', 'tasks.json'), 'utf-8')).tasks;
    const targets = Object.entries(tasks as Record<string, { steps?: Array<{ execArgs?: string[] }> }>)
      .filter(([name]) => name.startsWith('bundle:')).flatMap(([, t]) => t.steps ?? []).flatMap((s) => s.execArgs ?? []).filter((a) => a.startsWith('--target='));
    expect(targets.length).toBeGreaterThanOrEqual(4); // two bundles, each with its watch task
    expect(new Set(targets)).toEqual(new Set([`--target=node${BUNDLE_NODE_MAJOR}`]));
  });
});
