import { Context } from '@temporalio/activity';
import type { Rds } from '../adapters/rds/port';
import type { EncodedRows } from '../adapters/warehouse/encodedRows';
import type { CopyValue, EncodedPages, Warehouse } from '../adapters/warehouse/port';
import { countWarehouseWork, type StatementCounts } from '../adapters/warehouse/statementCounts';
import { addDays, startOfDayInZone } from '../domain/reportDate';
import { selectChangedBooks, selectDayChoices } from './sql/rds';
import { bookWatermark } from './sql/load';
import { clearStagedRds, STAGE_COLUMNS, stagingTables } from './sql/staging';

export interface ExtractRdsInput {
  readonly date: string;
  readonly runKey: string;
}

export interface RdsCounts {
  readonly choices: number;
  readonly books: number;
  /** What copying from RDS cost the warehouse. */
  readonly warehouse?: StatementCounts;
}

/** Rows per RDS page: large enough to keep round trips few, small enough to keep memory flat. */
export const RDS_PAGE_ROWS = 10_000;

/** The RDS side of a day: its user choices and the catalogue's changes, copied into the run's staging. */
export function createRdsActivities(deps: { warehouse: Warehouse; rds: Rds; timeZone: string }) {
  const { warehouse, rds, timeZone } = deps;

  /**
   * Copies the day's user choices and the catalogue's changes from RDS into staging, page by page. It
   * heartbeats every page and stops at the next page once cancelled (a sibling scan failed): the COPY is
   * cancelled with it, and nothing of the attempt stays in staging.
   */
  async function extractRds(input: ExtractRdsInput): Promise<RdsCounts> {
    const context = Context.current();
    const onPage = () => {
      context.heartbeat();
      context.cancellationSignal.throwIfAborted();
    };
    const tables = stagingTables(input.runKey);
    for (const statement of clearStagedRds(tables)) await warehouse.query(statement);

    const from = startOfDayInZone(input.date, timeZone).toISOString();
    const to = startOfDayInZone(addDays(input.date, 1), timeZone).toISOString();
    const choices = await warehouse.copyIn(
      tables.choices,
      STAGE_COLUMNS.choices,
      encodePages<ChoiceRow>(
        warehouse,
        rds.pages<ChoiceRow>(selectDayChoices, [from, to], RDS_PAGE_ROWS),
        (row) => [row.id, row.user_id, row.query_id, row.isbn13, row.chosen_at, input.date],
        onPage,
      ),
    );

    const [{ watermark } = { watermark: null }] = await warehouse.query<{ watermark: unknown }>(
      bookWatermark,
    );
    const since = watermark ? String(watermark) : '1970-01-01T00:00:00.000Z';
    const books = await warehouse.copyIn(
      tables.books,
      STAGE_COLUMNS.books,
      encodePages<BookRow>(
        warehouse,
        rds.pages<BookRow>(selectChangedBooks, [since], RDS_PAGE_ROWS),
        (row) => [
          row.isbn13,
          row.bookname,
          row.authors,
          row.publisher,
          row.class_no,
          row.reg_date === null ? null : toDate(row.reg_date),
          row.book_image_url,
          String(row.updated_at),
        ],
        onPage,
      ),
    );
    return { choices, books };
  }

  return {
    extractRds: async (input: ExtractRdsInput): Promise<RdsCounts> => {
      const [counts, warehouseCounts] = await countWarehouseWork(() => extractRds(input));
      return { ...counts, warehouse: warehouseCounts };
    },
  };
}

type ChoiceRow = {
  id: string | number;
  user_id: string;
  query_id: string;
  isbn13: string;
  chosen_at: string;
};

type BookRow = {
  isbn13: string;
  bookname: string;
  authors: string;
  publisher: string;
  class_no: string | null;
  reg_date: Date | string | null;
  book_image_url: string | null;
  updated_at: Date | string;
};

/**
 * Encodes each page of RDS rows for the warehouse as one batch, so memory holds one page at a time: yielding
 * row by row would cost the COPY a few promises per row.
 */
function encodePages<R>(
  warehouse: Pick<Warehouse, 'encoder'>,
  source: AsyncIterable<R[]>,
  toRow: (row: R) => CopyValue[],
  onPage: () => void,
): EncodedPages {
  async function* pages(): AsyncGenerator<EncodedRows> {
    for await (const rows of source) {
      const encoded = warehouse.encoder();
      for (const row of rows) encoded.push(toRow(row));
      yield encoded;
      onPage();
    }
  }
  return { encodedPages: pages() };
}

/** A DATE column as YYYY-MM-DD (our pools read DATE as text; a Date is read back in local time). */
function toDate(value: unknown): string {
  if (!(value instanceof Date)) return String(value).slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}
