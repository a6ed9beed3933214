import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultSegmentCount } from '../src/activities/extract';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import { ensureDatabase, stackUp } from '../src/stack';
import { connectClient } from '../src/temporal/connection';
import { BENCH_DATE, benchConfig, RESULTS_DIR, sizeTargets, workerEnv } from './benchEnv';
import { measureExtractFloor } from './extractFloor';
import { formatMarkdown, formatTable } from './format';
import { segmentsByWorker, stageTimings } from './history';
import { measureLoadFloor, prepareRows } from './loadFloor';
import { parseBenchOptions, type BenchOptions } from './options';
import { runDailyReport } from './pipelineRun';
import { checkTargets, sizeRatios, type BenchResult, type SizeResult, type WorkerFigures } from './results';
import { ensureSeeded } from './seedDay';
import { emptyWarehouse, ensureWarehouseSchema } from './warehouse';
import { startWorkers } from './workerProcesses';

/**
 * `npm run bench`: seeds (or reuses) one day, then measures the machine's floors and the real pipeline
 * side by side at the requested size and at a tenth of it. See `npm run bench -- --help`.
 */

const phase = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function benchSize(items: number, segments: number, options: BenchOptions): Promise<SizeResult> {
  const targets = sizeTargets(items);
  const config = benchConfig(targets);
  const label = items.toLocaleString('en-US');
  await ensureDatabase(targets.rdsUrl, 'RDS_URL', phase);
  await ensureDatabase(targets.warehouseUrl, 'WAREHOUSE_URL', phase);

  phase(`${label}: seeding or reusing table ${targets.table}`);
  const seed = await ensureSeeded(config, items, options.reseed, phase);
  phase(`${label}: ${seed.reused ? 'reused the seeded table' : `seeded in ${seed.seconds.toFixed(0)} s`}`);

  phase(`${label}: floor, extract — bare parallel Scan over ${segments} segments`);
  const extractFloor = await measureExtractFloor(config, BENCH_DATE, segments);
  phase(`${label}: bare scan counted ${extractFloor.items} items in ${secs(extractFloor.ms)}`);
  if (extractFloor.items !== items) {
    throw new Error(`table ${targets.table} holds ${extractFloor.items} items for ${BENCH_DATE}, not ${items}: run again with --reseed`);
  }

  phase(`${label}: preparing the exploded rows as CSV (once per size)`);
  const prepared = await prepareRows(config, BENCH_DATE, segments, path.join(config.dataDir, `rows-${items}`), items);
  const pool = createPgPool(targets.warehouseUrl, { max: 8 });
  let loadFloor;
  try {
    await ensureWarehouseSchema(pool);
    phase(`${label}: floor, load — bare COPY of ${prepared.totalRows} rows`);
    loadFloor = await measureLoadFloor(pool, prepared);
    phase(`${label}: bare COPY took ${secs(loadFloor.ms)}`);
    await emptyWarehouse(pool);
  } finally {
    await pool.end();
  }

  phase(`${label}: starting ${options.workers} worker(s), activity concurrency ${options.concurrency}`);
  const workers = await startWorkers(options.workers, workerEnv(config, segments, options.concurrency), {
    cpuProfDir: options.cpuProf ? path.join(RESULTS_DIR, 'profiles', String(items)) : undefined,
    logDir: path.join(config.dataDir, 'logs'),
    log: phase,
  });
  const client = await connectClient(config);
  let run;
  try {
    for (const worker of workers) worker.resetPeak();
    phase(`${label}: libreport — dailyReport for ${BENCH_DATE} through Temporal`);
    run = await runDailyReport(client, config.temporal.taskQueue, { date: BENCH_DATE, segments }, String(items));
    phase(`${label}: workflow ${run.workflowId} finished in ${secs(run.wallMs)}`);
  } finally {
    await client.connection.close();
    await Promise.all(workers.map((w) => w.stop()));
  }

  const stages = stageTimings(run.history);
  const split = segmentsByWorker(run.history);
  const workerFigures: WorkerFigures[] = workers.map((w) => {
    const identity = [...split.keys()].find((id) => id.startsWith(`${w.pid}@`)) ?? `${w.pid}@${os.hostname()}`;
    return {
      pid: w.pid,
      identity,
      segments: (split.get(identity) ?? []).sort(),
      readyRssBytes: w.readyRssBytes,
      runPeakRssBytes: w.runPeakRssBytes(),
      highWaterRssBytes: w.highWaterRssBytes(),
    };
  });
  const t = run.result.load.tables;
  return {
    items,
    segments,
    seed,
    extractFloor,
    loadFloor,
    rows: { byTable: prepared.rows, total: prepared.totalRows },
    pipeline: {
      workflowId: run.workflowId,
      stages,
      wallMs: run.wallMs,
      itemsSeen: run.result.load.source.items,
      rowsLoaded: t.search_query + t.search_keyword + t.search_library + t.search_isbn13,
      segmentMs: run.result.segments.map((segment) => segment.durationMs),
      outcome: run.result.load.outcome,
    },
    workers: workerFigures,
    ratios: sizeRatios(extractFloor, loadFloor, stages, prepared.totalRows),
    peakRssBytes: Math.max(...workerFigures.map((w) => w.highWaterRssBytes)),
  };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const sizes = options.skipSmall ? [options.items] : [Math.round(options.items / 10), options.items];
  // dynalite reports no ItemCount, so libreport would always pick the minimum; use what it picks for a real table.
  const segmentsFor = (items: number) => options.segments ?? defaultSegmentCount(items);

  phase('starting or reusing the local stack (Temporal dev server, benchmark dynalite, PostgreSQL)');
  await stackUp(benchConfig(sizeTargets(options.items)), phase, { only: ['temporal', 'dynamodb', 'ses', 'warehouse'] });

  const results: SizeResult[] = [];
  for (const items of sizes) results.push(await benchSize(items, segmentsFor(items), options));

  const result: BenchResult = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverageBefore, loadAverageAfter: os.loadavg() },
    options: { ...options, segmentsUsed: segmentsFor(options.items) },
    sizes: results,
    targets: checkTargets(results),
  };
  process.stdout.write(`\n${formatTable(result)}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = `${result.date}-${options.items}${options.workers > 1 ? `-w${options.workers}` : ''}`;
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), formatMarkdown(result));
  phase(`wrote bench/results/${name}.json and .md`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
