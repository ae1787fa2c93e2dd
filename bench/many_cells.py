"""A model-free experiment of many cells (500, or as many as the second argument says: `make
bench` runs 500 and 2,000) through the pack vs the same prompts queued directly.

    python -m bench.many_cells [cell size px] [cells] [rounds]

Each run is on its own fresh server, so its peak memory (VmHWM) is its own; direct
and pack alternate over several rounds (which one goes first alternates too). Prints
the median and spread of the wall times, the servers' peak RSS and both ratios, and the
server process's CPU seconds over the run (user + system, every thread): on a machine
shared with other work the wall time of one run swings with the others' load, its CPU time much less.
"""
from __future__ import annotations

import os
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
CELLS = int(sys.argv[2]) if len(sys.argv) > 2 else 500
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
ROWS = 20  # blur radii 1-20 down the rows; as many colours across as the cells need


def experiment(offset: int):
    g = image_graph(size=SIZE)
    x = g.axis(", ".join(str(offset + i * 9000) for i in range(CELLS // ROWS)), [("1", "color")])
    y = g.axis(f"1-{ROWS}", [("2", "blur_radius")])
    return g.driver(x, y, name=f"{CELLS} cells", max_cells=CELLS)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def one_run(tmp: Path, side: str, round_no: int) -> tuple[float, int, float]:
    """(wall seconds, peak RSS bytes, server CPU seconds) of one side's cells on a fresh server."""
    with ComfyHost(tmp / f"{side}-{round_no}") as host:
        client = ComfyClient(host.url)
        specs = specs_of(client)
        run_direct(client, direct_prompts(offline_plan(experiment(1), specs))[:5])  # the same warm-up for both
        assert host.proc is not None
        cpu = _cpu_seconds(host.proc.pid)
        if side == "direct":
            wall = run_direct(client, direct_prompts(offline_plan(experiment(2), specs)))
        else:
            wall, _ = run_pack(client, experiment(2))
        return wall, host.peak_rss_bytes(), _cpu_seconds(host.proc.pid) - cpu


def _spread(values: list[float], fmt: str) -> str:
    return f"median {statistics.median(values):{fmt}} (min {min(values):{fmt}}, max {max(values):{fmt}})"


def main() -> None:
    runs: dict[str, list[tuple[float, int, float]]] = {"direct": [], "pack": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(ROUNDS):
            for side in (("direct", "pack") if r % 2 == 0 else ("pack", "direct")):
                runs[side].append(one_run(Path(tmp), side, r))
    print(f"{CELLS} cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur (radius 1-{ROWS}), {ROUNDS} rounds, "
          "fresh server each")
    labels = (("direct", f"direct ({CELLS} prompts + SaveImage)"), ("pack", f"pack (plan + {CELLS} cells + grid)"))
    for side, label in labels:
        walls, rss, cpu = [r[0] for r in runs[side]], [r[1] / 2**20 for r in runs[side]], [r[2] for r in runs[side]]
        print(f"{label}: wall {_spread(walls, '.2f')} s; peak RSS {_spread(rss, '.0f')} MiB; "
              f"server CPU {_spread(cpu, '.1f')} s")
    wall_ratios = [p[0] / d[0] for p, d in zip(runs["pack"], runs["direct"])]
    rss_ratios = [p[1] / d[1] for p, d in zip(runs["pack"], runs["direct"])]
    print(f"pack/direct wall-time ratio {_spread(wall_ratios, '.3f')}")
    print(f"pack/direct peak RSS ratio {_spread(rss_ratios, '.3f')}")
    cpu_ratios = [p[2] / d[2] for p, d in zip(runs["pack"], runs["direct"])]
    print(f"pack/direct server CPU ratio {_spread(cpu_ratios, '.3f')}")


if __name__ == "__main__":
    main()
