"""Which characters a font file has glyphs for, read from its `cmap` table.

Pillow draws a character a font lacks as that font's .notdef box and has no call
that says so beforehand, and fontTools is not among ComfyUI's requirements; the
character map is a small, well-specified table, so it is read here directly:
formats 4 (the Basic Multilingual Plane) and 12 (every plane) cover every font
that matters for labels, including TrueType collections (.ttc).
"""
from __future__ import annotations

import bisect
import struct
from dataclasses import dataclass
from typing import BinaryIO


class FontFileError(ValueError):
    """Not a font file this reader understands (it is then simply not used)."""


@dataclass(frozen=True)
class Coverage:
    """The code points a font maps to a real glyph, as sorted, disjoint inclusive ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __contains__(self, code_point: int) -> bool:
        i = bisect.bisect_right(self.starts, code_point) - 1
        return i >= 0 and code_point <= self.ends[i]

    def __len__(self) -> int:
        return sum(e - s + 1 for s, e in zip(self.starts, self.ends))

    @classmethod
    def of_ranges(cls, ranges: list[tuple[int, int]]) -> Coverage:
        merged: list[list[int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return cls(tuple(s for s, _ in merged), tuple(e for _, e in merged))


def _read(f: BinaryIO, offset: int, size: int) -> bytes:
    f.seek(offset)
    data = f.read(size)
    if len(data) != size:
        raise FontFileError("the file ends inside a table")
    return data


def _cmap_offset(f: BinaryIO, face_index: int) -> int:
    """Offset of the `cmap` table of face `face_index` (collections hold several faces)."""
    header = _read(f, 0, 12)
    base = 0
    if header[:4] == b"ttcf":
        count = struct.unpack(">I", header[8:12])[0]
        if not 0 <= face_index < count:
            raise FontFileError(f"the collection has {count} faces, not {face_index + 1}")
        base = struct.unpack(">I", _read(f, 12 + 4 * face_index, 4))[0]
        header = _read(f, base, 12)
    if header[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise FontFileError("not a TrueType or OpenType font")
    tables = struct.unpack(">H", header[4:6])[0]
    directory = _read(f, base + 12, 16 * tables)
    for k in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", directory[16 * k:16 * k + 16])
        if tag == b"cmap":
            return int(offset)
    raise FontFileError("the font has no character map")


def _format_12(f: BinaryIO, at: int) -> list[tuple[int, int]]:
    length, _, groups = struct.unpack(">III", _read(f, at + 4, 12))
    data = _read(f, at + 16, 12 * groups)
    out = []
    for k in range(groups):
        start, end, glyph = struct.unpack(">III", data[12 * k:12 * k + 12])
        if glyph == 0:
            start += 1  # glyph 0 is .notdef: the range's first character has no glyph
        if start <= end:
            out.append((start, end))
    return out


def _format_4(f: BinaryIO, at: int) -> list[tuple[int, int]]:
    length = struct.unpack(">H", _read(f, at + 2, 2))[0]
    data = _read(f, at, length)
    n = struct.unpack(">H", data[6:8])[0] // 2
    ends = struct.unpack(f">{n}H", data[14:14 + 2 * n])
    starts = struct.unpack(f">{n}H", data[16 + 2 * n:16 + 4 * n])
    deltas = struct.unpack(f">{n}h", data[16 + 4 * n:16 + 6 * n])
    range_at = 16 + 6 * n
    offsets = struct.unpack(f">{n}H", data[range_at:range_at + 2 * n])
    out: list[tuple[int, int]] = []
    for k in range(n):
        start, end, delta, offset = starts[k], ends[k], deltas[k], offsets[k]
        if start == 0xFFFF:
            continue
        if offset == 0:
            missing = [c for c in range(start, end + 1) if (c + delta) & 0xFFFF == 0]
            out.extend(_split(start, end, missing))
            continue
        missing = []
        for c in range(start, end + 1):  # the glyph id is read from glyphIdArray; 0 = no glyph
            where = range_at + 2 * k + offset + 2 * (c - start)
            glyph = struct.unpack(">H", data[where:where + 2])[0] if where + 2 <= len(data) else 0
            if glyph == 0 or (glyph + delta) & 0xFFFF == 0:
                missing.append(c)
        out.extend(_split(start, end, missing))
    return out


def _split(start: int, end: int, missing: list[int]) -> list[tuple[int, int]]:
    """[start, end] without the code points in `missing` (sorted), as ranges."""
    out, at = [], start
    for c in missing:
        if c > at:
            out.append((at, c - 1))
        at = c + 1
    if at <= end:
        out.append((at, end))
    return out


def read_coverage(f: BinaryIO, face_index: int = 0) -> Coverage:
    """The characters face `face_index` of the open font file `f` has glyphs for.

    Prefers a full-Unicode subtable (format 12) to a BMP one (format 4), as text
    layout engines do; raises FontFileError for anything else.
    """
    try:
        at = _cmap_offset(f, face_index)
        count = struct.unpack(">H", _read(f, at + 2, 2))[0]
        records = _read(f, at + 4, 8 * count)
        best: tuple[int, int] | None = None  # (rank, subtable offset)
        for k in range(count):
            platform, encoding, offset = struct.unpack(">HHI", records[8 * k:8 * k + 8])
            if (platform, encoding) not in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
                continue  # symbol and legacy Mac encodings do not map Unicode
            fmt = struct.unpack(">H", _read(f, at + offset, 2))[0]
            rank = {12: 0, 4: 1}.get(fmt)
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, at + offset)
        if best is None:
            raise FontFileError("the font has no Unicode character map this reader knows")
        ranges = _format_12(f, best[1]) if best[0] == 0 else _format_4(f, best[1])
    except struct.error as exc:
        raise FontFileError(f"a damaged character map ({exc})") from None
    return Coverage.of_ranges(ranges)
