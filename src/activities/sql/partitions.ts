import {
  DAY_KINDS,
  DAY_TABLES,
  dateLiteral,
  dayPartition,
  dayPartitionName,
  defaultPartition,
} from './dayTables';
import type { DayKind } from './dayTables';
import type { StagingTables } from './staging';

/**
 * PostgreSQL-only SQL for the day partitions (Redshift has none and replaces a day with DELETE + INSERT).
 * Table names come from validated run keys and days; values are `$n` parameters wherever SQL allows them
 * (partition bounds and DDL do not).
 */

/**
 * Makes the staged day the day's partition: the previous version of the day is dropped, rows that
 * reached the DEFAULT partition for this day are removed, and the staging table, already holding exactly
 * this day (its CHECK constraint proves it, so ATTACH needs no scan), becomes the partition. Run inside
 * the load's transaction: readers see the old day or the new one.
 */
export function attachDayStatements(t: StagingTables, kind: DayKind): string[] {
  const { table } = DAY_TABLES[kind];
  const partition = dayPartitionName(kind, t.date);
  return [
    `DROP TABLE IF EXISTS ${dayPartition(kind, t.date)}`,
    `DELETE FROM ${defaultPartition(kind)} WHERE query_date = $1`,
    // The staged day's default (the day, for the scan's COPY) means nothing in the warehouse.
    `ALTER TABLE ${t[kind]} ALTER COLUMN query_date DROP DEFAULT`,
    `ALTER TABLE ${t[kind]} SET SCHEMA dw`,
    `ALTER TABLE dw.${unqualified(t[kind])} RENAME TO ${partition}`,
    `ALTER TABLE dw.${table} ATTACH PARTITION dw.${partition} FOR VALUES IN (${dateLiteral(t.date)})`,
  ];
}

/**
 * Gathers the planner's statistics on the staged day before it becomes the day's partition (its statistics
 * go with it). Nothing else would in time: autovacuum reaches a new table only later, and not at all where
 * it is off (as on this project's machines). Without them the planner takes each day table for 0.5 % of its
 * rows, and the mart's semi-joins over them (keyword_ranking's successful searches) became nested loops:
 * 61 s at 20,000 items, 0.1 s with hash joins. The mart's plans need the row counts, the join columns, the
 * day and the columns it groups by only, so the sample is small (300 × 10 rows a table) and only those
 * columns are summarised: 0.2–0.35 s at 200,000 items against 1.7–1.9 s for a full ANALYZE, with row counts
 * within 0.01 %. Without the day and the grouped columns the planner took the 5.2 million ISBN rows of a
 * 1M-item day for 10,887 in 200 groups and sorted them on disk rather than hashing them. Run inside the
 * load's transaction (SET LOCAL ends with it).
 */
export function analyzeStagedDay(t: StagingTables): string[] {
  return ['SET LOCAL default_statistics_target = 10', analyzeDayKinds((kind) => t[kind])];
}

/** One ANALYZE of each day kind's table (`tableOf`), limited to the columns the mart's plans need. */
function analyzeDayKinds(tableOf: (kind: DayKind) => string): string {
  return `ANALYZE ${DAY_KINDS.map((kind) => `${tableOf(kind)} (${STATISTICS_COLUMNS[kind]})`).join(', ')}`;
}

/** The columns the mart's plans need statistics on, per day table: the join key, the day, what it groups by. */
const STATISTICS_COLUMNS: Readonly<Record<DayKind, string>> = {
  queries: 'query_id, query_date, succeeded',
  keywords: 'query_id, query_date, keyword',
  libraries: 'query_id, query_date, library',
  isbns: 'query_id, query_date, isbn13',
};

/** The choices' statistics, after the load replaced the day's (DELETE + INSERT); a 3,000-row sample. */
export const analyzeChoices = 'ANALYZE dw.user_choice (query_id, choice_date, user_id)';

/** One row when the day tables have statistics of their own (as partitioned tables, over every day). */
export const dayTablesHaveStatistics = `SELECT 1 AS analysed FROM pg_stats
  WHERE schemaname = 'dw' AND tablename = '${DAY_TABLES.queries.table}' AND inherited LIMIT 1`;

/**
 * Statistics of the day tables as a whole. A query over a partitioned table is estimated from the parent's own
 * statistics (how distinct the query ids are, say), which autovacuum never gathers: without them the mart's
 * semi-joins hashed a 1M-item day's query ids on disk, taking them for 200 (refresh 6.3 → 5.2 s with them).
 * PostgreSQL 15 cannot analyse a partitioned table without analysing every partition again, a cost that grows
 * with every day kept, so the load runs this only while the day tables have none (`dayTablesHaveStatistics`):
 * what the mart reads from them, a ratio of distinct values to rows, does not drift as days are added.
 */
export function analyzeDayTables(): string {
  return analyzeDayKinds((kind) => `dw.${DAY_TABLES[kind].table}`);
}

/** Shuts writers out of everything the load reads from staging (readers may go on) until it ends. */
export function freezeStagedDay(t: StagingTables): string {
  const staged = [...DAY_KINDS.map((kind) => t[kind]), t.quarantine, t.choices, t.books];
  return `LOCK TABLE ${staged.join(', ')} IN SHARE MODE`;
}

/**
 * Dropping a day's old partition locks the whole day table, every day of it, until COMMIT, and waits for
 * queries already reading it. Rather than queue every new reader behind a long analyst query, the swap
 * gives up after this long and the load is retried (its transaction is safe to repeat).
 */
export const SWAP_LOCK_TIMEOUT = `SET LOCAL lock_timeout = '5s'`;

/** Day tables that exist as plain tables: created before the warehouse partitioned them. */
export const selectPlainDayTables = `SELECT c.relname AS name FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'dw' AND c.relkind = 'r' AND c.relname IN (${DAY_KINDS.map((_, i) => `$${i + 1}`).join(', ')})`;

export const dayTableNames = DAY_KINDS.map((kind) => DAY_TABLES[kind].table);

/** Serializes the one-off migration between workers preparing runs at the same time. */
export const migrationLock = `SELECT pg_advisory_xact_lock(${0x6c696272})`;

/** Renames a plain day table aside and creates its partitioned successor; rows follow day by day. */
export function partitionPlainTableStatements(kind: DayKind): string[] {
  const { table, definition } = DAY_TABLES[kind];
  return [
    `ALTER TABLE dw.${table} RENAME TO ${table}_unpartitioned`,
    `CREATE TABLE dw.${table} (${definition}) PARTITION BY LIST (query_date)`,
    `CREATE TABLE ${defaultPartition(kind)} PARTITION OF dw.${table} DEFAULT`,
  ];
}

export const selectUnpartitionedDays = (kind: DayKind) =>
  `SELECT DISTINCT TO_CHAR(query_date, 'YYYY-MM-DD') AS day FROM dw.${DAY_TABLES[kind].table}_unpartitioned`;

export function movePlainRowsStatements(kind: DayKind, days: readonly string[]): string[] {
  const { table, columns } = DAY_TABLES[kind];
  const list = columns.join(', ');
  return [
    ...days.map(
      (day) =>
        `CREATE TABLE ${dayPartition(kind, day)} PARTITION OF dw.${table} FOR VALUES IN (${dateLiteral(day)})`,
    ),
    `INSERT INTO dw.${table} (${list}) SELECT ${list} FROM dw.${table}_unpartitioned`,
    `DROP TABLE dw.${table}_unpartitioned`,
  ];
}

function unqualified(table: string): string {
  return table.slice(table.indexOf('.') + 1);
}
