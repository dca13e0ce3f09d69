-- Audience ratings (schema version 3, docs/DATA_MODEL.md, "Audience
-- ratings"): the rollups' rating_count and rating_mean, null for runs
-- without ratings (and for every run loaded before this migration), and the
-- movie_rating and link tables of runs that read ratings.csv and links.csv.
ALTER TABLE company_year ADD COLUMN rating_count INTEGER;
ALTER TABLE company_year ADD COLUMN rating_mean REAL;
ALTER TABLE genre_year ADD COLUMN rating_count INTEGER;
ALTER TABLE genre_year ADD COLUMN rating_mean REAL;

CREATE TABLE movie_rating (
  run_id       TEXT NOT NULL,
  movie_id     INTEGER NOT NULL,
  rating_count INTEGER NOT NULL,
  rating_sum   REAL NOT NULL,
  rating_mean  REAL NOT NULL,
  first_rated  INTEGER NOT NULL,
  last_rated   INTEGER NOT NULL,
  PRIMARY KEY (run_id, movie_id)
);

CREATE TABLE link (
  run_id       TEXT NOT NULL,
  movielens_id INTEGER NOT NULL,
  imdb_id      TEXT,
  tmdb_id      INTEGER NOT NULL,
  PRIMARY KEY (run_id, movielens_id)
);
