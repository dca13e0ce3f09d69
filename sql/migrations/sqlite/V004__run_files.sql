-- One database file per run (docs/STORAGE.md, "SQLite: a file per run").
-- storage says where a run's snapshot tables are: 'shared' in this
-- database's tables, keyed by run_id (every run loaded before this
-- migration), or 'file' in DATA_DIR/marquee.db.runs/<run_id>.sqlite, a file
-- of its own that readers attach and retirement deletes. The tables here stay
-- the definition a run file's tables are made from, and hold the rows of
-- 'shared' runs.
ALTER TABLE runs ADD COLUMN storage TEXT NOT NULL DEFAULT 'shared' CHECK (storage IN ('shared', 'file'));
