import type { Warehouse } from '../adapters/warehouse/port';
import { addDays } from '../domain/reportDate';
import { UserInputError } from '../errors';
import { ensureMartSchema } from './martRefresh';
import { requireDate } from './reportData';
import { readRecentRequests } from './sql/mart';

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

/** The data-quality gate: whether a refreshed day is reported as normal, or gets a notice saying why not. */
export function createDataQualityActivities(deps: { warehouse: Warehouse }) {
  const { warehouse } = deps;

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

  return { checkDataQuality };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatRatio(ratio: number): string {
  return String(Math.round(ratio * 100) / 100);
}
