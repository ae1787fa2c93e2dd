"""A wrong XYZ workflow is refused by POST /prompt itself, on the node at fault.

ComfyUI's `node_errors` answer is what both editors draw as an outline on a node with the
message beside it (and what the runner prints): the pack's message (node, input, value,
expected) must arrive there, on the axis with the typo, not as a Grid Driver that
"threw an error during execution". Bypassed and muted nodes an axis drives are named.
"""
from __future__ import annotations

import re

import pytest
from test_validation import CASES

from harness.api_to_ui import editor_workflow
from harness.graphs import DRIVER_ID, image_graph, sd_graph
from xyz_studio import protocol as P

CKPT = "tiny_sd15_a.safetensors"
BYPASS, MUTE = 4, 2


def nothing_ran(client, before: int) -> None:
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before
    queue = client.queue()
    assert queue["queue_pending"] == [] and queue["queue_running"] == []
    assert client.get("/system_stats")["system"]  # still serving


def only_error(errors: dict[str, list[dict]], node_id: str) -> dict:
    assert list(errors) == [node_id], errors
    [error] = errors[node_id]
    assert error["type"] == "custom_validation_failed"
    return error


def test_a_typo_is_refused_on_the_axis_with_the_packs_message(experiments, client):
    g = sd_graph(CKPT)
    x = g.axis("euler, eulr", [("3", "sampler_name")])
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    error = only_error(experiments.refusal(g.driver(x).prompt), x)
    assert error["extra_info"]["input_name"] == "values"
    assert error["details"].startswith(f'values - XYZ Axis #{x}, input "values": got "eulr"; expected one of: ')
    assert "did you mean" in error["details"] and "euler" in error["details"]
    assert "Traceback" not in str(error) and "traceback" not in error["extra_info"]
    nothing_ran(client, before)


def test_a_graph_level_problem_is_refused_on_the_grid_driver(experiments, client):
    g = sd_graph(CKPT)
    x = g.axis("1-20", [("3", "steps")])
    y = g.axis("1-10", [("3", "seed")])
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    error = only_error(experiments.refusal(g.driver(x, y, max_cells=100).prompt), DRIVER_ID)
    assert error["extra_info"]["input_name"] == "x"
    assert f'Grid Driver #{DRIVER_ID}, input "max_cells": got "200"; expected at most 100 cells' in error["details"]
    nothing_ran(client, before)


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_every_plan_error_arrives_on_one_node_it_names(case, experiments, client):
    graph, expected_parts = case()
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    errors = experiments.refusal(graph.prompt)
    assert len(errors) == 1, errors
    [(node_id, [error])] = errors.items()
    details = error["details"]
    for part in expected_parts:
        assert part in details, f"{part!r} not in {details!r}"
    named = re.match(r"^\w+ - (.*?) #(\S+), input ", details)
    assert named, details
    # the node the message is about, when it is an axis of the driver; the driver otherwise
    wired = {str(v[0]) for k, v in graph.prompt[DRIVER_ID]["inputs"].items() if P.axis_slot_number(k)}
    expected = named.group(2) if named.group(2) in wired else DRIVER_ID
    assert node_id == expected, (node_id, details)
    nothing_ran(client, before)


def _sampler_graph():
    g = sd_graph(CKPT)
    x = g.axis("5, 7", [("3", "cfg")])
    y = g.axis("red cat, red dog", mode="prompt S/R")
    g.driver(x, y)
    return g, x


def _left_out(client, g, mode: int) -> tuple[dict, dict]:
    """The graph with its KSampler switched off, as the editor queues it: the prompt leaves the
    node out (bypass wires its latent through; mute drops its links), the saved workflow keeps
    it with its mode."""
    workflow = editor_workflow(client, g)
    [sampler] = [n for n in workflow["nodes"] if str(n["id"]) == "3"]
    sampler["mode"] = mode
    sampler["title"] = "Main sampler"
    prompt = {k: v for k, v in g.prompt.items() if k != "3"}
    if mode == BYPASS:
        prompt["8"]["inputs"]["samples"] = ["5", 0]
    else:
        del prompt["8"]["inputs"]["samples"]
    return prompt, {"extra_pnginfo": {"workflow": workflow}}


@pytest.mark.parametrize("mode, word, key", [(BYPASS, "bypassed", "Ctrl+B"), (MUTE, "muted", "Ctrl+M")])
def test_an_axis_driving_a_switched_off_node_names_that_node(experiments, client, mode, word, key):
    g, x = _sampler_graph()
    prompt, extra = _left_out(client, g, mode)
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    error = only_error(experiments.refusal(prompt, extra), x)
    details = error["details"]
    assert f'XYZ Axis #{x}, input "value": got "Main sampler #3 ({word})"' in details
    assert "not connected" not in details and key in details and "nothing would vary" in details
    nothing_ran(client, before)


def test_values_linked_from_another_node_are_checked_when_the_driver_runs(experiments, client):
    # what a link carries is known only when it runs: the queue accepts it, the driver refuses it
    g = image_graph()
    x = g.axis("", [("2", "blur_radius")])
    g.prompt[x]["inputs"]["values"] = ["60", 0]
    g.prompt["60"] = {"class_type": "PrimitiveString", "inputs": {"value": "1, banana"}}
    message = experiments.plan_error(g.driver(x).prompt)
    assert '"banana"' in message and f"XYZ Axis #{x}" in message and "expected" in message


def test_a_subgraph_workflow_is_read_without_failing(experiments, client):
    # the axis's execution id names a subgraph container the saved workflow does not define:
    # nothing is found there, and the plain check still refuses the typo on the axis
    g = sd_graph(CKPT)
    x = g.axis("euler, eulr", [("3", "sampler_name")], node_id="12:100")
    workflow = {"nodes": [{"id": 12, "type": "0b0e5c0e-0000-4000-8000-000000000000", "mode": 0}], "links": [],
                "definitions": {"subgraphs": [{"id": "another", "nodes": [], "links": []}]}}
    error = only_error(experiments.refusal(g.driver(x).prompt, {"extra_pnginfo": {"workflow": workflow}}), x)
    assert '"eulr"' in error["details"]
