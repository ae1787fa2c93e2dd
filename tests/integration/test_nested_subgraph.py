"""An XYZ sweep whose varied widgets sit two subgraphs deep, as the real editor (1.58.1) made and
saved it (tests/fixtures/nested_subgraph.json: KSampler #3 in "Inner" #102 in "Sampler" #103, so
execution id 103:102:3), run by the headless runner against the real server.

Every id the pack writes handles `a:b:c`: the manifest's targets, the cell file names (no ':'),
the PNG text, the ComfyScript export (the W&B run's config and table: unit/tracking); the
labels name the node by its subgraph path (`Sampler › Inner › KSampler · cfg`), and every cell
is pixel-equal to the same cell queued on its own.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import time

import numpy as np
from PIL import Image

from harness.host import REPO, VENV_PYTHON

FIXTURE = REPO / "tests" / "fixtures" / "nested_subgraph.json"
KSAMPLER = "103:102:3"
CFG, STEPS = "Sampler › Inner › KSampler · cfg", "Sampler › Inner › KSampler · steps"


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def _alone(host, client, prompts: dict[int, dict]) -> dict[int, np.ndarray]:
    """Each cell's own prompt (its PNG's, with ComfyUI's Save Image in place of the Grid Assembler) queued alone."""
    queued = {index: client.queue_prompt(prompt) for index, prompt in prompts.items()}
    images, deadline = {}, time.monotonic() + 300
    for index, prompt_id in queued.items():
        while (entry := client.history(prompt_id)) is None or not entry.get("outputs"):
            assert time.monotonic() < deadline, f"cell {index} queued on its own never finished"
            time.sleep(0.1)
        [saved] = [img for out in entry["outputs"].values() for img in out.get("images", [])]
        images[index] = _pixels(host.output_dir / saved["subfolder"] / saved["filename"])
    return images


def test_a_sweep_two_subgraphs_deep_runs_from_the_runner_with_every_id_and_label_right(host, client, experiments,
                                                                                       tmp_path):
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(FIXTURE), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(open(done.stdout.split()[-1]).read())
    assert manifest["status"] == "complete" and manifest["counts"] == {"done": 6}
    assert manifest["shape"] == {"x": 3, "y": 2, "z": 1}

    # the axes drive the KSampler inside Inner inside Sampler, and are titled by that path
    x, y = manifest["axes"]
    assert (x["title"], x["targets"], x["labels"]) == (CFG, [[[KSAMPLER, "cfg"]]], ["4", "7", "10"])
    assert (y["title"], y["targets"], y["labels"]) == (STEPS, [[[KSAMPLER, "steps"]]], ["3", "4"])
    assert {"node": "Sampler › Inner › KSampler", "input": "seed", "value": "42"} in manifest["fixed"]

    folder = experiments.folder(manifest)
    prompts = {}
    for c in manifest["cells"]:
        name = c["files"][0].removeprefix("cells/")
        cfg, steps = c["labels"]["x"], c["labels"]["y"]
        assert name == (f"Sampler-Inner-KSampler-cfg-{cfg}_Sampler-Inner-KSampler-steps-{steps}"
                        f"_x{c['x']:03d}_y{c['y']:03d}.png")
        assert re.fullmatch(r"[\w.,+=#-]+", name)  # no ':' (nor anything else a file system refuses)
        with Image.open(folder / c["files"][0]) as im:
            prompt, job = json.loads(im.text["prompt"]), json.loads(im.text["xyz_studio"])
        assert prompt[KSAMPLER]["inputs"]["cfg"] == float(cfg) and prompt[KSAMPLER]["inputs"]["steps"] == int(steps)
        assert ["103:8", 0] in prompt["9"]["inputs"].values()  # the VAE Decode inside Sampler gives the picture
        assert (job["experiment"], job["index"], job["labels"]) == (manifest["id"], c["index"], c["labels"])
        prompts[c["index"]] = prompt
    assert len(list((folder / "cells").iterdir())) == 6

    # one grid, titled with the paths, carrying the editor's workflow (its subgraphs too) for drag-and-drop
    [grid] = manifest["grids"]
    with Image.open(folder / grid["file"]) as im:
        assert im.size == (grid["width"], grid["height"]) and im.size[0] > 3 * 64
        embedded = json.loads(im.text["workflow"])
    assert [s["name"] for s in embedded["definitions"]["subgraphs"]] == ["Inner", "Sampler"]

    # the ComfyScript export names the nested inputs as Python can
    script = tmp_path / "sweep.py"
    exported = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-script", manifest["id"], "--server",
                               host.url, "--out", str(script)], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert exported.returncode == 0, exported.stderr
    text = script.read_text()
    ast.parse(text)
    assert "x_103_102_3_cfg = x_value" in text and f"X = [  # {CFG}" in text

    # every cell is its own prompt: queued alone, the same pixels; and cfg really changed each picture
    alone = _alone(host, client, prompts)
    for c in manifest["cells"]:
        assert np.array_equal(_pixels(folder / c["files"][0]), alone[c["index"]]), c["files"][0]
    by_place = {(c["x"], c["y"]): _pixels(folder / c["files"][0]) for c in manifest["cells"]}
    assert not np.array_equal(by_place[(0, 0)], by_place[(1, 0)])
    assert not np.array_equal(by_place[(0, 0)], by_place[(0, 1)])


def test_an_axis_inside_the_subgraph_plans_from_the_runner(host, tmp_path):
    """The X axis itself inside "Sampler" (103:100), its axis output leaving through a subgraph output to the
    Grid Driver: planned as a dry run (nothing to render that the test above does not render already)."""
    workflow = json.loads((REPO / "tests" / "fixtures" / "nested_subgraph_axis_inside.json").read_text())
    driver = next(n for n in workflow["nodes"] if n["type"] == "XYZStudio.GridDriver")
    driver["widgets_values"][2] = True  # dry_run
    path = tmp_path / "axis_inside.json"
    path.write_text(json.dumps(workflow))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(open(done.stdout.split()[-1]).read())
    assert manifest["status"] == "planned" and len(manifest["cells"]) == 6
    assert [(a["node_id"], a["title"], a["targets"]) for a in manifest["axes"]] == [
        ("103:100", CFG, [[[KSAMPLER, "cfg"]]]), ("101", STEPS, [[[KSAMPLER, "steps"]]])]


def test_a_bad_value_for_a_nested_widget_is_refused_naming_both_nodes_by_their_paths(host, tmp_path):
    workflow = json.loads((REPO / "tests" / "fixtures" / "nested_subgraph_axis_inside.json").read_text())
    [axis] = [n for s in workflow["definitions"]["subgraphs"] for n in s["nodes"] if n["type"] == "XYZStudio.Axis"]
    axis["widgets_values"][0] = "4, 7, -5"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(workflow))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert ('Sampler › XYZ Axis #103:100, input "values": got "-5"; expected a number from 0 to 100 for '
            f'Sampler › Inner › KSampler #{KSAMPLER} cfg (below the minimum)') in done.stderr
