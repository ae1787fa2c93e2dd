"""The standalone viewer of a 500-cell experiment: the export's time and size, and a view switch in the browser.

    python -m bench.html_export [SIZE]      (default 512 px cells)

A 10 x 10 x 5 experiment (model-free) runs on a fresh server and is exported through
the routes (`python -m xyz_studio export-html`, as a user would). The viewer is then
opened from file:// in real headless Chromium and each kind of switch is timed from
the control's input until two animation frames later (the frame that shows the new
view has been painted): moving the Z slider, swapping X and Y, putting Z on the
columns. Each is timed in rounds that alternate with a baseline (two frames with no
change), so the figure is the viewer's own cost; p50 and p95 per round, medians.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import run_pack
from bench.z_switch import CHROMIUM_ARGS, percentile
from harness.graphs import image_graph
from harness.host import REPO, VENV_PYTHON, ComfyHost
from xyz_studio.comfyui.client import ComfyClient

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 512
ROUNDS, SWITCHES = 3, 40

# Each switch: change the control, wait two frames. "baseline" waits two frames and changes nothing.
SWITCH_JS = """async ([kind, n]) => {
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const fire = (el, value) => {
      el.value = value;
      el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {bubbles: true}));
    };
    const times = [];
    for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        if (kind === 'slider') fire(document.querySelector(".xyz-v-slider[data-slot='z'] input"), String(i % 5));
        else if (kind === 'swap') document.querySelector('.xyz-v-swap').click();
        else if (kind === 'z on columns')
          fire(document.querySelector("select[data-role='columns']"), i % 2 ? 'x' : 'z');
        await frame();
        times.push(performance.now() - t0);
    }
    return times;
}"""


def experiment():
    g = image_graph(size=SIZE)
    x = g.axis(", ".join(str(i * 1500000) for i in range(10)), [("1", "color")], title="colour")
    y = g.axis("1-10", [("2", "blur_radius")], title="blur")
    z = g.axis("0.5, 1.0, 1.5, 2.0, 2.5", [("2", "sigma")], title="sigma")
    return g.driver(x, y, z, name="500 cells", max_cells=500)


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp) / "host") as host:
        client = ComfyClient(host.url)
        started = time.time()
        _, experiment_id = run_pack(client, experiment(), timeout=3600)
        print(f"500 cells of {SIZE} px made in {time.time() - started:.0f} s")
        out = Path(tmp) / "viewer"
        t0 = time.perf_counter()
        subprocess.run([str(VENV_PYTHON), "-m", "xyz_studio", "export-html", experiment_id, "--server", host.url,
                        "--out", str(out)], cwd=REPO, check=True, capture_output=True, timeout=3600)
        seconds = time.perf_counter() - t0
        files = [p for p in out.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        thumbs = sum(p.stat().st_size for p in files if p.parent.name == "thumbs")
        print(f"export: {seconds:.1f} s, {len(files)} files, {size / 2**20:.1f} MiB "
              f"(thumbnails {thumbs / 2**20:.1f} MiB, index.html {(out / 'index.html').stat().st_size / 1024:.0f} KiB)")
        with sync_playwright() as pw:
            chromium = shutil.which("chromium") or shutil.which("chromium-browser")
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            t0 = time.perf_counter()
            page.goto((out / "index.html").as_uri())
            page.wait_for_selector(".xyz-v-tile")
            print(f"viewer open: {(time.perf_counter() - t0) * 1000:.0f} ms to the first tiles")
            for kind in ("slider", "swap", "z on columns"):
                page.goto((out / "index.html").as_uri())  # the same starting view for each kind
                page.wait_for_selector(".xyz-v-tile")
                p50s, p95s, base = [], [], []
                for _ in range(ROUNDS):
                    times = page.evaluate(SWITCH_JS, [kind, SWITCHES])
                    baseline = page.evaluate(SWITCH_JS, ["baseline", SWITCHES])
                    p50s.append(percentile(times, 0.5))
                    p95s.append(percentile(times, 0.95))
                    base.append(percentile(baseline, 0.5))
                print(f"  {kind}: p50 median {statistics.median(p50s):.1f} ms {[round(v, 1) for v in p50s]}; "
                      f"p95 median {statistics.median(p95s):.1f} ms {[round(v, 1) for v in p95s]}; "
                      f"baseline p50 {statistics.median(base):.1f} ms")
            browser.close()


if __name__ == "__main__":
    main()
