"""Grid drawing: sizes, cell colours, label fitting, text tiles, megapixel cap."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from xyz_studio.render.grid import (
    NEUTRAL,
    GridLayout,
    Tile,
    draw_text_tile,
    fit_tile,
    plan_geometry,
    plan_scale,
    render_tile,
)
from xyz_studio.render.painter import GridPainter, render_grid
from xyz_studio.render.text_fit import fit_text, load_font, text_width, truncate_lines, wrap_to_width

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 60), (30, 60, 220)
COLOURS = [RED, GREEN, BLUE, (240, 200, 20), (150, 40, 200), (20, 190, 190)]
LONG_LABEL = ("a very long prompt fragment that describes lighting, lens, mood and composition "
              "in far more detail than any column could show on one line, repeated twice: ") * 2
LONG_LABEL = LONG_LABEL[:200]
CKPT = "juggernautXL_v9Rundiffusionphoto2_fp16_pruned_emaonly_final" + "X"  # 60 chars, no spaces


def solid(tmp_path: Path, name: str, colour, size=(64, 64)) -> Path:
    path = tmp_path / f"{name}.png"
    Image.new("RGB", size, colour).save(path)
    return path


def centre(box):
    return ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)


def close(a, b, tol=12):
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def test_solid_grid_size_and_cell_colours(tmp_path):
    paths = [solid(tmp_path, f"c{i}", c, (100, 80)) for i, c in enumerate(COLOURS)]
    layout = GridLayout(title="exp", x_title="cfg", x_labels=("3", "5", "7"),
                        y_title="sampler", y_labels=("euler", "dpmpp_2m"), footer="Fixed: steps 20")
    calls = []

    def tile_at(xi, yi):
        calls.append((xi, yi))
        return Tile("image", path=paths[yi * 3 + xi])

    img = render_grid(layout, tile_at)
    assert img.mode == "RGB"
    assert calls == [(x, y) for y in range(2) for x in range(3)]  # once each, row by row
    assert img.width >= 3 * 100 and img.height >= 2 * 80 + 3 * 12  # cells plus bands
    geo = plan_geometry(layout, 100, 80)
    assert geo.size == img.size and geo.cell == (100, 80)  # cell size from first image header
    for yi in range(2):
        for xi in range(3):
            box = geo.cell_box(xi, yi)
            assert img.getpixel(centre(box)) == COLOURS[yi * 3 + xi]
            # the whole cell is that colour: the tile is neither offset nor cropped
            assert img.crop(box).getcolors() == [(100 * 80, COLOURS[yi * 3 + xi])]


def test_long_labels_wrap_within_column_and_grow_band(tmp_path):
    def geo_for(labels):
        return plan_geometry(GridLayout(title="", x_title="x", x_labels=labels), 256, 256)

    short, long_ = geo_for(("a", "b", "c")), geo_for(("a", LONG_LABEL, CKPT))
    col_w = long_.cell[0]
    for label, text in zip(("a", LONG_LABEL, CKPT), long_.col_labels):
        assert text.lines, label
        assert all(text_width(text.font, ln) <= col_w for ln in text.lines)
        assert text.x >= 0 and text.x + text.width <= long_.size[0]
        # nothing dropped: all characters are still there, in order
        assert "".join(text.lines).replace(" ", "") == label.replace(" ", "")
    assert len(long_.col_labels[2].lines) >= 2  # the no-space name was split
    assert long_.col_band[1] > short.col_band[1]
    h_short = render_grid(GridLayout("", "x", ("a", "b", "c"), cell_size=(256, 256)),
                          lambda x, y: Tile("placeholder")).height
    h_long = render_grid(GridLayout("", "x", ("a", LONG_LABEL, CKPT), cell_size=(256, 256)),
                         lambda x, y: Tile("placeholder")).height
    assert h_long > h_short


def test_fit_tile_contains_and_centres():
    out = fit_tile(Image.new("RGB", (100, 30), RED), (64, 64))
    assert out.size == (64, 64)
    rows = [y for y in range(64) if close(out.getpixel((32, y)), RED)]
    assert rows and out.getpixel((32, 0)) == NEUTRAL and out.getpixel((63, 32)) != NEUTRAL
    assert abs(rows[0] - (63 - rows[-1])) <= 1  # equal letterbox above and below
    out = fit_tile(Image.new("RGB", (30, 100), BLUE), (64, 64))
    cols = [x for x in range(64) if close(out.getpixel((x, 32)), BLUE)]
    assert abs(cols[0] - (63 - cols[-1])) <= 1 and out.getpixel((0, 32)) == NEUTRAL


def test_mixed_tile_sizes_and_modes_render(tmp_path):
    paths = [solid(tmp_path, "sq", RED, (64, 64)), solid(tmp_path, "wide", GREEN, (100, 30)),
             solid(tmp_path, "tall", BLUE, (30, 100))]
    rgba = tmp_path / "alpha.png"
    Image.new("RGBA", (40, 40), (255, 0, 0, 0)).save(rgba)
    paths.append(rgba)
    layout = GridLayout("", "", ("a", "b", "c", "d"))  # cell size from the first image: 64x64
    img = render_grid(layout, lambda x, y: Tile("image", path=paths[x]))
    geo = plan_geometry(layout, 64, 64)
    assert geo.size == img.size
    for xi, colour in enumerate((RED, GREEN, BLUE, NEUTRAL)):  # transparent -> background
        assert close(img.getpixel(centre(geo.cell_box(xi, 0))), colour)
    left, top, _, _ = geo.cell_box(1, 0)
    assert img.getpixel((left + 32, top + 1)) == NEUTRAL  # wide tile letterboxed, not stretched


def red_dominant_share(img):
    a = np.asarray(img.convert("RGB"), dtype=int)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    return float(((r > g + 15) & (r > b + 15)).mean())


def test_error_and_placeholder_tiles(tmp_path):
    blue = solid(tmp_path, "blue", BLUE, (128, 128))
    tiles = [Tile("image", path=blue), Tile("error", text="CUDA out of memory"),
             Tile("placeholder", text="x: 7.5\ny: euler"), Tile("missing"),
             Tile("cancelled", text="not rendered")]
    layout = GridLayout("", "cfg", ("a", "b", "c", "d", "e"))
    img = render_grid(layout, lambda x, y: tiles[x])
    geo = plan_geometry(layout, 128, 128)
    crops = [img.crop(geo.cell_box(i, 0)) for i in range(5)]
    assert red_dominant_share(crops[4]) == 0  # a cancelled cell is not shown as an error
    assert red_dominant_share(crops[1]) > 0.8 and red_dominant_share(crops[0]) == 0
    ph = crops[2].convert("L")
    a = np.asarray(crops[2], dtype=int)
    assert np.abs(a[..., 0] - a[..., 2]).max() < 10  # grey, not coloured
    assert ph.getextrema()[0] < 130  # caption text is drawn
    assert crops[0].getcolors() == [(128 * 128, BLUE)]
    assert len({c.tobytes() for c in crops}) == 5


def test_text_tile_long_message_truncates_only_when_needed():
    long_msg = "Error while executing KSampler: " + "tensor size mismatch " * 60
    small = draw_text_tile((64, 64), long_msg, "error")
    assert small.size == (64, 64) and red_dominant_share(small) > 0.5
    font = load_font(12)
    lines = wrap_to_width(long_msg, font, 100)
    cut = truncate_lines(lines, font, 100, 3)
    assert len(cut) == 3 and cut[-1].endswith("…") and text_width(font, cut[-1]) <= 100
    assert truncate_lines(lines[:2], font, 100, 3) == lines[:2]


def test_unreadable_image_becomes_error_tile(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a png at all")
    tile = render_tile(Tile("image", path=bad), (96, 96))
    assert red_dominant_share(tile) > 0.8


def test_megapixel_cap_downscales_uniformly(tmp_path):
    big = solid(tmp_path, "big", GREEN, (1000, 1000))
    layout = GridLayout("cap test", "x", tuple(str(i) for i in range(8)), "y",
                        tuple(str(i) for i in range(5)), footer="f", max_megapixels=4)
    calls = []

    def tile_at(xi, yi):
        calls.append((xi, yi))
        return Tile("image", path=big)

    before = Image.MAX_IMAGE_PIXELS
    img = render_grid(layout, tile_at)
    assert img.width * img.height <= 4_000_000
    assert len(calls) == 40 and set(calls) == {(x, y) for x in range(8) for y in range(5)}
    scale = plan_scale(layout, 1000, 1000)
    assert 0.2 < scale < (4 / 40) ** 0.5  # below the cells-only estimate, but not tiny
    geo = plan_geometry(layout, 1000, 1000)
    assert geo.size == img.size and geo.cell[0] == round(1000 * scale)
    assert img.getpixel(centre(geo.cell_box(7, 4))) == GREEN
    assert Image.MAX_IMAGE_PIXELS == before  # nothing global changed
    assert plan_scale(GridLayout("", "", ("a",), cell_size=(64, 64)), 64, 64) == 1.0


def test_batch_tile_draws_two_by_two(tmp_path):
    paths = tuple(solid(tmp_path, f"b{i}", c, (50, 50)) for i, c in enumerate(COLOURS[:4]))
    tile = render_tile(Tile("image", images=paths), (200, 200))
    quads = [(50, 50), (150, 50), (50, 150), (150, 150)]
    assert [tile.getpixel(q) for q in quads] == list(COLOURS[:4])
    assert tile.getpixel((100, 100)) == NEUTRAL  # separator between sub-images


def test_no_y_axis_has_no_row_band(tmp_path):
    red = solid(tmp_path, "r", RED, (128, 128))
    plain = GridLayout("t", "x", ("1", "2", "3"))
    with_y = GridLayout("t", "x", ("1", "2", "3"), "sampler", ("euler", "heun"))
    g_plain, g_y = plan_geometry(plain, 128, 128), plan_geometry(with_y, 128, 128)
    assert g_plain.row_band[1] == 0 and g_y.row_band[1] >= 64
    first_left = g_plain.cell_box(0, 0)[0]
    assert first_left <= 16  # margin (8 px min) + one gridline
    assert g_y.cell_box(0, 0)[0] > first_left + 64
    img = render_grid(plain, lambda x, y: Tile("image", path=red))
    assert img.getpixel((first_left + 2, g_plain.cell_box(0, 0)[1] + 2)) == RED
    img_y = render_grid(with_y, lambda x, y: Tile("image", path=red))
    band_left, top = g_y.row_band[0], g_y.grid_xy[1]
    band = img_y.crop((0, top, g_y.grid_xy[0], top + g_y.cell[1])).convert("L")
    assert band.getextrema()[0] < 100  # y title and row label drawn left of the grid
    assert band_left > 8  # the rotated y title sits left of the row labels


def test_wrap_splits_long_tokens_and_fit_text_shrinks_then_overflows():
    font = load_font(16)
    lines = wrap_to_width("model " + CKPT + " end", font, 120)
    assert all(text_width(font, ln) <= 120 for ln in lines) and len(lines) >= 4
    assert "".join(lines).replace(" ", "") == ("model" + CKPT + "end")
    assert wrap_to_width("", font, 100) == [] and wrap_to_width("a\nb", font, 100) == ["a", "b"]
    f_short, _ = fit_text("euler", 200, 40, 30, 12)
    f_long, l_long = fit_text("dpmpp_2m_sde_gpu with karras", 200, 40, 30, 12)
    assert f_short.size == 30 and 12 <= f_long.size < 30 and len(l_long) * 12 <= 40
    f_min, l_min = fit_text(LONG_LABEL, 100, 30, 30, 12)
    assert f_min.size == 12 and len(l_min) > 2  # did not fit: min size, all lines kept
    assert "".join(l_min).replace(" ", "") == LONG_LABEL.replace(" ", "")
    assert load_font(20) is load_font(20)


def test_layout_validation():
    with pytest.raises(ValueError):
        Tile("picture")
    with pytest.raises(ValueError):
        Tile("image")
    with pytest.raises(ValueError):
        GridLayout("", "", ())
    assert GridLayout("", "", ["1", 2]).x_labels == ("1", "2")


def test_headed_text_fits_or_truncates():
    from xyz_studio.render.text_fit import block_height, fit_headed_text, line_height
    body, head, lines, gap = fit_headed_text("CUDA out of memory", "failed", 200, 120, 24, 12)
    assert head is not None and body.size == 24 and " ".join(lines) == "CUDA out of memory"
    msg = "shape mismatch " * 40
    body, head, lines, gap = fit_headed_text(msg, "failed", 100, 60, 20, 12)
    assert body.size == 12 and lines[-1].endswith("…")
    assert line_height(head) + gap + block_height(body, len(lines)) <= 60
    assert all(text_width(body, ln) <= 100 for ln in lines)


@pytest.mark.parametrize("cut", ["bands", "odd slices"])
def test_painting_in_bands_gives_the_same_pixels_as_the_whole_sheet(tmp_path, cut):
    paths = [solid(tmp_path, f"c{i}", c, (90, 70)) for i, c in enumerate(COLOURS)]
    layout = GridLayout(title="bands " + LONG_LABEL[:60], x_title="cfg", x_labels=("3", LONG_LABEL, CKPT),
                        y_title="a sampler title long enough to cross rows", y_labels=("euler", LONG_LABEL[:90]),
                        footer="Fixed: steps 20; " + LONG_LABEL)
    whole = render_grid(layout, lambda xi, yi: Tile("image", path=paths[yi * 3 + xi]))
    painter = GridPainter(layout, (90, 70))
    cell = painter.geometry.cell
    assert painter.bands[0][0] == 0 and painter.bands[-1][1] == whole.height
    assert all(a[1] == b[0] for a, b in zip(painter.bands, painter.bands[1:]))  # no row twice, none left out
    cuts = painter.bands if cut == "bands" else [(t, min(t + 37, whole.height)) for t in range(0, whole.height, 37)]
    stacked = np.concatenate([np.asarray(painter.paint(
        top, bottom, lambda xi, yi: render_tile(Tile("image", path=paths[yi * 3 + xi]), cell)))
        for top, bottom in cuts])
    assert stacked.shape == np.asarray(whole).shape
    assert (stacked == np.asarray(whole)).all()
    for yi in range(2):  # a row's band holds all of its tiles
        top, bottom = painter.row_band(yi)
        assert list(painter.rows_in(top, bottom)) == [yi]
