"""Pack overhead: a 100-cell experiment through the pack vs the same 100 prompts queued directly.

Both run on one server, alternating, several rounds. The direct baseline saves each
image with ComfyUI's SaveImage (into a fresh subfolder per round, as the pack does);
the pack additionally plans, records every cell in its store and draws the grid.
Prints the median wall-time ratio pack/direct.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import uuid
from pathlib import Path

from bench.common import offline_plan, run_direct, run_pack, specs_of
from harness.graphs import image_graph
from harness.host import ComfyHost
from xyz_studio.comfyui.client import ComfyClient

ROUNDS = 5
# Cell workload: EmptyImage SIZE x SIZE -> ImageBlur with radii BLUR (a stand-in for real per-cell work).
SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 512
BLUR = sys.argv[2] if len(sys.argv) > 2 else "4-31 [10]"


def experiment(round_no: int):
    g = image_graph(size=SIZE)
    # a different colour offset per round so nothing is served from ComfyUI's cache
    x = g.axis(", ".join(str(round_no * 1000 + i * 40000) for i in range(10)), [("1", "color")])
    y = g.axis(BLUR, [("2", "blur_radius")])
    return g.driver(x, y, name=f"bench {round_no}")


def direct_prompts(plan) -> list[dict]:
    folder = f"bench_direct/{uuid.uuid4().hex[:8]}/img"
    prompts = []
    for index in plan.run_sequence():
        prompt = plan.cell_prompt(index)
        prompt[plan.assembler_id] = {"class_type": "SaveImage",
                                     "inputs": {"images": prompt[plan.assembler_id]["inputs"]["image"],
                                                "filename_prefix": folder}}
        prompts.append(prompt)
    return prompts


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp)) as host:
        client = ComfyClient(host.url)
        specs = specs_of(client)
        run_pack(client, experiment(999))  # warm-up: imports, first-run caches
        pack_times, direct_times = [], []
        for r in range(ROUNDS):
            graph = experiment(r)
            direct_times.append(run_direct(client, direct_prompts(offline_plan(experiment(r + 100), specs))))
            pack_times.append(run_pack(client, graph)[0])
        ratios = [p / d for p, d in zip(pack_times, direct_times)]
        print(f"100 cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur radius {BLUR}, {ROUNDS} rounds")
        print(f"direct (100 prompts + SaveImage): median {statistics.median(direct_times):.3f} s  "
              f"{[round(t, 3) for t in direct_times]}")
        print(f"pack (plan + 100 cells + grid):   median {statistics.median(pack_times):.3f} s  "
              f"{[round(t, 3) for t in pack_times]}")
        print(f"pack/direct ratio: median {statistics.median(ratios):.3f}  {[round(r, 3) for r in ratios]}")
        overhead = (statistics.median(pack_times) - statistics.median(direct_times)) / 100
        print(f"pack overhead per cell (plan and grid included): {overhead * 1000:.1f} ms")
        print(f"server peak RSS: {host.peak_rss_bytes() / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
