/**
 * Times the README's example as a user's `cdk synth` runs it: a whole process that loads the
 * CDK and this library, builds the stack and writes the cloud assembly to $CDK_OUTDIR. The
 * TypeScript example runs as the JavaScript `tsc` makes of it, on Node.js (the app synthesizes on
 * exit when CDK_OUTDIR is set); the Python example runs as written, on the bindings (the jsii
 * kernel in a Node.js child process). Alternated, median of five each.
 *
 *   ts-node --project tools/consumers/tsconfig.json tools/consumers/synth-timing.ts <python>
 */
import { runApp, withReadmeApps } from './readme-apps';

const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
  const python = process.argv[2];
  if (!python) {
    throw new Error('usage: synth-timing.ts <python with arculus_fido_cdk installed>');
  }
  withReadmeApps((app) => {
    const node: number[] = [];
    const py: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(runApp(process.execPath, ['app.js'], app).seconds);
      py.push(runApp(python, ['app.py'], app).seconds);
    }
    const spread = (values: number[]) => `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}`;
    console.log(`README example, load + synth, median of ${RUNS}:`);
    console.log(`  Node.js (TypeScript example): ${median(node).toFixed(2)} s (${spread(node)})`);
    console.log(`  Python (Python example):      ${median(py).toFixed(2)} s (${spread(py)}), ${(median(py) / median(node)).toFixed(1)}x`);
  });
}

main();
