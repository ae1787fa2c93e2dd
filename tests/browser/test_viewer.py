"""The standalone HTML viewer of an exported 3-axis experiment, opened from file:// in real Chromium."""
from __future__ import annotations

import subprocess

import pytest

from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON
from xyz_studio.common.format import format_metric, format_seconds

XSS = "<img src=x onerror=alert(1)>"
SHOWN = ".xyz-v-page:not([hidden])"  # views seen before stay in the page, hidden


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
    return [int(i) for i in page.eval_on_selector_all(f"{SHOWN} .xyz-v-tile", "ts => ts.map(t => t.dataset.index)")]


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
    page.select_option("select[data-role='columns']", "2")
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
    page.locator(".xyz-v-swap").click()  # back to a view seen before: the same page, shown again
    page.locator(".xyz-v-swap").click()
    assert tile_indexes(page) == shown and page.locator(".xyz-v-page").count() >= 4
    page.screenshot(path=str(screenshots / "viewer.png"))
    # the URL keeps the view: a reload (or a shared link) opens the same one
    url = page.url
    assert "#cols=2" in url and "heat=brightness" in url
    page.reload()
    page.wait_for_selector(".xyz-v-tile")
    assert tile_indexes(page) == shown and texts(page, f"{SHOWN} .xyz-v-col-label") == ["1", "4"]
    assert problems == []
    assert requests and all(u.startswith("file://") for u in requests), \
        [u for u in requests if not u.startswith("file")]


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
