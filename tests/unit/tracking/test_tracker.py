"""The tracker's own rules, with a recording stand-in for the W&B run (the real one is in
integration/test_tracking.py): it never blocks, drops late messages rather than rows, and a
failure inside W&B is reported once while the experiment goes on. A search's trials are logged one
step each in the order run, across flushes, and a reopened run numbers on without logging one twice."""
from __future__ import annotations

import logging
import time

import pytest

from plan_fixtures import axis_plan
from xyz_studio.metrics.declared import MetricGoal, MetricPlan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.search.settings import SearchSettings
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, GridFile, Options, SuperGridFile
from xyz_studio.storage.store import ExperimentStore
from xyz_studio.tracking import tracker as tracker_module
from xyz_studio.tracking.offline_log import LoggedBefore
from xyz_studio.tracking.settings import TrackingSettings, TrackingState, TrackingStatus
from xyz_studio.tracking.tracker import Tracker

EID = "20261201-000000-abcdef"


class RecordingRun:
    """Stands in for WandbRun: keeps what it was given; `fail_on` names a method that raises."""

    runs: list[RecordingRun] = []
    fail_on: str | None = None
    last_trial: int | None = None  # what a reopened online run's summary says of its last trial

    def __init__(self, settings, run_id, name, config, tags, folder, columns):
        self.run_id, self.config, self.columns = run_id, config, columns
        self.rows: list[dict] = []
        self.flushes = 0
        self.grids: list[tuple[str, str, str]] = []
        self.summary: dict | None = None
        self.closed_failed = False
        self.steps: list[dict] = []
        self.charted: list[tuple[str, str]] = []
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

    def chart_over(self, step_key, prefix):
        self.charted.append((step_key, prefix))

    def log_step(self, values):
        self.steps.append(values)

    def last_logged(self, key):
        return RecordingRun.last_trial if key == "search/trial" else None

    def log_grid(self, key, path, caption):
        self.grids.append((key, path.name, caption))

    def finish(self, summary):
        self.summary = summary

    def close_failed(self):
        self.closed_failed = True


@pytest.fixture(autouse=True)
def fresh_runs():
    RecordingRun.runs, RecordingRun.fail_on, RecordingRun.last_trial = [], None, None


def _store(tmp_path, cells=6, search: SearchSettings | None = None) -> ExperimentStore:
    x = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[v] for v in range(cells)],
                  labels=[str(v) for v in range(cells)], targets=[[["3", "cfg"]]])
    plan = Plan(axes=[x], loop_order=["x"], cell_nodes=["3", "9"], final_nodes=["9"], base={}, assembler_id="9",
                metrics=(MetricPlan("sharpness", "metric_1"),))
    store = ExperimentStore(tmp_path)
    store.create(Experiment(id=EID, name="t", created=1.0, updated=1.0, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=cells, final_prompt_id=None,
                            plan=plan, options=Options(search=search), source={"workflow": {"nodes": []}},
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
    assert run.steps == [] and run.charted == [] and "trial" not in run.columns  # a sweep has no trials
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


SEARCH = SearchSettings(objective="sharpness", budget=5, goal=MetricGoal.LOWER)


@pytest.fixture()
def flush_each_message(monkeypatch):
    """Every cell message is its own flush (a batch), and no WANDB_DIR of the machine's is looked in."""
    monkeypatch.setattr(tracker_module, "FLUSH_SECONDS", 0.0)
    monkeypatch.delenv("WANDB_DIR", raising=False)


def _done(store, index, value):
    store.finish_cell(EID, index, [f"cells/{index}.png"], metrics={"sharpness": value})


def _trials(run):
    return [(s["search/trial"], s["search/cell"], s.get("search/sharpness"), s.get("search/best sharpness"))
            for s in run.steps]


def test_a_searchs_trials_are_logged_in_the_order_run_across_flushes_and_a_reopened_run_numbers_on(
        tmp_path, flush_each_message):
    store = _store(tmp_path, search=SEARCH)
    tracker = Tracker(open_run=RecordingRun)
    tracker.start(store, store.experiment(EID))
    _done(store, 0, 0.4)
    time.sleep(0.01)
    _done(store, 2, 0.6)
    tracker.cell(store, EID, 2)  # cell 0's message never came (dropped): its trial still goes first
    assert tracker.wait_idle(30)
    store.update_cell(EID, 4, status=CellStatus.FAILED, error="boom")  # the store gives a failed cell no time
    tracker.cell(store, EID, 4)
    assert tracker.wait_idle(30)
    _done(store, 1, 0.3)
    tracker.cell(store, EID, 1)
    assert tracker.wait_idle(30)
    first = RecordingRun.runs[0]
    assert first.charted == [("search/trial", "search/")]
    assert first.flushes >= 3  # the trials came in separate flushes
    assert _trials(first) == [(1, 0, 0.4, 0.4), (2, 2, 0.6, 0.4), (3, 4, None, 0.4), (4, 1, 0.3, 0.3)]
    assert {r["index"]: r["trial"] for r in first.rows} == {0: 1, 2: 2, 4: 3, 1: 4}
    assert first.columns[:2] == ["index", "trial"]
    tracker.close_all()  # the process feeding it stopped: the run closes as it stands, its rows are tracked
    assert tracker.wait_idle(30)

    reopened = Tracker(open_run=RecordingRun)  # resumed: the same run, numbering on, nothing logged twice
    reopened.start(store, store.experiment(EID))
    _done(store, 3, 0.35)
    reopened.cell(store, EID, 3)
    _done(store, 5, 0.1)
    reopened.cell(store, EID, 5)
    reopened.finish(store, EID)
    assert reopened.wait_idle(30)
    second = RecordingRun.runs[1]
    assert second.run_id == first.run_id
    assert _trials(second) == [(5, 3, 0.35, 0.3), (6, 5, 0.1, 0.1)]
    assert sorted(r["index"] for r in second.rows) == [3, 5]
    assert second.summary["search"] == {"sampler": "TPE", "objective": "sharpness", "goal": "lower is better",
                                        "budget": 5, "trials run": 6, "failed": 1, "best value": 0.1,
                                        "best cell": 5, "best labels": {"x": "5"}}


def test_after_a_kill_trials_the_log_holds_are_not_logged_again_and_numbering_goes_on(tmp_path, monkeypatch,
                                                                                     flush_each_message):
    store = _store(tmp_path, search=SEARCH)
    for index, value in ((0, 0.5), (2, 0.2), (4, 0.9)):
        _done(store, index, value)
        time.sleep(0.01)
    state = store.experiment(EID).tracking
    store.update_experiment(EID, tracking=state.but(status=TrackingStatus.LOGGING))  # its process was killed
    # its log holds the trials of cells 0, 2 and 4 but only the rows of 0 and 2 (the last flush was cut short)
    monkeypatch.setattr(tracker_module, "earlier_folders", lambda folder, run_id: [tmp_path / "offline-run-1"])
    monkeypatch.setattr(tracker_module, "logged_before", lambda folder: LoggedBefore({0, 2}, {1: 0, 2: 2, 3: 4}))
    tracker = Tracker(open_run=RecordingRun)
    tracker.start(store, store.experiment(EID))
    _done(store, 1, 0.1)
    tracker.cell(store, EID, 1)
    tracker.finish(store, EID)
    assert tracker.wait_idle(30)
    [run] = RecordingRun.runs
    assert _trials(run) == [(4, 1, 0.1, 0.1)]  # cell 4's trial is in the log: its row only is logged again
    assert {r["index"]: r["trial"] for r in run.rows} == {4: 3, 1: 4}


def test_a_reopened_online_run_numbers_on_from_what_its_summary_says(tmp_path, flush_each_message):
    store = _store(tmp_path, search=SEARCH)
    _done(store, 0, 0.5)
    store.update_cell(EID, 0, tracked=True)  # logged before; then a retried failed cell's trial 2 was logged too
    RecordingRun.last_trial = 2
    tracker = Tracker(open_run=RecordingRun)
    tracker.start(store, store.experiment(EID))
    _done(store, 1, 0.7)
    tracker.cell(store, EID, 1)
    assert tracker.wait_idle(30)
    assert _trials(RecordingRun.runs[0]) == [(3, 1, 0.7, 0.5)]
