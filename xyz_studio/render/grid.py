"""Drawing XY(Z) plot grids: labelled bands around a grid of tiles.

Labels wrap, shrink and grow their band instead of being cut; tiles of any size are
fitted (contain, centred); failed and dry-run cells get text tiles; tile images are
read from disk one at a time; cells are scaled uniformly to keep the sheet under a
megapixel cap (nothing global such as ``Image.MAX_IMAGE_PIXELS`` is touched).
"""
from __future__ import annotations

import functools
import math
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from ..protocol import TextEnum
from .caption import with_caption
from .fonts import LabelFont, Rgb, load_font
from .text_fit import block_height, draw_lines, fit_headed_text, fit_text, line_height, text_width, wrap_to_width

BACKGROUND = (255, 255, 255)
TEXT = (32, 32, 32)
MUTED = (96, 96, 96)
GRID_LINE = (222, 222, 222)
NEUTRAL = (238, 238, 238)        # letterbox colour behind fitted tiles
MIN_FONT = 12                    # labels never get smaller than this
MIN_CELL = 8                     # the megapixel cap never shrinks a cell below this
DEFAULT_CELL = (256, 256)


OUTLINE: Rgb = (227, 179, 65)  # the gold the panel and the viewer outline a search's best cell with


class TileKind(TextEnum):
    IMAGE = "image"              # a rendered cell (or a batch of them)
    ERROR = "error"              # a failed cell: soft red, "failed" and the reason
    PLACEHOLDER = "placeholder"  # a dry run's cell: its coordinates
    MISSING = "missing"          # no record for this cell
    CANCELLED = "cancelled"      # not rendered because the experiment was cancelled

    @property
    def heading(self) -> str:
        """The word a text tile shows above its text."""
        return {"error": "failed", "placeholder": ""}.get(self.value, self.value)


# (background, border, heading colour, body colour, dashed border)
_TEXT_STYLES = {
    TileKind.ERROR: ((253, 226, 226), (228, 150, 150), (168, 28, 28), (92, 30, 30), False),
    TileKind.PLACEHOLDER: ((241, 241, 241), (172, 172, 172), TEXT, (80, 80, 80), True),
    TileKind.MISSING: ((249, 249, 249), (208, 208, 208), (128, 128, 128), (128, 128, 128), False),
    TileKind.CANCELLED: ((244, 244, 244), (196, 196, 196), (100, 100, 100), (120, 120, 120), True),
}
# What a broken/unreadable/oversized tile file can raise; it becomes an error tile.
_LOAD_ERRORS = (OSError, ValueError, SyntaxError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Tile:
    """What to draw in one cell: an image file (or a batch of them) or a text tile."""

    kind: TileKind
    path: Path | None = None
    text: str = ""
    images: tuple[Path, ...] = ()
    caption: tuple[str, ...] = ()  # lines under the tile (the cell's metric values), if any
    outlined: bool = False  # framed in OUTLINE (a search's best cell), as the panel and the viewer mark it

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", TileKind(self.kind))
        except ValueError:
            raise ValueError(f"Tile kind must be one of {', '.join(TileKind)}, not {self.kind!r}") from None
        object.__setattr__(self, "images", tuple(self.images))
        object.__setattr__(self, "caption", tuple(self.caption))
        if self.kind == TileKind.IMAGE and self.path is None and not self.images:
            raise ValueError("an image tile needs a path or images")


@dataclass(frozen=True)
class GridLayout:
    """Labels and sizing of one grid (one Z value)."""

    title: str
    x_title: str
    x_labels: tuple[str, ...]
    y_title: str = ""
    y_labels: tuple[str, ...] = ("",)
    footer: str = ""
    cell_size: tuple[int, int] | None = None
    max_megapixels: float = 64.0

    def __post_init__(self) -> None:
        for name in ("x_labels", "y_labels"):  # accept lists, store tuples of str
            object.__setattr__(self, name, tuple(str(v) for v in getattr(self, name)))
        if not self.x_labels or not self.y_labels:
            raise ValueError("a grid needs at least one column label and one row label")
        if self.cell_size is not None and min(self.cell_size) < 1:
            raise ValueError(f"cell_size must be positive, got {self.cell_size}")
        if not self.max_megapixels > 0:
            raise ValueError("max_megapixels must be positive")


# A block of wrapped lines placed in the column [x, x + width] starting at top y.
_Text = namedtuple("_Text", "font lines x y width fill align", defaults=("center",))


@dataclass
class GridGeometry:
    """Every position of a laid-out grid; ``render_grid`` only paints what this says."""

    size: tuple[int, int]
    cell: tuple[int, int]            # slot size of every tile (w, h)
    gap: int
    grid_xy: tuple[int, int]         # top-left of the grid block (outer gridline included)
    grid_wh: tuple[int, int]         # size of the grid block
    ncols: int
    nrows: int
    col_band: tuple[int, int]        # (top, height) of the column-label band
    row_band: tuple[int, int]        # (left, width) of the row-label band; width 0 = none
    col_labels: list[_Text] = field(default_factory=list)
    texts: list[_Text] = field(default_factory=list)
    y_title: _Text | None = None     # drawn rotated; x/y/width describe the band

    def cell_box(self, xi: int, yi: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) pixel box of cell (xi, yi), right/bottom exclusive."""
        cw, ch = self.cell
        left = self.grid_xy[0] + self.gap + xi * (cw + self.gap)
        top = self.grid_xy[1] + self.gap + yi * (ch + self.gap)
        return left, top, left + cw, top + ch


def _fit_block(text: str, box_w: float, box_h: float, size: int,
               bold: bool = False) -> tuple[LabelFont, list[str], int]:
    font, lines = fit_text(text, box_w, box_h, size, MIN_FONT, bold)
    return font, lines, block_height(font, len(lines))


def layout_geometry(layout: GridLayout, cell_w: int, cell_h: int, scale: float = 1.0) -> GridGeometry:
    """Lay out the grid for cells of ``cell_w`` x ``cell_h`` scaled by ``scale``.

    Fonts follow the (scaled) cell size but never drop below ``MIN_FONT``, so
    bands do not shrink linearly with the cells; ``plan_scale`` accounts for that.
    """
    cw, ch = max(MIN_CELL, round(cell_w * scale)), max(MIN_CELL, round(cell_h * scale))
    short = min(cw, ch)
    base = min(48, max(MIN_FONT, round(short * 0.075)))
    axis, title_size = round(base * 1.1), round(base * 1.35)
    margin, gap, pad = max(8, round(short * 0.03)), max(2, round(short * 0.012)), max(4, round(base * 0.35))
    ncols, nrows = len(layout.x_labels), len(layout.y_labels)
    f_base = load_font(base)

    # Column labels: a cap of ~2 lines (or 30% of a cell) before shrinking kicks in;
    # whatever still does not fit at MIN_FONT makes the band taller.
    col_w, cap_h = max(1, cw - 2 * pad), max(block_height(f_base, 2), ch * 0.3)
    cols = [_fit_block(t, col_w, cap_h, base) for t in layout.x_labels]
    col_band_h = max([line_height(f_base)] + [h for *_, h in cols]) + 2 * pad

    # Row labels: band width from the labels' natural width, within ~0.5-1.5 cells
    # (but wide enough for a few characters when cells are tiny).
    band_w, rows, rh = 0, [], ch
    if any(t.strip() for t in layout.y_labels):
        lo_w, hi_w = max(cw * 0.5, base * 4.0), max(cw * 1.5, base * 4.0)
        natural = max(text_width(f_base, ln) for t in layout.y_labels
                      for ln in (wrap_to_width(t, f_base, 1e9) or [""])) + 2 * pad
        band_w = round(min(hi_w, max(lo_w, natural)))
        rows = [_fit_block(t, band_w - 2 * pad, ch - 2 * pad, base) for t in layout.y_labels]
        if band_w < hi_w and any(h > ch - 2 * pad for *_, h in rows):
            band_w = round(hi_w)  # widen before resorting to taller rows
            rows = [_fit_block(t, band_w - 2 * pad, ch - 2 * pad, base) for t in layout.y_labels]
        rh = max(ch, max(h for *_, h in rows) + 2 * pad)  # never cut a row label

    yt = None
    if layout.y_title.strip():
        # The rotated title runs along the grid height; give it at least ~12 em
        # (making rows taller in tiny grids) so it does not wrap into 1-char lines.
        length = max(nrows * rh + (nrows + 1) * gap - 2 * pad, base * 12)
        yt = _fit_block(layout.y_title, length, block_height(load_font(axis), 2), axis, True)
        rh = max(rh, -(-(length + 2 * pad - (nrows + 1) * gap) // nrows))
    grid_w, grid_h = ncols * cw + (ncols + 1) * gap, nrows * rh + (nrows + 1) * gap
    yt_w = yt[2] + pad if yt else 0

    inner_w = yt_w + band_w + grid_w
    width = max(inner_w, base * 10) + 2 * margin  # tiny grids still get room for titles
    content_w = width - 2 * margin
    x0 = margin + (content_w - inner_w) // 2
    grid_x = x0 + yt_w + band_w

    geo_texts: list[_Text] = []
    y = margin
    if layout.title.strip():
        f, ls, h = _fit_block(layout.title, content_w, block_height(load_font(title_size, True), 2),
                              title_size, True)
        geo_texts.append(_Text(f, ls, margin, y, content_w, TEXT))
        y += h + pad
    if layout.x_title.strip():
        # Centred over the columns, but not narrower than ~10 em unless the canvas is.
        box_w = min(content_w, max(grid_w, base * 10))
        box_x = min(max(margin, grid_x + (grid_w - box_w) // 2), width - margin - box_w)
        f, ls, h = _fit_block(layout.x_title, box_w, block_height(load_font(axis), 2), axis, True)
        geo_texts.append(_Text(f, ls, box_x, y, box_w, TEXT))
        y += h + pad // 2
    col_band_top = y
    col_texts = [_Text(f, ls, grid_x + gap + i * (cw + gap) + pad, y + (col_band_h - h) // 2, col_w, TEXT)
                 for i, (f, ls, h) in enumerate(cols)]
    grid_y = y + col_band_h
    for j, (f, ls, h) in enumerate(rows):
        top = grid_y + gap + j * (rh + gap) + (rh - h) // 2
        geo_texts.append(_Text(f, ls, x0 + yt_w + pad, top, band_w - 2 * pad, TEXT))
    y = grid_y + grid_h
    if layout.footer.strip():
        fsize = max(MIN_FONT, round(base * 0.8))
        f, ls, h = _fit_block(layout.footer, content_w, block_height(load_font(fsize), 3), fsize)
        geo_texts.append(_Text(f, ls, margin, y + pad, content_w, MUTED, "left"))
        y += pad + h
    y_title = _Text(yt[0], yt[1], x0, grid_y, yt[2], TEXT) if yt else None
    return GridGeometry(size=(width, y + margin), cell=(cw, rh), gap=gap,
                        grid_xy=(grid_x, grid_y), grid_wh=(grid_w, grid_h), ncols=ncols, nrows=nrows,
                        col_band=(col_band_top, col_band_h), row_band=(x0 + yt_w, band_w),
                        col_labels=col_texts, texts=geo_texts, y_title=y_title)


def plan_scale(layout: GridLayout, cell_w: int, cell_h: int) -> float:
    """Uniform factor (<= 1) for cells so the whole sheet fits ``max_megapixels``.

    Starts from the cells-only estimate and corrects for the label bands (whose
    fonts do not shrink below MIN_FONT) using the real layout. Cells are never
    made smaller than MIN_CELL px; only then can the cap be exceeded.
    """
    cap = layout.max_megapixels * 1e6
    cells = len(layout.x_labels) * len(layout.y_labels) * cell_w * cell_h
    s_min = min(1.0, MIN_CELL / min(cell_w, cell_h))
    s = max(s_min, min(1.0, math.sqrt(cap / cells)))

    def area(scale: float) -> int:
        w, h = layout_geometry(layout, cell_w, cell_h, scale).size
        return w * h

    for _ in range(6):  # usually converges in 1-3 steps
        a = area(s)
        if a <= cap or s <= s_min:
            return s
        s = max(s_min, s * min(0.995, math.sqrt(cap / a)))
    lo, hi = s_min, s  # bands dominate: bisect for the largest scale that fits
    for _ in range(20):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if area(mid) <= cap else (lo, mid)
    return lo


def plan_geometry(layout: GridLayout, cell_w: int, cell_h: int) -> GridGeometry:
    """The layout ``render_grid`` will use for this cell size (after the megapixel cap)."""
    return layout_geometry(layout, cell_w, cell_h, plan_scale(layout, cell_w, cell_h))


def _to_rgb(img: Image.Image, background: Rgb = NEUTRAL) -> Image.Image:
    """Any mode to RGB: alpha composited on the tile background, 16-bit scaled to 8-bit."""
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        peak = 65535.0 if img.mode.startswith("I;16") else max(255.0, float(arr.max(initial=0)))
        return Image.fromarray(np.clip(arr * (255.0 / peak), 0, 255).astype(np.uint8)).convert("RGB")
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        base = Image.new("RGBA", img.size, background + (255,))
        return Image.alpha_composite(base, rgba).convert("RGB")
    return img.convert("RGB")


def fit_tile(img: Image.Image, size: tuple[int, int], background: Rgb = NEUTRAL) -> Image.Image:
    """Scale ``img`` to fit ``size`` keeping its aspect (contain), centred on ``background``."""
    w, h = size
    src = _to_rgb(img, background)
    iw, ih = src.size
    r = min(w / iw, h / ih)
    nw, nh = max(1, min(w, round(iw * r))), max(1, min(h, round(ih * r)))
    if (nw, nh) != (iw, ih):
        # reducing_gap does a fast integer pre-shrink first on big reductions.
        # Small renders shown larger stay crisp (nearest) rather than smeared.
        resample = (Image.Resampling.LANCZOS if r < 1 else
                    Image.Resampling.NEAREST if r >= 2 else Image.Resampling.BICUBIC)
        src = src.resize((nw, nh), resample, reducing_gap=3.0 if r < 0.5 else None)
    out = Image.new("RGB", (w, h), background)
    out.paste(src, ((w - nw) // 2, (h - nh) // 2))
    return out


def _dashed_rect(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], fill: Rgb, dash: int) -> None:
    left, top, right, bottom = box
    for x in range(left, right, 2 * dash):
        draw.line([(x, top), (min(x + dash, right), top)], fill=fill)
        draw.line([(x, bottom), (min(x + dash, right), bottom)], fill=fill)
    for y in range(top, bottom, 2 * dash):
        draw.line([(left, y), (left, min(y + dash, bottom))], fill=fill)
        draw.line([(right, y), (right, min(y + dash, bottom))], fill=fill)


def draw_text_tile(size: tuple[int, int], text: str, kind: TileKind | str) -> Image.Image:
    """A text tile: "error" (soft red, "failed" + reason), "placeholder" or "missing".

    Text shrinks to fit the fixed tile; only if it cannot fit at the smallest size
    is it truncated with an ellipsis (a cell cannot grow like a label band can).
    """
    kind = TileKind(kind)
    bg, border, head_fill, body_fill, dashed = _TEXT_STYLES[kind]
    heading = kind.heading
    w, h = size
    img = Image.new("RGB", (w, h), bg)
    draw = ImageDraw.Draw(img)
    inset = max(1, round(min(w, h) * 0.02))
    if dashed:
        _dashed_rect(draw, (inset, inset, w - 1 - inset, h - 1 - inset), border, max(3, min(w, h) // 32))
    else:
        draw.rectangle((0, 0, w - 1, h - 1), outline=border)
    pad = max(3, round(min(w, h) * 0.07))
    hi = max(8, min(28, round(min(w, h) * 0.08)))
    body, head, lines, sep = fit_headed_text(str(text or ""), heading, w - 2 * pad, h - 2 * pad,
                                             hi, min(MIN_FONT, hi))
    head_h = line_height(head) if head else 0
    y = (h - head_h - sep - block_height(body, len(lines))) // 2
    if head:
        head.draw(draw, (w / 2, y), heading, head_fill, anchor="ma")
    draw_lines(draw, lines, body, pad, y + head_h + sep, w - 2 * pad, body_fill)
    return img


def _image_tile(path: Path, size: tuple[int, int]) -> Image.Image:
    """Open one file, fit it and close it; unreadable files become error tiles."""
    try:
        with Image.open(path) as im:
            im.draft(None, size)  # JPEG: decode at reduced scale, saves memory and time
            return fit_tile(im, size)
    except _LOAD_ERRORS as exc:
        return draw_text_tile(size, f"cannot read {Path(path).name}: {exc}", TileKind.ERROR)


def _batch_tile(paths: tuple[Path, ...], size: tuple[int, int]) -> Image.Image:
    """Several images of one cell as a compact ceil(sqrt(n))-column sub-grid."""
    w, h = size
    cols = math.ceil(math.sqrt(len(paths)))
    rows = math.ceil(len(paths) / cols)
    sg = max(1, round(min(w, h) * 0.01))
    sw, sh = max(1, (w - (cols - 1) * sg) // cols), max(1, (h - (rows - 1) * sg) // rows)
    ox, oy = (w - cols * sw - (cols - 1) * sg) // 2, (h - rows * sh - (rows - 1) * sg) // 2
    out = Image.new("RGB", (w, h), NEUTRAL)
    for k, path in enumerate(paths):
        sub = _image_tile(path, (sw, sh))
        out.paste(sub, (ox + (k % cols) * (sw + sg), oy + (k // cols) * (sh + sg)))
        sub.close()
    return out


def render_tile(tile: Tile, size: tuple[int, int]) -> Image.Image:
    """The RGB image of ``tile`` at exactly ``size`` (its caption and frame, if any, included)."""
    if tile.outlined:
        framed = render_tile(Tile(tile.kind, tile.path, tile.text, tile.images, tile.caption), size)
        width = max(2, round(min(size) / 40))  # seen on a 2,000 px grid scaled to a screen, never covering much
        ImageDraw.Draw(framed).rectangle((0, 0, size[0] - 1, size[1] - 1), outline=OUTLINE, width=width)
        return framed
    if tile.caption:
        return with_caption(lambda body: render_tile(Tile(tile.kind, tile.path, tile.text, tile.images), body),
                            size, tile.caption)
    if tile.kind == TileKind.IMAGE:
        if tile.images:
            return _batch_tile(tile.images, size)
        if tile.path is None:
            raise ValueError("an image tile needs a path or images")
        return _image_tile(tile.path, size)
    return _text_tile(size, tile.text or "", TileKind(tile.kind)).copy()  # the caller closes its copy


@functools.lru_cache(maxsize=64)
def _text_tile(size: tuple[int, int], text: str, kind: TileKind) -> Image.Image:
    """Text tiles repeat (a large dry run's placeholders, a cancelled run's cells): each is drawn once."""
    return draw_text_tile(size, text, kind)


def first_image_size(tiles: list[Tile]) -> tuple[int, int] | None:
    for tile in tiles:
        paths = tile.images or ((tile.path,) if tile.path is not None else ())
        for path in paths if tile.kind == TileKind.IMAGE else ():
            try:
                image = Image.open(path)  # lazy: reads the header only
                with image:  # (not `as`: for Python 3.10 Pillow's __enter__ is untyped)
                    return image.size
            except _LOAD_ERRORS:
                continue
    return None
