-- Keywords of the day's successful searches (every occurrence counts), most frequent first, as the
-- seed's "유저 검색 키워드" counted them; keywords of failed searches have their own ranking
-- (failed_keyword_ranking). A semi-join, not a join, so a search row loaded twice never counts its
-- keywords twice. The ranking is computed over all keywords before the cut, and ties go to the keyword
-- that sorts first, so the kept rows never depend on the query plan (the seed limited before it ordered).
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
      AND query_id IN (
        SELECT query_id FROM dw.search_query WHERE query_date = :report_date AND succeeded = true
      )
    GROUP BY query_date, keyword
  ) counted
) ranked
WHERE ranking <= :top_rows;
