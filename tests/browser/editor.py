"""Driving the real editor from a test: load a shipped workflow, queue it, wait for it."""
from __future__ import annotations

import json
import time

from harness.host import REPO
from xyz_studio import protocol as P

FOLDER = REPO / "workflows"


def load(page, name: str) -> dict:
    workflow = json.loads((FOLDER / name).read_text())
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(n) => window.app.graph._nodes.length === n", arg=len(workflow["nodes"]), timeout=10000)
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
