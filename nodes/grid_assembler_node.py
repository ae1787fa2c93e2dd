"""Grid Assembler: saves each cell as it finishes and draws the grids at the end."""
from __future__ import annotations

import functools
import logging

from comfy_api.latest import io, ui
from PIL import Image

from ..host import adapter
from ..host.image_tensor import pil_to_tensor, tensor_to_pil
from ..xyz_studio import protocol as P
from ..xyz_studio.comfyui.kept_credentials import CREDENTIALS
from ..xyz_studio.comfyui.prompt_graph import consumers_of, is_link
from ..xyz_studio.experiment.assemble import assemble
from ..xyz_studio.experiment.cell_writer import WRITER, FinishedCell
from ..xyz_studio.metrics.declared import MetricGoal, declared_metrics, metric_value
from ..xyz_studio.protocol import Job, JobRole
from ..xyz_studio.storage.store import ExperimentStore
from ..xyz_studio.storage.thumbnails import QUEUE_PREVIEW_SIZE, write_queue_preview

log = logging.getLogger("xyz_studio")


NO_PREVIEW = Image.new("RGB", (1, 1), "white")  # the IMAGE output when nothing is connected to it


def _metric_inputs() -> list[io.Input]:
    inputs: list[io.Input] = []
    for k, slot in enumerate(P.METRIC_INPUTS, start=1):
        inputs += [
            io.MultiType.Input(slot, types=[io.Float, io.Int], optional=True, lazy=True,
                               tooltip=f"Metric {k}: any FLOAT or INT output of a node in the cell's graph (a "
                                       "score, an image statistic). Recorded per cell, summarised per axis value; "
                                       "a cell without a number gets no value, never 0."),
            io.String.Input(P.metric_name_input(slot), default="", optional=True,
                            tooltip=f"The name of metric {k} (default {slot})."),
            io.Combo.Input(P.metric_goal_input(slot), options=[g.value for g in MetricGoal],
                           default=MetricGoal.HIGHER.value, optional=True,
                           tooltip=f"Which values of metric {k} are better: picks each metric's best cell."),
        ]
    return inputs


def _own_inputs(prompt: dict | None, unique_id) -> dict:
    """This node's inputs in the running prompt (links are [node id, output])."""
    node = (prompt or {}).get(str(unique_id)) or {}
    return node.get("inputs") or {}


def _saved_files(experiment_id: str, files: list[str]) -> ui.SavedImages:
    """Files of the experiment's folder (grids, a cell) as ComfyUI's own saved-images result (the
    node or the queue entry shows them; /view serves them)."""
    subfolder = f"{P.OUTPUT_SUBFOLDER}/{experiment_id}"
    results = []
    for file in files:
        folder, _, filename = f"{subfolder}/{file}".rpartition("/")
        results.append(ui.SavedResult(filename, folder, io.FolderType.output))
    return ui.SavedImages(results)


def _queue_preview(job: Job, image: Image.Image) -> ui.SavedImages | None:
    """The cell's entry in ComfyUI's queue and history shows a small copy named after the cell
    (without it, each of an experiment's hundreds of entries is blank). A copy that cannot be
    written costs the cell nothing: its entry is blank, as before."""
    try:
        written = write_queue_preview(adapter.temp_directory(), job, image)
    except OSError:
        log.warning("xyz_studio: no queue preview for cell %s of %s", job.index, job.experiment, exc_info=True)
        return None
    if written is None:
        return None
    return ui.SavedImages([ui.SavedResult(written["filename"], written["subfolder"], io.FolderType.temp)])


@functools.cache
def _schema() -> io.Schema:
    # built once: ComfyUI asks a V3 node for its inputs (define_schema) several times per prompt it
    # runs, ~0.5 ms a time for this node's 24 inputs, i.e. per cell; Schema.finalize is idempotent
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
            io.Image.Input(P.IMAGE_INPUT, optional=True, lazy=True,
                           tooltip="The image each cell produces (e.g. from VAE Decode)."),
            *_metric_inputs(),
            io.Boolean.Input(P.SHOW_METRICS_INPUT, default=False, optional=True,
                             tooltip="Write each cell's metric values on a line under it on the grids."),
        ],
        outputs=[io.Image.Output("grids", display_name="grids",
                                 tooltip="The finished grids as an image batch, one per Z value, scaled to at "
                                         "most 2 megapixels together (the files keep full size); made only "
                                         "when a node is connected here.")],
        is_output_node=True,
        not_idempotent=True,
        hidden=[io.Hidden.unique_id, io.Hidden.prompt, io.Hidden.extra_pnginfo],
    )


@functools.cache
def _v1_inputs() -> dict[str, dict]:
    return _schema().get_v1_info(GridAssembler).input


class GridAssembler(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return _schema()

    @classmethod
    def INPUT_TYPES(cls, include_hidden=True, return_schema=False):
        """ComfyUI's own answer (the V1 input dict of the schema), made once: ComfyUI rebuilds it
        from the schema five times for each cell it runs (validation, cache keys, the inputs),
        about a millisecond of its worker's per cell for this node's inputs. Each call gets
        its own dicts at the top, as from ComfyUI; the per-input (type, options) pairs are shared
        and only read."""
        inputs = {section: dict(entries) for section, entries in _v1_inputs().items()
                  if include_hidden or section != "hidden"}
        return (inputs, _schema()) if return_schema else inputs

    @classmethod
    def check_lazy_status(cls, **inputs) -> list[str]:
        # Only a cell's own prompt renders the image and computes the metrics; the queued
        # workflow and the final prompt never do.
        job = Job.from_pnginfo(cls.hidden.extra_pnginfo)
        if not job or job.role != JobRole.CELL:
            return []
        wired = _own_inputs(cls.hidden.prompt, cls.hidden.unique_id)
        return [name for name in P.CELL_INPUTS if is_link(wired.get(name)) and inputs.get(name) is None]

    @classmethod
    def fingerprint_inputs(cls, **kwargs) -> str:
        return adapter.always_changed()  # every cell must be saved, even one identical to an earlier cell

    @classmethod
    def execute(cls, image=None, **inputs) -> io.NodeOutput:
        job = Job.from_pnginfo(cls.hidden.extra_pnginfo)
        blocked = adapter.execution_blocker()
        if job is None:
            return io.NodeOutput(blocked)
        store = ExperimentStore(adapter.studio_root())
        lookup = adapter.history_reader(CREDENTIALS.of(job.experiment))
        if job.role == JobRole.CELL:
            if image is None:
                raise ValueError("Grid Assembler, input \"image\": got nothing; expected the cell's IMAGE")
            prompt_id = adapter.running_prompt_id()
            if job.run_order is None and prompt_id and store.prompt_id_of(job.experiment, job.index) != prompt_id:
                return io.NodeOutput(blocked)  # a dispatched attempt that was sent elsewhere meanwhile: not ours
            # the writer saves and records it while ComfyUI's worker goes on with the next cell; the
            # editors learn of the files from the cell event (a preview here could name a file not yet written)
            wired = _own_inputs(cls.hidden.prompt, cls.hidden.unique_id)
            metrics = {m.name: metric_value(inputs.get(m.input))
                       for m in declared_metrics(wired, f"Grid Assembler #{cls.hidden.unique_id}")}
            images = tensor_to_pil(image)
            # a cell no bigger than the copy, written before submit returns, is its own preview: the
            # copy's JPEG would cost ComfyUI's worker a few percent of a small cell's time
            shows_itself = max(images[0].size) <= QUEUE_PREVIEW_SIZE and WRITER.writes_on_the_spot(images)
            preview = None if shows_itself else _queue_preview(job, images[0])  # before the writer closes them
            # a dispatched cell (no run order) must not settle "earlier" cells: those run on other servers
            finished_cell = FinishedCell(job, images, cls.hidden.prompt, metrics, prompt_id, adapter.server_url())
            saved = WRITER.submit(store, finished_cell, lookup if job.run_order is not None else None,
                                  adapter.NOTIFIER)
            if shows_itself and saved is not None and saved.files:
                preview = _saved_files(job.experiment, saved.files[:1])
            return io.NodeOutput(blocked, ui=preview)
        # the preview batch is made only for a node that takes it: unconnected, it would sit in
        # ComfyUI's output cache (up to 24 MB of float pixels) until the next prompt, for nobody
        wanted = bool(consumers_of(cls.hidden.prompt or {}, str(cls.hidden.unique_id), 0))
        try:
            finished = assemble(store, job.experiment, lookup, previews=wanted, notifier=adapter.NOTIFIER)
        except OSError as e:
            raise OSError(e.errno, f"Grid Assembler: could not draw the grids of experiment {job.experiment}: "
                                   f"{e.strerror or e}; the saved cells are kept in "
                                   f"{store.root / job.experiment}") from e
        images = finished.previews
        grids = pil_to_tensor(images) if images else pil_to_tensor([NO_PREVIEW])  # bounded: PREVIEW_MEGAPIXELS
        for image in images:
            image.close()
        return io.NodeOutput(grids, ui=_saved_files(job.experiment, [g.file for g in finished.grids]))
