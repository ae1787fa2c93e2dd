"""A cell's index and its coordinates on a grid of any number of axes.

The first axis (X) varies fastest, then the second (Y), and so on; for three axes the
index is `(z * ny + y) * nx + x`. Stored cells, their file names and the manifest
use this index, so it must never change for the shapes already stored. An axis of
size 1 adds nothing to the index, so a plan without a Y axis numbers its cells as a
plan with a one-value Y axis does.
"""
from __future__ import annotations

from collections.abc import Sequence


def cell_index(coords: Sequence[int], shape: Sequence[int]) -> int:
    """The index of the cell at `coords` (one per axis, X first) on a grid of `shape`."""
    if len(coords) != len(shape):
        raise ValueError(f"{len(coords)} coordinates for a grid of {len(shape)} axes")
    index = 0
    for at, size in zip(reversed(coords), reversed(shape)):
        index = index * size + at
    return index


def cell_coords(index: int, shape: Sequence[int]) -> tuple[int, ...]:
    """The coordinates (one per axis, X first) of cell `index` on a grid of `shape`."""
    if not shape:
        raise ValueError("a grid has at least one axis")
    coords = []
    for size in shape[:-1]:
        index, at = divmod(index, size)
        coords.append(at)
    return (*coords, index)  # the last axis takes the rest, as `index // (nx * ny)` did for Z
