import type { Warehouse } from '../adapters/warehouse/port';
import { addDays, isReportDate } from '../domain/reportDate';
import { MissingResourceError, UserInputError } from '../errors';
import type {
  HeadlineMetric,
  Mover,
  RankedBook,
  RankedCount,
  ReportData,
  ReportLocale,
} from '../report/types';
import {
  MART_TOP_ROWS,
  MOVERS_MIN_COUNT,
  MOVERS_SHOWN,
  readBooks,
  readFailedKeywords,
  readHeadlines,
  readHourly,
  readKeywords,
  readLibraries,
  readMovers,
  readQueriesPerUser,
} from './sql/mart';

export interface ReadReportDataInput {
  readonly date: string;
  readonly locale: ReportLocale;
  /** Rows per ranked list, 1 to 50 (the mart keeps 50). Defaults to 50. */
  readonly topN?: number;
}

/**
 * Everything the report shows for one day, read from the mart (the only reader that returns report rows;
 * they are top-N lists, so small). Headline changes compare with the mart rows of the day before and the
 * same weekday a week before, read now rather than stored, so a later backfill of those days is honoured.
 */
export async function readReportData(warehouse: Warehouse, input: ReadReportDataInput): Promise<ReportData> {
  requireDate(input.date);
  const topN = input.topN ?? MART_TOP_ROWS;
  if (!Number.isInteger(topN) || topN < 1 || topN > MART_TOP_ROWS) {
    throw new UserInputError(`topN must be a whole number from 1 to ${MART_TOP_ROWS}, not ${topN}`);
  }
  const previousDay = addDays(input.date, -1);
  const previousWeek = addDays(input.date, -7);

  const headlines = await warehouse.query<HeadlineRow>(readHeadlines, [
    input.date,
    previousDay,
    previousWeek,
  ]);
  const byDate = new Map(headlines.map((row) => [row.report_date, row]));
  const day = byDate.get(input.date);
  if (!day) {
    throw new MissingResourceError(
      `the data mart has no figures for ${input.date}; refresh the mart for that day first`,
    );
  }
  const metric = (pick: (row: HeadlineRow) => unknown): HeadlineMetric => ({
    value: numberOrNull(pick(day)),
    previousDay: byDate.has(previousDay) ? numberOrNull(pick(byDate.get(previousDay)!)) : null,
    previousWeek: byDate.has(previousWeek) ? numberOrNull(pick(byDate.get(previousWeek)!)) : null,
  });

  const ranked = async (sql: string): Promise<RankedCount[]> =>
    (await warehouse.query<{ label: string; count: unknown }>(sql, [input.date, topN])).map((row) => ({
      label: row.label,
      count: Number(row.count),
    }));
  const keywords = await ranked(readKeywords);
  const libraries = await ranked(readLibraries);
  const failedKeywords = await ranked(readFailedKeywords);
  const books: RankedBook[] = (
    await warehouse.query<{ title: string | null; isbn13: string; count: unknown }>(readBooks, [
      input.date,
      topN,
    ])
  ).map((row) => ({ title: row.title, isbn13: row.isbn13, count: Number(row.count) }));
  const hourly = (await warehouse.query<{ hour: unknown; count: unknown }>(readHourly, [input.date])).map(
    (row) => ({
      hour: Number(row.hour),
      count: Number(row.count),
    }),
  );
  const [perUser] = await warehouse.query<{ users: unknown; mean: unknown; max: unknown }>(
    readQueriesPerUser,
    [input.date],
  );
  const users = Number(perUser?.users ?? 0);
  const movers = (await warehouse.query<MoverRow>(readMovers, [input.date, MOVERS_SHOWN])).map(toMover);

  return {
    date: input.date,
    locale: input.locale,
    headline: {
      requests: metric((row) => row.requests),
      failureRatePct: metric((row) => row.failure_rate_pct),
      booksPerChoosingSearch: metric((row) => row.books_per_choosing_search),
      choosingSharePct: metric((row) => row.choosing_share_pct),
    },
    movers: { minCount: MOVERS_MIN_COUNT, items: movers },
    keywords,
    books,
    libraries,
    failedKeywords,
    hourly,
    // No user chose a book: there is nothing to summarise, and a mean of 0 would be a made-up number.
    ...(users > 0
      ? { queriesPerUser: { users, mean: Number(perUser!.mean), max: Number(perUser!.max) } }
      : {}),
  };
}

type HeadlineRow = {
  report_date: string;
  requests: unknown;
  failure_rate_pct: unknown;
  books_per_choosing_search: unknown;
  choosing_share_pct: unknown;
};

type MoverRow = {
  kind: Mover['kind'];
  basis: Mover['basis'];
  direction: Mover['direction'];
  item: string;
  title: string | null;
  today_count: unknown;
  basis_count: unknown;
  change: unknown;
  new_in_top: unknown;
};

function toMover(row: MoverRow): Mover {
  return {
    kind: row.kind,
    basis: row.basis,
    direction: row.direction,
    label: row.title === null || row.title.trim() === '' ? row.item : row.title,
    todayCount: Number(row.today_count),
    basisCount: Number(row.basis_count),
    change: Number(row.change),
    newInTop: row.new_in_top === true || row.new_in_top === 't' || row.new_in_top === 'true',
  };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function requireDate(date: string): void {
  if (!isReportDate(date))
    throw new UserInputError(`date "${date}" is not a calendar day written YYYY-MM-DD`);
}
