"""The values of the widgets a subgraph instance shows (promoted widgets), as the frontend
loads them, and the refusal of what the converter cannot map exactly.

A subgraph input linked to an inner widget gets a widget on the instance ("native"; the
frontend's ``SubgraphNode.#setWidget``), in input order. ``LGraphNode.configure`` gives them
the instance's ``widgets_values`` by position. Newer saves also list the instance's widgets in
``properties.proxyWidgets`` (``[node id, widget name]``, ``"-1"`` for a native one), and then
``widgets_values`` follows that list: 1.32's proxyWidget.ts ``onConfigure`` and 1.58's proxy
widget migration both give a native widget the value at its index in that list (when not
null). An entry naming an inner node's widget is shown by 1.32 with the inner widget's own
value, while 1.58 turns it into a subgraph input set to the saved value: when those differ,
the prompt depends on the frontend, so the converter refuses rather than guess one
(``check_proxied``). An entry naming an inner widget in place of the instance's own one of that
name ("shadowing" it): 1.58 gives the instance's widget the value saved at that entry, 1.32
drops the instance's widget (``shadowed_1_32``), so the inner one keeps its own value. 1.58
also reads properties.proxyWidgetErrorQuarantine (``_quarantined``).

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .graph import Dto, Flat
from .shared import WorkflowFormatError
from .widgets import MISSING, values_by_name, widget_value

NATIVE = "-1"   # proxyWidgets' node id for a widget of the instance itself


@dataclass(frozen=True)
class ProxyEntry:
    node_id: str
    widget: str


class PromotedWidgetError(WorkflowFormatError):
    """A subgraph instance the converter cannot flatten exactly (its promoted widgets, mostly)."""

    def __init__(self, flat: Flat, container: Dto, what: str):
        scope = flat.definitions[str(container.node.get("type"))]
        title = container.node.get("title") or scope.name
        super().__init__(
            f'subgraph node {container.exec_id} "{title}" (subgraph {scope.name!r}): {what}. The converter '
            f"cannot flatten this subgraph node exactly; queue this workflow from the editor instead "
            f"(the frontend flattens the subgraph itself)")


def proxy_entries(flat: Flat, container: Dto) -> list[ProxyEntry] | None:
    """The instance's ``properties.proxyWidgets``; None when it has none."""
    raw = (container.node.get("properties") or {}).get("proxyWidgets")
    if raw is None:
        return None
    if isinstance(raw, str):  # parseProxyWidgets also takes it as JSON text
        try:
            raw = json.loads(raw)
        except ValueError:
            raise PromotedWidgetError(flat, container, f"properties.proxyWidgets is not JSON: {raw[:80]!r}") from None
    if not isinstance(raw, list):
        raise PromotedWidgetError(flat, container, f"properties.proxyWidgets is not a list: {raw!r:.80}")
    entries = []
    for item in raw:
        # a third element (a source-node disambiguator of newer saves) is a format this does not follow
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, (str, int)) for x in item)):
            raise PromotedWidgetError(
                flat, container, f"properties.proxyWidgets entry {item!r:.80} is not [node id, widget name]")
        entries.append(ProxyEntry(str(item[0]), str(item[1])))
    return entries


def shadowed_1_32(flat: Flat, container: Dto, name: str) -> bool:
    """1.32's proxyWidget.ts drops the instance's own widget ``name`` when proxyWidgets names an
    inner widget of that name and not ["-1", name]: the subgraph input then has no widget, so
    nothing arrives through it and the inner widget keeps its own value."""
    entries = proxy_entries(flat, container) or []
    return (any(e.widget == name for e in entries)
            and not any(e.node_id == NATIVE and e.widget == name for e in entries))


def _saved(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) and values[index] is not None else MISSING


def _quarantined(container: Dto) -> dict[str, Any]:
    """properties.proxyWidgetErrorQuarantine: the values of promoted widgets a newer frontend could
    not resolve when it saved, by input name (the first entry for a name wins). 1.58 gives them
    to the instance's widgets of those names in place of the positional ``widgets_values``
    (SubgraphNode._applyPromotedWidgetValues); 1.32 does not know the property."""
    raw = (container.node.get("properties") or {}).get("proxyWidgetErrorQuarantine")
    found: dict[str, Any] = {}
    for item in raw if isinstance(raw, list) else []:
        entry = item.get("originalEntry") if isinstance(item, dict) else None
        if (isinstance(entry, list) and len(entry) >= 2 and str(entry[0]) == NATIVE and "hostValue" in item
                and item["hostValue"] is not None and str(entry[1]) not in found):
            found[str(entry[1])] = item["hostValue"]
    return found


def promoted_value(flat: Flat, container: Dto, name: str, position: int, inner_value: Any) -> Any:
    """The value of the instance's native widget for its input ``name``, the ``position``-th
    input with a widget; ``inner_value`` is the inner widget's own (used when nothing is saved)."""
    raw = container.node.get("widgets_values")
    values = raw if isinstance(raw, list) else []
    quarantined = _quarantined(container)
    if name in quarantined and flat.dialect.reads_quarantine:
        return quarantined[name]
    # LGraphNode.configure: by position among the instance's widgets (a saved null is kept)
    value = values[position] if position < len(values) else inner_value
    entries = proxy_entries(flat, container)
    if entries is None:
        return value
    hits = [k for k, e in enumerate(entries) if e.node_id == NATIVE and e.widget == name]
    if len(hits) > 1:
        raise PromotedWidgetError(flat, container, f"properties.proxyWidgets lists widget {name!r} twice")
    if not hits:
        shadows = [k for k, e in enumerate(entries) if e.widget == name]
        if shadows and not flat.dialect.drops_shadowed_widgets:
            saved = _saved(values, shadows[0])
            return value if saved is MISSING else saved
        return value
    saved = _saved(values, hits[0])
    if saved is not MISSING:
        return saved
    if hits[0] != position and position < len(values):
        raise PromotedWidgetError(
            flat, container, f"widget {name!r} has no value at its proxyWidgets index {hits[0]} and the frontends "
                             f"differ on which other one it keeps ({values[position]!r} at index {position})")
    return value


def check_container(flat: Flat, container: Dto) -> None:
    """Refuse an instance whose widgets the frontends would not load the same way."""
    check_proxied(flat, container)


def check_proxied(flat: Flat, container: Dto) -> None:
    """Refuse an entry naming an inner node's widget whose saved value is not that widget's own
    (1.32 queues the inner value, newer frontends the saved one)."""
    entries = proxy_entries(flat, container)
    raw = container.node.get("widgets_values")
    values = raw if isinstance(raw, list) else []
    for k, entry in enumerate(entries or []):
        saved = _saved(values, k)
        if entry.node_id == NATIVE or saved is MISSING or entry.widget.startswith("$$"):
            continue
        inner = flat.dtos.get(f"{container.exec_id}:{entry.node_id}")
        if inner is None:
            continue  # a node the workflow does not have: the widget shows nothing either way
        spec = flat.spec_of(inner.node)
        if flat.is_container(inner.node) or spec is None or entry.widget not in spec.inputs:
            if flat.is_container(inner.node):
                raise PromotedWidgetError(
                    flat, container, f"properties.proxyWidgets entry {k} promotes widget {entry.widget!r} of the "
                                     f"nested subgraph node {entry.node_id} with the saved value {saved!r}")
            continue  # not an input of the node (a control or preview widget): not in the prompt
        own = widget_value(inner.node, spec, spec.inputs[entry.widget], values_by_name(inner.node, spec))
        if own is MISSING or own != saved:
            raise PromotedWidgetError(
                flat, container, f"properties.proxyWidgets entry {k} shows input {entry.widget!r} of inner node "
                                 f"{entry.node_id} with the saved value {saved!r} but the node holds {own!r} "
                                 f"(frontend 1.32 queues the node's value, newer ones the saved one)")
