import { DeleteTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, dynamoSearchTable } from '../../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem, SearchTable } from '../../src/adapters/dynamo/port';
import { ExplodedBatch } from '../../src/activities/explode';
import { MissingResourceError } from '../../src/errors';
import { testStackConfig } from '../support/stack';

const ITEM_COUNT = 137;
const TOTAL_SEGMENTS = 4;

describe('dynalite through the DynamoDB adapter', () => {
  const config = testStackConfig();
  const settings = {
    endpoint: config.dynamo.endpoint,
    region: config.aws.region,
    table: `stack_scan_${process.pid}_${Date.now()}`,
  };
  let client: DynamoDBClient;
  let table: SearchTable;

  beforeAll(async () => {
    client = createDynamoClient(settings);
    table = dynamoSearchTable(client, settings);
    await table.ensureTable();
  });

  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: settings.table })).catch(() => undefined);
    client.destroy();
  });

  it('returns every item exactly once across a 4-segment parallel scan', async () => {
    const written = Array.from({ length: ITEM_COUNT }, (_, i) => `q-${String(i).padStart(4, '0')}`);
    for (let i = 0; i < written.length; i += 25) {
      let batch: RawItem[] = written.slice(i, i + 25).map((id) => ({
        query_id: { S: id },
        query_date: { S: '2024-05-16' },
        user_search: { L: [{ S: 'keyword' }] },
      }));
      while (batch.length > 0) batch = await table.writeBatch(batch);
    }

    const perSegment = await Promise.all(
      Array.from({ length: TOTAL_SEGMENTS }, async (_, segment) => {
        const ids: string[] = [];
        let startKey: RawItem | undefined;
        do {
          // A small page size forces several pages per segment, exercising LastEvaluatedKey.
          const page = await table.scanPage({ segment, totalSegments: TOTAL_SEGMENTS, startKey, limit: 10 });
          for (const item of page.items) ids.push((item.query_id as { S: string }).S);
          startKey = page.lastEvaluatedKey;
        } while (startKey);
        return ids;
      }),
    );

    const seen = perSegment.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(written);
    expect(perSegment.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  });

  it('hands explode its wire bytes, which a page rebuilt by spreading does not carry along', async () => {
    const page = await table.scanPage({ segment: 0, totalSegments: 1, queryDate: '2024-05-16', limit: 5 });
    expect(page.wireItems).toBeDefined();
    const wired = new ExplodedBatch();
    wired.addPage(page, '2024-05-16');
    expect(wired.itemsSeen).toBe(5);

    const extra: RawItem = { query_id: { S: 'added' }, query_date: { S: '2024-05-16' } };
    const rebuilt = { ...page, items: [...page.items, extra] };
    expect(rebuilt.wireItems).toBeUndefined();
    const batch = new ExplodedBatch();
    batch.addPage(rebuilt, '2024-05-16');
    expect(batch.itemsSeen).toBe(6);
    // The first test's items lack two arrays, so all are quarantined: the added one too, after them.
    expect(batch.quarantine.map((row) => row[2])).toEqual([
      ...wired.quarantine.map((row) => row[2]),
      'added',
    ]);
  });
  it('reads pages from the wire exactly as the SDK would deserialize them, every attribute type included', async () => {
    const odd: RawItem[] = [
      {
        query_id: { S: 'wire-1' },
        query_date: { S: '2024-05-17' },
        user_search: { L: [{ S: '"quoted" \\ back\u0000slash' }, { S: '한국어 📚' }, { N: '12.5' }] },
        selected_lib: { SS: ['b', 'a'] },
        isbn13_list: { L: [{ B: new Uint8Array([0, 1, 254, 255]) }, { NULL: true }, { BOOL: false }] },
        nested: {
          M: { B: { S: 'a map key named B' }, deep: { L: [{ M: { bin: { B: new Uint8Array([7]) } } }] } },
        },
      },
      {
        query_id: { S: 'wire-2' },
        query_date: { S: '2024-05-17' },
        numbers: { NS: ['1', '2.5'] },
        bytes: { BS: [new Uint8Array([1, 2]), new Uint8Array([3])] } as never,
      },
    ];
    let batch = odd;
    while (batch.length > 0) batch = await table.writeBatch(batch);

    const filter = {
      FilterExpression: '#d = :d',
      ExpressionAttributeNames: { '#d': 'query_date' },
      ExpressionAttributeValues: { ':d': { S: '2024-05-17' } },
    };
    const wire: RawItem[] = [];
    const sdk: unknown[] = [];
    for (let segment = 0; segment < TOTAL_SEGMENTS; segment++) {
      let startKey: RawItem | undefined;
      do {
        const page = await table.scanPage({
          segment,
          totalSegments: TOTAL_SEGMENTS,
          startKey,
          limit: 7,
          queryDate: '2024-05-17',
        });
        const reference = await client.send(
          new ScanCommand({
            TableName: settings.table,
            Segment: segment,
            TotalSegments: TOTAL_SEGMENTS,
            ExclusiveStartKey: startKey as never,
            Limit: 7,
            ...filter,
          }),
        );
        expect(page.scannedCount).toBe(reference.ScannedCount);
        expect(page.lastEvaluatedKey).toEqual(reference.LastEvaluatedKey);
        wire.push(...page.items.filter((item) => (item.query_date as { S: string }).S === '2024-05-17'));
        sdk.push(...(reference.Items ?? []));
        startKey = page.lastEvaluatedKey;
      } while (startKey);
    }
    const byId = (items: unknown[]) =>
      [...items].sort((a, b) =>
        ((a as RawItem).query_id as { S: string }).S.localeCompare(
          ((b as RawItem).query_id as { S: string }).S,
        ),
      );
    expect(byId(wire)).toEqual(byId(sdk));
    expect(byId(wire)).toEqual(byId(odd));
    const binary = ((byId(wire)[0] as RawItem).isbn13_list as { L: { B: Uint8Array }[] }).L[0]!.B;
    expect(binary).toBeInstanceOf(Uint8Array);
    expect([...binary]).toEqual([0, 1, 254, 255]);
  });

  it('still reports a missing table as one clear error', async () => {
    const missing = dynamoSearchTable(client, { ...settings, table: `${settings.table}_absent` });
    await expect(missing.scanPage({ segment: 0, totalSegments: 1 })).rejects.toThrow(MissingResourceError);
  });
});
