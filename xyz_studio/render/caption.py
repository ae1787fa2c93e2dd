"""Caption lines under a tile: the cell's metric values, one line each, never spilling over."""
from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageDraw

from .text_fit import fit_text, line_height, truncate_lines

CAPTION_LINE_SHARE = 0.08        # a caption line's height, of the cell's (within the two bounds below)
CAPTION_LINE_PX = (12, 28)
CAPTION_BG = (246, 246, 246)
CAPTION_TEXT = (32, 32, 32)


def _caption_line(cell_height: int) -> int:
    low, high = CAPTION_LINE_PX
    return max(low, min(high, round(cell_height * CAPTION_LINE_SHARE)))


def captioned_slot(cell_size: tuple[int, int], lines: int) -> tuple[int, int]:
    """The slot a cell of `cell_size` needs with `lines` caption lines under it."""
    w, h = cell_size
    return w, h + lines * _caption_line(h)


def _image_height(slot_height: int, lines: int) -> int:
    """The cell height whose captioned slot is `slot_height` (the slot may have been scaled)."""
    for h in range(max(1, slot_height - lines * CAPTION_LINE_PX[1]), slot_height + 1):
        if h + lines * _caption_line(h) >= slot_height:
            return h
    return max(1, slot_height - lines * CAPTION_LINE_PX[0])


def with_caption(body: Callable[[tuple[int, int]], Image.Image], size: tuple[int, int],
                 caption: tuple[str, ...] | list[str]) -> Image.Image:
    """A slot of `size`: the tile `body(size of its part)` draws on top, one line per caption entry
    below it (each shrunk to fit, and cut with an ellipsis rather than spilling into the next cell)."""
    w, h = size
    image_h = _image_height(h, len(caption))
    out = Image.new("RGB", size, CAPTION_BG)
    top = body((w, image_h))
    out.paste(top, (0, 0))
    top.close()
    line_h = (h - image_h) / max(1, len(caption))
    pad = max(2, round(line_h * 0.2))
    draw = ImageDraw.Draw(out)
    for k, text in enumerate(caption):
        font, lines = fit_text(text, w - 2 * pad, line_h, max(6, round(line_h * 0.72)), max(6, round(line_h * 0.5)))
        line = truncate_lines(lines, font, w - 2 * pad, 1)
        y = image_h + k * line_h + (line_h - line_height(font)) / 2
        font.draw(draw, (w / 2, y), line[0] if line else "", CAPTION_TEXT, anchor="ma")
    return out
