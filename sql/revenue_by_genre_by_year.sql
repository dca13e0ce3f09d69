-- Revenue by genre by year, from the normalized tables movie, movie_genre and
-- genre. Same definition as the genre_year rollup's revenue column: only
-- movies with a release date count, year is the calendar year of the release
-- date (movie.year), and revenue sums only known revenues (> 0; 0 = unknown),
-- so a genre-year whose movies all lack revenue shows 0.
-- Standard SQL: runs unchanged on SQLite and PostgreSQL.
SELECT
  g.id AS genre_id,
  m.year AS year,
  g.name AS genre_name,
  SUM(CASE WHEN m.revenue > 0 THEN m.revenue ELSE 0 END) AS revenue
FROM movie AS m
JOIN movie_genre AS mg ON mg.movie_id = m.id
JOIN genre AS g ON g.id = mg.genre_id
WHERE m.release_date IS NOT NULL
GROUP BY g.id, m.year, g.name
ORDER BY g.id, m.year;
