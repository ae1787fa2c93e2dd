"""The super-grid's layout: blocks side by side or wrapped, one scale for all within the megapixel
cap, every tile asked for once, band by band the same pixels as the whole sheet at once."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from xyz_studio.render.grid import MIN_CELL, MIN_FONT, GridLayout
from xyz_studio.render.super_layout import (
    SIDE_BY_SIDE,
    SuperGridLayout,
    SuperGridPainter,
    choose_columns,
    render_super_grid,
)


def blocks(count: int, title: str = "steps") -> tuple[GridLayout, ...]:
    return tuple(GridLayout(title=f"{title}: {10 * (z + 1)}", x_title="cfg", x_labels=("3", "7", "12"),
                            y_title="sampler", y_labels=("euler", "dpmpp_2m_sde_gpu")) for z in range(count))


def colour(block: int, xi: int, yi: int) -> tuple[int, int, int]:
    return (40 + 50 * block) % 256, 60 + 40 * xi, 90 + 60 * yi


def solid(size: tuple[int, int]):
    return lambda k, xi, yi: Image.new("RGB", size, colour(k, xi, yi))


def banded(painter: SuperGridPainter, tile_image) -> np.ndarray:
    return np.concatenate([np.asarray(painter.paint(top, bottom, tile_image)) for top, bottom in painter.bands])


def test_painted_band_by_band_it_is_the_whole_sheet_and_asks_for_each_tile_once():
    layout = SuperGridLayout("sweep — seed: 1", blocks(3), (200, 160), footer="Fixed: Loader: ckpt_name a.safetensors")
    painter = SuperGridPainter(layout)
    asked: list[tuple[int, int, int]] = []

    def tile(k: int, xi: int, yi: int) -> Image.Image:
        asked.append((k, xi, yi))
        return Image.new("RGB", painter.cell, colour(k, xi, yi))
    sheet = banded(painter, tile)
    assert sorted(asked) == [(k, xi, yi) for k in range(3) for xi in range(3) for yi in range(2)]
    assert sheet.shape == (painter.height, painter.width, 3)
    assert np.array_equal(sheet, np.asarray(render_super_grid(layout, solid(painter.cell))))
    # bands tile the sheet: no gap, no overlap
    assert painter.bands[0][0] == 0 and painter.bands[-1][1] == painter.height
    assert all(a[1] == b[0] for a, b in zip(painter.bands, painter.bands[1:]))


def test_each_tile_lands_in_its_own_block_at_the_blocks_cell_box():
    layout = SuperGridLayout("t", blocks(3), (120, 100))
    painter = SuperGridPainter(layout)
    sheet = np.asarray(render_super_grid(layout, solid(painter.cell)))
    xs = [p.x for p in painter.geometry.placed]
    assert xs == sorted(xs) and len({p.y for p in painter.geometry.placed}) == 1  # three blocks in one row
    for p in painter.geometry.placed:
        for xi in range(3):
            for yi in range(2):
                left, top, right, bottom = p.geometry.cell_box(xi, yi)
                box = sheet[p.y + top:p.y + bottom, p.x + left:p.x + right]
                assert (box == colour(p.block, xi, yi)).all()


def test_up_to_four_blocks_stay_in_one_row_and_more_wrap_towards_a_wide_sheet():
    assert [choose_columns(n, 500, 400) for n in range(1, SIDE_BY_SIDE + 1)] == [1, 2, 3, 4]
    assert choose_columns(9, 500, 400) == 4  # 4 x 3 blocks of 5:4 is closest to 16:9
    layout = SuperGridLayout("many", blocks(9), (100, 100))
    painter = SuperGridPainter(layout)
    rows = sorted({p.y for p in painter.geometry.placed})
    assert painter.geometry.columns == choose_columns(9, painter.geometry.placed[0].geometry.size[0],
                                                       painter.geometry.placed[0].geometry.size[1])
    assert len(rows) == -(-9 // painter.geometry.columns)
    # blocks in a row share their tiles' rows: their grids start at the same height
    for row_top in rows:
        in_row = [p for p in painter.geometry.placed if p.y == row_top]
        assert len({p.y + p.geometry.grid_xy[1] for p in in_row}) == 1


def test_blocks_whose_titles_wrap_differently_still_line_up_their_tiles():
    layout = SuperGridLayout("t", (GridLayout(title="prompt: " + "a very long prompt fragment " * 8, x_title="cfg",
                                              x_labels=("3", "7")),
                                   GridLayout(title="prompt: short", x_title="cfg", x_labels=("3", "7"))), (96, 96))
    painter = SuperGridPainter(layout)
    first, second = painter.geometry.placed
    assert first.geometry.grid_xy[1] > second.geometry.grid_xy[1]  # the long title took more lines
    assert first.y + first.geometry.grid_xy[1] == second.y + second.geometry.grid_xy[1]
    sheet = banded(painter, solid(painter.cell))
    assert np.array_equal(sheet, np.asarray(render_super_grid(layout, solid(painter.cell))))


@pytest.mark.parametrize("cap", [0.5, 1.0, 3.0])
def test_the_sheet_keeps_the_megapixel_cap_by_scaling_every_blocks_cells_alike(cap):
    layout = SuperGridLayout("capped", blocks(5), (512, 512), footer="Fixed: x", max_megapixels=cap)
    painter = SuperGridPainter(layout)
    assert painter.width * painter.height <= cap * 1e6
    assert painter.geometry.scale < 1
    assert len({painter_.geometry.cell for painter_ in painter.painters}) == 1
    # the largest scale that fits: a little larger would not
    from xyz_studio.render.super_layout import super_geometry
    bigger = super_geometry(layout, painter.geometry.scale * 1.02)
    assert bigger.size[0] * bigger.size[1] > cap * 1e6


def test_uncapped_cells_keep_their_size():
    layout = SuperGridLayout("full", blocks(2), (64 * 3, 64 * 2), max_megapixels=64.0)
    painter = SuperGridPainter(layout)
    assert painter.geometry.scale == 1.0 and painter.cell[0] == 64 * 3


def test_cells_never_shrink_below_the_minimum_even_if_the_cap_is_passed():
    layout = SuperGridLayout("tiny cap", blocks(4), (256, 256), max_megapixels=0.01)
    painter = SuperGridPainter(layout)
    assert min(painter.cell) >= MIN_CELL


def test_a_long_title_wraps_onto_more_lines_instead_of_being_cut():
    short = SuperGridPainter(SuperGridLayout("short", blocks(2), (64, 64)))
    long_title = "実験 🙂 " + " ".join(f"word{n}" for n in range(80))
    long = SuperGridPainter(SuperGridLayout(long_title, blocks(2), (64, 64)))
    title = long.geometry.texts[0]
    assert "".join(title.lines).replace(" ", "") == long_title.replace(" ", "")  # every character drawn
    assert title.font.size >= MIN_FONT and len(title.lines) > 2
    assert long.height > short.height and long.width == short.width


def test_the_overall_title_and_each_blocks_title_are_drawn():
    layout = SuperGridLayout("Overall", blocks(3), (120, 100))
    painter = SuperGridPainter(layout)
    sheet = np.asarray(render_super_grid(layout, solid(painter.cell))).astype(int)
    dark = sheet.sum(axis=2) < 3 * 110
    header = painter.bands[0][1]
    assert dark[:header].any()  # the overall title
    title_crops = []
    for p in painter.geometry.placed:
        top, bottom = p.y, p.y + p.geometry.col_band[0]  # the block's title and X title, above its column labels
        region = dark[top:bottom, p.x:p.x + p.geometry.size[0]]
        assert region.any()
        title_crops.append(sheet[top:bottom, p.x:p.x + p.geometry.size[0]])
    assert not np.array_equal(title_crops[0], title_crops[1])  # "steps: 10" and "steps: 20" differ
