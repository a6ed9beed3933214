import type { AttributeValue, RawItem } from '../adapters/dynamo/port';
import { WeightedPicker, type Random } from './random';

/**
 * The defects `--bad-items` mixes in, one per bad item. Each bad item keeps a valid `query_id`
 * (the partition key) and, except for the two `query_date` kinds, the `query_date` of its day, so
 * the day's pipeline reads it. The pipeline quarantines what cannot load as is (with a reason) and
 * loads the unusual-but-valid shapes as they are: empty lists, a string set, very long keyword lists.
 * Items whose `query_date` is missing or not a string are read by every day's scan and quarantined
 * under no day.
 */
export type BadItemKind =
  | 'missing_query_date'
  | 'query_date_not_string'
  | 'missing_user_search'
  | 'user_search_not_list'
  | 'empty_user_search'
  | 'missing_selected_lib'
  | 'empty_selected_lib'
  | 'number_in_list'
  | 'non_isbn_strings'
  | 'duplicate_entries'
  | 'too_many_keywords'
  | 'isbn_list_as_string_set'
  | 'keyword_control_characters'
  | 'searched_at_malformed';

export interface BadItemKindInfo {
  readonly description: string;
  /** False when the defect hides the item from a scan filtered on `query_date = day`. */
  readonly visibleToDayScan: boolean;
  /** Relative frequency among bad items. */
  readonly weight: number;
}

/** Keywords per search above which a list is treated as abuse rather than a search. */
export const TOO_MANY_KEYWORDS = 500;

export const BAD_ITEM_KINDS: Readonly<Record<BadItemKind, BadItemKindInfo>> = Object.freeze({
  missing_query_date: {
    description: 'query_date attribute is missing',
    visibleToDayScan: false,
    weight: 0.5,
  },
  query_date_not_string: {
    description: 'query_date is a number (N), not a string',
    visibleToDayScan: false,
    weight: 0.5,
  },
  missing_user_search: { description: 'user_search attribute is missing', visibleToDayScan: true, weight: 1 },
  user_search_not_list: {
    description: 'user_search is one string, not a list',
    visibleToDayScan: true,
    weight: 1,
  },
  empty_user_search: { description: 'user_search is an empty list', visibleToDayScan: true, weight: 1 },
  missing_selected_lib: {
    description: 'selected_lib attribute is missing',
    visibleToDayScan: true,
    weight: 1,
  },
  empty_selected_lib: { description: 'selected_lib is an empty list', visibleToDayScan: true, weight: 1 },
  number_in_list: {
    description: 'isbn13_list holds a number (N) among its strings',
    visibleToDayScan: true,
    weight: 1,
  },
  non_isbn_strings: {
    description:
      'isbn13_list holds strings that are not ISBN-13s (letters, 12 digits, hyphens, a wrong check digit)',
    visibleToDayScan: true,
    weight: 1,
  },
  duplicate_entries: {
    description: 'isbn13_list (or selected_lib for a failed search) repeats an entry',
    visibleToDayScan: true,
    weight: 1,
  },
  too_many_keywords: {
    description: `user_search holds ${TOO_MANY_KEYWORDS} keywords`,
    visibleToDayScan: true,
    weight: 1,
  },
  isbn_list_as_string_set: {
    description: 'isbn13_list is a string set (SS), not a list (L)',
    visibleToDayScan: true,
    weight: 1,
  },
  keyword_control_characters: {
    description: 'a keyword contains a NUL control character (not storable as PostgreSQL text)',
    visibleToDayScan: true,
    weight: 1,
  },
  searched_at_malformed: {
    description: 'searched_at is present but not an ISO-8601 instant',
    visibleToDayScan: true,
    weight: 1,
  },
});

const KIND_NAMES = Object.keys(BAD_ITEM_KINDS) as BadItemKind[];
const KIND_PICKER = new WeightedPicker(KIND_NAMES.map((k) => BAD_ITEM_KINDS[k].weight));

/**
 * Legitimate user text that a loader must carry through exactly (CSV and COPY escaping, HTML
 * escaping in the report). Good items carry these in bad-items mode; they are not defects.
 */
export const HOSTILE_KEYWORDS: readonly string[] = Object.freeze([
  'C++ "핵심" 가이드',
  "O'Reilly 책",
  'python, flask',
  'tab\tseparated',
  'line\nbreak',
  'carriage\r\nreturn',
  'back\\slash \\n not a newline',
  '\\N',
  'NULL',
  '"',
  '🐍 파이썬',
  '👩‍💻 개발자 추천',
  '<script>alert("x")</script>',
  '<b>굵게</b> & 기울임',
  '한국어 (괄호) [대괄호] {중괄호}',
  'semi;colon|pipe',
  '100% 완벽',
]);

export function pickBadItemKind(random: Random): BadItemKind {
  return KIND_NAMES[KIND_PICKER.pick(random)]!;
}

const NON_ISBNS = ['abc', '978895674824', '978-89-5674-824-5', '9788956748246', 'ISBN9788956748245', ''];

/** A copy of a good item with the one defect `kind` applied. */
export function applyDefect(random: Random, good: RawItem, kind: BadItemKind): RawItem {
  const item: RawItem = { ...good };
  const strings = (name: string): string[] => {
    const value = good[name];
    return value && 'L' in value ? value.L.map((v) => ('S' in v ? v.S : '')) : [];
  };
  const list = (values: readonly string[]): AttributeValue => ({ L: values.map((S) => ({ S })) });
  const day = 'S' in (good.query_date ?? {}) ? (good.query_date as { S: string }).S : '1970-01-01';
  const isbns = strings('isbn13_list');
  const keywords = strings('user_search');
  const libraries = strings('selected_lib');

  switch (kind) {
    case 'missing_query_date':
      delete item.query_date;
      break;
    case 'query_date_not_string':
      item.query_date = { N: day.replace(/-/g, '') };
      break;
    case 'missing_user_search':
      delete item.user_search;
      break;
    case 'user_search_not_list':
      item.user_search = { S: keywords.join(' ') };
      break;
    case 'empty_user_search':
      item.user_search = { L: [] };
      break;
    case 'missing_selected_lib':
      delete item.selected_lib;
      break;
    case 'empty_selected_lib':
      item.selected_lib = { L: [] };
      break;
    case 'number_in_list':
      item.isbn13_list = { L: [...isbns.map((S) => ({ S })), { N: '9788956748245' }] };
      break;
    case 'non_isbn_strings': {
      const bad = random.pick(NON_ISBNS);
      item.isbn13_list = list([...isbns.slice(0, 2), bad, ...isbns.slice(2)]);
      break;
    }
    case 'duplicate_entries':
      if (isbns.length > 0) item.isbn13_list = list([...isbns, isbns[0]!]);
      else item.selected_lib = list([...libraries, libraries[0]!]);
      break;
    case 'too_many_keywords':
      item.user_search = list(Array.from({ length: TOO_MANY_KEYWORDS }, (_, i) => `${keywords[0]} ${i + 1}`));
      break;
    case 'isbn_list_as_string_set':
      // A string set cannot be empty in DynamoDB; a failed search gets one made-up entry.
      item.isbn13_list = { SS: isbns.length > 0 ? isbns : ['9788956748245'] };
      break;
    case 'keyword_control_characters':
      item.user_search = list([...keywords.slice(1), `${keywords[0]}\u0000`]);
      break;
    case 'searched_at_malformed':
      item.searched_at = { S: random.pick(['어제 저녁', `${day} 25:61`, 'NaN', `${day}T21:00`]) };
      break;
  }
  return item;
}
