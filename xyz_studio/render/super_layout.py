"""A super-grid: the grids of one axis's values (Z) as blocks of one sheet, as A1111's X/Y/Z plot.

Each block is a whole grid (its column and row labels, its Y title) titled with its Z
label; the blocks sit side by side, wrapped into rows when there are many; one title
above them all and the fixed parameters once below. The sheet keeps the megapixel cap the
way a grid does: every block's cells are scaled by one factor and laid out again, so
labels keep their MIN_FONT size instead of shrinking with the picture.

The sheet is painted in horizontal bands like a grid (GridPainter): a band is a row of
tiles of every block in a row of blocks, so only one band is in memory and each tile is
asked for once.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from PIL import Image, ImageDraw

from .fonts import LabelFont, load_font
from .grid import BACKGROUND, MIN_CELL, MIN_FONT, MUTED, TEXT, GridGeometry, GridLayout, layout_geometry
from .painter import GridPainter
from .text_fit import block_height, draw_lines, fit_text

SideTileImage = Callable[[int, int, int], "Image.Image | None"]  # (block, xi, yi) -> fitted tile, or None
WIDE = 16 / 9          # the shape many blocks are wrapped towards
SIDE_BY_SIDE = 4       # up to this many blocks stay in one row, as A1111 draws them
UNCAPPED = 1e9         # a block's own cap: the sheet's scale is chosen here, for all blocks together


@dataclass(frozen=True)
class SuperGridLayout:
    """What a super-grid shows: its title, one grid layout per block (its title the Z label) and the footer."""

    title: str
    blocks: tuple[GridLayout, ...]
    cell_size: tuple[int, int]  # every block's cell size before scaling
    footer: str = ""
    max_megapixels: float = 64.0
    columns: int | None = None  # blocks per row; None: chosen from their number and shape

    def __post_init__(self) -> None:
        object.__setattr__(self, "blocks", tuple(self.blocks))
        if not self.blocks:
            raise ValueError("a super-grid needs at least one block")
        if min(self.cell_size) < 1 or not self.max_megapixels > 0:
            raise ValueError(f"cell size {self.cell_size} and max megapixels {self.max_megapixels} must be positive")


@dataclass(frozen=True)
class _Line:
    """A fitted block of text at (x, y) in the column of `width`."""

    font: LabelFont
    lines: list[str]
    x: int
    y: int
    width: int
    fill: tuple[int, int, int]
    align: str

    @property
    def height(self) -> int:
        return block_height(self.font, len(self.lines))


@dataclass(frozen=True)
class _Placed:
    """A block's geometry and where its top-left corner sits on the sheet."""

    block: int
    geometry: GridGeometry
    x: int
    y: int


@dataclass(frozen=True)
class SuperGeometry:
    size: tuple[int, int]
    scale: float
    columns: int
    placed: tuple[_Placed, ...]
    texts: tuple[_Line, ...]
    bands: tuple[tuple[int, int], ...]  # (top, bottom): the header, each row of each row of blocks, gaps, footer


def choose_columns(count: int, block_w: int, block_h: int) -> int:
    """Blocks per row: all in one row up to SIDE_BY_SIDE, else the count whose sheet is closest to WIDE."""
    if count <= SIDE_BY_SIDE:
        return count

    def off(cols: int) -> float:
        return abs(math.log(cols * block_w / (math.ceil(count / cols) * block_h)) - math.log(WIDE))
    return min(range(1, count + 1), key=lambda c: (off(c), c))


def super_geometry(layout: SuperGridLayout, scale: float) -> SuperGeometry:
    geos = [layout_geometry(b, *layout.cell_size, scale) for b in layout.blocks]
    short = min(scaled_cell(layout.cell_size, scale))
    base = min(48, max(MIN_FONT, round(short * 0.075)))
    margin, pad = max(8, round(short * 0.03)), max(4, round(base * 0.35))
    gap = 2 * margin
    block_w = max(g.size[0] for g in geos)
    cols = layout.columns or choose_columns(len(geos), block_w, max(g.size[1] for g in geos))
    cols = max(1, min(cols, len(geos)))
    content_w = cols * block_w + (cols - 1) * gap
    texts: list[_Line] = []
    y = margin
    if layout.title.strip():
        size = round(base * 1.6)
        font, lines = fit_text(layout.title, content_w, block_height(load_font(size, True), 2), size, MIN_FONT, True)
        texts.append(_Line(font, lines, margin, y, content_w, TEXT, "center"))
        y += texts[-1].height + 2 * pad
    bands: list[int] = [0, y]
    placed: list[_Placed] = []
    for first in range(0, len(geos), cols):
        row = list(range(first, min(first + cols, len(geos))))
        grid_top = max(geos[k].grid_xy[1] for k in row)  # the blocks' tiles line up across the row
        for k in row:
            x = margin + (k - first) * (block_w + gap) + (block_w - geos[k].size[0]) // 2
            placed.append(_Placed(k, geos[k], x, y + grid_top - geos[k].grid_xy[1]))
        ref = geos[row[0]]
        pitch = ref.cell[1] + ref.gap
        bands += [y + grid_top + j * pitch for j in range(ref.nrows + 1)]
        y = max(p.y + p.geometry.size[1] for p in placed[-len(row):])
        bands.append(y)
        if first + cols < len(geos):
            y += gap
            bands.append(y)
    if layout.footer.strip():
        size = max(MIN_FONT, round(base * 0.8))
        font, lines = fit_text(layout.footer, content_w, block_height(load_font(size), 3), size, MIN_FONT)
        texts.append(_Line(font, lines, margin, y + pad, content_w, MUTED, "left"))
        y += pad + texts[-1].height
    height = y + margin
    bands.append(height)
    edges = sorted(set(bands))
    return SuperGeometry(size=(content_w + 2 * margin, height), scale=scale, columns=cols, placed=tuple(placed),
                         texts=tuple(texts), bands=tuple(zip(edges, edges[1:])))


def plan_super_geometry(layout: SuperGridLayout) -> SuperGeometry:
    """The geometry at the largest scale (<= 1) that keeps the sheet within max_megapixels, cells no
    smaller than MIN_CELL (only then may the cap be passed), as render.grid.plan_scale does for a grid."""
    cap = layout.max_megapixels * 1e6
    cw, ch = layout.cell_size
    cells = sum(len(b.x_labels) * len(b.y_labels) for b in layout.blocks) * cw * ch
    s_min = min(1.0, MIN_CELL / min(cw, ch))
    s = max(s_min, min(1.0, math.sqrt(cap / cells)))
    for _ in range(6):
        geo = super_geometry(layout, s)
        area = geo.size[0] * geo.size[1]
        if area <= cap or s <= s_min:
            return geo
        s = max(s_min, s * min(0.995, math.sqrt(cap / area)))
    lo, hi = s_min, s  # the labels dominate: bisect for the largest scale that fits
    for _ in range(20):
        mid = (lo + hi) / 2
        geo = super_geometry(layout, mid)
        lo, hi = (mid, hi) if geo.size[0] * geo.size[1] <= cap else (lo, mid)
    return super_geometry(layout, lo)


class SuperGridPainter:
    """Paints a super-grid in horizontal bands, top to bottom (see the module's docstring)."""

    def __init__(self, layout: SuperGridLayout):
        self.layout = layout
        self.geometry = geo = plan_super_geometry(layout)
        self.width, self.height = geo.size
        self.bands = list(geo.bands)
        # each block is a grid of the scaled cell size, painted by the grid's own painter
        cell = scaled_cell(layout.cell_size, geo.scale)
        self.painters = [GridPainter(replace(layout.blocks[p.block], max_megapixels=UNCAPPED), cell)
                         for p in geo.placed]
        for painter, p in zip(self.painters, geo.placed):
            if painter.geometry.size != p.geometry.size:
                raise AssertionError(f"block {p.block} laid out at {painter.geometry.size}, planned {p.geometry.size}")
        # a fallback font's glyph may ink past the line box: a text is drawn into each band within half its size
        self._texts = [(t, t.y - t.font.size // 2, t.y + t.height + t.font.size // 2) for t in geo.texts]

    @property
    def cell(self) -> tuple[int, int]:
        """The size of every block's tiles."""
        return self.painters[0].geometry.cell

    def paint(self, top: int, bottom: int, tile_image: SideTileImage) -> Image.Image:
        """Pixel rows [top, bottom) of the sheet; `tile_image(block, xi, yi)` gives each tile there
        (once per tile when painted band by band; the painter closes it after pasting)."""
        band = Image.new("RGB", (self.width, bottom - top), BACKGROUND)
        draw = ImageDraw.Draw(band)
        for t, t_top, t_bottom in self._texts:
            if t_top < bottom and t_bottom > top:
                draw_lines(draw, t.lines, t.font, t.x, t.y - top, t.width, t.fill, t.align)
        for painter, p in zip(self.painters, self.geometry.placed):
            inner_top, inner_bottom = max(0, top - p.y), min(painter.height, bottom - p.y)
            if inner_top >= inner_bottom:
                continue
            part = painter.paint(inner_top, inner_bottom, _of_block(tile_image, p.block))
            band.paste(part, (p.x, p.y + inner_top - top))
            part.close()
        return band


def scaled_cell(cell_size: tuple[int, int], scale: float) -> tuple[int, int]:
    """A cell's size at `scale`, as layout_geometry rounds it: laid out at scale 1, it gives the same grid."""
    cw, ch = cell_size
    return max(MIN_CELL, round(cw * scale)), max(MIN_CELL, round(ch * scale))


def _of_block(tile_image: SideTileImage, block: int) -> Callable[[int, int], Image.Image | None]:
    return lambda xi, yi: tile_image(block, xi, yi)


def render_super_grid(layout: SuperGridLayout, tile_image: SideTileImage) -> Image.Image:
    """The whole sheet as one image (tests, small sheets; experiments write it band by band)."""
    painter = SuperGridPainter(layout)
    return painter.paint(0, painter.height, tile_image)
