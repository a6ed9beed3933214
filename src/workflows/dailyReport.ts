import {
  ApplicationFailure,
  CancellationScope,
  proxyActivities,
  workflowInfo,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SegmentResult } from '../activities/extract';
import type { LoadSummary } from '../activities/load';
import { isReportDate } from '../domain/reportDate';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';

/** One day's run. The workflow id is derived from the date (`dailyReportId`), so a day never runs twice at once. */
export interface DailyReportInput {
  /** The day to load and report, YYYY-MM-DD. */
  readonly date: string;
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
}

export const dailyReportId = (date: string) => `daily-report-${date}`;

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

const quick = proxyActivities<Activities>({ startToCloseTimeout: '5m', retry });

function segmentActivities(segment: number, heartbeatTimeoutSeconds: number) {
  const options: ActivityOptions = {
    activityId: `segment-${segment}`,
    startToCloseTimeout: '4h',
    heartbeatTimeout: `${heartbeatTimeoutSeconds}s`,
    retry,
  };
  return proxyActivities<Activities>(options);
}

const loading = proxyActivities<Activities>({ startToCloseTimeout: '2h', heartbeatTimeout: '2m', retry });

export async function dailyReport(input: DailyReportInput): Promise<DailyReportResult> {
  if (!isReportDate(input.date)) {
    throw ApplicationFailure.nonRetryable(`date "${input.date}" is not a calendar day written YYYY-MM-DD`, 'UserInputError');
  }
  const info = workflowInfo();
  const startedAt = info.startTime.toISOString();
  const { runKey } = await quick.prepareRun({ date: input.date, workflowId: info.workflowId, runId: info.runId });
  try {
    const plan = await quick.planScan({ date: input.date, segments: input.segments ?? 0 });
    const heartbeat = input.heartbeatTimeoutSeconds ?? 30;
    const [segments, rds] = await Promise.all([
      Promise.all(
        Array.from({ length: plan.totalSegments }, (_, segment) =>
          segmentActivities(segment, heartbeat).scanSegment({
            date: input.date,
            runKey,
            segment,
            totalSegments: plan.totalSegments,
            pageLimit: input.pageLimit,
          }),
        ),
      ),
      loading.extractRds({ date: input.date, runKey }),
    ]);
    const load = await loading.loadDay({ date: input.date, runKey, runId: info.runId, startedAt, segments, rds });
    return { date: input.date, load, segments };
  } finally {
    // Staging is dropped even when the run is cancelled or fails; a new run stages afresh.
    await CancellationScope.nonCancellable(() => quick.dropStaging({ runKey }));
  }
}
