/**
 * The scan segment's loop without Temporal: how long the benchmark day takes to scan, explode and (unless
 * WRITE=0) COPY page by page with a checkpoint per page, and where each segment's time goes. It separates
 * what the machine can do from what orchestration adds. Needs the benchmark stand-ins
 * (`npm run bench -- --keep-stack` leaves them running).
 *
 *   SEG=4 WRITE=1 TABLE=bench_1000000 node --import ./node_modules/tsx/dist/loader.mjs bench/segmentLoopProbe.ts
 */
import { ExplodedBatch } from '../src/activities/explode';
import { zeroCounts } from '../src/activities/extract';
import { commitPage } from '../src/activities/segmentSinks';
import { createStagingTables, dropStagingTables, stagingTables } from '../src/activities/sql/staging';
import { createDynamoClient, dynamoSearchTable } from '../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem } from '../src/adapters/dynamo/port';
import { createPgPool, pgWarehouse } from '../src/adapters/warehouse/pgWarehouse';
import { BENCH_DYNAMO_ENDPOINT } from './benchEnv';

const DAY = '2024-05-16';
const segments = Number(process.env.SEG ?? 4);
const write = process.env.WRITE !== '0';
const settings = {
  endpoint: BENCH_DYNAMO_ENDPOINT,
  region: 'us-east-1',
  table: process.env.TABLE ?? 'bench_1000000',
};
const warehouseUrl = process.env.WAREHOUSE_URL ?? 'postgres://postgres@127.0.0.1:5432/libreport_bench_dw';

async function main(): Promise<void> {
  const table = dynamoSearchTable(createDynamoClient(settings), settings);
  const pool = createPgPool(warehouseUrl);
  const warehouse = pgWarehouse(pool);
  const tables = stagingTables('r20240516_segmentprobe');
  await warehouse.query('CREATE SCHEMA IF NOT EXISTS dw_stage');
  for (const sql of dropStagingTables(tables)) await warehouse.query(sql);
  for (const sql of createStagingTables(tables, 'postgres')) await warehouse.query(sql);
  const msIn = { fetch: 0, explode: 0, write: 0 };
  const cpu = process.cpuUsage();
  const started = performance.now();
  let items = 0;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let lastKey: RawItem | undefined;
      let page = 0;
      do {
        const a = performance.now();
        const result = await table.scanPage({
          segment,
          totalSegments: segments,
          queryDate: DAY,
          startKey: lastKey,
        });
        const b = performance.now();
        const batch = new ExplodedBatch(() => warehouse.encoder());
        for (const item of result.items) batch.add(item, DAY);
        items += result.items.length;
        lastKey = result.lastEvaluatedKey;
        page++;
        const c = performance.now();
        if (write) {
          await commitPage(warehouse, tables, segment, batch, { page, lastKey, counts: zeroCounts() });
        }
        msIn.fetch += b - a;
        msIn.explode += c - b;
        msIn.write += performance.now() - c;
      } while (lastKey);
    }),
  );
  const used = process.cpuUsage(cpu);
  const perSegment = (ms: number) => `${(ms / segments / 1000).toFixed(1)} s`;
  console.log(
    `${items} items, ${segments} segments, ${write ? 'with' : 'without'} COPY: ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `probe CPU ${((used.user + used.system) / 1e6).toFixed(1)} s; per segment: fetch ${perSegment(msIn.fetch)}, ` +
      `explode ${perSegment(msIn.explode)}, COPY+checkpoint ${perSegment(msIn.write)}`,
  );
  for (const sql of dropStagingTables(tables)) await warehouse.query(sql);
  await pool.end();
}

void main();
