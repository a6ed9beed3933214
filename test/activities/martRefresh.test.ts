import { readReportData } from '../../src/activities/mart';
import { MART_TOP_ROWS } from '../../src/activities/sql/mart';
import {
  BIG_DAY,
  BIG_DAY_SEARCHES,
  BOOK,
  DAY,
  DAY_BEFORE,
  DAY_BEFORE_CHOICES,
  DAY_BEFORE_SEARCHES,
  DAY_CHOICES,
  DAY_SEARCHES,
  HOSTILE_KEYWORD,
  HOSTILE_TITLE,
  MIDNIGHT_CHOICES,
  MIDNIGHT_DAY,
  AFTER_MIDNIGHT_DAY,
  MIDNIGHT_SEARCHES,
  NEXT_DAY,
  NEXT_DAY_SEARCHES,
  WEEK_BEFORE,
  WEEK_BEFORE_SEARCHES,
} from './martFixture';
import { referenceDay, referenceRanking } from './martReference';
import { EMPTY_DAY, martRows, SEOUL, useMartWarehouse } from './martWarehouse';

/** refreshMart on the fixture days: what each mart table holds, checked against metrics computed without SQL. */

const suite = useMartWarehouse('martrefresh');

describe('refreshMart', () => {
  it('computes the headline: failure rate is failed / all requests × 100, choices per successful search', async () => {
    expect(await martRows(suite.warehouse, 'daily_headline', DAY, 'report_date')).toEqual([
      {
        requests: 7,
        succeeded_requests: 4,
        failed_requests: 3,
        failure_rate_pct: expect.closeTo((3 * 100) / 7, 9),
        choices_per_recommendation: 1.5,
      },
    ]);
    expect(await martRows(suite.warehouse, 'daily_choices', DAY, 'report_date')).toEqual([
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
    const [independent] = await suite.warehouse.query<{ pct: number }>(
      `SELECT 100.0 * SUM(CASE WHEN result_count = 0 THEN 1 ELSE 0 END) / COUNT(*) AS pct
       FROM dw.search_query WHERE query_date = $1`,
      [DAY],
    );
    const [headline] = await martRows(suite.warehouse, 'daily_headline', DAY, 'report_date');
    expect(headline!.failure_rate_pct).toBeCloseTo(Number(independent!.pct), 9);
  });

  it('keeps a null ratio when nothing was recommended and a zero ratio when nothing was chosen', async () => {
    expect(await martRows(suite.warehouse, 'daily_headline', NEXT_DAY, 'report_date')).toEqual([
      {
        requests: 1,
        succeeded_requests: 0,
        failed_requests: 1,
        failure_rate_pct: 100,
        choices_per_recommendation: null,
      },
    ]);
    expect(await martRows(suite.warehouse, 'daily_headline', WEEK_BEFORE, 'report_date')).toEqual([
      {
        requests: 2,
        succeeded_requests: 2,
        failed_requests: 0,
        failure_rate_pct: 0,
        choices_per_recommendation: 0,
      },
    ]);
    expect(await martRows(suite.warehouse, 'daily_headline', EMPTY_DAY, 'report_date')).toEqual([
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
    expect(await martRows(suite.warehouse, 'keyword_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, keyword: 'java', occurrences: 3 },
      { ranking: 2, keyword: 'python', occurrences: 3 },
      { ranking: 3, keyword: 'flask', occurrences: 1 },
    ]);
  });

  it('dates a choice made after midnight by its search: the evening’s day, not the next', async () => {
    const choices = async (day: string) =>
      (await martRows(suite.warehouse, 'daily_choices', day, 'report_date')).map((r) => ({
        recommendations: r.recommendations,
        choosing: r.choosing_searches,
        choices: r.choices,
      }));
    // m1 (23:50) got both its choices after midnight; m2's choice two days later is outside the window.
    expect(await choices(MIDNIGHT_DAY)).toEqual([{ recommendations: 2, choosing: 1, choices: 2 }]);
    // m3 (00:05) is the next day's only search; m1's after-midnight choices are not the next day's.
    expect(await choices(AFTER_MIDNIGHT_DAY)).toEqual([{ recommendations: 1, choosing: 1, choices: 1 }]);
    expect(await martRows(suite.warehouse, 'queries_per_user', MIDNIGHT_DAY, 'user_id')).toEqual([
      { user_id: 'user-7', distinct_queries: 1 },
    ]);
    // Independent SQL: choices joined to their search by query id, whatever their choice_date.
    const [independent] = await suite.warehouse.query<{ n: string }>(
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
      const data = await readReportData(suite.warehouse, { date: day, locale: 'ko' });
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
    expect(await martRows(suite.warehouse, 'library_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, library: '남산', occurrences: 3 },
      { ranking: 2, library: '노원', occurrences: 3 },
      { ranking: 3, library: '마포', occurrences: 3 },
    ]);
  });

  it('ranks books with catalogue titles, null for unknown books, one row per book, ties by ISBN', async () => {
    expect(await martRows(suite.warehouse, 'book_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, isbn13: BOOK.A, title: '파이썬 코딩의 기술', times_returned: 3 },
      { ranking: 2, isbn13: BOOK.B, title: HOSTILE_TITLE, times_returned: 2 },
      { ranking: 3, isbn13: BOOK.C, title: null, times_returned: 1 },
      { ranking: 4, isbn13: BOOK.D, title: 'Deep Learning (2nd ed.)', times_returned: 1 },
    ]);
  });

  it('lists failed keywords that no successful search of the day used', async () => {
    expect(await martRows(suite.warehouse, 'failed_keyword_ranking', DAY, 'ranking')).toEqual([
      { ranking: 1, keyword: 'rust', failed_occurrences: 2 },
      { ranking: 2, keyword: HOSTILE_KEYWORD, failed_occurrences: 1 },
      { ranking: 3, keyword: 'zig', failed_occurrences: 1 },
    ]);
    expect(await martRows(suite.warehouse, 'failed_keyword_ranking', DAY_BEFORE, 'ranking')).toEqual([
      { ranking: 1, keyword: 'cobol', failed_occurrences: 1 },
    ]);
  });

  it('counts distinct queries per user from the choices of the day’s searches', async () => {
    expect(await martRows(suite.warehouse, 'queries_per_user', DAY, 'user_id')).toEqual([
      { user_id: 'user-1', distinct_queries: 2 },
      { user_id: 'user-2', distinct_queries: 1 },
      { user_id: 'user-3', distinct_queries: 1 },
    ]);
  });

  it('counts requests per hour of the report time zone, requests without a time under hour NULL', async () => {
    expect(await martRows(suite.warehouse, 'hourly_requests', DAY, 'hour_of_day NULLS LAST')).toEqual([
      { hour_of_day: 0, requests: 1 },
      { hour_of_day: 9, requests: 3 },
      { hour_of_day: 13, requests: 1 },
      { hour_of_day: 23, requests: 1 },
      { hour_of_day: null, requests: 1 },
    ]);
    try {
      await suite.mart.refreshMart({ date: DAY, timeZone: 'UTC' });
      expect(await martRows(suite.warehouse, 'hourly_requests', DAY, 'hour_of_day NULLS LAST')).toEqual([
        { hour_of_day: 0, requests: 3 },
        { hour_of_day: 4, requests: 1 },
        { hour_of_day: 14, requests: 1 },
        { hour_of_day: 15, requests: 1 },
        { hour_of_day: null, requests: 1 },
      ]);
    } finally {
      await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
    }
  });

  it('orders before it limits: a day with more than fifty keywords keeps its true top', async () => {
    const found = BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords);
    const expected = referenceRanking(found, MART_TOP_ROWS);
    const rows = await martRows(suite.warehouse, 'keyword_ranking', BIG_DAY, 'ranking');
    expect(rows).toHaveLength(MART_TOP_ROWS);
    expect(rows.map((r) => ({ label: r.keyword, count: r.occurrences }))).toEqual(expected);
    expect(rows.slice(0, 3).map((r) => r.keyword)).toEqual(['zz', 'zy', 'k59']);
    expect(rows.map((r) => r.ranking)).toEqual(Array.from({ length: MART_TOP_ROWS }, (_, i) => i + 1));

    const succeeded = new Set(BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords));
    const failedOnly = BIG_DAY_SEARCHES.filter((s) => s.isbns.length === 0)
      .flatMap((s) => s.keywords)
      .filter((k) => !succeeded.has(k));
    const failedRows = await martRows(suite.warehouse, 'failed_keyword_ranking', BIG_DAY, 'ranking');
    expect(failedRows.map((r) => ({ label: r.keyword, count: r.failed_occurrences }))).toEqual(
      referenceRanking(failedOnly, MART_TOP_ROWS),
    );
    expect(failedRows.map((r) => r.keyword)).not.toContain('k59');
  });

  it('returns the day’s row count per mart table', async () => {
    const result = await suite.mart.refreshMart({ date: DAY, timeZone: SEOUL });
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
});
