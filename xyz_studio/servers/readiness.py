"""Can a worker run an experiment? Asked once, before the first cell.

A worker can run the cells when it answers, has every node class their prompts use,
and offers every value they pick from a list (checkpoint, LoRA, VAE, sampler ...),
read from its own GET /object_info/{class}. A worker that cannot is left out with a
message that names it and what it lacks; the others run the experiment.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..comfyui.client import ComfyClient, ComfyError
from ..comfyui.node_specs import parse_node_spec
from ..comfyui.prompt_graph import Prompt, is_link, widget_value

SHOWN_LACKS = 6       # the message lists this many things a worker lacks, then counts the rest

Needs = dict[str, set[tuple[str, str]]]  # node class -> {(input, value)} of the literal text values it is given


def needs_of(prompts: list[Prompt]) -> Needs:
    """What the prompts use: each node class, and the text values of its inputs."""
    needs: Needs = {}
    for prompt in prompts:
        for node in prompt.values():
            values = needs.setdefault(str(node.get("class_type")), set())
            for name, value in (node.get("inputs") or {}).items():
                value = widget_value(value)  # a multi-select's choices come boxed: each one is needed
                for text in value if isinstance(value, list) and not is_link(value) else [value]:
                    if isinstance(text, str):  # links are lists
                        values.add((name, text))
    return needs


@dataclass(frozen=True)
class Readiness:
    """The answer of one worker to the check."""

    url: str
    lacks: tuple[str, ...] = ()
    unreachable: str | None = None  # why it could not be asked

    @property
    def ready(self) -> bool:
        return not self.lacks and self.unreachable is None

    def describe(self) -> str:
        if self.unreachable:
            return f"server {self.url} is left out: it does not answer ({self.unreachable})"
        shown = "; ".join(self.lacks[:SHOWN_LACKS])
        more = len(self.lacks) - SHOWN_LACKS
        return f"server {self.url} is left out: it lacks {shown}" + (f"; and {more} more" if more > 0 else "")


def check(client: ComfyClient, needs: Needs) -> Readiness:
    """Ask one server whether it has what `needs` lists.

    Each request waits as long as the lane's client does: WORKER_TIMEOUT (lane.py, 10 s) for
    another server, DEFAULT_TIMEOUT (comfyui/client.py, 60 s) for this one (the host's client)."""
    lacks: list[str] = []
    for class_type in sorted(needs):
        try:
            info = (client.object_info(class_type) or {}).get(class_type)
        except (ComfyError, OSError) as e:
            return Readiness(client.base_url, unreachable=_reason(e))
        if not isinstance(info, dict):
            lacks.append(f"the node {class_type!r} (install the node pack that has it)")
            continue
        spec = parse_node_spec(class_type, info)
        for name, value in sorted(needs[class_type]):
            given = spec.inputs.get(name)
            if given is None or given.type != "COMBO" or given.options is None:
                continue  # free text: any value works
            if value not in given.options:  # an empty list too: e.g. no LoRA installed at all
                lacks.append(f"{name} {value!r} of {class_type} (it has {len(given.options)} others)")
    return Readiness(client.base_url, lacks=tuple(lacks))


def check_all(clients: list[ComfyClient], needs_for: list[Needs]) -> list[Readiness]:
    """Check every server at once (a server that does not answer costs its timeout once, not per server)."""
    if not clients:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(clients)), thread_name_prefix="xyz_studio check") as pool:
        return list(pool.map(check, clients, needs_for))


def _reason(error: Exception) -> str:
    if isinstance(error, ComfyError):
        return f"it answered {error.status}"
    return str(getattr(error, "reason", None) or error.strerror or error) if isinstance(error, OSError) else str(error)
