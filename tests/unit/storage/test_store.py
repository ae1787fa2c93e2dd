"""The store: typed records in and out, one spelling per field, version-1 databases, updates."""
from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from plan_fixtures import one_cell_plan
from xyz_studio.errors import NotFound
from xyz_studio.planning.cell_order import CellOrder
from xyz_studio.storage.locks import experiment_lock, held_locks
from xyz_studio.storage.records import (
    Cell,
    CellStatus,
    Experiment,
    ExperimentStatus,
    GridFile,
    Options,
    SuperGridFile,
)
from xyz_studio.storage.schema import SCHEMA_VERSION
from xyz_studio.storage.store import DB_NAME, ExperimentStore

EID = "20261126-000000-abcdef"


def _experiment(**changes) -> Experiment:
    fields = dict(id=EID, name="t", created=1.0, updated=1.0, finished=None, status=ExperimentStatus.RUNNING,
                  dry_run=False, total=2, final_prompt_id=None, plan=one_cell_plan(),
                  options=Options(name="t", order=CellOrder.GRID), source={"workflow": None, "prompt": {}})
    fields.update(changes)
    return Experiment(**fields)


def _cells() -> list[Cell]:
    return [Cell(experiment_id=EID, index=i, x=i, y=0, z=0, run_order=1 - i, status=CellStatus.QUEUED,
                 prompt_id=f"p{i}") for i in range(2)]


@pytest.fixture()
def store(tmp_path) -> ExperimentStore:
    s = ExperimentStore(tmp_path / "studio")
    s.create(_experiment(), _cells())
    return s


def test_records_come_back_as_they_went_in(store):
    assert store.experiment(EID) == _experiment()
    assert store.cells(EID) == _cells()
    summary = store.list()[0][0]
    assert summary.to_json()["id"] == EID and "plan" not in summary.to_json()


def test_statuses_are_enums_and_json_carries_their_words(store):
    store.update_cell(EID, 1, status=CellStatus.FAILED, error="boom")
    cell = store.cells(EID)[1]
    assert cell.status is CellStatus.FAILED
    assert json.loads(json.dumps(cell.to_json()))["status"] == "failed"
    assert store.counts(EID).to_json() == {"queued": 1, "failed": 1}


def test_finish_cell_reports_counts_and_the_earlier_queued_cells(store):
    counts, earlier = store.finish_cell(EID, 0, ["cells/x000_y000_z000.png"], run_order=1)
    assert counts.to_json() == {"done": 1, "queued": 1} and earlier == [1]
    assert store.cells(EID)[0].files == ("cells/x000_y000_z000.png",)
    with pytest.raises(NotFound):
        store.finish_cell(EID, 7, [])


def test_grids_round_trip_as_records(store):
    store.update_experiment(EID, status=ExperimentStatus.COMPLETE, grids=[GridFile(0, "grids/grid_z000.png", 9, 8)])
    assert store.experiment(EID).grids == (GridFile(0, "grids/grid_z000.png", 9, 8),)


def test_super_grids_round_trip_as_records_apart_from_the_grids(store):
    drawn = SuperGridFile(1, "grids/super_grid_001.png", 30, 20, {"axis4": "seed 2"})
    store.update_experiment(EID, grids=[GridFile(0, "grids/grid_z000.png", 9, 8)], super_grids=[drawn])
    again = store.experiment(EID)
    assert again.super_grids == (drawn,) and again.grids == (GridFile(0, "grids/grid_z000.png", 9, 8),)


def test_updates_name_only_known_columns(store):
    with pytest.raises(ValueError, match="not an updatable column"):
        store.update_cell(EID, 0, **{"status = 'done', error": "x"})
    with pytest.raises(ValueError, match="not an updatable column"):
        store.update_experiment(EID, plan="{}")
    assert store.cells(EID)[0].status is CellStatus.QUEUED


def test_unknown_experiment_is_not_found(store):
    with pytest.raises(NotFound):
        store.experiment("20261126-000000-ffffff")
    assert store.status_of("20261126-000000-ffffff") is None


def _old_database(root, index_column: str, source_column: str) -> sqlite3.Connection:
    """A database as version 1 of the store wrote it (or as a migration cut short left it)."""
    root.mkdir()
    conn = sqlite3.connect(root / DB_NAME)
    conn.executescript(f"""
        CREATE TABLE experiments (id TEXT PRIMARY KEY, name TEXT NOT NULL, created REAL NOT NULL,
            updated REAL NOT NULL, finished REAL, status TEXT NOT NULL, dry_run INTEGER NOT NULL DEFAULT 0,
            total INTEGER NOT NULL, client_id TEXT, plan TEXT NOT NULL, options TEXT NOT NULL,
            {source_column} TEXT, final_prompt_id TEXT, grids TEXT NOT NULL DEFAULT '[]');
        CREATE TABLE cells (experiment_id TEXT NOT NULL, {index_column} INTEGER NOT NULL, x INTEGER NOT NULL,
            y INTEGER NOT NULL, z INTEGER NOT NULL, run_order INTEGER NOT NULL, status TEXT NOT NULL,
            prompt_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, queued_at REAL, started_at REAL,
            finished_at REAL, seconds REAL, files TEXT NOT NULL DEFAULT '[]', error TEXT,
            PRIMARY KEY (experiment_id, {index_column}));
    """)
    return conn


def test_a_version_1_database_is_migrated_in_place(tmp_path):
    root = tmp_path / "old"
    conn = _old_database(root, "idx", "workflow")
    conn.execute("INSERT INTO experiments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (EID, "old", 1.0, 2.0, 3.0, "complete", 0, 1, "tab", "{}",
                  json.dumps({"name": "old", "max_cells": 500, "dry_run": False, "max_megapixels": 64.0,
                              "order": "cost-aware"}), json.dumps({"workflow": None, "prompt": {"1": {}}}), "f", "[]"))
    conn.execute("INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (EID, 0, 0, 0, 0, 0, "done", "p", 0, 1.0, 1.5, 2.0, 0.5, '["cells/x000_y000_z000.png"]', None))
    conn.commit()
    conn.close()
    store = ExperimentStore(root)
    old = store.experiment(EID)
    assert old.source == {"workflow": None, "prompt": {"1": {}}} and old.status is ExperimentStatus.COMPLETE
    assert old.options.order is CellOrder.COST_AWARE
    assert old.super_grids == () and not old.options.super_grid  # version 5's column and option: none drawn
    assert store.cells(EID)[0].index == 0 and store.cells(EID)[0].files == ("cells/x000_y000_z000.png",)
    with sqlite3.connect(root / DB_NAME) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_database_migrated_only_half_way_is_finished(tmp_path):
    root = tmp_path / "half"
    conn = _old_database(root, '"index"', "workflow")  # cut short after the first rename
    conn.execute("INSERT INTO experiments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (EID, "half", 1.0, 1.0, None, "running", 0, 0, None, "{}", "{}", '{"prompt": {}}', None, "[]"))
    conn.commit()
    conn.close()
    assert ExperimentStore(root).experiment(EID).source == {"prompt": {}}


def test_the_lock_table_holds_only_locks_in_use():
    before = held_locks()
    for n in range(50):
        with experiment_lock(f"e{n}"):
            with experiment_lock(f"e{n}"):  # re-entrant in one thread
                assert held_locks() == before + 1
    assert held_locks() == before


def test_an_experiment_lock_serialises_two_threads():
    inside = []
    release = threading.Event()

    def hold():
        with experiment_lock("shared"):
            inside.append("first")
            release.wait(5)

    first = threading.Thread(target=hold)
    first.start()
    while not inside:
        pass
    second_done = threading.Event()

    def second():
        with experiment_lock("shared"):
            inside.append("second")
        second_done.set()

    threading.Thread(target=second).start()
    assert not second_done.wait(0.2)  # waits for the first holder
    release.set()
    assert second_done.wait(5) and inside == ["first", "second"]
    first.join()
    assert held_locks() == 0


def test_metric_values_round_trip_with_missing_ones_kept_missing(store):
    store.finish_cell(EID, 0, ["cells/x000_y000_z000.png"], metrics={"score": 0.25, "sharpness": None})
    assert store.cells(EID)[0].metrics == {"score": 0.25, "sharpness": None}
    assert store.cells(EID)[1].metrics == {}
    store.requeue_cells(EID, {0: "again"})
    assert store.cells(EID)[0].metrics == {}  # a re-run records its own values


def test_a_version_2_database_gets_the_metrics_column(tmp_path):
    root = tmp_path / "v2"
    conn = _old_database(root, '"index"', "source")
    conn.execute("INSERT INTO cells VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 (EID, 0, 0, 0, 0, 0, "done", "p", 0, 1.0, 1.5, 2.0, 0.5, "[]", None))
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = ExperimentStore(root)
    assert store.cells(EID)[0].metrics == {}
    assert store.cells(EID)[0].worker is None  # version 4's column: which server ran it (unknown here)
    with sqlite3.connect(root / DB_NAME) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 6


def test_a_cell_sent_to_a_worker_records_where_and_under_which_prompt(store):
    store.send_cell(EID, 1, "p-remote", "http://10.0.0.2:8188")
    cell = store.cell(EID, 1)
    assert (cell.prompt_id, cell.worker, cell.attempts) == ("p-remote", "http://10.0.0.2:8188", 1)
    store.send_cell(EID, 1, "p-again", "http://10.0.0.3:8188")  # sent again elsewhere
    cell = store.cell(EID, 1)
    assert (cell.prompt_id, cell.worker, cell.attempts) == ("p-again", "http://10.0.0.3:8188", 2)
    # a resume over several servers keeps the record of where it went, and counts attempts as they are sent
    store.requeue_cells(EID, {1: "p-again"}, {1: "http://10.0.0.3:8188"})
    assert (store.cell(EID, 1).worker, store.cell(EID, 1).attempts) == ("http://10.0.0.3:8188", 2)
    store.requeue_cells(EID, {1: "p-new"}, {1: None})
    assert (store.cell(EID, 1).prompt_id, store.cell(EID, 1).worker) == ("p-new", None)


def test_cell_counts_by_status_and_their_json_shape():
    from xyz_studio.storage.records import CellCounts
    counts = CellCounts.of([CellStatus.DONE, CellStatus.DONE, CellStatus.FAILED, CellStatus.QUEUED, "cancelled"])
    assert (counts.done, counts.failed, counts.queued, counts.cancelled, counts.planned) == (2, 1, 1, 1, 0)
    assert counts.total == 5 and counts.settled == 4 and counts[CellStatus.DONE] == 2
    assert counts.to_json() == {"queued": 1, "done": 2, "failed": 1, "cancelled": 1}  # no zero entries
    assert CellCounts.from_tally(counts.to_json()) == counts
    assert CellCounts.from_tally({}) == CellCounts() and CellCounts().to_json() == {}
