import { addDays } from '../../src/domain/reportDate';
import type { ChoiceRow, SearchRow } from './martRows';

/**
 * Ranks labels the way the mart promises: by count, highest first, then by label in code-point order
 * (the byte order of a C-collated PostgreSQL database and of Redshift), keeping the first `top`.
 */
export function referenceRanking(labels: readonly string[], top: number): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, top);
}

/**
 * The day's metrics computed in TypeScript straight from the fixture rows, with no SQL at all, as the seed
 * defined them: the mart's files are checked against this, not against themselves.
 */
export interface ReferenceDay {
  readonly requests: number;
  readonly failureRatePct: number | null;
  /** 평균 도서 선택 권수: choices per search, over the searches with at least one choice. */
  readonly booksPerChoosingSearch: number | null;
  /** Share (0–100) of successful searches with at least one choice. */
  readonly choosingSharePct: number | null;
  readonly keywords: { label: string; count: number }[];
  readonly failedKeywords: { label: string; count: number }[];
  readonly libraries: { label: string; count: number }[];
}

/**
 * A choice belongs to the day of the search it was made from, when it was made on that day or the next
 * (the window the mart reads; see daily_choices.sql).
 */
export function referenceDay(
  day: string,
  searches: readonly SearchRow[],
  choices: readonly ChoiceRow[],
  top: number,
): ReferenceDay {
  const today = searches.filter((s) => s.date === day);
  const succeeded = today.filter((s) => s.isbns.length > 0);
  const window = new Set([day, addDays(day, 1)]);
  const perSearch = succeeded.map(
    (s) => choices.filter((c) => c.query === s.id && window.has(c.date)).length,
  );
  const choosing = perSearch.filter((n) => n > 0);
  const found = new Set(succeeded.flatMap((s) => s.keywords));
  const failedOnly = today
    .filter((s) => s.isbns.length === 0)
    .flatMap((s) => s.keywords)
    .filter((k) => !found.has(k));
  return {
    requests: today.length,
    failureRatePct: today.length === 0 ? null : ((today.length - succeeded.length) * 100) / today.length,
    booksPerChoosingSearch:
      choosing.length === 0 ? null : choosing.reduce((a, b) => a + b, 0) / choosing.length,
    choosingSharePct: succeeded.length === 0 ? null : (choosing.length * 100) / succeeded.length,
    keywords: referenceRanking(
      succeeded.flatMap((s) => s.keywords),
      top,
    ),
    failedKeywords: referenceRanking(failedOnly, top),
    libraries: referenceRanking(
      today.flatMap((s) => s.libraries),
      top,
    ),
  };
}
