"""W&B tracking through the real server, offline, read back with wandb's own tooling. A search's run
also holds its study: a step per trial in the order run, with the objective and the best so far."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from harness.experiments import Experiments, make_host
from harness.graphs import image_graph, sd_graph
from harness.host import REPO, VENV_PYTHON
from harness.wandb_offline import cell_images, grid_images, records, run_folders, summary, table_rows, wandb_env
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

SECRET = "xyz-test-secret-key-0123456789abcdef0123"  # a fake W&B key: must never reach a file or a log


def tracked_sweep(mode="offline", size=64, blurs="1, 3", name="tracked sweep"):
    g = image_graph(size=size)
    g.prompt["30"] = {"class_type": "XYZTest.ImageMean", "inputs": {"image": ["2", 0]}}
    x = g.axis("0, 8421504, 16777215", [("1", "color")], title="colour")
    y = g.axis(blurs, [("2", "blur_radius")], title="blur")
    g.driver(x, y, name=name).tracked(mode=mode, tags="xyz, tests")
    return g.metric("metric_1", ("30", 0), name="brightness")


def test_an_experiment_is_one_run_with_its_config_a_row_per_cell_its_grid_and_summary(experiments, wandb_root):
    manifest = experiments.run(tracked_sweep().prompt)
    tracking = experiments.tracking(manifest["id"])
    assert tracking["status"] == "finished" and tracking["problem"] is None
    [run] = [r for r in run_folders(wandb_root) if r.name.endswith(tracking["run_id"])]
    assert Path(tracking["folder"]) == run
    logged = summary(run)
    assert logged["state"] == "finished" and logged["project"] == "xyz-tests"
    config = logged["config"]
    assert config["experiment_id"] == manifest["id"]
    assert config["axes"]["x"]["title"] == "colour" and config["axes"]["x"]["labels"] == ["0", "8421504", "16777215"]
    assert config["axes"]["y"]["targets"] == [[["2", "blur_radius"]]]
    assert {"node": "ImageBlur", "input": "sigma", "value": "1"} in config["fixed"]
    rows = table_rows(run)
    assert sorted(r["index"] for r in rows) == list(range(6))
    white = next(r for r in rows if r["x: colour"] == "16777215" and r["y: blur"] == "1")
    assert white["status"] == "done" and white["metric: brightness"] == pytest.approx(1.0, abs=1e-6)
    assert white["x value"] == 16777215 and white["seconds"] is not None
    assert len(cell_images(run)) == 6 and grid_images(run) == ["grid/z0"]
    result = logged["summary"]
    assert result["counts"] == {"done": 6} and result["cells"] == 6
    assert result["best brightness"]["labels"]["x"] == "16777215"
    # where to find it: the manifest and the status route say so
    assert experiments.client.get(P.ROUTE_MANIFEST.format(experiment_id=manifest["id"]))["tracking"] == tracking


def tracked_search(budget: int):
    """cfg x steps x sampler (2 x 2 x 2) on the tiny SD model, scored by the pack's Sharpness node, a
    TPE search over `budget` of its 8 cells, logged to W&B."""
    g = sd_graph("tiny_sd15_a.safetensors", size=64)
    g.prompt["40"] = {"class_type": P.NODE_SHARPNESS, "inputs": {"image": ["8", 0]}}
    x = g.axis("3, 6", [("3", "cfg")], title="cfg")
    y = g.axis("2, 3", [("3", "steps")], title="steps")
    z = g.axis("euler, dpmpp_2m", [("3", "sampler_name")], title="sampler")
    g.driver(x, y, z, name="tracked search").tracked(tags="search")
    g.metric("metric_1", ("40", 0), name="sharpness")
    return g.search("sharpness", budget, sampler="TPE", seed=5)


def test_a_searchs_run_logs_a_step_per_trial_in_the_order_run_and_a_search_summary(experiments, wandb_root):
    manifest = experiments.run(tracked_search(budget=4).prompt)
    assert manifest["counts"] == {"done": 4, "planned": 4}
    tracking = experiments.tracking(manifest["id"])
    assert tracking["status"] == "finished" and tracking["problem"] is None
    [run] = [r for r in run_folders(wandb_root) if r.name.endswith(tracking["run_id"])]
    # the manifest's history of the objective: the cells run, by the time they finished
    ran = sorted((c for c in manifest["cells"] if c["status"] == "done"), key=lambda c: c["finished_at"])
    best, expected = None, []
    for number, cell in enumerate(ran, 1):
        value = cell["metrics"]["sharpness"]
        best = value if best is None or value > best else best
        expected.append((number, cell["index"], pytest.approx(value), pytest.approx(best)))
    log = records(run)
    steps = [r["history"]["item"] for r in log if r.get("type") == "history"]
    trials = [(s["search/trial"], s["search/cell"], s["search/sharpness"], s["search/best sharpness"])
              for s in steps if "search/trial" in s]
    assert trials == expected  # one step per trial, in the order run, none twice
    metrics = [r["metric"] for r in log if r.get("type") == "metric"]
    assert {"glob_name": "search/*", "step_metric": "search/trial"} in [
        {k: m.get(k) for k in ("glob_name", "step_metric")} for m in metrics]  # charted over the trial number
    rows = table_rows(run)
    assert {r["index"]: r["trial"] for r in rows} == {c["index"]: n for n, c in enumerate(ran, 1)}
    logged = summary(run)
    assert logged["config"]["options"]["search"] == manifest["options"]["search"]
    top = max(ran, key=lambda c: c["metrics"]["sharpness"])
    assert logged["summary"]["search"] == {
        "sampler": "TPE", "objective": "sharpness", "goal": "higher is better", "budget": 4, "trials run": 4,
        "failed": 0, "best value": pytest.approx(top["metrics"]["sharpness"]), "best cell": top["index"],
        "best labels": top["labels"]}


def test_online_without_a_key_the_experiment_completes_and_the_problem_is_said_once(experiments, host, tmp_path):
    workflow = tmp_path / "online.json"
    workflow.write_text(json.dumps(tracked_sweep(mode="online", name="online, no key").prompt))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(workflow), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    experiment_id = next(line.split()[1] for line in done.stderr.splitlines() if line.startswith("experiment "))
    status = experiments.client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))
    assert status["status"] == "complete" and status["done"] == 6
    tracking = status["tracking"]
    assert tracking["status"] == "failed" and "api key" in tracking["problem"].lower()
    assert f"W&B: {tracking['problem']}" in done.stderr
    assert host.log_path.read_text(errors="replace").count(f"experiment {experiment_id}: W&B logging stopped") == 1


def _wait(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def test_without_wandb_installed_the_experiment_runs_as_without_tracking(blocked_host):
    experiments = Experiments(blocked_host, ComfyClient(blocked_host.url))
    manifest = experiments.run(tracked_sweep().prompt)
    assert manifest["status"] == "complete" and manifest["counts"] == {"done": 6}
    tracking = experiments.tracking(manifest["id"])
    assert tracking["status"] == "failed" and "wandb is not installed" in tracking["problem"]
    assert "pip install wandb" in tracking["problem"]


@pytest.fixture()
def keyed_host(tmp_path_factory, models_dir, tmp_path):
    host = make_host(tmp_path_factory, models_dir, "tracked-kill", test_packs=("xyz_test_metrics",),
                     env={**wandb_env(tmp_path), "WANDB_API_KEY": SECRET})
    yield host, tmp_path
    host.stop()


def test_kill_9_mid_run_then_resume_continues_the_same_run_and_logs_every_cell_once(keyed_host):
    host, root = keyed_host
    host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    experiment_id = experiments.start(tracked_sweep(size=640, blurs="22, 25, 28, 31", name="killed").prompt)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    _wait(lambda: client.get(route)["done"] >= 4)
    time.sleep(2.5)  # the live table has had its first rows
    host.kill9()
    host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    assert client.post(P.ROUTE_RESUME.format(experiment_id=experiment_id), {})["queued"] > 0
    manifest = experiments.wait(experiment_id)
    assert manifest["counts"] == {"done": 12}
    tracking = experiments.tracking(experiment_id)
    assert tracking["status"] == "finished", tracking
    runs = run_folders(root)
    assert runs and all(r.name.endswith(tracking["run_id"]) for r in runs)  # one run, resumed
    rows = [row for run in runs for row in table_rows(run)]
    assert sorted(r["index"] for r in rows) == list(range(12))  # every cell once: none lost, none twice
    # the key wandb was given never reached the pack's files, its store, the PNGs or the logs
    for path in [*host.base_dir.rglob("*"), *root.rglob("*")]:
        if path.is_file() and not path.is_symlink():
            assert SECRET.encode() not in path.read_bytes(), path
