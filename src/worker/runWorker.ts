import { bundleWorkflowCode } from '@temporalio/worker';
import type { Config, LogLevel } from '../config/config';
import { connectWorker } from '../temporal/connection';
import { createWorker } from './createWorker';
import { installLogging } from './logging';
import { createPorts } from './ports';

/** Bundles `src/workflows` without webpack's build chatter, which says nothing to an operator. */
function quietWorkflowBundle() {
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: silent });
}

/**
 * Runs a worker until `signal` aborts (Ctrl-C, SIGTERM). Any number of these may poll one task queue,
 * on one host or many: scan segments spread over all of them.
 */
export async function runWorker(
  config: Config,
  options: { signal?: AbortSignal; onReady?: () => void; defaultLogLevel?: LogLevel } = {},
): Promise<void> {
  installLogging(config.logLevel ?? options.defaultLogLevel ?? 'warn');
  const connection = await connectWorker(config);
  const ports = createPorts(config);
  try {
    const worker = await createWorker({
      config,
      connection,
      ports,
      workflowBundle: await quietWorkflowBundle(),
    });
    const stop = () => worker.shutdown();
    options.signal?.addEventListener('abort', stop, { once: true });
    const running = worker.run();
    options.onReady?.();
    await running;
  } finally {
    await ports.close();
    await connection.close();
  }
}
