import { addDays } from '../../src/domain/reportDate';
import { referenceRanking } from './martReference';
import type { BookRow, SearchRow } from './martRows';

/** One mover as the mart should hold it, computed in TypeScript from the fixture rows (no SQL). */
export interface ReferenceMover {
  readonly kind: 'keyword' | 'book' | 'library';
  readonly basis: 'week' | 'average';
  readonly direction: 'rose' | 'fell';
  readonly ranking: number;
  readonly item: string;
  readonly title: string | null;
  readonly todayCount: number;
  readonly basisCount: number;
  readonly change: number;
  readonly newInTop: boolean;
}

/**
 * "What moved" as the report promises it, straight from the rows: per kind, each item's count today, a week
 * before and on average over the seven days before (days without any request are unknown and left out), kept
 * when today's count or the basis reaches `floor`, ranked by the size of the change within (basis, direction).
 */
export function referenceMovers(
  day: string,
  searches: readonly SearchRow[],
  books: readonly BookRow[],
  options: { floor: number; top: number; kept: number },
): ReferenceMover[] {
  const weekAgo = addDays(day, -7);
  const earlierDays = new Set(searches.filter((s) => s.date >= weekAgo && s.date < day).map((s) => s.date));
  const kinds: [ReferenceMover['kind'], (s: SearchRow) => readonly string[]][] = [
    ['keyword', (s) => (s.isbns.length > 0 ? s.keywords : [])],
    ['book', (s) => s.isbns],
    ['library', (s) => s.libraries],
  ];
  const titles = new Map<string, string>();
  for (const b of books) if ((titles.get(b.isbn) ?? '') < b.title) titles.set(b.isbn, b.title);

  const movers: ReferenceMover[] = [];
  for (const [kind, pick] of kinds) {
    const countsOn = (date: string) => {
      const counts = new Map<string, number>();
      for (const s of searches)
        if (s.date === date) for (const v of pick(s)) counts.set(v, (counts.get(v) ?? 0) + 1);
      return counts;
    };
    const topOn = (date: string) =>
      new Set(
        referenceRanking(searches.filter((s) => s.date === date).flatMap(pick), options.top).map(
          (r) => r.label,
        ),
      );
    const today = countsOn(day);
    const byDay = new Map([...earlierDays].map((d) => [d, countsOn(d)]));
    const items = new Set([...today.keys(), ...[...byDay.values()].flatMap((c) => [...c.keys()])]);
    const topToday = topOn(day);
    const topBefore = new Set([...earlierDays].flatMap((d) => [...topOn(d)]));

    const candidates: Omit<ReferenceMover, 'ranking' | 'direction'>[] = [];
    for (const item of items) {
      const todayCount = today.get(item) ?? 0;
      const bases: [ReferenceMover['basis'], number | null][] = [
        ['week', earlierDays.has(weekAgo) ? (byDay.get(weekAgo)!.get(item) ?? 0) : null],
        [
          'average',
          earlierDays.size === 0
            ? null
            : [...byDay.values()].reduce((sum, c) => sum + (c.get(item) ?? 0), 0) / earlierDays.size,
        ],
      ];
      for (const [basis, basisCount] of bases) {
        if (basisCount === null || todayCount === basisCount) continue;
        if (todayCount < options.floor && basisCount < options.floor) continue;
        candidates.push({
          kind,
          basis,
          item,
          title: kind === 'book' ? (titles.get(item) ?? null) : null,
          todayCount,
          basisCount,
          change: todayCount - basisCount,
          newInTop: earlierDays.size > 0 && topToday.has(item) && !topBefore.has(item),
        });
      }
    }
    for (const basis of ['week', 'average'] as const) {
      for (const direction of ['fell', 'rose'] as const) {
        candidates
          .filter((c) => c.basis === basis && c.change > 0 === (direction === 'rose'))
          .sort(
            (a, b) =>
              Math.abs(b.change) - Math.abs(a.change) || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
          )
          .slice(0, options.kept)
          .forEach((c, i) => movers.push({ ...c, direction, ranking: i + 1 }));
      }
    }
  }
  return movers;
}
