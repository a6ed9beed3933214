import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 grows the heap past what survived the last full collection (`--heap-growing-percent`).
 *
 * Why: a scan segment's page (the response body, its parsed items, the exploded rows) lives across the
 * awaits of its COPY, so it is promoted and dies in old space. Left alone, V8 lets old space grow to about
 * 4× the live set before collecting it: four segments holding ~60 MB of live heap took the worker from
 * ~170 MB to ~400 MB RSS. At 50 % the heap stays near 1.5× the live set and the same scan peaked at
 * ~255 MB, for ~15 % more CPU in the scan (100 %: ~275 MB, ~5 %). Unlike `--max-old-space-size`, it cannot
 * make the worker run out of heap where it would not have without it.
 *
 * Set at run time because Node refuses this flag in NODE_OPTIONS; V8 reads it at every collection, so it
 * applies to the main thread from here on and to the workflow thread, which is created afterwards.
 * 0 leaves V8's default.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
