"""The plan of an experiment: its axes and everything needed to rebuild any cell's prompt.

A Plan is made by `planner.plan_experiment` from the queued prompt, stored with the
experiment (to_dict / from_dict), and rebuilt from the store for resume, retry and
drawing the grids, so a cell's prompt is the same whether it is queued now or after
a restart.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import protocol as P
from ..errors import NewerRecord
from ..comfyui.prompt_graph import Prompt, subset, with_inputs
from ..metrics.declared import MetricPlan
from ..protocol import TextEnum
from .cell_order import run_sequence

# Stored with every experiment; raise it (and read old ones in from_dict) when Plan changes.
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
    def from_dict(cls, d: dict) -> "AxisRequest":
        return cls(node_id=str(d["node_id"]), values=str(d.get("values", "")),
                   mode=str(d.get("mode") or AxisMode.VALUES.value),
                   title=str(d.get("title") or ""), labels=str(d.get("labels") or ""))

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class AxisPlan:
    """One resolved axis: its values (one tuple of components each) and targets."""

    slot: str
    node_id: str
    title: str
    mode: AxisMode
    values: list[list[Any]]
    labels: list[str]
    targets: list[list[list[str]]]   # per component: [[node_id, input_name], ...]
    search: str | None = None

    def assignments(self, value_index: int) -> dict[tuple[str, str], Any]:
        """Inputs a value axis sets for one of its values."""
        components = self.values[value_index]
        return {(node_id, name): components[k]
                for k, targets in enumerate(self.targets) for node_id, name in targets}

    def replacements(self, value_index: int) -> dict[tuple[str, str], tuple[str, str]]:
        """(search, replacement) per prompt text, for one value of a prompt S/R axis."""
        return {(node_id, name): (self.search, str(self.values[value_index][0]))
                for node_id, name in self.targets[0]}


@dataclass
class Plan:
    """Everything needed to run, rebuild and draw an experiment (JSON-serialisable)."""

    axes: list[AxisPlan]
    loop_order: list[str]            # axis slots, outermost loop (slowest-changing) first
    cell_nodes: list[str]            # nodes of a cell's prompt
    final_nodes: list[str]           # nodes of the assembling prompt
    base: Prompt                     # the queued prompt, axis links still in place
    assembler_id: str
    fixed: list[list[str]] = field(default_factory=list)   # [node title, input, value]
    costs: dict[str, float] = field(default_factory=dict)
    metrics: list[MetricPlan] = field(default_factory=list)  # wired into the Grid Assembler
    show_metrics: bool = False                                # a value line under each cell on the grids

    @property
    def shape(self) -> tuple[int, int, int]:
        sizes = {a.slot: len(a.values) for a in self.axes}
        return sizes.get("x", 1), sizes.get("y", 1), sizes.get("z", 1)

    @property
    def cell_count(self) -> int:
        nx, ny, nz = self.shape
        return nx * ny * nz

    def axis(self, slot: str) -> AxisPlan | None:
        return next((a for a in self.axes if a.slot == slot), None)

    def coords(self, index: int) -> tuple[int, int, int]:
        """Grid coordinates (x, y, z) of a cell index (x fastest, then y, then z)."""
        nx, ny, _ = self.shape
        return index % nx, (index // nx) % ny, index // (nx * ny)

    def index(self, x: int, y: int, z: int) -> int:
        nx, ny, _ = self.shape
        return (z * ny + y) * nx + x

    def run_sequence(self) -> list[int]:
        """Cell indices in the order they are queued (position = run_order)."""
        return run_sequence(self.shape, self.loop_order, self.index)

    def coords_by_slot(self, index: int) -> dict[str, int]:
        """A cell's coordinates keyed by axis slot: {"x": ..., "y": ..., "z": ...}."""
        x, y, z = self.coords(index)
        return {"x": x, "y": y, "z": z}

    def labels_of(self, index: int) -> dict[str, str]:
        """A cell's value label on each axis, keyed by slot."""
        at = self.coords_by_slot(index)
        return {a.slot: a.labels[at[a.slot]] for a in self.axes}

    def values_of(self, index: int) -> dict[str, list[Any]]:
        """A cell's value (its components) on each axis, keyed by slot."""
        at = self.coords_by_slot(index)
        return {a.slot: a.values[at[a.slot]] for a in self.axes}

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

    def to_dict(self) -> dict:
        return {"version": PLAN_VERSION, **asdict(self), "metrics": [m.to_dict() for m in self.metrics]}

    @classmethod
    def from_dict(cls, d: dict) -> "Plan":
        d = dict(d)
        version = d.pop("version", 1)
        if version > PLAN_VERSION:
            raise NewerRecord(f"this experiment was planned by a newer XYZ Plot Studio (plan version {version}); "
                              "update the pack to open it")
        if version < 2:
            d["loop_order"] = d.pop("order")
        d["axes"] = [AxisPlan(**{**a, "mode": AxisMode(a["mode"])}) for a in d["axes"]]
        d["metrics"] = [MetricPlan.from_dict(m) for m in d.get("metrics", [])]
        return cls(**d)
