"""ComfyUI's side of tracking: hand small messages to the tracker's own process, never wait.

The Grid Driver, the cell writer, the drawing of the grids and resume call TRACKER
(start, cell, finish); each call only puts a message in a bounded queue. One thread
writes the queue to the stdin of the tracker process (tracking.process), started on
the first tracked experiment. If that queue is full, cell messages are dropped with
one warning (their rows are logged when the run closes); if the process is gone, the
experiments it was tracking get the problem in their tracking state, once, and a
later experiment starts a new process.
"""
from __future__ import annotations

import logging
import subprocess
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from .. import own_process
from ..common.background import BackgroundWorker
from ..protocol import TextEnum, strict_json
from ..storage.records import Experiment
from ..storage.store import ExperimentStore
from .settings import TrackingMode, TrackingStatus

log = logging.getLogger("xyz_studio")
BACKLOG = 512      # messages waiting for the tracker process, at most
CLOSE_WAIT = 60.0  # seconds the tracker process takes to close its runs when ComfyUI stops


@dataclass(frozen=True)
class ServerAccess:
    """How the tracker process reaches ComfyUI (for the cells' times): its URL and the
    caller's credentials. Sent over the pipe only, never written anywhere."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


class LinkKind(TextEnum):
    START = "start"    # open (or reopen) an experiment's run
    CELL = "cell"      # a cell's row
    FINISH = "finish"  # grids, rows left, summary, close


@dataclass(frozen=True)
class LinkMessage:
    kind: LinkKind
    root: str                      # the store's folder
    experiment_id: str
    index: int | None = None       # the cell, for "cell"
    server_url: str | None = None  # for "start": where to read the cells' times
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkMessage:
        fields = {k: data[k] for k in ("root", "experiment_id", "index", "server_url", "headers") if k in data}
        return cls(kind=LinkKind(data["kind"]), **fields)


class TrackerLink:
    def __init__(self, backlog: int = BACKLOG):
        self._writer: BackgroundWorker[LinkMessage] = BackgroundWorker("tracker link", self._write, backlog)
        self._lock = threading.Lock()
        self._tracked: dict[str, str] = {}  # experiment id -> store folder, while its run may be open
        self._behind: set[str] = set()
        self._process: subprocess.Popen[str] | None = None

    def start(self, store: ExperimentStore, experiment: Experiment, server: ServerAccess | None = None) -> None:
        """Open (or reopen, after a restart) the experiment's W&B run, if it is tracked."""
        tracking = experiment.tracking
        if tracking is None or tracking.settings.mode == TrackingMode.DISABLED:
            return
        with self._lock:
            self._tracked[experiment.id] = str(store.root)
        self._send(LinkMessage(LinkKind.START, str(store.root), experiment.id,
                               server_url=server.url if server else None,
                               headers=dict(server.headers) if server else {}), droppable=False)

    def cell(self, store: ExperimentStore, experiment_id: str, index: int) -> None:
        """A cell was saved or failed: its row goes into the live table."""
        if experiment_id in self._tracked:
            self._send(LinkMessage(LinkKind.CELL, str(store.root), experiment_id, index=index), droppable=True)

    def finish(self, store: ExperimentStore, experiment_id: str) -> None:
        """The grids are drawn: the run gets them, the rows left and the summary, and closes."""
        if experiment_id in self._tracked:
            self._send(LinkMessage(LinkKind.FINISH, str(store.root), experiment_id), droppable=False)

    def _send(self, message: LinkMessage, droppable: bool) -> None:
        # a cell's row is dropped at once when the queue is full; start and finish wait a moment, never more
        if self._writer.submit(message, block=not droppable, timeout=1.0):
            return
        if message.experiment_id not in self._behind:
            self._behind.add(message.experiment_id)
            log.warning("xyz_studio: W&B logging of experiment %s is behind; the rows of the cells finishing "
                        "now are logged when its run closes", message.experiment_id)

    def _write(self, message: LinkMessage) -> None:
        """On the link's thread: one message down the pipe."""
        try:
            pipe = self._pipe()
            pipe.write(strict_json({**asdict(message), "kind": message.kind.value}) + "\n")
            pipe.flush()
        except (OSError, ValueError) as e:  # the process is gone (or never started)
            self._lost(f"the W&B tracker process stopped ({e}); the experiment goes on without it")
        if message.kind == LinkKind.FINISH:
            with self._lock:
                self._tracked.pop(message.experiment_id, None)
            self._behind.discard(message.experiment_id)

    def _pipe(self) -> IO[str]:
        if self._process is None or self._process.poll() is not None:
            low_priority = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)  # Windows; POSIX: os.nice there
            self._process = subprocess.Popen(own_process.command("xyz_studio.tracking.process"),
                                             stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             env=own_process.environment(),
                                             text=True, encoding="utf-8", creationflags=low_priority)
        assert self._process.stdin is not None
        return self._process.stdin

    def _lost(self, problem: str) -> None:
        """Record the problem in every experiment whose run was open in the process that died."""
        with self._lock:
            tracked = dict(self._tracked)
            self._tracked.clear()
        self._process = None
        for experiment_id, root in tracked.items():
            try:
                store = ExperimentStore(Path(root))
                state = store.experiment(experiment_id).tracking
                if state is not None and state.status in (TrackingStatus.STARTING, TrackingStatus.LOGGING):
                    store.update_experiment(experiment_id, tracking=state.but(status=TrackingStatus.FAILED,
                                                                              problem=problem))
                    log.warning("xyz_studio: experiment %s: %s", experiment_id, problem)
            except Exception:
                log.exception("xyz_studio: could not record the W&B problem of experiment %s", experiment_id)


TRACKER = TrackerLink()
