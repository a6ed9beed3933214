import os from 'node:os';
import path from 'node:path';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import type { Config } from '../src/config/config';
import { connectClient } from '../src/temporal/connection';
import { BENCH_DATE, BENCH_DYNAMO_ENDPOINT, RESULTS_DIR, workerEnv, type BenchRedshift } from './benchEnv';
import { runCli } from './cliRun';
import { CpuSampler, cpuSnapshot, cpuUsed, reapedChildrenCpuSeconds, type ProcessGroup } from './cpuTime';
import { measureExtractFloor } from './extractFloor';
import { activityTrace, segmentsByWorker, stageTimings, stageWindows, type StageName } from './history';
import { measureLoadFloor, type PreparedRows } from './loadFloor';
import type { BenchOptions } from './options';
import { runDailyReport } from './pipelineRun';
import { measureScanExplode } from './scanExplode';
import type { LibreportRun, Trial, WorkerFigures } from './results';
import { compare, sizeRatios } from './trialFigures';
import { emptyStraightforward, prepareStraightforward, runStraightforward } from './straightforwardRun';
import { emptyWarehouse } from './warehouse';
import { startWorkers, type WorkerProcess } from './workerProcesses';
import { runOnRedshift } from './redshiftTrial';

export interface TrialContext {
  readonly config: Config;
  readonly items: number;
  readonly segments: number;
  readonly prepared: PreparedRows;
  readonly options: BenchOptions;
  readonly workflowBundlePath?: string;
  readonly log: (line: string) => void;
  /** Set with `--warehouse redshift-data`: the day also runs on this endpoint after the PostgreSQL run. */
  readonly redshift?: BenchRedshift;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const tracked = (workerPids: readonly number[], config?: Config) => ({
  workerPids,
  dynamoPort: new URL(BENCH_DYNAMO_ENDPOINT).port,
  benchDatabases:
    config?.warehouse.kind === 'pg' ? [databaseOf(config.warehouse.url), databaseOf(config.rds.url)] : [],
});
const databaseOf = (url: string) => new URL(url).pathname.slice(1);

/** Both floors, then one dailyReport run with fresh worker processes, back to back so they share the machine's mood. */
export async function measureTrial(context: TrialContext): Promise<Trial> {
  const { config, items, segments, prepared, options, log } = context;
  const label = items.toLocaleString('en-US');
  if (config.warehouse.kind !== 'pg') throw new Error('the benchmark runs against the PostgreSQL warehouse');

  log(`${label}: floor, extract — bare parallel Scan over ${segments} segments`);
  let before = cpuSnapshot(tracked([]));
  const extractFloor = await measureExtractFloor(config, BENCH_DATE, segments);
  const extractFloorCpu = cpuUsed(before, cpuSnapshot(tracked([])));
  log(`${label}: bare scan counted ${extractFloor.items} items in ${secs(extractFloor.ms)}`);
  if (extractFloor.items !== items) {
    throw new Error(
      `table ${config.dynamo.table} holds ${extractFloor.items} items for ${BENCH_DATE}, not ${items}: run again with --reseed`,
    );
  }

  log(`${label}: diagnostic — the same scan with explode and CSV encoding, no database`);
  before = cpuSnapshot(tracked([]));
  const scanExplode = await measureScanExplode(config, BENCH_DATE, segments);
  const scanExplodeCpu = cpuUsed(before, cpuSnapshot(tracked([])));
  log(`${label}: scan + explode + CSV took ${secs(scanExplode.ms)}`);

  const pool = createPgPool(config.warehouse.url, { max: 8 });
  let loadFloor;
  let loadFloorCpu;
  try {
    log(`${label}: floor, load — bare COPY of ${prepared.totalRows} rows`);
    before = cpuSnapshot(tracked([]));
    loadFloor = await measureLoadFloor(pool, prepared, BENCH_DATE);
    loadFloorCpu = cpuUsed(before, cpuSnapshot(tracked([])));
    log(`${label}: bare COPY took ${secs(loadFloor.ms)}`);
    await emptyWarehouse(pool);
    await prepareStraightforward(pool);
  } finally {
    await pool.end();
  }

  log(`${label}: the straightforward pipeline (straightforwardPipeline.ts) in its own process`);
  let sampler = new CpuSampler(() => tracked([], config));
  const straightforwardRun = await runStraightforward(config, BENCH_DATE, segments);
  const straightforwardCpu: Record<ProcessGroup, number> = {
    ...sampler.stop(),
    worker: straightforwardRun.ownCpuSeconds,
  };
  log(
    `${label}: straightforward pipeline loaded ${straightforwardRun.items} items in ${secs(straightforwardRun.wallMs)}, peak RSS ${Math.round(straightforwardRun.maxRssBytes / 2 ** 20)} MB`,
  );
  if (straightforwardRun.items !== items)
    throw new Error(`the straightforward pipeline saw ${straightforwardRun.items} items, not ${items}`);
  await withPool(config, emptyStraightforward);

  log(`${label}: starting ${options.workers} worker(s), activity concurrency ${options.concurrency}`);
  const env = workerEnv(config, segments, options.concurrency);
  if (options.workerNodeOptions)
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${options.workerNodeOptions}`.trim();
  const workers = await startWorkers(options.workers, env, {
    cpuProfDir: options.cpuProf ? path.join(RESULTS_DIR, 'profiles', String(items)) : undefined,
    logDir: path.join(config.dataDir, 'logs'),
    workflowBundlePath: context.workflowBundlePath,
    log,
  });
  let run;
  let pipelineCpu;
  let warm: LibreportRun | undefined;
  let cli: Trial['cli'];
  const client = await connectClient(config);
  try {
    const input = { date: BENCH_DATE, segments, pageLimit: options.pageLimit };
    try {
      for (const worker of workers) worker.resetPeak();
      const pids = workers.map((w) => w.pid);
      sampler = new CpuSampler(() => tracked(pids, config));
      log(`${label}: libreport — dailyReport for ${BENCH_DATE} through Temporal`);
      run = await runDailyReport(client, config.temporal.taskQueue, input, String(items));
      pipelineCpu = sampler.stop();
      log(
        `${label}: workflow ${run.workflowId} finished in ${secs(run.wallMs)} (extract+load ${secs(run.result.load.durationMs)})`,
      );
      if (options.warm) {
        await withPool(config, emptyWarehouse);
        sampler = new CpuSampler(() => tracked(pids, config));
        log(`${label}: libreport — the same day again on the same (now long-lived) worker`);
        const again = await runDailyReport(client, config.temporal.taskQueue, input, `${items}-warm`);
        warm = {
          workflowId: again.workflowId,
          stages: stageTimings(again.history),
          extractLoadMs: again.result.load.durationMs,
          cpuSeconds: sampler.stop(),
        };
        log(
          `${label}: warm run finished in ${secs(again.wallMs)} (extract+load ${secs(warm.extractLoadMs)})`,
        );
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    if (options.cli) {
      await withPool(config, emptyWarehouse);
      log(`${label}: libreport run --date ${BENCH_DATE} --no-email --json (in-process worker)`);
      sampler = new CpuSampler(() => tracked([], config));
      const childrenBefore = reapedChildrenCpuSeconds();
      const figures = await runCli(client, env, BENCH_DATE, segments);
      // The command has exited by now: its CPU is in this process's reaped children's.
      cli = {
        ...figures,
        cpuSeconds: { ...sampler.stop(), worker: reapedChildrenCpuSeconds() - childrenBefore },
      };
      log(
        `${label}: libreport run took ${secs(cli.processMs)} (extract+load ${secs(cli.extractLoadMs)}, worker start ${secs(cli.workerStartMs)})`,
      );
    }
  } finally {
    await client.connection.close();
  }

  const redshift = context.redshift ? await runOnRedshift(context, context.redshift) : undefined;
  const stages = stageTimings(run.history);
  const workerFigures = figuresOf(workers, run.history);
  const t = run.result.load.tables;
  const straightforward = { ...straightforwardRun, cpuSeconds: straightforwardCpu };
  return {
    extractLoadMs: run.result.load.durationMs,
    straightforward,
    warm,
    cli,
    comparison: compare(
      { stages, extractLoadMs: run.result.load.durationMs, cpuSeconds: pipelineCpu },
      straightforwardRun,
      warm,
      cli,
    ),
    extractFloor,
    loadFloor,
    scanExplode,
    pipeline: {
      workflowId: run.workflowId,
      stages,
      wallMs: run.wallMs,
      itemsSeen: run.result.load.source.items,
      rowsLoaded: t.search_query + t.search_keyword + t.search_library + t.search_isbn13,
      segmentMs: run.result.segments.map((segment) => segment.durationMs),
      outcome: run.result.load.outcome,
      warehouse: run.result.load.warehouse,
      trace: activityTrace(run.history),
    },
    redshift,
    workers: workerFigures,
    cpuSeconds: {
      extractFloor: extractFloorCpu,
      scanExplode: scanExplodeCpu,
      loadFloor: loadFloorCpu,
      pipeline: pipelineCpu,
    },
    ratios: sizeRatios(extractFloor, loadFloor, stages, prepared.totalRows),
    peakRssBytes: Math.max(...workerFigures.map((w) => w.highWaterRssBytes)),
  };
}

async function withPool(config: Config, work: (pool: ReturnType<typeof createPgPool>) => Promise<void>) {
  if (config.warehouse.kind !== 'pg') throw new Error('the benchmark runs against the PostgreSQL warehouse');
  const pool = createPgPool(config.warehouse.url, { max: 1 });
  try {
    await work(pool);
  } finally {
    await pool.end();
  }
}

/** Each worker's segments (from the `identity` on history events) and memory, overall and per stage. */
function figuresOf(
  workers: readonly WorkerProcess[],
  history: Parameters<typeof stageWindows>[0],
): WorkerFigures[] {
  const split = segmentsByWorker(history);
  const windows = stageWindows(history);
  return workers.map((w) => {
    const identity =
      [...split.keys()].find((id) => id.startsWith(`${w.pid}@`)) ?? `${w.pid}@${os.hostname()}`;
    const samples = w.samples();
    return {
      pid: w.pid,
      identity,
      segments: [...(split.get(identity) ?? [])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
      readyRssBytes: w.readyRssBytes,
      runPeakRssBytes: w.runPeakRssBytes(),
      highWaterRssBytes: w.highWaterRssBytes(),
      rendererPeakRssBytes: w.childPeakRssBytes(),
      withRendererPeakRssBytes: w.combinedPeakRssBytes(),
      peakRssByStage: Object.fromEntries(
        (Object.entries(windows) as [StageName, { fromMs: number; toMs: number }][]).map(([stage, span]) => [
          stage,
          Math.max(
            0,
            ...samples.filter((x) => x.atMs >= span.fromMs && x.atMs <= span.toMs).map((x) => x.bytes),
          ),
        ]),
      ),
    };
  });
}
