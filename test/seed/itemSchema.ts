import type { AttributeValue, RawItem } from '../../src/adapters/dynamo/port';
import { isValidIsbn13 } from '../../src/seed/isbn';
import { SEOUL_LIBRARIES } from '../../src/seed/data/libraries';

const LIBRARIES = new Set(SEOUL_LIBRARIES.map((l) => l.shortName));
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The schema a good search item must satisfy, written independently of the generator so a test can
 * tell good items from bad ones. Returns the problems found (none for a good item).
 */
export function itemProblems(item: RawItem, timeZoneOffset = '+09:00'): string[] {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = item[name];
    if (!v || !('S' in v)) {
      problems.push(`${name} is not a string`);
      return undefined;
    }
    return v.S;
  };
  const strings = (name: string, min: number, max: number): string[] => {
    const v = item[name];
    if (!v || !('L' in v)) {
      problems.push(`${name} is not a list`);
      return [];
    }
    const values = v.L.map((e: AttributeValue) => ('S' in e ? e.S : undefined));
    if (values.some((e) => e === undefined)) problems.push(`${name} holds a non-string`);
    const defined = values.filter((e): e is string => e !== undefined);
    if (defined.length < min || defined.length > max) problems.push(`${name} has ${defined.length} entries`);
    if (new Set(defined).size !== defined.length) problems.push(`${name} repeats an entry`);
    return defined;
  };

  const queryId = str('query_id');
  if (queryId !== undefined && !UUID_V4.test(queryId)) problems.push('query_id is not a uuid4');
  const day = str('query_date');
  if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) problems.push('query_date is not YYYY-MM-DD');
  for (const lib of strings('selected_lib', 1, 3))
    if (!LIBRARIES.has(lib)) problems.push(`unknown library ${lib}`);
  for (const isbn of strings('isbn13_list', 0, 20))
    if (!isValidIsbn13(isbn)) problems.push(`not an ISBN-13: ${isbn}`);
  for (const keyword of strings('user_search', 1, 10)) {
    if (keyword.length === 0) problems.push('empty keyword');
    // eslint-disable-next-line no-control-regex
    if (/\u0000/.test(keyword)) problems.push('keyword holds NUL');
  }
  if (item.searched_at !== undefined) {
    const at = str('searched_at');
    if (at !== undefined && !ISO_INSTANT.test(at)) problems.push('searched_at is not an ISO-8601 instant');
    else if (at !== undefined && day !== undefined && !at.startsWith(`${day}T`))
      problems.push('searched_at is not on query_date');
    else if (at !== undefined && !at.endsWith(timeZoneOffset))
      problems.push('searched_at is not in the report time zone');
  }
  const known = new Set([
    'query_id',
    'query_date',
    'selected_lib',
    'isbn13_list',
    'user_search',
    'searched_at',
  ]);
  for (const name of Object.keys(item)) if (!known.has(name)) problems.push(`unexpected attribute ${name}`);
  return problems;
}
