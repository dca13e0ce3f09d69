-- company_year (docs/DATA_MODEL.md, "Rollups") from the normalized tables
-- movie, movie_company and company. Portable: runs unchanged on Spark SQL,
-- Trino, DuckDB, PostgreSQL and SQLite (docs/SCALE.md, "Portable SQL"):
--   * `x * 1e0 / n` for the _split shares: 1e0 is a floating literal on
--     every engine (a plain 1.0 is DECIMAL on Spark and Trino, and `/` of
--     two integers truncates on SQLite, PostgreSQL and Trino);
--   * CASE instead of FILTER / IF / IIF, COUNT(*) over joins, no casts to
--     engine-specific type names, no `::`, standard window functions only.
-- Doubles are summed in the engine's order: compare them with a relative
-- tolerance (Marquee uses compensated summation), integers exactly.
WITH dated AS (
  SELECT id, year, budget, revenue, popularity
  FROM movie
  WHERE release_date IS NOT NULL
),
credit AS (
  SELECT DISTINCT movie_id, company_id FROM movie_company
),
companies_per_movie AS (
  SELECT movie_id, COUNT(*) AS n FROM credit GROUP BY movie_id
)
SELECT
  cr.company_id AS company_id,
  d.year AS year,
  c.name AS company_name,
  COUNT(*) AS movie_count,
  SUM(CASE WHEN d.budget > 0 THEN 1 ELSE 0 END) AS movies_with_budget,
  SUM(CASE WHEN d.revenue > 0 THEN 1 ELSE 0 END) AS movies_with_revenue,
  SUM(CASE WHEN d.budget > 0 AND d.revenue > 0 THEN 1 ELSE 0 END) AS movies_with_both,
  SUM(CASE WHEN d.budget > 0 THEN d.budget ELSE 0 END) AS budget,
  SUM(CASE WHEN d.revenue > 0 THEN d.revenue ELSE 0 END) AS revenue,
  SUM(CASE WHEN d.budget > 0 AND d.revenue > 0 THEN d.revenue - d.budget ELSE 0 END) AS profit,
  SUM(CASE WHEN d.budget > 0 THEN d.budget * 1e0 / cpm.n ELSE 0e0 END) AS budget_split,
  SUM(CASE WHEN d.revenue > 0 THEN d.revenue * 1e0 / cpm.n ELSE 0e0 END) AS revenue_split,
  SUM(CASE WHEN d.budget > 0 AND d.revenue > 0 THEN (d.revenue - d.budget) * 1e0 / cpm.n ELSE 0e0 END)
    AS profit_split,
  AVG(d.popularity) AS average_popularity,
  -- No audience ratings from the movie tables alone (docs/DATA_MODEL.md): null.
  CAST(NULL AS BIGINT) AS rating_count,
  CAST(NULL AS DOUBLE PRECISION) AS rating_mean
FROM dated AS d
JOIN credit AS cr ON cr.movie_id = d.id
JOIN companies_per_movie AS cpm ON cpm.movie_id = d.id
JOIN company AS c ON c.id = cr.company_id
GROUP BY cr.company_id, d.year, c.name
ORDER BY company_id, year
