import type { RawItem, ScanPage } from '../../src/adapters/dynamo/port';
import { readWirePage } from '../../src/adapters/dynamo/wireItems';
import { ExplodedBatch, MAX_PAYLOAD_BYTES, type RowSink } from '../../src/activities/explode';
import { csvLine } from '../../src/adapters/warehouse/csv';
import { EncodedRows } from '../../src/adapters/warehouse/encodedRows';
import { redshiftCsvLine } from '../../src/adapters/warehouse/redshiftCopy';
import { RejectedDataError } from '../../src/errors';
import { generateCatalogue } from '../../src/seed';
import { generateSearchItems } from '../../src/seed/generateSearches';

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

describe('ExplodedBatch.addPage, from a Scan response read off the wire', () => {
  const catalogue = generateCatalogue('explode-wire', 300);
  const generated = [
    ...generateSearchItems({
      seed: 'explode-wire',
      items: 3000,
      startDate: DAY,
      days: 1,
      timeZone: 'Asia/Seoul',
      badItemRate: 0.3,
      legacyShare: 0.3,
      catalogue,
    }),
  ]
    .map((g) => g.item)
    // Items of no day are read by every day's scan; items of another valid day never reach explode.
    .filter((raw) => !('S' in (raw.query_date ?? {})) || (raw.query_date as { S: string }).S === DAY);
  const edgeItems: RawItem[] = [
    item({ user_search: list('escaped "quote"', 'tab\there', 'back\\slash', '\u0000nul', 'bad\uD800') }),
    item({ user_search: list('🐍 파이썬', '👩‍💻', 'x'.repeat(1000)), selected_lib: list('y'.repeat(201)) }),
    item({ query_id: { S: 'q'.repeat(64) } }),
    item({ query_id: { S: 'q'.repeat(65) } }),
    item({ query_id: { S: '' } }),
    item({ query_id: { N: '1' } }),
    item({ isbn13_list: list(...Array.from({ length: 20 }, (_, i) => `979116303${String(1000 + i)}`)) }),
    item({ isbn13_list: list('9791163030645', '9791163030645') }),
    item({ isbn13_list: list('9791163030645', '979116303064', '97911630306450', '1234567890123') }),
    item({ isbn13_list: { SS: ['9791163030645', '9791186710340'] } }),
    item({ user_search: list(...Array.from({ length: 70 }, (_, i) => `k${i}`)) }),
    item({ user_search: list(...Array.from({ length: 70 }, (_, i) => `k${i % 30}`)) }),
    item({ user_search: { L: [] }, selected_lib: { L: [] }, isbn13_list: { L: [] } }),
    item({ searched_at: { S: '2024-05-16T10:15:00Z' } }),
    item({ searched_at: { S: '2024-05-16T10:15:00.123456-05:30' } }),
    item({ searched_at: { S: '2024-05-16T10:15:00' } }),
    item({ searched_at: { N: '1715822100' } }),
    item({ extra: { N: '5' } }),
    item({ extra: { S: 'ignored' }, more: { SS: ['a'] } }),
    item({ query_date: { S: '2024-5-16' } }),
    item({ selected_lib: { S: '노원' } }),
    // JSON DynamoDB would not send: values that are not attribute values at all.
    item({ extra: 'bare' as unknown as RawItem[string], more: null as unknown as RawItem[string] }),
    item({ user_search: { L: [{ S: 'ok' }, 'bare' as unknown as RawItem[string]] } }),
    {},
  ];

  /** Serialises items the way DynamoDB does, or spaced out, which a reader must accept just the same. */
  function wirePage(items: readonly RawItem[], spaced: boolean): ScanPage {
    const body = JSON.stringify(
      { Count: items.length, Items: items, ScannedCount: items.length },
      null,
      spaced ? 1 : 0,
    );
    const wire = readWirePage(Buffer.from(body));
    return { items: wire.items.items(), wireItems: wire.items, scannedCount: items.length };
  }

  function counters(batch: ExplodedBatch<RowSink>) {
    const { itemsSeen, elementsSeen, itemsQuarantined, elementsQuarantined } = batch;
    return { itemsSeen, elementsSeen, itemsQuarantined, elementsQuarantined };
  }

  const all = [...generated, ...edgeItems];
  const expected = new ExplodedBatch();
  for (const raw of all) expected.add(JSON.parse(JSON.stringify(raw)) as RawItem, DAY);

  it.each([false, true])(
    'gives the same rows and counts as add() on every item (spaced JSON: %s)',
    (spaced) => {
      const batch = new ExplodedBatch();
      batch.addPage(wirePage(all, spaced), DAY);
      for (const kind of ['queries', 'keywords', 'libraries', 'isbns', 'quarantine'] as const) {
        expect(batch[kind]).toEqual(expected[kind]);
      }
      expect(counters(batch)).toEqual(counters(expected));
      // The page really exercises both ways: most items are read flat, the odd ones are parsed.
      let flat = 0;
      wirePage(all, spaced).wireItems!.forEach((f) => (flat += f ? 1 : 0));
      expect(flat).toBeGreaterThan(all.length / 2);
      expect(flat).toBeLessThan(all.length);
    },
  );

  it.each([
    ['PostgreSQL', csvLine],
    ['Redshift', redshiftCsvLine],
  ])('writes the bytes the %s encoder writes for the same rows', (_name, lineOf) => {
    const encoded = new ExplodedBatch(() => new EncodedRows(lineOf));
    encoded.addPage(wirePage(all, false), DAY);
    for (const kind of ['queries', 'keywords', 'libraries', 'isbns', 'quarantine'] as const) {
      const text = Buffer.concat(encoded[kind].chunks()).toString('utf8');
      expect(text).toBe(expected[kind].map((row) => lineOf(row)).join(''));
      expect(encoded[kind].length).toBe(expected[kind].length);
    }
  });

  it('stops the run on an item of another day, read flat or not', () => {
    const batch = new ExplodedBatch();
    expect(() => batch.addPage(wirePage([item({ query_date: { S: '2024-05-17' } })], false), DAY)).toThrow(
      RejectedDataError,
    );
  });

  it('explodes a page built from items alone the same way', () => {
    const batch = new ExplodedBatch();
    batch.addPage({ items: JSON.parse(JSON.stringify(all)) as RawItem[], scannedCount: all.length }, DAY);
    expect(batch.keywords).toEqual(expected.keywords);
    expect(counters(batch)).toEqual(counters(expected));
  });
});
