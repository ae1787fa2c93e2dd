"""Saving each cell as it finishes, and drawing the grids when all cells are done.

save_cell runs inside each cell's prompt: the image is on disk (atomically) and the
store says "done" before the next cell starts. assemble runs in the final prompt:
it settles the cells that never reached the assembler (errors, interrupts) from
ComfyUI's history, draws one grid per Z value and writes the manifest.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from PIL import Image

from .comfy_history import PromptOutcome, outcome
from .experiment_files import ExperimentFolder, save_png
from .grid_render import GridLayout, Tile, render_grid
from .manifest import write_manifest
from .plan import Plan
from .store import ExperimentStore

HistoryLookup = Callable[[list[str]], dict[str, dict]]


def save_cell(store: ExperimentStore, experiment_id: str, index: int, images: list[Image.Image],
              cell_prompt: dict) -> list[str]:
    """Write a cell's image(s) with coordinates and the full cell prompt in the PNG text."""
    experiment = store.experiment(experiment_id)
    if experiment is None:
        raise LookupError(f"unknown experiment {experiment_id}")
    plan = Plan.from_dict(experiment["plan"])
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    x, y, z = plan.coords(index)
    meta = {
        "experiment": experiment_id, "index": index, "x": x, "y": y, "z": z,
        "labels": {a.slot: a.labels[{"x": x, "y": y, "z": z}[a.slot]] for a in plan.axes},
    }
    files = []
    for b, image in enumerate(images):
        path = folder.cell_path(x, y, z, b)
        save_png(path, image, {"prompt": cell_prompt, "xyz_studio": {**meta, "batch_index": b}})
        files.append(folder.relative(path))
    store.update_cell(experiment_id, index, status="done", files=files, finished_at=time.time(), error=None)
    return files


def settle_cells(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None) -> None:
    """Record outcome and timing of every cell from ComfyUI's history."""
    cells = store.cells(experiment_id)
    wanted = [c["prompt_id"] for c in cells if c["prompt_id"] and c["status"] in ("queued", "done")]
    entries = lookup(wanted) if lookup and wanted else {}
    for c in cells:
        if c["status"] not in ("queued", "done"):
            continue
        result: PromptOutcome = outcome(entries.get(c["prompt_id"])) if c["prompt_id"] else outcome(None)
        fields: dict[str, Any] = {}
        if result.started is not None:
            fields["started_at"] = result.started
        if result.seconds is not None:
            fields["seconds"] = round(result.seconds, 4)
        if c["status"] == "queued":
            fields["status"] = "failed"
            if result.state == "success":
                fields["error"] = "the cell finished but no image reached the Grid Assembler"
            else:
                fields["error"] = result.error or "the cell did not finish"
        if fields:
            store.update_cell(experiment_id, c["idx"], **fields)


def footer_text(plan: Plan) -> str:
    groups: dict[str, list[str]] = {}
    for node, name, value in plan.fixed:
        groups.setdefault(node, []).append(f"{name} {value}")
    return "Fixed: " + "; ".join(f"{node}: " + ", ".join(items) for node, items in groups.items()) if groups else ""


def _tile(folder: ExperimentFolder, plan: Plan, cell: dict | None, dry_run: bool) -> Tile:
    if cell is None:
        return Tile(kind="missing", text="missing")
    if cell["status"] == "done" and cell["files"]:
        paths = tuple(folder.dir / f for f in cell["files"])
        return Tile(kind="image", path=paths[0], images=paths if len(paths) > 1 else ())
    if cell["status"] == "planned" or dry_run:
        coords = {"x": cell["x"], "y": cell["y"], "z": cell["z"]}
        caption = "\n".join(f"{a.slot}: {a.labels[coords[a.slot]]}" for a in plan.axes)
        return Tile(kind="placeholder", text=caption)
    if cell["status"] == "cancelled":
        return Tile(kind="error", text="cancelled")
    return Tile(kind="error", text=cell["error"] or cell["status"])


def draw_grids(store: ExperimentStore, experiment_id: str) -> list[dict]:
    """Render and save one grid per Z value; returns the grid records."""
    experiment = store.experiment(experiment_id)
    plan = Plan.from_dict(experiment["plan"])
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    cells = {c["idx"]: c for c in store.cells(experiment_id)}
    nx, ny, nz = plan.shape
    x_axis, y_axis, z_axis = plan.axis("x"), plan.axis("y"), plan.axis("z")
    options = experiment["options"]
    source = experiment.get("workflow") or {}
    grids = []
    for z in range(nz):
        title = experiment["name"]
        if z_axis is not None:
            title += f" — {z_axis.title}: {z_axis.labels[z]}"
        layout = GridLayout(
            title=title,
            x_title=x_axis.title,
            x_labels=tuple(x_axis.labels),
            y_title=y_axis.title if y_axis else "",
            y_labels=tuple(y_axis.labels) if y_axis else ("",),
            footer=footer_text(plan),
            max_megapixels=float(options.get("max_megapixels", 64.0)),
        )
        image = render_grid(layout, lambda xi, yi: _tile(folder, plan, cells.get(plan.index(xi, yi, z)),
                                                         bool(experiment["dry_run"])))
        path = folder.grid_path(z)
        text: dict[str, Any] = {"xyz_studio": {"experiment": experiment_id, "z": z}}
        if source.get("workflow"):
            text["workflow"] = source["workflow"]
        if source.get("prompt"):
            text["prompt"] = source["prompt"]
        save_png(path, image, text)
        grids.append({"z": z, "file": folder.relative(path), "width": image.width, "height": image.height})
        image.close()
    return grids


def assemble(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None) -> tuple[list[Path], dict]:
    """Settle cells, draw the grids, mark the experiment finished and write the manifest."""
    experiment = store.experiment(experiment_id)
    if experiment is None:
        raise LookupError(f"unknown experiment {experiment_id}")
    if not experiment["dry_run"]:
        settle_cells(store, experiment_id, lookup)
    grids = draw_grids(store, experiment_id)
    status = "planned" if experiment["dry_run"] else (
        "cancelled" if experiment["status"] == "cancelled" else "complete")
    store.update_experiment(experiment_id, status=status, grids=grids, finished=time.time())
    folder = ExperimentFolder(store.root, experiment_id)
    manifest = write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))
    return [folder.dir / g["file"] for g in grids], manifest
