"""Five axes through the real server: a 3x2x2x2x2 tiny-model sweep killed with -9 half way
and resumed with no finished cell run again; every cell pixel-equal to the same cell queued
on its own; a grid, titled with its values, for every combination of the axes after X and Y."""
from __future__ import annotations

import itertools
import json
import time

import numpy as np
import pytest
from PIL import Image

from harness.experiments import Experiments, FinishedBefore, make_host, resume_with_the_runner, wait_until
from harness.graphs import sd_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CKPT = "tiny_sd15_a.safetensors"
SHAPE = {"x": 3, "y": 2, "z": 2, "axis4": 2, "axis5": 2}


def five_axes(name: str):
    g = sd_graph(CKPT, positive="a photo of a red cat")
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")], title="sampler")
    y = g.axis("4, 7", [("3", "cfg")], title="cfg")
    z = g.axis("3, 4", [("3", "steps")], title="steps")
    seed = g.axis("1, 2", [("3", "seed")], title="seed")
    colour = g.axis("red, blue", mode="prompt S/R", title="colour")
    return g.driver(x, y, z, name=name, more={"axis4": seed, "axis5": colour})


@pytest.fixture()
def own_host(tmp_path_factory, models_dir):
    host = make_host(tmp_path_factory, models_dir, "many_axes")
    yield host
    host.stop()


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def _alone(host, client: ComfyClient, folder, manifest: dict) -> dict[int, np.ndarray]:
    """Each cell's own prompt (the one its PNG carries), queued on its own: its image."""
    queued = {}
    for c in manifest["cells"]:
        with Image.open(folder / c["files"][0]) as im:
            prompt = json.loads(im.text["prompt"])
        queued[c["index"]] = client.queue_prompt(prompt)
    images = {}
    deadline = time.monotonic() + 600
    for index, prompt_id in queued.items():
        while (entry := client.history(prompt_id)) is None or not entry.get("outputs"):
            assert time.monotonic() < deadline, f"cell {index} queued on its own never finished"
            time.sleep(0.1)
        [saved] = [img for out in entry["outputs"].values() for img in out.get("images", [])]
        images[index] = _pixels(host.output_dir / saved["subfolder"] / saved["filename"])
    return images


def test_five_axes_survive_kill_9_and_every_cell_is_its_own_prompt(own_host):
    host = own_host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    experiment_id = experiments.start(five_axes("five axes").prompt)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 16, step=0.01)
    host.kill9()

    host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    before = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert before["status"] == "interrupted" and before["schema"] == "xyz-studio/manifest/3"
    assert before["shape"] == SHAPE
    finished = FinishedBefore(host, before)
    assert 16 <= len(finished.cells) < 48
    folder = finished.folder

    resume_with_the_runner(host, experiment_id)
    after = experiments.wait(experiment_id)
    assert after["status"] == "complete" and after["counts"] == {"done": 48}
    assert finished.run_again(after) == []

    # every combination of values is one cell, named by its values, at its place on every axis
    combos = {tuple(c["at"][s] for s in SHAPE) for c in after["cells"]}
    assert combos == set(itertools.product(*(range(n) for n in SHAPE.values())))
    for c in after["cells"]:
        name = c["files"][0].split("/")[-1]
        assert name.startswith(f"sampler-{c['labels']['x']}_cfg-{c['labels']['y']}_steps-{c['labels']['z']}_"
                               f"seed-{c['labels']['axis4']}_colour-{c['labels']['axis5']}_")
        assert name.endswith(f"_x{c['at']['x']:03d}_y{c['at']['y']:03d}_z{c['at']['z']:03d}"
                             f"_axis4-{c['at']['axis4']:03d}_axis5-{c['at']['axis5']:03d}.png")
        assert (c["x"], c["y"]) == (c["at"]["x"], c["at"]["y"])
        assert c["z"] == c["at"]["z"] + 2 * (c["at"]["axis4"] + 2 * c["at"]["axis5"])  # its grid
        with Image.open(folder / c["files"][0]) as im:  # its place on every axis, in the file too
            assert json.loads(im.text["xyz_studio"])["at"] == c["at"]
    assert len(list((folder / "cells").iterdir())) == 48

    # one grid per combination of steps, seed and colour, each listing its values
    grids = after["grids"]
    assert [g["z"] for g in grids] == list(range(8))
    assert {(g["labels"]["z"], g["labels"]["axis4"], g["labels"]["axis5"]) for g in grids} == set(
        itertools.product(("3", "4"), ("1", "2"), ("red", "blue")))
    for g in grids:
        with Image.open(folder / g["file"]) as im:
            assert im.size == (g["width"], g["height"]) and im.size[0] > 3 * 64
            assert f'"z": {g["z"]}' in im.text["xyz_studio"]

    # each cell, queued on its own from the prompt its PNG carries, gives the same pixels
    alone = _alone(host, client, folder, after)
    for c in after["cells"]:
        assert np.array_equal(_pixels(folder / c["files"][0]), alone[c["index"]]), c["files"][0]
