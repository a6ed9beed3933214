import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Pool } from 'pg';
import type { Config } from '../src/config/config';
import { REPO_ROOT } from './benchEnv';
import {
  STRAIGHTFORWARD_DDL,
  type StraightforwardInput,
  type StraightforwardResult,
} from './straightforwardPipeline';
import { childOutput } from './childOutput';

/** What the bench records of one run of the straightforward pipeline. */
export interface StraightforwardFigures extends StraightforwardResult {
  /** The child process's whole life, Node's start-up and imports included. */
  readonly processMs: number;
}

/**
 * A user's pipeline holds the whole day in memory (3.6 GB at 1M items when this was written): give it a heap
 * that fits, as its author would after the first out-of-memory crash.
 */
const HEAP_MB = 8192;

/** Creates the pipeline's own tables (once per size, untimed) and empties them. */
export async function prepareStraightforward(pool: Pool): Promise<void> {
  for (const statement of STRAIGHTFORWARD_DDL) await pool.query(statement);
  await emptyStraightforward(pool);
}

/** Empties the tables, so the next run loads into empty tables as libreport's runs do. */
export async function emptyStraightforward(pool: Pool): Promise<void> {
  await pool.query(
    'TRUNCATE simple.search_query, simple.search_keyword, simple.search_library, simple.search_isbn13, simple.user_choice, simple.book_info',
  );
}

/** Runs `straightforwardPipeline.ts` as its own process on the bench's day and returns what it measured. */
export async function runStraightforward(
  config: Config,
  date: string,
  segments: number,
  onStart: (pid: number) => void = () => {},
): Promise<StraightforwardFigures> {
  if (config.warehouse.kind !== 'pg') throw new Error('the benchmark runs against the PostgreSQL warehouse');
  const input: StraightforwardInput = {
    dynamoEndpoint: config.dynamo.endpoint!,
    region: config.aws.region,
    table: config.dynamo.table,
    date,
    segments,
    warehouseUrl: config.warehouse.url,
    rdsUrl: config.rds.url,
    timeZone: config.report.timeZone,
  };
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--import',
      path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs'),
      path.join(REPO_ROOT, 'bench', 'straightforwardPipeline.ts'),
      JSON.stringify(input),
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  onStart(child.pid!);
  const { code, stdout, stderr } = await childOutput(child);
  const processMs = performance.now() - started;
  if (code !== 0) throw new Error(`the straightforward pipeline exited with ${code}: ${stderr.trim()}`);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as StraightforwardResult;
  return { ...result, processMs };
}
