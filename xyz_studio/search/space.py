"""A plan's axes as a search space: which value of each axis a proposal picks.

Decision: an axis whose values are all single numbers is ORDERED: its parameter is the
value's rank in sorted order, an integer from 0 to n-1 (Optuna's IntDistribution); any
other axis (sampler names, prompts, `512 | 768` pairs, booleans) is CATEGORICAL over its
value indices. Why the rank rather than the number itself: a proposal must be one of the
axis's values exactly; a FloatDistribution would propose 7.37 and need snapping, which
bends TPE's densities, and a float step needs evenly spaced values, which `10, 20, 30, 50`
or `1e-4, 1e-3, 1e-2` are not. On evenly spaced values the rank is the value up to scale,
which TPE does not see (it scales each parameter to its range), so nothing is lost there;
on log-like spacing the rank is the log scale a user meant. Categorical axes stay unordered:
TPE learns each value's share of the good cells on its own.
An axis of one value has no parameter (it always takes its one value).
Parameter names are the axis slots (x, y, z, axis4...), which a stored plan never renumbers.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from ..planning.cell_index import cell_coords, cell_index
from ..planning.plan import AxisPlan, Plan
from ..protocol import TextEnum


class AxisKind(TextEnum):
    ORDERED = "ordered"          # numbers: the sorted rank is the parameter
    CATEGORICAL = "categorical"  # anything else: the value index is one unordered choice


def _number(components: Sequence[Any]) -> float | None:
    if len(components) != 1:
        return None
    value = components[0]
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
        return None
    return float(value)


@dataclass(frozen=True)
class AxisSpace:
    """One searched dimension: its slot, kind and, for ORDERED, which value index each rank is."""

    slot: str
    dimension: int              # its place in the plan's shape (X first)
    kind: AxisKind
    by_rank: tuple[int, ...]    # rank -> value index (the identity for CATEGORICAL)

    @property
    def size(self) -> int:
        return len(self.by_rank)

    @cached_property
    def rank_of(self) -> dict[int, int]:
        return {value: rank for rank, value in enumerate(self.by_rank)}

    @classmethod
    def of_axis(cls, axis: AxisPlan, dimension: int) -> AxisSpace:
        numbers_ = [_number(v.components) for v in axis.values]
        if all(n is not None for n in numbers_):
            # a stable sort: equal numbers keep the order the user gave them
            ranked = tuple(sorted(range(axis.size), key=lambda k: numbers_[k]))  # type: ignore[arg-type,return-value]
            return cls(axis.slot, dimension, AxisKind.ORDERED, ranked)
        return cls(axis.slot, dimension, AxisKind.CATEGORICAL, tuple(range(axis.size)))

    def to_dict(self) -> dict[str, Any]:
        return {"slot": self.slot, "dimension": self.dimension, "kind": self.kind.value, "by_rank": list(self.by_rank)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AxisSpace:
        return cls(str(d["slot"]), int(d["dimension"]), AxisKind(d["kind"]), tuple(int(v) for v in d["by_rank"]))


@dataclass(frozen=True)
class SearchSpace:
    """The searched axes of a plan of `shape` (cell indices as the plan numbers them)."""

    shape: tuple[int, ...]
    axes: tuple[AxisSpace, ...]

    @classmethod
    def of_plan(cls, plan: Plan) -> SearchSpace:
        axes = []
        for dimension, slot in enumerate(plan.slots):
            axis = plan.axis(slot)
            if axis is not None and axis.size > 1:
                axes.append(AxisSpace.of_axis(axis, dimension))
        return cls(tuple(plan.shape), tuple(axes))

    @property
    def cell_count(self) -> int:
        return math.prod(self.shape)

    def to_dict(self) -> dict[str, Any]:
        """The stored form: in the study (what must not change between a study and the plan it is
        reopened with) and in a benchmark's table."""
        return {"shape": list(self.shape), "axes": [a.to_dict() for a in self.axes]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchSpace:
        return cls(tuple(int(n) for n in d["shape"]), tuple(AxisSpace.from_dict(a) for a in d["axes"]))

    def params_of(self, cell: int) -> dict[str, int]:
        """The parameters that propose `cell`."""
        coords = cell_coords(cell, self.shape)
        out = {}
        for a in self.axes:
            value = coords[a.dimension]
            out[a.slot] = a.rank_of[value] if a.kind == AxisKind.ORDERED else value
        return out

    def cell_of(self, params: Mapping[str, Any]) -> int | None:
        """The cell `params` propose; None when they are not a whole proposal of this space."""
        coords = [0] * len(self.shape)
        for a in self.axes:
            p = params.get(a.slot)
            if isinstance(p, bool) or not isinstance(p, numbers.Integral) or not 0 <= int(p) < a.size:
                return None
            coords[a.dimension] = a.by_rank[int(p)] if a.kind == AxisKind.ORDERED else int(p)
        return cell_index(coords, self.shape)

    def distributions(self, optuna: Any) -> dict[str, Any]:
        """Optuna's distributions for the space (`optuna`: the lazily imported module)."""
        dist = optuna.distributions
        return {a.slot: dist.IntDistribution(0, a.size - 1) if a.kind == AxisKind.ORDERED
                else dist.CategoricalDistribution(tuple(range(a.size))) for a in self.axes}

    @cached_property
    def points(self) -> np.ndarray:
        """Every cell as a point (row = cell index) where spread and nearness are measured: an
        ORDERED axis is its rank over [0, 1]; a CATEGORICAL one is one-hot / sqrt(2), so two
        different values are as far apart as the two ends of an ordered axis."""
        cells = np.arange(self.cell_count)
        columns: list[np.ndarray] = []
        stride = np.cumprod((1, *self.shape[:-1]))
        for a in self.axes:
            value = (cells // stride[a.dimension]) % self.shape[a.dimension]
            if a.kind == AxisKind.ORDERED:
                rank = np.empty(a.size)
                rank[list(a.by_rank)] = np.arange(a.size) / (a.size - 1)
                columns.append(rank[value][:, None])
            else:
                columns.append(np.eye(a.size)[value] / math.sqrt(2))
        return np.hstack(columns) if columns else np.zeros((self.cell_count, 0))
