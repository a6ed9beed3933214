-- How many distinct searches each user chose books from that day (from dw.user_choice, as the seed
-- computed it). The report shows a summary (users, mean, max); the rows stay for analysts.
-- The inner GROUP BY makes each (user, search) pair once and the outer one counts them: the same
-- number as COUNT(DISTINCT query_id) (query_id is NOT NULL), without the sort a DISTINCT aggregate needs.
-- Grain: one row per (report_date, user_id).
DELETE FROM mart.queries_per_user WHERE report_date = :report_date;

INSERT INTO mart.queries_per_user (report_date, user_id, distinct_queries)
SELECT choice_date, user_id, COUNT(*)
FROM (
  SELECT choice_date, user_id, query_id
  FROM dw.user_choice
  WHERE choice_date = :report_date
  GROUP BY choice_date, user_id, query_id
) pairs
GROUP BY choice_date, user_id;
