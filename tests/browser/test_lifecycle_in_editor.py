"""Cancel, resume and follow an experiment from the editor: from the panel (both
renderers) and from the sidebar; after a reload and in a second tab the same state
comes back from the server."""
from __future__ import annotations

from editor import load_graph, queue, reload_showing, second_tab_on_sidebar, show_node
from host_noise import is_the_packs

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"


def slow_sweep(name="slow sweep"):
    """4 x 4 cells of a 768 px blur of radius 31: long enough to act on while it runs."""
    g = image_graph(size=768)
    x = g.axis(", ".join(str(i * 3000000) for i in range(4)), [("1", "color")], title="colour",
               labels="<img src=x onerror=alert(1)>, teal, grey, brown")
    y = g.axis("28, 29, 30, 31", [("2", "blur_radius")], title="blur")
    return g.driver(x, y, name=name)


def start(page, client, graph) -> str:
    load_graph(page, client, graph)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    page.wait_for_function("() => window.xyzStudio.panels()[0]?.experiment", timeout=60000)
    return page.evaluate("() => window.xyzStudio.panels()[0].experiment")


def panel_done(page) -> int:
    return int(page.locator(f"{PANEL} .xyz-progress-text").first.get_attribute("data-done") or 0)


def wait_status(page, scope: str, status: str, timeout=120000) -> None:
    page.wait_for_function("([scope, status]) => "
                           "document.querySelector(scope + ' .xyz-title')?.dataset.status === status",
                           arg=[scope, status], timeout=timeout)


def wait_done_at_least(page, scope: str, n: int) -> None:
    page.wait_for_function("([scope, n]) => "
                           "Number(document.querySelector(scope + ' .xyz-progress-text')?.dataset.done) >= n",
                           arg=[scope, n], timeout=120000)


def test_cancel_and_resume_from_the_panel(page, editor_client, renderer, screenshots):
    eid = start(page, editor_client, slow_sweep("cancel from the panel"))
    wait_done_at_least(page, PANEL, 2)
    page.locator(f"{PANEL} .xyz-cancel").first.click()
    wait_status(page, PANEL, "cancelled")
    status = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))
    assert status["status"] == "cancelled" and status["done"] < 16
    # the status comes with the pack's event, the tiles with the read it sets off a moment later
    assert status["counts"].get("cancelled", 0) > 0
    page.wait_for_function("(n) => document.querySelectorAll("
                           "'.xyz-node-panel .xyz-tile[data-status=\"cancelled\"]').length === n",
                           arg=status["counts"]["cancelled"], timeout=10000)
    page.screenshot(path=str(screenshots / f"panel_cancelled_{page.frontend}_{renderer}.png"))
    page.locator(f"{PANEL} .xyz-resume").first.click()
    wait_status(page, PANEL, "complete")
    assert editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 16
    assert page.locator(f"{PANEL} .xyz-tile[data-status='done']").count() == 16
    assert page.console.own == [], page.console.own


def test_cancel_and_resume_from_the_sidebar_and_load_its_workflow(page, editor_client, renderer, screenshots):
    eid = start(page, editor_client, slow_sweep("from the <b>sidebar</b>"))
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    row = page.locator(f".xyz-row[data-id='{eid}']")
    row.wait_for(state="visible", timeout=20000)
    assert row.locator(".xyz-row-name").text_content() == "from the <b>sidebar</b>"  # text, not markup
    assert "4 × 4 × 1" in row.locator(".xyz-row-meta").text_content()
    wait_done_at_least(page, PANEL, 2)
    row.locator(".xyz-cancel").click()
    page.wait_for_function("(id) => "
                           "document.querySelector(`.xyz-row[data-id='${id}']`)?.dataset.status === 'cancelled'",
                           arg=eid, timeout=60000)
    assert editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["status"] == "cancelled"
    # open it: the large scrubber shows the same experiment
    page.locator(f".xyz-row[data-id='{eid}']").click()
    wait_status(page, ".xyz-detail", "cancelled")
    assert page.locator(".xyz-detail .xyz-col-label").first.text_content() == "<img src=x onerror=alert(1)>"
    assert page.locator(".xyz-sidebar img[src='x']").count() == 0
    page.screenshot(path=str(screenshots / f"sidebar_{page.frontend}_{renderer}.png"))
    page.locator(f".xyz-row[data-id='{eid}'] .xyz-resume").click()
    wait_status(page, ".xyz-detail", "complete")
    assert page.locator(".xyz-detail .xyz-tile[data-status='done']").count() == 16
    page.screenshot(path=str(screenshots / f"sidebar_finished_{page.frontend}_{renderer}.png"))
    # "load this workflow" puts the experiment's source workflow back in the editor
    page.evaluate("async () => { await window.app.loadGraphData(null); }")  # the default graph
    page.locator(".xyz-load-workflow").click()
    page.wait_for_function("() => window.app.graph.nodes.some(n => n.type === 'XYZStudio.GridDriver')", timeout=20000)
    # and its Grid Assembler's panel shows this experiment
    page.wait_for_function("(id) => window.xyzStudio.panels().length === 1"
                           " && window.xyzStudio.panels()[0].experiment === id", arg=eid, timeout=10000)
    assert page.console.own == [], page.console.own


def test_a_reload_mid_run_and_a_second_tab_show_the_same_experiment(page, editor_client, screenshots):
    eid = start(page, editor_client, slow_sweep("reload me"))
    wait_done_at_least(page, PANEL, 1)
    reload_showing(page, eid)
    second, second_errors = second_tab_on_sidebar(page, eid)
    # mid-run, both tabs keep up with the server's count
    server = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))
    if server["status"] == "running":
        for tab, scope in ((page, PANEL), (second, ".xyz-detail")):
            wait_done_at_least(tab, scope, server["done"])
    for tab, scope in ((page, PANEL), (second, ".xyz-detail")):
        wait_status(tab, scope, "complete")
        done = int(tab.locator(f"{scope} .xyz-progress-text").first.get_attribute("data-done"))
        assert done == editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 16
    second.screenshot(path=str(screenshots / f"second_tab_{page.frontend}.png"))
    second.close()
    assert [e for e in second_errors if is_the_packs(e)] == [], second_errors
    assert page.console.own == [], page.console.own


def test_the_panel_survives_collapse_tab_switch_and_a_lost_socket_and_leaves_nothing_behind(page, editor_client,
                                                                                            renderer):
    eid = start(page, editor_client, slow_sweep("survivor"))
    wait_done_at_least(page, PANEL, 1)
    # collapse and expand, zoom out and back, move: the panel keeps its experiment
    page.evaluate("""() => {
        const node = window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridAssembler');
        node.collapse(); node.collapse();
        window.app.canvas.ds.changeScale(0.3, [0, 0]); window.app.canvas.ds.changeScale(1, [0, 0]);
        node.pos = [node.pos[0] + 40, node.pos[1] + 40];
        window.app.graph.setDirtyCanvas(true, true);
    }""")
    # the socket drops mid-run: the frontend reconnects and the panel catches up from the
    # routes with the cells that finished meanwhile (no reload of the graph until it is complete)
    page.evaluate("() => window.comfyAPI.api.api.socket.close()")
    wait_status(page, PANEL, "complete")
    assert panel_done(page) == editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 16
    assert page.locator(f"{PANEL} .xyz-tile[data-status='done']").count() == 16
    # another workflow and back (what a tab switch does to the graph): the node is rebuilt and
    # its panel shows the same experiment again
    workflow = page.evaluate("() => window.app.graph.serialize()")
    page.evaluate("async () => { await window.app.loadGraphData(null); }")
    page.wait_for_function("() => window.xyzStudio.panels().length === 0", timeout=10000)
    assert page.evaluate("() => window.xyzStudio.watched()") == 0  # nothing left listening
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(id) => window.xyzStudio.panels().some(p => p.experiment === id)", arg=eid, timeout=10000)
    show_node(page, P.NODE_ASSEMBLER)
    wait_status(page, PANEL, "complete")
    assert panel_done(page) == editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["done"] == 16
    assert page.console.own == [], page.console.own


STAMP_CANCELLED = """() => {
    // when this tab's panel first shows the experiment cancelled (ms since the epoch: comparable across tabs)
    window.__xyzCancelledAt = null;
    const seen = () => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'cancelled';
    new MutationObserver(() => {
        if (window.__xyzCancelledAt === null && seen())
            window.__xyzCancelledAt = performance.timeOrigin + performance.now();
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-status']});
}"""


def test_a_cancel_in_one_tab_reaches_a_second_tab_within_a_second(page, editor_client, screenshots):
    eid = start(page, editor_client, slow_sweep("cancel seen in another tab"))
    second = page.context.new_page()
    second.goto(page.url)
    second.wait_for_function("(id) => window.xyzStudio && window.xyzStudio.panels().some(p => p.experiment === id)",
                             arg=eid, timeout=60000)
    wait_done_at_least(page, PANEL, 1)
    for tab in (page, second):
        tab.evaluate(STAMP_CANCELLED)
    page.locator(f"{PANEL} .xyz-cancel").first.click()
    for tab in (page, second):
        tab.wait_for_function("() => window.__xyzCancelledAt !== null", timeout=60000)
    here, there = page.evaluate("() => window.__xyzCancelledAt"), second.evaluate("() => window.__xyzCancelledAt")
    # the cancelling tab hears the route's answer; the other one only the pack's event
    assert there - here <= 1000, (here, there)
    assert editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))["status"] == "cancelled"
    second.screenshot(path=str(screenshots / f"second_tab_cancelled_{page.frontend}.png"))
    second.close()
    assert page.console.own == [], page.console.own
