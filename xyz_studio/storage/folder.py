"""Where an experiment's files live, and how they are written so none is ever torn.

<ComfyUI output>/xyz_studio/<experiment id>/
    cells/cfg-7_sampler-euler_x000_y001.png   one per cell, named by value (a batch adds _b1 ...)
    grids/grid_z000.png        one per combination of the axes after X and Y
    manifest.json              snapshot of the experiment (schema in README)
Every file is written to a temporary name and renamed into place, so a kill at any
instant leaves either the old file or the new one, never half of one.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

from ..protocol import strict_json

ID_PATTERN = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
PNG_COMPRESS_LEVEL = 4  # what ComfyUI's SaveImage uses: same cost per cell as a plain save
# A grid holds every cell again; level 1 encodes it about twice as fast for ~20% more bytes.
GRID_COMPRESS_LEVEL = 1


def new_experiment_id(now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now if now is not None else time.time()))
    return f"{stamp}-{secrets.token_hex(3)}"


def is_valid_id(experiment_id: str) -> bool:
    return isinstance(experiment_id, str) and bool(ID_PATTERN.match(experiment_id))


class ExperimentFolder:
    """Paths of one experiment; the id is validated so no path leaves the root."""

    def __init__(self, root: Path, experiment_id: str):
        if not is_valid_id(experiment_id):
            raise ValueError(f"not an experiment id: {experiment_id!r}")
        self.root = Path(root)
        self.id = experiment_id
        self.dir = self.root / experiment_id
        self.cells_dir = self.dir / "cells"
        self.grids_dir = self.dir / "grids"
        self.manifest_path = self.dir / "manifest.json"

    def create(self) -> None:
        self.cells_dir.mkdir(parents=True, exist_ok=True)
        self.grids_dir.mkdir(parents=True, exist_ok=True)

    def cell_path(self, stem: str, batch_index: int = 0) -> Path:
        """A cell's PNG (`stem`: Plan.cell_file_stem, or coordinates_stem for a job queued by an
        older pack); a batch's further images add _b1, _b2 ..."""
        suffix = f"_b{batch_index}" if batch_index else ""
        return self.cells_dir / f"{stem}{suffix}.png"

    @staticmethod
    def coordinates_stem(x: int, y: int, z: int) -> str:
        """The name cells had before they were named by value (jobs queued by an older pack)."""
        return f"x{x:03d}_y{y:03d}_z{z:03d}"

    def grid_path(self, z: int) -> Path:
        return self.grids_dir / f"grid_z{z:03d}.png"

    def relative(self, path: Path) -> str:
        """Path relative to the experiment folder, as stored in the manifest."""
        return Path(path).relative_to(self.dir).as_posix()


# An experiment folder being deleted is first renamed to this (one atomic step), so a kill
# half way never leaves half a folder under the experiment's own name.
DELETING_PREFIX = ".deleting-"


def remove_experiment_folder(root: Path, experiment_id: str) -> None:
    """Delete an experiment's folder under `root` (nothing if there is none), and what an
    earlier delete cut short left. No link is followed: a link in the folder's place is
    removed, not what it points to, and so is any link inside it."""
    folder = ExperimentFolder(root, experiment_id)  # the id is checked: the path stays directly under root
    for stale in Path(root).glob(f"{DELETING_PREFIX}*"):
        _remove_tree(stale)
    aside = Path(root) / f"{DELETING_PREFIX}{experiment_id}.{secrets.token_hex(4)}"
    try:
        os.rename(folder.dir, aside)  # renames a link itself, never its target
    except FileNotFoundError:
        return
    _remove_tree(aside)


def _remove_tree(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    elif shutil.rmtree.avoids_symlink_attacks:  # Linux, macOS: walks by file descriptor
        shutil.rmtree(path)
    else:  # bottom up; links are unlinked like files, never entered
        for parent, folders, files in os.walk(path, topdown=False, followlinks=False):
            for name in files:
                os.unlink(os.path.join(parent, name))
            for name in folders:
                sub = os.path.join(parent, name)
                os.unlink(sub) if os.path.islink(sub) else os.rmdir(sub)
        os.rmdir(path)


def temp_path(path: Path) -> Path:
    """A hidden temporary name beside `path`, unique per process, thread and call."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temporaries a killed process left behind (hidden *.tmp files)."""
    removed = 0
    for tmp in folder.glob(".*.tmp"):
        if tmp.is_file() and not tmp.is_symlink():
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place (what `write`
    returns, such as a byte count, is not used)."""
    tmp = temp_path(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    write_atomically(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_json(path: Path, data: Any) -> None:
    # one line: with an indent Python's json encodes in Python, not C (a 10,000-cell manifest:
    # about 2 s instead of 0.2 s); `python -m json.tool` shows it indented
    atomic_write_bytes(path, strict_json(data, ensure_ascii=False).encode("utf-8") + b"\n")


def save_png(path: Path, image: Image.Image, text: dict[str, Any], compress_level: int = PNG_COMPRESS_LEVEL) -> None:
    """Save a PNG with JSON text chunks (what ComfyUI reads when a PNG is dropped on it)."""
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value if isinstance(value, str) else strict_json(value))
    write_atomically(path, lambda tmp: image.save(tmp, format="PNG", pnginfo=info, compress_level=compress_level))
