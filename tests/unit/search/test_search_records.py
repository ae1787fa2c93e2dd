"""A search as the store keeps it: its settings in the experiment's options (and nothing for a
sweep), dispatched with one cell in flight per server, the cells it did not run as empty tiles and
a line on the grid saying what was searched; and the values it is opened with, from the store."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image
from search_fixtures import METRIC, four_axis_plan

from xyz_studio.grids.drawing import search_text, searched_best, tile_of
from xyz_studio.metrics.declared import MetricGoal
from xyz_studio.render.grid import OUTLINE, TileKind, render_tile
from xyz_studio.search import SearchSampler, SearchSettings
from xyz_studio.search.steering import settled_values
from xyz_studio.servers.server_set import ServerSet
from xyz_studio.storage.folder import ExperimentFolder
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options

SEARCH = SearchSettings(METRIC.name, 80, SearchSampler.TPE, seed=3, coarse_fraction=0.25, goal=MetricGoal.HIGHER)


def _experiment(options: Options, dry_run: bool = False) -> Experiment:
    plan = four_axis_plan()
    return Experiment(id="e1", name="searched", created=1.0, updated=1.0, finished=None,
                      status=ExperimentStatus.RUNNING, dry_run=dry_run, total=plan.cell_count, final_prompt_id=None,
                      plan=plan, options=options)


def _cell(index: int, status: CellStatus, **kw) -> Cell:
    return Cell(experiment_id="e1", index=index, x=0, y=0, z=0, run_order=index, status=status, **kw)


def test_the_options_carry_the_search_and_a_sweep_stays_as_it_was():
    searched = Options(name="s", search=SEARCH)
    assert searched.to_json()["search"] == {"objective": "closeness", "budget": 80, "sampler": "TPE", "seed": 3,
                                            "coarse_fraction": 0.25, "goal": "higher is better"}
    assert Options.from_json(searched.to_json()) == searched
    assert "search" not in Options(name="s").to_json()  # a sweep's stored JSON is byte for byte as before
    assert Options.from_json(Options(name="s").to_json()).search is None


def test_a_search_is_dispatched_one_cell_in_flight_per_server():
    assert Options().dispatched is None  # a sweep on this server: every cell into its queue at once
    several = ServerSet(urls=("http://10.0.0.2:8188",), max_in_flight=2)
    assert Options(servers=several).dispatched == several
    assert Options(search=SEARCH).dispatched == ServerSet(max_in_flight=1)
    assert Options(search=SEARCH, servers=several).dispatched == replace(several, max_in_flight=1)


def test_cells_not_run_are_empty_tiles_and_the_grid_says_it_was_searched(tmp_path: Path):
    experiment = _experiment(Options(search=SEARCH))
    plan = experiment.readable_plan
    folder = ExperimentFolder(tmp_path, "20261203-120000-000001")
    not_run = tile_of(folder, plan, _cell(5, CellStatus.PLANNED), dry_run=False)
    assert not_run.kind == TileKind.PLACEHOLDER and not_run.text == "" and not_run.caption == ()
    shown = replace(plan, show_metrics=True)  # with values under the cells: none under one not run
    assert tile_of(folder, shown, _cell(5, CellStatus.PLANNED), dry_run=False).caption == ("",)
    assert tile_of(folder, shown, _cell(6, CellStatus.FAILED), dry_run=False).caption == ("closeness –",)
    planned = tile_of(folder, plan, _cell(5, CellStatus.PLANNED), dry_run=True)  # a dry run still names its values
    assert planned.kind == TileKind.PLACEHOLDER and "cfg" not in planned.text and planned.text.startswith("x: ")
    assert search_text(experiment, plan) == ("Searched: TPE on closeness (higher is better), 80 of 400 cells; "
                                             "empty tiles were not run; the best cell is outlined")
    assert search_text(_experiment(Options()), plan) == ""
    assert search_text(_experiment(Options(search=SEARCH), dry_run=True), plan) == ""


def test_the_best_cell_so_far_is_outlined_on_its_grid_by_the_searchs_own_goal(tmp_path: Path):
    folder = ExperimentFolder(tmp_path, "20261203-120000-000001")
    folder.create()
    Image.new("RGB", (64, 64), (20, 40, 60)).save(folder.dir / "cell.png")
    cells = [_cell(0, CellStatus.DONE, metrics={"closeness": 0.5}, files=["cell.png"]),
             _cell(1, CellStatus.DONE, metrics={"closeness": 0.9}, files=["cell.png"]),
             _cell(2, CellStatus.DONE, metrics={"closeness": 0.9}, files=["cell.png"]),  # a tie: the first
             _cell(3, CellStatus.FAILED), _cell(4, CellStatus.PLANNED)]
    experiment = _experiment(Options(search=SEARCH))
    plan = experiment.readable_plan
    assert searched_best(experiment, plan, cells) == 1
    # the search's goal over the metric's: lower is better finds the other end
    lower = _experiment(Options(search=replace(SEARCH, goal=MetricGoal.LOWER)))
    assert searched_best(lower, plan, cells) == 0
    assert searched_best(_experiment(Options()), plan, cells) is None  # a sweep outlines nothing
    assert searched_best(experiment, plan, cells[3:]) is None  # no value yet
    best, other = (render_tile(tile_of(folder, plan, c, dry_run=False, best=1), (128, 128)) for c in cells[1:3])
    edge, middle = np.asarray(best)[1, 64], np.asarray(best)[64, 64]
    assert tuple(edge) == OUTLINE and tuple(middle) == (20, 40, 60)  # a frame, the picture inside kept
    assert tuple(np.asarray(other)[1, 64]) == (20, 40, 60)  # only the best


def test_the_search_is_opened_with_every_settled_cell_from_the_store():
    cells = [_cell(0, CellStatus.DONE, metrics={"closeness": 0.5}), _cell(1, CellStatus.DONE, metrics={}),
             _cell(2, CellStatus.FAILED), _cell(3, CellStatus.QUEUED), _cell(4, CellStatus.PLANNED),
             _cell(5, CellStatus.CANCELLED)]
    assert settled_values(cells, "closeness") == {0: 0.5, 1: None, 2: None}
