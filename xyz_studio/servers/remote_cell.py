"""A cell as a stock ComfyUI server runs it, and reading its results back.

A worker has only ComfyUI and the user's models, not this pack. So its prompt is the
cell's own graph with the Grid Assembler swapped for a stock SaveImage (a prefix
unique to the experiment and cell), each metric source wired into a stock PreviewAny
(its value comes back as text in the history), and only what those output nodes need
is kept. The images come back through GET /view and are saved and recorded in the
experiment exactly as a cell rendered here.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from .. import protocol as P
from ..comfyui.client import ComfyClient
from ..comfyui.history import HistoryEntry
from ..comfyui.prompt_graph import Prompt, ancestors, subset, without_annotations
from ..metrics.declared import MetricPlan, metric_value
from ..planning.plan import Plan

SAVE_IMAGE = "SaveImage"
PREVIEW_ANY = "PreviewAny"  # stock since ComfyUI 0.3.3x: shows any value as text
REMOTE_SUBFOLDER = "xyz_studio_remote"
_METRIC_NODE = "xyz_metric_{slot}"


def remote_prefix(experiment_id: str, index: int) -> str:
    """The SaveImage prefix of a cell on a worker: its files land in output/xyz_studio_remote/<id>/."""
    return f"{REMOTE_SUBFOLDER}/{experiment_id}/cell_{index:05d}"


@dataclass(frozen=True)
class RemoteCell:
    prompt: Prompt
    image_node: str                 # the SaveImage node's id
    metric_nodes: dict[str, str]    # metric name -> its PreviewAny node's id


def remote_cell(plan: Plan, experiment_id: str, index: int) -> RemoteCell:
    """The stock-only prompt of cell `index`."""
    cell = without_annotations(plan.cell_prompt(index))
    assembler = cell[plan.assembler_id]
    wired = assembler.get("inputs") or {}
    out = dict(cell)
    out[plan.assembler_id] = {"class_type": SAVE_IMAGE, "inputs": {
        "images": wired[P.IMAGE_INPUT], "filename_prefix": remote_prefix(experiment_id, index)}}
    metric_nodes: dict[str, str] = {}
    for metric in plan.metrics:
        node_id = _METRIC_NODE.format(slot=metric.input)
        out[node_id] = {"class_type": PREVIEW_ANY, "inputs": {"source": wired[metric.input]}}
        metric_nodes[metric.name] = node_id
    keep = {plan.assembler_id, *metric_nodes.values()}
    for node_id in list(keep):
        keep |= ancestors(out, node_id)
    return RemoteCell(prompt=subset(out, keep), image_node=plan.assembler_id, metric_nodes=metric_nodes)


def needed_classes(plan: Plan) -> set[str]:
    """The stock nodes a worker needs beside those of the cells' graphs."""
    return {SAVE_IMAGE, *([PREVIEW_ANY] if plan.metrics else [])}


class RemoteResultMissing(RuntimeError):
    """The worker's history says the cell succeeded but names no image of it (or the file is gone)."""


def fetch_images(client: ComfyClient, entry: HistoryEntry, cell: RemoteCell) -> list[Image.Image]:
    """The cell's images, read back from the worker (in batch order)."""
    refs = ((entry.get("outputs") or {}).get(cell.image_node) or {}).get("images") or []
    if not refs:
        raise RemoteResultMissing("the worker ran the cell but saved no image")
    images = []
    for ref in refs:
        data = client.view(str(ref.get("filename", "")), str(ref.get("subfolder", "")), str(ref.get("type", "output")))
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            images.append(im.convert("RGB") if im.mode != "RGB" else im.copy())
    return images


def read_metrics(entry: HistoryEntry, cell: RemoteCell, metrics: Sequence[MetricPlan]) -> dict[str, float | None]:
    """Each metric's value from its PreviewAny's text; missing (None) when it is not a finite number."""
    outputs = entry.get("outputs") or {}
    values: dict[str, float | None] = {}
    for metric in metrics:
        text = ((outputs.get(cell.metric_nodes.get(metric.name, "")) or {}).get("text") or [None])[0]
        try:
            values[metric.name] = metric_value(float(text)) if isinstance(text, str) else None
        except ValueError:
            values[metric.name] = None
    return values
