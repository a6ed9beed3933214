-- Keywords users typed that day (every occurrence counts), most frequent first. The ranking is
-- computed over all keywords before the cut, and ties go to the keyword that sorts first, so the
-- kept rows never depend on the query plan (the seed limited before it ordered).
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.keyword_ranking WHERE report_date = :report_date;

INSERT INTO mart.keyword_ranking (report_date, ranking, keyword, occurrences)
SELECT report_date, ranking, keyword, occurrences
FROM (
  SELECT report_date, keyword, occurrences,
         ROW_NUMBER() OVER (ORDER BY occurrences DESC, keyword ASC) AS ranking
  FROM (
    SELECT query_date AS report_date, keyword, COUNT(*) AS occurrences
    FROM dw.search_keyword
    WHERE query_date = :report_date
    GROUP BY query_date, keyword
  ) counted
) ranked
WHERE ranking <= :top_rows;
