"""Names and payloads shared by the Python side, the routes, the frontend and saved files.

Defined once here: node ids (never change them: saved workflows refer to them),
custom types, websocket events and their payloads, route paths, and the job record
that travels with every prompt the pack queues.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import Field, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # the statuses live with the records; their members are their words in JSON
    from .storage.records import CellStatus, ExperimentStatus


def strict_json(value: Any, **options: Any) -> str:
    """JSON text that any strict parser reads: NaN and Infinity raise ValueError here
    instead of reaching ComfyUI's queue, its history, a route or a file, where browsers
    and other strict clients could no longer parse them."""
    return json.dumps(value, allow_nan=False, **options)


class TextEnum(str, Enum):
    """An Enum whose members are their word: in JSON, f-strings and SQL alike."""

    _value_: str

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


class JsonRecord:
    """A dataclass whose JSON form is its fields as they are, an Enum member as its word."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # each subclass is a @dataclass

    def to_json(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in self.__dataclass_fields__}


def _plain(value: Any) -> Any:
    """`value` as JSON data: a record as its JSON, containers as new lists and dicts (the record's
    own stay its own), an Enum member as its word (a str subclass: plain text is what every JSON
    reader and logger takes alike). What dataclasses.asdict did, without its deep copy of every
    leaf, which made a 10,000-cell manifest cost seconds."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, JsonRecord):
        return value.to_json()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


NAMESPACE = "xyz_studio"

NODE_AXIS = "XYZStudio.Axis"
NODE_DRIVER = "XYZStudio.GridDriver"
NODE_ASSEMBLER = "XYZStudio.GridAssembler"
NODE_WANDB_LOGGER = "XYZStudio.WandbLogger"
NODE_SERVERS = "XYZStudio.Servers"
NODE_SEARCH = "XYZStudio.Search"
OUR_NODES = frozenset({NODE_AXIS, NODE_DRIVER, NODE_ASSEMBLER, NODE_WANDB_LOGGER, NODE_SERVERS, NODE_SEARCH})
# image metric nodes: they run inside each cell's graph (a worker server needs the pack for them)
NODE_SHARPNESS = "XYZStudio.Sharpness"
NODE_BATCH_DIVERSITY = "XYZStudio.BatchDiversity"
NODE_IMAGE_CLOSENESS = "XYZStudio.ImageCloseness"
NODE_BRISQUE = "XYZStudio.Brisque"

AXIS_TYPE = "XYZ_AXIS"
TRACKING_TYPE = "XYZ_TRACKING"  # the W&B Logger's output, into the Grid Driver's `tracking` input
SERVERS_TYPE = "XYZ_SERVERS"    # the Servers node's output, into the Grid Driver's `servers` input
SEARCH_TYPE = "XYZ_SEARCH"      # the Search node's output, into the Grid Driver's `search` input
AXIS_VALUE_OUTPUTS = 4          # value, value_2 .. value_4: paired values per axis
# The Grid Driver's axis inputs, in cell index order (X varies fastest): X across each grid's
# columns, Y down its rows, one grid per combination of the values of the others. The node
# declares these; past the last, the editor adds `axis9`, `axis10`, ... as they are wired
# (js/src/node_shapes.ts), so there is no limit. Those are the same names on every host:
# V3's own growing inputs name them by host version, which would break shared workflows.
AXIS_SLOTS = ("x", "y", "z", "axis4", "axis5", "axis6", "axis7", "axis8")
GRID_AXES = 3                   # x, y and z are always in a manifest's shape, even without an axis
_FURTHER_SLOT = re.compile(r"axis([1-9][0-9]{0,3})")  # axis4 .. axis9999


def axis_slot_number(name: str) -> int | None:
    """1 for x, 2 for y, 3 for z, n for `axis<n>` (n > 3); None for any other input name."""
    if name in AXIS_SLOTS[:GRID_AXES]:
        return AXIS_SLOTS.index(name) + 1
    match = _FURTHER_SLOT.fullmatch(name)
    return int(match.group(1)) if match and int(match.group(1)) > GRID_AXES else None


def axis_slot(number: int) -> str:
    """The input name of axis `number` (1-based): x, y, z, axis4, axis5, ..."""
    if number < 1:
        raise ValueError(f"axis number {number}: expected 1 or more")
    return AXIS_SLOTS[number - 1] if number <= GRID_AXES else f"axis{number}"


def axis_slots_in(names: Iterable[str]) -> tuple[str, ...]:
    """Every axis slot up to the highest one among `names` (at least the declared ones), in
    cell index order: what to look for in a Grid Driver's inputs."""
    numbers = [n for n in map(axis_slot_number, names) if n is not None]
    return tuple(axis_slot(n) for n in range(1, max([len(AXIS_SLOTS), *numbers]) + 1))

# The Grid Assembler's per-cell inputs: the image and the metrics (each metric input has a
# name widget and a goal widget beside it). Only a cell's prompt evaluates them.
IMAGE_INPUT = "image"
METRIC_INPUTS = ("metric_1", "metric_2", "metric_3")
CELL_INPUTS = (IMAGE_INPUT, *METRIC_INPUTS)
SHOW_METRICS_INPUT = "show_metrics"


def metric_name_input(metric_input: str) -> str:
    return f"{metric_input}_name"


def metric_goal_input(metric_input: str) -> str:
    return f"{metric_input}_goal"

# HTTP routes (also served under /api/...).
ROUTE_PREFIX = f"/{NAMESPACE}"
ROUTE_EXPERIMENTS = f"{ROUTE_PREFIX}/experiments"
ROUTE_HEALTH = f"{ROUTE_PREFIX}/health"  # the store, each worker server, the running experiments
ROUTE_EXPERIMENT = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}"
ROUTE_MANIFEST = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/manifest"
ROUTE_FILE = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/files/{{name:.+}}"
# a scaled copy of a cell or grid file: ?size=N px on the longer side (default 256; see storage.thumbnails)
ROUTE_THUMBNAIL = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/thumbnails/{{name:.+}}"
ROUTE_WORKFLOW = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/workflow"  # the source workflow, as queued
ROUTE_CANCEL = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/cancel"      # POST
ROUTE_RESUME = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/resume"      # POST
ROUTE_RETRY = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/retry_failed"  # POST
ROUTE_DELETE = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/delete"      # POST: record and folder; 409 while running
ROUTE_RENAME = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/rename"      # POST {"name": text}
ROUTE_EXPORT_HTML = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/export/html"  # the standalone viewer, as a zip
ROUTE_EXPORT_SCRIPT = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/export/script"  # the sweep as a ComfyScript
ROUTE_EXPORT_CELLS = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/export/cells"  # every cell PNG, as a zip
# an animated WebP or GIF along one axis: ?axis=<slot>&at=<slot>=<i>,...&format=webp|gif&ms=<frame ms>
ROUTE_EXPORT_FLIPBOOK = f"{ROUTE_PREFIX}/experiments/{{experiment_id}}/export/flipbook"
# the newest experiment run through one Grid Assembler of one editor workflow (?workflow=&assembler=):
# how a reloaded page or a second tab finds what a node's panel shows
ROUTE_LATEST = f"{ROUTE_PREFIX}/latest"


def route_path(route: str, experiment_id: str, name: str | None = None) -> str:
    """A route with its parts filled in (the file name's `{name:.+}` is aiohttp's pattern, not a format)."""
    path = route.replace("{experiment_id}", urllib.parse.quote(experiment_id, safe=""))
    return path.replace("{name:.+}", urllib.parse.quote(name, safe="/")) if name is not None else path

# The Grid Assembler node property naming the experiment its panel shows (js/src/panel.ts
# EXPERIMENT_PROPERTY); set in the workflow a grid PNG carries, so dropping it shows its results.
ASSEMBLER_EXPERIMENT_PROPERTY = "xyz_experiment"

# Key in the Grid Driver's UI output that carries the experiment id (read by the runner).
UI_EXPERIMENT_KEY = "xyz_studio_experiment"

OUTPUT_SUBFOLDER = NAMESPACE   # <ComfyUI output>/xyz_studio/<experiment id>/


# -- websocket events (PromptServer.send_sync -> api.addEventListener in the browser) ------

EVENT_EXPERIMENT = f"{NAMESPACE}.experiment"
EVENT_CELL = f"{NAMESPACE}.cell"
EVENT_DELETED = f"{NAMESPACE}.deleted"  # to every tab: panels showing it show their empty state
EVENT_REFUSED = f"{NAMESPACE}.refused"


@dataclass(frozen=True)
class ExperimentEvent(JsonRecord):
    """EVENT_EXPERIMENT: an experiment was planned and queued, or its grids are drawn."""

    experiment: str
    status: ExperimentStatus
    total: int
    done: int
    failed: int
    counts: dict[str, int] = field(default_factory=dict)  # cells per CellStatus word
    grids: list[str] = field(default_factory=list)        # grid files, relative to the experiment folder
    assembler: str | None = None  # node id of the Grid Assembler in the queued workflow (its panel shows it)
    workflow: str | None = None   # id of the editor workflow it was queued from: only its tabs' panels show it


@dataclass(frozen=True)
class CellEvent(JsonRecord):
    """EVENT_CELL: one cell was saved (status done), or could not be (failed, with the error)."""

    experiment: str
    index: int
    x: int
    y: int
    z: int
    status: CellStatus
    files: list[str]            # relative to the experiment folder
    done: int
    failed: int
    total: int
    error: str | None = None
    prompt_id: str | None = None  # the cell's prompt (the editor times it from ComfyUI's execution_start)
    metrics: dict[str, float | None] = field(default_factory=dict)  # by metric name; None: missing
    worker: str | None = None   # the URL of the server that rendered it


@dataclass(frozen=True)
class RefusedEvent(JsonRecord):
    """EVENT_REFUSED: a queued XYZ workflow was not queued; ComfyUI's answer marks the node at fault."""

    driver: str                   # node id of the Grid Driver whose experiment was refused
    message: str                  # the pack's message: node, input, value and what was expected
    assembler: str | None = None  # node id of the Grid Assembler (its panel says "Not queued")
    workflow: str | None = None   # id of the editor workflow it was queued from: only its tabs' panels say so


@dataclass(frozen=True)
class DeletedEvent(JsonRecord):
    """EVENT_DELETED: an experiment's record and folder were deleted."""

    experiment: str


# -- the job record in extra_data.extra_pnginfo of every prompt the pack queues ------------

PNGINFO_KEY = NAMESPACE


class JobRole(TextEnum):
    CELL = "cell"          # render and save one cell
    ASSEMBLE = "assemble"  # the final prompt: settle the cells, draw the grids, finish the experiment


@dataclass(frozen=True)
class Job:
    """What the Grid Assembler is to do in a prompt. A cell's job carries its
    coordinates, labels and place in the run, so saving it needs no lookup."""

    experiment: str
    role: JobRole
    index: int = -1  # the cell (its key in the prompt stays "cell": saved PNGs and queues carry it); -1: none
    run_order: int | None = None
    x: int = 0
    y: int = 0
    z: int = 0
    labels: dict[str, str] = field(default_factory=dict)
    file_stem: str = ""  # the cell's file name less batch suffix and extension; "": by coordinates (older jobs)
    at: dict[str, int] = field(default_factory=dict)  # its value index on every axis, by slot ({}: an older job)

    def extra_data(self) -> dict[str, Any]:
        """The `extra_data` of the POST /prompt body that queues this job."""
        info: dict[str, Any] = {"experiment": self.experiment, "role": self.role.value}
        if self.role == JobRole.CELL:
            info.update(cell=self.index, run_order=self.run_order, x=self.x, y=self.y, z=self.z, labels=self.labels,
                        file=self.file_stem, at=self.at)
        return {"extra_pnginfo": {PNGINFO_KEY: info}}

    @classmethod
    def from_pnginfo(cls, extra_pnginfo: Any) -> Job | None:
        """The job of the running prompt, or None when it is not one the pack queued."""
        info = extra_pnginfo.get(PNGINFO_KEY) if isinstance(extra_pnginfo, dict) else None
        if not isinstance(info, dict) or not info.get("experiment"):
            return None
        try:
            role = JobRole(info.get("role"))
        except ValueError:
            return None
        if role == JobRole.ASSEMBLE:
            return cls(experiment=str(info["experiment"]), role=role)
        run_order = info.get("run_order")
        return cls(experiment=str(info["experiment"]), role=role, index=int(info["cell"]),
                   run_order=int(run_order) if run_order is not None else None,
                   x=int(info["x"]), y=int(info["y"]), z=int(info["z"]), labels=dict(info.get("labels") or {}),
                   file_stem=str(info.get("file") or ""),
                   at={str(k): int(v) for k, v in (info.get("at") or {}).items()})
