-- "What moved": the keywords, books and libraries whose counts rose or fell most against two bases,
-- the same weekday a week before (basis 'week') and the mean of the seven days before (basis 'average').
-- Counts are those of the rankings: keywords of successful searches (keyword_ranking), books returned
-- (book_ranking), libraries selected (library_ranking), read from dw for the day and the seven before it,
-- so the answer never depends on which earlier days were refreshed, or in what order.
-- A day "has data" when dw.search_query holds any request for it. A basis with no such day (the week
-- before was never loaded, or a first deployment) compares with nothing: NULL, and no rows for that basis.
-- An item absent from a day with data counted 0 that day. The average divides by the earlier days with
-- data, not by 7: a day never loaded is unknown, not zero.
-- The floor (:min_count, MOVERS_MIN_COUNT in mart.ts, see the reasoning there): an item moves only when
-- today's count or its basis reaches it, so 2 -> 5 never crowds out 300 -> 240.
-- new_in_top: in the day's top :top_rows (ties broken by name, as the rankings break them) and in no top
-- :top_rows of the seven days before that had data. Never true when no earlier day had data.
-- Movers are ranked per (kind, basis, direction) by the size of the change in count, ties by item, and
-- the first :mover_rows of each are kept. Books carry their catalogue title (NULL when unknown).
-- (SUM over no earlier day is NULL, hence the COALESCE: no rows must read as "no week before".)
-- Grain: one row per (report_date, kind, basis, direction, ranking).
DELETE FROM mart.daily_movers WHERE report_date = :report_date;

INSERT INTO mart.daily_movers
  (report_date, kind, basis, direction, ranking, item, title, today_count, basis_count, change, new_in_top)
SELECT CAST(:report_date AS DATE), moved.kind, moved.basis, moved.direction, moved.ranking, moved.item,
       books.title, moved.today_count, moved.basis_count, moved.change, moved.new_in_top
FROM (
  SELECT kind, basis, item, today_count, basis_count, change, new_in_top,
         CASE WHEN change > 0 THEN 'rose' ELSE 'fell' END AS direction,
         ROW_NUMBER() OVER (PARTITION BY kind, basis, CASE WHEN change > 0 THEN 1 ELSE 0 END
                            ORDER BY ABS(change) DESC, item ASC) AS ranking
  FROM (
    SELECT items.kind, bases.basis, items.item, items.today_count, items.new_in_top,
           CASE WHEN bases.basis = 'week' THEN items.week_count ELSE items.average_count END AS basis_count,
           items.today_count
             - CASE WHEN bases.basis = 'week' THEN items.week_count ELSE items.average_count END AS change
    FROM (
      SELECT per_item.kind, per_item.item, per_item.today_count,
             CASE WHEN days.week_has_data = 0 THEN NULL
                  ELSE CAST(per_item.week_count AS DOUBLE PRECISION) END AS week_count,
             CASE WHEN days.earlier_days = 0 THEN NULL
                  ELSE CAST(per_item.earlier_count AS DOUBLE PRECISION) / days.earlier_days END AS average_count,
             CASE WHEN per_item.top_today = 1 AND per_item.top_earlier = 0 AND days.earlier_days > 0
                  THEN true ELSE false END AS new_in_top
      FROM (
        SELECT kind, item,
               SUM(CASE WHEN query_date = CAST(:report_date AS DATE) THEN n ELSE 0 END) AS today_count,
               SUM(CASE WHEN query_date = CAST(:week_ago AS DATE) THEN n ELSE 0 END) AS week_count,
               SUM(CASE WHEN query_date < CAST(:report_date AS DATE) THEN n ELSE 0 END) AS earlier_count,
               MAX(CASE WHEN query_date = CAST(:report_date AS DATE) AND day_rank <= :top_rows
                        THEN 1 ELSE 0 END) AS top_today,
               MAX(CASE WHEN query_date < CAST(:report_date AS DATE) AND day_rank <= :top_rows
                        THEN 1 ELSE 0 END) AS top_earlier
        FROM (
          SELECT kind, query_date, item, n,
                 ROW_NUMBER() OVER (PARTITION BY kind, query_date ORDER BY n DESC, item ASC) AS day_rank
          FROM (
            SELECT CAST('keyword' AS VARCHAR(8)) AS kind, k.query_date, k.keyword AS item, COUNT(*) AS n
            FROM dw.search_keyword k
            WHERE k.query_date >= :week_ago AND k.query_date <= :report_date
              AND EXISTS (
                SELECT 1 FROM dw.search_query q
                WHERE q.query_id = k.query_id AND q.query_date = k.query_date AND q.succeeded = true
              )
            GROUP BY k.query_date, k.keyword
            UNION ALL
            SELECT CAST('book' AS VARCHAR(8)) AS kind, query_date, isbn13 AS item, COUNT(*) AS n
            FROM dw.search_isbn13
            WHERE query_date >= :week_ago AND query_date <= :report_date
            GROUP BY query_date, isbn13
            UNION ALL
            SELECT CAST('library' AS VARCHAR(8)) AS kind, query_date, library AS item, COUNT(*) AS n
            FROM dw.search_library
            WHERE query_date >= :week_ago AND query_date <= :report_date
            GROUP BY query_date, library
          ) counted
        ) ranked
        GROUP BY kind, item
      ) per_item
      CROSS JOIN (
        SELECT COUNT(*) AS earlier_days,
               COALESCE(SUM(CASE WHEN query_date = CAST(:week_ago AS DATE) THEN 1 ELSE 0 END), 0) AS week_has_data
        FROM (
          SELECT query_date FROM dw.search_query
          WHERE query_date >= :week_ago AND query_date < :report_date
          GROUP BY query_date
        ) earlier
      ) days
    ) items
    CROSS JOIN (
      SELECT CAST('week' AS VARCHAR(8)) AS basis
      UNION ALL
      SELECT CAST('average' AS VARCHAR(8)) AS basis
    ) bases
  ) compared
  WHERE basis_count IS NOT NULL AND change <> 0
    AND (today_count >= :min_count OR basis_count >= :min_count)
) moved
LEFT JOIN (
  SELECT isbn13, MAX(bookname) AS title FROM dw.book_info GROUP BY isbn13
) books ON moved.kind = 'book' AND books.isbn13 = moved.item
WHERE moved.ranking <= :mover_rows;
