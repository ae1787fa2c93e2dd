"""Super-grids of an experiment: each block is its Z value's grid (the same pixels when nothing is
scaled, that grid at the scaled cell size when the cap scales it), titled with its Z label; the file
keeps max_megapixels; one per combination of the axes after Z; recorded apart from the grids."""
from __future__ import annotations

import json
import time
from dataclasses import replace

import numpy as np
from PIL import Image

from planning.test_plan import SPECS, axis, graph
from xyz_studio.experiment.cell_writer import save_cell
from xyz_studio.experiment.queueing import cell_job
from xyz_studio.grids.drawing import display_cell_size, grid_layout, tile_of
from xyz_studio.grids.finish import draw_grids
from xyz_studio.grids.live import LiveGrids
from xyz_studio.grids.super_grid import draw_super_grids, super_grid_layout
from xyz_studio.planning.planner import plan_experiment
from xyz_studio.render.grid import DEFAULT_CELL, fit_tile, plan_geometry
from xyz_studio.render.painter import render_grid
from xyz_studio.render.super_layout import UNCAPPED, SuperGridPainter
from xyz_studio.storage.folder import ExperimentFolder, new_experiment_id
from xyz_studio.storage.manifest import build_manifest
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.storage.store import ExperimentStore


def render(index: int) -> Image.Image:
    rng = np.random.default_rng(index)  # a different picture per cell: any misplaced tile shows
    return Image.fromarray(rng.integers(0, 256, (96, 80, 3), dtype=np.uint8))


def finished_experiment(tmp_path, options: Options, fourth: str | None = None, z: str | None = "dog, fox, owl"):
    prompt = graph()
    requests = {"x": axis(prompt, "100", "3, 5, 7", [("3", "cfg")]),
                "y": axis(prompt, "101", "a, b", mode="prompt S/R")}
    if z:
        requests["z"] = axis(prompt, "102", z, mode="prompt S/R")
    if fourth:
        requests["axis4"] = axis(prompt, "103", fourth, [("1", "ckpt_name")])
    plan = plan_experiment(prompt, "90", requests, SPECS, 1000)
    store, eid, now = ExperimentStore(tmp_path), new_experiment_id(), time.time()
    cells = [Cell(experiment_id=eid, index=i, x=cx, y=cy, z=cz, run_order=n, status=CellStatus.QUEUED)
             for n, i in enumerate(plan.run_sequence()) for cx, cy, cz in [plan.place(i)]]
    store.create(Experiment(id=eid, name="super 🙂", created=now, updated=now, finished=None,
                            status=ExperimentStatus.RUNNING, dry_run=False, total=len(cells), final_prompt_id=None,
                            plan=plan, options=options), cells)
    ExperimentFolder(tmp_path, eid).create()
    for cell in cells:
        if cell.index == 4:  # a failed cell: an error tile in its grid and its block alike
            store.update_cell(eid, cell.index, status=CellStatus.FAILED, error="out of memory")
            continue
        save_cell(store, cell_job(eid, plan, cell), [render(cell.index)], plan.cell_prompt(cell.index))
    return store, eid, plan


def pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB")).copy()


def test_unscaled_each_block_is_its_grids_pixels_below_the_title(tmp_path):
    store, eid, plan = finished_experiment(tmp_path, Options(super_grid=True))
    grids, _ = draw_grids(store, eid, previews=False, live_grids=LiveGrids())
    (drawn,) = draw_super_grids(store, eid)
    folder = ExperimentFolder(tmp_path, eid)
    experiment, cells = store.experiment(eid), store.cells(eid)
    painter = SuperGridPainter(super_grid_layout(experiment, plan, 0, display_cell_size(folder, cells)))
    assert painter.geometry.scale == 1.0 and len(grids) == 3
    sheet = pixels(folder.dir / drawn.file)
    assert sheet.shape == (drawn.height, drawn.width, 3) == (painter.height, painter.width, 3)
    cell_size = display_cell_size(folder, cells)
    for placed, grid in zip(painter.geometry.placed, grids):
        own = pixels(folder.dir / grid.file)
        own_layout = grid_layout(experiment, plan, grid.z, cell_size)
        own_geo = plan_geometry(own_layout, *(own_layout.cell_size or DEFAULT_CELL))
        geo = placed.geometry
        # from the column labels down to the bottom gridline: labels, gridlines and tiles all alike
        # (the grid's title, which names the experiment too, may take more lines than the block's)
        top = geo.col_band[0]
        own_top = top + own_geo.grid_xy[1] - geo.grid_xy[1]
        below = geo.grid_xy[1] + geo.grid_wh[1]
        block = sheet[placed.y + top:placed.y + below, placed.x:placed.x + geo.size[0]]
        assert np.array_equal(block, own[own_top:own_top + below - top, :geo.size[0]])


def test_scaled_to_the_cap_each_block_is_its_grid_drawn_at_the_smaller_cell(tmp_path):
    store, eid, plan = finished_experiment(tmp_path, Options(super_grid=True, max_megapixels=0.6))
    (drawn,) = draw_super_grids(store, eid)
    folder = ExperimentFolder(tmp_path, eid)
    experiment, cells = store.experiment(eid), {c.index: c for c in store.cells(eid)}
    assert drawn.width * drawn.height <= 0.6e6
    sheet = pixels(folder.dir / drawn.file)
    cell_size = display_cell_size(folder, cells.values())
    painter = SuperGridPainter(super_grid_layout(experiment, plan, 0, cell_size))
    assert painter.geometry.scale < 1
    cw, ch = painter.cell
    for placed in painter.geometry.placed:
        z = placed.block
        layout = replace(grid_layout(experiment, plan, z, cell_size), cell_size=(cw, ch), max_megapixels=UNCAPPED)
        grid = np.asarray(render_grid(layout, lambda xi, yi, z=z: tile_of(folder, plan, cells.get(
            plan.cell_in_grid(xi, yi, z)), False)))
        geo = placed.geometry
        below = geo.grid_xy[1] + geo.grid_wh[1]
        shift = plan_geometry(layout, cw, ch).grid_xy[1] - geo.grid_xy[1]
        block = sheet[placed.y + geo.col_band[0]:placed.y + below, placed.x:placed.x + geo.size[0]]
        assert np.array_equal(block, grid[geo.col_band[0] + shift:below + shift])
        for xi in range(plan.columns):  # and each tile is its cell's render, fitted to the smaller cell
            for yi in range(plan.rows):
                index = plan.cell_in_grid(xi, yi, z)
                if cells[index].status != CellStatus.DONE:
                    continue
                left, top, right, bottom = geo.cell_box(xi, yi)
                expected = np.asarray(fit_tile(render(index), (cw, ch)))
                assert np.array_equal(sheet[placed.y + top:placed.y + bottom, placed.x + left:placed.x + right],
                                      expected)


def test_the_file_names_its_super_grid_and_every_block_is_titled(tmp_path):
    store, eid, plan = finished_experiment(tmp_path, Options(super_grid=True))
    (drawn,) = draw_super_grids(store, eid)
    folder = ExperimentFolder(tmp_path, eid)
    with Image.open(folder.dir / drawn.file) as im:
        assert json.loads(im.text["xyz_studio"]) == {"experiment": eid, "super_grid": 0}
    painter = SuperGridPainter(super_grid_layout(store.experiment(eid), plan, 0,
                                                 display_cell_size(folder, store.cells(eid))))
    z_title = plan.axis("z").title
    assert [b.title for b in painter.layout.blocks] == [f"{z_title}: {v}" for v in ("dog", "fox", "owl")]
    assert painter.layout.title == "super 🙂"
    dark = pixels(folder.dir / drawn.file).astype(int).sum(axis=2) < 3 * 110
    assert dark[:painter.bands[0][1]].any()
    for placed in painter.geometry.placed:
        assert dark[placed.y:placed.y + placed.geometry.col_band[0], placed.x:placed.x + placed.geometry.size[0]].any()


def test_four_axes_give_one_super_grid_per_value_of_the_fourth_recorded_apart_from_the_grids(tmp_path):
    store, eid, plan = finished_experiment(tmp_path, Options(super_grid=True), fourth="a, b")
    grids, _ = draw_grids(store, eid, previews=False, live_grids=LiveGrids())
    drawn = draw_super_grids(store, eid)
    assert len(grids) == 6 and [d.index for d in drawn] == [0, 1]
    assert [d.labels for d in drawn] == [{"axis4": "a"}, {"axis4": "b"}]
    assert len({d.file for d in drawn}) == 2 and not {d.file for d in drawn} & {g.file for g in grids}
    folder = ExperimentFolder(tmp_path, eid)
    layouts = [super_grid_layout(store.experiment(eid), plan, n, display_cell_size(folder, store.cells(eid)))
               for n in (0, 1)]
    assert [layout.title for layout in layouts] == ["super 🙂 — " + f"{plan.axis('axis4').title}: {v}"
                                                    for v in ("a", "b")]
    store.update_experiment(eid, grids=grids, super_grids=drawn)
    manifest = build_manifest(store.experiment(eid), store.cells(eid))
    assert [g["file"] for g in manifest["grids"]] == [g.file for g in grids]  # the grids as before
    assert [s["file"] for s in manifest["super_grids"]] == [d.file for d in drawn]
    assert manifest["options"]["super_grid"] is True


def test_none_unless_asked_for_and_none_without_a_z_axis(tmp_path):
    store, eid, _ = finished_experiment(tmp_path / "off", Options())
    assert draw_super_grids(store, eid) == ()
    store, eid, _ = finished_experiment(tmp_path / "flat", Options(super_grid=True), z=None)
    assert draw_super_grids(store, eid) == ()
    assert not list(ExperimentFolder(tmp_path / "flat", eid).grids_dir.glob("super_grid_*"))


def test_a_dry_runs_super_grid_shows_every_cell_as_its_placeholder(tmp_path):
    prompt = graph()
    requests = {"x": axis(prompt, "100", "3, 5", [("3", "cfg")]),
                "z": axis(prompt, "102", "dog, fox", mode="prompt S/R")}
    plan = plan_experiment(prompt, "90", requests, SPECS, 1000)
    store, eid, now = ExperimentStore(tmp_path), new_experiment_id(), time.time()
    cells = [Cell(experiment_id=eid, index=i, x=cx, y=cy, z=cz, run_order=n, status=CellStatus.PLANNED)
             for n, i in enumerate(plan.run_sequence()) for cx, cy, cz in [plan.place(i)]]
    store.create(Experiment(id=eid, name="dry", created=now, updated=now, finished=None,
                            status=ExperimentStatus.PLANNED, dry_run=True, total=len(cells), final_prompt_id=None,
                            plan=plan, options=Options(super_grid=True, dry_run=True)), cells)
    (drawn,) = draw_super_grids(store, eid)
    folder = ExperimentFolder(tmp_path, eid)
    sheet = pixels(folder.dir / drawn.file)
    painter = SuperGridPainter(super_grid_layout(store.experiment(eid), plan, 0, None))
    assert painter.cell == (256, 256) and (painter.width, painter.height) == (drawn.width, drawn.height)
    for placed in painter.geometry.placed:
        for xi in range(2):
            left, top, right, bottom = placed.geometry.cell_box(xi, 0)
            tile = sheet[placed.y + top:placed.y + bottom, placed.x + left:placed.x + right]
            assert (tile[20:30, 20:30] == (241, 241, 241)).all()  # the placeholder's grey, inside its dashed border
