-- Every keyword, book and library of the day with its count, the one definition of each: keywords of
-- successful searches, books returned, libraries selected. keyword_ranking, book_ranking and library_ranking
-- rank these rows rather than counting the day's long tables again. Kept also so that "what moved"
-- (daily_movers.sql) compares a day with the seven before it without aggregating eight days of dw rows on
-- every refresh (on a 100,000-request probe that took 27 s against ~2 s for this).
-- A day with nothing to count (no requests) has no rows. Grain: one row per (report_date, kind, item).
DELETE FROM mart.daily_counts WHERE report_date = :report_date;

INSERT INTO mart.daily_counts (report_date, kind, item, occurrences)
SELECT CAST(:report_date AS DATE) AS report_date, kind, item, occurrences
FROM (
  SELECT CAST('keyword' AS VARCHAR(8)) AS kind, keyword AS item, COUNT(*) AS occurrences
  FROM dw.search_keyword
  WHERE query_date = :report_date
    AND query_id IN (
      SELECT query_id FROM dw.search_query WHERE query_date = :report_date AND succeeded = true
    )
  GROUP BY keyword
  UNION ALL
  SELECT CAST('book' AS VARCHAR(8)) AS kind, isbn13 AS item, COUNT(*) AS occurrences
  FROM dw.search_isbn13
  WHERE query_date = :report_date
  GROUP BY isbn13
  UNION ALL
  SELECT CAST('library' AS VARCHAR(8)) AS kind, library AS item, COUNT(*) AS occurrences
  FROM dw.search_library
  WHERE query_date = :report_date
  GROUP BY library
) counted;
