import { Context } from '@temporalio/activity';

/** The longest gap between timer heartbeats; long calls in between are what the timer covers. */
const MAX_HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * How often to heartbeat: a third of the attempt's heartbeat timeout (so a beat or two may be late or
 * throttled without the attempt being taken for lost), at most `maxMs`.
 */
export function heartbeatIntervalMs(maxMs = MAX_HEARTBEAT_INTERVAL_MS): number {
  const timeoutMs = Context.current().info.heartbeatTimeoutMs;
  return timeoutMs ? Math.max(100, Math.min(maxMs, Math.floor(timeoutMs / 3))) : maxMs;
}

/**
 * Runs `work` while a timer heartbeats (with `detail()` when given), so an attempt busy in one long call
 * (a migration, a transaction, a child process) is never taken for a lost one; only a dead worker goes silent.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>, detail?: () => unknown): Promise<T> {
  const context = Context.current();
  const beat = () => (detail ? context.heartbeat(detail()) : context.heartbeat());
  beat();
  const timer = setInterval(beat, heartbeatIntervalMs());
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
