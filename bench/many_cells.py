"""A 500-cell experiment (model-free) through the pack vs the same 500 prompts queued directly.

Each run is on its own fresh server, so its peak memory (VmHWM) is its own; direct
and pack alternate over several rounds (which one goes first alternates too). Prints
the median and spread of the wall times, the servers' peak RSS and both ratios.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import offline_plan, run_direct, run_pack, specs_of
from bench.pack_vs_direct import direct_prompts
from harness.graphs import image_graph
from harness.host import ComfyHost
from xyz_studio.comfyui.client import ComfyClient

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 128
ROUNDS = 3


def experiment(offset: int):
    g = image_graph(size=SIZE)
    x = g.axis(", ".join(str(offset + i * 9000) for i in range(25)), [("1", "color")])
    y = g.axis("1-20", [("2", "blur_radius")])
    return g.driver(x, y, name="500 cells", max_cells=500)


def one_run(tmp: Path, side: str, round_no: int) -> tuple[float, int]:
    """(wall seconds, peak RSS bytes) of one side's 500 cells on a fresh server."""
    with ComfyHost(tmp / f"{side}-{round_no}") as host:
        client = ComfyClient(host.url)
        specs = specs_of(client)
        run_direct(client, direct_prompts(offline_plan(experiment(1), specs))[:5])  # the same warm-up for both
        if side == "direct":
            wall = run_direct(client, direct_prompts(offline_plan(experiment(2), specs)))
        else:
            wall, _ = run_pack(client, experiment(2))
        return wall, host.peak_rss_bytes()


def _spread(values: list[float], fmt: str) -> str:
    return f"median {statistics.median(values):{fmt}} (min {min(values):{fmt}}, max {max(values):{fmt}})"


def main() -> None:
    runs: dict[str, list[tuple[float, int]]] = {"direct": [], "pack": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):
            for side in (("direct", "pack") if r % 2 == 0 else ("pack", "direct")):
                runs[side].append(one_run(Path(tmp), side, r))
    print(f"500 cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur (radius 1-20), {ROUNDS} rounds, fresh server each")
    for side, label in (("direct", "direct (500 prompts + SaveImage)"), ("pack", "pack (plan + 500 cells + grid)")):
        walls, rss = [w for w, _ in runs[side]], [m / 2**20 for _, m in runs[side]]
        print(f"{label}: wall {_spread(walls, '.2f')} s; peak RSS {_spread(rss, '.0f')} MiB")
    wall_ratios = [p[0] / d[0] for p, d in zip(runs["pack"], runs["direct"])]
    rss_ratios = [p[1] / d[1] for p, d in zip(runs["pack"], runs["direct"])]
    print(f"pack/direct wall-time ratio {_spread(wall_ratios, '.3f')}")
    print(f"pack/direct peak RSS ratio {_spread(rss_ratios, '.3f')}")


if __name__ == "__main__":
    main()
