import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Client } from 'pg';
import { createActivities } from '../../src/activities';
import { seedSource } from '../../src/seed';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import { createPipelineHarness, workflowBundle, type PipelineHarness } from '../support/pipeline';
import { createLocalWorkflowEnvironment } from '../support/stack';
import { MART_TABLES } from '../../src/activities/sql/mart';

/**
 * The same seeded days loaded through both warehouses must leave the same warehouse and mart and render the
 * same report: PostgreSQL directly, and Redshift through the local Data API endpoint and S3.
 */

const DAYS = ['2024-05-15', '2024-05-16'];
const SEED = {
  seed: 'parity',
  items: 900,
  days: 2,
  startDate: DAYS[0],
  badItemRate: 0.05,
  legacyShare: 0.1,
  catalogueSize: 300,
  staffSize: 5,
};
const SEEDED_AT = new Date('2024-05-17T00:00:00Z');

/** Every table the pipeline fills, but for the audit rows (run ids and timings differ by nature). */
const TABLES: readonly string[] = [
  'dw.search_query',
  'dw.search_keyword',
  'dw.search_library',
  'dw.search_isbn13',
  'dw.user_choice',
  'dw.book_info',
  'dw.quarantine',
  // Every mart table, from the mart's own list, so a table added or replaced there is compared too.
  ...MART_TABLES.map((table) => `mart.${table}`),
];

let env: TestWorkflowEnvironment;
const harnesses: Record<string, PipelineHarness> = {};

beforeAll(async () => {
  env = await createLocalWorkflowEnvironment();
  for (const kind of ['pg', 'redshift-data'] as const) {
    const h = await createPipelineHarness(`parity_${kind.replace('-', '_')}`, {}, { warehouseKind: kind });
    harnesses[kind] = h;
    await seedSource({ table: h.ports.searchTable, rds: h.ports.rds, now: () => SEEDED_AT }, SEED);
    // The catalogue's updated_at is the RDS server's now(): make both sources say the same.
    await h.ports.rds.query(`UPDATE book_info SET updated_at = $1`, [SEEDED_AT.toISOString()]);
  }
});

afterAll(async () => {
  for (const h of Object.values(harnesses)) await h.close();
  await env?.teardown();
});

async function loadDays(h: PipelineHarness): Promise<void> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: h.config.temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities(h.ports, activitySettings(h.config)),
  });
  await worker.runUntil(async () => {
    for (const date of DAYS) {
      const result = await env.client.workflow.execute(dailyReport, {
        args: [{ date, segments: 2, email: 'skip' }],
        taskQueue: h.config.temporal.taskQueue,
        workflowId: `${dailyReportId(date)}-${h.config.temporal.taskQueue}`,
      });
      expect(result.load.outcome).toBe('loaded');
    }
  });
}

/** A table's rows as PostgreSQL's text of each row, sorted: read from the warehouse database directly. */
async function tableText(h: PipelineHarness, table: string): Promise<string[]> {
  const client = new Client({ connectionString: h.warehouseDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t ORDER BY 1`);
    return rows.map((r) => r.row);
  } finally {
    await client.end();
  }
}

describe('the same days through PostgreSQL and through the Redshift Data API', () => {
  beforeAll(async () => {
    await loadDays(harnesses.pg!);
    await loadDays(harnesses['redshift-data']!);
  });

  it.each(TABLES)('%s holds the same rows', async (table) => {
    const [pg, redshift] = await Promise.all([
      tableText(harnesses.pg!, table),
      tableText(harnesses['redshift-data']!, table),
    ]);
    expect(pg.length).toBeGreaterThan(0);
    expect(redshift).toEqual(pg);
  });

  it.each(DAYS)('the report of %s reads the same', (date) => {
    const read = (h: PipelineHarness) => readFileSync(path.join(h.reportDir, `${date}.html`), 'utf8');
    expect(read(harnesses['redshift-data']!)).toEqual(read(harnesses.pg!));
  });
});
