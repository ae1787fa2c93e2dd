"""Regenerate tests/fixtures/nested_subgraph*.json: an XYZ sweep whose varied widgets sit two
subgraphs deep, made by the real editor (frontend 1.58.1) from a flat workflow.

The flat tiny-SD1.5 graph (two axes wired into KSampler cfg and steps) is loaded in headless
Chromium; the frontend's own LGraph.convertToSubgraph (what "Convert Selection to Subgraph"
runs) wraps the KSampler into "Inner", then Inner and the VAE Decode into "Sampler". The axes'
wires then reach cfg and steps through Sampler's inputs and Inner's inputs, as a user who
made the subgraphs in the editor would have them. Saved as the editor saves it
(app.graph.serialize(): the nested definitions in definitions.subgraphs). In the second fixture,
nested_subgraph_axis_inside.json, the X axis went into "Sampler" too (execution id 103:100): its
axis output leaves the subgraph through an output of Sampler to the Grid Driver.

    .host/venv/bin/python -m harness.make_nested_subgraph
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from harness.api_to_ui import editor_workflow
from harness.editor_page import dismiss_dialogs
from harness.graphs import Graph, sd_graph
from harness.host import REPO, ComfyHost, front_end_args
from xyz_studio.comfyui.client import ComfyClient

FIXTURES = {False: REPO / "tests" / "fixtures" / "nested_subgraph.json",
            True: REPO / "tests" / "fixtures" / "nested_subgraph_axis_inside.json"}
FRONTEND = "1.58.1"
CKPT = "tiny_sd15_a.safetensors"
NAME = "Nested subgraph: cfg x steps"


def flat_graph() -> Graph:
    """The sweep before any subgraph: cfg on X, steps on Y, both on KSampler #3 (titles left to the pack)."""
    g = sd_graph(CKPT, positive="a photo of a red cat")
    x = g.axis("4, 7, 10", [("3", "cfg")])
    y = g.axis("3, 4", [("3", "steps")])
    return g.driver(x, y, name=NAME)


NEST = """async (axisInside) => {
    const graph = window.app.graph;
    const byId = (g, id) => g.nodes.find(n => String(n.id) === String(id));
    const inner = graph.convertToSubgraph(new Set([byId(graph, 3)]));
    inner.subgraph.name = "Inner";
    inner.node.title = "Inner";
    const wrapped = [inner.node, byId(graph, 8), ...(axisInside ? [byId(graph, 100)] : [])];
    const outer = graph.convertToSubgraph(new Set(wrapped));
    outer.subgraph.name = "Sampler";
    outer.node.title = "Sampler";
    graph.setDirtyCanvas(true, true);
    // as text, as the editor saves it: JSON drops what is undefined (Playwright would hand it over as null)
    const prompt = (await window.app.graphToPrompt()).output;
    return JSON.stringify({ workflow: window.app.graph.serialize(), prompt });
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp), extra_args=front_end_args(FRONTEND)) as host:
        flat = editor_workflow(ComfyClient(host.url), flat_graph())
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(host.url)
            page.wait_for_function("() => window.app && window.app.graph && window.app.extensionManager",
                                   timeout=60000)
            page.wait_for_timeout(2500)
            dismiss_dialogs(page)
            made = {}
            for inside, path in FIXTURES.items():
                page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", flat)
                made[path] = json.loads(page.evaluate(NEST, inside))
            browser.close()
    for path, one in made.items():
        ids = sorted(one["prompt"])
        assert any(i.count(":") == 2 for i in ids), f"no node two subgraphs deep in {ids}"
        path.write_text(json.dumps(one["workflow"], indent=2) + "\n")
        print(path, "execution ids:", ids)


if __name__ == "__main__":
    main()
