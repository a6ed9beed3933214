import path from 'node:path';
import { superviseWorker, type WorkerProcess } from '../../support/workerProcess';

/** Where `test/support/crashingWorker.ts` SIGKILLs itself. */
export type CrashPoint = 'after-send' | 'before-archive';

/** Environment variables the crashing worker reads besides the libreport ones. */
export const CRASH_AT_VARIABLE = 'LIBREPORT_TEST_CRASH_AT';
export const WORKFLOW_BUNDLE_VARIABLE = 'LIBREPORT_TEST_WORKFLOW_BUNDLE';

const REPO_ROOT = path.resolve(__dirname, '../../..');

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

/** Runs a TypeScript worker entry under tsx. */
function startNodeWorker(entry: string, env: NodeJS.ProcessEnv): WorkerProcess {
  return superviseWorker(
    process.execPath,
    ['--import', path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs'), entry],
    env,
  );
}
