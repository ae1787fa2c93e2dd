"""Cost-aware cell order: the axis that invalidates the most expensive work varies slowest.

ComfyUI caches each node's output between consecutive prompts while its inputs stay
the same. Changing a checkpoint name re-runs the loader and everything after it;
changing cfg re-runs only the sampler and what follows. So the cost of an axis is the
weighted count of nodes its change forces to run again, and cells are queued with
the costliest axis in the outermost loop: each checkpoint then loads once.
Weights come from each node's declared category and outputs, so this works for any
node type, including ones that do not exist yet.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from ..comfyui.node_specs import NodeSpec
from ..comfyui.prompt_graph import Prompt, descendants
from ..protocol import TextEnum


class CellOrder(TextEnum):
    """How the Grid Driver orders cells (its `order` input)."""

    COST_AWARE = "cost-aware"  # the axis that changes the costliest nodes varies slowest
    GRID = "grid order"        # Z, then Y, then X (X fastest)


if TYPE_CHECKING:  # plan.py imports this module
    from .plan import AxisPlan


WEIGHT_LOADER = 1000.0     # reads a model from disk
WEIGHT_MODEL_PATCH = 100.0  # rebuilds or patches a model (LoRA, model sampling, ...)
WEIGHT_SAMPLER = 10.0
WEIGHT_OTHER = 1.0
MODEL_TYPES = frozenset({"MODEL", "CLIP", "VAE", "CONTROL_NET", "CLIP_VISION", "STYLE_MODEL",
                         "UPSCALE_MODEL", "GLIGEN", "MODEL_PATCH", "AUDIO_ENCODER"})


def node_weight(spec: NodeSpec | None) -> float:
    """How expensive it is to run a node again, judged from its declaration."""
    if spec is None:
        return WEIGHT_OTHER
    category = spec.category.lower()
    name = spec.class_type.lower()
    if "loader" in category or name.endswith(("loader", "loadersimple")):
        return WEIGHT_LOADER
    if any(t in MODEL_TYPES for t in spec.outputs):
        return WEIGHT_MODEL_PATCH
    if category.startswith("sampling"):
        return WEIGHT_SAMPLER
    return WEIGHT_OTHER


def axis_costs(prompt: Prompt, axes: Iterable[AxisPlan], specs: dict[str, NodeSpec],
               within: set[str]) -> dict[str, float]:
    """Weighted number of nodes (within a cell's graph) that re-run when an axis changes."""
    costs: dict[str, float] = {}
    for axis in axes:
        touched = {target.node_id for target in axis.all_targets()}
        affected = (touched | descendants(prompt, touched)) & within
        costs[axis.slot] = sum(node_weight(specs.get(prompt[n].get("class_type", ""))) for n in affected)
    return costs


def loop_order(slots: list[str], costs: dict[str, float], strategy: CellOrder) -> list[str]:
    """Axis slots (given in grid order, X first) from the outermost loop to the innermost; ties
    and grid order put the last dimension outermost (Z, Y, X)."""
    natural = {slot: -k for k, slot in enumerate(slots)}
    if strategy == CellOrder.COST_AWARE:
        return sorted(slots, key=lambda s: (-costs[s], natural[s]))
    return sorted(slots, key=natural.__getitem__)


def run_sequence(shape: Sequence[int], slots: Sequence[str], loops: list[str],
                 index: Callable[[Sequence[int]], int]) -> list[int]:
    """Cell indices with the axes in `loops` from outermost to innermost loop; the dimensions
    (`slots`, X first, sized by `shape`) not in `loops` are outside them, the last outermost."""
    sizes = dict(zip(slots, shape))
    loops = list(loops) + [s for s in reversed(slots) if s not in loops]
    out = []
    for combo in itertools.product(*(range(sizes[s]) for s in loops)):
        at = dict(zip(loops, combo))
        out.append(index([at[s] for s in slots]))
    return out
