-- The day's headline numbers. The failure rate is failed / all requests x 100 (the seed divided by the
-- wrong count and forgot the x 100); NULL when there were no requests. A day with no requests still
-- gets a row (requests = 0), so "refreshed and empty" differs from "never refreshed".
-- Reads what refreshMart rebuilt earlier in the same transaction instead of scanning dw.search_query
-- again: the day's requests are the sum of mart.hourly_requests (which keeps requests without a time
-- under hour NULL), and its successful requests are mart.daily_choices' recommendations
-- (succeeded is NOT NULL, so every other request failed). The seed's choice metrics are in
-- mart.daily_choices; choices_per_recommendation here is all choices / all recommendations.
-- Grain: one row per report_date.
DELETE FROM mart.daily_headline WHERE report_date = :report_date;

INSERT INTO mart.daily_headline
  (report_date, requests, succeeded_requests, failed_requests, failure_rate_pct, choices_per_recommendation)
SELECT CAST(:report_date AS DATE), h.requests, c.recommendations, h.requests - c.recommendations,
       CASE WHEN h.requests = 0 THEN NULL
            ELSE CAST(h.requests - c.recommendations AS DOUBLE PRECISION) * 100 / h.requests END,
       c.choices_per_recommendation
FROM (
  SELECT CAST(COALESCE(SUM(requests), 0) AS BIGINT) AS requests FROM mart.hourly_requests WHERE report_date = :report_date
) h
CROSS JOIN mart.daily_choices c
WHERE c.report_date = :report_date;
