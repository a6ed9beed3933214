import type { Config } from '../config/config';
import { connectWorker } from '../temporal/connection';
import { createWorker } from './createWorker';
import { createPorts } from './ports';

/**
 * Runs a worker until `signal` aborts (Ctrl-C, SIGTERM). Any number of these may poll one task queue,
 * on one host or many: scan segments spread over all of them.
 */
export async function runWorker(config: Config, options: { signal?: AbortSignal; onReady?: () => void } = {}): Promise<void> {
  const connection = await connectWorker(config);
  const ports = createPorts(config);
  try {
    const worker = await createWorker({ config, connection, ports });
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
