import { Readable } from 'node:stream';
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { readScanPageFromWire } from '../../../src/adapters/dynamo/wireScanPage';

/**
 * Guards the one place libreport reaches inside the AWS SDK: `readScanPageFromWire` adds a deserialize-step
 * middleware that takes the raw HTTP response of a Scan or Query, keeps its bytes, and hands the SDK's own
 * deserializer a body holding only the counts. An SDK upgrade that reorders the middleware stack, changes the
 * response's shape or stops tolerating the swapped body fails here, by name, instead of as an empty day.
 *
 * The SDK runs for real (signing, retries, its JSON deserializer, its error parsing); only the socket is replaced by
 * a request handler that answers what DynamoDB would, with a streamed body as Node's HTTP handler gives.
 */
describe('the DynamoDB wire page reader against the installed AWS SDK', () => {
  interface Answer {
    readonly status: number;
    readonly body: string;
    readonly headers?: Record<string, string>;
  }

  function clientAnswering(answers: Answer[]): { client: DynamoDBClient; requests: string[] } {
    const requests: string[] = [];
    const requestHandler = {
      async handle(request: { headers: Record<string, string>; body?: unknown }) {
        requests.push(request.headers['x-amz-target'] ?? '?');
        const answer = answers.shift();
        if (!answer) throw new Error('more requests than answers');
        return {
          response: {
            statusCode: answer.status,
            reason: '',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'content-length': String(Buffer.byteLength(answer.body)),
              'x-amzn-requestid': 'test',
              ...answer.headers,
            },
            // Chunked, as a socket delivers it: the reader must gather every chunk.
            body: Readable.from([Buffer.from(answer.body.slice(0, 7)), Buffer.from(answer.body.slice(7))]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    };
    const client = new DynamoDBClient({
      region: 'ap-northeast-2',
      endpoint: 'http://dynamodb.test',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler,
      maxAttempts: 3,
      retryStrategy: undefined,
    });
    return { client, requests };
  }

  const page = {
    Items: [
      { query_id: { S: 'q-1' }, query_date: { S: '2026-12-05' }, user_search: { L: [{ S: '토지' }] } },
      { query_id: { S: 'q-2' }, query_date: { S: '2026-12-05' }, selected_lib: { SS: ['111', '222'] } },
    ],
    Count: 2,
    ScannedCount: 5,
    LastEvaluatedKey: { query_id: { S: 'q-2' } },
  };

  it('hands a Scan page to the reader as bytes, and the SDK still returns the counts it was given', async () => {
    const { client, requests } = clientAnswering([{ status: 200, body: JSON.stringify(page) }]);
    const command = new ScanCommand({ TableName: 'library_search', Segment: 0, TotalSegments: 4 });
    const readPage = readScanPageFromWire(command);
    const output = await client.send(command);

    expect(requests).toEqual(['DynamoDB_20120810.Scan']);
    const wire = readPage();
    expect(wire.count).toBe(2);
    expect(wire.scannedCount).toBe(5);
    expect(wire.lastEvaluatedKey).toEqual({ query_id: { S: 'q-2' } });
    expect(wire.items.items()).toEqual(page.Items);
    // The SDK's deserializer ran on the swapped body: counts only, no second copy of the items.
    expect(output.Count).toBe(2);
    expect(output.ScannedCount).toBe(5);
    expect(output.Items).toBeUndefined();
  });

  it('reads a Query page the same way (the day index path)', async () => {
    const { client } = clientAnswering([
      { status: 200, body: JSON.stringify({ ...page, LastEvaluatedKey: undefined }) },
    ]);
    const command = new QueryCommand({
      TableName: 'library_search',
      IndexName: 'query_date-query_id-index',
      KeyConditionExpression: 'query_date = :d',
      ExpressionAttributeValues: { ':d': { S: '2026-12-05' } },
    });
    const readPage = readScanPageFromWire(command);
    await client.send(command);
    expect(readPage().items.items()).toHaveLength(2);
    expect(readPage().lastEvaluatedKey).toBeUndefined();
  });

  it('leaves an error answer to the SDK: its typed exception, its retries, and the page of the attempt that succeeded', async () => {
    const throttled: Answer = {
      status: 400,
      body: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'Rate of requests exceeds the allowed throughput',
      }),
    };
    const retried = clientAnswering([throttled, { status: 200, body: JSON.stringify(page) }]);
    const command = new ScanCommand({ TableName: 'library_search' });
    const readPage = readScanPageFromWire(command);
    await retried.client.send(command);
    expect(retried.requests).toHaveLength(2);
    expect(readPage().items.items()).toHaveLength(2);

    const refused = clientAnswering([throttled, throttled, throttled]);
    const failing = new ScanCommand({ TableName: 'library_search' });
    const readFailed = readScanPageFromWire(failing);
    await expect(refused.client.send(failing)).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(() => readFailed()).toThrow(/not read from the wire/);
  });
});
