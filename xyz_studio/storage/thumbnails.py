"""Scaled copies of cells and grids, so a panel never downloads a full-size image to show it.

<experiment>/thumbs/<size>/cells/x000_y000_z000.webp   one per source file and size

A copy is made on first request, kept beside the experiment's other files, and made
again when its source is newer (a cell re-run by retry, a grid redrawn by resume).
Sizes come from a short list (a request is served at the next one up), so the cache
stays small and a client cannot fill the disk by asking for every size.

Each cell's entry in ComfyUI's own queue and history shows a small copy too (its UI
output), written in ComfyUI's temp folder by the worker itself: the cell's PNG is
written later by the background writer, so an entry naming it could be read first.
"""
from __future__ import annotations

import math
import re
import threading
from pathlib import Path

from PIL import Image

from ..errors import BadRequest
from ..protocol import NAMESPACE, Job
from .folder import ExperimentFolder, is_valid_id, write_atomically

THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)  # px on the longer side
DEFAULT_THUMBNAIL_SIZE = 256
THUMBNAIL_QUALITY = 85  # WebP: a quarter of a PNG's bytes, labels still crisp
THUMBS_DIR = "thumbs"
_making: dict[Path, threading.Lock] = {}
_making_lock = threading.Lock()


def thumbnail_size(requested: str | None) -> int:
    """The size to serve for a `size` query value (none: the default)."""
    if requested is None or requested == "":
        return DEFAULT_THUMBNAIL_SIZE
    try:
        size = int(requested)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= THUMBNAIL_SIZES[-1]:
        raise BadRequest(f"thumbnail size {str(requested)[:20]!r}: expected a whole number of pixels "
                         f"from 1 to {THUMBNAIL_SIZES[-1]}")
    return next(s for s in THUMBNAIL_SIZES if s >= size)


def thumbnail_path(folder: ExperimentFolder, name: str, size: int) -> Path:
    """Where the copy of `name` (a path inside the experiment folder) at `size` lives."""
    return folder.dir / THUMBS_DIR / str(size) / Path(name).with_suffix(".webp")


def thumbnail(folder: ExperimentFolder, source: Path, name: str, size: int) -> Path:
    """The path of an up-to-date scaled copy of `source`, made now if needed."""
    target = thumbnail_path(folder, name, size)
    with _lock_for(target):
        if _fresh(target, source):
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with Image.open(source) as im:
            im.draft("RGB", (size, size))  # JPEG sources decode at a reduced scale
            im.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
            copy = im.convert("RGBA" if "A" in im.getbands() else "RGB")
        try:
            write_atomically(target, lambda tmp: copy.save(tmp, format="WEBP", quality=THUMBNAIL_QUALITY, method=4))
        finally:
            copy.close()
        return target


def _fresh(target: Path, source: Path) -> bool:
    try:
        return target.stat().st_mtime_ns >= source.stat().st_mtime_ns
    except FileNotFoundError:
        return False


def _lock_for(target: Path) -> threading.Lock:
    """One maker per copy: two panels asking at once get one file, made once."""
    with _making_lock:
        if len(_making) > 256:  # locks of copies long made; a copy in the making keeps its own
            for key in [k for k, lock in _making.items() if not lock.locked()]:
                del _making[key]
        return _making.setdefault(target, threading.Lock())


# The queue entry's copy is made on ComfyUI's worker, where every millisecond delays the
# next cell: a box reduction by a whole factor and JPEG, which encodes 4x faster than WebP
# (about 1 ms for a 512 px cell, 1.5 ms for 1024 px: see bench.cell_phases; sampling a cell
# takes seconds). At most 256 px: the queue sidebar's tile and the 1.58 job list's icon.
QUEUE_PREVIEW_SIZE = 256
QUEUE_PREVIEW_QUALITY = 85
_LABEL_CHARS = re.compile(r"[^\w .,+=()#-]+")  # no path, annotation ("[temp]") or shell characters
MAX_LABEL_CHARS = 40
MAX_VALUES_BYTES = 160  # file names are limited to 255 bytes; CJK labels take 3 bytes a character


def queue_preview_name(job: Job) -> str:
    """The file name of a cell's queue preview: the newest frontends show it as the entry's
    title, so it says which experiment and which cell: `XYZ <experiment> cell 4 - x=2, y=red.jpg`."""
    values = ", ".join(f"{slot}={_safe(label)}" for slot, label in job.labels.items())
    if len(values.encode()) > MAX_VALUES_BYTES:
        values = values.encode()[:MAX_VALUES_BYTES - 3].decode(errors="ignore").rstrip(" .") + "…"
    return f"XYZ {job.experiment} cell {job.index}" + (f" - {values}" if values else "") + ".jpg"


def _safe(label: str) -> str:
    text = " ".join(_LABEL_CHARS.sub("_", str(label)).split())
    text = re.sub(r"\.{2,}", ".", text)  # ComfyUI's /view refuses any name holding '..'
    return text if len(text) <= MAX_LABEL_CHARS else text[:MAX_LABEL_CHARS - 1] + "…"


def write_queue_preview(temp_root: Path, job: Job, image: Image.Image) -> dict[str, str] | None:
    """Write the small copy a cell's queue entry shows; its /view reference (`type` temp), or
    None for a job whose experiment id is not one of ours (nothing is written then)."""
    if not is_valid_id(job.experiment):
        return None
    subfolder = f"{NAMESPACE}/{job.experiment}"
    name = queue_preview_name(job)
    target = temp_root / subfolder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    # a whole-factor box reduction: a fifth of a resample's time, and a box filter suits a thumbnail
    factor = math.ceil(max(image.size) / QUEUE_PREVIEW_SIZE)
    copy = image.reduce(factor) if factor > 1 else image.copy()
    try:
        if copy.mode != "RGB":
            copy, grey = copy.convert("RGB"), copy
            grey.close()
        write_atomically(target, lambda tmp: copy.save(tmp, format="JPEG", quality=QUEUE_PREVIEW_QUALITY))
    finally:
        copy.close()
    return {"filename": name, "subfolder": subfolder, "type": "temp"}
