import { Client } from 'pg';
import type { SqlRunner } from '../../../src/adapters/warehouse/port';
import type { DayFixture } from '../../support/searchItems';

/** Rows of one day in the warehouse's four search tables. */
export interface DayCounts {
  readonly queries: number;
  readonly keywords: number;
  readonly libraries: number;
  readonly isbns: number;
}

/** A day's counts plus how many rows repeat a key that must be unique (query id; query id + position). */
export interface DayObservation extends DayCounts {
  readonly duplicates: number;
}

export const countsOf = (fixture: DayFixture): DayCounts => ({
  queries: fixture.queries,
  keywords: fixture.keywords,
  libraries: fixture.libraries,
  isbns: fixture.isbns,
});

export const sumCounts = (...parts: DayCounts[]): DayCounts =>
  parts.reduce((a, b) => ({
    queries: a.queries + b.queries,
    keywords: a.keywords + b.keywords,
    libraries: a.libraries + b.libraries,
    isbns: a.isbns + b.isbns,
  }));

/** One statement, so one snapshot: a reader mid-load sees one version of the day, never a mix. */
const OBSERVE_DAY = `SELECT
  (SELECT COUNT(*) FROM dw.search_query WHERE query_date = $1) AS queries,
  (SELECT COUNT(*) FROM dw.search_keyword WHERE query_date = $1) AS keywords,
  (SELECT COUNT(*) FROM dw.search_library WHERE query_date = $1) AS libraries,
  (SELECT COUNT(*) FROM dw.search_isbn13 WHERE query_date = $1) AS isbns,
  (SELECT COUNT(*) - COUNT(DISTINCT query_id) FROM dw.search_query WHERE query_date = $1)
  + (SELECT COUNT(*) FROM (SELECT 1 FROM dw.search_keyword WHERE query_date = $1 GROUP BY query_id, position HAVING COUNT(*) > 1) k)
  + (SELECT COUNT(*) FROM (SELECT 1 FROM dw.search_library WHERE query_date = $1 GROUP BY query_id, position HAVING COUNT(*) > 1) l)
  + (SELECT COUNT(*) FROM (SELECT 1 FROM dw.search_isbn13 WHERE query_date = $1 GROUP BY query_id, position HAVING COUNT(*) > 1) i)
  AS duplicates`;

export async function observeDay(db: SqlRunner, date: string): Promise<DayObservation> {
  const [row] = await db.query<Record<keyof DayObservation, string>>(OBSERVE_DAY, [date]);
  return {
    queries: Number(row!.queries),
    keywords: Number(row!.keywords),
    libraries: Number(row!.libraries),
    isbns: Number(row!.isbns),
    duplicates: Number(row!.duplicates),
  };
}

/** The exact-day check every fault test ends with: the expected rows, each once. */
export async function expectExactDay(db: SqlRunner, date: string, expected: DayCounts): Promise<void> {
  expect(await observeDay(db, date)).toEqual({ ...expected, duplicates: 0 });
}

/** `dw.load_audit` rows of a day, oldest first. */
export async function loadAudit(db: SqlRunner, date: string): Promise<{ run_id: string; outcome: string }[]> {
  return db.query<{ run_id: string; outcome: string }>(
    `SELECT run_id, outcome FROM dw.load_audit WHERE query_date = $1 ORDER BY finished_at`,
    [date],
  );
}

/** The run key of the one run staging right now, once `prepareRun` has registered it. */
export async function stagedRunKey(db: SqlRunner): Promise<string | undefined> {
  try {
    const rows = await db.query<{ run_key: string }>(`SELECT run_key FROM dw_stage.runs`);
    return rows.length === 1 ? rows[0]!.run_key : undefined;
  } catch {
    return undefined; // prepareRun has not created the registry yet
  }
}

/** A segment's committed progress: pages checkpointed, and whether the last one ended the segment. */
export interface CheckpointRow {
  readonly segment: number;
  readonly page: number;
  readonly finished: boolean;
}

export async function segmentCheckpoints(db: SqlRunner, runKey: string): Promise<CheckpointRow[]> {
  if (!/^r[0-9]{8}_[a-z0-9]+$/.test(runKey)) throw new Error(`unexpected run key ${runKey}`);
  const rows = await db.query<{ segment: number; page: number; last_key: string | null }>(
    `SELECT segment, page, last_key FROM dw_stage.ck_${runKey} ORDER BY segment`,
  );
  return rows.map((r) => ({
    segment: Number(r.segment),
    page: Number(r.page),
    finished: r.last_key === null,
  }));
}

/** Backends of one application (set with `?application_name=` in a worker's WAREHOUSE_URL). */
export async function backendsOf(
  db: SqlRunner,
  applicationName: string,
): Promise<{ pid: number; state: string | null; wait_event_type: string | null; query: string }[]> {
  return db.query(
    `SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE application_name = $1`,
    [applicationName],
  );
}

/** `url` with `application_name` set, so a test can find (and kill) that client's backends. */
export function withApplicationName(url: string, applicationName: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', applicationName);
  return u.toString();
}

/** The day in the three tables a load swaps before search_isbn13, as one reader sees it. */
export interface SwappedTablesView {
  readonly queries: number;
  readonly keywords: number;
  readonly libraries: number;
}

/**
 * Reads the day from search_query, search_keyword and search_library on a connection of its own, or says
 * `waiting` when a load's partition swap holds them longer than `lockTimeoutMs`. Either way a reader never
 * sees part of a day: it gets the last committed version, or waits for the next.
 */
export async function readSwappedTables(
  url: string,
  date: string,
  lockTimeoutMs = 500,
): Promise<SwappedTablesView | 'waiting'> {
  const reader = new Client({ connectionString: url });
  await reader.connect();
  try {
    await reader.query(`SET lock_timeout = ${Math.round(lockTimeoutMs)}`);
    const { rows } = await reader.query<Record<string, string>>(
      `SELECT (SELECT COUNT(*) FROM dw.search_query WHERE query_date = $1) AS queries,
              (SELECT COUNT(*) FROM dw.search_keyword WHERE query_date = $1) AS keywords,
              (SELECT COUNT(*) FROM dw.search_library WHERE query_date = $1) AS libraries`,
      [date],
    );
    const row = rows[0]!;
    return { queries: Number(row.queries), keywords: Number(row.keywords), libraries: Number(row.libraries) };
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return 'waiting';
    throw error;
  } finally {
    await reader.end();
  }
}

/**
 * Everything the warehouse holds for `date`, as one comparable text per table (row count and a digest of the
 * sorted rows), to compare two loads of the same day.
 */
export async function dayContents(db: SqlRunner, date: string): Promise<Record<string, string>> {
  const tables = {
    search_query: 'query_id, searched_at, keyword_count, library_count, result_count, succeeded',
    search_keyword: 'query_id, position, keyword',
    search_library: 'query_id, position, library',
    search_isbn13: 'query_id, position, isbn13',
    // DynamoDB keeps no attribute order (an index returns another than the table): compare payloads as JSON values.
    quarantine: 'source, source_key, reason, detail, payload::jsonb',
  };
  const out: Record<string, string> = {};
  for (const [table, columns] of Object.entries(tables)) {
    const [row] = await db.query<{ n: string; digest: string }>(
      `SELECT COUNT(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
       FROM (SELECT ${columns} FROM dw.${table} WHERE query_date = $1) t`,
      [date],
    );
    out[table] = `${row!.n}:${row!.digest}`;
  }
  return out;
}
