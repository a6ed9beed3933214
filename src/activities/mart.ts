import { asyncLocalStorage } from '@temporalio/activity';
import type { SqlRunner, Warehouse } from '../adapters/warehouse/port';
import { addDays, isReportDate } from '../domain/reportDate';
import { MissingResourceError, UserInputError } from '../errors';
import type { HeadlineMetric, RankedBook, RankedCount, ReportData, ReportLocale } from '../report/types';
import {
  countDayRows,
  MART_SCHEMA_DDL,
  MART_TOP_ROWS,
  type MartTable,
  readBooks,
  readFailedKeywords,
  readHeadlines,
  readHourly,
  readKeywords,
  readLibraries,
  readQueriesPerUser,
  readRecentRequests,
  refreshLockStatement,
  refreshStatements,
} from './sql/mart';

export interface RefreshMartInput {
  /** The report day, YYYY-MM-DD (the warehouse's `query_date`). */
  readonly date: string;
  /** IANA time zone the hourly counts are told in; defaults to the one the activities were built with. */
  readonly timeZone?: string;
}

/** What a refresh left in the mart: rows per table for the day (counts only, never rows). */
export interface RefreshMartResult {
  readonly date: string;
  readonly rows: Record<MartTable, number>;
}

export interface ReadReportDataInput {
  readonly date: string;
  readonly locale: ReportLocale;
  /** Rows per ranked list, 1 to 50 (the mart keeps 50). Defaults to 50. */
  readonly topN?: number;
}

export interface CheckDataQualityInput {
  readonly date: string;
  /** How the day's load ended; a failed reconciliation means the warehouse does not hold the whole day. */
  readonly loadOutcome: 'loaded' | 'reconciliation_failed';
  /**
   * How far the day's requests may stray from the baseline before it is an anomaly: the day passes
   * when baseline / factor ≤ requests ≤ baseline × factor. Defaults to `DEFAULT_ANOMALY_FACTOR`.
   */
  readonly anomalyFactor?: number;
}

/** The gate's verdict: `ok` days are reported as usual, the others get a short notice saying `reason`. */
export interface DataQualityVerdict {
  readonly ok: boolean;
  readonly kind?: 'delayed' | 'anomaly';
  readonly reason?: string;
  /** The day's requests in the mart (0 when the mart has no row for it). */
  readonly requests: number;
  /** Median requests of the previous available days, or null when there are too few of them. */
  readonly baseline: number | null;
}

/**
 * A day with three times (or a third of) its usual traffic is not a normal weekday swing: it points
 * at a broken producer, a partial extract or a duplicated load. Looser factors miss half-lost days;
 * tighter ones flag holidays. Note the baseline mixes weekdays and weekends; if weekends of this
 * service fall below a third of weekdays, pass a larger factor.
 */
export const DEFAULT_ANOMALY_FACTOR = 3;
/** The baseline is the median of this many most recent earlier days: robust to one odd day among them. */
const BASELINE_DAYS = 7;
/** Fewer earlier days than this give no baseline (a new deployment), and the anomaly test is skipped. */
const MIN_BASELINE_DAYS = 3;
/** Earlier days older than this say little about today, so they never enter the baseline. */
const BASELINE_LOOKBACK_DAYS = 28;

/** The report's time zone when neither the activities nor the call name one (the seed's staff are in Seoul). */
const DEFAULT_TIME_ZONE = 'Asia/Seoul';

export function createMartActivities(deps: { warehouse: Warehouse; timeZone?: string }) {
  const { warehouse } = deps;

  /**
   * Rebuilds every mart table for one day in one transaction: readers see the old day or the new day.
   * Each table loses only that day's rows, so other days stay as they were.
   */
  async function refreshMart(input: RefreshMartInput): Promise<RefreshMartResult> {
    requireDate(input.date);
    const timeZone = input.timeZone ?? deps.timeZone ?? DEFAULT_TIME_ZONE;
    requireTimeZone(timeZone);
    await ensureMartSchema(warehouse);
    const plan = refreshStatements(
      { report_date: input.date, top_rows: MART_TOP_ROWS, time_zone: timeZone },
      warehouse.dialect,
    );
    const rows = await warehouse.transaction(async (tx) => {
      await tx.query(refreshLockStatement(warehouse.dialect));
      const counts: Partial<Record<MartTable, number>> = {};
      for (const { table, statements } of plan) {
        for (const statement of statements) await tx.query(statement.sql, statement.params);
        counts[table] = await countRows(tx, table, input.date);
        heartbeat(table);
      }
      return counts as Record<MartTable, number>;
    });
    return { date: input.date, rows };
  }

  /**
   * The data-quality gate before rendering: a day whose load did not reconcile, that has no requests,
   * or whose requests are far off the median of its recent days is not reported as normal.
   * Reads the mart, so it runs after `refreshMart`.
   */
  async function checkDataQuality(input: CheckDataQualityInput): Promise<DataQualityVerdict> {
    requireDate(input.date);
    const factor = input.anomalyFactor ?? DEFAULT_ANOMALY_FACTOR;
    if (!Number.isFinite(factor) || factor <= 1) {
      throw new UserInputError(`anomalyFactor must be a number greater than 1, not ${factor}`);
    }
    await ensureMartSchema(warehouse);
    const recent = await warehouse.query<{ report_date: string; requests: unknown }>(readRecentRequests, [
      input.date,
      addDays(input.date, -BASELINE_LOOKBACK_DAYS),
    ]);
    const today = recent.find((r) => r.report_date === input.date);
    const requests = today ? Number(today.requests) : 0;
    // Days without requests were themselves outages; they are no measure of normal traffic.
    const earlier = recent
      .filter((r) => r.report_date < input.date && Number(r.requests) > 0)
      .slice(0, BASELINE_DAYS)
      .map((r) => Number(r.requests));
    const baseline = earlier.length >= MIN_BASELINE_DAYS ? median(earlier) : null;
    const verdict = (kind: 'delayed' | 'anomaly', reason: string): DataQualityVerdict => ({
      ok: false,
      kind,
      reason,
      requests,
      baseline,
    });

    if (input.loadOutcome === 'reconciliation_failed') {
      return verdict(
        'delayed',
        `the load of ${input.date} did not reconcile with its sources, so the warehouse may not hold the whole day`,
      );
    }
    if (!today) return verdict('delayed', `the data mart has no figures for ${input.date} yet`);
    if (requests === 0) return verdict('delayed', `no search requests were loaded for ${input.date}`);
    if (baseline !== null && (requests > baseline * factor || requests < baseline / factor)) {
      const ratio = requests / baseline;
      return verdict(
        'anomaly',
        `${input.date} had ${requests} requests, ${formatRatio(ratio)}× the median of the ${earlier.length} previous days (${baseline}); ` +
          `a normal day stays between ${formatRatio(1 / factor)}× and ${formatRatio(factor)}×`,
      );
    }
    return { ok: true, requests, baseline };
  }

  return {
    refreshMart,
    readReportData: (input: ReadReportDataInput) => readReportData(warehouse, input),
    checkDataQuality,
  };
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

  return {
    date: input.date,
    locale: input.locale,
    headline: {
      requests: metric((row) => row.requests),
      failureRatePct: metric((row) => row.failure_rate_pct),
      choicesPerRecommendation: metric((row) => row.choices_per_recommendation),
    },
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
  choices_per_recommendation: unknown;
};

/** Creates the mart schema and tables when missing; every statement is safe to repeat. */
async function ensureMartSchema(warehouse: Warehouse): Promise<void> {
  for (const statement of MART_SCHEMA_DDL) await warehouse.query(statement);
}

async function countRows(tx: SqlRunner, table: MartTable, date: string): Promise<number> {
  const [row] = await tx.query<{ n: unknown }>(countDayRows(table), [date]);
  return Number(row?.n ?? 0);
}

/** Heartbeats when running as a Temporal activity; a plain in-process call has no one to tell. */
function heartbeat(detail: string): void {
  asyncLocalStorage.getStore()?.heartbeat(detail);
}

function requireDate(date: string): void {
  if (!isReportDate(date))
    throw new UserInputError(`date "${date}" is not a calendar day written YYYY-MM-DD`);
}

function requireTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UserInputError(`time zone "${timeZone}" is not an IANA time zone such as Asia/Seoul`);
  }
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatRatio(ratio: number): string {
  return String(Math.round(ratio * 100) / 100);
}
