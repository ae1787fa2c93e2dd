"""A flipbook: an animated WebP or GIF along one axis of an experiment, the other axes held.

Its frames are the cells along the axis in value order, each fitted to one frame size
(bounded: at most FRAME_SIDE px a side, all pictures together at most FLIPBOOK_MEGAPIXELS)
with its value label under it; a cell that failed, was cancelled, is not rendered or whose
file cannot be read is a labelled placeholder frame, so the frames always match the values.
The experiment is read through an ExportSource (export/sources.py): the experiment folder
for the route, the routes of a server for the command line; only the files its manifest
names are read, by the routes' own name rules.
"""
from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageDraw

from ..errors import BadRequest, StudioError
from ..protocol import TextEnum
from ..render.fonts import LabelFont, load_font
from ..render.grid import BACKGROUND, MIN_FONT, TEXT, TileKind, draw_text_tile, fit_tile
from ..render.text_fit import block_height, draw_lines, fit_text
from ..storage.records import CellStatus
from .html_viewer import ExportSource

FRAME_SIDE = 768                # px: a frame's longer side at most
MIN_FRAME_SIDE = 256            # px: smaller renders are enlarged (pixel-exact) so the caption has room
FLIPBOOK_MEGAPIXELS = 48.0      # all frames' pictures together (the encoder holds every frame at once)
MIN_MS, MAX_MS, DEFAULT_MS = 20, 10_000, 500  # a frame's time (browsers show GIF frames under 20 ms at 100 ms)
_LOAD_ERRORS = (StudioError, OSError, ValueError, SyntaxError, Image.DecompressionBombError)


class FlipbookFormat(TextEnum):
    WEBP = "webp"
    GIF = "gif"

    @property
    def mime(self) -> str:
        return f"image/{self.value}"


@dataclass(frozen=True)
class BookAxis:
    slot: str
    title: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class FlipbookRequest:
    """Which flipbook: along `axis` (a slot), every other axis at its value index in `at`."""

    axis: str
    at: Mapping[str, int]
    format: FlipbookFormat = FlipbookFormat.WEBP
    ms: int = DEFAULT_MS


@dataclass(frozen=True)
class Flipbook:
    data: bytes
    format: FlipbookFormat
    frames: int
    size: tuple[int, int]

    def filename(self, experiment_id: str, axis: str) -> str:
        return f"xyz-{experiment_id}-{axis}.{self.format.value}"


def manifest_axes(manifest: Mapping[str, Any]) -> dict[str, BookAxis]:
    return {a["slot"]: BookAxis(a["slot"], str(a.get("title") or a["slot"]), tuple(str(v) for v in a["labels"]))
            for a in manifest.get("axes", [])}


def _problem(name: str, raw: object, expected: str) -> BadRequest:
    return BadRequest(f'query "{name}": got "{str(raw)[:80]}"; expected {expected}')


def parse_request(params: Mapping[str, str], manifest: Mapping[str, Any]) -> FlipbookRequest:
    """The route's (and the command line's) parameters, checked against the experiment: BadRequest names
    the parameter, the value and what it may be."""
    axes = manifest_axes(manifest)
    slots = ", ".join(axes) or "none"
    axis = params.get("axis", "")
    if axis not in axes:
        raise _problem("axis", axis, f"the slot of one of the experiment's axes ({slots})")
    at: dict[str, int] = {}
    for part in (p.strip() for p in (params.get("at") or "").split(",")):
        if not part:
            continue
        slot, sep, index = part.partition("=")
        slot = slot.strip()
        if not sep or slot not in axes or slot == axis or slot in at:
            others = ", ".join(s for s in axes if s != axis) or "none"
            raise _problem("at", part, f"slot=value index, once per other axis ({others}), e.g. {_example(axes, axis)}")
        count = len(axes[slot].labels)
        if not index.strip().isdigit() or int(index) >= count:
            raise _problem("at", part, f"a value index of {slot} from 0 to {count - 1}")
        at[slot] = int(index)
    try:
        book_format = FlipbookFormat(params.get("format") or FlipbookFormat.WEBP.value)
    except ValueError:
        raise _problem("format", params.get("format"), " or ".join(FlipbookFormat)) from None
    raw_ms = params.get("ms") or str(DEFAULT_MS)
    if not raw_ms.strip().isdigit() or not MIN_MS <= int(raw_ms) <= MAX_MS:
        raise _problem("ms", raw_ms, f"a frame's time in milliseconds, a whole number from {MIN_MS} to {MAX_MS}")
    return FlipbookRequest(axis=axis, at=at, format=book_format, ms=int(raw_ms))


def _example(axes: Mapping[str, BookAxis], axis: str) -> str:
    return ",".join(f"{slot}=0" for slot in axes if slot != axis) or "nothing"


@dataclass(frozen=True)
class _Frame:
    """One frame's content: a cell's file, or the text of its placeholder."""

    caption: str
    file: str | None = None
    kind: TileKind = TileKind.MISSING
    text: str = ""


def _cells_by_place(manifest: Mapping[str, Any]) -> dict[tuple[int, ...], Mapping[str, Any]]:
    """Cells by their value index on every slot of the shape (schema 2 manifests: from x, y and z)."""
    slots = list(manifest.get("shape") or {"x": 1, "y": 1, "z": 1})
    return {tuple(int((c.get("at") or {"x": c["x"], "y": c["y"], "z": c["z"]}).get(s, 0)) for s in slots): c
            for c in manifest.get("cells", [])}


def frame_plan(manifest: Mapping[str, Any], request: FlipbookRequest) -> list[_Frame]:
    """What each frame shows, in the axis's value order."""
    axes = manifest_axes(manifest)
    axis = axes[request.axis]
    cells = _cells_by_place(manifest)
    slots = list(manifest.get("shape") or {"x": 1, "y": 1, "z": 1})
    frames = []
    for i, label in enumerate(axis.labels):
        place = tuple(i if s == request.axis else request.at.get(s, 0) for s in slots)
        frames.append(_frame_of(cells.get(place), f"{axis.title}: {label}"))
    return frames


def _frame_of(cell: Mapping[str, Any] | None, caption: str) -> _Frame:
    if cell is None:
        return _Frame(caption, kind=TileKind.MISSING, text="no such cell")
    status, files = cell.get("status"), cell.get("files") or []
    if status == CellStatus.DONE.value and files:
        return _Frame(caption, file=str(files[0]))
    if status == CellStatus.FAILED.value:
        return _Frame(caption, kind=TileKind.ERROR, text=str(cell.get("error") or status))
    if status == CellStatus.CANCELLED.value:
        return _Frame(caption, kind=TileKind.CANCELLED, text="the experiment was cancelled before this cell")
    if status == CellStatus.PLANNED.value:
        return _Frame(caption, kind=TileKind.PLACEHOLDER, text="dry run: not rendered")
    return _Frame(caption, kind=TileKind.MISSING, text="not rendered yet")


def frame_size(image_size: tuple[int, int] | None, count: int) -> tuple[int, int]:
    """The picture part of every frame: the first render's shape, enlarged when tiny, within FRAME_SIDE
    and the flipbook's share of FLIPBOOK_MEGAPIXELS."""
    w, h = image_size or (512, 512)
    enlarge = max(1, math.ceil(MIN_FRAME_SIDE / max(1, min(w, h))))
    scale = min(float(enlarge), FRAME_SIDE / max(w, h), math.sqrt(FLIPBOOK_MEGAPIXELS * 1e6 / max(1, count) / (w * h)))
    return max(16, math.floor(w * scale)), max(16, math.floor(h * scale))


def _captions(captions: list[str], width: int) -> tuple[int, int, list[tuple[LabelFont, list[str]]]]:
    """One caption band height for every frame (the tallest wrapped label: none is cut), the side
    padding, and each label's font and lines (shrunk to fit two lines, wrapped onto more at MIN_FONT)."""
    size = max(MIN_FONT, min(28, round(width * 0.05)))
    pad = max(4, size // 3)
    fitted = [fit_text(c, width - 2 * pad, block_height(load_font(size), 2), size, MIN_FONT) for c in captions]
    return max(block_height(f, len(ls)) for f, ls in fitted) + 2 * pad, pad, fitted


def _picture(source: ExportSource, frame: _Frame, size: tuple[int, int]) -> Image.Image:
    if frame.file is not None:
        try:
            with Image.open(io.BytesIO(source.file(frame.file))) as im:
                return fit_tile(im, size)
        except _LOAD_ERRORS as e:
            return draw_text_tile(size, f"cannot read {frame.file}: {e}", TileKind.ERROR)
    return draw_text_tile(size, frame.text, frame.kind)


def _first_size(source: ExportSource, frames: list[_Frame]) -> tuple[int, int] | None:
    for frame in frames:
        if frame.file is not None:
            try:
                image = Image.open(io.BytesIO(source.file(frame.file)))  # lazy: reads the header only
                with image:  # (not `as`: for Python 3.10 Pillow's __enter__ is untyped)
                    return image.size
            except _LOAD_ERRORS:
                continue
    return None


def make_flipbook(source: ExportSource, request: FlipbookRequest,
                  manifest: Mapping[str, Any] | None = None) -> Flipbook:
    """The flipbook's bytes (`manifest`: the source's, if already read)."""
    manifest = manifest if manifest is not None else source.manifest()
    frames = frame_plan(manifest, request)
    picture = frame_size(_first_size(source, frames), len(frames))
    band, side, fitted = _captions([f.caption for f in frames], picture[0])
    images = []
    for frame, (font, lines) in zip(frames, fitted):
        out = Image.new("RGB", (picture[0], picture[1] + band), BACKGROUND)
        tile = _picture(source, frame, picture)
        out.paste(tile, (0, 0))
        tile.close()
        top = picture[1] + (band - block_height(font, len(lines))) // 2
        draw_lines(ImageDraw.Draw(out), lines, font, side, top, picture[0] - 2 * side, TEXT)
        images.append(out)
    data = io.BytesIO()
    options: dict[str, Any] = {"save_all": True, "append_images": images[1:], "duration": request.ms, "loop": 0}
    if request.format == FlipbookFormat.WEBP:
        options.update(quality=90, method=4)
    else:
        options.update(optimize=False, disposal=1)
    images[0].save(data, format=request.format.value.upper(), **options)
    for image in images:
        image.close()
    return Flipbook(data=data.getvalue(), format=request.format, frames=len(frames),
                    size=(picture[0], picture[1] + band))


def flipbook_for(source: ExportSource, params: Mapping[str, str]) -> tuple[FlipbookRequest, Flipbook]:
    """The flipbook the route's (or the command line's) parameters ask for, checked against the experiment."""
    manifest = source.manifest()
    request = parse_request(params, manifest)
    return request, make_flipbook(source, request, manifest)
