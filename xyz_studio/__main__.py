"""Command line: `python -m xyz_studio run WORKFLOW.json --server URL`, `export-html ID --server URL --out DIR`,
`flipbook ID --axis x --at y=1 --out book.webp`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .comfyui.client import ComfyClient
from .export.flipbook import DEFAULT_MS, FlipbookFormat
from .export.flipbook_cli import flipbook_command
from .runner import export_html_command, export_script_command, restart, run
from .servers.server_set import MAX_WORKERS, normalise_url


def server_address(text: str) -> str:
    """--server: checked here, so a typo is an argument error rather than a traceback."""
    try:
        ComfyClient(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text


def worker_address(text: str) -> str:
    """--worker: a server address (scheme optional), without credentials."""
    url = normalise_url(text)
    if url is None:
        raise argparse.ArgumentTypeError(f"not a server address: {text!r} (expected http://host:port, no user "
                                         "name or password)")
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xyz_studio", description="XYZ Plot Studio tools")
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="queue an XYZ workflow on a running ComfyUI and wait for its grids")
    p_run.add_argument("workflow", type=Path, nargs="?", help="workflow JSON (UI or API format)")
    again = p_run.add_mutually_exclusive_group()
    again.add_argument("--resume", metavar="EXPERIMENT_ID", help="queue only the cells the experiment is missing")
    again.add_argument("--retry-failed", metavar="EXPERIMENT_ID", help="queue the experiment's failed cells again")
    p_run.add_argument("--server", type=server_address, default="http://127.0.0.1:8188",
                       help="ComfyUI URL (default %(default)s)")
    p_run.add_argument("--timeout", type=float, default=24 * 3600, help="seconds to wait for the experiment")
    p_run.add_argument("--worker", type=worker_address, action="append", default=[], metavar="URL",
                       help="another ComfyUI server to render cells on (repeat for more); it needs only ComfyUI "
                            "and the models, not this pack")
    p_run.add_argument("--workers-only", action="store_true",
                       help="with --worker: the --server only sends the cells and draws the grids")
    p_html = sub.add_parser("export-html", help="write an experiment as a standalone HTML viewer (opens from file://)")
    p_html.add_argument("experiment", metavar="EXPERIMENT_ID")
    p_html.add_argument("--server", type=server_address, default="http://127.0.0.1:8188",
                        help="ComfyUI URL (default %(default)s)")
    p_html.add_argument("--out", type=Path, required=True, help="folder to write (index.html and its files)")
    p_script = sub.add_parser("export-script", help="write an experiment as a runnable ComfyScript")
    p_script.add_argument("experiment", metavar="EXPERIMENT_ID")
    p_script.add_argument("--server", type=server_address, default="http://127.0.0.1:8188",
                          help="ComfyUI URL (default %(default)s)")
    p_script.add_argument("--out", type=Path, required=True, help="the Python file to write")
    p_book = sub.add_parser("flipbook", help="write an animated WebP or GIF along one axis of an experiment")
    p_book.add_argument("experiment", metavar="EXPERIMENT_ID")
    p_book.add_argument("--axis", required=True, help="the axis to play along, by slot: x, y, z, axis4 ...")
    p_book.add_argument("--at", default="", metavar="SLOT=INDEX,...",
                        help="where the other axes are held, by value index from 0 (default: each at its first value)")
    p_book.add_argument("--format", choices=[f.value for f in FlipbookFormat],
                        help="default: from --out's suffix (.gif: gif), else webp")
    p_book.add_argument("--ms", default=str(DEFAULT_MS), help="each frame's time in milliseconds (default %(default)s)")
    p_book.add_argument("--out", type=Path, required=True, help="the file to write")
    book_from = p_book.add_mutually_exclusive_group()
    book_from.add_argument("--server", type=server_address, default="http://127.0.0.1:8188",
                           help="ComfyUI URL to read the experiment from (default %(default)s)")
    book_from.add_argument("--store", type=Path, help="read it from this studio folder instead (holds studio.sqlite3)")
    args = parser.parse_args(argv)
    if args.command == "flipbook":
        book_format = args.format or ("gif" if args.out.suffix.lower() == ".gif" else "webp")
        return flipbook_command(args.experiment, args.out, {"axis": args.axis, "at": args.at, "format": book_format,
                                                            "ms": args.ms}, args.server, args.store)
    if args.command == "export-html":
        return export_html_command(args.experiment, args.server, args.out)
    if args.command == "export-script":
        return export_script_command(args.experiment, args.server, args.out)
    if args.command == "run":
        if args.resume or args.retry_failed:
            if args.workflow:
                parser.error("give either a workflow or --resume/--retry-failed, not both")
            return restart(args.resume or args.retry_failed, args.server, retry_failed=bool(args.retry_failed),
                           timeout=args.timeout).exit_code
        if not args.workflow:
            parser.error("a workflow file is required (or --resume/--retry-failed EXPERIMENT_ID)")
        if args.workers_only and not args.worker:
            parser.error("--workers-only needs at least one --worker")
        if len(args.worker) > MAX_WORKERS:
            parser.error(f"at most {MAX_WORKERS} --worker servers")
        return run(args.workflow, args.server, timeout=args.timeout, workers=args.worker,
                   include_local=not args.workers_only).exit_code
    return 2


if __name__ == "__main__":
    sys.exit(main())
