import { readReportData } from '../../src/activities/mart';
import { MOVERS_MIN_COUNT } from '../../src/activities/sql/mart';
import { MissingResourceError, UserInputError } from '../../src/errors';
import type { ReportData } from '../../src/report/types';
import {
  BIG_DAY,
  BIG_DAY_SEARCHES,
  BOOK,
  DAY,
  HOSTILE_KEYWORD,
  HOSTILE_TITLE,
  NEXT_DAY,
} from './martFixture';
import { referenceRanking } from './martReference';
import { UNREFRESHED_DAY, useMartWarehouse } from './martWarehouse';

/** readReportData: the report's read model over the refreshed mart. */

const suite = useMartWarehouse('reportdata');

describe('readReportData', () => {
  it('maps the mart to ReportData, with changes against the day before and a week before', async () => {
    const data: ReportData = await suite.mart.readReportData({ date: DAY, locale: 'ko' });
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
    const data = await readReportData(suite.warehouse, { date: NEXT_DAY, locale: 'en' });
    expect(data.headline).toEqual({
      requests: { value: 1, previousDay: 7, previousWeek: null },
      failureRatePct: { value: 100, previousDay: expect.closeTo(300 / 7, 9), previousWeek: null },
      booksPerChoosingSearch: { value: null, previousDay: 1.5, previousWeek: null },
      choosingSharePct: { value: null, previousDay: 100, previousWeek: null },
    });
    expect(data.queriesPerUser).toBeUndefined();
  });

  it('cuts every list to topN', async () => {
    const data = await readReportData(suite.warehouse, { date: BIG_DAY, locale: 'ko', topN: 10 });
    expect(data.keywords.map((k) => k.label)).toEqual(
      referenceRanking(
        BIG_DAY_SEARCHES.filter((s) => s.isbns.length > 0).flatMap((s) => s.keywords),
        10,
      ).map((k) => k.label),
    );
    expect(data.failedKeywords).toHaveLength(10);
    expect((await readReportData(suite.warehouse, { date: BIG_DAY, locale: 'ko' })).keywords).toHaveLength(
      50,
    );
  });

  it('refuses a day the mart has not been refreshed for, and a topN beyond what the mart keeps', async () => {
    await expect(
      readReportData(suite.warehouse, { date: UNREFRESHED_DAY, locale: 'ko' }),
    ).rejects.toBeInstanceOf(MissingResourceError);
    await expect(
      readReportData(suite.warehouse, { date: DAY, locale: 'ko', topN: 51 }),
    ).rejects.toBeInstanceOf(UserInputError);
  });
});
