import { isReportDate } from '../../domain/reportDate';

/**
 * The four warehouse tables a day's scan fills, defined once: the warehouse DDL, the per-run staging
 * tables and the PostgreSQL partitions all take their columns from here, so a staged day always has
 * exactly the shape of its target (PostgreSQL attaches it as is).
 */

export type DayKind = 'queries' | 'keywords' | 'libraries' | 'isbns';

export const DAY_KINDS: readonly DayKind[] = ['queries', 'keywords', 'libraries', 'isbns'];

/** The day column of every day table. A run's staging tables default it to the run's day (`stagedDefinition`). */
const QUERY_DATE = 'query_date DATE NOT NULL';

interface DayTable {
  /** The warehouse table, in schema dw. */
  readonly table: string;
  /** Column names in `copyIn` order. */
  readonly columns: readonly string[];
  /** Column definitions, in the type subset PostgreSQL and Redshift share. */
  readonly definition: string;
}

export const DAY_TABLES: Readonly<Record<DayKind, DayTable>> = {
  queries: {
    table: 'search_query',
    columns: [
      'query_id',
      'query_date',
      'searched_at',
      'keyword_count',
      'library_count',
      'result_count',
      'succeeded',
    ],
    definition: `query_id VARCHAR(64) NOT NULL, ${QUERY_DATE}, searched_at TIMESTAMPTZ,
       keyword_count INTEGER NOT NULL, library_count INTEGER NOT NULL, result_count INTEGER NOT NULL,
       succeeded BOOLEAN NOT NULL`,
  },
  keywords: {
    table: 'search_keyword',
    columns: ['query_id', 'query_date', 'position', 'keyword'],
    definition: `query_id VARCHAR(64) NOT NULL, ${QUERY_DATE}, position INTEGER NOT NULL,
       keyword VARCHAR(1000) NOT NULL`,
  },
  libraries: {
    table: 'search_library',
    columns: ['query_id', 'query_date', 'position', 'library'],
    definition: `query_id VARCHAR(64) NOT NULL, ${QUERY_DATE}, position INTEGER NOT NULL,
       library VARCHAR(200) NOT NULL`,
  },
  isbns: {
    table: 'search_isbn13',
    columns: ['query_id', 'query_date', 'position', 'isbn13'],
    definition: `query_id VARCHAR(64) NOT NULL, ${QUERY_DATE}, position INTEGER NOT NULL,
       isbn13 VARCHAR(13) NOT NULL`,
  },
};

/**
 * A day table's definition for a run's staging table: `query_date` defaults to the run's day, so the scan's
 * COPY leaves the column out. A constant ten characters on every one of ten million rows was ~15 % of the CSV
 * the worker encoded and PostgreSQL parsed (a DATE parse per row); Redshift's COPY fills omitted columns
 * with their default too.
 */
export function stagedDefinition(kind: DayKind, date: string): string {
  return DAY_TABLES[kind].definition.replace(QUERY_DATE, `${QUERY_DATE} DEFAULT ${dateLiteral(date)}`);
}

/** The columns a scan's COPY writes into a day kind's staging table: all but the defaulted day. */
export function stagedColumns(kind: DayKind): readonly string[] {
  return DAY_TABLES[kind].columns.filter((column) => column !== 'query_date');
}

/**
 * On PostgreSQL each day table is partitioned by day: a load attaches the staged day as the new partition
 * in one short transaction instead of copying every row a second time. A DEFAULT partition catches rows
 * written by anything but a load (an analyst's fix-up, a fixture), so such writes never fail.
 * Redshift has no partitions and keeps plain tables.
 */
export function dayTablesDdl(dialect: 'postgres' | 'redshift'): string[] {
  return DAY_KINDS.flatMap((kind) => {
    const { table, definition } = DAY_TABLES[kind];
    if (dialect === 'redshift') return [`CREATE TABLE IF NOT EXISTS dw.${table} (${definition})`];
    return [
      `CREATE TABLE IF NOT EXISTS dw.${table} (${definition}) PARTITION BY LIST (query_date)`,
      `CREATE TABLE IF NOT EXISTS ${defaultPartition(kind)} PARTITION OF dw.${table} DEFAULT`,
    ];
  });
}

/** `dw.search_query_20240517`: the partition holding one day of a day table. */
export function dayPartition(kind: DayKind, date: string): string {
  return `dw.${dayPartitionName(kind, date)}`;
}

export function dayPartitionName(kind: DayKind, date: string): string {
  return `${DAY_TABLES[kind].table}_${compactDate(date)}`;
}

export function defaultPartition(kind: DayKind): string {
  return `dw.${DAY_TABLES[kind].table}_default`;
}

/**
 * A date spliced into DDL (partition bounds and CHECK constraints cannot be parameters). Only a validated
 * YYYY-MM-DD ever reaches SQL text this way.
 */
export function dateLiteral(date: string): string {
  if (!isReportDate(date)) throw new Error(`invalid day "${date}"`);
  return `DATE '${date}'`;
}

function compactDate(date: string): string {
  if (!isReportDate(date)) throw new Error(`invalid day "${date}"`);
  return date.replace(/-/g, '');
}
