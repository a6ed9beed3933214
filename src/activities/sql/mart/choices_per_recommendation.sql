-- Books chosen per recommendation: the day's user_choice rows divided by the day's successful
-- searches (a search that returned books is one recommendation). NULL when nothing was recommended.
-- Grain: one row per report_date.
DELETE FROM mart.choices_per_recommendation WHERE report_date = :report_date;

INSERT INTO mart.choices_per_recommendation (report_date, choices, recommendations, choices_per_recommendation)
SELECT CAST(:report_date AS DATE), c.choices, r.recommendations,
       CASE WHEN r.recommendations = 0 THEN NULL
            ELSE CAST(c.choices AS DOUBLE PRECISION) / r.recommendations END
FROM (SELECT COUNT(*) AS choices FROM dw.user_choice WHERE choice_date = :report_date) c
CROSS JOIN (
  SELECT COUNT(*) AS recommendations FROM dw.search_query WHERE query_date = :report_date AND succeeded = true
) r;
