"""A 500-cell experiment (model-free) through the pack vs the same 500 prompts queued directly.

Each side runs on its own fresh server so its peak memory (VmHWM) is its own; the
two runs are in this one script, one after the other. Prints the wall-time ratio
pack/direct and both servers' peak RSS.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import offline_plan, run_direct, run_pack, specs_of
from bench.pack_vs_direct import direct_prompts
from harness.graphs import image_graph
from harness.host import ComfyHost
from xyz_studio.comfyui.client import ComfyClient

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 128


def experiment(offset: int):
    g = image_graph(size=SIZE)
    x = g.axis(", ".join(str(offset + i * 9000) for i in range(25)), [("1", "color")])
    y = g.axis("1-20", [("2", "blur_radius")])
    return g.driver(x, y, name="500 cells", max_cells=500)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with ComfyHost(Path(tmp) / "direct") as host:
            client = ComfyClient(host.url)
            prompts = direct_prompts(offline_plan(experiment(1), specs_of(client)))
            run_direct(client, prompts[:5])  # warm-up
            direct = run_direct(client, direct_prompts(offline_plan(experiment(2), specs_of(client))))
            direct_rss = host.peak_rss_bytes()
        with ComfyHost(Path(tmp) / "pack") as host:
            client = ComfyClient(host.url)
            run_direct(client, prompts[:5])  # the same warm-up
            pack, _ = run_pack(client, experiment(2))
            pack_rss = host.peak_rss_bytes()
    print(f"500 cells of EmptyImage {SIZE}x{SIZE} -> ImageBlur (radius 1-20)")
    print(f"direct: {direct:.2f} s, server peak RSS {direct_rss / 2**20:.0f} MiB")
    print(f"pack:   {pack:.2f} s, server peak RSS {pack_rss / 2**20:.0f} MiB (plan + 500 cells + grid)")
    print(f"pack/direct wall-time ratio: {pack / direct:.3f}; peak RSS ratio {pack_rss / direct_rss:.2f}")


if __name__ == "__main__":
    main()
