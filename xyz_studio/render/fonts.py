"""Fonts for grid labels: one label may mix scripts, so each character is drawn with the
first font in a fixed order that has a glyph for it.

Users label axes in their own languages (`実験`, `漢字`, `🙂`, `سلام`), and no single
font covers them all. A label is split into runs by which font has each character
(read from the font's character map, `cmap.py`), and each run is measured and drawn
with its font on the line's common baseline. The order, first to last:

1. **DejaVu Sans** (Bold for titles): Latin, Greek, Cyrillic, Arabic, Hebrew and
   many symbols; Debian's `fonts-dejavu-core`. Where it is missing (most Windows and
   macOS machines), Pillow's built-in font (Latin only) takes its place.
2. **Other scripts without DejaVu**: Segoe UI, Arial (Windows, macOS), Noto Sans.
3. **CJK**: Noto Sans CJK SC (Debian `fonts-noto-cjk`, the only one here with a Bold),
   Source Han Sans, WenQuanYi Zen Hei / Micro Hei, Droid Sans Fallback (Debian
   `fonts-droid-fallback`, which `make fonts` installs for the tests), then Microsoft
   YaHei, Yu Gothic, Meiryo, MS Gothic, Malgun Gothic, SimSun (Windows), PingFang,
   Hiragino Sans GB, STHeiti, Apple SD Gothic Neo and Arial Unicode (macOS).
4. **Emoji and symbols, monochrome**: Symbola (Debian `fonts-symbola`, installed by
   `make fonts`), Noto Emoji, Segoe UI Emoji and Segoe UI Symbol (Windows), Apple
   Symbols (macOS), Noto Sans Symbols 2.
5. **A box with the code point in hex**, like a font's last resort, so a character no
   font has is still told apart and can be looked up, never a silent blank or an
   anonymous box.

Colour emoji fonts (Noto Color Emoji, Apple Color Emoji) are not used: their glyphs
are bitmaps that FreeType draws at one fixed size only, and a few ink colours would
fight the grid's text colour. A font whose glyphs draw no ink (a colour font with empty
outlines) is skipped. Files are looked for by name in the usual font folders of Linux,
macOS and Windows; the search, each font's character map and each size are read once.

Right-to-left text within one font is shaped and ordered by Pillow's layout engine
(libraqm, where installed); a label whose first strong character is right-to-left
lays its font runs out from the right. Mixing directions across fonts is not
reordered further.
"""
from __future__ import annotations

import functools
import io
import math
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageDraw, ImageFont

from .cmap import Coverage, FontFileError, read_coverage

Rgb = tuple[int, int, int]  # a colour: red, green, blue, each 0-255


@dataclass(frozen=True)
class FontName:
    """A font file looked for by name; `face` picks the face of a collection by family name."""

    file: str
    face: str = ""


def _names(*files: str) -> tuple[FontName, ...]:
    return tuple(FontName(*f.split("#")) for f in files)


# (regular, bold) per tier, in the order of the module docstring; bold lists fall back to
# the regular ones of their tier.
PRIMARY = (_names("DejaVuSans.ttf"), _names("DejaVuSans-Bold.ttf"))
FALLBACK_TIERS = (
    (_names("segoeui.ttf", "Arial.ttf", "NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf",
            "NotoSansHebrew-Regular.ttf"),
     _names("segoeuib.ttf", "Arial Bold.ttf", "arialbd.ttf", "NotoSans-Bold.ttf")),
    (_names("NotoSansCJK-Regular.ttc#Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf",
            "SourceHanSans-Regular.ttc#Source Han Sans SC", "wqy-zenhei.ttc", "wqy-microhei.ttc",
            "DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "msyh.ttc#Microsoft YaHei", "YuGothM.ttc",
            "meiryo.ttc", "msgothic.ttc", "malgun.ttf", "simsun.ttc", "PingFang.ttc#PingFang SC",
            "Hiragino Sans GB.ttc", "STHeiti Light.ttc", "AppleSDGothicNeo.ttc", "Arial Unicode.ttf"),
     _names("NotoSansCJK-Bold.ttc#Noto Sans CJK SC", "NotoSansCJKsc-Bold.otf",
            "SourceHanSans-Bold.ttc#Source Han Sans SC", "msyhbd.ttc#Microsoft YaHei", "YuGothB.ttc",
            "malgunbd.ttf")),
    (_names("Symbola_hint.ttf", "Symbola.ttf", "NotoEmoji-Regular.ttf", "NotoEmoji[wght].ttf", "seguiemj.ttf",
            "seguisym.ttf", "Apple Symbols.ttf", "NotoSansSymbols2-Regular.ttf"), ()),
)


def font_folders() -> list[Path]:
    """The usual font folders of this platform (user folders included), existing ones only."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", "C:/Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData/Local"))
        dirs = [windir / "Fonts", local / "Microsoft/Windows/Fonts"]
    elif sys.platform == "darwin":
        dirs = [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    else:
        data = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
        dirs = [Path(d) / "fonts" for d in data.split(":") if d]
        dirs += [home / ".local/share/fonts", home / ".fonts"]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


@functools.cache
def _font_files() -> dict[str, Path]:
    """Every font file under the font folders by lower-case name (the first found wins)."""
    found: dict[str, Path] = {}
    for root in font_folders():
        for folder, subdirs, files in os.walk(root):
            if len(Path(folder).relative_to(root).parts) >= 4:
                subdirs.clear()  # font trees are shallow; do not wander into deep asset stores
            for name in files:
                if name.lower().endswith((".ttf", ".otf", ".ttc")):
                    found.setdefault(name.lower(), Path(folder) / name)
    return found


@dataclass(frozen=True)
class FontFile:
    """One usable face: its file (None = Pillow's built-in font), face index and coverage."""

    path: Path | None
    index: int
    coverage: Coverage = field(compare=False, repr=False)

    @property
    def name(self) -> str:
        return self.path.name if self.path else "Pillow's built-in font"


def _built_in() -> FontFile:
    data = _default_font(12).font_bytes
    return FontFile(None, 0, read_coverage(io.BytesIO(data)))


def _default_font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size)
    if not isinstance(font, ImageFont.FreeTypeFont):  # Pillow's bitmap font: one size, no coverage
        raise RuntimeError("this Pillow was built without FreeType, which the grid labels need")
    return font


def _open(name: FontName) -> FontFile | None:
    """The face `name` if it is installed, readable and draws ink; None otherwise."""
    path = _font_files().get(name.file.lower())
    if path is None:
        return None
    for index in range(32):  # a collection's faces, to find `face`; a single font has only face 0
        try:
            font = ImageFont.truetype(str(path), 32, index=index)
        except OSError:
            return None  # no such face, or a bitmap-only (colour) font that cannot scale
        if name.face and font.getname()[0] != name.face:
            continue
        try:
            with open(path, "rb") as f:
                coverage = read_coverage(f, index)
        except (OSError, FontFileError):
            return None
        probe = next((c for c in "A漢🙂★" if ord(c) in coverage), None)
        if probe is None or font.getmask(probe).getbbox() is None:
            return None  # covers nothing we can test, or its outlines are empty (a colour font)
        return FontFile(path, index, coverage)
    return None


@functools.cache
def font_chain(bold: bool = False) -> tuple[FontFile, ...]:
    """The installed faces in fallback order (see the module docstring), primary first."""
    primary = next(filter(None, map(_open, PRIMARY[1] + PRIMARY[0] if bold else PRIMARY[0])), None)
    chain = [primary or _built_in()]
    for regular, bold_names in FALLBACK_TIERS:
        for name in (bold_names if bold else ()) + regular:
            face = _open(name)
            if face is not None and face not in chain:
                chain.append(face)
    return tuple(chain)


@functools.lru_cache(maxsize=512)
def sized(face: FontFile, size: int) -> ImageFont.FreeTypeFont:
    """`face` at `size` pixels, opened once."""
    if face.path is None:
        return _default_font(size)
    return ImageFont.truetype(str(face.path), size, index=face.index)


def _invisible(ch: str) -> bool:
    """Joiners, variation selectors and other format characters: they draw nothing themselves."""
    return unicodedata.category(ch) == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF


def _attaches(ch: str) -> bool:
    """Characters that stay in the run before them when its font has them."""
    return ch.isspace() or unicodedata.category(ch) in ("Mn", "Me") or _invisible(ch)


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one face (None: code-point boxes)."""

    face: FontFile | None
    text: str


class LabelFont:
    """A font of one pixel size that draws any text, run by run, with the fallback chain.

    Measures like a Pillow font (`size`, `getmetrics`, `getlength`); line metrics are the
    primary face's, so layouts do not change with the fonts installed. Draw with `draw`.
    """

    def __init__(self, size: int, chain: tuple[FontFile, ...]):
        self.size = size
        self.chain = chain
        self.primary = sized(chain[0], size)
        self._face_of: dict[str, FontFile | None] = {}
        self._runs: dict[str, tuple[Run, ...]] = {}

    def __repr__(self) -> str:
        return f"LabelFont({self.size}, {self.chain[0].name} + {len(self.chain) - 1} fallbacks)"

    def getmetrics(self) -> tuple[int, int]:
        return self.primary.getmetrics()

    def face_of(self, ch: str) -> FontFile | None:
        """The first face in the chain with a glyph for `ch` (None: no installed font has one)."""
        if ch not in self._face_of:
            self._face_of[ch] = next((f for f in self.chain if ord(ch) in f.coverage), None)
        return self._face_of[ch]

    def runs(self, text: str) -> tuple[Run, ...]:
        """`text` split into runs of one face each, in logical order."""
        cached = self._runs.get(text)
        if cached is not None:
            return cached
        runs: list[tuple[FontFile | None, list[str]]] = []  # (face, characters)
        for ch in text:
            last_face = runs[-1][0] if runs else None
            if last_face is not None and _attaches(ch) and ord(ch) in last_face.coverage:
                runs[-1][1].append(ch)
                continue
            if _invisible(ch):
                continue  # no face of this run has it: drawing it would show a .notdef box
            face = self.face_of(ch)
            if runs and last_face == face:
                runs[-1][1].append(ch)
            else:
                runs.append((face, [ch]))
        result = tuple(Run(face, "".join(chars)) for face, chars in runs)
        if len(self._runs) > 4096:
            self._runs.clear()  # labels repeat within a grid; a bound keeps long sessions small
        self._runs[text] = result
        return result

    def _hex_font(self) -> ImageFont.FreeTypeFont:
        return sized(self.chain[0], max(4, round(self.size * 0.38)))

    def _box_width(self, ch: str) -> float:
        digits = f"{ord(ch):04X}"
        pad = max(1, round(self.size * 0.08))
        return math.ceil(len(digits) / 2) * self._hex_font().getlength("D") + 4 * pad

    def run_width(self, run: Run) -> float:
        if run.face is None:
            return sum(self._box_width(ch) for ch in run.text)
        return float(sized(run.face, self.size).getlength(run.text))

    def getlength(self, text: str) -> float:
        runs = self.runs(text)
        if len(runs) == 1 and runs[0].face is self.chain[0]:
            return float(self.primary.getlength(text))
        return sum(self.run_width(r) for r in runs)

    def draw(self, draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill: Rgb,
             anchor: str = "la") -> None:
        """Draw one line with its top (the primary's ascender) at y; anchor 'la', 'ma' or 'ra'."""
        if anchor not in ("la", "ma", "ra"):
            raise ValueError(f"anchor must be 'la', 'ma' or 'ra', not {anchor!r}")
        runs = self.runs(text)
        widths = [self.run_width(r) for r in runs]
        x, top = xy
        x -= {"l": 0.0, "m": sum(widths) / 2, "r": sum(widths)}[anchor[0]]
        baseline = top + self.getmetrics()[0]
        order = range(len(runs) - 1, -1, -1) if _right_to_left(text) else range(len(runs))
        for k in order:
            run = runs[k]
            if run.face is None:
                self._draw_boxes(draw, x, baseline, run.text, fill)
            else:
                draw.text((x, baseline), run.text, font=sized(run.face, self.size), fill=fill, anchor="ls")
            x += widths[k]

    def _draw_boxes(self, draw: ImageDraw.ImageDraw, x: float, baseline: float, text: str, fill: Rgb) -> None:
        """Each character as a box holding its code point in two rows of hex digits."""
        small, pad = self._hex_font(), max(1, round(self.size * 0.08))
        row = sum(small.getmetrics()) * 0.8
        for ch in text:
            w, digits = self._box_width(ch), f"{ord(ch):04X}"
            half = math.ceil(len(digits) / 2)
            top = baseline - max(2 * row + 2 * pad, self.getmetrics()[0] * 0.8)
            draw.rectangle((x + pad, top, x + w - pad, baseline), outline=fill, width=1)
            middle = (top + baseline) / 2
            draw.text((x + w / 2, middle), digits[:half], font=small, fill=fill, anchor="md")
            draw.text((x + w / 2, middle), digits[half:], font=small, fill=fill, anchor="mt")
            x += w


def _right_to_left(text: str) -> bool:
    """Whether the first strong character of `text` is right-to-left (Hebrew, Arabic, ...)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@functools.lru_cache(maxsize=128)
def load_font(size: int, bold: bool = False) -> LabelFont:
    """The label font of `size` pixels, cached per (size, bold)."""
    return LabelFont(max(1, int(size)), font_chain(bold))
