"""Grids drawn while the cells come in: rows go into the file as soon as they are
complete, and the finished grid has exactly the pixels of one drawn afterwards from
the cell files, whatever order the cells came in, with failed cells, and with no
memory for tiles at all."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image

from planning.test_plan import SPECS, axis, graph
from xyz_studio.experiment.cell_writer import save_cell
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.grids.finish import draw_grids
from xyz_studio.grids.live import LiveGrids
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.storage.folder import ExperimentFolder, new_experiment_id
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore


def new_experiment(tmp_path, x="3, 5, 7", y="a, b, c, d", z=None, checkpoint_on_x=False, source=None):
    prompt = graph()
    requests = {"x": axis(prompt, "100", x, [("3", "cfg")]), "y": axis(prompt, "101", y, mode="prompt S/R")}
    if checkpoint_on_x:  # the costliest axis varies slowest: the cells come column by column
        requests = {"x": axis(prompt, "100", x, [("1", "ckpt_name")]), "y": axis(prompt, "101", y, [("3", "cfg")])}
    if z:
        requests["z"] = axis(prompt, "102", z, [("1", "ckpt_name")])
    plan = plan_experiment(prompt, "90", requests, SPECS, 1000)
    store, eid, now = ExperimentStore(tmp_path), new_experiment_id(), time.time()
    cells = [Cell(experiment_id=eid, index=i, x=cx, y=cy, z=cz, run_order=n, status=CellStatus.QUEUED)
             for n, i in enumerate(plan.run_sequence()) for cx, cy, cz in [plan.coords(i)]]
    store.create(Experiment(id=eid, name="live <b>grid</b>", created=now, updated=now, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=len(cells), final_prompt_id=None,
                            plan=plan, options=Options(), source=source), cells)
    ExperimentFolder(tmp_path, eid).create()
    return store, eid, plan, cells


def render(index: int) -> Image.Image:
    rng = np.random.default_rng(index)  # a different picture per cell, noisy enough to show any misplacement
    return Image.fromarray(rng.integers(0, 256, (96, 80, 3), dtype=np.uint8))


def finish(store, eid, plan, cell, live: LiveGrids) -> None:
    """What the cell writer does with a finished cell: save and record it, then draw it live."""
    job = cell_job(eid, plan, cell)
    image = render(cell.index)
    save_cell(store, job, [image], plan.cell_prompt(cell.index))
    live.add(store, job, [image])


def grid_pixels(store, eid, live: LiveGrids) -> list[np.ndarray]:
    grids, previews = draw_grids(store, eid, live_grids=live)
    folder = ExperimentFolder(store.root, eid)
    out = []
    for grid in grids:
        with Image.open(folder.dir / grid.file) as im:
            assert im.text["xyz_studio"]  # the grid still carries its experiment's text
            out.append(np.asarray(im.convert("RGB")).copy())
    return out


def test_rows_go_into_the_file_as_they_complete_and_match_a_grid_drawn_from_the_files(tmp_path):
    store, eid, plan, cells = new_experiment(tmp_path)
    live = LiveGrids()
    by_row = sorted(cells, key=lambda c: (c.y, c.x))
    for n, cell in enumerate(by_row, 1):
        finish(store, eid, plan, cell, live)
        drawing, state = live._live[eid].drawings[0], live._live[eid]
        # the header, then every complete row goes to the band writer; the footer only at the end
        assert state.handed[0] == 1 + n // 3
        assert [(yi, band.missing) for (_, yi), band in state.bands.items()] == (
            [(n // 3, set(range(n % 3, 3)))] if n % 3 else [])  # only the unfinished row is held
        state.wait()
        assert drawing.next_band == 1 + n // 3
    drawn_live = grid_pixels(store, eid, live)
    assert not live._live  # taken and finished
    drawn_after = grid_pixels(store, eid, LiveGrids())
    assert [a.shape for a in drawn_live] == [a.shape for a in drawn_after]
    assert all((a == b).all() for a, b in zip(drawn_live, drawn_after))


@pytest.mark.parametrize("budget", [48 * 2**20, 300_000, 0])  # all bands, about one at a time, none
def test_out_of_order_cells_a_failed_cell_and_no_tile_memory_give_the_same_grids(tmp_path, budget):
    store, eid, plan, cells = new_experiment(tmp_path, z="a, b")
    live = LiveGrids(budget=budget)
    failed = cells[4]
    for cell in sorted(cells, key=lambda c: (-c.x, c.y, c.z)):  # column by column, from the right
        if cell is failed:
            store.update_cell(eid, cell.index, status=CellStatus.FAILED, error="<img src=x> out of memory")
            continue
        finish(store, eid, plan, cell, live)
    drawn_live = grid_pixels(store, eid, live)
    assert live._bytes == 0  # every band it held is given back to the budget
    drawn_after = grid_pixels(store, eid, LiveGrids())
    assert len(drawn_live) == 2
    assert all((a == b).all() for a, b in zip(drawn_live, drawn_after))


def test_a_cell_of_another_size_leaves_its_tile_to_the_end(tmp_path):
    store, eid, plan, cells = new_experiment(tmp_path, x="3, 5", y="a")
    live = LiveGrids()
    finish(store, eid, plan, cells[0], live)
    job = cell_job(eid, plan, cells[1])
    odd = Image.new("RGB", (300, 40), (200, 30, 30))
    save_cell(store, job, [odd], plan.cell_prompt(cells[1].index))
    live.add(store, job, [odd])
    assert live._live[eid].bands[(0, 0)].missing == {1}  # the odd one is not pasted; it is drawn from its file
    drawn_live = grid_pixels(store, eid, live)
    drawn_after = grid_pixels(store, eid, LiveGrids())
    assert all((a == b).all() for a, b in zip(drawn_live, drawn_after))


def test_cells_that_come_column_by_column_fill_every_row_so_the_end_reads_no_cell_back(tmp_path):
    store, eid, plan, cells = new_experiment(tmp_path, x="a, b", y="3, 5, 7, 9", checkpoint_on_x=True)
    assert plan.loop_order[0] == "x"  # X outermost
    live = LiveGrids()
    for cell in cells:  # in run order: a whole column, then the next
        finish(store, eid, plan, cell, live)
    state = live._live[eid]
    rows = state.drawings[0].painter.bands[1:-1]
    assert state.handed[0] == 1 + len(rows) and not state.bands  # every row went to the band writer with its last cell
    folder = ExperimentFolder(tmp_path, eid)
    saved = {path: path.read_bytes() for path in folder.dir.glob("*.png")}
    for path in saved:  # the cells' files now say otherwise: an end that read them back would show it
        Image.new("RGB", (80, 96), (0, 0, 0)).save(path)
    drawn_live = grid_pixels(store, eid, live)
    for path, data in saved.items():
        path.write_bytes(data)
    drawn_after = grid_pixels(store, eid, LiveGrids())
    assert [a.shape for a in drawn_live] == [a.shape for a in drawn_after]
    assert all((a == b).all() for a, b in zip(drawn_live, drawn_after))


@pytest.mark.parametrize("wired", [True, False])
def test_the_preview_copies_are_made_live_only_when_the_grid_output_feeds_a_node(tmp_path, wired):
    prompt = graph()
    if not wired:
        del prompt["95"]  # the Preview node that takes the Grid Assembler's grids
    store, eid, plan, cells = new_experiment(tmp_path, source={"prompt": prompt})
    live = LiveGrids()
    for cell in cells:
        finish(store, eid, plan, cell, live)
    assert live._live[eid].drawings[0].previewed == wired
    _, drawn_live = draw_grids(store, eid, live_grids=live)  # asked for anyway: a grid drawn without is redrawn
    _, drawn_after = draw_grids(store, eid, live_grids=LiveGrids())
    assert len(drawn_live) == 1 and (np.asarray(drawn_live[0]) == np.asarray(drawn_after[0])).all()


def test_an_experiment_pushed_out_by_newer_ones_gives_its_bands_back(tmp_path):
    live = LiveGrids(keep=1)
    first = new_experiment(tmp_path / "a")
    store, eid, plan, cells = first
    finish(store, eid, plan, cells[0], live)
    assert live._bytes > 0  # the first row's band, being filled
    store, eid, plan, cells = new_experiment(tmp_path / "b")
    finish(store, eid, plan, cells[0], live)
    assert list(live._live) == [eid] and live._bytes == live._live[eid].bands[(0, 0)].nbytes
