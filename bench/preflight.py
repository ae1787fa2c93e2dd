"""What checking a queued workflow on POST /prompt costs (planning/preflight.py).

    python -m bench.preflight

The pack's prompt handlers run on the server's event loop before ComfyUI validates each
posted prompt, so their time is added to every POST /prompt, the pack's own cells
included. A test-only pack (harness/test_packs/xyz_test_prompt_timing) runs the handlers
installed in a real server on a given body, where and as post_prompt runs them; this
prints each handler's median and worst time (ms) for: a 500-cell XYZ workflow (25 x 20,
model-free) with its editor workflow attached, the same with a typo (refused), a
workflow with no XYZ node, and one cell prompt as the Grid Driver queues it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import offline_plan, specs_of
from bench.many_cells import experiment
from harness.api_to_ui import editor_workflow
from harness.graphs import image_graph
from harness.host import ComfyHost
from xyz_studio.comfyui.client import ComfyClient

REPEAT = 50


def bodies(client: ComfyClient) -> dict[str, dict]:
    good = experiment(1)
    typo = experiment(1)
    axis = next(k for k, n in typo.prompt.items() if n["class_type"] == "XYZStudio.Axis")
    typo.prompt[axis]["inputs"]["values"] += ", 12x"
    plain = image_graph()
    del plain.prompt["9"]
    plain.prompt["19"] = {"class_type": "PreviewImage", "inputs": {"images": ["2", 0]}}
    cell = offline_plan(good, specs_of(client)).cell_prompt(0)
    extra = {"extra_pnginfo": {"workflow": editor_workflow(client, good)}}
    return {"500-cell XYZ workflow": {"prompt": good.prompt, "extra_data": extra},
            "500-cell XYZ workflow, typo (refused)": {"prompt": typo.prompt, "extra_data": extra},
            "workflow with no XYZ node": {"prompt": plain.prompt},
            "one cell prompt the driver queues": {"prompt": cell}}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, \
            ComfyHost(Path(tmp) / "preflight", test_packs=("xyz_test_prompt_timing",)) as host:
        client = ComfyClient(host.url)
        print(f"{'body':40} {'handler':45} {'median ms':>10} {'worst ms':>10}")
        for name, body in bodies(client).items():
            for row in client.post("/xyz_test/prompt_handlers", {"body": body, "repeat": REPEAT}):
                print(f"{name:40} {row['handler']:45} {row['median_ms']:10.3f} {row['max_ms']:10.3f}")


if __name__ == "__main__":
    main()
