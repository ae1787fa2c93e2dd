"""Writing an RGB PNG a band of rows at a time.

A grid is tens of megapixels; PIL can only encode a finished image, so the whole
canvas would sit in memory and all of the encoding would wait for the last cell.
This writer takes the image top to bottom in bands of any height: each band is
filtered and compressed at once and appended to a hidden temporary file, which is
renamed into place when the last row is in (so a kill leaves no torn grid).
"""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from ..storage.folder import temp_path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_UP = 2  # PNG filter type "Up": each byte minus the byte above it (see _filtered)
IDAT_BYTES = 1 << 20  # flush compressed data to the file in chunks of about this size


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_chunk(key: str, value: str) -> bytes:
    """tEXt when the text is Latin-1 (as PIL writes it, and what ComfyUI reads), else iTXt."""
    try:
        return _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:
        return _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0" + value.encode("utf-8"))


class PngBandWriter:
    """An RGB PNG of a known size, written a band of rows at a time, then renamed into place.

    Use as a context manager: leaving it with an exception (or without every row
    written) removes the temporary file and leaves `path` as it was.
    """

    def __init__(self, path: Path, width: int, height: int, text: dict[str, str] | None = None,
                 compress_level: int = 1):
        if width < 1 or height < 1:
            raise ValueError(f"a PNG needs a positive size, not {width} x {height}")
        self.path, self.width, self.height = Path(path), width, height
        self.rows_written = 0
        self._tmp = temp_path(self.path)
        self._file: BinaryIO | None = open(self._tmp, "wb")
        self._zip = zlib.compressobj(compress_level)
        self._pending = bytearray()
        self._above = np.zeros((1, width, 3), np.uint8)  # the row above the first one is zeros
        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
        self._file.write(SIGNATURE + _chunk(b"IHDR", header))
        for key, value in (text or {}).items():
            self._file.write(text_chunk(key, value))

    def write(self, band: np.ndarray) -> None:
        """Append rows (an H x width x 3 uint8 array) below those written so far."""
        if band.ndim != 3 or band.shape[1:] != (self.width, 3) or band.dtype != np.uint8:
            raise ValueError(f"a band must be H x {self.width} x 3 uint8, not {band.shape} {band.dtype}")
        if self.rows_written + band.shape[0] > self.height:
            raise ValueError(f"{self.rows_written + band.shape[0]} rows is more than the image's {self.height}")
        if not band.shape[0]:
            return
        self._pending += self._zip.compress(_filtered(band, self._above).data)
        self._above = band[-1:].copy()
        self.rows_written += band.shape[0]
        if len(self._pending) >= IDAT_BYTES:
            self._flush()

    @property
    def intact(self) -> bool:
        """Still writable: its temporary file was not removed under it (a deleted folder)."""
        return self._file is not None and self._tmp.exists()

    def _out(self) -> BinaryIO:
        if self._file is None:
            raise ValueError(f"{self.path.name} is closed: nothing more can be written to it")
        return self._file

    def _flush(self) -> None:
        if self._pending:
            self._out().write(_chunk(b"IDAT", bytes(self._pending)))
            self._pending.clear()

    def close(self) -> None:
        """Finish the file and rename it into place (every row must have been written)."""
        if self.rows_written != self.height:
            raise ValueError(f"only {self.rows_written} of {self.height} rows were written")
        self._pending += self._zip.flush()
        self._flush()
        out = self._out()
        out.write(_chunk(b"IEND", b""))
        out.close()
        self._file = None
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Drop what was written; `path` stays as it was."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> PngBandWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _filtered(band: np.ndarray, above: np.ndarray) -> np.ndarray:
    """The band's scanlines with the Up filter: flat areas and repeated rows (most of a
    grid: background, gridlines, tiles' letterboxes) become runs of zeros that zlib
    packs at its fastest level almost as small as PIL's adaptive filtering does."""
    previous = np.concatenate([above, band[:-1]])
    rows = np.empty((band.shape[0], 1 + band.shape[1] * 3), np.uint8)
    rows[:, 0] = _UP
    np.subtract(band.reshape(band.shape[0], -1), previous.reshape(band.shape[0], -1), out=rows[:, 1:])
    return rows  # zlib reads the array's buffer directly: no copy into bytes
