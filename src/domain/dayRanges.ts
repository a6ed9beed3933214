import type { KeyRange } from '../adapters/dynamo/port';

/** Two hex digits of a UUID: 256 slices, more than any useful range count, each a whole prefix. */
const PREFIXES = 256;

/**
 * Splits a day's `query_id`s into `count` disjoint ranges by their first two hex digits, evenly for random
 * UUID v4 ids. The first range is open below and the last open above, so together they cover every string:
 * an id that is no lowercase UUID (uppercase, junk) still falls in exactly one range, if not an even share.
 */
export function dayKeyRanges(count: number): KeyRange[] {
  const n = Math.max(1, Math.min(PREFIXES, Math.floor(count)));
  const bound = (k: number) =>
    Math.floor((k * PREFIXES) / n)
      .toString(16)
      .padStart(2, '0');
  return Array.from({ length: n }, (_, index) => ({
    index,
    ...(index > 0 ? { from: bound(index) } : {}),
    ...(index < n - 1 ? { below: bound(index + 1) } : {}),
  }));
}
