"""A search experiment where the user looks (issue 20, item 3), in the real editor and the HTML viewer: a tiny-SD
sweep of 12 cells whose Sharpness metric is the objective of a TPE search with a budget of 4. The grid fills
sparsely (the cells run as images, the rest as empty tiles), the best cell so far is outlined as the cells
arrive and is the manifest's best, and the chart has one mark per cell run, in the order run.

One renderer per frontend (the chart and the tiles are the explorer's own DOM, the same in both): the classic
canvas on the host's 1.32.9, the Vue nodes on the newest (which turns them on for new installs); the sidebar's
large view on each; the HTML viewer once (a page of its own: no editor, no frontend)."""
from __future__ import annotations

import subprocess

from editor import add_by_search, load_graph, queue, reload_showing, second_tab_on_sidebar, show_node
from editor import look_at_panel as look
from host_noise import is_the_packs
from test_editor_from_scratch import connect, set_widget
from test_lifecycle_in_editor import wait_done_at_least, wait_status

from harness.editor_page import dismiss_dialogs, use_renderer
from harness.graphs import sd_graph
from harness.host import HOST_FRONTEND, REPO, VENV_PYTHON
from xyz_studio import protocol as P
from xyz_studio.common.format import format_metric

CKPT = "tiny_sd15_a.safetensors"
SHARP = "40"
BUDGET = 4
PANEL = ".xyz-node-panel"
SHOWN = f"{PANEL} .xyz-plane:not([hidden])"
SIDEBAR = ".xyz-sidebar"

# every change of the outlined tile, recorded from before the queue: the best so far, live
RECORD_BEST = """() => {
    window.bestSeen = [];
    new MutationObserver((changes) => {
        for (const c of changes) {
            const tile = c.target;
            if (!tile.closest('.xyz-node-panel') || !tile.hasAttribute('data-best')) continue;
            const index = Number(tile.dataset.index);
            if (window.bestSeen[window.bestSeen.length - 1] !== index) window.bestSeen.push(index);
        }
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-best']});
}"""


def sweep_to_search(name: str = "search view"):
    """cfg 3, 5, 7, 9 across, steps 2, 3, 4 down (12 cells), the sharpness of the decoded image a metric."""
    g = sd_graph(CKPT, size=64)
    g.prompt[SHARP] = {"class_type": P.NODE_SHARPNESS, "inputs": {"image": ["8", 0]}}
    x = g.axis("3, 5, 7, 9", [("3", "cfg")], title="cfg")
    y = g.axis("2, 3, 4", [("3", "steps")], title="steps")
    g.driver(x, y, name=name)
    return g.metric("metric_1", (SHARP, 0), name="sharpness")


def searched_sweep():
    """The sweep above, its sharpness the objective of a TPE search that runs 4 of the 12 cells (the least
    sharp wins)."""
    # lower is better (the Search node's goal over the metric's own): with this seed the best so far changes
    # twice as the cells come, which the outline has to follow
    return sweep_to_search().search("sharpness", budget=BUDGET, sampler="TPE", seed=7, goal="lower is better")


def lower_is_better(manifest) -> bool:
    return str(manifest["options"]["search"]["goal"]).startswith("lower")


def run_order(manifest) -> list[dict]:
    """The cells the search ran, in the order they finished."""
    run = [c for c in manifest["cells"] if c["status"] in ("done", "failed")]
    return sorted(run, key=lambda c: (c["finished_at"], c["index"]))


def best_so_far(manifest) -> list[int]:
    """The best cell after each cell run, each change once (the first run of equal values keeps it)."""
    lower, best, value, changes = lower_is_better(manifest), None, None, []
    for cell in run_order(manifest):
        v = cell["metrics"].get("sharpness") if cell["status"] == "done" else None
        if v is not None and (value is None or (v < value if lower else v > value)):
            best, value = cell["index"], v
            changes.append(best)
    return changes


def tiles(page, scope: str) -> dict[str, list]:
    """The tiles of the slice shown: the cells drawn as images, as empty tiles, and the outlined ones."""
    return page.evaluate("""(scope) => {
        const all = [...document.querySelectorAll(scope + ' .xyz-tile')];
        const index = (t) => Number(t.dataset.index);
        const image = (t) => { const i = t.querySelector('img.xyz-tile-image'); return i && !i.hidden && i.src; };
        return {
            images: all.filter(image).map(index),
            srcs: all.filter(image).map(t => t.querySelector('img.xyz-tile-image').src),
            empty: all.filter(t => t.hasAttribute('data-not-run')).map(index),
            emptyTexts: all.filter(t => t.hasAttribute('data-not-run')).map(t => t.textContent),
            best: all.filter(t => t.hasAttribute('data-best')).map(index),
            outline: all.filter(t => t.hasAttribute('data-best'))
                .map(t => { const s = getComputedStyle(t); return `${s.outlineStyle} ${s.outlineWidth}`; }),
            badge: all.filter(t => t.hasAttribute('data-best'))
                .map(t => getComputedStyle(t, '::before').content),
        };
    }""", scope)


def chart(page, scope: str) -> dict:
    return page.evaluate("""(scope) => {
        const root = document.querySelector(scope + ' .xyz-objective');
        const marks = [...root.querySelectorAll('.xyz-objective-point, .xyz-objective-failed')];
        return {hidden: root.hidden, height: root.offsetHeight,  // layout px: the canvas scales the panel
                title: root.querySelector('.xyz-objective-title').textContent,
                progress: root.querySelector('.xyz-objective-progress').textContent,
                best: root.querySelector('.xyz-objective-best').textContent,
                marks: marks.map(m => Number(m.dataset.index)),
                failed: root.querySelectorAll('.xyz-objective-failed').length,
                top: [...root.querySelectorAll('.xyz-objective-top')].map(m => Number(m.dataset.index)),
                step: root.querySelector('.xyz-objective-step')?.getAttribute('d') ?? ''};
    }""", scope)


def check_view(page, scope: str, manifest) -> None:
    """The grid shown and the chart inside `scope` (the panel or the sidebar) against the manifest."""
    run = run_order(manifest)
    done = sorted(c["index"] for c in run if c["status"] == "done")
    planned = sorted(c["index"] for c in manifest["cells"] if c["status"] == "planned")
    assert len(run) == BUDGET and len(planned) == 12 - BUDGET, [c["status"] for c in manifest["cells"]]
    best = best_so_far(manifest)[-1]
    seen = tiles(page, f"{scope} .xyz-plane:not([hidden])")
    assert sorted(seen["images"]) == done, seen
    files = {c["index"]: c["files"][0].split("/")[-1] for c in run if c["status"] == "done"}
    assert all(any(files[i] in src for src in seen["srcs"]) for i in done), (files, seen["srcs"])
    assert sorted(seen["empty"]) == planned and set(seen["emptyTexts"]) == {""}, seen
    assert seen["best"] == [best] and seen["outline"] == ["solid 3px"] and seen["badge"] == ['"best"'], seen
    shown = chart(page, scope)
    assert not shown["hidden"] and shown["height"] > 60, shown
    assert shown["marks"] == [c["index"] for c in run], shown  # one mark per cell run, in the order run
    assert shown["failed"] == len(run) - len(done) and shown["top"] == [best] and shown["step"].startswith("M")
    goal = "lower" if lower_is_better(manifest) else "higher"
    assert shown["title"] == f"sharpness ({goal} is better)"
    assert shown["progress"].startswith(f"run {BUDGET} of budget {BUDGET}") and "TPE" in shown["progress"]
    cell = next(c for c in manifest["cells"] if c["index"] == best)
    value = format_metric(cell["metrics"]["sharpness"])
    assert shown["best"] == f"best {value} at cfg {cell['labels']['x']}, steps {cell['labels']['y']}", shown


def test_the_grid_fills_sparsely_the_best_is_outlined_and_the_chart_shows(page, editor_client, screenshots):
    renderer = "classic" if page.frontend == HOST_FRONTEND else "vue"
    use_renderer(page, renderer)
    load_graph(page, editor_client, searched_sweep())
    page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER, size=(560, 760))
    page.evaluate(RECORD_BEST)
    queue(page)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=180000)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))
    assert manifest["options"]["search"]["objective"] == "sharpness" and not manifest["dry_run"], manifest["options"]
    # a search runs its budget: the progress is of the budget
    progress = page.locator(f"{PANEL} .xyz-progress-text").first.text_content()
    assert progress.startswith(f"{BUDGET} / {BUDGET} done · search of 12 cells"), progress
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 12", arg=f"{SHOWN} .xyz-tile",
                           timeout=10000)
    look(page, screenshots / f"search_view_panel_{page.frontend}_{renderer}.png")
    check_view(page, PANEL, manifest)
    # outlined as the cells arrived: the outline moved along the best so far and ended on the manifest's best (the
    # panel shows the experiment as it starts, and a cell heard while its manifest loads is applied after it)
    expected, seen = best_so_far(manifest), page.evaluate("() => window.bestSeen")
    assert len(expected) > 1 and seen == expected, (seen, expected)
    # a click on a dot opens that cell at full size; the arrows step through the cells in the order run
    done = [c for c in run_order(manifest) if c["status"] == "done"]
    page.locator(f"{PANEL} .xyz-objective-point").nth(1).click()
    image = page.locator(".xyz-overlay .xyz-overlay-image")
    image.wait_for(state="visible", timeout=5000)
    assert done[1]["files"][0].split("/")[-1] in (image.get_attribute("src") or "")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([s, f]) => document.querySelector(s)?.getAttribute('src')?.includes(f)",
                           arg=[".xyz-overlay .xyz-overlay-image", done[2]["files"][0].split("/")[-1]], timeout=5000)
    page.keyboard.press("Escape")
    page.locator(".xyz-overlay").wait_for(state="detached", timeout=5000)
    assert not page.console.own, page.console.own

    # the sidebar's large view of the same experiment
    dismiss_dialogs(page)
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    page.locator(f"{SIDEBAR} .xyz-row[data-id='{eid}']").first.click(timeout=20000)
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 12",
                           arg=f"{SIDEBAR} .xyz-plane:not([hidden]) .xyz-tile", timeout=10000)
    check_view(page, SIDEBAR, manifest)
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshots / f"search_view_sidebar_{page.frontend}.png"))
    # the table marks the best cell's row, and says "not run" of the others the search left
    page.locator(f"{SIDEBAR} .xyz-mode").first.click()
    rows = f"{SIDEBAR} .xyz-table tbody tr"
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 12", arg=rows, timeout=5000)
    marked = page.eval_on_selector_all(f"{rows}[data-best]", "trs => trs.map(tr => Number(tr.dataset.index))")
    assert marked == [best_so_far(manifest)[-1]], marked
    statuses = page.eval_on_selector_all(rows, "trs => trs.map(tr => tr.textContent)")
    assert sum("not run" in t for t in statuses) == 12 - BUDGET and not any("planned" in t for t in statuses)


def test_the_viewer_shows_the_search_as_the_editor_does(browser, experiments, host, screenshots):
    """The search exported as the standalone HTML viewer, opened from file://: the same empty tiles, best cell
    and chart."""
    manifest = experiments.run(searched_sweep().prompt, timeout=300)
    out = REPO / ".test-output" / "search-view-export"
    done = subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", manifest["id"], "--server", host.url,
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    context = browser.new_context(viewport={"width": 1400, "height": 1300})
    try:
        page = context.new_page()
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((out / "index.html").as_uri())
        page.wait_for_selector(".xyz-v-tile")
        page.wait_for_timeout(300)
        run = run_order(manifest)
        seen = page.evaluate("""() => {
            const all = [...document.querySelectorAll('.xyz-v-page .xyz-v-tile')];
            return {images: all.filter(t => t.querySelector('img')).map(t => Number(t.dataset.index)),
                    empty: all.filter(t => t.classList.contains('xyz-v-empty')).map(t => Number(t.dataset.index)),
                    emptyTexts: all.filter(t => t.classList.contains('xyz-v-empty')).map(t => t.textContent),
                    best: all.filter(t => t.hasAttribute('data-best')).map(t => Number(t.dataset.index)),
                    outline: all.filter(t => t.hasAttribute('data-best'))
                        .map(t => { const s = getComputedStyle(t); return `${s.outlineStyle} ${s.outlineWidth}`; })};
        }""")
        done_cells = sorted(c["index"] for c in run if c["status"] == "done")
        planned = sorted(c["index"] for c in manifest["cells"] if c["status"] == "planned")
        assert sorted(seen["images"]) == done_cells and sorted(seen["empty"]) == planned, seen
        assert set(seen["emptyTexts"]) == {""}, seen
        best = best_so_far(manifest)[-1]
        assert seen["best"] == [best] and seen["outline"] == ["solid 3px"], seen
        shown = chart(page, "body")
        assert not shown["hidden"] and shown["marks"] == [c["index"] for c in run] and shown["top"] == [best], shown
        assert shown["progress"].startswith(f"run {BUDGET} of budget {BUDGET}"), shown
        page.screenshot(path=str(screenshots / "search_view_viewer.png"))
        assert not problems, problems
    finally:
        context.close()


def test_a_search_node_added_and_wired_by_hand_survives_a_reload_and_shows_in_a_second_tab(
        page, editor_client, renderer, screenshots):
    """As a user turns a sweep into a search: the Search node added by the search box, wired into the Grid Driver
    by hand, its objective set; queued, the page reloaded mid-search, a second tab opened on the sidebar: both
    follow the search to its budget, the grid sparse with the best cell outlined and the chart there."""
    load_graph(page, editor_client, sweep_to_search("searched by hand"))
    dismiss_dialogs(page)
    driver = page.evaluate("(t) => window.app.graph.nodes.find(n => n.type === t).id", P.NODE_DRIVER)
    # the view moved off the nodes (the Vue renderer's nodes are DOM on top of the canvas): a double-click
    # on the empty canvas opens the search box there
    page.evaluate("""() => { window.app.canvas.ds.changeScale(1, [0, 0]); window.app.canvas.ds.offset = [-20000, 0];
                             window.app.graph.setDirtyCanvas(true, true); }""")
    page.wait_for_timeout(300)
    search = add_by_search(page, "Search", P.NODE_SEARCH, (900, 500))
    # the Search node's one output (named by its type on 1.32, by its name on newer frontends)
    connect(page, search, page.evaluate("(id) => window.app.graph.getNodeById(id).outputs[0].name", search),
            driver, "search")
    # its values set as a widget's edit sets them (typing into a text field: test_editor_from_scratch.py)
    for widget, value in (("objective", "sharpness"), ("budget", BUDGET), ("search_seed", 7),
                          ("goal", "lower is better")):
        set_widget(page, search, widget, value)
    show_node(page, P.NODE_ASSEMBLER, size=(560, 760))
    queue(page)
    page.wait_for_function("() => window.xyzStudio.panels()[0]?.experiment", timeout=60000)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    wait_done_at_least(page, PANEL, 1)

    reload_showing(page, eid)
    second, second_errors = second_tab_on_sidebar(page, eid)

    wait_status(page, PANEL, "complete", timeout=180000)
    wait_status(second, ".xyz-detail", "complete", timeout=60000)
    manifest = editor_client.get(P.ROUTE_MANIFEST.format(experiment_id=eid))
    assert manifest["options"]["search"] == {"objective": "sharpness", "budget": BUDGET, "sampler": "TPE", "seed": 7,
                                             "coarse_fraction": 0.0, "goal": "lower is better"}
    show_node(page, P.NODE_ASSEMBLER, size=(560, 760))
    page.wait_for_function("(s) => document.querySelectorAll(s).length === 12", arg=f"{SHOWN} .xyz-tile",
                           timeout=10000)
    check_view(page, PANEL, manifest)
    second.wait_for_function("(s) => document.querySelectorAll(s).length === 12",
                             arg=f"{SIDEBAR} .xyz-plane:not([hidden]) .xyz-tile", timeout=10000)
    check_view(second, SIDEBAR, manifest)
    # the sidebar's row counts the search against its budget
    meta = second.locator(f"{SIDEBAR} .xyz-row[data-id='{eid}'] .xyz-row-meta").first.text_content()
    assert meta == f"4 × 3 × 1 · complete · search · {BUDGET}/{BUDGET} run of 12", meta
    look(page, screenshots / f"search_by_hand_panel_{page.frontend}_{renderer}.png")
    second.screenshot(path=str(screenshots / f"search_by_hand_second_tab_{page.frontend}_{renderer}.png"))
    second.close()
    assert [e for e in second_errors if is_the_packs(e)] == [], second_errors
    assert page.console.own == [], page.console.own
