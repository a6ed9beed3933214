/**
 * A worker process for fault tests that dies by its own SIGKILL at a chosen point, like a host lost at the
 * worst moment. Wired as production wires it (`createPorts(loadConfig())`, `createWorker`); only the port the
 * crash point needs is wrapped.
 *
 * Environment (besides the usual libreport variables):
 * - `LIBREPORT_TEST_CRASH_AT`: `after-send` (right after the SES call returned, before the ledger is settled)
 *   or `before-archive` (inside renderReport, after rendering, before the archive is written); unset = no crash.
 * - `LIBREPORT_TEST_WORKFLOW_BUNDLE`: path of a pre-built workflow bundle, so the process starts in seconds.
 *
 * Run with `node --import ./node_modules/tsx/dist/loader.mjs test/support/crashingWorker.ts`; it prints
 * `worker polling task queue` to stderr once it polls.
 */
import type { Mailer } from '../../src/adapters/mailer/port';
import type { ReportStore } from '../../src/adapters/reportStore/port';
import { loadConfig } from '../../src/config/config';
import { connectWorker } from '../../src/temporal/connection';
import { createWorker } from '../../src/worker/createWorker';
import { installLogging } from '../../src/worker/logging';
import { createPorts } from '../../src/worker/ports';
import {
  CRASH_AT_VARIABLE,
  WORKFLOW_BUNDLE_VARIABLE,
  type CrashPoint,
} from '../faults/support/crashingWorkerProcess';

function die(): never {
  process.stderr.write('crash point reached: SIGKILL\n');
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not end the process');
}

function crashingMailer(inner: Mailer): Mailer {
  return {
    async sendRaw(email) {
      const sent = await inner.sendRaw(email);
      die();
      return sent;
    },
  };
}

function crashingReportStore(inner: ReportStore): ReportStore {
  return {
    ...inner,
    async put() {
      die();
    },
  };
}

async function main(): Promise<void> {
  const crashAt = process.env[CRASH_AT_VARIABLE] as CrashPoint | undefined;
  const bundlePath = process.env[WORKFLOW_BUNDLE_VARIABLE];
  const config = loadConfig();
  installLogging(config.logLevel ?? 'info');
  const ports = createPorts(config);
  const connection = await connectWorker(config);
  const worker = await createWorker({
    config,
    connection,
    ports: {
      ...ports,
      mailer: crashAt === 'after-send' ? crashingMailer(ports.mailer) : ports.mailer,
      reportStore: crashAt === 'before-archive' ? crashingReportStore(ports.reportStore) : ports.reportStore,
    },
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  const running = worker.run();
  process.stderr.write(
    `worker polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}\n`,
  );
  try {
    await running;
  } finally {
    await ports.close();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crashing worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
