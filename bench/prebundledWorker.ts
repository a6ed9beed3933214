import { loadConfig } from '../src/config/config';
import { connectWorker } from '../src/temporal/connection';
import { createWorker } from '../src/worker/createWorker';
import { limitHeapGrowth } from '../src/worker/heap';
import { createPorts } from '../src/worker/ports';

/**
 * `libreport worker`, but with the workflow bundle built beforehand (path in argv[2]) instead of by webpack
 * inside the worker. The benchmark's `--prebundled` runs this to measure what bundling costs the worker's RSS.
 */
async function main(): Promise<void> {
  const codePath = process.argv[2];
  if (!codePath) throw new Error('usage: prebundledWorker.ts <workflow-bundle.js>');
  const config = loadConfig();
  limitHeapGrowth(config.worker.heapGrowthPercent);
  const connection = await connectWorker(config);
  const ports = createPorts(config);
  try {
    const worker = await createWorker({ config, connection, ports, workflowBundle: { codePath } });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
    const running = worker.run();
    process.stderr.write(
      `worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}\n`,
    );
    await running;
  } finally {
    await ports.close();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`prebundled worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
