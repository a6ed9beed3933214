import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { SegmentCheckpoint } from '../activities/extract';
import { progressQuery, type dailyReport, type DailyProgress } from '../workflows/dailyReport';

/** Where a day's run is: the workflow's own progress, plus the items its running segments have read so far. */
export interface DayProgressView extends DailyProgress {
  /** Items read by finished segments (from the workflow) and by running ones (from their last heartbeat). */
  readonly itemsRead: number;
}

/**
 * Reads a running day's progress. The workflow answers its stage and finished segments; the items of segments
 * still running live only in their heartbeats, which workflow code never sees, so they are read from the
 * execution's pending activities here, in one place, instead of by each caller. Undefined when either call fails
 * (the first workflow task may not have run yet). Callers bound it with a deadline (`client.withDeadline`).
 */
export async function readDayProgress(
  handle: WorkflowHandle<typeof dailyReport>,
): Promise<DayProgressView | undefined> {
  // allSettled, not all: a rejected query must not leave the describe running past the deadline.
  const [queried, described] = await Promise.allSettled([handle.query(progressQuery), handle.describe()]);
  if (queried.status === 'rejected' || described.status === 'rejected') return undefined;
  let running = 0;
  for (const activity of described.value.raw.pendingActivities ?? []) {
    const payload = activity.heartbeatDetails?.payloads?.[0];
    if (activity.activityType?.name !== 'scanSegment' || !payload) continue;
    running += defaultPayloadConverter.fromPayload<SegmentCheckpoint>(payload).counts.itemsSeen;
  }
  return { ...queried.value, itemsRead: queried.value.itemsInDoneSegments + running };
}
