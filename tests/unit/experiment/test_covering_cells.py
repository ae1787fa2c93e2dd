"""Checking servers reads what the cells need from a few covering cells, not from every cell."""
from __future__ import annotations

from planning.test_many_axes import MORE_SPECS, five_axes
from xyz_studio.experiment.workers import covering_cells
from xyz_studio.planning.planner import plan_experiment


def test_a_few_cells_cover_every_value_of_every_axis():
    prompt, requests = five_axes()
    plan = plan_experiment(prompt, "90", requests, MORE_SPECS, 1000)
    order = plan.run_sequence()
    cells = covering_cells(plan, order)
    assert len(cells) <= 1 + sum(n - 1 for n in plan.shape)
    covered = {(slot, at) for i in cells for slot, at in plan.coords_by_slot(i).items()}
    assert covered == {(slot, v) for slot, n in zip(plan.slots, plan.shape) for v in range(n)}
    # the inputs the cells set: every value of every axis appears in the covering cells' prompts
    def knobs(indices):
        return {(k, str(v)) for i in indices for k, v in plan.cell_prompt(i)["3"]["inputs"].items()
                if k != "cond"} | {("ckpt", plan.cell_prompt(i)["1"]["inputs"]["ckpt_name"]) for i in indices}
    assert knobs(cells) == knobs(order)
