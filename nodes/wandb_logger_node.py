"""W&B Logger: connect it to a Grid Driver and each experiment becomes one Weights & Biases run."""
from __future__ import annotations

from comfy_api.latest import io

from ..xyz_studio import protocol as P
from ..xyz_studio.tracking.settings import TrackingMode, TrackingSettings, parse_tags


class WandbLogger(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_WANDB_LOGGER,
            display_name="W&B Logger",
            category="XYZ Studio",
            description=(
                "Logs each experiment of the Grid Driver it is connected to as one Weights & Biases run: the axes "
                "and fixed parameters as config, a table row per cell as it finishes (image, values, time, "
                "metrics), the grids and a summary. Needs `pip install wandb` in ComfyUI's Python; the API key is "
                "read by wandb itself (WANDB_API_KEY or `wandb login`). Logging never slows or stops the run: if "
                "it fails, the experiment goes on and the problem is shown once."
            ),
            inputs=[
                io.String.Input("project", default="xyz-plot-studio", tooltip="The W&B project."),
                io.String.Input("entity", default="", tooltip="Your W&B user or team (empty: your default)."),
                io.String.Input("run_name", default="", tooltip="The run's name (empty: the experiment's name)."),
                io.String.Input("tags", default="", multiline=True, tooltip="Tags, separated by commas or lines."),
                io.Combo.Input("mode", options=[m.value for m in TrackingMode], default=TrackingMode.OFFLINE.value,
                               tooltip="online: to wandb.ai (needs a key). offline: a local run folder, uploaded "
                                       "later with `wandb sync`. disabled: log nothing."),
                io.Boolean.Input("log_cells", default=True,
                                 tooltip="A table row with the image for every cell (off: only grids and summary)."),
            ],
            outputs=[io.Custom(P.TRACKING_TYPE).Output("tracking", tooltip="Connect to the Grid Driver's tracking.")],
        )

    @classmethod
    def execute(cls, project: str, entity: str, run_name: str, tags: str, mode: str,
                log_cells: bool) -> io.NodeOutput:
        settings = TrackingSettings(project=project.strip() or TrackingSettings.project, entity=entity.strip(),
                                    run_name=run_name.strip(), tags=parse_tags(tags), mode=TrackingMode(mode),
                                    log_cells=bool(log_cells))
        return io.NodeOutput(settings.to_json())
