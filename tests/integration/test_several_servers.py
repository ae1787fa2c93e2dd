"""One experiment over three real ComfyUI servers: a master with the pack and two stock workers.

The workers have no XYZ Plot Studio (only ComfyUI and the tiny models; the second one
lacks checkpoint B). Faults are real: kill -9 of a worker and of the master, a worker
restarted on its port, a worker busy with someone else's prompts.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from harness.experiments import Experiments, make_host, wait_until
from harness.graphs import image_graph, sd_graph
from harness.host import REPO, VENV_PYTHON
from harness.workers import cells_run_on, load_with, restart, start_all, sweep
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.storage.store import DB_NAME

CKPT_A, CKPT_B = "tiny_sd15_a.safetensors", "tiny_sd15_b.safetensors"


@pytest.fixture(scope="module")
def servers(tmp_path_factory, models_dir):
    master = make_host(tmp_path_factory, models_dir, "master")
    first = make_host(tmp_path_factory, models_dir, "worker1", link_pack=False)
    second = make_host(tmp_path_factory, models_dir, "worker2", link_pack=False, without_models=(CKPT_B,))
    start_all([master, first, second])
    yield master, first, second
    for host in (master, first, second):
        host.stop()


@pytest.fixture()
def cluster(servers):
    """The three servers, all up and idle before each test."""
    for host in servers:
        if host.proc is None or host.proc.poll() is not None:
            restart(host)
    for host in servers:
        ComfyClient(host.url).post("/queue", {"clear": True})
    return servers


def grid_pixels(experiments: Experiments, manifest: dict) -> list[np.ndarray]:
    folder = experiments.folder(manifest)
    out = []
    for grid in manifest["grids"]:
        with Image.open(folder / grid["file"]) as im:
            out.append(np.asarray(im.convert("RGB")))
    return out


def workers_of(manifest: dict) -> Counter[str]:
    return Counter(c["worker"] for c in manifest["cells"] if c["status"] == "done")


def events(host, name: str, experiment_id: str) -> list[dict]:
    """The experiment's structured log lines of one kind, from the server's log."""
    found = []
    for line in host.log_path.read_text(errors="replace").splitlines():
        if line.startswith("{") and f'"event": "{name}"' in line:
            event = json.loads(line)
            if event["experiment"] == experiment_id:
                found.append(event)
    return found


def test_a_sweep_spread_over_three_servers_equals_a_one_server_run_pixel_for_pixel(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    for worker in (first, second):  # the workers are stock ComfyUI: none of the pack's nodes
        assert P.NODE_DRIVER not in ComfyClient(worker.url).object_info(P.NODE_DRIVER)

    def graph():
        g = sweep(6, 5)
        g.prompt["20"] = {"class_type": "GetImageSize", "inputs": {"image": ["2", 0]}}
        return g.metric("metric_1", ("20", 0), name="width")

    spread = experiments.run(graph().servers([first.url, second.url]).prompt, timeout=180)
    alone = experiments.run(graph().prompt, timeout=180)
    assert spread["counts"] == {"done": 30} and alone["counts"] == {"done": 30}
    ran = workers_of(spread)
    assert set(ran) == {master.url, first.url, second.url} and all(n >= 2 for n in ran.values()), ran
    assert set(workers_of(alone)) == {master.url}
    for a, b in zip(grid_pixels(experiments, spread), grid_pixels(experiments, alone), strict=True):
        assert a.shape == b.shape and np.array_equal(a, b)
    # each remote cell ran once, on the worker the manifest names, and its metric came back
    for worker in (first, second):
        runs = cells_run_on(ComfyClient(worker.url), spread["id"])
        assert set(runs) == {c["index"] for c in spread["cells"] if c["worker"] == worker.url}
        assert set(runs.values()) == {1}
    assert {c["metrics"]["width"] for c in spread["cells"]} == {512.0}
    # health: each worker up, with the cells it did
    health = client.get(P.ROUTE_HEALTH)
    assert health["ok"] and health["store"]["ok"]
    states = {w["url"]: w for w in health["workers"]}
    assert all(states[h.url]["state"] == "up" and states[h.url]["done"] >= ran[h.url] for h in cluster)
    # structured log lines: planned with the three workers, finished with the counts
    [planned] = events(master, "planned", spread["id"])
    assert planned["workers"] == [master.url, first.url, second.url] and planned["cells"] == 30
    [finished] = events(master, "finished", spread["id"])
    assert finished["counts"] == {"done": 30}


def test_a_search_over_three_servers_runs_its_budget_each_cell_once(cluster):
    """A Search node with a Servers node: the proposals go to every server (one in flight on each),
    each value comes back to the study, and the run stops at the budget."""
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    g = image_graph(64)
    x = g.axis("1056816, 2113632, 3170448, 4227264", [("1", "color")], title="colour")
    y = g.axis("64, 96, 128, 160, 192", [("1", "width")], title="width")
    g.driver(x, y, name="searched spread").servers([first.url, second.url])
    g.prompt["20"] = {"class_type": "GetImageSize", "inputs": {"image": ["2", 0]}}  # a stock node: workers have it
    g.metric("metric_1", ("20", 0), name="width")
    searched = experiments.run(g.search("width", 8, seed=1, coarse_fraction=0.25).prompt, timeout=180)
    assert searched["counts"] == {"done": 8, "planned": 12}
    done = [c for c in searched["cells"] if c["status"] == "done"]
    assert all(c["metrics"]["width"] == float(c["labels"]["y"]) for c in done)  # each value is its own cell's
    assert len(workers_of(searched)) >= 2, workers_of(searched)
    for worker in (first, second):
        runs = cells_run_on(ComfyClient(worker.url), searched["id"])
        assert set(runs) == {c["index"] for c in done if c["worker"] == worker.url}
        assert set(runs.values()) <= {1}
    # one proposal in flight on each server: a server's next cell starts only after its last one is back
    for server in workers_of(searched):
        ran = sorted((c["started_at"], c["finished_at"]) for c in done if c["worker"] == server)
        assert all(start is not None and end is not None for start, end in ran), ran
        assert all(later[0] >= earlier[1] for earlier, later in zip(ran, ran[1:])), (server, ran)


def test_the_headless_runner_spreads_the_cells_with_worker_options(cluster, tmp_path):
    master, first, second = cluster
    path = tmp_path / "sweep.json"
    path.write_text(json.dumps(sweep(4, 3, name="runner").prompt))
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", master.url,
                           "--worker", first.url, "--worker", second.url.removeprefix("http://")],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"cells go to 3 server(s): {master.url}, {first.url}, {second.url}" in done.stderr
    manifest = json.loads(Path(done.stdout.splitlines()[-1]).read_text())
    assert manifest["counts"] == {"done": 12}
    assert set(workers_of(manifest)) <= {master.url, first.url, second.url} and len(workers_of(manifest)) >= 2


def test_a_worker_without_the_checkpoint_is_left_out_with_a_message_naming_it(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    g = sd_graph(CKPT_A, size=32)
    x = g.axis(f"{CKPT_A}, {CKPT_B}", [("4", "ckpt_name")], title="checkpoint")
    y = g.axis("4, 7", [("3", "cfg")])
    g.driver(x, y, name="left out").servers([first.url, second.url])
    prompt_id = client.queue_prompt(g.prompt)
    experiment_id = experiments.start_queued(prompt_id)
    [text] = [out["text"] for out in experiments.history(prompt_id)["outputs"].values() if "text" in out]
    note = " ".join(text)
    assert f"server {second.url} is left out" in note and f"ckpt_name '{CKPT_B}'" in note, note
    manifest = experiments.wait(experiment_id, timeout=240)
    assert manifest["counts"] == {"done": 4}
    assert second.url not in workers_of(manifest)
    status = client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))
    [shown] = [w for w in status["workers"] if w["url"] == second.url]
    assert shown["state"] == "left_out" and CKPT_B in shown["last_error"]
    [left_out] = events(master, "worker_left_out", experiment_id)
    assert left_out["worker"] == second.url and CKPT_B in left_out["reason"]


def test_no_server_able_to_run_it_refuses_the_experiment_before_any_cell(cluster):
    master, _, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    g = sd_graph(CKPT_B, size=32)
    x = g.axis("4, 7", [("3", "cfg")])
    g.driver(x, name="nowhere").servers([second.url], include_this_server=False)
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    error = experiments.plan_error(g.prompt)
    assert "no server can run this experiment" in error and second.url in error and CKPT_B in error
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before
    assert not ComfyClient(second.url).queue_state().held


def test_kill_9_of_a_worker_mid_run_loses_no_cell_and_runs_none_twice_then_it_rejoins(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    experiment_id = experiments.start(sweep(10, 8, size=1024, name="worker dies")
                                      .servers([first.url, second.url]).prompt)
    route = P.ROUTE_MANIFEST.format(experiment_id=experiment_id)
    wait_until(lambda: workers_of(client.get(route))[first.url] >= 3, what="worker 1 done with 3 cells")
    first.kill9()
    killed_at = time.time()
    # its cells in flight go elsewhere; it comes back on its port while the run goes on
    wait_until(lambda: [w for w in client.get(P.ROUTE_HEALTH)["workers"]
                        if w["url"] == first.url and w["state"] == "down"], timeout=30, what="worker 1 down")
    restart(first)
    manifest = experiments.wait(experiment_id, timeout=240)
    assert manifest["counts"] == {"done": 80}
    [down] = events(master, "worker_down", experiment_id)
    assert down["worker"] == first.url and down["cells_sent_again"], down
    cells = {c["index"]: c for c in manifest["cells"]}
    for index in down["cells_sent_again"]:  # re-run elsewhere (or on worker 1 after it came back)
        assert cells[index]["status"] == "done"
    assert events(master, "worker_up", experiment_id), "worker 1 did not rejoin"
    after = [c for c in manifest["cells"] if c["worker"] == first.url and c["finished_at"] > killed_at + 1]
    assert after, "worker 1 rejoined but got no cell"
    # none twice: no cell succeeded on two live servers, and the survivors ran each of theirs once
    survivors = [cells_run_on(ComfyClient(h.url), experiment_id) for h in (master, first, second)]
    total = sum(survivors, Counter())
    assert set(total.values()) == {1}, total
    for runs, host in zip(survivors, (master, first, second)):
        assert {i for i in runs} == {c["index"] for c in manifest["cells"] if c["worker"] == host.url
                                     and (host is not first or c["finished_at"] > killed_at)}


def test_a_worker_busy_with_other_prompts_gets_fewer_cells(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    load_with(ComfyClient(second.url), 6)  # someone else's slow prompts, ahead of ours
    manifest = experiments.run(sweep(6, 6, name="busy worker").servers([first.url, second.url]).prompt,
                               timeout=240)
    ran = workers_of(manifest)
    assert sum(ran.values()) == 36
    assert ran[second.url] < ran[first.url] and ran[second.url] < ran[master.url], ran


def test_cancel_with_cells_on_several_workers_leaves_every_queue_empty(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    experiment_id = experiments.start(
        sweep(10, 10, size=1024, name="cancelled").servers([first.url, second.url]).prompt)

    def busy_everywhere():
        workers = {w["url"]: w["in_flight"] for w in client.get(P.ROUTE_HEALTH)["workers"]}
        return all(workers.get(h.url, 0) > 0 for h in (first, second))
    wait_until(busy_everywhere, timeout=60, what="cells on both workers")
    answer = client.post(P.ROUTE_CANCEL.format(experiment_id=experiment_id), {})
    assert answer["status"] == "cancelled" and answer["cancelled"] > 0
    for host in cluster:
        state = ComfyClient(host.url).queue_state()
        assert not state.pending, f"{host.url} still holds {sorted(state.pending)}"
    wait_until(lambda: not any(ComfyClient(h.url).queue_state().running for h in cluster), timeout=30,
               what="nothing running anywhere")
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert manifest["status"] == "cancelled" and manifest["counts"].get("queued", 0) == 0


def test_master_kill_9_with_remote_cells_in_flight_then_resume_adopts_what_the_workers_finished(cluster):
    master, first, second = cluster
    client = ComfyClient(master.url)
    experiments = Experiments(master, client)
    experiment_id = experiments.start(
        sweep(8, 6, size=1024, name="master dies").servers([first.url, second.url]).prompt)
    route = P.ROUTE_MANIFEST.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["counts"].get("done", 0) >= 6, what="6 cells done")

    def remote_in_flight():
        workers = {w["url"]: w["in_flight"] for w in client.get(P.ROUTE_HEALTH)["workers"]}
        return workers.get(first.url, 0) > 0 and workers.get(second.url, 0) > 0
    wait_until(remote_in_flight, timeout=30, what="cells in flight on both workers")
    master.kill9()
    db = master.output_dir / P.OUTPUT_SUBFOLDER / DB_NAME
    with sqlite3.connect(db) as conn:
        sent = dict(conn.execute(
            "SELECT \"index\", prompt_id FROM cells WHERE experiment_id = ? AND status = 'queued' AND worker IN (?, ?)",
            (experiment_id, first.url, second.url)).fetchall())
    assert sent, "no remote cell was in flight at the kill"
    wait_until(lambda: not ComfyClient(first.url).queue_state().held and not ComfyClient(second.url).queue_state().held,
               timeout=60, what="the workers finished what they had")
    restart(master)
    assert client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))["status"] == "interrupted"
    client.post(P.ROUTE_RESUME.format(experiment_id=experiment_id), {})
    manifest = experiments.wait(experiment_id, timeout=240)
    assert manifest["counts"] == {"done": 48}
    cells = {c["index"]: c for c in manifest["cells"]}
    finished_remotely = {i for h in (first, second) for i in cells_run_on(ComfyClient(h.url), experiment_id)}
    adopted = {i for i, prompt_id in sent.items() if cells[i]["prompt_id"] == prompt_id}
    assert adopted and adopted <= finished_remotely  # brought home under the prompt id sent before the kill
    total = sum((cells_run_on(ComfyClient(h.url), experiment_id) for h in (first, second)), Counter())
    assert set(total.values()) == {1}, total  # no remote cell ran twice
