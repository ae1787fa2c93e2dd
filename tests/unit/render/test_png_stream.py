"""The band-by-band PNG writer: what PIL reads back is what was written, text included,
and a writer left half way leaves no file behind."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from xyz_studio.render.png_stream import PngBandWriter


def picture(height=301, width=203, seed=0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    smooth = np.stack([xx % 256, yy % 256, (xx + yy) % 256], -1)
    return np.clip(smooth + rng.integers(0, 40, smooth.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("band", [1, 17, 301])
def test_rows_written_in_bands_read_back_exactly(tmp_path, band):
    pixels = picture()
    path = tmp_path / "grid.png"
    text = {"workflow": json.dumps({"nodes": [], "note": "ascii"}), "label": "Größe ✓ 🎨"}
    with PngBandWriter(path, 203, 301, text) as writer:
        for top in range(0, 301, band):
            writer.write(pixels[top:top + band])
    with Image.open(path) as im:
        assert im.mode == "RGB" and im.size == (203, 301)
        assert (np.asarray(im) == pixels).all()
        assert im.text == text  # Latin-1 as tEXt, the rest as iTXt
    assert [p.name for p in tmp_path.iterdir()] == ["grid.png"]


def test_an_unfinished_or_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "grid.png"
    path.write_bytes(b"old")
    with pytest.raises(ValueError, match="only 10 of 20 rows"):
        with PngBandWriter(path, 8, 20) as writer:
            writer.write(np.zeros((10, 8, 3), np.uint8))
            writer.close()
    with pytest.raises(RuntimeError):
        with PngBandWriter(path, 8, 20) as writer:
            writer.write(np.zeros((10, 8, 3), np.uint8))
            raise RuntimeError("killed half way")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["grid.png"]


def test_bands_of_the_wrong_shape_or_too_many_rows_are_refused(tmp_path):
    writer = PngBandWriter(tmp_path / "g.png", 8, 4)
    with pytest.raises(ValueError, match="H x 8 x 3 uint8"):
        writer.write(np.zeros((2, 9, 3), np.uint8))
    with pytest.raises(ValueError, match="more than the image's 4"):
        writer.write(np.zeros((5, 8, 3), np.uint8))
    writer.abort()
    assert not list(tmp_path.iterdir())
