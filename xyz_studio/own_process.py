"""Starting a module of the core in a Python process of its own (the W&B tracker, the ComfyScript
transpiler): work that must not run inside ComfyUI's process, with the core importable there."""
from __future__ import annotations

import os
import sys
from pathlib import Path

PACK_ROOT = Path(__file__).resolve().parents[1]  # where `xyz_studio` imports from


def command(module: str) -> list[str]:
    """`python -m <module>` with ComfyUI's own Python."""
    return [sys.executable, "-m", module]


def environment() -> dict[str, str]:
    """This process's environment with the pack first on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACK_ROOT), env.get("PYTHONPATH", "")) if p)
    return env
