import path from 'node:path';
import { loadConfig, type Config } from '../src/config/config';

/**
 * Where the benchmark runs: the developer's Temporal dev server and PostgreSQL, but its own dynalite
 * (LevelDB under `.data/bench`, so a seeded million-item day survives between runs), its own databases
 * and its own task queue, so a benchmark never disturbs `stack up` data or tests.
 */

export const REPO_ROOT = path.resolve(__dirname, '..');
export const BENCH_DATA_DIR = '.data/bench';
/**
 * Two benchmarks on one machine (say, from two worktrees) must not share a dynalite, a task queue or databases:
 * LIBREPORT_BENCH_NAME (default `bench`) names this one's task queue and databases, and
 * LIBREPORT_BENCH_DYNAMO_ENDPOINT moves its dynalite.
 */
const BENCH_NAME = /^[a-z][a-z0-9_]{0,30}$/.test(process.env.LIBREPORT_BENCH_NAME ?? '')
  ? process.env.LIBREPORT_BENCH_NAME!
  : 'bench';
/** A port apart from the usual 4567, so the benchmark's dynalite is never a test run's in-memory one. */
export const BENCH_DYNAMO_ENDPOINT = process.env.LIBREPORT_BENCH_DYNAMO_ENDPOINT ?? 'http://127.0.0.1:4577';
export const BENCH_TASK_QUEUE = `libreport-${BENCH_NAME.replace(/_/g, '-')}`;
const DB_PREFIX = `libreport_${BENCH_NAME}`;
/** The seeded day. Fixed, so a seeded table is reusable run after run. */
export const BENCH_DATE = '2024-05-16';
export const BENCH_SEED = 'bench';
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

/** The names one benchmark size uses. */
export interface SizeTargets {
  readonly items: number;
  readonly table: string;
  readonly warehouseUrl: string;
  readonly rdsUrl: string;
}

/** `url` naming another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The developer's configuration with the benchmark's endpoints, names and data dir laid over it. */
export function benchConfig(targets?: SizeTargets, extra: NodeJS.ProcessEnv = {}): Config {
  const base = loadConfig(process.env, REPO_ROOT);
  return loadConfig(
    {
      ...process.env,
      LIBREPORT_ENV: 'local',
      LIBREPORT_DATA_DIR: BENCH_DATA_DIR,
      DYNAMODB_ENDPOINT: BENCH_DYNAMO_ENDPOINT,
      TEMPORAL_TASK_QUEUE: BENCH_TASK_QUEUE,
      WAREHOUSE_KIND: 'pg',
      WAREHOUSE_URL: targets?.warehouseUrl ?? withDatabase(base.rds.url, `${DB_PREFIX}_dw`),
      RDS_URL: targets?.rdsUrl ?? withDatabase(base.rds.url, `${DB_PREFIX}_rds`),
      DYNAMODB_TABLE: targets?.table ?? 'bench',
      REPORT_DIR: path.join(BENCH_DATA_DIR, 'reports'),
      ...extra,
    },
    REPO_ROOT,
  );
}

/** One size's table and databases: the RDS rows of different sizes must not mix, so each has its own. */
export function sizeTargets(items: number): SizeTargets {
  const base = loadConfig(process.env, REPO_ROOT);
  return {
    items,
    table: `bench_${items}`,
    warehouseUrl: withDatabase(base.rds.url, `${DB_PREFIX}_dw`),
    rdsUrl: withDatabase(base.rds.url, `${DB_PREFIX}_rds_${items}`),
  };
}

/** The local Redshift Data API endpoint and s3rver the benchmark started, and the database behind them. */
export interface BenchRedshift {
  readonly endpoint: string;
  readonly s3Endpoint: string;
  readonly engineUrl: string;
}

/** The benchmark's redshift-data warehouse database (apart from the PostgreSQL one: its day tables are not partitioned). */
export function redshiftEngineUrl(): string {
  return withDatabase(loadConfig(process.env, REPO_ROOT).rds.url, `${DB_PREFIX}_dw_redshift`);
}

/**
 * The environment a worker child process needs to serve the benchmark's task queue for one size, on the
 * PostgreSQL warehouse or, given `redshift`, on the local Redshift Data API endpoint.
 */
export function workerEnv(
  config: Config,
  segments: number,
  concurrency: number,
  redshift?: BenchRedshift,
): NodeJS.ProcessEnv {
  if (config.warehouse.kind !== 'pg') throw new Error('the benchmark runs against the PostgreSQL warehouse');
  const warehouse = redshift
    ? {
        WAREHOUSE_KIND: 'redshift-data',
        WAREHOUSE_URL: redshift.engineUrl,
        REDSHIFT_DATA_ENDPOINT: redshift.endpoint,
        S3_ENDPOINT: redshift.s3Endpoint,
      }
    : { WAREHOUSE_KIND: 'pg', WAREHOUSE_URL: config.warehouse.url };
  return {
    ...process.env,
    LIBREPORT_ENV: 'local',
    LIBREPORT_DATA_DIR: BENCH_DATA_DIR,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    DYNAMODB_ENDPOINT: config.dynamo.endpoint,
    DYNAMODB_TABLE: config.dynamo.table,
    DYNAMODB_SEGMENTS: String(segments),
    ...warehouse,
    RDS_URL: config.rds.url,
    REPORT_DIR: config.report.dir,
    WORKER_MAX_CONCURRENT_ACTIVITIES: String(concurrency),
  };
}
