import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config, LogLevel } from '../config/config';
import { connectWorker } from '../temporal/connection';
import { createWorker } from './createWorker';
import { limitHeapGrowth } from './heap';
import { installLogging } from './logging';
import { createPorts } from './ports';

const execFileAsync = promisify(execFile);

/** Bundles the workflows in a child process (see bundleWorkflows.ts) and returns the bundle's path. */
async function bundleInChildProcess(dataDir: string): Promise<{ codePath: string }> {
  const dir = path.join(dataDir, 'bundles');
  mkdirSync(dir, { recursive: true });
  const codePath = path.join(dir, `workflows-${process.pid}.js`);
  await execFileAsync(process.execPath, [
    ...process.execArgv,
    require.resolve('./bundleWorkflows'),
    codePath,
  ]);
  return { codePath };
}

/**
 * The bundle `npm run build` writes next to the compiled code (`dist/workflows.bundle.js`, from the same
 * compile), when this worker runs from that build; from the sources there is none.
 */
export function prebuiltWorkflowBundle(dir = path.join(__dirname, '..')): string | undefined {
  const codePath = path.join(dir, PREBUILT_BUNDLE);
  return existsSync(codePath) ? codePath : undefined;
}

/** The file name `scripts/build.mjs` gives the workflow bundle in dist/. */
export const PREBUILT_BUNDLE = 'workflows.bundle.js';

/**
 * Runs a worker until `signal` aborts (Ctrl-C, SIGTERM). Any number of these may poll one task queue,
 * on one host or many: scan segments spread over all of them.
 */
export async function runWorker(
  config: Config,
  options: { signal?: AbortSignal; onReady?: () => void; defaultLogLevel?: LogLevel } = {},
): Promise<void> {
  installLogging(config.logLevel ?? options.defaultLogLevel ?? 'warn');
  limitHeapGrowth(config.worker.heapGrowthPercent);
  // The build's bundle spares every start webpack's run (8–9 s of `libreport run` on a busy 2-core machine,
  // before its worker polls: `npm run bench -- --cli`).
  const prebuilt = prebuiltWorkflowBundle();
  const bundle = prebuilt ? { codePath: prebuilt } : await bundleInChildProcess(config.dataDir);
  const connection = await connectWorker(config);
  const ports = createPorts(config);
  try {
    const worker = await createWorker({ config, connection, ports, workflowBundle: bundle });
    const running = worker.run();
    // Ctrl-C may have begun the shutdown already (the SDK listens for signals too).
    const stop = () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    };
    // An abort that came while the worker was still starting (a quick `libreport run` whose day another worker
    // finished) has already fired its event: listening for it now would wait forever.
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
    options.onReady?.();
    await running;
  } finally {
    if (!prebuilt) rmSync(bundle.codePath, { force: true });
    await ports.close();
    await connection.close();
  }
}
