import type { Catalogue } from './catalogue';
import { SEOUL_LIBRARIES } from './data/libraries';
import { KEYWORDS } from './data/keywords';
import { WeightedPicker, zipfWeights, type Random } from './random';

/**
 * How people search: which keywords they type together, which libraries they pick, whether the search
 * finds anything and which books come back. Pure functions of a `Random`, shared by the generator.
 */

/** Zipf exponent of keyword popularity: the top keyword takes roughly a fifth of first keywords. */
const KEYWORD_ZIPF_EXPONENT = 1.05;
/** Chance that a further keyword comes from the first keyword's topic ("python" + "flask"). */
const RELATED_KEYWORD_SHARE = 0.6;
/** Baseline failure of a searchable query (the chosen libraries hold none of the matches). */
const BASE_FAILURE = 0.015;
/** Extra failure for the rarest keyword in the vocabulary, scaled by rank: rare words fail more. */
const RARITY_FAILURE = 0.12;
/** Extra failure per keyword beyond the first (keywords narrow the search). */
const PER_KEYWORD_FAILURE = 0.02;
export const MAX_RESULTS = 20;

const KEYWORD_PICKER = new WeightedPicker(zipfWeights(KEYWORDS.length, KEYWORD_ZIPF_EXPONENT));
const KEYWORD_COUNT = new WeightedPicker([55, 30, 12, 3]);
const LIBRARY_COUNT = new WeightedPicker([50, 30, 20]);
const LIBRARY_PICKER = new WeightedPicker(SEOUL_LIBRARIES.map((l) => l.popularity));
/** Result counts 1..MAX_RESULTS, mostly short lists (mean about 6). */
const RESULT_COUNT = new WeightedPicker(
  Array.from({ length: MAX_RESULTS }, (_, i) => Math.exp(-(i + 1) / 6)),
);

/** For each keyword, the keywords sharing a topic with it (for co-typed keywords), popular ones first. */
const RELATED: readonly ({ members: readonly number[]; picker: WeightedPicker } | undefined)[] = KEYWORDS.map(
  (keyword, i) => {
    const topics = new Set(keyword.tags.map(topicOf));
    const members = KEYWORDS.flatMap((other, j) =>
      j !== i && other.tags.some((t) => topics.has(topicOf(t))) ? [j] : [],
    );
    return members.length
      ? { members, picker: new WeightedPicker(members.map((j) => 1 / (j + 1))) }
      : undefined;
  },
);

function topicOf(tag: string): string {
  return tag.split('/')[0]!;
}

/** Indices into `KEYWORDS`, first keyword first, all distinct. */
export function pickKeywords(random: Random): number[] {
  const first = KEYWORD_PICKER.pick(random);
  const unmatched = KEYWORDS[first]!.tags.length === 0;
  // Typos and out-of-catalogue wishes are mostly typed alone.
  const count = unmatched ? (random.chance(0.85) ? 1 : 2) : KEYWORD_COUNT.pick(random) + 1;
  const chosen = [first];
  for (let attempts = 0; chosen.length < count && attempts < count * 4; attempts++) {
    const related = RELATED[first];
    const next =
      related && random.chance(RELATED_KEYWORD_SHARE)
        ? related.members[related.picker.pick(random)]!
        : KEYWORD_PICKER.pick(random);
    if (!chosen.includes(next)) chosen.push(next);
  }
  return chosen;
}

/** 1–3 distinct library short names, big central libraries more often. */
export function pickLibraries(random: Random): string[] {
  const count = LIBRARY_COUNT.pick(random) + 1;
  const chosen: number[] = [];
  while (chosen.length < count) {
    const next = LIBRARY_PICKER.pick(random);
    if (!chosen.includes(next)) chosen.push(next);
  }
  return chosen.map((i) => SEOUL_LIBRARIES[i]!.shortName);
}

/**
 * The ISBNs a search returns: none when a keyword matches nothing in the catalogue, or — more often
 * for rare keywords and long queries — when the libraries hold none; otherwise 1–20 distinct books
 * drawn from the keywords' tags, popular books more often.
 */
export function pickResults(
  random: Random,
  catalogue: Catalogue,
  keywordIndices: readonly number[],
): string[] {
  if (keywordIndices.some((k) => KEYWORDS[k]!.tags.length === 0)) return [];
  const rarest = Math.max(...keywordIndices);
  const failure =
    BASE_FAILURE +
    RARITY_FAILURE * (rarest / (KEYWORDS.length - 1)) +
    PER_KEYWORD_FAILURE * (keywordIndices.length - 1);
  if (random.chance(failure)) return [];

  // The first keyword's tags count twice: it is what the user mainly looks for.
  const tags = [...KEYWORDS[keywordIndices[0]!]!.tags, ...keywordIndices.flatMap((k) => KEYWORDS[k]!.tags)];
  const pools = tags.map((t) => catalogue.byTag.get(t)).filter((p) => p !== undefined);
  if (pools.length === 0) return [];
  // The largest pool is a lower bound on the distinct books on offer (building the union per search is too slow).
  const available = Math.max(...pools.map((p) => p.bookIndices.length));
  const wanted = Math.min(RESULT_COUNT.pick(random) + 1, available);
  const chosen = new Set<number>();
  for (let attempts = 0; chosen.size < wanted && attempts < wanted * 8; attempts++) {
    const pool = pools[random.int(pools.length)]!;
    chosen.add(pool.bookIndices[pool.picker.pick(random)]!);
  }
  return [...chosen].map((i) => catalogue.books[i]!.isbn13);
}

export function keywordText(index: number): string {
  return KEYWORDS[index]!.text;
}
