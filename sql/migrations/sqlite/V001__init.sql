-- Marquee schema, version 1, SQLite. docs/STORAGE.md describes it.
-- Every snapshot table has the columns of its table::Schema (src/model/tables.cpp,
-- src/rollup/rollups.cpp) after a leading run_id; a run's rows are its snapshot.
-- Types: int64/int32 -> INTEGER, double -> REAL, bool -> INTEGER 0/1 (declared
-- BOOLEAN), string -> TEXT, date -> TEXT 'YYYY-MM-DD' (declared DATE).
-- Timestamps are UTC ISO-8601 text written by Marquee ('2024-05-01T12:00:00.000Z').

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
  id                INTEGER NOT NULL,
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
  budget            INTEGER NOT NULL,
  revenue           INTEGER NOT NULL,
  popularity        REAL,
  runtime           REAL,
  vote_average      REAL,
  vote_count        INTEGER,
  collection_id     INTEGER,
  PRIMARY KEY (run_id, id)
);

CREATE TABLE company (
  run_id TEXT NOT NULL,
  id     INTEGER NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (run_id, id)
);
-- Case-insensitive prefix search: name LIKE 'abc%' (LIKE is case-insensitive
-- for ASCII in SQLite, which is what lets it use a NOCASE index).
CREATE INDEX company_name ON company (run_id, name COLLATE NOCASE);

CREATE TABLE genre (
  run_id TEXT NOT NULL,
  id     INTEGER NOT NULL,
  name   TEXT NOT NULL,
  PRIMARY KEY (run_id, id)
);

CREATE TABLE country (
  run_id     TEXT NOT NULL,
  iso_3166_1 TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (run_id, iso_3166_1)
);

CREATE TABLE language (
  run_id    TEXT NOT NULL,
  iso_639_1 TEXT NOT NULL,
  name      TEXT NOT NULL,
  PRIMARY KEY (run_id, iso_639_1)
);

CREATE TABLE collection (
  run_id        TEXT NOT NULL,
  id            INTEGER NOT NULL,
  name          TEXT NOT NULL,
  poster_path   TEXT,
  backdrop_path TEXT,
  PRIMARY KEY (run_id, id)
);

CREATE TABLE movie_company (
  run_id     TEXT NOT NULL,
  movie_id   INTEGER NOT NULL,
  company_id INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (run_id, movie_id, company_id)
);
CREATE INDEX movie_company_company ON movie_company (run_id, company_id);

CREATE TABLE movie_genre (
  run_id   TEXT NOT NULL,
  movie_id INTEGER NOT NULL,
  genre_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (run_id, movie_id, genre_id)
);
CREATE INDEX movie_genre_genre ON movie_genre (run_id, genre_id);

CREATE TABLE movie_country (
  run_id     TEXT NOT NULL,
  movie_id   INTEGER NOT NULL,
  iso_3166_1 TEXT NOT NULL,
  PRIMARY KEY (run_id, movie_id, iso_3166_1)
);

CREATE TABLE movie_language (
  run_id    TEXT NOT NULL,
  movie_id  INTEGER NOT NULL,
  iso_639_1 TEXT NOT NULL,
  PRIMARY KEY (run_id, movie_id, iso_639_1)
);

CREATE TABLE company_year (
  run_id              TEXT NOT NULL,
  company_id          INTEGER NOT NULL,
  year                INTEGER NOT NULL,
  company_name        TEXT NOT NULL,
  movie_count         INTEGER NOT NULL,
  movies_with_budget  INTEGER NOT NULL,
  movies_with_revenue INTEGER NOT NULL,
  movies_with_both    INTEGER NOT NULL,
  budget              INTEGER NOT NULL,
  revenue             INTEGER NOT NULL,
  profit              INTEGER NOT NULL,
  budget_split        REAL NOT NULL,
  revenue_split       REAL NOT NULL,
  profit_split        REAL NOT NULL,
  average_popularity  REAL,
  PRIMARY KEY (run_id, company_id, year)
);

CREATE TABLE company_year_genre (
  run_id      TEXT NOT NULL,
  company_id  INTEGER NOT NULL,
  year        INTEGER NOT NULL,
  genre_id    INTEGER NOT NULL,
  genre_name  TEXT NOT NULL,
  movie_count INTEGER NOT NULL,
  PRIMARY KEY (run_id, company_id, year, genre_id)
);

CREATE TABLE genre_year (
  run_id                   TEXT NOT NULL,
  genre_id                 INTEGER NOT NULL,
  year                     INTEGER NOT NULL,
  genre_name               TEXT NOT NULL,
  movie_count              INTEGER NOT NULL,
  movies_with_budget       INTEGER NOT NULL,
  movies_with_revenue      INTEGER NOT NULL,
  movies_with_both         INTEGER NOT NULL,
  budget                   INTEGER NOT NULL,
  revenue                  INTEGER NOT NULL,
  profit                   INTEGER NOT NULL,
  popularity_total         REAL NOT NULL,
  popularity_average       REAL,
  vote_count_total         INTEGER NOT NULL,
  rank_by_popularity_total INTEGER NOT NULL,
  PRIMARY KEY (run_id, genre_id, year)
);
-- /v1/genres/most-popular reads one genre per year: rank 1 of each year.
CREATE INDEX genre_year_year ON genre_year (run_id, year, rank_by_popularity_total);
