"""UI-format workflows -> API prompts (xyz_studio.workflow.ui_to_api)."""
from __future__ import annotations

import copy

import pytest

from harness.api_to_ui import api_to_ui
from workflow_fixtures import SPECS, TXT2IMG, blur_chain, node, workflow
from xyz_studio.workflow import WorkflowFormatError, is_api_prompt, is_ui_workflow, ui_to_api

# --------------------------------------------------------------------------- detection


def test_detection():
    ui = blur_chain()
    assert is_ui_workflow(ui) and not is_api_prompt(ui)
    assert is_api_prompt(TXT2IMG) and not is_ui_workflow(TXT2IMG)
    assert is_ui_workflow({"nodes": [], "links": []})
    for bad in (None, [], {}, "x", {"nodes": {}}, {"1": {"inputs": {}}},
                {"1": {"class_type": "KSampler", "inputs": []}}):
        assert not is_ui_workflow(bad) or not is_api_prompt(bad)
        assert not is_api_prompt(bad)


def test_wrong_format_is_rejected():
    with pytest.raises(WorkflowFormatError):
        ui_to_api(TXT2IMG, SPECS)
    with pytest.raises(WorkflowFormatError):
        api_to_ui(blur_chain(), SPECS)


# --------------------------------------------------------------------------- widgets


def test_widgets_with_control_value_after_seed():
    wf = workflow([
        node(3, "KSampler", [156680208700286, "randomize", 20, 8, "euler", "normal", 1],
             inputs=[("model", "MODEL", None), ("positive", "CONDITIONING", None),
                     ("negative", "CONDITIONING", None), ("latent_image", "LATENT", None)],
             outputs=[("LATENT", "LATENT", [])])], [])
    inputs = ui_to_api(wf, SPECS)["3"]["inputs"]
    assert inputs == {"seed": 156680208700286, "steps": 20, "cfg": 8, "sampler_name": "euler",
                      "scheduler": "normal", "denoise": 1}
    # The control value is not an input; the legacy boolean form is skipped the same way.
    wf["nodes"][0]["widgets_values"][1] = True
    assert ui_to_api(wf, SPECS)["3"]["inputs"]["steps"] == 20


def test_widgets_without_control_values():
    wf = workflow([node(5, "EmptyLatentImage", [768, 640, 2],
                        outputs=[("LATENT", "LATENT", [])])], [])
    assert ui_to_api(wf, SPECS) == {"5": {"class_type": "EmptyLatentImage",
                                          "inputs": {"width": 768, "height": 640, "batch_size": 2},
                                          "_meta": {"title": "Empty Latent Image"}}}


def test_combo_control_adds_control_and_filter_values():
    wf = workflow([node(1, "PickOne", ["y", "increment", "", 3])], [])
    assert ui_to_api(wf, SPECS)["1"]["inputs"] == {"choice": "y", "count": 3}


def test_legacy_seed_name_gets_control_value():
    wf = workflow([node(1, "RandomNoise", [99, "fixed"])], [])
    assert ui_to_api(wf, SPECS)["1"]["inputs"] == {"noise_seed": 99}


def test_force_input_has_no_widget_value_current_layout():
    wf = workflow([
        node(1, "SeedSource", [2], outputs=[("INT", "INT", [])]),
        node(2, "TestForce", ["slow", 0.25, "hello"],
             inputs=[("image", "IMAGE", None), ("factor", "FLOAT", None), ("mask", "MASK", None)])], [])
    assert ui_to_api(wf, SPECS)["2"]["inputs"] == {"mode": "slow", "strength": 0.25, "label": "hello"}


def test_force_input_legacy_layout_is_recognised_by_length():
    # Frontends before 1.16 stored a value for the forceInput input too (migrateWidgetsValues).
    wf = workflow([node(2, "TestForce", [0.0, "slow", 0.25, "hello"])], [])
    assert ui_to_api(wf, SPECS)["2"]["inputs"] == {"mode": "slow", "strength": 0.25, "label": "hello"}


def test_dict_form_widgets_values():
    wf = workflow([node(3, "KSampler", {"seed": 5, "control_after_generate": "fixed", "steps": 4,
                                        "cfg": 2.0, "sampler_name": "dpmpp_2m",
                                        "scheduler": "simple", "denoise": 0.5})], [])
    assert ui_to_api(wf, SPECS)["3"]["inputs"] == {
        "seed": 5, "steps": 4, "cfg": 2.0, "sampler_name": "dpmpp_2m", "scheduler": "simple",
        "denoise": 0.5}


def test_trailing_extra_widget_values_are_ignored():
    # e.g. LoadImage's upload button stores "image" after the declared widgets.
    wf = workflow([node(1, "SaveImage", ["out", "image"], inputs=[("images", "IMAGE", None)])], [])
    assert ui_to_api(wf, SPECS)["1"]["inputs"] == {"filename_prefix": "out"}


def test_list_widget_value_is_boxed():
    wf = workflow([node(1, "MultiList", [["a", "c"]])], [])
    assert ui_to_api(wf, SPECS)["1"]["inputs"] == {"items": {"__value__": ["a", "c"]}}


def test_missing_required_widget_uses_default():
    wf = workflow([node(5, "EmptyLatentImage", [640])], [])
    assert ui_to_api(wf, SPECS)["5"]["inputs"] == {"width": 640, "height": 512, "batch_size": 1}


def test_missing_required_widget_without_default_is_an_error():
    wf = workflow([node(8, "PickOne", ["x", "fixed", ""], title="Chooser")], [])
    with pytest.raises(WorkflowFormatError, match=r'node 8 "Chooser" \(PickOne\).*count'):
        ui_to_api(wf, SPECS)


def test_missing_optional_widget_is_left_out():
    wf = workflow([node(2, "TestForce", ["fast"])], [])
    assert ui_to_api(wf, SPECS)["2"]["inputs"] == {"mode": "fast"}


def test_title_goes_to_meta():
    wf = workflow([node(5, "EmptyLatentImage", [1, 2, 3], title="Size")], [])
    assert ui_to_api(wf, SPECS)["5"]["_meta"] == {"title": "Size"}


# --------------------------------------------------------------------------- links


def test_links_and_dict_form_links():
    wf = blur_chain()
    expected = {
        "1": {"inputs": {"width": 64, "height": 48, "batch_size": 1, "color": 255},
              "class_type": "EmptyImage", "_meta": {"title": "EmptyImage"}},
        "2": {"inputs": {"image": ["1", 0], "blur_radius": 3, "sigma": 1.5},
              "class_type": "ImageBlur", "_meta": {"title": "Image Blur"}},
        "3": {"inputs": {"images": ["2", 0], "filename_prefix": "blur"},
              "class_type": "SaveImage", "_meta": {"title": "Save Image"}},
    }
    assert ui_to_api(wf, SPECS) == expected
    wf["links"] = [dict(zip(("id", "origin_id", "origin_slot", "target_id", "target_slot", "type"), link))
                   for link in wf["links"]]
    assert ui_to_api(wf, SPECS) == expected


def test_converted_widget_linked_takes_the_link():
    wf = workflow([
        node(1, "SeedSource", [11], outputs=[("INT", "INT", [1])]),
        node(3, "KSampler", [5, "fixed", 20, 8, "euler", "normal", 1],
             inputs=[("model", "MODEL", None), ("positive", "CONDITIONING", None),
                     ("negative", "CONDITIONING", None), ("latent_image", "LATENT", None),
                     ("seed", "INT", 1, True)])],
        [[1, 1, 0, 3, 4, "INT"]])
    prompt = ui_to_api(wf, SPECS)
    assert prompt["3"]["inputs"]["seed"] == ["1", 0]
    assert prompt["3"]["inputs"]["steps"] == 20


def test_force_input_linked():
    wf = workflow([
        node(1, "EmptyImage", [8, 8, 1, 0], outputs=[("IMAGE", "IMAGE", [1])]),
        node(2, "SeedSource", [3], outputs=[("INT", "INT", [2])]),
        node(3, "TestForce", ["slow"], inputs=[("image", "IMAGE", 1), ("factor", "FLOAT", 2)])],
        [[1, 1, 0, 3, 0, "IMAGE"], [2, 2, 0, 3, 1, "FLOAT"]])
    assert ui_to_api(wf, SPECS)["3"]["inputs"] == {"image": ["1", 0], "factor": ["2", 0],
                                                   "mode": "slow"}


def test_muted_node_is_dropped_and_its_links_vanish():
    wf = blur_chain(blur_mode=2)
    prompt = ui_to_api(wf, SPECS)
    assert set(prompt) == {"1", "3"}
    assert prompt["3"]["inputs"] == {"filename_prefix": "blur"}


def test_bypassed_node_is_wired_through():
    prompt = ui_to_api(blur_chain(blur_mode=4), SPECS)
    assert set(prompt) == {"1", "3"}
    assert prompt["3"]["inputs"]["images"] == ["1", 0]


def test_bypass_without_matching_input_drops_the_input():
    # VAEDecode's IMAGE output has no IMAGE input to pass through.
    wf = workflow([
        node(1, "EmptyLatentImage", [8, 8, 1], outputs=[("LATENT", "LATENT", [1])]),
        node(2, "VAEDecode", None, inputs=[("samples", "LATENT", 1), ("vae", "VAE", None)],
             outputs=[("IMAGE", "IMAGE", [2])], mode=4),
        node(3, "SaveImage", ["x"], inputs=[("images", "IMAGE", 2)])],
        [[1, 1, 0, 2, 0, "LATENT"], [2, 2, 0, 3, 0, "IMAGE"]])
    assert ui_to_api(wf, SPECS)["3"]["inputs"] == {"filename_prefix": "x"}


def test_bypass_picks_input_by_type_and_slot():
    # TestForce outputs (IMAGE, MASK); bypassed, output 1 (MASK) passes its mask input,
    # output 0 (IMAGE) its image input.
    wf = workflow([
        node(1, "EmptyImage", [8, 8, 1, 0], outputs=[("IMAGE", "IMAGE", [1])]),
        node(2, "TestForce", ["fast"], inputs=[("image", "IMAGE", 1), ("factor", "FLOAT", None),
                                               ("mask", "MASK", None)],
             outputs=[("image", "IMAGE", [2]), ("mask", "MASK", [3])], mode=4),
        node(3, "ImageBlur", [1, 1.0], inputs=[("image", "IMAGE", 2)],
             outputs=[("IMAGE", "IMAGE", [4])]),
        node(4, "TestForce", ["fast"], inputs=[("image", "IMAGE", 4), ("mask", "MASK", 3)])],
        [[1, 1, 0, 2, 0, "IMAGE"], [2, 2, 0, 3, 0, "IMAGE"], [3, 2, 1, 4, 1, "MASK"],
         [4, 3, 0, 4, 0, "IMAGE"]])
    prompt = ui_to_api(wf, SPECS)
    assert "2" not in prompt
    assert prompt["3"]["inputs"]["image"] == ["1", 0]
    assert "mask" not in prompt["4"]["inputs"]   # the bypassed node's mask input was empty


def test_bypass_chain():
    wf = workflow([
        node(1, "EmptyImage", [8, 8, 1, 0], outputs=[("IMAGE", "IMAGE", [1])]),
        node(2, "ImageBlur", [1, 1.0], inputs=[("image", "IMAGE", 1)],
             outputs=[("IMAGE", "IMAGE", [2])], mode=4),
        node(3, "ImageBlur", [2, 1.0], inputs=[("image", "IMAGE", 2)],
             outputs=[("IMAGE", "IMAGE", [3])], mode=4),
        node(4, "SaveImage", ["x"], inputs=[("images", "IMAGE", 3)])],
        [[1, 1, 0, 2, 0, "IMAGE"], [2, 2, 0, 3, 0, "IMAGE"], [3, 3, 0, 4, 0, "IMAGE"]])
    assert ui_to_api(wf, SPECS)["4"]["inputs"]["images"] == ["1", 0]


def test_reroute_chain_is_followed():
    wf = workflow([
        node(1, "EmptyImage", [8, 8, 1, 0], outputs=[("IMAGE", "IMAGE", [1])]),
        node(10, "Reroute", None, inputs=[("", "*", 1)], outputs=[("", "IMAGE", [2])]),
        node(11, "Reroute", None, inputs=[("", "*", 2)], outputs=[("", "IMAGE", [3, 4])]),
        node(3, "SaveImage", ["a"], inputs=[("images", "IMAGE", 3)]),
        node(4, "ImageBlur", [1, 1.0], inputs=[("image", "IMAGE", 4)])],
        [[1, 1, 0, 10, 0, "*"], [2, 10, 0, 11, 0, "*"], [3, 11, 0, 3, 0, "IMAGE"],
         [4, 11, 0, 4, 0, "IMAGE"]])
    prompt = ui_to_api(wf, SPECS)
    assert set(prompt) == {"1", "3", "4"}
    assert prompt["3"]["inputs"]["images"] == ["1", 0]
    assert prompt["4"]["inputs"]["image"] == ["1", 0]


def test_unconnected_reroute_leaves_the_input_empty():
    wf = workflow([
        node(10, "Reroute", None, inputs=[("", "*", None)], outputs=[("", "IMAGE", [3])]),
        node(3, "SaveImage", ["a"], inputs=[("images", "IMAGE", 3)])],
        [[3, 10, 0, 3, 0, "IMAGE"]])
    assert ui_to_api(wf, SPECS)["3"]["inputs"] == {"filename_prefix": "a"}


def test_primitive_node_value_is_written_into_targets():
    wf = workflow([
        node(20, "PrimitiveNode", [1234, "fixed"], outputs=[("INT", "INT", [1, 2])],
             title="shared seed"),
        node(3, "KSampler", [5, "fixed", 20, 8, "euler", "normal", 1],
             inputs=[("model", "MODEL", None), ("positive", "CONDITIONING", None),
                     ("negative", "CONDITIONING", None), ("latent_image", "LATENT", None),
                     ("seed", "INT", 1, True)]),
        node(4, "RandomNoise", [0, "fixed"], inputs=[("noise_seed", "INT", 2, True)])],
        [[1, 20, 0, 3, 4, "INT"], [2, 20, 0, 4, 0, "INT"]])
    prompt = ui_to_api(wf, SPECS)
    assert set(prompt) == {"3", "4"}
    assert prompt["3"]["inputs"]["seed"] == 1234
    assert prompt["4"]["inputs"]["noise_seed"] == 1234


def test_notes_without_links_are_skipped():
    wf = blur_chain()
    wf["nodes"].append(node(50, "Note", ["remember to ..."]))
    wf["nodes"].append(node(51, "MarkdownNote", ["# hi"]))
    wf["nodes"].append(node(52, "SomethingFromAnotherPack", [1, 2]))
    assert set(ui_to_api(wf, SPECS)) == {"1", "2", "3"}


def test_unknown_node_type_with_links_is_an_error():
    wf = blur_chain()
    wf["nodes"][1]["type"] = "FancyBlur"
    wf["nodes"][1]["title"] = "My blur"
    with pytest.raises(WorkflowFormatError, match=r'node 2 "My blur" \(FancyBlur\).*unknown node type'
                                                  r".*missing custom node"):
        ui_to_api(wf, SPECS)


def test_unknown_node_type_bypassed_still_works():
    wf = blur_chain(blur_mode=4)
    wf["nodes"][1]["type"] = "FancyBlur"
    assert ui_to_api(wf, SPECS)["3"]["inputs"]["images"] == ["1", 0]


def test_dangling_link_is_an_error():
    wf = blur_chain()
    wf["links"] = wf["links"][:1]
    with pytest.raises(WorkflowFormatError, match=r"node 3 .*images.*link 2"):
        ui_to_api(wf, SPECS)


def test_input_does_not_mutate_workflow():
    wf = blur_chain(blur_mode=4)
    before = copy.deepcopy(wf)
    ui_to_api(wf, SPECS)
    assert wf == before
