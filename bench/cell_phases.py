"""Where the pack's time per cell goes: each phase of a cell's path, timed on its own.

    python -m bench.cell_phases [SIZE]      (default 128: the trivial-cell configuration)

The phases are those of `bench.pack_vs_direct` (10 x 10 cells of EmptyImage SIZE ->
ImageBlur): planning, building and posting each cell's prompt (POST /prompt on a real
server, as the Grid Driver does), saving a cell (PNG encoding and the atomic write),
recording it in the store, its websocket payload, the small copy its queue entry shows
(written on the worker), and at the end reading the history and drawing the grid with
the manifest. Each is timed over the 100 cells, several
rounds; the table shows the median per cell (ms) and the rounds' spread. Which of
them sit on ComfyUI's worker thread (and so add to a run's wall time) is the pack's
design, not this script's: see the closing column.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image

from bench.common import offline_plan, specs_of
from bench.pack_vs_direct import experiment
from harness.host import ComfyHost
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.experiment.cell_writer import standalone_prompt
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.experiment.settle import settle_cells
from xyz_studio.grids.finish import draw_grids
from xyz_studio.planning.plan import Plan
from xyz_studio.storage.folder import ExperimentFolder, new_experiment_id, save_png
from xyz_studio.storage.manifest import write_manifest
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore
from xyz_studio.storage.thumbnails import write_queue_preview

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 128
ROUNDS = 5


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def one_round(client: ComfyClient, specs: dict, root: Path, round_no: int) -> dict[str, float]:
    graph = experiment(round_no)
    seconds: dict[str, float] = {}
    plans: list[Plan] = []
    seconds["plan the experiment"] = _timed(lambda: plans.append(offline_plan(graph, specs)))
    plan = plans[0]
    store = ExperimentStore(root)
    eid = new_experiment_id()
    cells = [Cell(experiment_id=eid, index=i, x=x, y=y, z=z, run_order=n, status=CellStatus.QUEUED)
             for n, i in enumerate(plan.run_sequence()) for x, y, z in [plan.place(i)]]
    now = time.time()
    store.create(Experiment(id=eid, name="phases", created=now, updated=now, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=len(cells), final_prompt_id=None,
                            plan=plan, options=Options()), cells)
    folder = ExperimentFolder(root, eid)
    folder.create()
    bodies: list[tuple[dict[str, Any], dict[str, Any]]] = []
    seconds["build cell prompts"] = _timed(lambda: bodies.extend(
        (plan.cell_prompt(c.index), cell_job(eid, plan, c).extra_data()) for c in cells))
    ids: list[str] = []
    seconds["post to /prompt"] = _timed(lambda: ids.extend(
        client.queue_prompt(prompt, extra_data=extra) for prompt, extra in bodies))
    # a flat colour, as EmptyImage -> ImageBlur renders it (random pixels would be the worst case for zlib)
    image = Image.new("RGB", (SIZE, SIZE), (round_no * 40 % 256, 90, 160))
    runnable = standalone_prompt(bodies[0][0])

    def save_all():
        for c in cells:
            save_png(folder.cell_path(plan.cell_file_stem(c.index)), image,
                     {"prompt": runnable, "xyz_studio": {"index": c.index}})
    seconds["encode and write PNG"] = _timed(save_all)
    jobs = [cell_job(eid, plan, c) for c in cells]
    # on ComfyUI's worker itself (the PNG above is the background writer's): the queue entry's copy
    seconds["queue preview (worker)"] = _timed(lambda: [write_queue_preview(root / "temp", j, image) for j in jobs])
    seconds["record in the store"] = _timed(lambda: [
        store.finish_cell(eid, c.index, [folder.relative(folder.cell_path(plan.cell_file_stem(c.index)))], c.run_order)
        for c in cells])
    seconds["event payload"] = _timed(lambda: [P.strict_json(P.CellEvent(
        experiment=eid, index=c.index, x=c.x, y=c.y, z=c.z, status=CellStatus.DONE, files=[], done=1, failed=0,
        total=100).to_json()) for c in cells])
    while client.history(ids[-1]) is None:  # the cells ran on the server meanwhile
        time.sleep(0.02)
    store.update_cells(eid, {c.index: {"prompt_id": pid} for c, pid in zip(cells, ids)})

    def lookup(prompt_ids):
        found = client.recent_history(len(prompt_ids) + 64)
        return {pid: found[pid] for pid in prompt_ids if pid in found}
    seconds["settle from /history"] = _timed(lambda: settle_cells(store, eid, lookup))
    seconds["draw grid + manifest"] = _timed(lambda: (
        draw_grids(store, eid), write_manifest(folder, store.experiment(eid), store.cells(eid))))
    return {phase: s / len(cells) for phase, s in seconds.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp) / "host") as host:
        client = ComfyClient(host.url)
        specs = specs_of(client)
        rounds = [one_round(client, specs, Path(tmp) / "studio", r) for r in range(ROUNDS + 1)][1:]  # 1st: warm-up
    print(f"per-cell cost of each phase, 100 cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur, {ROUNDS} rounds")
    print(f"{'phase':<24}{'median ms':>10}{'min':>8}{'max':>8}")
    total = 0.0
    for phase in rounds[0]:
        values = [r[phase] * 1000 for r in rounds]
        total += statistics.median(values)
        print(f"{phase:<24}{statistics.median(values):>10.3f}{min(values):>8.3f}{max(values):>8.3f}")
    print(f"{'all phases':<24}{total:>10.3f}")


if __name__ == "__main__":
    main()
