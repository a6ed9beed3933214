import { isAlreadyRunning } from './scheduledDailyReport';

// A backfill's bookkeeping: which days it covers and where each stands, carried across continue-as-new.

/** A span of days, both ends included, YYYY-MM-DD. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/**
 * Which days the warehouse already holds are run again: `none` skips every day with a load audit
 * row, `failed` re-runs days whose last load did not end `loaded`, `all` re-runs every day.
 */
export type Reprocess = 'none' | 'failed' | 'all';

export interface DayFailure {
  readonly date: string;
  readonly reason: string;
}

/** What a backfill has to do and has done; carried across continue-as-new. Running days are drained first. */
export interface BackfillState {
  /** Added days not yet checked against the load audit (the `reprocess` rule). */
  readonly unchecked: string[];
  readonly pending: string[];
  readonly done: string[];
  readonly failed: DayFailure[];
  /** Days left alone because the warehouse already has them, with why. */
  readonly skipped: DayFailure[];
  readonly cancelled: string[];
  paused: boolean;
  cancelRequested: boolean;
  /** How many times this backfill has continued as new. */
  generation: number;
}

export type BackfillStatus = 'running' | 'paused' | 'cancelling' | 'completed' | 'cancelled';

export function emptyBackfillState(): BackfillState {
  return {
    unchecked: [],
    pending: [],
    done: [],
    failed: [],
    skipped: [],
    cancelled: [],
    paused: false,
    cancelRequested: false,
    generation: 0,
  };
}

/** Every day the backfill covers, in any state: an added range adds only days not in here. */
export function coveredDays(state: BackfillState): Set<string> {
  return new Set<string>([
    ...state.unchecked,
    ...state.pending,
    ...state.done,
    ...state.cancelled,
    ...state.failed.map((f) => f.date),
    ...state.skipped.map((s) => s.date),
  ]);
}

/** Moves checked days (`days`, with their last load `outcomes`) to `pending` or `skipped` by the reprocess rule. */
export function sortChecked(
  state: BackfillState,
  days: readonly string[],
  outcomes: ReadonlyMap<string, string>,
  reprocess: Reprocess,
): void {
  for (const day of days) {
    const outcome = outcomes.get(day);
    if (outcome === undefined) state.pending.push(day);
    else if (reprocess === 'none')
      state.skipped.push({ date: day, reason: `already processed (last load: ${outcome})` });
    else if (outcome === 'loaded') state.skipped.push({ date: day, reason: 'already loaded' });
    else state.pending.push(day);
  }
  state.pending.sort();
}

export function statusOf(state: BackfillState, running: number): BackfillStatus {
  const open = running + state.unchecked.length + state.pending.length;
  if (state.cancelRequested) return open === 0 || running === 0 ? 'cancelled' : 'cancelling';
  if (open === 0) return 'completed';
  return state.paused ? 'paused' : 'running';
}

/** The innermost message of a child's failure (the activity's own error), or that another run had the day. */
export function failureReason(error: unknown): string {
  if (isAlreadyRunning(error)) return 'another run of this day was in progress';
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(error);
}
