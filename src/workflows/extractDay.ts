import { CancellationScope, CancelledFailure, isCancellation } from '@temporalio/workflow';
import type { KeyRange } from '../adapters/dynamo/port';
import type { SegmentResult } from '../activities/extract';
import type { RdsCounts } from '../activities/load';
import type { stageActivities } from './stageActivities';

export interface ExtractDayInput {
  readonly date: string;
  readonly runKey: string;
  readonly totalSegments: number;
  readonly pageLimit?: number;
  /** The day index's key ranges, one per segment; absent: the segments scan the table. */
  readonly ranges?: readonly KeyRange[];
  onSegmentDone(result: SegmentResult): void;
}

/**
 * Reads every segment (a Scan segment of the table, or a key range of the day index) and copies the day's RDS rows into staging, all at once. The first failure (an
 * activity's failure reaches the workflow only once it is final: non-retryable, or out of retries) cancels
 * the others, and this returns only when every one of them has stopped, so the caller's cleanup never drops
 * staging under a scan that is still writing. The error thrown is that first failure, not the cancellations
 * it caused.
 */
export async function extractDay(
  stages: ReturnType<typeof stageActivities>,
  input: ExtractDayInput,
): Promise<[SegmentResult[], RdsCounts]> {
  return CancellationScope.cancellable(async () => {
    const scope = CancellationScope.current();
    let firstFailure: { error: unknown } | undefined;
    const stopOthersOnFailure = <T>(work: Promise<T>): Promise<T> =>
      work.catch((error: unknown) => {
        // Once the run itself is cancelled, what its activities end with (a scan that never heartbeats again
        // times out) is part of stopping, not a failure of the day.
        if (!firstFailure && !isCancellation(error) && !scope.consideredCancelled) {
          firstFailure = { error };
          scope.cancel();
        }
        throw error;
      });

    const segments = Array.from({ length: input.totalSegments }, (_, segment) =>
      stopOthersOnFailure(
        stages
          .segment(segment)
          .scanSegment({
            date: input.date,
            runKey: input.runKey,
            segment,
            totalSegments: input.totalSegments,
            pageLimit: input.pageLimit,
            range: input.ranges?.[segment],
          })
          .then((result) => {
            input.onSegmentDone(result);
            return result;
          }),
      ),
    );
    const rds = stopOthersOnFailure(stages.extracting.extractRds({ date: input.date, runKey: input.runKey }));
    // Every activity settles: completed, failed, or cancelled and confirmed stopped (WAIT_CANCELLATION_COMPLETED).
    await Promise.allSettled([...segments, rds]);
    if (firstFailure) throw firstFailure.error;
    if (scope.consideredCancelled) throw new CancelledFailure('the run was cancelled while it read the day');
    // Nothing failed on its own: every promise is resolved, or the whole run was cancelled and these rethrow it.
    return [await Promise.all(segments), await rds];
  });
}
