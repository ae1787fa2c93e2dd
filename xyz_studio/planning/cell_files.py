"""A cell's file name: its values first, so a folder of cells reads like the grid, then its
coordinates, which make the name unique (two values may read the same once made safe).

`cfg-7_sampler-euler_x002_y001.png`: each axis as `<title>-<label>` in axis order, then
the value index on each axis (`x002`, `y001`, `z000`, `axis4-001`). The coordinates and
the full labels are also in the PNG's text. A name stays within the 255 bytes file
systems allow: long or many labels are shortened, never the coordinates.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# Letters and digits of any script, and a few harmless marks; everything else (path and
# shell characters, spaces, dots in a row) becomes one "-". ComfyUI's /view refuses "..".
_UNSAFE = re.compile(r"[^\w+=#,-]+|\.{2,}")
MAX_PART_CHARS = 32           # of one title or label
MAX_VALUES_BYTES = 150        # all the values together (a CJK character takes 3 bytes)
NAMED_SLOTS = ("x", "y", "z")  # written as x002; the further slots as axis4-002


def safe_part(text: str) -> str:
    """`text` as a piece of a file name: no path, shell or control characters, no dots in a row."""
    part = _UNSAFE.sub("-", str(text).strip()).strip("-_") or "-"
    return part if len(part) <= MAX_PART_CHARS else part[:MAX_PART_CHARS].rstrip("-_")


def cell_file_stem(values: Sequence[tuple[str, str]], coords: Sequence[tuple[str, int]]) -> str:
    """The name (without batch suffix or extension) of a cell with `values` ((axis title,
    value label) per axis) at `coords` ((slot, value index) per axis)."""
    named = "_".join(f"{safe_part(title)}-{safe_part(label)}" for title, label in values)
    if len(named.encode()) > MAX_VALUES_BYTES:
        named = named.encode()[:MAX_VALUES_BYTES].decode(errors="ignore").rstrip("-_")
    at = "_".join(f"{slot}{i:03d}" if slot in NAMED_SLOTS else f"{slot}-{i:03d}" for slot, i in coords)
    return f"{named}_{at}" if named else at
