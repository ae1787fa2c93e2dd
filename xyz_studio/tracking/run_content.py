"""What an experiment's W&B run holds, built from the store's records (pure: no wandb here).

The config: the axes (titles, values, labels, targets), the fixed parameters, the
options, the metrics and the experiment id. The table: one row per cell (its labels
and values per axis, image, seconds, status, error, metrics). The summary: the counts,
the total time and the best cell of each metric.
A search experiment (options.search) also logs its study: one step per cell run, in the
order run (`search/trial`, the objective's value, the best so far: TrialTally), a `trial`
column in the table, and a `search` block in the summary.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..common.format import CellFacts, describe_cell
from ..metrics.declared import MetricGoal
from ..metrics.summary import best_cell
from ..planning.plan import Plan
from ..protocol import strict_json
from ..search.settings import SearchSettings
from ..storage.records import Cell, CellCounts, CellStatus, Experiment

BASE_COLUMNS = ("index", "status", "seconds", "error message")
TRIAL_COLUMN = "trial"           # a search's table only: the cell's trial number (its place in the run order)
TRIAL_PREFIX = "search/"         # a search's per-trial keys; W&B charts them over TRIAL_KEY
TRIAL_KEY = "search/trial"       # 1-based
TRIAL_CELL_KEY = "search/cell"   # the cell's index: which cell a trial ran (and what a reopened run reads back)
RUN_ID_CHARS = re.compile(r"[^a-z0-9_-]")


def run_id_of(experiment_id: str) -> str:
    """The W&B run id of an experiment: fixed by its id, so a resumed experiment finds its run."""
    return RUN_ID_CHARS.sub("-", f"xyz-{experiment_id}".lower())[:64]


def run_config(experiment: Experiment, plan: Plan) -> dict[str, Any]:
    return {
        "experiment_id": experiment.id,
        "name": experiment.name,
        "shape": plan.shape_by_slot(),
        "loop_order": plan.loop_order,
        "axes": {a.slot: {"title": a.title, "mode": a.mode.value, "values": stored["values"],
                          "labels": stored["labels"], "targets": stored["targets"]}
                 for a in plan.axes for stored in [a.to_dict()]},
        "fixed": [f.to_json() for f in plan.fixed],
        "options": experiment.options.to_json(),
        "metrics": [m.to_dict() for m in plan.metrics],
    }


def table_columns(plan: Plan, with_images: bool, search: bool = False) -> list[str]:
    columns = list(BASE_COLUMNS)
    if search:  # a sweep's table keeps its columns as they always were
        columns.insert(1, TRIAL_COLUMN)
    for axis in plan.axes:
        columns += [f"{axis.slot}: {axis.title}", f"{axis.slot} value"]
    if with_images:
        columns.append("image")
    columns += [f"metric: {m.name}" for m in plan.metrics]
    return columns


def cell_row(plan: Plan, cell: Cell, seconds: float | None, trial: int | None = None) -> dict[str, Any]:
    """A cell's row, by column (the image column is the tracker's: it needs the file); `trial`: its
    trial number in a search."""
    labels, values = plan.labels_of(cell.index), plan.values_of(cell.index)
    row: dict[str, Any] = {"index": cell.index, "status": cell.status.value,
                           "seconds": seconds if seconds is not None else cell.seconds, "error message": cell.error}
    if trial is not None:
        row[TRIAL_COLUMN] = trial
    for axis in plan.axes:
        components = values.get(axis.slot) or []
        single = components[0] if len(components) == 1 else None
        row[f"{axis.slot}: {axis.title}"] = labels.get(axis.slot, "")
        # one plain value stays a number or text (sortable in W&B); a pair is shown as its JSON
        row[f"{axis.slot} value"] = single if isinstance(single, (int, float, str)) else strict_json(components)
    for metric in plan.metrics:
        row[f"metric: {metric.name}"] = cell.metrics.get(metric.name)
    return row


def cell_caption(plan: Plan, cell: Cell, seconds: float | None) -> str:
    """The caption of a cell's image: what the editor's hover says of it, on one line."""
    labels = plan.labels_of(cell.index)
    return ", ".join(describe_cell(CellFacts(
        axes=tuple((a.title, labels.get(a.slot, "")) for a in plan.axes), status=cell.status.value,
        seconds=seconds if seconds is not None else cell.seconds,
        metrics=tuple((m.name, cell.metrics.get(m.name)) for m in plan.metrics), error=cell.error)))


def run_summary(experiment: Experiment, plan: Plan, cells: list[Cell]) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "status": experiment.status.value,
        "cells": len(cells),
        "counts": CellCounts.of(c.status for c in cells).to_json(),
        "total_seconds": (experiment.finished - experiment.created) if experiment.finished else None,
        "grids": [g.file for g in experiment.grids],
        "super_grids": [g.file for g in experiment.super_grids],
    }
    for metric in plan.metrics:
        best = best_cell(metric, cells)
        summary[f"best {metric.name}"] = None if best is None else {
            "index": best[0].index, "value": best[1], "goal": metric.goal.value,
            "labels": plan.labels_of(best[0].index)}
    if experiment.options.search is not None:
        summary["search"] = search_summary(experiment.options.search, plan, cells)
    return summary


# -- a search's trials -----------------------------------------------------------------------


def search_goal(search: SearchSettings, plan: Plan) -> MetricGoal:
    """The goal the search optimises (stored resolved; an older record without one: the metric's own)."""
    if search.goal is not None:
        return search.goal
    metric = next((m for m in plan.metrics if m.name == search.objective), None)
    return metric.goal if metric is not None else MetricGoal.HIGHER


def objective_value(cell: Cell, objective: str) -> float | None:
    """A done cell's value of the objective; None for a failed cell, a missing or a non-finite value."""
    value = cell.metrics.get(objective) if cell.status == CellStatus.DONE else None
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def _beats(goal: MetricGoal, a: float, b: float) -> bool:
    return a > b if goal == MetricGoal.HIGHER else a < b


def trial_order(cells: Iterable[Cell], heard: Mapping[int, float] | None = None) -> list[Cell]:
    """The finished (done or failed) cells in the order they finished: by `finished_at`. The store
    records no time for a failed cell, so then the time the tracker heard of it (`heard`); a cell
    with neither comes after, all ties by index."""
    def key(cell: Cell) -> tuple[float, int]:
        at = cell.finished_at if cell.finished_at is not None else (heard or {}).get(cell.index)
        return (at if at is not None else math.inf, cell.index)
    return sorted((c for c in cells if c.status in (CellStatus.DONE, CellStatus.FAILED)), key=key)


@dataclass(frozen=True)
class TrialTally:
    """Where a search's logged trials stand: how many, and the best value so far under the goal."""

    objective: str
    goal: MetricGoal
    run: int = 0                # trials logged so far
    best: float | None = None   # None: no value yet

    @property
    def value_key(self) -> str:
        return f"{TRIAL_PREFIX}{self.objective}"

    @property
    def best_key(self) -> str:
        return f"{TRIAL_PREFIX}best {self.objective}"

    def counting(self, cell: Cell) -> TrialTally:
        """The tally with `cell` counted as logged before (a reopened run's earlier trials)."""
        return self.then(cell)[0]

    def then(self, cell: Cell) -> tuple[TrialTally, dict[str, Any]]:
        """The tally after `cell`'s trial, and that trial's step (a failed cell: no value)."""
        value = objective_value(cell, self.objective)
        best = value if value is not None and (self.best is None or _beats(self.goal, value, self.best)) else self.best
        step: dict[str, Any] = {TRIAL_KEY: self.run + 1, TRIAL_CELL_KEY: cell.index}
        if value is not None:
            step[self.value_key] = value
        if best is not None:
            step[self.best_key] = best
        return replace(self, run=self.run + 1, best=best), step


def search_summary(search: SearchSettings, plan: Plan, cells: list[Cell]) -> dict[str, Any]:
    """The summary's `search` block: the settings, the trials run and failed, the best cell so far
    (the first one run of equally good ones, as the panel picks it)."""
    goal = search_goal(search, plan)
    run = trial_order(cells)
    best: tuple[Cell, float] | None = None
    for cell in run:
        value = objective_value(cell, search.objective)
        if value is not None and (best is None or _beats(goal, value, best[1])):
            best = (cell, value)
    return {"sampler": search.sampler.value, "objective": search.objective, "goal": goal.value,
            "budget": min(search.budget, plan.cell_count), "trials run": len(run),
            "failed": sum(c.status == CellStatus.FAILED for c in run),
            "best value": best[1] if best else None, "best cell": best[0].index if best else None,
            "best labels": plan.labels_of(best[0].index) if best else None}
