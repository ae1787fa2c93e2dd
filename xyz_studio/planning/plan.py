"""The plan of an experiment: its axes and everything needed to rebuild any cell's prompt.

A Plan is made by `planner.plan_experiment` from the queued prompt, stored with the
experiment (to_dict / from_dict) and read back by the store alone, which hands it out
as `Experiment.plan`, so a cell's prompt is the same whether it is queued now or after
a restart. Its axes are the grid's dimensions in cell index order: X (columns), Y
(rows), then the rest, one grid per combination of their values (today Z alone, so
one grid per Z value).
"""
from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any

from .. import protocol as P
from ..comfyui.prompt_graph import Prompt, subset, with_inputs
from ..errors import NewerRecord
from ..metrics.declared import MetricPlan
from ..protocol import TextEnum
from .cell_files import cell_file_stem
from .cell_index import cell_coords, cell_index
from .cell_order import run_sequence

# Stored with every experiment; raise it (and read old ones in from_dict) when the stored form changes.
# 2: `order` (the axis slots, outermost loop first) is called `loop_order`.
# 3: `metrics` and `show_metrics` (absent before: no metrics).
PLAN_VERSION = 3



class AxisMode(TextEnum):
    """What an XYZ Axis does with its values (its `mode` input)."""

    VALUES = "values"           # set the connected input(s) to each value
    REPLACE = "prompt S/R"      # search the first value in every prompt text, replace it by each value


def replace_all(text: str, table: dict[str, str]) -> str:
    """Replace every search term of `table` in `text` at once (longest term first)."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], text)


@dataclass
class AxisRequest:
    """What an XYZ Axis node hands to the Grid Driver (its `axis` output)."""

    node_id: str
    values: str
    mode: str = AxisMode.VALUES.value  # checked by the planner, which names the node if it is not an AxisMode
    title: str = ""
    labels: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AxisRequest:
        return cls(node_id=str(d["node_id"]), values=str(d.get("values", "")),
                   mode=str(d.get("mode") or AxisMode.VALUES.value),
                   title=str(d.get("title") or ""), labels=str(d.get("labels") or ""))

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def wired(cls, given: dict[str, Any], driver_inputs: dict[str, Any], slot: str) -> AxisRequest:
        """The request on a driver's input `slot`, named after the node that input links to.
        ComfyUI's cache hands two axis nodes with the same inputs one output, whose node id
        is the first node's; the link says which node it really is."""
        request = cls.from_dict(given)
        link = driver_inputs.get(slot)
        if isinstance(link, list) and link:
            request = replace(request, node_id=str(link[0]))
        return request


@dataclass(frozen=True)
class Target:
    """An input an axis sets: which node, which of its inputs."""

    node_id: str
    input: str


@dataclass(frozen=True)
class AxisValue:
    """One value of an axis: its components (one per value output, `5` or `512 | 768`) and its label."""

    components: tuple[Any, ...]
    label: str


@dataclass(frozen=True)
class FixedParameter:
    """An input that no axis varies, as the grid's footer shows it."""

    node: str    # the node's title
    input: str
    value: str   # as text, shortened for the footer

    def to_json(self) -> dict[str, str]:
        return {"node": self.node, "input": self.input, "value": self.value}


@dataclass(frozen=True)
class AxisPlan:
    """One resolved axis: its values and the inputs each component of a value sets."""

    slot: str
    node_id: str
    title: str
    mode: AxisMode
    values: tuple[AxisValue, ...]
    # per component, the inputs it sets; a prompt S/R axis has one component: the texts it searches
    targets: tuple[tuple[Target, ...], ...]
    search: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(v.label for v in self.values)

    @property
    def size(self) -> int:
        return len(self.values)

    def all_targets(self) -> tuple[Target, ...]:
        """Every input the axis sets, whichever component sets it."""
        return tuple(t for component in self.targets for t in component)

    def assignments(self, value_index: int) -> dict[tuple[str, str], Any]:
        """Inputs a value axis sets for one of its values."""
        components = self.values[value_index].components
        return {(t.node_id, t.input): components[k] for k, targets in enumerate(self.targets) for t in targets}

    def replacements(self, value_index: int) -> dict[tuple[str, str], tuple[str, str]]:
        """(search, replacement) per prompt text, for one value of a prompt S/R axis."""
        replacement = str(self.values[value_index].components[0])
        return {(t.node_id, t.input): (self.search or "", replacement) for t in self.targets[0]}

    def to_dict(self) -> dict[str, Any]:
        """The stored form (plan version 3): values, labels and targets as plain lists."""
        return {"slot": self.slot, "node_id": self.node_id, "title": self.title, "mode": self.mode.value,
                "values": [list(v.components) for v in self.values], "labels": list(self.labels),
                "targets": [[[t.node_id, t.input] for t in component] for component in self.targets],
                "search": self.search}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AxisPlan:
        values, labels = d["values"], d["labels"]
        if len(values) != len(labels):
            raise ValueError(f"axis {d['slot']}: {len(values)} values but {len(labels)} labels")
        return cls(slot=str(d["slot"]), node_id=str(d["node_id"]), title=str(d["title"]), mode=AxisMode(d["mode"]),
                   values=tuple(AxisValue(tuple(v), str(label)) for v, label in zip(values, labels)),
                   targets=tuple(tuple(Target(str(n), str(i)) for n, i in component) for component in d["targets"]),
                   search=d.get("search"))


@dataclass(frozen=True)
class Plan:
    """Everything needed to run, rebuild and draw an experiment (stored as JSON by to_dict)."""

    axes: tuple[AxisPlan, ...]       # in slot order: X, Y, then the rest (an axis left out has one value)
    loop_order: list[str]            # axis slots, outermost loop (slowest-changing) first
    cell_nodes: list[str]            # nodes of a cell's prompt
    final_nodes: list[str]           # nodes of the final prompt
    base: Prompt                     # the queued prompt, axis links still in place
    assembler_id: str
    fixed: tuple[FixedParameter, ...] = ()
    costs: dict[str, float] = field(default_factory=dict)
    metrics: tuple[MetricPlan, ...] = ()  # wired into the Grid Assembler
    show_metrics: bool = False            # a value line under each cell on the grids

    def __post_init__(self) -> None:
        for name in ("axes", "fixed", "metrics"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        slots = [a.slot for a in self.axes]
        numbers = [P.axis_slot_number(s) or 0 for s in slots]  # 0: not an axis slot
        if 0 in numbers or numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
            raise ValueError(f"axes {slots}: expected each of x, y, z, axis4, axis5, ... at most once, in that order")

    @cached_property
    def slots(self) -> tuple[str, ...]:
        """The grid's dimensions in cell index order (X fastest): x, y and z, then each further
        slot up to the last one with an axis. A dimension without an axis has one value, so it
        changes no cell's index: a plan numbers its cells as it did with three slots."""
        last = max((P.axis_slot_number(a.slot) or 1 for a in self.axes), default=1)
        return tuple(P.axis_slot(n) for n in range(1, max(P.GRID_AXES, last) + 1))

    @cached_property
    def shape(self) -> tuple[int, ...]:
        """Values per dimension, in `slots` order (1 for a slot without an axis)."""
        return tuple(self.size(slot) for slot in self.slots)

    def shape_by_slot(self) -> dict[str, int]:
        return dict(zip(self.slots, self.shape))

    def size(self, slot: str) -> int:
        axis = self.axis(slot)
        return axis.size if axis is not None else 1

    @property
    def columns(self) -> int:
        """Values on X: the columns of each grid."""
        return self.shape[0]

    @property
    def rows(self) -> int:
        """Values on Y: the rows of each grid."""
        return self.shape[1]

    @property
    def grid_count(self) -> int:
        """One grid per combination of the values of the axes after X and Y."""
        return math.prod(self.shape[2:])

    @property
    def cell_count(self) -> int:
        return math.prod(self.shape)

    def axis(self, slot: str) -> AxisPlan | None:
        return next((a for a in self.axes if a.slot == slot), None)

    def coords(self, index: int) -> tuple[int, ...]:
        """A cell's coordinates, one per dimension (X fastest)."""
        return cell_coords(index, self.shape)

    def index(self, coords: Sequence[int]) -> int:
        """The index of the cell at `coords` (one per dimension)."""
        return cell_index(coords, self.shape)

    def cell_in_grid(self, x: int, y: int, grid: int) -> int:
        """The index of the cell at column `x`, row `y` of grid `grid`."""
        return (grid * self.rows + y) * self.columns + x

    def place(self, index: int) -> tuple[int, int, int]:
        """A cell's column, row and grid: its x, y and z as cells, jobs and the manifest record them."""
        columns, rows = self.columns, self.rows
        return index % columns, (index // columns) % rows, index // (columns * rows)

    def grid_labels(self, grid: int) -> list[tuple[AxisPlan, str]]:
        """The axes after X and Y that have values, each with its label on grid `grid`."""
        at = dict(zip(self.slots[2:], cell_coords(grid, self.shape[2:]))) if self.shape[2:] else {}
        return [(a, a.values[at[a.slot]].label) for a in self.axes if a.slot in at]

    def run_sequence(self) -> list[int]:
        """Cell indices in the order they are queued (position = run_order)."""
        return run_sequence(self.shape, self.slots, self.loop_order, self.index)

    def coords_by_slot(self, index: int) -> dict[str, int]:
        """A cell's coordinates keyed by axis slot: {"x": ..., "y": ..., "z": ...}."""
        return dict(zip(self.slots, self.coords(index)))

    def labels_of(self, index: int, at: dict[str, int] | None = None) -> dict[str, str]:
        """A cell's value label on each axis, keyed by slot (`at`: its coords_by_slot, if known)."""
        at = at or self.coords_by_slot(index)
        return {a.slot: a.values[at[a.slot]].label for a in self.axes}

    def cell_file_stem(self, index: int) -> str:
        """The cell's file name, less its batch suffix and extension (see cell_files.py):
        each axis's title and value label, then the cell's value index on each axis."""
        at = self.coords_by_slot(index)
        return cell_file_stem([(a.title or a.slot, a.values[at[a.slot]].label) for a in self.axes],
                              [(a.slot, at[a.slot]) for a in self.axes])

    def values_of(self, index: int, at: dict[str, int] | None = None) -> dict[str, list[Any]]:
        """A cell's value (its components) on each axis, keyed by slot (`at`: its coords_by_slot, if known)."""
        at = at or self.coords_by_slot(index)
        return {a.slot: list(a.values[at[a.slot]].components) for a in self.axes}

    def _assigned(self, index: int) -> Prompt:
        coords = self.coords_by_slot(index)
        values: dict[tuple[str, str], Any] = {}
        swaps: dict[tuple[str, str], dict[str, str]] = {}
        for axis in self.axes:
            if axis.mode == AxisMode.REPLACE:
                for key, (search, replacement) in axis.replacements(coords[axis.slot]).items():
                    swaps.setdefault(key, {})[search] = replacement
            else:
                values.update(axis.assignments(coords[axis.slot]))
        for (node_id, name), table in swaps.items():
            # one pass over the original text, so a replacement is never searched again by another axis
            values[(node_id, name)] = replace_all(self.base[node_id]["inputs"][name], table)
        return with_inputs(self.base, values)

    def cell_prompt(self, index: int) -> Prompt:
        """The ordinary ComfyUI prompt that renders one cell."""
        return subset(self._assigned(index), self.cell_nodes)

    def final_prompt(self, after_cell: int | None = None) -> Prompt:
        """The prompt that draws the grids (the assembler and what follows it).

        With `after_cell`, the cell queued just before it, the prompt also holds that
        cell's whole graph. ComfyUI's cache keeps only what the last prompt holds, so the
        cell's nodes (a loaded checkpoint, encoded prompts) stay cached for the next
        experiment instead of being dropped by a prompt of the assembler alone. They do
        not run again: the assembler's image input is lazy and an assembling job never
        asks for it. Without a cell (a dry run) the image input is left out.
        """
        if after_cell is not None:
            return subset(self._assigned(after_cell), {*self.final_nodes, *self.cell_nodes})
        prompt = subset(self._assigned(0), self.final_nodes)
        assembler = dict(prompt[self.assembler_id])
        assembler["inputs"] = {k: v for k, v in assembler["inputs"].items() if k not in P.CELL_INPUTS}
        prompt[self.assembler_id] = assembler
        return prompt

    def to_dict(self) -> dict[str, Any]:
        """The stored form: the JSON of plan version 3, as every version of the pack since writes it."""
        return {"version": PLAN_VERSION, "axes": [a.to_dict() for a in self.axes], "loop_order": list(self.loop_order),
                "cell_nodes": list(self.cell_nodes), "final_nodes": list(self.final_nodes),
                "base": copy.deepcopy(self.base), "assembler_id": self.assembler_id,
                "fixed": [[f.node, f.input, f.value] for f in self.fixed], "costs": dict(self.costs),
                "metrics": [m.to_dict() for m in self.metrics], "show_metrics": self.show_metrics}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        """A stored plan (versions 1 to PLAN_VERSION); NewerRecord for one planned by a newer pack.

        Only the store reads plans (storage/rows.py), once per record it hands out."""
        version = d.get("version", 1)
        if version > PLAN_VERSION:
            raise NewerRecord(f"this experiment was planned by a newer XYZ Plot Studio (plan version {version}); "
                              "update the pack to open it")
        return cls(axes=tuple(AxisPlan.from_dict(a) for a in d["axes"]),
                   loop_order=list(d["order"] if version < 2 else d["loop_order"]),
                   cell_nodes=list(d["cell_nodes"]), final_nodes=list(d["final_nodes"]), base=d["base"],
                   assembler_id=d["assembler_id"],
                   fixed=tuple(FixedParameter(str(n), str(i), str(v)) for n, i, v in d.get("fixed", [])),
                   costs=dict(d.get("costs", {})), metrics=tuple(MetricPlan.from_dict(m) for m in d.get("metrics", [])),
                   show_metrics=bool(d.get("show_metrics", False)))
