import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Config } from '../src/config/config';

/** The bare scan: how fast this DynamoDB stand-in hands out the day's items, with no work done on them. */
export interface ExtractFloor {
  readonly segments: number;
  readonly items: number;
  readonly pages: number;
  readonly ms: number;
  readonly itemsPerSecond: number;
}

/**
 * A parallel Scan with the raw SDK client: one loop per segment, all segments at once, the same day filter
 * libreport's adapter sends (keep the two in step), counting items and nothing else.
 */
export async function measureExtractFloor(
  config: Config,
  date: string,
  segments: number,
): Promise<ExtractFloor> {
  const client = new DynamoDBClient({
    region: config.aws.region,
    endpoint: config.dynamo.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const started = performance.now();
    const perSegment = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let items = 0;
        let pages = 0;
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const out = await client.send(
            new ScanCommand({
              TableName: config.dynamo.table,
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey: startKey,
              FilterExpression: '#d = :d OR attribute_not_exists(#d) OR NOT attribute_type(#d, :s)',
              ExpressionAttributeNames: { '#d': 'query_date' },
              ExpressionAttributeValues: { ':d': { S: date }, ':s': { S: 'S' } },
            }),
          );
          items += out.Count ?? 0;
          pages++;
          startKey = out.LastEvaluatedKey;
        } while (startKey);
        return { items, pages };
      }),
    );
    const ms = performance.now() - started;
    const items = perSegment.reduce((n, s) => n + s.items, 0);
    return {
      segments,
      items,
      pages: perSegment.reduce((n, s) => n + s.pages, 0),
      ms,
      itemsPerSecond: (items * 1000) / ms,
    };
  } finally {
    client.destroy();
  }
}
