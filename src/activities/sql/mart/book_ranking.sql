-- Books returned most often in search results that day; ties go to the smaller ISBN-13. The counts are
-- daily_counts' (kind 'book'), refreshed just before, so the day's ISBN rows are scanned once. The title
-- comes from dw.book_info and is NULL for books the catalogue does not know. The catalogue is folded
-- to one title per ISBN so a duplicated catalogue row can never duplicate a ranking row.
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.book_ranking WHERE report_date = :report_date;

INSERT INTO mart.book_ranking (report_date, ranking, isbn13, title, times_returned)
SELECT ranked.report_date, ranked.ranking, ranked.isbn13, books.title, ranked.times_returned
FROM (
  SELECT report_date, item AS isbn13, occurrences AS times_returned,
         ROW_NUMBER() OVER (ORDER BY occurrences DESC, item ASC) AS ranking
  FROM mart.daily_counts
  WHERE report_date = :report_date AND kind = 'book'
) ranked
LEFT JOIN (
  SELECT isbn13, MAX(bookname) AS title FROM dw.book_info GROUP BY isbn13
) books ON books.isbn13 = ranked.isbn13
WHERE ranked.ranking <= :top_rows;
