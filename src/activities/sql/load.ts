import { DAY_KINDS, DAY_TABLES, type DayKind } from './dayTables';
import { attachDayStatements, SWAP_LOCK_TIMEOUT } from './partitions';
import type { StagingTables } from './staging';

/**
 * The day-replacing load, as statements run in one transaction: each target loses the day and gets the
 * staged rows, so readers see the old day or the new day, never half of one. `$1` is always the day.
 * On PostgreSQL the staged day tables become the day's partitions (no row is written twice); on Redshift
 * they are copied over with INSERT … SELECT.
 */
export function replaceDayStatements(t: StagingTables, dialect: 'postgres' | 'redshift'): string[] {
  return [
    // Days loading at once (a backfill) share book_info and the undated quarantine rows: one at a time.
    // PostgreSQL's SHARE ROW EXCLUSIVE conflicts with itself but still lets readers read; Redshift has one mode.
    dialect === 'postgres'
      ? 'LOCK TABLE dw.book_info, dw.quarantine IN SHARE ROW EXCLUSIVE MODE'
      : 'LOCK dw.book_info, dw.quarantine',
    // Items with no usable date are filed under no day: replace them by key so re-runs do not repeat them.
    `DELETE FROM dw.quarantine WHERE source LIKE 'dynamodb.%' AND query_date = $1`,
    `DELETE FROM dw.quarantine WHERE source LIKE 'dynamodb.%' AND query_date IS NULL
       AND source_key IN (SELECT source_key FROM ${t.quarantine} WHERE query_date IS NULL)`,
    `INSERT INTO dw.quarantine (source, query_date, source_key, reason, detail, payload)
       SELECT source, query_date, source_key, reason, detail, payload FROM ${t.quarantine}
       WHERE query_date = $1 OR query_date IS NULL`,
    `DELETE FROM dw.user_choice WHERE choice_date = $1`,
    `INSERT INTO dw.user_choice (id, user_id, query_id, isbn13, chosen_at, choice_date)
       SELECT id, user_id, query_id, isbn13, chosen_at, choice_date FROM ${t.choices} WHERE choice_date = $1`,
    `DELETE FROM dw.book_info WHERE isbn13 IN (SELECT isbn13 FROM ${t.books})`,
    `INSERT INTO dw.book_info (isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url, updated_at)
       SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url, updated_at FROM ${t.books}`,
    // Last: on PostgreSQL swapping a partition holds each day table exclusively until COMMIT, so briefly.
    ...(dialect === 'postgres'
      ? [SWAP_LOCK_TIMEOUT, ...DAY_KINDS.flatMap((kind) => attachDayStatements(t, kind))]
      : DAY_KINDS.flatMap((kind) => copyDayStatements(t, kind))),
  ];
}

function copyDayStatements(t: StagingTables, kind: DayKind): string[] {
  const { table, columns } = DAY_TABLES[kind];
  const list = columns.join(', ');
  return [
    `DELETE FROM dw.${table} WHERE query_date = $1`,
    `INSERT INTO dw.${table} (${list}) SELECT ${list} FROM ${t[kind]} WHERE query_date = $1`,
  ];
}

/**
 * What a day's tables hold, to reconcile against what the scan saw. On Redshift it reads the warehouse
 * after the copy; on PostgreSQL it reads the staged tables before they are attached, which is the same
 * thing (attaching moves the tables as they are) without holding the swap's locks while counting.
 */
export function loadedCountsQuery(
  t: StagingTables,
  read: 'warehouse' | 'staging',
  dialect: 'postgres' | 'redshift',
): string {
  const source = (kind: DayKind) => (read === 'staging' ? t[kind] : `dw.${DAY_TABLES[kind].table}`);
  const choices = read === 'staging' ? t.choices : 'dw.user_choice';
  // A DISTINCT aggregate sorts. The database's collation (C.UTF-8 here) compares through strcoll, while
  // "C" compares bytes: ids are equal under one exactly when they are under the other, and the 1M ids of a
  // 1M-item day count in 0.25-0.37 s instead of 0.8-1.0 s. Redshift has no COLLATE clause.
  const queryId = dialect === 'postgres' ? 'query_id COLLATE "C"' : 'query_id';
  return `SELECT
    (SELECT COUNT(*) FROM ${source('queries')} WHERE query_date = $1) AS queries,
    (SELECT COUNT(DISTINCT ${queryId}) FROM ${source('queries')} WHERE query_date = $1) AS distinct_queries,
    (SELECT COUNT(*) FROM ${source('keywords')} WHERE query_date = $1) AS keywords,
    (SELECT COUNT(*) FROM ${source('libraries')} WHERE query_date = $1) AS libraries,
    (SELECT COUNT(*) FROM ${source('isbns')} WHERE query_date = $1) AS isbns,
    (SELECT COUNT(*) FROM ${t.quarantine} WHERE source = 'dynamodb.item') AS items_quarantined,
    (SELECT COUNT(*) FROM ${t.quarantine} WHERE source IN ('dynamodb.user_search', 'dynamodb.selected_lib', 'dynamodb.isbn13_list')) AS elements_quarantined,
    (SELECT COUNT(*) FROM ${choices} WHERE choice_date = $1) AS choices`;
}

/** The audit row of a load that committed: the result a retried loadDay of the same run returns. */
export const selectLoadedAudit = `SELECT summary FROM dw.load_audit WHERE run_id = $1 AND query_date = $2 AND outcome = 'loaded'`;

export const insertAudit = `INSERT INTO dw.load_audit (run_id, query_date, started_at, finished_at, outcome, summary)
  VALUES ($1, $2, $3, $4, $5, $6)`;

/**
 * Where to start copying catalogue changes from RDS: an hour before the newest change already in the
 * warehouse. A write whose transaction began before the last copy but committed after it carries an older
 * updated_at than that newest change; re-reading the last hour catches it (the book merge is idempotent).
 */
export const bookWatermark = `SELECT CAST(MAX(updated_at) - INTERVAL '1 hour' AS VARCHAR) AS watermark FROM dw.book_info`;

/** The run's staged quarantine rows, counted by reason. */
export function countStagedQuarantineReasons(t: StagingTables): string {
  return `SELECT reason, COUNT(*) AS n FROM ${t.quarantine} GROUP BY reason ORDER BY reason`;
}
