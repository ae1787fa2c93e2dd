"""Which nodes an output feeds in the editor's workflow that the queued prompt left out.

The editor leaves bypassed (mode 4) and muted (mode 2) nodes out of the API prompt it
queues, so from the prompt alone an XYZ Axis wired to a bypassed KSampler looks
unconnected. The saved workflow (extra_data.extra_pnginfo.workflow of the POST /prompt
body) still holds the link and the node's mode, so the error can name the node that is
switched off and say how to switch it on.

Reading never fails: a workflow this module cannot follow (an unknown shape, a node
inside a subgraph it cannot find) yields no finding, and the plain check applies.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .graph import REROUTE, parse_links
from .shared import MODE_BYPASS, MODE_NEVER, WorkflowFormatError

SUBGRAPH_SEPARATOR = ":"  # an inner node's execution id: container ids and its own id joined by ':'


class LeftOut(str, Enum):
    """Why the editor left a node out of the queued prompt, with the key that undoes it."""

    BYPASSED = "bypassed"
    MUTED = "muted"

    @property
    def shortcut(self) -> str:
        return "Ctrl+B" if self is LeftOut.BYPASSED else "Ctrl+M"

    @property
    def undo(self) -> str:
        return "un-bypass" if self is LeftOut.BYPASSED else "unmute"


_LEFT_OUT_MODES = {MODE_BYPASS: LeftOut.BYPASSED, MODE_NEVER: LeftOut.MUTED}


@dataclass(frozen=True)
class LeftOutTarget:
    """A node an output is linked to in the editor that is not in the queued prompt."""

    node_id: str      # execution id (with its subgraph containers), as error messages name nodes
    title: str        # its title in the editor, else its type
    node_type: str
    why: LeftOut


@dataclass(frozen=True)
class _Graph:
    nodes: dict[str, dict[str, Any]]
    links: dict[int, Any]
    prefix: str  # the execution-id prefix of the nodes in this graph ('' at the top, '12:' in a subgraph)


def _graph(workflow: dict[str, Any], execution_id: str) -> tuple[_Graph, str] | None:
    """The (sub)graph holding the node with this execution id, and its id inside it."""
    path = str(execution_id).split(SUBGRAPH_SEPARATOR)
    definitions = {str(sg.get("id")): sg for sg in ((workflow.get("definitions") or {}).get("subgraphs") or [])
                   if isinstance(sg, dict)}
    current = workflow
    for container in path[:-1]:
        node = _nodes(current).get(container)
        inner = definitions.get(str((node or {}).get("type")))
        if inner is None:
            return None
        current = inner
    prefix = "".join(part + SUBGRAPH_SEPARATOR for part in path[:-1])
    return _Graph(_nodes(current), parse_links(current.get("links")), prefix), path[-1]


def _nodes(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(n["id"]): n for n in graph.get("nodes") or [] if isinstance(n, dict) and "id" in n}


def left_out_targets(workflow: Any, node_id: str, output: int) -> list[LeftOutTarget]:
    """Bypassed or muted nodes that output `output` of node `node_id` is linked to in the
    editor's workflow (through reroutes), in link order; [] when there are none or the
    workflow cannot be read."""
    if not isinstance(workflow, dict):
        return []
    try:
        found = _graph(workflow, node_id)
    except (WorkflowFormatError, TypeError, ValueError, AttributeError):
        return []
    if found is None:
        return []
    graph, local_id = found
    targets: list[LeftOutTarget] = []
    todo, seen = [(local_id, output)], set()
    while todo:
        source, slot = todo.pop(0)
        if (source, slot) in seen:
            continue
        seen.add((source, slot))
        for link in sorted(graph.links.values(), key=lambda k: k.id):
            if link.origin_id != source or link.origin_slot != slot:
                continue
            target = graph.nodes.get(link.target_id)
            if target is None:
                continue  # a subgraph's output, or a stale link: nothing to say
            mode = target.get("mode")
            why = _LEFT_OUT_MODES.get(mode) if isinstance(mode, int) else None
            if why is not None:
                node_type = str(target.get("type") or "node")
                targets.append(LeftOutTarget(graph.prefix + link.target_id, str(target.get("title") or node_type),
                                             node_type, why))
            elif target.get("type") == REROUTE:
                todo.append((link.target_id, 0))
    return targets
