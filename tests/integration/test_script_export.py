"""The sweep as a ComfyScript: exported from the real host, run with comfy-script against it."""
from __future__ import annotations

import ast
import subprocess

import numpy as np
from PIL import Image

from harness.experiments import Experiments
from harness.graphs import sd_graph
from harness.host import REPO, VENV_PYTHON
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient, ComfyError

CKPT = "tiny_sd15_a.safetensors"


def sweep():
    g = sd_graph(CKPT, steps=3)
    x = g.axis("euler, dpmpp_2m", [("3", "sampler_name")], title="sampler")
    y = g.axis("4, 7.5", [("3", "cfg")], title="cfg")
    z = g.axis("red, blue", [], mode="prompt S/R", title="colour")
    return g.driver(x, y, z, name="scripted")


def test_the_exported_script_reproduces_every_cell_pixel_for_pixel(experiments, host, tmp_path):
    manifest = experiments.run(sweep().prompt)
    script = tmp_path / "sweep.py"
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-script", manifest["id"], "--server",
                           host.url, "--out", str(script)], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    text = script.read_text()
    ast.parse(text)  # a valid Python file ...
    assert "CheckpointLoaderSimple('tiny_sd15_a.safetensors')" in text       # ... transpiled by ComfyScript
    assert "Y = [  # cfg\n    4.0,  # 4\n    7.5,\n]" in text               # values as lists, labels as comments
    assert "'a photo of a red cat'" in text and "__xyz_var_" not in text and len(text) < 8000  # no blobs
    run = subprocess.run([str(VENV_PYTHON), str(script), "--server", host.url], cwd=tmp_path, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = host.output_dir / "xyz_script" / manifest["id"]
    folder = experiments.folder(manifest)
    assert len(list(out.glob("*.png"))) == len(manifest["cells"]) == 8
    for cell in manifest["cells"]:
        made = out / f"x{cell['x']:03d}_y{cell['y']:03d}_z{cell['z']:03d}_00001_.png"
        with Image.open(made) as a, Image.open(folder / cell["files"][0]) as b:
            assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB"))), made.name


def test_without_comfy_script_the_route_says_how_to_install_it(blocked_host):
    experiments = Experiments(blocked_host, ComfyClient(blocked_host.url))
    g = sd_graph(CKPT, steps=1)
    manifest = experiments.run(g.driver(g.axis("1, 2", [("3", "seed")])).prompt)
    try:
        experiments.client.get(P.route_path(P.ROUTE_EXPORT_SCRIPT, manifest["id"]))
        raise AssertionError("expected the export to be refused")
    except ComfyError as e:
        assert e.status == 501 and "pip install" in e.body["error"] and "comfy-script" in e.body["error"]
