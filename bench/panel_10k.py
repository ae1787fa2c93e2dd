"""The editor panel's explorer on a 10,000-cell experiment (six axes) beside a 100-cell one (two axes,
the baseline), in real headless Chromium against a real ComfyUI server, alternating over several rounds.

Both are dry runs queued to one server (no cell renders: the panel shows placeholder tiles). For each
frontend (the host's 1.32.9, then the newer ones; `--frontends 1.32.9` for one) and renderer (classic,
then Vue's "Nodes 2.0"), each round opens, for each side in turn, a workflow whose Grid Assembler shows
that experiment, and measures from performance marks in the page (no change to the pack's code):

(a) first paint: from the manifest answer's arrival (its resource timing's responseEnd) to the
    panel's first plane of tiles in the DOM (a MutationObserver), and to two animation frames later
    (the frame with the tiles painted); also how often the page read the manifest and built a plane,
    and the time from the manifest's request to its answer (the server building it, the transfer).
    Once on opening the workflow (the editor is still busy loading it when a small answer arrives),
    and once more with the editor idle ("re-read": the grids-drawn event makes the panel read it again);
(b) a slider step (ArrowRight/ArrowLeft on the active slider; ArrowUp/Down, untimed, pick the slider)
    and a pivot (the columns picker): from the event to the next two animation frames, p50 and p95
    over 100 of each; the 10,000 cells walk every slice once (each step builds a slice), the pivots
    cycle the columns axis (a slice seen before is kept, so most are shown again, not built). The
    baseline has no slider: its "step" is the same key doing nothing, i.e. the two-frame baseline;
(c) the JS heap (performance.memory after a forced gc) before and after the 100 slider steps;
(d) the server's memory during the load: its peak resident memory (VmHWM, reset just before through
    /proc/<pid>/clear_refs) less its resident memory before.

Two more sides, measured the same way: "slice", 10,000 cells on two axes (100 x 100), so one slice holds
every cell and the panel has 10,000 tiles at once (its "step" is a no-op like the baseline's: no slider);
and the sidebar's large view (the same explorer, outside the canvas) on all three, once per frontend
(its DOM is the same in both renderers). The sidebar is opened by a click on the experiment's row, so
its first paint counts from the click (the manifest's request and answer included).

Issue 18's targets: first paint within 1 s of the data, a step or pivot p95 within 16 ms over the two-frame
baseline in the canvas and the sidebar, a flat heap over 100 steps.
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.dry_run_10k import one_slice, six_axes, two_axes
from harness.api_to_ui import editor_workflow
from harness.editor_page import dismiss_dialogs, use_renderer
from harness.host import ComfyHost, front_end_args, frontend_versions
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.runner import wait_for_plan

ROUNDS = 3
STEPS = 100
SIDES = ("100", "10k", "slice")
PANEL = ".xyz-node-panel"
SIDEBAR = ".xyz-sidebar .xyz-explorer"  # the sidebar's large view
SLICE_EAGER_TILES = 1500  # a 100 x 100 slice's tiles in its plane when built: 15 rows (js/src/explorer/planes.ts)
NODE_SIZE = (600, 760)
# as tests/browser/conftest.py, plus a gc() to call and performance.memory unrounded
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--js-flags=--expose-gc", "--enable-precise-memory-info"]

# Installed before the page's own scripts: every plane of tiles the panel adds is marked when it
# enters the DOM and two animation frames later; the resource timing buffer holds every request.
PROBE = """
performance.setResourceTimingBufferSize(100000);
window.__bench = { planes: [], steps: [] };
new MutationObserver((records) => {
  const now = performance.now();
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    const plane = node.classList.contains('xyz-plane') ? node : node.querySelector('.xyz-plane');
    if (!plane || !plane.closest('.xyz-node-panel, .xyz-sidebar')) continue;
    const mark = { dom: now, tiles: plane.querySelectorAll('.xyz-tile').length, painted: null };
    window.__bench.planes.push(mark);
    requestAnimationFrame(() => requestAnimationFrame(() => { mark.painted = performance.now(); }));
  }
}).observe(document, { childList: true, subtree: true });
"""

# Marks each key and picker change inside the panel: t0 as it starts (capture, before the explorer's
# handler), t1 once the panel's handlers ran (a listener on the panel after the explorer's), t2 two
# animation frames later; and whether a new plane was built for it.
STEP_PROBE = """(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  const ran = () => { const m = window.__bench.steps.at(-1); if (m && m.t1 === null) m.t1 = performance.now(); };
  if (!panel.__benchRan) {
    panel.__benchRan = true;
    panel.addEventListener('keydown', ran);
    panel.addEventListener('change', ran);
  }
  if (window.__benchStart) return;
  const start = (e) => {
    if (!e.target.closest || !e.target.closest(panelSelector)) return;
    const mark = { kind: e.type, key: e.key || '', t0: performance.now(), t1: null, t2: null,
                   planes: window.__bench.planes.length, built: false };
    window.__bench.steps.push(mark);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      mark.t2 = performance.now();
      mark.built = window.__bench.planes.length > mark.planes;
    }));
  };
  window.__benchStart = start;
  document.addEventListener('keydown', start, true);
  document.addEventListener('change', start, true);
}"""

HEAP = "() => { window.gc && window.gc(); window.gc && window.gc(); return performance.memory.usedJSHeapSize; }"


@dataclass
class SideRun:
    """One side's figures in one round."""
    # ms: the manifest's request -> its answer -> the tiles in the DOM -> two frames later; on opening
    request: float = 0.0
    paint_dom: float = 0.0
    paint: float = 0.0
    rerequest: float = 0.0  # the same on a re-read with the editor idle
    reread_dom: float = 0.0
    reread: float = 0.0
    reads: int = 0  # manifest reads and planes built while opening
    builds: int = 0
    server_growth: float = 0.0  # MiB
    step: list[float] = field(default_factory=list)  # ms, event -> two frames, per slider step
    step_js: list[float] = field(default_factory=list)  # ms, the handlers alone
    step_built: int = 0
    pivot: list[float] = field(default_factory=list)
    pivot_js: list[float] = field(default_factory=list)
    pivot_built: int = 0
    heap_before: float = 0.0  # MiB
    heap_after: float = 0.0


def queue_dry_run(client: ComfyClient, graph, timeout: float = 300) -> str:
    """Queue a dry run and wait for its layout drawn; its experiment id."""
    experiment_id = wait_for_plan(client, client.queue_prompt(graph.prompt), timeout)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    deadline = time.monotonic() + timeout
    while not ((s := client.get(route))["finished"] and s["grids"]):
        if time.monotonic() > deadline:
            raise TimeoutError(experiment_id)
        time.sleep(0.2)
    return experiment_id


def grids_event(client: ComfyClient, experiment_id: str) -> dict:
    """The experiment event the server sends once the grids are drawn, from its status route."""
    s = client.get(P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id))
    return {"experiment": experiment_id, "status": s["status"], "total": s.get("total", 0), "done": s.get("done", 0),
            "failed": s.get("failed", 0), "counts": s.get("counts", {}),
            "grids": [g["file"] if isinstance(g, dict) else g for g in s["grids"]]}


def panel_workflow(client: ComfyClient, graph, experiment_id: str) -> dict:
    """The dry run's workflow as the editor holds it, its Grid Assembler showing the experiment,
    sized as in the browser tests and on screen at zoom 1."""
    workflow = editor_workflow(client, graph)
    node = next(n for n in workflow["nodes"] if n["type"] == P.NODE_ASSEMBLER)
    node.setdefault("properties", {})["xyz_experiment"] = experiment_id
    node["size"] = list(NODE_SIZE)
    workflow.setdefault("extra", {})["ds"] = {"scale": 1, "offset": [120 - node["pos"][0], 60 - node["pos"][1]]}
    return workflow


class ServerMemory:
    """The server's resident memory (Linux /proc): a peak reset before a load, read after it."""

    def __init__(self, host: ComfyHost):
        self.host = host

    def start(self) -> int:
        assert self.host.proc is not None, "the server is not running"
        with open(f"/proc/{self.host.proc.pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current resident size
        return self.host._status_bytes("VmRSS")

    def growth(self, before: int) -> float:
        return (self.host._status_bytes("VmHWM") - before) / 2**20


def open_panel(page, workflow: dict, experiment_id: str, tiles: int, memory: ServerMemory, run: SideRun) -> None:
    """(a) and (d): load the workflow, wait for the tiles and a little more (a second read, if any)."""
    page.evaluate("() => { window.__bench.planes = []; performance.clearResourceTimings(); }")
    before = memory.start()
    page.evaluate("async (wf) => { await window.app.loadGraphData(wf); }", workflow)
    page.wait_for_function("(n) => window.__bench.planes.some(p => p.tiles === n && p.painted !== null)",
                           arg=tiles, timeout=60000)
    page.wait_for_timeout(1500)
    run.server_growth = memory.growth(before)
    run.request, run.paint_dom, run.paint, run.reads, run.builds = first_paint(page, experiment_id, tiles)


def first_paint(page, experiment_id: str, tiles: int) -> tuple[float, float, float, int, int]:
    """(ms from the first manifest request to its answer, from the answer to the tiles in the DOM and
    painted, manifest reads, planes built) since the marks were cleared."""
    marks = page.evaluate("""(id) => ({
        reads: performance.getEntriesByType('resource').filter(e => e.name.includes(`/experiments/${id}/manifest`))
                 .map(e => [e.responseEnd, e.responseEnd - e.startTime]),
        planes: window.__bench.planes })""", experiment_id)
    answer, request = marks["reads"][0]
    first = next(p for p in marks["planes"] if p["dom"] >= answer and p["tiles"] == tiles)
    return request, first["dom"] - answer, first["painted"] - answer, len(marks["reads"]), len(marks["planes"])


def reread(page, event: dict, experiment_id: str, tiles: int, run: SideRun) -> None:
    """(a) once more with the editor idle: the experiment event the server sends when its grids are
    drawn (dispatched on the frontend's api object, as the socket would) makes the panel read the
    manifest again and show that copy; from that answer to the tiles."""
    page.evaluate("() => { window.__bench.planes = []; performance.clearResourceTimings(); }")
    page.evaluate("([name, detail]) => window.app.api.dispatchEvent(new CustomEvent(name, { detail }))",
                  [P.EVENT_EXPERIMENT, event])
    page.wait_for_function("(n) => window.__bench.planes.some(p => p.tiles === n && p.painted !== null)",
                           arg=tiles, timeout=60000)
    page.wait_for_timeout(300)
    run.rerequest, run.reread_dom, run.reread, _, _ = first_paint(page, experiment_id, tiles)


def next_mark(page, before: int) -> dict:
    """The mark of the event after the `before` first ones, once two frames passed (an event
    outside the panel makes no mark: the wait fails rather than read an old one)."""
    page.wait_for_function("(n) => window.__bench.steps.length > n && window.__bench.steps[n].t2 !== null",
                           arg=before, polling=5, timeout=30000)
    return page.evaluate("(n) => window.__bench.steps[n]", before)


def marks(page) -> int:
    return page.evaluate("() => window.__bench.steps.length")


def press(page, key: str) -> dict:
    before = marks(page)
    page.keyboard.press(key)
    return next_mark(page, before)


def snake(sizes: list[int]) -> list[list[int]]:
    """Every combination of values, the first fastest, each differing from the one before in one value by one."""
    if not sizes:
        return [[]]
    out = []
    for i, rest in enumerate(snake(sizes[1:])):
        for v in (range(sizes[0]) if i % 2 == 0 else reversed(range(sizes[0]))):
            out.append([v, *rest])
    return out


def slice_walk(sizes: list[int]) -> list[tuple[int, int]]:
    """(slider, +1 or -1) steps through every slice once, one slider one value at a time, then one back."""
    path = snake(sizes)
    steps = []
    for a, b in zip(path, path[1:]):
        moved = [k for k in range(len(sizes)) if a[k] != b[k]]
        assert len(moved) == 1 and abs(b[moved[0]] - a[moved[0]]) == 1, (a, b)
        steps.append((moved[0], b[moved[0]] - a[moved[0]]))
    return steps + [(steps[-1][0], -steps[-1][1])]


def step_sliders(page, sliders: list[int], run: SideRun, where: str = PANEL) -> None:
    """(b) and (c): 100 slider steps by the keyboard (the baseline, without sliders: the same keys)."""
    page.locator(where).first.focus()
    run.heap_before = page.evaluate(HEAP) / 2**20
    walk = slice_walk(sliders) if sliders else [(0, 1)] * STEPS
    active = 0
    for slider, direction in walk[:STEPS]:
        while active != slider:  # pick the slider (untimed)
            press(page, "ArrowDown" if slider > active else "ArrowUp")
            active += 1 if slider > active else -1
        mark = press(page, "ArrowRight" if direction > 0 else "ArrowLeft")
        run.step.append(mark["t2"] - mark["t0"])
        run.step_js.append((mark["t1"] or mark["t0"]) - mark["t0"])
        run.step_built += mark["built"]
    run.heap_after = page.evaluate(HEAP) / 2**20


def pivot(page, slots: list[str], run: SideRun, where: str = PANEL) -> None:
    """(b): 100 pivots, the columns picker cycling through `slots`."""
    picker = page.locator(f"{where} select.xyz-columns").first
    for slot in itertools.islice(itertools.cycle(slots), STEPS):
        before = marks(page)
        picker.select_option(slot)
        mark = next_mark(page, before)
        run.pivot.append(mark["t2"] - mark["t0"])
        run.pivot_js.append((mark["t1"] or mark["t0"]) - mark["t0"])
        run.pivot_built += mark["built"]


@dataclass
class Side:
    graph: object
    experiment: str
    event: dict  # the experiment event of its drawn grids
    tiles: int
    sliders: list[int]  # values per slider, in slot order
    pivots: list[str]  # the columns picker's cycle


def measure(page, side: Side, workflow: dict, memory: ServerMemory) -> SideRun:
    run = SideRun()
    open_panel(page, workflow, side.experiment, side.tiles, memory, run)
    reread(page, side.event, side.experiment, side.tiles, run)
    page.evaluate(STEP_PROBE, PANEL)
    step_sliders(page, side.sliders, run)
    pivot(page, side.pivots, run)
    return run


def measure_sidebar(page, side: Side) -> SideRun:
    """The same in the sidebar's large view: (a) from the click on the experiment's row to its tiles in
    the DOM and painted (the list's own row, read when the tab opened), then (b) and (c)."""
    run = SideRun()
    row = page.locator(f".xyz-sidebar .xyz-row[data-id='{side.experiment}']").first
    row.wait_for(state="visible", timeout=30000)
    page.evaluate("() => { window.__bench.planes = []; }")
    clicked = page.evaluate("() => performance.now()")
    row.click()
    page.wait_for_function("(n) => window.__bench.planes.some(p => p.tiles === n && p.painted !== null)",
                           arg=side.tiles, timeout=60000)
    page.wait_for_timeout(300)
    first = page.evaluate("(n) => window.__bench.planes.find(p => p.tiles === n)", side.tiles)
    run.paint_dom, run.paint = first["dom"] - clicked, first["painted"] - clicked
    page.evaluate(STEP_PROBE, SIDEBAR)
    step_sliders(page, side.sliders, run, SIDEBAR)
    pivot(page, side.pivots, run, SIDEBAR)
    return run


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: list[float], fmt: str = ".1f") -> str:
    return f"{statistics.median(values):{fmt}} [{min(values):{fmt}}-{max(values):{fmt}}]"


FIGURES = [  # name, unit, figure of one side's round
    ("(a) manifest request -> answer", "ms", lambda r: r.request),
    ("(a) re-read: request -> answer", "ms", lambda r: r.rerequest),
    ("(a) manifest -> tiles in DOM", "ms", lambda r: r.paint_dom),
    ("(a) manifest -> tiles painted", "ms", lambda r: r.paint),
    ("(a) re-read: manifest -> tiles in DOM", "ms", lambda r: r.reread_dom),
    ("(a) re-read: manifest -> painted", "ms", lambda r: r.reread),
    ("(a) manifest reads while opening", "", lambda r: r.reads),
    ("(a) planes built while opening", "", lambda r: r.builds),
    ("(b) slider step p50", "ms", lambda r: pct(r.step, 0.5)),
    ("(b) slider step p95", "ms", lambda r: pct(r.step, 0.95)),
    ("(b) slider step JS p50", "ms", lambda r: pct(r.step_js, 0.5)),
    ("(b) slider step JS p95", "ms", lambda r: pct(r.step_js, 0.95)),
    ("(b) slider steps building a plane", "", lambda r: r.step_built),
    ("(b) pivot p50", "ms", lambda r: pct(r.pivot, 0.5)),
    ("(b) pivot p95", "ms", lambda r: pct(r.pivot, 0.95)),
    ("(b) pivot JS p50", "ms", lambda r: pct(r.pivot_js, 0.5)),
    ("(b) pivot JS p95", "ms", lambda r: pct(r.pivot_js, 0.95)),
    ("(b) pivots building a plane", "", lambda r: r.pivot_built),
    ("(c) heap before steps", "MiB", lambda r: r.heap_before),
    ("(c) heap after 100 steps", "MiB", lambda r: r.heap_after),
    ("(c) heap growth over steps", "MiB", lambda r: r.heap_after - r.heap_before),
    ("(d) server memory growth, load", "MiB", lambda r: r.server_growth),
]


HEADS = {"100": "100 cells, 2 axes", "10k": "10,000 cells, 6 axes", "slice": "10,000 in one slice"}


def report(title: str, runs: dict[str, list[SideRun]], figures: list = FIGURES) -> None:
    bigs = [name for name in SIDES if name != "100"]
    print(f"\n{title}: {len(runs['10k'])} alternating rounds; median [min-max]; ratio = side / 100 per round")
    print(f"{'':40} {HEADS['100']:>22}" + "".join(f" {HEADS[b]:>22} {'ratio':>18}" for b in bigs))
    for name, unit, figure in figures:
        base = [figure(r) for r in runs["100"]]
        line = f"{f'{name} ({unit})' if unit else name:40} {spread(base):>22}"
        for b in bigs:
            big = [figure(r) for r in runs[b]]
            ratio = [y / x for x, y in zip(base, big)] if unit and min(base) >= 1 else []
            line += f" {spread(big):>22} {spread(ratio, '.2f') if ratio else '':>18}"
        print(line)
    for b in bigs:
        over = [pct(y.step, 0.95) - pct(x.step, 0.95) for x, y in zip(runs["100"], runs[b])]
        over_pivot = [pct(y.pivot, 0.95) - pct(x.step, 0.95) for x, y in zip(runs["100"], runs[b])]
        print(f"{b}: slider step p95 over the two-frame baseline (the 100's no-op step p95): {spread(over)} ms; "
              f"pivot p95 over it: {spread(over_pivot)} ms")


SIDEBAR_FIGURES = [  # what the sidebar measures (from the click on the row)
    ("(a) click -> tiles in DOM", "ms", lambda r: r.paint_dom),
    ("(a) click -> tiles painted", "ms", lambda r: r.paint),
    *[f for f in FIGURES if f[0].startswith(("(b)", "(c)"))],
]


def bench_frontend(browser, tmp: Path, version: str, renderers: list[str], rounds: int) -> None:
    with ComfyHost(tmp / f"frontend-{version}", extra_args=front_end_args(version)) as host:
        client, memory = ComfyClient(host.url), ServerMemory(host)
        big, small, wide = six_axes(), two_axes(), one_slice()
        big_id, small_id, wide_id = (queue_dry_run(client, g) for g in (big, small, wide))
        sides = {
            "10k": Side(big, big_id, grids_event(client, big_id), 100, [5, 5, 2, 2],
                        ["z", "axis4", "axis5", "axis6", "x"]),
            "100": Side(small, small_id, grids_event(client, small_id), 100, [], ["y", "x"]),
            # the tiles built with the plane: the first rows (EAGER_TILES in js/src/explorer/planes.ts)
            "slice": Side(wide, wide_id, grids_event(client, wide_id), SLICE_EAGER_TILES, [], ["y", "x"]),
        }
        workflows = {name: panel_workflow(client, s.graph, s.experiment) for name, s in sides.items()}
        for renderer in renderers:
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_init_script(PROBE)
            page = context.new_page()
            page.goto(host.url)
            page.wait_for_function("() => window.app && window.app.graph && window.app.extensionManager",
                                   timeout=60000)
            page.wait_for_timeout(2500)
            page.keyboard.press("Escape")
            use_renderer(page, renderer)
            dismiss_dialogs(page)
            for name in SIDES:  # a warm-up of each, not counted
                measure(page, sides[name], workflows[name], memory)
            runs: dict[str, list[SideRun]] = {name: [] for name in SIDES}
            for r in range(rounds):
                for name in (SIDES if r % 2 == 0 else SIDES[::-1]):
                    runs[name].append(measure(page, sides[name], workflows[name], memory))
            report(f"frontend {version}, {renderer} renderer", runs)
            context.close()
        bench_sidebar(browser, host, sides, rounds, version)


def bench_sidebar(browser, host: ComfyHost, sides: dict[str, Side], rounds: int, version: str) -> None:
    """The sidebar's large view on the same experiments, the sides alternating as in the panel."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(PROBE)
    page = context.new_page()
    page.goto(host.url)
    page.wait_for_function("() => window.app && window.app.graph && window.app.extensionManager", timeout=60000)
    page.wait_for_timeout(2500)
    page.keyboard.press("Escape")
    dismiss_dialogs(page)
    page.evaluate("() => window.app.extensionManager.command.execute('Workspace.ToggleSidebarTab.xyz-studio')")
    for name in SIDES:  # a warm-up of each, not counted
        measure_sidebar(page, sides[name])
    runs: dict[str, list[SideRun]] = {name: [] for name in SIDES}
    for r in range(rounds):  # each round starts one side later: a click always picks another row than the last
        for name in SIDES[(r + 1) % len(SIDES):] + SIDES[:(r + 1) % len(SIDES)]:
            runs[name].append(measure_sidebar(page, sides[name]))
    report(f"frontend {version}, the sidebar's large view", runs, SIDEBAR_FIGURES)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frontends", nargs="*", default=frontend_versions())
    parser.add_argument("--renderers", nargs="*", default=["classic", "vue"])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            for version in options.frontends:
                bench_frontend(browser, Path(tmp), version, options.renderers, options.rounds)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
