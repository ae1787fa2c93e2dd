"""The flipbook along one axis of a real store's experiment: a frame per value in value order, each its
cell's render with its value label under it (a failed cell a labelled placeholder), one size for all
within the bounds, the frame time asked for, WebP or GIF; bad parameters named with what they may be."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageSequence

from grids.test_super_grid import finished_experiment, render
from xyz_studio.errors import BadRequest
from xyz_studio.export.flipbook import (
    FLIPBOOK_MEGAPIXELS,
    FRAME_SIDE,
    FlipbookFormat,
    FlipbookRequest,
    frame_size,
    make_flipbook,
    parse_request,
)
from xyz_studio.export.sources import FolderSource
from xyz_studio.render.grid import fit_tile
from xyz_studio.storage.records import Options

FAILED = 4  # finished_experiment fails this cell: x=1, y=1, z=0


@pytest.fixture(scope="module")
def experiment(tmp_path_factory):
    store, eid, plan = finished_experiment(tmp_path_factory.mktemp("flipbook"), Options())
    return FolderSource(store, eid), plan


def frames_of(book) -> list[np.ndarray]:
    with Image.open(io.BytesIO(book.data)) as im:
        return [np.asarray(frame.convert("RGB")).astype(int) for frame in ImageSequence.Iterator(im)]


def durations_of(book) -> list[int]:
    with Image.open(io.BytesIO(book.data)) as im:
        assert im.format == book.format.value.upper() and im.n_frames == book.frames and im.info.get("loop") == 0
        return [frame.load() and frame.info["duration"] for frame in ImageSequence.Iterator(im)]


def nearest_cell(picture: np.ndarray, candidates: list[int], size) -> int:
    """The cell whose render, fitted to the frame, is closest to the frame's picture (lossy formats)."""
    distance = {i: np.abs(picture - np.asarray(fit_tile(render(i), size)).astype(int)).mean() for i in candidates}
    return min(distance, key=distance.__getitem__)


@pytest.mark.parametrize("book_format", list(FlipbookFormat))
def test_one_frame_per_value_in_value_order_each_its_cells_render(experiment, book_format):
    source, plan = experiment
    request = FlipbookRequest(axis="x", at={"y": 0, "z": 2}, format=book_format, ms=250)
    book = make_flipbook(source, request)
    frames = frames_of(book)
    assert book.frames == len(frames) == plan.columns == 3
    assert {f.shape for f in frames} == {(book.size[1], book.size[0], 3)}
    picture = (book.size[0], book.size[0] * 96 // 80)  # the renders are 80 x 96: enlarged, same shape
    everything = list(range(plan.cell_count))
    for xi, frame in enumerate(frames):
        assert nearest_cell(frame[:picture[1]], everything, picture) == plan.index((xi, 0, 2))
    captions = [frame[picture[1]:] for frame in frames]
    assert all((c.sum(axis=2) < 3 * 110).any() for c in captions)  # a label is drawn under every frame
    assert not np.array_equal(captions[0], captions[1])             # and it is the frame's own
    assert durations_of(book) == [250] * 3


def test_along_z_the_other_axes_held_where_asked(experiment):
    source, plan = experiment
    book = make_flipbook(source, FlipbookRequest(axis="z", at={"x": 2, "y": 1}, format=FlipbookFormat.WEBP))
    frames = frames_of(book)
    picture = (book.size[0], book.size[0] * 96 // 80)
    assert [nearest_cell(f[:picture[1]], list(range(plan.cell_count)), picture) for f in frames] == [
        plan.index((2, 1, z)) for z in range(3)]


def test_a_failed_cell_is_a_labelled_placeholder_frame(experiment):
    source, plan = experiment
    assert plan.index((1, 1, 0)) == FAILED
    book = make_flipbook(source, FlipbookRequest(axis="x", at={"y": 1, "z": 0}, format=FlipbookFormat.GIF, ms=100))
    frames = frames_of(book)
    middle = frames[1][: book.size[1] * 3 // 4]
    red = (middle[..., 0] > 240) & (middle[..., 1] > 215) & (middle[..., 1] < 235)  # the soft red error tile
    assert red.mean() > 0.5
    assert not ((frames[0][: book.size[1] * 3 // 4, ..., 0] > 240) & (frames[0][: book.size[1] * 3 // 4, ..., 1]
                                                                      < 235)).mean() > 0.5
    assert durations_of(book) == [100] * 3


def test_a_schema_2_manifest_without_at_gives_the_same_frames(experiment):
    source, _ = experiment
    manifest = source.manifest()
    old = {**manifest, "schema": "xyz-studio/manifest/2",
           "cells": [{k: v for k, v in c.items() if k != "at"} for c in manifest["cells"]]}
    request = FlipbookRequest(axis="y", at={"x": 1, "z": 1}, format=FlipbookFormat.GIF)
    assert make_flipbook(source, request, old).data == make_flipbook(source, request).data


def test_frames_are_bounded_in_size_and_all_together():
    assert max(frame_size((4096, 2048), 3)) == FRAME_SIDE
    assert frame_size((64, 64), 5) == (256, 256)  # tiny renders enlarged by a whole factor
    w, h = frame_size((1024, 1024), 2000)
    assert 2000 * w * h <= FLIPBOOK_MEGAPIXELS * 1e6


@pytest.mark.parametrize("params, named, shown", [
    ({"axis": "w"}, "axis", "w"),
    ({"axis": "x", "at": "q=1"}, "at", "q=1"),
    ({"axis": "x", "at": "x=1"}, "at", "x=1"),          # the axis itself is not held
    ({"axis": "x", "at": "y=2"}, "at", "y=2"),          # y has 2 values: 0 and 1
    ({"axis": "x", "at": "y"}, "at", "y"),
    ({"axis": "x", "at": "y=0,y=1"}, "at", "y=1"),
    ({"axis": "x", "format": "png"}, "format", "png"),
    ({"axis": "x", "ms": "5"}, "ms", "5"),
    ({"axis": "x", "ms": "fast"}, "ms", "fast"),
])
def test_a_bad_parameter_is_named_with_its_value_and_what_it_may_be(experiment, params, named, shown):
    source, _ = experiment
    with pytest.raises(BadRequest) as refused:
        parse_request(params, source.manifest())
    message = str(refused.value)
    assert message.startswith(f'query "{named}": got "{shown}"; expected ') and len(message) > 40


def test_good_parameters_parse_with_defaults(experiment):
    source, _ = experiment
    request = parse_request({"axis": "z", "at": "x=2, y=1"}, source.manifest())
    assert request == FlipbookRequest(axis="z", at={"x": 2, "y": 1}, format=FlipbookFormat.WEBP, ms=500)
    assert parse_request({"axis": "y", "format": "gif", "ms": "40"}, source.manifest()).ms == 40


def test_the_command_line_writes_a_flipbook_from_a_studio_folder(experiment, tmp_path, capsys):
    from xyz_studio.__main__ import main
    source, _ = experiment
    out = tmp_path / "along z.gif"
    assert main(["flipbook", source.experiment_id, "--axis", "z", "--at", "x=2,y=1", "--ms", "120",
                 "--out", str(out), "--store", str(source.store.root)]) == 0
    with Image.open(out) as im:
        assert (im.format, im.n_frames) == ("GIF", 3)  # the format from the suffix
    assert capsys.readouterr().out.strip() == str(out)
    assert main(["flipbook", source.experiment_id, "--axis", "w", "--out", str(tmp_path / "no.webp"),
                 "--store", str(source.store.root)]) == 2
    assert 'query "axis": got "w"' in capsys.readouterr().err and not (tmp_path / "no.webp").exists()
    empty = tmp_path / "not a studio"
    empty.mkdir()
    assert main(["flipbook", source.experiment_id, "--axis", "x", "--out", str(tmp_path / "no.webp"),
                 "--store", str(empty)]) == 4
    assert not list(empty.iterdir())  # nothing created where there was no store
