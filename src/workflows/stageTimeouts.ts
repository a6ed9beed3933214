/**
 * How long each stage may stay silent before Temporal presumes the worker running it lost and retries the
 * attempt elsewhere. Built from configuration (`src/config/config.ts`) by whoever starts a run and carried in
 * the workflow input, so the activity options a run gets are the ones its starter configured; tests start
 * runs with short real timeouts and let them fire. Every activity given one heartbeats well inside it.
 */
export interface StageTimeouts {
  /** A scan segment heartbeats at least every page. */
  readonly scanHeartbeatSeconds: number;
  /** The warehouse migration, RDS copy, load, mart refresh and render heartbeat on a timer. */
  readonly heartbeatSeconds: number;
  /** sendReport heartbeats after every SES message. */
  readonly sendHeartbeatSeconds: number;
  /**
   * Start-to-close of the quick steps (prepare, plan, checks, staging clean-up), which do not heartbeat: a task
   * handed to a worker that stopped just then is retried after this.
   */
  readonly quickSeconds: number;
}

/**
 * Long enough that a busy worker (a 1 MB page on a slow warehouse, a garbage-collection pause) is never taken
 * for a dead one; short enough that a lost worker's attempt is retried within minutes.
 */
export const DEFAULT_STAGE_TIMEOUTS: StageTimeouts = Object.freeze({
  scanHeartbeatSeconds: 30,
  heartbeatSeconds: 120,
  sendHeartbeatSeconds: 60,
  quickSeconds: 300,
});

/** The defaults with whatever the input sets. */
export function stageTimeouts(input?: Partial<StageTimeouts>): StageTimeouts {
  return { ...DEFAULT_STAGE_TIMEOUTS, ...input };
}
