import { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { zeroCounts, type SegmentResult } from '../../src/activities/extract';
import { createLoadActivities, type LoadSummary } from '../../src/activities/load';
import { DAY_KINDS, DAY_TABLES } from '../../src/activities/sql/dayTables';
import { STAGE_COLUMNS, stagingTables } from '../../src/activities/sql/staging';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';
import { ensureRdsSchema, pgRds } from '../../src/adapters/rds/pgRds';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { MissingResourceError, ReconciliationError } from '../../src/errors';
import { freshDatabase, type TestDatabase } from '../support/databases';

const DAY = '2024-05-16';
const OTHER_DAY = '2024-05-17';

let db: TestDatabase;
let pool: Pool;
let warehouse: Warehouse;
const env = new MockActivityEnvironment();

beforeAll(async () => {
  db = await freshDatabase('load');
  pool = createPgPool(db.url);
  warehouse = pgWarehouse(pool);
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

const activities = () => createLoadActivities({ warehouse, rds: pgRds(pool), timeZone: 'Asia/Seoul' });

/** Prepares a run of `date` and stages `queries` searches of one keyword each, as scanSegment would. */
async function stagedRun(date: string, runId: string, queryIds: readonly string[]) {
  const { runKey } = (await env.run(activities().prepareRun, {
    date,
    workflowId: `daily-report-${date}`,
    runId,
  })) as { runKey: string };
  const t = stagingTables(runKey);
  await warehouse.transaction(async (tx) => {
    await tx.copyIn(
      t.queries,
      STAGE_COLUMNS.queries,
      queryIds.map((id) => [id, null, 1, 0, 0, false]),
    );
    await tx.copyIn(
      t.keywords,
      STAGE_COLUMNS.keywords,
      queryIds.map((id) => [id, 0, `keyword of ${id}`]),
    );
  });
  const segment: SegmentResult = {
    ...zeroCounts(),
    itemsSeen: queryIds.length,
    elementsSeen: queryIds.length,
    queries: queryIds.length,
    keywords: queryIds.length,
    segment: 0,
    pages: 1,
    resumedAfterPage: 0,
    throttled: 0,
    durationMs: 1,
  };
  return {
    runKey,
    input: {
      date,
      runKey,
      runId,
      startedAt: new Date().toISOString(),
      segments: [segment],
      rds: { choices: 0, books: 0 },
    },
  };
}

async function keywordsOf(date: string): Promise<string[]> {
  const rows = await warehouse.query<{ keyword: string }>(
    'SELECT keyword FROM dw.search_keyword WHERE query_date = $1 ORDER BY keyword',
    [date],
  );
  return rows.map((r) => r.keyword);
}

async function partitionsOf(table: string): Promise<string[]> {
  const rows = await warehouse.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = CAST($1 AS regclass) ORDER BY c.relname`,
    [`dw.${table}`],
  );
  return rows.map((r) => r.name);
}

describe('the warehouse schema on PostgreSQL', () => {
  it('turns day tables made before partitioning into partitioned ones, keeping every row under its day', async () => {
    const old = await freshDatabase('load_migrate');
    const oldPool = createPgPool(old.url);
    try {
      const oldWarehouse = pgWarehouse(oldPool);
      await oldWarehouse.query('CREATE SCHEMA dw');
      for (const kind of DAY_KINDS) {
        await oldWarehouse.query(
          `CREATE TABLE dw.${DAY_TABLES[kind].table} (${DAY_TABLES[kind].definition})`,
        );
      }
      await oldWarehouse.query(
        `INSERT INTO dw.search_keyword (query_id, query_date, position, keyword)
         VALUES ('a', '2024-05-01', 0, 'one'), ('b', '2024-05-02', 0, 'two'), ('c', '2024-05-02', 1, 'three')`,
      );

      const load = createLoadActivities({
        warehouse: oldWarehouse,
        rds: pgRds(oldPool),
        timeZone: 'Asia/Seoul',
      });
      // prepareRun, a quick step, leaves the migration to its own heartbeating step.
      await expect(
        env.run(load.prepareRun, { date: DAY, workflowId: 'daily-report-x', runId: 'r' }),
      ).rejects.toBeInstanceOf(MissingResourceError);
      const migrating = new MockActivityEnvironment({ heartbeatTimeoutMs: 3000 });
      let heartbeats = 0;
      migrating.on('heartbeat', () => heartbeats++);
      await migrating.run(load.migrateWarehouse);
      expect(heartbeats).toBeGreaterThan(0);
      await ensureWarehouseSchema(oldWarehouse); // a second worker preparing later changes nothing

      const kinds = await oldWarehouse.query<{ relname: string; relkind: string }>(
        `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'dw' AND c.relname LIKE 'search_keyword%' ORDER BY c.relname`,
      );
      expect(kinds).toEqual([
        { relname: 'search_keyword', relkind: 'p' },
        { relname: 'search_keyword_20240501', relkind: 'r' },
        { relname: 'search_keyword_20240502', relkind: 'r' },
        { relname: 'search_keyword_default', relkind: 'r' },
      ]);
      const rows = await oldWarehouse.query(
        'SELECT query_id, CAST(query_date AS VARCHAR) AS day, keyword FROM dw.search_keyword ORDER BY query_id',
      );
      expect(rows).toEqual([
        { query_id: 'a', day: '2024-05-01', keyword: 'one' },
        { query_id: 'b', day: '2024-05-02', keyword: 'two' },
        { query_id: 'c', day: '2024-05-02', keyword: 'three' },
      ]);
    } finally {
      await oldPool.end();
      await old.drop();
    }
  });
});

describe('loadDay on PostgreSQL', () => {
  it('attaches the staged day as its partition, and a re-run replaces that partition whole', async () => {
    const first = await stagedRun(DAY, 'run-1', ['q1', 'q2']);
    await env.run(activities().loadDay, first.input);
    expect(await keywordsOf(DAY)).toEqual(['keyword of q1', 'keyword of q2']);
    expect(await partitionsOf('search_keyword')).toContain('search_keyword_20240516');

    const other = await stagedRun(OTHER_DAY, 'run-2', ['q9']);
    await env.run(activities().loadDay, other.input);

    const rerun = await stagedRun(DAY, 'run-3', ['q3']);
    const summary = (await env.run(activities().loadDay, rerun.input)) as LoadSummary;
    expect(summary.outcome).toBe('loaded');
    expect(await keywordsOf(DAY)).toEqual(['keyword of q3']);
    expect(await keywordsOf(OTHER_DAY)).toEqual(['keyword of q9']);
    // The staged tables became partitions: nothing of them is left in staging.
    const left = await warehouse.query('SELECT to_regclass($1) AS t', [stagingTables(rerun.runKey).keywords]);
    expect(left).toEqual([{ t: null }]);
  });

  it('returns the committed result when retried after its commit, without loading again', async () => {
    const run = await stagedRun(DAY, 'run-4', ['q4', 'q5']);
    const summary = await env.run(activities().loadDay, run.input);
    const retried = await env.run(activities().loadDay, run.input);
    expect(retried).toEqual(summary);
    expect(await keywordsOf(DAY)).toEqual(['keyword of q4', 'keyword of q5']);
  });

  it('moves rows another writer put in the DEFAULT partition for the day out of the way', async () => {
    await warehouse.query(
      `INSERT INTO dw.search_keyword (query_id, query_date, position, keyword) VALUES ('hand', $1, 0, 'typed by hand')`,
      ['2024-05-20'],
    );
    const run = await stagedRun('2024-05-20', 'run-5', ['q6']);
    await env.run(activities().loadDay, run.input);
    expect(await keywordsOf('2024-05-20')).toEqual(['keyword of q6']);
  });

  it("leaves the planner's statistics on the day's new partitions, so the mart's joins are planned from real counts", async () => {
    const run = await stagedRun('2024-05-21', 'run-7', ['q1', 'q2', 'q3']);
    await env.run(activities().loadDay, run.input);
    // reltuples is -1 until a table is analysed: then the planner guesses, and guessed 0.5 % of each day table.
    const rows = await warehouse.query<{ relname: string; reltuples: number }>(
      "SELECT relname, reltuples FROM pg_class WHERE relname LIKE 'search%20240521' ORDER BY relname",
    );
    expect(rows.map((r) => [r.relname, Number(r.reltuples)])).toEqual([
      ['search_isbn13_20240521', 0],
      ['search_keyword_20240521', 3],
      ['search_library_20240521', 0],
      ['search_query_20240521', 3],
    ]);
  });

  it("gathers the day tables' own statistics once, without analysing the days already loaded on every load", async () => {
    await env.run(activities().loadDay, (await stagedRun('2024-05-22', 'run-8', ['q1'])).input);
    const inherited = await warehouse.query(
      "SELECT 1 FROM pg_stats WHERE schemaname = 'dw' AND tablename = 'search_query' AND inherited",
    );
    expect(inherited.length).toBeGreaterThan(0);
    // Rows the planner has not been told of: only an ANALYZE of that partition would count them.
    await warehouse.query(
      `INSERT INTO dw.search_query_20240522 (query_id, query_date, keyword_count, library_count, result_count, succeeded)
       VALUES ('q8', '2024-05-22', 1, 0, 0, false), ('q9', '2024-05-22', 1, 0, 0, false)`,
    );
    await env.run(activities().loadDay, (await stagedRun('2024-05-23', 'run-9', ['q2'])).input);
    const [row] = await warehouse.query<{ reltuples: number }>(
      "SELECT reltuples FROM pg_class WHERE relname = 'search_query_20240522'",
    );
    expect(Number(row!.reltuples)).toBe(1);
  });

  it('keeps the previous version of the day when the new one does not reconcile', async () => {
    const run = await stagedRun(DAY, 'run-6', ['q7']);
    const claimsMore = { ...run.input, segments: [{ ...run.input.segments[0]!, itemsSeen: 2 }] };
    await expect(env.run(activities().loadDay, claimsMore)).rejects.toBeInstanceOf(ReconciliationError);
    expect(await keywordsOf(DAY)).toEqual(['keyword of q4', 'keyword of q5']);
    const audit = await warehouse.query<{ outcome: string }>(
      'SELECT outcome FROM dw.load_audit WHERE run_id = $1',
      ['run-6'],
    );
    expect(audit).toEqual([{ outcome: 'reconciliation_failed' }]);
  });

  it('refuses a day holding a query id twice, and counts ids that differ only in case or accents apart', async () => {
    const day = '2024-05-24';
    const twice = await stagedRun(day, 'run-twice', ['q9', 'q9']);
    await expect(env.run(activities().loadDay, twice.input)).rejects.toThrow(/distinct query ids/);

    // The count compares bytes (COLLATE "C"): these are three different searches.
    const alike = await stagedRun(day, 'run-alike', ['qé', 'Qé', 'qe']);
    const summary = (await env.run(activities().loadDay, alike.input)) as { mismatches: string[] };
    expect(summary.mismatches).toEqual([]);
    expect((await keywordsOf(day)).sort()).toEqual(['keyword of Qé', 'keyword of qe', 'keyword of qé']);
  });
});

describe('extractRds', () => {
  it("stages the day's choices in Asia/Seoul, page after page, each instant exactly as the database holds it", async () => {
    const rds = pgRds(pool);
    await ensureRdsSchema(rds);
    await rds.query('TRUNCATE user_choice');
    // 10,050 choices spread over the Seoul day (a page is 10,000 rows), microseconds and offsets included,
    // plus one on each side of the day's edges.
    await rds.query(
      `INSERT INTO user_choice (user_id, query_id, isbn13, chosen_at)
       SELECT 'u' || n, 'q' || n, '9791163030645',
              TIMESTAMPTZ '2024-05-16 00:00:00+09' + n * INTERVAL '8 seconds' + n * INTERVAL '0.0001234 seconds'
       FROM generate_series(0, 10049) AS n`,
    );
    await rds.query(
      `INSERT INTO user_choice (user_id, query_id, isbn13, chosen_at) VALUES
         ('edge', 'before', '9791163030645', TIMESTAMPTZ '2024-05-15 23:59:59.999999+09'),
         ('edge', 'after', '9791163030645', TIMESTAMPTZ '2024-05-17 00:00:00+09')`,
    );
    const { runKey } = (await env.run(activities().prepareRun, {
      date: DAY,
      workflowId: `daily-report-${DAY}`,
      runId: 'extract-rds',
    })) as { runKey: string };

    // The RDS session runs in Seoul time: the instants staged must not depend on it.
    const seoulPool = createPgPool(db.url, { options: '-c TimeZone=Asia/Seoul' });
    const counts = (await env
      .run(createLoadActivities({ warehouse, rds: pgRds(seoulPool), timeZone: 'Asia/Seoul' }).extractRds, {
        date: DAY,
        runKey,
      })
      .finally(() => seoulPool.end())) as { choices: number };

    expect(counts.choices).toBe(10_050);
    const staged = await warehouse.query<{ id: string; chosen_at: Date; choice_date: string }>(
      `SELECT id, chosen_at, choice_date FROM ${stagingTables(runKey).choices} ORDER BY id`,
    );
    const source = await rds.query<{ id: string; chosen_at: Date }>(
      `SELECT id, chosen_at FROM user_choice WHERE query_id <> 'before' AND query_id <> 'after' ORDER BY id`,
    );
    expect(staged.map((r) => [r.id, r.chosen_at.toISOString(), r.choice_date])).toEqual(
      source.map((r) => [r.id, r.chosen_at.toISOString(), DAY]),
    );
  });
});
