"""A UI workflow as the frontend holds it when it queues: links, node sockets, and the
subgraph instances flattened into their inner nodes.

The frontend's ``graphToPrompt`` builds one ``ExecutableNodeDTO`` per node, with subgraph
instances expanded recursively (``SubgraphNode.getInnerNodes``); an inner node's execution id
is the path of container ids and its own id joined by ``:`` (``12:5``, ``1:2:3``). The records
here are those DTOs; :mod:`.resolve` follows their links.

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ..comfyui.node_specs import NodeSpec
from .dialect import NEWEST, FrontendDialect
from .shared import MODE_ALWAYS, MODE_BYPASS, MODE_NEVER, WorkflowFormatError, is_widget

UiNode = dict[str, Any]      # one node of the editor's workflow JSON

# Frontend-only node types the editor resolves itself before queueing.
REROUTE = "Reroute"
PRIMITIVE = "PrimitiveNode"

# A subgraph definition's links start at its input node and end at its output node,
# which have these fixed ids (litegraph SUBGRAPH_INPUT_ID / SUBGRAPH_OUTPUT_ID).
SUBGRAPH_INPUT_ID = "-10"
SUBGRAPH_OUTPUT_ID = "-20"


@dataclass(frozen=True)
class Link:
    id: int
    origin_id: str
    origin_slot: int
    target_id: str
    target_slot: int
    type: Any


@dataclass(frozen=True)
class Slot:
    """One input socket of a node as the editor holds it at run time."""

    name: str
    type: Any
    link: Any


def describe(node: UiNode, spec: NodeSpec | None = None, exec_id: str | None = None) -> str:
    node_id = exec_id or node.get("id", "?")
    node_type = node.get("type", "?")
    title = node.get("title")
    if not title and spec is not None:
        title = spec.display_name
    if title and title != node_type:
        return f'node {node_id} "{title}" ({node_type})'
    return f"node {node_id} ({node_type})"


def as_int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise WorkflowFormatError(f"{what} is not a number: {value!r}") from None


def parse_links(raw: Any) -> dict[int, Link]:
    """The links table: lists in the root graph, objects in subgraph definitions."""
    links: dict[int, Link] = {}
    for item in raw or []:
        if isinstance(item, dict):
            try:
                parts = [item["id"], item["origin_id"], item["origin_slot"],
                         item["target_id"], item["target_slot"], item.get("type")]
            except KeyError as exc:
                raise WorkflowFormatError(f"link {item!r} lacks {exc.args[0]!r}") from None
        elif isinstance(item, (list, tuple)) and len(item) >= 5:
            parts = list(item[:6]) + [None] * (6 - len(item[:6]))
        elif item is None:
            continue
        else:
            raise WorkflowFormatError(f"malformed link entry {item!r}")
        link_id = as_int(parts[0], "link id")
        links[link_id] = Link(
            id=link_id, origin_id=str(parts[1]),
            origin_slot=as_int(parts[2], f"link {link_id} origin slot"),
            target_id=str(parts[3]),
            target_slot=as_int(parts[4], f"link {link_id} target slot"),
            type=parts[5])
    return links


def _numeric(value: Any) -> int | None:
    text = str(value)
    return int(text) if text.lstrip("-").isdigit() and str(int(text)) == text else None


def renumbered(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow as 1.58 configures it (subgraphDeduplication.normalizeSubgraphDefinitions):
    node ids are unique across the root graph and every subgraph definition, so an inner node
    whose id is taken (by a root node, or a node of an earlier definition) gets the next free one
    after the graph's last node id, and the definition's links and its instances' proxyWidgets
    follow. The execution ids of such nodes change (``41:43`` -> ``41:53``). Unchanged when no
    id is taken; else a copy."""
    definitions = (workflow.get("definitions") or {}).get("subgraphs") or []
    raw_state = workflow.get("state")
    state: dict[str, Any] = raw_state if isinstance(raw_state, dict) else {}
    last = max(_numeric(workflow.get("last_node_id")) or 0, _numeric(state.get("lastNodeId")) or 0)
    used = {str(n.get("id")) for n in workflow.get("nodes") or [] if isinstance(n, dict)}
    numbers = {x for x in (_numeric(k) for k in used) if x is not None}
    remaps: dict[int, dict[str, int]] = {}   # definition index -> old id -> new id
    seen_ids: set[str] = set()
    for index, sg in enumerate(definitions):
        if not isinstance(sg, dict) or str(sg.get("id")) in seen_ids:
            continue  # a repeated definition: the first one wins
        seen_ids.add(str(sg.get("id")))
        for node in sg.get("nodes") or []:
            key = str(node.get("id")) if isinstance(node, dict) else None
            if key is None:
                continue
            if key in used:
                last += 1
                while last in numbers:
                    last += 1
                remaps.setdefault(index, {})[key] = last
                used.add(str(last))
                numbers.add(last)
            else:
                used.add(key)
                number = _numeric(key)
                if number is not None:
                    numbers.add(number)
                    last = max(last, number)
    if not remaps:
        return workflow
    result = copy.deepcopy(workflow)
    subgraphs = result["definitions"]["subgraphs"]
    by_type = {str(subgraphs[i].get("id")): remap for i, remap in remaps.items()}
    for index, remap in remaps.items():
        sg = subgraphs[index]
        for node in sg.get("nodes") or []:
            if str(node.get("id")) in remap:
                node["id"] = remap[str(node.get("id"))]
        for link in sg.get("links") or []:
            if isinstance(link, dict):
                for end in ("origin_id", "target_id"):
                    if str(link.get(end)) in remap:
                        link[end] = remap[str(link.get(end))]
    for graph in [result] + list(subgraphs):
        for node in graph.get("nodes") or []:
            renames = by_type.get(str(node.get("type"))) if isinstance(node, dict) else None
            proxy = (node.get("properties") or {}).get("proxyWidgets") if renames else None
            if renames is None or not isinstance(proxy, list):
                continue
            for entry in proxy:
                if isinstance(entry, list) and entry and str(entry[0]) in renames:
                    entry[0] = str(renames[str(entry[0])])
    return result


class Scope:
    """One graph: the root workflow or one subgraph definition (with its own inputs/outputs)."""

    def __init__(self, data: dict[str, Any], where: str):
        self.id = str(data.get("id", ""))
        self.name = str(data.get("name") or "")
        self.nodes: dict[str, UiNode] = {}
        for node in data.get("nodes") or []:
            if not isinstance(node, dict) or "id" not in node:
                raise WorkflowFormatError(f"{where}: a node of type {node.get('type')!r} has no id")
            key = str(node["id"])
            if key in self.nodes:
                raise WorkflowFormatError(f"{where}: two nodes share the id {key}")
            self.nodes[key] = node
        self.links = parse_links(data.get("links"))
        self.inputs = [s for s in data.get("inputs") or [] if isinstance(s, dict)]
        self.outputs = [s for s in data.get("outputs") or [] if isinstance(s, dict)]
        self.linked_ids = {link.origin_id for link in self.links.values()} | {
            link.target_id for link in self.links.values()}

    def output_link(self, slot: int) -> Link | None:
        """The link feeding the definition's output ``slot`` from inside (its first one)."""
        if slot >= len(self.outputs):
            return None
        for link_id in self.outputs[slot].get("linkIds") or []:
            link = self.links.get(as_int(link_id, f"subgraph {self.name!r} output link"))
            if link is not None:
                return link
        return None


@dataclass(eq=False)
class Dto:
    """One node as graphToPrompt sees it: where it sits and which instance holds it."""

    node: UiNode
    scope: Scope
    path: tuple[str, ...]          # container ids from the root graph down to this node's graph
    container: Dto | None = None   # the subgraph instance this node is inside

    @property
    def exec_id(self) -> str:
        return ":".join(self.path + (str(self.node.get("id")),))

    @property
    def mode(self) -> Any:
        return self.node.get("mode", MODE_ALWAYS)

    def where(self, spec: NodeSpec | None = None) -> str:
        text = describe(self.node, spec, self.exec_id)
        if self.path:
            text += f" in subgraph {self.scope.name!r}"
        return text


class Flat:
    """Every node of the workflow by execution id, subgraph instances expanded."""

    def __init__(self, workflow: dict[str, Any], specs: dict[str, NodeSpec],
                 dialect: FrontendDialect = NEWEST):
        self.specs = specs
        self.dialect = dialect
        self.definitions: dict[str, Scope] = {}
        for raw in (workflow.get("definitions") or {}).get("subgraphs") or []:
            if isinstance(raw, dict):
                scope = Scope(raw, f"subgraph {raw.get('name') or raw.get('id')!r}")
                self.definitions[scope.id] = scope
        self.root = Scope(workflow, "workflow")
        self.group_nodes = set((workflow.get("extra") or {}).get("groupNodes") or {})
        self.dtos: dict[str, Dto] = {}
        self.opened: set[str] = set()   # the instances whose inner nodes are in dtos
        for node in self.root.nodes.values():
            dto = self._add(Dto(node, self.root, ()))
            # A muted or bypassed instance is not opened (graphToPrompt) but by 1.32; one
            # inside an instance is (getInnerNodes recurses whatever the inner container's mode).
            opened = dto.mode not in (MODE_NEVER, MODE_BYPASS) or dialect.opens_muted_instances
            if opened and self.is_container(node):
                self._expand(dto, ())

    def _add(self, dto: Dto) -> Dto:
        self.dtos[dto.exec_id] = dto
        return dto

    def _expand(self, container: Dto, seen: tuple[str, ...]) -> None:
        scope = self.definitions[str(container.node.get("type"))]
        if scope.id in seen:
            raise WorkflowFormatError(f"{container.where()}: subgraph {scope.name!r} contains itself")
        path = container.path + (str(container.node.get("id")),)
        self.opened.add(container.exec_id)
        for node in scope.nodes.values():
            dto = self._add(Dto(node, scope, path, container))
            if self.is_container(node):
                self._expand(dto, seen + (scope.id,))

    # -- node classification

    def is_container(self, node: UiNode) -> bool:
        return str(node.get("type")) in self.definitions

    def spec_of(self, node: UiNode) -> NodeSpec | None:
        node_type = node.get("type")
        if node_type in (REROUTE, PRIMITIVE) or not isinstance(node_type, str):
            return None
        return self.specs.get(node_type)

    def check_supported(self, dto: Dto) -> None:
        node = dto.node
        node_type = str(node.get("type"))
        if node_type in (REROUTE, PRIMITIVE) or node_type in self.specs or self.is_container(node):
            return
        if dto.mode in (MODE_NEVER, MODE_BYPASS):
            return  # dropped or wired through without needing its declaration
        if not self._has_links(dto):
            return  # Note, MarkdownNote and other frontend-only decorations
        if node_type.startswith(("workflow>", "workflow/")) or node_type.split(">")[-1] in self.group_nodes:
            raise WorkflowFormatError(
                f"{dto.where()}: group nodes are not supported; convert the group node "
                f"back to nodes in the editor and save again")
        raise WorkflowFormatError(
            f"{dto.where()}: unknown node type {node_type!r} (missing custom node?)")

    @staticmethod
    def _has_links(dto: Dto) -> bool:
        node = dto.node
        if str(node.get("id")) in dto.scope.linked_ids:
            return True
        if any(isinstance(i, dict) and i.get("link") is not None for i in node.get("inputs") or []):
            return True
        return any(isinstance(o, dict) and o.get("links") for o in node.get("outputs") or [])

    # -- sockets

    def runtime_inputs(self, dto: Dto) -> list[Slot]:
        """The node's input sockets in the editor's order.

        Declared nodes: plain sockets, then widget sockets (saved workflows drop unconnected
        widget sockets, so the list is rebuilt from the declaration as litegraphService
        #addInputs does, with links by name). A subgraph instance: its definition's inputs,
        overlaid by the saved ones by position (LGraphNode.configure).
        """
        saved = [i for i in dto.node.get("inputs") or [] if isinstance(i, dict)]
        if self.is_container(dto.node):
            return self._inputs_by_name(saved, self.definitions[str(dto.node.get("type"))])
        spec = self.spec_of(dto.node)
        if spec is None:
            return [Slot(str(i.get("name", "")), i.get("type"), i.get("link")) for i in saved]
        by_name = {str(i.get("name")): i for i in saved}
        ordered = ([inp for inp in spec.inputs.values() if not is_widget(inp)]
                   + [inp for inp in spec.inputs.values() if is_widget(inp)])
        # the declaration's type wins over the saved one, as on load
        slots = [Slot(inp.name, inp.type, by_name.get(inp.name, {}).get("link")) for inp in ordered]
        slots += [Slot(n, e.get("type"), e.get("link")) for n, e in by_name.items()
                  if n not in spec.inputs and n not in self._dropped(saved, spec)]
        return slots

    @staticmethod
    def _dropped(saved: list[dict[str, Any]], spec: NodeSpec) -> set[str]:
        """The saved widget sockets the node loses on load: those whose widget it lacks (a save from
        a newer version of the node). widgetInputs.ts onGraphConfigured removes them while iterating
        over the same list, so the socket after each removed one is skipped and kept (and its link
        queued, by both pinned frontends)."""
        dropped: set[str] = set()
        skip = False
        for entry in saved:
            if skip:
                skip = False
                continue
            widget = entry.get("widget")
            name = str(widget.get("name", entry.get("name"))) if isinstance(widget, dict) else None
            if name is not None and name not in spec.inputs:
                dropped.add(str(entry.get("name")))
                skip = True
        return dropped

    @staticmethod
    def _inputs_by_name(saved: list[dict[str, Any]], scope: Scope) -> list[Slot]:
        """The definition's inputs, each with the link of the saved input of its name."""
        unused = list(saved)
        slots = []
        for entry in scope.inputs:
            name = str(entry.get("name", ""))
            match = next((i for i in unused if str(i.get("name", "")) == name), None)
            if match is not None:
                unused.remove(match)
            slots.append(Slot(name, entry.get("type"), None if match is None else match.get("link")))
        return slots

    def output_type(self, dto: Dto, slot: int) -> Any:
        spec = self.spec_of(dto.node)
        if spec is not None and slot < len(spec.outputs):
            return spec.outputs[slot]
        outputs = dto.node.get("outputs") or []
        if slot < len(outputs) and isinstance(outputs[slot], dict):
            return outputs[slot].get("type")
        return None
