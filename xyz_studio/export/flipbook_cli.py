"""`python -m xyz_studio flipbook`: an experiment's flipbook written to a file.

The experiment is read through the pack's routes on a server (its manifest and cell files,
like export-html; the animation is made here, not on the server), or with --store straight
from a studio folder on this machine (the folder holding studio.sqlite3), e.g. a copy of a
server's output/xyz_studio, with no server running.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ..api_views import check_id
from ..comfyui.client import ComfyClient, ComfyError
from ..common.format import format_bytes
from ..errors import BadRequest, NotFound, StudioError
from ..runner import EXIT_NOT_FOUND, EXIT_OK, EXIT_REJECTED, EXIT_UNREACHABLE
from ..storage.folder import atomic_write_bytes
from ..storage.store import DB_NAME, ExperimentStore
from .flipbook import flipbook_for
from .html_viewer import ExportSource
from .sources import FolderSource, RouteSource


def flipbook_command(experiment_id: str, out: Path, params: dict[str, str], server: str,
                     store: Path | None = None, err: TextIO | None = None) -> int:
    """Write the flipbook `params` ask for (the route's query: axis, at, format, ms) to `out`."""
    err = err or sys.stderr  # looked up now: whatever stderr is at the call
    try:
        source: ExportSource
        if store is not None:
            if not (Path(store) / DB_NAME).is_file():
                print(f"cannot make the flipbook: {store} is not a studio folder (it has no {DB_NAME})", file=err)
                return EXIT_NOT_FOUND
            source = FolderSource(ExperimentStore(Path(store)), check_id(experiment_id))
        else:
            source = RouteSource(ComfyClient(server), experiment_id)
        request, book = flipbook_for(source, params)
    except BadRequest as e:
        print(f"cannot make the flipbook: {e}", file=err)
        return EXIT_REJECTED
    except NotFound as e:
        print(f"cannot make the flipbook: {e}", file=err)
        return EXIT_NOT_FOUND
    except ComfyError as e:
        body = e.body if isinstance(e.body, dict) else {}
        print(f"cannot make the flipbook of {experiment_id}: {body.get('error') or e.body}", file=err)
        return EXIT_NOT_FOUND if e.status == 404 else EXIT_REJECTED
    except (OSError, StudioError) as e:
        print(f"cannot make the flipbook of {experiment_id}: {e}", file=err)
        return EXIT_UNREACHABLE
    atomic_write_bytes(Path(out), book.data)
    width, height = book.size
    print(f"{book.frames} frames along {request.axis}, {width} x {height} px, {request.ms} ms each, "
          f"{format_bytes(len(book.data))}", file=err)
    print(out)
    return EXIT_OK
