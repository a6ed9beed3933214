-- Requests per hour of the report's time zone. "timestamptz AT TIME ZONE zone" is spelled the same and
-- means the same in PostgreSQL and Redshift (local wall-clock time in that zone); CONVERT_TIMEZONE
-- would be Redshift-only. DATE_PART, not EXTRACT: both give the same whole hour, but PostgreSQL's
-- EXTRACT computes it as NUMERIC, a tenth of this statement's time on a big day. Requests without
-- searched_at are kept under hour_of_day NULL.
-- Grain: one row per (report_date, hour_of_day) that had requests.
DELETE FROM mart.hourly_requests WHERE report_date = :report_date;

INSERT INTO mart.hourly_requests (report_date, hour_of_day, requests)
SELECT report_date, hour_of_day, COUNT(*)
FROM (
  SELECT query_date AS report_date,
         CAST(DATE_PART('hour', searched_at AT TIME ZONE CAST(:time_zone AS VARCHAR)) AS INTEGER) AS hour_of_day
  FROM dw.search_query
  WHERE query_date = :report_date
) stamped
GROUP BY report_date, hour_of_day;
