"""What W&B tracking costs a run: the same 100-cell experiment with tracking off and with offline W&B on.

    python -m bench.tracking_overhead [SIZE]     (default 256 px cells)

Each run is on its own fresh server (so its peak memory is its own), the two sides
alternate over several rounds (which goes first alternates too). Wall time is from
queueing to the grids being drawn, as in bench.pack_vs_direct; the tracked side also
reports when its W&B run was closed (the tracker finishes in the background). Prints
medians and spreads, and the ratios tracked/untracked.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import run_pack
from harness.graphs import image_graph
from harness.host import ComfyHost
from harness.wandb_offline import wandb_env
from xyz_studio import protocol as P
from xyz_studio.comfyui.client import ComfyClient

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 256
ROUNDS = 3


def experiment(tracked: bool, offset: int):
    g = image_graph(size=SIZE)
    x = g.axis(", ".join(str(offset + i * 40000) for i in range(10)), [("1", "color")], title="colour")
    y = g.axis("4-31 [10]", [("2", "blur_radius")], title="blur")
    g.driver(x, y, name="tracking bench")
    return g.tracked(mode="offline") if tracked else g


def one_run(tmp: Path, tracked: bool, round_no: int) -> tuple[float, float | None, int]:
    """(wall seconds to the grids, seconds to the closed W&B run or None, peak RSS bytes)."""
    side = "tracked" if tracked else "plain"
    with ComfyHost(tmp / f"{side}-{round_no}", env=wandb_env(tmp / f"wandb-{side}-{round_no}")) as host:
        client = ComfyClient(host.url)
        run_pack(client, experiment(False, 999))  # the same warm-up for both: imports, first-run caches
        start = time.time()
        wall, experiment_id = run_pack(client, experiment(tracked, round_no * 1000))
        closed = None
        if tracked:
            route = P.ROUTE_EXPERIMENT.format(experiment_id=experiment_id)
            while (tracking := client.get(route)["tracking"])["status"] in ("starting", "logging"):
                time.sleep(0.05)
            if tracking["status"] != "finished":
                raise RuntimeError(f"tracking failed: {tracking['problem']}")
            closed = time.time() - start
        return wall, closed, host.peak_rss_bytes()


def _spread(values: list[float], fmt: str) -> str:
    return f"median {statistics.median(values):{fmt}} (min {min(values):{fmt}}, max {max(values):{fmt}})"


def main() -> None:
    runs: dict[bool, list[tuple[float, float | None, int]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):
            for tracked in ((False, True) if r % 2 == 0 else (True, False)):
                runs[tracked].append(one_run(Path(tmp), tracked, r))
    print(f"100 cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur, {ROUNDS} rounds, fresh server each")
    for tracked, label in ((False, "tracking off"), (True, "offline W&B")):
        walls, rss = [w for w, _, _ in runs[tracked]], [m / 2**20 for _, _, m in runs[tracked]]
        print(f"{label}: wall {_spread(walls, '.2f')} s; peak RSS {_spread(rss, '.0f')} MiB")
    closed = [c for _, c, _ in runs[True] if c is not None]
    print(f"offline W&B run closed after {_spread(closed, '.2f')} s")
    wall_ratios = [t[0] / p[0] for t, p in zip(runs[True], runs[False])]
    extra = [(t[2] - p[2]) / 2**20 for t, p in zip(runs[True], runs[False])]
    print(f"tracked/untracked wall-time ratio {_spread(wall_ratios, '.3f')}")
    print(f"extra peak RSS with tracking {_spread(extra, '.0f')} MiB")


if __name__ == "__main__":
    main()
