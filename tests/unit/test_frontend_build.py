"""The committed editor extension and standalone viewer are what their sources build to, and its protocol module
is what the Python side defines (so neither can drift from the other)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from harness import make_js_protocol
from harness.host import REPO

JS = REPO / "js"


def test_the_js_protocol_module_is_generated_from_the_python_definitions():
    assert make_js_protocol.TARGET.read_text() == make_js_protocol.render(), \
        "js/src/protocol.ts is stale: run `make web`"


def test_web_holds_exactly_what_js_src_builds_to(tmp_path):
    if not (JS / "node_modules" / "esbuild").is_dir():
        pytest.fail("the JS toolchain is not installed: `make test` installs it (`make js`)")
    node = shutil.which("node")
    assert node, "Node.js is needed to build the editor extension"
    subprocess.run([node, str(JS / "build.mjs"), str(tmp_path)], check=True, cwd=JS, timeout=120)
    built = (tmp_path / "xyz_studio.js").read_bytes()
    assert built == (REPO / "web" / "xyz_studio.js").read_bytes(), "web/xyz_studio.js is stale: run `make web`"
    assert [p.name for p in (REPO / "web").glob("**/*.js")] == ["xyz_studio.js"]  # every .js there is imported
    viewer = REPO / "xyz_studio" / "export" / "assets" / "viewer.js"
    assert (tmp_path / "viewer.js").read_bytes() == viewer.read_bytes(), f"{viewer} is stale: run `make web`"
