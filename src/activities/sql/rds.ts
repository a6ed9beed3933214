/**
 * What extractRds asks the service's RDS (PostgreSQL) for. Each is read once through a cursor, page by page
 * (`Rds.pages`); every value is a parameter.
 */

/**
 * A day's choices: `$1`/`$2` the day's bounds in the report zone (UTC ISO). The `chosen_at` range is served by
 * `user_choice_chosen_at` (schema.sql); a test checks with EXPLAIN that PostgreSQL reads it through that index,
 * not the whole table. No ORDER BY: staging keeps no order, and sorting a day of choices would spill to disk.
 * chosen_at comes back as UTC ISO text, written by the database: half a million Date objects a day cost the
 * worker more than the rest of the RDS copy. (to_char truncates to milliseconds, as a Date does.)
 */
export const selectDayChoices = `SELECT id, user_id, query_id, isbn13,
          to_char(chosen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS chosen_at
   FROM user_choice
   WHERE chosen_at >= $1 AND chosen_at < $2`;

/**
 * The catalogue's changes since the warehouse's watermark `$1`.
 * updated_at as text keeps its microseconds, so the watermark comparison is exact.
 */
export const selectChangedBooks = `SELECT isbn13, bookname, authors, publisher, class_no, reg_date, book_image_url,
          CAST(updated_at AS VARCHAR) AS updated_at FROM book_info
   WHERE updated_at > $1`;
