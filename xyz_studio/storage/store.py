"""The durable experiment store: one SQLite database (WAL) beside the experiments.

Why SQLite: each cell's status is one small transaction committed the moment the
cell is saved; WAL keeps readers (routes, the runner) from blocking the writer (the
ComfyUI worker thread); a process killed at any instant leaves the last committed
state intact. It is the single source for history, resume, the headless runner
and the frontend; manifest.json files are snapshots written from it.
Each thread keeps its own connection (see _connect), so any thread may use the store.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

DB_NAME = "studio.sqlite3"

EXPERIMENT_STATUSES = ("running", "complete", "cancelled", "planned", "interrupted")
CELL_STATUSES = ("queued", "done", "failed", "cancelled", "planned")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS experiments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL,
    dry_run INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL,
    client_id TEXT,
    plan TEXT NOT NULL,
    options TEXT NOT NULL,
    workflow TEXT,
    final_prompt_id TEXT,
    grids TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS cells (
    experiment_id TEXT NOT NULL REFERENCES experiments(id),
    idx INTEGER NOT NULL,
    x INTEGER NOT NULL, y INTEGER NOT NULL, z INTEGER NOT NULL,
    run_order INTEGER NOT NULL,
    status TEXT NOT NULL,
    prompt_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at REAL, started_at REAL, finished_at REAL, seconds REAL,
    files TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    PRIMARY KEY (experiment_id, idx)
);
CREATE INDEX IF NOT EXISTS cells_by_prompt ON cells(prompt_id);
CREATE INDEX IF NOT EXISTS experiments_by_created ON experiments(created);
"""

_JSON_FIELDS = {"plan", "options", "workflow", "grids", "files"}


# Databases whose schema and WAL mode this process has already set up (by file path):
# a store object is cheap and made per request, the set-up is done once per process.
_prepared: set[str] = set()
_prepare_lock = threading.Lock()
_local = threading.local()


class ExperimentStore:
    """Experiments and their cells under one root folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / DB_NAME

    def _prepare(self, conn: sqlite3.Connection) -> None:
        key = str(self.path.resolve())
        if key in _prepared and self.path.exists():
            return
        with _prepare_lock:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(_SCHEMA)
            _prepared.add(key)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection to the database (kept open: closing the last
        connection of a WAL database checkpoints it, which would cost every cell)."""
        key = str(self.path)
        cached = getattr(_local, "connections", None)
        if cached is None:
            cached = _local.connections = {}
        conn = cached.get(key)
        if conn is not None and not self.path.exists():  # the folder was deleted under us
            conn.close()
            conn = None
        if conn is None:
            self.root.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 30000")
            self._prepare(conn)
            # NORMAL in WAL mode survives a killed process; only a power cut may lose the last commit.
            conn.execute("PRAGMA synchronous = NORMAL")
            cached[key] = conn
        yield conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- writing ---------------------------------------------------------------------

    def create(self, experiment_id: str, name: str, plan: dict, options: dict, workflow: Any,
               client_id: str | None, cells: list[dict], dry_run: bool) -> None:
        """Record a new experiment and all its cells in one transaction."""
        now = time.time()
        status = "planned" if dry_run else "running"
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO experiments (id, name, created, updated, status, dry_run, total, client_id, plan,"
                " options, workflow) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (experiment_id, name, now, now, status, int(dry_run), len(cells), client_id,
                 json.dumps(plan), json.dumps(options), json.dumps(workflow) if workflow is not None else None),
            )
            conn.executemany(
                "INSERT INTO cells (experiment_id, idx, x, y, z, run_order, status, prompt_id, queued_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [(experiment_id, c["index"], c["x"], c["y"], c["z"], c["run_order"],
                  "planned" if dry_run else "queued", c.get("prompt_id"), now) for c in cells],
            )

    def update_cell(self, experiment_id: str, index: int, **fields: Any) -> None:
        self._update("cells", "experiment_id = ? AND idx = ?", (experiment_id, index), fields)

    def finish_cell(self, experiment_id: str, index: int, files: list[str],
                    run_order: int | None = None) -> tuple[dict[str, int], list[int]]:
        """Mark a cell done with its files, in one connection.

        Returns the experiment's counts and the still-queued cells meant to run before
        `run_order`: in a FIFO queue those have ended without saving (failed).
        """
        with self._connect() as conn:
            changed = conn.execute(
                "UPDATE cells SET status = 'done', files = ?, finished_at = ?, error = NULL"
                " WHERE experiment_id = ? AND idx = ?", (json.dumps(files), time.time(), experiment_id, index))
            if changed.rowcount != 1:
                raise LookupError(f"experiment {experiment_id} has no cell {index}")
            rows = conn.execute("SELECT status, COUNT(*) FROM cells WHERE experiment_id = ? GROUP BY status",
                                (experiment_id,)).fetchall()
            earlier = []
            if run_order is not None and any(status == "queued" for status, _ in rows):
                earlier = [r[0] for r in conn.execute(
                    "SELECT idx FROM cells WHERE experiment_id = ? AND status = 'queued' AND run_order < ?",
                    (experiment_id, run_order))]
        return {status: n for status, n in rows}, earlier

    def update_cells(self, experiment_id: str, updates: dict[int, dict[str, Any]]) -> None:
        """Apply several cell updates in one transaction."""
        with self._transaction() as conn:
            for index, fields in updates.items():
                names = list(fields)
                values = [json.dumps(fields[n]) if n in _JSON_FIELDS else fields[n] for n in names]
                conn.execute(f"UPDATE cells SET {', '.join(f'{n} = ?' for n in names)}"
                             " WHERE experiment_id = ? AND idx = ?", (*values, experiment_id, index))

    def cancel_queued_cells(self, experiment_id: str) -> list[dict]:
        """Mark every still-queued cell cancelled; returns those cells (with their prompt ids)."""
        with self._transaction() as conn:
            rows = conn.execute("SELECT * FROM cells WHERE experiment_id = ? AND status = 'queued'",
                                (experiment_id,)).fetchall()
            conn.execute("UPDATE cells SET status = 'cancelled', error = 'cancelled'"
                         " WHERE experiment_id = ? AND status = 'queued'", (experiment_id,))
        return [_row(r) for r in rows]

    def requeue_cells(self, experiment_id: str, prompt_ids: dict[int, str]) -> None:
        """Give cells a fresh prompt id and put them back in the queued state (resume / retry)."""
        now = time.time()
        with self._transaction() as conn:
            for index, prompt_id in prompt_ids.items():
                conn.execute(
                    "UPDATE cells SET status = 'queued', prompt_id = ?, attempts = attempts + 1, queued_at = ?,"
                    " started_at = NULL, finished_at = NULL, seconds = NULL, error = NULL, files = '[]'"
                    " WHERE experiment_id = ? AND idx = ?", (prompt_id, now, experiment_id, index))

    def update_experiment(self, experiment_id: str, **fields: Any) -> None:
        fields.setdefault("updated", time.time())
        self._update("experiments", "id = ?", (experiment_id,), fields)

    def _update(self, table: str, where: str, key: tuple, fields: dict[str, Any]) -> None:
        if not fields:
            return
        names = list(fields)
        values = [json.dumps(fields[n]) if n in _JSON_FIELDS else fields[n] for n in names]
        sql = f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE {where}"
        with self._connect() as conn:
            conn.execute(sql, (*values, *key))

    # -- reading ---------------------------------------------------------------------

    def experiment(self, experiment_id: str) -> dict | None:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        return _row(row) if row else None

    def status_of(self, experiment_id: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("SELECT status FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        return row[0] if row else None

    def queued_prompt_ids(self, experiment_id: str) -> set[str]:
        """Prompt ids of the cells still waiting to be saved."""
        with self._connect() as conn:
            rows = conn.execute("SELECT prompt_id FROM cells WHERE experiment_id = ? AND status = 'queued'"
                                " AND prompt_id IS NOT NULL", (experiment_id,)).fetchall()
        return {r[0] for r in rows}

    def cells(self, experiment_id: str) -> list[dict]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM cells WHERE experiment_id = ? ORDER BY idx", (experiment_id,)).fetchall()
        return [_row(r) for r in rows]

    def counts(self, experiment_id: str) -> dict[str, int]:
        with self._connect() as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM cells WHERE experiment_id = ? GROUP BY status",
                                (experiment_id,)).fetchall()
        return {status: n for status, n in rows}

    def list(self, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
        """Experiments newest first, without their plans (for history listings)."""
        with self._connect() as conn:
            total = conn.execute("SELECT COUNT(*) FROM experiments").fetchone()[0]
            rows = conn.execute(
                "SELECT id, name, created, updated, finished, status, dry_run, total, grids, final_prompt_id"
                " FROM experiments"
                " ORDER BY created DESC, id DESC LIMIT ? OFFSET ?", (limit, offset)).fetchall()
        return [_row(r) for r in rows], total


def _row(row: sqlite3.Row) -> dict:
    out = dict(row)
    for key in _JSON_FIELDS & out.keys():
        if out[key] is not None:
            out[key] = json.loads(out[key])
    return out
