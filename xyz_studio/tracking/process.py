"""The tracker's own process: `python -m xyz_studio.tracking.process`, started by tracking.link.

It reads one JSON message per line on stdin (start, cell, finish: which experiment,
which cell, where the store is) and hands them to a Tracker. When stdin ends (ComfyUI
stopped, or was killed), it closes the open runs as they stand and exits. It logs to
stderr, which is ComfyUI's own console and log. It runs at the lowest CPU priority, so
on a busy CPU the run's own work always comes first.
"""
from __future__ import annotations

import json
import logging
import os
import ssl
import sys
from collections.abc import Iterable
from pathlib import Path

from ..comfyui.client import ComfyClient
from ..comfyui.history import HistoryLookup, history_lookup
from ..storage.store import ExperimentStore
from .link import CLOSE_WAIT, LinkKind, LinkMessage
from .tracker import Tracker


def _lookup(message: LinkMessage) -> HistoryLookup | None:
    if not message.server_url:
        return None
    context = None
    if message.server_url.startswith("https:"):  # ComfyUI's own address: a certificate would never match it
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return history_lookup(ComfyClient(message.server_url, ssl_context=context, headers=message.headers))


def serve(lines: Iterable[str], tracker: Tracker) -> None:
    for line in lines:
        if not line.strip():
            continue
        message = LinkMessage.from_json(json.loads(line))
        store = ExperimentStore(Path(message.root))
        if message.kind == LinkKind.START:
            tracker.start(store, store.experiment(message.experiment_id), _lookup(message))
        elif message.kind == LinkKind.CELL:
            if message.index is None:
                raise ValueError(f"a cell message names no cell: {line.strip()!r}")
            tracker.cell(store, message.experiment_id, message.index)
        elif message.kind == LinkKind.FINISH:
            tracker.finish(store, message.experiment_id)
    tracker.close_all()
    tracker.wait_idle(CLOSE_WAIT)


NICENESS = 19  # the lowest CPU priority: generation comes first, logging takes what is left


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    if hasattr(os, "nice"):  # POSIX; on Windows link.py starts the process below normal priority
        os.nice(NICENESS)    # wandb-core, started from here, inherits it
    serve(sys.stdin, Tracker())


if __name__ == "__main__":
    main()
