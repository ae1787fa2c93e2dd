"""Experiments that survive: kill -9 and resume, cancel, concurrency, 500 cells, failed saves."""
from __future__ import annotations

import json
import signal
import subprocess

import numpy as np
import pytest
from PIL import Image

from harness.experiments import Experiments, FinishedBefore, make_host, resume_with_the_runner, wait_until
from harness.graphs import image_graph, sd_graph
from harness.host import REPO, VENV_PYTHON
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CKPT = "tiny_sd15_a.safetensors"


def sd_experiment(name="survivor"):
    g = sd_graph(CKPT)
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")])
    y = g.axis("4, 7, 10", [("3", "cfg")])
    z = g.axis("4, 6", [("3", "steps")])
    return g.driver(x, y, z, name=name)


def cell_pixels(experiments: Experiments, manifest: dict) -> dict[tuple, np.ndarray]:
    folder = experiments.folder(manifest)
    out = {}
    for c in manifest["cells"]:
        with Image.open(folder / c["files"][0]) as im:
            out[(c["x"], c["y"], c["z"])] = np.asarray(im.convert("RGB"))
    return out


@pytest.fixture()
def own_host(tmp_path_factory, models_dir):
    host = make_host(tmp_path_factory, models_dir, "faults")
    yield host
    host.stop()


def test_kill_9_then_resume_reruns_no_finished_cell_and_matches_an_uninterrupted_run(own_host):
    host = own_host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    experiment_id = experiments.start(sd_experiment().prompt)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 5, step=0.01)
    host.kill9()

    host.start()  # same base directory, same store, empty ComfyUI queue
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    before = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert before["status"] == "interrupted"
    finished = FinishedBefore(host, before)
    assert 5 <= len(finished.cells) < 18
    folder = finished.folder

    resume_with_the_runner(host, experiment_id, timeout=300)
    after = experiments.wait(experiment_id)
    assert after["status"] == "complete" and after["counts"] == {"done": 18}
    assert finished.run_again(after) == []
    # every cell exactly once on disk, nothing half-written left behind
    pngs = sorted(p.name for p in (folder / "cells").iterdir())
    assert pngs == sorted({c["files"][0].split("/")[-1] for c in after["cells"]}) and len(pngs) == 18
    # the resumed grid equals an uninterrupted run with the same seeds, pixel for pixel
    reference = experiments.run(sd_experiment("reference").prompt)
    resumed, fresh = cell_pixels(experiments, after), cell_pixels(experiments, reference)
    assert resumed.keys() == fresh.keys()
    for key in resumed:
        assert np.array_equal(resumed[key], fresh[key]), key


def test_cancel_mid_run_keeps_saved_cells_and_leaves_other_prompts_alone(experiments, client, host):
    experiment_id = experiments.start(sd_experiment("to cancel").prompt)
    other = client.queue_prompt({
        "1": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1, "color": 123}},
        "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "bystander/img"}}})
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 3, step=0.01)
    answer = client.post(P.ROUTE_CANCEL.format(experiment_id=experiment_id), {})
    assert answer["status"] == "cancelled"
    queue = client.queue()
    ours = {c["prompt_id"] for c in client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))["cells"]}
    assert not ours & {item[1] for item in queue["queue_pending"] + queue["queue_running"]}
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert manifest["status"] == "cancelled"
    counts = manifest["counts"]
    assert counts.get("done", 0) >= 3 and counts.get("cancelled", 0) >= 1
    assert sum(counts.values()) == 18
    assert manifest["grids"] and all((experiments.folder(manifest) / g["file"]).is_file() for g in manifest["grids"])
    # the bystander prompt queued after ours still runs
    wait_until(lambda: client.history(other))
    assert list((host.output_dir / "bystander").glob("img_*.png"))
    # cancelling twice is refused politely
    with pytest.raises(Exception) as refused:
        client.post(P.ROUTE_CANCEL.format(experiment_id=experiment_id), {})
    assert getattr(refused.value, "status", None) == 409


def test_three_concurrent_experiments_never_mix_cells(experiments):
    colours = {"red": 0xFF0000, "green": 0x00FF00, "blue": 0x0000FF}
    prompts = {}
    for name, colour in colours.items():
        g = image_graph(size=32)
        g.prompt["1"]["inputs"]["color"] = colour  # each experiment in its own colour, its cells all of it
        x = g.axis("1, 2", [("2", "sigma")])
        y = g.axis("1, 2", [("2", "blur_radius")])
        prompts[name] = g.driver(x, y, name=name).prompt
    ids = {name: experiments.start(p) for name, p in prompts.items()}
    ids["red again"] = experiments.start(prompts["red"])  # the same workflow twice
    for name, experiment_id in ids.items():
        manifest = experiments.wait(experiment_id)
        assert manifest["counts"] == {"done": 4}, name
        channel = "red green blue".split().index(name.split()[0])
        for cell in manifest["cells"]:
            with Image.open(experiments.folder(manifest) / cell["files"][0]) as im:
                assert json.loads(im.text["xyz_studio"])["experiment"] == experiment_id
                centre = im.convert("RGB").getpixel((16, 16))
            assert [c > 250 for c in centre] == [k == channel for k in range(3)], (name, centre)  # its own colour


def test_five_hundred_cells(experiments):
    g = image_graph(size=48)
    x = g.axis("0-240000 [25]", [("1", "color")])
    y = g.axis("1-20", [("2", "blur_radius")])
    manifest = experiments.run(g.driver(x, y, name="500 cells").prompt, timeout=600)
    assert manifest["counts"] == {"done": 500}
    assert len(list((experiments.folder(manifest) / "cells").iterdir())) == 500
    assert manifest["grids"][0]["width"] > 25 * 48


def test_a_cell_that_cannot_be_saved_fails_clearly_and_retry_fixes_it(experiments, client, host):
    g = sd_graph(CKPT)
    # the first cell samples 80 steps (seconds), which leaves time to block the second cell's file
    x = g.axis("80 | 7, 4 | 7, 4 | 9", [[("3", "steps")], [("3", "cfg")]])
    experiment_id = experiments.start(g.driver(x, name="blocked save").prompt)
    folder = host.output_dir / P.OUTPUT_SUBFOLDER / experiment_id
    # a directory where the second cell's PNG must go: a real, permanent write failure
    blocker = folder / "cells" / "steps-cfg-4-7_x001.png"
    blocker.mkdir(parents=True)
    manifest = experiments.wait(experiment_id)
    assert client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))["status"] == "complete"
    assert manifest["counts"] == {"done": 2, "failed": 1}
    failed = manifest["cells"][1]
    assert "could not save steps-cfg-4-7_x001.png" in failed["error"] and "kept" in failed["error"]
    assert manifest["cells"][0]["status"] == "done"  # the cell finished before it was kept
    blocker.rmdir()
    answer = client.post(P.ROUTE_RETRY.format(experiment_id=experiment_id), {})
    assert answer["queued"] == 1
    wait_until(lambda: client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))["done"] == 3)
    manifest = experiments.wait(experiment_id)
    assert manifest["counts"] == {"done": 3}
    assert [c["attempts"] for c in manifest["cells"]] == [0, 1, 0]


def test_ctrl_c_in_the_runner_cancels_the_experiment(tmp_path, host, client):
    path = tmp_path / "long.json"
    path.write_text(json.dumps(sd_experiment("ctrl-c").prompt))
    # a shell that starts the suite in the background ignores SIGINT, and a child inherits that:
    # give the runner the default handler, as a terminal would
    runner = subprocess.Popen([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    started = wait_until(lambda: next((e for e in client.get(P.ROUTE_EXPERIMENTS)["experiments"][:1]
                                       if e["name"] == "ctrl-c"), None))
    route = P.ROUTE_EXPERIMENT.format(experiment_id=started["id"])
    wait_until(lambda: client.get(route)["done"] >= 2, step=0.01)
    runner.send_signal(signal.SIGINT)
    out, err = runner.communicate(timeout=120)
    assert runner.returncode == 130, err
    assert client.get(route)["status"] == "cancelled"
    assert out.split()[-1].endswith("manifest.json")
    assert f"--resume {started['id']}" in err


def test_runner_reports_a_grid_that_cannot_be_written(tmp_path, host, client):
    g = sd_graph(CKPT)
    x = g.axis("60 | 7, 4 | 7", [[("3", "steps")], [("3", "cfg")]])  # the first cell takes a while
    path = tmp_path / "grid_fails.json"
    path.write_text(json.dumps(g.driver(x, name="grid fails").prompt))
    runner = subprocess.Popen([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = wait_until(lambda: next((e for e in client.get(P.ROUTE_EXPERIMENTS)["experiments"]
                                       if e["name"] == "grid fails"), None))
    grids = host.output_dir / P.OUTPUT_SUBFOLDER / started["id"] / "grids"
    grids.rmdir()
    grids.write_text("a file where the grids folder should be")
    out, err = runner.communicate(timeout=300)
    assert runner.returncode == 1, err
    assert "drawing the grids failed" in err and "could not draw the grids" in err
    assert "the saved cells are kept" in err
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=started["id"]))
    assert manifest["counts"] == {"done": 2}


def test_a_cleared_queue_shows_interrupted_and_resume_finishes_the_run(experiments, client):
    experiment_id = experiments.start(sd_experiment("cleared").prompt)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 2, step=0.01)
    client.post("/queue", {"clear": True})  # what ComfyUI's "clear queue" button does
    client.interrupt()
    assert wait_until(lambda: client.get(route)["status"] == "interrupted")
    saved = {c["index"]: c["prompt_id"] for c in client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
             ["cells"] if c["status"] == "done"}
    answer = client.post(P.ROUTE_RESUME.format(experiment_id=experiment_id), {})
    assert answer["queued"] + len(saved) + answer["adopted"] == 18
    manifest = experiments.wait(experiment_id)
    assert manifest["counts"] == {"done": 18}
    assert all(manifest["cells"][i]["prompt_id"] == pid for i, pid in saved.items())
