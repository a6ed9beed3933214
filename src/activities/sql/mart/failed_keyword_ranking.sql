-- Keywords of failed searches that no successful search of the same day used: what users look for
-- and never find. Counted as occurrences in failed searches; ties go to the keyword that sorts first.
-- One join of the day's keywords to their searches, grouped by keyword: a keyword with any successful
-- occurrence is dropped by the HAVING, the rest are counted. (Joining twice, once for the found
-- keywords and once for the failed ones, costs twice the work and tempts the planner into a nested loop
-- when it underestimates how many keywords are never found.)
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
    WHERE k.query_date = :report_date
    GROUP BY k.query_date, k.keyword
    HAVING MAX(CASE WHEN q.succeeded THEN 1 ELSE 0 END) = 0
  ) counted
) ranked
WHERE ranking <= :top_rows;
