-- Keywords of failed searches that no successful search of the same day used: what users look for
-- and never find. Counted as occurrences in failed searches; ties go to the keyword that sorts first.
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.failed_keyword_ranking WHERE report_date = :report_date;

INSERT INTO mart.failed_keyword_ranking (report_date, ranking, keyword, failed_occurrences)
SELECT report_date, ranking, keyword, failed_occurrences
FROM (
  SELECT report_date, keyword, failed_occurrences,
         ROW_NUMBER() OVER (ORDER BY failed_occurrences DESC, keyword ASC) AS ranking
  FROM (
    SELECT k.query_date AS report_date, k.keyword, COUNT(*) AS failed_occurrences
    FROM dw.search_keyword k
    JOIN dw.search_query q ON q.query_id = k.query_id AND q.query_date = k.query_date
    LEFT JOIN (
      SELECT DISTINCT sk.keyword
      FROM dw.search_keyword sk
      JOIN dw.search_query sq ON sq.query_id = sk.query_id AND sq.query_date = sk.query_date
      WHERE sk.query_date = :report_date AND sq.succeeded = true
    ) found ON found.keyword = k.keyword
    WHERE k.query_date = :report_date AND q.succeeded = false AND found.keyword IS NULL
    GROUP BY k.query_date, k.keyword
  ) counted
) ranked
WHERE ranking <= :top_rows;
