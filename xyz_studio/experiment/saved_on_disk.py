"""Cells found saved on disk whose records were not: a kill came between the PNG's
rename into place and the store's commit. Resume records them instead of rendering
them again ("adopted")."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image

from ..storage.folder import ExperimentFolder
from ..storage.records import Cell
from ..storage.store import ExperimentStore


def adopt_saved(store: ExperimentStore, folder: ExperimentFolder, cell: Cell, stem: str) -> bool:
    """A cell whose PNGs all reached the disk but whose record did not (killed in between).

    Adopted only when every image of its batch is there and readable, and the files
    say they belong to this experiment and cell. `stem` is the cell's file name by value
    (Plan.cell_file_stem); a cell saved by an older pack, named by coordinates, is found too.
    """
    for name in (stem, folder.coordinates_stem(cell.x, cell.y, cell.z)):
        meta = _cell_meta(folder.cell_path(name))
        if meta and meta.get("experiment") == folder.id and meta.get("index") == cell.index:
            break
    else:
        return False
    size = int(meta.get("batch_size") or 1)
    paths = [folder.cell_path(name, b) for b in range(size)]
    if any(_cell_meta(p) is None for p in paths[1:]):
        return False  # a batch cut short by the kill: render the cell again
    store.finish_cell(folder.id, cell.index, [folder.relative(p) for p in paths])
    return True


def _cell_meta(path: Path) -> dict[str, Any] | None:
    """The xyz_studio metadata of a complete, readable cell PNG (None otherwise)."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        with Image.open(path) as im:
            meta = json.loads(im.text.get("xyz_studio", "null"))
            im.verify()
        return meta if isinstance(meta, dict) else None
    except Exception:  # noqa: BLE001 - a truncated or foreign file (Pillow raises OSError, SyntaxError,
        # ValueError, DecompressionBombError ...): not a saved cell, whatever it raised
        return None
