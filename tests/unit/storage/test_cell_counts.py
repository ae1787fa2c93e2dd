"""An experiment's counts by status, kept by the schema's triggers, always equal a count of its
cells' rows: through every way the store changes a cell, a deleted experiment, a database
of version 5 (no counts table yet) upgraded with cells in it, and a writer that is not the store."""
from __future__ import annotations

import sqlite3
from collections import Counter

from plan_fixtures import one_cell_plan
from xyz_studio.planning.cell_order import CellOrder
from xyz_studio.storage.records import Cell, CellCounts, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.schema import SCHEMA_VERSION
from xyz_studio.storage.store import DB_NAME, ExperimentStore


def _experiment(eid: str, cells: int) -> tuple[Experiment, list[Cell]]:
    experiment = Experiment(id=eid, name=eid, created=1.0, updated=1.0, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=cells, final_prompt_id=None,
                            plan=one_cell_plan(), options=Options(name=eid, order=CellOrder.GRID),
                            source={"workflow": None, "prompt": {}})
    return experiment, [Cell(experiment_id=eid, index=i, x=i, y=0, z=0, run_order=i, status=CellStatus.QUEUED,
                             prompt_id=f"{eid}-p{i}") for i in range(cells)]


def _scanned(store: ExperimentStore, eid: str) -> CellCounts:
    """The counts the slow way: every row of the experiment's cells."""
    with sqlite3.connect(store.path) as conn:
        return CellCounts.from_tally(Counter(s for (s,) in conn.execute(
            "SELECT status FROM cells WHERE experiment_id = ?", (eid,))))


def test_counts_follow_every_change_of_a_cell(tmp_path):
    store = ExperimentStore(tmp_path)
    for eid in ("a", "b"):
        store.create(*_experiment(eid, 6))
    steps = [
        lambda: store.finish_cell("a", 0, ["cells/0.png"], run_order=0),
        lambda: store.finish_cell("a", 3, ["cells/3.png"], run_order=3),  # 1 and 2 stay queued
        lambda: store.update_cell("a", 1, status=CellStatus.FAILED, error="boom"),
        lambda: store.update_cells("a", {2: {"status": CellStatus.FAILED}, 4: {"status": CellStatus.DONE}}),
        lambda: store.update_cell("a", 4, status=CellStatus.DONE),  # no change of status: no change of counts
        lambda: store.cancel_queued_cells("a"),
        lambda: store.requeue_cells("a", {1: "again-1", 5: "again-5"}),
        lambda: store.send_cell("a", 1, "sent-1", "http://127.0.0.1:9"),
        lambda: store.finish_cell("b", 5, ["cells/5.png"]),
    ]
    for step in steps:
        step()
        for eid in ("a", "b"):
            assert store.counts(eid) == _scanned(store, eid)
    assert store.counts("a") == CellCounts(queued=2, done=3, failed=1, cancelled=0)
    assert store.counts("b") == CellCounts(queued=5, done=1)
    store.delete("a")
    assert store.counts("a") == CellCounts()
    assert store.counts("b") == CellCounts(queued=5, done=1)
    listed = {e.summary.id: e.counts for e in store.listing()[0]}
    assert listed == {"b": CellCounts(queued=5, done=1)}
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cell_counts WHERE experiment_id = 'a'").fetchone()[0] == 0


def test_a_version_5_database_is_counted_when_upgraded(tmp_path):
    store = ExperimentStore(tmp_path)
    store.create(*_experiment("old", 4))
    store.finish_cell("old", 0, ["cells/0.png"])
    store.update_cell("old", 1, status=CellStatus.FAILED, error="boom")
    with sqlite3.connect(store.path) as conn:  # back to version 5: no counts table, no triggers
        for trigger in ("cell_counted", "cell_recounted", "cell_uncounted"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE cell_counts")
        conn.execute("PRAGMA user_version = 5")
    from xyz_studio.storage import store as store_module
    store_module._prepared.clear()  # as a new process would: no connection yet, the file at version 5
    store_module._local.connections = {}
    again = ExperimentStore(tmp_path)
    assert again.counts("old") == CellCounts(queued=2, done=1, failed=1)
    again.finish_cell("old", 2, ["cells/2.png"])
    assert again.counts("old") == _scanned(again, "old") == CellCounts(queued=1, done=2, failed=1)
    with sqlite3.connect(again.path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6


def test_a_writer_other_than_the_store_is_counted_too(tmp_path):
    store = ExperimentStore(tmp_path)
    store.create(*_experiment("x", 3))
    with sqlite3.connect(tmp_path / DB_NAME) as conn:  # e.g. another process, or an older pack on the same file
        conn.execute("UPDATE cells SET status = 'done' WHERE experiment_id = 'x' AND \"index\" < 2")
        conn.execute("DELETE FROM cells WHERE experiment_id = 'x' AND \"index\" = 2")
    assert store.counts("x") == _scanned(store, "x") == CellCounts(done=2)
