"""The manifest: a JSON snapshot of one experiment, written from the store.

Schema "xyz-studio/manifest/2" is documented in the README (2 added the cells' `metrics`
and the `metrics` summaries; nothing of 1 changed); tools outside ComfyUI
(the HTML viewer, W&B logging, scripts) read this file, not the database.
Its keys are the records' field names, with two kept from the first schema: `order`
is the plan's loop order (axis slots, outermost first) and `options.order` the
Grid Driver's cell order setting.
"""
from __future__ import annotations

from typing import Any

from ..metrics.summary import summarise_metrics
from .folder import ExperimentFolder, atomic_write_json
from .records import Cell, CellCounts, Experiment, ExperimentStatus

SCHEMA = "xyz-studio/manifest/2"


def build_manifest(experiment: Experiment, cells: list[Cell],
                   shown_status: ExperimentStatus | None = None) -> dict[str, Any]:
    """The manifest of `experiment`; `shown_status` replaces the stored status (routes derive "interrupted")."""
    plan = experiment.readable_plan
    summary = experiment.to_json()
    return {
        "schema": SCHEMA,
        "id": experiment.id,
        "name": experiment.name,
        "status": (shown_status or experiment.status).value,
        "dry_run": experiment.dry_run,
        "created": experiment.created,
        "finished": experiment.finished,
        "shape": plan.shape_by_slot(),
        "order": plan.loop_order,
        "axes": [{
            "slot": a.slot, "node_id": a.node_id, "title": a.title, "mode": a.mode.value, "search": a.search,
            "targets": stored["targets"], "values": stored["values"], "labels": stored["labels"],
        } for a in plan.axes for stored in [a.to_dict()]],
        "fixed": [f.to_json() for f in plan.fixed],
        "options": experiment.options.to_json(),
        "counts": CellCounts.of(c.status for c in cells).to_json(),
        "cells": [{**c.to_json(), "labels": plan.labels_of(c.index), "values": plan.values_of(c.index)}
                  for c in cells],
        "grids": summary["grids"],
        "metrics": summarise_metrics(plan, cells),
        "tracking": experiment.tracking.to_json() if experiment.tracking is not None else None,
    }


def write_manifest(folder: ExperimentFolder, experiment: Experiment, cells: list[Cell]) -> dict[str, Any]:
    manifest = build_manifest(experiment, cells)
    atomic_write_json(folder.manifest_path, manifest)
    return manifest
