"""What a search is asked to do: its objective, budget, sampler, seed and coarse first pass.

The Search node hands these to the Grid Driver; they are checked against the plan (the
objective must be one of the Grid Assembler's metrics) before any cell runs, and a bad
value is a PlanError naming the node, the input, the value and what was expected.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import PlanError
from ..metrics.declared import MetricGoal, MetricPlan
from ..protocol import TextEnum

# The Search node's input names, which its errors name.
OBJECTIVE_INPUT, GOAL_INPUT, BUDGET_INPUT = "objective", "goal", "budget"
# The seed is `search_seed`: the frontend gives an input named `seed` a randomise-after-queue control.
SAMPLER_INPUT, SEED_INPUT, COARSE_INPUT = "sampler", "search_seed", "coarse_fraction"
NODE_KEY = "node"                  # in the Search node's output: the node, as its errors name it
OWN_GOAL = "metric's own"          # the goal input's default: the Grid Assembler's goal for that metric
SEED_MAX = 2 ** 32 - 1  # numpy's RandomState (under Optuna's samplers) takes seeds below 2^32


class SearchSampler(TextEnum):
    """How the next cell is chosen."""

    TPE = "TPE"        # Optuna's Tree-structured Parzen Estimator: learns from the metric values so far
    RANDOM = "random"  # Optuna's RandomSampler: the baseline a model has to beat
    GRID = "grid"      # the experiment's own run order (today's sweep), cut at the budget; needs no Optuna


@dataclass(frozen=True)
class SearchSettings:
    """A search's settings, as given (checked by `checked`)."""

    objective: str                     # the name of one of the Grid Assembler's metrics
    budget: int                        # cells to run at most (more than the plan has: all of them)
    sampler: SearchSampler = SearchSampler.TPE
    seed: int = 0                      # the search's own seed (not the image seed of any cell)
    coarse_fraction: float = 0.0       # of the budget, spent first on a spread-out subset (coarse.py)
    goal: MetricGoal | None = None     # None: the metric's own goal on the Grid Assembler

    def to_dict(self) -> dict[str, Any]:
        return {"objective": self.objective, "budget": self.budget, "sampler": self.sampler.value,
                "seed": self.seed, "coarse_fraction": self.coarse_fraction,
                "goal": self.goal.value if self.goal is not None else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchSettings:
        goal = d.get("goal")
        return cls(objective=str(d["objective"]), budget=int(d["budget"]), sampler=SearchSampler(d["sampler"]),
                   seed=int(d.get("seed", 0)), coarse_fraction=float(d.get("coarse_fraction", 0.0)),
                   goal=MetricGoal(goal) if goal is not None else None)


@dataclass(frozen=True)
class ResolvedSearch:
    """Settings checked against one plan: the metric it optimises and what the budget means there."""

    settings: SearchSettings
    metric: MetricPlan
    goal: MetricGoal
    budget: int          # at most the plan's cell count
    coarse_cells: int    # how many of the budget's cells the coarse pass takes

    @property
    def maximize(self) -> bool:
        return self.goal == MetricGoal.HIGHER

    def better(self, a: float, b: float) -> bool:
        return a > b if self.maximize else a < b


def _text_choice(node: str, input_name: str, value: Any, enum: type[TextEnum]) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise PlanError(node, input_name, value, " or ".join(repr(e.value) for e in enum)) from None


def search_request(node: str, **inputs: Any) -> dict[str, Any]:
    """What the Search node hands the Grid Driver: its inputs as given and its name, checked there."""
    return {NODE_KEY: node, **inputs}


def checked(node: str, raw: dict[str, Any], metrics: Sequence[MetricPlan], cell_count: int) -> ResolvedSearch:
    """The Search node's inputs (`raw`, as ComfyUI hands them) checked against the plan's metrics."""
    sampler = _text_choice(node, SAMPLER_INPUT, raw.get(SAMPLER_INPUT, SearchSampler.TPE.value), SearchSampler)
    goal_text = raw.get(GOAL_INPUT)
    goal = None if goal_text in (None, "", OWN_GOAL) else _text_choice(node, GOAL_INPUT, goal_text, MetricGoal)
    budget = raw.get(BUDGET_INPUT)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise PlanError(node, BUDGET_INPUT, budget, "a whole number of cells, at least 1")
    seed = raw.get(SEED_INPUT, 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise PlanError(node, SEED_INPUT, seed, f"a whole number from 0 to {SEED_MAX}")
    coarse = raw.get(COARSE_INPUT, 0.0)
    if isinstance(coarse, bool) or not isinstance(coarse, (int, float)) or not 0.0 <= float(coarse) <= 1.0:
        raise PlanError(node, COARSE_INPUT, coarse, "a fraction of the budget from 0 to 1")
    objective = " ".join(str(raw.get(OBJECTIVE_INPUT) or "").split())
    metric = next((m for m in metrics if m.name == objective), None)
    if metric is None:
        named = ", ".join(repr(m.name) for m in metrics)
        raise PlanError(node, OBJECTIVE_INPUT, objective,
                        f"the name of one of the Grid Assembler's metrics ({named})" if named else
                        "a metric wired into the Grid Assembler (it has none: wire a number output into one of "
                        "its metric inputs)")
    settings = SearchSettings(objective=objective, budget=budget, sampler=sampler, seed=seed,
                              coarse_fraction=float(coarse), goal=goal)
    return resolve(settings, metric, cell_count)


def resolve(settings: SearchSettings, metric: MetricPlan, cell_count: int) -> ResolvedSearch:
    """`settings` for a plan of `cell_count` cells whose objective is `metric`."""
    budget = min(settings.budget, cell_count)
    # the grid sampler has no coarse pass: it is the plan's own order
    coarse = 0 if settings.sampler == SearchSampler.GRID else min(budget, math.floor(settings.coarse_fraction * budget))
    return ResolvedSearch(settings=settings, metric=metric, goal=settings.goal or metric.goal,
                          budget=budget, coarse_cells=coarse)
