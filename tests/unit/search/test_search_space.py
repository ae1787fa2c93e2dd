"""A plan's axes as Optuna's parameters, the search's settings, and the coarse first pass."""
from __future__ import annotations

import json

import numpy as np
import pytest
from search_fixtures import CFG, METRIC, four_axis_plan

from plan_fixtures import axis_plan
from xyz_studio.errors import PlanError
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.search import AxisKind, SearchSampler, SearchSettings, SearchSpace, checked, load_optuna
from xyz_studio.search.coarse import nearest_free, spread


def test_numbers_are_ordered_by_rank_and_anything_else_is_categorical():
    space = SearchSpace.of_plan(four_axis_plan())
    kinds = {a.slot: a.kind for a in space.axes}
    assert kinds == {"x": AxisKind.ORDERED, "y": AxisKind.CATEGORICAL, "z": AxisKind.ORDERED,
                     "axis4": AxisKind.CATEGORICAL}  # axis4's values are `w | h` pairs: no one number
    cfg = space.axes[0]
    assert [CFG[v] for v in cfg.by_rank] == sorted(CFG)  # rank 0 is the smallest value, wherever it was given
    dist = space.distributions(load_optuna())
    assert (dist["x"].low, dist["x"].high) == (0, 4) and type(dist["x"]).__name__ == "IntDistribution"
    assert dist["y"].choices == (0, 1, 2, 3) and type(dist["y"]).__name__ == "CategoricalDistribution"


def test_every_cell_is_one_proposal_and_back():
    plan = four_axis_plan()
    space = SearchSpace.of_plan(plan)
    assert space.cell_count == plan.cell_count == 400
    assert SearchSpace.from_dict(json.loads(json.dumps(space.to_dict()))) == space
    for cell in range(space.cell_count):
        params = space.params_of(cell)
        assert space.cell_of(params) == cell
        assert CFG[plan.coords(cell)[0]] == sorted(CFG)[params["x"]]
    assert space.cell_of({"x": 0, "y": 0, "z": 0}) is None        # a partial proposal is no cell
    assert space.cell_of({"x": 5, "y": 0, "z": 0, "axis4": 0}) is None
    assert space.cell_of({"x": True, "y": 0, "z": 0, "axis4": 0}) is None


def test_an_axis_of_one_value_and_booleans():
    x = axis_plan("x", "1", "flag", AxisMode.VALUES, [[True], [False]], ["on", "off"], [[["3", "a"]]])
    z = axis_plan("z", "2", "one", AxisMode.VALUES, [[5]], ["5"], [[["3", "b"]]])
    space = SearchSpace.of_plan(Plan(axes=(x, z), loop_order=["x"], cell_nodes=[], final_nodes=[], base={},
                                     assembler_id="9"))
    assert [(a.slot, a.kind) for a in space.axes] == [("x", AxisKind.CATEGORICAL)]  # bool is no number here
    assert space.shape == (2, 1, 1) and space.cell_of({"x": 1}) == 1


def test_settings_checked_name_the_node_input_and_value():
    with pytest.raises(PlanError) as e:
        checked("Search #20", {"objective": "aesthetic", "budget": 10}, [METRIC], 400)
    assert e.value.node == "Search #20" and e.value.input_name == "objective" and "'closeness'" in str(e.value)
    for raw, name in (({"budget": 0}, "budget"), ({"budget": 5, "sampler": "bayes"}, "sampler"),
                      ({"budget": 5, "coarse_fraction": 1.5}, "coarse_fraction"),
                      ({"budget": 5, "search_seed": -1}, "search_seed"),
                      ({"budget": 5, "goal": "best"}, "goal")):
        with pytest.raises(PlanError) as e:
            checked("Search #20", {"objective": "closeness", **raw}, [METRIC], 400)
        assert e.value.input_name == name
    ok = checked("Search #20", {"objective": " closeness ", "budget": 1000, "coarse_fraction": 0.25}, [METRIC], 400)
    assert (ok.budget, ok.coarse_cells, ok.maximize) == (400, 100, True)
    assert SearchSettings.from_dict(json.loads(json.dumps(ok.settings.to_dict()))) == ok.settings  # stored as JSON
    grid = checked("S", {"objective": "closeness", "budget": 50, "sampler": "grid", "coarse_fraction": 0.5},
                   [METRIC], 400)
    assert grid.settings.sampler == SearchSampler.GRID and grid.coarse_cells == 0
    lower = checked("S", {"objective": "closeness", "budget": 50, "goal": "lower is better"}, [METRIC], 400)
    assert not lower.maximize and lower.better(1.0, 2.0)


def test_the_coarse_pass_is_spread_out_and_fixed_by_the_seed():
    plan = four_axis_plan()
    space = SearchSpace.of_plan(plan)
    first = spread(space, 20, seed=3)
    assert first == spread(space, 20, seed=3) and first != spread(space, 20, seed=4)
    assert len(set(first)) == 20
    coords = np.array([plan.coords(c) for c in first])
    # every value of the categorical axes, and both ends and the middle of the ordered ones, within 20 cells
    assert set(coords[:, 1]) == set(range(4)) and set(coords[:, 3]) == set(range(4))
    assert {1, 2, 4} <= set(coords[:, 0]) and {0, 2, 4} <= set(coords[:, 2])  # cfg 1, 4, 16; steps 2, 6, 10
    # farther apart than random cells: the nearest pair of the pass is not side by side
    points = space.points[first]
    gaps = np.linalg.norm(points[:, None] - points[None], axis=2) + np.eye(20) * 9
    assert gaps.min() >= 0.5
    assert sorted(spread(space, 500, seed=1, taken=range(0, 400, 2))) == list(range(1, 400, 2))


def test_the_nearest_free_cell():
    space = SearchSpace.of_plan(four_axis_plan())
    rng = np.random.default_rng(0)
    cell = 0  # cfg 8 (rank 3), euler, 2 steps, 64x64
    near = nearest_free(space, cell, {cell}, rng)
    assert near is not None and np.linalg.norm(space.points[near] - space.points[cell]) == pytest.approx(0.25)
    assert nearest_free(space, cell, set(range(400)), rng) is None
