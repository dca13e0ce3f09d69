-- Indexes per partition, without run_id (docs/STORAGE.md, "PostgreSQL:
-- loading a run"). A partition holds exactly one run, so a key without
-- run_id is exactly as unique within the run as (run_id, key) was, and every
-- read query names one run, so the planner prunes to that run's partition
-- before choosing an index. Leading with the run_id text made each index
-- comparison start with a 23-byte collated string compare that is always
-- equal: building movie_genre's key took 1.75 s with it, 0.5 s without
-- (100x real-shaped, docs/BENCHMARKS.md). The loader builds these after the
-- COPY, before ATTACH; the parent tables carry no indexes.

-- The indexes of one partition of `parent`: the one definition of them, used
-- by loads and by this migration for the runs loaded before it.
CREATE FUNCTION marquee_index_partition(parent text, part text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  CASE parent
    WHEN 'movie', 'genre', 'collection' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (id)', part);
    WHEN 'company' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (id)', part);
      -- Case-insensitive prefix search: lower(name) LIKE lower('abc%').
      EXECUTE format('CREATE INDEX ON %I (lower(name) text_pattern_ops)', part);
    WHEN 'country' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (iso_3166_1)', part);
    WHEN 'language' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (iso_639_1)', part);
    WHEN 'movie_company' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movie_id, company_id)', part);
      EXECUTE format('CREATE INDEX ON %I (company_id)', part);
    WHEN 'movie_genre' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movie_id, genre_id)', part);
      EXECUTE format('CREATE INDEX ON %I (genre_id)', part);
    WHEN 'movie_country' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movie_id, iso_3166_1)', part);
    WHEN 'movie_language' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movie_id, iso_639_1)', part);
    WHEN 'company_year' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (company_id, year)', part);
    WHEN 'company_year_genre' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (company_id, year, genre_id)', part);
    WHEN 'genre_year' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (genre_id, year)', part);
      EXECUTE format('CREATE INDEX ON %I (year, rank_by_popularity_total)', part);
    WHEN 'movie_rating' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movie_id)', part);
    WHEN 'link' THEN
      EXECUTE format('CREATE UNIQUE INDEX ON %I (movielens_id)', part);
    ELSE
      RAISE EXCEPTION 'marquee_index_partition: no indexes are defined for table %', parent;
  END CASE;
END
$$;

-- Dropping the parents' keys and indexes drops those of every partition.
ALTER TABLE movie DROP CONSTRAINT movie_pkey;
ALTER TABLE company DROP CONSTRAINT company_pkey;
ALTER TABLE genre DROP CONSTRAINT genre_pkey;
ALTER TABLE country DROP CONSTRAINT country_pkey;
ALTER TABLE language DROP CONSTRAINT language_pkey;
ALTER TABLE collection DROP CONSTRAINT collection_pkey;
ALTER TABLE movie_company DROP CONSTRAINT movie_company_pkey;
ALTER TABLE movie_genre DROP CONSTRAINT movie_genre_pkey;
ALTER TABLE movie_country DROP CONSTRAINT movie_country_pkey;
ALTER TABLE movie_language DROP CONSTRAINT movie_language_pkey;
ALTER TABLE company_year DROP CONSTRAINT company_year_pkey;
ALTER TABLE company_year_genre DROP CONSTRAINT company_year_genre_pkey;
ALTER TABLE genre_year DROP CONSTRAINT genre_year_pkey;
ALTER TABLE movie_rating DROP CONSTRAINT movie_rating_pkey;
ALTER TABLE link DROP CONSTRAINT link_pkey;
DROP INDEX company_name;
DROP INDEX movie_company_company;
DROP INDEX movie_genre_genre;
DROP INDEX genre_year_year;

-- The partitions of runs loaded before this migration get the new indexes.
DO $$
DECLARE
  p record;
BEGIN
  FOR p IN
    SELECT parent.relname AS parent, child.relname AS child
    FROM pg_inherits i
    JOIN pg_class parent ON parent.oid = i.inhparent
    JOIN pg_class child ON child.oid = i.inhrelid
    WHERE parent.relnamespace = current_schema()::regnamespace
  LOOP
    PERFORM marquee_index_partition(p.parent, p.child);
  END LOOP;
END
$$;
