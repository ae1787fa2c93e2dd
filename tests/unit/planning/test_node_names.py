"""Nodes inside nested subgraphs are named by their subgraph path (the titles of the instances
they sit in), read from the editor workflow queued with the prompt."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_plan import SPECS, graph

from xyz_studio import protocol as P
from xyz_studio.errors import PlanError
from xyz_studio.planning.node_names import NodeNames, subgraph_path
from xyz_studio.planning.plan import AxisRequest, Target
from xyz_studio.planning.planner import plan_experiment

# Made by the real editor (1.58.1) with its own convert-to-subgraph, twice: harness/make_nested_subgraph.py
NESTED = json.loads((Path(__file__).parents[2] / "fixtures" / "nested_subgraph.json").read_text())


def test_the_path_is_read_from_the_saved_workflow_outermost_first():
    assert subgraph_path(NESTED, "103:102:3") == ("Sampler", "Inner")
    assert subgraph_path(NESTED, "103:8") == ("Sampler",)
    assert subgraph_path(NESTED, "9") == ()


def test_an_instance_without_a_title_is_named_by_its_subgraph_then_by_its_id():
    untitled = json.loads(json.dumps(NESTED))
    outer = next(n for n in untitled["nodes"] if n["id"] == 103)
    del outer["title"]
    assert subgraph_path(untitled, "103:102:3") == ("Sampler", "Inner")  # the definition's name
    assert subgraph_path(untitled, "103:77:3") == ("Sampler", "#77")     # no such inner instance
    assert subgraph_path(None, "103:102:3") == ("#103", "#102")           # an API prompt queued alone


def nested_prompt():
    """test_plan's graph with its sampler and the grid's source two subgraphs deep."""
    prompt = graph()
    prompt["103:102:3"] = prompt.pop("3")
    prompt["9"]["inputs"]["image"] = ["103:102:3", 0]
    return prompt


def workflow():
    """The instances 103 ("Sampler") and, in its subgraph, 102 ("Inner"), as the editor saves them."""
    return {"nodes": [{"id": 103, "type": "sg-outer", "title": "Sampler"}],
            "definitions": {"subgraphs": [
                {"id": "sg-outer", "name": "Outer", "nodes": [{"id": 102, "type": "sg-inner"}]},
                {"id": "sg-inner", "name": "Inner", "nodes": [{"id": 3, "type": "Sampler"}]}]}}


def test_labels_name_the_node_behind_its_path_and_a_root_input_keeps_its_short_name():
    names = NodeNames.of(nested_prompt(), SPECS, workflow())
    assert names.label("103:102:3") == "Sampler › Inner › Sampler #103:102:3"
    assert names.input(Target("103:102:3", "cfg")) == "Sampler › Inner › Sampler · cfg"
    assert names.input(Target("2", "text")) == "text"
    assert names.label("2") == "Encode #2"


def test_an_axis_into_a_nested_widget_is_titled_with_its_path_and_the_footer_names_it_too():
    prompt = nested_prompt()
    prompt["100"] = {"class_type": P.NODE_AXIS, "inputs": {"values": "4, 7"}}
    prompt["103:102:3"]["inputs"]["cfg"] = ["100", 1]
    x = AxisRequest(node_id="100", values="4, 7", mode="values")
    plan = plan_experiment(prompt, "90", {"x": x}, SPECS, 100, workflow=workflow())
    [axis] = plan.axes
    assert axis.title == "Sampler › Inner › Sampler · cfg"
    assert axis.all_targets() == (Target("103:102:3", "cfg"),)
    assert plan.cell_prompt(1)["103:102:3"]["inputs"]["cfg"] == 7.0
    # without the workflow (an API prompt), the instances are named by their ids
    assert plan_experiment(prompt, "90", {"x": x}, SPECS, 100).axes[0].title == "#103 › #102 › Sampler · cfg"


def test_a_bad_value_for_a_nested_widget_names_the_node_by_its_path():
    prompt = nested_prompt()
    prompt["100"] = {"class_type": P.NODE_AXIS, "inputs": {"values": "4, 99"}}
    prompt["103:102:3"]["inputs"]["cfg"] = ["100", 1]
    x = AxisRequest(node_id="100", values="4, 99", mode="values")
    with pytest.raises(PlanError) as e:
        plan_experiment(prompt, "90", {"x": x}, SPECS, 100, workflow=workflow())
    assert "99" in str(e.value) and "Sampler › Inner › Sampler #103:102:3 cfg" in str(e.value)
