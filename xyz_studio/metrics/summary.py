"""Summaries of an experiment's metrics for its manifest: per axis value and the best cell.

Only numbers count: a cell with no value for a metric (missing, failed, not run yet) is
left out of the mean, min and max, and counted as missing.
"""
from __future__ import annotations

import statistics
from typing import Any

from ..planning.plan import Plan
from ..storage.records import Cell
from .declared import MetricPlan


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "mean": None, "min": None, "max": None}
    return {"count": len(values), "mean": statistics.fmean(values), "min": min(values), "max": max(values)}


def best_cell(metric: MetricPlan, cells: list[Cell]) -> tuple[Cell, float] | None:
    """The cell with the best value of `metric` (the first in index order on a tie)."""
    best: tuple[Cell, float] | None = None
    for cell in sorted(cells, key=lambda c: c.index):
        value = cell.metrics.get(metric.name)
        if value is not None and (best is None or metric.better(value, best[1])):
            best = (cell, value)
    return best


def summarise_metrics(plan: Plan, cells: list[Cell]) -> list[dict[str, Any]]:
    """One entry per metric: name, goal, counts, stats over all cells and per value of each axis, best cell."""
    out = []
    for metric in plan.metrics:
        present = [(c, value) for c in cells if (value := c.metrics.get(metric.name)) is not None]
        by_axis: dict[str, list[dict[str, Any]]] = {}
        for axis in plan.axes:
            groups: list[list[float]] = [[] for _ in axis.labels]
            for cell, value in present:
                groups[plan.coords_by_slot(cell.index)[axis.slot]].append(value)
            by_axis[axis.slot] = [{"label": label, **_stats(group)} for label, group in zip(axis.labels, groups)]
        best = best_cell(metric, cells)
        out.append({
            "name": metric.name, "input": metric.input, "goal": metric.goal.value,
            "missing": len(cells) - len(present), **_stats([v for _, v in present]),
            "by_axis": by_axis,
            "best": None if best is None else {"index": best[0].index, "value": best[1],
                                               "labels": plan.labels_of(best[0].index)},
        })
    return out
