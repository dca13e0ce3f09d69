-- Marquee schema, version 1, PostgreSQL 15. docs/STORAGE.md describes it.
-- Every snapshot table has the columns of its table::Schema (src/model/tables.cpp,
-- src/rollup/rollups.cpp) after a leading run_id, and is LIST-partitioned by
-- run_id: one partition per run, named "<table>:<run_id>", built and COPY-loaded
-- as a plain table, then attached (which readers do not wait for), and dropped
-- whole when the run is retired.
-- Types: int64 -> BIGINT, int32 -> INTEGER, double -> DOUBLE PRECISION,
-- bool -> BOOLEAN, string -> TEXT, date -> DATE.
-- Timestamps are UTC ISO-8601 text written by Marquee ('2024-05-01T12:00:00.000Z'),
-- the same on both backends.

-- status: 'loaded' (complete, servable with ?run=), 'published' (the one run
-- being served; exactly the run in `published`), 'retired' (data dropped by
-- retention; the row and its manifest stay as history).
CREATE TABLE runs (
  run_id       TEXT PRIMARY KEY,
  created_at   TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('loaded', 'published', 'retired')),
  manifest     TEXT,
  loaded_at    TEXT,
  published_at TEXT,
  retired_at   TEXT
);

-- The current-run pointer. Publishing rewrites this one row in the same
-- transaction as the runs' statuses; generation counts publishes.
CREATE TABLE published (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  run_id       TEXT NOT NULL REFERENCES runs (run_id),
  published_at TEXT NOT NULL,
  generation   INTEGER NOT NULL
);

CREATE TABLE movie (
  run_id            TEXT NOT NULL,
  id                BIGINT NOT NULL,
  imdb_id           TEXT,
  title             TEXT,
  original_title    TEXT,
  original_language TEXT,
  overview          TEXT,
  tagline           TEXT,
  homepage          TEXT,
  poster_path       TEXT,
  status            TEXT,
  adult             BOOLEAN,
  video             BOOLEAN,
  release_date      DATE,
  year              INTEGER,
  budget            BIGINT NOT NULL,
  revenue           BIGINT NOT NULL,
  popularity        DOUBLE PRECISION,
  runtime           DOUBLE PRECISION,
  vote_average      DOUBLE PRECISION,
  vote_count        BIGINT,
  collection_id     BIGINT,
  PRIMARY KEY (run_id, id)
) PARTITION BY LIST (run_id);

CREATE TABLE company (
  run_id TEXT NOT NULL,
  id     BIGINT NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (run_id, id)
) PARTITION BY LIST (run_id);
-- Case-insensitive prefix search: lower(name) LIKE lower($1) || '%'
-- (text_pattern_ops makes LIKE prefixes indexable whatever the collation).
CREATE INDEX company_name ON company (run_id, lower(name) text_pattern_ops);

CREATE TABLE genre (
  run_id TEXT NOT NULL,
  id     BIGINT NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (run_id, id)
) PARTITION BY LIST (run_id);

CREATE TABLE country (
  run_id     TEXT NOT NULL,
  iso_3166_1 TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (run_id, iso_3166_1)
) PARTITION BY LIST (run_id);

CREATE TABLE language (
  run_id    TEXT NOT NULL,
  iso_639_1 TEXT NOT NULL,
  name      TEXT NOT NULL,
  PRIMARY KEY (run_id, iso_639_1)
) PARTITION BY LIST (run_id);

CREATE TABLE collection (
  run_id        TEXT NOT NULL,
  id            BIGINT NOT NULL,
  name          TEXT NOT NULL,
  poster_path   TEXT,
  backdrop_path TEXT,
  PRIMARY KEY (run_id, id)
) PARTITION BY LIST (run_id);

CREATE TABLE movie_company (
  run_id     TEXT NOT NULL,
  movie_id   BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (run_id, movie_id, company_id)
) PARTITION BY LIST (run_id);
CREATE INDEX movie_company_company ON movie_company (run_id, company_id);

CREATE TABLE movie_genre (
  run_id   TEXT NOT NULL,
  movie_id BIGINT NOT NULL,
  genre_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (run_id, movie_id, genre_id)
) PARTITION BY LIST (run_id);
CREATE INDEX movie_genre_genre ON movie_genre (run_id, genre_id);

CREATE TABLE movie_country (
  run_id     TEXT NOT NULL,
  movie_id   BIGINT NOT NULL,
  iso_3166_1 TEXT NOT NULL,
  PRIMARY KEY (run_id, movie_id, iso_3166_1)
) PARTITION BY LIST (run_id);

CREATE TABLE movie_language (
  run_id    TEXT NOT NULL,
  movie_id  BIGINT NOT NULL,
  iso_639_1 TEXT NOT NULL,
  PRIMARY KEY (run_id, movie_id, iso_639_1)
) PARTITION BY LIST (run_id);

CREATE TABLE company_year (
  run_id              TEXT NOT NULL,
  company_id          BIGINT NOT NULL,
  year                INTEGER NOT NULL,
  company_name        TEXT NOT NULL,
  movie_count         BIGINT NOT NULL,
  movies_with_budget  BIGINT NOT NULL,
  movies_with_revenue BIGINT NOT NULL,
  movies_with_both    BIGINT NOT NULL,
  budget              BIGINT NOT NULL,
  revenue             BIGINT NOT NULL,
  profit              BIGINT NOT NULL,
  budget_split        DOUBLE PRECISION NOT NULL,
  revenue_split       DOUBLE PRECISION NOT NULL,
  profit_split        DOUBLE PRECISION NOT NULL,
  average_popularity  DOUBLE PRECISION,
  PRIMARY KEY (run_id, company_id, year)
) PARTITION BY LIST (run_id);

CREATE TABLE company_year_genre (
  run_id      TEXT NOT NULL,
  company_id  BIGINT NOT NULL,
  year        INTEGER NOT NULL,
  genre_id    BIGINT NOT NULL,
  genre_name  TEXT NOT NULL,
  movie_count BIGINT NOT NULL,
  PRIMARY KEY (run_id, company_id, year, genre_id)
) PARTITION BY LIST (run_id);

CREATE TABLE genre_year (
  run_id                   TEXT NOT NULL,
  genre_id                 BIGINT NOT NULL,
  year                     INTEGER NOT NULL,
  genre_name               TEXT NOT NULL,
  movie_count              BIGINT NOT NULL,
  movies_with_budget       BIGINT NOT NULL,
  movies_with_revenue      BIGINT NOT NULL,
  movies_with_both         BIGINT NOT NULL,
  budget                   BIGINT NOT NULL,
  revenue                  BIGINT NOT NULL,
  profit                   BIGINT NOT NULL,
  popularity_total         DOUBLE PRECISION NOT NULL,
  popularity_average       DOUBLE PRECISION,
  vote_count_total         BIGINT NOT NULL,
  rank_by_popularity_total INTEGER NOT NULL,
  PRIMARY KEY (run_id, genre_id, year)
) PARTITION BY LIST (run_id);
-- /v1/genres/most-popular reads one genre per year: rank 1 of each year.
CREATE INDEX genre_year_year ON genre_year (run_id, year, rank_by_popularity_total);
