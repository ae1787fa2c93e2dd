"""`make demo`: the whole product end to end on this machine.

Builds tiny SD1.5-layout models, starts a real ComfyUI with this pack, runs the
example workflow "workflows/Tiny SD1.5 sampler x CFG x steps.json" (UI format,
sampler x CFG x steps) through the headless runner, checks the result and prints the paths.
"""
from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from harness.example_workflows import TINY_SD15
from harness.host import REPO, VENV_PYTHON, ComfyHost
from harness.tiny_models import ensure_models

DEMO_DIR = REPO / ".demo"
WORKFLOW = REPO / "workflows" / TINY_SD15


def link_models(models: Path, base: Path) -> None:
    for kind in ("checkpoints", "loras"):
        target_dir = base / "models" / kind
        target_dir.mkdir(parents=True, exist_ok=True)
        for f in (models / kind).glob("*.safetensors"):
            link = target_dir / f.name
            if not link.exists():
                link.symlink_to(f)


def check(manifest_path: Path) -> str:
    manifest = json.loads(manifest_path.read_text())
    folder = manifest_path.parent
    nx, ny, nz = (manifest["shape"][k] for k in "xyz")
    assert len(manifest["grids"]) == nz, "one grid per Z value"
    images = {}
    for cell in manifest["cells"]:
        with Image.open(folder / cell["files"][0]) as im:
            images[cell["index"]] = np.asarray(im.convert("RGB"), dtype=np.int16)
    smallest = min(np.abs(a - b).mean() for a, b in itertools.combinations(images.values(), 2))
    assert smallest > 0, "two cells are pixel-identical"
    seconds = [c["seconds"] for c in manifest["cells"] if c["seconds"] is not None]
    return (f"{nx} x {ny} cells in each of {nz} grids, all {len(images)} cells differ "
            f"(smallest mean pixel difference {smallest:.2f}); {sum(seconds):.1f} s of generation")


def main() -> int:
    models = DEMO_DIR / "models"
    print("generating tiny models ...", flush=True)
    ensure_models(models)
    base = DEMO_DIR / "comfyui"
    shutil.rmtree(base / "output", ignore_errors=True)
    host = ComfyHost(base)
    host.prepare()
    link_models(models, base)
    print("starting ComfyUI ...", flush=True)
    with host:
        print(f"ComfyUI at {host.url} (log: {host.log_path})", flush=True)
        run = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(WORKFLOW), "--server", host.url],
                             cwd=REPO, stdout=subprocess.PIPE, text=True)
    paths = run.stdout.split()
    if run.returncode != 0 or not paths:
        print(f"the headless runner failed with exit status {run.returncode}", file=sys.stderr)
        return run.returncode or 1
    print(check(Path(paths[-1])))
    print("grids:")
    for p in paths[:-1]:
        print(f"  {p}")
    print(f"manifest:\n  {paths[-1]}")
    if "--update-readme-image" in sys.argv:
        shutil.copy(paths[0], REPO / "docs" / "demo_grid.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
