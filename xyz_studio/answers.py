"""What the pack's HTTP routes answer: frozen JsonRecords, one per answer and per record in one.

api_views builds them (and the action routes take them from the experiment package); their JSON is
what goes on the wire, and harness/make_js_protocol.py writes them into js/src/protocol.ts as
TypeScript interfaces, which the frontend reads. The runner reads the answers it needs back through
their from_json.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .protocol import JsonRecord
from .reporting.health import WorkerHealth, WorkerState
from .storage.records import ExperimentHeadline, ExperimentStatus, GridFile


@dataclass(frozen=True, kw_only=True)
class ListedExperimentAnswer(ExperimentHeadline):
    """One experiment of a listing page: its headline with the status shown, cell counts, shape and cover."""

    # status, as shown: a run cut off by a restart or its lost queue is interrupted
    counts: dict[str, int]       # cells per CellStatus word (only the statuses that have any)
    shape: dict[str, int] | None  # values per axis slot; null: a plan this version cannot read
    cover: str | None            # the file its row shows: the first grid, else the first finished cell
    disk_bytes: int              # its folder
    search_budget: int | None    # a search's budget of cells (it runs at most that many); null: a sweep


@dataclass(frozen=True)
class ExperimentPageAnswer(JsonRecord):
    """GET ROUTE_EXPERIMENTS: a page of experiments, newest first."""

    experiments: list[ListedExperimentAnswer]
    total: int                   # how many match (created at or before `before`, when given)
    limit: int
    offset: int
    q: str
    before: float | None
    newer: int                   # how many match but were created after `before` (0 without it)
    disk_bytes: int              # all experiments' folders and the store

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "experiments": [e.to_json() for e in self.experiments]}  # their grids as lists


@dataclass(frozen=True)
class WorkerAnswer(JsonRecord):
    """One server of an experiment over several, as this process knows it."""

    url: str
    state: WorkerState | None    # null: not heard of yet
    done: int                    # its cells of this experiment saved
    last_error: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkerAnswer:
        state = data["state"]
        return cls(url=data["url"], state=WorkerState(state) if state is not None else None, done=data["done"],
                   last_error=data["last_error"])


@dataclass(frozen=True, kw_only=True)
class ExperimentStatusAnswer(ExperimentHeadline):
    """GET ROUTE_EXPERIMENT: an experiment's headline with the status shown, and its progress."""

    counts: dict[str, int]
    done: int
    failed: int
    final_prompt_id: str | None  # the final prompt, once queued
    folder: str                  # the experiment's folder on the server
    tracking: dict[str, Any] | None  # its W&B run (TrackingState's JSON); null: none
    workers: list[WorkerAnswer] | None  # null: run on this server only

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExperimentStatusAnswer:
        workers = data["workers"]
        return cls(**{**{name: data[name] for name in cls.__dataclass_fields__},
                      "status": ExperimentStatus(data["status"]), "grids": tuple(GridFile(**g) for g in data["grids"]),
                      "workers": [WorkerAnswer.from_json(w) for w in workers] if workers is not None else None})


@dataclass(frozen=True)
class LatestAnswer(JsonRecord):
    """GET ROUTE_LATEST: the newest experiment run through one Grid Assembler of one editor workflow."""

    experiment: str | None       # null: none


@dataclass(frozen=True)
class SourceWorkflowAnswer(JsonRecord):
    """GET ROUTE_WORKFLOW: the workflow that started an experiment."""

    id: str
    workflow: Any                # the editor's graph; null when queued as an API prompt (runner, script)
    prompt: Any                  # the API prompt
    assembler: str | None        # the Grid Assembler it ran through


@dataclass(frozen=True)
class StoreHealth(JsonRecord):
    """The store of a health answer, read: where it is, its schema version, how many experiments it holds."""

    ok: bool                     # true
    path: str
    schema: int
    experiments: int


@dataclass(frozen=True)
class StoreBroken(JsonRecord):
    """The store of a health answer, when it cannot be read: where it is and why."""

    ok: bool                     # false
    path: str
    error: str                   # the exception's type and message


@dataclass(frozen=True)
class RunningExperimentHealth(JsonRecord):
    """An experiment of a health answer that is running: its progress, and its servers when spread over several."""

    id: str
    name: str
    total: int
    done: int
    failed: int
    servers: list[str] | None    # its dispatch's servers; null: none running in this process


@dataclass(frozen=True)
class HealthAnswer(JsonRecord):
    """GET ROUTE_HEALTH: can the store be read, what each worker server is doing, what runs."""

    ok: bool                     # the store can be read
    store: StoreHealth | StoreBroken
    workers: list[WorkerHealth]  # every server this process has sent cells to since it started
    experiments: list[RunningExperimentHealth]


@dataclass(frozen=True)
class CancelledAnswer(JsonRecord):
    """POST ROUTE_CANCEL: the experiment, finished with what it has."""

    id: str
    status: ExperimentStatus
    cancelled: int               # cells taken off the queue
    counts: dict[str, int]       # cells per CellStatus word (only the statuses that have any)
    grids: list[GridFile]        # the grids drawn of it


@dataclass(frozen=True)
class RequeuedAnswer(JsonRecord):
    """POST ROUTE_RESUME and ROUTE_RETRY: the cells queued again."""

    id: str
    status: ExperimentStatus     # running
    queued: int                  # cells the server took
    adopted: int                 # cells found saved on disk, recorded without rendering
    total: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RequeuedAnswer:
        return cls(**{**{name: data[name] for name in cls.__dataclass_fields__},
                      "status": ExperimentStatus(data["status"])})


@dataclass(frozen=True)
class DeletedAnswer(JsonRecord):
    """POST ROUTE_DELETE: the experiment's record and folder are gone."""

    id: str
    name: str
    deleted: bool                # true


@dataclass(frozen=True)
class RenamedAnswer(JsonRecord):
    """POST ROUTE_RENAME: the experiment's new name."""

    id: str
    name: str


ANSWERS = (ListedExperimentAnswer, ExperimentPageAnswer, WorkerAnswer, ExperimentStatusAnswer, LatestAnswer,
           SourceWorkflowAnswer, StoreHealth, StoreBroken, RunningExperimentHealth, WorkerHealth, HealthAnswer,
           CancelledAnswer, RequeuedAnswer, DeletedAnswer, RenamedAnswer)
