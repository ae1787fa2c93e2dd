"""How a plan names the prompt's nodes for people, subgraphs included.

A node inside subgraphs has an execution id that lists the subgraph instances it sits in:
`103:102:3` is node 3 of the subgraph instance 102, itself inside the instance 103 of the
root graph (the ids the frontend's graphToPrompt and the pack's converter give). The API
prompt keeps only each node's own title, so the instances' titles come from the editor
workflow the prompt was queued with (its extra_pnginfo "workflow", which the editor and the
runner both send): the instance's title as the editor shows it, else its subgraph's name.

Names read from the root down: `Sampler › Inner › KSampler #103:102:3` in messages,
`Sampler › Inner › KSampler · cfg` as an axis's default title (a root node's input keeps
its short name, `cfg`, as before). Where the workflow does not tell (an API prompt queued
without it), an instance is named by its id: `#103 › #102 › KSampler`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..comfyui.node_specs import NodeSpec
from ..comfyui.prompt_graph import Prompt, title_of
from .plan import Target

PATH_SEPARATOR = " › "
INPUT_SEPARATOR = " · "
ID_SEPARATOR = ":"


def _definitions(workflow: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every subgraph definition a saved workflow holds (newer frontends may nest them in their definitions)."""
    found = (workflow.get("definitions") or {}).get("subgraphs") if isinstance(workflow, Mapping) else None
    for definition in found if isinstance(found, list) else ():
        if isinstance(definition, Mapping):
            yield definition
            yield from _definitions(definition)


def subgraph_path(workflow: Any, execution_id: str) -> tuple[str, ...]:
    """The titles of the subgraph instances `execution_id` sits in, outermost first (none at the root)."""
    *containers, _own = str(execution_id).split(ID_SEPARATOR)
    definitions = {str(d.get("id")): d for d in _definitions(workflow)}
    graph: Mapping[str, Any] | None = workflow if isinstance(workflow, Mapping) else None
    titles: list[str] = []
    for instance in containers:
        nodes = graph.get("nodes") if graph is not None else None
        node = next((n for n in nodes if isinstance(n, Mapping) and str(n.get("id")) == instance), None) \
            if isinstance(nodes, list) else None
        graph = definitions.get(str(node.get("type"))) if node is not None else None
        title = (node or {}).get("title") or (graph or {}).get("name")
        titles.append(str(title) if isinstance(title, str) and title.strip() else f"#{instance}")
    return tuple(titles)


@dataclass(frozen=True)
class NodeNames:
    """The names of one prompt's nodes: their titles, behind the subgraph instances they sit in."""

    prompt: Prompt
    specs: dict[str, NodeSpec]
    paths: Mapping[str, tuple[str, ...]]  # by execution id, for the nodes inside subgraphs

    @classmethod
    def of(cls, prompt: Prompt, specs: dict[str, NodeSpec], workflow: Any = None) -> NodeNames:
        return cls(prompt, specs, {node_id: subgraph_path(workflow, node_id)
                                   for node_id in prompt if ID_SEPARATOR in node_id})

    def display(self, node_id: str) -> str | None:
        """The display name its class declares (None for a class the server does not know)."""
        spec = self.specs.get(self.prompt.get(node_id, {}).get("class_type", ""))
        return spec.display_name if spec else None

    def title(self, node_id: str, fallback: str | None = None) -> str:
        """`Sampler › Inner › KSampler`: its own title (else its class's display name) behind its path."""
        own = title_of(self.prompt, node_id, self.display(node_id) or fallback)
        return PATH_SEPARATOR.join((*self.paths.get(node_id, ()), own))

    def label(self, node_id: str, fallback: str | None = None) -> str:
        """`Title #id`, the form every error message uses to name a node."""
        return f"{self.title(node_id, fallback)} #{node_id}"

    def input(self, target: Target) -> str:
        """An input as an axis's default title names it: `cfg` at the root, with its node's path inside subgraphs."""
        if target.node_id not in self.paths:
            return target.input
        return f"{self.title(target.node_id)}{INPUT_SEPARATOR}{target.input}"
