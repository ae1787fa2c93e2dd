"""A real headless Chromium (Debian's package) driven by Playwright, against the test host,
once with the host's own frontend (1.32.9) and once with each newer one build_host.sh
installs (harness/host_pins/frontends.txt).

A test that takes the `renderer` fixture runs once per frontend, not once per frontend and
renderer: the renderers take turns along the frontends (which turn, a test's name decides), so every
frontend meets both renderers across the suite at half the cost.
`@pytest.mark.every_renderer` keeps the whole matrix for a test; XYZ_EVERY_RENDERER=1 keeps it
for all of them."""
from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import pytest
from host_noise import is_known_noise, is_the_packs

from harness.editor_page import use_renderer
from harness.experiments import Experiments, make_host
from harness.host import HOST_FRONTEND, REPO, front_end_args, frontend_versions
from xyz_studio.comfyui.client import ComfyClient

RENDERERS = ("classic", "vue")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("XYZ_EVERY_RENDERER") == "1":
        return
    frontends = frontend_versions()
    # a test's turn comes from its own name (not its place in a list): adding a test moves no other's
    turn = {item.originalname: zlib.crc32(item.originalname.encode()) % len(RENDERERS) for item in items
            if _renderer_and_frontend(item) and item.get_closest_marker("every_renderer") is None}
    kept, skipped = [], []
    for item in items:
        params = _renderer_and_frontend(item)
        if params is None or item.originalname not in turn:
            kept.append(item)
            continue
        renderer, frontend = params
        wanted = RENDERERS[(frontends.index(frontend) + turn[item.originalname]) % len(RENDERERS)]
        (kept if renderer == wanted else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


def _renderer_and_frontend(item) -> tuple[str, str] | None:
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "renderer" in params and "editor_host" in params:
        return params["renderer"], params["editor_host"]
    return None


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


@pytest.fixture(scope="session", params=frontend_versions())
def editor_host(request, tmp_path_factory, models_dir):
    """The test host serving one frontend version (the shared host for the host's own)."""
    if request.param == HOST_FRONTEND:
        yield request.getfixturevalue("host")
        return
    host = make_host(tmp_path_factory, models_dir, f"frontend-{request.param}",
                     extra_args=front_end_args(request.param)).start()
    host.frontend = request.param
    yield host
    host.stop()


@pytest.fixture()
def editor_client(editor_host) -> ComfyClient:
    return ComfyClient(editor_host.url)


@pytest.fixture()
def editor_experiments(editor_host, editor_client) -> Experiments:
    return Experiments(editor_host, editor_client)


class Console:
    """What the page printed: uncaught errors and console errors, the pack's own apart."""

    def __init__(self):
        self.page_errors: list[str] = []
        self.errors: list[str] = []

    @property
    def own(self) -> list[str]:
        return [e for e in self.page_errors + self.errors if is_the_packs(e) and not is_known_noise(e)]

    @property
    def unexpected(self) -> list[str]:
        return [e for e in self.page_errors + self.errors if not is_known_noise(e)]


@pytest.fixture()
def page(browser, editor_host):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    console = Console()
    page.on("pageerror", lambda e: console.page_errors.append(f"{e} {getattr(e, 'stack', '')}"))
    page.on("console", lambda m: console.errors.append(f"{m.text} @ {m.location.get('url', '')}")
            if m.type == "error" else None)
    page.goto(editor_host.url)
    page.wait_for_function("() => window.app && window.app.graph && window.app.extensionManager", timeout=60000)
    # the editor finishes setting up its start-up graph asynchronously; if a test loads
    # a workflow before that, the start-up graph can replace it
    page.wait_for_timeout(2500)
    page.keyboard.press("Escape")  # the first load opens a templates dialog
    page.console = console
    page.js_errors = console.page_errors
    page.frontend = getattr(editor_host, "frontend", HOST_FRONTEND)
    yield page
    context.close()


@pytest.fixture(params=RENDERERS)
def renderer(request, page) -> str:
    """The node renderer: LiteGraph's classic canvas or the Vue "Nodes 2.0" one."""
    use_renderer(page, request.param)
    return request.param


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Screenshots kept with the test output (looked at by people, not compared)."""
    folder = REPO / ".test-output" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
