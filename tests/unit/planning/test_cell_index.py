"""Cell index <-> coordinates on grids of 1 to 6 axes; three axes keep the stored formula."""
from __future__ import annotations

import itertools
import math

import pytest

from xyz_studio.planning.cell_index import cell_coords, cell_index
from xyz_studio.planning.cell_order import run_sequence

SHAPES = [(4,), (3, 2), (2, 3, 4), (2, 1, 3, 2), (3, 2, 1, 2, 2), (2, 2, 3, 1, 2, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{len(s)} axes")
def test_every_cell_has_its_own_index_and_the_index_gives_back_its_coordinates(shape):
    every = list(itertools.product(*(range(n) for n in shape)))
    indexes = [cell_index(coords, shape) for coords in every]
    assert sorted(indexes) == list(range(math.prod(shape)))
    assert all(cell_coords(i, shape) == coords for i, coords in zip(indexes, every))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{len(s)} axes")
def test_x_varies_fastest_then_each_next_axis(shape):
    assert [cell_coords(i, shape) for i in range(math.prod(shape))] == [
        tuple(reversed(c)) for c in itertools.product(*(range(n) for n in reversed(shape)))]


def test_three_axes_keep_the_stored_formula():
    nx, ny, nz = 4, 3, 5
    for x, y, z in itertools.product(range(nx), range(ny), range(nz)):
        index = (z * ny + y) * nx + x
        assert cell_index((x, y, z), (nx, ny, nz)) == index
        assert cell_coords(index, (nx, ny, nz)) == (index % nx, (index // nx) % ny, index // (nx * ny)) == (x, y, z)


def test_an_axis_of_one_value_does_not_change_the_index():
    assert all(cell_index((x, 0, z), (3, 1, 2)) == cell_index((x, z), (3, 2)) for x in range(3) for z in range(2))


def test_coordinates_and_shape_must_have_as_many_axes():
    with pytest.raises(ValueError, match="2 coordinates for a grid of 3 axes"):
        cell_index((0, 0), (2, 2, 2))
    with pytest.raises(ValueError, match="at least one axis"):
        cell_coords(0, ())


@pytest.mark.parametrize("shape", SHAPES[1:], ids=lambda s: f"{len(s)} axes")
def test_the_run_sequence_covers_each_cell_once_with_the_chosen_axis_slowest(shape):
    slots = [f"a{k}" for k in range(len(shape))]
    slowest = slots[0]
    order = run_sequence(shape, slots, [slowest], lambda coords: cell_index(coords, shape))
    assert sorted(order) == list(range(math.prod(shape)))
    firsts = [cell_coords(i, shape)[0] for i in order]
    assert firsts == sorted(firsts)  # X, asked to be outermost, changes least often
    # the dimensions not asked for follow, the last outermost: the grid order when nothing is asked
    plain = run_sequence(shape, slots, [], lambda coords: cell_index(coords, shape))
    assert plain == list(range(math.prod(shape)))
