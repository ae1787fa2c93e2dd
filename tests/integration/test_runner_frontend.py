"""The runner reads a UI workflow as the frontend its server serves would (issue 19): the real
test host serves frontend 1.32.9, which queues the nodes inside a muted subgraph node where newer
frontends leave them out, so the runner refuses such a workflow, saying so, and queues nothing."""
from __future__ import annotations

import json
import subprocess

from harness.host import REPO, VENV_PYTHON
from xyz_studio.api_views import ROUTE_FRONTEND
from xyz_studio.runner import EXIT_REJECTED

BLUR = "55555555-5555-4555-8555-555555555555"


def muted_subgraph_workflow() -> dict:
    """EmptyImage(1) -> [muted subgraph node 10: ImageBlur(5)] -> SaveImage(3), saved by 1.45.3."""
    def link(id, origin, origin_slot, target, target_slot, type):
        return {"id": id, "origin_id": origin, "origin_slot": origin_slot, "target_id": target,
                "target_slot": target_slot, "type": type}
    definition = {
        "id": BLUR, "name": "soften",
        "inputs": [{"id": "i0", "name": "image", "type": "IMAGE", "linkIds": [1]}],
        "outputs": [{"id": "o0", "name": "IMAGE", "type": "IMAGE", "linkIds": [2]}],
        "nodes": [{"id": 5, "type": "ImageBlur", "mode": 0, "widgets_values": [3, 1.5],
                   "inputs": [{"name": "image", "type": "IMAGE", "link": 1}],
                   "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [2]}]}],
        "links": [link(1, -10, 0, 5, 0, "IMAGE"), link(2, 5, 0, -20, 0, "IMAGE")]}
    return {
        "last_node_id": 10, "last_link_id": 2, "version": 0.4, "extra": {"frontendVersion": "1.45.3"},
        "nodes": [
            {"id": 1, "type": "EmptyImage", "mode": 0, "widgets_values": [64, 48, 1, 0],
             "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [1]}]},
            {"id": 10, "type": BLUR, "mode": 2, "widgets_values": [],
             "inputs": [{"name": "image", "type": "IMAGE", "link": 1}],
             "outputs": [{"name": "IMAGE", "type": "IMAGE", "links": [2]}]},
            {"id": 3, "type": "SaveImage", "mode": 0, "widgets_values": ["muted"],
             "inputs": [{"name": "images", "type": "IMAGE", "link": 2}]}],
        "links": [[1, 1, 0, 10, 0, "IMAGE"], [2, 10, 0, 3, 0, "IMAGE"]],
        "definitions": {"subgraphs": [definition]}}


def test_the_runner_refuses_a_workflow_its_servers_frontend_misreads(host, client, tmp_path):
    assert client.get_object(ROUTE_FRONTEND) == {"version": "1.32.9", "reading": "1.32.9"}
    path = tmp_path / "muted.json"
    path.write_text(json.dumps(muted_subgraph_workflow()))
    queued_before = client.queue()
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "run", str(path), "--server", host.url],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_REJECTED, done.stderr
    assert ("workflow rejected: this workflow was saved by ComfyUI frontend 1.45.3, and the frontend this server "
            "serves (read as 1.32.9) reads its subgraphs differently from newer frontends: it would run node 10:5 "
            "(ImageBlur), which newer frontends leave out. Update ComfyUI") in done.stderr
    assert client.queue() == queued_before
