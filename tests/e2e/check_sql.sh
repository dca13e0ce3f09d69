#!/bin/sh
# Runs sql/revenue_by_genre_by_year.sql on Marquee's normalized tables (movie,
# movie_genre, genre) in a temporary SQLite database and checks that it gives
# exactly genre_year's (genre_id, year, genre_name, revenue), in order.
#
# Usage: check_sql.sh MARQUEE_OUT_DIR [INPUT_CSV]
# Exit 0 on a match, 1 on a mismatch, 77 (skipped) when INPUT_CSV is given and
# absent (the end-to-end run had nothing to read). Needs the sqlite3 CLI.
set -eu

out_dir=${1:?usage: check_sql.sh MARQUEE_OUT_DIR [INPUT_CSV]}
if [ $# -ge 2 ] && [ ! -f "$2" ]; then
  echo "SKIPPED: input $2 is absent"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
sql_file=${MARQUEE_SQL_FILE:-$here/../../sql/revenue_by_genre_by_year.sql}
tables=$out_dir/tables
for table in movie movie_genre genre genre_year; do
  if [ ! -f "$tables/$table.csv" ]; then
    echo "FAILED: $tables/$table.csv is missing"
    exit 1
  fi
done
command -v sqlite3 >/dev/null || { echo "FAILED: the sqlite3 CLI is not installed"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/model.db

# .import --csv reads every value as text and cannot tell null (an unquoted
# empty field) from "": stage the text, then cast, with NULLIF for the
# nullable columns the query depends on (release_date, year).
sqlite3 -bail "$db" <<SQL
.import --csv "$tables/movie.csv" stage_movie
.import --csv "$tables/movie_genre.csv" stage_movie_genre
.import --csv "$tables/genre.csv" stage_genre
.import --csv "$tables/genre_year.csv" stage_genre_year
CREATE TABLE movie AS
  SELECT CAST(id AS INTEGER) AS id, NULLIF(release_date, '') AS release_date,
         CAST(NULLIF(year, '') AS INTEGER) AS year, CAST(revenue AS INTEGER) AS revenue
  FROM stage_movie;
CREATE TABLE movie_genre AS
  SELECT CAST(movie_id AS INTEGER) AS movie_id, CAST(genre_id AS INTEGER) AS genre_id,
         CAST(position AS INTEGER) AS position
  FROM stage_movie_genre;
CREATE TABLE genre AS SELECT CAST(id AS INTEGER) AS id, name FROM stage_genre;
CREATE TABLE genre_year AS
  SELECT CAST(genre_id AS INTEGER) AS genre_id, CAST(year AS INTEGER) AS year,
         genre_name, CAST(revenue AS INTEGER) AS revenue
  FROM stage_genre_year;
SQL

sqlite3 -bail -csv "$db" < "$sql_file" > "$work/from_sql.csv"
sqlite3 -bail -csv "$db" \
  "SELECT genre_id, year, genre_name, revenue FROM genre_year ORDER BY genre_id, year;" \
  > "$work/from_rollup.csv"

rows=$(wc -l < "$work/from_rollup.csv")
if [ "$rows" -eq 0 ]; then
  echo "FAILED: genre_year is empty, nothing to compare"
  exit 1
fi
if ! diff -u "$work/from_rollup.csv" "$work/from_sql.csv" > "$work/diff.txt"; then
  echo "FAILED: $(basename "$sql_file") differs from genre_year (- rollup, + sql):"
  head -n 40 "$work/diff.txt"
  exit 1
fi
echo "OK: $(basename "$sql_file") matches genre_year on $rows rows"
