"""On the real test host (ComfyUI 0.3.75, which has no job API): the client finds the job API
absent and falls back to GET /queue, POST /queue {"delete"}, /interrupt and /history; nothing
depends on a history entry still being there (ComfyUI keeps 10,000 and forgets older ones
silently, or a restart forgets them all); boxed list widget values {"__value__": [...]} reach
ComfyUI as it takes them. The job API's own parsing and the client's use of it are in
tests/unit/comfyui/test_jobs_api.py (the newest ComfyUI, which has it, is not on PyPI)."""
from __future__ import annotations

import json
import time
import uuid

import pytest
from PIL import Image

from harness.experiments import FinishedBefore, wait_until
from harness.graphs import image_graph, sd_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient, ComfyError
from xyz_studio.errors import WorkflowRejected
from xyz_studio.runner import wait_for_plan

CKPT = "tiny_sd15_a.safetensors"


def slow_prompt(color: int) -> dict:
    """A plain prompt of its own (no cache hit) that takes a moment on the CPU."""
    prompt = image_graph(size=512, assembler=False).prompt
    prompt["1"]["inputs"]["color"] = color
    prompt["2"]["inputs"].update(blur_radius=31, sigma=8.0)
    prompt["3"] = {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}
    return prompt


def test_without_the_job_api_the_queue_cancel_and_lookups_fall_back(host):
    client = ComfyClient(host.url)  # a client of its own: it has not asked this server anything yet
    with pytest.raises(ComfyError) as absent:
        client.get("/api/jobs?status=pending,in_progress")
    assert absent.value.status == 404
    base = int(time.time() * 1000) % 1_000_000
    ids = [client.queue_prompt(slow_prompt(base + k)) for k in range(6)]
    state = client.queue_state()  # read from GET /queue
    assert not client.has_jobs_api()
    assert set(ids[2:]) <= state.pending
    client.cancel_prompts(ids[3:])  # POST /queue {"delete"}, then /interrupt for any of them running
    assert not client.queue_state().holds(set(ids[3:]))
    assert client.finished_entry(ids[2]) == (True, None) or client.finished_entry(ids[2])[1] is not None
    wait_until(lambda: not client.queue_state().holds(set(ids[:3])), timeout=60, what="the kept prompts to finish")
    finished = client.finished_entry(ids[0])
    assert finished[0] is False and finished[1] is not None and finished[1]["status"]["status_str"] == "success"
    for cancelled in ids[3:]:
        assert client.finished_entry(cancelled) == (False, None)  # never ran: no entry, not queued
    client.post("/history", {"delete": [ids[0]]})  # as if its entry had been evicted by the 10,000 cap
    assert client.finished_entry(ids[0]) == (False, None)
    assert client.finished_entry(str(uuid.uuid4())) == (False, None)


def test_the_runner_says_a_workflow_gone_from_the_queue_instead_of_waiting_for_its_timeout(host):
    client = ComfyClient(host.url)
    base = int(time.time() * 1000) % 1_000_000 + 7
    ahead = [client.queue_prompt(slow_prompt(base + k)) for k in range(3)]
    waited = client.queue_prompt(slow_prompt(base + 3))
    client.delete_queued([waited])  # what "clear queue" does to it in the editor
    started = time.monotonic()
    with pytest.raises(WorkflowRejected, match="gone from the server"):
        wait_for_plan(client, waited, timeout=120)
    assert time.monotonic() - started < 10
    wait_until(lambda: not client.queue_state().holds(set(ahead)), timeout=60, what="the prompts ahead to finish")


def test_resume_works_when_the_history_entries_of_its_cells_are_gone(experiments, client, host):
    g = sd_graph(CKPT)
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")])
    y = g.axis("4, 7", [("3", "cfg")])
    plan_prompt = client.queue_prompt(g.driver(x, y, name="history gone").prompt)
    experiment_id = experiments.start_queued(plan_prompt)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    wait_until(lambda: client.get(route)["done"] >= 2, step=0.01)
    client.post("/queue", {"clear": True})
    client.interrupt()
    wait_until(lambda: client.get(route)["status"] == "interrupted")
    before = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert 2 <= before["counts"].get("done", 0) < 6
    # every history entry of the experiment gone, as after a restart or once 10,000 newer prompts ran
    ours = [c["prompt_id"] for c in before["cells"] if c["prompt_id"]] + [plan_prompt]
    client.post("/history", {"delete": ours})
    assert all(client.history(pid) is None for pid in ours)
    kept = FinishedBefore(host, before)
    answer = client.post(P.ROUTE_RESUME.format(experiment_id=experiment_id), {})
    assert answer["queued"] + answer["adopted"] + len(kept.cells) == 6
    after = experiments.wait(experiment_id)
    assert after["counts"] == {"done": 6}
    assert kept.run_again(after) == []  # a finished cell is known from the pack's store, not from ComfyUI


def test_an_axis_on_a_widget_whose_value_comes_boxed_runs_through_the_real_server(experiments, host):
    """A newer frontend sends a list widget value as {"__value__": [...]}: the axis's target
    holds one, and so does an input no axis varies (kept boxed in each cell prompt: 0.3.75 unboxes
    it in validate_inputs, and a STRING input then gets the list's text)."""
    g = sd_graph(CKPT)
    g.prompt["6"]["inputs"]["text"] = {"__value__": ["a photo", "of a red cat"]}
    g.prompt["7"]["inputs"]["text"] = {"__value__": ["blurry", "low quality"]}
    x = g.axis("a cat, a dog", [("6", "text")])
    manifest = experiments.run(g.driver(x, name="boxed").prompt)
    assert manifest["counts"] == {"done": 2}
    assert ["Negative", "text", "blurry, low quality"] in [list(f.values()) if isinstance(f, dict) else f
                                                          for f in manifest["fixed"]]
    folder = experiments.folder(manifest)
    for cell, text in zip(sorted(manifest["cells"], key=lambda c: c["x"]), ["a cat", "a dog"]):
        with Image.open(folder / cell["files"][0]) as im:
            cell_prompt = json.loads(im.text["prompt"])
        assert cell_prompt["6"]["inputs"]["text"] == text
        # the cell's PNG holds the prompt as ComfyUI ran it: unboxed, then made the STRING it declares (a
        # bare list would have been taken for a link to a node "blurry" and the cell refused)
        assert cell_prompt["7"]["inputs"]["text"] == str(["blurry", "low quality"])
