"""The manifest: a JSON snapshot of one experiment, written from the store.

Schema "xyz-studio/manifest/1" is documented in the README; tools outside ComfyUI
(the coming HTML viewer, W&B logging, scripts) read this file, not the database.
"""
from __future__ import annotations

from typing import Any

from .folder import ExperimentFolder, atomic_write_json
from ..planning.plan import Plan

SCHEMA = "xyz-studio/manifest/1"


def build_manifest(experiment: dict, cells: list[dict]) -> dict[str, Any]:
    plan = Plan.from_dict(experiment["plan"])
    nx, ny, nz = plan.shape
    counts: dict[str, int] = {}
    cell_rows = []
    for c in cells:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
        coords = {"x": c["x"], "y": c["y"], "z": c["z"]}
        cell_rows.append({
            "index": c["idx"],
            **coords,
            "labels": {a.slot: a.labels[coords[a.slot]] for a in plan.axes},
            "values": {a.slot: a.values[coords[a.slot]] for a in plan.axes},
            "run_order": c["run_order"],
            "status": c["status"],
            "prompt_id": c["prompt_id"],
            "attempts": c["attempts"],
            "seconds": c["seconds"],
            "started_at": c["started_at"],
            "finished_at": c["finished_at"],
            "files": c["files"],
            "error": c["error"],
        })
    return {
        "schema": SCHEMA,
        "id": experiment["id"],
        "name": experiment["name"],
        "status": experiment["status"],
        "dry_run": bool(experiment["dry_run"]),
        "created": experiment["created"],
        "finished": experiment["finished"],
        "shape": {"x": nx, "y": ny, "z": nz},
        "order": plan.order,
        "axes": [{
            "slot": a.slot, "node_id": a.node_id, "title": a.title, "mode": a.mode, "search": a.search,
            "targets": a.targets, "values": a.values, "labels": a.labels,
        } for a in plan.axes],
        "fixed": [{"node": n, "input": i, "value": v} for n, i, v in plan.fixed],
        "options": experiment["options"],
        "counts": counts,
        "cells": cell_rows,
        "grids": experiment["grids"],
    }


def write_manifest(folder: ExperimentFolder, experiment: dict, cells: list[dict]) -> dict:
    manifest = build_manifest(experiment, cells)
    atomic_write_json(folder.manifest_path, manifest)
    return manifest
