"""An experiment built the way a new user builds one: nodes added by the search box, wired,
values typed, queued; its panel fills in, and a reload mid-run and a second tab catch up
with no canvas interaction. Then the panel's own tools on the finished experiment: the
last row in full, X/Y swapped, the export menu's downloads. Every frontend, both renderers."""
from __future__ import annotations

from editor import add_by_search

from harness.editor_page import dismiss_dialogs
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"
# where each node is added on screen (the canvas at its origin and scale 1): apart enough
# that no node added earlier covers the next spot, clear of the editor's own panels
SPOTS = {"EmptyImage": (120, 160), "ImageBlur": (520, 160), P.NODE_ASSEMBLER: (920, 160),
         P.NODE_DRIVER: (120, 620), "colour": (520, 620), "blur": (1440, 160)}


def connect(page, source, output: str, target, input_name: str) -> None:
    """A link from an output to an input, by name (what dragging from socket to socket makes)."""
    ok = page.evaluate("""([s, out, t, inp]) => {
        const a = window.app.graph.getNodeById(s), b = window.app.graph.getNodeById(t);
        const slot = a.outputs.findIndex(o => o.name === out);
        return Boolean(a.connect(slot, b, b.inputs.findIndex(i => i.name === inp)));
    }""", [source, output, target, input_name])
    assert ok, (source, output, target, input_name)


def type_into(page, node_id, widget: str, text: str) -> None:
    """Click a text widget of a node and type into it, in either renderer."""
    dismiss_dialogs(page)
    page.evaluate("""(id) => {
        window.app.canvas.centerOnNode(window.app.graph.getNodeById(id));
        window.app.graph.setDirtyCanvas(true, true);
    }""", node_id)
    page.wait_for_timeout(400)
    vue = page.locator(f"[data-node-id='{node_id}'] textarea, [data-node-id='{node_id}'] input[type='text']")
    if vue.count():
        field = page.locator(f"[data-node-id='{node_id}']").get_by_label(widget, exact=True) \
            if widget != "values" else page.locator(f"[data-node-id='{node_id}'] textarea").first
        if not field.count():
            field = vue.first
    else:
        field = page.evaluate_handle("""([id, name]) => window.app.graph.getNodeById(id).widgets
            .find(w => w.name === name).element""", [node_id, widget]).as_element()
    field.click()  # a new node's field is empty (no select-all + Delete: that would reach the canvas)
    page.keyboard.type(text, delay=10)
    page.wait_for_function("([id, name, text]) => window.app.graph.getNodeById(id).widgets"
                           ".find(w => w.name === name).value === text", arg=[node_id, widget, text], timeout=5000)


def set_widget(page, node_id, widget: str, value) -> None:
    page.evaluate("""([id, name, value]) => {
        const w = window.app.graph.getNodeById(id).widgets.find(w => w.name === name);
        w.value = value; w.callback?.(value);
    }""", [node_id, widget, value])


def build_from_scratch(page) -> dict:
    page.evaluate("""() => {
        window.app.graph.clear();
        window.app.canvas.ds.offset = [0, 0];
        window.app.canvas.ds.scale = 1;
        window.app.graph.setDirtyCanvas(true, true);
    }""")
    dismiss_dialogs(page)
    ids = {
        "image": add_by_search(page, "EmptyImage", "EmptyImage", SPOTS["EmptyImage"]),
        "blur": add_by_search(page, "Image Blur", "ImageBlur", SPOTS["ImageBlur"]),
        "assembler": add_by_search(page, "Grid Assembler", P.NODE_ASSEMBLER, SPOTS[P.NODE_ASSEMBLER]),
        "driver": add_by_search(page, "Grid Driver", P.NODE_DRIVER, SPOTS[P.NODE_DRIVER]),
        "x": add_by_search(page, "XYZ Axis", P.NODE_AXIS, SPOTS["colour"]),
        "y": add_by_search(page, "XYZ Axis", P.NODE_AXIS, SPOTS["blur"]),
    }
    connect(page, ids["image"], "IMAGE", ids["blur"], "image")
    connect(page, ids["blur"], "IMAGE", ids["assembler"], "image")
    connect(page, ids["x"], "axis", ids["driver"], "x")
    connect(page, ids["y"], "axis", ids["driver"], "y")
    connect(page, ids["x"], "value", ids["image"], "color")
    connect(page, ids["y"], "value", ids["blur"], "blur_radius")
    set_widget(page, ids["image"], "width", 1024)   # big enough to take a moment per cell
    set_widget(page, ids["image"], "height", 1024)
    type_into(page, ids["x"], "values", "0, 16711680, 65280")
    type_into(page, ids["y"], "values", "29, 30, 31")
    set_widget(page, ids["x"], "title", "colour of the empty image")  # a corner label that wraps
    set_widget(page, ids["y"], "title", "blur radius in pixels")
    return ids


def panel_state(page) -> dict:
    return page.evaluate("""() => {
        const text = document.querySelector('.xyz-node-panel .xyz-progress-text');
        return {experiment: window.xyzStudio.panels()[0]?.experiment ?? null,
                done: Number(text?.dataset.done ?? -1), total: Number(text?.dataset.total ?? -1),
                tiles: document.querySelectorAll('.xyz-node-panel .xyz-tile[data-status="done"]').length};
    }""")


def test_built_from_scratch_fills_in_and_catches_up(page, editor_client, renderer, screenshots):
    ids = build_from_scratch(page)
    page.evaluate("(id) => window.app.canvas.centerOnNode(window.app.graph.getNodeById(id))", ids["assembler"])
    page.screenshot(path=str(screenshots / f"from_scratch_built_{page.frontend}_{renderer}.png"))
    page.evaluate("async () => { await window.app.queuePrompt(0, 1); }")
    page.wait_for_function("() => window.xyzStudio.panels()[0]?.experiment", timeout=60000)
    eid = panel_state(page)["experiment"]
    page.wait_for_function("() => Number(document.querySelector('.xyz-node-panel .xyz-progress-text')"
                           "?.dataset.done) >= 1", timeout=60000)
    before = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))
    assert before["status"] == "running" and before["done"] < 9, before  # the reload comes mid-run

    # a second tab opens the editor while cells still run: its panel finds the run and follows it
    second = page.context.new_page()
    second.goto(page.url)
    second.wait_for_function("() => window.xyzStudio && window.app?.graph", timeout=60000)
    # a reload mid-run, with no click or key on the canvas afterwards: the panel catches up
    page.reload()
    page.wait_for_function("() => window.xyzStudio && window.app?.graph", timeout=60000)
    for tab in (page, second):
        tab.wait_for_function("(id) => window.xyzStudio.panels().some(p => p.experiment === id)", arg=eid,
                              timeout=30000)
    for tab in (page, second):
        tab.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status "
                              "=== 'complete'", timeout=120000)
        state = panel_state(tab)
        assert state == {"experiment": eid, "done": 9, "total": 9, "tiles": 9}, state
    dismiss_dialogs(page)
    page.evaluate("(id) => window.app.canvas.centerOnNode(window.app.graph.getNodeById(id))", ids["assembler"])
    page.mouse.move(5, 500)
    page.screenshot(path=str(screenshots / f"from_scratch_done_{page.frontend}_{renderer}.png"))
    if renderer == "classic":  # the node's own preview of the grids is drawn below the panel, not under it
        layout = page.evaluate("""(id) => {
            const node = window.app.graph.getNodeById(id);
            const panel = node.widgets.find(w => w.type === 'xyz_studio.panel');
            const preview = node.widgets.find(w => w.name.startsWith('$$canvas-image-preview'));
            return {panelTop: panel.y, panelHeight: panel.computedHeight ?? null, previewTop: preview?.y ?? null};
        }""", ids["assembler"])
        assert None not in layout.values(), layout
        assert layout["previewTop"] >= layout["panelTop"] + layout["panelHeight"] - 1, layout
    second.close()

    # the last row is there in full although the corner label wraps onto more lines
    fit = page.evaluate("""() => {
        const box = document.querySelector('.xyz-node-panel .xyz-grid-box');
        const plane = box.querySelector('.xyz-plane:not([hidden])');
        const corner = plane.querySelector('.xyz-corner'), label = plane.querySelector('.xyz-col-label');
        const tiles = plane.querySelectorAll('.xyz-tile'), last = tiles[tiles.length - 1];
        const b = box.getBoundingClientRect(), t = last.getBoundingClientRect();
        return {overflow: box.scrollHeight - box.clientHeight, lastBottom: t.bottom, boxBottom: b.bottom,
                cornerLines: corner.offsetHeight / parseFloat(getComputedStyle(corner).lineHeight),
                labelHeight: label.offsetHeight};
    }""")
    assert fit["cornerLines"] >= 2, fit  # the case that cut the last row off
    assert fit["overflow"] <= 0 and fit["lastBottom"] <= fit["boxBottom"] + 0.5, fit

    # swap X and Y on screen: the columns are now the blur radii, a tile keeps its own cell
    first_label = f"{PANEL} .xyz-plane:not([hidden]) .xyz-col-label"
    assert page.locator(first_label).first.text_content() == "0"
    page.locator(f"{PANEL} .xyz-swap").first.click()
    assert page.locator(first_label).first.text_content() == "29"
    second_tile = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile").nth(1)
    assert (second_tile.get_attribute("data-x"), second_tile.get_attribute("data-y")) == ("0", "1")
    assert "_x000_y001.png" in (second_tile.locator("img").get_attribute("src") or "")
    assert page.evaluate("(id) => window.app.graph.getNodeById(id).properties.xyz_swap_xy", ids["assembler"]) is True
    page.screenshot(path=str(screenshots / f"panel_swapped_{page.frontend}_{renderer}.png"))

    # the export menu: every entry downloads what it says
    page.locator(f"{PANEL} .xyz-export").first.click()
    items = page.locator(".xyz-export-menu:not([hidden]) .xyz-export-item")
    items.first.wait_for(state="visible", timeout=5000)
    page.screenshot(path=str(screenshots / f"panel_export_menu_{page.frontend}_{renderer}.png"))
    entries = [(items.nth(i).text_content(), items.nth(i).get_attribute("href"), items.nth(i).get_attribute("download"))
               for i in range(items.count())]
    labels = [label for label, _, _ in entries]
    assert labels == ["Grid (PNG)", "All finished cells (zip)", "Flipbook along blur radius in pixels (WebP)",
                      "Flipbook along blur radius in pixels (GIF)", "Standalone HTML viewer (zip)",
                      "Sweep as a ComfyScript (.py)"], labels  # swapped: no slider, the flipbook runs across
    for label, href, download in entries:
        answer = page.evaluate("""async (href) => {
            const r = await fetch(href); const bytes = new Uint8Array(await r.arrayBuffer());
            return {status: r.status, type: r.headers.get('content-type'), head: Array.from(bytes.slice(0, 4))};
        }""", href)
        assert answer["status"] == 200, (label, answer)
        assert download.startswith(f"xyz-{eid}"), download
        if "PNG" in label:
            assert answer["head"] == [0x89, 0x50, 0x4E, 0x47], label
        elif "WebP" in label:
            assert answer["head"] == [0x52, 0x49, 0x46, 0x46] and answer["type"] == "image/webp", label
        elif "GIF" in label:
            assert answer["head"] == [0x47, 0x49, 0x46, 0x38] and answer["type"] == "image/gif", label
        elif "zip" in label:
            assert answer["head"] == [0x50, 0x4B, 0x03, 0x04] and "zip" in answer["type"], label
        else:
            assert "python" in answer["type"], answer
    page.keyboard.press("Escape")
    page.locator(".xyz-export-menu").first.wait_for(state="hidden", timeout=5000)
    assert page.console.own == [], page.console.own
