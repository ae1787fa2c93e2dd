"""A search through the real server (issue 20): a Search node on the Grid Driver runs only the cells
its TPE study proposes, each an ordinary cell of the experiment. Killed with -9 mid-search and
resumed: no finished cell runs again, the cell in flight at the kill is proposed again first, and the
study goes on to its budget; every searched cell is pixel-equal to the same cell in a full sweep.
Cancel stops proposing and resume goes on to the budget. A Search node whose objective is not one
of the Grid Assembler's metrics is refused on queueing; on a server without Optuna a search is refused
before anything is recorded, saying how to install it."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image

from harness.experiments import Experiments, FinishedBefore, make_host, resume_with_the_runner, wait_until
from harness.graphs import sd_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.render.grid import OUTLINE
from xyz_studio.search import STUDY_DB_NAME, SearchSpace, load_optuna, open_search, study_name
from xyz_studio.search.steering import resolved_for
from xyz_studio.storage.store import ExperimentStore

CKPT = "tiny_sd15_a.safetensors"
SHARP, SEARCH = "40", "82"
CELLS, BUDGET = 18, 7


def sweep(name: str, objective: str | None = None):
    """cfg x steps x sampler (3 x 3 x 2), each cell scored by the pack's Sharpness node; with a
    Search node when `objective` is given (TPE, 7 cells, 2 of them a coarse first pass)."""
    g = sd_graph(CKPT, size=64, positive="a photo of a red cat")
    g.prompt[SHARP] = {"class_type": P.NODE_SHARPNESS, "inputs": {"image": ["8", 0]}}
    x = g.axis("3, 6, 9", [("3", "cfg")], title="cfg")
    y = g.axis("2, 3, 4", [("3", "steps")], title="steps")
    z = g.axis("euler, dpmpp_2m", [("3", "sampler_name")], title="sampler")
    g.driver(x, y, z, name=name)
    g.metric("metric_1", (SHARP, 0), name="sharpness")
    if objective is not None:
        g.search(objective, BUDGET, sampler="TPE", seed=3, coarse_fraction=0.3, node_id=SEARCH)
    return g


@pytest.fixture(scope="module")
def own_host(tmp_path_factory, models_dir):
    host = make_host(tmp_path_factory, models_dir, "search")
    yield host
    host.stop()


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def _study_cells(root, experiment_id: str) -> dict[int, float]:
    """The study's finished trials that are cells of their own: {cell's parameters: value}."""
    optuna = load_optuna()
    study = optuna.load_study(study_name=study_name(experiment_id), storage=f"sqlite:///{root / STUDY_DB_NAME}")
    trials = [t for t in study.get_trials(deepcopy=False) if "xyz_role" not in t.user_attrs]
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials), [t.state for t in trials]
    # parameters are the value index of each axis slot (ordered axes by rank; these are sorted already)
    return {t.params.get("x", 0) + 3 * (t.params.get("y", 0) + 3 * t.params.get("z", 0)): t.value for t in trials}


def test_a_search_survives_kill_9_and_runs_cells_equal_to_the_sweep(own_host):
    host = own_host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)

    # refused on queueing, on the Search node, naming the input, the value and the metrics there are
    errors = experiments.refusal(sweep("wrong objective", objective="sharpnes").prompt)
    assert list(errors) == [SEARCH], errors
    [message] = [e["details"] for e in errors[SEARCH]]
    assert 'Search #82, input "objective": got "sharpnes"' in message
    assert "'sharpness'" in message

    experiment_id = experiments.start(sweep("searched", objective="sharpness").prompt)
    route = P.route_path(P.ROUTE_EXPERIMENT, experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 3, step=0.01)
    host.kill9()

    host.start()
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    before = client.get(P.route_path(P.ROUTE_MANIFEST, experiment_id))
    assert before["status"] == "interrupted"
    assert before["options"]["search"] == {"objective": "sharpness", "budget": BUDGET, "sampler": "TPE", "seed": 3,
                                           "coarse_fraction": 0.3, "goal": "higher is better"}
    finished = FinishedBefore(host, before)
    in_flight = {c["index"] for c in before["cells"] if c["status"] == "queued"}
    assert 3 <= len(finished.cells) < BUDGET and len(in_flight) <= 1  # one proposal in flight on one server
    assert sum(c["status"] == "planned" for c in before["cells"]) == CELLS - len(finished.cells) - len(in_flight)

    resume_with_the_runner(host, experiment_id)
    after = experiments.wait(experiment_id)
    assert after["status"] == "complete" and after["counts"] == {"done": BUDGET, "planned": CELLS - BUDGET}
    assert finished.run_again(after) == []
    done = {c["index"]: c for c in after["cells"] if c["status"] == "done"}
    assert in_flight <= set(done)  # proposed again after the kill, and run
    assert set(finished.cells) <= set(done)
    # the study holds exactly the cells run, each with the value the store has
    root = host.output_dir / P.OUTPUT_SUBFOLDER
    assert _study_cells(root, experiment_id) == {i: c["metrics"]["sharpness"] for i, c in done.items()}
    assert [g["labels"]["z"] for g in after["grids"]] == ["euler", "dpmpp_2m"]  # a grid per sampler, as a sweep
    # the best cell is framed on its grid (the panel's gold), and nothing on the other grid is (a frame is
    # over 1,000 gold pixels; a render could have a stray one)
    best = max(done.values(), key=lambda c: (c["metrics"]["sharpness"], -c["index"]))
    framed = {g["z"]: int(np.all(_pixels(experiments.folder(after) / g["file"]) == OUTLINE, axis=-1).sum())
              for g in after["grids"]}
    assert framed.pop(best["at"]["z"]) >= 4 * 120 * 2 and all(n < 50 for n in framed.values()), (best["index"], framed)

    # each searched cell is pixel-equal to the same cell of the full sweep
    full = experiments.run(sweep("full sweep").prompt)
    assert full["counts"] == {"done": CELLS} and "search" not in full["options"]
    searched_folder, full_folder = experiments.folder(after), experiments.folder(full)
    for index, cell in done.items():
        twin = full["cells"][index]
        assert twin["labels"] == cell["labels"]
        assert np.array_equal(_pixels(searched_folder / cell["files"][0]), _pixels(full_folder / twin["files"][0]))
        assert twin["metrics"]["sharpness"] == pytest.approx(cell["metrics"]["sharpness"])

    # deleting the experiment deletes its study
    client.post(P.route_path(P.ROUTE_DELETE, experiment_id), {})
    optuna = load_optuna()
    names = [s.study_name for s in optuna.get_all_study_summaries(f"sqlite:///{root / STUDY_DB_NAME}")]
    assert study_name(experiment_id) not in names


def test_cancel_stops_proposing_and_resume_goes_on_to_the_budget(own_host):
    host = own_host.start() if own_host.proc is None or own_host.proc.poll() is not None else own_host
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    g = sweep("cancelled search")
    g.search("sharpness", 5, sampler="random", seed=11, node_id=SEARCH)
    experiment_id = experiments.start(g.prompt)
    route = P.route_path(P.ROUTE_EXPERIMENT, experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 1, step=0.01)
    client.post(P.route_path(P.ROUTE_CANCEL, experiment_id), {})
    cancelled = experiments.wait(experiment_id)
    assert cancelled["status"] == "cancelled"
    counts = cancelled["counts"]
    assert 1 <= counts["done"] < 5 and counts.get("cancelled", 0) <= 1  # at most the one in flight
    time.sleep(2)  # nothing more is proposed after the cancel
    assert client.get(P.route_path(P.ROUTE_MANIFEST, experiment_id))["counts"] == counts
    assert client.queue()["queue_pending"] == [] and client.queue()["queue_running"] == []
    done_before = {c["index"] for c in cancelled["cells"] if c["status"] == "done"}

    client.post(P.route_path(P.ROUTE_RESUME, experiment_id), {})
    resumed = experiments.wait(experiment_id)
    assert resumed["status"] == "complete" and resumed["counts"] == {"done": 5, "planned": CELLS - 5}
    assert done_before <= {c["index"] for c in resumed["cells"] if c["status"] == "done"}


def test_the_server_proposes_what_the_study_would_given_each_value_before_the_next(own_host):
    """Run on the server, a TPE search tells each cell's value before it proposes the next: replayed
    in memory with the same seed and the values the server recorded, the study proposes the same
    cells in the same order."""
    host = own_host.start() if own_host.proc is None or own_host.proc.poll() is not None else own_host
    client = ComfyClient(host.url)
    experiments = Experiments(host, client)
    g = sweep("replayed search")
    g.search("sharpness", 6, sampler="TPE", seed=5, coarse_fraction=0.0, node_id=SEARCH)
    manifest = experiments.run(g.prompt)
    ran = sorted((c for c in manifest["cells"] if c["status"] == "done"), key=lambda c: c["finished_at"])
    assert len(ran) == 6

    experiment = ExperimentStore(host.output_dir / P.OUTPUT_SUBFOLDER).experiment(manifest["id"])
    plan, settings = experiment.readable_plan, experiment.options.search
    assert settings is not None
    replay = open_search(resolved_for(plan, settings), SearchSpace.of_plan(plan), plan.run_sequence(), None, "replay")
    for cell in ran:
        proposal = replay.propose()
        assert proposal is not None and proposal.cell == cell["index"], [c["index"] for c in ran]
        replay.tell(proposal.cell, cell["metrics"]["sharpness"])
    assert replay.propose() is None  # the budget is spent, as on the server


def test_without_optuna_installed_a_search_is_refused_saying_how_to_install_it(blocked_host):
    client = ComfyClient(blocked_host.url)
    experiments = Experiments(blocked_host, client)
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    error = experiments.plan_error(sweep("no optuna", objective="sharpness").prompt)
    assert "the search mode needs Optuna, which is not installed" in error, error
    assert "python -m pip install optuna==" in error and "Traceback" not in error, error
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before  # nothing recorded, nothing queued
    queue = client.queue()
    assert queue["queue_pending"] == [] and queue["queue_running"] == []
    assert client.get("/system_stats")["system"]  # still serving
