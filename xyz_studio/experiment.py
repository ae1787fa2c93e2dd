"""Starting an experiment: plan it, record it, queue one ordinary prompt per cell.

Cells go through ComfyUI's own POST /prompt, so they show in the queue, can be
interrupted one by one, use ComfyUI's cache and save as they finish. A last
"assemble" prompt, queued after every cell, draws the grids.
"""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from . import protocol as P
from .comfy_client import ComfyClient, ComfyError, PromptRejected
from .experiment_files import ExperimentFolder, new_experiment_id
from .manifest import write_manifest
from .node_specs import NodeSpec
from .plan import ORDER_COST_AWARE, AxisRequest, Plan, plan_experiment
from .store import ExperimentStore


@dataclass
class Options:
    name: str = "XYZ experiment"
    max_cells: int = 500
    dry_run: bool = False
    max_megapixels: float = 64.0
    order: str = ORDER_COST_AWARE

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "max_cells": self.max_cells, "dry_run": self.dry_run,
                "max_megapixels": self.max_megapixels, "order": self.order}


def job_info(experiment_id: str, role: str, plan: Plan | None = None, index: int | None = None) -> dict:
    """What travels in extra_data.extra_pnginfo so the Grid Assembler knows its job.

    A cell's job carries its coordinates and labels, so saving it needs no lookup.
    """
    info: dict[str, Any] = {"experiment": experiment_id, "role": role}
    if plan is not None and index is not None:
        x, y, z = plan.coords(index)
        at = {"x": x, "y": y, "z": z}
        info.update(cell=index, **at, labels={a.slot: a.labels[at[a.slot]] for a in plan.axes})
    return {"extra_pnginfo": {P.PNGINFO_KEY: info}}


def start_experiment(*, prompt: dict, driver_id: str, requests: dict[str, AxisRequest],
                     specs: dict[str, NodeSpec], options: Options, source: dict, client_id: str | None,
                     store: ExperimentStore, client: ComfyClient,
                     rng: random.Random | None = None) -> tuple[str, Plan]:
    """Plan, validate, record and queue an experiment; returns its id and plan.

    Raises PlanError before anything is recorded or queued when an axis is wrong.
    """
    plan = plan_experiment(prompt, driver_id, requests, specs, options.max_cells, rng, options.order)
    experiment_id = new_experiment_id()
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    sequence = plan.run_sequence()
    cells = []
    for order, index in enumerate(sequence):
        x, y, z = plan.coords(index)
        cells.append({"index": index, "x": x, "y": y, "z": z, "run_order": order,
                      "prompt_id": None if options.dry_run else str(uuid.uuid4())})
    store.create(experiment_id, options.name, plan.to_dict(), options.to_dict(), source, client_id,
                 cells, options.dry_run)
    write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))
    if not options.dry_run:
        for cell in cells:
            queue_cell(store, client, plan, experiment_id, cell["index"], cell["prompt_id"], client_id)
    final_id = client.queue_prompt(plan.final_prompt(), client_id=client_id,
                                   extra_data=job_info(experiment_id, P.ROLE_ASSEMBLE))
    store.update_experiment(experiment_id, final_prompt_id=final_id)
    return experiment_id, plan


def queue_cell(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str, index: int,
               prompt_id: str, client_id: str | None) -> bool:
    """Queue one cell; a prompt the server refuses becomes a failed cell, not a failed run."""
    try:
        client.queue_prompt(plan.cell_prompt(index), client_id=client_id,
                            extra_data=job_info(experiment_id, P.ROLE_CELL, plan, index), prompt_id=prompt_id)
        return True
    except PromptRejected as e:
        store.update_cell(experiment_id, index, status="failed", error=f"rejected by ComfyUI: {e.describe()}")
    except ComfyError as e:
        store.update_cell(experiment_id, index, status="failed", error=f"could not queue: {e}")
    return False
