import type { SearchRow } from './martRows';

/**
 * A multi-day fixture for "what moved": the report day, the same weekday a week before, and five more of the
 * seven days before it (one of them, 2024-08-12, never loaded). Counts are chosen so that a keyword rises, one
 * falls, one stays under the floor, one sits exactly on it, one is new with no history and one is new in the
 * top 50 with a little history (it ranked below fifty-two fillers before).
 */
export const MOVERS_DAY = '2024-08-15';
export const MOVERS_WEEK_AGO = '2024-08-08';
/** The earlier days with data; 2024-08-12 has none. */
export const MOVERS_EARLIER_DAYS = [
  MOVERS_WEEK_AGO,
  '2024-08-09',
  '2024-08-10',
  '2024-08-11',
  '2024-08-13',
  '2024-08-14',
];

export const MOVERS_BOOK = { A: '9791100000001', B: '9791100000002', FILLER: '9791100000009' } as const;

type Counts = Readonly<Record<string, number>>;
interface DaySpec {
  /** Keywords of successful searches (one search per occurrence). */
  readonly keywords: Counts;
  /** Keywords of failed searches: they must not count. */
  readonly failedKeywords?: Counts;
  readonly libraries: Counts;
  readonly books: Counts;
}

/** Fifty-two keywords typed three times a day: they fill the top 50 and never move. */
const FILLERS: Counts = Object.fromEntries(
  Array.from({ length: 52 }, (_, i) => [`filler-${String(i).padStart(2, '0')}`, 3]),
);

function earlier(novel: number): DaySpec {
  return {
    keywords: { ...FILLERS, 소설: novel, 역사: 18, 여행: 9, tiny: 1, late: 2 },
    libraries: { 노원: 35, 강남: 12, 마포: 3 },
    books: { [MOVERS_BOOK.A]: 12 },
  };
}

export const MOVERS_DAYS: Readonly<Record<string, DaySpec>> = {
  [MOVERS_WEEK_AGO]: {
    keywords: { ...FILLERS, 소설: 12, 역사: 20, 여행: 9, tiny: 1, late: 2 },
    libraries: { 노원: 40, 강남: 10, 마포: 3 },
    books: { [MOVERS_BOOK.A]: 10 },
  },
  '2024-08-09': earlier(15),
  '2024-08-10': earlier(15),
  '2024-08-11': earlier(14),
  '2024-08-13': earlier(16),
  '2024-08-14': earlier(15),
  [MOVERS_DAY]: {
    // 여행 sits exactly on the floor today (10, 9 before); tiny rises 1 -> 8, under it on both days.
    keywords: { ...FILLERS, 소설: 30, 역사: 5, 여행: 10, tiny: 8, late: 14, AI: 12, '<b>신간</b>': 11 },
    failedKeywords: { 소설: 5, 역사: 40 },
    libraries: { 노원: 25, 강남: 30, 마포: 4 },
    books: { [MOVERS_BOOK.A]: 22, [MOVERS_BOOK.B]: 11 },
  },
};

/** The fixture's search rows, one search per keyword, library or book occurrence. */
export function moversSearches(): SearchRow[] {
  const rows: SearchRow[] = [];
  for (const [date, spec] of Object.entries(MOVERS_DAYS)) {
    let n = 0;
    const add = (keywords: string[], libraries: string[], isbns: string[]) =>
      rows.push({ id: `mv-${date}-${n++}`, date, at: `${date}T11:00:00+09:00`, keywords, libraries, isbns });
    for (const [keyword, count] of Object.entries(spec.keywords))
      for (let i = 0; i < count; i++) add([keyword], [], [MOVERS_BOOK.FILLER]);
    for (const [keyword, count] of Object.entries(spec.failedKeywords ?? {}))
      for (let i = 0; i < count; i++) add([keyword], [], []);
    for (const [library, count] of Object.entries(spec.libraries))
      for (let i = 0; i < count; i++) add([], [library], []);
    for (const [isbn, count] of Object.entries(spec.books))
      for (let i = 0; i < count; i++) add([], [], [isbn]);
  }
  return rows;
}
