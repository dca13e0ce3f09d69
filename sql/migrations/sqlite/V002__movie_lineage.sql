-- Lineage on the movie table (schema version 2, docs/DATA_MODEL.md): the
-- input file's name and the first physical line of the record each movie came
-- from. Nullable here only because runs loaded before this migration lack
-- them; every run written by schema version 2 fills both.
ALTER TABLE movie ADD COLUMN source_file TEXT;
ALTER TABLE movie ADD COLUMN source_line INTEGER;
