"""A typo in an XYZ Axis, queued from the editor: the axis is the node marked, the pack's
message (node, input, value, expected) is what the editor shows, with no "node threw an
error during execution" and no stack trace; the Grid Assembler's panel says the workflow
was not queued instead of going on showing the previous experiment. Every frontend, both
renderers."""
from __future__ import annotations

from editor import load_graph, queue

from harness.editor_page import dismiss_dialogs
from harness.graphs import DRIVER_ID, sd_graph
from xyz_studio import protocol as P

CKPT = "tiny_sd15_a.safetensors"
CRASH_WORDING = ("threw an error during execution", "Traceback", 'File "', "Error in ")
BANNER = ".xyz-node-panel .xyz-refusal"


def frontend_message(page) -> str:
    """The text the frontend itself shows of the refusal: 1.32's error dialog; the toast on
    newer ones (which name the node and the input only: the panel's banner has the rest)."""
    found = page.locator(".comfy-error-report") if page.frontend == "1.32.9" else \
        page.get_by_text("XYZ Axis rejected the value for values")  # 1.58's error overlay
    found.first.wait_for(timeout=10000)
    return found.first.inner_text()


def test_a_typo_is_shown_on_the_axis_with_the_packs_message(page, renderer, editor_client, screenshots):
    g = sd_graph(CKPT)
    x = g.axis("euler, eulr", [("3", "sampler_name")])
    load_graph(page, editor_client, g.driver(x))
    before = editor_client.get(P.ROUTE_EXPERIMENTS)["total"]
    dismiss_dialogs(page)
    # the axis and the Grid Assembler's panel both in view
    page.evaluate("""() => { const c = window.app.canvas; c.ds.scale = 0.6; c.ds.offset = [10, 330];
                             window.app.graph.setDirtyCanvas(true, true); }""")
    queue(page)
    # the node ComfyUI's answer marks: the axis, not the Grid Driver
    page.wait_for_function("() => Object.keys(window.app.lastNodeErrors ?? {}).length > 0", timeout=15000)
    marked = page.evaluate("() => Object.keys(window.app.lastNodeErrors ?? {})")
    assert marked == [x], marked
    if page.frontend != "1.32.9":  # 1.32 draws the outline from lastNodeErrors; newer ones flag the node too
        page.wait_for_function("(id) => Boolean(window.app.graph.getNodeById(id)?.has_errors)", arg=int(x))
        assert not page.evaluate("(id) => Boolean(window.app.graph.getNodeById(id).has_errors)", int(DRIVER_ID))
    message = f'XYZ Axis #{x}, input "values": got "eulr"; expected one of: '
    shown = frontend_message(page)
    if page.frontend == "1.32.9":
        assert message in shown and "did you mean" in shown, shown
    else:
        assert "XYZ Axis" in shown and "values" in shown, shown
    banner = page.locator(BANNER)
    banner.wait_for(timeout=10000)
    text = banner.inner_text()
    assert text.startswith("Not queued: ") and message in text and "did you mean" in text, text
    for wording in CRASH_WORDING:
        assert wording not in shown and wording not in text, (wording, shown, text)
    page.wait_for_timeout(400)
    page.screenshot(path=str(screenshots / f"refused-typo-on-axis-{page.frontend}-{renderer}.png"))
    assert editor_client.get(P.ROUTE_EXPERIMENTS)["total"] == before
    assert not page.js_errors, page.js_errors
