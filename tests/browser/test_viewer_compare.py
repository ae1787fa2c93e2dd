"""Compare, reorder and Play in the standalone HTML viewer (the explorer's own modules), on an exported three-axis
model-free experiment in real Chromium: two cells pinned (shift+click, and the pin button of a hovered tile) and
compared side by side, by a wipe (the divider dragged, then moved by the keys) and by their per-pixel difference
(its mean equal to the one computed here from the export's PNG files; 0 for two equal images); two slices pinned;
the link copied with its pins opening the same comparison. The difference needs the images' pixels: served over
http it has them; opened from disk (file://) Chromium will not give them, and the viewer says so instead of a
canvas. Values reordered by dragging their chips and by alt+arrow; Play steps the slider, Pause stops it."""
from __future__ import annotations

import functools
import http.server
import subprocess
import threading

import numpy as np
import pytest
from PIL import Image

from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON

SHOWN = ".xyz-v-page"
COMPARE = ".xyz-compare"


@pytest.fixture(scope="module")
def exported(experiments, host, tmp_path_factory):
    """3 flat colours x 2 blur radii x 2 sigmas (a blur leaves a flat colour as it is), exported."""
    g = image_graph(size=48)
    x = g.axis("16711680, 8421504, 0", [("1", "color")], title="colour", labels="red, grey, black")
    y = g.axis("1, 3", [("2", "blur_radius")], title="blur")
    z = g.axis("1.0, 4.0", [("2", "sigma")], title="sigma")
    g.driver(x, y, z, name="viewer compare")
    manifest = experiments.run(g.prompt)
    out = tmp_path_factory.mktemp("export") / "viewer"
    subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", manifest["id"], "--server", host.url,
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=120)
    return {(c["at"]["x"], c["at"]["y"], c["at"]["z"]): c for c in manifest["cells"]}, out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test's output stays readable
        pass


@pytest.fixture(scope="module")
def served(exported):
    """The export's folder over http on a free port (as `python3 -m http.server` in it would serve it)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(exported[1])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/index.html"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture()
def open_page(browser):
    opened = []

    def open_(url: str, ready: str = ".xyz-v-tile img"):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(url)
        page.wait_for_selector(ready)
        opened.append(context)
        return page
    yield open_
    for context in opened:
        context.close()


def tile(page, cell: dict):
    return page.locator(f"{SHOWN} .xyz-v-tile[data-index='{cell['index']}']")


def tile_indexes(page) -> list[int]:
    return [int(i) for i in page.eval_on_selector_all(
        f"{SHOWN} .xyz-v-tile", "ts => ts.map(t => [+t.dataset.row, +t.dataset.col, t.dataset.index])"
        ".sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(t => t[2])")]


def pinned(page) -> dict[str, int]:
    return page.eval_on_selector_all(f"{SHOWN} .xyz-v-tile[data-pin]",
                                     "ts => Object.fromEntries(ts.map(t => [t.dataset.pin, +t.dataset.index]))")


def pin_labels(page) -> list[list[str]]:
    return page.eval_on_selector_all(f"{COMPARE} .xyz-compare-label",
                                     "ls => ls.map(l => [...l.children].map(d => d.textContent))")


def mean_difference(out, a: dict, b: dict) -> float:
    """The mean |A - B| over red, green and blue of two cells' PNG files in the export."""
    def rgb(cell):
        return np.asarray(Image.open(out / cell["files"][0]).convert("RGB"), dtype=np.int16)
    return float(np.abs(rgb(a) - rgb(b)).mean())


def shown_mean(page) -> float:
    page.wait_for_function("() => document.querySelector('.xyz-compare-figure')?.dataset.mean !== undefined",
                           timeout=10000)
    return float(page.locator(f"{COMPARE} .xyz-compare-figure").get_attribute("data-mean"))


def wipe_state(page) -> dict:
    return page.evaluate("""() => {
        const wipe = document.querySelector('.xyz-wipe'), box = wipe.getBoundingClientRect();
        const line = wipe.querySelector('.xyz-wipe-divider').getBoundingClientRect();
        return {value: Number(wipe.dataset.wipe), clip: wipe.querySelector('.xyz-wipe-a').style.clipPath,
                divider: (line.left + line.width / 2 - box.left) / box.width};
    }""")


def drag(page, source, x: float, y: float) -> None:
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, y, steps=8)
    page.mouse.up()


def look(page, path) -> None:
    page.mouse.move(5, 890)
    page.wait_for_timeout(200)
    page.screenshot(path=str(path))


def test_two_cells_and_two_slices_compared_and_the_link_opens_the_same(exported, served, open_page, screenshots):
    cells, out = exported
    red, grey, black = cells[0, 0, 0], cells[1, 0, 0], cells[2, 0, 0]
    page = open_page(served)
    compare = page.locator(".xyz-compare-button")
    assert compare.is_hidden() and page.locator(COMPARE).is_hidden()
    # pin two cells: shift+click one tile (not opened), the pin button of another
    tile(page, red).click(modifiers=["Shift"])
    assert pinned(page) == {"A": red["index"]} and page.locator(".xyz-v-overlay").is_hidden()
    assert compare.text_content() == "Compare cells (1/2)" and compare.is_disabled()
    tile(page, black).hover()
    tile(page, black).locator(".xyz-v-pin").click()
    assert pinned(page) == {"A": red["index"], "B": black["index"]}
    look(page, screenshots / "viewer_compare_pinned.png")
    # the corner's "blur \\ colour" on one line beside short row labels (1, 3), none of it cut off
    above, lines = page.locator(".xyz-v-corner").evaluate("""e => {
        const text = e.firstElementChild, words = text.getBoundingClientRect();
        return [e.getBoundingClientRect().top - words.top,
                Math.round(words.height / parseFloat(getComputedStyle(text).lineHeight))];
    }""")
    assert above <= 0.5 and lines == 1, (above, lines)
    compare.click()
    # side by side: each pin's value on every axis, each image the cell's own file next to index.html
    assert page.locator(f"{COMPARE} .xyz-compare-side").is_visible() and page.locator(SHOWN).is_hidden()
    assert pin_labels(page) == [["A", "colour: red", "blur: 1", "sigma: 1"],
                                ["B", "colour: black", "blur: 1", "sigma: 1"]]
    sources = page.locator(".xyz-compare-image").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    assert sources == [red["files"][0], black["files"][0]]
    # the wipe: 50 %, dragged to about 80 %, then three steps left by the keys
    page.locator(".xyz-show-wipe").click()
    start = wipe_state(page)
    assert start["value"] == 50 and start["clip"] == "inset(0px 50% 0px 0px)" and abs(start["divider"] - .5) < .02
    box = page.locator(".xyz-wipe").bounding_box()
    drag(page, page.locator(".xyz-wipe"), box["x"] + box["width"] * .8, box["y"] + box["height"] / 2)
    dragged = wipe_state(page)
    assert 78 <= dragged["value"] <= 82 and abs(dragged["divider"] - dragged["value"] / 100) < .02, dragged
    page.locator(".xyz-wipe-input").focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    keyed = wipe_state(page)
    assert keyed["value"] == dragged["value"] - 3 and keyed["clip"] == f"inset(0px {103 - dragged['value']}% 0px 0px)"
    look(page, screenshots / "viewer_compare_wipe.png")
    # the difference: the mean |A - B| of the two PNG files, and its figures in words
    page.locator(".xyz-show-difference").click()
    expected = mean_difference(out, red, black)
    assert expected > 80  # red is (255, 0, 0), or a shade under after the blur: about a third of 255
    assert abs(shown_mean(page) - expected) < 1e-3
    assert page.locator(".xyz-compare-figure").text_content().startswith(
        f"mean |A − B| {expected:.2f} of 255 · max "), page.locator(".xyz-compare-figure").text_content()
    assert page.locator("canvas.xyz-difference").evaluate("c => [c.width, c.height, c.hidden]") == [48, 48, False]
    look(page, screenshots / "viewer_compare_difference.png")
    page.locator(".xyz-compare-swap").click()
    assert pin_labels(page)[0][1] == "colour: black" and abs(shown_mean(page) - expected) < 1e-3
    # the link, copied: the same comparison (pins, swapped, Difference) in a new page
    page.wait_for_function("() => /&pins=x:2,y:0,z:0;x:0,y:0,z:0&compare=difference/.test(location.hash)")
    other = open_page(page.url, ready=".xyz-compare-label")
    assert pin_labels(other) == pin_labels(page) and abs(shown_mean(other) - expected) < 1e-3
    # two equal images (a flat colour blurred or not): a difference of 0
    page.locator(".xyz-compare-clear").click()
    assert page.locator(SHOWN).is_visible() and pinned(page) == {}
    blurred = cells[1, 1, 0]
    tile(page, grey).click(modifiers=["Shift"])
    tile(page, blurred).click(modifiers=["Shift"])
    compare.click()
    assert mean_difference(out, grey, blurred) == 0 and shown_mean(page) == 0
    figure = page.locator(".xyz-compare-figure").inner_text()
    assert "mean |A − B| 0.00 of 255 · max 0 · 0.0% of pixels differ" in figure
    # two slices: sigma 1 and sigma 4 pinned, compared tile by tile (6 tiles), stepped with ▶
    compare.click()  # back to the grid; a slice pinned after cells starts the pins afresh
    page.locator(".xyz-pin-slice").click()
    assert compare.text_content() == "Compare slices (1/2)"
    page.locator(".xyz-v-slider[data-slot='z'] input").fill("1")
    page.locator(".xyz-pin-slice").click()
    assert compare.text_content() == "Compare slices (2/2)"
    compare.click()
    assert pin_labels(page) == [["A", "colour: (across)", "blur: (down)", "sigma: 1"],
                                ["B", "colour: (across)", "blur: (down)", "sigma: 4"]]
    assert page.locator(".xyz-compare-where").text_content() == "tile 1 of 6: colour: red · blur: 1"
    page.locator(".xyz-compare-next").click()
    sources = page.locator(".xyz-compare-image").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    assert sources == [cells[1, 0, 0]["files"][0], cells[1, 0, 1]["files"][0]]
    page.wait_for_function("() => /pins=z:0\\/x\\/y;z:1\\/x\\/y.*pair=1/.test(location.hash)")
    slices = open_page(page.url, ready=".xyz-compare-label")
    assert slices.locator(".xyz-compare-where").text_content() == "tile 2 of 6: colour: grey · blur: 1"
    assert page.problems == [] and other.problems == [] and slices.problems == []


def test_opened_from_disk_the_difference_says_why_it_cannot_be_shown(exported, served, open_page, screenshots):
    cells, out = exported
    red, black = cells[0, 0, 0], cells[2, 0, 0]
    hash_ = "#cols=x&rows=y&mode=compare&pins=x:0,y:0,z:0;x:2,y:0,z:0&compare=difference"
    page = open_page((out / "index.html").as_uri() + hash_, ready=".xyz-compare-label")
    figure = page.locator(".xyz-compare-figure")
    page.wait_for_function("() => document.querySelector('.xyz-compare-figure')?.dataset.error")
    assert figure.get_attribute("data-error") == "SecurityError" and figure.get_attribute("data-mean") is None
    text = figure.text_content()
    assert text.startswith("This browser does not let a page opened from disk read its images' pixels") and \
        "python3 -m http.server" in text
    assert page.locator("canvas.xyz-difference").is_hidden()  # a message, no blank canvas
    look(page, screenshots / "viewer_compare_from_disk.png")
    # side by side and the wipe work from disk: the images are plain <img> elements
    page.locator(".xyz-show-side").click()
    page.wait_for_function("() => [...document.querySelectorAll('.xyz-compare-image')].every(i => i.naturalWidth)")
    sources = page.locator(".xyz-compare-image").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    assert sources == [red["files"][0], black["files"][0]]
    page.locator(".xyz-show-wipe").click()
    assert page.locator(".xyz-wipe-a").evaluate("i => i.naturalWidth") == 48
    assert page.problems == []


def test_values_reordered_by_drag_and_alt_arrows_kept_in_the_link(exported, open_page, screenshots):
    cells, out = exported
    page = open_page((out / "index.html").as_uri())
    page.locator(".xyz-v-values-button").click()

    def chip(value: int):
        return page.locator(f".xyz-v-value[data-slot='x'][data-value='{value}']")

    def columns() -> list[str]:
        return page.locator(f"{SHOWN} .xyz-v-col-label").all_text_contents()

    assert columns() == ["red", "grey", "black"]
    first = chip(0).bounding_box()
    drag(page, chip(2), first["x"] + 2, first["y"] + first["height"] / 2)  # black before red
    assert columns() == ["black", "red", "grey"]
    assert page.locator(".xyz-v-value[data-slot='x']").all_text_contents() == ["black", "red", "grey"]
    assert chip(2).get_attribute("aria-pressed") == "true"  # a drag toggles nothing
    assert tile_indexes(page) == [cells[2, 0, 0]["index"], cells[0, 0, 0]["index"], cells[1, 0, 0]["index"],
                                  cells[2, 1, 0]["index"], cells[0, 1, 0]["index"], cells[1, 1, 0]["index"]]
    chip(1).focus()
    page.keyboard.press("Alt+ArrowLeft")  # grey one place left: black, grey, red
    assert columns() == ["black", "grey", "red"]
    assert page.evaluate("() => document.activeElement.dataset.value") == "1"  # it keeps the focus
    page.keyboard.press("Alt+ArrowLeft")
    assert columns() == ["grey", "black", "red"]
    look(page, screenshots / "viewer_reorder.png")
    page.wait_for_function("() => location.hash.includes('&order=x:1.2.0')")
    other = open_page(page.url)
    assert other.locator(f"{SHOWN} .xyz-v-col-label").all_text_contents() == ["grey", "black", "red"]
    assert page.problems == [] and other.problems == []


def test_play_steps_the_slider_and_pause_stops_it(exported, open_page):
    cells, out = exported
    page = open_page((out / "index.html").as_uri())
    play = page.locator(".xyz-play")
    sigma1 = [cells[x, y, 0]["index"] for y in range(2) for x in range(3)]
    sigma4 = [cells[x, y, 1]["index"] for y in range(2) for x in range(3)]
    assert play.text_content() == "▶ Play" and tile_indexes(page) == sigma1
    play.click()
    assert play.text_content() == "⏸ Pause" and play.get_attribute("aria-pressed") == "true"
    assert tile_indexes(page) == sigma4  # the first frame at once
    page.wait_for_function("() => document.querySelector('.xyz-v-slider-value').textContent === '1'", timeout=3000)
    assert tile_indexes(page) == sigma1  # round from the last value to the first
    play.click()
    assert play.text_content() == "▶ Play" and play.get_attribute("aria-pressed") == "false"
    held = tile_indexes(page)
    page.wait_for_timeout(1600)  # two frames' time: nothing moves
    assert tile_indexes(page) == held
    page.locator(".xyz-v-mode").click()  # the table has no slider to play
    assert play.is_hidden()
    assert page.problems == []


def test_rows_shift_clicked_in_the_table_are_pinned_and_compared(exported, open_page, screenshots):
    """The table pins as the grid does: a shift+click on a row pins its cell (the row says A or B, nothing
    opens), another unpins it; two pinned, Compare shows them side by side."""
    cells, _ = exported
    red, black = cells[0, 0, 0], cells[2, 0, 0]
    page = open_page((exported[1] / "index.html").as_uri())
    page.locator(".xyz-v-mode").click()
    compare = page.locator(".xyz-compare-button")

    def row(cell: dict):
        return page.locator(f".xyz-v-table-row[data-at='{cell['index']}']")

    def marked() -> dict[str, int]:
        return page.eval_on_selector_all(".xyz-v-table-row[data-pin]",
                                         "rs => Object.fromEntries(rs.map(r => [r.dataset.pin, +r.dataset.at]))")

    row(red).click(modifiers=["Shift"])
    assert marked() == {"A": red["index"]} and page.locator(".xyz-v-overlay").is_hidden()
    assert compare.is_visible() and compare.text_content() == "Compare cells (1/2)" and compare.is_disabled()
    row(black).click(modifiers=["Shift"])
    assert marked() == {"A": red["index"], "B": black["index"]}
    assert row(red).locator(".xyz-v-table-thumb").get_attribute("data-pin") == "A"
    look(page, screenshots / "viewer_table_pinned.png")
    row(black).click(modifiers=["Shift"])  # again: unpinned
    assert marked() == {"A": red["index"]}
    row(black).click(modifiers=["Shift"])
    compare.click()
    assert page.locator(f"{COMPARE} .xyz-compare-side").is_visible()
    assert pin_labels(page) == [["A", "colour: red", "blur: 1", "sigma: 1"],
                                ["B", "colour: black", "blur: 1", "sigma: 1"]]
    assert page.problems == [], page.problems
