-- The day's headline numbers. The failure rate is failed / all requests x 100 (the seed divided by the
-- wrong count and forgot the x 100); NULL when there were no requests. A day with no requests still
-- gets a row (requests = 0), so "refreshed and empty" differs from "never refreshed".
-- Reads mart.choices_per_recommendation, which refreshMart rebuilds earlier in the same transaction.
-- Grain: one row per report_date.
DELETE FROM mart.daily_headline WHERE report_date = :report_date;

INSERT INTO mart.daily_headline
  (report_date, requests, succeeded_requests, failed_requests, failure_rate_pct, choices_per_recommendation)
SELECT CAST(:report_date AS DATE), q.requests, q.succeeded_requests, q.failed_requests,
       CASE WHEN q.requests = 0 THEN NULL
            ELSE CAST(q.failed_requests AS DOUBLE PRECISION) * 100 / q.requests END,
       c.choices_per_recommendation
FROM (
  SELECT COUNT(*) AS requests,
         COALESCE(SUM(CASE WHEN succeeded THEN 1 ELSE 0 END), 0) AS succeeded_requests,
         COALESCE(SUM(CASE WHEN succeeded THEN 0 ELSE 1 END), 0) AS failed_requests
  FROM dw.search_query
  WHERE query_date = :report_date
) q
LEFT JOIN mart.choices_per_recommendation c ON c.report_date = CAST(:report_date AS DATE);
