/**
 * What extractRds asks the service's RDS (PostgreSQL) for, one page at a time. The page size is part of the
 * text (a constant, never user input); every value is a parameter.
 */

/**
 * One page of a day's choices: `$1`/`$2` the day's bounds in the report zone (UTC ISO), `$3` the last id of the
 * previous page (0 first). The `chosen_at` range is served by `user_choice_chosen_at` (schema.sql); a test
 * checks with EXPLAIN that PostgreSQL reads it through that index, not the whole table.
 * chosen_at comes back as UTC ISO text, written by the database: half a million Date objects a day cost the
 * worker more than the rest of the RDS copy. (to_char truncates to milliseconds, as a Date does.)
 */
export const selectDayChoicesPage = (pageRows: number) =>
  `SELECT id, user_id, query_id, isbn13,
          to_char(chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS chosen_at
   FROM user_choice
   WHERE chosen_at >= $1 AND chosen_at < $2 AND id > $3 ORDER BY id LIMIT ${Math.floor(pageRows)}`;

/**
 * One page of the catalogue's changes since the warehouse's watermark `$1`, after isbn13 `$2`.
 * updated_at as text keeps its microseconds, so the watermark comparison is exact.
 */
export const selectChangedBooksPage = (pageRows: number) =>
  `SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url,
          CAST(updated_at AS VARCHAR) AS updated_at FROM book_info
   WHERE updated_at > $1 AND isbn13 > $2 ORDER BY isbn13 LIMIT ${Math.floor(pageRows)}`;
