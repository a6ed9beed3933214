import { ActivityCancellationType, proxyActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../errors';
import type { StageTimeouts } from './stageTimeouts';

export const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
};

/**
 * The activity proxies of a day's run, by the kind of work. Every stage retries passing faults, but not
 * forever: after its schedule-to-close budget the day fails, the operator is alerted, and the Schedule's
 * next day is not queued behind a run that can never finish. Long stages heartbeat, so a lost worker is
 * noticed after the heartbeat timeout, not after the start-to-close one.
 */
export function stageActivities(timeouts: StageTimeouts) {
  const heartbeatTimeout = timeouts.heartbeatSeconds * 1000;
  return {
    /** Seconds of work: a lost worker is replaced after the start-to-close timeout. */
    quick: proxyActivities<Activities>({
      startToCloseTimeout: timeouts.quickSeconds * 1000,
      scheduleToCloseTimeout: '1h',
      retry,
    }),
    /** The one-off partition migration of an old warehouse can take long; it heartbeats while it runs. */
    migrating: proxyActivities<Activities>({
      startToCloseTimeout: '2h',
      heartbeatTimeout,
      scheduleToCloseTimeout: '4h',
      retry,
    }),
    /** Waits until a cancelled attempt has stopped, so staging is never dropped under a running copy. */
    extracting: proxyActivities<Activities>({
      startToCloseTimeout: '2h',
      heartbeatTimeout,
      scheduleToCloseTimeout: '4h',
      retry,
      cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }),
    loading: proxyActivities<Activities>({
      startToCloseTimeout: '2h',
      heartbeatTimeout,
      scheduleToCloseTimeout: '4h',
      retry,
    }),
    mart: proxyActivities<Activities>({
      startToCloseTimeout: '1h',
      heartbeatTimeout,
      scheduleToCloseTimeout: '2h',
      retry,
    }),
    /** Rendering takes seconds; the renderer child is killed well before the start-to-close timeout. */
    rendering: proxyActivities<Activities>({
      startToCloseTimeout: '2m',
      heartbeatTimeout,
      scheduleToCloseTimeout: '1h',
      retry,
    }),
    mailing: proxyActivities<Activities>({
      startToCloseTimeout: '30m',
      heartbeatTimeout: timeouts.sendHeartbeatSeconds * 1000,
      scheduleToCloseTimeout: '2h',
      retry,
    }),
    /** Failure notices give up after a few tries: they must never keep a failed run from ending. */
    alerting: proxyActivities<Activities>({
      startToCloseTimeout: '5m',
      heartbeatTimeout: timeouts.sendHeartbeatSeconds * 1000,
      retry: { ...retry, maximumAttempts: 5 },
    }),
    /** Segment `n`'s scan; cancelled with its siblings, and waited for until it has stopped. */
    segment(n: number) {
      return proxyActivities<Activities>({
        activityId: `segment-${n}`,
        startToCloseTimeout: '4h',
        scheduleToCloseTimeout: '6h',
        heartbeatTimeout: timeouts.scanHeartbeatSeconds * 1000,
        retry,
        cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
        // Eager dispatch would hand up to three segments to whichever worker ran this workflow task; going
        // through the task queue lets every worker polling it take segments.
        allowEagerDispatch: false,
      });
    },
  };
}
