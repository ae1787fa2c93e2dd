"""Resume and retry say the truth: complete, running, unknown and nothing-failed experiments."""
from __future__ import annotations

import subprocess

from harness.graphs import image_graph, sd_graph
from harness.host import REPO, VENV_PYTHON
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyError


def runner(host, *args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", *args, "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout)


def refused(client, route: str, experiment_id: str) -> tuple[int, dict]:
    try:
        client.post(route.format(experiment_id=experiment_id), {})
    except ComfyError as e:
        return e.status, e.body
    raise AssertionError(f"{route} was accepted")


def test_resume_and_retry_of_a_complete_experiment_say_so_and_exit_0(experiments, client, host):
    g = image_graph()
    manifest = experiments.run(g.driver(g.axis("1, 2", [("2", "blur_radius")]), name="all done").prompt)
    eid = manifest["id"]
    status, body = refused(client, P.ROUTE_RESUME, eid)
    assert status == 409 and body["reason"] == "already_complete" and "already complete" in body["error"]
    status, body = refused(client, P.ROUTE_RETRY, eid)
    assert status == 409 and body["reason"] == "no_failed_cells"
    for flag in ("--resume", "--retry-failed"):
        done = runner(host, flag, eid)
        assert done.returncode == 0, done.stderr
        assert "nothing to" in done.stderr and eid in done.stderr
        assert done.stdout.split()[-1].endswith("manifest.json")
    # nothing was queued again: the experiment is as it was
    assert client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))["cells"] == manifest["cells"]


def test_resume_of_an_unknown_experiment_exits_with_the_not_found_code(host):
    for flag in ("--resume", "--retry-failed"):
        done = runner(host, flag, "20200101-000000-abcdef")
        assert done.returncode == 4, done.stderr
        assert "no experiment '20200101-000000-abcdef'" in done.stderr


def test_resume_and_retry_of_a_running_experiment_say_it_runs_and_follow_it(experiments, client, host):
    g = sd_graph("tiny_sd15_a.safetensors")
    eid = experiments.start(g.driver(g.axis("20, 21, 22, 23", [("3", "steps")]), name="still going").prompt)
    status, body = refused(client, P.ROUTE_RESUME, eid)
    assert status == 409 and body["reason"] == "still_running"
    status, body = refused(client, P.ROUTE_RETRY, eid)
    assert status == 409 and body["reason"] == "still_running"
    followed = runner(host, "--retry-failed", eid)
    assert followed.returncode == 0, followed.stderr
    assert f"experiment {eid} is still running; following it" in followed.stderr
    assert client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 4
