"""The example workflows shipped in workflows/, defined once as API prompts.

`python -m harness.make_workflows` turns them into UI-format files (what the editor
loads); the tests and the demo use the same definitions.

ComfyUI's template browser (frontends 1.32 to 1.58) lists a pack's workflows by file
name alone: the name is the entry's title, and, with '-' and '_' read as spaces, its
description (1.32 shows both); no metadata file is read for a pack's templates. So the
file names are the titles a user reads: short enough for one line of a card, without
'-' or '_' so the description reads the same, and without characters Windows or a URL
path would refuse.
"""
from __future__ import annotations

from harness.graphs import Graph, image_graph, sd_graph
from xyz_studio import protocol as P

SD15 = "v1-5-pruned-emaonly.safetensors"


def _preview(g: Graph) -> Graph:
    """Show the finished grids in the editor (runs only in the final prompt)."""
    g.prompt["95"] = {"class_type": "PreviewImage", "inputs": {"images": ["9", 0]}}
    return g


def model_free() -> Graph:
    g = image_graph(size=128)
    x = g.axis("0, 16711680, 65280, 255", [("1", "color")], title="colour",
               labels="black, red, green, blue")
    y = g.axis("1-9 (+4)", [("2", "blur_radius")], title="blur radius")
    return _preview(g.driver(x, y, name="Model-free: colour x blur"))


def tiny_sd15() -> Graph:
    g = sd_graph("tiny_sd15_a.safetensors", size=64, steps=4)
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")], title="sampler")
    y = g.axis("4-10 [3]", [("3", "cfg")], title="CFG")
    z = g.axis("4, 8", [("3", "steps")], title="steps")
    return _preview(g.driver(x, y, z, name="Tiny SD1.5: sampler x CFG x steps"))


def tiny_sd15_search() -> Graph:
    """A search, not a sweep: 180 cells, of which TPE runs the 24 its Sharpness values point to."""
    g = sd_graph("tiny_sd15_a.safetensors", size=64, steps=4)
    g.prompt["40"] = {"class_type": P.NODE_SHARPNESS, "inputs": {"image": ["8", 0]}}
    x = g.axis("euler, dpmpp_2m, uni_pc, ddim", [("3", "sampler_name")], title="sampler")
    y = g.axis("3-11 [5]", [("3", "cfg")], title="CFG")
    z = g.axis("2, 4, 6", [("3", "steps")], title="steps")
    scheduler = g.axis("normal, karras, exponential", [("3", "scheduler")], title="scheduler")
    g.driver(x, y, z, name="Tiny SD1.5: search for the sharpest", more={"axis4": scheduler})
    g.metric("metric_1", ("40", 0), name="sharpness", show=True)
    return _preview(g.search("sharpness", 24, sampler="TPE", seed=0, coarse_fraction=0.25))


def sd15_sampler_cfg() -> Graph:
    g = sd_graph(SD15, size=512, steps=20, positive="a cosy cabin in a snowy forest at dusk, warm light",
                 negative="blurry, low quality, watermark")
    x = g.axis("euler | normal, euler_ancestral | normal, dpmpp_2m | karras, dpmpp_sde | karras",
               [[("3", "sampler_name")], [("3", "scheduler")]], title="sampler / scheduler")
    y = g.axis("4, 6, 8", [("3", "cfg")], title="CFG")
    return _preview(g.driver(x, y, name="SD1.5: sampler x CFG"))


def sd15_checkpoints_prompt_sr() -> Graph:
    g = sd_graph(SD15, size=512, steps=20, positive="portrait photo of a cat in a garden, soft light",
                 negative="blurry, low quality")
    x = g.axis("cat, dog, fox", mode="prompt S/R", title="subject")
    y = g.axis("*", [("4", "ckpt_name")], title="checkpoint")
    return _preview(g.driver(x, y, name="Every checkpoint x subject", max_cells=60))


MODEL_FREE = "Colour x blur (no model).json"
TINY_SD15 = "Tiny SD1.5 sampler x CFG x steps.json"
TINY_SD15_SEARCH = "Tiny SD1.5 search for the sharpest.json"
SD15_SAMPLERS = "SD1.5 sampler and scheduler x CFG.json"
SD15_CHECKPOINTS = "SD1.5 every checkpoint x subject.json"

WORKFLOWS = {
    MODEL_FREE: model_free,
    TINY_SD15: tiny_sd15,
    TINY_SD15_SEARCH: tiny_sd15_search,
    SD15_SAMPLERS: sd15_sampler_cfg,
    SD15_CHECKPOINTS: sd15_checkpoints_prompt_sr,
}
