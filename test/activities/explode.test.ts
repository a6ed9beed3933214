import type { RawItem } from '../../src/adapters/dynamo/port';
import { ExplodedBatch, MAX_PAYLOAD_BYTES } from '../../src/activities/explode';
import { RejectedDataError } from '../../src/errors';

const DAY = '2024-05-16';
const list = (...values: string[]) => ({ L: values.map((S) => ({ S })) });

function item(overrides: Partial<Record<string, RawItem[string] | undefined>> = {}): RawItem {
  const base: Record<string, RawItem[string] | undefined> = {
    query_id: { S: 'q-1' },
    query_date: { S: DAY },
    user_search: list('flask', 'python', 'ML'),
    selected_lib: list('노원', '마포'),
    isbn13_list: list('9791163030645', '9791186710340'),
    searched_at: { S: '2024-05-16T10:15:00+09:00' },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)) as RawItem;
}

describe('ExplodedBatch', () => {
  it('explodes every array into positioned long rows and one search_query row', () => {
    const batch = new ExplodedBatch();
    batch.add(item(), DAY);
    expect(batch.queries).toEqual([['q-1', '2024-05-16T01:15:00.000Z', 3, 2, 2, true]]);
    expect(batch.keywords).toEqual([
      ['q-1', 0, 'flask'],
      ['q-1', 1, 'python'],
      ['q-1', 2, 'ML'],
    ]);
    expect(batch.libraries.map((r) => r[2])).toEqual(['노원', '마포']);
    expect(batch.isbns.map((r) => r[2])).toEqual(['9791163030645', '9791186710340']);
    expect(batch.quarantine).toEqual([]);
    expect(batch.elementsSeen).toBe(7);
  });

  it('marks a search with no results as failed and still loads its keywords', () => {
    const batch = new ExplodedBatch();
    batch.add(item({ isbn13_list: { L: [] } }), DAY);
    expect(batch.queries[0]!.slice(4, 6)).toEqual([0, false]);
    expect(batch.keywords).toHaveLength(3);
  });

  it('accepts an item without searched_at (the seed had none)', () => {
    const batch = new ExplodedBatch();
    batch.add(item({ searched_at: undefined }), DAY);
    expect(batch.queries[0]![1]).toBeNull();
    expect(batch.quarantine).toHaveLength(0);
  });

  it('keeps hostile but valid user text exactly', () => {
    const hostile = [
      'say "hi", ok',
      'tab\there',
      'line\nbreak',
      'back\\slash',
      '😀 이모지',
      '<script>alert(1)</script>',
      '\\.',
    ];
    const batch = new ExplodedBatch();
    batch.add(item({ user_search: list(...hostile) }), DAY);
    expect(batch.keywords.map((r) => r[2])).toEqual(hostile);
    expect(batch.quarantine).toHaveLength(0);
  });

  it.each([
    ['missing query_date', { query_date: undefined }, 'missing_query_date', null],
    ['numeric query_date', { query_date: { N: '20240516' } }, 'invalid_query_date', null],
    ['impossible query_date', { query_date: { S: '2024-02-30' } }, 'invalid_query_date', null],
    ['missing user_search', { user_search: undefined }, 'missing_attribute', DAY],
    ['user_search as a string', { user_search: { S: 'python' } }, 'invalid_attribute_type', DAY],
    ['empty query_id', { query_id: { S: '' } }, 'invalid_query_id', DAY],
  ])('quarantines the whole item for %s', (_name, overrides, reason, quarantineDate) => {
    const batch = new ExplodedBatch();
    batch.add(item(overrides as Partial<RawItem>), DAY);
    expect(batch.queries).toHaveLength(0);
    expect(batch.keywords).toHaveLength(0);
    expect(batch.itemsQuarantined).toBe(1);
    expect(batch.quarantine).toHaveLength(1);
    const [source, date, , why, , payload] = batch.quarantine[0]!;
    expect([source, date, why]).toEqual(['dynamodb.item', quarantineDate, reason]);
    expect(JSON.parse(payload as string)).toHaveProperty('selected_lib');
  });

  it('stops the run on an item of another day rather than file it under the scanned day', () => {
    const batch = new ExplodedBatch();
    expect(() => batch.add(item({ query_date: { S: '2024-05-17' } }), DAY)).toThrow(RejectedDataError);
  });

  it('quarantines bad elements one by one and loads the rest of the item', () => {
    const batch = new ExplodedBatch();
    batch.add(
      item({
        user_search: {
          L: [
            { S: 'python' },
            { N: '42' },
            { S: '' },
            { S: 'python' },
            { S: 'nul\u0000byte' },
            { S: 'x'.repeat(1001) },
          ],
        },
        isbn13_list: list('9791163030645', '9791163030646', 'not-an-isbn'),
      }),
      DAY,
    );
    expect(batch.keywords.map((r) => [r[1], r[2]])).toEqual([[0, 'python']]);
    expect(batch.isbns.map((r) => r[2])).toEqual(['9791163030645']);
    expect(batch.quarantine.map((r) => [r[0], r[3], r[4]])).toEqual([
      ['dynamodb.user_search', 'element_not_string', 'user_search[1]'],
      ['dynamodb.user_search', 'empty_value', 'user_search[2]'],
      ['dynamodb.user_search', 'duplicate_element', 'user_search[3]'],
      ['dynamodb.user_search', 'nul_character', 'user_search[4]'],
      ['dynamodb.user_search', 'value_too_long', 'user_search[5]'],
      ['dynamodb.isbn13_list', 'invalid_isbn13', 'isbn13_list[1]'],
      ['dynamodb.isbn13_list', 'invalid_isbn13', 'isbn13_list[2]'],
    ]);
    // Every element is accounted for: loaded + quarantined = seen.
    const loaded = batch.keywords.length + batch.libraries.length + batch.isbns.length;
    expect(loaded + batch.elementsQuarantined).toBe(batch.elementsSeen);
  });

  it('finds duplicates the same way in short lists and in long ones', () => {
    for (const length of [5, 16, 17, 400]) {
      const keywords = Array.from({ length }, (_, i) => `k${i % Math.ceil(length / 2)}`);
      const batch = new ExplodedBatch();
      batch.add(item({ user_search: list(...keywords) }), DAY);
      expect(batch.keywords.map((r) => r[2])).toEqual([...new Set(keywords)]);
      expect(batch.quarantine.every((r) => r[3] === 'duplicate_element')).toBe(true);
      expect(batch.quarantine).toHaveLength(length - new Set(keywords).size);
    }
  });

  it('quarantines a lone surrogate with a JSON payload that stores', () => {
    const batch = new ExplodedBatch();
    batch.add(item({ user_search: list('ok', 'bad\uD800') }), DAY);
    const row = batch.quarantine[0]!;
    expect(row[3]).toBe('invalid_unicode');
    expect(row[5]).toBe('{"S":"bad\\ud800"}');
  });

  it('cuts an oversized payload to the column limit with a marker', () => {
    const batch = new ExplodedBatch();
    batch.add(item({ query_date: undefined, user_search: list('키워드'.repeat(40_000)) }), DAY);
    const payload = batch.quarantine[0]![5] as string;
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(payload).toMatch(/…\[cut: \d+ bytes\]$/);
  });

  it('records an unusable searched_at and loads the item with NULL', () => {
    const batch = new ExplodedBatch();
    batch.add(item({ searched_at: { S: 'yesterday' } }), DAY);
    expect(batch.queries[0]![1]).toBeNull();
    expect(batch.quarantine.map((r) => r[0])).toEqual(['dynamodb.searched_at']);
  });
});
