import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

/**
 * Bundles `src/workflows` into the file named by argv[2]. Run as a short-lived child process by
 * `runWorker`, so webpack's hundred-odd megabytes are returned to the system instead of staying in the
 * worker's heap for its whole life.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: bundleWorkflows.ts <output.js>');
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: silent,
    // Stack traces still map to src/workflows lines; leaving the sources themselves out of the inline map
    // keeps ~9 MB out of the workflow thread's heap for the worker's whole life.
    webpackConfigHook: (config) => ({ ...config, devtool: 'inline-nosources-source-map' }),
  });
  writeFileSync(out, code);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bundling workflows failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
