"""A sweep whose varied widgets sit two subgraphs deep (tests/fixtures/nested_subgraph.json, made by
the editor 1.58.1's own convert-to-subgraph), loaded and queued in the real editor on every frontend
and renderer: the panel shows its grid with the axes named by their subgraph path, the hover says
the same, and the standalone viewer and the ComfyScript export read it right."""
from __future__ import annotations

import ast
import json
import subprocess

import pytest
from editor import queue, show_node

from harness.editor_page import dismiss_dialogs
from harness.experiments import wait_until
from harness.host import REPO, VENV_PYTHON
from xyz_studio import protocol as P

FIXTURE = REPO / "tests" / "fixtures" / "nested_subgraph.json"
KSAMPLER = "103:102:3"
CFG, STEPS = "Sampler › Inner › KSampler · cfg", "Sampler › Inner › KSampler · steps"
PANEL = ".xyz-node-panel"



def _corner_fit(corner) -> tuple[bool, int]:
    """Whether a grid corner's text starts inside its box (none of it cut off above), and its lines."""
    return tuple(corner.evaluate("""e => {
        const text = e.firstElementChild, box = e.getBoundingClientRect(), words = text.getBoundingClientRect();
        const lines = Math.round(words.height / parseFloat(getComputedStyle(text).lineHeight));
        return [words.top >= box.top - 0.5 && e.title.length > 0, lines];
    }"""))

def test_a_sweep_two_subgraphs_deep_queued_from_the_editor(page, editor_client, editor_host, renderer, browser,
                                                           screenshots, tmp_path):
    # a real feature check: a frontend without subgraphs could not load this workflow at all
    if not page.evaluate("() => typeof window.app.graph.convertToSubgraph === 'function'"):
        pytest.skip(f"frontend {page.frontend} has no subgraphs")
    workflow = json.loads(FIXTURE.read_text())
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(n) => window.app.graph.nodes.length === n", arg=len(workflow["nodes"]), timeout=10000)
    # the editor's own conversion reaches the KSampler through both subgraphs' inputs
    produced = page.evaluate("async () => (await window.app.graphToPrompt()).output")
    assert produced[KSAMPLER]["inputs"]["cfg"] == ["100", 1] and produced[KSAMPLER]["inputs"]["steps"] == ["101", 1]
    dismiss_dialogs(page)
    page.evaluate("() => { window.app.canvas.ds.changeScale(1, [0, 0]); }")  # at full size for the screenshot
    show_node(page, P.NODE_ASSEMBLER)
    before = editor_client.get(P.ROUTE_EXPERIMENTS)["total"]
    queue(page)
    # this run's experiment (the same workflow queued in the other renderer left one on the panel before)
    listing = wait_until(lambda: (found := editor_client.get(P.ROUTE_EXPERIMENTS))["total"] > before and found,
                         timeout=60, step=0.2, what="the experiment queued from the editor")
    experiment_id = listing["experiments"][0]["id"]
    page.wait_for_function("(id) => window.xyzStudio.panels()[0].experiment === id && document.querySelector("
                           "'.xyz-node-panel .xyz-title')?.dataset.status === 'complete'", arg=experiment_id,
                           timeout=120000)
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    assert manifest["counts"] == {"done": 6}
    assert [(a["title"], a["targets"]) for a in manifest["axes"]] == [
        (CFG, [[[KSAMPLER, "cfg"]]]), (STEPS, [[[KSAMPLER, "steps"]]])]

    # the panel: the grid, its axes named by the path; the hover says each value with its path
    tiles = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile")
    assert tiles.count() == 6
    corner = page.locator(f"{PANEL} .xyz-corner").first.text_content() or ""
    assert CFG in corner and STEPS in corner, corner
    # the long "rows \\ columns" corner: three lines at most, the whole of it in its tooltip
    assert _corner_fit(page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-corner").first) == (True, 3), corner
    assert page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-col-label").all_text_contents() == ["4", "7", "10"]
    tiles.nth(2).hover()
    tip = page.locator(".xyz-tooltip:not([hidden])").first
    tip.wait_for(state="visible", timeout=5000)
    lines = tip.locator("div").all_text_contents()
    assert lines[:2] == [f"{CFG}: 10", f"{STEPS}: 3"], lines
    page.screenshot(path=str(screenshots / f"nested_subgraph_panel_{page.frontend}_{renderer}.png"))
    page.mouse.move(5, 500)

    # the ComfyScript export, as the editor's Export menu fetches it: Python names for the nested inputs
    script = page.evaluate("async (url) => (await fetch(url)).text()",
                           P.ROUTE_EXPORT_SCRIPT.format(experiment_id=experiment_id))
    ast.parse(script)
    assert "x_103_102_3_cfg = x_value" in script and f"X = [  # {CFG}" in script

    # the standalone viewer (opened from file://): the axes named by the path, the cells' names safe
    out = tmp_path / "viewer"
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", experiment_id, "--server",
                           editor_host.url, "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert all(":" not in f.name for f in (out / "cells").iterdir())
    viewer = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    problems: list[str] = []
    viewer.on("pageerror", lambda e: problems.append(str(e)))
    viewer.goto((out / "index.html").as_uri())
    viewer.wait_for_selector(".xyz-v-tile")
    shown = viewer.locator("body").inner_text()
    assert CFG in shown and STEPS in shown
    # its corner: none of it above the band (it once overflowed the one-line band, cut at the top)
    fits, lines = _corner_fit(viewer.locator(".xyz-v-corner"))
    assert fits and lines <= 3, (fits, lines)
    viewer.screenshot(path=str(screenshots / f"nested_subgraph_viewer_{page.frontend}_{renderer}.png"))
    viewer.context.close()
    assert problems == []
    assert page.console.own == [], page.console.own
