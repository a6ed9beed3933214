import type { AttributeValue, RawItem } from '../adapters/dynamo/port';
import { isValidIsbn13 } from '../domain/isbn';

/*
 * The quarantine rules of array explosion: what makes an item or an element unloadable, and how a rejected
 * value is kept (its reason, its source and its raw payload). `ExplodedBatch.add` applies them; the byte fast
 * path (explodeWire.ts) only takes items these rules would pass untouched.
 */

/** Why an item or element was quarantined. Stable strings: the report and tests group by them. */
export type QuarantineReason =
  | 'missing_query_date'
  | 'invalid_query_date'
  | 'invalid_query_id'
  | 'missing_attribute'
  | 'invalid_attribute_type'
  | 'element_not_string'
  | 'empty_value'
  | 'nul_character'
  | 'invalid_unicode'
  | 'value_too_long'
  | 'invalid_isbn13'
  | 'duplicate_element'
  | 'invalid_searched_at';

/** The array attributes of a search item and the long table each explodes into. */
export const ARRAYS = [
  { attribute: 'user_search', table: 'search_keyword', column: 'keyword', maxBytes: 1000 },
  { attribute: 'selected_lib', table: 'search_library', column: 'library', maxBytes: 200 },
  { attribute: 'isbn13_list', table: 'search_isbn13', column: 'isbn13', maxBytes: 13 },
] as const;

export type ArrayAttribute = (typeof ARRAYS)[number]['attribute'];

/** `source` values in `dw.quarantine`. Item rows and element rows reconcile separately. */
export const QUARANTINE_SOURCE = {
  item: 'dynamodb.item',
  element: (attribute: ArrayAttribute) => `dynamodb.${attribute}`,
  /** A loaded item whose optional `searched_at` was unusable: informational, the item still loads. */
  searchedAt: 'dynamodb.searched_at',
} as const;

/** Query ids are uuid-like keys; anything longer cannot be a real one and would not fit the column. */
export const MAX_QUERY_ID_BYTES = 64;
/** Redshift VARCHAR's limit; the raw item is kept as JSON up to this many bytes. */
export const MAX_PAYLOAD_BYTES = 65535;

/** Lists up to this long (nearly all of them) dedupe by a linear scan, which beats allocating a Set per list. */
export const SMALL_LIST = 16;

export class SmallSet {
  private readonly values: string[] = [];
  has(value: string): boolean {
    return this.values.includes(value);
  }
  add(value: string): void {
    this.values.push(value);
  }
}

export function elementProblem(
  text: string,
  attribute: ArrayAttribute,
  maxBytes: number,
  seen: Pick<Set<string>, 'has'>,
): QuarantineReason | null {
  if (text === '') return 'empty_value';
  if (text.includes('\u0000')) return 'nul_character';
  if (!text.isWellFormed()) return 'invalid_unicode';
  if (attribute === 'isbn13_list') {
    if (!isValidIsbn13(text)) return 'invalid_isbn13';
  } else if (!fitsBytes(text, maxBytes)) {
    return 'value_too_long';
  }
  if (seen.has(text)) return 'duplicate_element';
  return null;
}

export function stringOf(value: AttributeValue | undefined): string | undefined {
  return value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

export function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? 'nothing';
}

export function isClean(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** UTF-8 needs at most 3 bytes per UTF-16 unit, so short text skips the byte count (most values are short). */
export function fitsBytes(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || byteLength(text) <= maxBytes;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A key for an item whose query_id is unusable: its JSON, cut to fit. */
export function sourceKeyOf(item: RawItem): string {
  return cutToBytes(JSON.stringify(item.query_id ?? null), 256);
}

/**
 * The raw value as JSON text, cut to fit Redshift's VARCHAR limit. JSON escapes NUL and lone surrogates,
 * so the payload always stores; a cut payload ends with a marker rather than silently losing its tail.
 */
export function payloadJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, v) =>
    v instanceof Uint8Array ? { base64: Buffer.from(v).toString('base64') } : v,
  );
  if (byteLength(json) <= MAX_PAYLOAD_BYTES) return json;
  const marker = `…[cut: ${byteLength(json)} bytes]`;
  return cutToBytes(json, MAX_PAYLOAD_BYTES - byteLength(marker)) + marker;
}

export function cutToBytes(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  // Back off to a character boundary so the cut never leaves half a UTF-8 sequence.
  let end = maxBytes;
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
}
