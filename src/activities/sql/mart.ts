import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlValue } from '../../adapters/warehouse/port';
import { rewritePlaceholders } from '../../adapters/warehouse/sqlPlaceholders';
import { addDays } from '../../domain/reportDate';
import { splitStatements } from './statements';
import { withTableLayout } from './tableLayout';

/**
 * The mart's SQL: one `.sql` file per mart table in `./mart` (dbt's habit), plus the pure helpers that
 * turn a file into statements and its named placeholders into `$n` parameters, and the read queries.
 * Everything stays in the subset PostgreSQL and Redshift both run.
 */

/**
 * The mart tables, in refresh order: `daily_headline` reads `daily_choices` and
 * `hourly_requests` rather than scanning the day's searches a third time; the three rankings rank
 * `daily_counts` rather than counting the day's long tables again (on `bench/martProbe.ts`'s 1M-search day the
 * refresh went from 9.9 to 6.8 s);
 * `daily_movers` reads `daily_counts` (the day's, just rebuilt, and the seven days' before it).
 */
export const MART_TABLES = [
  'daily_choices',
  'hourly_requests',
  'daily_headline',
  'daily_counts',
  'keyword_ranking',
  'book_ranking',
  'library_ranking',
  'failed_keyword_ranking',
  'queries_per_user',
  'daily_movers',
] as const;

export type MartTable = (typeof MART_TABLES)[number];

/**
 * Rows each ranking keeps per day. The report's tables show at most this many and its charts ten;
 * fifty keeps the mart small while leaving analysts more than the email shows.
 */
export const MART_TOP_ROWS = 50;

/**
 * The floor of "what moved": an item is compared only when its count today or on the basis it is compared
 * with (a week before, or the mean of the days before) is at least this. A count is a tally of independent
 * searches, so it swings by about its square root from day to day by chance alone (Poisson): ±3 at 9, the
 * whole of a move from 6 to 9 (+50%). Ten is also about where the lists staff read end: on the demo's
 * 1,724-request day (seed "libreport", 12,000 items over 8 days) the 50th keyword had 11 occurrences, so the
 * section speaks of items that are, or were, in the rankings. Movers are ranked by the size of the change, so
 * the floor matters when little moved: it keeps "2 → 5" off the list rather than naming it a mover.
 */
export const MOVERS_MIN_COUNT = 10;

/** Movers kept per (kind, basis, direction) and day; the report shows the first `MOVERS_SHOWN`. */
export const MOVERS_KEPT = 5;
/** Movers the report shows per (kind, basis, direction): enough to see what changed, short enough to read. */
export const MOVERS_SHOWN = 3;

/** The values a mart file may refer to as `:name`. */
export interface MartValues {
  readonly report_date: string;
  /** The day after `report_date`: choices made after midnight still belong to their search's day. */
  readonly next_date: string;
  readonly top_rows: number;
  readonly time_zone: string;
}

/** A statement ready for `Warehouse.query`: `$n` placeholders and exactly the values it uses. */
export interface BoundStatement {
  readonly sql: string;
  readonly params: SqlValue[];
}

/**
 * Rewrites `:name` placeholders to `$1…$n` in order of first use and returns only the values used:
 * PostgreSQL rejects values the statement does not reference. Quoted text and comments are left alone.
 */
export function bindNamed(sql: string, values: Readonly<Record<string, SqlValue>>): BoundStatement {
  const order: string[] = [];
  const out = rewritePlaceholders(sql, 'named', (name) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      throw new RangeError(`the mart SQL refers to :${name}, which has no value`);
    }
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { sql: out, params: order.map((name) => values[name]!) };
}

function readMartFile(name: string): string {
  return readFileSync(path.join(__dirname, 'mart', `${name}.sql`), 'utf8');
}

/** `CREATE … IF NOT EXISTS` statements for the mart schema and its tables. */
export const MART_SCHEMA_DDL: readonly string[] = splitStatements(readMartFile('schema'));

/** The mart's DDL as `dialect` runs it (on Redshift each table is copied to every node, sorted by day). */
export function martSchemaStatements(dialect: 'postgres' | 'redshift'): string[] {
  return MART_SCHEMA_DDL.map((statement) => withTableLayout(statement, dialect));
}

/** Each mart table's refresh statements (a DELETE of the day, then an INSERT … SELECT of it). */
export const MART_REFRESH: Readonly<Record<MartTable, readonly string[]>> = Object.fromEntries(
  MART_TABLES.map((table) => [table, splitStatements(readMartFile(table))]),
) as unknown as Record<MartTable, readonly string[]>;

/**
 * The day's refresh, table by table, with its placeholders bound: each file's statements as written for
 * Redshift, and on PostgreSQL with each INSERT split by `viaTempTable`.
 */
export function refreshStatements(
  values: MartValues,
  dialect: 'postgres' | 'redshift',
): { table: MartTable; statements: BoundStatement[] }[] {
  const named = refreshValues(values);
  return MART_TABLES.map((table) => ({
    table,
    statements: MART_REFRESH[table]
      .flatMap((sql) => (dialect === 'postgres' ? viaTempTable(table, sql) : [sql]))
      .map((sql) => bindNamed(sql, named)),
  }));
}

/** Every value a mart file may name: `values`, and what daily_movers.sql needs beyond the day. */
export function refreshValues(values: MartValues): Record<string, SqlValue> {
  // The movers' values are policy, not input, so every caller gets the same.
  return {
    ...(values as unknown as Record<string, SqlValue>),
    week_ago: addDays(values.report_date, -7),
    min_count: MOVERS_MIN_COUNT,
    mover_rows: MOVERS_KEPT,
  };
}

const INSERT_SELECT = /^INSERT INTO (mart\.[a-z0-9_]+)\s+(\([a-z0-9_,\s]+\))\s+(SELECT\b[\s\S]*)$/;

/**
 * PostgreSQL plans no part of an INSERT … SELECT in parallel, but does plan CREATE TABLE … AS in parallel.
 * The mart's SELECTs aggregate millions of rows into a few dozen, so on PostgreSQL each INSERT … SELECT
 * becomes a CREATE TEMP TABLE … AS of the SELECT (scanned and aggregated by parallel workers) and an
 * INSERT of its rows. The temporary table is private to the session and dropped at commit (or with a
 * rollback). DELETEs pass through unchanged.
 */
export function viaTempTable(table: MartTable, sql: string): string[] {
  if (!sql.startsWith('INSERT')) return [sql];
  const match = INSERT_SELECT.exec(sql);
  if (!match || match[1] !== `mart.${table}`) {
    throw new Error(`the ${table} refresh is not one INSERT INTO mart.${table} (columns) SELECT …`);
  }
  const rows = `mart_refresh_${table}`;
  return [
    `CREATE TEMP TABLE ${rows} ON COMMIT DROP AS\n${match[3]}`,
    `INSERT INTO ${match[1]} ${match[2]} SELECT * FROM ${rows}`,
  ];
}

/**
 * Serialises refreshes: two refreshes of one day in one PostgreSQL READ COMMITTED transaction each
 * could both delete, then both insert. Every refresh writes `daily_headline`, so locking it is enough.
 * PostgreSQL's EXCLUSIVE mode still lets the report read; Redshift has one lock mode and its own
 * serialisable isolation.
 */
export function refreshLockStatement(dialect: 'postgres' | 'redshift'): string {
  return dialect === 'postgres'
    ? 'LOCK TABLE mart.daily_headline IN EXCLUSIVE MODE'
    : 'LOCK mart.daily_headline';
}

/** Rows the refresh left for the day in one mart table (the table name comes from `MART_TABLES`). */
export function countDayRows(table: MartTable): string {
  return `SELECT COUNT(*) AS n FROM mart.${table} WHERE report_date = $1`;
}

/**
 * Headline rows of up to three days: `$1` the day, `$2` the day before, `$3` a week before. A day refreshed
 * before `daily_choices` existed has no choice row: its choice metrics read as NULL (no comparison).
 */
export const readHeadlines = `SELECT h.report_date, h.requests, h.failure_rate_pct,
    c.books_per_choosing_search, c.choosing_share_pct
  FROM mart.daily_headline h
  LEFT JOIN mart.daily_choices c ON c.report_date = h.report_date
  WHERE h.report_date IN ($1, $2, $3)`;

/** The day's first `$2` keywords. */
export const readKeywords = `SELECT keyword AS label, occurrences AS count
  FROM mart.keyword_ranking WHERE report_date = $1 AND ranking <= $2 ORDER BY ranking`;

/** The day's first `$2` books. */
export const readBooks = `SELECT title, isbn13, times_returned AS count
  FROM mart.book_ranking WHERE report_date = $1 AND ranking <= $2 ORDER BY ranking`;

/** The day's first `$2` libraries. */
export const readLibraries = `SELECT library AS label, occurrences AS count
  FROM mart.library_ranking WHERE report_date = $1 AND ranking <= $2 ORDER BY ranking`;

/** The day's first `$2` keywords that failed and never succeeded. */
export const readFailedKeywords = `SELECT keyword AS label, failed_occurrences AS count
  FROM mart.failed_keyword_ranking WHERE report_date = $1 AND ranking <= $2 ORDER BY ranking`;

/** The day's movers, the first `$2` of each (kind, basis, direction). */
export const readMovers = `SELECT kind, basis, direction, item, title, today_count, basis_count, change, new_in_top
  FROM mart.daily_movers WHERE report_date = $1 AND ranking <= $2 ORDER BY kind, basis, direction, ranking`;

/** Requests per hour; requests without a timestamp (hour NULL) are not an hour of the chart. */
export const readHourly = `SELECT hour_of_day AS hour, requests AS count
  FROM mart.hourly_requests WHERE report_date = $1 AND hour_of_day IS NOT NULL ORDER BY hour_of_day`;

/** Distinct queries per user, summarised. */
export const readQueriesPerUser = `SELECT COUNT(*) AS users, AVG(CAST(distinct_queries AS DOUBLE PRECISION)) AS mean,
  MAX(distinct_queries) AS max FROM mart.queries_per_user WHERE report_date = $1`;

/** Requests of the days in [`$2`, `$1`], newest first: the day itself and its baseline candidates. */
export const readRecentRequests = `SELECT report_date, requests FROM mart.daily_headline
  WHERE report_date <= $1 AND report_date >= $2 ORDER BY report_date DESC`;
