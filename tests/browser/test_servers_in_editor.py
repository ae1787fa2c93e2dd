"""A Servers node in the real editor: wired to the Grid Driver, queued from the editor, the
cells of a stock worker fill the panel like the others and the hover names their server.
On every frontend, in both renderers."""
from __future__ import annotations

import zlib

import pytest
from editor import load_graph, queue, show_node

from harness.editor_page import dismiss_dialogs
from harness.experiments import make_host
from harness.workers import sweep
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"


@pytest.fixture(scope="module")
def worker(tmp_path_factory, models_dir):
    host = make_host(tmp_path_factory, models_dir, "editor-worker", link_pack=False).start()
    yield host
    host.stop()


def test_a_servers_node_spreads_the_cells_and_the_panel_shows_where_each_ran(page, editor_client, editor_host,
                                                                               renderer, worker, screenshots):
    graph = sweep(4, 3, size=256, name="two servers", offset=zlib.crc32(f"{page.frontend} {renderer}".encode()) % 1000)
    load_graph(page, editor_client, graph.servers([worker.url]))
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    # the Servers node is an ordinary node of the graph, its list of servers a text widget
    wired = page.evaluate("""(type) => {
        const servers = window.app.graph.nodes.find(n => n.type === type);
        const driver = window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridDriver');
        const input = driver.inputs.find(i => i.name === 'servers');
        const link = window.app.graph.links[input.link] ?? window.app.graph.links.get?.(input.link);
        return {urls: servers.widgets.find(w => w.name === 'urls').value, from: link.origin_id === servers.id};
    }""", P.NODE_SERVERS)
    assert wired == {"urls": worker.url, "from": True}
    show_node(page, P.NODE_SERVERS, size=(420, 260))
    page.screenshot(path=str(screenshots / f"servers_node_{page.frontend}_{renderer}.png"))
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    page.wait_for_function(
        "() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'", timeout=120000)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))
    assert manifest["counts"] == {"done": 12}
    ran = {c["index"]: c["worker"] for c in manifest["cells"]}
    assert set(ran.values()) == {editor_host.url, worker.url}
    tiles = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile[data-status='done']")
    assert tiles.count() == 12
    # hover a cell the worker rendered: the panel names that server
    remote = next(c for c in manifest["cells"] if c["worker"] == worker.url)
    tiles.nth(remote["y"] * 4 + remote["x"]).hover()
    tip = page.locator(".xyz-tooltip:not([hidden])").first  # on the page itself, not clipped by the panel
    tip.wait_for(state="visible", timeout=5000)
    assert f"server: {worker.url}" in tip.locator("div").all_text_contents()
    page.screenshot(path=str(screenshots / f"servers_panel_{page.frontend}_{renderer}.png"))
    assert page.console.own == [], page.console.own
