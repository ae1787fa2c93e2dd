"""Fitting text into boxes for grid labels and text tiles (the fonts, any script: fonts.py).

Labels in XY plots are user data (prompt fragments, checkpoint file names, long
sampler lists), so the drawing code must never assume they are short. Everything
here measures with the current Pillow API (``getlength``/``getbbox``/metrics);
``getsize`` was removed in Pillow 10 and broke other plot packs.
"""
from __future__ import annotations

import unicodedata

from PIL import ImageDraw

from .fonts import LabelFont, Rgb, load_font

ELLIPSIS = "…"
# Characters after which a long unbreakable token (a checkpoint file name,
# snake_case identifiers, paths) reads naturally when split across lines.
_SOFT_BREAKS = frozenset("_-./\\,:;+=|)]}")


def font_size(font: LabelFont) -> int:
    """Pixel size of a font."""
    return int(font.size)


def text_width(font: LabelFont, text: str) -> float:
    """Advance width of a single line of text in pixels."""
    return float(font.getlength(text))


def line_height(font: LabelFont) -> int:
    """Height of one line from ascender to descender (no extra spacing)."""
    ascent, descent = font.getmetrics()
    return int(ascent + descent)


def line_gap(font: LabelFont) -> int:
    """Extra spacing between consecutive lines: ~20% of the size reads well."""
    return max(1, round(font_size(font) * 0.2))


def block_height(font: LabelFont, n_lines: int) -> int:
    """Height of ``n_lines`` stacked lines, 0 for no lines."""
    if n_lines <= 0:
        return 0
    return n_lines * line_height(font) + (n_lines - 1) * line_gap(font)


def _joins_previous(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F


def _split_token(token: str, font: LabelFont, width: float) -> list[str]:
    """Split a token wider than ``width`` into pieces that each fit.

    Binary search for the longest fitting prefix keeps this fast for 200-char
    tokens; a soft break character in the latter half of the piece is preferred
    so "model_v2_final.safetensors" splits after "_" or "." rather than mid-word.
    At least one character per piece, so even absurdly narrow boxes terminate.
    """
    pieces: list[str] = []
    rest = token
    while rest:
        if text_width(font, rest) <= width:
            pieces.append(rest)
            break
        lo, hi = 1, len(rest)  # invariant: rest[:lo] is accepted (>=1 char)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if text_width(font, rest[:mid]) <= width:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        for i in range(lo - 1, lo // 2, -1):
            if rest[i] in _SOFT_BREAKS:
                cut = i + 1
                break
        while 1 < cut < len(rest) and _joins_previous(rest[cut]):
            cut -= 1  # never strand an accent, a joiner or a variation selector at a line start
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


def wrap_to_width(text: str, font: LabelFont, width: float) -> list[str]:
    """Wrap ``text`` into lines no wider than ``width`` pixels.

    Breaks at whitespace; explicit newlines start new lines; tokens that are
    wider than the box on their own are split at character level (preferring
    ``_``, ``-``, ``.``, ``/``). Returns [] for empty text. A line can only exceed
    ``width`` if a single character is wider than the box.
    """
    text = str(text)
    if not text.strip():
        return []
    lines: list[str] = []
    for para in text.strip("\n").split("\n"):
        words = para.split()
        if not words:
            lines.append("")  # keep deliberate blank lines
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(font, candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_token(word, font, width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
        lines.append(current)
    return lines


def _fits(font: LabelFont, lines: list[str], box_w: float, box_h: float) -> bool:
    return block_height(font, len(lines)) <= box_h and all(
        text_width(font, ln) <= box_w for ln in lines)


def fit_text(text: str, box_w: float, box_h: float, max_size: int, min_size: int,
             bold: bool = False) -> tuple[LabelFont, list[str]]:
    """Largest font in [min_size, max_size] whose wrapped ``text`` fits the box.

    Returns ``(font, lines)``. If nothing fits even at ``min_size`` the result is
    the ``min_size`` font with *all* wrapped lines: the caller grows its band,
    text is never dropped here. Sizes are binary-searched (fitting is monotonic
    in practice) and the answer is always re-checked, so it is never too big.
    """
    min_size = max(1, int(min_size))
    max_size = max(min_size, int(max_size))
    box_w = max(1.0, float(box_w))

    def attempt(size: int) -> tuple[LabelFont, list[str], bool]:
        font = load_font(size, bold)
        lines = wrap_to_width(text, font, box_w)
        return font, lines, _fits(font, lines, box_w, box_h)

    font, lines, ok = attempt(max_size)
    if ok:
        return font, lines
    best = None
    lo, hi = min_size, max_size - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        f, ls, fits = attempt(mid)
        if fits:
            best, lo = (f, ls), mid + 1
        else:
            hi = mid - 1
    if best is not None:
        return best
    font, lines, _ = attempt(min_size)
    return font, lines


def truncate_lines(lines: list[str], font: LabelFont, width: float, max_lines: int) -> list[str]:
    """Keep at most ``max_lines`` lines, ending the last kept one with an ellipsis.

    Only text tiles use this (their size is fixed by the grid); labels grow
    their band instead.
    """
    if len(lines) <= max_lines:
        return list(lines)
    if max_lines <= 0:
        return []
    kept = list(lines[:max_lines])
    last = kept[-1].rstrip()
    while last and text_width(font, last + ELLIPSIS) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + ELLIPSIS
    return kept


def fit_headed_text(text: str, heading: str, box_w: float, box_h: float, max_size: int,
                    min_size: int) -> tuple[LabelFont, LabelFont | None, list[str], int]:
    """Fit a bold ``heading`` (may be "") above wrapped ``text`` in a fixed box.

    Returns ``(body_font, heading_font or None, lines, gap)``; the heading is 1.2x
    the body size and ``gap`` separates it from the body. For boxes that cannot
    grow (tiles): if nothing fits at ``min_size``, the lines are truncated with an
    ellipsis, and the heading is dropped if it cannot fit at all.
    """
    for size in range(max(max_size, min_size), min_size - 1, -1):
        body = load_font(size)
        head = load_font(round(size * 1.2), True) if heading else None
        head_h = line_height(head) if head else 0
        gap = round(size * 0.5) if head and text.strip() else 0
        lines = wrap_to_width(text, body, box_w)
        if head_h + gap + block_height(body, len(lines)) <= box_h and all(
                text_width(body, ln) <= box_w for ln in lines):
            return body, head, lines, gap
    if head and (head_h > box_h or text_width(head, heading) > box_w):
        head, head_h, gap = None, 0, 0
    pitch = line_height(body) + line_gap(body)
    room = int(box_h) - head_h - gap + line_gap(body)  # n lines need n*pitch - one gap
    return body, head, truncate_lines(lines, body, box_w, max(0, room // pitch)), gap

def draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: LabelFont, x: float,
               y: float, width: float, fill: Rgb, align: str = "center") -> None:
    """Draw stacked lines starting at top ``y`` inside the column [x, x+width].

    Anchoring at the ascender ("a") makes line positions match ``block_height``.
    """
    pitch = line_height(font) + line_gap(font)
    for i, line in enumerate(lines):
        yy = y + i * pitch
        if align == "center":
            font.draw(draw, (x + width / 2, yy), line, fill, anchor="ma")
        elif align == "right":
            font.draw(draw, (x + width, yy), line, fill, anchor="ra")
        else:
            font.draw(draw, (x, yy), line, fill, anchor="la")
