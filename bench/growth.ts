import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultSegmentCount, type ReadPath } from '../src/activities/extract';
import { ensureRdsSchema, pgRds } from '../src/adapters/rds/pgRds';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import type { Config } from '../src/config/config';
import { addDays } from '../src/domain/reportDate';
import { stackDown, stackUp } from '../src/stack';
import { connectClient } from '../src/temporal/connection';
import { BENCH_DATE, benchConfig, REPO_ROOT, RESULTS_DIR, withDatabase, workerEnv } from './benchEnv';
import { cpuSnapshot, cpuUsed } from './cpuTime';
import { formatGrowthMarkdown, summarizeGrowth, type GrowthResult, type GrowthRun } from './growthReport';
import { consecutiveDays, ensureGrowthTable, type GrowthSeed, type GrowthTable } from './growthSeed';
import { stageTimings } from './history';
import type { BenchOptions } from './options';
import { runDailyReport } from './pipelineRun';
import { ensureWarehouseSchema } from './warehouse';
import { startWorkers, type WorkerProcess } from './workerProcesses';

/**
 * `npm run bench -- --growth`: the same day extracted from a table holding only that day and from one holding
 * `days` such days, through the day index and through the scan, with the real dailyReport workflow. The growth
 * case has its own dynalite (port and LevelDB folder), so its 1.5M seeded items survive between runs and never
 * mix with the main benchmark's tables.
 */
const GROWTH_DATA_DIR = '.data/bench-growth';
const GROWTH_DYNAMO_ENDPOINT = 'http://127.0.0.1:4578';
/** Key ranges on the index path: the planner's default (see DEFAULT_RANGES in src/activities/extract.ts). */
const INDEX_RANGES = 4;
const PATHS: readonly ReadPath[] = ['index', 'scan'];

interface TableRig {
  readonly table: GrowthTable;
  readonly config: Config;
  readonly seed: GrowthSeed;
  readonly worker: WorkerProcess;
}

export async function runGrowth(options: BenchOptions, log: (line: string) => void): Promise<void> {
  const { itemsPerDay, days } = options.growth!;
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const date = BENCH_DATE;
  const tables: GrowthTable[] = [
    { name: `growth_1d_${itemsPerDay}`, days: [date], itemsPerDay },
    // The day sits in the middle of the others, so neither end of the table's key space is special.
    {
      name: `growth_${days}d_${itemsPerDay}`,
      days: consecutiveDays(addDays(date, -Math.floor(days / 2)), days),
      itemsPerDay,
    },
  ];
  const configFor = (table?: GrowthTable) => {
    const base = benchConfig();
    return benchConfig(undefined, {
      LIBREPORT_DATA_DIR: GROWTH_DATA_DIR,
      DYNAMODB_ENDPOINT: GROWTH_DYNAMO_ENDPOINT,
      WAREHOUSE_URL: withDatabase(base.rds.url, 'libreport_bench_dw_growth'),
      RDS_URL: withDatabase(base.rds.url, 'libreport_bench_rds_growth'),
      ...(table
        ? { DYNAMODB_TABLE: table.name, TEMPORAL_TASK_QUEUE: `libreport-bench-${table.name}` }
        : { DYNAMODB_TABLE: tables[0]!.name }),
    });
  };
  const stackConfig = configFor();
  const dynamoPort = new URL(GROWTH_DYNAMO_ENDPOINT).port;

  log('growth: starting or reusing the growth dynalite and PostgreSQL');
  await stackUp(stackConfig, log, { only: ['dynamodb', 'warehouse', 'rds'] });
  const rds = pgRds(createPgPool(stackConfig.rds.url, { max: 1 }));
  const pool = createPgPool(stackConfig.warehouse.kind === 'pg' ? stackConfig.warehouse.url : '', { max: 1 });
  try {
    await ensureRdsSchema(rds);
    await ensureWarehouseSchema(pool);
  } finally {
    await rds.close();
    await pool.end();
  }
  log('growth: building dist/ (the workers run the compiled code, as the image does)');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });

  const rigs: TableRig[] = [];
  const runs: GrowthRun[] = [];
  let client: Client | undefined;
  try {
    // Seeding first: it needs only dynalite, and takes the longest.
    const seeds: GrowthSeed[] = [];
    for (const table of tables) {
      const seed = await ensureGrowthTable(configFor(table), table, options.reseed, log);
      log(
        `growth: ${table.name} ${seed.reused ? 'reused' : `seeded in ${seed.seconds.toFixed(0)} s`} (${seed.items.toLocaleString('en-US')} items)`,
      );
      seeds.push(seed);
    }
    log('growth: starting or reusing the Temporal dev server');
    await stackUp(stackConfig, log, { only: ['temporal'] });
    for (const [i, table] of tables.entries()) {
      const config = configFor(table);
      const seed = seeds[i]!;
      const [worker] = await startWorkers(1, workerEnv(config, INDEX_RANGES, options.concurrency), {
        logDir: path.join(config.dataDir, 'logs', table.name),
        log,
      });
      rigs.push({ table, config, seed, worker: worker! });
    }
    client = await connectClient(stackConfig);
    // Trials interleave the four cases, so a busy spell on the machine spreads over all of them.
    for (let trial = 1; trial <= options.repeat; trial++) {
      for (const rig of rigs) {
        for (const readPath of PATHS) {
          const run = await measure(client, rig, readPath, date, dynamoPort, trial);
          log(
            `growth: trial ${trial} ${rig.table.name} ${readPath}: extract ${(run.extractMs / 1000).toFixed(1)} s, ` +
              `end to end ${(run.wallMs / 1000).toFixed(1)} s, ${run.itemsRead.toLocaleString('en-US')} items read, ` +
              `${run.itemsLoaded.toLocaleString('en-US')} loaded`,
          );
          runs.push(run);
        }
      }
    }
  } finally {
    await client?.connection.close();
    await Promise.all(rigs.map((rig) => rig.worker.stop()));
    if (!options.keepStack) {
      for (const stopped of await stackDown(stackConfig)) {
        if (stopped.stoppedPid)
          log(`growth: stopped ${stopped.name} (pid ${stopped.stoppedPid}); its data stays`);
      }
    }
  }

  const result: GrowthResult = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageBefore,
      loadAverageAfter: os.loadavg(),
    },
    day: date,
    itemsPerDay,
    days,
    tables: rigs.map((rig) => ({ name: rig.table.name, days: rig.table.days.length, ...rig.seed })),
    runs,
    ...summarizeGrowth(runs, tables[0]!.name, tables[1]!.name, itemsPerDay),
  };
  process.stdout.write(`\n${formatGrowthMarkdown(result)}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = [result.date, 'growth', `${itemsPerDay}x${days}`, options.label ?? '']
    .filter(Boolean)
    .join('-');
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), formatGrowthMarkdown(result));
  log(`growth: wrote bench/results/${name}.json and .md`);
}

async function measure(
  client: Client,
  rig: TableRig,
  readPath: ReadPath,
  date: string,
  dynamoPort: string,
  trial: number,
): Promise<GrowthRun> {
  const tableItems = rig.seed.items;
  // What libreport picks on AWS, where DescribeTable reports the item count (dynalite reports none).
  const segments = readPath === 'index' ? INDEX_RANGES : defaultSegmentCount(tableItems);
  const tracked = { workerPids: [rig.worker.pid], dynamoPort };
  const before = cpuSnapshot(tracked);
  const run = await runDailyReport(
    client,
    rig.config.temporal.taskQueue,
    { date, segments, readPath, email: 'skip', timeouts: rig.config.timeouts },
    `${rig.table.name}-${readPath}`,
  );
  const cpuSeconds = cpuUsed(before, cpuSnapshot(tracked));
  const extract = run.result.extract;
  if (!extract || extract.path !== readPath)
    throw new Error(
      `${rig.table.name}: asked for the ${readPath} path, the run took ${extract?.path ?? 'none'}`,
    );
  const stages = stageTimings(run.history);
  return {
    trial,
    table: rig.table.name,
    tableItems,
    path: readPath,
    segments: extract.segments,
    wallMs: run.wallMs,
    extractMs: stages['extract+explode'] ?? 0,
    loadMs: stages.load ?? 0,
    itemsRead: extract.itemsRead,
    itemsSeen: extract.itemsSeen,
    itemsLoaded: extract.itemsLoaded,
    cpuSeconds,
  };
}
