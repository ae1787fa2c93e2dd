"""The converter's two readings of subgraphs (xyz_studio.workflow.dialect): each case is a small
hand-made graph shaped like an official template the two pinned frontends read (1.58.1 and
1.32.9), and the converter must give what that frontend queues, or, on 1.32, refuse with
NewerFrontendRequired where 1.32 reads the workflow otherwise than newer frontends."""
from __future__ import annotations

import pytest
from test_promoted_widgets import blur_subgraph, io, link

from workflow_fixtures import SPECS, node, strip_meta, workflow
from xyz_studio.api_views import served_frontend
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.workflow import WorkflowFormatError, ui_to_api
from xyz_studio.workflow.dialect import (
    DEFAULT_FRONT_END_VERSION,
    FrontendDialect,
    NewerFrontendRequired,
    served_frontend_version,
)

V1_32, V1_58 = FrontendDialect.V1_32, FrontendDialect.V1_58


def blur(wf, dialect):
    inputs = ui_to_api(wf, SPECS, dialect)["10:5"]["inputs"]
    return inputs["blur_radius"], inputs["sigma"]


# --------------------------------------------------------------------------- instance inputs


def subset_of_inputs():
    """Saved from an older definition that had blur_radius, image (3d_moge_perspective_to_mesh:
    a save lists the inputs of its time, often only some of them, in its own order)."""
    wf = blur_subgraph([2.5, 9])
    container = wf["nodes"][1]
    container["inputs"] = [container["inputs"][2], container["inputs"][0]]
    wf["links"][0][4] = 1   # the image link ends at the saved input 1
    return wf


@pytest.mark.parametrize("dialect", list(FrontendDialect))
def test_saved_instance_inputs_are_matched_to_the_subgraphs_by_name_on_both_frontends(dialect):
    prompt = ui_to_api(subset_of_inputs(), SPECS, dialect)
    assert prompt["10:5"]["inputs"]["image"] == ["1", 0]
    assert blur(subset_of_inputs(), dialect) == (9, 2.5)


# --------------------------------------------------------------------------- stale link slots


def stale_slot():
    """The subgraph input sigma's link names inner input 0 (image, no widget) though ImageBlur
    holds it on sigma (Image_capybara_v0_1_*: the subgraph was edited after the save)."""
    wf = blur_subgraph([2.5, 9])
    wf["definitions"]["subgraphs"][0]["links"][1]["target_slot"] = 0
    wf["extra"] = {"frontendVersion": "1.45.3"}
    return wf


def test_a_stale_link_slot_promotes_the_widget_of_the_input_holding_the_link_on_1_58():
    assert blur(stale_slot(), V1_58) == (9, 2.5)


def test_a_stale_link_slot_needs_a_newer_frontend_than_1_32():
    # 1.32 looks at input 0: no widget for sigma, so blur_radius takes the first saved value
    with pytest.raises(NewerFrontendRequired, match=r"saved by ComfyUI frontend 1\.45\.3.*read as 1\.32\.9.*"
                                                    r"node 10:5 \(ImageBlur\) would get blur_radius = 2\.5 where "
                                                    r"newer frontends give 9\. Update ComfyUI"):
        ui_to_api(stale_slot(), SPECS, V1_32)


JOIN_SPECS = {**SPECS, "Join": parse_node_spec("Join", {
    "input": {"required": {"string_a": ["STRING", {"multiline": True}], "string_b": ["STRING", {"multiline": True}]}},
    "input_order": {"required": ["string_a", "string_b"]}, "output": ["STRING"], "output_name": ["STRING"],
    "display_name": "Join", "category": "utils"})}


def shared_text_area():
    """A subgraph whose input string_b links to Join's string_a slot (stale) while Join holds the
    link on string_b ("Format Output" of the api_* templates); both are text areas."""
    sg_id = "44444444-4444-4444-8444-444444444444"
    definition = {"id": sg_id, "name": "format", "inputs": [io("string_b", "STRING", [1])],
                  "outputs": [io("STRING", "STRING", [2])],
                  "nodes": [node(5, "Join", ["USER: ", "x"], inputs=[("string_b", "STRING", 1, True)],
                                 outputs=[("STRING", "STRING", [2])])],
                  "links": [link(1, -10, 0, 5, 0, "STRING"), link(2, 5, 0, -20, 0, "STRING")]}
    wf = workflow([node(10, sg_id, ["hello"], inputs=[("string_b", "STRING", None, True)],
                        outputs=[("STRING", "STRING", [1])]),
                   node(3, "Join", ["a", "b"], inputs=[("string_a", "STRING", 1, True)])],
                  [[1, 10, 0, 3, 0, "STRING"]])
    wf["definitions"] = {"subgraphs": [definition]}
    return wf


def test_a_text_area_promoted_through_a_stale_slot_is_written_into_the_slots_widget_on_1_32():
    # 1.32's promoted copy shares string_a's text area: string_a gets the instance's "hello" too,
    # where 1.58 leaves it "USER: "; the readings differ, so 1.32 is refused
    assert strip_meta(ui_to_api(shared_text_area(), JOIN_SPECS, V1_58))["10:5"]["inputs"] == {
        "string_a": "USER: ", "string_b": "hello"}
    with pytest.raises(NewerFrontendRequired, match=r"node 10:5 \(Join\) would get string_a = 'hello' where "
                                                    r"newer frontends give 'USER: '"):
        ui_to_api(shared_text_area(), JOIN_SPECS, V1_32)


# --------------------------------------------------------------------------- proxyWidgets


def test_a_native_widget_shadowed_in_proxy_widgets_leaves_the_inner_value_on_1_32():
    # flux_dev_checkpoint_example: proxyWidgets names the inner widgets, nothing saved; 1.32 drops
    # the instance's own widgets, 1.58 keeps them with the inner values: the same prompt
    proxy = [["5", "sigma"], ["5", "blur_radius"]]
    assert blur(blur_subgraph([], proxy, inner_values=(3, 1.5)), V1_32) == (3, 1.5)
    assert blur(blur_subgraph([], proxy, inner_values=(3, 1.5)), V1_58) == (3, 1.5)


def quarantined():
    wf = blur_subgraph([2.5, 9])
    wf["nodes"][1]["properties"]["proxyWidgetErrorQuarantine"] = [
        {"originalEntry": ["-1", "blur_radius"], "reason": "missingSourceNode", "hostValue": 6},
        {"originalEntry": ["-1", "blur_radius"], "reason": "missingSourceNode", "hostValue": 8}]
    return wf


def test_a_quarantined_host_value_wins_on_1_58_and_needs_a_newer_frontend_than_1_32():
    # video_ltx2_i2v_lora: a newer save parks values in proxyWidgetErrorQuarantine; 1.58 gives the
    # first one for a name to that widget, 1.32 ignores the property
    assert blur(quarantined(), V1_58) == (6, 2.5)
    with pytest.raises(NewerFrontendRequired, match=r"blur_radius = 9 where newer frontends give 6"):
        ui_to_api(quarantined(), SPECS, V1_32)


# --------------------------------------------------------------------------- ids, sockets


def shared_ids():
    """The root's EmptyImage has id 5, like ImageBlur inside the subgraph (image_newbieimage_*)."""
    wf = blur_subgraph([2.5, 9])
    wf["nodes"][0]["id"] = 5
    wf["links"][0][1] = 5
    wf["last_node_id"] = 12
    return wf


def test_inner_ids_taken_by_the_root_graph_are_renumbered_on_1_58_and_kept_on_1_32():
    newer, older = ui_to_api(shared_ids(), SPECS, V1_58), ui_to_api(shared_ids(), SPECS, V1_32)
    assert sorted(newer) == ["10:13", "3", "5"] and newer["3"]["inputs"]["images"] == ["10:13", 0]
    assert sorted(older) == ["10:5", "3", "5"] and older["3"]["inputs"]["images"] == ["10:5", 0]
    assert newer["10:13"]["inputs"] == older["10:5"]["inputs"]


def undeclared_sockets():
    """ImageBlur saved by a newer version with two more linked widget sockets (CreateVideo in
    api_mirelo_video_to_sfx): the frontend drops the first and, iterating the list it removes
    from, skips the second, which keeps its link."""
    wf = blur_subgraph([2.5, 9])
    inner = wf["definitions"]["subgraphs"][0]["nodes"][0]
    inner["inputs"] += [{"name": "strength", "type": "FLOAT", "widget": {"name": "strength"}, "link": 2},
                        {"name": "gamma", "type": "FLOAT", "widget": {"name": "gamma"}, "link": 4}]
    return wf


@pytest.mark.parametrize("dialect", list(FrontendDialect))
def test_of_two_undeclared_linked_widget_sockets_the_second_is_queued(dialect):
    inputs = ui_to_api(undeclared_sockets(), SPECS, dialect)["10:5"]["inputs"]
    assert "strength" not in inputs and inputs["gamma"] == 9


def test_the_dialect_for_an_unknown_server_is_the_newest():
    assert ui_to_api(stale_slot(), SPECS) == ui_to_api(stale_slot(), SPECS, V1_58)


# --------------------------------------------------------------------------- dynamic prompts


def prompt_text(text, primitive=False):
    """CLIPTextEncode (declared with dynamicPrompts), its text in its widget or from a PrimitiveNode."""
    nodes = [node(4, "CheckpointLoaderSimple", ["a.safetensors"], outputs=[("MODEL", "MODEL", []),
                                                                             ("CLIP", "CLIP", [1])]),
             node(6, "CLIPTextEncode", [text], inputs=[("clip", "CLIP", 1)] + (
                 [("text", "STRING", 2, True)] if primitive else []))]
    links = [[1, 4, 1, 6, 0, "CLIP"]]
    if primitive:
        nodes.append(node(7, "PrimitiveNode", [text], outputs=[("STRING", "STRING", [2])]))
        links.append([2, 7, 0, 6, 1, "STRING"])
    return workflow(nodes, links)


@pytest.mark.parametrize("primitive", [False, True])
def test_a_dynamic_prompts_text_is_queued_as_the_frontend_serialises_it(primitive):
    # both frontends strip comments and open {blocks} (formatUtil.processDynamicPrompt); the
    # ideogram templates' JSON prompt loses its braces so
    text = '{"scene": {"light": "dusk"}} // note\nsee https://x.org\n/* a */ \\{kept\\}'
    queued = ui_to_api(prompt_text(text, primitive), SPECS)["6"]["inputs"]["text"]
    assert queued == '"scene": "light": "dusk" \nsee https:\n {kept}'


def test_a_random_dynamic_prompts_choice_is_refused_naming_the_node_and_the_choice():
    with pytest.raises(WorkflowFormatError, match=r'node 6 "CLIP Text Encode \(Prompt\)".*input \'text\' has the '
                                                  r"choice \{red\|blue\}.*at random"):
        ui_to_api(prompt_text("a {red|blue} car"), SPECS)


def test_a_promoted_text_is_queued_as_saved_not_serialised():
    # ideogram on 1.58: the instance's value arrives through the subgraph input, unserialised
    wf = shared_text_area()
    wf["nodes"][0]["widgets_values"] = ["{x} // y"]
    assert ui_to_api(wf, JOIN_SPECS, V1_58)["10:5"]["inputs"]["string_b"] == "{x} // y"


# --------------------------------------------------------------------------- the served frontend


def test_the_served_frontend_version_follows_comfyuis_arguments(tmp_path):
    # --front-end-root of a pip (--target) install: the .dist-info two folders up names the version
    static = tmp_path / "comfyui_frontend_package" / "static"
    static.mkdir(parents=True)
    (tmp_path / "comfyui_frontend_package-1.58.1.dist-info").mkdir()
    assert served_frontend_version(str(static), DEFAULT_FRONT_END_VERSION, "1.32.9") == "1.58.1"
    # a root that is no such copy: unknown, never the installed package's version
    assert served_frontend_version(str(tmp_path), DEFAULT_FRONT_END_VERSION, "1.32.9") is None
    assert served_frontend_version(None, "Comfy-Org/ComfyUI_frontend@v1.40.2", "1.32.9") == "1.40.2"
    assert served_frontend_version(None, "Comfy-Org/ComfyUI_frontend@latest", "1.32.9") is None
    assert served_frontend_version(None, DEFAULT_FRONT_END_VERSION, "1.32.9") == "1.32.9"
    assert served_frontend_version(None, None, None) is None


def test_the_frontend_route_answers_the_version_and_the_converters_reading(tmp_path):
    static = tmp_path / "comfyui_frontend_package" / "static"
    static.mkdir(parents=True)
    (tmp_path / "comfyui_frontend_package-1.58.1.dist-info").mkdir()
    assert served_frontend(str(static), None) == {"version": "1.58.1", "reading": "1.58.1"}
    assert served_frontend(None, "Comfy-Org/ComfyUI_frontend@1.41.0") == {"version": "1.41.0", "reading": "1.32.9"}
    assert served_frontend(str(tmp_path), None) == {"version": None, "reading": None}


def test_a_server_that_cannot_say_its_frontend_gets_the_newest_reading():
    assert FrontendDialect.served("1.32.9") is V1_32
    assert FrontendDialect.served(None) is FrontendDialect.served("unknown") is V1_58
