import type { Rds } from '../adapters/rds/port';
import type { Book } from './catalogue';
import type { GeneratedChoice } from './choices';
import type { StaffMember } from './staff';

/**
 * Writes the seeded RDS rows. Each statement sends its rows as one JSON parameter expanded with
 * `json_to_recordset`, so hundreds of rows cost one round trip and values are never spliced into SQL.
 * Every write is an upsert on a natural or deterministic key: re-seeding replaces, never duplicates.
 */

/** Rows per statement: large enough to amortise round trips, small enough to keep statements light. */
export const RDS_BATCH_ROWS = 1000;

const UPSERT_BOOKS = `
INSERT INTO book_info (isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url)
SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url
FROM json_to_recordset($1::json) AS b(isbn13 text, bookname text, authors text, publisher text,
                                      class_no text, reg_date date, book_image_url text)
ON CONFLICT (isbn13) DO UPDATE SET
  bookname = EXCLUDED.bookname, authors = EXCLUDED.authors, publisher = EXCLUDED.publisher,
  class_no = EXCLUDED.class_no, reg_date = EXCLUDED.reg_date, book_image_url = EXCLUDED.book_image_url,
  updated_at = now()
WHERE (book_info.bookname, book_info.authors, book_info.publisher, book_info.class_no, book_info.reg_date,
       book_info.book_image_url)
  IS DISTINCT FROM (EXCLUDED.bookname, EXCLUDED.authors, EXCLUDED.publisher, EXCLUDED.class_no, EXCLUDED.reg_date,
       EXCLUDED.book_image_url)`;

const UPSERT_STAFF = `
INSERT INTO staff (name, email, department, active)
SELECT name, email, department, active
FROM json_to_recordset($1::json) AS s(name text, email text, department text, active boolean)
ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, department = EXCLUDED.department, active = EXCLUDED.active`;

const UPSERT_CHOICES = `
INSERT INTO user_choice (id, user_id, query_id, isbn13, chosen_at)
SELECT id, user_id, query_id, isbn13, chosen_at
FROM json_to_recordset($1::json) AS c(id bigint, user_id text, query_id text, isbn13 text, chosen_at timestamptz)
ON CONFLICT (id) DO UPDATE SET
  user_id = EXCLUDED.user_id, query_id = EXCLUDED.query_id, isbn13 = EXCLUDED.isbn13, chosen_at = EXCLUDED.chosen_at`;

export async function upsertBooks(rds: Rds, books: readonly Book[]): Promise<number> {
  return inBatches(books, (batch) =>
    rds.query(UPSERT_BOOKS, [
      JSON.stringify(
        batch.map((b) => ({
          isbn13: b.isbn13,
          bookname: b.bookname,
          authors: b.authors,
          publisher: b.publisher,
          class_no: b.classNo,
          reg_date: b.regDate,
          book_image_url: b.bookImageUrl,
        })),
      ),
    ]),
  );
}

export async function upsertStaff(rds: Rds, staff: readonly StaffMember[]): Promise<number> {
  return inBatches(staff, (batch) => rds.query(UPSERT_STAFF, [JSON.stringify(batch)]));
}

export async function upsertChoices(rds: Rds, choices: readonly GeneratedChoice[]): Promise<number> {
  return inBatches(choices, (batch) =>
    rds.query(UPSERT_CHOICES, [
      JSON.stringify(
        batch.map((c) => ({
          id: c.id,
          user_id: c.userId,
          query_id: c.queryId,
          isbn13: c.isbn13,
          chosen_at: c.chosenAt,
        })),
      ),
    ]),
  );
}

async function inBatches<T>(
  rows: readonly T[],
  write: (batch: readonly T[]) => Promise<unknown>,
): Promise<number> {
  for (let i = 0; i < rows.length; i += RDS_BATCH_ROWS) await write(rows.slice(i, i + RDS_BATCH_ROWS));
  return rows.length;
}

/**
 * Collects choices as the generator streams them and writes a batch in the background while the
 * next fills; at most one batch is in flight, so the buffer never grows past two batches.
 */
export class ChoiceWriter {
  private buffer: GeneratedChoice[] = [];
  private pending: Promise<unknown> = Promise.resolve();
  private written = 0;

  constructor(private readonly rds: Rds) {}

  async add(choices: readonly GeneratedChoice[]): Promise<void> {
    if (choices.length === 0) return;
    this.buffer.push(...choices);
    if (this.buffer.length >= RDS_BATCH_ROWS) await this.flush();
  }

  /** Writes what is buffered; resolves once every batch so far is written. */
  async finish(): Promise<number> {
    await this.flush();
    await this.pending;
    return this.written;
  }

  private async flush(): Promise<void> {
    await this.pending;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return;
    this.pending = upsertChoices(this.rds, batch).then((n) => {
      this.written += n;
    });
    // An error surfaces on the next add/finish through `await this.pending`; avoid an unhandled rejection meanwhile.
    this.pending.catch(() => undefined);
  }
}
