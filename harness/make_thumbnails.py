"""Make workflows/<name>.jpg: a small picture of the grid each example workflow draws.

ComfyUI's template browser (frontends 1.32 to 1.58) shows a pack's workflows with the
picture at /api/workflow_templates/<pack>/<name>.jpg, served from the same folder.
Each picture is a real grid made by its workflow on the test host: the SD1.5 ones run
with the tiny test checkpoints in place of the real ones (at 64 px and 4 steps), as no
real model can be downloaded here.

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

THUMBNAIL_SIDE = 320  # px, the longer side; the browser shows it at about 200 px
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
    with Image.open(grid) as im:
        picture = im.convert("RGB")
    picture.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)


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
