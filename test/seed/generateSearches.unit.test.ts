import { BAD_ITEM_KINDS, HOSTILE_KEYWORDS, type BadItemKind } from '../../src/seed/badItems';
import { generateCatalogue, type Catalogue } from '../../src/seed/catalogue';
import { KEYWORDS } from '../../src/seed/data/keywords';
import {
  generateSearchItems,
  planSearchDays,
  type GeneratedSearch,
  type SearchGenerationOptions,
} from '../../src/seed/generateSearches';
import { isValidIsbn13 } from '../../src/seed/isbn';
import { itemProblems } from './itemSchema';

const catalogue: Catalogue = generateCatalogue('test', 2000);

function generate(overrides: Partial<SearchGenerationOptions> = {}): GeneratedSearch[] {
  return [
    ...generateSearchItems({
      seed: 'test',
      items: 20_000,
      startDate: '2024-05-13',
      days: 7,
      timeZone: 'Asia/Seoul',
      badItemRate: 0,
      legacyShare: 0,
      catalogue,
      ...overrides,
    }),
  ];
}

const clean = generate();
const mixed = generate({ badItemRate: 0.05, legacyShare: 0.1, seed: 'mixed' });
const good = (searches: GeneratedSearch[]) => searches.filter((s) => !s.badKind);

describe('determinism', () => {
  it('yields identical items for the same seed and options', () => {
    const again = generate();
    expect(again.length).toBe(clean.length);
    // Compare serialised items: jest's deep equality over 20,000 nested objects is needlessly slow.
    expect(again.findIndex((s, i) => JSON.stringify(s) !== JSON.stringify(clean[i]))).toBe(-1);
    expect(generate({ items: 3000, badItemRate: 0.05, seed: 'mixed' })).toEqual(
      generate({ items: 3000, badItemRate: 0.05, seed: 'mixed' }),
    );
  });

  it('yields different items for a different seed', () => {
    const other = generate({ seed: 'other', items: 100 });
    const mine = generate({ items: 100 });
    expect(other.map((s) => s.queryId)).not.toEqual(mine.map((s) => s.queryId));
  });

  it('builds the same catalogue from the same seed and size', () => {
    expect(generateCatalogue('test', 2000).books).toEqual(catalogue.books);
    expect(generateCatalogue('x', 2000).books[0]!.isbn13).not.toEqual(catalogue.books[0]!.isbn13);
  });

  it('gives every search a distinct uuid4 query_id', () => {
    expect(new Set(clean.map((s) => s.queryId)).size).toBe(clean.length);
  });
});

describe('good items', () => {
  it('all satisfy the item schema, with and without bad-items mode', () => {
    const offenders = [...clean, ...good(mixed)]
      .map((s) => ({ id: s.queryId, problems: itemProblems(s.item) }))
      .filter((o) => o.problems.length > 0);
    expect(offenders).toEqual([]);
  });

  it('carry searched_at within their query_date, except legacy-shaped ones which omit it', () => {
    const legacy = good(mixed).filter((s) => s.legacyShape);
    expect(legacy.length / good(mixed).length).toBeGreaterThan(0.08);
    expect(legacy.length / good(mixed).length).toBeLessThan(0.12);
    expect(legacy.filter((s) => s.item.searched_at !== undefined)).toEqual([]);
    expect(
      clean.filter((s) => JSON.stringify(s.item.searched_at) !== JSON.stringify({ S: s.searchedAt })),
    ).toEqual([]);
    expect(
      clean.every((s) => s.searchedAt.startsWith(`${s.queryDate}T`) && s.searchedAt.endsWith('+09:00')),
    ).toBe(true);
  });

  it('return only catalogue books with valid ISBN-13 check digits', () => {
    const known = new Set(catalogue.books.map((b) => b.isbn13));
    expect(known.size).toBe(catalogue.books.length);
    expect(catalogue.books.filter((b) => !isValidIsbn13(b.isbn13))).toEqual([]);
    expect(clean.flatMap((s) => s.returnedIsbns).filter((isbn) => !known.has(isbn))).toEqual([]);
  });

  it('name 1–3 distinct real Seoul libraries (checked by the schema) and use every library', () => {
    const used = new Set(clean.flatMap((s) => s.libraries));
    expect(used.size).toBe(22);
  });

  it('return books relevant to the keywords: a search for "python" alone returns Python books', () => {
    const byIsbn = new Map(catalogue.books.map((b) => [b.isbn13, b]));
    const pythonOnly = clean.filter(
      (s) => s.keywords.length === 1 && s.keywords[0] === 'python' && s.returnedIsbns.length,
    );
    expect(pythonOnly.length).toBeGreaterThan(100);
    expect(
      new Set(pythonOnly.flatMap((s) => s.returnedIsbns.map((isbn) => byIsbn.get(isbn)!.topic))),
    ).toEqual(new Set(['python']));
    const flask = clean.filter(
      (s) => s.keywords.length === 1 && s.keywords[0] === 'flask' && s.returnedIsbns.length,
    );
    expect(flask.length).toBeGreaterThan(10);
    const flaskBooks = flask.flatMap((s) => s.returnedIsbns.map((isbn) => byIsbn.get(isbn)!));
    expect(flaskBooks.filter((b) => !b.tags.includes('python/flask'))).toEqual([]);
  });

  it('carry hostile-but-valid text only in bad-items mode', () => {
    const isHostile = (k: string) => HOSTILE_KEYWORDS.includes(k);
    expect(clean.some((s) => s.keywords.some(isHostile))).toBe(false);
    const hostile = good(mixed).filter((s) => s.hostileText);
    expect(hostile.length).toBeGreaterThan(500);
    expect(hostile.filter((s) => !s.keywords.some(isHostile) || itemProblems(s.item).length > 0)).toEqual([]);
  });
});

describe('bad items', () => {
  const bad = mixed.filter((s) => s.badKind);

  it('appear at the requested rate', () => {
    expect(bad.length / mixed.length).toBeGreaterThan(0.043);
    expect(bad.length / mixed.length).toBeLessThan(0.057);
    expect(clean.some((s) => s.badKind)).toBe(false);
  });

  it('cover every defect kind, and each one breaks the schema', () => {
    const kinds = new Set(bad.map((s) => s.badKind));
    expect([...kinds].sort()).toEqual(Object.keys(BAD_ITEM_KINDS).sort());
    expect(bad.filter((s) => itemProblems(s.item).length === 0).map((s) => s.badKind)).toEqual([]);
  });

  it('keep a valid query_id and, unless the defect is in it, the query_date of their day', () => {
    const sameDay = (s: GeneratedSearch) =>
      JSON.stringify(s.item.query_date) === JSON.stringify({ S: s.queryDate });
    const wrong = bad.filter(
      (s) =>
        JSON.stringify(s.item.query_id) !== JSON.stringify({ S: s.queryId }) ||
        sameDay(s) !== BAD_ITEM_KINDS[s.badKind as BadItemKind].visibleToDayScan,
    );
    expect(wrong.map((s) => s.badKind)).toEqual([]);
  });

  it('have no user choices', () => {
    expect(bad.every((s) => s.choices.length === 0)).toBe(true);
  });
});

describe('user choices', () => {
  it('reference only ISBNs the search returned, a little after the search, by user-NNNN', () => {
    const withChoices = clean.filter((s) => s.choices.length > 0);
    const successful = clean.filter((s) => s.returnedIsbns.length > 0);
    expect(withChoices.length / successful.length).toBeGreaterThan(0.3);
    expect(withChoices.length / successful.length).toBeLessThan(0.5);
    const problems = withChoices.flatMap((s) => {
      const searched = Date.parse(s.searchedAt);
      const found: string[] = [];
      if (new Set(s.choices.map((c) => c.isbn13)).size !== s.choices.length)
        found.push(`${s.queryId}: repeated pick`);
      for (const c of s.choices) {
        const delay = Date.parse(c.chosenAt) - searched;
        if (!s.returnedIsbns.includes(c.isbn13)) found.push(`${s.queryId}: ${c.isbn13} was not returned`);
        if (c.queryId !== s.queryId) found.push(`${s.queryId}: wrong query_id ${c.queryId}`);
        if (!/^user-\d{4}$/.test(c.userId)) found.push(`${s.queryId}: user ${c.userId}`);
        if (delay < 5_000 || delay > 3 * 20 * 60_000)
          found.push(`${s.queryId}: chosen ${delay} ms after the search`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('never follow a failed search', () => {
    expect(clean.filter((s) => s.returnedIsbns.length === 0).every((s) => s.choices.length === 0)).toBe(true);
  });

  it('have distinct ids that fit a bigint', () => {
    const ids = clean.flatMap((s) => s.choices.map((c) => BigInt(c.id)));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id > 0n && id < 2n ** 63n)).toBe(true);
  });
});

describe('distribution', () => {
  const firstKeywords = clean.map((s) => s.keywords[0]!);
  const counts = new Map<string, number>();
  for (const k of firstKeywords) counts.set(k, (counts.get(k) ?? 0) + 1);
  const ranked = [...counts.values()].sort((a, b) => b - a);

  it('is heavy-tailed: the top keyword takes 10–30% of searches, the top five over 35%', () => {
    expect(ranked[0]! / clean.length).toBeGreaterThan(0.1);
    expect(ranked[0]! / clean.length).toBeLessThan(0.3);
    expect(ranked.slice(0, 5).reduce((a, b) => a + b, 0) / clean.length).toBeGreaterThan(0.35);
    expect(counts.size).toBeGreaterThan(80);
  });

  it('fails 5–15% of searches, rare keywords far more often than popular ones', () => {
    const failed = clean.filter((s) => s.returnedIsbns.length === 0);
    expect(failed.length / clean.length).toBeGreaterThan(0.05);
    expect(failed.length / clean.length).toBeLessThan(0.15);
    const rank = new Map(KEYWORDS.map((k, i) => [k.text, i]));
    const failureRate = (pick: (s: GeneratedSearch) => boolean) => {
      const group = clean.filter(pick);
      return group.filter((s) => s.returnedIsbns.length === 0).length / group.length;
    };
    const popular = failureRate((s) => rank.get(s.keywords[0]!)! < 5);
    const rare = failureRate((s) => rank.get(s.keywords[0]!)! >= KEYWORDS.length / 2);
    expect(rare).toBeGreaterThan(popular * 3);
    const unmatchable = clean.filter((s) =>
      s.keywords.some((k) => KEYWORDS[rank.get(k)!]!.tags.length === 0),
    );
    expect(unmatchable.length).toBeGreaterThan(0);
    expect(unmatchable.every((s) => s.returnedIsbns.length === 0)).toBe(true);
  });

  it('follows a daily rhythm: quiet nights, busy evenings', () => {
    const hours = new Array<number>(24).fill(0);
    for (const s of clean) hours[Number(s.searchedAt.slice(11, 13))]!++;
    const night = hours[3]! + hours[4]!;
    const evening = hours[20]! + hours[21]!;
    expect(evening).toBeGreaterThan(night * 8);
  });

  it('spreads items over the days, weekends quieter, adding up exactly', () => {
    const plan = planSearchDays({ seed: 'test', items: 100_000, startDate: '2024-05-13', days: 14 });
    expect(plan.map((d) => d.day)).toEqual(
      Array.from({ length: 14 }, (_, i) => `2024-05-${String(13 + i).padStart(2, '0')}`),
    );
    expect(plan.reduce((a, d) => a + d.items, 0)).toBe(100_000);
    const mean = (days: typeof plan) => days.reduce((a, d) => a + d.items, 0) / days.length;
    expect(mean(plan.filter((d) => d.weekend))).toBeLessThan(0.85 * mean(plan.filter((d) => !d.weekend)));
    const perDay = new Map<string, number>();
    for (const s of clean) perDay.set(s.queryDate, (perDay.get(s.queryDate) ?? 0) + 1);
    expect([...perDay.values()]).toEqual(
      planSearchDays({ seed: 'test', items: 20_000, startDate: '2024-05-13', days: 7 }).map((d) => d.items),
    );
  });
});
