-- The data mart (schema mart): small per-day tables the report reads, rebuilt from dw by refreshMart.
-- Every table has report_date; a refresh replaces exactly one day. Types stay in the subset
-- PostgreSQL and Redshift share, and the DDL is safe to repeat.
CREATE SCHEMA IF NOT EXISTS mart;

-- Replaced by mart.daily_choices, which dates choices by their search's day (see daily_choices.sql).
DROP TABLE IF EXISTS mart.choices_per_recommendation;

CREATE TABLE IF NOT EXISTS mart.daily_choices (
  report_date                DATE             NOT NULL,
  recommendations            BIGINT           NOT NULL,
  choosing_searches          BIGINT           NOT NULL,
  choices                    BIGINT           NOT NULL,
  books_per_choosing_search  DOUBLE PRECISION,
  choosing_share_pct         DOUBLE PRECISION,
  choices_per_recommendation DOUBLE PRECISION
);

CREATE TABLE IF NOT EXISTS mart.daily_headline (
  report_date                DATE             NOT NULL,
  requests                   BIGINT           NOT NULL,
  succeeded_requests         BIGINT           NOT NULL,
  failed_requests            BIGINT           NOT NULL,
  failure_rate_pct           DOUBLE PRECISION,
  choices_per_recommendation DOUBLE PRECISION
);

CREATE TABLE IF NOT EXISTS mart.keyword_ranking (
  report_date DATE          NOT NULL,
  ranking     INTEGER       NOT NULL,
  keyword     VARCHAR(1000) NOT NULL,
  occurrences BIGINT        NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.book_ranking (
  report_date    DATE          NOT NULL,
  ranking        INTEGER       NOT NULL,
  isbn13         VARCHAR(13)   NOT NULL,
  title          VARCHAR(1000),
  times_returned BIGINT        NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.library_ranking (
  report_date DATE         NOT NULL,
  ranking     INTEGER      NOT NULL,
  library     VARCHAR(200) NOT NULL,
  occurrences BIGINT       NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.failed_keyword_ranking (
  report_date        DATE          NOT NULL,
  ranking            INTEGER       NOT NULL,
  keyword            VARCHAR(1000) NOT NULL,
  failed_occurrences BIGINT        NOT NULL
);

CREATE TABLE IF NOT EXISTS mart.queries_per_user (
  report_date      DATE        NOT NULL,
  user_id          VARCHAR(64) NOT NULL,
  distinct_queries BIGINT      NOT NULL
);

-- hour_of_day is NULL for requests that carry no searched_at, so the hours always sum to the day's requests.
CREATE TABLE IF NOT EXISTS mart.hourly_requests (
  report_date DATE    NOT NULL,
  hour_of_day INTEGER,
  requests    BIGINT  NOT NULL
);

-- Every item of the day with its count, for daily_movers (see daily_counts.sql). kind keyword | book | library.
CREATE TABLE IF NOT EXISTS mart.daily_counts (
  report_date DATE          NOT NULL,
  kind        VARCHAR(8)    NOT NULL,
  item        VARCHAR(1000) NOT NULL,
  occurrences BIGINT        NOT NULL
);

-- "What moved" (daily_movers.sql): kind keyword | book | library, basis week | average, direction rose | fell.
-- basis_count is the count a week before, or the mean of the earlier days with data; change = today - basis.
-- title is the catalogue title of a book (NULL for keywords, libraries and unknown books).
CREATE TABLE IF NOT EXISTS mart.daily_movers (
  report_date DATE             NOT NULL,
  kind        VARCHAR(8)       NOT NULL,
  basis       VARCHAR(8)       NOT NULL,
  direction   VARCHAR(4)       NOT NULL,
  ranking     INTEGER          NOT NULL,
  item        VARCHAR(1000)    NOT NULL,
  title       VARCHAR(1000),
  today_count BIGINT           NOT NULL,
  basis_count DOUBLE PRECISION NOT NULL,
  change      DOUBLE PRECISION NOT NULL,
  new_in_top  BOOLEAN          NOT NULL
);
