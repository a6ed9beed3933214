import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Rds } from '../adapters/rds/port';
import type { EncodedRows } from '../adapters/warehouse/encodedRows';
import {
  addStatementCounts,
  countWarehouseWork,
  noStatements,
  statementsSoFar,
  type StatementCounts,
} from '../adapters/warehouse/statementCounts';
import type { CopyValue, EncodedPages, SqlRunner, SqlValue, Warehouse } from '../adapters/warehouse/port';
import { addDays, startOfDayInZone } from '../domain/reportDate';
import { ReconciliationError } from '../errors';
import type { SegmentCounts, SegmentResult } from './extract';
import { zeroCounts } from './extract';
import { analyzeStagedDay, freezeStagedDay } from './sql/partitions';
import { heartbeatIntervalMs, whileHeartbeating } from './heartbeat';
import { createWarehouseSchema, ensureWarehouseSchema } from './warehouseSchema';
import {
  bookWatermark,
  insertAudit,
  loadedCountsQuery,
  replaceDayStatements,
  selectLoadedAudit,
} from './sql/load';
import {
  createRunRegistry,
  createStagingTables,
  dropStagingTables,
  STAGE_COLUMNS,
  STAGE_SCHEMA,
  stagingTables,
} from './sql/staging';

export interface PrepareRunInput {
  readonly date: string;
  readonly workflowId: string;
  readonly runId: string;
}

export interface ExtractRdsInput {
  readonly date: string;
  readonly runKey: string;
}

export interface RdsCounts {
  readonly choices: number;
  readonly books: number;
  /** What copying from RDS cost the warehouse. */
  readonly warehouse?: StatementCounts;
}

export interface LoadDayInput {
  readonly date: string;
  readonly runKey: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly segments: readonly SegmentResult[];
  readonly rds: RdsCounts;
}

/** The day's load summary: the workflow's result and the `dw.load_audit` row. */
export interface LoadSummary {
  readonly date: string;
  readonly runId: string;
  readonly outcome: 'loaded' | 'reconciliation_failed';
  readonly source: {
    readonly items: number;
    readonly elements: number;
    readonly choices: number;
    readonly books: number;
  };
  readonly tables: {
    readonly search_query: number;
    readonly search_keyword: number;
    readonly search_library: number;
    readonly search_isbn13: number;
    readonly user_choice: number;
    readonly book_info_changed: number;
  };
  readonly quarantined: {
    readonly items: number;
    readonly elements: number;
    readonly byReason: Record<string, number>;
  };
  readonly segments: {
    readonly count: number;
    readonly pages: number;
    readonly resumed: number;
    readonly throttled: number;
  };
  /**
   * Statements and COPYs the day's load sent the warehouse: scan pages (each segment's last attempt), the RDS
   * copy and the day replace. The mart and report read afterwards are not included.
   */
  readonly warehouse: StatementCounts;
  readonly mismatches: string[];
  readonly durationMs: number;
}

/** Staging tables of runs older than this were abandoned (a terminated workflow, a lost worker). */
const ABANDONED_AFTER_MS = 24 * 60 * 60_000;
/** Rows per RDS page: large enough to keep round trips few, small enough to keep memory flat. */
const RDS_PAGE_ROWS = 10_000;

export function createLoadActivities(deps: { warehouse: Warehouse; rds: Rds; timeZone: string }) {
  const { warehouse, rds, timeZone } = deps;

  /**
   * Creates the warehouse schema where missing and migrates what older versions made (the one-off partition
   * migration can take long on a big warehouse: a timer heartbeats meanwhile). Runs before `prepareRun`.
   */
  async function migrateWarehouse(): Promise<void> {
    await whileHeartbeating(() => ensureWarehouseSchema(warehouse));
  }

  /** This run's staging tables (and any missing schema, migrating nothing), and drops abandoned ones. */
  async function prepareRun(input: PrepareRunInput): Promise<{ runKey: string }> {
    await createWarehouseSchema(warehouse);
    await warehouse.query(createRunRegistry);
    await dropAbandonedRuns();

    const digest = createHash('sha256')
      .update(`${input.workflowId}/${input.runId}`)
      .digest('hex')
      .slice(0, 12);
    const runKey = `r${input.date.replace(/-/g, '')}_${digest}`;
    const tables = stagingTables(runKey);
    const registered = await warehouse.query(`SELECT run_key FROM ${STAGE_SCHEMA}.runs WHERE run_key = $1`, [
      runKey,
    ]);
    if (registered.length === 0) {
      // A retried prepareRun may find some tables made: drop and remake them so the run starts clean.
      for (const statement of dropStagingTables(tables)) await warehouse.query(statement);
      for (const statement of createStagingTables(tables, warehouse.dialect))
        await warehouse.query(statement);
      await warehouse.query(
        `INSERT INTO ${STAGE_SCHEMA}.runs (run_key, run_id, query_date, created_at) VALUES ($1, $2, $3, $4)`,
        [runKey, input.runId, input.date, new Date().toISOString()],
      );
    }
    return { runKey };
  }

  async function dropAbandonedRuns(): Promise<void> {
    const cutoff = new Date(Date.now() - ABANDONED_AFTER_MS).toISOString();
    const old = await warehouse.query<{ run_key: string }>(
      `SELECT run_key FROM ${STAGE_SCHEMA}.runs WHERE created_at < $1`,
      [cutoff],
    );
    for (const { run_key } of old) await dropStaging({ runKey: run_key });
  }

  /** Drops a run's staging tables (finished or abandoned). Safe to repeat. */
  async function dropStaging(input: { runKey: string }): Promise<void> {
    for (const statement of dropStagingTables(stagingTables(input.runKey))) await warehouse.query(statement);
    await warehouse.query(`DELETE FROM ${STAGE_SCHEMA}.runs WHERE run_key = $1`, [input.runKey]);
  }

  /**
   * Copies the day's user choices and the catalogue's changes from RDS into staging, page by page. It
   * heartbeats every page and stops at the next page once cancelled (a sibling scan failed): the COPY is
   * cancelled with it, and nothing of the attempt stays in staging.
   */
  async function extractRds(input: ExtractRdsInput): Promise<RdsCounts> {
    const context = Context.current();
    const onPage = () => {
      context.heartbeat();
      context.cancellationSignal.throwIfAborted();
    };
    const tables = stagingTables(input.runKey);
    await warehouse.query(`DELETE FROM ${tables.choices}`);
    await warehouse.query(`DELETE FROM ${tables.books}`);

    const from = startOfDayInZone(input.date, timeZone).toISOString();
    const to = startOfDayInZone(addDays(input.date, 1), timeZone).toISOString();
    const choices = await warehouse.copyIn(
      tables.choices,
      STAGE_COLUMNS.choices,
      pageByKey<ChoiceRow>(
        warehouse,
        (after) =>
          rds.query<ChoiceRow>(
            // chosen_at as UTC ISO text, written by the database: half a million Date objects a day cost the
            // worker more than the rest of the RDS copy. (to_char truncates to milliseconds, as a Date does.)
            `SELECT id, user_id, query_id, isbn13,
                    to_char(chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS chosen_at
             FROM user_choice
             WHERE chosen_at >= $1 AND chosen_at < $2 AND id > $3 ORDER BY id LIMIT ${RDS_PAGE_ROWS}`,
            [from, to, after ?? 0],
          ),
        (row) => row.id,
        (row) => [row.id, row.user_id, row.query_id, row.isbn13, row.chosen_at, input.date],
        onPage,
      ),
    );

    const [{ watermark } = { watermark: null }] = await warehouse.query<{ watermark: unknown }>(
      bookWatermark,
    );
    const since = watermark ? String(watermark) : '1970-01-01T00:00:00.000Z';
    const books = await warehouse.copyIn(
      tables.books,
      STAGE_COLUMNS.books,
      pageByKey<BookRow>(
        warehouse,
        (after) =>
          rds.query<BookRow>(
            // updated_at as text keeps its microseconds, so the watermark comparison is exact.
            `SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url,
                    CAST(updated_at AS VARCHAR) AS updated_at FROM book_info
             WHERE updated_at > $1 AND isbn13 > $2 ORDER BY isbn13 LIMIT ${RDS_PAGE_ROWS}`,
            [since, after ?? ''],
          ),
        (row) => row.isbn13,
        (row) => [
          row.isbn13,
          row.bookname,
          row.authors,
          row.publisher,
          row.class_no,
          row.reg_date === null ? null : toDate(row.reg_date),
          row.book_image_url,
          String(row.updated_at),
        ],
        onPage,
      ),
    );
    return { choices, books };
  }

  /**
   * Replaces the day in every target in one transaction, then reconciles what the scan saw against what
   * landed. A mismatch rolls the load back (the previous version of the day stays) and fails the run.
   */
  async function loadDay(input: LoadDayInput): Promise<LoadSummary> {
    const tables = stagingTables(input.runKey);
    // A retry after a commit whose acknowledgement was lost finds its staged day already attached (moved
    // away on PostgreSQL): the audit row written in that commit is the load's result.
    const [done] = await warehouse.query<{ summary: string }>(selectLoadedAudit, [input.runId, input.date]);
    // (Audit rows written before statements were counted have no counts: they read as zero.)
    if (done) {
      const stored = JSON.parse(done.summary) as Partial<LoadSummary> & Omit<LoadSummary, 'warehouse'>;
      return { ...stored, warehouse: stored.warehouse ?? noStatements() };
    }

    const seen = input.segments.reduce<SegmentCounts>((sum, s) => {
      for (const key of Object.keys(sum) as (keyof SegmentCounts)[]) sum[key] += s[key] ?? 0;
      return sum;
    }, zeroCounts());

    const earlier = input.segments.reduce(
      (sum, s) => addStatementCounts(sum, s.warehouse),
      addStatementCounts(noStatements(), input.rds.warehouse),
    );
    const countLoaded = async (runner: SqlRunner, read: 'warehouse' | 'staging') => {
      const [row] = await runner.query<Record<string, string | number>>(loadedCountsQuery(tables, read), [
        input.date,
      ]);
      return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
    };
    let summary: LoadSummary | undefined;
    // Counting and the transaction are long calls: a timer keeps the heartbeat going so a dead worker is
    // noticed quickly while a live one is never timed out, however large the day.
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), heartbeatIntervalMs());
    try {
      await warehouse.transaction(async (tx) => {
        const postgres = warehouse.dialect === 'postgres';
        // PostgreSQL attaches the staged tables as they are: with writers shut out of staging (say, a zombie
        // attempt of a segment), counting them is counting what lands, and a day that does not reconcile is
        // refused before anything is swapped. Redshift copies, then counts what the copy left.
        if (postgres) {
          await tx.query(freezeStagedDay(tables));
          for (const statement of analyzeStagedDay(tables)) await tx.query(statement);
        }
        const byReason = Object.fromEntries(
          (
            await tx.query<{ reason: string; n: string | number }>(
              `SELECT reason, COUNT(*) AS n FROM ${tables.quarantine} GROUP BY reason ORDER BY reason`,
            )
          ).map((r) => [r.reason, Number(r.n)]),
        );
        const reconcile = (loaded: Record<string, number>) => {
          summary = summarize(input, seen, loaded, byReason, addStatementCounts(earlier, statementsSoFar()));
          if (summary.mismatches.length) {
            throw new ReconciliationError(
              `day ${input.date} does not reconcile: ${summary.mismatches.join('; ')}`,
            );
          }
        };
        if (postgres) reconcile(await countLoaded(tx, 'staging'));
        for (const statement of replaceDayStatements(tables, warehouse.dialect)) {
          await tx.query(statement, statement.includes('$1') ? [input.date] : []);
        }
        if (!postgres) reconcile(await countLoaded(tx, 'warehouse'));
        // Counted up to the audit row (its INSERT and the COMMIT not included), so a retry that reads the
        // row back returns the same summary.
        summary = { ...summary!, warehouse: addStatementCounts(earlier, statementsSoFar()) };
        await tx.query(insertAudit, auditParams(summary, input.startedAt));
      });
    } catch (error) {
      if (error instanceof ReconciliationError && summary) {
        await warehouse.query(insertAudit, auditParams(summary, input.startedAt));
      }
      throw error;
    } finally {
      clearInterval(beat);
    }
    return summary!;
  }

  return {
    migrateWarehouse,
    prepareRun,
    extractRds: async (input: ExtractRdsInput): Promise<RdsCounts> => {
      const [counts, warehouseCounts] = await countWarehouseWork(() => extractRds(input));
      return { ...counts, warehouse: warehouseCounts };
    },
    loadDay: async (input: LoadDayInput): Promise<LoadSummary> =>
      (await countWarehouseWork(() => loadDay(input)))[0],
    dropStaging,
  };
}

function summarize(
  input: LoadDayInput,
  seen: SegmentCounts,
  loaded: Record<string, number>,
  byReason: Record<string, number>,
  warehouse: StatementCounts,
): LoadSummary {
  const exploded = loaded.keywords! + loaded.libraries! + loaded.isbns!;
  const mismatches = [
    check(
      'items',
      seen.itemsSeen,
      loaded.queries! + loaded.items_quarantined!,
      'search_query rows + quarantined items',
    ),
    check(
      'array elements',
      seen.elementsSeen,
      exploded + loaded.elements_quarantined!,
      'exploded rows + quarantined elements',
    ),
    check('user choices', input.rds.choices, loaded.choices!, 'dw.user_choice rows'),
    check(
      'distinct query ids',
      loaded.queries!,
      loaded.distinct_queries!,
      'search_query rows (a query loaded twice)',
    ),
  ].filter((m): m is string => m !== null);
  return {
    date: input.date,
    runId: input.runId,
    outcome: mismatches.length ? 'reconciliation_failed' : 'loaded',
    source: {
      items: seen.itemsSeen,
      elements: seen.elementsSeen,
      choices: input.rds.choices,
      books: input.rds.books,
    },
    tables: {
      search_query: loaded.queries!,
      search_keyword: loaded.keywords!,
      search_library: loaded.libraries!,
      search_isbn13: loaded.isbns!,
      user_choice: loaded.choices!,
      book_info_changed: input.rds.books,
    },
    quarantined: { items: loaded.items_quarantined!, elements: loaded.elements_quarantined!, byReason },
    segments: {
      count: input.segments.length,
      pages: input.segments.reduce((n, s) => n + s.pages, 0),
      resumed: input.segments.filter((s) => s.resumedAfterPage > 0).length,
      throttled: input.segments.reduce((n, s) => n + s.throttled, 0),
    },
    warehouse,
    mismatches,
    durationMs: Date.now() - Date.parse(input.startedAt),
  };
}

function check(what: string, seen: number, landed: number, how: string): string | null {
  return seen === landed ? null : `${what}: source had ${seen}, warehouse has ${landed} (${how})`;
}

function auditParams(summary: LoadSummary, startedAt: string): (string | null)[] {
  return [
    summary.runId,
    summary.date,
    startedAt,
    new Date().toISOString(),
    summary.outcome,
    JSON.stringify(summary),
  ];
}

type ChoiceRow = {
  id: string | number;
  user_id: string;
  query_id: string;
  isbn13: string;
  chosen_at: string;
};

type BookRow = {
  isbn13: string;
  bookname: string;
  authors: string;
  publisher: string;
  class_no: string | null;
  reg_date: Date | string | null;
  book_image_url: string | null;
  updated_at: Date | string;
};

/**
 * Streams a table page by page in key order, so memory holds one page at a time. Each page is encoded for
 * the warehouse as one batch: yielding row by row would cost the COPY a few promises per row.
 */
function pageByKey<R>(
  warehouse: Pick<Warehouse, 'encoder'>,
  fetchPage: (after: SqlValue | undefined) => Promise<R[]>,
  keyOf: (row: R) => SqlValue,
  toRow: (row: R) => CopyValue[],
  onPage: () => void,
): EncodedPages {
  async function* pages(): AsyncGenerator<EncodedRows> {
    let after: SqlValue | undefined;
    for (;;) {
      const rows = await fetchPage(after);
      const encoded = warehouse.encoder();
      for (const row of rows) encoded.push(toRow(row));
      yield encoded;
      onPage();
      if (rows.length < RDS_PAGE_ROWS) return;
      after = keyOf(rows[rows.length - 1]!);
    }
  }
  return { encodedPages: pages() };
}

/** A DATE column as YYYY-MM-DD (our pools read DATE as text; a Date is read back in local time). */
function toDate(value: unknown): string {
  if (!(value instanceof Date)) return String(value).slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
