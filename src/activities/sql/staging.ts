import { identifier } from '../../adapters/warehouse/port';
import { DAY_KINDS, dateLiteral, stagedColumns, stagedDefinition } from './dayTables';
import { REDSHIFT_STAGING_LAYOUT } from './tableLayout';

/**
 * SQL for per-run staging tables, as pure functions of a run key (pg-boss's plans.ts habit).
 * Every statement is in the subset PostgreSQL and Redshift both run. Table names come from
 * `stagingTables`, which only accepts a validated run key; values are always `$n` parameters.
 */

export const STAGE_SCHEMA = 'dw_stage';

/**
 * Columns each staging table is written with, in the order `copyIn` writes them. The day kinds have their
 * target's columns, and their `query_date` is left to its default, the run's day (see `stagedDefinition`).
 */
export const STAGE_COLUMNS = {
  queries: stagedColumns('queries'),
  keywords: stagedColumns('keywords'),
  libraries: stagedColumns('libraries'),
  isbns: stagedColumns('isbns'),
  quarantine: ['source', 'query_date', 'source_key', 'reason', 'detail', 'payload'],
  choices: ['id', 'user_id', 'query_id', 'isbn13', 'chosen_at', 'choice_date'],
  books: [
    'isbn13',
    'bookname',
    'authors',
    'publisher',
    'class_no',
    'reg_date',
    'book_image_url',
    'updated_at',
  ],
} as const;

export type StagedKind = keyof typeof STAGE_COLUMNS;

/** The tables a scan segment writes: each page's rows land with its checkpoint in one transaction. */
export const SEGMENT_KINDS = ['queries', 'keywords', 'libraries', 'isbns', 'quarantine'] as const;

export interface StagingTables {
  readonly runKey: string;
  /** The run's day, YYYY-MM-DD (the run key carries it). */
  readonly date: string;
  readonly queries: string;
  readonly keywords: string;
  readonly libraries: string;
  readonly isbns: string;
  readonly quarantine: string;
  readonly choices: string;
  readonly books: string;
  readonly checkpoints: string;
}

export function stagingTables(runKey: string): StagingTables {
  if (!/^r[0-9]{8}_[a-z0-9]{6,20}$/.test(runKey)) throw new Error(`invalid run key "${runKey}"`);
  const name = (prefix: string) => `${STAGE_SCHEMA}.${identifier(`${prefix}_${runKey}`)}`;
  const date = `${runKey.slice(1, 5)}-${runKey.slice(5, 7)}-${runKey.slice(7, 9)}`;
  return {
    runKey,
    date,
    queries: name('sq'),
    keywords: name('kw'),
    libraries: name('lib'),
    isbns: name('isbn'),
    quarantine: name('qr'),
    choices: name('uc'),
    books: name('bi'),
    checkpoints: name('ck'),
  };
}

export const createRunRegistry = `CREATE TABLE IF NOT EXISTS ${STAGE_SCHEMA}.runs (
  run_key    VARCHAR(64)  NOT NULL,
  run_id     VARCHAR(200) NOT NULL,
  query_date DATE         NOT NULL,
  created_at TIMESTAMPTZ  NOT NULL
)`;

/**
 * The run's staging tables. The four day tables take their target's columns, the run's day as `query_date`'s
 * default, and on PostgreSQL a CHECK that
 * they hold only the run's day, so the load can attach them as the day's partition without scanning them.
 * They are logged tables: they become the warehouse's data, and their checkpoints must survive a crash
 * together with the rows they describe.
 */
export function createStagingTables(t: StagingTables, dialect: 'postgres' | 'redshift'): string[] {
  const onlyTheDay = dialect === 'postgres' ? `, CHECK (query_date = ${dateLiteral(t.date)})` : '';
  const layout = (kind: keyof typeof REDSHIFT_STAGING_LAYOUT) =>
    dialect === 'redshift' ? ` ${REDSHIFT_STAGING_LAYOUT[kind]}` : '';
  return [
    ...DAY_KINDS.map(
      (kind) => `CREATE TABLE ${t[kind]} (${stagedDefinition(kind, t.date)}${onlyTheDay})${layout(kind)}`,
    ),
    `CREATE TABLE ${t.quarantine} (source VARCHAR(32) NOT NULL, query_date DATE, source_key VARCHAR(256),
       reason VARCHAR(64) NOT NULL, detail VARCHAR(1000) NOT NULL, payload VARCHAR(65535) NOT NULL)${layout('quarantine')}`,
    `CREATE TABLE ${t.choices} (id BIGINT NOT NULL, user_id VARCHAR(64) NOT NULL, query_id VARCHAR(64) NOT NULL,
       isbn13 VARCHAR(13) NOT NULL, chosen_at TIMESTAMPTZ NOT NULL, choice_date DATE NOT NULL)${layout('choices')}`,
    `CREATE TABLE ${t.books} (isbn13 VARCHAR(13) NOT NULL, bookname VARCHAR(1000) NOT NULL, authors VARCHAR(1000) NOT NULL,
       publisher VARCHAR(300) NOT NULL, class_no VARCHAR(20), reg_date DATE, book_image_url VARCHAR(1000),
       updated_at TIMESTAMPTZ NOT NULL)${layout('books')}`,
    `CREATE TABLE ${t.checkpoints} (segment INTEGER NOT NULL, page INTEGER NOT NULL, last_key VARCHAR(65535),
       counts VARCHAR(65535) NOT NULL)${layout('checkpoints')}`,
  ];
}

export function dropStagingTables(t: StagingTables): string[] {
  return [t.queries, t.keywords, t.libraries, t.isbns, t.quarantine, t.choices, t.books, t.checkpoints].map(
    (table) => `DROP TABLE IF EXISTS ${table}`,
  );
}

export const selectCheckpoint = (t: StagingTables) =>
  `SELECT page, last_key, counts FROM ${t.checkpoints} WHERE segment = $1`;
/** Page commits take turns on the checkpoints for their last few statements, so the check below is sound. */
export const lockCheckpoints = (t: StagingTables) => `LOCK TABLE ${t.checkpoints}`;
/** Removes the segment's checkpoint only if it is still the one this attempt resumed from or last wrote. */
export const deleteCheckpoint = (t: StagingTables) =>
  `DELETE FROM ${t.checkpoints} WHERE segment = $1 AND page = $2`;
export const countCheckpoints = (t: StagingTables) =>
  `SELECT COUNT(*) AS n FROM ${t.checkpoints} WHERE segment = $1`;
export const insertCheckpoint = (t: StagingTables) =>
  `INSERT INTO ${t.checkpoints} (segment, page, last_key, counts) VALUES ($1, $2, $3, $4)`;

/** Whether run `$1` is registered (its staging tables were made). */
export const selectRegisteredRun = `SELECT run_key FROM ${STAGE_SCHEMA}.runs WHERE run_key = $1`;

/** Registers run `$1` (its workflow run `$2`, day `$3`, made at `$4`). */
export const registerRun = `INSERT INTO ${STAGE_SCHEMA}.runs (run_key, run_id, query_date, created_at) VALUES ($1, $2, $3, $4)`;

/** Runs registered before `$1`: abandoned by a terminated workflow or a lost worker. */
export const selectRunsMadeBefore = `SELECT run_key FROM ${STAGE_SCHEMA}.runs WHERE created_at < $1`;

/** Forgets run `$1` (after its staging tables are dropped). */
export const deleteRun = `DELETE FROM ${STAGE_SCHEMA}.runs WHERE run_key = $1`;

/** Empties the run's RDS staging, so a retried extractRds starts from nothing. */
export function clearStagedRds(t: StagingTables): string[] {
  return [`DELETE FROM ${t.choices}`, `DELETE FROM ${t.books}`];
}
