"""Past the eight declared axis inputs, through the real server: a Grid Driver with axis9 and
axis10 (the inputs the editor adds as they are wired) plans, runs, names and places every cell
on all ten axes, carries each cell's place in its PNG text, and draws a grid per combination
of the axes after X and Y; a wrong link into such an input is refused by POST /prompt on the
driver, naming the input, before anything runs."""
from __future__ import annotations

import itertools
import json

from PIL import Image

from harness.graphs import DRIVER_ID, Graph, ten_axes_graph
from xyz_studio import protocol as P


def ten_axes(name: str) -> Graph:
    return ten_axes_graph(name)[0]


def test_ten_axes_run_past_the_declared_inputs_with_every_cell_in_place(experiments, client, host):
    graph = ten_axes("ten axes")
    assert {"axis9", "axis10"} <= set(graph.prompt[DRIVER_ID]["inputs"])
    manifest = experiments.run(graph.prompt)
    slots = [P.axis_slot(n) for n in range(1, 11)]
    assert manifest["status"] == "complete" and manifest["counts"] == {"done": 16}
    assert list(manifest["shape"]) == slots and list(manifest["shape"].values()) == [2, 2, 1, 1, 1, 1, 1, 1, 2, 2]
    assert [a["slot"] for a in manifest["axes"]] == slots
    combos = {tuple(c["at"][s] for s in slots) for c in manifest["cells"]}
    assert combos == set(itertools.product(*(range(n) for n in manifest["shape"].values())))
    folder = experiments.folder(manifest)
    for c in manifest["cells"]:
        name = c["files"][0].split("/")[-1]
        assert name.endswith(f"_axis9-{c['at']['axis9']:03d}_axis10-{c['at']['axis10']:03d}.png"), name
        with Image.open(folder / c["files"][0]) as im:
            assert json.loads(im.text["xyz_studio"])["at"] == c["at"]  # its place on every axis, in the file
            sharpen = json.loads(im.text["prompt"])["4"]["inputs"]
            assert (sharpen["alpha"], sharpen["sigma"]) == ([0.5, 1.5][c["at"]["axis9"]], [0.5, 2.5][c["at"]["axis10"]])
            assert im.size == ((32, 40)[c["at"]["x"]], 32)
    # a grid per combination of the axes after X and Y: axis9 x axis10 (the one-value axes add none)
    assert len(manifest["grids"]) == 4
    assert {(g["labels"]["axis9"], g["labels"]["axis10"]) for g in manifest["grids"]} == set(
        itertools.product(("0.5", "1.5"), ("0.5", "2.5")))


def test_a_wrong_link_into_an_added_axis_input_is_refused_on_the_driver(experiments, client):
    graph = ten_axes("refused")
    before = client.get(P.ROUTE_EXPERIMENTS)["total"]
    graph.prompt[DRIVER_ID]["inputs"]["axis10"] = [graph.prompt[DRIVER_ID]["inputs"]["axis10"][0], 1]  # its value
    errors = experiments.refusal(graph.prompt)
    [error] = errors[DRIVER_ID]
    assert list(errors) == [DRIVER_ID] and error["type"] == "custom_validation_failed"
    assert f'Grid Driver #{DRIVER_ID}, input "axis10": got "output 1 of ' in error["details"]
    assert "expected a link from the `axis` output of an XYZ Axis" in error["details"]
    assert client.get(P.ROUTE_EXPERIMENTS)["total"] == before
