import { DescribeStatementCommand, ListStatementsCommand } from '@aws-sdk/client-redshift-data';
import { formatDailySummary } from '../../src/cli/formatSummary';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { SearchTable } from '../../src/adapters/dynamo/port';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { createActivities } from '../../src/activities';
import { SEGMENT_KINDS } from '../../src/activities/sql/staging';
import { activitySettings } from '../../src/worker/ports';
import { dailyReport, dailyReportId } from '../../src/workflows/dailyReport';
import {
  createPipelineHarness,
  WAREHOUSE_KINDS,
  workflowBundle,
  type PipelineHarness,
} from '../support/pipeline';
import { dayFixture } from '../support/searchItems';
import { createLocalWorkflowEnvironment } from '../support/stack';

const DAY = '2024-05-16';
const OTHER_DAY = '2024-05-17';

/**
 * A checksum of everything the warehouse holds for the day, to prove a re-run changes nothing. Read straight
 * from the warehouse database with PostgreSQL's own functions: it checks the product, it is not part of it.
 */
async function dayFingerprint(inspect: Warehouse, date: string): Promise<Record<string, string>> {
  const tables = {
    search_query: 'query_id, query_date, searched_at, keyword_count, library_count, result_count, succeeded',
    search_keyword: 'query_id, position, keyword',
    search_library: 'query_id, position, library',
    search_isbn13: 'query_id, position, isbn13',
  };
  const out: Record<string, string> = {};
  for (const [table, columns] of Object.entries(tables)) {
    const [row] = await inspect.query<{ n: string; digest: string }>(
      `SELECT COUNT(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
       FROM (SELECT ${columns} FROM dw.${table} WHERE query_date = $1) t`,
      [date],
    );
    out[table] = `${row!.n}:${row!.digest}`;
  }
  return out;
}

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createLocalWorkflowEnvironment();
});

afterAll(async () => {
  await env?.teardown();
});

describe.each(WAREHOUSE_KINDS)(
  'dailyReport on the %s warehouse: extract → explode → staged atomic load',
  (kind) => {
    let h: PipelineHarness;
    /** The warehouse database read directly, for checks in PostgreSQL's own SQL. */
    let inspect: Warehouse;
    const day = dayFixture(DAY, 240);
    const other = dayFixture(OTHER_DAY, 60);
    const bad = [
      {
        query_id: { S: 'bad-no-date' },
        user_search: { L: [{ S: 'x' }] },
        selected_lib: { L: [] },
        isbn13_list: { L: [] },
      },
      {
        query_id: { S: 'bad-date-text' },
        query_date: { S: '2024-5-16' },
        user_search: { L: [{ S: 'x' }] },
        selected_lib: { L: [] },
        isbn13_list: { L: [] },
      },
      {
        query_id: { S: 'bad-list' },
        query_date: { S: DAY },
        user_search: { S: 'python' },
        selected_lib: { L: [] },
        isbn13_list: { L: [] },
      },
      {
        query_id: { S: 'bad-elements' },
        query_date: { S: DAY },
        user_search: { L: [{ S: 'ok' }, { N: '1' }, { S: 'ok' }] },
        selected_lib: { L: [{ S: '노원' }] },
        isbn13_list: { L: [{ S: '123' }] },
      },
    ];

    async function run(searchTable: SearchTable = h.ports.searchTable, options = {}) {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: h.config.temporal.taskQueue,
        workflowBundle: await workflowBundle(),
        activities: createActivities({ ...h.ports, searchTable }, activitySettings(h.config)),
      });
      return worker.runUntil(
        env.client.workflow.execute(dailyReport, {
          args: [{ date: DAY, segments: 3, pageLimit: 20, ...options }],
          taskQueue: h.config.temporal.taskQueue,
          workflowId: dailyReportId(DAY),
        }),
      );
    }

    beforeAll(async () => {
      h = await createPipelineHarness(`daily_${kind.replace('-', '_')}`, {}, { warehouseKind: kind });
      inspect = pgWarehouse(createPgPool(h.warehouseDb.url));
      await h.putItems([...day.items, ...other.items, ...(bad as never[])]);
    });

    afterAll(async () => {
      await inspect?.close();
      await h?.close();
    });

    afterEach(async () => {
      // Whatever the test did, no statement sent to the Redshift endpoint failed: none was refused by its
      // dialect gate (a PostgreSQL-only construct), and none failed on Redshift's semantics.
      if (!h.redshift) return;
      const client = h.redshift.dataClient();
      const failed = await client.send(new ListStatementsCommand({ Status: 'FAILED', MaxResults: 100 }));
      const errors = await Promise.all(
        (failed.Statements ?? []).map(async (s) => {
          const described = await client.send(new DescribeStatementCommand({ Id: s.Id }));
          return { sql: s.QueryString, error: described.Error };
        }),
      );
      expect(
        errors.filter((e) => /does not support|not implemented by the local Redshift/.test(e.error ?? '')),
      ).toEqual([]);
    });

    it('loads a seeded day with exact counts per table and reconciles', async () => {
      const result = await run();
      const load = result.load;
      expect(load.outcome).toBe('loaded');
      expect(load.mismatches).toEqual([]);
      // The day's good items, plus the bad-elements item whose good parts load.
      expect(load.tables.search_query).toBe(day.queries + 1);
      expect(load.tables.search_keyword).toBe(day.keywords + 1);
      expect(load.tables.search_library).toBe(day.libraries + 1);
      expect(load.tables.search_isbn13).toBe(day.isbns);
      // Three whole items (no date, a date that is no YYYY-MM-DD, a string list) and three elements
      // (number, duplicate, bad ISBN).
      expect(load.quarantined).toEqual({
        items: 3,
        elements: 3,
        byReason: {
          duplicate_element: 1,
          element_not_string: 1,
          invalid_attribute_type: 1,
          invalid_isbn13: 1,
          invalid_query_date: 1,
          missing_query_date: 1,
        },
      });
      expect(load.source.items).toBe(day.queries + 4);
      expect(load.segments.count).toBe(3);
      // The adapters counted what the day cost the warehouse: the pages' COPYs, the RDS copy, the day replace.
      if (kind === 'pg') {
        expect(load.warehouse.copies).toBeGreaterThanOrEqual(load.segments.pages);
      } else {
        // Pages are staged in S3 and COPYed once per segment: at most one COPY per staging table a segment
        // writes, plus the two RDS copies, however many pages the day took.
        expect(load.segments.pages).toBeGreaterThan(load.segments.count * SEGMENT_KINDS.length);
        expect(load.warehouse.copies).toBeLessThanOrEqual(load.segments.count * SEGMENT_KINDS.length + 2);
      }
      expect(load.warehouse.statements).toBeGreaterThan(load.warehouse.copies);
      expect(formatDailySummary(result)).toContain(
        `warehouse     ${load.warehouse.statements.toLocaleString('en-US')} statements, ${load.warehouse.copies.toLocaleString('en-US')} COPY calls`,
      );
      process.stdout.write(
        `[counts] ${kind}: ${load.segments.pages} pages, ${load.warehouse.statements} statements, ${load.warehouse.copies} COPYs\n`,
      );
      // Nothing of the other day leaks in.
      const [other] = await inspect.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.search_query WHERE query_date <> $1`,
        [DAY],
      );
      expect(Number(other!.n)).toBe(0);
      // Hostile text round-trips exactly.
      const keywords = await inspect.query<{ keyword: string }>(
        `SELECT DISTINCT keyword FROM dw.search_keyword ORDER BY keyword`,
      );
      expect(keywords.map((k) => k.keyword)).toEqual(
        expect.arrayContaining([
          'say "hi", ok',
          'tab\there',
          'line\nbreak',
          'back\\slash',
          '😀 이모지',
          '<b>html</b>',
        ]),
      );
      const audit = await inspect.query<{ outcome: string }>(
        `SELECT outcome FROM dw.load_audit WHERE query_date = $1`,
        [DAY],
      );
      expect(audit.map((a) => a.outcome)).toEqual(['loaded']);
      // Staging is gone once the run finishes.
      const staged = await inspect.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'dw_stage' AND table_name <> 'runs'`,
      );
      expect(staged).toEqual([]);
    });

    it('replaces the day on a second run instead of appending', async () => {
      const before = await dayFingerprint(inspect, DAY);
      const [quarantineBefore] = await inspect.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM dw.quarantine`,
      );
      const result = await run();
      expect(result.load.outcome).toBe('loaded');
      expect(await dayFingerprint(inspect, DAY)).toEqual(before);
      const [quarantineAfter] = await inspect.query<{ n: string }>(`SELECT COUNT(*) AS n FROM dw.quarantine`);
      expect(quarantineAfter!.n).toBe(quarantineBefore!.n);
    });

    it('backs off and goes on when DynamoDB throttles', async () => {
      let calls = 0;
      const throttling: SearchTable = {
        ...h.ports.searchTable,
        async scanPage(request) {
          calls++;
          if (calls % 3 === 0) {
            const error = new Error('Rate of requests exceeds the allowed throughput');
            error.name = 'ProvisionedThroughputExceededException';
            throw error;
          }
          return h.ports.searchTable.scanPage(request);
        },
      };
      const before = await dayFingerprint(inspect, DAY);
      const result = await run(throttling);
      expect(result.load.segments.throttled).toBeGreaterThan(0);
      expect(await dayFingerprint(inspect, DAY)).toEqual(before);
    });

    it('refuses an invalid date before anything starts', async () => {
      await expect(run(h.ports.searchTable, { date: '2024-13-01' })).rejects.toThrow(
        /workflow execution failed/i,
      );
    });
  },
);
