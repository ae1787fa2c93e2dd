"""Scaled copies of cells and grids from the thumbnails route: bounded sizes, WebP, made
once and kept in the experiment folder, made again when the source changes."""
from __future__ import annotations

import io
import os
import time
import urllib.request

import numpy as np
from PIL import Image

from harness.graphs import image_graph
from xyz_studio import protocol as P
from xyz_studio.storage.thumbnails import QUEUE_PREVIEW_SIZE, queue_preview_name


def fetch(host, experiment_id, name, size=None):
    url = host.url + P.ROUTE_THUMBNAIL.replace("{experiment_id}", experiment_id).replace("{name:.+}", name)
    with urllib.request.urlopen(url + (f"?size={size}" if size else ""), timeout=30) as resp:
        return resp.headers, resp.read()


def test_cells_and_grids_are_served_scaled_cached_and_refreshed(host, experiments):
    g = image_graph(size=300)
    x = g.axis("0, 16711680", [("1", "color")])  # black, red
    manifest = experiments.run(g.driver(x, name="thumbnails").prompt)
    folder = experiments.folder(manifest)
    eid = manifest["id"]

    headers, data = fetch(host, eid, "cells/color-16711680_x001.png", 100)  # served at the next size up: 128
    assert headers["Content-Type"] == "image/webp"
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "WEBP" and max(im.size) == 128
        red = np.asarray(im.convert("RGB"))[64, 64]
    assert red[0] > 200 and red[1] < 40 and red[2] < 40
    copy = folder / "thumbs" / "128" / "cells" / "color-16711680_x001.webp"
    assert copy.is_file()

    _, grid = fetch(host, eid, manifest["grids"][0]["file"])  # default size 256
    with Image.open(io.BytesIO(grid)) as im:
        assert max(im.size) == 256
    with Image.open(folder / manifest["grids"][0]["file"]) as full:
        assert max(full.size) > 256

    made = copy.stat().st_mtime_ns
    fetch(host, eid, "cells/color-16711680_x001.png", 128)
    assert copy.stat().st_mtime_ns == made  # kept, not made again

    # the source changes (as when retry re-runs the cell): the next request makes a new copy
    time.sleep(0.01)
    source = folder / "cells" / "color-16711680_x001.png"
    Image.new("RGB", (300, 300), (0, 0, 255)).save(source)
    os.utime(source)
    _, data = fetch(host, eid, "cells/color-16711680_x001.png", 128)
    with Image.open(io.BytesIO(data)) as im:
        blue = np.asarray(im.convert("RGB"))[64, 64]
    assert blue[2] > 200 and blue[0] < 40
    assert copy.stat().st_mtime_ns > made


def test_a_cell_entry_in_comfyuis_history_shows_a_small_copy_or_the_cell_itself(host, experiments):
    """A cell bigger than the queue preview shows a small JPEG copy named after the experiment and
    the cell; a cell no bigger than the copy shows its own PNG (no copy is made for it)."""
    for size, kind in ((300, "temp"), (QUEUE_PREVIEW_SIZE, "output")):
        g = image_graph(size=size)
        x = g.axis("0, 16711680", [("1", "color")])
        manifest = experiments.run(g.driver(x, name=f"queue preview {size}").prompt)
        for cell in manifest["cells"]:
            images = [image for output in experiments.history(cell["prompt_id"])["outputs"].values()
                      for image in output.get("images", [])]
            assert len(images) == 1 and images[0]["type"] == kind, images
            job = P.Job(experiment=manifest["id"], role=P.JobRole.CELL, index=cell["index"], labels=cell["labels"])
            expected = queue_preview_name(job) if kind == "temp" else cell["files"][0].rpartition("/")[2]
            assert images[0]["filename"] == expected
            data = experiments.client.view(images[0]["filename"], images[0]["subfolder"], kind)
            with Image.open(io.BytesIO(data)) as shown:
                assert shown.format == ("JPEG" if kind == "temp" else "PNG")
                # the copy: reduced by a whole factor to at most the preview size; the cell: as it is
                assert max(shown.size) <= QUEUE_PREVIEW_SIZE and (kind == "temp" or max(shown.size) == size)
