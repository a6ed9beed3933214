import { identifier } from '../../adapters/warehouse/port';

/**
 * SQL for per-run staging tables, as pure functions of a run key (pg-boss's plans.ts habit).
 * Every statement is in the subset PostgreSQL and Redshift both run. Table names come from
 * `stagingTables`, which only accepts a validated run key; values are always `$n` parameters.
 */

export const STAGE_SCHEMA = 'dw_stage';

/** Columns of each staging table, in the order `copyIn` writes them. */
export const STAGE_COLUMNS = {
  queries: [
    'query_id',
    'query_date',
    'searched_at',
    'keyword_count',
    'library_count',
    'result_count',
    'succeeded',
    'segment',
    'page',
  ],
  keywords: ['query_id', 'query_date', 'position', 'keyword', 'segment', 'page'],
  libraries: ['query_id', 'query_date', 'position', 'library', 'segment', 'page'],
  isbns: ['query_id', 'query_date', 'position', 'isbn13', 'segment', 'page'],
  quarantine: ['source', 'query_date', 'source_key', 'reason', 'detail', 'payload', 'segment', 'page'],
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

/** The scan's segment tables: rows carry (segment, page) so a resumed segment can drop a half-written page. */
export const SEGMENT_KINDS = ['queries', 'keywords', 'libraries', 'isbns', 'quarantine'] as const;

export interface StagingTables {
  readonly runKey: string;
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
  return {
    runKey,
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
 * Staging is scratch space rebuilt by any retry, so on PostgreSQL it skips the write-ahead log (UNLOGGED):
 * the rows are written once instead of twice. A PostgreSQL crash empties every unlogged table together,
 * checkpoints included, so a resumed segment then starts from its beginning, consistently. Redshift has
 * no such option and gets plain tables.
 */
export function createStagingTables(t: StagingTables, dialect: 'postgres' | 'redshift'): string[] {
  const table = dialect === 'postgres' ? 'UNLOGGED TABLE' : 'TABLE';
  return [
    `CREATE ${table} ${t.queries} (query_id VARCHAR(64) NOT NULL, query_date DATE NOT NULL, searched_at TIMESTAMPTZ,
       keyword_count INTEGER NOT NULL, library_count INTEGER NOT NULL, result_count INTEGER NOT NULL,
       succeeded BOOLEAN NOT NULL, segment INTEGER NOT NULL, page INTEGER NOT NULL)`,
    `CREATE ${table} ${t.keywords} (query_id VARCHAR(64) NOT NULL, query_date DATE NOT NULL, position INTEGER NOT NULL,
       keyword VARCHAR(1000) NOT NULL, segment INTEGER NOT NULL, page INTEGER NOT NULL)`,
    `CREATE ${table} ${t.libraries} (query_id VARCHAR(64) NOT NULL, query_date DATE NOT NULL, position INTEGER NOT NULL,
       library VARCHAR(200) NOT NULL, segment INTEGER NOT NULL, page INTEGER NOT NULL)`,
    `CREATE ${table} ${t.isbns} (query_id VARCHAR(64) NOT NULL, query_date DATE NOT NULL, position INTEGER NOT NULL,
       isbn13 VARCHAR(13) NOT NULL, segment INTEGER NOT NULL, page INTEGER NOT NULL)`,
    `CREATE ${table} ${t.quarantine} (source VARCHAR(32) NOT NULL, query_date DATE, source_key VARCHAR(256),
       reason VARCHAR(64) NOT NULL, detail VARCHAR(1000) NOT NULL, payload VARCHAR(65535) NOT NULL,
       segment INTEGER NOT NULL, page INTEGER NOT NULL)`,
    `CREATE ${table} ${t.choices} (id BIGINT NOT NULL, user_id VARCHAR(64) NOT NULL, query_id VARCHAR(64) NOT NULL,
       isbn13 VARCHAR(13) NOT NULL, chosen_at TIMESTAMPTZ NOT NULL, choice_date DATE NOT NULL)`,
    `CREATE ${table} ${t.books} (isbn13 VARCHAR(13) NOT NULL, bookname VARCHAR(1000) NOT NULL, authors VARCHAR(1000) NOT NULL,
       publisher VARCHAR(300) NOT NULL, class_no VARCHAR(20), reg_date DATE, book_image_url VARCHAR(1000),
       updated_at TIMESTAMPTZ NOT NULL)`,
    `CREATE ${table} ${t.checkpoints} (segment INTEGER NOT NULL, page INTEGER NOT NULL, last_key VARCHAR(65535),
       counts VARCHAR(65535) NOT NULL)`,
  ];
}

export function dropStagingTables(t: StagingTables): string[] {
  return [t.queries, t.keywords, t.libraries, t.isbns, t.quarantine, t.choices, t.books, t.checkpoints].map(
    (table) => `DROP TABLE IF EXISTS ${table}`,
  );
}

/** Rows of pages after the checkpoint: written by an attempt that died before recording its progress. */
export function deleteUncheckpointedRows(t: StagingTables): string[] {
  return SEGMENT_KINDS.map((kind) => `DELETE FROM ${t[kind]} WHERE segment = $1 AND page > $2`);
}

export const selectCheckpoint = (t: StagingTables) =>
  `SELECT page, last_key, counts FROM ${t.checkpoints} WHERE segment = $1`;
export const deleteCheckpoint = (t: StagingTables) => `DELETE FROM ${t.checkpoints} WHERE segment = $1`;
export const insertCheckpoint = (t: StagingTables) =>
  `INSERT INTO ${t.checkpoints} (segment, page, last_key, counts) VALUES ($1, $2, $3, $4)`;
