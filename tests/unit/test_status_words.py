"""Statuses are spelled once: no bare status word in the pack outside its Enum.

A status ("queued", "done", "running", ...) written as a plain string somewhere is a
second spelling that the Enum cannot check; it is how "done" vs "complete" bugs start.
Dictionary keys and subscripts are field names (the routes' "done" and "failed"
counts), not statuses, and docstrings are prose; both are allowed.
"""
from __future__ import annotations

import ast
from pathlib import Path

from xyz_studio.comfyui.history import PromptState
from xyz_studio.comfyui.jobs import JobStatus
from xyz_studio.protocol import JobRole, TextEnum
from xyz_studio.reporting.event_log import Event
from xyz_studio.reporting.health import WorkerState
from xyz_studio.storage.records import CellStatus, ExperimentStatus
from xyz_studio.tracking.link import LinkKind
from xyz_studio.tracking.settings import TrackingStatus
from xyz_studio.tracking.tracker import _Kind as TrackerMessageKind

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("xyz_studio", "nodes", "host")
STATUS_ENUMS = (ExperimentStatus, CellStatus, PromptState, JobRole, WorkerState, TrackingStatus, LinkKind, Event,
                TrackerMessageKind, JobStatus)
WORDS = {m.value for enum in STATUS_ENUMS for m in enum}
# the same word meaning something else, not one of our states: (file, what its line holds)
NOT_A_STATUS = {
    ("xyz_studio/planning/axis_values.py", '_FALSE = {"false", "no", "off"'),  # a boolean axis value
    ("xyz_studio/tracking/wandb_run.py", 'console="off"'),                    # wandb's own console setting
}


def _allowed_nodes(tree: ast.AST) -> set[int]:
    """ids of the constants that are docstrings, Enum member values, dict keys or subscripts."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                allowed.add(id(first.value))
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") in ("TextEnum", "Enum") for b in node.bases):
            allowed.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))
        if isinstance(node, ast.Dict):
            allowed.update(id(k) for k in node.keys if isinstance(k, ast.Constant))
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            allowed.add(id(node.slice))
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get" and node.args:
            if isinstance(node.args[0], ast.Constant):
                allowed.add(id(node.args[0]))  # mapping.get("key"): a field name
    return allowed


def _said_to_be_something_else(where: str, line: str) -> bool:
    return any(where == file and marker in line for file, marker in NOT_A_STATUS)


def _status_words(where: str, text: str) -> list[str]:
    """The status words that the module `where` (its path in the repo) spells outside their Enum."""
    lines, tree = text.splitlines(), ast.parse(text)
    allowed = _allowed_nodes(tree)
    return [f"{where}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in WORDS and id(node) not in allowed
            and not _said_to_be_something_else(where, lines[node.lineno - 1])]


def test_no_status_word_is_spelled_outside_its_enum():
    found = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            found += _status_words(path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8"))
    assert not found, "status words outside their Enum:\n" + "\n".join(found)


def test_the_check_finds_a_planted_status_word():
    # guards the test above against passing because it sees nothing: the files are there, every
    # word of every Enum is caught as a bare string, and the allowed places let only themselves off
    files = [p for package in PACKAGES for p in (REPO / package).rglob("*.py")]
    assert len(files) > 25
    assert all(_status_words("planted.py", f"state = {word!r}\n") == [f"planted.py:1: {word!r}"] for word in WORDS)
    planted = ('def f(cell, counts):\n'
               '    """done"""\n'                                  # a docstring: prose
               '    if cell.status == "done":\n'                   # a second spelling: found
               '        counts["failed"] += 1\n'                   # a field name
               '    return counts.get("running"), "cancelled"\n')  # a field name, then a status
    assert _status_words("planted.py", planted) == ["planted.py:3: 'done'", "planted.py:5: 'cancelled'"]
    off = 'console="off"  # wandb\'s\n'
    assert _status_words("xyz_studio/tracking/wandb_run.py", off) == []  # said to be something else, there only
    assert _status_words("xyz_studio/other.py", off) == ["xyz_studio/other.py:1: 'off'"]


def test_every_state_enum_is_checked():
    # a new Enum of the pack's must join STATUS_ENUMS (or be said here to be a setting)
    import importlib
    import inspect
    from enum import Enum

    ours = set()
    for path in (REPO / "xyz_studio").rglob("*.py"):  # folders without __init__.py too
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name.endswith("__main__"):
            continue
        loaded = importlib.import_module(name)
        ours |= {c for _, c in inspect.getmembers(loaded, inspect.isclass)
                 if issubclass(c, Enum) and c.__module__ == name and c is not TextEnum}
    # settings and kinds, not states; ConflictReason's words are also field names ("dry_run")
    # LeftOut: the editor's node modes (bypassed, muted), read from a saved workflow
    # FrontendDialect: the converter's reading of a frontend version
    # SearchSampler, AxisKind: a search's setting and how it reads an axis; TrialRole: why an Optuna trial
    # holds no cell of its own, kept in the study file and never shown as a status
    choices = {"CellOrder", "TrackingMode", "MetricGoal", "AxisMode", "TileKind", "ConflictReason", "LeftOut",
               "FlipbookFormat", "FrontendDialect", "SearchSampler", "AxisKind", "TrialRole"}
    assert len(ours) > 10
    assert {e.__name__ for e in ours} - choices == {e.__name__ for e in STATUS_ENUMS}
