import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BackfillQueryActivities, DayOutcome } from '../activities/backfillQueries';
import { daysBetween, isReportDate } from '../domain/reportDate';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';
import { stageTimeouts } from './stageTimeouts';
import { dailyReport, dailyReportId, type DailyReportInput } from './dailyReport';
import {
  coveredDays,
  emptyBackfillState,
  failureReason,
  sortChecked,
  statusOf,
  type BackfillState,
  type BackfillStatus,
  type DateRange,
  type DayFailure,
  type Reprocess,
} from './backfillState';
import { reportDateAttributes } from './searchAttributes';

export type { BackfillState, BackfillStatus, DateRange, DayFailure, Reprocess } from './backfillState';

/** One backfill. Its workflow id is the backfill id (`backfillWorkflowId`). */
export interface BackfillInput {
  readonly backfillId: string;
  readonly ranges: readonly DateRange[];
  /** Days run at once. */
  readonly concurrency: number;
  /** Backfills do not email staff unless asked. */
  readonly email: 'send' | 'skip';
  readonly reprocess: Reprocess;
  /** Options for every day's run (scan segments, page size). */
  readonly day?: Omit<DailyReportInput, 'date'>;
  /** Continue as new once history has this many events (tests use a small number). */
  readonly continueAsNewAfterEvents?: number;
  /** Set only by continue-as-new. */
  readonly state?: BackfillState;
}

/** What `progress` answers and the workflow returns. `pending` includes days not yet checked. */
export interface BackfillProgress {
  readonly backfillId: string;
  readonly status: BackfillStatus;
  readonly total: number;
  readonly pending: string[];
  readonly running: string[];
  readonly done: string[];
  readonly failed: DayFailure[];
  readonly skipped: DayFailure[];
  readonly cancelled: string[];
  readonly concurrency: number;
  readonly email: 'send' | 'skip';
  readonly reprocess: Reprocess;
  readonly generation: number;
}

/** Adds days to the backfill; days it already covers (in any state) are not added again. */
export const addRange = defineSignal<[DateRange]>('addRange');
/** Starts no new day until `resume`; days already running finish. */
export const pause = defineSignal('pause');
export const resume = defineSignal('resume');
/** Cancels running days, drops pending ones, and ends the backfill with status `cancelled`. */
export const cancel = defineSignal('cancel');
export const progress = defineQuery<BackfillProgress>('progress');

export const backfillWorkflowId = (backfillId: string) => `backfill-${backfillId}`;

/**
 * Each finished day adds about ten events; a few thousand keeps every replay fast and stays well under
 * the server's limits, while a multi-year backfill continues as new only a handful of times.
 */
const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 5_000;

/** The backfill's own reads of the warehouse: quick steps like a day's, with the days' quick timeout. */
function backfillQueries(quickSeconds: number) {
  return proxyActivities<BackfillQueryActivities>({
    startToCloseTimeout: quickSeconds * 1000,
    scheduleToCloseTimeout: '1h',
    retry: {
      initialInterval: '1s',
      maximumInterval: '30s',
      nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
    },
  });
}
type BackfillQueries = ReturnType<typeof backfillQueries>;

/**
 * Runs every day of its ranges as a child `dailyReport`, `concurrency` at a time, oldest first.
 * Signals add ranges, pause, resume and cancel; the `progress` query reports where it is.
 */
export async function backfill(input: BackfillInput): Promise<BackfillProgress> {
  const state: BackfillState = input.state ?? emptyBackfillState();
  const concurrency = Math.max(1, Math.floor(input.concurrency));
  const queries = backfillQueries(stageTimeouts(input.day?.timeouts).quickSeconds);
  const running = new Set<string>();
  const covered = coveredDays(state);
  const childScope = new CancellationScope();

  function add(range: DateRange): void {
    // Signals cannot be refused; the CLI validates ranges, so a malformed one here is dropped.
    if (!isReportDate(range.from) || !isReportDate(range.to) || range.from > range.to) return;
    for (const day of daysBetween(range.from, range.to)) {
      if (covered.has(day)) continue;
      covered.add(day);
      state.unchecked.push(day);
    }
  }

  const snapshot = (): BackfillProgress => ({
    backfillId: input.backfillId,
    status: statusOf(state, running.size),
    total: covered.size,
    pending: [...state.unchecked, ...state.pending].sort(),
    running: [...running].sort(),
    done: [...state.done],
    failed: [...state.failed],
    skipped: [...state.skipped],
    cancelled: [...state.cancelled],
    concurrency,
    email: input.email,
    reprocess: input.reprocess,
    generation: state.generation,
  });

  if (!input.state) for (const range of input.ranges) add(range);

  setHandler(addRange, (range) => {
    if (!state.cancelRequested) add(range);
  });
  setHandler(pause, () => {
    state.paused = true;
  });
  setHandler(resume, () => {
    state.paused = false;
  });
  setHandler(cancel, () => {
    state.cancelRequested = true;
    childScope.cancel();
  });
  setHandler(progress, snapshot);

  let startedThisRun = 0;
  // Only after starting a day here, so a threshold below a fresh run's own events cannot loop without progress.
  const rollOverDue = () => {
    const info = workflowInfo();
    const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS;
    return startedThisRun > 0 && (info.continueAsNewSuggested || info.historyLength >= limit);
  };
  const canStart = () => !state.paused && state.pending.length > 0 && running.size < concurrency;
  const allSettled = () => state.unchecked.length === 0 && state.pending.length === 0 && running.size === 0;

  function startDay(day: string): void {
    running.add(day);
    startedThisRun++;
    const args: DailyReportInput = { ...input.day, date: day, email: input.email };
    void childScope
      .run(() =>
        executeChild(dailyReport, {
          workflowId: dailyReportId(day),
          args: [args],
          // Each day's own run says in the log when the namespace lacks them.
          typedSearchAttributes: input.day?.searchAttributes === false ? [] : reportDateAttributes(day),
        }),
      )
      .then(
        () => {
          state.done.push(day);
        },
        (error: unknown) => {
          if (isCancellation(error)) state.cancelled.push(day);
          else state.failed.push({ date: day, reason: failureReason(error) });
        },
      )
      .finally(() => running.delete(day));
  }

  for (;;) {
    if (state.cancelRequested) {
      await condition(() => running.size === 0);
      state.cancelled.push(...state.unchecked.splice(0), ...state.pending.splice(0));
      break;
    }
    if (state.unchecked.length > 0) {
      await checkAgainstAudit(state, input.reprocess, queries);
      continue;
    }
    if (allSettled()) break;
    if (rollOverDue()) {
      await condition(() => running.size === 0 || state.cancelRequested);
      if (state.cancelRequested) continue;
      await condition(allHandlersFinished);
      state.generation += 1;
      await continueAsNew<typeof backfill>({ ...input, ranges: [], state });
    }
    if (canStart()) {
      startDay(state.pending.shift()!);
      continue;
    }
    await condition(
      () =>
        state.cancelRequested ||
        state.unchecked.length > 0 ||
        canStart() ||
        allSettled() ||
        (running.size === 0 && rollOverDue()),
    );
  }
  await condition(allHandlersFinished);
  return snapshot();
}

/** Moves unchecked days to `pending` or `skipped` by the reprocess rule, oldest first. */
async function checkAgainstAudit(
  state: BackfillState,
  reprocess: Reprocess,
  queries: BackfillQueries,
): Promise<void> {
  // The days stay in `unchecked` (and so in `progress`) until the audit answers; signals only append.
  const count = state.unchecked.length;
  const days = state.unchecked.slice(0, count).sort();
  let outcomes = new Map<string, string>();
  if (reprocess !== 'all') {
    const audited: DayOutcome[] = await queries.lastLoadOutcomes({
      from: days[0]!,
      to: days[days.length - 1]!,
    });
    outcomes = new Map(audited.map((a) => [a.date, a.outcome]));
  }
  state.unchecked.splice(0, count);
  sortChecked(state, days, outcomes, reprocess);
}
