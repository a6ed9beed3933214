import type { Warehouse } from '../../src/adapters/warehouse/port';
import { ensureWarehouseSchema } from '../../src/activities/warehouseSchema';

// The warehouse rows the mart tests start from, and how they are written into `dw`.

/** One search request as the warehouse holds it; `isbns` empty means the search failed. */
export interface SearchRow {
  readonly id: string;
  readonly date: string;
  /** ISO instant, or null for an item that carried no searched_at. */
  readonly at: string | null;
  readonly keywords: readonly string[];
  readonly libraries: readonly string[];
  readonly isbns: readonly string[];
}

export interface ChoiceRow {
  readonly id: number;
  readonly user: string;
  readonly query: string;
  readonly isbn: string;
  /** The day of chosen_at (choice_date), which a load files the choice under. */
  readonly date: string;
  /** chosen_at; noon of `date` in Seoul when absent. */
  readonly at?: string;
}

export interface BookRow {
  readonly isbn: string;
  readonly title: string;
}

/** Creates schema dw as the pipeline does. */
export async function createWarehouseSchema(warehouse: Warehouse): Promise<void> {
  await ensureWarehouseSchema(warehouse);
}

export async function insertSearches(warehouse: Warehouse, searches: readonly SearchRow[]): Promise<void> {
  await warehouse.copyIn(
    'dw.search_query',
    ['query_id', 'query_date', 'searched_at', 'keyword_count', 'library_count', 'result_count', 'succeeded'],
    searches.map((s) => [
      s.id,
      s.date,
      s.at,
      s.keywords.length,
      s.libraries.length,
      s.isbns.length,
      s.isbns.length > 0,
    ]),
  );
  const exploded = (pick: (s: SearchRow) => readonly string[]) =>
    searches.flatMap((s) => pick(s).map((value, position) => [s.id, s.date, position, value]));
  const columns = (value: string) => ['query_id', 'query_date', 'position', value];
  await warehouse.copyIn(
    'dw.search_keyword',
    columns('keyword'),
    exploded((s) => s.keywords),
  );
  await warehouse.copyIn(
    'dw.search_library',
    columns('library'),
    exploded((s) => s.libraries),
  );
  await warehouse.copyIn(
    'dw.search_isbn13',
    columns('isbn13'),
    exploded((s) => s.isbns),
  );
}

export async function insertChoices(warehouse: Warehouse, choices: readonly ChoiceRow[]): Promise<void> {
  await warehouse.copyIn(
    'dw.user_choice',
    ['id', 'user_id', 'query_id', 'isbn13', 'chosen_at', 'choice_date'],
    choices.map((c) => [c.id, c.user, c.query, c.isbn, c.at ?? `${c.date}T12:00:00+09:00`, c.date]),
  );
}

export async function insertBooks(warehouse: Warehouse, books: readonly BookRow[]): Promise<void> {
  await warehouse.copyIn(
    'dw.book_info',
    ['isbn13', 'bookname', 'authors', 'publisher', 'updated_at'],
    books.map((b) => [b.isbn, b.title, 'someone', 'somewhere', '2024-01-01T00:00:00Z']),
  );
}
