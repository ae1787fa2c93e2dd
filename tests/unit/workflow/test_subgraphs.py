"""Subgraphs flattened as the frontend's graphToPrompt does (xyz_studio.workflow.ui_to_api):
execution ids ``outer:inner``, promoted widgets, links across the boundary, mute and bypass."""
from __future__ import annotations

import pytest

from workflow_fixtures import SPECS, node, strip_meta, workflow
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.workflow import WorkflowFormatError, ui_to_api
from xyz_studio.workflow.dialect import FrontendDialect, NewerFrontendRequired

INNER = "11111111-1111-4111-8111-111111111111"
OUTER = "22222222-2222-4222-8222-222222222222"


def link(id, origin, origin_slot, target, target_slot, type):
    return {"id": id, "origin_id": origin, "origin_slot": origin_slot, "target_id": target,
            "target_slot": target_slot, "type": type}


def io(name, type, link_ids):
    return {"id": name, "name": name, "type": type, "linkIds": link_ids}


def nested(container_mode=0, radius_widgets=(7,)):
    """EmptyImage(1) -> [outer 10: [inner 20: ImageBlur(5)]] -> SaveImage(3); ImageBlur's
    blur_radius is promoted through both subgraphs (outer's "radius" input)."""
    inner = {"id": INNER, "name": "inner",
             "inputs": [io("image", "IMAGE", [1]), io("blur_radius", "INT", [2])],
             "outputs": [io("IMAGE", "IMAGE", [3])],
             "nodes": [node(5, "ImageBlur", [3, 1.5], inputs=[("image", "IMAGE", 1), ("blur_radius", "INT", 2, True)],
                            outputs=[("IMAGE", "IMAGE", [3])])],
             "links": [link(1, -10, 0, 5, 0, "IMAGE"), link(2, -10, 1, 5, 1, "INT"), link(3, 5, 0, -20, 0, "IMAGE")]}
    outer = {"id": OUTER, "name": "outer",
             "inputs": [io("image", "IMAGE", [11]), io("radius", "INT", [12])],
             "outputs": [io("IMAGE", "IMAGE", [13])],
             "nodes": [node(20, INNER, [4], inputs=[("image", "IMAGE", 11), ("blur_radius", "INT", 12, True)],
                            outputs=[("IMAGE", "IMAGE", [13])])],
             "links": [link(11, -10, 0, 20, 0, "IMAGE"), link(12, -10, 1, 20, 1, "INT"),
                       link(13, 20, 0, -20, 0, "IMAGE")]}
    wf = workflow([node(1, "EmptyImage", [64, 48, 1, 255], outputs=[("IMAGE", "IMAGE", [1])]),
                   node(10, OUTER, list(radius_widgets), inputs=[("image", "IMAGE", 1), ("radius", "INT", None, True)],
                        outputs=[("IMAGE", "IMAGE", [2])], mode=container_mode),
                   node(3, "SaveImage", ["blur"], inputs=[("images", "IMAGE", 2)])],
                  [[1, 1, 0, 10, 0, "IMAGE"], [2, 10, 0, 3, 0, "IMAGE"]])
    wf["definitions"] = {"subgraphs": [inner, outer]}
    return wf


def test_nested_subgraph_is_flattened_with_execution_ids_and_the_outer_promoted_value():
    assert strip_meta(ui_to_api(nested(), SPECS)) == {
        "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 48, "batch_size": 1, "color": 255}},
        "10:20:5": {"class_type": "ImageBlur", "inputs": {"image": ["1", 0], "blur_radius": 7, "sigma": 1.5}},
        "3": {"class_type": "SaveImage", "inputs": {"images": ["10:20:5", 0], "filename_prefix": "blur"}},
    }


def test_a_promoted_widget_without_a_saved_value_keeps_the_inner_one():
    assert ui_to_api(nested(radius_widgets=()), SPECS)["10:20:5"]["inputs"]["blur_radius"] == 4


@pytest.mark.parametrize("mode", [2, 4])
def test_a_muted_or_bypassed_container_is_not_opened(mode):
    # 1.58 leaves a muted instance's nodes out, and wires a bypassed one through (its IMAGE input)
    prompt = ui_to_api(nested(container_mode=mode), SPECS)
    assert set(prompt) == {"1", "3"}
    assert prompt["3"]["inputs"].get("images") == (["1", 0] if mode == 4 else None)


@pytest.mark.parametrize("mode", [2, 4])
def test_a_muted_or_bypassed_container_needs_a_newer_frontend_than_1_32(mode):
    # 1.32's graphToPrompt still queues the nodes inside it
    with pytest.raises(NewerFrontendRequired, match=r"would run node 10:20:5 \(ImageBlur\).*Update ComfyUI"):
        ui_to_api(nested(container_mode=mode), SPECS, FrontendDialect.V1_32)


def test_the_dialect_follows_the_served_frontend_version():
    assert FrontendDialect.for_version("1.32.9") is FrontendDialect.V1_32
    assert FrontendDialect.for_version("1.40.1") is FrontendDialect.V1_32   # unverified: the older reading
    assert FrontendDialect.for_version("v1.58.1") is FrontendDialect.V1_58
    assert FrontendDialect.for_version("1.60") is FrontendDialect.V1_58
    assert FrontendDialect.for_version("1.20.0") is FrontendDialect.V1_32
    with pytest.raises(WorkflowFormatError, match="'newest' is not like 1.32.9"):
        FrontendDialect.for_version("newest")


def test_a_workflow_both_frontends_read_alike_converts_the_same_in_both_dialects():
    assert ui_to_api(nested(), SPECS, FrontendDialect.V1_32) == ui_to_api(nested(), SPECS, FrontendDialect.V1_58)


def test_a_bypassed_node_inside_a_subgraph_is_wired_through_across_the_boundary():
    wf = nested()
    wf["definitions"]["subgraphs"][0]["nodes"][0]["mode"] = 4
    prompt = ui_to_api(wf, SPECS)
    assert set(prompt) == {"1", "3"} and prompt["3"]["inputs"]["images"] == ["1", 0]


def test_an_outer_link_into_a_promoted_input_wins_over_the_widget():
    wf = nested()
    wf["nodes"].append(node(7, "PrimitiveNode", [9], outputs=[("INT", "INT", [5])]))
    wf["nodes"][1]["inputs"][1]["link"] = 5
    wf["links"].append([5, 7, 0, 10, 1, "INT"])
    assert ui_to_api(wf, SPECS)["10:20:5"]["inputs"]["blur_radius"] == 9


def test_a_subgraph_containing_itself_is_an_error_naming_it():
    wf = nested()
    wf["definitions"]["subgraphs"][0]["nodes"][0]["type"] = OUTER
    with pytest.raises(WorkflowFormatError, match="outer.*contains itself"):
        ui_to_api(wf, SPECS)


def test_an_unknown_node_inside_a_subgraph_is_named_with_its_execution_id():
    wf = nested()
    wf["definitions"]["subgraphs"][0]["nodes"][0]["type"] = "FancyBlur"
    with pytest.raises(WorkflowFormatError, match=r"node 10:20:5 \(FancyBlur\) in subgraph 'inner'.*FancyBlur"):
        ui_to_api(wf, SPECS)


LOAD_3D = parse_node_spec("Load3D", {
    "input": {"required": {"model_file": [["toy.glb"], {"file_upload": True}], "image": ["LOAD_3D", {}],
                           "width": ["INT", {"default": 1024}], "height": ["INT", {"default": 1024}]}},
    "input_order": {"required": ["model_file", "image", "width", "height"]},
    "output": ["IMAGE"], "display_name": "Load 3D", "category": "3d"})


def test_load3d_buttons_hold_places_in_widgets_values_and_image_is_kept():
    # as saved by the frontend: model_file, three buttons (load3d.ts), image, width, height
    wf = workflow([node(13, "Load3D", ["toy.glb", "upload3dmodel", "uploadExtraResources", "clear", "", 640, 480])],
                  [])
    assert ui_to_api(wf, {"Load3D": LOAD_3D})["13"]["inputs"] == {
        "model_file": "toy.glb", "image": "", "width": 640, "height": 480}


def test_positions_win_over_widgets_values_named():
    # the frontends restore by position unless the experimental Comfy.Workflow.NamedValuesRestore is on
    wf = workflow([node(2, "ImageBlur", [3], inputs=[("image", "IMAGE", None)])], [])
    wf["nodes"][0]["widgets_values_named"] = {"blur_radius": 5, "sigma": 2.0}
    assert ui_to_api(wf, SPECS)["2"]["inputs"] == {"blur_radius": 3, "sigma": 2.0}
