import type { RawItem } from '../adapters/dynamo/port';
import { applyDefect, HOSTILE_KEYWORDS, pickBadItemKind, type BadItemKind } from './badItems';
import { DayClock } from './calendar';
import type { Catalogue } from './catalogue';
import { pickChoices, type GeneratedChoice } from './choices';
import { createRandom, randomUuid } from './random';
import { pickTimeOfDay, planDays, type DayPlan } from './rhythm';
import { keywordText, pickKeywords, pickLibraries, pickResults } from './searchBehaviour';

/** Inputs of item generation (resolved options plus the catalogue the results come from). */
export interface SearchGenerationOptions {
  readonly seed: string;
  readonly items: number;
  readonly startDate: string;
  readonly days: number;
  readonly timeZone: string;
  readonly badItemRate: number;
  readonly legacyShare: number;
  readonly catalogue: Catalogue;
}

/** One generated search: the DynamoDB item as written, and what the RDS writer and tests need. */
export interface GeneratedSearch {
  /** 0-based position in the generated stream. */
  readonly index: number;
  readonly queryId: string;
  /** The day the search was generated for (even when a defect removed it from the item). */
  readonly queryDate: string;
  /** The instant generated (even when the item omits or garbles `searched_at`). */
  readonly searchedAt: string;
  readonly keywords: readonly string[];
  readonly libraries: readonly string[];
  readonly returnedIsbns: readonly string[];
  /** The item as written to DynamoDB. */
  readonly item: RawItem;
  /** Set when the item carries a defect the pipeline must quarantine. */
  readonly badKind?: BadItemKind;
  /** A good item whose keywords include hostile-but-valid text (quotes, tabs, emoji, HTML…). */
  readonly hostileText: boolean;
  /** A good item written without `searched_at`, as the seed's producer wrote them. */
  readonly legacyShape: boolean;
  /** `user_choice` rows for this search (none for bad or failed searches). */
  readonly choices: readonly GeneratedChoice[];
}

/** At most this share of good items carries hostile-but-valid text, however high the bad rate. */
const MAX_HOSTILE_SHARE = 0.2;

/** The per-day item counts a generation will produce (same seed, same plan). */
export function planSearchDays(
  options: Pick<SearchGenerationOptions, 'seed' | 'items' | 'startDate' | 'days'>,
): DayPlan[] {
  return planDays(createRandom(`${options.seed}/days`), options.items, options.startDate, options.days);
}

/**
 * Yields `options.items` searches one at a time, day by day, without holding them: the stream is
 * a pure function of the options, so the same seed yields identical items.
 */
export function* generateSearchItems(options: SearchGenerationOptions): Generator<GeneratedSearch> {
  const random = createRandom(`${options.seed}/searches`);
  const hostileShare = Math.min(MAX_HOSTILE_SHARE, options.badItemRate);
  let index = 0;
  for (const plan of planSearchDays(options)) {
    if (plan.items === 0) continue;
    const clock = new DayClock(plan.day, options.timeZone);
    for (let n = 0; n < plan.items; n++, index++) {
      const queryId = randomUuid(random);
      const { iso: searchedAt, epochMs } = clock.isoAt(pickTimeOfDay(random, plan.weekend));
      const keywordIndices = pickKeywords(random);
      const libraries = pickLibraries(random);
      const returnedIsbns = pickResults(random, options.catalogue, keywordIndices);
      const keywords = keywordIndices.map(keywordText);
      const bad = options.badItemRate > 0 && random.chance(options.badItemRate);
      const hostileText = !bad && hostileShare > 0 && random.chance(hostileShare);
      if (hostileText) keywords.splice(random.int(keywords.length + 1), 0, random.pick(HOSTILE_KEYWORDS));
      const legacyShape = !bad && options.legacyShare > 0 && random.chance(options.legacyShare);

      const good: RawItem = {
        query_id: { S: queryId },
        query_date: { S: plan.day },
        selected_lib: { L: libraries.map((S) => ({ S })) },
        isbn13_list: { L: returnedIsbns.map((S) => ({ S })) },
        user_search: { L: keywords.map((S) => ({ S })) },
        ...(legacyShape ? {} : { searched_at: { S: searchedAt } }),
      };
      const badKind = bad ? pickBadItemKind(random) : undefined;
      yield {
        index,
        queryId,
        queryDate: plan.day,
        searchedAt,
        keywords,
        libraries,
        returnedIsbns,
        item: badKind ? applyDefect(random, good, badKind) : good,
        badKind,
        hostileText,
        legacyShape,
        choices: badKind ? [] : pickChoices(random, queryId, returnedIsbns, epochMs),
      };
    }
  }
}
