"""The standalone HTML viewer on a 10,000-cell experiment (six axes) beside a 100-cell one (two axes, the
baseline), opened from file:// in real headless Chromium, alternating over several rounds.

Both are dry runs queued to one real server and exported as a user would (`python -m xyz_studio export-html`);
the server is stopped before the viewer opens (it needs none). Each round opens, for each side in turn, a
fresh page on the export and measures in the page:

(a) first paint: from the HTML's arrival (its navigation timing's responseEnd: the data is embedded in it)
    to the first tiles in the DOM (a MutationObserver) and to two animation frames later (painted);
    also from the navigation's start to painted, and the tiles drawn (the grid draws only those in view);
(b) a slider step (ArrowRight/ArrowLeft, the viewer's keys; ArrowUp/Down, untimed, pick the slider) and a
    pivot (the columns picker): from the event to the next two animation frames, p50 and p95 over 100 of
    each; the 10,000 cells walk every slice once. The baseline has no slider: its "step" is the same key
    doing nothing, i.e. the two-frame baseline;
(c) the JS heap (performance.memory after a forced gc) before and after the 100 slider steps.

Issue 18's targets: first paint within 1 s of the data, a step or pivot p95 within 16 ms over the
two-frame baseline, a flat heap over 100 steps.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.dry_run_10k import six_axes, two_axes
from bench.panel_10k import CHROMIUM_ARGS, HEAP, STEPS, pct, queue_dry_run, slice_walk, spread
from harness.host import REPO, VENV_PYTHON, ComfyHost
from xyz_studio.comfyui.client import ComfyClient

ROUNDS = 3
SIDES = ("100", "10k")
VIEWPORT = {"width": 1600, "height": 1000}

# Installed before the page's scripts: the first tiles are marked as they enter the DOM and two frames later.
PROBE = """
window.__bench = { tiles: null };
new MutationObserver((records, observer) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1 || !(node.matches('.xyz-v-tile') || node.querySelector('.xyz-v-tile'))) continue;
    const mark = { dom: performance.now(), painted: null, count: 0 };
    window.__bench.tiles = mark;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      mark.painted = performance.now();
      mark.count = document.querySelectorAll('.xyz-v-tile').length;
    }));
    return;
  }
}).observe(document, { childList: true, subtree: true });
"""

# Timed in the page: each event (a key on the document, or the columns picker's change) from just before it is
# dispatched to two animation frames later; the handler's own time (dispatch returns after it) kept apart.
TIMED = """async ([kind, items]) => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const picker = document.querySelector("select[data-role='columns']");
  const out = [];
  for (const item of items) {
    const t0 = performance.now();
    if (kind === 'key') document.body.dispatchEvent(new KeyboardEvent('keydown', { key: item, bubbles: true }));
    else { picker.value = item; picker.dispatchEvent(new Event('change', { bubbles: true })); }
    const t1 = performance.now();
    await frames();
    out.push([t1 - t0, performance.now() - t0]);
  }
  return out;
}"""

UNTIMED = """async (keys) => {
  for (const key of keys) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


@dataclass
class Side:
    index: Path
    sliders: list[int]  # values per slider, in slot order
    pivots: list[str]  # the columns picker's cycle
    html_kib: float
    export_s: float


@dataclass
class SideRun:
    paint_dom: float = 0.0  # ms from the HTML's arrival
    paint: float = 0.0
    load: float = 0.0  # ms from the navigation's start to painted
    tiles: int = 0
    step: list[float] = field(default_factory=list)
    step_js: list[float] = field(default_factory=list)
    pivot: list[float] = field(default_factory=list)
    pivot_js: list[float] = field(default_factory=list)
    heap_before: float = 0.0
    heap_after: float = 0.0


def export(host: ComfyHost, client: ComfyClient, graph, out: Path) -> tuple[Path, float, float]:
    """Queue a dry run, export it: (index.html, its KiB, the export's seconds)."""
    experiment_id = queue_dry_run(client, graph)
    t0 = time.perf_counter()
    subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", experiment_id, "--server", host.url,
                    "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=600)
    seconds = time.perf_counter() - t0
    return out / "index.html", (out / "index.html").stat().st_size / 1024, seconds


def measure(browser, side: Side) -> SideRun:
    run = SideRun()
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE)
    page = context.new_page()
    page.goto(side.index.as_uri())
    page.wait_for_function("() => window.__bench.tiles && window.__bench.tiles.painted !== null", timeout=60000)
    marks = page.evaluate("() => ({ tiles: window.__bench.tiles, "
                          "arrived: performance.getEntriesByType('navigation')[0].responseEnd })")
    run.paint_dom = marks["tiles"]["dom"] - marks["arrived"]
    run.paint = marks["tiles"]["painted"] - marks["arrived"]
    run.load = marks["tiles"]["painted"]
    run.tiles = marks["tiles"]["count"]
    page.wait_for_timeout(300)
    run.heap_before = page.evaluate(HEAP) / 2**20
    walk = slice_walk(side.sliders) if side.sliders else [(0, 1)] * STEPS
    active = 0
    for slider, direction in walk[:STEPS]:
        if slider != active:  # pick the slider (untimed)
            page.evaluate(UNTIMED, ["ArrowDown" if slider > active else "ArrowUp"] * abs(slider - active))
            active = slider
        [(js, total)] = page.evaluate(TIMED, ["key", ["ArrowRight" if direction > 0 else "ArrowLeft"]])
        run.step.append(total)
        run.step_js.append(js)
    run.heap_after = page.evaluate(HEAP) / 2**20
    cycle = [side.pivots[i % len(side.pivots)] for i in range(STEPS)]
    for js, total in page.evaluate(TIMED, ["pivot", cycle]):
        run.pivot.append(total)
        run.pivot_js.append(js)
    context.close()
    return run


FIGURES = [
    ("(a) data arrived -> tiles in DOM", "ms", lambda r: r.paint_dom),
    ("(a) data arrived -> tiles painted", "ms", lambda r: r.paint),
    ("(a) navigation -> tiles painted", "ms", lambda r: r.load),
    ("(a) tiles drawn", "", lambda r: r.tiles),
    ("(b) slider step p50", "ms", lambda r: pct(r.step, 0.5)),
    ("(b) slider step p95", "ms", lambda r: pct(r.step, 0.95)),
    ("(b) slider step p95, handler alone", "ms", lambda r: pct(r.step_js, 0.95)),
    ("(b) pivot p50", "ms", lambda r: pct(r.pivot, 0.5)),
    ("(b) pivot p95", "ms", lambda r: pct(r.pivot, 0.95)),
    ("(b) pivot p95, handler alone", "ms", lambda r: pct(r.pivot_js, 0.95)),
    ("(c) heap before steps", "MiB", lambda r: r.heap_before),
    ("(c) heap growth over steps", "MiB", lambda r: r.heap_after - r.heap_before),
]


def report(sides: dict[str, Side], runs: dict[str, list[SideRun]]) -> None:
    print(f"standalone viewer (file://): {len(runs['10k'])} alternating rounds; median [min-max]")
    for name, label in (("100", "100 cells, 2 axes"), ("10k", "10,000 cells, 6 axes")):
        print(f"{label}: index.html {sides[name].html_kib:.0f} KiB, export {sides[name].export_s:.1f} s")
    print(f"{'':42} {'100 cells, 2 axes':>22} {'10,000 cells, 6 axes':>22}")
    for name, unit, figure in FIGURES:
        base, big = [figure(r) for r in runs["100"]], [figure(r) for r in runs["10k"]]
        print(f"{f'{name} ({unit})' if unit else name:42} {spread(base):>22} {spread(big):>22}")
    over = [pct(b.step, 0.95) - pct(a.step, 0.95) for a, b in zip(runs["100"], runs["10k"])]
    over_pivot = [pct(b.pivot, 0.95) - pct(a.step, 0.95) for a, b in zip(runs["100"], runs["10k"])]
    print(f"10k slider step p95 over the two-frame baseline (the 100's no-op step p95): {spread(over)} ms")
    print(f"10k pivot p95 over the two-frame baseline: {spread(over_pivot)} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        with ComfyHost(Path(tmp) / "host") as host:
            client = ComfyClient(host.url)
            big = export(host, client, six_axes(), Path(tmp) / "10k")
            small = export(host, client, two_axes(), Path(tmp) / "100")
        sides = {"10k": Side(big[0], [5, 5, 2, 2], ["z", "axis4", "axis5", "axis6", "x"], big[1], big[2]),
                 "100": Side(small[0], [], ["y", "x"], small[1], small[2])}
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                measure(browser, sides["10k"])  # a warm-up of both, not counted
                measure(browser, sides["100"])
                runs: dict[str, list[SideRun]] = {"100": [], "10k": []}
                for r in range(options.rounds):
                    for name in (SIDES if r % 2 == 0 else SIDES[::-1]):
                        runs[name].append(measure(browser, sides[name]))
            finally:
                browser.close()
        report(sides, runs)


if __name__ == "__main__":
    main()
