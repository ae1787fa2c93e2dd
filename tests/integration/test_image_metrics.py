"""The pack's image metric nodes as per-cell metrics of a tiny-SD sweep, through the real server.

Each node's value in the manifest must be what the core computes from the cell's saved PNGs
(the nodes read the image quantised to 8 bits as the Grid Assembler saves it, so the match is
exact up to float printing); the closeness node, given one cell's image as its reference, makes
that cell the best, as a search with a known optimum needs (issue 20).
"""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from PIL import Image

from harness.graphs import image_graph, sd_graph
from xyz_studio import protocol as P
from xyz_studio.image_metrics.brisque import brisque
from xyz_studio.image_metrics.closeness import psnr, ssim
from xyz_studio.image_metrics.diversity import batch_diversity
from xyz_studio.image_metrics.sharpness import sharpness

CKPT = "tiny_sd15_a.safetensors"
SHARP, DIVERSE, TARGET, CLOSE, QUALITY = "40", "41", "42", "43", "44"
TARGET_FILE = "xyz_image_metrics_target.png"


def sweep(with_closeness: bool):
    """steps 2 and 4 (2 cells), two images per cell: sharpness, and diversity and BRISQUE or closeness to
    TARGET_FILE (the assembler has three metric inputs)."""
    g = sd_graph(CKPT, size=64)
    g.prompt["5"]["inputs"]["batch_size"] = 2
    g.prompt[SHARP] = {"class_type": P.NODE_SHARPNESS, "inputs": {"image": ["8", 0]}}
    g.prompt[DIVERSE] = {"class_type": P.NODE_BATCH_DIVERSITY, "inputs": {"images": ["8", 0]}}
    x = g.axis("2, 4", [("3", "steps")], title="steps")
    g.driver(x, name="image metrics")
    g.metric("metric_1", (SHARP, 0), name="sharpness")
    if not with_closeness:
        g.prompt[QUALITY] = {"class_type": P.NODE_BRISQUE, "inputs": {"image": ["8", 0]}}
        g.metric("metric_2", (DIVERSE, 0), name="diversity")
        g.metric("metric_3", (QUALITY, 0), name="brisque", goal="lower is better")
    else:
        g.prompt[TARGET] = {"class_type": "LoadImage", "inputs": {"image": TARGET_FILE}}
        g.prompt[CLOSE] = {"class_type": P.NODE_IMAGE_CLOSENESS,
                           "inputs": {"image": ["8", 0], "reference": [TARGET, 0]}}
        g.metric("metric_2", (CLOSE, 0), name="psnr")
        g.metric("metric_3", (CLOSE, 1), name="ssim")
    return g


def saved(experiments, manifest, cell) -> list[np.ndarray]:
    folder = experiments.folder(manifest)
    out = []
    for name in cell["files"]:
        with Image.open(folder / name) as im:
            out.append(np.asarray(im.convert("RGB")))
    return out


def test_metric_nodes_record_what_the_saved_cells_measure_and_closeness_finds_its_target(experiments):
    first = experiments.run(sweep(with_closeness=False).prompt)
    assert first["counts"] == {"done": 2}
    for cell in first["cells"]:
        images = saved(experiments, first, cell)
        assert len(images) == 2
        assert cell["metrics"]["sharpness"] == pytest.approx(sharpness(images), rel=1e-12, abs=1e-12)
        assert cell["metrics"]["diversity"] == pytest.approx(batch_diversity(images), abs=1e-12)
        assert 0.0 <= cell["metrics"]["diversity"] <= 1.0
        assert cell["metrics"]["brisque"] == pytest.approx(brisque(images), rel=1e-12, abs=1e-12)
    # the two step counts give different pictures: each metric tells the cells apart
    for name in ("sharpness", "brisque"):
        assert len({c["metrics"][name] for c in first["cells"]}) == 2, name

    # one cell's first image becomes the target of a second, identical sweep
    target_cell = next(c for c in first["cells"] if c["x"] == 1)
    shutil.copyfile(experiments.folder(first) / target_cell["files"][0],
                    experiments.host.base_dir / "input" / TARGET_FILE)
    with Image.open(experiments.host.base_dir / "input" / TARGET_FILE) as im:
        target = np.asarray(im.convert("RGB"))
    second = experiments.run(sweep(with_closeness=True).prompt)
    assert second["counts"] == {"done": 2}
    for cell in second["cells"]:
        images = saved(experiments, second, cell)
        assert cell["metrics"]["psnr"] == pytest.approx(psnr(images, [target]), rel=1e-12)
        assert cell["metrics"]["ssim"] == pytest.approx(ssim(images, [target]), rel=1e-12, abs=1e-12)
        assert cell["metrics"]["sharpness"] == pytest.approx(sharpness(images), rel=1e-12, abs=1e-12)
    best = {m["name"]: m["best"] for m in second["metrics"]}
    again = next(c for c in second["cells"] if c["x"] == 1)
    assert best["psnr"]["index"] == again["index"] and best["ssim"]["index"] == again["index"]
    # the same cell rendered again is pixel-equal to its target: its first image reads "identical"
    assert np.array_equal(saved(experiments, second, again)[0], target)
    assert psnr([target], [target]) == pytest.approx(148.1308036, abs=1e-6)


def test_a_reference_of_another_size_fails_its_cell_with_what_was_expected(experiments):
    """Model-free: a black 64x64 image against a grey reference 64 or 32 pixels wide."""
    g = image_graph(size=64)
    g.prompt[TARGET] = {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1,
                                                               "color": 0x808080}}
    g.prompt[CLOSE] = {"class_type": P.NODE_IMAGE_CLOSENESS, "inputs": {"image": ["2", 0], "reference": [TARGET, 0]}}
    x = g.axis("64, 32", [(TARGET, "width")], title="reference width")
    g.driver(x, name="closeness refused")
    g.metric("metric_1", (CLOSE, 0), name="psnr")
    g.metric("metric_2", (CLOSE, 1), name="ssim")
    manifest = experiments.run(g.prompt)
    same, narrow = sorted(manifest["cells"], key=lambda c: c["x"])
    assert same["status"] == "done"
    assert same["metrics"]["psnr"] == pytest.approx(20 * math.log10(255 / 128), abs=1e-9)  # 5.986 dB
    c1 = (0.01 * 255) ** 2
    assert same["metrics"]["ssim"] == pytest.approx(c1 / (128 ** 2 + c1), rel=1e-9)  # flat: luminance term only
    assert narrow["status"] == "failed" and narrow["metrics"] == {}
    assert (f'Image Closeness #{CLOSE}, input "reference": got an image of 64x32x3; expected the size and channels '
            "of image, 64x64x3 (height x width x channels).") in narrow["error"]


def test_the_metric_nodes_are_served_under_one_category_with_number_outputs(client):
    info = client.get("/object_info")
    outputs = {P.NODE_SHARPNESS: ["sharpness"], P.NODE_BRISQUE: ["brisque"], P.NODE_BATCH_DIVERSITY: ["diversity"],
               P.NODE_IMAGE_CLOSENESS: ["psnr", "ssim"]}
    for node_id, names in outputs.items():
        spec = info[node_id]
        assert spec["category"] == "XYZ Studio/metrics" and spec["description"], node_id
        assert spec["output_name"] == names and spec["output"] == ["FLOAT"] * len(names), node_id
        assert not spec["output_node"] and set(spec["input"]["required"]) <= {"image", "images", "reference"}
