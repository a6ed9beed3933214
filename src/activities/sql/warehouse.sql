-- The warehouse (schema dw). Table and column names are a contract with analysts: change with care.
-- Types stay in the subset PostgreSQL and Redshift share (VARCHAR lengths are bytes in Redshift).
-- The four day tables (search_query, search_keyword, search_library, search_isbn13) are defined in
-- dayTables.ts, because PostgreSQL partitions them by day and Redshift cannot.
CREATE SCHEMA IF NOT EXISTS dw;

CREATE SCHEMA IF NOT EXISTS dw_stage;

CREATE TABLE IF NOT EXISTS dw.user_choice (
  id          BIGINT      NOT NULL,
  user_id     VARCHAR(64) NOT NULL,
  query_id    VARCHAR(64) NOT NULL,
  isbn13      VARCHAR(13) NOT NULL,
  chosen_at   TIMESTAMPTZ NOT NULL,
  choice_date DATE        NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.book_info (
  isbn13         VARCHAR(13)   NOT NULL,
  bookname       VARCHAR(1000) NOT NULL,
  authors        VARCHAR(1000) NOT NULL,
  publisher      VARCHAR(300)  NOT NULL,
  class_no       VARCHAR(20),
  reg_date       DATE,
  book_image_url VARCHAR(1000),
  updated_at     TIMESTAMPTZ   NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.quarantine (
  source     VARCHAR(32)    NOT NULL,
  query_date DATE,
  source_key VARCHAR(256),
  reason     VARCHAR(64)    NOT NULL,
  detail     VARCHAR(1000)  NOT NULL,
  payload    VARCHAR(65535) NOT NULL
);

CREATE TABLE IF NOT EXISTS dw.load_audit (
  run_id      VARCHAR(200)   NOT NULL,
  query_date  DATE           NOT NULL,
  started_at  TIMESTAMPTZ    NOT NULL,
  finished_at TIMESTAMPTZ    NOT NULL,
  outcome     VARCHAR(32)    NOT NULL,
  summary     VARCHAR(65535) NOT NULL
);

-- One row per recipient per delivery. `delivery_key` is 'daily' for the day's one email and
-- 'resend:<run id>' for each explicit resend, so retries and re-runs find what already went out.
-- status: sending (claimed, SES call in flight) | sent | rejected | unknown (an attempt died mid-send).
CREATE TABLE IF NOT EXISTS dw.delivery_ledger (
  report_date  DATE          NOT NULL,
  kind         VARCHAR(16)   NOT NULL,
  delivery_key VARCHAR(100)  NOT NULL,
  recipient    VARCHAR(320)  NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  message_id   VARCHAR(200),
  detail       VARCHAR(1000),
  updated_at   TIMESTAMPTZ   NOT NULL
);
