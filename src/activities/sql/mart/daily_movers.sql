-- "What moved": the keywords, books and libraries whose counts rose or fell most against two bases,
-- the same weekday a week before (basis 'week') and the mean of the seven days before (basis 'average').
-- Counts are those of the rankings, kept per day in mart.daily_counts (refreshed just before this in the
-- same transaction for the day itself; the earlier days' rows are those of their own refreshes, as the
-- headline's comparisons read the earlier days' mart rows: a backfilled earlier day counts once refreshed).
-- A day "has data" when mart.daily_counts holds rows for it. A basis with no such day (the week before was
-- never loaded, or a first deployment) compares with nothing: NULL, and no rows for that basis. An item
-- absent from a day with data counted 0 that day. The average divides by the earlier days with data, not
-- by 7: a day never loaded is unknown, not zero.
-- The floor (:min_count, MOVERS_MIN_COUNT in mart.ts, see the reasoning there): an item moves only when
-- today's count or its basis reaches it, so 2 -> 5 is not called a mover.
-- new_in_top: in the day's ranking (its top :top_rows) and in no ranking of the seven days before that had
-- data. Never true when no earlier day had data.
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
             CASE WHEN tops.top_today = 1 AND COALESCE(tops.top_earlier, 0) = 0 AND days.earlier_days > 0
                  THEN true ELSE false END AS new_in_top
      FROM (
        -- An item under the floor on all eight days cannot reach it today, a week before or on average, so
        -- only items at or over it on some day are aggregated (a semi-join: most items never reach it).
        SELECT c.kind, c.item,
               SUM(CASE WHEN c.report_date = CAST(:report_date AS DATE) THEN c.occurrences ELSE 0 END) AS today_count,
               SUM(CASE WHEN c.report_date = CAST(:week_ago AS DATE) THEN c.occurrences ELSE 0 END) AS week_count,
               SUM(CASE WHEN c.report_date < CAST(:report_date AS DATE) THEN c.occurrences ELSE 0 END) AS earlier_count
        FROM mart.daily_counts c
        WHERE c.report_date >= :week_ago AND c.report_date <= :report_date
          AND EXISTS (
            SELECT 1 FROM mart.daily_counts f
            WHERE f.kind = c.kind AND f.item = c.item AND f.occurrences >= :min_count
              AND f.report_date >= :week_ago AND f.report_date <= :report_date
          )
        GROUP BY c.kind, c.item
      ) per_item
      -- Top-50 membership from the rankings themselves (the day's, rebuilt earlier in this transaction, and
      -- the earlier days' own): the same cut, ties broken the same way, without ranking eight days again.
      LEFT JOIN (
        SELECT kind, item,
               MAX(CASE WHEN report_date = CAST(:report_date AS DATE) THEN 1 ELSE 0 END) AS top_today,
               MAX(CASE WHEN report_date < CAST(:report_date AS DATE) THEN 1 ELSE 0 END) AS top_earlier
        FROM (
          SELECT CAST('keyword' AS VARCHAR(8)) AS kind, keyword AS item, report_date FROM mart.keyword_ranking
          WHERE report_date >= :week_ago AND report_date <= :report_date AND ranking <= :top_rows
          UNION ALL
          SELECT CAST('book' AS VARCHAR(8)) AS kind, isbn13 AS item, report_date FROM mart.book_ranking
          WHERE report_date >= :week_ago AND report_date <= :report_date AND ranking <= :top_rows
          UNION ALL
          SELECT CAST('library' AS VARCHAR(8)) AS kind, library AS item, report_date FROM mart.library_ranking
          WHERE report_date >= :week_ago AND report_date <= :report_date AND ranking <= :top_rows
        ) ranked
        GROUP BY kind, item
      ) tops ON tops.kind = per_item.kind AND tops.item = per_item.item
      CROSS JOIN (
        SELECT COUNT(*) AS earlier_days,
               COALESCE(SUM(CASE WHEN query_date = CAST(:week_ago AS DATE) THEN 1 ELSE 0 END), 0) AS week_has_data
        FROM (
          SELECT report_date AS query_date FROM mart.daily_counts
          WHERE report_date >= :week_ago AND report_date < :report_date
          GROUP BY report_date
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
