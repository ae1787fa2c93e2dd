"""Per-cell metrics: what the Grid Assembler declares, which values count, the summaries and the caption."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image

from plan_fixtures import axis_plan
from xyz_studio.errors import PlanError
from xyz_studio.metrics.declared import MetricGoal, MetricPlan, declared_metrics, metric_lines, metric_value
from xyz_studio.metrics.summary import summarise_metrics
from xyz_studio.planning.plan import AxisMode, Plan
from xyz_studio.render.caption import CAPTION_BG, captioned_slot, with_caption
from xyz_studio.render.grid import fit_tile
from xyz_studio.storage.records import Cell, CellStatus

LINK = ["30", 0]


def test_only_connected_metric_inputs_count_and_unnamed_ones_are_named_by_their_input():
    inputs = {"image": ["8", 0], "metric_1": LINK, "metric_1_name": "  aesthetic   score ",
              "metric_2_name": "typed but not connected", "metric_3": ["31", 1],
              "metric_3_goal": "lower is better"}
    assert declared_metrics(inputs, "Grid Assembler #9") == [
        MetricPlan("aesthetic score", "metric_1", MetricGoal.HIGHER),
        MetricPlan("metric_3", "metric_3", MetricGoal.LOWER)]


def test_two_metrics_of_one_name_are_refused_naming_the_node_and_input():
    inputs = {"metric_1": LINK, "metric_1_name": "score", "metric_2": LINK, "metric_2_name": "score"}
    with pytest.raises(PlanError) as refused:
        declared_metrics(inputs, "Grid Assembler #9")
    text = str(refused.value)
    assert "Grid Assembler #9" in text and "metric_2_name" in text and "score" in text


def test_an_unknown_goal_is_refused_with_the_choices():
    with pytest.raises(PlanError) as refused:
        declared_metrics({"metric_1": LINK, "metric_1_goal": "bigger"}, "Grid Assembler #9")
    assert "bigger" in str(refused.value) and "higher is better" in str(refused.value)


@pytest.mark.parametrize("raw, expected", [
    (3, 3.0), (0.5, 0.5), (0, 0.0), (np.float32(0.25), 0.25), (np.array([2.5]), 2.5), (torch.tensor(7), 7.0),
    (float("nan"), None), (float("inf"), None), (None, None), (True, None), ("0.5", None),
    (np.array([1.0, 2.0]), None), (torch.ones(2, 2), None), (torch.tensor(float("nan")), None),
])
def test_only_finite_numbers_are_values_and_the_rest_is_missing_not_zero(raw, expected):
    assert metric_value(raw) == expected


def _plan(metrics) -> Plan:
    x = axis_plan(slot="x", node_id="100", title="cfg", mode=AxisMode.VALUES, values=[[5], [7], [9]],
                  labels=["5", "7", "9"], targets=[[["3", "cfg"]]])
    y = axis_plan(slot="y", node_id="101", title="steps", mode=AxisMode.VALUES, values=[[10], [20]],
                  labels=["10", "20"], targets=[[["3", "steps"]]])
    return Plan(axes=[x, y], loop_order=["y", "x"], cell_nodes=["3", "9"], final_nodes=["9"], base={},
                assembler_id="9", metrics=metrics)


def _cells(values: list[float | None]) -> list[Cell]:
    return [Cell(experiment_id="e", index=i, x=i % 3, y=i // 3, z=0, run_order=i,
                 status=CellStatus.DONE if v is not None else CellStatus.FAILED,
                 metrics={"score": v} if v is not None else {}) for i, v in enumerate(values)]


def test_summaries_per_axis_value_leave_missing_cells_out():
    plan = _plan([MetricPlan("score", "metric_1")])
    [summary] = summarise_metrics(plan, _cells([1.0, 2.0, 3.0, 5.0, None, 9.0]))
    assert (summary["count"], summary["missing"], summary["min"], summary["max"]) == (5, 1, 1.0, 9.0)
    assert math.isclose(summary["mean"], 4.0)
    assert summary["by_axis"]["x"] == [
        {"label": "5", "count": 2, "mean": 3.0, "min": 1.0, "max": 5.0},
        {"label": "7", "count": 1, "mean": 2.0, "min": 2.0, "max": 2.0},     # its second cell failed
        {"label": "9", "count": 2, "mean": 6.0, "min": 3.0, "max": 9.0}]
    assert summary["by_axis"]["y"][1] == {"label": "20", "count": 2, "mean": 7.0, "min": 5.0, "max": 9.0}
    assert summary["best"] == {"index": 5, "value": 9.0, "labels": {"x": "9", "y": "20"}}


def test_the_best_cell_follows_the_goal_and_no_values_means_no_best():
    lower = _plan([MetricPlan("score", "metric_1", MetricGoal.LOWER)])
    assert summarise_metrics(lower, _cells([4.0, 2.0, 2.0]))[0]["best"]["index"] == 1  # first of a tie
    nothing = summarise_metrics(lower, _cells([None, None]))[0]
    assert nothing["best"] is None and nothing["mean"] is None and nothing["missing"] == 2


def test_metric_lines_show_missing_values_as_a_dash():
    metrics = [MetricPlan("score", "metric_1"), MetricPlan("width", "metric_2")]
    assert metric_lines(metrics, {"score": 0.123456, "width": None}) == ("score 0.1235", "width –")


@pytest.mark.parametrize("side", [64, 100, 512])
def test_a_captioned_tile_keeps_the_whole_image_above_one_line_per_metric(side):
    image = Image.new("RGB", (side, side), (200, 30, 30))
    one, two = captioned_slot((side, side), 1), captioned_slot((side, side), 2)
    assert one[0] == side and side < one[1] < two[1] and two[1] - side == 2 * (one[1] - side)
    tile = with_caption(lambda size: fit_tile(image, size), two, ("score 0.5", "width 64"))
    assert tile.size == two
    pixels = np.asarray(tile)
    assert (pixels[:side] == (200, 30, 30)).all()                   # the whole image, unscaled
    line = (two[1] - side) // 2
    for k in range(2):
        strip = pixels[side + k * line: side + (k + 1) * line]
        assert (strip.sum(axis=2) < 300).sum() > 10                  # dark text on each line ...
        assert (strip == CAPTION_BG).all(axis=2).mean() > 0.5        # ... on the caption's own background
