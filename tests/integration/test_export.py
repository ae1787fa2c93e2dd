"""The viewer export as the route answers it: a zip of the same folder the command line writes."""
from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile

from harness.graphs import image_graph
from xyz_studio import protocol as P


def test_the_export_route_answers_a_zip_of_the_viewer(experiments, host):
    g = image_graph(size=64)
    x = g.axis("0, 16777215", [("1", "color")], title="colour")
    y = g.axis("1, 3", [("2", "blur_radius")], title="blur")
    manifest = experiments.run(g.driver(x, y, name="zipped").prompt)
    url = host.url + P.route_path(P.ROUTE_EXPORT_HTML, manifest["id"])
    with urllib.request.urlopen(url, timeout=120) as answer:
        assert answer.headers["Content-Type"] == "application/zip"
        assert f"xyz-{manifest['id']}-viewer.zip" in answer.headers["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(answer.read()))
    names = set(archive.namelist())
    assert {"index.html", "viewer.js", "viewer.css"} <= names
    assert {n for n in names if n.startswith("cells/")} == {c["files"][0] for c in manifest["cells"]}
    assert len([n for n in names if n.startswith("thumbs/") and n.endswith(".webp")]) == 4
    page = archive.read("index.html").decode()
    data = json.loads(page.split('id="xyz-data">')[1].split("</script>")[0])
    assert data["id"] == manifest["id"] and [a["title"] for a in data["axes"]] == ["colour", "blur"]
    # an unknown experiment is a JSON 404
    try:
        urllib.request.urlopen(host.url + P.route_path(P.ROUTE_EXPORT_HTML, "20261201-000000-ffffff"), timeout=30)
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as e:
        assert e.code == 404 and "error" in json.loads(e.read())
