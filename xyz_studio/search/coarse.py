"""Where cells are picked without a model: the coarse first pass, and a free cell near a taken one.

The coarse pass is a greedy farthest-point (maximin) design over the space's points
(space.py): the first cell is drawn at random from the search seed, each next one is the
cell farthest from all picked so far (ties drawn at random too). Why this and not random
cells or a regular sub-grid: with few cells it covers every end of every ordered axis and
each categorical value before repeating any, as a sub-grid would, but for any count (a
sub-grid needs a count that factors over the axes), and unlike random picks it never
spends two cells side by side. These cells become the study's first trials, so the model
starts from an even picture of the whole space.
"""
from __future__ import annotations

from collections.abc import Collection

import numpy as np

from .space import SearchSpace


def spread(space: SearchSpace, count: int, seed: int, taken: Collection[int] = ()) -> list[int]:
    """`count` cells (fewer if fewer are free) spread over `space`, none of `taken`."""
    points = space.points
    free = np.ones(space.cell_count, dtype=bool)
    free[list(taken)] = False
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    nearest = np.full(space.cell_count, np.inf)  # each cell's distance to the nearest picked cell
    for _ in range(min(count, int(free.sum()))):
        if picked:
            far = np.where(free, nearest, -1.0)
            candidates = np.flatnonzero(far >= far.max() - 1e-12)
        else:
            candidates = np.flatnonzero(free)
        cell = int(rng.choice(candidates))
        picked.append(cell)
        free[cell] = False
        nearest = np.minimum(nearest, np.linalg.norm(points - points[cell], axis=1))
    return picked


def nearest_free(space: SearchSpace, cell: int, taken: Collection[int], rng: np.random.Generator) -> int | None:
    """The free cell nearest to `cell` (ties drawn with `rng`); None when every cell is taken.

    Used when a sampler proposes a cell already run or in flight: the proposal says where
    the sampler wants to look, so its nearest free neighbour is the cell worth running."""
    free = np.ones(space.cell_count, dtype=bool)
    free[list(taken)] = False
    if not free.any():
        return None
    distance = np.where(free, np.linalg.norm(space.points - space.points[cell], axis=1), np.inf)
    candidates = np.flatnonzero(distance <= distance.min() + 1e-12)
    return int(rng.choice(candidates))
