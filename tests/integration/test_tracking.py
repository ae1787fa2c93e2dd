"""W&B tracking through the real server, offline, read back with wandb's own tooling."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from harness.experiments import Experiments, make_host
from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON
from harness.wandb_offline import cell_images, grid_images, run_folders, summary, table_rows, wandb_env
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
