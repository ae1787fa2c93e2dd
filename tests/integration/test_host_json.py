"""What the pack hands to ComfyUI stays strict JSON: the queue, the history and the pack's
own routes parse with a parser that rejects NaN and Infinity, while XYZ prompts are
queued, running and finished. (Python's json accepts NaN; browsers do not.)"""
from __future__ import annotations

import json
import time
import urllib.request

from harness.graphs import sd_graph
from xyz_studio import protocol as P

CKPT = "tiny_sd15_a.safetensors"


def _reject(constant: str):
    raise ValueError(f"not JSON: {constant}")


def strict_get(host, path: str):
    with urllib.request.urlopen(host.url + path, timeout=30) as answer:
        text = answer.read().decode("utf-8")
    return json.loads(text, parse_constant=_reject)


def test_the_strict_reader_rejects_what_python_accepts():
    for text in ("NaN", '{"is_changed": [NaN]}', "[Infinity]", "-Infinity"):
        try:
            json.loads(text, parse_constant=_reject)
        except ValueError:
            continue
        raise AssertionError(f"{text} was accepted")


def _read_everything(host, experiment_id: str, prompt_ids: list[str]) -> dict:
    seen = {"queue": strict_get(host, "/queue"), "history": strict_get(host, "/history?max_items=200")}
    for prompt_id in prompt_ids:
        seen[prompt_id] = strict_get(host, f"/history/{prompt_id}")
    for route in (P.ROUTE_EXPERIMENTS, P.ROUTE_EXPERIMENT, P.ROUTE_MANIFEST):
        seen[route] = strict_get(host, route.format(experiment_id=experiment_id))
    return seen


def test_queue_history_and_pack_routes_stay_strict_json_while_queued_running_and_finished(host, client,
                                                                                            experiments):
    g = sd_graph(CKPT)
    x = g.axis("12, 13, 14, 15", [("3", "steps")])   # a few hundred ms per cell: queued and running meet
    y = g.axis("5, 7", [("3", "cfg")])
    plan_id = client.queue_prompt(g.driver(x, y, name="strict json").prompt)
    experiment_id = experiments.start_queued(plan_id)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    during = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        queue = strict_get(host, "/queue")
        if queue["queue_running"] and queue["queue_pending"]:
            cells = [c["prompt_id"] for c in strict_get(host, P.ROUTE_MANIFEST.format(
                experiment_id=experiment_id))["cells"]]
            during = _read_everything(host, experiment_id, [plan_id, *cells])
            break
        time.sleep(0.02)
    assert during is not None, "never saw XYZ prompts running and pending at once"
    held = {item[1] for item in during["queue"]["queue_running"] + during["queue"]["queue_pending"]}
    assert held & set(cells), "the queue read while running holds the experiment's cells"
    assert during[plan_id][plan_id]["prompt"][2]  # the queued workflow is in the history, fingerprints included

    manifest = experiments.wait(experiment_id)
    assert manifest["counts"] == {"done": 8}
    status = client.get(route)
    after = _read_everything(host, experiment_id, [plan_id, status["final_prompt_id"],
                                                   *(c["prompt_id"] for c in manifest["cells"])])
    history = after["history"]
    assert {plan_id, status["final_prompt_id"]} <= set(history)
    # the prompts the pack posted carry no fingerprint annotations copied from the queued workflow
    ours = {status["final_prompt_id"], *(c["prompt_id"] for c in manifest["cells"])}
    assert all("is_changed" not in node for pid in ours for node in history[pid]["prompt"][2].values())
