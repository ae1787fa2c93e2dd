"""The explorer in the Grid Assembler's panel, on a four-axis model-free experiment in the real editor:
any axis across the columns (picked, not only swapped), a slider per other axis stepped by the keyboard,
a value toggled off leaving the grid, the table of every cell sorted by a column and filtered, and the
view kept with the node (a reload of the workflow shows the same view); the sidebar's large view is the
same explorer. Every frontend, both renderers."""
from __future__ import annotations

import pytest
from editor import load_graph, queue, show_node, zoom_on
from editor import look_at_panel as look

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P

EVIL = "<img src=x onerror=alert(1)>"
PANEL = ".xyz-node-panel"
SHOWN = f"{PANEL} .xyz-plane:not([hidden])"


def four_axes():
    """3 colours x 2 blur radii x 2 sigmas x 2 sharpen strengths: EmptyImage -> ImageBlur -> ImageSharpen."""
    g = image_graph(size=32)
    g.prompt["3"] = {"class_type": "ImageSharpen",
                     "inputs": {"image": ["2", 0], "sharpen_radius": 1, "sigma": 1.0, "alpha": 0.5}}
    g.prompt["9"]["inputs"][P.IMAGE_INPUT] = ["3", 0]
    x = g.axis("0, 16711680, 65280", [("1", "color")], title="colour", labels=f"{EVIL}, red, green")
    y = g.axis("1, 3", [("2", "blur_radius")], title="blur")
    z = g.axis("1, 4", [("2", "sigma")], title="sigma")
    sharpen = g.axis("0.5, 2", [("3", "alpha")], title="sharpen")
    return g.driver(x, y, z, name="explorer <i>test</i>", more={"axis4": sharpen})


def texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_text_contents()


def shown_indices(page) -> list[list[int]]:
    """The cell index of every tile shown, row by row."""
    return page.evaluate("""() => {
        const plane = document.querySelector('.xyz-node-panel .xyz-plane:not([hidden])');
        const columns = plane.querySelectorAll('.xyz-col-label').length;
        const tiles = [...plane.querySelectorAll('.xyz-tile')];
        const rows = [];
        for (let i = 0; i < tiles.length; i += columns) {
            rows.push(tiles.slice(i, i + columns).map(t => Number(t.dataset.index)));
        }
        return rows;
    }""")


def expected(cells, across: str, down: str, fixed: dict[str, int], columns, rows) -> list[list[int]]:
    """The manifest's cell indices with `across` = each of `columns`, `down` = each of `rows`, the rest `fixed`."""
    by_at = {tuple(sorted(c["at"].items())): c["index"] for c in cells}
    return [[by_at[tuple(sorted({**fixed, across: col, down: row}.items()))] for col in columns] for row in rows]


def sliders(page) -> list[tuple[str, str]]:
    return page.evaluate("""() => [...document.querySelectorAll('.xyz-node-panel .xyz-slider')]
        .map(s => [s.dataset.slot, s.querySelector('.xyz-z-label').textContent])""")


@pytest.mark.every_renderer  # issue 18 asks for the explorer in both renderers on every frontend
def test_pivot_sliders_toggles_and_table_on_four_axes(page, editor_client, renderer, screenshots):
    load_graph(page, editor_client, four_axes())
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER, size=(600, 760))
    queue(page)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=90000)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))
    assert manifest["shape"] == {"x": 3, "y": 2, "z": 2, "axis4": 2}, manifest["shape"]
    cells = manifest["cells"]
    files = {c["index"]: c["files"][0] for c in cells}

    # X across, Y down, a slider each for sigma and sharpen at their first values
    assert texts(page, f"{SHOWN} .xyz-col-label") == [EVIL, "red", "green"]  # a label is text, not markup
    assert page.locator(f"{PANEL} img[src='x']").count() == 0
    assert sliders(page) == [["z", "sigma: 1  (1/2)"], ["axis4", "sharpen: 0.5  (1/2)"]]
    assert shown_indices(page) == expected(cells, "x", "y", {"z": 0, "axis4": 0}, [0, 1, 2], [0, 1])
    src = page.locator(f"{SHOWN} .xyz-tile img").nth(4).get_attribute("src") or ""
    assert files[shown_indices(page)[1][1]].split("/")[-1] in src  # the file the manifest names

    # the keyboard: Right steps the first slider; Down picks the next slider, Right steps it
    page.locator(PANEL).first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
                           ".startsWith('sigma: 4')", timeout=5000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelectorAll('.xyz-node-panel .xyz-z-label')[1].textContent"
                           ".startsWith('sharpen: 2')", timeout=5000)
    assert shown_indices(page) == expected(cells, "x", "y", {"z": 1, "axis4": 1}, [0, 1, 2], [0, 1])
    page.keyboard.press("ArrowRight")  # at its last value: stays
    assert sliders(page)[1] == ["axis4", "sharpen: 2  (2/2)"]
    # the wheel over a slider steps that slider (elsewhere, the active one)
    row = page.locator(f"{PANEL} .xyz-slider[data-slot='z']").first.bounding_box()
    page.mouse.move(row["x"] + 20, row["y"] + row["height"] / 2)
    page.mouse.wheel(0, -120)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
                           ".startsWith('sigma: 1')", timeout=5000)
    page.mouse.wheel(0, 120)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
                           ".startsWith('sigma: 4')", timeout=5000)
    assert sliders(page)[1] == ["axis4", "sharpen: 2  (2/2)"]

    # pivot: sharpen across the columns; colour becomes a slider (at its first value)
    page.locator(f"{PANEL} select.xyz-columns").first.select_option("axis4")
    page.wait_for_function("(s) => [...document.querySelectorAll(s)].map(l => l.textContent).join('|') === '0.5|2'",
                           arg=f"{SHOWN} .xyz-col-label", timeout=5000)
    assert page.locator(f"{SHOWN} .xyz-corner").first.text_content() == "blur \\ sharpen"
    assert [slot for slot, _ in sliders(page)] == ["x", "z"]
    assert shown_indices(page) == expected(cells, "axis4", "y", {"x": 0, "z": 1}, [0, 1], [0, 1])
    page.locator(PANEL).first.focus()
    page.keyboard.press("ArrowUp")  # the wheel made sigma the active slider: Up picks the one above, colour
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
                           ".startsWith('colour: red')", timeout=5000)
    assert shown_indices(page) == expected(cells, "axis4", "y", {"x": 1, "z": 1}, [0, 1], [0, 1])
    look(page, screenshots / f"explorer_pivoted_{page.frontend}_{renderer}.png")

    # the export menu's flipbook runs along the active slider (colour), the rest held where the view shows them
    page.locator(f"{PANEL} .xyz-export").first.click()
    flipbook = page.locator(".xyz-export-menu:not([hidden]) .xyz-export-item", has_text="Flipbook along colour (WebP)")
    flipbook.wait_for(state="visible", timeout=5000)
    href = flipbook.get_attribute("href") or ""
    assert "axis=x&" in href and "at=y%3D0%2Cz%3D1%2Caxis4%3D0&" in href, href
    answer = page.evaluate("""async (href) => {
        const r = await fetch(href); const bytes = new Uint8Array(await r.arrayBuffer());
        return {status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...bytes.slice(0, 4))};
    }""", href)
    assert answer == {"status": 200, "type": "image/webp", "head": "RIFF"}, answer
    page.keyboard.press("Escape")
    page.locator(".xyz-export-menu").first.wait_for(state="hidden", timeout=5000)

    # Play steps the active slider (colour, at red) by itself, round from its last value to its first;
    # Pause stops it where it is
    label = "document.querySelector('.xyz-node-panel .xyz-z-label').textContent"
    play = page.locator(f"{PANEL} .xyz-play").first
    play.click()
    page.wait_for_function(f"() => {label}.startsWith('colour: green')", timeout=5000)
    page.wait_for_function(f"(evil) => {label}.startsWith('colour: ' + evil)", arg=EVIL, timeout=5000)
    play.click()
    assert play.text_content() == "▶ Play" and play.get_attribute("aria-pressed") == "false"
    stopped = page.evaluate(f"() => {label}")
    page.wait_for_timeout(1500)  # two frames' time: nothing moves
    assert page.evaluate(f"() => {label}") == stopped
    at = page.evaluate("() => window.xyzStudio.panels()[0].view.at.x")
    page.locator(PANEL).first.focus()
    page.keyboard.press("ArrowRight" if at == 0 else "ArrowLeft" if at == 2 else "Shift")  # back to red
    page.wait_for_function(f"() => {label}.startsWith('colour: red')", timeout=5000)

    # a value toggled off leaves the grid; toggled on, it comes back
    page.locator(f"{PANEL} .xyz-values-button").first.click()
    chip = page.locator(f"{PANEL} .xyz-value[data-slot='y'][data-value='0']").first
    assert page.locator(f"{PANEL} .xyz-value[data-slot='x']").first.text_content() == EVIL
    chip.click()
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 1", arg=f"{SHOWN} .xyz-row-label",
                           timeout=5000)
    assert texts(page, f"{SHOWN} .xyz-row-label") == ["3"] and chip.get_attribute("aria-pressed") == "false"
    assert shown_indices(page) == expected(cells, "axis4", "y", {"x": 1, "z": 1}, [0, 1], [1])
    look(page, screenshots / f"explorer_value_off_{page.frontend}_{renderer}.png")

    # the table: every cell with blur 3 (blur 1 is off), sorted by sharpen then the other way, filtered
    page.locator(f"{PANEL} .xyz-mode").first.click()
    rows = page.locator(f"{PANEL} .xyz-table tbody tr")
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 12", arg=f"{PANEL} .xyz-table tbody tr",
                           timeout=5000)
    headings = texts(page, f"{PANEL} .xyz-table th .xyz-sort")
    assert headings == ["#", "colour", "blur", "sigma", "sharpen", "status", "time"], headings
    column = {name: i + 1 for i, name in enumerate(headings)}  # +1: the thumbnail column

    def column_texts(name: str) -> list[str]:
        return rows.evaluate_all("(trs, k) => trs.map(tr => tr.children[k].textContent)", column[name])

    sort = page.locator(f"{PANEL} .xyz-sort[data-key='axis:axis4']").first
    sort.click()
    assert column_texts("sharpen") == ["0.5"] * 6 + ["2"] * 6
    sort.click()
    assert column_texts("sharpen") == ["2"] * 6 + ["0.5"] * 6
    assert page.locator(f"{PANEL} th[aria-sort='descending'] .xyz-sort").first.text_content() == "sharpen ▼"
    indices = [int(i) for i in column_texts("#")]
    assert indices == sorted(indices[:6]) + sorted(indices[6:])  # the cells' order among equals
    assert set(column_texts("blur")) == {"3"} and set(column_texts("status")) == {"done"}
    look(page, screenshots / f"explorer_table_{page.frontend}_{renderer}.png")
    page.locator(f"{PANEL} .xyz-filter").first.fill("RED")
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 4", arg=f"{PANEL} .xyz-table tbody tr",
                           timeout=5000)
    assert set(column_texts("colour")) == {"red"}

    # the view is kept with the node: loading the saved workflow again shows the same table
    saved = page.evaluate("() => window.xyzStudio.panels()[0].view")
    assert (saved["columns"], saved["rows"], saved["hidden"], saved["mode"], saved["filter"]) == (
        "axis4", "y", {"y": [0]}, "table", "RED"), saved
    assert saved["sort"] == {"key": "axis:axis4", "descending": True}
    page.evaluate("async () => { await window.app.loadGraphData(window.app.graph.serialize()); }")
    page.wait_for_function("(id) => window.xyzStudio.panels()[0]?.experiment === id", arg=eid, timeout=15000)
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 4", arg=f"{PANEL} .xyz-table tbody tr",
                           timeout=15000)
    assert page.evaluate("() => window.xyzStudio.panels()[0].view") == saved
    assert page.locator(f"{PANEL} .xyz-filter").first.input_value() == "RED"

    # the sidebar's large view is the same explorer: X across, Y down, a slider for sigma and sharpen
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    page.locator(f".xyz-sidebar .xyz-row[data-id='{eid}']").click()
    detail = ".xyz-sidebar .xyz-detail"
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 6", arg=f"{detail} .xyz-plane .xyz-tile",
                           timeout=15000)
    assert texts(page, f"{detail} .xyz-slider .xyz-z-label") == ["sigma: 1  (1/2)", "sharpen: 0.5  (1/2)"]
    assert texts(page, f"{detail} .xyz-col-label") == [EVIL, "red", "green"]
    assert page.console.own == [], page.console.own
    assert page.console.unexpected == [], page.console.unexpected


def dry_run_in_panel(page, client, graph) -> None:
    """Load a dry-run workflow, give its Grid Assembler's panel room, queue it and wait for its layout."""
    load_graph(page, client, graph)
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER, size=(600, 760))
    queue(page)
    page.wait_for_function("() => window.xyzStudio.panels()[0]?.experiment", timeout=60000)
    page.wait_for_function("(p) => document.querySelector(`${p} .xyz-title`)?.dataset.status === 'planned'",
                           arg=PANEL, timeout=60000)


def test_a_thousand_cell_table_draws_only_the_rows_in_sight(page, editor_client, renderer):
    """The table of a 1,000-cell dry run draws a screenful of rows, whatever the scroll: spacers stand in
    for the rest, so the scroll bar spans every cell, and the rows at the bottom are there once scrolled to."""
    g = image_graph(size=16)
    x = g.axis("0-39", [("1", "color")], title="colour")
    y = g.axis("16-40", [("1", "width")], title="width")
    dry_run_in_panel(page, editor_client, g.driver(x, y, name="a thousand cells", max_cells=1000, dry_run=True))
    page.locator(f"{PANEL} .xyz-mode").first.click()
    count = page.locator(f"{PANEL} .xyz-table-count").first
    page.wait_for_function("(s) => document.querySelector(s)?.textContent === '1000 of 1000 cells'",
                           arg=f"{PANEL} .xyz-table-count", timeout=60000)
    rows = page.locator(f"{PANEL} .xyz-table tbody tr")
    top = [int(i) for i in rows.evaluate_all("(trs) => trs.map(tr => tr.dataset.index)")]
    assert top[0] == 0 and top == list(range(len(top))) and 10 <= len(top) <= 80, top
    scroller = page.locator(f"{PANEL} .xyz-table-scroll").first
    pitch = rows.first.evaluate("(tr) => tr.offsetHeight")
    assert scroller.evaluate("(s) => s.scrollHeight") >= 1000 * pitch  # the spacers: every cell's room
    # scrolled to the end (again, if the panel's layout moved the end while the finished run was read
    # again), the last row is drawn and in sight at the bottom of the box
    page.wait_for_function("""(panel) => {
        const s = document.querySelector(`${panel} .xyz-table-scroll`);
        s.scrollTop = s.scrollHeight;
        const last = [...s.querySelectorAll('.xyz-table tbody tr')].at(-1);
        if (last?.dataset.index !== '999') return false;
        const box = s.getBoundingClientRect(), row = last.getBoundingClientRect();
        return row.bottom > box.top && row.bottom <= box.bottom + 2;
    }""", arg=PANEL, timeout=5000, polling=100)
    # the rows drawn and where the last one is, read in one go: a redraw of the table (the finished run
    # read again) replaces the rows, so separate reads could measure a row already taken out
    seen = scroller.evaluate("""(s) => {
        const trs = [...s.querySelectorAll('.xyz-table tbody tr')];
        const box = s.getBoundingClientRect(), last = trs.at(-1).getBoundingClientRect();
        return {drawn: trs.map(tr => Number(tr.dataset.index)), top: box.top, bottom: box.bottom,
                lastBottom: last.bottom};
    }""")
    bottom = seen["drawn"]
    assert bottom == list(range(bottom[0], 1000)) and len(bottom) <= 80, bottom
    # the last drawn row is in sight, at the bottom of the box
    assert seen["top"] < seen["lastBottom"] <= seen["bottom"] + 2, seen
    # sorted the other way, the top of the list is drawn again from the first row
    page.locator(f"{PANEL} .xyz-sort[data-key='index']").first.click()
    page.locator(f"{PANEL} .xyz-sort[data-key='index']").first.click()
    scroller.evaluate("(s) => { s.scrollTop = 0; }")
    page.wait_for_function("(s) => document.querySelector(s)?.dataset.index === '999'",
                           arg=f"{PANEL} .xyz-table tbody tr", timeout=5000)
    assert count.text_content() == "1000 of 1000 cells"
    assert page.console.own == [], page.console.own


def test_a_ten_thousand_tile_slice_builds_the_rows_near_the_view(page, editor_client, renderer, screenshots):
    """A 100 x 100 dry run is one slice of 10,000 tiles: the panel builds the rows in or near sight (every
    row and column label laid out, the scroll bars spanning all), and bringing the far corner in sight
    (the panel's box scrolled on the classic canvas; the canvas zoomed out with Vue nodes, which grow to
    their content) builds the rows there; the last cell's tile is then in sight, at its place."""
    g = image_graph(size=16)
    x = g.axis(", ".join(str(i * 10000) for i in range(100)), [("1", "color")], title="colour")
    y = g.axis("16-115", [("1", "width")], title="width")
    dry_run_in_panel(page, editor_client, g.driver(x, y, name="one slice of 10,000", max_cells=10000, dry_run=True))
    plane = f"{PANEL} .xyz-plane:not([hidden])"
    page.wait_for_function("(s) => document.querySelectorAll(`${s} .xyz-tile`).length > 0", arg=plane, timeout=10000)

    def built() -> dict:
        return page.evaluate("""(s) => ({
            tiles: document.querySelectorAll(`${s} .xyz-tile`).length,
            due: document.querySelectorAll(`${s} .xyz-row-due`).length,
            cols: document.querySelectorAll(`${s} .xyz-col-label`).length,
            rows: document.querySelectorAll(`${s} .xyz-row-label`).length})""", plane)

    first = built()
    assert (first["cols"], first["rows"]) == (100, 100), first
    assert 100 <= first["tiles"] <= 7000 and first["tiles"] % 100 == 0, first  # whole rows, those near sight only
    assert first["due"] == 100 - first["tiles"] // 100, first
    last_in_sight = """(panel) => {
        const last = document.querySelector(`${panel} .xyz-plane:not([hidden]) .xyz-tile[data-index="9999"]`);
        if (!last) return false;
        const r = last.getBoundingClientRect(), v = document.querySelector(`${panel} .xyz-grid-box`)
            .getBoundingClientRect();
        return r.bottom <= Math.min(v.bottom, innerHeight) + 2 && r.right <= Math.min(v.right, innerWidth) + 2;
    }"""
    if renderer == "classic":  # the panel's box scrolls: scrolled to the far corner, the rows there are built
        box = page.locator(f"{PANEL} .xyz-grid-box").first
        assert box.evaluate("(b) => b.scrollHeight") > 100 * 24  # every row's room, built or not
        page.wait_for_function(f"""(panel) => {{
            const b = document.querySelector(`${{panel}} .xyz-grid-box`);
            b.scrollTop = b.scrollHeight; b.scrollLeft = b.scrollWidth;
            return ({last_in_sight})(panel);
        }}""", arg=PANEL, timeout=10000, polling=100)
    else:  # a Vue node grows to its content: the canvas zoomed out to show the whole node builds every row
        zoom_on(page, P.NODE_ASSEMBLER, 0.2)
        page.wait_for_function(f"""(panel) => {{
            const b = document.querySelector(`${{panel}} .xyz-grid-box`);
            b.scrollLeft = b.scrollWidth;  // its width is the node's: the columns still scroll across
            return ({last_in_sight})(panel);
        }}""", arg=PANEL, timeout=10000, polling=100)
    after = built()
    assert after["tiles"] > first["tiles"] and after["tiles"] + 100 * after["due"] == 10000, after
    last = page.locator(f"{plane} .xyz-tile[data-index='9999']").first
    assert (last.get_attribute("data-x"), last.get_attribute("data-y")) == ("99", "99")
    page.screenshot(path=str(screenshots / f"explorer_big_slice_{page.frontend}_{renderer}.png"))
    assert page.console.own == [], page.console.own
