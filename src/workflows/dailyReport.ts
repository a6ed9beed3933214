import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  setHandler,
  proxyActivities,
  workflowInfo,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DeliveryResult } from '../activities/delivery';
import type { SegmentResult } from '../activities/extract';
import type { LoadSummary } from '../activities/load';
import type { RenderedReportRef } from '../activities/report';
import { isReportDate } from '../domain/reportDate';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';
import { setOutcome, setReportDate, setStage } from './searchAttributes';

/** One day's run. The workflow id is derived from the date (`dailyReportId`), so a day never runs twice at once. */
export interface DailyReportInput {
  /** The day to load and report, YYYY-MM-DD. */
  readonly date: string;
  /** 'skip' loads and renders but emails nobody (backfills, `--no-email`). Default 'send'. */
  readonly email?: 'send' | 'skip';
  /** Scan segments; 0 or unset sizes them to the table. */
  readonly segments?: number;
  /** Items per DynamoDB page (tests use small pages to exercise checkpoints); unset = 1 MB pages. */
  readonly pageLimit?: number;
  /** How long a silent scan segment is presumed dead before it is retried elsewhere. */
  readonly heartbeatTimeoutSeconds?: number;
}

export interface DailyReportResult {
  readonly date: string;
  readonly load: LoadSummary;
  readonly segments: readonly SegmentResult[];
  readonly martRows: Record<string, number>;
  readonly quality: { readonly ok: boolean; readonly kind?: string; readonly reason?: string };
  readonly report: RenderedReportRef;
  /** Absent when email was skipped. */
  readonly delivery?: DeliveryResult;
}

export const dailyReportId = (date: string) => `daily-report-${date}`;

/** Where a run is, for `libreport run`'s progress line. Items of finished segments only; running ones heartbeat theirs. */
export interface DailyProgress {
  readonly stage: 'prepare' | 'extract' | 'load' | 'mart' | 'render' | 'send' | 'done';
  readonly segmentsTotal: number;
  readonly segmentsDone: number;
  readonly itemsInDoneSegments: number;
}

export const progressQuery = defineQuery<DailyProgress>('progress');

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

// Every stage retries passing faults, but not forever: after its schedule-to-close budget the day fails,
// the operator is alerted, and the Schedule's next day is not queued behind a run that can never finish.
const quick = proxyActivities<Activities>({ startToCloseTimeout: '5m', scheduleToCloseTimeout: '1h', retry });
const loading = proxyActivities<Activities>({
  startToCloseTimeout: '2h',
  heartbeatTimeout: '2m',
  scheduleToCloseTimeout: '4h',
  retry,
});
/** Rendering takes seconds; a worker lost mid-render is replaced after this, not after the 5-minute default. */
const rendering = proxyActivities<Activities>({
  startToCloseTimeout: '2m',
  scheduleToCloseTimeout: '1h',
  retry,
});
/** sendReport heartbeats after every SES message, so a silent minute means its worker is gone. */
const mailing = proxyActivities<Activities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  scheduleToCloseTimeout: '2h',
  retry,
});
/** Failure notices give up after a few tries: they must never keep a failed run from ending. */
const alerting = proxyActivities<Activities>({
  startToCloseTimeout: '5m',
  retry: { ...retry, maximumAttempts: 5 },
});

function segmentActivities(segment: number, heartbeatTimeoutSeconds: number) {
  const options: ActivityOptions = {
    activityId: `segment-${segment}`,
    startToCloseTimeout: '4h',
    scheduleToCloseTimeout: '6h',
    heartbeatTimeout: `${heartbeatTimeoutSeconds}s`,
    retry,
    // Eager dispatch would hand up to three segments to whichever worker ran this workflow task; going
    // through the task queue lets every worker polling it take segments.
    allowEagerDispatch: false,
  };
  return proxyActivities<Activities>(options);
}

export async function dailyReport(input: DailyReportInput): Promise<DailyReportResult> {
  if (!isReportDate(input.date)) {
    throw ApplicationFailure.nonRetryable(
      `date "${input.date}" is not a calendar day written YYYY-MM-DD`,
      'UserInputError',
    );
  }
  const sendEmail = input.email !== 'skip';
  setReportDate(input.date);
  try {
    const result = await runDay(input, sendEmail);
    setStage('done');
    setOutcome(sendEmail ? 'sent' : 'skipped_email');
    return result;
  } catch (error) {
    if (isCancellation(error)) {
      setOutcome('cancelled');
      throw error;
    }
    setOutcome(failureType(error) === 'ReconciliationError' ? 'reconciliation_failed' : 'failed');
    // A failed day must not pass in silence: staff get a short notice, the operator an alert (each once per day).
    await CancellationScope.nonCancellable(() => notifyFailure(input.date, error, sendEmail));
    throw error;
  }
}

async function runDay(input: DailyReportInput, sendEmail: boolean): Promise<DailyReportResult> {
  const progress = {
    stage: 'prepare' as DailyProgress['stage'],
    segmentsTotal: 0,
    segmentsDone: 0,
    itemsInDoneSegments: 0,
  };
  setHandler(progressQuery, () => ({ ...progress }));
  const info = workflowInfo();
  const startedAt = info.startTime.toISOString();
  const { runKey } = await quick.prepareRun({
    date: input.date,
    workflowId: info.workflowId,
    runId: info.runId,
  });
  let load: LoadSummary;
  let segments: SegmentResult[];
  try {
    const plan = await quick.planScan({ date: input.date, segments: input.segments ?? 0 });
    const heartbeat = input.heartbeatTimeoutSeconds ?? 30;
    progress.stage = 'extract';
    setStage('extract');
    progress.segmentsTotal = plan.totalSegments;
    let rds;
    [segments, rds] = await Promise.all([
      Promise.all(
        Array.from({ length: plan.totalSegments }, (_, segment) =>
          segmentActivities(segment, heartbeat)
            .scanSegment({
              date: input.date,
              runKey,
              segment,
              totalSegments: plan.totalSegments,
              pageLimit: input.pageLimit,
            })
            .then((result) => {
              progress.segmentsDone++;
              progress.itemsInDoneSegments += result.itemsSeen;
              return result;
            }),
        ),
      ),
      loading.extractRds({ date: input.date, runKey }),
    ]);
    progress.stage = 'load';
    setStage('load');
    load = await loading.loadDay({ date: input.date, runKey, runId: info.runId, startedAt, segments, rds });
  } finally {
    // Staging is dropped even when the run is cancelled or fails; a new run stages afresh.
    await CancellationScope.nonCancellable(() => quick.dropStaging({ runKey }));
  }

  progress.stage = 'mart';
  setStage('mart');
  const mart = await quick.refreshMart({ date: input.date });
  const quality = await quick.checkDataQuality({ date: input.date, loadOutcome: load.outcome });
  progress.stage = 'render';
  setStage('render');
  const report = await rendering.renderReport({ date: input.date });
  let delivery: DeliveryResult | undefined;
  if (sendEmail) {
    progress.stage = 'send';
    setStage('send');
    delivery = quality.ok
      ? await mailing.sendReport({ date: input.date, kind: 'report', deliveryKey: 'daily' })
      : await mailing.sendReport({
          date: input.date,
          kind: 'notice',
          deliveryKey: 'daily',
          noticeKind: quality.kind,
          reason: quality.reason,
        });
  }
  progress.stage = 'done';
  return {
    date: input.date,
    load,
    segments,
    martRows: mart.rows,
    quality: { ok: quality.ok, kind: quality.kind, reason: quality.reason },
    report,
    delivery,
  };
}

/** The failure kind behind an activity or child failure, e.g. 'ReconciliationError'. */
function failureType(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

async function notifyFailure(date: string, error: unknown, sendEmail: boolean): Promise<void> {
  const reason =
    error instanceof Error
      ? error.cause instanceof Error
        ? error.cause.message
        : error.message
      : String(error);
  const link = `/namespaces/${workflowInfo().namespace}/workflows/${workflowInfo().workflowId}/${workflowInfo().runId}`;
  const notices: Promise<unknown>[] = [
    alerting.sendReport({ date, kind: 'alert', deliveryKey: 'daily', reason, link }),
  ];
  if (sendEmail)
    notices.push(
      alerting.sendReport({ date, kind: 'notice', deliveryKey: 'daily', noticeKind: 'delayed', reason }),
    );
  // A failing notice must not hide the run's own failure.
  await Promise.allSettled(notices);
}
