import { FLAT_STRING, type FlatItem } from '../adapters/dynamo/wireItems';
import type { EncodedRows } from '../adapters/warehouse/encodedRows';
import type { CopyValue } from '../adapters/warehouse/port';
import { normalizeInstant, normalizeInstantBytes } from '../domain/instant';
import { isValidIsbn13Bytes } from '../domain/isbn';
import { ARRAYS, MAX_QUERY_ID_BYTES, type ArrayAttribute } from './explodeRules';

/*
 * The byte fast path of array explosion: an item read from the wire whose attributes are only strings and lists
 * of strings, with nothing the quarantine rules would catch, goes from the page's bytes to encoded rows without
 * an object or a string per element. Anything else is left to `ExplodedBatch.add`; both give the same rows.
 */

/** Where the fast path writes: a batch's row sinks (an encoder takes texts as bytes) and its counters. */
export interface TextRowSink {
  push(row: CopyValue[]): unknown;
  /** `push([id, position, text])` with both texts given as UTF-8 bytes, when the sink is an encoder. */
  pushTextRow?: EncodedRows['pushTextRow'];
}

export interface FlatRowTarget {
  readonly queries: TextRowSink;
  readonly keywords: TextRowSink;
  readonly libraries: TextRowSink;
  readonly isbns: TextRowSink;
  itemsSeen: number;
  elementsSeen: number;
}

/** Attribute names as UTF-8, for finding them in a flat item's bytes. */
const NAME_BYTES = {
  query_id: Buffer.from('query_id'),
  query_date: Buffer.from('query_date'),
  searched_at: Buffer.from('searched_at'),
  user_search: Buffer.from('user_search'),
  selected_lib: Buffer.from('selected_lib'),
  isbn13_list: Buffer.from('isbn13_list'),
} as const;

const [KEYWORD_ARRAY, LIBRARY_ARRAY, ISBN_ARRAY] = ARRAYS;

/**
 * `add` for an item read as bytes, when nothing about it needs quarantine or a closer look: then it writes
 * the same rows `add` would and returns true. Otherwise it writes nothing and returns false, and the caller
 * parses the item for `add`. A flat item's strings hold no escapes, control characters or invalid UTF-8, so
 * NUL and lone surrogates cannot occur and byte counts are the texts' UTF-8 lengths.
 */
export function addFlatItem(batch: FlatRowTarget, flat: FlatItem, dayBytes: Uint8Array): boolean {
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
  const keywords = writeFlatElements(flat, keywordList, batch.keywords, id, queryId);
  const libraries = writeFlatElements(flat, libraryList, batch.libraries, id, queryId);
  const results = writeFlatElements(flat, isbnList, batch.isbns, id, queryId);
  batch.itemsSeen++;
  batch.elementsSeen += keywords + libraries + results;
  batch.queries.push([queryId, searchedAt, keywords, libraries, results, results > 0]);
  return true;
}

/** Writes the element rows of flat list attribute `list` for the item whose query id is attribute `id`. */
function writeFlatElements(
  flat: FlatItem,
  list: number,
  rows: TextRowSink,
  id: number,
  queryId: string,
): number {
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
