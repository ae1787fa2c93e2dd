"""Installed as users install it (issue 19): the real ComfyUI-Manager (comfyui-manager 4.3, pinned in
harness/host_pins) clones the pack from a git repository into a fresh ComfyUI, ComfyUI restarts and
serves the pack's nodes; `comfy node validate` (comfy-cli 1.23.0) accepts the pack as published.

The repository is a bare clone of this repo's committed HEAD in a temp folder, reached by a
file://localhost URL: no network, and the manager takes it as it takes any remote git URL.
The fresh ComfyUI is a copy of the test host's ComfyUI 0.3.75 tree with an empty custom_nodes/,
sharing the host's venv; the shared tree is never written (cm-cli writes into the ComfyUI it is
pointed at: custom_nodes/ and user/__manager/).

0.3.75 cannot load comfyui-manager 4.x in the server (that needs `--enable-manager`, added in a
later ComfyUI), so the install goes through the manager's own command line, `cm-cli install
<git url>` (what comfy-cli's `comfy node install` runs too): the same gitclone_install and install
script as the manager's "Install via Git URL" button.
"""
from __future__ import annotations

import ast
import importlib.metadata
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.host import REPO, VENV_PYTHON, ComfyHost, comfyui_dir
from xyz_studio.comfyui.client import ComfyClient

PACK_DIR = "xyz-plot-studio"  # the folder the manager clones into: the URL's last part less .git
# the five nodes issue 19 names, whatever else the pack adds; the full list is read from the pack
AT_LEAST = {"XYZStudio.Axis", "XYZStudio.GridDriver", "XYZStudio.GridAssembler", "XYZStudio.Servers",
            "XYZStudio.WandbLogger"}


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _node_ids(protocol_source: str) -> set[str]:
    """The node ids the pack declares: every `NODE_* = "..."` in xyz_studio/protocol.py."""
    ids = set()
    for stmt in ast.parse(protocol_source).body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            if any(isinstance(t, ast.Name) and t.id.startswith("NODE_") for t in stmt.targets):
                ids.add(stmt.value.value)
    return ids


def _installed() -> dict[str, str]:
    """The host venv's distributions (this process runs in it), to show the install left it as it was."""
    return {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, str]:
    """A bare clone of the committed HEAD, as a hosted repository would be, and its commit."""
    bare = tmp_path_factory.mktemp("remote") / f"{PACK_DIR}.git"
    _git("clone", "--quiet", "--bare", str(REPO), str(bare))
    return bare, _git("rev-parse", "HEAD", cwd=bare)


@pytest.fixture()
def fresh_comfyui(tmp_path):
    """A copy of the host's ComfyUI tree with nothing in custom_nodes/, run with its own folders."""
    root = tmp_path / "ComfyUI"
    shutil.copytree(comfyui_dir(), root, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(root / "custom_nodes")
    (root / "custom_nodes").mkdir()
    host = ComfyHost(root, link_pack=False)
    yield root, host
    host.stop()


def test_comfyui_manager_installs_the_pack_from_git_and_its_nodes_load_after_a_restart(published, fresh_comfyui):
    bare, commit = published
    root, host = fresh_comfyui
    expected = _node_ids(_git("show", "HEAD:xyz_studio/protocol.py", cwd=bare))
    assert expected >= AT_LEAST, f"xyz_studio/protocol.py declares {sorted(expected)}"

    client = ComfyClient(host.start().url)
    assert not expected & set(client.get("/object_info")), "the fresh ComfyUI has the pack before the install"

    venv_before = _installed()
    url = f"file://localhost{bare}"
    # COLUMNS: rich (its printer) wraps long lines at 80 columns when not on a terminal
    env = dict(os.environ, COMFYUI_PATH=str(root), COMFYUI_FOLDERS_BASE_PATH=str(root), COLUMNS="500")
    # --mode local: the node list shipped in the package, not one fetched from the network
    done = subprocess.run([str(VENV_PYTHON), "-m", "cm_cli", "install", url, "--mode", "local", "--exit-on-fail"],
                          env=env, capture_output=True, text=True, timeout=180)
    out = done.stdout + done.stderr
    assert done.returncode == 0 and f"[INSTALLED] {url}" in out, out[-3000:]
    clone = root / "custom_nodes" / PACK_DIR
    assert _git("rev-parse", "HEAD", cwd=clone) == commit
    assert _git("remote", "get-url", "origin", cwd=clone) == url
    # the manager ran the pack's requirements.txt through pip: all already there, nothing changed
    assert _installed() == venv_before

    assert not expected & set(client.get("/object_info")), "the nodes are there before the restart"
    host.stop()
    host.start()
    nodes = client.get("/object_info")
    assert expected <= set(nodes), f"missing after the restart: {sorted(expected - set(nodes))}\n{host.log_tail()}"
    # ComfyUI's "Import times for custom nodes" names the manager's clone, imported without failure
    loaded = [line for line in host.log_path.read_text(errors="replace").splitlines()
              if line.endswith(f"seconds: {clone}")]
    assert loaded, host.log_tail()


def test_comfy_node_validate_accepts_the_committed_pack(published, tmp_path):
    """`comfy node validate` is what `comfy node publish` checks before it uploads: pyproject.toml's
    [project] (name, version, license, classifiers, dependencies) and [tool.comfy] (PublisherId,
    DisplayName, Icon, includes, requires-comfyui), then ruff's exec, eval and `a; b` rules over
    the code. It exits 0 even when ruff finds something, so the output is read too."""
    bare, _ = published
    checkout = tmp_path / PACK_DIR
    _git("clone", "--quiet", str(bare), str(checkout))
    comfy = VENV_PYTHON.parent / "comfy"
    # its settings (telemetry off) go to a temp HOME, never the user's
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"))
    done = subprocess.run([str(comfy), "--skip-prompt", "--no-enable-telemetry", "node", "validate"],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "All validation checks passed successfully" in out, out
    for word in ("Warning", "warning", "Error", "error"):
        assert word not in out, out
