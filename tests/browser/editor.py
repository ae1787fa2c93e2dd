"""Driving the real editor from a test: load a shipped workflow, queue it, wait for it; add a node by
the search box as a user does."""
from __future__ import annotations

import json
import time

from playwright.sync_api import Error as PlaywrightError

from harness.api_to_ui import editor_workflow
from harness.editor_page import dismiss_dialogs
from harness.host import REPO
from xyz_studio import protocol as P

FOLDER = REPO / "workflows"
SEARCH_EVIDENCE = REPO / ".test-output" / "search-box"
# the node search box (1.32's PrimeVue list, 1.58's own): the dialog whose root has role=search, its
# input, its options (1.32's node preview beside the list has inputs of its own, its chips are role=option
# too); the option Enter takes is .p-focus on 1.32, aria-selected on 1.58; an option's node name is
# its aria-label on 1.32, its first truncated line on 1.58
SEARCH_BOX_STATE = """(spot) => {
    const box = document.querySelector("[role='search']");
    const options = box ? [...box.querySelectorAll(".p-autocomplete-option, [data-testid='result-item']")] : [];
    const input = box?.querySelector("input[id^='comfy-vue-node-search-box-input'], input[role='combobox']");
    const name = (o) => o.getAttribute('aria-label') ?? o.querySelector('.truncate')?.textContent.trim() ?? null;
    const current = options.find(o => o.classList.contains('p-focus') || o.getAttribute('aria-selected') === 'true');
    const tag = (e) => e ? `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}` : null;
    return {open: Boolean(box), typing: Boolean(input) && document.activeElement === input,
            input: input?.value ?? null, focus: tag(document.activeElement),
            under: spot ? tag(document.elementFromPoint(...spot)) : null,
            options: options.slice(0, 8).map(o => o.innerText.replace(/\\s+/g, ' ').trim()),
            current: current ? name(current) : null, nodes: window.app.graph.nodes.map(n => n.type)};
}"""


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


def zoom_on(page, class_type: str, scale: float) -> None:
    """The canvas at zoom `scale`, centred on the first node of a type (as a user zooms and pans)."""
    page.evaluate("""([type, scale]) => {
        const node = window.app.graph.nodes.find(n => n.type === type);
        window.app.canvas.ds.changeScale(scale, [0, 0]);
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""", [class_type, scale])


def look_at_panel(page, path) -> None:
    """A screenshot of the Grid Assembler's node (its panel) at zoom 1, centred, the pointer off it."""
    zoom_on(page, P.NODE_ASSEMBLER, 1)
    page.mouse.move(5, 500)
    page.wait_for_timeout(400)
    box = page.locator(".xyz-node-panel").first.bounding_box()
    page.screenshot(path=str(path), clip={"x": max(0, box["x"] - 20), "y": max(0, box["y"] - 60),
                                          "width": box["width"] + 40, "height": box["height"] + 80})


def show_node(page, class_type: str, size=(520, 620)) -> None:
    """Resize the first node of a type and centre the canvas on it (as a user would)."""
    page.evaluate("""([type, size]) => {
        const node = window.app.graph.nodes.find(n => n.type === type);
        node.setSize(size);
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""", [class_type, list(size)])
    page.wait_for_timeout(300)


def search_box_state(page, spot=None) -> dict:
    return page.evaluate(SEARCH_BOX_STATE, spot)


def keep_search_evidence(page, name: str, state: dict) -> str:
    """A screenshot and what the search box showed, kept for a failed search: what the test saw."""
    SEARCH_EVIDENCE.mkdir(parents=True, exist_ok=True)
    shot = SEARCH_EVIDENCE / f"{name}.png"
    page.screenshot(path=str(shot))
    (SEARCH_EVIDENCE / f"{name}.json").write_text(json.dumps(state, indent=1))
    return f"(screenshot {shot}) {json.dumps(state)}"


def double_click(page, spot: tuple[int, int]) -> None:
    """A double-click whose two presses are 60 ms apart by their own time stamps, as a real mouse's are
    (the system stamps a press when the button goes down, however busy the page). LiteGraph reads a
    double-click off the presses' time stamps (under 300 ms apart). Playwright's dblclick leaves the
    stamping to the browser, as each press arrives, and sends the second press only once the page
    has handled the first press and release: on a busy page that took over 300 ms, the presses read
    as two single clicks, no search box opened and the query's letters went to the canvas."""
    page.mouse.move(*spot)
    cdp = page.context.new_cdp_session(page)
    start = time.time()  # the CDP time stamps are seconds since the epoch, on this machine's clock
    for step, (kind, count) in enumerate((("mousePressed", 1), ("mouseReleased", 1),
                                          ("mousePressed", 2), ("mouseReleased", 2))):
        cdp.send("Input.dispatchMouseEvent", {
            "type": kind, "x": spot[0], "y": spot[1], "button": "left", "clickCount": count,
            "buttons": 1 if kind == "mousePressed" else 0, "timestamp": start + 0.03 * step})
    cdp.detach()


def add_by_search(page, query: str, class_type: str, spot: tuple[int, int]):
    """Add a node as a user does: double-click the empty canvas at `spot`, type into the search box
    once it has the focus, wait for the option Enter takes to be the wanted node, Enter. Every step
    waits for what the user would see; a failed step keeps a screenshot and the box's list."""
    wanted = page.evaluate("(t) => window.LiteGraph.registered_node_types[t]?.title ?? null", class_type)
    assert wanted, f"the editor knows no node {class_type}"
    before = page.evaluate("(t) => window.app.graph.nodes.filter(n => n.type === t).length", class_type)
    state = f"() => ({SEARCH_BOX_STATE})(null)"

    def fail(step: str) -> AssertionError:
        evidence = keep_search_evidence(page, f"{page.frontend}_{class_type}", search_box_state(page, spot))
        return AssertionError(f"searching {query!r} in the editor added no {class_type}: {step}; {evidence}")

    # no key may reach the canvas: its letters are shortcuts (m opens the model library over the
    # canvas, r reloads the node definitions), so nothing is typed until the search box has the focus
    page.mouse.click(*spot)  # on the canvas: the node added last is no longer selected
    under = search_box_state(page, spot)["under"]
    if under != "canvas#graph-canvas":
        raise fail(f"{spot} is not on the empty canvas but on {under}")
    page.wait_for_timeout(400)  # apart from the double-click's presses by more than LiteGraph's 300 ms
    double_click(page, spot)
    try:
        page.wait_for_function(f"() => ({state})().typing", timeout=10000)
    except PlaywrightError:
        raise fail(f"double-clicking the canvas at {spot} opened no search box") from None
    page.keyboard.type(query, delay=20)
    try:  # the list fills 100 ms after the last key (1.32's debounce), later on a busy page
        page.wait_for_function(f"([q, w]) => {{ const s = ({state})(); return s.input === q && s.current === w; }}",
                               arg=[query, wanted], timeout=10000)
    except PlaywrightError:
        raise fail(f"the search box never offered {wanted!r} first") from None
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("([t, n]) => window.app.graph.nodes.filter(n => n.type === t).length > n",
                               arg=[class_type, before], timeout=10000)
    except PlaywrightError:
        raise fail(f"Enter on {wanted!r} added no node") from None
    # 1.58's Vue renderer hands the new node to the pointer a moment later: put it down here
    page.wait_for_timeout(800)
    page.mouse.click(*spot)
    page.wait_for_timeout(300)
    return page.evaluate("(t) => window.app.graph.nodes.filter(n => n.type === t).at(-1).id", class_type)


def reload_showing(page, experiment_id: str) -> None:
    """Reload the editor and wait for a panel to show the experiment again (kept in its node's properties)."""
    page.reload()
    page.wait_for_function("() => window.app && window.app.graph && window.xyzStudio", timeout=60000)
    page.wait_for_timeout(2000)
    dismiss_dialogs(page)
    page.wait_for_function("(id) => window.xyzStudio.panels().some(p => p.experiment === id)", arg=experiment_id,
                           timeout=30000)


def second_tab_on_sidebar(page, experiment_id: str):
    """A second tab of the same editor with the experiment picked in its XYZ sidebar, and the page errors
    it has thrown (a list that grows)."""
    second = page.context.new_page()
    errors: list[str] = []
    second.on("pageerror", lambda e: errors.append(f"{e} {getattr(e, 'stack', '')}"))
    second.goto(page.url)
    second.wait_for_function("() => window.app && window.app.graph && window.xyzStudio", timeout=60000)
    second.wait_for_timeout(2000)
    dismiss_dialogs(second)
    second.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    second.locator(f".xyz-row[data-id='{experiment_id}']").first.click(timeout=20000)
    return second, errors
