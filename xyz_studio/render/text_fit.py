"""Fonts and fitting text into boxes for grid labels and text tiles.

Labels in XY plots are user data (prompt fragments, checkpoint file names, long
sampler lists), so the drawing code must never assume they are short. Everything
here measures with the current Pillow API (``getlength``/``getbbox``/metrics);
``getsize`` was removed in Pillow 10 and broke other plot packs.
"""
from __future__ import annotations

import functools
import os

from PIL import ImageDraw, ImageFont

FontT = ImageFont.FreeTypeFont | ImageFont.ImageFont

# Where DejaVu lives on the common platforms; the bare file name last lets Pillow
# search its own list of system font folders (Windows, macOS, XDG data dirs).
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",      # Debian, Ubuntu
    "/usr/share/fonts/dejavu-sans-fonts",    # Fedora
    "/usr/share/fonts/dejavu",               # older Fedora, Alpine
    "/usr/share/fonts/TTF",                  # Arch
    "/usr/local/share/fonts",
    os.path.expanduser("~/.fonts"),
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
_REGULAR = "DejaVuSans.ttf"
_BOLD = "DejaVuSans-Bold.ttf"

ELLIPSIS = "…"
# Characters after which a long unbreakable token (a checkpoint file name,
# snake_case identifiers, paths) reads naturally when split across lines.
_SOFT_BREAKS = frozenset("_-./\\,:;+=|)]}")


@functools.lru_cache(maxsize=128)
def load_font(size: int, bold: bool = False) -> FontT:
    """Return a scalable font of ``size`` pixels, cached per (size, bold).

    DejaVu Sans is preferred (wide glyph coverage, same look everywhere it is
    installed); otherwise Pillow's built-in scalable font is used, so rendering
    never fails for lack of system fonts. Bold falls back to the regular face.
    """
    size = max(1, int(size))
    names = (_BOLD, _REGULAR) if bold else (_REGULAR,)
    for name in names:
        for folder in _FONT_DIRS:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                try:
                    return ImageFont.truetype(path, size)
                except OSError:
                    continue
        try:
            return ImageFont.truetype(name, size)  # Pillow's own search path
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def font_size(font: FontT) -> int:
    """Pixel size of a font (the bitmap fallback reports its line height)."""
    return int(getattr(font, "size", None) or line_height(font))


def text_width(font: FontT, text: str) -> float:
    """Advance width of a single line of text in pixels."""
    return float(font.getlength(text))


def line_height(font: FontT) -> int:
    """Height of one line from ascender to descender (no extra spacing)."""
    if hasattr(font, "getmetrics"):
        ascent, descent = font.getmetrics()
        return int(ascent + descent)
    box = font.getbbox("Ag")
    return int(box[3] - box[1])


def line_gap(font: FontT) -> int:
    """Extra spacing between consecutive lines: ~20% of the size reads well."""
    return max(1, round(font_size(font) * 0.2))


def block_height(font: FontT, n_lines: int) -> int:
    """Height of ``n_lines`` stacked lines, 0 for no lines."""
    if n_lines <= 0:
        return 0
    return n_lines * line_height(font) + (n_lines - 1) * line_gap(font)


def _split_token(token: str, font: FontT, width: float) -> list[str]:
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
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return pieces


def wrap_to_width(text: str, font: FontT, width: float) -> list[str]:
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


def _fits(font: FontT, lines: list[str], box_w: float, box_h: float) -> bool:
    return block_height(font, len(lines)) <= box_h and all(
        text_width(font, ln) <= box_w for ln in lines)


def fit_text(text: str, box_w: float, box_h: float, max_size: int, min_size: int,
             bold: bool = False) -> tuple[FontT, list[str]]:
    """Largest font in [min_size, max_size] whose wrapped ``text`` fits the box.

    Returns ``(font, lines)``. If nothing fits even at ``min_size`` the result is
    the ``min_size`` font with *all* wrapped lines: the caller grows its band,
    text is never dropped here. Sizes are binary-searched (fitting is monotonic
    in practice) and the answer is always re-checked, so it is never too big.
    """
    min_size = max(1, int(min_size))
    max_size = max(min_size, int(max_size))
    box_w = max(1.0, float(box_w))

    def attempt(size: int) -> tuple[FontT, list[str], bool]:
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


def truncate_lines(lines: list[str], font: FontT, width: float, max_lines: int) -> list[str]:
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
                    min_size: int) -> tuple[FontT, FontT | None, list[str], int]:
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

def draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], font: FontT, x: float,
               y: float, width: float, fill, align: str = "center") -> None:
    """Draw stacked lines starting at top ``y`` inside the column [x, x+width].

    Anchoring at the ascender ("a") makes line positions match ``block_height``.
    """
    pitch = line_height(font) + line_gap(font)
    for i, line in enumerate(lines):
        yy = y + i * pitch
        if align == "center":
            draw.text((x + width / 2, yy), line, font=font, fill=fill, anchor="ma")
        elif align == "right":
            draw.text((x + width, yy), line, font=font, fill=fill, anchor="ra")
        else:
            draw.text((x, yy), line, font=font, fill=fill, anchor="la")
