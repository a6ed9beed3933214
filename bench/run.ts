import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { defaultSegmentCount } from '../src/activities/extract';
import { createPgPool } from '../src/adapters/warehouse/pgWarehouse';
import { ensureDatabase, stackDown, stackUp } from '../src/stack';
import { LOCAL_REDSHIFT } from '../src/config/config';
import { startRedshiftDataServer } from '../src/stack/redshiftData/server';
import { startS3Server } from '../src/stack/s3';
import {
  BENCH_DATE,
  benchConfig,
  redshiftEngineUrl,
  REPO_ROOT,
  RESULTS_DIR,
  sizeTargets,
  type BenchRedshift,
} from './benchEnv';
import { formatMarkdown, formatTable } from './format';
import { prepareRows } from './loadFloor';
import { measureTrial } from './measureTrial';
import { runGrowth } from './growth';
import { parseBenchOptions, type BenchOptions } from './options';
import { formatProfileSummary, summarizeProfiles } from './profileSummary';
import type { BenchResult, SizeResult, Trial } from './results';
import { checkTargets } from './targets';
import { medianTrial } from './trialFigures';
import { ensureSeeded } from './seedDay';
import { ensureWarehouseSchema } from './warehouse';

/**
 * `npm run bench`: seeds (or reuses) one day, then measures the machine's floors and the real pipeline
 * side by side at the requested size and at a tenth of it. See `npm run bench -- --help`.
 */

const phase = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function benchSize(
  items: number,
  segments: number,
  options: BenchOptions,
  workflowBundlePath?: string,
  redshift?: BenchRedshift,
): Promise<SizeResult> {
  const targets = sizeTargets(items);
  const config = benchConfig(targets);
  const label = items.toLocaleString('en-US');
  await ensureDatabase(targets.rdsUrl, 'RDS_URL', phase);
  await ensureDatabase(targets.warehouseUrl, 'WAREHOUSE_URL', phase);

  phase(`${label}: seeding or reusing table ${targets.table}`);
  const seed = await ensureSeeded(config, items, options.reseed, phase);
  phase(`${label}: ${seed.reused ? 'reused the seeded table' : `seeded in ${seed.seconds.toFixed(0)} s`}`);

  phase(`${label}: preparing the exploded rows as CSV (once per size)`);
  const rowsDir = path.join(config.dataDir, `rows-${items}`);
  // Rows prepared from an earlier seed of this table would no longer match it.
  if (!seed.reused) rmSync(rowsDir, { recursive: true, force: true });
  const prepared = await prepareRows(config, BENCH_DATE, segments, rowsDir, items);
  const pool = createPgPool(targets.warehouseUrl, { max: 1 });
  try {
    await ensureWarehouseSchema(pool);
  } finally {
    await pool.end();
  }

  const trials: Trial[] = [];
  for (let i = 0; i < options.repeat; i++) {
    if (options.repeat > 1) phase(`${label}: trial ${i + 1} of ${options.repeat}`);
    trials.push(
      await measureTrial({
        config,
        items,
        segments,
        prepared,
        options,
        workflowBundlePath,
        log: phase,
        redshift,
      }),
    );
  }
  return {
    ...medianTrial(trials, prepared.totalRows),
    items,
    segments,
    seed,
    rows: { byTable: prepared.rows, total: prepared.totalRows },
    trials,
  };
}

/**
 * s3rver (objects under the benchmark's data dir) and the Redshift Data API endpoint on free ports, in this
 * process, over their own warehouse database: what `--warehouse redshift-data` runs each day on.
 */
async function startRedshift(dataDir: string): Promise<BenchRedshift & { close(): Promise<void> }> {
  const engineUrl = redshiftEngineUrl();
  await ensureDatabase(engineUrl, 'WAREHOUSE_URL', phase);
  const directory = path.join(dataDir, 's3');
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const s3 = await startS3Server({ directory, buckets: [LOCAL_REDSHIFT.stagingBucket] });
  const server = await startRedshiftDataServer({ engineUrl, s3Endpoint: s3.endpoint });
  phase(
    `redshift-data: Data API endpoint ${server.endpoint}, s3rver ${s3.endpoint}, engine ${new URL(engineUrl).pathname}`,
  );
  return {
    endpoint: server.endpoint,
    s3Endpoint: s3.endpoint,
    engineUrl,
    async close() {
      await server.close();
      await s3.close();
    },
  };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.growth) return runGrowth(options, phase);
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg();
  const sizes = options.skipSmall ? [options.items] : [Math.round(options.items / 10), options.items];
  // dynalite reports no ItemCount, so libreport would always pick the minimum; use what it picks for a real table.
  const segmentsFor = (items: number) => options.segments ?? defaultSegmentCount(items);

  phase(
    'starting or reusing the local stack (Temporal dev server, benchmark dynalite, SES stand-in, PostgreSQL)',
  );
  const stackConfig = benchConfig(sizeTargets(options.items));
  await stackUp(stackConfig, phase, { only: ['temporal', 'dynamodb', 'ses', 'warehouse'] });

  phase('building dist/ (the workers run the compiled code, as the image does)');
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs')], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  });

  let workflowBundlePath: string | undefined;
  if (options.prebundled) {
    phase('bundling the workflow code once, outside the workers');
    const bundle = await bundleWorkflowCode({ workflowsPath: path.join(REPO_ROOT, 'src', 'workflows') });
    workflowBundlePath = path.join(stackConfig.dataDir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, bundle.code);
  }

  // Old profiles would be mistaken for this run's.
  if (options.cpuProf)
    for (const items of sizes)
      rmSync(path.join(RESULTS_DIR, 'profiles', String(items)), { recursive: true, force: true });
  const results: SizeResult[] = [];
  const redshift =
    options.warehouse === 'redshift-data' ? await startRedshift(stackConfig.dataDir) : undefined;
  try {
    for (const items of sizes) {
      results.push(await benchSize(items, segmentsFor(items), options, workflowBundlePath, redshift));
    }
  } finally {
    await redshift?.close();
    if (!options.keepStack) {
      // Only processes with a pid file under the benchmark's data dir: the ones this benchmark started.
      for (const stopped of await stackDown(stackConfig)) {
        if (stopped.stoppedPid) {
          phase(
            `stopped the benchmark's ${stopped.name} (pid ${stopped.stoppedPid}); its data stays for the next run`,
          );
        }
      }
    }
  }
  const result: BenchResult = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverageBefore,
      loadAverageAfter: os.loadavg(),
    },
    options: { ...options, segmentsUsed: segmentsFor(options.items) },
    sizes: results,
    targets: checkTargets(results),
  };
  process.stdout.write(`\n${formatTable(result)}\n`);
  if (options.cpuProf) {
    for (const items of sizes) {
      const [main] = summarizeProfiles(path.join(RESULTS_DIR, 'profiles', String(items)));
      if (main)
        process.stdout.write(
          `\nWorker CPU profile at ${items.toLocaleString('en-US')} items\n${formatProfileSummary(main)}\n`,
        );
    }
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = [
    result.date,
    options.items,
    options.workers > 1 ? `w${options.workers}` : '',
    options.warehouse === 'redshift-data' ? 'redshift' : '',
    options.label ?? '',
  ]
    .filter(Boolean)
    .join('-');
  writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, `${name}.md`), formatMarkdown(result));
  phase(`wrote bench/results/${name}.json and .md`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
