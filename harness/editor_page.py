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
