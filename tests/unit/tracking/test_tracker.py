"""The tracker's own rules, with a recording stand-in for the W&B run (the real one is in
integration/test_tracking.py): it never blocks, drops late messages rather than rows, and a
failure inside W&B is reported once while the experiment goes on."""
from __future__ import annotations

import logging
import time

import pytest

from plan_fixtures import axis_plan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, GridFile, Options, SuperGridFile
from xyz_studio.storage.store import ExperimentStore
from xyz_studio.tracking.settings import TrackingSettings, TrackingState, TrackingStatus
from xyz_studio.tracking.tracker import Tracker

EID = "20261201-000000-abcdef"


class RecordingRun:
    """Stands in for WandbRun: keeps what it was given; `fail_on` names a method that raises."""

    runs: list[RecordingRun] = []
    fail_on: str | None = None

    def __init__(self, settings, run_id, name, config, tags, folder, columns):
        self.run_id, self.config, self.columns = run_id, config, columns
        self.rows: list[dict] = []
        self.flushes = 0
        self.grids: list[tuple[str, str, str]] = []
        self.summary: dict | None = None
        self.closed_failed = False
        self.url, self.folder = None, str(folder / f"offline-run-x-{run_id}")
        RecordingRun.runs.append(self)

    def _maybe_fail(self, method):
        if RecordingRun.fail_on == method:
            raise RuntimeError(f"wandb broke in {method}")

    def log_file(self, path, name, kind):
        self._maybe_fail("log_file")

    def add_row(self, values, image, caption):
        self._maybe_fail("add_row")
        self.rows.append(values)

    def flush_rows(self):
        self.flushes += 1

    def log_grid(self, key, path, caption):
        self.grids.append((key, path.name, caption))

    def finish(self, summary):
        self.summary = summary

    def close_failed(self):
        self.closed_failed = True


@pytest.fixture(autouse=True)
def fresh_runs():
    RecordingRun.runs, RecordingRun.fail_on = [], None


def _store(tmp_path, cells=6) -> ExperimentStore:
    x = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[v] for v in range(cells)],
                  labels=[str(v) for v in range(cells)], targets=[[["3", "cfg"]]])
    plan = Plan(axes=[x], loop_order=["x"], cell_nodes=["3", "9"], final_nodes=["9"], base={}, assembler_id="9")
    store = ExperimentStore(tmp_path)
    store.create(Experiment(id=EID, name="t", created=1.0, updated=1.0, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=cells, final_prompt_id=None,
                            plan=plan, options=Options(), source={"workflow": {"nodes": []}},
                            tracking=TrackingState(TrackingSettings(), run_id="xyz-run")),
                 [Cell(experiment_id=EID, index=i, x=i, y=0, z=0, run_order=i, status=CellStatus.QUEUED)
                  for i in range(cells)])
    return store


def test_messages_beyond_the_backlog_are_dropped_but_every_row_is_logged_when_the_run_closes(tmp_path, caplog):
    store = _store(tmp_path)
    tracker = Tracker(backlog=0, open_run=RecordingRun)  # no room at all for cell messages
    tracker.start(store, store.experiment(EID))
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="xyz_studio"):
        for i in range(6):
            store.finish_cell(EID, i, [f"cells/{i}.png"])
            tracker.cell(store, EID, i)
    assert time.perf_counter() - started < 1.0  # handing over never waits for the tracker
    assert sum("is behind" in r.message for r in caplog.records) == 1  # said once
    tracker.finish(store, EID)
    assert tracker.wait_idle(30)
    [run] = RecordingRun.runs
    assert sorted(r["index"] for r in run.rows) == list(range(6)) and run.summary["counts"] == {"done": 6}
    assert all(c.tracked for c in store.cells(EID))
    assert store.experiment(EID).tracking.status == TrackingStatus.FINISHED


def test_a_crash_inside_wandb_is_reported_once_and_tracking_stops(tmp_path, caplog):
    store = _store(tmp_path)
    RecordingRun.fail_on = "add_row"
    tracker = Tracker(open_run=RecordingRun)
    tracker.start(store, store.experiment(EID))
    with caplog.at_level(logging.WARNING, logger="xyz_studio"):
        for i in range(6):
            store.finish_cell(EID, i, [f"cells/{i}.png"])
            tracker.cell(store, EID, i)
        tracker.finish(store, EID)
        assert tracker.wait_idle(30)
    state = store.experiment(EID).tracking
    assert state.status == TrackingStatus.FAILED and "wandb broke in add_row" in state.problem
    assert sum("W&B logging stopped" in r.message for r in caplog.records) == 1
    assert RecordingRun.runs[0].closed_failed
    assert store.counts(EID).to_json() == {"done": 6}  # the experiment itself is untouched


def test_the_grids_and_super_grids_are_logged_each_under_its_own_key_with_its_values(tmp_path):
    store = _store(tmp_path)
    tracker = Tracker(open_run=RecordingRun)
    tracker.start(store, store.experiment(EID))
    for i in range(6):
        store.finish_cell(EID, i, [f"cells/{i}.png"])
    store.update_experiment(EID, grids=(GridFile(z=0, file="grids/grid.png", width=8, height=8),),
                            super_grids=(SuperGridFile(index=0, file="grids/super_0.png", width=8, height=8,
                                                       labels={"x": "3"}),))
    tracker.finish(store, EID)
    assert tracker.wait_idle(30)
    [run] = RecordingRun.runs
    assert run.grids == [("grid/z0", "grid.png", "t"), ("super_grid/0", "super_0.png", "cfg: 3")]
    assert run.summary["grids"] == ["grids/grid.png"] and run.summary["super_grids"] == ["grids/super_0.png"]
