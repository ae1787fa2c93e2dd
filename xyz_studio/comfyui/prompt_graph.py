"""Helpers over ComfyUI's API-format prompt: {node_id: {"class_type", "inputs"}}.

An input value is either a literal or a link `[source_node_id, output_index]`. A literal
that is a list travels boxed, `{"__value__": [...]}` (newer frontends write it so in
executionUtil.ts; ComfyUI unboxes it when it validates the prompt, in execution.py's
validate_inputs from 0.3.x to the newest): a bare list would read as a link. The pack reads
a literal through `widget_value` and writes one through `boxed`.
Nothing here changes a prompt in place: functions return new dicts.
"""
from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

Prompt = dict[str, dict[str, Any]]

BOX_KEY = "__value__"


def widget_value(value: Any) -> Any:
    """A widget's literal value, out of its `{"__value__": ...}` box if it is in one."""
    if isinstance(value, dict) and len(value) == 1 and BOX_KEY in value:
        return value[BOX_KEY]
    return value


def boxed(value: Any) -> Any:
    """A literal as a prompt must carry it: a list boxed, so ComfyUI takes it for a value."""
    return {BOX_KEY: list(value)} if isinstance(value, (list, tuple)) else value


def is_link(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == 2
            and isinstance(value[0], (str, int)) and isinstance(value[1], int)
            and not isinstance(value[1], bool))


def iter_links(prompt: Prompt) -> Iterator[tuple[str, str, str, int]]:
    """Yield (consumer_id, input_name, source_id, output_index) for every link."""
    for node_id, node in prompt.items():
        for name, value in (node.get("inputs") or {}).items():
            if is_link(value):
                yield str(node_id), name, str(value[0]), int(value[1])


def consumers_of(prompt: Prompt, source_id: str, output_index: int | None = None) -> list[tuple[str, str]]:
    """(node_id, input_name) pairs fed by `source_id` (optionally one output only)."""
    return [(c, name) for c, name, s, o in iter_links(prompt)
            if s == str(source_id) and (output_index is None or o == output_index)]


def ancestors(prompt: Prompt, node_id: str, skip_inputs: Iterable[tuple[str, str]] = ()) -> set[str]:
    """Every node `node_id` depends on (not including itself)."""
    skip = set(skip_inputs)
    seen: set[str] = set()
    todo = deque([str(node_id)])
    while todo:
        current = todo.popleft()
        node = prompt.get(current)
        if node is None:
            continue
        for name, value in (node.get("inputs") or {}).items():
            if (current, name) in skip or not is_link(value):
                continue
            src = str(value[0])
            if src not in seen:
                seen.add(src)
                todo.append(src)
    return seen


def descendants(prompt: Prompt, node_ids: Iterable[str]) -> set[str]:
    """Every node that depends on any of `node_ids` (not including them)."""
    children: dict[str, set[str]] = {}
    for consumer, _name, source, _out in iter_links(prompt):
        children.setdefault(source, set()).add(consumer)
    start = {str(n) for n in node_ids}
    seen: set[str] = set()
    todo = deque(start)
    while todo:
        for child in children.get(todo.popleft(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen - start


def title_of(prompt: Prompt, node_id: str, display_name: str | None = None) -> str:
    """How the editor shows a node: its title if set, else its class's display name."""
    node = prompt.get(str(node_id)) or {}
    meta = node.get("_meta") or {}
    return str(meta.get("title") or display_name or node.get("class_type") or "node")


def node_label(prompt: Prompt, node_id: str, display_name: str | None = None) -> str:
    """`Title #id`, the form every error message uses to name a node."""
    return f"{title_of(prompt, node_id, display_name)} #{node_id}"


def with_inputs(prompt: Prompt, assignments: dict[tuple[str, str], Any]) -> Prompt:
    """Copy of `prompt` with the given (node_id, input_name) set to literals (a list boxed)."""
    out = dict(prompt)
    touched: set[str] = set()
    for (node_id, name), value in assignments.items():
        if node_id not in touched:
            out[node_id] = copy.deepcopy(prompt[node_id])
            touched.add(node_id)
        out[node_id]["inputs"][name] = boxed(value)
    return out


API_NODE_KEYS = ("class_type", "inputs", "_meta")


def without_annotations(prompt: Prompt) -> Prompt:
    """The prompt as a client posts it: only class_type, inputs and _meta per node.

    While it runs, ComfyUI annotates its own copy (the PROMPT hidden input) with
    `is_changed` fingerprints. A prompt built from that copy would carry them into
    every cell, where ComfyUI reuses them instead of asking the node again, so a
    fingerprint meant to force a fresh run would be the same in every cell.
    """
    return {node_id: {k: node[k] for k in API_NODE_KEYS if k in node} if isinstance(node, dict) else node
            for node_id, node in prompt.items()}


def subset(prompt: Prompt, keep: Iterable[str]) -> Prompt:
    keep = set(keep)
    return {k: v for k, v in prompt.items() if k in keep}
