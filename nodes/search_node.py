"""Search: let a metric pick which cells of the Grid Driver's experiment run (Optuna), up to a budget."""
from __future__ import annotations

from comfy_api.latest import io

from ..xyz_studio import protocol as P
from ..xyz_studio.metrics.declared import MetricGoal
from ..xyz_studio.planning.preflight import refusal_for
from ..xyz_studio.search.settings import OWN_GOAL, SEED_INPUT, SEED_MAX, SearchSampler, search_request


class Search(io.ComfyNode):
    @classmethod
    def define_schema(cls) -> io.Schema:
        return io.Schema(
            node_id=P.NODE_SEARCH,
            display_name="Search",
            category="XYZ Studio",
            description=(
                "Run only the cells a metric points to, not every cell: after each cell the search reads its "
                "objective (one of the Grid Assembler's metrics) and proposes the next cell from the axes' values, "
                "until the budget of cells is spent. The cells not run stay empty tiles; the best cell is outlined. "
                "TPE and random need Optuna in ComfyUI's Python (`pip install optuna`); grid needs nothing."
            ),
            inputs=[
                io.String.Input("objective", default="",
                                tooltip="The name of the Grid Assembler's metric to optimise (as written in its "
                                        "metric name input)."),
                io.Combo.Input("goal", options=[OWN_GOAL, *(g.value for g in MetricGoal)], default=OWN_GOAL,
                               tooltip="Whether a higher or a lower value is better; by default the goal the "
                                       "Grid Assembler gives that metric."),
                io.Int.Input("budget", default=20, min=1, max=100000,
                             tooltip="Cells to run at most (counting failed ones). More than the experiment has: "
                                     "all of them."),
                io.Combo.Input("sampler", options=[s.value for s in SearchSampler], default=SearchSampler.TPE.value,
                               tooltip="TPE: learns from the values so far (Optuna). random: the baseline. grid: "
                                       "the experiment's own order, cut at the budget."),
                io.Int.Input(SEED_INPUT, default=0, min=0, max=SEED_MAX,
                             tooltip="The search's own seed (not an image seed): the same seed proposes the same "
                                     "cells for the same values."),
                io.Float.Input("coarse_fraction", default=0.0, min=0.0, max=1.0, step=0.05,
                               tooltip="Part of the budget spent first on cells spread evenly over the axes, "
                                       "before the sampler takes over (0: none)."),
            ],
            outputs=[io.Custom(P.SEARCH_TYPE).Output("search", tooltip="Connect to the Grid Driver's search.")],
            hidden=[io.Hidden.unique_id],
        )

    @classmethod
    def validate_inputs(cls, objective: str | None) -> bool | str:
        # The check of the whole queued workflow (planning/preflight.py) found this search at
        # fault (e.g. an objective that is not one of the Grid Assembler's metrics): ComfyUI
        # refuses the prompt and shows the message on this node. One argument: ComfyUI reports
        # the message once per argument, against that input.
        return refusal_for(str(cls.hidden.unique_id)) or True

    @classmethod
    def execute(cls, objective: str, goal: str, budget: int, sampler: str, search_seed: int,
                coarse_fraction: float) -> io.NodeOutput:
        # checked by the Grid Driver against its plan (the objective must be one of its metrics)
        return io.NodeOutput(search_request(f"Search #{cls.hidden.unique_id}", objective=objective, goal=goal,
                                            budget=budget, sampler=sampler, search_seed=search_seed,
                                            coarse_fraction=coarse_fraction))
