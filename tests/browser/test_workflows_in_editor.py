"""The shipped workflows in the real ComfyUI editor (headless Chromium).

The editor's own conversion (graphToPrompt) of each workflow must give exactly the
prompt the workflow was defined as, and queueing from the editor must run an
experiment: this proves an axis's value output drives a widget input in the real UI.
"""
from __future__ import annotations

import json

import pytest
from editor import load, queue_and_wait

from harness.example_workflows import MODEL_FREE, WORKFLOWS
from xyz_studio import protocol as P


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_editor_loads_the_workflow_and_queues_exactly_its_prompt(page, name):
    workflow = load(page, name)
    count = page.evaluate("() => window.app.graph.nodes.length")
    assert count == len(workflow["nodes"])
    produced = page.evaluate("async () => (await window.app.graphToPrompt()).output")
    expected = WORKFLOWS[name]().prompt
    assert {k: v["inputs"] for k, v in produced.items()} == {k: v["inputs"] for k, v in expected.items()}
    assert {k: v["class_type"] for k, v in produced.items()} == {k: v["class_type"] for k, v in expected.items()}
    assert page.js_errors == []


def test_queueing_from_the_editor_runs_an_experiment(page, editor_client, tmp_path):
    client = editor_client
    experiment = queue_and_wait(page, client, MODEL_FREE)
    assert experiment["name"] == "Model-free: colour x blur"
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment["id"]))
    assert manifest["counts"] == {"done": 12}
    # the grid embeds the editor's workflow, so dropping it on ComfyUI restores the experiment
    status = client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment["id"]))
    grid = status["folder"] + "/" + status["grids"][0]["file"]
    from PIL import Image

    with Image.open(grid) as im:
        embedded = json.loads(im.text["workflow"])
    assert any(n["type"] == P.NODE_DRIVER for n in embedded["nodes"])
    page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / f"editor_after_run_{page.frontend}.png"))
