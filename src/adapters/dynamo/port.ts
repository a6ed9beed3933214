/**
 * The DynamoDB calls libreport makes, in our own types so no SDK type leaks past the adapter.
 * One implementation serves both AWS and dynalite: only the endpoint differs.
 */
import type { WireItems } from './wireItems';

/** A DynamoDB attribute value as it comes over the wire (only the shapes we read or write). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: string[] }
  | { B: Uint8Array };

export type RawItem = Record<string, AttributeValue>;

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
}

/** The search-log table. */
export interface SearchTable {
  readonly tableName: string;
  /** Throws `MissingResourceError` when the table does not exist. */
  describe(): Promise<TableDescription>;
  scanPage(request: ScanPageRequest): Promise<ScanPage>;
  /** Creates the table (partition key `query_id`) when absent; waits until it is active. */
  ensureTable(): Promise<void>;
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
