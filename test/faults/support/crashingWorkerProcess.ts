import { spawn } from 'node:child_process';
import path from 'node:path';
import type { WorkerProcess } from '../../support/workerProcess';

/** Where `test/support/crashingWorker.ts` SIGKILLs itself. */
export type CrashPoint = 'after-send' | 'before-archive';

/** Environment variables the crashing worker reads besides the libreport ones. */
export const CRASH_AT_VARIABLE = 'LIBREPORT_TEST_CRASH_AT';
export const WORKFLOW_BUNDLE_VARIABLE = 'LIBREPORT_TEST_WORKFLOW_BUNDLE';

const REPO_ROOT = path.resolve(__dirname, '../../..');
/** Bundling is skipped (the test passes a bundle file), so this only covers tsx compiling the worker's imports. */
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts `test/support/crashingWorker.ts` in a child process with `env` (build it with `workerEnvironment`).
 * With `crashAt` it kills itself there; `bundlePath` is a workflow bundle file it loads instead of bundling.
 */
export function startCrashingWorker(
  env: NodeJS.ProcessEnv,
  options: { crashAt?: CrashPoint; bundlePath: string },
): WorkerProcess {
  return startNodeWorker(path.join(REPO_ROOT, 'test', 'support', 'crashingWorker.ts'), {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [WORKFLOW_BUNDLE_VARIABLE]: options.bundlePath,
    ...(options.crashAt ? { [CRASH_AT_VARIABLE]: options.crashAt } : {}),
  });
}

/** Runs a TypeScript worker entry under tsx; ready once it prints `worker polling task queue`. */
function startNodeWorker(entry: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(process.execPath, ['--import', path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs'), entry], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start polling within ${READY_TIMEOUT_MS} ms:\n${log}`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('worker polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (code ${code}, signal ${signal}) before polling:\n${log}`));
    });
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    ready,
    exited,
    output: () => log,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
