-- Books returned most often in search results that day; ties go to the smaller ISBN-13. The title
-- comes from dw.book_info and is NULL for books the catalogue does not know. The catalogue is folded
-- to one title per ISBN so a duplicated catalogue row can never duplicate a ranking row.
-- Grain: one row per (report_date, ranking); the top rows of each day only.
DELETE FROM mart.book_ranking WHERE report_date = :report_date;

INSERT INTO mart.book_ranking (report_date, ranking, isbn13, title, times_returned)
SELECT ranked.report_date, ranked.ranking, ranked.isbn13, books.title, ranked.times_returned
FROM (
  SELECT report_date, isbn13, times_returned,
         ROW_NUMBER() OVER (ORDER BY times_returned DESC, isbn13 ASC) AS ranking
  FROM (
    SELECT query_date AS report_date, isbn13, COUNT(*) AS times_returned
    FROM dw.search_isbn13
    WHERE query_date = :report_date
    GROUP BY query_date, isbn13
  ) counted
) ranked
LEFT JOIN (
  SELECT isbn13, MAX(bookname) AS title FROM dw.book_info GROUP BY isbn13
) books ON books.isbn13 = ranked.isbn13
WHERE ranked.ranking <= :top_rows;
