"""The durable experiment store: one SQLite database (WAL) beside the experiments.

Why SQLite: each cell's status is one small transaction committed the moment the
cell is saved; WAL keeps readers (routes, the runner) from blocking the writer (the
ComfyUI worker thread); a process killed at any instant leaves the last committed
state intact. It is the single source for history, resume, the headless runner
and the frontend; manifest.json files are snapshots written from it.
Each thread keeps its own connection (see _connect), so any thread may use the store.
It takes and returns the typed records of `records`; column names are their field names.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import NotFound
from ..protocol import strict_json
from .records import Cell, CellCounts, CellStatus, Experiment, ExperimentStatus, ExperimentSummary, ListedExperiment
from .rows import (
    CELL_COLUMNS,
    CELL_UPDATABLE,
    EXPERIMENT_COLUMNS,
    EXPERIMENT_UPDATABLE,
    LISTING_COLUMNS,
    SUMMARY_COLUMNS,
    cell_of,
    columns,
    db_value,
    experiment_of,
    listed_of,
    set_clause,
    summary_fields,
)
from .schema import bring_up_to_date

DB_NAME = "studio.sqlite3"
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
            bring_up_to_date(conn)
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

    def create(self, experiment: Experiment, cells: list[Cell]) -> None:
        """Record a new experiment and all its cells in one transaction."""
        marks = ", ".join("?" * len(EXPERIMENT_COLUMNS))
        cell_marks = ", ".join("?" * len(CELL_COLUMNS))
        with self._transaction() as conn:
            conn.execute(f"INSERT INTO experiments ({columns(EXPERIMENT_COLUMNS)}) VALUES ({marks})",
                         [db_value(getattr(experiment, n)) for n in EXPERIMENT_COLUMNS])
            conn.executemany(f"INSERT INTO cells ({columns(CELL_COLUMNS)}) VALUES ({cell_marks})",
                             [[db_value(getattr(c, n)) for n in CELL_COLUMNS] for c in cells])

    def update_cell(self, experiment_id: str, index: int, **changes: Any) -> None:
        self.update_cells(experiment_id, {index: changes})

    def update_cells(self, experiment_id: str, updates: dict[int, dict[str, Any]]) -> None:
        """Apply several cell updates in one transaction."""
        with self._transaction() as conn:
            for index, changes in updates.items():
                clause, values = set_clause(changes, CELL_UPDATABLE)
                conn.execute(f'UPDATE cells SET {clause} WHERE experiment_id = ? AND "index" = ?',
                             (*values, experiment_id, index))

    def finish_cell(self, experiment_id: str, index: int, files: list[str], run_order: int | None = None,
                    metrics: dict[str, float | None] | None = None) -> tuple[CellCounts, list[int]]:
        """Mark a cell done with its files (and metric values), in one connection; return the
        experiment's counts and the still-queued cells meant to run before `run_order` (in a
        FIFO queue those have ended without saving: failed)."""
        with self._connect() as conn:
            changed = conn.execute(
                'UPDATE cells SET status = ?, files = ?, finished_at = ?, error = NULL, metrics = ?'
                ' WHERE experiment_id = ? AND "index" = ?',
                (CellStatus.DONE.value, strict_json(files), time.time(), strict_json(metrics or {}), experiment_id,
                 index))
            if changed.rowcount != 1:
                raise NotFound(f"experiment {experiment_id} has no cell {index}")
            counts = self._counts(conn, experiment_id)
            earlier = []
            if run_order is not None and counts.queued:
                earlier = [r[0] for r in conn.execute(
                    'SELECT "index" FROM cells WHERE experiment_id = ? AND status = ? AND run_order < ?',
                    (experiment_id, CellStatus.QUEUED.value, run_order))]
        return counts, earlier

    def cancel_queued_cells(self, experiment_id: str) -> list[Cell]:
        """Mark every still-queued cell cancelled; returns those cells (with their prompt ids)."""
        queued = (experiment_id, CellStatus.QUEUED.value)
        with self._transaction() as conn:
            rows = conn.execute(f"SELECT {columns(CELL_COLUMNS)} FROM cells WHERE experiment_id = ? AND status = ?",
                                queued).fetchall()
            conn.execute("UPDATE cells SET status = ?, error = ? WHERE experiment_id = ? AND status = ?",
                         (CellStatus.CANCELLED.value, "cancelled before it was rendered", *queued))
        return [cell_of(r) for r in rows]

    def requeue_cells(self, experiment_id: str, prompt_ids: dict[int, str],
                      workers: dict[int, str | None] | None = None) -> None:
        """Give cells a fresh prompt id and put them back in the queued state (resume / retry).

        With `workers` (an experiment over several servers) each cell also gets the worker it
        is recorded on (None: not sent yet); its attempts are then counted as it is sent.
        """
        count = "attempts + 1" if workers is None else "attempts"
        with self._transaction() as conn:
            for index, prompt_id in prompt_ids.items():
                worker = ", worker = ?" if workers is not None else ""
                values = (workers.get(index),) if workers is not None else ()
                conn.execute(
                    f"UPDATE cells SET status = ?, prompt_id = ?, attempts = {count}, started_at = NULL,"
                    f" finished_at = NULL, seconds = NULL, error = NULL, files = '[]', metrics = '{{}}', tracked = 0"
                    f'{worker} WHERE experiment_id = ? AND "index" = ?',
                    (CellStatus.QUEUED.value, prompt_id, *values, experiment_id, index))

    def send_cell(self, experiment_id: str, index: int, prompt_id: str, worker: str) -> None:
        """Record that a cell goes out to `worker` under `prompt_id` (before it is posted, so a
        restarted master knows where to ask for it), counting the attempt."""
        with self._connect() as conn:
            # queued from here: a cell a search proposes was planned (not run) until now
            conn.execute('UPDATE cells SET status = ?, prompt_id = ?, worker = ?, attempts = attempts + 1'
                         ' WHERE experiment_id = ? AND "index" = ?',
                         (CellStatus.QUEUED.value, prompt_id, worker, experiment_id, index))

    def update_experiment(self, experiment_id: str, **changes: Any) -> None:
        changes.setdefault("updated", time.time())
        clause, values = set_clause(changes, EXPERIMENT_UPDATABLE)
        with self._connect() as conn:
            conn.execute(f"UPDATE experiments SET {clause} WHERE id = ?", (*values, experiment_id))

    def rename(self, experiment_id: str, name: str) -> None:
        """Give the experiment another name (NotFound if there is none). `updated` stays: it
        tells a run cut off by a restart, which a rename must not make look alive."""
        with self._connect() as conn:
            if conn.execute("UPDATE experiments SET name = ? WHERE id = ?", (name, experiment_id)).rowcount != 1:
                raise NotFound(f"no experiment {experiment_id!r}")

    def delete(self, experiment_id: str) -> None:
        """Remove the experiment and its cells in one transaction (NotFound if there is none)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM cells WHERE experiment_id = ?", (experiment_id,))
            if conn.execute("DELETE FROM experiments WHERE id = ?", (experiment_id,)).rowcount != 1:
                raise NotFound(f"no experiment {experiment_id!r}")

    # -- reading ---------------------------------------------------------------------

    def experiment(self, experiment_id: str) -> Experiment:
        """The experiment; NotFound if there is none with this id."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {columns(EXPERIMENT_COLUMNS)} FROM experiments WHERE id = ?",
                               (experiment_id,)).fetchone()
        if row is None:
            raise NotFound(f"no experiment {experiment_id!r}")
        return experiment_of(row)

    def status_of(self, experiment_id: str) -> ExperimentStatus | None:
        with self._connect() as conn:
            row = conn.execute("SELECT status FROM experiments WHERE id = ?", (experiment_id,)).fetchone()
        return ExperimentStatus(row[0]) if row else None

    def prompt_id_of(self, experiment_id: str, index: int) -> str | None:
        """The prompt id the cell is queued under now (a resume or retry gives it a new one)."""
        with self._connect() as conn:
            row = conn.execute('SELECT prompt_id FROM cells WHERE experiment_id = ? AND "index" = ?',
                               (experiment_id, index)).fetchone()
        return row[0] if row else None

    def first_done_file(self, experiment_id: str) -> str | None:
        """The first file of the earliest finished cell (what a listing shows before any grid)."""
        with self._connect() as conn:
            row = conn.execute("SELECT files FROM cells WHERE experiment_id = ? AND status = ? AND files != '[]'"
                               " ORDER BY finished_at, \"index\" LIMIT 1",
                               (experiment_id, CellStatus.DONE.value)).fetchone()
        return json.loads(row[0])[0] if row else None

    def latest_of(self, workflow_id: str, assembler_id: str) -> str | None:
        """The newest experiment queued from editor workflow `workflow_id` through its Grid
        Assembler `assembler_id` (an index on the workflow's id keeps this off the big columns)."""
        with self._connect() as conn:
            row = conn.execute("SELECT id FROM experiments WHERE json_extract(source, '$.workflow.id') = ?"
                               " AND json_extract(plan, '$.assembler_id') = ? ORDER BY created DESC LIMIT 1",
                               (workflow_id, assembler_id)).fetchone()
        return row[0] if row else None

    def unsaved_prompt_ids(self, experiment_id: str) -> set[str]:
        """Prompt ids of the cells still waiting to be saved."""
        with self._connect() as conn:
            rows = conn.execute("SELECT prompt_id FROM cells WHERE experiment_id = ? AND status = ?"
                                " AND prompt_id IS NOT NULL", (experiment_id, CellStatus.QUEUED.value)).fetchall()
        return {r[0] for r in rows}

    def cell(self, experiment_id: str, index: int) -> Cell:
        with self._connect() as conn:
            row = conn.execute(f'SELECT {columns(CELL_COLUMNS)} FROM cells WHERE experiment_id = ? AND "index" = ?',
                               (experiment_id, index)).fetchone()
        if row is None:
            raise NotFound(f"experiment {experiment_id} has no cell {index}")
        return cell_of(row)

    def cells(self, experiment_id: str) -> list[Cell]:
        with self._connect() as conn:
            rows = conn.execute(f'SELECT {columns(CELL_COLUMNS)} FROM cells WHERE experiment_id = ? ORDER BY "index"',
                                (experiment_id,)).fetchall()
        return [cell_of(r) for r in rows]

    def done_by_worker(self, experiment_id: str) -> dict[str, int]:
        """Cells done per server URL (every server that was sent a cell is listed, 0 if none done)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT worker, SUM(status = ?) FROM cells"
                                " WHERE experiment_id = ? AND worker IS NOT NULL GROUP BY worker",
                                (CellStatus.DONE.value, experiment_id)).fetchall()
        return {worker: int(n) for worker, n in rows}

    def counts(self, experiment_id: str) -> CellCounts:
        """How many of the experiment's cells are in each status."""
        with self._connect() as conn:
            return self._counts(conn, experiment_id)

    @staticmethod
    def _counts(conn: sqlite3.Connection, experiment_id: str) -> CellCounts:
        rows = conn.execute("SELECT status, n FROM cell_counts WHERE experiment_id = ?", (experiment_id,)).fetchall()
        return CellCounts.from_tally(dict(rows))

    def listing(self, limit: int = 50, offset: int = 0, search: str = "",
                before: float | None = None) -> tuple[list[ListedExperiment], int]:
        """The page `list` reads, each row with its cell counts, shape and cover: one query for all rows."""
        rows, total = self._page(LISTING_COLUMNS, limit, offset, search, before)
        return [listed_of(r) for r in rows], total

    def _page(self, select: str, limit: int, offset: int, search: str, before: float | None) -> tuple[list[Any], int]:
        where, values = _matching(search, created_at_most=before)
        with self._connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM experiments{where}", values).fetchone()[0]
            rows = conn.execute(f"SELECT {select} FROM experiments{where}"
                                " ORDER BY created DESC, id DESC LIMIT ? OFFSET ?",
                                (*values, limit, offset)).fetchall()
        return rows, total

    def list(self, limit: int = 50, offset: int = 0, search: str = "",
             before: float | None = None) -> tuple[list[ExperimentSummary], int]:
        """Experiments newest first, without their plans (for history listings), and how many
        match. `search`: in the name (ASCII letters in either case) or at the start of the id;
        `before`: only those created at or before it (a page that keeps its place)."""
        rows, total = self._page(columns(SUMMARY_COLUMNS), limit, offset, search, before)
        return [ExperimentSummary(**summary_fields(r)) for r in rows], total

    def count_newer(self, after: float, search: str = "") -> int:
        """How many experiments matching `search` were created after `after`."""
        where, values = _matching(search, created_after=after)
        with self._connect() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM experiments{where}", values).fetchone()[0])


def _matching(search: str, created_at_most: float | None = None,
              created_after: float | None = None) -> tuple[str, list[Any]]:
    """The WHERE clause of a listing (LIKE's wildcards in `search` are taken as themselves)."""
    clauses: list[str] = []
    values: list[Any] = []
    if search:
        literal = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')")
        values += [f"%{literal}%", f"{literal}%"]
    if created_at_most is not None:
        clauses.append("created <= ?")
        values.append(created_at_most)
    if created_after is not None:
        clauses.append("created > ?")
        values.append(created_after)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", values
