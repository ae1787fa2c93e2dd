"""The sidebar as a user manages a long history: when each run was made and its disk use,
search (done by the server, so it reaches every page), rename in place, delete after the
editor's own confirmation (cancelled, then accepted), and a new run that shows up while
another page is shown, without moving that page.

One renderer: the sidebar is a panel of the editor, not a node, so the node renderer
(classic canvas or Vue) does not touch it; both frontends are covered (1.32 and 1.58 differ
in their sidebar and dialog components)."""
from __future__ import annotations

import re
import uuid

from harness.editor_page import dismiss_dialogs
from harness.graphs import image_graph
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyError

SIDEBAR = ".xyz-sidebar"
ROWS = f"{SIDEBAR} .xyz-row"


def dry_run(experiments, name: str) -> str:
    g = image_graph(size=16)
    x = g.axis("0, 128, 255", [("1", "color")])
    y = g.axis("1, 2", [("2", "blur_radius")])
    return experiments.start(g.driver(x, y, name=name, dry_run=True).prompt)


def open_sidebar(page) -> None:
    dismiss_dialogs(page)
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    page.locator(f"{SIDEBAR} .xyz-search").wait_for(state="visible", timeout=20000)


def row_ids(page) -> list[str]:
    return page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.id)")


def wait_rows(page, n: int) -> None:
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[ROWS, n], timeout=20000)


def dialog(page, text: str):
    box = page.get_by_role("dialog").filter(has_text=text)
    box.wait_for(state="visible", timeout=10000)
    return box


def shoot(page, path) -> None:
    """The sidebar as it is on screen (its element would include the rows scrolled out of view)."""
    box = page.locator(SIDEBAR).bounding_box()
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": box["x"] + box["width"],
                                          "height": min(box["y"] + box["height"], 1000)})


def status_of(client, eid: str) -> int:
    try:
        client.get(P.route_path(P.ROUTE_EXPERIMENT, eid))
        return 200
    except ComfyError as e:
        return e.status


def test_dates_disk_use_search_rename_delete_and_new_runs_on_a_later_page(page, editor_client, editor_experiments,
                                                                          editor_host, screenshots):
    token = f"sb{uuid.uuid4().hex[:6]}"
    ids = [dry_run(editor_experiments, f"{token} run {i:02d}") for i in range(22)]
    open_sidebar(page)

    # search: typed, debounced, answered by the server: 22 match, across two pages
    dry_run(editor_experiments, "another experiment")  # not found by the search
    page.locator(f"{SIDEBAR} .xyz-search").fill(token)
    page.wait_for_function("(sel) => document.querySelector(sel)?.textContent.startsWith('22 matching')",
                           arg=f"{SIDEBAR} .xyz-sidebar-summary", timeout=20000)
    wait_rows(page, 20)
    assert page.locator(f"{SIDEBAR} .xyz-page-text").text_content() == "1–20 of 22"
    assert re.fullmatch(r"22 matching · [\d.]+ (B|KB|MB|GB) on disk",
                        page.locator(f"{SIDEBAR} .xyz-sidebar-summary").text_content())
    assert row_ids(page) == ids[::-1][:20]
    # each row: when it was made (all today, to the minute) and its folder's size
    listing = editor_client.get(f"{P.ROUTE_EXPERIMENTS}?q={token}&limit=50")["experiments"]
    first = page.locator(ROWS).first
    assert re.fullmatch(r"today \d\d:\d\d", first.locator(".xyz-row-when").text_content())
    assert listing[0]["id"] == ids[-1] and first.locator(".xyz-row-when").get_attribute("title")
    disk = first.locator(".xyz-row-disk")
    assert re.fullmatch(r"[\d.]+ (B|KB)", disk.text_content()) and listing[0]["disk_bytes"] > 0
    assert disk.get_attribute("title") == f"{listing[0]['disk_bytes']:,} bytes on disk"

    # page 2 keeps its place while a new run comes in, and says so
    page.locator(f"{SIDEBAR} .xyz-next").click()
    wait_rows(page, 2)
    older = row_ids(page)
    assert older == ids[1::-1]
    newest = dry_run(editor_experiments, f"{token} run new")
    note = page.locator(f"{SIDEBAR} .xyz-new-runs")
    note.wait_for(state="visible", timeout=20000)
    assert note.text_content() == "1 new experiment — show"
    shoot(page, screenshots / f"sidebar_new_runs_{page.frontend}.png")
    assert row_ids(page) == older and page.locator(f"{SIDEBAR} .xyz-page-text").text_content() == "21–22 of 22"
    note.click()
    page.wait_for_function("([sel, id]) => document.querySelector(sel)?.dataset.id === id", arg=[ROWS, newest],
                           timeout=10000)
    assert note.is_hidden()

    # rename in place: Escape puts the old name back, Enter saves; the name is text
    row = page.locator(f"{ROWS}[data-id='{newest}']")
    row.locator(".xyz-row-name").dblclick()
    field = row.locator(".xyz-rename-input")
    field.fill("not this")
    field.press("Escape")
    assert row.locator(".xyz-row-name").text_content() == f"{token} run new"
    row.locator(".xyz-rename").click()
    field.fill(f"<b>{token}</b> 実験 🙂")
    field.press("Enter")
    page.wait_for_function("([sel, name]) => document.querySelector(sel)?.textContent === name",
                           arg=[f"{ROWS}[data-id='{newest}'] .xyz-row-name", f"<b>{token}</b> 実験 🙂"], timeout=10000)
    assert editor_client.get(P.route_path(P.ROUTE_EXPERIMENT, newest))["name"] == f"<b>{token}</b> 実験 🙂"
    assert page.locator(f"{SIDEBAR} b").count() == 0
    page.screenshot(path=str(screenshots / f"sidebar_manage_{page.frontend}.png"))
    shoot(page, screenshots / f"sidebar_rows_{page.frontend}.png")

    # delete asks first, naming it: cancelled, nothing happens
    victim = ids[-1]
    folder = editor_host.output_dir / P.OUTPUT_SUBFOLDER / victim
    page.locator(f"{ROWS}[data-id='{victim}'] .xyz-delete").click()
    box = dialog(page, f"{token} run 21")
    page.screenshot(path=str(screenshots / f"sidebar_delete_confirm_{page.frontend}.png"))
    box.get_by_role("button", name="Cancel").click()
    box.wait_for(state="hidden", timeout=10000)
    assert status_of(editor_client, victim) == 200 and folder.is_dir()
    assert page.locator(f"{ROWS}[data-id='{victim}']").count() == 1
    # accepted: the record and the folder go, and the list follows
    page.locator(f"{ROWS}[data-id='{victim}'] .xyz-delete").click()
    dialog(page, f"{token} run 21").get_by_role("button", name="Delete").click()
    page.wait_for_function("(sel) => !document.querySelector(sel)", arg=f"{ROWS}[data-id='{victim}']", timeout=10000)
    assert status_of(editor_client, victim) == 404 and not folder.exists()
    page.wait_for_function("(sel) => document.querySelector(sel)?.textContent === '1–20 of 22'",
                           arg=f"{SIDEBAR} .xyz-page-text", timeout=10000)
    # the picked one can be deleted from its large view too
    picked = ids[-2]
    page.locator(f"{ROWS}[data-id='{picked}']").click()
    page.locator(f"{SIDEBAR} .xyz-detail").wait_for(state="visible", timeout=10000)
    page.locator(f"{SIDEBAR} .xyz-delete-picked").click()
    dialog(page, f"{token} run 20").get_by_role("button", name="Delete").click()
    page.locator(f"{SIDEBAR} .xyz-detail").wait_for(state="hidden", timeout=10000)
    assert status_of(editor_client, picked) == 404
    assert page.console.own == [], page.console.own


def test_a_panel_showing_an_experiment_deleted_elsewhere_shows_its_empty_state(page, editor_client):
    from editor import load_graph, queue, show_node

    g = image_graph(size=32)
    x = g.axis("0, 255", [("1", "color")])
    load_graph(page, editor_client, g.driver(x, name="deleted from another tab"))
    dismiss_dialogs(page)
    show_node(page, P.NODE_ASSEMBLER)
    queue(page)
    page.wait_for_function("() => window.xyzStudio.panels()[0]?.experiment", timeout=60000)
    eid = page.evaluate("() => window.xyzStudio.panels()[0].experiment")
    page.wait_for_function("() => document.querySelector('.xyz-node-panel .xyz-title')?.dataset.status === 'complete'",
                           timeout=60000)
    assert page.locator(".xyz-node-panel .xyz-empty").first.is_hidden()
    # its tiles have loaded (an image still loading when its file goes would rightly 404)
    page.wait_for_function("() => [...document.querySelectorAll('.xyz-node-panel .xyz-tile img')]"
                           ".every(i => i.complete && i.naturalWidth > 0 || i.hidden)", timeout=20000)
    # deleted by someone else (another tab, a script): the server tells every tab
    editor_client.post(P.route_path(P.ROUTE_DELETE, eid), {})
    page.wait_for_function("() => window.xyzStudio.panels()[0].experiment === null", timeout=10000)
    page.locator(".xyz-node-panel .xyz-empty").first.wait_for(state="visible", timeout=5000)
    assert page.console.own == [], page.console.own
