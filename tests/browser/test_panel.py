"""The Z-scrubber panel on the Grid Assembler node, in the real editor: it fills in as
the cells finish, scrubs Z by keyboard and wheel, shows a cell's values on hover and at
full size on click, and shows labels, values and errors as text. On every frontend, in
both renderers."""
from __future__ import annotations

import re

from editor import load_graph, queue, show_node

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P

EVIL = "<img src=x onerror=alert(1)>"
PANEL = ".xyz-node-panel"
TIME = r"time: (\d\.\d s|[1-5]\d s|\d+:\d\d(:\d\d)?)"  # "3.2 s", "42 s", "1:15", "1:02:05"


def colour_blur_sigma(size=192, blur="4, 12, 24"):
    """4 colours x 3 blur radii x 2 sigmas; the first colour's label is HTML-looking."""
    g = image_graph(size=size)
    x = g.axis("0, 8421504, 16711680, 65280", [("1", "color")], title="<b>colour</b>",
               labels=f"{EVIL}, grey, red, green")
    y = g.axis(blur, [("2", "blur_radius")], title="blur")
    z = g.axis("1, 4", [("2", "sigma")], title="sigma")
    return g.driver(x, y, z, name="panel <i>test</i>")


def wait_until(page, predicate: str, arg=None, timeout=60000):
    page.wait_for_function(predicate, arg=arg, timeout=timeout)


def panel_text(page, selector: str) -> str:
    return page.locator(f"{PANEL} {selector}").first.text_content() or ""


def test_the_panel_fills_in_scrubs_z_and_shows_cells(page, editor_client, renderer, screenshots):
    load_graph(page, editor_client, colour_blur_sigma())
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    # count the finished tiles of the shown Z slice every time the panel changes
    page.evaluate("""() => {
        window.__xyzSeen = [];
        const panel = document.querySelector('.xyz-node-panel');
        new MutationObserver(() => window.__xyzSeen.push(
            panel.querySelectorAll('.xyz-tile[data-status="done"]').length)).observe(panel, {subtree: true,
            attributes: true, attributeFilter: ['data-status'], childList: true});
    }""")
    queue(page)
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-progress-text')?.dataset.total === '24'")
    # mid-run: a few tiles of the shown slice in, the rest still to come
    wait_until(page, "() => document.querySelectorAll('.xyz-node-panel .xyz-plane:not([hidden]) "
                     ".xyz-tile[data-status=\"done\"]').length >= 5")
    page.screenshot(path=str(screenshots / f"panel_running_{page.frontend}_{renderer}.png"))
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'")
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    status = editor_client.get(P.ROUTE_EXPERIMENT.format(experiment_id=eid))
    assert status["status"] == "complete" and status["done"] == 24
    progress = page.locator(f"{PANEL} .xyz-progress-text").first
    assert progress.get_attribute("data-done") == str(status["done"])
    assert progress.get_attribute("data-failed") == str(status["failed"])
    assert panel_text(page, ".xyz-progress-text").startswith("24 / 24 done")
    seen = page.evaluate("() => window.__xyzSeen")
    assert seen and seen[-1] == 12 and max(seen) == 12          # one Z slice: 4 x 3 tiles
    assert sorted(set(seen)) != [12], seen                      # it filled in, not all at once
    tiles = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile")  # the Z slice on screen
    assert tiles.count() == 12
    # an HTML-looking label is text: no element was made of it, the characters show
    assert page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-col-label").first.text_content() == EVIL
    assert page.locator(f"{PANEL} img[src='x']").count() == 0
    assert "<b>colour</b>" in panel_text(page, ".xyz-corner")
    assert "panel <i>test</i>" in panel_text(page, ".xyz-title")

    # Z by keyboard and by the wheel: the label and the tiles' images change
    first = [tiles.nth(i).locator("img").get_attribute("src") for i in range(12)]
    assert "sigma: 1" in panel_text(page, ".xyz-z-label")
    page.locator(PANEL).first.focus()
    page.keyboard.press("ArrowRight")
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent.startsWith('sigma: 4')")
    second = [tiles.nth(i).locator("img").get_attribute("src") for i in range(12)]
    assert all(a != b for a, b in zip(first, second)) and all("z001" in s for s in second)
    page.screenshot(path=str(screenshots / f"panel_z_changed_{page.frontend}_{renderer}.png"))
    box = page.locator(f"{PANEL} .xyz-grid-box").first.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.wheel(0, -120)
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent.startsWith('sigma: 1')")

    # hover: the cell's axis values and its time
    tiles.nth(0).hover()
    tip = page.locator(".xyz-tooltip:not([hidden])").first  # on the page itself, not clipped by the panel
    tip.wait_for(state="visible", timeout=5000)
    lines = tip.locator("div").all_text_contents()
    assert lines[0] == f"<b>colour</b>: {EVIL}"
    assert lines[1] == "blur: 4" and lines[2] == "sigma: 1"
    assert lines[3].startswith("time: ")

    # click: the full-size cell; arrows step through the slice; Escape closes
    tiles.nth(0).click()
    overlay = page.locator(".xyz-overlay")
    overlay.wait_for(state="visible", timeout=5000)
    src = overlay.locator("img").get_attribute("src") or ""
    assert "/files/cells/" in src and "blur-4_sigma-1_x000_y000_z000.png" in src  # named by value
    page.keyboard.press("ArrowRight")
    wait_until(page, "() => document.querySelector('.xyz-overlay img').src.includes('x001_y000_z000')")
    page.keyboard.press("ArrowLeft")
    wait_until(page, "() => document.querySelector('.xyz-overlay img').src.includes('x000_y000_z000')")
    page.screenshot(path=str(screenshots / f"panel_overlay_{page.frontend}_{renderer}.png"))
    page.keyboard.press("Escape")
    overlay.wait_for(state="detached", timeout=5000)
    dismiss_dialogs(page)
    page.mouse.move(5, 500)  # off the panel: no hover text in the picture
    page.screenshot(path=str(screenshots / f"panel_finished_{page.frontend}_{renderer}.png"))

    # the canvas zoom scales the panel as a whole: laid out again at half zoom, the tiles
    # keep their size in the panel (not shrunk twice), and the hover text sits under its tile
    tile_width = "() => document.querySelector('.xyz-node-panel .xyz-plane:not([hidden]) .xyz-tile').offsetWidth"
    before = page.evaluate(tile_width)
    page.evaluate("""() => {
        const node = window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridAssembler');
        window.app.canvas.ds.changeScale(0.5, [0, 0]);
        node.setSize([node.size[0] + 40, node.size[1]]);  // a resize makes the panel lay out again
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""")
    page.wait_for_timeout(800)
    after = page.evaluate(tile_width)
    assert before - 1 <= after <= before + 40, (before, after)
    tiles.nth(5).hover()
    tip.wait_for(state="visible", timeout=5000)
    tile_box, tip_box = tiles.nth(5).bounding_box(), tip.bounding_box()
    assert tile_box["y"] + tile_box["height"] - 1 <= tip_box["y"] <= tile_box["y"] + tile_box["height"] + 8
    assert abs(tip_box["x"] - tile_box["x"]) <= 2, (tile_box, tip_box)
    page.mouse.move(5, 500)
    page.evaluate("() => { window.app.canvas.ds.changeScale(1, [0, 0]); window.app.graph.setDirtyCanvas(true, true); }")

    # UI-only: the panel is in neither the API prompt nor the saved widget values
    saved = page.evaluate("""async () => {
        const node = window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridAssembler');
        const prompt = (await window.app.graphToPrompt()).output[String(node.id)];
        // the node's own widgets: not the panel, nor the frontend's image preview ($$canvas-image-preview)
        const own = node.widgets.filter(w => w.type !== 'xyz_studio.panel' && !w.name.startsWith('$$'));
        return {inputs: Object.keys(prompt.inputs), values: node.serialize().widgets_values ?? [],
                widgets: own.map(w => w.name), panels: node.widgets.filter(w => w.type === 'xyz_studio.panel').length};
    }""")
    assert saved["panels"] == 1
    assert sorted(saved["inputs"]) == sorted(["image", *saved["widgets"]])  # its own widgets, and no panel
    assert len(saved["values"]) == len(saved["widgets"])
    assert page.console.own == [], page.console.own
    assert page.console.unexpected == [], page.console.unexpected


def test_a_failed_cell_shows_its_error_as_text(page, editor_client, renderer, screenshots):
    # a blur radius of 20 needs an image larger than 16 px: those cells fail in ComfyUI
    load_graph(page, editor_client, colour_blur_sigma(size=16, blur="1, 20"))
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    wait_until(page, "() => document.querySelectorAll("
                     "'.xyz-node-panel .xyz-tile[data-status=\"failed\"]').length === 4")
    failed = page.locator(f"{PANEL} .xyz-tile[data-status='failed']")
    assert "ImageBlur" in (failed.first.text_content() or "")
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'")
    assert page.locator(f"{PANEL} .xyz-retry").first.is_visible()  # retry is offered once the run is over
    page.screenshot(path=str(screenshots / f"panel_failed_{page.frontend}_{renderer}.png"))
    # retry them from the panel: they run again (and fail again, for the same reason); a
    # cell's `attempts` counts the times it was queued again
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    dismiss_dialogs(page)
    page.locator(f"{PANEL} .xyz-retry").first.click()
    page.wait_for_function("""async (id) => {
        const m = await (await window.comfyAPI.api.api.fetchApi(`/xyz_studio/experiments/${id}/manifest`)).json();
        return m.status === 'complete' && m.cells.filter(c => c.status === 'failed').every(c => c.attempts === 1);
    }""", arg=eid, timeout=60000)
    wait_until(page, "() => document.querySelectorAll("
                     "'.xyz-node-panel .xyz-tile[data-status=\"failed\"]').length === 4")
    assert page.console.own == [], page.console.own


def test_a_metric_value_reads_in_the_hover_as_on_the_grid_and_in_the_viewer(page, editor_client, renderer,
                                                                             screenshots):
    # the panel and the exported viewer import the same js/src/format.ts (test_viewer.py checks the
    # viewer with these values); its rule is the grid captions' (xyz_studio/common/format.py)
    g = image_graph(size=32)
    g.prompt["31"] = {"class_type": "PrimitiveFloat", "inputs": {"value": 0.0}}  # a stock node: its value is the metric
    x = g.axis("12345.6, 0.000012345, -3.5", [("31", "value")], title="score in")
    g.driver(x, name="value formats").metric("metric_1", ("31", 0), name="score")
    load_graph(page, editor_client, g)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    wait_until(page, "() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'")
    tiles = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile")
    tip = page.locator(".xyz-tooltip:not([hidden])").first

    def hover_text(i: int) -> list[str]:
        page.mouse.move(5, 500)
        tiles.nth(i).hover()
        tip.wait_for(state="visible", timeout=5000)
        return tip.locator("div").all_text_contents()

    for i, shown in enumerate(["12346", "1.234e-5", "-3.5"]):
        # a cell's time is the panel's own watch of it, or the manifest's once the finished run is read
        # again: "complete" can show a moment before that read, so a cell the panel did not see start
        # has its time a moment later (the rule's form either way)
        lines = hover_text(i)
        for _ in range(25):
            if any(re.fullmatch(TIME, line) for line in lines):
                break
            page.wait_for_timeout(200)
            lines = hover_text(i)
        assert f"score: {shown}" in lines and any(re.fullmatch(TIME, line) for line in lines), lines
        if i == 0:
            page.screenshot(path=str(screenshots / f"panel_value_formats_{page.frontend}_{renderer}.png"))
        page.mouse.move(5, 500)
    assert page.console.own == [], page.console.own
