import type { AttributeValue, RawItem, ScanPage } from '../adapters/dynamo/port';
import { FLAT_STRING, type FlatItem } from '../adapters/dynamo/wireItems';
import type { EncodedRows } from '../adapters/warehouse/encodedRows';
import type { CopyValue } from '../adapters/warehouse/port';
import { normalizeInstant, normalizeInstantBytes } from '../domain/instant';
import { isValidIsbn13, isValidIsbn13Bytes } from '../domain/isbn';
import { isReportDate } from '../domain/reportDate';
import { RejectedDataError } from '../errors';

/**
 * Array explosion: one DynamoDB search item becomes a `search_query` row plus one long row per array
 * element with its position in the array (the day comes from the run's staging tables). Anything that
 * cannot be loaded as is becomes a quarantine row with a reason, so every item and every element is
 * accounted for.
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

/** Attribute names as UTF-8, for finding them in a flat item's bytes. */
const NAME_BYTES = {
  query_id: Buffer.from('query_id'),
  query_date: Buffer.from('query_date'),
  searched_at: Buffer.from('searched_at'),
  user_search: Buffer.from('user_search'),
  selected_lib: Buffer.from('selected_lib'),
  isbn13_list: Buffer.from('isbn13_list'),
} as const;

export type ArrayAttribute = (typeof ARRAYS)[number]['attribute'];

/** `source` values in `dw.quarantine`. Item rows and element rows reconcile separately. */
export const QUARANTINE_SOURCE = {
  item: 'dynamodb.item',
  element: (attribute: ArrayAttribute) => `dynamodb.${attribute}`,
  /** A loaded item whose optional `searched_at` was unusable: informational, the item still loads. */
  searchedAt: 'dynamodb.searched_at',
} as const;

/** Query ids are uuid-like keys; anything longer cannot be a real one and would not fit the column. */
const MAX_QUERY_ID_BYTES = 64;
/** Redshift VARCHAR's limit; the raw item is kept as JSON up to this many bytes. */
export const MAX_PAYLOAD_BYTES = 65535;

/**
 * Where a batch puts each kind of row: a plain array (tests, benchmarks), or the warehouse's encoder, which
 * turns rows into bulk-load bytes as they come (`Warehouse.encoder()`).
 */
export interface RowSink {
  push(row: CopyValue[]): unknown;
  /** `push([id, position, text])` with both texts given as UTF-8 bytes, when the sink is an encoder. */
  pushTextRow?: EncodedRows['pushTextRow'];
  readonly length: number;
}

/**
 * Rows of one batch of items, in staging column order (`STAGE_COLUMNS`: the day rows leave out `query_date`,
 * which their staging tables default to the run's day), plus what reconciliation needs.
 */
export class ExplodedBatch<Sink extends RowSink = CopyValue[][]> {
  readonly queries: Sink;
  readonly keywords: Sink;
  readonly libraries: Sink;
  readonly isbns: Sink;
  readonly quarantine: Sink;
  itemsSeen = 0;
  /** Elements of the items that loaded (a wholly quarantined item's elements are not counted apart). */
  elementsSeen = 0;
  itemsQuarantined = 0;
  elementsQuarantined = 0;

  /** Built once: `add` looks it up three times per item. */
  private readonly byArray: Record<ArrayAttribute, Sink>;

  constructor(newSink: () => Sink = () => [] as unknown as Sink) {
    this.queries = newSink();
    this.keywords = newSink();
    this.libraries = newSink();
    this.isbns = newSink();
    this.quarantine = newSink();
    this.byArray = { user_search: this.keywords, selected_lib: this.libraries, isbn13_list: this.isbns };
  }

  quarantineRow(
    source: string,
    queryDate: string | null,
    sourceKey: string | null,
    reason: QuarantineReason,
    detail: string,
    payload: unknown,
  ): void {
    this.quarantine.push([source, queryDate, sourceKey, reason, detail, payloadJson(payload)]);
  }

  /**
   * Explodes a scanned page's items. Read from the wire, a clean item of only strings and lists of strings
   * goes from the page's bytes to encoded rows; any other item is parsed and goes through `add`, so both
   * ways give the same rows.
   */
  addPage(page: ScanPage, day: string): void {
    const wire = page.wireItems;
    if (!wire) {
      for (const item of page.items) this.add(item, day);
      return;
    }
    const dayBytes = Buffer.from(day);
    wire.forEach((flat, parse) => {
      if (flat === null || !this.addFlat(flat, dayBytes)) this.add(parse(), day);
    });
  }

  /** Explodes one item scanned for `day`. */
  add(item: RawItem, day: string): void {
    this.itemsSeen++;
    const queryId = stringOf(item.query_id);
    if (
      queryId === undefined ||
      queryId === '' ||
      !fitsBytes(queryId, MAX_QUERY_ID_BYTES) ||
      !isClean(queryId)
    ) {
      return this.rejectItem(
        item,
        null,
        day,
        'invalid_query_id',
        'query_id must be a non-empty string of at most 64 bytes',
      );
    }
    const dateAttr = item.query_date;
    if (dateAttr === undefined)
      return this.rejectItem(item, queryId, null, 'missing_query_date', 'query_date is missing');
    const queryDate = stringOf(dateAttr);
    // Nearly every item carries the scanned day itself, which is known to be valid.
    if (queryDate === undefined || (queryDate !== day && !isReportDate(queryDate))) {
      return this.rejectItem(
        item,
        queryId,
        null,
        'invalid_query_date',
        `query_date must be a YYYY-MM-DD string, got ${typeOf(dateAttr)}`,
      );
    }
    // The scan's filter returns only the day's items and undated ones, and staged rows take the day from their
    // table: an item of another day here would be filed under the wrong day, so the run stops instead.
    if (queryDate !== day) {
      throw new RejectedDataError(
        `item ${queryId} is dated ${queryDate} but was scanned for ${day}; the scan's day filter did not hold`,
      );
    }

    const lists = {} as Record<ArrayAttribute, AttributeValue[] | string[]>;
    for (const { attribute } of ARRAYS) {
      const value = item[attribute];
      if (value === undefined) {
        return this.rejectItem(item, queryId, queryDate, 'missing_attribute', `${attribute} is missing`);
      }
      if ('L' in value) lists[attribute] = value.L;
      else if ('SS' in value) lists[attribute] = value.SS;
      else {
        return this.rejectItem(
          item,
          queryId,
          queryDate,
          'invalid_attribute_type',
          `${attribute} must be a list, got ${typeOf(value)}`,
        );
      }
    }

    let searchedAt: string | null = null;
    if (item.searched_at !== undefined) {
      const text = stringOf(item.searched_at);
      searchedAt = text === undefined ? null : normalizeInstant(text);
      if (searchedAt === null) {
        this.quarantineRow(
          QUARANTINE_SOURCE.searchedAt,
          queryDate,
          queryId,
          'invalid_searched_at',
          'searched_at is not an ISO-8601 instant; loaded as NULL',
          item.searched_at,
        );
      }
    }

    for (const spec of ARRAYS) {
      const rows = this.byArray[spec.attribute];
      const elements = lists[spec.attribute];
      const seen = elements.length > SMALL_LIST ? new Set<string>() : new SmallSet();
      this.elementsSeen += elements.length;
      for (let position = 0; position < elements.length; position++) {
        const element = elements[position]!;
        const text = typeof element === 'string' ? element : stringOf(element);
        const reason =
          text === undefined
            ? 'element_not_string'
            : elementProblem(text, spec.attribute, spec.maxBytes, seen);
        if (reason) {
          this.elementsQuarantined++;
          this.quarantineRow(
            QUARANTINE_SOURCE.element(spec.attribute),
            queryDate,
            queryId,
            reason,
            `${spec.attribute}[${position}]`,
            element,
          );
          continue;
        }
        seen.add(text!);
        rows.push([queryId, position, text!]);
      }
    }

    const results = lists.isbn13_list.length;
    this.queries.push([
      queryId,
      searchedAt,
      lists.user_search.length,
      lists.selected_lib.length,
      results,
      results > 0,
    ]);
  }

  private rejectItem(
    item: RawItem,
    queryId: string | null,
    queryDate: string | null,
    reason: QuarantineReason,
    detail: string,
  ): void {
    this.itemsQuarantined++;
    // An item whose own date is unusable is still kept; it is filed under no day (query_date NULL).
    this.quarantineRow(QUARANTINE_SOURCE.item, queryDate, queryId ?? sourceKeyOf(item), reason, detail, item);
  }

  /**
   * `add` for an item read as bytes, when nothing about it needs quarantine or a closer look: then it writes
   * the same rows `add` would and returns true. Otherwise it writes nothing and returns false, and the caller
   * parses the item for `add`. A flat item's strings hold no escapes, control characters or invalid UTF-8, so
   * NUL and lone surrogates cannot occur and byte counts are the texts' UTF-8 lengths.
   */
  private addFlat(flat: FlatItem, dayBytes: Uint8Array): boolean {
    const id = flat.find(NAME_BYTES.query_id);
    if (id < 0 || flat.kind(id) !== FLAT_STRING) return false;
    const idStart = flat.textStart(id);
    const idEnd = flat.textEnd(id);
    if (idEnd === idStart || idEnd - idStart > MAX_QUERY_ID_BYTES) return false;

    const date = flat.find(NAME_BYTES.query_date);
    if (date < 0 || flat.kind(date) !== FLAT_STRING) return false;
    if (!flat.sameBytes(flat.textStart(date), flat.textEnd(date), dayBytes)) return false;

    const keywordList = cleanFlatList(flat, KEYWORD_ARRAY);
    const libraryList = cleanFlatList(flat, LIBRARY_ARRAY);
    const isbnList = cleanFlatList(flat, ISBN_ARRAY);
    if (keywordList < 0 || libraryList < 0 || isbnList < 0) return false;

    let searchedAt: string | null = null;
    const at = flat.find(NAME_BYTES.searched_at);
    if (at === -2) return false;
    if (at >= 0) {
      if (flat.kind(at) !== FLAT_STRING) return false;
      const start = flat.textStart(at);
      const end = flat.textEnd(at);
      searchedAt = normalizeInstantBytes(flat.bytes, start, end) ?? normalizeInstant(flat.text(start, end));
      if (searchedAt === null) return false;
    }

    const queryId = flat.text(idStart, idEnd);
    const keywords = this.writeFlatElements(flat, keywordList, this.keywords, id, queryId);
    const libraries = this.writeFlatElements(flat, libraryList, this.libraries, id, queryId);
    const results = this.writeFlatElements(flat, isbnList, this.isbns, id, queryId);
    this.itemsSeen++;
    this.elementsSeen += keywords + libraries + results;
    this.queries.push([queryId, searchedAt, keywords, libraries, results, results > 0]);
    return true;
  }

  /** Writes the element rows of flat list attribute `list` for the item whose query id is attribute `id`. */
  private writeFlatElements(flat: FlatItem, list: number, rows: Sink, id: number, queryId: string): number {
    const idStart = flat.textStart(id);
    const idEnd = flat.textEnd(id);
    const first = flat.firstElement(list);
    const end = flat.elementsEnd(list);
    for (let e = first; e < end; e++) {
      const textStart = flat.elementStart[e]!;
      const textEnd = flat.elementEnd[e]!;
      if (rows.pushTextRow) rows.pushTextRow(flat.bytes, idStart, idEnd, e - first, textStart, textEnd);
      else rows.push([queryId, e - first, flat.text(textStart, textEnd)]);
    }
    return end - first;
  }
}

/** Lists up to this long (nearly all of them) dedupe by a linear scan, which beats allocating a Set per list. */
const SMALL_LIST = 16;

const [KEYWORD_ARRAY, LIBRARY_ARRAY, ISBN_ARRAY] = ARRAYS;

/** Flat lists longer than this are left to `add`, whose Set dedupes them in linear time. */
const MAX_FLAT_LIST = 64;

/**
 * The index of the item's flat list attribute for `spec`, when every element of it would load as is
 * (`elementProblem` would find nothing); -1 when it is missing, not a list, or needs `add` to judge it.
 */
function cleanFlatList(
  flat: FlatItem,
  spec: { readonly attribute: ArrayAttribute; readonly maxBytes: number },
): number {
  const list = flat.find(NAME_BYTES[spec.attribute]);
  if (list < 0 || flat.kind(list) === FLAT_STRING) return -1;
  const first = flat.firstElement(list);
  const end = flat.elementsEnd(list);
  if (end - first > MAX_FLAT_LIST) return -1;
  const { elementStart, elementEnd, bytes } = flat;
  for (let e = first; e < end; e++) {
    const start = elementStart[e]!;
    const stop = elementEnd[e]!;
    if (start === stop || stop - start > spec.maxBytes) return -1;
    if (spec.attribute === 'isbn13_list' && !isValidIsbn13Bytes(bytes, start, stop)) return -1;
    for (let earlier = first; earlier < e; earlier++) {
      if (sameRange(bytes, start, stop, elementStart[earlier]!, elementEnd[earlier]!)) return -1;
    }
  }
  return list;
}

function sameRange(
  bytes: Uint8Array,
  start: number,
  end: number,
  otherStart: number,
  otherEnd: number,
): boolean {
  if (end - start !== otherEnd - otherStart) return false;
  for (let i = 0; i < end - start; i++) if (bytes[start + i] !== bytes[otherStart + i]) return false;
  return true;
}

class SmallSet {
  private readonly values: string[] = [];
  has(value: string): boolean {
    return this.values.includes(value);
  }
  add(value: string): void {
    this.values.push(value);
  }
}

function elementProblem(
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

function stringOf(value: AttributeValue | undefined): string | undefined {
  return value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? 'nothing';
}

function isClean(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** UTF-8 needs at most 3 bytes per UTF-16 unit, so short text skips the byte count (most values are short). */
function fitsBytes(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes || byteLength(text) <= maxBytes;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A key for an item whose query_id is unusable: its JSON, cut to fit. */
function sourceKeyOf(item: RawItem): string {
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

function cutToBytes(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  // Back off to a character boundary so the cut never leaves half a UTF-8 sequence.
  let end = maxBytes;
  while (end > 0 && (buffer[end]! & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString('utf8');
}
