"""UI-format <-> API-format workflow conversion (xyz_studio.workflow_format)."""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from any cwd

from xyz_studio.node_specs import parse_node_spec  # noqa: E402
from xyz_studio.workflow_format import (  # noqa: E402
    WorkflowFormatError,
    api_to_ui,
    is_api_prompt,
    is_ui_workflow,
    output_names_from_object_info,
    ui_to_api,
)

SAMPLERS = ["euler", "euler_ancestral", "dpmpp_2m"]
SCHEDULERS = ["normal", "karras", "simple"]

# Shaped like GET /object_info on a real server (trimmed).
OBJECT_INFO = {
    "CheckpointLoaderSimple": {
        "input": {"required": {"ckpt_name": [["a.safetensors", "b.safetensors"], {"tooltip": "x"}]}},
        "input_order": {"required": ["ckpt_name"]},
        "output": ["MODEL", "CLIP", "VAE"], "output_name": ["MODEL", "CLIP", "VAE"],
        "name": "CheckpointLoaderSimple", "display_name": "Load Checkpoint",
        "category": "loaders", "output_node": False,
    },
    "CLIPTextEncode": {
        "input": {"required": {"text": ["STRING", {"multiline": True, "dynamicPrompts": True}],
                               "clip": ["CLIP", {"tooltip": "clip"}]}},
        "input_order": {"required": ["text", "clip"]},
        "output": ["CONDITIONING"], "output_name": ["CONDITIONING"],
        "display_name": "CLIP Text Encode (Prompt)", "category": "conditioning",
    },
    "EmptyLatentImage": {
        "input": {"required": {"width": ["INT", {"default": 512, "min": 16, "max": 16384}],
                               "height": ["INT", {"default": 512, "min": 16, "max": 16384}],
                               "batch_size": ["INT", {"default": 1, "min": 1, "max": 4096}]}},
        "input_order": {"required": ["width", "height", "batch_size"]},
        "output": ["LATENT"], "output_name": ["LATENT"],
        "display_name": "Empty Latent Image", "category": "latent",
    },
    "KSampler": {
        "input": {"required": {
            "model": ["MODEL", {}],
            "seed": ["INT", {"default": 0, "min": 0, "max": 2**64 - 1,
                             "control_after_generate": True}],
            "steps": ["INT", {"default": 20, "min": 1, "max": 10000}],
            "cfg": ["FLOAT", {"default": 8.0, "min": 0.0, "max": 100.0, "step": 0.1}],
            "sampler_name": [SAMPLERS, {}],                       # legacy COMBO: the list itself
            "scheduler": ["COMBO", {"options": SCHEDULERS}],      # new COMBO form
            "positive": ["CONDITIONING", {}],
            "negative": ["CONDITIONING", {}],
            "latent_image": ["LATENT", {}],
            "denoise": ["FLOAT", {"default": 1.0, "min": 0.0, "max": 1.0}],
        }},
        "input_order": {"required": ["model", "seed", "steps", "cfg", "sampler_name", "scheduler",
                                     "positive", "negative", "latent_image", "denoise"]},
        "output": ["LATENT"], "output_name": ["LATENT"],
        "display_name": "KSampler", "category": "sampling",
    },
    "VAEDecode": {
        "input": {"required": {"samples": ["LATENT", {}], "vae": ["VAE", {}]}},
        "input_order": {"required": ["samples", "vae"]},
        "output": ["IMAGE"], "output_name": ["IMAGE"],
        "display_name": "VAE Decode", "category": "latent",
    },
    "SaveImage": {
        "input": {"required": {"images": ["IMAGE", {}],
                               "filename_prefix": ["STRING", {"default": "ComfyUI"}]}},
        "input_order": {"required": ["images", "filename_prefix"]},
        "output": [], "output_name": [], "output_node": True,
        "display_name": "Save Image", "category": "image",
    },
    "EmptyImage": {
        "input": {"required": {"width": ["INT", {"default": 512}], "height": ["INT", {"default": 512}],
                               "batch_size": ["INT", {"default": 1}], "color": ["INT", {"default": 0}]}},
        "input_order": {"required": ["width", "height", "batch_size", "color"]},
        "output": ["IMAGE"], "output_name": ["IMAGE"],
        "display_name": "EmptyImage", "category": "image",
    },
    "ImageBlur": {
        "input": {"required": {"image": ["IMAGE", {}],
                               "blur_radius": ["INT", {"default": 1, "min": 1, "max": 31}],
                               "sigma": ["FLOAT", {"default": 1.0}]}},
        "input_order": {"required": ["image", "blur_radius", "sigma"]},
        "output": ["IMAGE"], "output_name": ["IMAGE"],
        "display_name": "Image Blur", "category": "image/postprocessing",
    },
    # forceInput widget type, a COMBO default, optional widget and optional socket.
    "TestForce": {
        "input": {"required": {"image": ["IMAGE", {}],
                               "factor": ["FLOAT", {"forceInput": True}],
                               "mode": ["COMBO", {"options": ["fast", "slow"], "default": "fast"}]},
                  "optional": {"strength": ["FLOAT", {"default": 0.5}],
                               "label": ["STRING", {}],
                               "mask": ["MASK", {}]}},
        "input_order": {"required": ["image", "factor", "mode"],
                        "optional": ["strength", "label", "mask"]},
        "output": ["IMAGE", "MASK"], "output_name": ["image", "mask"],
        "display_name": "Test Force", "category": "test",
    },
    # COMBO with control_after_generate (gets control + filter widgets), an INT with no default.
    "PickOne": {
        "input": {"required": {"choice": ["COMBO", {"options": ["x", "y", "z"],
                                                    "control_after_generate": True}],
                               "count": ["INT", {"min": 0}]}},
        "input_order": {"required": ["choice", "count"]},
        "output": ["STRING"], "output_name": ["STRING"],
        "display_name": "Pick One", "category": "test",
    },
    # Legacy seed naming: no control_after_generate flag, still gets a control widget.
    "RandomNoise": {
        "input": {"required": {"noise_seed": ["INT", {"default": 0}]}},
        "input_order": {"required": ["noise_seed"]},
        "output": ["NOISE"], "output_name": ["NOISE"],
        "display_name": "RandomNoise", "category": "sampling",
    },
    "SeedSource": {
        "input": {"required": {"value": ["INT", {"default": 7}]}},
        "input_order": {"required": ["value"]},
        "output": ["INT"], "output_name": ["INT"],
        "display_name": "Seed Source", "category": "test",
    },
    "MultiList": {
        "input": {"required": {"items": ["COMBO", {"options": ["a", "b", "c"], "multi_select": {}}]}},
        "input_order": {"required": ["items"]},
        "output": ["STRING"], "output_name": ["STRING"],
        "display_name": "Multi List", "category": "test",
    },
}
SPECS = {name: parse_node_spec(name, info) for name, info in OBJECT_INFO.items()}


# --------------------------------------------------------------------------- helpers


def node(id, type, widgets=None, inputs=(), outputs=(), mode=0, title=None):
    """A serialised UI node; inputs/outputs as (name, type, link) / (name, type, [links])."""
    n = {"id": id, "type": type, "pos": [0, 0], "size": [300, 100], "flags": {}, "order": 0,
         "mode": mode, "properties": {"Node name for S&R": type}}
    if inputs:
        n["inputs"] = [dict(name=i[0], type=i[1], link=i[2], **({"widget": {"name": i[0]}}
                            if len(i) > 3 and i[3] else {})) for i in inputs]
    if outputs:
        n["outputs"] = [{"name": o[0], "type": o[1], "links": list(o[2]), "slot_index": k}
                        for k, o in enumerate(outputs)]
    if widgets is not None:
        n["widgets_values"] = widgets
    if title is not None:
        n["title"] = title
    return n


def workflow(nodes, links):
    return {"last_node_id": max((n["id"] for n in nodes), default=0),
            "last_link_id": max((l[0] for l in links), default=0),
            "nodes": nodes, "links": [list(l) for l in links], "groups": [], "config": {},
            "extra": {}, "version": 0.4}


def strip_meta(prompt):
    return {k: {kk: vv for kk, vv in v.items() if kk != "_meta"} for k, v in prompt.items()}


def blur_chain(blur_mode=0):
    """EmptyImage(1) -> ImageBlur(2) -> SaveImage(3)."""
    return workflow(
        [node(1, "EmptyImage", [64, 48, 1, 255], outputs=[("IMAGE", "IMAGE", [1])]),
         node(2, "ImageBlur", [3, 1.5], inputs=[("image", "IMAGE", 1)],
              outputs=[("IMAGE", "IMAGE", [2])], mode=blur_mode),
         node(3, "SaveImage", ["blur"], inputs=[("images", "IMAGE", 2)])],
        [[1, 1, 0, 2, 0, "IMAGE"], [2, 2, 0, 3, 0, "IMAGE"]])


TXT2IMG = {
    "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"},
          "_meta": {"title": "Load Checkpoint"}},
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat", "clip": ["4", 1]},
          "_meta": {"title": "Positive"}},
    "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]},
          "_meta": {"title": "Negative"}},
    "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1},
          "_meta": {"title": "Empty Latent Image"}},
    "3": {"class_type": "KSampler",
          "inputs": {"seed": 42, "steps": 20, "cfg": 7.5, "sampler_name": "euler",
                     "scheduler": "karras", "denoise": 1.0, "model": ["4", 0],
                     "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]},
          "_meta": {"title": "KSampler"}},
    "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]},
          "_meta": {"title": "VAE Decode"}},
    "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]},
          "_meta": {"title": "Save Image"}},
}


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
    wf["links"] = [dict(zip(("id", "origin_id", "origin_slot", "target_id", "target_slot", "type"), l))
                   for l in wf["links"]]
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


def test_subgraph_is_an_error():
    sg_id = "8f3c1d9e-1234-4abc-9def-0123456789ab"
    wf = blur_chain()
    wf["definitions"] = {"subgraphs": [{"id": sg_id, "name": "blurry", "nodes": [], "links": []}]}
    wf["nodes"][1]["type"] = sg_id
    with pytest.raises(WorkflowFormatError, match="subgraphs are not supported yet"):
        ui_to_api(wf, SPECS)


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
    assert x[4] == x[5] == 0 and x[6] == x[7] == 400 and x[3] == 800 and x[9] == 1600
    order = {n["id"]: n["order"] for n in ui["nodes"]}
    assert order[4] < order[6] < order[3] < order[8] < order[9]
    # Nodes in one column do not overlap.
    col = sorted((n["pos"][1], n["size"][1]) for n in ui["nodes"] if n["pos"][0] == 400)
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
