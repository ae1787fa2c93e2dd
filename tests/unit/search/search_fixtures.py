"""Plans and objectives for the search tests: a 4-axis plan of 400 cells and a known-best table."""
from __future__ import annotations

import numpy as np

from plan_fixtures import axis_plan
from xyz_studio.metrics.declared import MetricGoal, MetricPlan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.search import ResolvedSearch, SearchSampler, SearchSettings, SearchSpace, resolve

METRIC = MetricPlan("closeness", "metric_1", MetricGoal.HIGHER)
CFG = [8.0, 1.0, 4.0, 2.0, 16.0]  # numbers given out of order: ranks 3, 0, 2, 1, 4


def four_axis_plan() -> Plan:
    """cfg (5 numbers, unsorted) x sampler (4 names) x steps (5 ints) x size (4 `w | h` pairs): 400 cells."""
    axes = (
        axis_plan("x", "10", "cfg", AxisMode.VALUES, [[v] for v in CFG], [f"{v:g}" for v in CFG], [[["3", "cfg"]]]),
        axis_plan("y", "11", "sampler", AxisMode.VALUES, [[s] for s in ("euler", "ddim", "lms", "heun")],
                  ["euler", "ddim", "lms", "heun"], [[["3", "sampler_name"]]]),
        axis_plan("z", "12", "steps", AxisMode.VALUES, [[v] for v in (2, 4, 6, 8, 10)],
                  ["2", "4", "6", "8", "10"], [[["3", "steps"]]]),
        axis_plan("axis4", "13", "size", AxisMode.VALUES, [[w, h] for w, h in ((64, 64), (64, 96), (96, 64), (96, 96))],
                  ["64x64", "64x96", "96x64", "96x96"], [[["5", "width"]], [["5", "height"]]]),
    )
    return Plan(axes=axes, loop_order=["axis4", "z", "y", "x"], cell_nodes=["3", "5", "9"], final_nodes=["9"],
                base={}, assembler_id="9", metrics=(METRIC,))


def table(cells: int, seed: int = 7) -> np.ndarray:
    """A metric per cell, with one best cell (as closeness to one cell's own image has)."""
    return np.random.default_rng(seed).random(cells)


def resolved(space: SearchSpace, budget: int, sampler: SearchSampler = SearchSampler.TPE, seed: int = 0,
             coarse: float = 0.0) -> ResolvedSearch:
    return resolve(SearchSettings(METRIC.name, budget, sampler, seed, coarse), METRIC, space.cell_count)
