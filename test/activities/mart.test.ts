import { MockActivityEnvironment } from '@temporalio/testing';
import { createMartActivities, readReportData } from '../../src/activities/mart';
import { DAY_TABLES } from '../../src/activities/sql/dayTables';
import {
  bindNamed,
  MART_REFRESH,
  MART_SCHEMA_DDL,
  MART_TABLES,
  MART_TOP_ROWS,
  MOVERS_MIN_COUNT,
  refreshStatements,
  viaTempTable,
} from '../../src/activities/sql/mart';
import { splitStatements } from '../../src/activities/sql/statements';
import * as martSql from '../../src/activities/sql/mart';
import { createPgPool, pgWarehouse } from '../../src/adapters/warehouse/pgWarehouse';
import type { Warehouse } from '../../src/adapters/warehouse/port';
import { toNamedParameters } from '../../src/adapters/warehouse/redshiftParameters';
import { MissingResourceError, UserInputError } from '../../src/errors';
import type { ReportData } from '../../src/report/types';
import { freshDatabase, type TestDatabase } from '../support/databases';
import {
  BIG_DAY,
  BIG_DAY_SEARCHES,
  BOOK,
  BOOKS,
  createWarehouseSchema,
  DAY,
  DAY_BEFORE,
  DAY_BEFORE_CHOICES,
  DAY_BEFORE_SEARCHES,
  DAY_CHOICES,
  DAY_SEARCHES,
  HOSTILE_KEYWORD,
  HOSTILE_TITLE,
  insertBooks,
  insertChoices,
  insertSearches,
  MIDNIGHT_CHOICES,
  MIDNIGHT_DAY,
  AFTER_MIDNIGHT_DAY,
  MIDNIGHT_SEARCHES,
  NEXT_DAY,
  NEXT_DAY_SEARCHES,
  plainSearches,
  referenceRanking,
  STALE_DAY,
  STALE_DAY_SEARCHES,
  WEEK_BEFORE,
  WEEK_BEFORE_SEARCHES,
} from './martFixture';
import { referenceDay } from './martReference';

const SEOUL = 'Asia/Seoul';

/** Request counts per day for the data-quality tests (median of 09-01…09-07 is 10). */
const QUALITY_DAYS: Record<string, number> = {
  '2024-09-01': 5,
  '2024-09-02': 9,
  '2024-09-03': 10,
  '2024-09-04': 11,
  '2024-09-05': 12,
  '2024-09-06': 30,
  '2024-09-07': 8,
  '2024-09-08': 100,
  '2024-09-09': 10,
  '2024-09-10': 2,
};
/** Refreshed with nothing in the warehouse: a mart row with zero requests. */
const EMPTY_DAY = '2024-07-01';
/** Never refreshed: no mart row at all. */
const UNREFRESHED_DAY = '2024-07-02';

let db: TestDatabase;
let warehouse: Warehouse;
let mart: ReturnType<typeof createMartActivities>;

beforeAll(async () => {
  db = await freshDatabase('mart');
  warehouse = pgWarehouse(createPgPool(db.url));
  await createWarehouseSchema(warehouse);
  await insertSearches(warehouse, [
    ...DAY_SEARCHES,
    ...DAY_BEFORE_SEARCHES,
    ...WEEK_BEFORE_SEARCHES,
    ...NEXT_DAY_SEARCHES,
    ...BIG_DAY_SEARCHES,
    ...STALE_DAY_SEARCHES,
    ...MIDNIGHT_SEARCHES,
    ...Object.entries(QUALITY_DAYS).flatMap(([date, count]) => plainSearches(date, count)),
  ]);
  await insertChoices(warehouse, [...DAY_CHOICES, ...DAY_BEFORE_CHOICES, ...MIDNIGHT_CHOICES]);
  await insertBooks(warehouse, BOOKS);
  mart = createMartActivities({ warehouse });
  for (const date of [
    STALE_DAY,
    WEEK_BEFORE,
    DAY_BEFORE,
    DAY,
    NEXT_DAY,
    BIG_DAY,
    EMPTY_DAY,
    MIDNIGHT_DAY,
    AFTER_MIDNIGHT_DAY,
    ...Object.keys(QUALITY_DAYS),
  ]) {
    await mart.refreshMart({ date, timeZone: SEOUL });
  }
});

afterAll(async () => {
  await warehouse?.close();
  await db?.drop();
});

/** A mart table's rows for one day, without report_date, in a stable order. */
async function martRows(table: string, date: string, orderBy: string): Promise<Record<string, unknown>[]> {
  const rows = await warehouse.query(
    `SELECT * FROM mart.${table} WHERE report_date = $1 ORDER BY ${orderBy}`,
    [date],
  );
  return rows.map(({ report_date: _date, ...rest }) => normalise(rest));
}

/** COUNT/BIGINT columns arrive as strings from pg; compare numbers as numbers. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'isbn13' ? Number(v) : v,
    ]),
  );
}

/** Every row of every mart table, for comparing whole-mart snapshots. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of MART_TABLES) {
    out[table] = await warehouse.query(`SELECT * FROM mart.${table} ORDER BY 1, 2, 3`);
  }
  return out;
}

describe('refreshMart', () => {
  it('computes the headline: failure rate is failed / all requests × 100, choices per successful search', async () => {
    expect(await martRows('daily_headline', DAY, 'report_date')).toEqual([
      {
        requests: 7,
        succeeded_requests: 4,
        failed_requests: 3,
        failure_rate_pct: expect.closeTo((3 * 100) / 7, 9),
        choices_per_recommendation: 1.5,
      },
    ]);
    expect(await martRows('daily_choices', DAY, 'report_date')).toEqual([
      {
        recommendations: 4,
        choosing_searches: 4,
        choices: 6,
        books_per_choosing_search: 1.5,
        choosing_share_pct: 100,
        choices_per_recommendation: 1.5,
      },
    ]);
    // Checked against SQL written here, independently of the mart's files.
    const [independent] = await warehouse.query<{ pct: number }>(
      `SELECT 100.0 * SUM(CASE WHEN result_count = 0 THEN 1 ELSE 0 END) / COUNT(*) AS pct
       FROM dw.search_query WHERE query_date = $1`,
      [DAY],
    );
    const [headline] = await martRows('daily_headline', DAY, 'report_date');
    expect(headline!.failure_rate_pct).toBeCloseTo(Number(independent!.pct), 9);
  });

  it('keeps a null ratio when nothing was recommended and a zero ratio when nothing was chosen', async () => {
    expect(await martRows('daily_headline', NEXT_DAY, 'report_date')).toEqual([
      {
        requests: 1,
        succeeded_requests: 0,
        failed_requests: 1,
        failure_rate_pct: 100,
        choices_per_recommendation: null,
      },
    ]);
    expect(await martRows('daily_headline', WEEK_BEFORE, 'report_date')).toEqual([
      {
        requests: 2,
        succeeded_requests: 2,
        failed_requests: 0,
        failure_rate_pct: 0,
        choices_per_recommendation: 0,
      },
    ]);
    expect(await martRows('daily_headline', EMPTY_DAY, 'report_date')).toEqual([
      {
        requests: 0,
        succeeded_requests: 0,
        failed_requests: 0,
        failure_rate_pct: null,
        choices_per_recommendation: null,
      },
    ]);
  });

  it('ranks keywords of successful searches only, by count, ties by keyword', async () => {
    // flask also appears in failed q4, rust and the hostile keyword only in failed searches.
    expect(await martRows('keyword_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, keyword: 'java', occurrences: 3 },
      { ranking: 2, keyword: 'python', occurrences: 3 },
      { ranking: 3, keyword: 'flask', occurrences: 1 },
    ]);
  });

  it('dates a choice made after midnight by its search: the evening’s day, not the next', async () => {
    const choices = async (day: string) =>
      (await martRows('daily_choices', day, 'report_date')).map((r) => ({
        recommendations: r.recommendations,
        choosing: r.choosing_searches,
        choices: r.choices,
      }));
    // m1 (23:50) got both its choices after midnight; m2's choice two days later is outside the window.
    expect(await choices(MIDNIGHT_DAY)).toEqual([{ recommendations: 2, choosing: 1, choices: 2 }]);
    // m3 (00:05) is the next day's only search; m1's after-midnight choices are not the next day's.
    expect(await choices(AFTER_MIDNIGHT_DAY)).toEqual([{ recommendations: 1, choosing: 1, choices: 1 }]);
    expect(await martRows('queries_per_user', MIDNIGHT_DAY, 'user_id')).toEqual([
      { user_id: 'user-7', distinct_queries: 1 },
    ]);
    // Independent SQL: choices joined to their search by query id, whatever their choice_date.
    const [independent] = await warehouse.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM dw.user_choice c
       WHERE EXISTS (SELECT 1 FROM dw.search_query q WHERE q.query_id = c.query_id AND q.query_date = $1)
         AND c.chosen_at < CAST($2 AS TIMESTAMPTZ)`,
      [MIDNIGHT_DAY, '2024-06-12T00:00:00+09:00'],
    );
    expect(Number(independent!.n)).toBe(2);
  });

  it('agrees on every fixture day with the metrics computed in TypeScript from the rows', async () => {
    const searches = [
      ...DAY_SEARCHES,
      ...DAY_BEFORE_SEARCHES,
      ...WEEK_BEFORE_SEARCHES,
      ...NEXT_DAY_SEARCHES,
      ...BIG_DAY_SEARCHES,
      ...MIDNIGHT_SEARCHES,
    ];
    const choices = [...DAY_CHOICES, ...DAY_BEFORE_CHOICES, ...MIDNIGHT_CHOICES];
    for (const day of [WEEK_BEFORE, DAY_BEFORE, DAY, NEXT_DAY, BIG_DAY, MIDNIGHT_DAY, AFTER_MIDNIGHT_DAY]) {
      const expected = referenceDay(day, searches, choices, MART_TOP_ROWS);
      const data = await readReportData(warehouse, { date: day, locale: 'ko' });
      const close = (v: number | null) => (v === null ? null : expect.closeTo(v, 9));
      expect({ day, ...data.headline }).toEqual({
        day,
        requests: expect.objectContaining({ value: expected.requests }),
        failureRatePct: expect.objectContaining({ value: close(expected.failureRatePct) }),
        booksPerChoosingSearch: expect.objectContaining({ value: close(expected.booksPerChoosingSearch) }),
        choosingSharePct: expect.objectContaining({ value: close(expected.choosingSharePct) }),
      });
      expect({ day, list: data.keywords }).toEqual({ day, list: expected.keywords });
      expect({ day, list: data.failedKeywords }).toEqual({ day, list: expected.failedKeywords });
      expect({ day, list: data.libraries }).toEqual({ day, list: expected.libraries });
    }
  });

  it('ranks libraries with a three-way tie broken by name', async () => {
    expect(await martRows('library_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, library: '남산', occurrences: 3 },
      { ranking: 2, library: '노원', occurrences: 3 },
      { ranking: 3, library: '마포', occurrences: 3 },
    ]);
  });

  it('ranks books with catalogue titles, null for unknown books, one row per book, ties by ISBN', async () => {
    expect(await martRows('book_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, isbn13: BOOK.A, title: '파이썬 코딩의 기술', times_returned: 3 },
      { ranking: 2, isbn13: BOOK.B, title: HOSTILE_TITLE, times_returned: 2 },
      { ranking: 3, isbn13: BOOK.C, title: null, times_returned: 1 },
      { ranking: 4, isbn13: BOOK.D, title: 'Deep Learning (2nd ed.)', times_returned: 1 },
    ]);
  });

  it('lists failed keywords that no successful search of the day used', async () => {
    expect(await martRows('failed_keyword_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, keyword: 'rust', failed_occurrences: 2 },
      { ranking: 2, keyword: HOSTILE_KEYWORD, failed_occurrences: 1 },
      { ranking: 3, keyword: 'zig', failed_occurrences: 1 },
    ]);
    expect(await martRows('failed_keyword_ranking', DAY_BEFORE, 'ranking')).toEqual([
      { ranking: 1, keyword: 'cobol', failed_occurrences: 1 },
    ]);
  });

  it('counts distinct queries per user from the choices of the day’s searches', async () => {
    expect(await martRows('queries_per_user', DAY, 'user_id')).toEqual([
      { user_id: 'user-1', distinct_queries: 2 },
      { user_id: 'user-2', distinct_queries: 1 },
      { user_id: 'user-3', distinct_queries: 1 },
    ]);
  });

  it('counts requests per hour of the report time zone, requests without a time under hour NULL', async () => {
    expect(await martRows('hourly_requests', DAY, 'hour_of_day NULLS LAST')).toEqual([
      { hour_of_day: 0, requests: 1 },
      { hour_of_day: 9, requests: 3 },
      { hour_of_day: 13, requests: 1 },
      { hour_of_day: 23, requests: 1 },
      { hour_of_day: null, requests: 1 },
    ]);
    try {
      await mart.refreshMart({ date: DAY, timeZone: 'UTC' });
      expect(await martRows('hourly_requests', DAY, 'hour_of_day NULLS LAST')).toEqual([
        { hour_of_day: 0, requests: 3 },
        { hour_of_day: 4, requests: 1 },
        { hour_of_day: 14, requests: 1 },
        { hour_of_day: 15, requests: 1 },
        { hour_of_day: null, requests: 1 },
      ]);
    } finally {
      await mart.refreshMart({ date: DAY, timeZone: SEOUL });
    }
  });

  it('orders before it limits: a day with more than fifty keywords keeps its true top', async () => {
    const found = BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords);
    const expected = referenceRanking(found, MART_TOP_ROWS);
    const rows = await martRows('keyword_ranking', BIG_DAY, 'ranking');
    expect(rows).toHaveLength(MART_TOP_ROWS);
    expect(rows.map((r) => ({ label: r.keyword, count: r.occurrences }))).toEqual(expected);
    expect(rows.slice(0, 3).map((r) => r.keyword)).toEqual(['zz', 'zy', 'k59']);
    expect(rows.map((r) => r.ranking)).toEqual(Array.from({ length: MART_TOP_ROWS }, (_, i) => i + 1));

    const succeeded = new Set(BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords));
    const failedOnly = BIG_DAY_SEARCHES.filter((s) => s.isbns.length === 0)
      .flatMap((s) => s.keywords)
      .filter((k) => !succeeded.has(k));
    const failedRows = await martRows('failed_keyword_ranking', BIG_DAY, 'ranking');
    expect(failedRows.map((r) => ({ label: r.keyword, count: r.failed_occurrences }))).toEqual(
      referenceRanking(failedOnly, MART_TOP_ROWS),
    );
    expect(failedRows.map((r) => r.keyword)).not.toContain('k59');
  });

  it('returns the day’s row count per mart table', async () => {
    const result = await mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(result).toEqual({
      date: DAY,
      rows: {
        daily_choices: 1,
        daily_headline: 1,
        keyword_ranking: 3,
        book_ranking: 4,
        library_ranking: 3,
        failed_keyword_ranking: 3,
        queries_per_user: 3,
        hourly_requests: 5,
        // 3 keywords of successful searches, 4 books, 3 libraries.
        daily_counts: 10,
        // Every count of this small day is under the movers' floor (martMovers.test.ts covers the movers).
        daily_movers: 0,
      },
    });
  });

  it('gives identical mart contents when re-run, alone or concurrently', async () => {
    const before = await snapshot();
    await mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await snapshot()).toEqual(before);
    await Promise.all([
      mart.refreshMart({ date: DAY, timeZone: SEOUL }),
      mart.refreshMart({ date: DAY, timeZone: SEOUL }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('replaces only its own day: another day’s rows stay as they were', async () => {
    // The stale day gains a request in dw that its mart rows deliberately do not reflect.
    await insertSearches(warehouse, [
      { id: 'stale-extra', date: STALE_DAY, at: null, keywords: ['late'], libraries: ['남산'], isbns: [] },
    ]);
    const staleBefore = (await snapshot()).daily_headline!.filter(
      (r) => (r as { report_date: string }).report_date === STALE_DAY,
    );
    expect(staleBefore).toEqual([expect.objectContaining({ requests: '2' })]);
    const others = async () =>
      Object.fromEntries(
        await Promise.all(
          MART_TABLES.map(async (t) => [
            t,
            await warehouse.query(`SELECT * FROM mart.${t} WHERE report_date <> $1 ORDER BY 1, 2, 3`, [DAY]),
          ]),
        ),
      );
    const otherDaysBefore = await others();
    await mart.refreshMart({ date: DAY, timeZone: SEOUL });
    expect(await others()).toEqual(otherDaysBefore);
  });

  it('heartbeats once per table when run as an activity', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (detail: unknown) => beats.push(detail));
    await env.run(mart.refreshMart, { date: DAY, timeZone: SEOUL });
    expect(beats).toEqual([...MART_TABLES]);
  });

  it('rejects a malformed date or an unknown time zone before touching the warehouse', async () => {
    await expect(mart.refreshMart({ date: '2024-02-30', timeZone: SEOUL })).rejects.toBeInstanceOf(
      UserInputError,
    );
    await expect(
      mart.refreshMart({ date: DAY, timeZone: "Asia/Seoul'; DROP SCHEMA mart;--" }),
    ).rejects.toBeInstanceOf(UserInputError);
  });

  it('defaults the time zone to the one the activities were built with', async () => {
    const utcMart = createMartActivities({ warehouse, timeZone: 'UTC' });
    try {
      await utcMart.refreshMart({ date: DAY });
      const hours = await martRows('hourly_requests', DAY, 'hour_of_day NULLS LAST');
      expect(hours[0]).toEqual({ hour_of_day: 0, requests: 3 });
    } finally {
      await mart.refreshMart({ date: DAY, timeZone: SEOUL });
    }
  });

  it('agrees with independent SQL on a day with duplicated, mixed and orphaned rows', async () => {
    // Rows no load writes but an analyst's fix-up could: search e3 twice (both failed), e4 once failed and
    // once succeeded, keyword rows whose search is missing, and a keyword row of another day.
    const day = '2024-06-03';
    const query = (id: string, at: string | null, succeeded: boolean) => [
      id,
      day,
      at,
      1,
      1,
      succeeded ? 3 : 0,
      succeeded,
    ];
    await warehouse.copyIn('dw.search_query', DAY_TABLES.queries.columns, [
      query('e1', '2024-06-03T01:00:00+09:00', false),
      query('e2', '2024-06-03T02:00:00+09:00', true),
      query('e3', null, false),
      query('e3', null, false),
      query('e4', '2024-06-03T03:00:00+09:00', false),
      query('e4', '2024-06-03T03:00:00+09:00', true),
      query('e5', '2024-06-03T04:00:00+09:00', false),
    ]);
    await warehouse.copyIn(
      'dw.search_keyword',
      ['query_id', 'query_date', 'position', 'keyword'],
      [
        ['e1', day, 0, 'x'],
        ['e1', day, 1, 'y'],
        ['e2', day, 0, 'y'],
        ['e3', day, 0, 'z'],
        ['e4', day, 0, 'w'],
        ['e5', day, 0, 'v'],
        ['missing-1', day, 0, 'v'],
        ['missing-2', day, 0, 'u'],
        ['e2', '2024-06-04', 0, 'x'],
      ],
    );
    await mart.refreshMart({ date: day, timeZone: SEOUL });

    // The failed-only keywords as the seed's SQL found them: joined twice, found keywords anti-joined.
    const failed = await warehouse.query<{ keyword: string; n: string }>(
      `SELECT k.keyword, COUNT(*) AS n
       FROM dw.search_keyword k JOIN dw.search_query q ON q.query_id = k.query_id AND q.query_date = k.query_date
       WHERE k.query_date = $1 AND NOT q.succeeded AND NOT EXISTS (
         SELECT 1 FROM dw.search_keyword sk
         JOIN dw.search_query sq ON sq.query_id = sk.query_id AND sq.query_date = sk.query_date
         WHERE sk.query_date = $1 AND sq.succeeded AND sk.keyword = k.keyword)
       GROUP BY k.keyword`,
      [day],
    );
    const expected = failed
      .map((r) => ({ keyword: r.keyword, failed_occurrences: Number(r.n) }))
      .sort((a, b) => b.failed_occurrences - a.failed_occurrences || (a.keyword < b.keyword ? -1 : 1))
      .map((r, i) => ({ ranking: i + 1, ...r }));
    expect(expected).toEqual([
      { ranking: 1, keyword: 'z', failed_occurrences: 2 },
      { ranking: 2, keyword: 'v', failed_occurrences: 1 },
      { ranking: 3, keyword: 'x', failed_occurrences: 1 },
    ]);
    expect(await martRows('failed_keyword_ranking', day, 'ranking')).toEqual(expected);

    const [counts] = await warehouse.query<Record<string, string>>(
      `SELECT COUNT(*) AS requests, SUM(CASE WHEN succeeded THEN 1 ELSE 0 END) AS succeeded,
              SUM(CASE WHEN succeeded THEN 0 ELSE 1 END) AS failed
       FROM dw.search_query WHERE query_date = $1`,
      [day],
    );
    expect(await martRows('daily_headline', day, 'report_date')).toEqual([
      {
        requests: Number(counts!.requests),
        succeeded_requests: Number(counts!.succeeded),
        failed_requests: Number(counts!.failed),
        failure_rate_pct: (Number(counts!.failed) * 100) / Number(counts!.requests),
        choices_per_recommendation: 0,
      },
    ]);
    // Successful searches only (e2, and e4's succeeded row); orphaned keyword rows have no search.
    expect(await martRows('keyword_ranking', day, 'ranking')).toEqual([
      { ranking: 1, keyword: 'w', occurrences: 1 },
      { ranking: 2, keyword: 'y', occurrences: 1 },
    ]);
  });
});

describe('readReportData', () => {
  it('maps the mart to ReportData, with changes against the day before and a week before', async () => {
    const data: ReportData = await mart.readReportData({ date: DAY, locale: 'ko' });
    expect(data).toEqual({
      date: DAY,
      locale: 'ko',
      headline: {
        requests: { value: 7, previousDay: 4, previousWeek: 2 },
        failureRatePct: { value: expect.closeTo(300 / 7, 9), previousDay: 25, previousWeek: 0 },
        booksPerChoosingSearch: { value: 1.5, previousDay: 1, previousWeek: null },
        choosingSharePct: { value: 100, previousDay: expect.closeTo(200 / 3, 9), previousWeek: 0 },
      },
      movers: { minCount: MOVERS_MIN_COUNT, items: [] },
      keywords: [
        { label: 'java', count: 3 },
        { label: 'python', count: 3 },
        { label: 'flask', count: 1 },
      ],
      books: [
        { title: '파이썬 코딩의 기술', isbn13: BOOK.A, count: 3 },
        { title: HOSTILE_TITLE, isbn13: BOOK.B, count: 2 },
        { title: null, isbn13: BOOK.C, count: 1 },
        { title: 'Deep Learning (2nd ed.)', isbn13: BOOK.D, count: 1 },
      ],
      libraries: [
        { label: '남산', count: 3 },
        { label: '노원', count: 3 },
        { label: '마포', count: 3 },
      ],
      failedKeywords: [
        { label: 'rust', count: 2 },
        { label: HOSTILE_KEYWORD, count: 1 },
        { label: 'zig', count: 1 },
      ],
      hourly: [
        { hour: 0, count: 1 },
        { hour: 9, count: 3 },
        { hour: 13, count: 1 },
        { hour: 23, count: 1 },
      ],
      queriesPerUser: { users: 3, mean: expect.closeTo(4 / 3, 9), max: 2 },
    });
    for (const list of [data.keywords, data.libraries, data.failedKeywords, data.books]) {
      for (const row of list) expect(typeof row.count).toBe('number');
    }
  });

  it('reports no comparison when the earlier day has no mart row, and null values as null', async () => {
    const data = await readReportData(warehouse, { date: NEXT_DAY, locale: 'en' });
    expect(data.headline).toEqual({
      requests: { value: 1, previousDay: 7, previousWeek: null },
      failureRatePct: { value: 100, previousDay: expect.closeTo(300 / 7, 9), previousWeek: null },
      booksPerChoosingSearch: { value: null, previousDay: 1.5, previousWeek: null },
      choosingSharePct: { value: null, previousDay: 100, previousWeek: null },
    });
    expect(data.queriesPerUser).toBeUndefined();
  });

  it('cuts every list to topN', async () => {
    const data = await readReportData(warehouse, { date: BIG_DAY, locale: 'ko', topN: 10 });
    expect(data.keywords.map((k) => k.label)).toEqual(
      referenceRanking(
        BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords),
        10,
      ).map((k) => k.label),
    );
    expect(data.failedKeywords).toHaveLength(10);
    expect((await readReportData(warehouse, { date: BIG_DAY, locale: 'ko' })).keywords).toHaveLength(50);
  });

  it('refuses a day the mart has not been refreshed for, and a topN beyond what the mart keeps', async () => {
    await expect(readReportData(warehouse, { date: UNREFRESHED_DAY, locale: 'ko' })).rejects.toBeInstanceOf(
      MissingResourceError,
    );
    await expect(readReportData(warehouse, { date: DAY, locale: 'ko', topN: 51 })).rejects.toBeInstanceOf(
      UserInputError,
    );
  });
});

describe('checkDataQuality', () => {
  it('holds back a day whose load did not reconcile, as delayed', async () => {
    const verdict = await mart.checkDataQuality({ date: DAY, loadOutcome: 'reconciliation_failed' });
    expect(verdict).toMatchObject({ ok: false, kind: 'delayed', requests: 7 });
    expect(verdict.reason).toMatch(/did not reconcile/);
  });

  it('holds back a day with no requests, or with no mart row, as delayed', async () => {
    expect(await mart.checkDataQuality({ date: EMPTY_DAY, loadOutcome: 'loaded' })).toMatchObject({
      ok: false,
      kind: 'delayed',
      requests: 0,
      reason: expect.stringMatching(/no search requests/),
    });
    expect(await mart.checkDataQuality({ date: UNREFRESHED_DAY, loadOutcome: 'loaded' })).toMatchObject({
      ok: false,
      kind: 'delayed',
      requests: 0,
    });
  });

  it('flags a day far above or below the median of its previous seven days as an anomaly', async () => {
    const high = await mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded' });
    expect(high).toMatchObject({ ok: false, kind: 'anomaly', requests: 100, baseline: 10 });
    expect(high.reason).toMatch(/100 requests, 10× the median of the 7 previous days \(10\)/);

    // 2024-09-10's previous seven days are 09-03…09-09: median of 10, 11, 12, 30, 8, 100, 10 is 11.
    const low = await mart.checkDataQuality({ date: '2024-09-10', loadOutcome: 'loaded' });
    expect(low).toMatchObject({ ok: false, kind: 'anomaly', requests: 2, baseline: 11 });
  });

  it('passes a normal day, and a day with too little history to judge', async () => {
    expect(await mart.checkDataQuality({ date: '2024-09-09', loadOutcome: 'loaded' })).toEqual({
      ok: true,
      requests: 10,
      baseline: 11,
    });
    // Only two earlier days: no baseline, so even a 2× jump passes.
    expect(await mart.checkDataQuality({ date: '2024-09-03', loadOutcome: 'loaded' })).toEqual({
      ok: true,
      requests: 10,
      baseline: null,
    });
  });

  it('takes the anomaly factor as an input', async () => {
    expect(
      await mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded', anomalyFactor: 20 }),
    ).toMatchObject({
      ok: true,
      baseline: 10,
    });
    await expect(
      mart.checkDataQuality({ date: '2024-09-08', loadOutcome: 'loaded', anomalyFactor: 0.5 }),
    ).rejects.toBeInstanceOf(UserInputError);
  });
});

describe('mart SQL', () => {
  const readQueries = Object.entries(martSql)
    .filter(([name, value]) => name.startsWith('read') && typeof value === 'string')
    .map(([, value]) => value as string);
  const values = { report_date: DAY, next_date: NEXT_DAY, top_rows: MART_TOP_ROWS, time_zone: SEOUL };
  const refresh = refreshStatements(values, 'redshift').flatMap((t) => t.statements);

  it('has one file per mart table, each a DELETE of the day then an INSERT of it', () => {
    for (const table of MART_TABLES) {
      const [del, insert, ...rest] = MART_REFRESH[table];
      expect(rest).toEqual([]);
      expect(del).toMatch(new RegExp(`^DELETE FROM mart\\.${table} WHERE report_date = :report_date$`));
      expect(insert).toMatch(new RegExp(`^INSERT INTO mart\\.${table}\\s`));
      expect(insert).toMatch(/= :report_date/);
    }
  });

  it('stays in the subset PostgreSQL and Redshift share', () => {
    const all = [...MART_SCHEMA_DDL, ...refresh.map((s) => s.sql), ...readQueries];
    expect(readQueries.length).toBeGreaterThanOrEqual(8);
    for (const sql of all) {
      expect(sql).not.toMatch(
        /::|\bFILTER\s*\(|DISTINCT\s+ON|generate_series|ON\s+CONFLICT|string_agg|listagg|json|CONVERT_TIMEZONE/i,
      );
      expect(sql).not.toMatch(/:[a-z_]/);
    }
  });

  it('on PostgreSQL aggregates each table into a temporary table first, so parallel workers can help', () => {
    const postgres = refreshStatements(values, 'postgres');
    const redshift = refreshStatements(values, 'redshift');
    for (const [i, { table, statements }] of postgres.entries()) {
      const [del, insert] = redshift[i]!.statements;
      const select = insert!.sql.slice(insert!.sql.search(/\sSELECT\s/) + 1);
      const columns = /^INSERT INTO \S+\s+(\([^)]*\))/.exec(insert!.sql)![1];
      expect(statements.map((s) => s.sql)).toEqual([
        del!.sql,
        `CREATE TEMP TABLE mart_refresh_${table} ON COMMIT DROP AS\n${select}`,
        `INSERT INTO mart.${table} ${columns} SELECT * FROM mart_refresh_${table}`,
      ]);
      expect(statements.map((s) => s.params)).toEqual([del!.params, insert!.params, []]);
    }
    expect(() =>
      viaTempTable('daily_headline', 'INSERT INTO mart.keyword_ranking (keyword) SELECT 1'),
    ).toThrow(/daily_headline/);
    expect(() => viaTempTable('daily_headline', 'INSERT INTO mart.daily_headline VALUES (1)')).toThrow(
      /daily_headline/,
    );
  });

  it('renders for the Redshift Data API with every value as a named parameter', () => {
    for (const statement of refresh) {
      const named = toNamedParameters(statement.sql, statement.params);
      expect(named.sql).not.toMatch(/\$\d/);
      expect(named.parameters.map((p) => p.value)).toEqual(statement.params.map(String));
    }
    const hourly = refresh.find((s) => s.sql.includes('INSERT INTO mart.hourly_requests'))!;
    expect(toNamedParameters(hourly.sql, hourly.params).sql).toMatch(/AT TIME ZONE CAST\(:p\d AS VARCHAR\)/);
  });
});

describe('bindNamed and splitStatements', () => {
  it('numbers names by first use, reuses a number for a repeated name, and leaves quoted text alone', () => {
    expect(bindNamed("SELECT :b, ':a', :a, :b, x::int", { a: 1, b: 'two' })).toEqual({
      sql: "SELECT $1, ':a', $2, $1, x::int",
      params: ['two', 1],
    });
  });

  it('refuses a name without a value', () => {
    expect(() => bindNamed('SELECT :missing', {})).toThrow(/:missing/);
  });

  it('splits on semicolons at line ends and drops comment lines', () => {
    expect(splitStatements("-- a comment;\nSELECT 1;\n\nSELECT 'a;b'\n  FROM t;\n")).toEqual([
      'SELECT 1',
      "SELECT 'a;b'\n  FROM t",
    ]);
  });
});
