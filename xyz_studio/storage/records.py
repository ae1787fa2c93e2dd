"""The typed records the store takes and returns, and the statuses they move through.

One spelling per field: the record's field names are the database's column names, the
keys of the manifest's cells and of the routes' answers. Statuses are Enums whose
values are the words stored and shown ("queued", "done", ...); nowhere else in the
pack's Python are those words spelled out (tests/unit/test_status_words.py checks it;
the editor's copies come from js/src/protocol.ts, generated from these Enums).
`to_json` here is the one place where records become the JSON that the manifest and
the routes serve.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from ..planning.cell_order import CellOrder
from ..planning.plan import Plan
from ..protocol import JsonRecord, TextEnum
from ..search.settings import SearchSettings
from ..servers.server_set import ServerSet
from ..tracking.settings import TrackingState

# The final prompt id of a run whose cells could not all be sent (background queueing
# failed, or no worker answered): no prompt has it, so once no server holds one of its
# cells the run shows interrupted and can be resumed.
NO_FINAL_PROMPT = "not-queued"


class ExperimentStatus(TextEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    PLANNED = "planned"          # a dry run: the layout only
    INTERRUPTED = "interrupted"  # never stored: derived for a run that cannot be making progress

    @property
    def is_final(self) -> bool:
        """The experiment's grids are drawn and it will not change unless resumed or retried."""
        return self in (ExperimentStatus.COMPLETE, ExperimentStatus.CANCELLED, ExperimentStatus.PLANNED)


class CellStatus(TextEnum):
    QUEUED = "queued"        # in ComfyUI's queue (or about to be), not saved yet
    DONE = "done"            # saved and recorded
    FAILED = "failed"        # rejected, errored or never reached the Grid Assembler
    CANCELLED = "cancelled"  # taken off the queue by a cancel
    PLANNED = "planned"      # a dry run's placeholder

    @property
    def is_unfinished(self) -> bool:
        """Resume queues these again (a failed cell needs retry_failed instead)."""
        return self in (CellStatus.QUEUED, CellStatus.CANCELLED)


@dataclass(frozen=True)
class Options:
    """The Grid Driver's settings for one experiment."""

    name: str = "XYZ experiment"
    max_cells: int = 500
    dry_run: bool = False
    max_megapixels: float = 64.0
    order: CellOrder = CellOrder.COST_AWARE
    servers: ServerSet | None = None  # several servers (a Servers node on the Grid Driver); None: this one only
    super_grid: bool = False  # also draw each Z value's grid as a block of one PNG (grids/super_grid.py)
    # a Search node on the Grid Driver: a metric picks which cells run (its goal stored resolved); None: every cell
    search: SearchSettings | None = None

    def to_json(self) -> dict[str, Any]:
        as_json = {**asdict(self), "order": self.order.value,
                   "servers": self.servers.to_json() if self.servers else None}
        del as_json["search"]  # only a search's options name it: a sweep's JSON is as it always was
        return {**as_json, "search": self.search.to_dict()} if self.search else as_json

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Options:
        known = {k: data[k] for k in ("name", "max_cells", "dry_run", "max_megapixels", "super_grid") if k in data}
        servers, search = data.get("servers"), data.get("search")
        return cls(**known, order=CellOrder(data.get("order", CellOrder.COST_AWARE.value)),
                   servers=ServerSet.from_json(servers) if isinstance(servers, dict) else None,
                   search=SearchSettings.from_dict(search) if isinstance(search, dict) else None)

    @property
    def dispatched(self) -> ServerSet | None:
        """The servers its cells are dispatched over (servers/dispatch.py), or None when they all go
        into this server's queue at once. A search is always dispatched, with one cell in flight
        per server: each proposal waits for the values before it (the local server alone when no
        Servers node is wired)."""
        if self.search is None:
            return self.servers
        return replace(self.servers or ServerSet(), max_in_flight=1)


@dataclass(frozen=True)
class GridFile(JsonRecord):
    """One drawn grid: one per combination of the values of the axes after X and Y."""

    z: int         # the grid's number: its cells' index // (columns * rows)
    file: str      # relative to the experiment folder
    width: int
    height: int
    labels: dict[str, str] = field(default_factory=dict)  # by axis slot: its value on each axis after X and Y


@dataclass(frozen=True)
class SuperGridFile(JsonRecord):
    """One super-grid (the Grid Driver's super_grid option): the grids of every Z value as blocks of one PNG,
    one per combination of the values of the axes after Z. Listed apart from the grids (the manifest's
    `super_grids`), so a reader that takes `grids` as one per grid number reads them as before."""

    index: int     # which combination of the axes after Z (0 with three axes)
    file: str      # relative to the experiment folder
    width: int
    height: int
    labels: dict[str, str] = field(default_factory=dict)  # by axis slot: its value on each axis after Z


@dataclass(frozen=True)
class ExperimentHeadline(JsonRecord):
    """An experiment's name, times, status, size and grids: the JSON of its summary, and what the routes'
    answers about it (answers.py) start with, these keys in this order."""

    id: str
    name: str
    created: float
    updated: float
    finished: float | None
    status: ExperimentStatus
    dry_run: bool
    total: int
    grids: tuple[GridFile, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "grids": [g.to_json() for g in self.grids]}  # a JSON list, as read back


@dataclass(frozen=True, kw_only=True)
class ExperimentSummary(ExperimentHeadline):
    """What a history listing shows of an experiment (no plan, no workflow)."""

    final_prompt_id: str | None

    def headline(self, status: ExperimentStatus | None = None) -> dict[str, Any]:
        """Its headline's fields, as keywords for an answer that starts with them; `status`: the one shown."""
        return {**{f.name: getattr(self, f.name) for f in fields(ExperimentHeadline)}, "status": status or self.status}

    def to_json(self) -> dict[str, Any]:
        return ExperimentHeadline(**self.headline()).to_json()


@dataclass(frozen=True)
class ListedExperiment:
    """A listing's row as the store reads it in one query: the summary, its cell counts, its
    plan's {slot: values} (None for a plan this version cannot read), its first finished cell's file
    and, for a search, its budget of cells."""

    summary: ExperimentSummary
    counts: CellCounts
    shape: dict[str, int] | None
    first_done_file: str | None
    search_budget: int | None = None

    @property
    def cover(self) -> str | None:
        """The file a listing shows: its first grid, else its first finished cell."""
        return self.summary.grids[0].file if self.summary.grids else self.first_done_file


@dataclass(frozen=True)
class UnreadablePlan:
    """A stored plan this version cannot read (planned by a newer pack, or damaged), kept as it
    was stored: its experiment is still listed, shown and deleted, and whatever needs the plan
    gets `problem` (NewerRecord for a newer pack's plan)."""

    stored: Any
    problem: Exception = field(compare=False)


@dataclass(frozen=True)
class Experiment(ExperimentSummary):
    """A whole experiment: its plan, options and source workflow."""

    plan: Plan | UnreadablePlan = field(kw_only=True)  # read once, by the store
    options: Options = Options()
    source: dict[str, Any] | None = None  # {"workflow": UI graph or None, "prompt": API prompt} as queued
    tracking: TrackingState | None = None  # W&B logging, when a W&B Logger is wired to the Grid Driver
    super_grids: tuple[SuperGridFile, ...] = ()  # drawn with the grids when the options ask for them

    @property
    def workflow_id(self) -> str | None:
        """The id of the editor workflow it was queued from (None for an API prompt)."""
        return workflow_id_of((self.source or {}).get("workflow"))

    @property
    def readable_plan(self) -> Plan:
        """Its plan; raises why this version cannot read it (NewerRecord for a newer pack's plan)."""
        if isinstance(self.plan, UnreadablePlan):
            raise self.plan.problem
        return self.plan

    @property
    def assembler_id(self) -> str | None:
        """The Grid Assembler it ran through, as its plan names it, even a plan this version cannot read."""
        if isinstance(self.plan, Plan):
            return self.plan.assembler_id
        found = self.plan.stored.get("assembler_id") if isinstance(self.plan.stored, dict) else None
        return found if isinstance(found, str) else None


def workflow_id_of(workflow: Any) -> str | None:
    """A saved editor workflow's own id (the frontend's graph id), if it has one."""
    found = workflow.get("id") if isinstance(workflow, dict) else None
    return found if isinstance(found, str) and found else None


@dataclass(frozen=True)
class Cell:
    """One cell of an experiment: its place in the grid and in the run, and its outcome."""

    experiment_id: str
    index: int               # (z * ny + y) * nx + x
    x: int
    y: int
    z: int
    run_order: int           # position in the run (cost-aware order), 0 first
    status: CellStatus
    prompt_id: str | None = None
    attempts: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    seconds: float | None = None
    files: tuple[str, ...] = ()  # relative to the experiment folder
    error: str | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)  # by metric name; None: missing
    tracked: bool = False    # its row reached the experiment's tracker (W&B); resume logs the others
    worker: str | None = None  # the URL of the server it was sent to last (the one that ran it, once done)

    def entry(self) -> dict[str, Any]:
        """Its CellEntry fields, as keywords for a record that starts with them (the manifest's cell)."""
        return {**{name: getattr(self, name) for name in _CELL_ENTRY_FIELDS}, "files": list(self.files)}

    def to_json(self) -> dict[str, Any]:
        """The manifest's cell entry, less the labels and values (which come from the plan)."""
        return CellEntry(**self.entry()).to_json()


@dataclass(frozen=True)
class CellEntry(JsonRecord):
    """A cell as the manifest lists it, less its labels and values (which come from the plan)."""

    index: int
    x: int
    y: int
    z: int
    run_order: int
    status: CellStatus
    prompt_id: str | None
    attempts: int
    seconds: float | None
    started_at: float | None
    finished_at: float | None
    files: list[str]
    error: str | None
    metrics: dict[str, float | None]
    worker: str | None


_CELL_ENTRY_FIELDS = tuple(f.name for f in fields(CellEntry))


@dataclass(frozen=True)
class CellCounts:
    """How many of an experiment's cells are in each status."""

    queued: int = 0
    done: int = 0
    failed: int = 0
    cancelled: int = 0
    planned: int = 0

    @classmethod
    def of(cls, statuses: Iterable[CellStatus | str]) -> CellCounts:
        return cls.from_tally(Counter(CellStatus(s).value for s in statuses))

    @classmethod
    def from_tally(cls, tally: Mapping[str, int]) -> CellCounts:
        """From {status word: cells} (an SQL GROUP BY, a route's answer)."""
        return cls(**{status.name.lower(): int(tally.get(status.value, 0)) for status in CellStatus})

    def __getitem__(self, status: CellStatus) -> int:
        return int(getattr(self, CellStatus(status).name.lower()))

    @property
    def total(self) -> int:
        return sum(self[status] for status in CellStatus)

    @property
    def settled(self) -> int:
        """Cells that will not change without a resume or retry: all but the queued ones."""
        return self.total - self.queued

    def to_json(self) -> dict[str, int]:
        """{status word: cells} for the statuses that have any (the manifest's and routes' shape)."""
        return {status.value: self[status] for status in CellStatus if self[status]}
