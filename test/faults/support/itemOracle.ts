import type { AttributeValue, RawItem } from '../../../src/adapters/dynamo/port';
import type { SqlRunner } from '../../../src/adapters/warehouse/port';
import { isValidIsbn13 } from '../../../src/seed/isbn';

/**
 * What the warehouse must hold for a set of raw search items, worked out from the warehouse contract (docs/architecture.md:
 * one row per array element at its position, or a quarantine row naming the element) rather than from the
 * loader's code: the loaded query ids, every element's exact text, and the quarantine rows with their reasons.
 */
export interface ExpectedDay {
  readonly queries: string[];
  /** `table|query_id|position` → exact text; string sets (SS) have no order, so theirs are `table|query_id|=text`. */
  readonly elements: Map<string, string>;
  /** `source|source_key|reason|detail` of element rows, and `source|source_key|reason` of item rows. */
  readonly quarantine: string[];
}

const ARRAYS = [
  { attribute: 'user_search', table: 'search_keyword', maxBytes: 1000 },
  { attribute: 'selected_lib', table: 'search_library', maxBytes: 200 },
  { attribute: 'isbn13_list', table: 'search_isbn13', maxBytes: 13 },
] as const;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function expectedDay(items: readonly RawItem[], day: string): ExpectedDay {
  const out: ExpectedDay = { queries: [], elements: new Map(), quarantine: [] };
  for (const item of items) {
    const id = (item.query_id as { S: string }).S;
    const rejectItem = (reason: string) => out.quarantine.push(`dynamodb.item|${id}|${reason}`);
    const date = item.query_date;
    if (date === undefined) { rejectItem('missing_query_date'); continue; }
    if (!('S' in date) || !/^\d{4}-\d{2}-\d{2}$/.test(date.S)) { rejectItem('invalid_query_date'); continue; }
    if (date.S !== day) continue; // another day's item: not this scan's business
    if (ARRAYS.some((a) => item[a.attribute] === undefined)) { rejectItem('missing_attribute'); continue; }
    if (ARRAYS.some((a) => !('L' in item[a.attribute]!) && !('SS' in item[a.attribute]!))) {
      rejectItem('invalid_attribute_type');
      continue;
    }
    out.queries.push(id);
    const at = item.searched_at;
    if (at !== undefined && !('S' in at && ISO_INSTANT.test(at.S) && !Number.isNaN(Date.parse(at.S)))) {
      out.quarantine.push(`dynamodb.searched_at|${id}|invalid_searched_at|searched_at is not an ISO-8601 instant; loaded as NULL`);
    }
    for (const { attribute, table, maxBytes } of ARRAYS) {
      const value = item[attribute]!;
      const unordered = 'SS' in value;
      const elements: AttributeValue[] = 'L' in value ? value.L : (value as { SS: string[] }).SS.map((S) => ({ S }));
      const seen = new Set<string>();
      elements.forEach((element, position) => {
        const reason = problemOf(element, attribute, maxBytes, seen);
        if (reason) {
          out.quarantine.push(`dynamodb.${attribute}|${id}|${reason}|${attribute}[${position}]`);
          return;
        }
        const text = (element as { S: string }).S;
        seen.add(text);
        out.elements.set(unordered ? `${table}|${id}|=${text}` : `${table}|${id}|${position}`, text);
      });
    }
  }
  return out;
}

function problemOf(element: AttributeValue, attribute: string, maxBytes: number, seen: Set<string>): string | null {
  if (!('S' in element)) return 'element_not_string';
  const text = element.S;
  if (text === '') return 'empty_value';
  if (text.includes('\u0000')) return 'nul_character';
  if (!text.isWellFormed()) return 'invalid_unicode';
  if (attribute === 'isbn13_list' ? !isValidIsbn13(text) : Buffer.byteLength(text) > maxBytes) {
    return attribute === 'isbn13_list' ? 'invalid_isbn13' : 'value_too_long';
  }
  if (seen.has(text)) return 'duplicate_element';
  return null;
}

/** The same shape read back from the warehouse, for the item ids given (dateless items are filed under no day). */
export async function observedDay(db: SqlRunner, day: string, ids: readonly string[], unorderedIds: ReadonlySet<string>): Promise<ExpectedDay> {
  const queries = (await db.query<{ query_id: string }>(
    `SELECT query_id FROM dw.search_query WHERE query_date = $1`, [day],
  )).map((r) => r.query_id);
  const elements = new Map<string, string>();
  for (const [table, column] of [['search_keyword', 'keyword'], ['search_library', 'library'], ['search_isbn13', 'isbn13']]) {
    const rows = await db.query<{ query_id: string; position: number; value: string }>(
      `SELECT query_id, position, ${column} AS value FROM dw.${table} WHERE query_date = $1 ORDER BY query_id, position`,
      [day],
    );
    for (const row of rows) {
      if (unorderedIds.has(row.query_id) && table === 'search_isbn13') {
        elements.set(`${table}|${row.query_id}|=${row.value}`, row.value);
      } else {
        elements.set(`${table}|${row.query_id}|${row.position}`, row.value);
      }
    }
  }
  const quarantine = (await db.query<{ source: string; source_key: string; reason: string; detail: string }>(
    `SELECT source, source_key, reason, detail FROM dw.quarantine
     WHERE source LIKE 'dynamodb.%' AND (query_date = $1 OR (query_date IS NULL AND source_key = ANY(string_to_array($2, '|'))))`,
    [day, ids.join('|')],
  )).map((r) => (r.source === 'dynamodb.item' ? `${r.source}|${r.source_key}|${r.reason}` : `${r.source}|${r.source_key}|${r.reason}|${r.detail}`));
  return { queries, elements, quarantine };
}

/** Keys whose text differs or that exist on one side only; empty when the day landed exactly. */
export function elementDifferences(expected: Map<string, string>, observed: Map<string, string>): string[] {
  const differences: string[] = [];
  for (const [key, text] of expected) {
    if (!observed.has(key)) differences.push(`missing ${key}`);
    else if (observed.get(key) !== text) differences.push(`changed ${key}: ${JSON.stringify(text).slice(0, 80)} → ${JSON.stringify(observed.get(key)).slice(0, 80)}`);
  }
  for (const key of observed.keys()) if (!expected.has(key)) differences.push(`unexpected ${key}`);
  return differences;
}
