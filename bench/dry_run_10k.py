"""A 10,000-cell dry run over six axes, from queueing to its layout drawn, beside a 100-cell
dry run over two axes (the baseline), on fresh servers, alternating over several rounds.

Prints, for each, the wall time from POST /prompt to the server's own record of the
drawn layout (its `finished` time) and the server's memory growth: its peak resident
memory (VmHWM) during the run less its resident memory just before it. Issue 18's
targets: at most 10 s and at most 300 MB for the 10,000 cells.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from harness.graphs import Graph, image_graph
from harness.host import ComfyHost
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.runner import wait_for_plan
from xyz_studio.storage.records import ExperimentStatus

ROUNDS = 3


def six_axes() -> Graph:
    g = image_graph(size=64)
    x = g.axis(", ".join(str(i * 100000) for i in range(10)), [("1", "color")], title="colour")
    y = g.axis("1-10", [("2", "blur_radius")], title="blur")
    z = g.axis("0.5, 1, 1.5, 2, 2.5", [("2", "sigma")], title="sigma")
    width = g.axis("64, 72, 80, 88, 96", [("1", "width")], title="width")
    height = g.axis("64, 72", [("1", "height")], title="height")
    batch = g.axis("1, 2", [("1", "batch_size")], title="batch")
    return g.driver(x, y, z, name="10,000 cells", max_cells=10000, dry_run=True,
                    more={"axis4": width, "axis5": height, "axis6": batch})


def one_slice() -> Graph:
    """10,000 cells on two axes (100 x 100): one slice holds every cell, so the panel has 10,000 tiles at once."""
    g = image_graph(size=64)
    x = g.axis(", ".join(str(i * 10000) for i in range(100)), [("1", "color")], title="colour")
    y = g.axis("16-115", [("1", "width")], title="width")
    return g.driver(x, y, name="10,000 cells in one slice", max_cells=10000, dry_run=True)


def two_axes() -> Graph:
    g = image_graph(size=64)
    x = g.axis(", ".join(str(i * 100000) for i in range(10)), [("1", "color")], title="colour")
    y = g.axis("1-10", [("2", "blur_radius")], title="blur")
    return g.driver(x, y, name="100 cells", dry_run=True)


def dry_run(client: ComfyClient, graph: Graph, timeout: float = 300) -> tuple[float, int]:
    """(seconds from queueing to the drawn layout, grids drawn)."""
    start = time.time()
    experiment_id = wait_for_plan(client, client.queue_prompt(graph.prompt), timeout)
    route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
    while True:
        status = client.get(route)
        if status["status"] == ExperimentStatus.PLANNED and status["finished"] and status["grids"]:
            return status["finished"] - start, len(status["grids"])
        if time.time() - start > timeout:
            raise TimeoutError(experiment_id)
        time.sleep(0.1)


def one_run(tmp: Path, side: str, round_no: int) -> tuple[float, int, int]:
    """(wall seconds, memory growth bytes, grids) of one dry run on a fresh server."""
    with ComfyHost(tmp / f"{side}-{round_no}") as host:
        client = ComfyClient(host.url)
        dry_run(client, two_axes())  # the same warm-up for both (imports, fonts, the store)
        before = host._status_bytes("VmRSS")
        wall, grids = dry_run(client, six_axes() if side == "10k" else two_axes())
        return wall, host.peak_rss_bytes() - before, grids


def _spread(values: list[float], fmt: str) -> str:
    return f"median {statistics.median(values):{fmt}} (min {min(values):{fmt}}, max {max(values):{fmt}})"


def main() -> None:
    runs: dict[str, list[tuple[float, int, int]]] = {"100": [], "10k": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):
            for side in (("100", "10k") if r % 2 == 0 else ("10k", "100")):
                runs[side].append(one_run(Path(tmp), side, r))
    print(f"dry runs, queue to drawn layout, {ROUNDS} alternating rounds, a fresh server each")
    for side, label in (("100", "100 cells, 2 axes (baseline)"), ("10k", "10,000 cells, 6 axes")):
        walls = [w for w, _, _ in runs[side]]
        growth = [m / 2**20 for _, m, _ in runs[side]]
        print(f"{label}: wall {_spread(walls, '.2f')} s; server memory growth {_spread(growth, '.0f')} MiB; "
              f"{runs[side][0][2]} grids")
    ratios = [b[0] / a[0] for a, b in zip(runs["100"], runs["10k"])]
    print(f"10k/100 wall-time ratio {_spread(ratios, '.1f')}")


if __name__ == "__main__":
    main()
