"""Make workflows/<name>.jpg: a small picture of the grid each example workflow draws.

ComfyUI's template browser (frontends 1.32 to 1.58) shows a pack's workflows with the
picture at /api/workflow_templates/<pack>/<name>.jpg, served from the same folder.
Each picture is a real grid made by its workflow on the test host: the SD1.5 ones run
with the tiny test checkpoints in place of the real ones (at 64 px and 4 steps), as no
real model can be downloaded here.

Both frontends show the picture in a square card (`aspect-square`), scaled to the card's
width but at most 256 px high (`max-h-64 object-contain`), so anything taller than wide
is cut at the top and bottom; 1.58 also lays a "Node graph" badge over the card's top
left (8 px down, 24 px high). The picture is therefore square, the grid fitted inside
with a band kept free at the top for the badge.

    python -m harness.make_thumbnails     (or `make workflows`)
"""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from PIL import Image

from harness.example_workflows import SD15, WORKFLOWS
from harness.experiments import Experiments
from harness.host import REPO, ComfyHost
from harness.tiny_models import ensure_models
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.render.grid import BACKGROUND

THUMBNAIL_SIDE = 320  # px, square; the browser shows it at about 200-250 px
BADGE_BAND = 0.17      # of the side, kept free at the top: the 1.58 badge's 32 px on a card down to 190 px
MARGIN = 6             # px around the grid
JPEG_QUALITY = 82
TINY = "tiny_sd15_a.safetensors"


def runnable_here(prompt: dict) -> dict:
    """The workflow with its real checkpoint swapped for the tiny one, small and quick."""
    prompt = copy.deepcopy(prompt)
    for node in prompt.values():
        inputs = node.get("inputs", {})
        if inputs.get("ckpt_name") == SD15:
            inputs["ckpt_name"] = TINY
        if node.get("class_type") == "EmptyLatentImage":
            inputs["width"], inputs["height"] = 64, 64
        if node.get("class_type") == "KSampler" and isinstance(inputs.get("steps"), int):
            inputs["steps"] = min(inputs["steps"], 4)
    return prompt


def thumbnail(grid: Path, out: Path) -> None:
    """A square picture of `grid`: fitted below the badge band, centred across, on the grid's white."""
    with Image.open(grid) as im:
        picture = im.convert("RGB")
    top = round(THUMBNAIL_SIDE * BADGE_BAND)
    picture.thumbnail((THUMBNAIL_SIDE - 2 * MARGIN, THUMBNAIL_SIDE - top - MARGIN), Image.Resampling.LANCZOS)
    square = Image.new("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE), BACKGROUND)
    room = THUMBNAIL_SIDE - top - MARGIN - picture.height  # what the grid leaves: split above and below it
    square.paste(picture, ((THUMBNAIL_SIDE - picture.width) // 2, top + room // 2))
    square.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        host = ComfyHost(base / "host")
        host.prepare()
        ensure_models(base / "models")
        for kind in ("checkpoints", "loras"):
            for f in (base / "models" / kind).glob("*.safetensors"):
                (base / "host" / "models" / kind / f.name).symlink_to(f)
        with host:
            experiments = Experiments(host, ComfyClient(host.url))
            for filename, build in WORKFLOWS.items():
                manifest = experiments.run(runnable_here(build().prompt), timeout=600)
                out = REPO / "workflows" / (Path(filename).stem + ".jpg")
                thumbnail(experiments.folder(manifest) / manifest["grids"][0]["file"], out)
                print(out, out.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
