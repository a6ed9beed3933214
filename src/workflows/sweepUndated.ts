import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SweepSegmentResult } from '../activities/sweep';
import { retry } from './stageActivities';

export interface SweepUndatedInput {
  /** Parallel Scan segments over the whole table. */
  readonly segments: number;
  readonly pageLimit?: number;
  readonly heartbeatSeconds?: number;
}

export interface SweepUndatedResult {
  readonly segments: number;
  readonly itemsRead: number;
  readonly quarantined: number;
  readonly byReason: Record<string, number>;
}

/**
 * The id of an on-demand sweep (`libreport sweep` joins one already running). The weekly Schedule's runs get the
 * Schedule's own ids, and its SKIP policy keeps them from overlapping one another (not an on-demand one).
 */
export const sweepUndatedId = (suffix: string) => `sweep-undated-${suffix}`;

/**
 * Files every item the day index cannot see in `dw.quarantine`: a day read through the index never returns an
 * item without a real `query_date`, so this sweep (weekly, and on demand) is what keeps them from going unseen.
 * One Scan segment per activity (`sweep-N`), spread over every worker.
 */
export async function sweepUndated(input: SweepUndatedInput): Promise<SweepUndatedResult> {
  const segments = Math.max(1, Math.floor(input.segments));
  const results = await Promise.all(
    Array.from({ length: segments }, (_, segment) =>
      proxyActivities<Activities>({
        activityId: `sweep-${segment}`,
        startToCloseTimeout: '4h',
        scheduleToCloseTimeout: '12h',
        heartbeatTimeout: (input.heartbeatSeconds ?? 30) * 1000,
        retry,
        cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
      }).sweepSegment({ segment, totalSegments: segments, pageLimit: input.pageLimit }),
    ),
  );
  return summarize(results);
}

function summarize(results: readonly SweepSegmentResult[]): SweepUndatedResult {
  const byReason: Record<string, number> = {};
  for (const r of results)
    for (const [reason, n] of Object.entries(r.byReason)) byReason[reason] = (byReason[reason] ?? 0) + n;
  return {
    segments: results.length,
    itemsRead: results.reduce((n, r) => n + r.itemsRead, 0),
    quarantined: results.reduce((n, r) => n + r.quarantined, 0),
    byReason,
  };
}
