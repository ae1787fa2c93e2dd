"""Driving the real editor from a test: load a shipped workflow, queue it, wait for it."""
from __future__ import annotations

import json
import time

from harness.api_to_ui import editor_workflow
from harness.host import REPO
from xyz_studio import protocol as P

FOLDER = REPO / "workflows"


def load(page, name: str) -> dict:
    workflow = json.loads((FOLDER / name).read_text())
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(n) => window.app.graph.nodes.length === n", arg=len(workflow["nodes"]), timeout=10000)
    return workflow


def queue_and_wait(page, client, name: str, timeout: float = 120) -> dict:
    """Queue workflow `name` from the editor; the history entry of the experiment it ran, once complete."""
    load(page, name)
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    page.evaluate("async () => { await window.app.queuePrompt(0, 1); }")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = client.get(P.ROUTE_EXPERIMENTS)
        if listing["total"] > before and listing["experiments"][0]["status"] == "complete":
            return listing["experiments"][0]
        time.sleep(0.2)
    raise AssertionError("no experiment finished after queueing from the editor")


def load_graph(page, client, graph) -> dict:
    workflow = editor_workflow(client, graph)
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(n) => window.app.graph.nodes.length === n", arg=len(workflow["nodes"]), timeout=10000)
    return workflow


def queue(page) -> None:
    page.evaluate("async () => { await window.app.queuePrompt(0, 1); }")


def show_node(page, class_type: str, size=(520, 620)) -> None:
    """Resize the first node of a type and centre the canvas on it (as a user would)."""
    page.evaluate("""([type, size]) => {
        const node = window.app.graph.nodes.find(n => n.type === type);
        node.setSize(size);
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""", [class_type, list(size)])
    page.wait_for_timeout(300)
