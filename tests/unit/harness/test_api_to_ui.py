"""API prompts -> UI-format workflows, and round trips (harness.api_to_ui)."""
from __future__ import annotations

import json

import pytest

from harness.api_to_ui import api_to_ui, output_names_from_object_info
from workflow_fixtures import OBJECT_INFO, SPECS, TXT2IMG, strip_meta
from xyz_studio.workflow import WorkflowFormatError, ui_to_api

# --------------------------------------------------------------------------- API -> UI


def test_api_to_ui_structure():
    ui = api_to_ui(TXT2IMG, SPECS, output_names_from_object_info(OBJECT_INFO))
    assert ui["version"] == 0.4 and ui["groups"] == [] and ui["config"] == {} and ui["extra"] == {}
    assert ui["last_node_id"] == 9 and ui["last_link_id"] == len(ui["links"]) == 9
    json.dumps(ui)  # plain JSON
    by_id = {n["id"]: n for n in ui["nodes"]}
    assert set(by_id) == {3, 4, 5, 6, 7, 8, 9}

    ks = by_id[3]
    assert ks["widgets_values"] == [42, "fixed", 20, 7.5, "euler", "karras", 1.0]
    assert [i["name"] for i in ks["inputs"]] == ["model", "positive", "negative", "latent_image"]
    assert ks["properties"] == {"Node name for S&R": "KSampler"}
    assert ks["mode"] == 0 and ks["flags"] == {} and "title" not in ks
    assert by_id[6]["title"] == "Positive"
    assert [o["name"] for o in by_id[4]["outputs"]] == ["MODEL", "CLIP", "VAE"]

    # Every link agrees with the input and output slots that reference it.
    for link_id, origin, o_slot, target, t_slot, typ in ui["links"]:
        assert by_id[target]["inputs"][t_slot]["link"] == link_id
        assert link_id in by_id[origin]["outputs"][o_slot]["links"]
        assert typ == by_id[origin]["outputs"][o_slot]["type"]

    # Columns by depth, dependencies left of dependants; order is a topological order.
    x = {n["id"]: n["pos"][0] for n in ui["nodes"]}
    step = 320 + 200  # a column's width and the gap after it
    assert x[4] == x[5] == 0 and x[6] == x[7] == step and x[3] == 2 * step and x[9] == 4 * step
    order = {n["id"]: n["order"] for n in ui["nodes"]}
    assert order[4] < order[6] < order[3] < order[8] < order[9]
    # Nodes in one column do not overlap.
    col = sorted((n["pos"][1], n["size"][1]) for n in ui["nodes"] if n["pos"][0] == step)
    assert col[0][0] + col[0][1] < col[1][0]


def test_api_to_ui_output_names_from_object_info():
    prompt = {"1": {"class_type": "TestForce", "inputs": {"mode": "fast"}}}
    ui = api_to_ui(prompt, SPECS, output_names_from_object_info(OBJECT_INFO))
    assert [(o["name"], o["type"]) for o in ui["nodes"][0]["outputs"]] == [("image", "IMAGE"),
                                                                           ("mask", "MASK")]
    ui = api_to_ui(prompt, SPECS)
    assert [o["name"] for o in ui["nodes"][0]["outputs"]] == ["IMAGE", "MASK"]


def test_api_to_ui_linked_widget_and_combo_control():
    prompt = {
        "1": {"class_type": "SeedSource", "inputs": {"value": 3}},
        "2": {"class_type": "KSampler", "inputs": {
            "seed": ["1", 0], "steps": 2, "cfg": 1.0, "sampler_name": "euler",
            "scheduler": "normal", "denoise": 1.0}},
        "3": {"class_type": "PickOne", "inputs": {"choice": "z", "count": 2}},
    }
    ui = api_to_ui(prompt, SPECS)
    ks = next(n for n in ui["nodes"] if n["id"] == 2)
    seed_input = ks["inputs"][-1]
    assert seed_input == {"name": "seed", "type": "INT", "link": 1, "widget": {"name": "seed"}}
    assert ui["links"] == [[1, 1, 0, 2, 4, "INT"]]
    assert ks["widgets_values"][:2] == [0, "fixed"]        # placeholder: the spec default
    pick = next(n for n in ui["nodes"] if n["id"] == 3)
    assert pick["widgets_values"] == ["z", "fixed", "", 2]


def test_api_to_ui_errors():
    with pytest.raises(WorkflowFormatError, match=r"node 1 \(Nope\).*unknown node type"):
        api_to_ui({"1": {"class_type": "Nope", "inputs": {}}}, SPECS)
    with pytest.raises(WorkflowFormatError, match=r"node 2 .*images.*node 9"):
        api_to_ui({"2": {"class_type": "SaveImage", "inputs": {"images": ["9", 0]}}}, SPECS)
    with pytest.raises(WorkflowFormatError, match=r"not declared"):
        api_to_ui({"1": {"class_type": "SeedSource", "inputs": {"value": 1, "bogus": 2}}}, SPECS)
    with pytest.raises(WorkflowFormatError, match=r"cycle"):
        api_to_ui({"1": {"class_type": "ImageBlur", "inputs": {"image": ["2", 0]}},
                   "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0]}}}, SPECS)


# --------------------------------------------------------------------------- round trips


ROUND_TRIPS = {
    "txt2img": TXT2IMG,
    "no_meta": strip_meta(TXT2IMG),
    "blur": {
        "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1,
                                                     "color": 0}},
        "2": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 3,
                                                    "sigma": 1.0}},
        "3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "b"}},
    },
    "linked_widgets_and_force_input": {
        "10": {"class_type": "SeedSource", "inputs": {"value": 3}},
        "11": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1,
                                                      "color": ["10", 0]}},
        "12": {"class_type": "TestForce", "inputs": {"image": ["11", 0], "factor": ["10", 0],
                                                     "mode": "slow", "label": "hi"}},
        "13": {"class_type": "TestForce", "inputs": {"image": ["12", 0], "mask": ["12", 1],
                                                     "mode": "fast", "strength": 0.1}},
        "14": {"class_type": "PickOne", "inputs": {"choice": "y", "count": ["10", 0]}},
        "15": {"class_type": "RandomNoise", "inputs": {"noise_seed": 2**63}},
        "16": {"class_type": "MultiList", "inputs": {"items": {"__value__": ["a", "b"]}}},
    },
    "odd_ids_and_titles": {
        "a": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1,
                                                     "color": 0}, "_meta": {"title": "src"}},
        "007": {"class_type": "ImageBlur", "inputs": {"image": ["a", 0], "blur_radius": 1,
                                                      "sigma": 0.5}, "_meta": {"title": "Image Blur"}},
        "12:3": {"class_type": "SaveImage", "inputs": {"images": ["007", 0],
                                                       "filename_prefix": "z"}},
    },
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip(name):
    prompt = ROUND_TRIPS[name]
    ui = api_to_ui(prompt, SPECS, output_names_from_object_info(OBJECT_INFO))
    ui = json.loads(json.dumps(ui))       # as written to and read from a .json file
    back = ui_to_api(ui, SPECS)
    assert {k: {kk: vv for kk, vv in v.items() if kk != "_meta" or "_meta" in prompt[k]}
            for k, v in back.items()} == prompt
    assert ui_to_api(api_to_ui(back, SPECS), SPECS) == back   # and again, with _meta


def test_round_trip_through_ui_edits():
    """The UI graph produced is one the converter reads like an edited one: mute and bypass."""
    ui = api_to_ui(ROUND_TRIPS["blur"], SPECS)
    blur = next(n for n in ui["nodes"] if n["type"] == "ImageBlur")
    blur["mode"] = 4
    assert ui_to_api(ui, SPECS)["3"]["inputs"]["images"] == ["1", 0]
    blur["mode"] = 2
    assert "images" not in ui_to_api(ui, SPECS)["3"]["inputs"]


def test_round_trip_with_absent_optional_widget_in_the_middle():
    prompt = {"1": {"class_type": "TestForce", "inputs": {"mode": "fast", "label": "x"}}}
    ui = api_to_ui(prompt, SPECS)
    assert ui["nodes"][0]["widgets_values"] == ["fast", None, "x"]
    assert strip_meta(ui_to_api(ui, SPECS)) == prompt
