"""One experiment over 1, 2 and 3 local ComfyUI servers: wall time, cells per server, utilisation.

    python -m bench.several_servers [CELLS] [SIZE]     (default 120 cells of 1024 px)

A master with the pack and two stock workers run side by side on this machine; each
round runs the same model-free sweep through a Servers node on 1, 2 and 3 of them (the
order alternates between rounds). Per run:
- wall time from queueing the workflow to the grids being drawn (the server's own record);
- cells per server (the manifest's `worker` of each cell);
- utilisation of each server, as the issue defines it: the fraction of the window in
  which cells were still waiting to be sent (from the first cell's start to the last
  cell's start) during which the server held a cell of ours, queued or running, read
  by sampling its GET /queue every 20 ms;
- and, stricter, the fraction of that window in which it was running one (from the
  execution start and end that ComfyUI records for each cell).
On a CPU-only machine all the servers share the same cores: more servers cannot make
the sweep much faster here. The figures that carry over to one GPU per server are the
utilisations (each worker kept busy) and the even split of cells.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.common import run_pack
from harness.host import ComfyHost
from harness.workers import start_cluster, sweep
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

CELLS = int(sys.argv[1]) if len(sys.argv) > 1 else 120
SIZE = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
ROUNDS = 3
SAMPLE = 0.02


class QueueSampler:
    """Samples whether each server holds any prompt (nothing else runs during the benchmark)."""

    def __init__(self, urls: list[str]):
        self.clients = {url: ComfyClient(url, timeout=5) for url in urls}
        self.samples: dict[str, list[tuple[float, bool]]] = {url: [] for url in urls}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for url, client in self.clients.items():
                try:
                    held = bool(client.queue_state().held)
                except OSError:
                    held = False
                self.samples[url].append((time.time(), held))
            self._stop.wait(SAMPLE)

    def __enter__(self) -> QueueSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def held_fraction(self, url: str, start: float, end: float) -> float:
        inside = [held for t, held in self.samples[url] if start <= t <= end]
        return sum(inside) / len(inside) if inside else 0.0


def running_fraction(cells: list[dict], url: str, start: float, end: float) -> float:
    """The part of [start, end] in which `url` ran one of the cells (ComfyUI's own timestamps)."""
    busy = sorted((c["started_at"], c["started_at"] + c["seconds"]) for c in cells
                  if c["worker"] == url and c["started_at"] is not None and c["seconds"] is not None)
    covered, cursor = 0.0, start
    for a, b in busy:
        a, b = max(a, cursor), min(b, end)
        if b > a:
            covered += b - a
            cursor = b
    return covered / (end - start) if end > start else 0.0


def one_run(master: ComfyHost, workers: list[ComfyHost], offset: int) -> dict:
    client = ComfyClient(master.url)
    columns = 10
    graph = sweep(columns, CELLS // columns, size=SIZE, name=f"{1 + len(workers)} servers", offset=offset)
    graph.servers([w.url for w in workers])
    urls = [master.url, *(w.url for w in workers)]
    with QueueSampler(urls) as sampler:
        wall, experiment_id = run_pack(client, graph, timeout=3600)
    manifest = client.get(P.ROUTE_MANIFEST.format(experiment_id=experiment_id))
    cells = manifest["cells"]
    if manifest["counts"] != {"done": len(cells)}:
        raise RuntimeError(f"not every cell was rendered: {manifest['counts']}")
    start = min(c["started_at"] for c in cells)
    end = max(c["started_at"] for c in cells)  # the last cell had been sent: nothing waited after this
    return {"wall": wall, "cells": Counter(c["worker"] for c in cells),
            "held": {u: sampler.held_fraction(u, start, end) for u in urls},
            "running": {u: running_fraction(cells, u, start, end) for u in urls}, "urls": urls}


def _spread(values: list[float], fmt: str) -> str:
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        master, workers = start_cluster(Path(tmp))
        try:
            warm_up = sweep(4, 2, size=SIZE, offset=999).servers([w.url for w in workers])
            run_pack(ComfyClient(master.url), warm_up)
            results: dict[int, list[dict]] = {1: [], 2: [], 3: []}
            for r in range(ROUNDS):
                for n in ((1, 2, 3) if r % 2 == 0 else (3, 2, 1)):
                    results[n].append(one_run(master, workers[:n - 1], offset=1000 * r + n))
        finally:
            for host in (master, *workers):
                host.stop()
    print(f"{CELLS} model-free cells (EmptyImage {SIZE}x{SIZE} -> ImageBlur r16), {ROUNDS} rounds, "
          f"1-3 ComfyUI servers on this machine; median (min-max)")
    print("servers | wall s | speed-up | cells per server | held (queued or running) | running")
    base = statistics.median(r["wall"] for r in results[1])
    for n, runs in results.items():
        walls = [r["wall"] for r in runs]
        urls = runs[0]["urls"]
        names = ["master", *(f"worker{k}" for k in range(1, n))]
        cells = " / ".join(_spread([r["cells"][u] for r in runs], ".0f") for u in urls)
        held = " / ".join(_spread([r["held"][u] for r in runs], ".2f") for u in urls)
        busy = " / ".join(_spread([r["running"][u] for r in runs], ".2f") for u in urls)
        print(f"{n} ({', '.join(names)}) | {_spread(walls, '.1f')} | {base / statistics.median(walls):.2f} | "
              f"{cells} | {held} | {busy}")


if __name__ == "__main__":
    main()
