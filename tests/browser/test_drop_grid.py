"""Dropping a grid PNG onto the editor restores its workflow with its results: the Grid
Assembler's panel shows the experiment that drew the grid, not the newest run of that
workflow nor an empty panel. On every frontend, in both renderers."""
from __future__ import annotations

import base64

from editor import queue_and_wait

from harness.editor_page import dismiss_dialogs
from harness.example_workflows import MODEL_FREE
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"


def drop_file(page, name: str, data: bytes) -> None:
    """What a user's drag and drop of a file does: a drop event holding it, on the canvas."""
    page.evaluate("""([name, b64]) => {
        const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: 'image/png'}));
        const target = document.querySelector('canvas#graph-canvas') || document.body;
        target.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", [name, base64.b64encode(data).decode()])


def test_dropping_a_grid_png_shows_its_experiment_in_the_panel(page, editor_client, renderer, screenshots):
    first = queue_and_wait(page, editor_client, MODEL_FREE)
    second = queue_and_wait(page, editor_client, MODEL_FREE)  # the newest run of the workflow
    assert first["id"] != second["id"]
    queued = editor_client.get(P.route_path(P.ROUTE_WORKFLOW, first["id"]))["workflow"]
    # as queued, the first run's workflow did not name it (nothing had run through it yet)
    assert not [n for n in queued["nodes"] if (n.get("properties") or {}).get(P.ASSEMBLER_EXPERIMENT_PROPERTY)]
    grid = editor_client.get(P.route_path(P.ROUTE_MANIFEST, first["id"]))["grids"][0]["file"]
    png = editor_client.get_bytes(P.route_path(P.ROUTE_FILE, first["id"], grid))
    # another graph on screen first, so only the drop can bring a Grid Assembler back
    page.evaluate("""async () => { await window.app.loadGraphData(
        {last_node_id: 0, last_link_id: 0, nodes: [], links: [], version: 0.4}); }""")
    page.wait_for_function("() => window.xyzStudio.panels().length === 0", timeout=10000)
    drop_file(page, grid.rpartition("/")[2], png)
    page.wait_for_function("() => window.xyzStudio.panels().length === 1", timeout=15000)
    page.wait_for_function("(id) => window.xyzStudio.panels()[0].experiment === id", arg=first["id"], timeout=15000)
    dismiss_dialogs(page)
    # the panel has loaded that experiment: its complete grid, all twelve cells
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=15000)
    assert page.locator(f"{PANEL} .xyz-progress-text").first.get_attribute("data-done") == "12"
    assembler = page.evaluate(f"() => window.app.graph.nodes.find(n => n.type === '{P.NODE_ASSEMBLER}').id")
    assert [(p["node"], p["experiment"]) for p in page.evaluate("() => window.xyzStudio.panels()")] == [
        (assembler, first["id"])]
    page.evaluate(f"""() => window.app.canvas.centerOnNode(
        window.app.graph.nodes.find(n => n.type === '{P.NODE_ASSEMBLER}'))""")
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / f"drop_grid_{page.frontend}_{renderer}.png"))
    assert page.console.own == [], page.console.own
