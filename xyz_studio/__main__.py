"""Command line: `python -m xyz_studio run WORKFLOW.json --server URL`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .runner import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xyz_studio", description="XYZ Plot Studio tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="queue an XYZ workflow on a running ComfyUI and wait for its grids")
    p_run.add_argument("workflow", type=Path, help="workflow JSON (UI or API format)")
    p_run.add_argument("--server", default="http://127.0.0.1:8188", help="ComfyUI URL (default %(default)s)")
    p_run.add_argument("--timeout", type=float, default=24 * 3600, help="seconds to wait for the experiment")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.workflow, args.server, timeout=args.timeout).exit_code
    return 2


if __name__ == "__main__":
    sys.exit(main())
