import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../src/config/config';
import { REPO_ROOT, testDataDir } from './stack';

/** A `libreport worker` running as a child process, so a test can SIGKILL it like a lost host. */
export interface WorkerProcess {
  readonly pid: number;
  /** Resolves once the worker polls its task queue; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the worker wrote to stdout and stderr so far, for failure messages. */
  output(): string;
  /** Sends `signal` (default SIGKILL) and waits for the exit. Safe to call after it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The environment that makes `libreport worker` use exactly the services `config` names, plus `overrides`
 * (e.g. a WAREHOUSE_URL through a proxy or with an application_name to find its backends).
 */
export function workerEnvironment(config: Config, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const w = config.warehouse;
  const warehouse: NodeJS.ProcessEnv =
    w.kind === 'pg'
      ? { WAREHOUSE_KIND: 'pg', WAREHOUSE_URL: w.url }
      : {
          // The file's own Redshift stand-ins (see redshiftStandIns.ts), reached as the in-process worker does.
          WAREHOUSE_KIND: 'redshift-data',
          WAREHOUSE_URL: w.engineUrl,
          REDSHIFT_DATA_ENDPOINT: w.endpoint,
          S3_ENDPOINT: config.s3.endpoint,
          REDSHIFT_CLUSTER_ID: w.clusterId,
          REDSHIFT_DATABASE: w.database,
          REDSHIFT_IAM_ROLE: w.iamRole,
          STAGING_S3_BUCKET: w.stagingBucket,
          STAGING_S3_PREFIX: w.stagingPrefix,
        };
  return {
    ...process.env,
    LIBREPORT_ENV: 'local',
    LIBREPORT_DATA_DIR: testDataDir(),
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    DYNAMODB_TABLE: config.dynamo.table,
    DYNAMODB_ENDPOINT: config.dynamo.endpoint,
    ...warehouse,
    RDS_URL: config.rds.url,
    REPORT_DIR: config.report.dir,
    REPORT_TIMEZONE: config.report.timeZone,
    ...overrides,
  };
}

/** How long a cold worker may take to compile under tsx and bundle the workflows before it polls. */
const READY_TIMEOUT_MS = 60_000;

/** Starts `bin/libreport worker` with `env` (see `workerEnvironment`). Kill it in `afterAll`. */
export function startWorkerProcess(env: NodeJS.ProcessEnv): WorkerProcess {
  return superviseWorker(path.join(REPO_ROOT, 'bin', 'libreport'), ['worker'], env);
}

/**
 * Spawns a worker process and watches it: ready once it prints `worker polling task queue`, with its
 * output kept for failure messages.
 */
export function superviseWorker(command: string, args: string[], env: NodeJS.ProcessEnv): WorkerProcess {
  const child: ChildProcess = spawn(command, args, {
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
