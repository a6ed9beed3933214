import type { StagingTables } from './staging';

/**
 * The day-replacing load, as statements run in one transaction: each target loses the day and gets the
 * staged rows, so readers see the old day or the new day, never half of one. `$1` is always the day.
 */
export function replaceDayStatements(t: StagingTables, dialect: 'postgres' | 'redshift'): string[] {
  return [
    // Days loading at once (a backfill) share book_info and the undated quarantine rows: one at a time.
    // PostgreSQL's SHARE ROW EXCLUSIVE conflicts with itself but still lets readers read; Redshift has one mode.
    dialect === 'postgres'
      ? 'LOCK TABLE dw.book_info, dw.quarantine IN SHARE ROW EXCLUSIVE MODE'
      : 'LOCK dw.book_info, dw.quarantine',
    `DELETE FROM dw.search_query WHERE query_date = $1`,
    `INSERT INTO dw.search_query (query_id, query_date, searched_at, keyword_count, library_count, result_count, succeeded)
       SELECT query_id, query_date, searched_at, keyword_count, library_count, result_count, succeeded
       FROM ${t.queries} WHERE query_date = $1`,
    `DELETE FROM dw.search_keyword WHERE query_date = $1`,
    `INSERT INTO dw.search_keyword (query_id, query_date, position, keyword)
       SELECT query_id, query_date, position, keyword FROM ${t.keywords} WHERE query_date = $1`,
    `DELETE FROM dw.search_library WHERE query_date = $1`,
    `INSERT INTO dw.search_library (query_id, query_date, position, library)
       SELECT query_id, query_date, position, library FROM ${t.libraries} WHERE query_date = $1`,
    `DELETE FROM dw.search_isbn13 WHERE query_date = $1`,
    `INSERT INTO dw.search_isbn13 (query_id, query_date, position, isbn13)
       SELECT query_id, query_date, position, isbn13 FROM ${t.isbns} WHERE query_date = $1`,
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
  ];
}

/** What the warehouse holds for the day after the load, to reconcile against what the scan saw. */
export function loadedCountsQuery(t: StagingTables): string {
  return `SELECT
    (SELECT COUNT(*) FROM dw.search_query WHERE query_date = $1) AS queries,
    (SELECT COUNT(DISTINCT query_id) FROM dw.search_query WHERE query_date = $1) AS distinct_queries,
    (SELECT COUNT(*) FROM dw.search_keyword WHERE query_date = $1) AS keywords,
    (SELECT COUNT(*) FROM dw.search_library WHERE query_date = $1) AS libraries,
    (SELECT COUNT(*) FROM dw.search_isbn13 WHERE query_date = $1) AS isbns,
    (SELECT COUNT(*) FROM ${t.quarantine} WHERE source = 'dynamodb.item') AS items_quarantined,
    (SELECT COUNT(*) FROM ${t.quarantine} WHERE source IN ('dynamodb.user_search', 'dynamodb.selected_lib', 'dynamodb.isbn13_list')) AS elements_quarantined,
    (SELECT COUNT(*) FROM dw.user_choice WHERE choice_date = $1) AS choices`;
}

export const insertAudit = `INSERT INTO dw.load_audit (run_id, query_date, started_at, finished_at, outcome, summary)
  VALUES ($1, $2, $3, $4, $5, $6)`;

/**
 * Where to start copying catalogue changes from RDS: an hour before the newest change already in the
 * warehouse. A write whose transaction began before the last copy but committed after it carries an older
 * updated_at than that newest change; re-reading the last hour catches it (the book merge is idempotent).
 */
export const bookWatermark = `SELECT CAST(MAX(updated_at) - INTERVAL '1 hour' AS VARCHAR) AS watermark FROM dw.book_info`;
