-- How many distinct searches of the day each user chose books from (from dw.user_choice, as the seed
-- computed it). Choices belong to their search's day, as in daily_choices.sql: the day's searches
-- joined on query_id, choices read from that day and the next. The report shows a summary (users,
-- mean, max); the rows stay for analysts.
-- The inner GROUP BY makes each (user, search) pair once and the outer one counts them: the same
-- number as COUNT(DISTINCT query_id), without the sort a DISTINCT aggregate needs.
-- Grain: one row per (report_date, user_id).
DELETE FROM mart.queries_per_user WHERE report_date = :report_date;

INSERT INTO mart.queries_per_user (report_date, user_id, distinct_queries)
SELECT CAST(:report_date AS DATE) AS report_date, user_id, COUNT(*) AS distinct_queries
FROM (
  SELECT c.user_id, c.query_id
  FROM dw.user_choice c
  WHERE c.choice_date IN (CAST(:report_date AS DATE), CAST(:next_date AS DATE))
    AND c.query_id IN (SELECT query_id FROM dw.search_query WHERE query_date = :report_date)
  GROUP BY c.user_id, c.query_id
) pairs
GROUP BY user_id;
