/** How often `waitFor` probes: often enough to catch a scan between two pages. */
const POLL_INTERVAL_MS = 20;

/**
 * Polls `probe` until it returns something other than `undefined`/`false`, and returns that. Fails with
 * `what` in the message when `timeoutMs` passes first, so a stuck fault test says what it waited for.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
