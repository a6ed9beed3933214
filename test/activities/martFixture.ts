import type { BookRow, ChoiceRow, SearchRow } from './martRows';

// The mart tests' days: searches, choices and books of each, and the day names they are filed under.

/** `count` requests on `date` that all succeeded, for days that only need a request count. */
export function plainSearches(date: string, count: number): SearchRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${date}-plain-${i}`,
    date,
    at: `${date}T10:00:00+09:00`,
    keywords: ['plain'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  }));
}

export const WEEK_BEFORE = '2024-05-09';
export const DAY_BEFORE = '2024-05-15';
/** The main day, a Thursday. */
export const DAY = '2024-05-16';
/** The day after: its week-before day (2024-05-10) has no mart row. */
export const NEXT_DAY = '2024-05-17';
/** A day with more than fifty keywords, whose true top sorts last by name. */
export const BIG_DAY = '2024-05-20';
/** A day whose mart rows a later test deliberately leaves stale. */
export const STALE_DAY = '2024-05-01';

export const BOOK = {
  A: '9780000000001',
  B: '9780000000002',
  C: '9780000000003',
  D: '9780000000004',
} as const;

export const HOSTILE_KEYWORD = '<script>alert("x")</script>';
export const HOSTILE_TITLE = "Robert'); DROP TABLE mart.book_ranking;--<b>";

export const BOOKS: readonly BookRow[] = [
  { isbn: BOOK.A, title: '파이썬 코딩의 기술' },
  { isbn: BOOK.B, title: HOSTILE_TITLE },
  // C is not in the catalogue. D is in it twice (a duplicated catalogue row must not duplicate a ranking row).
  { isbn: BOOK.D, title: 'Deep Learning' },
  { isbn: BOOK.D, title: 'Deep Learning (2nd ed.)' },
];

/**
 * The main day. Hand-computed expectations (Asia/Seoul):
 * requests 7; failed q3, q4, q5 → failure rate 3 × 100 / 7; successful q1, q2, q6, q7 → 4 recommendations.
 * keywords: java 3, python 3, flask 2, rust 2, <script> 1, zig 1.
 * failed-only keywords: rust 2, <script> 1, zig 1 (flask fails in q4 but succeeds in q1).
 * libraries: 남산 3, 노원 3, 마포 3 (a three-way tie).
 * books: A 3, B 2, C 1, D 1.
 * hours: 0 → 1, 9 → 3, 13 → 1, 23 → 1, and q5 has no searched_at.
 */
export const DAY_SEARCHES: readonly SearchRow[] = [
  {
    id: 'q1',
    date: DAY,
    at: '2024-05-16T00:30:00+09:00',
    keywords: ['python', 'flask'],
    libraries: ['노원', '마포'],
    isbns: [BOOK.A, BOOK.B],
  },
  {
    id: 'q2',
    date: DAY,
    at: '2024-05-16T09:10:00+09:00',
    keywords: ['python', 'java'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'q3',
    date: DAY,
    at: '2024-05-16T09:50:00+09:00',
    keywords: ['rust'],
    libraries: ['남산'],
    isbns: [],
  },
  {
    id: 'q4',
    date: DAY,
    at: '2024-05-16T23:59:00+09:00',
    keywords: ['flask', HOSTILE_KEYWORD],
    libraries: ['마포'],
    isbns: [],
  },
  { id: 'q5', date: DAY, at: null, keywords: ['rust', 'zig'], libraries: ['노원'], isbns: [] },
  {
    id: 'q6',
    date: DAY,
    at: '2024-05-16T13:00:00+09:00',
    keywords: ['python', 'java'],
    libraries: ['남산', '마포'],
    isbns: [BOOK.C, BOOK.A, BOOK.D],
  },
  {
    id: 'q7',
    date: DAY,
    at: '2024-05-16T09:30:00+09:00',
    keywords: ['java'],
    libraries: ['남산'],
    isbns: [BOOK.B],
  },
];

/** Six choices from four recommendations → 1.5. Users: user-1 chose from q1 and q2, user-2 twice from q6, user-3 from q7. */
export const DAY_CHOICES: readonly ChoiceRow[] = [
  { id: 1, user: 'user-1', query: 'q1', isbn: BOOK.A, date: DAY },
  { id: 2, user: 'user-1', query: 'q1', isbn: BOOK.B, date: DAY },
  { id: 3, user: 'user-1', query: 'q2', isbn: BOOK.A, date: DAY },
  { id: 4, user: 'user-2', query: 'q6', isbn: BOOK.C, date: DAY },
  { id: 5, user: 'user-2', query: 'q6', isbn: BOOK.C, date: DAY },
  { id: 6, user: 'user-3', query: 'q7', isbn: BOOK.B, date: DAY },
];

/** Four requests, one failed (25 %); two choices from three recommendations. */
export const DAY_BEFORE_SEARCHES: readonly SearchRow[] = [
  {
    id: 'p1',
    date: DAY_BEFORE,
    at: '2024-05-15T08:00:00+09:00',
    keywords: ['python'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'p2',
    date: DAY_BEFORE,
    at: '2024-05-15T08:10:00+09:00',
    keywords: ['java'],
    libraries: ['노원'],
    isbns: [BOOK.B],
  },
  {
    id: 'p3',
    date: DAY_BEFORE,
    at: '2024-05-15T08:20:00+09:00',
    keywords: ['flask'],
    libraries: ['마포'],
    isbns: [BOOK.A],
  },
  {
    id: 'p4',
    date: DAY_BEFORE,
    at: '2024-05-15T08:30:00+09:00',
    keywords: ['cobol'],
    libraries: ['마포'],
    isbns: [],
  },
];
export const DAY_BEFORE_CHOICES: readonly ChoiceRow[] = [
  { id: 101, user: 'user-1', query: 'p1', isbn: BOOK.A, date: DAY_BEFORE },
  { id: 102, user: 'user-9', query: 'p2', isbn: BOOK.B, date: DAY_BEFORE },
];

/** Two successful requests and no choices: failure rate 0, choices per recommendation 0 (not null). */
export const WEEK_BEFORE_SEARCHES: readonly SearchRow[] = [
  {
    id: 'w1',
    date: WEEK_BEFORE,
    at: '2024-05-09T10:00:00+09:00',
    keywords: ['python'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'w2',
    date: WEEK_BEFORE,
    at: '2024-05-09T11:00:00+09:00',
    keywords: ['python'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
];

/** One failed request: failure rate 100, no recommendations so choices per recommendation is null. */
export const NEXT_DAY_SEARCHES: readonly SearchRow[] = [
  {
    id: 'n1',
    date: NEXT_DAY,
    at: '2024-05-17T10:00:00+09:00',
    keywords: ['haskell'],
    libraries: ['남산'],
    isbns: [],
  },
];

/**
 * Sixty keywords k00…k59 once each in one failed search and sixty s00…s59 in one successful search (both
 * listed backwards), plus "zz" three times and "zy" twice and "k59" once in successful searches: the true
 * top of either ranking sorts last by name and must survive the cut.
 */
export const BIG_DAY_SEARCHES: readonly SearchRow[] = [
  {
    id: 'b0',
    date: BIG_DAY,
    at: '2024-05-20T10:00:00+09:00',
    keywords: Array.from({ length: 60 }, (_, i) => `k${String(59 - i).padStart(2, '0')}`),
    libraries: ['노원'],
    isbns: [],
  },
  {
    id: 'b1',
    date: BIG_DAY,
    at: '2024-05-20T11:00:00+09:00',
    keywords: ['zz', 'zy'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'b2',
    date: BIG_DAY,
    at: '2024-05-20T11:00:00+09:00',
    keywords: ['zz', 'zy'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'b3',
    date: BIG_DAY,
    at: '2024-05-20T11:00:00+09:00',
    keywords: ['zz', 'k59'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'b4',
    date: BIG_DAY,
    at: '2024-05-20T12:00:00+09:00',
    keywords: Array.from({ length: 60 }, (_, i) => `s${String(59 - i).padStart(2, '0')}`),
    libraries: ['노원'],
    isbns: [BOOK.B],
  },
];

export const STALE_DAY_SEARCHES: readonly SearchRow[] = plainSearches(STALE_DAY, 2);

/** A search late on the evening of MIDNIGHT_DAY whose book was chosen ten minutes after midnight. */
export const MIDNIGHT_DAY = '2024-06-10';
export const AFTER_MIDNIGHT_DAY = '2024-06-11';
export const MIDNIGHT_SEARCHES: readonly SearchRow[] = [
  {
    id: 'm1',
    date: MIDNIGHT_DAY,
    at: '2024-06-10T23:50:00+09:00',
    keywords: ['night'],
    libraries: ['노원'],
    isbns: [BOOK.A, BOOK.B],
  },
  {
    id: 'm2',
    date: MIDNIGHT_DAY,
    at: '2024-06-10T20:00:00+09:00',
    keywords: ['evening'],
    libraries: ['노원'],
    isbns: [BOOK.A],
  },
  {
    id: 'm3',
    date: AFTER_MIDNIGHT_DAY,
    at: '2024-06-11T00:05:00+09:00',
    keywords: ['morning'],
    libraries: ['마포'],
    isbns: [BOOK.C],
  },
];
/**
 * m1's two books are chosen after midnight (filed under the next day by chosen_at); m3's book right after
 * its search. A choice of m2 two days later falls outside the window a search's choices are read from.
 */
export const MIDNIGHT_CHOICES: readonly ChoiceRow[] = [
  {
    id: 201,
    user: 'user-7',
    query: 'm1',
    isbn: BOOK.A,
    date: AFTER_MIDNIGHT_DAY,
    at: '2024-06-11T00:10:00+09:00',
  },
  {
    id: 202,
    user: 'user-7',
    query: 'm1',
    isbn: BOOK.B,
    date: AFTER_MIDNIGHT_DAY,
    at: '2024-06-11T00:11:00+09:00',
  },
  {
    id: 203,
    user: 'user-8',
    query: 'm3',
    isbn: BOOK.C,
    date: AFTER_MIDNIGHT_DAY,
    at: '2024-06-11T00:20:00+09:00',
  },
  { id: 204, user: 'user-8', query: 'm2', isbn: BOOK.A, date: '2024-06-12', at: '2024-06-12T09:00:00+09:00' },
];
