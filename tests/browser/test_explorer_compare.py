"""Compare and reorder in the explorer of the Grid Assembler's panel, on a three-axis model-free experiment in the
real editor: two cells pinned (shift+click, and the pin button on a hovered tile) and compared side by side, by a
wipe (the divider dragged with the pointer and moved by the keys) and by their per-pixel difference (its mean
equal to the one computed here from the cells' own PNG files: non-zero for two colours, that of two equal images
for two cells that differ only by a blur of a flat colour); values reordered by dragging their chips and by
alt+arrow (the grid's columns follow); two whole slices pinned and compared tile by tile; pins and order kept with
the node over a reload of the workflow. Every frontend, both renderers."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
from editor import load_graph, queue, show_node
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"
SHOWN = f"{PANEL} .xyz-plane:not([hidden])"
COMPARE = f"{PANEL} .xyz-compare"


def three_axes():
    """3 colours x 2 blur radii x 2 sigmas of a flat 32 px image (a blur leaves a flat colour as it is)."""
    g = image_graph(size=32)
    x = g.axis("0, 16711680, 65280", [("1", "color")], title="colour", labels="black, red, green")
    y = g.axis("1, 3", [("2", "blur_radius")], title="blur")
    z = g.axis("1, 4", [("2", "sigma")], title="sigma")
    return g.driver(x, y, z, name="compare test")


def texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_text_contents()


def tile(page, cell: int):
    return page.locator(f"{SHOWN} .xyz-tile[data-index='{cell}']").first


def pinned(page) -> dict[str, int]:
    """Pin name -> cell index of the tiles marked in the slice shown."""
    return page.evaluate("""(s) => Object.fromEntries([...document.querySelectorAll(s)]
        .map(t => [t.dataset.pin, Number(t.dataset.index)]))""", f"{SHOWN} .xyz-tile[data-pin]")


def wait_pinned(page, expected: dict[str, int]) -> None:
    """Wait for the tiles marked to be `expected`: the slice can be drawn again (the finished run read
    again) just as a pin is set, and its tiles are marked a frame later. Fails if they never are."""
    try:
        page.wait_for_function("""([s, expected]) => JSON.stringify(Object.fromEntries(
            [...document.querySelectorAll(s)].map(t => [t.dataset.pin, Number(t.dataset.index)])
              .sort())) === JSON.stringify(expected)""", arg=[f"{SHOWN} .xyz-tile[data-pin]", expected],
                               timeout=5000)
    except PlaywrightTimeout:
        pass  # the assertion says what is marked instead
    assert pinned(page) == expected


def pin_labels(page) -> list[list[str]]:
    return page.evaluate("""(s) => [...document.querySelectorAll(s)]
        .map(l => [...l.children].map(d => d.textContent))""", f"{COMPARE} .xyz-compare-label")


def mean_difference(client, eid: str, a: dict, b: dict) -> tuple[float, int]:
    """The mean and the largest |A - B| over red, green and blue of two cells' PNG files, as the server stores them."""
    def rgb(cell):
        raw = client.get_bytes(P.route_path(P.ROUTE_FILE, eid, cell["files"][0]))
        return np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"), dtype=np.int16)
    diff = np.abs(rgb(a) - rgb(b))
    return float(diff.mean()), int(diff.max())


def shown_mean(page) -> float:
    figure = page.locator(f"{COMPARE} .xyz-compare-figure").first
    page.wait_for_function("(s) => document.querySelector(s)?.dataset.mean !== undefined",
                           arg=f"{COMPARE} .xyz-difference-box:not([hidden]) .xyz-compare-figure", timeout=10000)
    return float(figure.get_attribute("data-mean"))


def wipe_state(page) -> dict:
    return page.evaluate("""(s) => {
        const wipe = document.querySelector(s), a = wipe.querySelector('.xyz-wipe-a');
        const box = wipe.getBoundingClientRect();
        const line = wipe.querySelector('.xyz-wipe-divider').getBoundingClientRect();
        return {value: Number(wipe.dataset.wipe), clip: a.style.clipPath,
                divider: (line.left + line.width / 2 - box.left) / box.width};
    }""", f"{COMPARE} .xyz-wipe")


def drag(page, source, target_x: float, target_y: float) -> None:
    """Press on `source`, move in steps to (x, y) and release: pointer events, as a hand does."""
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target_x, target_y, steps=8)
    page.mouse.up()


def look(page, path) -> None:
    """A screenshot of the panel, the pointer off it (to look at; docs/ takes copies by hand: a test
    never writes the repository's files)."""
    page.mouse.move(5, 500)
    page.wait_for_timeout(300)
    box = page.locator(PANEL).first.bounding_box()
    page.screenshot(path=str(path), clip={"x": max(0, box["x"] - 10), "y": max(0, box["y"] - 10),
                                          "width": box["width"] + 20, "height": box["height"] + 20})


@pytest.mark.every_renderer  # issue 18 asks for the explorer in both renderers on every frontend
def test_compare_and_reorder(page, editor_client, renderer, screenshots):
    load_graph(page, editor_client, three_axes())
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER, size=(620, 820))
    queue(page)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=90000)
    page.evaluate("""(type) => {  // zoom 1, centred: the screenshots show the panel as a user sees it
        const node = window.app.graph.nodes.find(n => n.type === type);
        window.app.canvas.ds.changeScale(1, [0, 0]);
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""", P.NODE_ASSEMBLER)
    page.wait_for_timeout(300)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    cells = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))["cells"]
    by_at = {(c["at"]["x"], c["at"]["y"], c["at"]["z"]): c for c in cells}
    red, black = by_at[1, 0, 0], by_at[0, 0, 0]
    shot = f"{page.frontend}_{renderer}"

    # pin two cells: shift+click one tile, the pin button of another (shown on the tile hovered)
    compare_button = page.locator(f"{PANEL} .xyz-compare-button").first
    assert compare_button.is_hidden() and pinned(page) == {}
    tile(page, red["index"]).click(modifiers=["Shift"])
    page.wait_for_function("(s) => document.querySelector(s)?.dataset.pin === 'A'",
                           arg=f"{SHOWN} .xyz-tile[data-index='{red['index']}']", timeout=5000)
    assert page.locator(".xyz-overlay").count() == 0  # a pin, not the cell opened
    assert compare_button.text_content() == "Compare cells (1/2)" and compare_button.is_disabled()
    tile(page, black["index"]).hover()
    page.locator(SHOWN).first.screenshot(path=str(screenshots / f"explorer_compare_pin_button_{shot}.png"))
    tile(page, black["index"]).locator(".xyz-pin-button").click()
    wait_pinned(page, {"A": red["index"], "B": black["index"]})
    assert compare_button.text_content() == "Compare cells (2/2)"
    look(page, screenshots / f"explorer_compare_pinned_{shot}.png")

    # side by side, each pin's value on every axis as text, each image the cell's own file
    compare_button.click()
    page.locator(f"{COMPARE} .xyz-compare-side").first.wait_for(state="visible", timeout=5000)
    assert compare_button.text_content() == "Back to grid"
    assert pin_labels(page) == [["A", "colour: red", "blur: 1", "sigma: 1"],
                                ["B", "colour: black", "blur: 1", "sigma: 1"]]
    sources = page.locator(f"{COMPARE} .xyz-compare-image").evaluate_all("(imgs) => imgs.map(i => i.src)")
    assert [s.split("/")[-1] for s in sources] == [c["files"][0].split("/")[-1] for c in (red, black)], sources

    # the wipe: A over B up to the divider, dragged with the pointer, then moved by the keys
    page.locator(f"{COMPARE} .xyz-show-wipe").first.click()
    page.locator(f"{COMPARE} .xyz-wipe").first.wait_for(state="visible", timeout=5000)
    start = wipe_state(page)
    assert start["value"] == 50 and start["clip"] == "inset(0px 50% 0px 0px)" and abs(start["divider"] - .5) < .02
    look(page, screenshots / f"explorer_compare_wipe_{shot}.png")
    box = page.locator(f"{COMPARE} .xyz-wipe").first.bounding_box()
    drag(page, page.locator(f"{COMPARE} .xyz-wipe").first, box["x"] + box["width"] * .8, box["y"] + box["height"] / 2)
    dragged = wipe_state(page)
    assert 78 <= dragged["value"] <= 82 and abs(dragged["divider"] - dragged["value"] / 100) < .02, dragged
    assert dragged["clip"] == f"inset(0px {100 - dragged['value']}% 0px 0px)"
    page.locator(f"{COMPARE} .xyz-wipe-input").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    keyed = wipe_state(page)
    assert keyed["value"] == dragged["value"] - 3 and keyed["clip"] == f"inset(0px {103 - dragged['value']}% 0px 0px)"

    # the difference: red against black, the mean |A - B| of their files; swapped, the same
    page.locator(f"{COMPARE} .xyz-show-difference").first.click()
    expected, most = mean_difference(editor_client, eid, red, black)
    assert expected > 80  # red is (255, 0, 0), or a shade under after the blur: about a third of 255
    assert abs(shown_mean(page) - expected) < 1e-3
    figure = page.locator(f"{COMPARE} .xyz-compare-figure").first.text_content() or ""
    assert figure.startswith(f"mean |A − B| {expected:.2f} of 255 · max {most} · 100.0% of pixels differ"), figure
    canvas = page.locator(f"{COMPARE} canvas.xyz-difference").first
    assert canvas.evaluate("(c) => [c.width, c.height]") == [32, 32]
    look(page, screenshots / f"explorer_compare_difference_{shot}.png")
    page.locator(f"{COMPARE} .xyz-compare-swap").first.click()
    assert pin_labels(page)[0][1] == "colour: black"
    assert abs(shown_mean(page) - expected) < 1e-3

    # two cells that differ only by the blur of a flat colour: the difference of their files (none); pinned this
    # time from the table, by shift+click on their rows (the row says which pin, nothing opens)
    page.locator(f"{COMPARE} .xyz-compare-clear").first.click()
    page.locator(f"{SHOWN}").first.wait_for(state="visible", timeout=5000)
    blurred = by_at[0, 1, 0]
    page.locator(f"{PANEL} .xyz-mode").first.click()
    for cell in (black, blurred):
        page.locator(f"{PANEL} .xyz-table tbody tr[data-index='{cell['index']}']").first.click(modifiers=["Shift"])
    page.wait_for_function("""([s, want]) => JSON.stringify([...document.querySelectorAll(s)]
        .map(r => [r.dataset.pin, Number(r.dataset.index)]).sort()) === want""",
                           arg=[f"{PANEL} .xyz-table tbody tr[data-pin]",
                                json.dumps([["A", black["index"]], ["B", blurred["index"]]], separators=(",", ":"))],
                           timeout=5000)
    assert page.locator(".xyz-overlay").count() == 0
    assert compare_button.text_content() == "Compare cells (2/2)"
    look(page, screenshots / f"explorer_table_pinned_{shot}.png")
    compare_button.click()
    assert pin_labels(page)[1] == ["B", "colour: black", "blur: 3", "sigma: 1"]
    same, _ = mean_difference(editor_client, eid, black, blurred)
    assert same == 0 and shown_mean(page) == 0  # the view kept Difference
    assert "mean |A − B| 0.00 of 255 · max 0 · 0.0% of pixels differ" in (
        page.locator(f"{COMPARE} .xyz-compare-figure").first.text_content() or "")
    compare_button.click()  # "Back to grid"

    # reorder: green's chip dragged before black's, then red's moved left by alt+arrow; the columns follow
    page.locator(f"{PANEL} .xyz-values-button").first.click()
    def chip(value: int):
        return page.locator(f"{PANEL} .xyz-value[data-slot='x'][data-value='{value}']").first

    def columns_are(labels: str) -> None:
        page.wait_for_function("([s, want]) => [...document.querySelectorAll(s)].map(l => l.textContent) + '' === want",
                               arg=[f"{SHOWN} .xyz-col-label", labels], timeout=5000)

    black_chip = chip(0).bounding_box()
    drag(page, chip(2), black_chip["x"] + 2, black_chip["y"] + black_chip["height"] / 2)
    columns_are("green,black,red")
    assert texts(page, f"{PANEL} .xyz-value[data-slot='x']") == ["green", "black", "red"]
    assert page.locator(f"{PANEL} .xyz-value[aria-pressed='false']").count() == 0  # a drag toggles nothing
    chip(1).focus()
    page.keyboard.press("Alt+ArrowLeft")
    columns_are("green,red,black")
    first_row = page.locator(f"{SHOWN} .xyz-tile").evaluate_all("(ts) => ts.slice(0, 3).map(t => +t.dataset.index)")
    assert first_row == [by_at[x, 0, 0]["index"] for x in (2, 1, 0)]

    # two slices pinned (sigma 1, then sigma 4) compare tile by tile, in the columns' order shown
    page.locator(f"{PANEL} .xyz-pin-slice").first.click()  # a slice after cells: the pins start afresh
    assert page.locator(f"{PANEL} .xyz-pin-slice.xyz-on").count() == 1 and pinned(page) == {}
    page.locator(PANEL).first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
                           ".startsWith('sigma: 4')", timeout=5000)
    page.locator(f"{PANEL} .xyz-pin-slice").first.click()
    compare_button.click()
    where = page.locator(f"{COMPARE} .xyz-compare-where").first
    assert where.text_content() == "tile 1 of 6: colour: green · blur: 1"
    assert pin_labels(page) == [["A", "colour: (across)", "blur: (down)", "sigma: 1"],
                                ["B", "colour: (across)", "blur: (down)", "sigma: 4"]]
    page.locator(f"{COMPARE} .xyz-compare-next").first.click()
    assert where.text_content() == "tile 2 of 6: colour: red · blur: 1"
    sigma = mean_difference(editor_client, eid, by_at[1, 0, 0], by_at[1, 0, 1])[0]
    assert abs(shown_mean(page) - sigma) < 1e-3

    # pins, the tile compared and the order are kept with the node: a reload of the workflow shows them again
    saved = page.evaluate("() => window.xyzStudio.panels()[0].view")
    assert saved["order"] == {"x": [2, 1, 0]} and saved["mode"] == "compare" and saved["pair"] == 1
    assert [p["at"] for p in saved["pins"]] == [{"z": 0}, {"z": 1}]
    page.evaluate("async () => { await window.app.loadGraphData(window.app.graph.serialize()); }")
    page.wait_for_function("(id) => window.xyzStudio.panels()[0]?.experiment === id", arg=eid, timeout=15000)
    page.wait_for_function("(s) => document.querySelector(s)?.textContent === 'tile 2 of 6: colour: red · blur: 1'",
                           arg=f"{COMPARE} .xyz-compare-where", timeout=15000)
    assert page.evaluate("() => window.xyzStudio.panels()[0].view") == saved
    compare_button.click()  # "Back to grid"
    assert texts(page, f"{SHOWN} .xyz-col-label") == ["green", "red", "black"]
    assert page.console.own == [], page.console.own
    assert page.console.unexpected == [], page.console.unexpected
