import { asyncLocalStorage } from '@temporalio/activity';
import type { SqlRunner, Warehouse } from '../adapters/warehouse/port';
import { addDays } from '../domain/reportDate';
import { UserInputError } from '../errors';
import { readReportData, requireDate, type ReadReportDataInput } from './reportData';
import {
  countDayRows,
  martSchemaStatements,
  MART_TOP_ROWS,
  type MartTable,
  readRecentRequests,
  refreshLockStatement,
  refreshStatements,
} from './sql/mart';

export { readReportData, type ReadReportDataInput } from './reportData';

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
      {
        report_date: input.date,
        next_date: addDays(input.date, 1),
        top_rows: MART_TOP_ROWS,
        time_zone: timeZone,
      },
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

/** Creates the mart schema and tables when missing; every statement is safe to repeat. */
async function ensureMartSchema(warehouse: Warehouse): Promise<void> {
  for (const statement of martSchemaStatements(warehouse.dialect)) await warehouse.query(statement);
}

async function countRows(tx: SqlRunner, table: MartTable, date: string): Promise<number> {
  const [row] = await tx.query<{ n: unknown }>(countDayRows(table), [date]);
  return Number(row?.n ?? 0);
}

/** Heartbeats when running as a Temporal activity; a plain in-process call has no one to tell. */
function heartbeat(detail: string): void {
  asyncLocalStorage.getStore()?.heartbeat(detail);
}

function requireTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new UserInputError(`time zone "${timeZone}" is not an IANA time zone such as Asia/Seoul`);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatRatio(ratio: number): string {
  return String(Math.round(ratio * 100) / 100);
}
