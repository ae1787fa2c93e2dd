"""Regenerate workflows/*.json (UI format) from harness.example_workflows.

Starts a throwaway test host to read the node declarations (GET /object_info), so
widget order and defaults match what the ComfyUI editor expects.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from harness.api_to_ui import api_to_ui, output_names_from_object_info
from harness.example_workflows import WORKFLOWS
from harness.host import REPO, ComfyHost
from xyz_studio.comfyui.client import ComfyClient
from xyz_studio.comfyui.node_specs import parse_node_spec


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, ComfyHost(Path(tmp)) as host:
        info = ComfyClient(host.url).object_info()
    specs = {name: parse_node_spec(name, entry) for name, entry in info.items()}
    names = output_names_from_object_info(info)
    out_dir = REPO / "workflows"
    out_dir.mkdir(exist_ok=True)
    for filename, build in WORKFLOWS.items():
        ui = api_to_ui(build().prompt, specs, names)
        (out_dir / filename).write_text(json.dumps(ui, indent=2) + "\n")
        print(out_dir / filename)


if __name__ == "__main__":
    main()
