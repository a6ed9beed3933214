import path from 'node:path';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import { connectClient } from '../src/temporal/connection';
import type { Config } from '../src/config/config';
import type { BenchOptions } from './options';
import { BENCH_DATE, workerEnv, type BenchRedshift } from './benchEnv';
import { stageTimings } from './history';
import { runDailyReport } from './pipelineRun';
import type { RedshiftRun } from './results';
import { emptyWarehouse } from './warehouse';
import { startWorkers } from './workerProcesses';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What a Redshift run takes of a trial's context (`TrialContext`). */
export interface RedshiftTrialContext {
  readonly config: Config;
  readonly items: number;
  readonly segments: number;
  readonly options: BenchOptions;
  readonly workflowBundlePath?: string;
  readonly log: (line: string) => void;
}

/**
 * The same day on the redshift-data warehouse: fresh workers pointed at the local Data API endpoint, its day
 * tables emptied first as the PostgreSQL run's are. Only wall time, stages and the run summary's statement and
 * COPY counts are kept: the endpoint runs on the same PostgreSQL, so its times say nothing of a real cluster's.
 */
export async function runOnRedshift(
  context: RedshiftTrialContext,
  redshift: BenchRedshift,
): Promise<RedshiftRun> {
  const { config, items, segments, options, log } = context;
  const label = items.toLocaleString('en-US');
  const pool = createPgPool(redshift.engineUrl, { max: 1 });
  try {
    await emptyWarehouse(pool);
  } finally {
    await pool.end();
  }
  log(
    `${label}: starting ${options.workers} worker(s) on the redshift-data warehouse (local Data API endpoint)`,
  );
  const workers = await startWorkers(
    options.workers,
    workerEnv(config, segments, options.concurrency, redshift),
    {
      logDir: path.join(config.dataDir, 'logs'),
      workflowBundlePath: context.workflowBundlePath,
      log,
    },
  );
  try {
    const client = await connectClient(config);
    try {
      log(`${label}: libreport on redshift-data — dailyReport for ${BENCH_DATE} through Temporal`);
      const run = await runDailyReport(
        client,
        config.temporal.taskQueue,
        { date: BENCH_DATE, segments, pageLimit: options.pageLimit },
        `${items}-redshift`,
      );
      log(
        `${label}: redshift-data workflow ${run.workflowId} finished in ${secs(run.wallMs)}: ` +
          `${run.result.load.warehouse.statements} statements, ${run.result.load.warehouse.copies} COPY calls`,
      );
      return {
        workflowId: run.workflowId,
        stages: stageTimings(run.history),
        wallMs: run.wallMs,
        outcome: run.result.load.outcome,
        warehouse: run.result.load.warehouse,
      };
    } finally {
      await client.connection.close();
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
