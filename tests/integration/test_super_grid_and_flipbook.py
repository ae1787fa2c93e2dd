"""A model-free experiment through the real server with the Grid Driver's super_grid on: its super-grid
is listed apart from the grids and holds every grid's tiles as blocks; the flipbook route answers WebP
and GIF along an axis, refuses a bad parameter naming it, and the command line makes one through the
server's routes."""
from __future__ import annotations

import io
import json
import shutil
import urllib.error
import urllib.request

import numpy as np
import pytest
from PIL import Image, ImageSequence

from harness.graphs import DRIVER_ID, image_graph, sd_graph
from harness.host import REPO
from xyz_studio import protocol as P
from xyz_studio.__main__ import main
from xyz_studio.grids.drawing import display_cell_size, grid_layout
from xyz_studio.grids.super_grid import super_grid_layout
from xyz_studio.render.painter import GridPainter
from xyz_studio.render.super_layout import SuperGridPainter
from xyz_studio.storage.folder import ExperimentFolder
from xyz_studio.storage.store import ExperimentStore

SCREENSHOTS = REPO / ".test-output" / "screenshots"
COLOURS = {"0": (0, 0, 0), "16777215": (255, 255, 255), "255": (0, 0, 255)}


@pytest.fixture(scope="module")
def finished(experiments):
    g = image_graph(size=64)
    x = g.axis(", ".join(COLOURS), [("1", "color")], title="colour")
    y = g.axis("1, 3", [("2", "blur_radius")], title="blur")
    z = g.axis("0.5, 2", [("2", "sigma")], title="sigma")
    prompt = g.driver(x, y, z, name="super ✓").prompt
    prompt[DRIVER_ID]["inputs"]["super_grid"] = True
    return experiments.run(prompt)


def get(host, path: str, query: str = "") -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(host.url + path + query, timeout=120) as answer:
        return answer.read(), dict(answer.headers)


def refused(host, path: str, query: str) -> tuple[int, str]:
    try:
        urllib.request.urlopen(host.url + path + query, timeout=60)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())["error"]
    raise AssertionError(f"{path}{query} was answered; expected a refusal")


def test_the_super_grid_is_listed_apart_and_holds_every_grids_tiles(finished, experiments, host):
    manifest = finished
    assert manifest["options"]["super_grid"] is True and len(manifest["grids"]) == 2
    (sheet,) = manifest["super_grids"]
    assert sheet["index"] == 0 and sheet["labels"] == {} and sheet["file"] not in {g["file"] for g in manifest["grids"]}
    data, headers = get(host, P.route_path(P.ROUTE_FILE, manifest["id"], sheet["file"]))
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (sheet["width"], sheet["height"]) and im.size[0] * im.size[1] <= 64e6
        assert json.loads(im.text["xyz_studio"]) == {"experiment": manifest["id"], "super_grid": 0}
        pixels = np.asarray(im.convert("RGB")).astype(int)
    folder = experiments.folder(manifest)
    store = ExperimentStore(folder.parent)
    experiment = store.experiment(manifest["id"])
    painter = SuperGridPainter(super_grid_layout(experiment, experiment.readable_plan, 0, display_cell_size(
        ExperimentFolder(folder.parent, manifest["id"]), store.cells(manifest["id"]))))
    assert (painter.width, painter.height) == (sheet["width"], sheet["height"])
    cells = {(c["at"]["x"], c["at"]["y"], c["at"]["z"]): c for c in manifest["cells"]}
    for placed in painter.geometry.placed:  # a block per sigma, each tile its cell's colour
        for (xi, yi, zi), cell in cells.items():
            if zi != placed.block:
                continue
            left, top, right, bottom = placed.geometry.cell_box(xi, yi)
            centre = pixels[placed.y + (top + bottom) // 2, placed.x + (left + right) // 2]
            assert np.abs(centre - COLOURS[cell["labels"]["x"]]).max() <= 2, (xi, yi, zi)  # blurred: 255 may be 254


@pytest.mark.parametrize("book_format, query, frames, ms", [
    ("webp", "?axis=x&at=y=1,z=0&format=webp&ms=300", 3, 300),
    ("gif", "?axis=z&at=x=2&format=gif&ms=200", 2, 200),
])
def test_the_flipbook_route_answers_an_animation_along_the_axis(finished, host, book_format, query, frames, ms):
    data, headers = get(host, P.route_path(P.ROUTE_EXPORT_FLIPBOOK, finished["id"]), query)
    assert headers["Content-Type"] == f"image/{book_format}"
    axis = query.split("axis=")[1].split("&")[0]
    assert f'filename="xyz-{finished["id"]}-{axis}.{book_format}"' in headers["Content-Disposition"]
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == book_format.upper() and im.n_frames == frames
        shown = []
        for frame in ImageSequence.Iterator(im):
            frame.load()
            assert frame.info["duration"] == ms
            rgb = np.asarray(frame.convert("RGB")).astype(int)
            shown.append(rgb[rgb.shape[1] // 2, rgb.shape[1] // 2])  # the middle of the (square) picture
    if axis == "x":  # black, white, blue in value order
        assert [tuple(int(round(c / 16)) for c in p) for p in shown] == [
            tuple(round(c / 16) for c in v) for v in COLOURS.values()]
    else:  # blue at both sigmas
        assert all(p[2] > 200 and p[0] < 40 for p in shown)


@pytest.mark.parametrize("query, named, value", [
    ("?axis=w", "axis", "w"),
    ("?axis=x&at=y=5", "at", "y=5"),
    ("?axis=x&format=png", "format", "png"),
    ("?axis=x&ms=1", "ms", "1"),
])
def test_a_bad_flipbook_parameter_is_a_400_naming_it(finished, host, query, named, value):
    status, error = refused(host, P.route_path(P.ROUTE_EXPORT_FLIPBOOK, finished["id"]), query)
    assert status == 400 and error.startswith(f'query "{named}": got "{value}"; expected ')


def test_an_unknown_experiments_flipbook_is_a_404(host):
    status, _ = refused(host, P.route_path(P.ROUTE_EXPORT_FLIPBOOK, "20261201-000000-ffffff"), "?axis=x")
    assert status == 404


def test_the_command_line_makes_a_flipbook_through_the_servers_routes(finished, host, tmp_path, capsys):
    out = tmp_path / "blur.webp"
    assert main(["flipbook", finished["id"], "--axis", "y", "--at", "x=1,z=1", "--ms", "150",
                 "--server", host.url, "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert (im.format, im.n_frames) == ("WEBP", 2)
        first = np.asarray(im.convert("RGB")).astype(int)
    assert (first[first.shape[1] // 2, first.shape[1] // 2] > 230).all()  # x=1 is white
    assert main(["flipbook", finished["id"], "--axis", "axis4", "--server", host.url,
                 "--out", str(tmp_path / "no.webp")]) == 2
    assert 'query "axis": got "axis4"' in capsys.readouterr().err


def test_a_tiny_sd_sweeps_super_grid_blocks_are_its_grids(experiments, host):
    """sampler x CFG x steps on a tiny SD1.5 model: each block's tiles are its steps grid's, pixel for pixel.
    The super-grid is kept as a screenshot (docs/super_grid.png is this picture, looked at)."""
    g = sd_graph("tiny_sd15_a.safetensors")
    x = g.axis("euler, dpmpp_2m, uni_pc", [("3", "sampler_name")], title="sampler")
    y = g.axis("4, 7, 10", [("3", "cfg")], title="CFG")
    z = g.axis("2, 4, 8", [("3", "steps")], title="steps")
    prompt = g.driver(x, y, z, name="Tiny SD1.5: sampler x CFG, one block per steps").prompt
    prompt[DRIVER_ID]["inputs"]["super_grid"] = True
    manifest = experiments.run(prompt)
    assert manifest["counts"] == {"done": 27} and len(manifest["grids"]) == 3
    (sheet,) = manifest["super_grids"]
    folder = experiments.folder(manifest)
    with Image.open(folder / sheet["file"]) as im:
        pixels = np.asarray(im.convert("RGB"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(folder / sheet["file"], SCREENSHOTS / "super_grid.png")
    store = ExperimentStore(folder.parent)
    experiment = store.experiment(manifest["id"])
    plan = experiment.readable_plan
    cell_size = display_cell_size(ExperimentFolder(folder.parent, manifest["id"]), store.cells(manifest["id"]))
    painter = SuperGridPainter(super_grid_layout(experiment, plan, 0, cell_size))
    assert painter.geometry.scale == 1.0 and [b.title for b in painter.layout.blocks] == [
        "steps: 2", "steps: 4", "steps: 8"]
    for placed, grid in zip(painter.geometry.placed, manifest["grids"]):
        with Image.open(folder / grid["file"]) as im:
            own = np.asarray(im.convert("RGB"))
        own_geo = GridPainter(grid_layout(experiment, plan, grid["z"], cell_size), cell_size).geometry
        for xi in range(3):
            for yi in range(3):
                left, top, right, bottom = placed.geometry.cell_box(xi, yi)
                o_left, o_top, o_right, o_bottom = own_geo.cell_box(xi, yi)
                assert np.array_equal(pixels[placed.y + top:placed.y + bottom, placed.x + left:placed.x + right],
                                      own[o_top:o_bottom, o_left:o_right])
