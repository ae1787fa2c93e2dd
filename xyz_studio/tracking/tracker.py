"""The tracker: one thread that owns every W&B run, fed by a queue of small messages.

It runs in the tracker's own process (tracking.process), which ComfyUI's process feeds
through tracking.link: nothing on the render path waits for it, and wandb's Python
work (images, tables, its import) never competes with ComfyUI's worker for the GIL.
If it falls behind by more than `backlog` cells, further cell messages are dropped
with one warning; the rows are not lost: the closing of the run logs every finished
cell it has not logged yet. Cells are marked in the store as logged when
their run closes (only then has wandb surely written them); a run reopened after the
process died first takes as logged what its earlier offline logs hold (offline_log).
A search experiment's run also gets one step per cell run (its trial), in the order the
cells finished: each flush takes every finished cell not logged yet, in that order, and a
reopened run numbers on from the trials logged before, with the best so far.
Whatever goes wrong in here (wandb missing, no key, no network, a crash inside wandb) is
recorded once in the experiment's tracking state, logged once, and the experiment goes on
exactly as without tracking.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path

from ..comfyui.history import HistoryLookup, outcome
from ..common.background import BackgroundWorker
from ..planning.plan import Plan
from ..search.settings import SearchSettings
from ..storage.folder import ExperimentFolder, atomic_write_json
from ..storage.records import Cell, CellStatus, Experiment
from ..storage.store import ExperimentStore
from .offline_log import LoggedBefore, earlier_folders, logged_before
from .run_content import (
    TRIAL_KEY,
    TRIAL_PREFIX,
    TrialTally,
    cell_caption,
    cell_row,
    run_config,
    run_summary,
    search_goal,
    table_columns,
    trial_order,
)
from .settings import TrackingMode, TrackingStatus
from .wandb_run import TrackingUnavailable, WandbRun

log = logging.getLogger("xyz_studio")
CELL_BACKLOG = 512      # cell messages waiting, at most; beyond that they are dropped (logged at the end)
FLUSH_SECONDS = 2.0     # the live table gets its new rows at most this often
QUIET_SECONDS = 2.0     # and the rows still held are flushed after this long without a message
WANDB_FOLDER = "wandb"  # under the studio's folder, unless WANDB_DIR says otherwise
_FINISHED = (CellStatus.DONE, CellStatus.FAILED)


class _Kind(Enum):
    START = "start"
    CELL = "cell"
    FINISH = "finish"
    CLOSE_ALL = "close all"


@dataclass(frozen=True)
class _Message:
    kind: _Kind
    root: Path
    experiment_id: str
    index: int | None = None
    lookup: HistoryLookup | None = None


@dataclass
class _OpenRun:
    run: WandbRun
    store: ExperimentStore
    plan: Plan
    lookup: HistoryLookup | None
    pending: list[int] = field(default_factory=list)  # cells heard of, rows not logged yet
    logged: set[int] = field(default_factory=set)     # rows sent in this run, marked in the store when it closes
    last_flush: float = 0.0
    tally: TrialTally | None = None                        # a search's trials so far; None: a sweep
    trials: dict[int, int] = field(default_factory=dict)   # cell -> its trial number, once logged in this run
    heard: dict[int, float] = field(default_factory=dict)  # when each cell's message came (a failed cell's time)


def _scrubbed(text: str) -> str:
    """A problem as it may be shown and logged: never with the API key in it."""
    key = os.environ.get("WANDB_API_KEY")
    return text.replace(key, "***") if key else text


class Tracker:
    def __init__(self, backlog: int = CELL_BACKLOG, open_run: Callable[..., WandbRun] = WandbRun):
        # the live tables get their new rows when the queue runs empty (at most every FLUSH_SECONDS), and
        # every QUIET_SECONDS while it stays empty
        self._worker: BackgroundWorker[_Message] = BackgroundWorker(
            "W&B tracker", self._take, when_empty=lambda: self._flush_all(force=False),
            quiet_seconds=QUIET_SECONDS, when_quiet=lambda: self._flush_all(force=True))
        self._backlog = backlog
        self._waiting_cells = 0
        self._dropped: dict[str, int] = {}
        self._lock = threading.Lock()
        self._open_run = open_run
        self._runs: dict[str, _OpenRun] = {}   # touched by the tracker's thread only
        self._tracked: set[str] = set()        # experiments with a tracker run (or about to have one)

    # -- called from anywhere; never blocks, never raises -----------------------------------

    def start(self, store: ExperimentStore, experiment: Experiment, lookup: HistoryLookup | None = None) -> None:
        """Open (or, after a restart, reopen) the experiment's run, if it is tracked."""
        if experiment.tracking is None or experiment.tracking.settings.mode == TrackingMode.DISABLED:
            return
        with self._lock:
            self._tracked.add(experiment.id)
        self._put(_Message(_Kind.START, store.root, experiment.id, lookup=lookup))

    def cell(self, store: ExperimentStore, experiment_id: str, index: int) -> None:
        """A cell of the experiment was saved or failed: its row goes into the live table."""
        with self._lock:
            if experiment_id not in self._tracked:
                return
            if self._waiting_cells >= self._backlog:
                self._dropped[experiment_id] = self._dropped.get(experiment_id, 0) + 1
                if self._dropped[experiment_id] == 1:
                    log.warning("xyz_studio: W&B logging of experiment %s is behind; the rows of the cells "
                                "finishing now are logged when its run closes", experiment_id)
                return
            self._waiting_cells += 1
        self._put(_Message(_Kind.CELL, store.root, experiment_id, index))

    def finish(self, store: ExperimentStore, experiment_id: str) -> None:
        """The experiment's grids are drawn: log them, the rows left and the summary, and close the run."""
        with self._lock:
            if experiment_id not in self._tracked:
                return
        self._put(_Message(_Kind.FINISH, store.root, experiment_id))

    def close_all(self) -> None:
        """Close every open run as it stands (the process that fed the tracker is gone): what
        they hold is then written, and a reopened run goes on from there."""
        self._put(_Message(_Kind.CLOSE_ALL, Path("."), ""))

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every message so far is handled (tests, and an orderly shutdown)."""
        return self._worker.flush(timeout)

    def _put(self, message: _Message) -> None:
        self._worker.submit(message)

    # -- the tracker's thread ----------------------------------------------------------------

    def _take(self, message: _Message) -> None:
        """One message; _handle reports its own problems (the worker logs anything else)."""
        try:
            self._handle(message)
        finally:
            if message.kind == _Kind.CELL:
                with self._lock:
                    self._waiting_cells -= 1

    def _handle(self, message: _Message) -> None:
        if message.kind == _Kind.CLOSE_ALL:
            for eid, opened in list(self._runs.items()):
                try:
                    self._close(opened.store, eid)
                except Exception as e:  # noqa: BLE001 - whatever wandb raises is recorded, never the run's end
                    self._fail(opened.store, eid, e)
            return
        store = ExperimentStore(message.root)
        eid = message.experiment_id
        try:
            if message.kind == _Kind.START:
                self._start(store, eid, message.lookup)
            elif message.kind == _Kind.CELL:
                if eid in self._runs and message.index is not None:  # a cell message always has its index
                    self._runs[eid].pending.append(message.index)
                    self._runs[eid].heard[message.index] = time.time()
                    self._flush(store, eid, force=False)
            elif message.kind == _Kind.FINISH and eid in self._runs:
                self._finish(store, eid)
        except Exception as e:  # noqa: BLE001 - as above: recorded in the tracking state, the experiment goes on
            self._fail(store, eid, e)

    def _start(self, store: ExperimentStore, eid: str, lookup: HistoryLookup | None) -> None:
        if eid in self._runs:  # resumed while its run is still open here
            self._runs[eid].lookup = lookup or self._runs[eid].lookup
            return
        experiment = store.experiment(eid)
        state = experiment.tracking
        if state is None:
            return
        plan = experiment.readable_plan
        settings = state.settings
        folder = Path(os.environ.get("WANDB_DIR") or store.root / WANDB_FOLDER)
        search = experiment.options.search
        run = self._open_run(settings, state.run_id, settings.run_name or experiment.name,
                             run_config(experiment, plan), settings.tags, folder,
                             table_columns(plan, settings.log_cells, search=search is not None))
        opened = self._runs[eid] = _OpenRun(run, store, plan, lookup, last_flush=time.monotonic())
        first_start = state.status == TrackingStatus.STARTING
        # the process that had this run open died: what its log holds is logged already
        crashed = state.status == TrackingStatus.LOGGING and settings.mode == TrackingMode.OFFLINE
        before = LoggedBefore()
        if settings.mode == TrackingMode.OFFLINE and (crashed or search is not None):
            for earlier in earlier_folders(folder, state.run_id):
                if str(earlier) != run.folder:
                    before |= logged_before(earlier)
        if crashed:
            store.update_cells(eid, {i: {"tracked": True} for i in before.rows})
        if search is not None:
            self._open_trials(opened, store.cells(eid), search, before, crashed)
        store.update_experiment(eid, tracking=state.but(status=TrackingStatus.LOGGING, url=run.url,
                                                        folder=run.folder, problem=None))
        if first_start:
            source = experiment.source or {}
            experiment_folder = ExperimentFolder(store.root, eid)
            experiment_folder.create()
            workflow = experiment_folder.dir / "workflow.json"
            atomic_write_json(workflow, source.get("workflow") or source.get("prompt") or {})
            run.log_file(workflow, f"workflow-{state.run_id}", "workflow")
        opened.pending += [c.index for c in store.cells(eid) if c.status in _FINISHED and not c.tracked]
        self._flush(store, eid, force=True)

    def _flush_all(self, force: bool) -> None:
        for eid, opened in list(self._runs.items()):
            try:
                self._flush(opened.store, eid, force)
            except Exception as e:  # noqa: BLE001 - as above
                self._fail(opened.store, eid, e)

    def _flush(self, store: ExperimentStore, eid: str, force: bool) -> None:
        opened = self._runs[eid]
        if not opened.pending or (not force and time.monotonic() - opened.last_flush < FLUSH_SECONDS):
            return
        if opened.tally is None:
            wanted = set(opened.pending) - opened.logged
            cells = [c for c in store.cells(eid) if c.index in wanted and c.status in _FINISHED and not c.tracked]
        else:
            # a search's trials go in the order run: every finished cell not logged yet (whichever messages
            # came, or were dropped), a cell that finished earlier first
            cells = trial_order((c for c in store.cells(eid) if not c.tracked and c.index not in opened.logged),
                                opened.heard)
            opened.tally = self._log_trials(opened, opened.tally, cells)
        seconds = self._seconds(opened, cells)
        folder = ExperimentFolder(store.root, eid)
        for cell in cells:
            image = folder.dir / cell.files[0] if cell.files and cell.status == CellStatus.DONE else None
            opened.run.add_row(cell_row(opened.plan, cell, seconds.get(cell.index), opened.trials.get(cell.index)),
                               image, cell_caption(opened.plan, cell, seconds.get(cell.index)))
        opened.run.flush_rows()
        opened.logged |= {c.index for c in cells}
        opened.pending.clear()
        opened.last_flush = time.monotonic()

    @staticmethod
    def _open_trials(opened: _OpenRun, cells: list[Cell], search: SearchSettings, before: LoggedBefore,
                     crashed: bool) -> None:
        """A search's trials, charted over their number. A reopened run numbers on from the trials it
        logged before: its tracked cells, after a kill those its earlier logs hold (not logged again),
        and what an online run's summary says; its best so far is theirs."""
        opened.run.chart_over(TRIAL_KEY, TRIAL_PREFIX)
        in_log = {cell: trial for trial, cell in before.trials.items()} if crashed else {}
        tally = TrialTally(search.objective, search_goal(search, opened.plan))
        for cell in trial_order(cells):
            if cell.tracked or cell.index in in_log:
                tally = tally.counting(cell)
        last = opened.run.last_logged(TRIAL_KEY)
        numbered = max(tally.run, before.last_trial, last if isinstance(last, int) else 0)
        opened.tally = replace(tally, run=numbered)
        opened.trials = in_log

    @staticmethod
    def _log_trials(opened: _OpenRun, tally: TrialTally, cells: list[Cell]) -> TrialTally:
        """One step per cell run, in the order given (the order run), before their rows: a trial
        whose row a kill lost is found in the log and not logged again."""
        for cell in cells:
            if cell.index in opened.trials:
                continue
            tally, step = tally.then(cell)
            opened.run.log_step(step)
            opened.trials[cell.index] = tally.run
        return tally

    @staticmethod
    def _seconds(opened: _OpenRun, cells: list[Cell]) -> dict[int, float]:
        """Each cell's time as ComfyUI recorded it (the store has it only once the grids are drawn)."""
        missing = [(c.index, prompt_id) for c in cells if c.seconds is None and (prompt_id := c.prompt_id)]
        if not missing or opened.lookup is None:
            return {}
        try:
            entries = opened.lookup([prompt_id for _, prompt_id in missing])
        except Exception:  # a time is nice to have; the row goes without it
            log.debug("xyz_studio: could not read cell times for W&B", exc_info=True)
            return {}
        times = {index: outcome(entries.get(prompt_id)).seconds for index, prompt_id in missing}
        return {i: s for i, s in times.items() if s is not None}

    def _finish(self, store: ExperimentStore, eid: str) -> None:
        opened = self._runs[eid]
        opened.pending += [c.index for c in store.cells(eid) if c.status in _FINISHED and not c.tracked]
        self._flush(store, eid, force=True)
        experiment = store.experiment(eid)
        folder = ExperimentFolder(store.root, eid)
        for grid in experiment.grids:
            named = opened.plan.grid_labels(grid.z)
            caption = ", ".join(f"{axis.title}: {label}" for axis, label in named) if named else experiment.name
            opened.run.log_grid(f"grid/z{grid.z}", folder.dir / grid.file, caption)
        titles = {axis.slot: axis.title or axis.slot for axis in opened.plan.axes}
        for super_grid in experiment.super_grids:  # the super_grid option's PNGs, each under its own key
            caption = ", ".join(f"{titles.get(slot, slot)}: {label}" for slot, label in super_grid.labels.items())
            opened.run.log_grid(f"super_grid/{super_grid.index}", folder.dir / super_grid.file,
                                caption or experiment.name)
        opened.run.finish(run_summary(experiment, opened.plan, store.cells(eid)))
        del self._runs[eid]
        store.update_cells(eid, {i: {"tracked": True} for i in opened.logged})
        state = store.experiment(eid).tracking
        if state is not None:
            store.update_experiment(eid, tracking=state.but(status=TrackingStatus.FINISHED))
        dropped = self._dropped.pop(eid, 0)
        if dropped:
            log.info("xyz_studio: W&B run of experiment %s is complete (%d rows logged late)", eid, dropped)

    def _close(self, store: ExperimentStore, eid: str) -> None:
        """Close a run whose experiment is not finished; its state stays "logging" for a resume."""
        opened = self._runs[eid]
        opened.pending += [c.index for c in store.cells(eid) if c.status in _FINISHED and not c.tracked]
        self._flush(store, eid, force=True)
        experiment = store.experiment(eid)
        opened.run.finish(run_summary(experiment, opened.plan, store.cells(eid)))
        del self._runs[eid]
        store.update_cells(eid, {i: {"tracked": True} for i in opened.logged})

    def _fail(self, store: ExperimentStore, eid: str, error: Exception) -> None:
        problem = _scrubbed(f"W&B logging stopped: {error}" if isinstance(error, TrackingUnavailable)
                            else f"W&B logging stopped: {type(error).__name__}: {error}")
        log.warning("xyz_studio: experiment %s: %s; the experiment goes on without it", eid, problem)
        opened = self._runs.pop(eid, None)
        with self._lock:
            self._tracked.discard(eid)
        if opened is not None:
            try:
                opened.run.close_failed()
                store.update_cells(eid, {i: {"tracked": True} for i in opened.logged})  # closed: they are written
            except Exception:
                log.debug("xyz_studio: could not close the W&B run", exc_info=True)
        try:
            state = store.experiment(eid).tracking
            if state is not None:
                store.update_experiment(eid, tracking=state.but(status=TrackingStatus.FAILED, problem=problem))
        except Exception:
            log.exception("xyz_studio: could not record the W&B problem of experiment %s", eid)
