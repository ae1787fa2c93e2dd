"""The manifest: a JSON snapshot of one experiment, written from the store.

Schema "xyz-studio/manifest/3" is documented in the README (3: any number of axes, so
`shape` may go on after z (axis4 ...), each cell says its value index on every axis
(`at`; its `z` is its grid's number), each grid its value on the axes after X and Y
(`labels`), and cells are named by value; 2 added the cells' `metrics` and the `metrics`
summaries; nothing of earlier schemas changed meaning for three axes); tools outside ComfyUI
(the HTML viewer, W&B logging, scripts) read this file, not the database.
Its keys are the records' field names, with two kept from the first schema: `order`
is the plan's loop order (axis slots, outermost first) and `options.order` the
Grid Driver's cell order setting. The records below are its shape, field for key in the
order written; js/src/protocol.ts has them as generated interfaces, which the editor reads.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..metrics.summary import summarise_metrics
from ..planning.plan import AxisMode, AxisPlan, FixedParameter, Plan
from ..protocol import JsonRecord
from .folder import ExperimentFolder, atomic_write_json
from .records import Cell, CellCounts, CellEntry, Experiment, ExperimentStatus, GridFile, SuperGridFile

SCHEMA = "xyz-studio/manifest/3"


@dataclass(frozen=True)
class ManifestAxis(JsonRecord):
    """One axis of an experiment: the inputs it sets, its values and their labels (as its plan stores them)."""

    slot: str
    node_id: str                 # the XYZ Axis node
    title: str
    mode: AxisMode
    search: str | None           # a prompt S/R axis's search term
    targets: list[list[list[str]]]  # per component of a value: [node id, input] of each input it sets
    values: list[list[Any]]      # per value: its components
    labels: list[str]

    @classmethod
    def of(cls, axis: AxisPlan) -> ManifestAxis:
        stored = axis.to_dict()
        return cls(slot=axis.slot, node_id=axis.node_id, title=axis.title, mode=axis.mode, search=axis.search,
                   targets=stored["targets"], values=stored["values"], labels=stored["labels"])


@dataclass(frozen=True, kw_only=True)
class ManifestCell(CellEntry):
    """One cell of an experiment: its place, run and outcome, and its label and values on each axis."""

    labels: dict[str, str]       # by axis slot
    values: dict[str, list[Any]]  # by axis slot: the components of its value
    at: dict[str, int]           # by slot of `shape`: its value index (x and y are its column and row)

    def to_json(self) -> dict[str, Any]:
        # Written out field by field: a 10,000-cell manifest is 10,000 of these, and the generic
        # walk over every leaf cost most of the manifest route's time. Every field is JSON data
        # already (the plan's values came from JSON); the containers are copied, as to_json does.
        entry = {name: getattr(self, name) for name in _ENTRY_FIELDS}
        entry.update(status=self.status.value, files=list(self.files), metrics=dict(self.metrics),
                     labels=dict(self.labels), values={slot: list(v) for slot, v in self.values.items()},
                     at=dict(self.at))
        return entry


_ENTRY_FIELDS = tuple(f.name for f in fields(ManifestCell))


@dataclass(frozen=True)
class Manifest(JsonRecord):
    """An experiment's manifest (GET ROUTE_MANIFEST, and manifest.json in its folder)."""

    schema: str                  # SCHEMA
    id: str
    name: str
    status: ExperimentStatus     # in the route's answer, as shown: a run cut off by a restart is interrupted
    dry_run: bool
    created: float
    finished: float | None
    shape: dict[str, int]        # values per axis slot
    order: list[str]             # the plan's loop order: axis slots, outermost first
    axes: list[ManifestAxis]
    fixed: list[FixedParameter]  # the inputs no axis varies, as the grid's footer shows them
    options: dict[str, Any]      # the Grid Driver's settings (Options' JSON)
    counts: dict[str, int]       # cells per CellStatus word (only the statuses that have any)
    cells: list[ManifestCell]
    grids: list[GridFile]
    super_grids: list[SuperGridFile]  # the super_grid option's PNGs: each Z value's grid a block
    metrics: list[dict[str, Any]]  # per metric: its summary (metrics.summary), JSON as it is
    tracking: dict[str, Any] | None  # its W&B run (TrackingState's JSON); null: none


def manifest_of(experiment: Experiment, cells: list[Cell], shown_status: ExperimentStatus | None = None) -> Manifest:
    """The manifest of `experiment`; `shown_status` replaces the stored status (routes derive "interrupted")."""
    plan = experiment.readable_plan
    return Manifest(
        schema=SCHEMA, id=experiment.id, name=experiment.name, status=shown_status or experiment.status,
        dry_run=experiment.dry_run, created=experiment.created, finished=experiment.finished,
        shape=plan.shape_by_slot(), order=list(plan.loop_order), axes=[ManifestAxis.of(a) for a in plan.axes],
        fixed=list(plan.fixed), options=experiment.options.to_json(),
        counts=CellCounts.of(c.status for c in cells).to_json(),
        cells=[_cell(plan, c) for c in cells],
        grids=list(experiment.grids), super_grids=list(experiment.super_grids), metrics=summarise_metrics(plan, cells),
        tracking=experiment.tracking.to_json() if experiment.tracking is not None else None)


def _cell(plan: Plan, cell: Cell) -> ManifestCell:
    at = plan.coords_by_slot(cell.index)
    return ManifestCell(**cell.entry(), labels=plan.labels_of(cell.index, at), values=plan.values_of(cell.index, at),
                        at=at)


def build_manifest(experiment: Experiment, cells: list[Cell],
                   shown_status: ExperimentStatus | None = None) -> dict[str, Any]:
    """The manifest's JSON (see manifest_of)."""
    return manifest_of(experiment, cells, shown_status).to_json()


def write_manifest(folder: ExperimentFolder, experiment: Experiment, cells: list[Cell]) -> dict[str, Any]:
    manifest = build_manifest(experiment, cells)
    atomic_write_json(folder.manifest_path, manifest)
    return manifest
