"""Which metrics an experiment records: read from the Grid Assembler's inputs when it is planned.

Each metric comes in by one of the assembler's metric inputs (any INT or FLOAT output
of any node in the cell's graph), with a name and which way is better. A value that
is missing for a cell (a non-number, NaN, infinity) is recorded as missing, never as 0.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .. import protocol as P
from ..common.format import format_metric
from ..errors import PlanError
from ..protocol import TextEnum

NAME_CHARS = 40


class MetricGoal(TextEnum):
    HIGHER = "higher is better"
    LOWER = "lower is better"


@dataclass(frozen=True)
class MetricPlan:
    """One metric of an experiment: its name, the assembler input it comes by, and its goal."""

    name: str
    input: str
    goal: MetricGoal = MetricGoal.HIGHER

    def to_dict(self) -> dict[str, str]:
        return {**asdict(self), "goal": self.goal.value}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> MetricPlan:
        return cls(name=str(d["name"]), input=str(d["input"]), goal=MetricGoal(d.get("goal", MetricGoal.HIGHER)))

    def better(self, a: float, b: float) -> bool:
        """`a` beats `b` for this metric."""
        return a > b if self.goal == MetricGoal.HIGHER else a < b


def declared_metrics(inputs: dict[str, Any], assembler: str) -> list[MetricPlan]:
    """The metrics wired into a Grid Assembler (its prompt inputs); PlanError for a clash."""
    metrics: list[MetricPlan] = []
    for slot in P.METRIC_INPUTS:
        if not (isinstance(inputs.get(slot), list) and len(inputs[slot]) == 2):
            continue  # not connected: a name typed in its widget alone records nothing
        name = " ".join(str(inputs.get(P.metric_name_input(slot)) or "").split()) or slot
        if len(name) > NAME_CHARS:
            raise PlanError(assembler, P.metric_name_input(slot), name, f"a name of at most {NAME_CHARS} characters")
        if any(m.name == name for m in metrics):
            raise PlanError(assembler, P.metric_name_input(slot), name, "a name no other metric of this node has")
        goal = inputs.get(P.metric_goal_input(slot), MetricGoal.HIGHER.value)
        try:
            metrics.append(MetricPlan(name=name, input=slot, goal=MetricGoal(goal)))
        except ValueError:
            raise PlanError(assembler, P.metric_goal_input(slot), goal,
                            " or ".join(repr(g.value) for g in MetricGoal)) from None
    return metrics


def metric_value(value: Any) -> float | None:
    """A metric input's value as a float, or None when it is not a finite number (a tensor
    of one element counts as its number; a boolean does not count)."""
    if isinstance(value, bool) or value is None:
        return None
    if not isinstance(value, numbers.Real):  # a one-element tensor or array
        try:
            count = value.numel() if hasattr(value, "numel") else value.size
            value = value.item() if count == 1 else None
        except (AttributeError, TypeError, ValueError, RuntimeError):
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return None
    number = float(value)
    return number if math.isfinite(number) else None


def metric_lines(metrics: Sequence[MetricPlan], values: dict[str, float | None]) -> tuple[str, ...]:
    """A cell's metrics under its tile, one line each in the order they are declared: ("score 0.7312",
    "sharpness –"); each value reads as everywhere else (common.format)."""
    return tuple(f"{m.name} {format_metric(values.get(m.name))}" for m in metrics)
