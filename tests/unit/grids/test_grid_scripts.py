"""A real grid PNG, drawn by the pack's grid code from an experiment's cell files, with titles
and labels in Japanese, Chinese and emoji: every character is drawn from a font that has it
(no boxes), and the picture is kept for a person to look at."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
from PIL import Image

from planning.test_plan import SPECS, graph
from xyz_studio import protocol as P
from xyz_studio.experiment.cell_writer import save_cell
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.grids.drawing import display_cell_size, grid_layout
from xyz_studio.grids.finish import draw_grids
from xyz_studio.grids.live import LiveGrids
from xyz_studio.planning.plan import AxisRequest
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.render.painter import GridPainter
from xyz_studio.render.text_fit import load_font
from xyz_studio.storage.folder import ExperimentFolder, new_experiment_id
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore

SCREENSHOT = Path(__file__).resolve().parents[3] / ".test-output" / "screenshots" / "grid_cjk_emoji.png"


def cjk_experiment(root: Path):
    prompt = graph("a cat at night")
    prompt["100"] = {"class_type": P.NODE_AXIS, "inputs": {"values": "3, 5, 7"}}
    prompt["3"]["inputs"]["cfg"] = ["100", 1]
    prompt["101"] = {"class_type": P.NODE_AXIS, "inputs": {"values": "cat, dog, fox"}}
    requests = {
        "x": AxisRequest("100", "3, 5, 7", title="実験 CFG 🙂",
                         labels="漢字, 🙂 smile, 実験と漢字の長いラベル 🙂🙂"),
        "y": AxisRequest("101", "cat, dog, fox", mode="prompt S/R", title="漢字 prompt",
                         labels="実験, 漢字, 🙂"),
    }
    plan = plan_experiment(prompt, "90", requests, SPECS, 1000)
    store, eid, now = ExperimentStore(root), new_experiment_id(), time.time()
    cells = [Cell(experiment_id=eid, index=i, x=cx, y=cy, z=cz, run_order=n, status=CellStatus.QUEUED)
             for n, i in enumerate(plan.run_sequence()) for cx, cy, cz in [plan.coords(i)]]
    store.create(Experiment(id=eid, name="実験 🙂 grid", created=now, updated=now, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=len(cells), final_prompt_id=None,
                            plan=plan, options=Options()), cells)
    ExperimentFolder(root, eid).create()
    return store, eid, plan, cells


def test_a_grid_with_cjk_and_emoji_labels_draws_every_character(tmp_path):
    store, eid, plan, cells = cjk_experiment(tmp_path)
    for cell in cells:
        rng = np.random.default_rng(cell.index)
        image = Image.fromarray(rng.integers(90, 230, (96, 96, 3), dtype=np.uint8))
        save_cell(store, cell_job(eid, plan, cell), [image], plan.cell_prompt(cell.index))
    grids, _ = draw_grids(store, eid, live_grids=LiveGrids())
    path = ExperimentFolder(store.root, eid).dir / grids[0].file
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, SCREENSHOT)

    folder = ExperimentFolder(store.root, eid)
    layout = grid_layout(store.experiment(eid), plan, 0, display_cell_size(folder, store.cells(eid)))
    assert layout.x_title == "実験 CFG 🙂" and layout.y_labels == ("実験", "漢字", "🙂")
    geometry = GridPainter(layout, layout.cell_size).geometry
    texts = geometry.texts + geometry.col_labels + [geometry.y_title]
    drawn = "".join(ch for t in texts for line in t.lines for ch in line)
    for ch in "実験漢字🙂":
        assert ch in drawn  # every label and title is laid out, none dropped...
    for t in texts:
        for line in t.lines:  # ...and each character has a font with its glyph: no box, no code point
            assert all(run.face is not None for run in t.font.runs(line)), (line, t.font)
    assert load_font(20, True).face_of("漢") is not None  # bold titles fall back too

    with Image.open(path) as im:
        sheet = np.asarray(im.convert("L"))
    assert sheet.shape == geometry.size[::-1]  # the geometry checked here is the one drawn
    _, top, _, _ = geometry.cell_box(0, 0)
    for t in geometry.col_labels:  # ink inside each column label's box, above the first row
        column = sheet[t.y:top, t.x:t.x + t.width]
        assert (column < 128).sum() > 20
    for j in range(3):  # and in each row label's band
        _, row_top, _, row_bottom = geometry.cell_box(0, j)
        band_left, band_w = geometry.row_band
        assert (sheet[row_top:row_bottom, band_left:band_left + band_w] < 128).sum() > 20
