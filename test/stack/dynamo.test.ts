import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient, dynamoSearchTable } from '../../src/adapters/dynamo/dynamoSearchTable';
import type { RawItem, SearchTable } from '../../src/adapters/dynamo/port';
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
});
