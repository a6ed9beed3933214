import type { AttributeValue, RawItem, ScanPage } from '../adapters/dynamo/port';
import type { CopyValue } from '../adapters/warehouse/port';
import { normalizeInstant } from '../domain/instant';
import { isReportDate } from '../domain/reportDate';
import { RejectedDataError } from '../errors';
import {
  ARRAYS,
  elementProblem,
  fitsBytes,
  isClean,
  MAX_QUERY_ID_BYTES,
  payloadJson,
  QUARANTINE_SOURCE,
  SMALL_LIST,
  SmallSet,
  sourceKeyOf,
  stringOf,
  typeOf,
  type ArrayAttribute,
  type QuarantineReason,
} from './explodeRules';
import { addFlatItem, type TextRowSink } from './explodeWire';

export {
  ARRAYS,
  MAX_PAYLOAD_BYTES,
  payloadJson,
  QUARANTINE_SOURCE,
  type ArrayAttribute,
  type QuarantineReason,
} from './explodeRules';

/**
 * Array explosion: one DynamoDB search item becomes a `search_query` row plus one long row per array
 * element with its position in the array (the day comes from the run's staging tables). Anything that
 * cannot be loaded as is becomes a quarantine row with a reason, so every item and every element is
 * accounted for. The rules are in explodeRules.ts; the byte fast path for clean items in explodeWire.ts.
 */

/**
 * Where a batch puts each kind of row: a plain array (tests, benchmarks), or the warehouse's encoder, which
 * turns rows into bulk-load bytes as they come (`Warehouse.encoder()`).
 */
export interface RowSink extends TextRowSink {
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
      if (flat === null || !addFlatItem(this, flat, dayBytes)) this.add(parse(), day);
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
}
