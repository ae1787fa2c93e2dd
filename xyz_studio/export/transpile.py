"""`python -m xyz_studio.export.transpile`: ComfyScript's transpiler in a process of its own.

Reads {"prompt": API prompt, "object_info": the server's node declarations} on stdin and
prints the transpiled code (one assignment per node). Exit code 3: comfy-script is not
installed. The node declarations are handed to ComfyScript, so it asks no server.
"""
from __future__ import annotations

import json
import sys


def main() -> int:
    request = json.load(sys.stdin)
    try:
        import comfy_script.client as client
        from comfy_script.transpile import WorkflowToScriptTranspiler
    except ImportError as e:
        print(f"comfy-script is not installed: {e}", file=sys.stderr)
        return 3
    client.get_nodes_info = lambda: request["object_info"]  # its one way of learning the nodes
    code = WorkflowToScriptTranspiler(request["prompt"]).to_script()
    sys.stdout.write(code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
