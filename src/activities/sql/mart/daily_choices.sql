-- The day's book choices, attributed to the day of the search they were made from (joined on query_id),
-- not to the day of chosen_at: a choice at 00:10 from a list a user got at 23:50 belongs to the evening's
-- search, so the metrics stay properties of the day's searches. Choices are read from the search's day
-- and the next one only: that catches the after-midnight case while each refresh reads two days of
-- choices instead of every later day, and a day's numbers are final once the next day is loaded.
-- recommendations: distinct successful searches (a search that returned books is one recommendation).
-- books_per_choosing_search is the seed's "평균 도서 선택 권수": chosen books per search, over the
-- searches with at least one choice (so at least 1). choosing_share_pct is the share (0-100) of
-- recommendations that led to at least one choice. choices_per_recommendation is all choices / all
-- recommendations (= the two multiplied), kept for analysts. Each is NULL when its denominator is 0.
-- Grain: one row per report_date.
DELETE FROM mart.daily_choices WHERE report_date = :report_date;

INSERT INTO mart.daily_choices
  (report_date, recommendations, choosing_searches, choices, books_per_choosing_search, choosing_share_pct,
   choices_per_recommendation)
SELECT CAST(:report_date AS DATE) AS report_date, recommendations, choosing_searches, choices,
       CASE WHEN choosing_searches = 0 THEN NULL
            ELSE CAST(choices AS DOUBLE PRECISION) / choosing_searches END AS books_per_choosing_search,
       CASE WHEN recommendations = 0 THEN NULL
            ELSE CAST(choosing_searches AS DOUBLE PRECISION) * 100 / recommendations END AS choosing_share_pct,
       CASE WHEN recommendations = 0 THEN NULL
            ELSE CAST(choices AS DOUBLE PRECISION) / recommendations END AS choices_per_recommendation
FROM (
  SELECT COUNT(*) AS recommendations,
         CAST(COALESCE(SUM(CASE WHEN c.choices IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS choosing_searches,
         CAST(COALESCE(SUM(c.choices), 0) AS BIGINT) AS choices
  FROM (
    -- One row per search: a search_query row loaded twice must not count its choices twice.
    SELECT query_id FROM dw.search_query
    WHERE query_date = :report_date AND succeeded = true
    GROUP BY query_id
  ) s
  LEFT JOIN (
    SELECT query_id, COUNT(*) AS choices FROM dw.user_choice
    WHERE choice_date IN (CAST(:report_date AS DATE), CAST(:next_date AS DATE))
    GROUP BY query_id
  ) c ON c.query_id = s.query_id
) day_choices;
