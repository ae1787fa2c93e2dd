"""The core stays readable: small modules, folders of a handful of modules each."""
from __future__ import annotations

from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "xyz_studio"
MAX_LINES = 400
MAX_MODULES_PER_FOLDER = 10


def test_no_core_module_is_over_400_lines():
    long = {str(p.relative_to(CORE)): n for p in CORE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by concept: {long}"


def test_no_core_folder_holds_more_than_ten_modules():
    folders = [CORE, *(d for d in CORE.rglob("*") if d.is_dir() and d.name != "__pycache__")]
    crowded = {str(d.relative_to(CORE.parent)): n for d in folders
               if (n := len([p for p in d.glob("*.py") if p.name != "__init__.py"])) > MAX_MODULES_PER_FOLDER}
    assert len(folders) >= 6 and not crowded, crowded
