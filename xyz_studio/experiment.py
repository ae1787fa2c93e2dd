"""Starting an experiment: plan it, record it, queue one ordinary prompt per cell.

Cells go through ComfyUI's own POST /prompt, so they show in the queue, can be
interrupted one by one, use ComfyUI's cache and save as they finish. A last
"assemble" prompt, queued after every cell, draws the grids.
"""
from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

from . import protocol as P
from .comfyui.client import ComfyClient, ComfyError, PromptRejected
from .errors import WorkflowRejected
from .storage.folder import ExperimentFolder, new_experiment_id
from .storage.manifest import write_manifest
from .comfyui.node_specs import NodeSpec
from .planning.plan import ORDER_COST_AWARE, AxisRequest, Plan, plan_experiment
from .storage.store import ExperimentStore


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


RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds between attempts to queue a cell the server could not take


def job_info(experiment_id: str, role: str, plan: Plan | None = None, index: int | None = None,
             run_order: int | None = None) -> dict:
    """What travels in extra_data.extra_pnginfo so the Grid Assembler knows its job.

    A cell's job carries its coordinates, labels and place in the run, so saving it
    needs no lookup.
    """
    info: dict[str, Any] = {"experiment": experiment_id, "role": role}
    if plan is not None and index is not None:
        x, y, z = plan.coords(index)
        at = {"x": x, "y": y, "z": z}
        info.update(cell=index, order=run_order, **at, labels={a.slot: a.labels[at[a.slot]] for a in plan.axes})
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
    cells = []
    for order, index in enumerate(plan.run_sequence()):
        x, y, z = plan.coords(index)
        cells.append({"index": index, "x": x, "y": y, "z": z, "run_order": order,
                      "prompt_id": None if options.dry_run else str(uuid.uuid4())})
    if not options.dry_run:
        # ComfyUI validates the whole graph when the first cell is posted: a problem outside the
        # axes (a missing model, a bad link) stops the experiment here, before anything is recorded.
        # The cell cannot start before this driver returns (one worker), so the record is in time.
        _queue_first_cell(client, plan, experiment_id, cells[0], client_id)
    folder = ExperimentFolder(store.root, experiment_id)
    try:
        folder.create()
        store.create(experiment_id, options.name, plan.to_dict(), options.to_dict(), source, client_id,
                     cells, options.dry_run)
    except OSError as e:
        if not options.dry_run:
            client.delete_queued([cells[0]["prompt_id"]])
        raise OSError(e.errno, f"cannot create the experiment folder {folder.dir}: {e.strerror or e}; "
                               "check that ComfyUI's output folder is writable and not full") from e
    write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))
    if not options.dry_run:
        queue_cells(store, client, plan, experiment_id, cells[1:], client_id)
    if store.status_of(experiment_id) != "cancelled":
        queue_final(store, client, plan, experiment_id, client_id)
    return experiment_id, plan


def _queue_first_cell(client: ComfyClient, plan: Plan, experiment_id: str, cell: dict,
                      client_id: str | None) -> None:
    try:
        _with_retries(lambda: client.queue_prompt(
            plan.cell_prompt(cell["index"]), client_id=client_id, prompt_id=cell["prompt_id"],
            extra_data=job_info(experiment_id, P.ROLE_CELL, plan, cell["index"], cell["run_order"])))
    except PromptRejected as e:
        raise WorkflowRejected(f"ComfyUI refuses the workflow (checked with the first cell, before anything "
                               f"ran):\n{e.describe()}") from None


def queue_cells(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                cells: list[dict], client_id: str | None) -> int:
    """Queue cells in run order, stopping if the experiment is cancelled meanwhile; returns how many
    the server took."""
    taken = 0
    for cell in sorted(cells, key=lambda c: c["run_order"]):
        if store.status_of(experiment_id) == "cancelled":
            break
        taken += queue_cell(store, client, plan, experiment_id, cell, client_id)
    return taken


def queue_final(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                client_id: str | None) -> str:
    """Queue the prompt that draws the grids (after every cell already queued)."""
    final_id = _with_retries(lambda: client.queue_prompt(plan.final_prompt(), client_id=client_id,
                                                         extra_data=job_info(experiment_id, P.ROLE_ASSEMBLE)))
    store.update_experiment(experiment_id, final_prompt_id=final_id)
    return final_id


def _with_retries(action, delays=RETRY_DELAYS):
    """Run `action`, retrying with backoff when the server could not take it (5xx, connection)."""
    for delay in (*delays, None):
        try:
            return action()
        except PromptRejected:
            raise  # the prompt itself is wrong: retrying cannot help
        except (ComfyError, OSError) as e:
            if delay is None or (isinstance(e, ComfyError) and e.status < 500 and e.status != 429):
                raise
            time.sleep(delay)


def queue_cell(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str, cell: dict,
               client_id: str | None) -> bool:
    """Queue one cell; a prompt the server refuses becomes a failed cell, not a failed run."""
    index = cell["index"]
    try:
        _with_retries(lambda: client.queue_prompt(
            plan.cell_prompt(index), client_id=client_id, prompt_id=cell["prompt_id"],
            extra_data=job_info(experiment_id, P.ROLE_CELL, plan, index, cell["run_order"])))
        return True
    except PromptRejected as e:
        store.update_cell(experiment_id, index, status="failed", error=f"rejected by ComfyUI: {e.describe()}")
    except (ComfyError, OSError) as e:
        store.update_cell(experiment_id, index, status="failed", error=f"could not queue: {e}")
    return False
