"""A search's trials in its W&B run, built purely from the store's cells: the order run (by finished_at;
a failed cell, which has none, by when the tracker heard of it), one step per trial with the value and
the best so far under the goal, a `trial` column only in a search's table, the summary's `search` block."""
from __future__ import annotations

from plan_fixtures import axis_plan
from xyz_studio.metrics.declared import MetricGoal, MetricPlan
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.search.settings import SearchSampler, SearchSettings
from xyz_studio.storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from xyz_studio.tracking.run_content import (
    TrialTally,
    cell_row,
    run_summary,
    search_summary,
    table_columns,
    trial_order,
)


def _plan() -> Plan:
    x = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[v] for v in range(6)],
                  labels=[f"c{v}" for v in range(6)], targets=[[["3", "cfg"]]])
    return Plan(axes=(x,), loop_order=["x"], cell_nodes=["3", "9"], final_nodes=["9"], base={}, assembler_id="9",
                metrics=(MetricPlan("sharpness", "metric_1", MetricGoal.HIGHER),))


def _cell(index: int, status: CellStatus, at: float | None = None, value: float | None = None) -> Cell:
    return Cell(experiment_id="e", index=index, x=index, y=0, z=0, run_order=index, status=status, finished_at=at,
                metrics={} if value is None else {"sharpness": value})


# run: 4 (t=10, 0.5), 1 failed (no time; heard at t=15), 2 (t=20, 0.2), 5 (t=30, 0.1), 0 (t=30, 0.5); 3 planned
CELLS = [_cell(0, CellStatus.DONE, 30.0, 0.5), _cell(1, CellStatus.FAILED), _cell(2, CellStatus.DONE, 20.0, 0.2),
         _cell(3, CellStatus.PLANNED), _cell(4, CellStatus.DONE, 10.0, 0.5), _cell(5, CellStatus.DONE, 30.0, 0.1)]


def test_trials_are_the_finished_cells_in_the_order_they_finished():
    assert [c.index for c in trial_order(CELLS, {1: 15.0})] == [4, 1, 2, 0, 5]  # a tie in time: by index
    assert [c.index for c in trial_order(CELLS)] == [4, 2, 0, 5, 1]  # a failed cell never heard of: after


def test_each_trial_is_a_step_with_its_value_and_the_best_so_far_under_the_goal():
    def steps(goal: MetricGoal) -> list[dict]:
        tally, out = TrialTally("sharpness", goal), []
        for cell in trial_order(CELLS, {1: 15.0}):
            tally, step = tally.then(cell)
            out.append(step)
        assert tally.run == 5
        return out

    higher = steps(MetricGoal.HIGHER)
    assert higher[0] == {"search/trial": 1, "search/cell": 4, "search/sharpness": 0.5, "search/best sharpness": 0.5}
    assert higher[1] == {"search/trial": 2, "search/cell": 1, "search/best sharpness": 0.5}  # failed: no value
    assert [s.get("search/sharpness") for s in higher] == [0.5, None, 0.2, 0.5, 0.1]
    assert [s["search/best sharpness"] for s in higher] == [0.5, 0.5, 0.5, 0.5, 0.5]
    lower = steps(MetricGoal.LOWER)
    assert [s["search/best sharpness"] for s in lower] == [0.5, 0.5, 0.2, 0.2, 0.1]
    # before any value there is no best; a non-finite value is no value
    tally, first = TrialTally("sharpness", MetricGoal.HIGHER).then(_cell(1, CellStatus.FAILED))
    assert first == {"search/trial": 1, "search/cell": 1} and tally.best is None
    _, nan = tally.then(_cell(2, CellStatus.DONE, 1.0, float("nan")))
    assert nan == {"search/trial": 2, "search/cell": 2}


def test_a_searchs_table_has_a_trial_column_and_a_sweeps_is_as_it_was():
    plan = _plan()
    assert table_columns(plan, with_images=False) == ["index", "status", "seconds", "error message", "x: cfg",
                                                      "x value", "metric: sharpness"]
    assert table_columns(plan, with_images=True, search=True)[:3] == ["index", "trial", "status"]
    assert cell_row(plan, CELLS[2], 1.0, trial=3)["trial"] == 3
    assert "trial" not in cell_row(plan, CELLS[2], 1.0)


def _experiment(search: SearchSettings | None) -> Experiment:
    return Experiment(id="e", name="s", created=1.0, updated=1.0, finished=40.0, status=ExperimentStatus.COMPLETE,
                      dry_run=False, total=6, final_prompt_id=None, plan=_plan(), options=Options(search=search))


def test_the_summary_has_a_search_block_with_the_best_cell_first_run_of_equal_ones():
    search = SearchSettings(objective="sharpness", budget=9, sampler=SearchSampler.TPE, seed=3,
                            goal=MetricGoal.HIGHER)
    block = run_summary(_experiment(search), _plan(), CELLS)["search"]
    assert block == {"sampler": "TPE", "objective": "sharpness", "goal": "higher is better", "budget": 6,
                     "trials run": 5, "failed": 1, "best value": 0.5, "best cell": 4, "best labels": {"x": "c4"}}
    lower = search_summary(SearchSettings(objective="sharpness", budget=4, goal=MetricGoal.LOWER), _plan(), CELLS)
    assert (lower["goal"], lower["budget"], lower["best value"], lower["best cell"]) == ("lower is better", 4, 0.1, 5)
    none_run = search_summary(search, _plan(), [_cell(3, CellStatus.PLANNED)])
    assert none_run["trials run"] == 0 and none_run["best cell"] is None and none_run["best labels"] is None
    assert "search" not in run_summary(_experiment(None), _plan(), CELLS)  # a sweep's summary is as it was
