"""XYZ experiments on the model-free workflow, through the real server."""
from __future__ import annotations

import io
import json
import subprocess
import urllib.parse
import urllib.request

import numpy as np
from PIL import Image

from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON

RED, GREEN = 0xFF0000, 0x00FF00


def colour_grid(**driver):
    g = image_graph()
    x = g.axis(f"0, {RED}, {GREEN}", [("1", "color")], title="colour", labels="black, red, green")
    y = g.axis("1-5 (+2)", [("2", "blur_radius")])
    return g.driver(x, y, **driver)


def test_xy_grid_saves_every_cell_and_one_labelled_grid(experiments):
    manifest = experiments.run(colour_grid(name="colours").prompt)
    folder = experiments.folder(manifest)
    assert manifest["status"] == "complete"
    assert manifest["counts"] == {"done": 9}
    assert manifest["shape"] == {"x": 3, "y": 3, "z": 1}
    assert [a["labels"] for a in manifest["axes"]] == [["black", "red", "green"], ["1", "3", "5"]]
    for cell in manifest["cells"]:
        path = folder / cell["files"][0]
        with Image.open(path) as im:
            pixels = np.asarray(im.convert("RGB"))
            meta = json.loads(im.text["xyz_studio"])
            cell_prompt = json.loads(im.text["prompt"])
        channel = [None, 0, 1][cell["x"]]  # black, red, green
        assert all((pixels[32, 32, c] > 250) == (c == channel) for c in range(3)), pixels[32, 32]
        if cell["y"] == 0:  # exactly what ComfyUI's own Save Image writes for the cell's prompt
            assert np.array_equal(pixels, experiments.saved_directly(cell_prompt))
        assert (meta["x"], meta["y"], meta["z"]) == (cell["x"], cell["y"], cell["z"])
        assert cell_prompt["1"]["inputs"]["color"] == [0, RED, GREEN][cell["x"]]
        assert cell_prompt["2"]["inputs"]["blur_radius"] == [1, 3, 5][cell["y"]]
        assert not any(n["class_type"].startswith("XYZStudio.Axis") for n in cell_prompt.values())
        assert cell["seconds"] is not None and cell["seconds"] >= 0
    assert len(manifest["grids"]) == 1
    with Image.open(folder / manifest["grids"][0]["file"]) as grid:
        assert grid.width > 3 * 64 and grid.height > 3 * 64
        source = json.loads(grid.text["prompt"])
    assert any(n["class_type"] == "XYZStudio.GridDriver" for n in source.values())


def test_z_axis_gives_one_grid_per_value(experiments):
    g = image_graph()
    x = g.axis(f"0, {RED}", [("1", "color")])
    z = g.axis("2, 6", [("2", "blur_radius")], title="blur")
    manifest = experiments.run(g.driver(x, z=z).prompt)
    assert manifest["counts"] == {"done": 4}
    assert [grid["z"] for grid in manifest["grids"]] == [0, 1]
    folder = experiments.folder(manifest)
    sizes = {Image.open(folder / g["file"]).size for g in manifest["grids"]}
    assert len(sizes) == 1


def test_dry_run_draws_placeholders_and_generates_nothing(experiments):
    manifest = experiments.run(colour_grid(dry_run=True).prompt)
    folder = experiments.folder(manifest)
    assert manifest["status"] == "planned"
    assert manifest["counts"] == {"planned": 9}
    assert list((folder / "cells").iterdir()) == []
    assert all(c["prompt_id"] is None for c in manifest["cells"])
    with Image.open(folder / manifest["grids"][0]["file"]) as grid:
        pixels = np.asarray(grid.convert("RGB"))
    # placeholders are light grey: no pure red or green tile was rendered
    assert not ((pixels[..., 0] > 240) & (pixels[..., 1] < 20)).any()
    assert not ((pixels[..., 1] > 240) & (pixels[..., 0] < 20)).any()


def test_queueing_the_same_workflow_twice_runs_two_experiments(experiments):
    prompt = colour_grid(name="twice").prompt
    first, second = experiments.start(prompt), experiments.start(prompt)
    assert first != second
    a, b = experiments.wait(first), experiments.wait(second)
    assert a["counts"] == b["counts"] == {"done": 9}
    assert {c["prompt_id"] for c in a["cells"]}.isdisjoint({c["prompt_id"] for c in b["cells"]})


def test_headless_runner_prints_grids_and_manifest(tmp_path, host, experiments):
    path = tmp_path / "api.json"
    path.write_text(json.dumps(colour_grid(name="runner").prompt))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.split()
    assert lines[-1].endswith("manifest.json")
    assert all(p.endswith(".png") for p in lines[:-1]) and len(lines) == 2
    manifest = json.loads(open(lines[-1]).read())
    assert manifest["counts"] == {"done": 9}
    assert "9/9 cells" in done.stderr


def test_headless_runner_exits_2_with_the_servers_message(tmp_path, host):
    g = image_graph()
    x = g.axis("0, banana", [("1", "color")])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(g.driver(x).prompt))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "banana" in done.stderr and "expected" in done.stderr
    assert done.stdout == ""


def test_runner_exits_2_when_comfyui_rejects_the_prompt(tmp_path, host):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"1": {"class_type": "NoSuchNode", "inputs": {}}}))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "NoSuchNode" in done.stderr


def test_cells_of_different_sizes_fit_and_grids_flow_downstream(experiments, client, host):
    g = image_graph()
    # a paired axis sets width and height together; cells come out in three shapes
    x = g.axis("64 | 64, 128 | 48, 40 | 96", [[("1", "width")], [("1", "height")]], title="size")
    g.prompt["95"] = {"class_type": "PreviewImage", "inputs": {"images": ["9", 0]}}
    # a SaveImage on the image branch: neither the queued workflow nor the cells may run it
    g.prompt["96"] = {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "stray/img"}}
    manifest = experiments.run(g.driver(x).prompt)
    folder = experiments.folder(manifest)
    sizes = [Image.open(folder / c["files"][0]).size for c in manifest["cells"]]
    assert sizes == [(64, 64), (128, 48), (40, 96)]
    with Image.open(folder / manifest["grids"][0]["file"]) as grid:
        assert grid.width >= 3 * 128
    assert not (host.output_dir / "stray").exists()
    # the grids reached the PreviewImage connected to the Grid Assembler's output
    final = experiments.history(client.get(f"/xyz_studio/experiments/{manifest['id']}")["final_prompt_id"])
    assert final["outputs"]["95"]["images"], final["outputs"]
    shown = final["outputs"]["95"]["images"][0]
    query = urllib.parse.urlencode({k: shown[k] for k in ("filename", "subfolder", "type")})
    with urllib.request.urlopen(f"{host.url}/view?{query}", timeout=30) as answer:
        preview = Image.open(io.BytesIO(answer.read()))
    with Image.open(folder / manifest["grids"][0]["file"]) as grid:
        assert preview.size == grid.size  # a small grid: its preview is the grid itself, not a stand-in


def test_grid_over_the_megapixel_limit_is_scaled_down(experiments):
    g = image_graph(size=256)
    x = g.axis("0-240000 [6]", [("1", "color")])
    y = g.axis("1-5", [("2", "blur_radius")])
    manifest = experiments.run(g.driver(x, y, max_grid_megapixels=1.0).prompt)
    grid = manifest["grids"][0]
    assert grid["width"] * grid["height"] <= 1_000_000
    with Image.open(experiments.folder(manifest) / grid["file"]) as im:
        assert im.size == (grid["width"], grid["height"])
    # the cells themselves keep full size
    with Image.open(experiments.folder(manifest) / manifest["cells"][0]["files"][0]) as cell:
        assert cell.size == (256, 256)


def test_identical_cells_are_each_saved(experiments, client):
    # the same workflow queued twice: the second experiment's cells are whole-graph cache hits
    # (an axis refuses a value given twice, so identical cells come from a second run); only the
    # assembler's fingerprint makes them run, and each is saved in its own experiment
    g = image_graph()
    x = g.axis("3, 4, 5", [("2", "blur_radius")])
    first, second = (experiments.run(g.driver(x, name="identical cells").prompt) for _ in range(2))
    assert first["id"] != second["id"]
    for manifest in (first, second):
        assert manifest["counts"] == {"done": 3}
        for cell in manifest["cells"]:
            assert (experiments.folder(manifest) / cell["files"][0]).is_file()
            # cells are posted as clients post prompts: no fingerprint copied from the queued workflow,
            # which ComfyUI would reuse for every cell instead of asking the assembler again
            assert "is_changed" not in client.history(cell["prompt_id"])["prompt"][2]["9"]
