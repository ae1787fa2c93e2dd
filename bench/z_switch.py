"""Switching Z slices in the editor: a 10 x 10 x 5 experiment of 512 px cells, shown in
the Grid Assembler's panel (both renderers) and in the sidebar's Z-scrubber, in real
headless Chromium, on each frontend.

    python -m bench.z_switch [ROUNDS]      (default 3 rounds of 100 switches)

A switch is timed from the key press until two animation frames later (the frame that
shows the new slice has been painted), and the key handler on its own. Each slice is
built once (the warm-up visits them all) and then only hidden and shown.
Rounds alternate with a baseline: the same key press and frame wait with no
experiment shown, so the figure is the scrubber's own cost. Reports p50 and p95 per
round, their medians, and the JS heap after 10 and after 100 switches (after a GC):
flat means nothing is kept per switch.
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import run_pack
from harness.api_to_ui import editor_workflow
from harness.editor_page import dismiss_dialogs, use_renderer
from harness.graphs import image_graph
from harness.host import ComfyHost, front_end_args, frontend_versions
from xyz_studio.comfyui.client import ComfyClient

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
SWITCHES = 100
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update",
                 "--enable-precise-memory-info", "--js-flags=--expose-gc"]

SWITCH_JS = """async ([n, scope]) => {
    const root = document.querySelector(scope);
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const times = [];
    const handler = [];
    const heap = [];
    for (let i = 0; i < n; i++) {
        const key = Math.floor(i / 4) % 2 ? 'ArrowLeft' : 'ArrowRight';  // 0 1 2 3 4 3 2 1 0 1 ...
        const t0 = performance.now();
        root.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
        handler.push(performance.now() - t0);
        await frame();
        times.push(performance.now() - t0);
        if (i === 9 || i === n - 1) { window.gc(); heap.push(performance.memory.usedJSHeapSize); }
    }
    return {times, handler, heap};
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def experiment():
    g = image_graph(size=512)
    x = g.axis(", ".join(str(i * 1500000) for i in range(10)), [("1", "color")], title="colour")
    y = g.axis("1-10", [("2", "blur_radius")], title="blur")
    z = g.axis("0.5, 1, 2, 4, 8", [("2", "sigma")], title="sigma")
    return g.driver(x, y, z, name="z switch bench", max_cells=500)


def measure(page, scope: str) -> dict:
    return page.evaluate(SWITCH_JS, [SWITCHES, scope])


def open_page(browser, host, eid: str, renderer: str, workflow: dict):
    """The editor with the bench's workflow on the canvas, its Grid Assembler showing the
    experiment (named in the node's properties, as a saved workflow names it), and the
    experiment picked in the sidebar too."""
    workflow = {**workflow, "nodes": [
        {**node, "properties": {**node.get("properties", {}), "xyz_experiment": eid}}
        if node.get("type") == "XYZStudio.GridAssembler" else node for node in workflow["nodes"]]}
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.goto(host.url)
    page.wait_for_function("() => window.app && window.app.extensionManager && window.xyzStudio", timeout=60000)
    page.wait_for_timeout(2500)
    dismiss_dialogs(page)
    use_renderer(page, renderer)  # checked: the figures are only the renderer's if the switch took
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    page.wait_for_timeout(1500)
    dismiss_dialogs(page)
    page.locator(f".xyz-row[data-id='{eid}']").click()
    page.wait_for_function("() => document.querySelectorAll('.xyz-detail .xyz-tile[data-status=done]').length === 100",
                           timeout=60000)
    page.wait_for_function("(id) => window.xyzStudio.panels().some(p => p.experiment === id)", arg=eid, timeout=30000)
    page.evaluate("""() => {
        const node = window.app.graph.nodes.find(n => n.type === 'XYZStudio.GridAssembler');
        node.setSize([900, 900]);
        window.app.canvas.centerOnNode(node);
        window.app.graph.setDirtyCanvas(true, true);
    }""")
    page.wait_for_function(
        "() => document.querySelectorAll('.xyz-node-panel .xyz-tile[data-status=done]').length === 100", timeout=60000)
    return page


def report(where: str, page, scope: str, baseline_scope: str) -> None:
    measure(page, scope)  # warm-up: every slice is built and its thumbnails reach the browser cache
    p50s, p95s, base50s, base95s, heaps, handler95s = [], [], [], [], [], []
    for _ in range(ROUNDS):  # alternating with the baseline
        result = measure(page, scope)
        p50s.append(percentile(result["times"], 0.5))
        p95s.append(percentile(result["times"], 0.95))
        heaps.append(result["heap"])
        handler95s.append(percentile(result["handler"], 0.95))
        base = measure(page, baseline_scope)  # the same key and frames, nothing to switch
        base50s.append(percentile(base["times"], 0.5))
        base95s.append(percentile(base["times"], 0.95))
    med = statistics.median
    print(f"  {where}: Z switch ({SWITCHES} per round, {ROUNDS} rounds), key press to the second frame after it: "
          f"p50 median {med(p50s):.1f} ms {[round(v, 1) for v in p50s]}; "
          f"p95 median {med(p95s):.1f} ms {[round(v, 1) for v in p95s]}")
    print(f"    baseline (key + two frames, nothing changes): p50 {med(base50s):.1f} ms, p95 {med(base95s):.1f} ms; "
          f"switch minus baseline: p50 {med(p50s) - med(base50s):+.1f} ms, p95 {med(p95s) - med(base95s):+.1f} ms")
    print(f"    the key handler alone (DOM changes, before the frame): p95 median {med(handler95s):.2f} ms "
          f"{[round(v, 2) for v in handler95s]}")
    print("    JS heap after 10 and after 100 switches (MiB): "
          + "; ".join(f"{a / 2**20:.1f} -> {b / 2**20:.1f}" for a, b in heaps))


def run_frontend(browser, version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp), extra_args=front_end_args(version)) as host:
        client = ComfyClient(host.url)
        started = time.time()
        graph = experiment()
        _, eid = run_pack(client, graph, timeout=1800)
        print(f"frontend {version}: 500 cells of 512 px made in {time.time() - started:.0f} s")
        workflow = editor_workflow(client, graph)  # it was queued through the API
        for renderer in ("classic", "vue"):
            page = open_page(browser, host, eid, renderer, workflow)
            report(f"node panel, {renderer}", page, ".xyz-node-panel", ".xyz-sidebar-title")
            if renderer == "classic":
                report("sidebar", page, ".xyz-detail .xyz-scrubber", ".xyz-sidebar-title")
            page.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for version in frontend_versions():
            run_frontend(browser, version)
        browser.close()


if __name__ == "__main__":
    main()
