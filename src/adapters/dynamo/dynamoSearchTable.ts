import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue as SdkAttributeValue,
} from '@aws-sdk/client-dynamodb';
import { MissingResourceError, ServiceUnavailableError } from '../../errors';
import type { RawItem, ScanPage, ScanPageRequest, SearchTable } from './port';
import { addDays, isReportDate } from '../../domain/reportDate';
import { readScanPageFromWire } from './wireScanPage';
import { dayRangeQuery, dropUpperBound, SWEEP_PROJECTION, undatedKeys } from './dayIndexRequests';
import { dynamoTableAdmin } from './dynamoTableAdmin';

export interface DynamoSettings {
  readonly endpoint?: string;
  readonly region: string;
  readonly table: string;
}

/** Builds the SDK client. With a local endpoint, dynalite accepts any credentials. */
export function createDynamoClient(settings: DynamoSettings): DynamoDBClient {
  return new DynamoDBClient({
    region: settings.region,
    endpoint: settings.endpoint,
    // dynalite ignores credentials; AWS uses the default chain when none are given here.
    ...(settings.endpoint && isLoopback(settings.endpoint)
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 5,
    // A hung request must fail (and be retried) rather than stall a segment past its heartbeat timeout.
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 },
  });
}

function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

/** The DynamoDB search table over the real SDK (AWS or dynalite). */
export function dynamoSearchTable(client: DynamoDBClient, settings: DynamoSettings): SearchTable {
  const tableName = settings.table;
  const where = settings.endpoint ?? `AWS ${settings.region}`;

  /** One DynamoDB call, its failures mapped to our kinds: a missing table, an unreachable endpoint. */
  async function call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ResourceNotFoundException) {
        throw new MissingResourceError(
          `DynamoDB table "${tableName}" does not exist at ${where}; run "libreport seed" or set DYNAMODB_TABLE`,
        );
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
        throw new ServiceUnavailableError(
          `DynamoDB is not reachable at ${where} (${code}); start it with "libreport stack up" or set DYNAMODB_ENDPOINT`,
        );
      }
      throw error;
    }
  }

  /** Sends a Scan or Query whose page is read from the response bytes (see `readScanPageFromWire`). */
  async function sendForWirePage(command: ScanCommand | QueryCommand): Promise<ScanPage> {
    const readPage = readScanPageFromWire(command);
    await call(() => client.send(command as ScanCommand));
    const page = readPage();
    const wireItems = page.items;
    const scanPage = {
      get items() {
        return wireItems.items();
      },
      scannedCount: page.scannedCount ?? 0,
      lastEvaluatedKey: page.lastEvaluatedKey,
    };
    // Not enumerable: a page rebuilt by spreading this one (`{ ...page, items }`) must not carry bytes that
    // no longer match its items.
    return Object.defineProperty(scanPage, 'wireItems', { value: wireItems, enumerable: false });
  }

  /** Full items by key (BatchGetItem, 100 keys a call, unprocessed keys asked for again). */
  async function getItems(keys: readonly RawItem[]): Promise<RawItem[]> {
    const items: RawItem[] = [];
    for (let at = 0; at < keys.length; at += 100) {
      let pending = keys.slice(at, at + 100) as Record<string, SdkAttributeValue>[];
      while (pending.length > 0) {
        const out = await call(() =>
          client.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending } } })),
        );
        items.push(...((out.Responses?.[tableName] ?? []) as RawItem[]));
        pending = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
    return items;
  }

  return {
    tableName,
    ...dynamoTableAdmin(client, tableName, call),
    async scanPage(request: ScanPageRequest): Promise<ScanPage> {
      const command = new ScanCommand({
        TableName: tableName,
        Segment: request.segment,
        TotalSegments: request.totalSegments,
        ExclusiveStartKey: request.startKey as Record<string, SdkAttributeValue> | undefined,
        Limit: request.limit,
        ...(request.queryDate ? dayFilter(request.queryDate) : {}),
      });
      return sendForWirePage(command);
    },
    async queryDayPage(request): Promise<ScanPage> {
      const command = new QueryCommand({
        TableName: tableName,
        ...dayRangeQuery(request.queryDate, request.range),
        ExclusiveStartKey: request.startKey as Record<string, SdkAttributeValue> | undefined,
        Limit: request.limit,
      });
      const page = await sendForWirePage(command);
      return dropUpperBound(page, request.range, page.wireItems?.bytes);
    },
    async sweepPage(request): Promise<ScanPage> {
      const out = await call(() =>
        client.send(
          new ScanCommand({
            TableName: tableName,
            Segment: request.segment,
            TotalSegments: request.totalSegments,
            ExclusiveStartKey: request.startKey as Record<string, SdkAttributeValue> | undefined,
            Limit: request.limit,
            ...SWEEP_PROJECTION,
          }),
        ),
      );
      const keys = undatedKeys((out.Items ?? []) as RawItem[], isReportDate);
      return {
        items: await getItems(keys),
        scannedCount: out.ScannedCount ?? 0,
        lastEvaluatedKey: out.LastEvaluatedKey as RawItem | undefined,
      };
    },
    async writeBatch(items: readonly RawItem[]): Promise<RawItem[]> {
      if (items.length === 0) return [];
      const out = await call(() =>
        client.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [tableName]: items.map((item) => ({
                PutRequest: { Item: item as Record<string, SdkAttributeValue> },
              })),
            },
          }),
        ),
      );
      const left = out.UnprocessedItems?.[tableName] ?? [];
      return left.map((request) => request.PutRequest!.Item as RawItem);
    },
  };
}

/** Ten-character strings outside these bounds are no day at all (isReportDate takes years 0100 to 9999). */
const FIRST_DAY = '0100-01-01';
const LAST_DAY = '9999-12-31';

/**
 * The scan filter for `day`: its items, and items that belong to no day, so every item is read by some
 * day's scan and loaded or quarantined rather than never seen.
 * - a missing `query_date`, one that is not a string, or not ten characters long: every day's scan;
 * - a ten-character string that is no real day (`2024-02-30`, `2024-08-0x`): the scan of the last real day
 *   before it in string order, `[day, next day)`, which holds no other real day. Outside the bounds of real
 *   days, every day's scan. (An item sorting after a day that is never run stays unseen: the sweep's job.)
 */
function dayFilter(day: string) {
  return {
    FilterExpression:
      '(#d >= :d AND #d < :next) OR attribute_not_exists(#d) OR NOT attribute_type(#d, :s) OR size(#d) <> :ten' +
      ' OR #d < :first OR #d > :last',
    ExpressionAttributeNames: { '#d': 'query_date' },
    ExpressionAttributeValues: {
      ':d': { S: day },
      ':next': { S: addDays(day, 1) },
      ':s': { S: 'S' },
      ':ten': { N: '10' },
      ':first': { S: FIRST_DAY },
      ':last': { S: LAST_DAY },
    },
  };
}
