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
the prompt depends on the frontend, so the converter refuses rather than guess one. An entry
naming an inner widget in place of the instance's own one of that name ("shadowing" it) gives
the native widget, on 1.58, the value saved at that entry.

Where only 1.32 misreads a save (saved inputs out of the subgraph's order, see
``FrontendDialect.instance_inputs_by_name``; subgraph input links naming a stale inner slot,
``check_input_links``; muted or bypassed instances), the 1.32 dialect refuses with
NewerFrontendRequired (:mod:`.dialect`). Still refused on every frontend: inner node ids shared
with the root graph (1.58 renumbers them), and nested instances saved with other inputs than
their subgraph's (not verified on a template that converts).

Stdlib only: this imports without ComfyUI and without torch.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .dialect import FrontendDialect, NewerFrontendRequired
from .graph import Dto, Flat
from .shared import MODE_BYPASS, MODE_NEVER, WorkflowFormatError
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


def _saved(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) and values[index] is not None else MISSING


def promoted_value(flat: Flat, container: Dto, name: str, position: int, inner_value: Any) -> Any:
    """The value of the instance's native widget for its input ``name``, the ``position``-th
    input with a widget; ``inner_value`` is the inner widget's own (used when nothing is saved)."""
    raw = container.node.get("widgets_values")
    values = raw if isinstance(raw, list) else []
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
        if shadows and flat.dialect is not FrontendDialect.V1_32:
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
    scope = flat.definitions[str(container.node.get("type"))]
    shared = sorted(set(scope.nodes) & set(flat.root.nodes), key=int)
    if shared:
        raise PromotedWidgetError(
            flat, container, f"nodes {', '.join(shared)} inside it have the ids of nodes outside it: frontend "
                             f"1.58 renumbers them (other execution ids), 1.32 does not")
    if container.path:
        # a nested instance saved with other inputs than its subgraph's: 1.58 reads those
        # otherwise again (not verified; no template shows it exactly)
        check_inputs(flat, container)
    if flat.dialect is FrontendDialect.V1_32:
        check_input_links(flat, container)
    check_proxied(flat, container)


def check_input_links(flat: Flat, container: Dto) -> None:
    """(1.32 only) Each link from a subgraph input must end at the inner input that holds it:
    1.32 finds the promoted widget by the link's slot index and writes the instance's value into
    it when it queues, so a stale index gives another input that value; newer frontends find it
    by the input holding the link (resolve.Resolver._holding)."""
    scope = flat.definitions[str(container.node.get("type"))]
    for entry in scope.inputs:
        for link_id in entry.get("linkIds") or []:
            link = scope.links.get(link_id) if isinstance(link_id, int) else None
            inner = flat.dtos.get(f"{container.exec_id}:{link.target_id}") if link else None
            if link is None or inner is None or flat.is_container(inner.node):
                continue
            slots = flat.runtime_inputs(inner)
            held = [k for k, slot in enumerate(slots) if slot.link == link.id]
            if held and held != [link.target_slot]:
                at = slots[link.target_slot].name if link.target_slot < len(slots) else "none"
                raise NewerFrontendRequired(
                    f"{container.where()}: its subgraph input {entry.get('name')!r} links to input "
                    f"{link.target_slot} ({at!r}) of inner node {link.target_id}, which holds that link on its "
                    f"input {slots[held[0]].name!r}: the frontend this server serves (read as "
                    f"{flat.dialect.value}) gives that input the value of another widget, newer frontends "
                    f"follow the link. Update ComfyUI (its frontend package) to run this workflow")


def check_inputs(flat: Flat, container: Dto) -> None:
    """The instance's saved inputs must be its subgraph's, in the same order: configure lays the
    saved ones over the definition's by position, so a save from a definition whose inputs were
    since added, removed or reordered gives its widgets other inputs' values (1.32 queues those
    shifted values; newer frontends match by name)."""
    scope = flat.definitions[str(container.node.get("type"))]
    saved = [i for i in container.node.get("inputs") or [] if isinstance(i, dict)]
    names = [str(i.get("name", "")) for i in scope.inputs]
    if len(saved) > len(names):
        raise PromotedWidgetError(
            flat, container, f"it saves {len(saved)} inputs but its subgraph has {len(names)}")
    for k, slot in enumerate(saved):
        if str(slot.get("name", "")) != names[k]:
            raise PromotedWidgetError(
                flat, container, f"its saved input {k} is {slot.get('name')!r} where its subgraph has {names[k]!r} "
                                 f"(inputs saved {[i.get('name') for i in saved]}, subgraph {names})")


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
