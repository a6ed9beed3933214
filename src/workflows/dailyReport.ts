import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  patched,
  setHandler,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeliveryResult } from '../activities/delivery';
import type { ReadPath, SegmentResult } from '../activities/extract';
import type { LoadSummary } from '../activities/load';
import type { RenderedReportRef } from '../activities/report';
import { isReportDate } from '../domain/reportDate';
import { extractDay } from './extractDay';
import { reportMarks, type ReportMarks } from './searchAttributes';
import { stageActivities } from './stageActivities';
import { stageTimeouts, type StageTimeouts } from './stageTimeouts';

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
  /** How to read the day: `auto` (default) takes the day index when it is active, else scans the table. */
  readonly readPath?: ReadPath | 'auto';
  /** Heartbeat timeouts from the starter's configuration; unset ones take the defaults. */
  readonly timeouts?: Partial<StageTimeouts>;
  /**
   * false when the namespace lacks libreport's search attributes (the starter checked): the run sets none.
   * Unset means true, as for every run started before this option existed.
   */
  readonly searchAttributes?: boolean;
}

export interface DailyReportResult {
  readonly date: string;
  readonly load: LoadSummary;
  readonly segments: readonly SegmentResult[];
  /** Which way the day was read and what it cost (absent in results of runs from before the day index). */
  readonly extract?: ExtractSummary;
  readonly martRows: Record<string, number>;
  readonly quality: { readonly ok: boolean; readonly kind?: string; readonly reason?: string };
  readonly report: RenderedReportRef;
  /** Absent when email was skipped. */
  readonly delivery?: DeliveryResult;
}

export interface ExtractSummary {
  readonly path: ReadPath;
  readonly segments: number;
  /** Items DynamoDB read (and billed): the whole table for a scan, the day's index entries for the index. */
  readonly itemsRead: number;
  /** Items returned for the day (loaded or quarantined). */
  readonly itemsSeen: number;
  /** `search_query` rows loaded. */
  readonly itemsLoaded: number;
}

export const dailyReportId = (date: string) => `daily-report-${date}`;

/** Where a run is, for `libreport run`'s progress line. Items of finished segments only; running ones heartbeat theirs. */
export interface DailyProgress {
  readonly stage: 'prepare' | 'extract' | 'load' | 'mart' | 'render' | 'send' | 'done';
  readonly segmentsTotal: number;
  readonly segmentsDone: number;
  readonly itemsInDoneSegments: number;
  /** Known once the day is planned. */
  readonly path?: ReadPath;
  /** Items DynamoDB read for the finished segments. */
  readonly itemsReadInDoneSegments?: number;
}

export const progressQuery = defineQuery<DailyProgress>('progress');

export async function dailyReport(input: DailyReportInput): Promise<DailyReportResult> {
  if (!isReportDate(input.date)) {
    throw ApplicationFailure.nonRetryable(
      `date "${input.date}" is not a calendar day written YYYY-MM-DD`,
      'UserInputError',
    );
  }
  const sendEmail = input.email !== 'skip';
  const marks = reportMarks(input.searchAttributes !== false);
  marks.setReportDate(input.date);
  try {
    const result = await runDay(input, sendEmail, marks);
    marks.setStage('done');
    marks.setOutcome(sendEmail ? 'sent' : 'skipped_email');
    return result;
  } catch (error) {
    if (isCancellation(error)) {
      marks.setOutcome('cancelled');
      throw error;
    }
    marks.setOutcome(failureType(error) === 'ReconciliationError' ? 'reconciliation_failed' : 'failed');
    // A failed day must not pass in silence: staff get a short notice, the operator an alert (each once per day).
    await CancellationScope.nonCancellable(() =>
      notifyFailure(input.date, error, sendEmail, stageTimeouts(input.timeouts)),
    );
    throw error;
  }
}

async function runDay(
  input: DailyReportInput,
  sendEmail: boolean,
  marks: ReportMarks,
): Promise<DailyReportResult> {
  const progress = {
    stage: 'prepare' as DailyProgress['stage'],
    segmentsTotal: 0,
    segmentsDone: 0,
    itemsInDoneSegments: 0,
    path: undefined as ReadPath | undefined,
    itemsReadInDoneSegments: 0,
  };
  setHandler(progressQuery, () => ({ ...progress }));
  const info = workflowInfo();
  const startedAt = info.startTime.toISOString();
  const stages = stageActivities(stageTimeouts(input.timeouts));
  const planScan = () =>
    stages.quick.planScan({ date: input.date, segments: input.segments ?? 0, path: input.readPath });
  // Planning reads only DynamoDB's table description: it runs beside the warehouse's migration and the run's
  // staging, so the scans start one round trip sooner. (Patched: runs started before replay planning after.)
  const earlyPlan = patched('plan-beside-prepare') ? planScan() : undefined;
  // A failed plan is thrown where it is awaited, inside the try below (staging is dropped); until then its
  // rejection is handled here, so it is never an unhandled rejection.
  earlyPlan?.catch(() => undefined);
  // Its own heartbeating step: on an old warehouse the one-off partition migration outlasts a quick stage.
  // (Patched: runs started before this step existed replay without it.)
  if (patched('migrate-warehouse-step')) await stages.migrating.migrateWarehouse();
  const { runKey } = await stages.quick.prepareRun({
    date: input.date,
    workflowId: info.workflowId,
    runId: info.runId,
  });
  let load: LoadSummary;
  let segments: SegmentResult[];
  let loaded = false;
  /** The drop of a loaded day's staging, running beside the mart. */
  let droppingStaging: Promise<void> | undefined;
  try {
    const plan = await (earlyPlan ?? planScan());
    progress.path = plan.path ?? 'scan';
    // The Web UI shows the memo on the run's page. (Patched: runs started before it replay without it.)
    if (patched('read-path-memo')) upsertMemo({ readPath: progress.path, segments: plan.totalSegments });
    progress.stage = 'extract';
    marks.setStage('extract');
    progress.segmentsTotal = plan.totalSegments;
    let rds;
    [segments, rds] = await extractDay(stages, {
      date: input.date,
      runKey,
      totalSegments: plan.totalSegments,
      pageLimit: input.pageLimit,
      ranges: plan.ranges,
      onSegmentDone(result) {
        progress.segmentsDone++;
        progress.itemsInDoneSegments += result.itemsSeen;
        progress.itemsReadInDoneSegments += result.itemsRead ?? 0;
      },
    });
    progress.stage = 'load';
    marks.setStage('load');
    load = await stages.loading.loadDay({
      date: input.date,
      runKey,
      runId: info.runId,
      startedAt,
      segments,
      rds,
    });
    loaded = true;
  } finally {
    // Staging is dropped even when the run is cancelled or fails (after every scan has stopped, see
    // extractDay); a new run stages afresh. Once the day is loaded nothing reads staging any more: the drop
    // runs beside the mart instead of before it. (Patched: runs started before drop it first.)
    const drop = CancellationScope.nonCancellable(() => stages.quick.dropStaging({ runKey }));
    if (loaded && patched('tail-beside')) {
      droppingStaging = drop;
      // Awaited after the mart, where its failure fails the day as before; handled until then.
      drop.catch(() => undefined);
    } else await drop;
  }

  progress.stage = 'mart';
  marks.setStage('mart');
  const mart = await stages.mart.refreshMart({ date: input.date });
  await droppingStaging;
  // The render does not need the quality check (only the send does): with the same patch they run together.
  const checkingQuality = stages.quick.checkDataQuality({ date: input.date, loadOutcome: load.outcome });
  if (droppingStaging) checkingQuality.catch(() => undefined);
  else await checkingQuality;
  progress.stage = 'render';
  marks.setStage('render');
  const report = await stages.rendering.renderReport({ date: input.date });
  const quality = await checkingQuality;
  let delivery: DeliveryResult | undefined;
  if (sendEmail) {
    progress.stage = 'send';
    marks.setStage('send');
    delivery = quality.ok
      ? await stages.mailing.sendReport({ date: input.date, kind: 'report', deliveryKey: 'daily' })
      : await stages.mailing.sendReport({
          date: input.date,
          kind: 'notice',
          deliveryKey: 'daily',
          noticeKind: quality.kind,
          reason: quality.reason,
        });
  }
  progress.stage = 'done';
  const extract: ExtractSummary = {
    path: progress.path ?? 'scan',
    segments: segments.length,
    itemsRead: segments.reduce((sum, s) => sum + (s.itemsRead ?? 0), 0),
    itemsSeen: load.source.items,
    itemsLoaded: load.tables.search_query,
  };
  return {
    date: input.date,
    load,
    segments,
    extract,
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

async function notifyFailure(
  date: string,
  error: unknown,
  sendEmail: boolean,
  timeouts: StageTimeouts,
): Promise<void> {
  const { alerting } = stageActivities(timeouts);
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
