import type { Client } from '@temporalio/client';

/** A progress poll that asks a busy or shutting-down server gives up after this, instead of retrying on. */
export const POLL_CALL_DEADLINE_MS = 3_000;

/** A running poll loop. */
export interface Poller {
  /**
   * Stops polling and resolves once the tick in flight (if any) has settled, so the connection its calls use
   * can be closed behind it: a gRPC call still retrying on a timer after `close()` throws
   * "Channel has been shut down" from that timer, where nothing can catch it.
   */
  stop(): Promise<void>;
}

/**
 * Calls `tick` every `intervalMs` (the next one starts only after the last settled) until stopped. A tick's
 * failure is passed to `onError` (default: ignored, the next tick tries again); it never escapes.
 */
export function startPoller(
  tick: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void = () => undefined,
): Poller {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = tick().catch(onError).finally(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/**
 * Runs `call` (one or more client calls) with an absolute deadline, so gRPC retries inside the SDK end by
 * then and a poll cannot outlive its purpose by long.
 */
export function withPollDeadline<T>(client: Client, call: () => Promise<T>): Promise<T> {
  return client.withDeadline(Date.now() + POLL_CALL_DEADLINE_MS, call);
}
