-- Lineage on the movie table (schema version 2, docs/DATA_MODEL.md): the
-- input file's name and the first physical line of the record each movie came
-- from. Added to the partitioned parent, so every partition (existing runs:
-- NULL; runs of schema version 2: filled) has them.
ALTER TABLE movie ADD COLUMN source_file TEXT, ADD COLUMN source_line BIGINT;
