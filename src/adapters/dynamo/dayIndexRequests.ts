import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { DAY_INDEX, type KeyRange, type RawItem, type ScanPage } from './port';

/**
 * The Query parameters that read one range of a day through the day index. DynamoDB allows one sort-key test
 * per Query, so `[from, below)` is spelled `< below`, `>= from`, or `BETWEEN from AND below` (inclusive: the
 * item whose id is exactly `below`, if any, also belongs to the next range and is dropped here by
 * `dropUpperBound`).
 */
export function dayRangeQuery(day: string, range: KeyRange) {
  const names: Record<string, string> = { '#d': DAY_INDEX.partitionKey };
  // DynamoDB refuses a name that no expression uses.
  if (range.from !== undefined || range.below !== undefined) names['#id'] = DAY_INDEX.sortKey;
  const values: Record<string, SdkAttributeValue> = { ':d': { S: day } };
  let sortTest = '';
  if (range.from !== undefined && range.below !== undefined) {
    sortTest = ' AND #id BETWEEN :from AND :below';
    values[':from'] = { S: range.from };
    values[':below'] = { S: range.below };
  } else if (range.from !== undefined) {
    sortTest = ' AND #id >= :from';
    values[':from'] = { S: range.from };
  } else if (range.below !== undefined) {
    sortTest = ' AND #id < :below';
    values[':below'] = { S: range.below };
  }
  return {
    IndexName: DAY_INDEX.name,
    KeyConditionExpression: `#d = :d${sortTest}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Drops the item whose id equals the range's exclusive upper bound, which `BETWEEN` returned. Such an id is
 * a short string like `"4c"`, never a UUID, so this is rare: the page keeps its wire bytes (explode's fast
 * path) unless the bound appears in the page at all as a JSON string, and only then is it parsed and filtered.
 */
export function dropUpperBound(page: ScanPage, range: KeyRange, bytes: Buffer | undefined): ScanPage {
  if (range.from === undefined || range.below === undefined) return page;
  const below = range.below;
  if (bytes && !bytes.includes(JSON.stringify(below))) return page;
  const items = page.items.filter(
    (item) => !(item.query_id && 'S' in item.query_id && item.query_id.S === below),
  );
  if (items.length === page.items.length) return page;
  return { items, scannedCount: page.scannedCount, lastEvaluatedKey: page.lastEvaluatedKey };
}

/** Whether an item's `query_date` is a string the day index can serve (a real day). */
export type DayCheck = (value: string) => boolean;

/** The key attributes a sweep page reads of each item: enough to tell an undated item, cheap to transfer. */
export const SWEEP_PROJECTION = {
  ProjectionExpression: '#id, #d',
  ExpressionAttributeNames: { '#id': 'query_id', '#d': DAY_INDEX.partitionKey },
};

/** The keys of the items on a sweep page whose `query_date` no day's index query returns. */
export function undatedKeys(items: readonly RawItem[], isDay: DayCheck): RawItem[] {
  const keys: RawItem[] = [];
  for (const item of items) {
    const date = item.query_date;
    if (date && 'S' in date && isDay(date.S)) continue;
    if (item.query_id) keys.push({ query_id: item.query_id });
  }
  return keys;
}
