/**
 * The DynamoDB calls libreport makes, in our own types so no SDK type leaks past the adapter.
 * One implementation serves both AWS and dynalite: only the endpoint differs.
 */
import type { RawItem } from './attributeValue';
import type { WireItems } from './wireItems';

export type { AttributeValue, RawItem } from './attributeValue';

export interface ScanPageRequest {
  readonly segment: number;
  readonly totalSegments: number;
  /**
   * Only items whose `query_date` equals this day are returned (the filter runs server-side), plus items
   * whose `query_date` is no day: missing, not a string or not ten characters long (every day's scan), or a
   * ten-character string that is no real day sorting between this day and the next (this day's scan only).
   */
  readonly queryDate?: string;
  /** Resume point: the `lastEvaluatedKey` of the previous page. */
  readonly startKey?: RawItem;
  readonly limit?: number;
}

export interface ScanPage {
  /** The page's items (when read from the wire, parsed on first use). */
  readonly items: RawItem[];
  /**
   * The same items still as the response's bytes, when the adapter read them from the wire: explode reads
   * these without building objects. A page rebuilt around other `items` must leave this out (the adapter makes
   * it non-enumerable, so a spread leaves it out).
   */
  readonly wireItems?: WireItems;
  /** Items the server read for this page before filtering (what the page cost). */
  readonly scannedCount: number;
  readonly lastEvaluatedKey?: RawItem;
}

export interface TableDescription {
  readonly itemCount: number;
  readonly sizeBytes: number;
  readonly partitionKey: string;
  /**
   * The day index as DescribeTable reports it: `active` only when it can be queried. Never inferred from an
   * UpdateTable call having succeeded (dynalite accepts one that adds an index and silently does nothing).
   */
  readonly dayIndex: DayIndexStatus;
}

/** `creating` covers both resource allocation and back-fill: the index cannot be queried yet. */
export type DayIndexStatus = 'active' | 'creating' | 'absent';

/**
 * The global secondary index that lets a day be read without reading the table: partition key `query_date`,
 * sort key `query_id` (random UUIDs, so sort-key ranges split a day evenly).
 */
export const DAY_INDEX = {
  name: 'query_date-query_id-index',
  partitionKey: 'query_date',
  sortKey: 'query_id',
  /** What explode reads besides the keys; an index query returns nothing else (quarantine payloads included). */
  projected: ['searched_at', 'user_search', 'selected_lib', 'isbn13_list'],
} as const;

/**
 * A slice `[from, below)` of a day's `query_id`s; an absent bound is open. Slices of one plan tile every string,
 * so an id of any shape (uppercase, not a UUID) falls in exactly one.
 */
export interface KeyRange {
  /** The range's number in its plan (its activity is `segment-<index>`). */
  readonly index: number;
  readonly from?: string;
  readonly below?: string;
}

export interface DayQueryPageRequest {
  readonly queryDate: string;
  readonly range: KeyRange;
  /** Resume point: the `lastEvaluatedKey` of the previous page (index and table keys; kept opaque). */
  readonly startKey?: RawItem;
  readonly limit?: number;
}

/** One page of the whole-table scan for items the day index cannot see (see `sweepFilter`). */
export interface SweepPageRequest {
  readonly segment: number;
  readonly totalSegments: number;
  readonly startKey?: RawItem;
  readonly limit?: number;
}

/** The search-log table. */
export interface SearchTable {
  readonly tableName: string;
  /** Throws `MissingResourceError` when the table does not exist. */
  describe(): Promise<TableDescription>;
  scanPage(request: ScanPageRequest): Promise<ScanPage>;
  /** One page of a day read through the day index (eventually consistent: GSIs offer nothing else). */
  queryDayPage(request: DayQueryPageRequest): Promise<ScanPage>;
  /** One page of items with no usable day: no `query_date`, not a string, or not a real day. */
  sweepPage(request: SweepPageRequest): Promise<ScanPage>;
  /**
   * Creates the table (partition key `query_id`) when absent, with the day index unless `dayIndex` is false;
   * waits until it is active. An existing table is left as it is.
   */
  ensureTable(options?: { readonly dayIndex?: boolean }): Promise<void>;
  /** Asks DynamoDB to add the day index (UpdateTable); returns the status DescribeTable reports afterwards. */
  addDayIndex(): Promise<DayIndexStatus>;
  /** Writes up to 25 items; returns the ones DynamoDB left unprocessed, for the caller to retry. */
  writeBatch(items: readonly RawItem[]): Promise<RawItem[]>;
}

/** Error names DynamoDB uses when it sheds load: back off and go on. */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING_ERROR_NAMES.has(error.name);
}
