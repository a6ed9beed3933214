-- Keywords of the day's successful searches (every occurrence counts), most frequent first, as the
-- seed's "유저 검색 키워드" counted them; keywords of failed searches have their own ranking
-- (failed_keyword_ranking). The counts are daily_counts' (kind 'keyword'), refreshed just before: one
-- definition of the number, and the day's keywords are scanned once rather than twice. The ranking is
-- computed over all keywords before the cut, and ties go to the keyword that sorts first, so the kept rows
-- never depend on the query plan (the seed limited before it ordered).
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.keyword_ranking WHERE report_date = :report_date;

INSERT INTO mart.keyword_ranking (report_date, ranking, keyword, occurrences)
SELECT report_date, ranking, keyword, occurrences
FROM (
  SELECT report_date, item AS keyword, occurrences,
         ROW_NUMBER() OVER (ORDER BY occurrences DESC, item ASC) AS ranking
  FROM mart.daily_counts
  WHERE report_date = :report_date AND kind = 'keyword'
) ranked
WHERE ranking <= :top_rows;
