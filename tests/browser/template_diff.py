"""What the converter-vs-frontend test needs besides the browser: the official templates,
pruning of the nodes the test host lacks (the same pruned workflow goes to both sides),
and the comparison of two API prompts into classified differences."""
from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import comfyui_workflow_templates_json

from xyz_studio.comfyui.node_specs import NodeSpec, parse_node_spec
from xyz_studio.workflow import WorkflowFormatError, ui_to_api
from xyz_studio.workflow.dialect import NEWEST, FrontendDialect, NewerFrontendRequired
from xyz_studio.workflow.ui_to_api import _convert

TEMPLATES = Path(comfyui_workflow_templates_json.__file__).parent / "templates"

# Node types the frontend defines itself (no /object_info entry) that a prompt resolves away.
FRONTEND_ONLY = frozenset({"Reroute", "PrimitiveNode", "Note", "MarkdownNote"})


class Kind(str, Enum):
    """How the pack's prompt differs from the frontend's."""

    REFUSED = "converter refused"
    NEEDS_NEWER = "needs a newer frontend"   # refused: this frontend queues it otherwise than newer ones
    FRONTEND_FAILED = "frontend failed"
    NODE_MISSING = "node missing"
    NODE_EXTRA = "node extra"
    CLASS = "class_type"
    INPUT_MISSING = "input missing"
    INPUT_EXTRA = "input extra"
    VALUE = "value"


@dataclass(frozen=True)
class Difference:
    kind: Kind
    node: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.value} @ {self.node}: {self.detail}"


def templates() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(TEMPLATES.glob("*.json")):
        data = json.loads(path.read_text())
        if isinstance(data, dict) and isinstance(data.get("nodes"), list):  # not the index files
            yield path.stem, data


# --------------------------------------------------------------------------- pruning


def _link_ends(link: Any) -> tuple[Any, Any, Any]:
    if isinstance(link, dict):
        return link.get("id"), link.get("origin_id"), link.get("target_id")
    return link[0], link[1], link[3]


def _prune_graph(graph: dict[str, Any], keep: set[str], pruned: set[str]) -> None:
    gone = set()
    nodes = []
    for node in graph.get("nodes") or []:
        if str(node.get("type")) in keep:
            nodes.append(node)
        else:
            gone.add(node.get("id"))
            pruned.add(str(node.get("type")))
    graph["nodes"] = nodes
    dead: set[Any] = set()
    links = []
    for link in graph.get("links") or []:
        if link is None:
            continue
        link_id, origin, target = _link_ends(link)
        if origin in gone or target in gone:
            dead.add(link_id)
        else:
            links.append(link)
    graph["links"] = links
    for node in nodes:
        for slot in node.get("inputs") or []:
            if slot.get("link") in dead:
                slot["link"] = None
        for slot in node.get("outputs") or []:
            if slot.get("links"):
                slot["links"] = [x for x in slot["links"] if x not in dead]
    for io in (graph.get("inputs") or []) + (graph.get("outputs") or []):  # a subgraph's own slots
        if io.get("linkIds"):
            io["linkIds"] = [x for x in io["linkIds"] if x not in dead]


def prune(workflow: dict[str, Any], known: set[str]) -> tuple[dict[str, Any], set[str]]:
    """The workflow without the nodes whose types neither the host nor the frontend knows,
    and without their links (in the root graph and in every subgraph definition)."""
    pruned_wf = copy.deepcopy(workflow)
    subgraphs = (pruned_wf.get("definitions") or {}).get("subgraphs") or []
    keep = set(known) | FRONTEND_ONLY | {str(sg.get("id")) for sg in subgraphs}
    pruned: set[str] = set()
    _prune_graph(pruned_wf, keep, pruned)
    for sg in subgraphs:
        _prune_graph(sg, keep, pruned)
    return pruned_wf, pruned


# --------------------------------------------------------------------------- comparing


def _harmless(kind: Kind, class_type: str, name: str, value: Any, specs: dict[str, NodeSpec]) -> bool:
    """Differences that cannot change what the server runs. Keep this list short."""
    spec = specs.get(class_type)
    # A widget a frontend extension adds to a node without declaring it: a hidden text sent
    # as "", or a button (Load3D's "upload 3d model": "upload3dmodel"). The server drops
    # inputs its class does not declare; a link (a list) would not be harmless.
    return (kind is Kind.INPUT_MISSING and spec is not None and name not in spec.inputs
            and not isinstance(value, list))


def compare(mine: dict[str, Any], theirs: dict[str, Any], specs: dict[str, NodeSpec]) -> list[Difference]:
    found: list[Difference] = []
    for node_id in sorted(set(theirs) - set(mine)):
        found.append(Difference(Kind.NODE_MISSING, node_id, str(theirs[node_id].get("class_type"))))
    for node_id in sorted(set(mine) - set(theirs)):
        found.append(Difference(Kind.NODE_EXTRA, node_id, str(mine[node_id].get("class_type"))))
    for node_id in sorted(set(mine) & set(theirs)):
        a, b = mine[node_id], theirs[node_id]
        if a["class_type"] != b.get("class_type"):
            found.append(Difference(Kind.CLASS, node_id, f"{a['class_type']} != {b.get('class_type')}"))
            continue
        ai, bi = a["inputs"], b.get("inputs") or {}
        for name in sorted(set(ai) | set(bi)):
            if name not in ai:
                kind = Kind.INPUT_MISSING
            elif name not in bi:
                kind = Kind.INPUT_EXTRA
            elif ai[name] != bi[name]:
                kind = Kind.VALUE
            else:
                continue
            if _harmless(kind, a["class_type"], name, bi.get(name), specs):
                continue
            found.append(Difference(kind, node_id, f"{a['class_type']}.{name}: pack {ai.get(name, '<absent>')!r}"
                                                   f" frontend {bi.get(name, '<absent>')!r}"[:300]))
    return found


def differences(workflows: dict[str, dict[str, Any]], answers: dict[str, dict[str, Any]],
                specs: dict[str, NodeSpec], dialect: FrontendDialect = NEWEST) -> dict[str, list[Difference]]:
    """Template name -> how the converter's prompt, in the reading of the frontend that gave
    ``answers`` (``{"output": prompt}`` or ``{"error": text}``), differs from that frontend's;
    templates that agree are left out. A NewerFrontendRequired refusal counts as NEEDS_NEWER only
    when the converter's reading of this frontend is this frontend's prompt exactly (else its
    differences count) and differs from the newest reading (with this frontend's node ids); a
    needless one is a plain REFUSED (so the test fails on it)."""
    differing: dict[str, list[Difference]] = {}
    for name, workflow in workflows.items():
        answer = answers[name]
        try:
            mine = ui_to_api(workflow, specs, dialect)
        except NewerFrontendRequired as exc:
            # the refusal says what this frontend would queue: that reading must be its prompt exactly
            own = _convert(workflow, specs, dialect, dialect.renumbers_inner_ids)
            wrong = [] if "error" in answer else compare(own, answer["output"], specs)
            newest = _convert(workflow, specs, NEWEST, dialect.renumbers_inner_ids)
            real = "error" in answer or compare(newest, answer["output"], specs)
            differing[name] = wrong or [Difference(Kind.NEEDS_NEWER if real else Kind.REFUSED, "-",
                                                   ("" if real else "needlessly: ") + str(exc)[:300])]
            continue
        except WorkflowFormatError as exc:
            if "error" not in answer:  # else neither can make a prompt of it
                differing[name] = [Difference(Kind.REFUSED, "-", str(exc)[:300])]
            continue
        if "error" in answer:
            differing[name] = [Difference(Kind.FRONTEND_FAILED, "-", answer["error"][:300])]
            continue
        found = compare(mine, answer["output"], specs)
        if found:
            differing[name] = found
    return differing


def pruned_templates(known: set[str]) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The templates worth comparing, pruned to ``known`` node types, and the names of those
    that lost nodes. Worth comparing: those with subgraphs, or with every node on the host.
    (Pruned ones without subgraphs only repeat the plain node conversion the unit tests cover;
    leaving out those ~390 keeps the browser part near two minutes per frontend, not six.)"""
    workflows: dict[str, dict[str, Any]] = {}
    pruned_any: set[str] = set()
    for name, workflow in templates():
        kept, pruned = prune(workflow, known)
        if pruned and not (kept.get("definitions") or {}).get("subgraphs"):
            continue
        workflows[name] = kept
        if pruned:
            pruned_any.add(name)
    return workflows, pruned_any


def offline(saved: Path, frontend: str) -> dict[str, list[Difference]]:
    """The comparison again from a browser run's saved answers (``saved`` holds the test's
    object_info.json and frontend-<version>.json): a second instead of minutes per change."""
    object_info = json.loads((saved / "object_info.json").read_text())
    answers = json.loads((saved / f"frontend-{frontend}.json").read_text())
    specs = {name: parse_node_spec(name, info) for name, info in object_info.items()}
    workflows, _ = pruned_templates(set(object_info))
    return differences({n: w for n, w in workflows.items() if n in answers}, answers, specs,
                       FrontendDialect.for_version(frontend))
