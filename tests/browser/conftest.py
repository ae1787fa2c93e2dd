"""A real headless Chromium (Debian's package) driven by Playwright, against the test host."""
from __future__ import annotations

import shutil

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: `make test` installs it (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, host):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host.url)
    page.wait_for_function("() => window.app && window.app.graph && window.app.extensionManager", timeout=60000)
    # the editor finishes setting up its start-up graph asynchronously; if a test loads
    # a workflow before that, the start-up graph can replace it
    page.wait_for_timeout(2500)
    page.keyboard.press("Escape")  # the first load opens a templates dialog
    page.js_errors = errors
    yield page
    context.close()
