"""Shared data for the workflow-format tests: object_info shaped like a real server's,
and builders of UI-format nodes and workflows."""
from __future__ import annotations

from xyz_studio.comfyui.node_specs import parse_node_spec

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
            "last_link_id": max((link[0] for link in links), default=0),
            "nodes": nodes, "links": [list(link) for link in links], "groups": [], "config": {},
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
