-- company_year_genre (docs/DATA_MODEL.md, "Rollups") from movie,
-- movie_company, movie_genre and genre: a movie with C companies and G genres
-- adds 1 to each of its C x G keys. Portable SQL (see company_year.sql and
-- docs/SCALE.md).
WITH dated AS (
  SELECT id, year FROM movie WHERE release_date IS NOT NULL
),
credit AS (
  SELECT DISTINCT movie_id, company_id FROM movie_company
),
tagged AS (
  SELECT DISTINCT movie_id, genre_id FROM movie_genre
)
SELECT
  cr.company_id AS company_id,
  d.year AS year,
  t.genre_id AS genre_id,
  g.name AS genre_name,
  COUNT(*) AS movie_count
FROM dated AS d
JOIN credit AS cr ON cr.movie_id = d.id
JOIN tagged AS t ON t.movie_id = d.id
JOIN genre AS g ON g.id = t.genre_id
GROUP BY cr.company_id, d.year, t.genre_id, g.name
ORDER BY company_id, year, genre_id
