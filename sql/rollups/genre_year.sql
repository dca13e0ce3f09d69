-- genre_year (docs/DATA_MODEL.md, "Rollups") from movie, movie_genre and
-- genre, each genre credited with the whole movie; genres ranked within each
-- year by popularity_total descending, ties to the lower genre id (ROW_NUMBER,
-- so no shared ranks and no gaps). Portable SQL (see company_year.sql and
-- docs/SCALE.md). popularity_total is a double summed in the engine's order;
-- two genres whose totals differ only in the last bits may rank differently
-- than in Marquee (never seen in practice; the test would say so).
WITH dated AS (
  SELECT id, year, budget, revenue, popularity, vote_count
  FROM movie
  WHERE release_date IS NOT NULL
),
tagged AS (
  SELECT DISTINCT movie_id, genre_id FROM movie_genre
),
totals AS (
  SELECT
    t.genre_id AS genre_id,
    d.year AS year,
    g.name AS genre_name,
    COUNT(*) AS movie_count,
    SUM(CASE WHEN d.budget > 0 THEN 1 ELSE 0 END) AS movies_with_budget,
    SUM(CASE WHEN d.revenue > 0 THEN 1 ELSE 0 END) AS movies_with_revenue,
    SUM(CASE WHEN d.budget > 0 AND d.revenue > 0 THEN 1 ELSE 0 END) AS movies_with_both,
    SUM(CASE WHEN d.budget > 0 THEN d.budget ELSE 0 END) AS budget,
    SUM(CASE WHEN d.revenue > 0 THEN d.revenue ELSE 0 END) AS revenue,
    SUM(CASE WHEN d.budget > 0 AND d.revenue > 0 THEN d.revenue - d.budget ELSE 0 END) AS profit,
    COALESCE(SUM(d.popularity), 0e0) AS popularity_total,
    AVG(d.popularity) AS popularity_average,
    COALESCE(SUM(d.vote_count), 0) AS vote_count_total
  FROM dated AS d
  JOIN tagged AS t ON t.movie_id = d.id
  JOIN genre AS g ON g.id = t.genre_id
  GROUP BY t.genre_id, d.year, g.name
)
SELECT
  genre_id, year, genre_name, movie_count, movies_with_budget, movies_with_revenue, movies_with_both,
  budget, revenue, profit, popularity_total, popularity_average, vote_count_total,
  ROW_NUMBER() OVER (PARTITION BY year ORDER BY popularity_total DESC, genre_id ASC) AS rank_by_popularity_total,
  -- From the movie tables alone there are no audience ratings (they come
  -- from ratings.csv, docs/DATA_MODEL.md): null, as in a run without them.
  CAST(NULL AS BIGINT) AS rating_count,
  CAST(NULL AS DOUBLE PRECISION) AS rating_mean
FROM totals
ORDER BY genre_id, year
