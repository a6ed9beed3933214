-- Libraries users searched that day, most selected first; ties go to the name that sorts first. The
-- counts are daily_counts' (kind 'library'), refreshed just before, so the day's library rows are scanned once.
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.library_ranking WHERE report_date = :report_date;

INSERT INTO mart.library_ranking (report_date, ranking, library, occurrences)
SELECT report_date, ranking, library, occurrences
FROM (
  SELECT report_date, item AS library, occurrences,
         ROW_NUMBER() OVER (ORDER BY occurrences DESC, item ASC) AS ranking
  FROM mart.daily_counts
  WHERE report_date = :report_date AND kind = 'library'
) ranked
WHERE ranking <= :top_rows;
