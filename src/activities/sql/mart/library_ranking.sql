-- Libraries users searched that day, most selected first; ties go to the name that sorts first.
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.library_ranking WHERE report_date = :report_date;

INSERT INTO mart.library_ranking (report_date, ranking, library, occurrences)
SELECT report_date, ranking, library, occurrences
FROM (
  SELECT report_date, library, occurrences,
         ROW_NUMBER() OVER (ORDER BY occurrences DESC, library ASC) AS ranking
  FROM (
    SELECT query_date AS report_date, library, COUNT(*) AS occurrences
    FROM dw.search_library
    WHERE query_date = :report_date
    GROUP BY query_date, library
  ) counted
) ranked
WHERE ranking <= :top_rows;
