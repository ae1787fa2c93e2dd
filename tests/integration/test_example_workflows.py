"""The shipped workflows (UI format, as the editor saves them) run through the runner."""
from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
from PIL import Image

from harness.example_workflows import SD15, WORKFLOWS
from harness.host import REPO, VENV_PYTHON
from xyz_studio.comfyui.node_specs import parse_node_spec
from xyz_studio.workflow import is_ui_workflow, ui_to_api

FOLDER = REPO / "workflows"


def run_cli(path, host):
    return subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=600)


def test_every_example_is_a_ui_workflow_matching_its_definition(client):
    specs = {n: parse_node_spec(n, i) for n, i in client.object_info().items()}
    assert sorted(p.name for p in FOLDER.glob("*.json")) == sorted(WORKFLOWS)
    for name, build in WORKFLOWS.items():
        ui = json.loads((FOLDER / name).read_text())
        assert is_ui_workflow(ui)
        api = ui_to_api(ui, specs)
        expected = build().prompt
        assert {k: v["inputs"] for k, v in api.items()} == {k: v["inputs"] for k, v in expected.items()}, name


@pytest.mark.parametrize("name", ["model_free_colour_x_blur.json", "tiny_sd15_sampler_cfg_steps.json"])
def test_example_runs_end_to_end(name, host):
    done = run_cli(FOLDER / name, host)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(open(done.stdout.split()[-1]).read())
    assert manifest["counts"]["done"] == manifest["shape"]["x"] * manifest["shape"]["y"] * manifest["shape"]["z"]
    with Image.open(done.stdout.split()[0]) as grid:  # the grid carries the editor workflow for drag-and-drop
        embedded = json.loads(grid.text["workflow"])
    assert embedded["nodes"] == json.loads((FOLDER / name).read_text())["nodes"]


@pytest.mark.parametrize("name", ["sd15_sampler_scheduler_x_cfg.json", "sd15_every_checkpoint_x_prompt_sr.json"])
def test_sd15_examples_plan_cleanly_as_dry_runs(name, host, tmp_path):
    link = host.base_dir / "models" / "checkpoints" / SD15
    if not link.exists():
        link.symlink_to(next((host.base_dir / "models" / "checkpoints").glob("tiny_sd15_a*")).resolve())
    ui = json.loads((FOLDER / name).read_text())
    driver = next(n for n in ui["nodes"] if n["type"] == "XYZStudio.GridDriver")
    driver["widgets_values"][2] = True  # dry_run: plan and draw the layout, render nothing
    path = tmp_path / name
    path.write_text(json.dumps(ui))
    done = run_cli(path, host)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(open(done.stdout.split()[-1]).read())
    assert manifest["status"] == "planned" and manifest["dry_run"]


def test_every_example_has_a_small_thumbnail_that_the_template_browser_gets(host):
    import urllib.request

    for name in WORKFLOWS:
        picture = FOLDER / name.replace(".json", ".jpg")
        with Image.open(picture) as im:
            assert im.format == "JPEG" and max(im.size) <= 320
            assert len(np.unique(np.asarray(im.convert("L")))) > 16  # a real grid, not a flat placeholder
        assert picture.stat().st_size < 64 * 1024
        # the address ComfyUI's template browser asks for (frontends 1.32 and 1.58 alike)
        url = f"{host.url}/api/workflow_templates/xyz-plot-studio/{picture.name}"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.read() == picture.read_bytes()
