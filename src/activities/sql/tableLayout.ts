/**
 * How each warehouse table is laid out on Redshift: its distribution (which slice holds a row) and its sort
 * key (which blocks a range filter can skip). PostgreSQL has neither and gets the DDL unchanged. The choices
 * and their reasons are in docs/running-against-aws.md; in short:
 * - every query filters the day tables and user_choice on their day column: it leads the sort key, so a day
 *   reads only its own blocks (zone maps);
 * - the mart joins search_query, search_keyword and user_choice on query_id: distributing them on it keeps
 *   the joins on each slice, and search_library / search_isbn13 follow so a search's rows live together;
 * - book_info (the catalogue, joined on isbn13 by book_ranking), the small audit and ledger tables and the
 *   per-day mart tables are copied to every node (DISTSTYLE ALL), so no join or lookup moves them.
 * `CREATE TABLE IF NOT EXISTS` leaves an existing table as it is: a warehouse created before these layouts
 * keeps AUTO until it is altered (ALTER TABLE … ALTER DISTKEY / ALTER SORTKEY) or rebuilt.
 */

const BY_QUERY_AND_DAY = 'DISTSTYLE KEY DISTKEY (query_id) SORTKEY (query_date)';

export const REDSHIFT_TABLE_LAYOUT: Readonly<Record<string, string>> = {
  'dw.search_query': BY_QUERY_AND_DAY,
  'dw.search_keyword': BY_QUERY_AND_DAY,
  'dw.search_library': BY_QUERY_AND_DAY,
  'dw.search_isbn13': BY_QUERY_AND_DAY,
  'dw.user_choice': 'DISTSTYLE KEY DISTKEY (query_id) SORTKEY (choice_date)',
  'dw.book_info': 'DISTSTYLE ALL SORTKEY (isbn13)',
  // Read by day and by reason, joined to nothing: spread evenly.
  'dw.quarantine': 'DISTSTYLE EVEN SORTKEY (query_date)',
  'dw.load_audit': 'DISTSTYLE ALL SORTKEY (query_date)',
  'dw.delivery_ledger': 'DISTSTYLE ALL SORTKEY (report_date)',
};

/** Every mart table is a few rows per day, read by report_date. */
const MART_LAYOUT = 'DISTSTYLE ALL SORTKEY (report_date)';

/**
 * A run's staging tables are distributed like their targets, so the load's INSERT … SELECT moves no row
 * between slices; they get no sort key, which would only make their COPYs sort.
 */
export const REDSHIFT_STAGING_LAYOUT = {
  queries: 'DISTSTYLE KEY DISTKEY (query_id)',
  keywords: 'DISTSTYLE KEY DISTKEY (query_id)',
  libraries: 'DISTSTYLE KEY DISTKEY (query_id)',
  isbns: 'DISTSTYLE KEY DISTKEY (query_id)',
  choices: 'DISTSTYLE KEY DISTKEY (query_id)',
  books: 'DISTSTYLE ALL',
  quarantine: 'DISTSTYLE EVEN',
  checkpoints: 'DISTSTYLE ALL',
} as const;

/** The Redshift layout of the table a `CREATE TABLE` statement makes, if it has one. */
export function redshiftLayoutOf(statement: string): string | undefined {
  const match = /^\s*CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)\.([a-z0-9_]+)\s*\(/i.exec(statement);
  if (!match) return undefined;
  const [, schema, table] = match;
  if (schema!.toLowerCase() === 'mart') return MART_LAYOUT;
  return REDSHIFT_TABLE_LAYOUT[`${schema!.toLowerCase()}.${table!.toLowerCase()}`];
}

/** `statement` as `dialect` runs it: on Redshift a CREATE TABLE gets its table's layout after the columns. */
export function withTableLayout(statement: string, dialect: 'postgres' | 'redshift'): string {
  if (dialect !== 'redshift') return statement;
  const layout = redshiftLayoutOf(statement);
  return layout ? `${statement.trimEnd()}\n${layout}` : statement;
}
