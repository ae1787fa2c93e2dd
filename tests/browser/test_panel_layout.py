"""How the panel sits in the editor: the shipped examples leave every node in view (the
panel covers no neighbour), a big grid keeps its labels on screen while it scrolls and
never cuts a number in two, a long label's hover text is not clipped by the panel, and
picking an experiment in the sidebar leaves the workflow's panels alone. Every frontend,
both renderers."""
from __future__ import annotations

from editor import FOLDER, load, load_graph, queue, show_node

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P

PANEL = ".xyz-node-panel"
TITLE_HEIGHT = 30  # LiteGraph's node title bar sits above node.pos


def test_the_examples_have_no_overlapping_nodes(page, renderer, screenshots):
    for path in sorted(FOLDER.glob("*.json")):
        load(page, path.name)
        page.locator(PANEL).first.wait_for(state="attached", timeout=10000)
        page.wait_for_timeout(500)  # the panel has set its node's size, if it would
        boxes = page.evaluate("""() => window.app.graph.nodes.map(n => ({id: n.id, type: n.type,
            x: n.pos[0], y: n.pos[1], w: n.size[0], h: n.size[1]}))""")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                         or a["y"] + a["h"] + TITLE_HEIGHT <= b["y"] or b["y"] + b["h"] + TITLE_HEIGHT <= a["y"])
                assert apart, f"{path.name}: {a} overlaps {b}"
        assembler = next(b for b in boxes if b["type"] == P.NODE_ASSEMBLER)
        assert assembler["w"] >= 440, (path.name, assembler)  # room for the panel itself
        dismiss_dialogs(page)
        page.evaluate("""() => {  // the whole example in view, at a zoom that still draws the text
            const ds = window.app.canvas.ds;
            ds.scale = 0.6;
            ds.offset = [100, 200];  // clear of the left sidebar, which the canvas runs under
            window.app.graph.setDirtyCanvas(true, true);
        }""")
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshots / f"example_{path.stem}_{page.frontend}_{renderer}.png"))


def big_grid():
    """A 20 x 20 dry run whose column values are long numbers (seeds, say)."""
    g = image_graph(size=64)
    x = g.axis(", ".join(str(883011 + 7 * i) for i in range(20)), [("1", "color")], title="seed")
    long_label = "a very long label " * 6
    y = g.axis(", ".join(str(i) for i in range(1, 21)), [("2", "blur_radius")], title="blur",
               labels=", ".join(f"{long_label}{i}" if i == 20 else str(i) for i in range(1, 21)))
    return g.driver(x, y, name="twenty by twenty", dry_run=True)


def test_a_big_grid_keeps_its_labels_and_numbers_whole(page, editor_client, renderer, screenshots):
    load_graph(page, editor_client, big_grid())
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER, size=(520, 640))
    queue(page)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'planned'",
                           timeout=60000)
    page.wait_for_timeout(500)
    # a number never wraps onto two lines: each column label is one line, ending in an ellipsis if need be
    labels = page.evaluate("""() => [...document.querySelectorAll(
            '.xyz-node-panel .xyz-plane:not([hidden]) .xyz-col-label')]
        .map(l => ({text: l.textContent, title: l.title, height: l.getBoundingClientRect().height,
                    line: parseFloat(getComputedStyle(l).lineHeight)
                          * (l.getBoundingClientRect().height / l.offsetHeight),
                    wrap: getComputedStyle(l).whiteSpace}))""")
    assert len(labels) == 20 and labels[0]["text"] == "883011" and labels[0]["title"] == "883011"
    assert all(label["wrap"] == "nowrap" and label["height"] <= label["line"] * 1.5 for label in labels), labels[:3]
    # scrolled down and right, the column and row labels are still on screen (the Vue renderer
    # grows the node to the whole grid instead: then nothing scrolls and all of it is in the box)
    box = page.locator(f"{PANEL} .xyz-grid-box").first
    box.evaluate("(b) => { b.scrollTop = b.scrollHeight; b.scrollLeft = b.scrollWidth; }")
    page.wait_for_timeout(200)
    seen = box.evaluate("""(b) => {
        const r = b.getBoundingClientRect(), plane = b.querySelector('.xyz-plane:not([hidden])');
        const col = [...plane.querySelectorAll('.xyz-col-label')].at(-1).getBoundingClientRect();
        const row = [...plane.querySelectorAll('.xyz-row-label')].at(-1).getBoundingClientRect();
        const last = [...plane.querySelectorAll('.xyz-tile')].at(-1).getBoundingClientRect();
        return {scrolled: b.scrollTop > 0, scrollable: b.scrollHeight > b.clientHeight + 1,
                boxTop: r.top, colTop: col.top, boxLeft: r.left, rowLeft: row.left,
                lastInside: last.bottom <= r.bottom + 1 && last.right <= r.right + 1};
    }""")
    if seen["scrollable"]:
        assert seen["scrolled"], seen
        assert abs(seen["colTop"] - seen["boxTop"]) <= 2 and abs(seen["rowLeft"] - seen["boxLeft"]) <= 2, seen
    else:
        assert renderer == "vue" and seen["lastInside"], seen
    page.screenshot(path=str(screenshots / f"panel_20x20_scrolled_{page.frontend}_{renderer}.png"))
    # the hover text of a tile with a long label is whole: inside the window, nothing cut
    tile = page.locator(f"{PANEL} .xyz-plane:not([hidden]) .xyz-tile").last
    tile.hover()
    tip = page.locator(".xyz-tooltip:not([hidden])")
    tip.wait_for(state="visible", timeout=5000)
    whole = tip.evaluate("""(t) => { const r = t.getBoundingClientRect();
        return {right: r.right, bottom: r.bottom, width: innerWidth, height: innerHeight,
                clipped: t.scrollWidth > t.clientWidth || t.scrollHeight > t.clientHeight,
                text: t.textContent}; }""")
    assert "a very long label" in whole["text"] and whole["text"].count("a very long label") == 6, whole
    assert not whole["clipped"] and whole["right"] <= whole["width"] and whole["bottom"] <= whole["height"], whole
    page.screenshot(path=str(screenshots / f"panel_hover_long_{page.frontend}_{renderer}.png"))
    assert page.console.own == [], page.console.own


def test_picking_in_the_sidebar_leaves_the_panels_alone(page, editor_client, editor_experiments, screenshots):
    # an experiment of another workflow, run through the API (it shows in the sidebar's list)
    foreign = editor_experiments.run(big_grid().prompt)["id"]
    graph = image_graph(size=32)
    x = graph.axis("0, 255", [("1", "color")], title="colour")
    load_graph(page, editor_client, graph.driver(x, name="the panel's own"))
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=60000)
    own = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    page.evaluate("async () => { await window.app.extensionManager.command.execute("
                  "'Workspace.ToggleSidebarTab.xyz-studio'); }")
    row = page.locator(f".xyz-sidebar .xyz-row[data-id='{foreign}']")
    row.wait_for(state="visible", timeout=10000)
    row.click()
    page.locator(".xyz-sidebar .xyz-detail .xyz-title").first.wait_for(state="visible", timeout=10000)
    page.wait_for_timeout(800)
    # the sidebar shows the pick; the node's panel and its saved properties keep its own experiment
    assert page.evaluate("() => window.xyzStudio.panels().map(p => p.experiment)") == [own]
    props = page.evaluate("""() => window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridAssembler')
        .properties.xyz_experiment""")
    assert props == own
    page.screenshot(path=str(screenshots / f"sidebar_pick_{page.frontend}.png"))
    # "Load this workflow" of its own experiment puts it back in the loaded node's panel
    page.locator(f".xyz-sidebar .xyz-row[data-id='{own}']").click()
    page.locator(".xyz-sidebar .xyz-load-workflow").click()
    page.wait_for_function("(id) => window.xyzStudio.panels().length === 1 && "
                           "window.xyzStudio.panels()[0].experiment === id", arg=own, timeout=15000)
    assert page.console.own == [], page.console.own
