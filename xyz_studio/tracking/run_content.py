"""What an experiment's W&B run holds, built from the store's records (pure: no wandb here).

The config: the axes (titles, values, labels, targets), the fixed parameters, the
options, the metrics and the experiment id. The table: one row per cell (its labels
and values per axis, image, seconds, status, error, metrics). The summary: the counts,
the total time and the best cell of each metric.
"""
from __future__ import annotations

import re
from typing import Any

from ..common.format import CellFacts, describe_cell
from ..metrics.summary import best_cell
from ..planning.plan import Plan
from ..protocol import strict_json
from ..storage.records import Cell, CellCounts, Experiment

BASE_COLUMNS = ("index", "status", "seconds", "error message")
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


def table_columns(plan: Plan, with_images: bool) -> list[str]:
    columns = list(BASE_COLUMNS)
    for axis in plan.axes:
        columns += [f"{axis.slot}: {axis.title}", f"{axis.slot} value"]
    if with_images:
        columns.append("image")
    columns += [f"metric: {m.name}" for m in plan.metrics]
    return columns


def cell_row(plan: Plan, cell: Cell, seconds: float | None) -> dict[str, Any]:
    """A cell's row, by column (the image column is the tracker's: it needs the file)."""
    labels, values = plan.labels_of(cell.index), plan.values_of(cell.index)
    row: dict[str, Any] = {"index": cell.index, "status": cell.status.value,
                           "seconds": seconds if seconds is not None else cell.seconds, "error message": cell.error}
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
    return summary
