"""Painting a laid-out grid: band by band for the grids an experiment saves, or whole."""
from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageDraw

from .grid import BACKGROUND, DEFAULT_CELL, GRID_LINE, GridLayout, Tile, first_image_size, plan_geometry, render_tile
from .text_fit import block_height, draw_lines

TileImage = Callable[[int, int], "Image.Image | None"]  # (xi, yi) -> the fitted tile, or None to leave it blank


class GridPainter:
    """Paints a laid-out grid in horizontal bands, top to bottom, so a grid of any size
    needs only one band in memory and can be encoded as its rows come in.

    Bands: the header (title, X title, column labels), one per row of tiles (the
    gridline above it, its tiles, its row label, its slice of the turned Y title), and
    the footer (the bottom gridline, the fixed parameters). Painting every band and
    stacking them gives exactly the pixels of painting the whole sheet at once.
    """

    def __init__(self, layout: GridLayout, cell_size: tuple[int, int]):
        self.layout = layout
        self.geometry = geo = plan_geometry(layout, *cell_size)
        self.width, self.height = geo.size
        (_, gy), (_, gh) = geo.grid_xy, geo.grid_wh
        pitch = geo.cell[1] + geo.gap
        tops = [0] + [gy + j * pitch for j in range(geo.nrows + 1)] + [self.height]
        self.bands: list[tuple[int, int]] = list(zip(tops, tops[1:]))  # (top, bottom), bottom exclusive
        # (text, first and last pixel row it may ink): a fallback font's glyph (an emoji, a CJK
        # character) may reach past the primary font's line box, so a text is drawn into
        # every band within half its size of it, never cut at a band's edge.
        self._texts = [(t, t.y - t.font.size // 2, t.y + block_height(t.font, len(t.lines)) + t.font.size // 2)
                       for t in geo.texts + geo.col_labels]
        self._y_title: tuple[Image.Image, int, int] | None = None  # turned, and where it goes
        if geo.y_title is not None:  # drawn horizontally, then turned to read bottom-up
            yt = geo.y_title
            strip = Image.new("RGB", (gh, yt.width), BACKGROUND)
            draw_lines(ImageDraw.Draw(strip), yt.lines, yt.font, 0, 0, gh, yt.fill)
            self._y_title = strip.rotate(90, expand=True), yt.x, yt.y

    def row_band(self, yi: int) -> tuple[int, int]:
        return self.bands[1 + yi]

    def rows_in(self, top: int, bottom: int) -> range:
        """The rows of tiles that [top, bottom) overlaps."""
        geo = self.geometry
        pitch = geo.cell[1] + geo.gap
        first = max(0, (top - geo.grid_xy[1] - geo.gap - geo.cell[1]) // pitch + 1)
        last = min(geo.nrows, -(-(bottom - geo.grid_xy[1] - geo.gap) // pitch))
        return range(first, max(first, last))

    def paint(self, top: int, bottom: int, tile_image: TileImage) -> Image.Image:
        """Pixel rows [top, bottom) of the sheet; `tile_image(xi, yi)` gives each tile there
        (called once per tile, left to right; the painter closes it after pasting)."""
        geo = self.geometry
        band = Image.new("RGB", (self.width, bottom - top), BACKGROUND)
        draw = ImageDraw.Draw(band)
        for t, t_top, t_bottom in self._texts:
            if t_top < bottom and t_bottom > top:
                draw_lines(draw, t.lines, t.font, t.x, t.y - top, t.width, t.fill, t.align)
        if self._y_title is not None:
            y_title, x, y = self._y_title
            band.paste(y_title, (x, y - top))
        (gx, gy), (gw, gh) = geo.grid_xy, geo.grid_wh
        if gy < bottom and gy + gh > top:  # the gaps between tiles read as gridlines
            draw.rectangle((gx, gy - top, gx + gw - 1, gy + gh - 1 - top), fill=GRID_LINE)
        for yi in self.rows_in(top, bottom):
            for xi in range(geo.ncols):
                img = tile_image(xi, yi)
                if img is not None:
                    left, tile_top, _, _ = geo.cell_box(xi, yi)
                    band.paste(img, (left, tile_top - top))
                    img.close()
        return band


def render_grid(layout: GridLayout, tile_at: Callable[[int, int], Tile]) -> Image.Image:
    """Draw the whole grid as one RGB image (small grids and tests; the grids an experiment
    saves go band by band through GridPainter).

    ``tile_at(xi, yi)`` is called once per cell, row by row, up front: Tiles are
    small descriptors, and the default cell size needs the first image's header.
    Tile images are then opened, fitted, pasted and closed one at a time.
    """
    ncols, nrows = len(layout.x_labels), len(layout.y_labels)
    tiles = [tile_at(xi, yi) for yi in range(nrows) for xi in range(ncols)]
    painter = GridPainter(layout, layout.cell_size or first_image_size(tiles) or DEFAULT_CELL)
    cell = painter.geometry.cell
    return painter.paint(0, painter.height, lambda xi, yi: render_tile(tiles[yi * ncols + xi], cell))
