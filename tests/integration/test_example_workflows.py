"""The shipped workflows (UI format, as the editor saves them) run through the runner."""
from __future__ import annotations

import json
import math
import subprocess

import numpy as np
import pytest
from PIL import Image

from harness.example_workflows import (
    MODEL_FREE,
    SD15,
    SD15_CHECKPOINTS,
    SD15_SAMPLERS,
    TINY_SD15,
    TINY_SD15_SEARCH,
    WORKFLOWS,
)
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


@pytest.mark.parametrize("name", [MODEL_FREE, TINY_SD15, TINY_SD15_SEARCH])
def test_example_runs_end_to_end(name, host):
    done = run_cli(FOLDER / name, host)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(open(done.stdout.split()[-1]).read())
    cells = math.prod(manifest["shape"].values())
    search = manifest["options"].get("search")  # a search runs its budget; the others are not run
    expected = {"done": search["budget"], "planned": cells - search["budget"]} if search else {"done": cells}
    assert manifest["counts"] == expected
    with Image.open(done.stdout.split()[0]) as grid:  # the grid carries the editor workflow for drag-and-drop
        embedded = json.loads(grid.text["workflow"])
    # the workflow as saved, but its Grid Assembler names the experiment: dropped on the editor,
    # the grid shows its own results in the panel
    expected = json.loads((FOLDER / name).read_text())["nodes"]
    for node in expected:
        if node["type"] == "XYZStudio.GridAssembler":
            node["properties"] = {**node["properties"], "xyz_experiment": manifest["id"]}
    assert embedded["nodes"] == expected


@pytest.mark.parametrize("name", [SD15_SAMPLERS, SD15_CHECKPOINTS])
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
    import urllib.parse
    import urllib.request

    listed = json.loads(urllib.request.urlopen(f"{host.url}/api/workflow_templates", timeout=10).read())
    assert sorted(listed["xyz-plot-studio"]) == sorted(name.removesuffix(".json") for name in WORKFLOWS)
    for name in WORKFLOWS:
        picture = FOLDER / name.replace(".json", ".jpg")
        with Image.open(picture) as im:
            assert im.format == "JPEG" and im.size == (320, 320)  # the template cards are square
            assert len(np.unique(np.asarray(im.convert("L")))) > 16  # a real grid, not a flat placeholder
        assert picture.stat().st_size < 64 * 1024
        # the address ComfyUI's template browser asks for (frontends 1.32 and 1.58 alike)
        url = f"{host.url}/api/workflow_templates/xyz-plot-studio/{urllib.parse.quote(picture.name)}"
        with urllib.request.urlopen(url, timeout=10) as answer:
            assert answer.read() == picture.read_bytes()
