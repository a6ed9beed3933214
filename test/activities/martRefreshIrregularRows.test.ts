import { DAY_TABLES } from '../../src/activities/sql/dayTables';
import { martRows, SEOUL, useMartWarehouse } from './martWarehouse';

/** refreshMart on rows no load writes but a hand fix-up could, against independent SQL. */

const suite = useMartWarehouse('martirregular');

describe('refreshMart', () => {
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
    await suite.warehouse.copyIn('dw.search_query', DAY_TABLES.queries.columns, [
      query('e1', '2024-06-03T01:00:00+09:00', false),
      query('e2', '2024-06-03T02:00:00+09:00', true),
      query('e3', null, false),
      query('e3', null, false),
      query('e4', '2024-06-03T03:00:00+09:00', false),
      query('e4', '2024-06-03T03:00:00+09:00', true),
      query('e5', '2024-06-03T04:00:00+09:00', false),
    ]);
    await suite.warehouse.copyIn(
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
    await suite.mart.refreshMart({ date: day, timeZone: SEOUL });

    // The failed-only keywords as the seed's SQL found them: joined twice, found keywords anti-joined.
    const failed = await suite.warehouse.query<{ keyword: string; n: string }>(
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
    expect(await martRows(suite.warehouse, 'failed_keyword_ranking', day, 'ranking')).toEqual(expected);

    const [counts] = await suite.warehouse.query<Record<string, string>>(
      `SELECT COUNT(*) AS requests, SUM(CASE WHEN succeeded THEN 1 ELSE 0 END) AS succeeded,
              SUM(CASE WHEN succeeded THEN 0 ELSE 1 END) AS failed
       FROM dw.search_query WHERE query_date = $1`,
      [day],
    );
    expect(await martRows(suite.warehouse, 'daily_headline', day, 'report_date')).toEqual([
      {
        requests: Number(counts!.requests),
        succeeded_requests: Number(counts!.succeeded),
        failed_requests: Number(counts!.failed),
        failure_rate_pct: (Number(counts!.failed) * 100) / Number(counts!.requests),
        choices_per_recommendation: 0,
      },
    ]);
    // Successful searches only (e2, and e4's succeeded row); orphaned keyword rows have no search.
    expect(await martRows(suite.warehouse, 'keyword_ranking', day, 'ranking')).toEqual([
      { ranking: 1, keyword: 'w', occurrences: 1 },
      { ranking: 2, keyword: 'y', occurrences: 1 },
    ]);
  });
});
