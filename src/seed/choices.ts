import { WeightedPicker, zipfWeights, type Random } from './random';

/** One `user_choice` row: a user picked `isbn13` from the list search `queryId` returned. */
export interface GeneratedChoice {
  /**
   * Deterministic 62-bit id (decimal string, fits `bigint`). Re-seeding with the same options
   * upserts the same ids instead of adding rows; the range is far above what the table's own
   * sequence hands out.
   */
  readonly id: string;
  readonly userId: string;
  readonly queryId: string;
  readonly isbn13: string;
  /** ISO-8601 instant, seconds to minutes after the search. */
  readonly chosenAt: string;
}

/** Share of successful searches after which the user picks at least one book. */
export const CHOICE_SHARE = 0.4;
const USERS = 5000;
/** A few heavy users make many searches; most users appear a handful of times. */
const USER_PICKER = new WeightedPicker(zipfWeights(USERS, 0.8));
const PICKS = new WeightedPicker([65, 25, 10]);
const MIN_DELAY_MS = 5_000;
const MAX_DELAY_MS = 20 * 60_000;

/** `user-NNNN`; a fixed permutation keeps the most active user from being `user-1000`. */
export function userId(rank: number): string {
  return `user-${((rank * 7919) % 9000) + 1000}`;
}

/**
 * The books a user picks after a search, or none. Picks come only from `returned`, favour the top
 * of the list, and happen a few seconds to minutes after `searchedAtMs`.
 */
export function pickChoices(
  random: Random,
  queryId: string,
  returned: readonly string[],
  searchedAtMs: number,
): GeneratedChoice[] {
  if (returned.length === 0 || !random.chance(CHOICE_SHARE)) return [];
  const user = userId(USER_PICKER.pick(random));
  const count = Math.min(PICKS.pick(random) + 1, returned.length);
  const positions: number[] = [];
  for (let attempts = 0; positions.length < count && attempts < count * 8; attempts++) {
    // Squaring a uniform draw favours the first results, as people read lists top down.
    const position = Math.floor(returned.length * random.next() ** 2);
    if (!positions.includes(position)) positions.push(position);
  }
  let at = searchedAtMs;
  return positions.map((position) => {
    at += Math.round(
      Math.exp(Math.log(MIN_DELAY_MS) + random.next() * Math.log(MAX_DELAY_MS / MIN_DELAY_MS)),
    );
    return {
      id: String(BigInt(random.uint32() & 0x3fffffff) * 4294967296n + BigInt(random.uint32())),
      userId: user,
      queryId,
      isbn13: returned[position]!,
      chosenAt: new Date(at).toISOString(),
    };
  });
}
