-- Audience ratings (schema version 3, docs/DATA_MODEL.md, "Audience
-- ratings"): the rollups' rating_count and rating_mean, null for runs
-- without ratings (and for every run loaded before this migration), and the
-- movie_rating and link tables of runs that read ratings.csv and links.csv.
ALTER TABLE company_year ADD COLUMN rating_count BIGINT, ADD COLUMN rating_mean DOUBLE PRECISION;
ALTER TABLE genre_year ADD COLUMN rating_count BIGINT, ADD COLUMN rating_mean DOUBLE PRECISION;

CREATE TABLE movie_rating (
  run_id       TEXT NOT NULL,
  movie_id     BIGINT NOT NULL,
  rating_count BIGINT NOT NULL,
  rating_sum   DOUBLE PRECISION NOT NULL,
  rating_mean  DOUBLE PRECISION NOT NULL,
  first_rated  BIGINT NOT NULL,
  last_rated   BIGINT NOT NULL,
  PRIMARY KEY (run_id, movie_id)
) PARTITION BY LIST (run_id);

CREATE TABLE link (
  run_id       TEXT NOT NULL,
  movielens_id BIGINT NOT NULL,
  imdb_id      TEXT,
  tmdb_id      BIGINT NOT NULL,
  PRIMARY KEY (run_id, movielens_id)
) PARTITION BY LIST (run_id);
