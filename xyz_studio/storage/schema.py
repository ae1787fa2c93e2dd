"""The store's tables, and bringing a database of any earlier version up to this one.

Every change is made in one transaction (a kill half way leaves the old version as it was),
each step only if still needed: another process may have upgraded the file meanwhile.
"""
from __future__ import annotations

import sqlite3

# PRAGMA user_version; 1 (no version set) spelled cells.idx and experiments.workflow; 2 had no
# cells.metrics, cells.tracked nor experiments.tracking; 3 had no cells.worker; 4 no
# experiments.super_grids; 5 counted an experiment's cells by scanning them (no cell_counts)
SCHEMA_VERSION = 6

_TABLES = (
    """CREATE TABLE IF NOT EXISTS experiments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL,
    dry_run INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL,
    plan TEXT NOT NULL,
    options TEXT NOT NULL,
    source TEXT,
    final_prompt_id TEXT,
    grids TEXT NOT NULL DEFAULT '[]',
    tracking TEXT, super_grids TEXT NOT NULL DEFAULT '[]'
)""",
    """CREATE TABLE IF NOT EXISTS cells (
    experiment_id TEXT NOT NULL REFERENCES experiments(id),
    "index" INTEGER NOT NULL,
    x INTEGER NOT NULL, y INTEGER NOT NULL, z INTEGER NOT NULL,
    run_order INTEGER NOT NULL,
    status TEXT NOT NULL,
    prompt_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    started_at REAL, finished_at REAL, seconds REAL,
    files TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    metrics TEXT NOT NULL DEFAULT '{}',
    tracked INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    PRIMARY KEY (experiment_id, "index")
)""",
    "CREATE INDEX IF NOT EXISTS cells_by_prompt ON cells(prompt_id)",
    # the queued cells before a saved one come from this index, not every whole row
    "CREATE INDEX IF NOT EXISTS cells_by_status ON cells(experiment_id, status, run_order)",
    "CREATE INDEX IF NOT EXISTS experiments_by_created ON experiments(created)",
    "CREATE INDEX IF NOT EXISTS experiments_by_workflow ON experiments(json_extract(source, '$.workflow.id'), created)",
)

# How many of an experiment's cells are in each status, kept by triggers in the same
# transaction as the change of a cell: every saved cell reads its experiment's counts, and
# counting 2,000 cells' rows for each of them cost ComfyUI's worker half a millisecond a cell.
# Triggers (not the pack's Python) keep them, so every writer of the file keeps them right:
# another process, an older version of the pack, a hand edit.
_COUNTS_TABLE = """CREATE TABLE cell_counts (
    experiment_id TEXT NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, status)
) WITHOUT ROWID"""
_COUNT_IN = ("INSERT INTO cell_counts VALUES (NEW.experiment_id, NEW.status, 1)"
             " ON CONFLICT (experiment_id, status) DO UPDATE SET n = n + 1;")
_COUNT_OUT = ("UPDATE cell_counts SET n = n - 1 WHERE experiment_id = OLD.experiment_id AND status = OLD.status;"
              " DELETE FROM cell_counts WHERE experiment_id = OLD.experiment_id AND status = OLD.status AND n = 0;")
_COUNT_TRIGGERS = (
    f"CREATE TRIGGER cell_counted AFTER INSERT ON cells BEGIN {_COUNT_IN} END",
    "CREATE TRIGGER cell_recounted AFTER UPDATE OF status, experiment_id ON cells"
    " WHEN OLD.status IS NOT NEW.status OR OLD.experiment_id IS NOT NEW.experiment_id"
    f" BEGIN {_COUNT_OUT} {_COUNT_IN} END",
    f"CREATE TRIGGER cell_uncounted AFTER DELETE ON cells BEGIN {_COUNT_OUT} END",
)
_FIRST_COUNT = ("INSERT INTO cell_counts (experiment_id, status, n)"
                " SELECT experiment_id, status, COUNT(*) FROM cells GROUP BY experiment_id, status")

# Version 1 databases: the same tables with two columns spelled differently (the extra
# unused columns they have, client_id and queued_at, are nullable and left alone).
_RENAMED_IN_2 = (("cells", "idx", 'ALTER TABLE cells RENAME COLUMN idx TO "index"'),
                 ("experiments", "workflow", "ALTER TABLE experiments RENAME COLUMN workflow TO source"))
_ADDED_LATER = (("cells", "metrics", "ALTER TABLE cells ADD COLUMN metrics TEXT NOT NULL DEFAULT '{}'"),
                ("cells", "tracked", "ALTER TABLE cells ADD COLUMN tracked INTEGER NOT NULL DEFAULT 0"),
                ("experiments", "tracking", "ALTER TABLE experiments ADD COLUMN tracking TEXT"),
                ("cells", "worker", "ALTER TABLE cells ADD COLUMN worker TEXT"),
                ("experiments", "super_grids", "ALTER TABLE experiments ADD super_grids TEXT NOT NULL DEFAULT '[]'"))


def bring_up_to_date(conn: sqlite3.Connection) -> None:
    """Create the tables of a new database, or upgrade an older one to SCHEMA_VERSION."""
    if _version(conn) >= SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _version(conn) < SCHEMA_VERSION:  # not upgraded by another process while we waited
            _upgrade(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _upgrade(conn: sqlite3.Connection) -> None:
    present = {table: {r[1] for r in conn.execute(f"PRAGMA table_info({table})")} for table in ("cells", "experiments")}
    for table, old, statement in _RENAMED_IN_2:
        if old in present[table]:
            conn.execute(statement)
    for table, column, statement in _ADDED_LATER:
        if present[table] and column not in present[table]:
            conn.execute(statement)
    for statement in _TABLES:
        conn.execute(statement)
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cell_counts'").fetchone():
        conn.execute(_COUNTS_TABLE)
        conn.execute(_FIRST_COUNT)  # the cells already there, before the triggers count the changes
        for statement in _COUNT_TRIGGERS:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
