"""Which frontend's reading of a saved workflow the converter follows.

The frontend, not the server, turns a saved workflow into a prompt, and two frontends read
the same subgraph differently (issue 19: 1.32.9 and 1.58.1 disagree on 79 official templates).
The converter must give what the frontend of the target server would queue, so the reading is
a parameter: one ``FrontendDialect`` member per reading, chosen from the version the server
serves (``FrontendDialect.for_version``). Every version-specific choice reads a property here,
so there is one place to look when a newer frontend changes a reading.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any

from .shared import WorkflowFormatError


def parse_version(text: str) -> tuple[int, int, int]:
    """"1.32.9" -> (1, 32, 9); "v1.58.1", "1.58" also; anything else is an error."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+.].*)?", str(text).strip())
    if match is None:
        raise WorkflowFormatError(f"frontend version {text!r} is not like 1.32.9")
    return int(match[1]), int(match[2]), int(match[3] or 0)


class FrontendDialect(str, Enum):
    """A frontend's reading of subgraphs, named by the version it was verified on (the
    differential test compares the converter with that frontend's own graphToPrompt)."""

    V1_32 = "1.32.9"   # the frontend ComfyUI 0.3.75 ships
    V1_58 = "1.58.1"   # the newest pinned one

    @classmethod
    def newest(cls) -> FrontendDialect:
        return NEWEST

    @classmethod
    def for_version(cls, version: str) -> FrontendDialect:
        """The reading of frontend ``version``. Only the two pinned versions are verified; one
        in between reads as the older (a server that old may lack the newer reading, and the
        runner then refuses what the readings disagree on rather than guess), one past the
        newest as the newest."""
        wanted = parse_version(version)
        verified = sorted(cls, key=lambda d: parse_version(d.value))
        chosen = verified[0]
        for dialect in verified:
            if parse_version(dialect.value) <= wanted:
                chosen = dialect
        return chosen

    @classmethod
    def served(cls, version: object) -> FrontendDialect:
        """The reading for the version a server reports (GET /xyz_studio/frontend); the newest
        when it reports none (a frontend of unknown version) or one unlike a version."""
        try:
            return cls.for_version(version) if isinstance(version, str) else NEWEST
        except WorkflowFormatError:
            return NEWEST

    # -- the readings that differ (each checked by tests/browser/test_converter_vs_frontend.py)

    @property
    def follows_held_links(self) -> bool:
        """Which inner widget a subgraph input's link promotes: 1.58 the one on the input that
        holds the link; 1.32 the one at the link's saved target slot (LLink.resolve), which a
        save from a since-edited subgraph can leave stale."""
        return self is not FrontendDialect.V1_32

    @property
    def drops_shadowed_widgets(self) -> bool:
        """1.32's proxyWidget.ts removes an instance's own widget that proxyWidgets shadows with
        an inner widget of its name (promoted.shadowed_1_32); 1.58 keeps it."""
        return self is FrontendDialect.V1_32

    @property
    def reads_quarantine(self) -> bool:
        """1.58 gives promoted widgets the values a newer save parked in
        properties.proxyWidgetErrorQuarantine (promoted._quarantined); 1.32 ignores them."""
        return self is not FrontendDialect.V1_32

    @property
    def shares_text_areas(self) -> bool:
        """1.32's promoted copy of a text area (multiline STRING) shares the inner widget's text
        area, so the instance's value becomes the inner widget's own (Resolver.shared_text)."""
        return self is FrontendDialect.V1_32

    @property
    def renumbers_inner_ids(self) -> bool:
        """1.58 gives an inner node whose id another node has a new id (graph.renumbered), so
        its execution id differs; 1.32 keeps the ids, which works as well (a different prompt
        but the same run, so no reason to refuse it on 1.32)."""
        return self is not FrontendDialect.V1_32

    @property
    def promoted_text_is_text(self) -> bool:
        """1.32's promoted copy of a text widget holds its value as text (a saved true queues as
        "true"); 1.58 keeps the saved value as it is."""
        return self is FrontendDialect.V1_32

    @property
    def opens_muted_instances(self) -> bool:
        """1.32 expands a muted or bypassed subgraph instance like any other and queues the
        nodes inside it; newer frontends leave them out (mute) or wire them through (bypass)."""
        return self is FrontendDialect.V1_32


# ComfyUI's --front-end-version default: serve the installed comfyui_frontend_package
DEFAULT_FRONT_END_VERSION = "comfyanonymous/ComfyUI@latest"
FRONTEND_PACKAGE = "comfyui_frontend_package"


def served_frontend_version(front_end_root: str | None, front_end_version: str | None,
                            package_version: str | None) -> str | None:
    """The frontend version a ComfyUI started with these arguments serves, None when it cannot
    be known. --front-end-root wins (ComfyUI's own precedence): its version is that of the
    comfyui_frontend_package whose static folder it is (a pip install or pip --target copy keeps
    the .dist-info two folders up); else a --front-end-version "owner/repo@v1.2.3" names it;
    else (its default) the installed comfyui_frontend_package's, ``package_version``."""
    if front_end_root:
        static = Path(front_end_root)
        if static.name == "static" and static.parent.name == FRONTEND_PACKAGE:
            found = sorted(static.parent.parent.glob(f"{FRONTEND_PACKAGE}-*.dist-info"))
            if len(found) == 1:
                return found[0].name[len(FRONTEND_PACKAGE) + 1:-len(".dist-info")]
        return None
    if front_end_version and front_end_version != DEFAULT_FRONT_END_VERSION:
        tag = front_end_version.rpartition("@")[2]
        try:
            parse_version(tag)
        except WorkflowFormatError:
            return None   # "latest", "prerelease": whatever ComfyUI downloaded
        return tag.lstrip("v")
    return package_version


NEWEST = FrontendDialect.V1_58   # the converter's default reading


class NewerFrontendRequired(WorkflowFormatError):
    """The server's frontend would queue this workflow otherwise than the newest frontend."""


def _first_difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    for node_id in sorted(set(old) | set(new)):
        if node_id not in new:
            return f"it would run node {node_id} ({old[node_id]['class_type']}), which newer frontends leave out"
        if node_id not in old:
            return f"it would leave out node {node_id} ({new[node_id]['class_type']}), which newer frontends run"
        a, b = old[node_id]["inputs"], new[node_id]["inputs"]
        for name in sorted(set(a) | set(b)):
            if a.get(name, "<none>") != b.get(name, "<none>"):
                return (f"node {node_id} ({new[node_id]['class_type']}) would get {name} = "
                        f"{a.get(name, '<none>')!r:.60} where newer frontends give {b.get(name, '<none>')!r:.60}")
    return "its prompt differs"


def check_same_reading(workflow: dict[str, Any], old: dict[str, Any], new: dict[str, Any],
                       dialect: FrontendDialect) -> None:
    """Refuse a workflow that frontend ``dialect`` reads otherwise than the newest frontend."""
    def bare(prompt: dict[str, Any]) -> dict[str, Any]:
        return {k: (v["class_type"], v["inputs"]) for k, v in prompt.items()}
    if bare(old) == bare(new):
        return
    saved = (workflow.get("extra") or {}).get("frontendVersion")
    by = f"saved by ComfyUI frontend {saved}" if isinstance(saved, str) else "saved by another frontend"
    raise NewerFrontendRequired(
        f"this workflow was {by}, and the frontend this server serves (read as {dialect.value}) reads its "
        f"subgraphs differently from newer frontends: {_first_difference(old, new)}. Update ComfyUI (its "
        f"frontend package) to run this workflow")
