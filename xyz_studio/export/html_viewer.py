"""The standalone viewer: a folder that opens from file:// with no server and no network.

    index.html         the page, with the experiment's data embedded (text only, no markup)
    viewer.js, .css    the viewer (built from js/src/viewer), one script and one stylesheet
    thumbs/*.webp      each cell scaled to THUMB_SIZE px (loaded lazily as tiles scroll in)
    cells/*.png        each cell at full size, as the experiment saved it

Opened from disk, all of it works but the compare view's difference: it needs the images' pixels, which
Chromium and Firefox do not give a page opened from file:// (each file is an origin of its own), so the viewer
says so there; the folder served over http (`python3 -m http.server` in it) has the difference too.

The experiment is read through an ExportSource: the pack's routes (the command line,
like the runner) or the experiment folder itself (the route that answers a zip).
"""
from __future__ import annotations

import html
import json
import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..storage.folder import atomic_write_bytes
from ..storage.records import CellStatus

ASSETS = Path(__file__).parent / "assets"
THUMB_SIZE = 512  # px on the longer side: sharp up to the viewer's default zoom on a 2x screen
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{title} · XYZ Plot Studio</title>
<link rel="stylesheet" href="viewer.css">
</head>
<body>
<div id="xyz-viewer"></div>
<script type="application/json" id="xyz-data">{data}</script>
<script src="viewer.js"></script>
</body>
</html>
"""


class ExportSource(Protocol):
    def manifest(self) -> dict[str, Any]: ...
    def file(self, name: str) -> bytes: ...
    def thumbnail(self, name: str, size: int) -> bytes: ...


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    cells: int
    files: int
    bytes: int
    seconds: float


def viewer_data(manifest: dict[str, Any]) -> dict[str, Any]:
    """What the viewer needs of a manifest: axes, metrics, and per cell its place, outcome and files."""
    slots = [a["slot"] for a in manifest["axes"]]
    search = (manifest.get("options") or {}).get("search")  # a search: its chart needs when each cell finished
    cells = []
    for c in manifest["cells"]:
        image = c["files"][0] if c.get("files") and c["status"] == CellStatus.DONE else None
        # schema 3 gives each cell's value index per axis; a schema-2 manifest (at most x, y and z)
        # gives it as the cell's x, y and z
        at = c.get("at") or {slot: c[slot] for slot in ("x", "y", "z")}
        cell = {
            "index": c["index"], "at": [at[slot] for slot in slots], "status": c["status"], "error": c.get("error"),
            "seconds": c.get("seconds"), "metrics": c.get("metrics") or {},
            "thumb": _thumb_name(image) if image else None, "full": image,
            "finished_at": c.get("finished_at") if search else None,
        }
        # what a cell lacks is left out (the viewer reads it as none): a 10,000-cell dry run's page is half the size
        cells.append({k: v for k, v in cell.items() if v is not None and v != {}})
    return {
        "id": manifest["id"], "name": manifest["name"],
        "axes": [{"slot": a["slot"], "title": a["title"], "labels": [str(v) for v in a["labels"]]}
                 for a in manifest["axes"]],
        "metrics": [{"name": m["name"], "goal": m["goal"]} for m in manifest.get("metrics") or []],
        "cells": cells,
        # a sweep's page is as it was; a search's says what was searched, a dry run that its tiles are placeholders
        **({"search": search} if search else {}), **({"dry_run": True} if manifest.get("dry_run") else {}),
    }


def _thumb_name(cell_file: str) -> str:
    return "thumbs/" + Path(cell_file).with_suffix(".webp").name


def page(data: dict[str, Any]) -> str:
    """index.html: the data as JSON inside a data block, `<` escaped so no text can end the block."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")
    return PAGE.format(title=html.escape(data["name"]), data=text)


def export_html(source: ExportSource, out: Path, thumb_size: int = THUMB_SIZE) -> ExportResult:
    """Write the viewer folder `out` (created, or refreshed in place) for the source's experiment."""
    started = time.monotonic()
    manifest = source.manifest()
    data = viewer_data(manifest)
    out = Path(out)
    (out / "thumbs").mkdir(parents=True, exist_ok=True)
    (out / "cells").mkdir(parents=True, exist_ok=True)
    written = 0
    for cell in data["cells"]:
        if cell.get("full") is None:
            continue
        atomic_write_bytes(out / cell["full"], source.file(cell["full"]))
        atomic_write_bytes(out / cell["thumb"], source.thumbnail(cell["full"], thumb_size))
        written += 2
    for asset in ("viewer.js", "viewer.css"):
        shutil.copyfile(ASSETS / asset, out / asset)
    atomic_write_bytes(out / "index.html", page(data).encode("utf-8"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return ExportResult(folder=out, cells=len(data["cells"]), files=written + 3, bytes=size,
                        seconds=time.monotonic() - started)


def zip_folder(folder: Path, target: Path) -> None:
    """The export as one zip (images stored as they are: PNG and WebP are compressed already)."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            kind = zipfile.ZIP_DEFLATED if path.suffix in (".html", ".js", ".css") else zipfile.ZIP_STORED
            archive.write(path, path.relative_to(folder).as_posix(), compress_type=kind)
