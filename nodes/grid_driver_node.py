"""Grid Driver: plans the experiment and queues one ordinary prompt per cell."""
from __future__ import annotations

from comfy_api.latest import io, ui

from ..host import adapter
from ..xyz_studio import protocol as P
from ..xyz_studio.comfyui.client import AccessRefused
from ..xyz_studio.comfyui.kept_credentials import CREDENTIALS
from ..xyz_studio.comfyui.prompt_graph import without_annotations
from ..xyz_studio.errors import PlanError
from ..xyz_studio.experiment.start import start_experiment
from ..xyz_studio.planning.cell_order import CellOrder
from ..xyz_studio.planning.plan import AxisRequest
from ..xyz_studio.planning.planner import parse_cell_order
from ..xyz_studio.planning.preflight import (
    assembler_of,
    check_left_out_targets,
    driver_refusal,
    refusal_for,
    saved_workflow_id,
)
from ..xyz_studio.servers.server_set import ServerSet
from ..xyz_studio.storage.records import Options
from ..xyz_studio.storage.store import ExperimentStore
from ..xyz_studio.tracking.settings import TrackingSettings


class GridDriver(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        axis = io.Custom(P.AXIS_TYPE)
        return io.Schema(
            node_id=P.NODE_DRIVER,
            display_name="Grid Driver",
            category="XYZ Studio",
            description=(
                "Runs an XYZ plot: checks every axis, then queues one normal ComfyUI prompt per cell (visible in the "
                "queue, interruptible, cached, saved as it finishes) and a last one that draws the grids in the "
                "Grid Assembler. Expensive changes such as checkpoints are ordered to happen as rarely as possible."
            ),
            inputs=[
                axis.Input("x", tooltip="The axis across the columns (required)."),
                axis.Input("y", optional=True, tooltip="The axis down the rows (optional)."),
                axis.Input("z", optional=True, tooltip="One grid per value of this axis (optional; with more axes, "
                                                    "per combination of their values)."),
                io.String.Input("name", default="XYZ experiment", tooltip="Experiment name, shown on the grids."),
                io.Int.Input("max_cells", default=500, min=1, max=100000,
                             tooltip="Refuse experiments with more cells than this (protects from typos like 1-1000)."),
                io.Boolean.Input("dry_run", default=False,
                                 tooltip="Only draw the labelled layout with placeholder tiles; generate nothing."),
                io.Float.Input("max_grid_megapixels", default=64.0, min=1.0, max=89.0, step=1.0,
                               tooltip="Grids larger than this are scaled down so they always open (89 is "
                                       "the most image tools open without a size warning)."),
                io.Combo.Input("order", options=[o.value for o in CellOrder], default=CellOrder.COST_AWARE.value,
                               optional=True,
                               tooltip="cost-aware: the axis that changes the most expensive nodes (checkpoint, "
                                       "LoRA, ...) varies slowest, so each model loads once. grid order: Z, then "
                                       "Y, then X (X changes fastest)."),
                io.Custom(P.TRACKING_TYPE).Input("tracking", optional=True,
                                                 tooltip="A W&B Logger: log each experiment as a W&B run."),
                io.Custom(P.SERVERS_TYPE).Input("servers", optional=True,
                                                tooltip="A Servers node: spread the cells over several ComfyUI "
                                                        "servers (one per GPU or machine)."),
                # after every older input, so a workflow saved before keeps its links where they were
                *(axis.Input(slot, optional=True, display_name=f"axis {n}",
                             tooltip=f"Axis {n} (optional): one grid per combination of the values of Z and the "
                                     "axes after it; the explorer in the Grid Assembler's panel shows any two axes "
                                     "as the grid and a slider for each of the others.")
                  for n, slot in enumerate(P.AXIS_SLOTS[P.GRID_AXES:], start=P.GRID_AXES + 1)),
                # last: widgets_values are positional, so a workflow saved before keeps every value in place
                io.Boolean.Input("super_grid", default=False, optional=True,
                                 tooltip="Also save one PNG with the grid of every Z value side by side, each "
                                         "titled with its Z value (one per combination of the axes after Z)."),
                # a socket, not a widget: widgets_values keep their places
                io.Custom(P.SEARCH_TYPE).Input("search", optional=True,
                                               tooltip="A Search node: run only the cells a metric points to, up "
                                                       "to a budget, instead of every cell."),
            ],
            outputs=[],
            is_output_node=True,
            not_idempotent=True,
            hidden=[io.Hidden.unique_id, io.Hidden.prompt, io.Hidden.extra_pnginfo],
        )

    @classmethod
    def fingerprint_inputs(cls, **kwargs) -> str:
        return adapter.always_changed()  # queueing the same workflow twice must start a second experiment

    @classmethod
    def validate_inputs(cls, x: dict | None) -> bool | str:
        # The check of the whole queued workflow (planning/preflight.py) runs before this; a
        # refusal of this driver's experiment (on an axis or here) also tells the browser, so
        # its panel says the workflow was not queued. One argument: ComfyUI reports the message
        # once per argument, against that input.
        node_id = str(cls.hidden.unique_id)
        refused = driver_refusal(node_id)
        if refused:
            refusal, workflow_id = refused
            adapter.NOTIFIER.refused(P.RefusedEvent(driver=node_id, message=refusal.message,
                                                    assembler=refusal.assembler_id, workflow=workflow_id))
        return refusal_for(node_id) or True

    @classmethod
    def execute(cls, x: dict, name: str, max_cells: int, dry_run: bool, max_grid_megapixels: float,
                y: dict | None = None, z: dict | None = None, order: str = CellOrder.COST_AWARE.value,
                tracking: dict | None = None, servers: dict | None = None, super_grid: bool = False,
                search: dict | None = None, **more_axes: dict) -> io.NodeOutput:
        prompt = without_annotations(cls.hidden.prompt)
        wired = prompt.get(str(cls.hidden.unique_id), {}).get("inputs", {})
        given = {"x": x, "y": y, "z": z, **more_axes}  # more: axis4 .. axis8, and axis9 ... as the editor adds them
        for slot in P.axis_slots_in(given)[P.GRID_AXES:]:
            if given.get(slot) is not None and not isinstance(given[slot], dict):
                raise PlanError(f"Grid Driver #{cls.hidden.unique_id}", slot, type(given[slot]).__name__,
                                "a link from the `axis` output of an XYZ Axis")
        requests = {slot: AxisRequest.wired(given[slot], wired, slot) for slot in P.axis_slots_in(given)
                    if given.get(slot)}
        api = adapter.client(CREDENTIALS.take(adapter.running_prompt_id()))  # the queued workflow's caller
        extra = cls.hidden.extra_pnginfo or {}
        client_id = adapter.current_client_id()
        order_of = parse_cell_order(order, f"Grid Driver #{cls.hidden.unique_id}")
        options = Options(name=name.strip() or "XYZ experiment", max_cells=max_cells, dry_run=dry_run,
                          max_megapixels=max_grid_megapixels, order=order_of, super_grid=bool(super_grid),
                          servers=ServerSet.from_json(servers) if isinstance(servers, dict) else None)
        store = ExperimentStore(adapter.studio_root())
        try:
            specs = adapter.node_specs(api, {n.get("class_type", "") for n in prompt.values()})
            check_left_out_targets(prompt, requests, extra.get("workflow"), specs)
            started = start_experiment(
                prompt=prompt, driver_id=str(cls.hidden.unique_id), requests=requests, specs=specs,
                options=options, source={"workflow": extra.get("workflow"), "prompt": prompt},
                client_id=client_id, store=store, client=api,
                tracking=TrackingSettings.from_json(tracking) if isinstance(tracking, dict) else None,
                search=search if isinstance(search, dict) else None, notifier=adapter.NOTIFIER)
        except AccessRefused as e:
            raise adapter.access_refused(e) from None
        except PlanError as e:  # a host where the check on queueing cannot reach the nodes
            adapter.NOTIFIER.refused(P.RefusedEvent(driver=str(cls.hidden.unique_id), message=str(e),
                                                    assembler=assembler_of(prompt),
                                                    workflow=saved_workflow_id(extra.get("workflow"))))
            raise
        # the summary as ComfyUI's own text result; the experiment id under the pack's key (the panel reads it)
        shown = ui.PreviewText(started.summary).as_dict()
        return io.NodeOutput(ui={**shown, P.UI_EXPERIMENT_KEY: [started.experiment_id]})


