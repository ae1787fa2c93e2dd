"""Grid Assembler: saves each cell as it finishes and draws the grids at the end."""
from __future__ import annotations

from comfy_api.latest import io

from ..host import adapter, credentials
from ..host.image_tensor import pil_to_tensor, tensor_to_pil
from ..xyz_studio import protocol as P
from ..xyz_studio.assembly import assemble
from ..xyz_studio.cells import WRITER, SavedCell
from ..xyz_studio.protocol import Job, JobRole
from ..xyz_studio.storage.records import CellStatus
from ..xyz_studio.storage.store import ExperimentStore


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
        job = Job.from_pnginfo(cls.hidden.extra_pnginfo)
        return ["image"] if job and job.role == JobRole.CELL and image is None else []

    @classmethod
    def fingerprint_inputs(cls, **kwargs) -> str:
        return adapter.always_changed()  # every cell must be saved, even one identical to an earlier cell

    @classmethod
    def execute(cls, image=None) -> io.NodeOutput:
        job = Job.from_pnginfo(cls.hidden.extra_pnginfo)
        blocked = adapter.execution_blocker()
        if job is None:
            return io.NodeOutput(blocked)
        store = ExperimentStore(adapter.studio_root())
        client_id = adapter.current_client_id()
        base = f"{P.OUTPUT_SUBFOLDER}/{job.experiment}/"
        lookup = adapter.history_reader(credentials.of_experiment(job.experiment))
        if job.role == JobRole.CELL:
            if image is None:
                raise ValueError("Grid Assembler, input \"image\": got nothing; expected the cell's IMAGE")
            prompt_id = adapter.running_prompt_id()

            def saved(cell: SavedCell) -> None:
                counts = cell.counts
                adapter.send_event(P.EVENT_CELL, P.CellEvent(
                    experiment=job.experiment, index=int(job.cell), x=job.x, y=job.y, z=job.z,
                    status=(CellStatus.FAILED if cell.error else CellStatus.DONE).value, files=cell.files,
                    done=counts.get(CellStatus.DONE.value, 0), failed=counts.get(CellStatus.FAILED.value, 0),
                    total=sum(counts.values()), error=cell.error, prompt_id=prompt_id), client_id)
            # the writer saves and records it while ComfyUI's worker goes on with the next cell; the
            # browser learns of the files from the cell event (a preview here could name a file not yet written)
            WRITER.submit(store, job, tensor_to_pil(image), cls.hidden.prompt, lookup, saved)
            return io.NodeOutput(blocked)
        try:
            images, manifest = assemble(store, job.experiment, lookup)
        except OSError as e:
            raise OSError(e.errno, f"Grid Assembler: could not draw the grids of experiment {job.experiment}: "
                                   f"{e.strerror or e}; the saved cells are kept in "
                                   f"{store.root / job.experiment}") from e
        grids = pil_to_tensor(images)  # bounded copies: see grid_drawing.PREVIEW_MEGAPIXELS
        for image in images:
            image.close()
        counts = manifest["counts"]
        adapter.send_event(P.EVENT_EXPERIMENT, P.ExperimentEvent(
            experiment=job.experiment, status=manifest["status"], total=len(manifest["cells"]),
            done=counts.get(CellStatus.DONE.value, 0), failed=counts.get(CellStatus.FAILED.value, 0), counts=counts,
            grids=[g["file"] for g in manifest["grids"]], assembler=str(cls.hidden.unique_id)), client_id)
        return io.NodeOutput(grids, ui={"images": [_view_ref(base + g["file"]) for g in manifest["grids"]]})
