import { createHash } from 'node:crypto';
import type { RawItem } from '../../src/adapters/dynamo/port';

/**
 * Small, hand-computable search items for pipeline tests: item `i` of a day has `i % 4` keywords,
 * `1 + i % 3` libraries and `i % 5` results (0 results = a failed search).
 */
export const KEYWORDS = [
  'python',
  '파이썬',
  'flask',
  'say "hi", ok',
  'tab\there',
  'line\nbreak',
  'back\\slash',
  '😀 이모지',
  '<b>html</b>',
];
export const LIBRARIES = ['노원', '마포', '남산', '정독', '강남'];
export const ISBNS = ['9791163030645', '9791186710340', '9788956748245', '9788966262281', '9791158391409'];

export interface DayFixture {
  readonly items: RawItem[];
  readonly queries: number;
  readonly keywords: number;
  readonly libraries: number;
  readonly isbns: number;
  readonly failed: number;
}

const list = (values: string[]) => ({ L: values.map((S) => ({ S })) });

export function dayFixture(date: string, count: number, prefix = date): DayFixture {
  const items: RawItem[] = [];
  let keywords = 0;
  let libraries = 0;
  let isbns = 0;
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const k = KEYWORDS.slice(i % KEYWORDS.length, (i % KEYWORDS.length) + (i % 4));
    const l = LIBRARIES.slice(0, 1 + (i % 3));
    const r = ISBNS.slice(0, i % 5);
    keywords += k.length;
    libraries += l.length;
    isbns += r.length;
    if (r.length === 0) failed++;
    const hour = String(i % 24).padStart(2, '0');
    items.push({
      query_id: { S: `${prefix}-q${String(i).padStart(5, '0')}` },
      query_date: { S: date },
      user_search: list(k),
      selected_lib: list(l),
      isbn13_list: list(r),
      searched_at: { S: `${date}T${hour}:30:00+09:00` },
    });
  }
  return { items, queries: count, keywords, libraries, isbns, failed };
}

/** Fixture items with UUID-like ids (hex from a hash), so the day index's key ranges split them as real ones. */
export function withHexIds(items: RawItem[]): RawItem[] {
  return items.map((item) => {
    const id = (item.query_id as { S: string }).S;
    return { ...item, query_id: { S: createHash('md5').update(id).digest('hex') } };
  });
}
