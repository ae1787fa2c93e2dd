"""Per-cell metrics from another node pack's outputs, through real ComfyUI execution."""
from __future__ import annotations

import json

import numpy as np
from PIL import Image

from harness.graphs import image_graph
from xyz_studio.render.caption import CAPTION_BG

MEAN, FLAKY = "30", "31"


def metric_sweep(show: bool):
    """3 colours x 2 blurs; metric 1 the image's mean brightness, metric 2 a score that is NaN for one
    colour's cells, metric 3 the width (INT)."""
    g = image_graph(size=64)
    g.prompt[MEAN] = {"class_type": "XYZTest.ImageMean", "inputs": {"image": ["2", 0]}}
    g.prompt[FLAKY] = {"class_type": "XYZTest.FlakyScore", "inputs": {"value": 0.0, "nan_for": 0.5, "fail_for": -2.0}}
    x = g.axis("0, 8421504, 16777215", [("1", "color")], title="colour")
    y = g.axis("0.25, 0.5", [(FLAKY, "value")], title="score")
    g.driver(x, y, name="metrics")
    g.metric("metric_1", (MEAN, 0), name="brightness", show=show)
    g.metric("metric_2", (FLAKY, 0), name="score")
    g.metric("metric_3", (MEAN, 1), name="width", goal="lower is better")
    return g


def test_metrics_are_recorded_per_cell_missing_stays_missing_and_are_summarised(experiments):
    manifest = experiments.run(metric_sweep(show=False).prompt)
    assert manifest["schema"] == "xyz-studio/manifest/3"
    by_coords = {(c["x"], c["y"]): c for c in manifest["cells"]}
    assert all(c["status"] == "done" for c in manifest["cells"])
    # black, grey, white: the mean brightness the test node computed inside ComfyUI
    assert [round(by_coords[(x, 0)]["metrics"]["brightness"], 3) for x in range(3)] == [0.0, 0.502, 1.0]
    assert {c["metrics"]["width"] for c in manifest["cells"]} == {64.0}
    assert [by_coords[(0, y)]["metrics"]["score"] for y in range(2)] == [0.25, None]  # NaN is missing, not 0
    summaries = {m["name"]: m for m in manifest["metrics"]}
    assert summaries["score"]["missing"] == 3 and summaries["score"]["count"] == 3
    assert summaries["score"]["by_axis"]["y"][1] == {"label": "0.5", "count": 0, "mean": None, "min": None,
                                                     "max": None}
    assert summaries["brightness"]["best"]["labels"]["x"] == "16777215"
    assert summaries["width"]["goal"] == "lower is better" and summaries["width"]["best"]["index"] == 0
    # the cell PNG carries its values too
    folder = experiments.folder(manifest)
    with Image.open(folder / by_coords[(2, 0)]["files"][0]) as im:
        assert json.loads(im.info["xyz_studio"])["metrics"] == by_coords[(2, 0)]["metrics"]


def test_a_failing_metric_node_fails_its_cell_only(experiments):
    g = metric_sweep(show=False)
    g.prompt[FLAKY]["inputs"]["fail_for"] = 0.5
    manifest = experiments.run(g.prompt)
    failed = [c for c in manifest["cells"] if c["status"] == "failed"]
    assert len(failed) == 3 and all(c["y"] == 1 for c in failed)
    assert all("Flaky Score cannot score 0.5" in c["error"] and c["metrics"] == {} for c in failed)
    assert {m["name"]: m["count"] for m in manifest["metrics"]}["brightness"] == 3


def test_the_grid_shows_a_value_line_under_each_cell_when_asked(experiments):
    plain = experiments.run(metric_sweep(show=False).prompt)
    shown = experiments.run(metric_sweep(show=True).prompt)
    with Image.open(experiments.folder(plain) / plain["grids"][0]["file"]) as a, \
            Image.open(experiments.folder(shown) / shown["grids"][0]["file"]) as b:
        assert b.width == a.width and b.height > a.height  # each row is taller by its value line
        grid = np.asarray(b.convert("RGB"))
    # under every cell a band of the caption's background, with dark text in it
    caption = np.all(grid == CAPTION_BG, axis=2)
    rows = np.nonzero(caption.sum(axis=1) > grid.shape[1] // 3)[0]
    assert len(rows) >= 2 * 3 * 12  # 2 rows of cells, 3 lines of at least 12 px each
    assert (grid[rows].sum(axis=2) < 300).sum() > 100
