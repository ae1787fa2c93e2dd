"""Driving the real editor page (tests and benchmarks): what the editor opens on its own."""
from __future__ import annotations

# the templates dialog: PrimeVue's mask on 1.32 (it opens late there), a Reka dialog on 1.58
DIALOGS = ".p-dialog-mask, [role='dialog'][data-state='open']"


def dismiss_dialogs(page) -> None:
    """Close the dialogs the editor opens by itself, as a user would (Escape)."""
    for _ in range(10):
        if not page.locator(DIALOGS).count():
            return
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
    page.evaluate("(selector) => document.querySelectorAll(selector).forEach(d => d.remove())", DIALOGS)


def use_renderer(page, renderer: str) -> None:
    """Switch the node renderer ("classic" canvas or "vue" Nodes 2.0) and check it took:
    with the default graph loaded, Vue nodes are DOM elements and classic ones are not."""
    vue = renderer == "vue"
    page.evaluate("async (on) => { await window.app.extensionManager.setting.set('Comfy.VueNodes.Enabled', on); }", vue)
    page.wait_for_timeout(500)
    page.evaluate("async () => { await window.app.loadGraphData(null); }")
    page.wait_for_function("() => window.app.graph.nodes.length > 0", timeout=10000)
    page.wait_for_timeout(500)
    assert (page.locator("[data-node-id]").count() > 0) == vue, f"the {renderer} renderer is not on"
