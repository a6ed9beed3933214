-- The service's operational database (RDS in production, local PostgreSQL here).
-- libreport only reads it; `libreport seed` creates and fills it for demos and tests.
CREATE TABLE IF NOT EXISTS book_info (
  isbn13         text PRIMARY KEY,
  bookname       text NOT NULL,
  authors        text NOT NULL,
  publisher      text NOT NULL,
  class_no       text,
  reg_date       date,
  book_image_url text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS user_choice (
  id        bigserial PRIMARY KEY,
  user_id   text NOT NULL,
  query_id  text NOT NULL,
  isbn13    text NOT NULL,
  chosen_at timestamptz NOT NULL
);
-- A day's choices are read as a chosen_at range (the day in the report zone), paged by id
-- (selectDayChoicesPage in src/activities/sql/rds.ts): this index serves the range. Checked with EXPLAIN on a
-- month of rows (test/adapters/rds/userChoiceIndex.test.ts): PostgreSQL reads the day through this index, not by a
-- Seq Scan and not by walking the primary key; without the index it does one or the other. Each page looks up
-- the whole day's range again and keeps the ids after the previous page, so a day costs pages × its rows.
CREATE INDEX IF NOT EXISTS user_choice_chosen_at ON user_choice (chosen_at);

CREATE TABLE IF NOT EXISTS staff (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL UNIQUE,
  department text NOT NULL,
  active     boolean NOT NULL DEFAULT true
);
