"""Grid Assembler: saves each cell as it finishes and draws the grids at the end."""
from __future__ import annotations

from comfy_api.latest import io

from ..xyz_studio import protocol as P
from ..xyz_studio.assembly import assemble, save_cell
from ..xyz_studio.storage.store import ExperimentStore
from ..host import adapter as comfy_host
from ..host.image_tensor import pil_to_tensor, tensor_to_pil


def _job(extra_pnginfo) -> dict | None:
    job = (extra_pnginfo or {}).get(P.PNGINFO_KEY)
    return job if isinstance(job, dict) and job.get("experiment") else None


def _view_ref(relative_to_output: str) -> dict:
    folder, _, filename = relative_to_output.rpartition("/")
    return {"filename": filename, "subfolder": folder, "type": "output"}


class GridAssembler(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_ASSEMBLER,
            display_name="Grid Assembler",
            category="XYZ Studio",
            description=(
                "Connect the final image of your workflow here. For each cell the Grid Driver queues, it saves the "
                "image (with its coordinates and the full prompt in the PNG) under output/xyz_studio/<experiment>/; "
                "then it draws one labelled grid per Z value, with failed cells shown as error tiles."
            ),
            inputs=[
                io.Image.Input("image", optional=True, lazy=True,
                               tooltip="The image each cell produces (e.g. from VAE Decode)."),
            ],
            outputs=[io.Image.Output("grids", display_name="grids",
                                     tooltip="The finished grids as an image batch, one per Z value.")],
            is_output_node=True,
            not_idempotent=True,
            hidden=[io.Hidden.unique_id, io.Hidden.prompt, io.Hidden.extra_pnginfo],
        )

    @classmethod
    def check_lazy_status(cls, image=None) -> list[str]:
        # Only a cell's own prompt renders the image; the queued workflow never does.
        job = _job(cls.hidden.extra_pnginfo)
        return ["image"] if job and job.get("role") == P.ROLE_CELL and image is None else []

    @classmethod
    def fingerprint_inputs(cls, **kwargs) -> float:
        return float("nan")  # every cell must be saved, even one identical to an earlier cell

    @classmethod
    def execute(cls, image=None) -> io.NodeOutput:
        job = _job(cls.hidden.extra_pnginfo)
        blocked = comfy_host.execution_blocker()
        if job is None:
            return io.NodeOutput(blocked)
        store = ExperimentStore(comfy_host.studio_root())
        experiment_id = str(job["experiment"])
        client_id = comfy_host.current_client_id()
        if job.get("role") == P.ROLE_CELL:
            if image is None:
                raise ValueError("Grid Assembler, input \"image\": got nothing; expected the cell's IMAGE")
            files, counts = save_cell(store, job, tensor_to_pil(image), cls.hidden.prompt, comfy_host.history_lookup)
            index = int(job["cell"])
            comfy_host.send_event(P.EVENT_CELL, {"experiment": experiment_id, "index": index, "status": "done",
                                                 "files": files, "done": counts.get("done", 0),
                                                 "failed": counts.get("failed", 0),
                                                 "total": sum(counts.values())}, client_id)
            base = f"{P.OUTPUT_SUBFOLDER}/{experiment_id}/"
            return io.NodeOutput(blocked, ui={"images": [_view_ref(base + f) for f in files]})
        try:
            images, manifest = assemble(store, experiment_id, comfy_host.history_lookup)
        except OSError as e:
            raise OSError(e.errno, f"Grid Assembler: could not draw the grids of experiment {experiment_id}: "
                                   f"{e.strerror or e}; the saved cells are kept in "
                                   f"{store.root / experiment_id}") from e
        grids = pil_to_tensor(images)  # bounded copies: see assembly.PREVIEW_MEGAPIXELS
        for image in images:
            image.close()
        comfy_host.send_event(P.EVENT_EXPERIMENT, {"experiment": experiment_id, "status": manifest["status"],
                                                   "counts": manifest["counts"],
                                                   "grids": [g["file"] for g in manifest["grids"]]}, client_id)
        base = f"{P.OUTPUT_SUBFOLDER}/{experiment_id}/"
        return io.NodeOutput(grids,
                             ui={"images": [_view_ref(base + g["file"]) for g in manifest["grids"]]})
