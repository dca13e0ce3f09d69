-- Marquee's whole job (`marquee etl INPUT --out OUT`) as one DuckDB SQL script:
-- the baseline "DuckDB doing the same whole job in SQL" of issue 11.
--
-- Run it with bench/duckdb_job.mjs INPUT OUT, which substitutes __INPUT__ (the CSV)
-- and __OUT__ (the output directory; it creates __OUT__/tables) and runs the
-- statements in order on every core. Writes the same 13 tables as Marquee, as
-- Parquet with zstd, with Marquee's names, column names, types and row orders
-- (docs/DATA_MODEL.md), plus __OUT__/rejects.parquet (line, id, reason of each
-- rejected or duplicate record; Marquee's errors.jsonl keeps more).
--
-- What it does like Marquee (the rules of docs/DATA_MODEL.md, "How a record
-- becomes a movie", and docs/ERROR_LOG.md):
--   * columns found by header name; empty = null for text;
--   * rejects a row on the first failing rule, in the order id, budget,
--     revenue, popularity, release_date, with Marquee's strict grammars (ASCII
--     digits, no sign or spaces, no inf/nan, real calendar dates of years
--     0001-9999, plausibility ceilings 10^12 for money and 10^9 for popularity);
--   * revenue rounded half away from zero exactly, from its decimal digits;
--   * runtime/vote_average/vote_count/adult/video nulled when malformed;
--   * duplicate ids: the first accepted occurrence wins (a rejected row never
--     wins over a later valid one);
--   * literal lists: entries extracted with regular expressions, distinct by
--     key within a movie (first listing kept; position = 0-based rank among
--     the distinct entries), dimensions keep the first name seen;
--   * rollups exactly as docs/DATA_MODEL.md "Rollups" defines them, with
--     compensated summation (fsum) for doubles.
--
-- Where it deviates (approximations). None of them changes a value on the real
-- sample movies_metadata.head.csv: all 13 tables equal Marquee's there, row by
-- row (tests/bench_check, ctest bench_duckdb_job_equals_marquee), and at 10x
-- (bench/scale_sample.py).
--   * CSV: DuckDB's reader with strict_mode = false, ignore_errors = true (the
--     strict reader gives up sniffing a file with broken records). A record
--     split over two lines by a line break in an unquoted field is dropped
--     (Marquee joins it back: `repaired`); a record with too many fields is read
--     as its first 24 fields and the record after it is lost (Marquee rejects
--     the first physical line, `field_count`, and resyncs). On `marquee generate
--     --defects` data (20,000 records, 20 of each defect) those 40 movies are
--     the only ones that differ (and source_line, after the first of them);
--     the salvaged literals agree. Ill-formed UTF-8 is DuckDB's business
--     (Marquee replaces the bytes by U+FFFD and warns).
--   * Literals are matched with regular expressions, not parsed: every
--     well-formed entry `{'id': N, 'name': S}` (genres, collection),
--     `{'name': S, 'id': N}` (companies) or `{'iso_...': S, 'name': S}` is
--     kept, in the key order the dataset uses; an entry with another key order
--     or extra keys is skipped, and well-formed entries after garbage are kept
--     (Marquee keeps those before the garbage and drops the rest). String
--     escapes: only \' \" \\ are undone (Marquee decodes all of Python's:
--     \n, \xNN, \uNNNN, ...). None of this occurs in the real sample.
--   * source_line = record number + 1 + line breaks inside the overview and
--     tagline of the earlier records (in the real sample only overviews hold
--     line breaks); wrong after a dropped or split record, or if another text
--     field holds a line break.
--   * No errors.jsonl, manifest.json or warnings (rejects.parquet only), no
--     --max-reject-ratio (a job with too many rejects still writes its
--     tables), no overflow check on sums (they cannot overflow below 9.2
--     million movies at the ceilings).
--   * Doubles: DuckDB's fsum (compensated) instead of Neumaier's; genre_year's
--     popularity_total is summed in input order like Marquee's (its rank
--     breaks exact ties by genre_id, so the order matters), the _split sums and
--     average_popularity are not, so they may differ in the last bits.

SET preserve_insertion_order = true;

-- 1. Parse and validate: one pass over the CSV, every column as text. The
--    regular expressions are Marquee's strict number grammar
--    (src/model/numbers.hpp): digits ['.' digits] [e [+-] digits].
CREATE TEMP TABLE parsed AS
WITH csv AS (
  SELECT row_number() OVER () AS rn, *
  FROM read_csv('__INPUT__', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
                strict_mode = false,
                ignore_errors = true, max_line_size = 16777216)
), typed AS (
  SELECT
    rn,
    id AS id_text,
    TRY_CAST(id AS BIGINT) AS id,
    regexp_full_match(coalesce(id, ''), '[0-9]+') AS id_ok,
    TRY_CAST(budget AS BIGINT) AS budget,
    regexp_full_match(coalesce(budget, ''), '[0-9]+') AS budget_digits,
    -- revenue: plain decimals are rounded from their digits (exact); an exponent
    -- form goes through a double.
    CASE
      WHEN regexp_full_match(coalesce(revenue, ''), '[0-9]+(\.[0-9]+)?')
        THEN TRY_CAST(split_part(revenue, '.', 1) AS BIGINT)
             + CASE WHEN substr(split_part(revenue, '.', 2), 1, 1) >= '5' THEN 1 ELSE 0 END
      WHEN regexp_full_match(coalesce(revenue, ''), '[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+')
        THEN TRY_CAST(round(TRY_CAST(revenue AS DOUBLE)) AS BIGINT)
    END AS revenue,
    CASE WHEN regexp_full_match(popularity, '[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?')
         THEN TRY_CAST(popularity AS DOUBLE) END AS popularity,
    popularity IS NULL OR popularity = '' AS popularity_empty,
    CASE WHEN regexp_full_match(release_date, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND release_date >= '0001'
         THEN TRY_CAST(release_date AS DATE) END AS release_date,
    release_date IS NULL OR release_date = '' AS release_date_empty,
    CASE WHEN regexp_full_match(runtime, '[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?')
         THEN TRY_CAST(runtime AS DOUBLE) END AS runtime,
    CASE WHEN regexp_full_match(vote_average, '[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?')
         THEN TRY_CAST(vote_average AS DOUBLE) END AS vote_average,
    CASE WHEN regexp_full_match(vote_count, '[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?')
         THEN TRY_CAST(vote_count AS DOUBLE) END AS vote_count_double,
    CASE adult WHEN 'True' THEN true WHEN 'False' THEN false END AS adult,
    CASE video WHEN 'True' THEN true WHEN 'False' THEN false END AS video,
    nullif(imdb_id, '') AS imdb_id, nullif(title, '') AS title,
    nullif(original_title, '') AS original_title, nullif(original_language, '') AS original_language,
    nullif(overview, '') AS overview, nullif(tagline, '') AS tagline, nullif(homepage, '') AS homepage,
    nullif(poster_path, '') AS poster_path, nullif(status, '') AS status,
    -- The Python-literal columns, extracted in the same pass: one regular
    -- expression per list gives (key, name) structs (companies list the name
    -- first); ids must be positive (the API addresses companies and genres by
    -- id). Only these lists are kept, not the literal text.
    list_filter(regexp_extract_all(genres,
        '\{''id'': (\d+), ''name'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*")\}', ['key', 'name']),
      lambda e: TRY_CAST(e.key AS BIGINT) > 0) AS genre_list,
    list_filter(regexp_extract_all(production_companies,
        '\{''name'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"), ''id'': (\d+)\}', ['name', 'key']),
      lambda e: TRY_CAST(e.key AS BIGINT) > 0) AS company_list,
    regexp_extract_all(production_countries,
      '\{''iso_3166_1'': ''([^''\\]+)'', ''name'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*")\}', ['key', 'name']) AS country_list,
    regexp_extract_all(spoken_languages,
      '\{''iso_639_1'': ''([^''\\]+)'', ''name'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*")\}', ['key', 'name']) AS language_list,
    CASE WHEN belongs_to_collection IS NOT NULL THEN regexp_extract(belongs_to_collection,
      '^\{''id'': (\d+), ''name'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"), ''poster_path'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|None), ''backdrop_path'': (''(?:[^''\\]|\\.)*''|"(?:[^"\\]|\\.)*"|None)\}$',
      ['id', 'name', 'poster', 'backdrop']) END AS collection,
    -- line breaks inside quoted fields, for source_line
    length(overview) - length(replace(overview, chr(10), '')) AS nl_overview,
    length(tagline) - length(replace(tagline, chr(10), '')) AS nl_tagline
  FROM csv
)
SELECT
  * EXCLUDE (id_ok, budget_digits, popularity_empty, release_date_empty, vote_count_double,
             nl_overview, nl_tagline),
  CASE WHEN isfinite(vote_count_double) AND vote_count_double = floor(vote_count_double)
            AND vote_count_double <= 1e9
       THEN CAST(vote_count_double AS BIGINT) END AS vote_count,
  coalesce(nl_overview, 0) + coalesce(nl_tagline, 0) AS nl,
  CASE
    WHEN NOT id_ok OR id IS NULL OR id = 0 THEN 'invalid_id'
    WHEN NOT budget_digits OR budget IS NULL OR budget > 1000000000000 THEN 'invalid_budget'
    WHEN revenue IS NULL OR revenue > 1000000000000 THEN 'invalid_revenue'
    WHEN NOT popularity_empty AND (popularity IS NULL OR NOT isfinite(popularity) OR popularity > 1e9)
      THEN 'invalid_popularity'
    WHEN NOT release_date_empty AND release_date IS NULL THEN 'invalid_release_date'
  END AS reason
FROM typed;

-- 2. Physical lines (a narrow running sum), then which records are kept: the
--    valid ones, first accepted occurrence of each id. Narrow tables; `kept` is
--    a view, so each later statement reads only the columns it needs.
CREATE TEMP TABLE lines AS
SELECT rn, CAST(rn + 1 + coalesce(sum(nl) OVER (ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS line
FROM parsed;

CREATE TEMP TABLE keep AS
WITH firsts AS (
  SELECT min(rn) AS rn FROM parsed WHERE reason IS NULL GROUP BY id
)
SELECT l.rn, l.line FROM lines l SEMI JOIN firsts f ON f.rn = l.rn;

CREATE VIEW kept AS
SELECT p.*, k.line,
       CAST(nullif(p.collection.id, '') AS BIGINT) AS collection_id
FROM parsed p JOIN keep k USING (rn);

COPY (
  SELECT l.line, p.id_text AS id, coalesce(p.reason, 'duplicate_id') AS reason
  FROM parsed p JOIN lines l ON l.rn = p.rn
  WHERE p.rn NOT IN (SELECT rn FROM keep)
  ORDER BY p.rn
) TO '__OUT__/rejects.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 3. The literal lists of the kept movies, distinct by key within a movie,
--    first listing kept, in order (position = 0-based index in the distinct
--    list): list functions, row by row, no join, no sort. Names: quotes
--    stripped, \' \" \\ undone.
CREATE MACRO py_str(s) AS
  CASE WHEN contains(s, '\') THEN regexp_replace(substr(s, 2, length(s) - 2), '\\(.)', '\1', 'g')
       ELSE substr(s, 2, length(s) - 2) END;
CREATE MACRO first_by_key(l) AS
  list_filter(l, lambda e, i: list_position(list_transform(l, lambda x: x.key), e.key) = i);

CREATE TEMP TABLE lists AS
SELECT rn, id AS movie_id, CAST(year(release_date) AS INTEGER) AS year,
       first_by_key(genre_list) AS g, first_by_key(company_list) AS c,
       first_by_key(country_list) AS n, first_by_key(language_list) AS l
FROM kept;

-- The two bridges the rollups use, exploded once.
CREATE TEMP TABLE mg AS
SELECT rn, movie_id, year, CAST(e.key AS BIGINT) AS genre_id, py_str(e.name) AS name, position
FROM (SELECT rn, movie_id, year, unnest(g) AS e, CAST(generate_subscripts(g, 1) - 1 AS INTEGER) AS position FROM lists);
CREATE TEMP TABLE mc AS
SELECT rn, movie_id, year, CAST(e.key AS BIGINT) AS company_id, py_str(e.name) AS name, position,
       n_companies
FROM (SELECT rn, movie_id, year, unnest(c) AS e, CAST(generate_subscripts(c, 1) - 1 AS INTEGER) AS position,
             len(c) AS n_companies FROM lists);

-- 4. The normalized tables.
COPY (
  SELECT id, imdb_id, title, original_title, original_language, overview, tagline, homepage,
         poster_path, status, adult, video, release_date, CAST(year(release_date) AS INTEGER) AS year,
         budget, revenue, popularity, runtime, vote_average, vote_count, collection_id,
         regexp_extract('__INPUT__', '[^/]*$') AS source_file, line AS source_line
  FROM kept ORDER BY rn
) TO '__OUT__/tables/movie.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (SELECT movie_id, company_id, position FROM mc ORDER BY rn, position)
  TO '__OUT__/tables/movie_company.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT movie_id, genre_id, position FROM mg ORDER BY rn, position)
  TO '__OUT__/tables/movie_genre.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
  SELECT movie_id, e.key AS iso_3166_1
  FROM (SELECT rn, movie_id, unnest(n) AS e, generate_subscripts(n, 1) AS position FROM lists)
  ORDER BY rn, position
) TO '__OUT__/tables/movie_country.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
  SELECT movie_id, e.key AS iso_639_1
  FROM (SELECT rn, movie_id, unnest(l) AS e, generate_subscripts(l, 1) AS position FROM lists)
  ORDER BY rn, position
) TO '__OUT__/tables/movie_language.parquet' (FORMAT parquet, COMPRESSION zstd);

-- Dimensions: the first name seen (earliest kept movie; keys are distinct
-- within a movie).
CREATE TEMP TABLE company AS SELECT company_id AS id, arg_min(name, rn) AS name FROM mc GROUP BY company_id;
CREATE TEMP TABLE genre AS SELECT genre_id AS id, arg_min(name, rn) AS name FROM mg GROUP BY genre_id;
COPY (SELECT * FROM company ORDER BY id) TO '__OUT__/tables/company.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (SELECT * FROM genre ORDER BY id) TO '__OUT__/tables/genre.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
  SELECT e.key AS iso_3166_1, arg_min(py_str(e.name), rn) AS name
  FROM (SELECT rn, unnest(n) AS e FROM lists) GROUP BY e.key ORDER BY iso_3166_1
) TO '__OUT__/tables/country.parquet' (FORMAT parquet, COMPRESSION zstd);
COPY (
  SELECT e.key AS iso_639_1, arg_min(py_str(e.name), rn) AS name
  FROM (SELECT rn, unnest(l) AS e FROM lists) GROUP BY e.key ORDER BY iso_639_1
) TO '__OUT__/tables/language.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT collection_id AS id,
         arg_min(py_str(collection.name), rn) AS name,
         arg_min(CASE WHEN collection.poster <> 'None' THEN py_str(collection.poster) END, rn) AS poster_path,
         arg_min(CASE WHEN collection.backdrop <> 'None' THEN py_str(collection.backdrop) END, rn) AS backdrop_path
  FROM kept WHERE collection_id IS NOT NULL GROUP BY collection_id ORDER BY id
) TO '__OUT__/tables/collection.parquet' (FORMAT parquet, COMPRESSION zstd);

-- 5. The rollups: only movies with a release date; whole-movie credit, known
--    money = > 0, and the _split columns share a movie among its N companies.
CREATE TEMP TABLE facts AS
SELECT rn, CAST(year(release_date) AS INTEGER) AS year, budget, revenue, popularity,
       coalesce(vote_count, 0) AS vote_count,
       budget > 0 AS has_budget, revenue > 0 AS has_revenue, budget > 0 AND revenue > 0 AS has_both
FROM kept WHERE release_date IS NOT NULL;

COPY (
  SELECT mc.company_id, f.year, any_value(d.name) AS company_name,
         count(*) AS movie_count,
         count(*) FILTER (f.has_budget) AS movies_with_budget,
         count(*) FILTER (f.has_revenue) AS movies_with_revenue,
         count(*) FILTER (f.has_both) AS movies_with_both,
         CAST(sum(f.budget) AS BIGINT) AS budget,
         CAST(sum(f.revenue) AS BIGINT) AS revenue,
         CAST(coalesce(sum(f.revenue - f.budget) FILTER (f.has_both), 0) AS BIGINT) AS profit,
         fsum(f.budget / mc.n_companies) AS budget_split,
         fsum(f.revenue / mc.n_companies) AS revenue_split,
         coalesce(fsum((f.revenue - f.budget) / mc.n_companies) FILTER (f.has_both), 0) AS profit_split,
         fsum(f.popularity) / count(f.popularity) AS average_popularity,
         -- The audience-rating columns (issue 16) are null in a run without ratings,
         -- and this job, like `marquee etl FILE`, reads none.
         CAST(NULL AS BIGINT) AS rating_count, CAST(NULL AS DOUBLE) AS rating_mean
  FROM mc JOIN facts f USING (rn) JOIN company d ON d.id = mc.company_id
  GROUP BY mc.company_id, f.year
  ORDER BY mc.company_id, f.year
) TO '__OUT__/tables/company_year.parquet' (FORMAT parquet, COMPRESSION zstd);

-- popularity_total is summed in input order (ORDER BY rn), as Marquee does:
-- genres listed on the same movies then get bit-identical totals, and the
-- rank's tie-break (lower genre_id first) is Marquee's.
COPY (
  WITH gy AS (
    SELECT mg.genre_id, f.year, any_value(d.name) AS genre_name,
           count(*) AS movie_count,
           count(*) FILTER (f.has_budget) AS movies_with_budget,
           count(*) FILTER (f.has_revenue) AS movies_with_revenue,
           count(*) FILTER (f.has_both) AS movies_with_both,
           CAST(sum(f.budget) AS BIGINT) AS budget,
           CAST(sum(f.revenue) AS BIGINT) AS revenue,
           CAST(coalesce(sum(f.revenue - f.budget) FILTER (f.has_both), 0) AS BIGINT) AS profit,
           coalesce(fsum(f.popularity ORDER BY f.rn), 0) AS popularity_total,
           count(f.popularity) AS n_popularity,
           CAST(sum(f.vote_count) AS BIGINT) AS vote_count_total
    FROM mg JOIN facts f USING (rn) JOIN genre d ON d.id = mg.genre_id
    GROUP BY mg.genre_id, f.year
  )
  SELECT genre_id, year, genre_name, movie_count, movies_with_budget, movies_with_revenue,
         movies_with_both, budget, revenue, profit, popularity_total,
         CASE WHEN n_popularity > 0 THEN popularity_total / n_popularity END AS popularity_average,
         vote_count_total,
         CAST(row_number() OVER (PARTITION BY year ORDER BY popularity_total DESC, genre_id) AS INTEGER)
           AS rank_by_popularity_total,
         CAST(NULL AS BIGINT) AS rating_count, CAST(NULL AS DOUBLE) AS rating_mean
  FROM gy ORDER BY genre_id, year
) TO '__OUT__/tables/genre_year.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
  SELECT mc.company_id, mc.year, mg.genre_id, any_value(d.name) AS genre_name, count(*) AS movie_count
  FROM mc JOIN mg USING (rn) JOIN genre d ON d.id = mg.genre_id
  WHERE mc.year IS NOT NULL
  GROUP BY mc.company_id, mc.year, mg.genre_id
  ORDER BY mc.company_id, mc.year, mg.genre_id
) TO '__OUT__/tables/company_year_genre.parquet' (FORMAT parquet, COMPRESSION zstd);
