"""XYZ experiments with a real KSampler on tiny SD1.5-layout checkpoints (CPU)."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from PIL import Image

from harness.graphs import sd_graph

CKPT_A, CKPT_B = "tiny_sd15_a.safetensors", "tiny_sd15_b.safetensors"
LORA = "tiny_lora.safetensors"


def pixels(experiments, manifest, cell) -> np.ndarray:
    with Image.open(experiments.folder(manifest) / cell["files"][0]) as im:
        return np.asarray(im.convert("RGB"), dtype=np.int16)


def cell_prompt(experiments, manifest, cell) -> dict:
    with Image.open(experiments.folder(manifest) / cell["files"][0]) as im:
        return json.loads(im.text["prompt"])


def assert_all_cells_differ(experiments, manifest):
    images = [pixels(experiments, manifest, c) for c in manifest["cells"]]
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert np.abs(a - b).mean() > 0, f"cells {i} and {j} are identical"
    # and they are real pictures, not clipped noise
    for image in images:
        assert 20 < image.mean() < 235


def loader_runs(client, manifest, loader_id="4") -> dict[str, int]:
    """How often the checkpoint loader really executed (not served from cache), per checkpoint."""
    runs: dict[str, int] = {}
    for cell in sorted(manifest["cells"], key=lambda c: c["run_order"]):
        entry = client.history(cell["prompt_id"])
        cached = next(data["nodes"] for event, data in entry["status"]["messages"] if event == "execution_cached")
        ckpt = entry["prompt"][2][loader_id]["inputs"]["ckpt_name"]
        runs.setdefault(ckpt, 0)
        if loader_id not in cached:
            runs[ckpt] += 1
    return runs


def test_sampler_x_cfg_x_steps(experiments):
    g = sd_graph(CKPT_A)
    x = g.axis("euler, dpmpp_2m", [("3", "sampler_name")])
    y = g.axis("5, 9", [("3", "cfg")])
    z = g.axis("3, 6", [("3", "steps")])
    manifest = experiments.run(g.driver(x, y, z, name="sampler x cfg x steps").prompt)
    assert manifest["counts"] == {"done": 8}
    assert len(manifest["grids"]) == 2
    assert_all_cells_differ(experiments, manifest)
    for cell in manifest["cells"]:
        ks = cell_prompt(experiments, manifest, cell)["3"]["inputs"]
        assert (ks["sampler_name"], ks["cfg"], ks["steps"]) == (
            ["euler", "dpmpp_2m"][cell["x"]], [5.0, 9.0][cell["y"]], [3, 6][cell["z"]])


def test_lora_strength(experiments):
    g = sd_graph(CKPT_A, lora=LORA)
    x = g.axis("0, 0.5, 1", [[("10", "strength_model"), ("10", "strength_clip")]], title="LoRA strength")
    manifest = experiments.run(g.driver(x).prompt)
    assert manifest["counts"] == {"done": 3}
    assert_all_cells_differ(experiments, manifest)
    strengths = [cell_prompt(experiments, manifest, c)["10"]["inputs"]["strength_model"] for c in manifest["cells"]]
    assert strengths == [0.0, 0.5, 1.0]


def test_prompt_search_and_replace(experiments):
    g = sd_graph(CKPT_A, positive="a photo of a red cat, red background")
    x = g.axis("red, blue, green", mode="prompt S/R")
    manifest = experiments.run(g.driver(x).prompt)
    assert manifest["counts"] == {"done": 3}
    assert manifest["axes"][0]["title"] == 'prompt S/R "red"'
    texts = [cell_prompt(experiments, manifest, c)["6"]["inputs"]["text"] for c in manifest["cells"]]
    assert texts == ["a photo of a red cat, red background", "a photo of a blue cat, blue background",
                     "a photo of a green cat, green background"]
    assert_all_cells_differ(experiments, manifest)


def test_paired_axis_sets_sampler_and_scheduler_together(experiments):
    g = sd_graph(CKPT_A)
    x = g.axis("euler | normal, dpmpp_2m | karras, ddim | simple",
               [[("3", "sampler_name")], [("3", "scheduler")]], title="sampler / scheduler")
    manifest = experiments.run(g.driver(x).prompt)
    assert manifest["axes"][0]["labels"] == ["euler / normal", "dpmpp_2m / karras", "ddim / simple"]
    pairs = [(p["3"]["inputs"]["sampler_name"], p["3"]["inputs"]["scheduler"])
             for p in (cell_prompt(experiments, manifest, c) for c in manifest["cells"])]
    assert pairs == [("euler", "normal"), ("dpmpp_2m", "karras"), ("ddim", "simple")]
    assert_all_cells_differ(experiments, manifest)


def test_checkpoint_axis_loads_each_checkpoint_once(experiments, client):
    client.post("/free", {"unload_models": True, "free_memory": True})  # start from an empty cache
    g = sd_graph(CKPT_A)
    # the checkpoint on X, which grid order would change every cell
    x = g.axis(f"{CKPT_A}, {CKPT_B}", [("4", "ckpt_name")], title="checkpoint")
    y = g.axis("5, 7, 9", [("3", "cfg")])
    manifest = experiments.run(g.driver(x, y).prompt)
    assert manifest["order"] == ["x", "y"]   # the checkpoint axis varies slowest
    assert manifest["counts"] == {"done": 6}
    assert loader_runs(client, manifest) == {CKPT_A: 1, CKPT_B: 1}
    assert_all_cells_differ(experiments, manifest)


def test_failing_cell_becomes_an_error_tile_and_the_run_finishes(experiments, host):
    broken = host.base_dir / "models" / "checkpoints" / "broken.safetensors"
    broken.write_bytes(b"this is not a checkpoint" * 10)
    g = sd_graph(CKPT_A)
    x = g.axis(f"{CKPT_A}, broken.safetensors", [("4", "ckpt_name")])
    manifest = experiments.run(g.driver(x).prompt)
    assert manifest["status"] == "complete"
    assert manifest["counts"] == {"done": 1, "failed": 1}
    failed = next(c for c in manifest["cells"] if c["status"] == "failed")
    assert failed["x"] == 1
    assert "CheckpointLoaderSimple #4" in failed["error"]
    assert failed["files"] == []
    with Image.open(experiments.folder(manifest) / manifest["grids"][0]["file"]) as grid:
        rgb = np.asarray(grid.convert("RGB"), dtype=np.int16)
    reddish = (rgb[..., 0] > 240) & (rgb[..., 1] < 235) & (rgb[..., 1] > 200)
    assert reddish.sum() > 500  # the soft red error tile is drawn


@pytest.mark.parametrize("seed_spec", ["random 3"])
def test_random_seeds_are_drawn_once_and_recorded(experiments, seed_spec):
    g = sd_graph(CKPT_A)
    x = g.axis(seed_spec, [("3", "seed")], title="seed")
    manifest = experiments.run(g.driver(x).prompt)
    seeds = [v[0] for v in manifest["axes"][0]["values"]]
    assert len(seeds) == len(set(seeds)) == 3
    used = [cell_prompt(experiments, manifest, c)["3"]["inputs"]["seed"] for c in manifest["cells"]]
    assert used == seeds
    assert_all_cells_differ(experiments, manifest)
