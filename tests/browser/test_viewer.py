"""The standalone HTML viewer of an exported 3-axis experiment, opened from file:// in real Chromium."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON
from xyz_studio.common.format import format_metric, format_seconds
from xyz_studio.export import html_viewer

XSS = "<img src=x onerror=alert(1)>"
SHOWN = ".xyz-v-page"


@pytest.fixture(scope="module")
def exported(experiments, host, tmp_path_factory):
    g = image_graph(size=96)
    g.prompt["30"] = {"class_type": "XYZTest.ImageMean", "inputs": {"image": ["2", 0]}}
    x = g.axis("0, 8421504, 16777215", [("1", "color")], title="colour", labels=f"black, {XSS}, white")
    y = g.axis("1, 9", [("2", "blur_radius")], title="blur")
    z = g.axis("1.0, 4.0", [("2", "sigma")], title="sigma")
    g.driver(x, y, z, name="exported <b>sweep</b>")
    g.metric("metric_1", ("30", 0), name="brightness")
    manifest = experiments.run(g.prompt)
    out = tmp_path_factory.mktemp("export") / "viewer"
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", manifest["id"], "--server", host.url,
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out / "index.html")
    return manifest, out


@pytest.fixture()
def viewer(browser, exported):
    manifest, out = exported
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    problems, requests = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "index.html").as_uri())
    page.wait_for_selector(".xyz-v-tile")
    yield page, manifest, problems, requests
    context.close()


def texts(page, selector: str) -> list[str]:
    return page.locator(selector).all_text_contents()


def tile_indexes(page) -> list[int]:
    """The cells of the tiles in the page, row by row (tiles are placed by hand, not in DOM order)."""
    return [int(i) for i in page.eval_on_selector_all(
        f"{SHOWN} .xyz-v-tile",
        "ts => ts.map(t => [+t.dataset.row, +t.dataset.col, t.dataset.index])"
        ".sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(t => t[2])")]


def table_indexes(page) -> list[int]:
    return [int(i) for i in page.eval_on_selector_all(".xyz-v-table-row", "rs => rs.map(r => r.dataset.index)")]


def test_views_switch_cells_open_and_the_hash_brings_the_view_back(viewer, screenshots):
    page, manifest, problems, requests = viewer
    assert page.title() == "exported <b>sweep</b> · XYZ Plot Studio"
    assert texts(page, f"{SHOWN} .xyz-v-col-label") == ["black", XSS, "white"]   # text, not markup
    assert page.locator("img[src='x']").count() == 0
    assert tile_indexes(page) == [0, 1, 2, 3, 4, 5]                        # z = 0: x across, y down
    # Z on its slider: the second sigma
    page.locator(".xyz-v-slider[data-slot='z'] input").fill("1")
    assert tile_indexes(page) == [6, 7, 8, 9, 10, 11]
    assert page.locator(".xyz-v-slider-value").text_content() == "4"
    # swap X and Y, then put Z on the columns (X moves to a slider)
    page.locator(".xyz-v-swap").click()
    assert texts(page, f"{SHOWN} .xyz-v-col-label") == ["1", "9"]
    assert texts(page, f"{SHOWN} .xyz-v-row-label") == ["black", XSS, "white"]
    page.select_option("select[data-role='columns']", "z")
    assert texts(page, f"{SHOWN} .xyz-v-col-label") == ["1", "4"]
    assert page.locator(".xyz-v-slider[data-slot='y'] .xyz-v-slider-title").text_content() == "blur"
    shown = tile_indexes(page)
    # hover: every axis's value, the time and the metric
    page.locator(f"{SHOWN} .xyz-v-tile").nth(1).hover()
    tip = page.locator(".xyz-v-tip").inner_text()
    assert f"colour: {XSS}" not in tip and "colour: black" in tip and "sigma: 4" in tip and "brightness: " in tip
    # open a cell: full size, arrows step, Escape closes
    page.locator(f"{SHOWN} .xyz-v-tile").nth(1).click()
    overlay = page.locator(".xyz-v-overlay")
    assert overlay.is_visible() and int(overlay.get_attribute("data-index")) == shown[1]
    assert page.locator(".xyz-v-full img").evaluate("img => img.naturalWidth") == 96
    page.keyboard.press("ArrowDown")
    assert int(overlay.get_attribute("data-index")) == shown[3]
    page.keyboard.press("Escape")
    assert not overlay.is_visible()
    page.select_option("select[data-role='heatmap']", "brightness")
    assert page.locator(f"{SHOWN} .xyz-v-heat").count() == len(shown)
    # back to a view seen before: the same tiles (their images decoded) are put back, not made again
    page.eval_on_selector_all(f"{SHOWN} .xyz-v-tile", "ts => ts.forEach(t => { t.seenBefore = true; })")
    page.locator(".xyz-v-swap").click()
    page.locator(".xyz-v-swap").click()
    assert tile_indexes(page) == shown
    assert page.eval_on_selector_all(f"{SHOWN} .xyz-v-tile", "ts => ts.every(t => t.seenBefore)")
    page.screenshot(path=str(screenshots / "viewer.png"))
    # the URL keeps the view: a reload (or a shared link) opens the same one
    # changes in a burst are written once they pause: wait for the last one
    page.wait_for_function("() => location.hash.startsWith('#cols=z&rows=x&') && /heat=brightness/.test(location.hash)")
    page.reload()
    page.wait_for_selector(".xyz-v-tile")
    assert tile_indexes(page) == shown and texts(page, f"{SHOWN} .xyz-v-col-label") == ["1", "4"]
    assert problems == []
    assert requests and all(u.startswith("file://") for u in requests), \
        [u for u in requests if not u.startswith("file")]


def test_toggles_the_table_and_a_copied_link_open_the_same_view(viewer, browser, screenshots):
    page, manifest, problems, _ = viewer
    cells = {c["index"]: c for c in manifest["cells"]}
    # toggle the second colour off: its column goes, in the grid and in the table
    page.locator(".xyz-v-values-button").click()
    page.locator(".xyz-v-value[data-slot='x'][data-value='1']").click()
    assert texts(page, f"{SHOWN} .xyz-v-col-label") == ["black", "white"]
    assert tile_indexes(page) == [0, 2, 3, 5]
    # the wheel over a slider steps it, and the arrow keys step the active slider
    page.locator(".xyz-v-slider[data-slot='z']").hover()
    page.mouse.wheel(0, 100)
    assert tile_indexes(page) == [6, 8, 9, 11]
    page.locator("h1").click()
    page.keyboard.press("ArrowLeft")
    assert tile_indexes(page) == [0, 2, 3, 5]
    page.keyboard.press("ArrowRight")
    assert tile_indexes(page) == [6, 8, 9, 11]
    # the table: a row per shown cell, sorted by a metric (a click: ascending, another: descending)
    page.locator(".xyz-v-mode").click()
    shown = [i for i, c in cells.items() if c["at"]["x"] != 1]
    assert sorted(table_indexes(page)) == sorted(shown)
    assert page.locator(".xyz-v-table-count").text_content() == f"8 of {len(cells)} cells"
    page.locator(".xyz-v-sort[data-key='metric:brightness']").click()
    page.locator(".xyz-v-sort[data-key='metric:brightness']").click()
    by_brightness = sorted(shown, key=lambda i: (-cells[i]["metrics"]["brightness"], i))
    assert table_indexes(page) == by_brightness
    page.locator(".xyz-v-filter").fill("sigma: 4")
    assert table_indexes(page) == [i for i in by_brightness if cells[i]["at"]["z"] == 1]
    page.screenshot(path=str(screenshots / "viewer_table.png"))
    page.locator(".xyz-v-filter").fill("white sigma: 4")
    white = [i for i in by_brightness if cells[i]["at"]["x"] == 2 and cells[i]["at"]["z"] == 1]
    assert table_indexes(page) == white and len(white) == 2
    assert page.locator(".xyz-v-table-row td").nth(2).text_content() == "white"  # thumb, #, colour
    # the link, opened in a new page: the same view (table, sort, filter, toggles, slider)
    other = browser.new_page(viewport={"width": 1400, "height": 900})
    page.wait_for_function("() => location.hash.includes('q=white%20sigma%3A%204')")
    other.goto(page.url)
    other.wait_for_selector(".xyz-v-table-row")
    assert table_indexes(other) == white
    assert other.locator(".xyz-v-filter").input_value() == "white sigma: 4"
    assert other.locator("th[aria-sort='descending'] .xyz-v-sort").get_attribute("data-key") == "metric:brightness"
    other.locator(".xyz-v-mode").click()
    assert tile_indexes(other) == [6, 8, 9, 11]
    assert other.locator(".xyz-v-value[data-slot='x'][data-value='1']").get_attribute("aria-pressed") == "false"
    # a link of the former viewer (axes and positions by number) opens its view: sigma across, colour down, blur 9
    other.goto(other.url.split("#")[0] + "#cols=2&rows=0&at=0,1,0&zoom=192")
    other.wait_for_function("() => document.querySelectorAll('.xyz-v-row-label').length === 3")
    assert texts(other, f"{SHOWN} .xyz-v-col-label") == ["1", "4"] and tile_indexes(other) == [3, 9, 4, 10, 5, 11]
    other.close()
    assert problems == []


def test_ten_thousand_cells_draw_only_what_is_in_view(browser, tmp_path):
    # a 10,000-cell six-axis export (no images: a dry run's): the grid and the table draw what is in view
    sizes = [10, 10, 5, 5, 2, 2]
    axes = [{"slot": slot, "title": slot, "labels": [f"{slot}{v}" for v in range(n)]}
            for slot, n in zip(["x", "y", "z", "axis4", "axis5", "axis6"], sizes)]
    cells = []
    for index in range(10000):
        at, rest = [], index
        for n in sizes:
            at.append(rest % n)
            rest //= n
        cells.append({"index": index, "at": at, "status": "planned", "error": None, "seconds": None,
                      "metrics": {"m": index % 7}, "thumb": None, "full": None})
    data = {"id": "big", "name": "10,000 cells", "axes": axes, "metrics": [{"name": "m", "goal": "higher is better"}],
            "cells": cells}
    (tmp_path / "index.html").write_text(html_viewer.page(data), encoding="utf-8")
    for asset in ("viewer.js", "viewer.css"):
        shutil.copyfile(html_viewer.ASSETS / asset, tmp_path / asset)
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto((tmp_path / "index.html").as_uri() + "#cols=x&rows=y&zoom=96")
    page.wait_for_selector(".xyz-v-tile")
    drawn = page.locator(".xyz-v-tile").count()
    assert 20 <= drawn < 100, drawn  # a 10 x 10 slice, of which what fits in 1200 x 800 (and a tile around)
    page.locator(".xyz-v-grid").evaluate("g => g.scrollTo(0, g.scrollHeight)")
    page.wait_for_selector(".xyz-v-tile[data-row='9']")
    page.locator(".xyz-v-mode").click()
    assert page.locator(".xyz-v-table-count").text_content() == "10000 of 10000 cells"
    assert page.locator(".xyz-v-table-row").count() < 60
    page.locator(".xyz-v-sort[data-key='index']").click()
    page.locator(".xyz-v-sort[data-key='index']").click()   # descending: 9999 first
    assert table_indexes(page)[0] == 9999
    page.locator(".xyz-v-table-scroll").evaluate("s => s.scrollTo(0, s.scrollHeight)")
    page.wait_for_function("() => [...document.querySelectorAll('.xyz-v-table-row')].at(-1)?.dataset.index === '0'")
    assert page.locator(".xyz-v-table-row").count() < 60
    page.close()


def test_a_failed_cell_shows_its_error_as_text(browser, experiments, host, tmp_path):
    g = image_graph(size=64)
    g.prompt["31"] = {"class_type": "XYZTest.FlakyScore", "inputs": {"value": 0.0, "nan_for": -1.0, "fail_for": 2.0}}
    x = g.axis("1, 2", [("31", "value")], title="score")
    g.driver(x, name="one fails").metric("metric_1", ("31", 0), name="score")
    manifest = experiments.run(g.prompt)
    out = tmp_path / "viewer"
    subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", manifest["id"], "--server", host.url,
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=120)
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    failed = page.locator(".xyz-v-tile[data-status='failed']")
    failed.wait_for()
    assert "Flaky Score cannot score 2.0" in failed.text_content()
    page.close()


def test_a_metric_value_and_a_time_read_as_on_the_grid_and_in_the_panel(browser, experiments, host, tmp_path,
                                                                         screenshots):
    # the viewer is bundled apart from the editor's panel: both import js/src/format.ts, whose rule
    # xyz_studio/common/format.py shares (the grid captions, W&B, the runner); its table of cases pins both
    g = image_graph(size=64)
    g.prompt["31"] = {"class_type": "XYZTest.FlakyScore", "inputs": {"value": 0.0, "nan_for": -1.0, "fail_for": -2.0}}
    x = g.axis("12345.6, 0.000012345, -3.5", [("31", "value")], title="score in")
    g.driver(x, name="value formats").metric("metric_1", ("31", 0), name="score")
    manifest = experiments.run(g.prompt)
    out = tmp_path / "viewer"
    subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", manifest["id"], "--server", host.url,
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=120)
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    tiles = page.locator(".xyz-v-tile")
    tiles.first.wait_for()
    cells = sorted(manifest["cells"], key=lambda c: c["index"])
    shown = ["12346", "1.234e-5", "-3.5"]
    assert [format_metric(c["metrics"]["score"]) for c in cells] == shown  # what the grid's captions say
    for i, cell in enumerate(cells):
        tiles.nth(i).hover()
        tip = page.locator(".xyz-v-tip").inner_text().splitlines()
        assert f"score: {shown[i]}" in tip and f"time: {format_seconds(cell['seconds'])}" in tip, tip
    page.select_option("select[data-role='heatmap']", "score")
    assert texts(page, ".xyz-v-heat-value") == shown
    page.screenshot(path=str(screenshots / "viewer_value_formats.png"))
    page.close()
