"""What the items of an axis mean for the input they drive.

Given the items from value_syntax and the declaration of the target input, this
expands ranges (`1-9 (+2)`, `10-2 (-4)`, `0.5-2 (+0.25)`, `1-10 [4]`), COMBO
selections (`*`, globs such as `dpmpp_*`, exclusions such as `!ddim`) and seeds
(`random N`), converts literals to the input's type and checks them against its
declared options and limits. Problems are raised as ValueProblem; the planner adds
the axis and target names.
"""
from __future__ import annotations

import difflib
import math
import random
import re
from collections.abc import Set as AbstractSet
from fnmatch import fnmatchcase
from fractions import Fraction
from typing import Any

from ..comfyui.node_specs import InputSpec
from ..common.format import format_parameter
from .value_syntax import Item, Part

MAX_RANGE_VALUES = 10_000
MAX_RANDOM_SEEDS = 1_000
_NUM = r"[+-]?(?:\d+\.?\d*|\.\d+)"
_RANGE = re.compile(
    rf"^({_NUM})\s*-\s*({_NUM})\s*(?:\(\s*([+-]?\s*(?:\d+\.?\d*|\.\d+))\s*\)|\[\s*([+-]?\d+)\s*\])?$"
)
_RANDOM = re.compile(r"^random\s+(\S+)$", re.IGNORECASE)
# A number followed by what reads as a range separator: "1-", "1-5 (+", "1..5", "1 to 5", "1–5", "1:5"
_RANGE_ATTEMPT = re.compile(rf"^\s*{_NUM}\s*(?:-|–|—|\.\.|…|:|~|to\b)", re.IGNORECASE)
RANGE_SYNTAX = "1-5, 1-9 (+2), 10-2 (-4) or 1-10 [4] for 4 evenly spaced values"
_GLOB_CHARS = set("*?[")
_TRUE = {"true", "yes", "on", "1", "enable", "enabled"}
_FALSE = {"false", "no", "off", "0", "disable", "disabled"}
SEED_CEILING = 2**32 - 1  # random seeds stay exact in JSON and JavaScript


class ValueProblem(ValueError):
    """One value (or range) that does not fit the input it drives."""

    def __init__(self, value: str, expected: str, detail: str = ""):
        self.value = value
        self.expected = expected
        self.detail = detail
        super().__init__(f'"{value}": expected {expected}' + (f" ({detail})" if detail else ""))


def range_hint(text: str) -> str:
    """How ranges are written, when `text` looks like a range that did not parse ("" if not)."""
    if not _RANGE_ATTEMPT.match(text):
        return ""
    return f"this looks like a range; a range is written {RANGE_SYNTAX}"


def convert_literal(text: str, spec: InputSpec) -> Any:
    """Convert one literal to the type of `spec` and check its limits."""
    if spec.type == "INT":
        try:
            number = float(text)
        except ValueError:
            raise ValueProblem(text, spec.describe(), range_hint(text)) from None
        if not math.isfinite(number) or not number.is_integer():
            raise ValueProblem(text, spec.describe())
        value: Any = int(text) if re.fullmatch(r"[+-]?\d+", text.strip()) else int(number)
        _check_limits(text, value, spec)
        return value
    if spec.type == "FLOAT":
        try:
            value = float(text)
        except ValueError:
            raise ValueProblem(text, spec.describe(), range_hint(text)) from None
        if not math.isfinite(value):
            raise ValueProblem(text, spec.describe())
        _check_limits(text, value, spec)
        return value
    if spec.type == "BOOLEAN":
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueProblem(text, spec.describe())
    if spec.type == "COMBO":
        options = spec.options or ()
        for option in options:
            if str(option) == text:
                return option
        close = difflib.get_close_matches(text, [str(o) for o in options], n=3, cutoff=0.6)
        hint = ("did you mean " + " or ".join(f'"{c}"' for c in close) + "?") if close else ""
        raise ValueProblem(text, spec.describe(), hint)
    if spec.type == "STRING":
        return text
    raise ValueProblem(text, "a widget input (INT, FLOAT, STRING, BOOLEAN or a list of choices)",
                       f"this input takes a {spec.type} connection")


def convert_component(text: str, spec: InputSpec) -> Any:
    """One component of a paired value: a literal only (README: no ranges or `random` in a pair)."""
    try:
        return convert_literal(text, spec)
    except ValueProblem as e:
        if _RANGE.match(text.strip()) or _RANDOM.match(text.strip()):
            raise ValueProblem(text, e.expected, "paired values take one literal per component, no ranges "
                                                 "or random N: write each pair out") from None
        raise


def _check_limits(text: str, value: float, spec: InputSpec) -> None:
    if spec.min is not None and value < spec.min:
        raise ValueProblem(text, spec.describe(), "below the minimum")
    if spec.max is not None and value > spec.max:
        raise ValueProblem(text, spec.describe(), "above the maximum")


def _tidy_float(x: float) -> float:
    # 0.1 + 0.2 style noise would show up in labels and cache keys
    return float(f"{x:.10g}")


def _exact(number: str) -> Fraction:
    return Fraction(number.replace(" ", ""))


def expand_range(text: str, spec: InputSpec) -> list[Any] | None:
    """Expand a numeric range item, or return None if `text` is not a range.

    Arithmetic is exact (fractions), so 64-bit seeds and steps like 0.1 come out right.
    """
    m = _RANGE.match(text.strip())
    if not m:
        return None
    start_s, end_s, step_s, count_s = m.groups()
    is_int = spec.type == "INT"
    start, end = _exact(start_s), _exact(end_s)
    if is_int and (start.denominator != 1 or end.denominator != 1):
        raise ValueProblem(text, "a range of whole numbers for an INT input")
    if count_s is not None:
        count = int(count_s)
        if count < 1:
            raise ValueProblem(text, "a count of at least 1 in [N]")
        if count > MAX_RANGE_VALUES:
            raise ValueProblem(text, f"at most {MAX_RANGE_VALUES} values in one range")
        raw = [start] if count == 1 else [start + (end - start) * i / (count - 1) for i in range(count)]
    else:
        step = _exact(step_s) if step_s is not None else Fraction(1 if end >= start else -1)
        if step == 0:
            raise ValueProblem(text, "a step other than 0")
        if is_int and step.denominator != 1:
            raise ValueProblem(text, "a whole-number step for an INT input")
        if (end - start) * step < 0:
            raise ValueProblem(text, f"a step going from {start_s} towards {end_s}",
                               f"use ({'+' if end > start else '-'}{_num_text(abs(step))})")
        count = math.floor((end - start) / step) + 1
        if count > MAX_RANGE_VALUES:
            raise ValueProblem(text, f"at most {MAX_RANGE_VALUES} values in one range",
                               f"this range has {count}")
        raw = [start + i * step for i in range(count)]
    # whole numbers round half up (0.5 -> 1, 2.5 -> 3), not to even
    values: list[Any] = [math.floor(x + Fraction(1, 2)) if is_int else _tidy_float(float(x)) for x in raw]
    if len(set(values)) < len(values):
        raise ValueProblem(text, f"{len(values)} different values",
                           f"only {len(set(values))} distinct whole numbers lie in this range")
    for v in values:
        _check_limits(text, v, spec)
    return values


def _num_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


def _combo_choices(items: list[Item], spec: InputSpec) -> list[tuple[Any, int]]:
    """COMBO options chosen by literals, `*`, globs and `!exclusions`, in the order given, each
    with the index of the item that chose it (-1: chosen by exclusions alone).

    Patterns may overlap each other and the literals (`dpmpp_*, *_sde`): an option is kept
    where it is first chosen. A literal named twice is kept twice, so `refuse_repeats` names it.
    """
    options = list(spec.options or ())
    names = [str(o) for o in options]
    chosen: list[tuple[Any, int]] = []
    by_literal: set[str] = set()
    excluded: set[int] = set()
    saw_inclusion = False
    for k, item in enumerate(items):
        part = item.parts[0]
        text = part.text
        if not part.quoted and text.startswith("!"):
            pattern = text[1:].strip()
            hits = [i for i, name in enumerate(names) if fnmatchcase(name, pattern)]
            if not hits:
                raise ValueProblem(text, "an exclusion that matches one of the choices", spec.describe())
            excluded.update(hits)
            continue
        saw_inclusion = True
        if not part.quoted and _GLOB_CHARS & set(text) and text not in names:  # an exact name wins
            hits = [i for i, name in enumerate(names) if fnmatchcase(name, text)]
            if not hits:
                raise ValueProblem(text, "a pattern that matches at least one choice",
                                   spec.describe() + '; put a name containing * ? or [ in "quotes"')
            for i in hits:
                if all(options[i] != c for c, _ in chosen):
                    chosen.append((options[i], k))
            continue
        value = convert_literal(text, spec)
        if str(value) in by_literal or all(value != c for c, _ in chosen):
            chosen.append((value, k))
        by_literal.add(str(value))
    if not saw_inclusion:
        chosen = [(o, -1) for o in options]
    result = [(o, k) for o, k in chosen if names.index(str(o)) not in excluded]
    if not result:
        raise ValueProblem(", ".join(i.raw for i in items), "at least one choice left after the exclusions")
    return result


def expand_combo(items: list[Item], spec: InputSpec) -> list[Any]:
    """Select COMBO options: literals, `*`, globs and `!exclusions`, in the order given."""
    return [o for o, _ in _combo_choices(items, spec)]


def draw_seeds(text: str, spec: InputSpec, rng: random.Random | None = None,
               avoid: AbstractSet[Any] = frozenset()) -> list[int] | None:
    """`random N`: N distinct seeds drawn once within the input's limits (or None), none of them
    in `avoid` (the axis's other values, so a drawn seed never repeats one)."""
    m = _RANDOM.match(text.strip())
    return _draw(m, text, spec, rng, avoid) if m else None


def _draw(m: re.Match[str], text: str, spec: InputSpec, rng: random.Random | None,
          avoid: AbstractSet[Any]) -> list[int]:
    if spec.type != "INT":
        raise ValueProblem(text, "random N only on an INT input such as a seed", f"this input is {spec.type}")
    try:
        count = int(m.group(1))
    except ValueError:
        raise ValueProblem(text, f"random N with a whole number N from 1 to {MAX_RANDOM_SEEDS}") from None
    if not 1 <= count <= MAX_RANDOM_SEEDS:
        raise ValueProblem(text, f"random N with a whole number N from 1 to {MAX_RANDOM_SEEDS}")
    low = int(spec.min) if spec.min is not None else 0
    high = min(int(spec.max) if spec.max is not None else SEED_CEILING, max(low, SEED_CEILING))
    room = high - low + 1 - sum(1 for v in avoid if isinstance(v, int) and low <= v <= high)
    if room < count:
        raise ValueProblem(text, f"at most {room} distinct values for this input",
                           "besides the axis's other values" if avoid else "")
    rng = rng or random.SystemRandom()
    seeds: list[int] = []
    while len(seeds) < count:
        s = rng.randint(low, high)
        if s not in seeds and s not in avoid:
            seeds.append(s)
    return seeds


def expand_sourced(items: list[Item], spec: InputSpec,
                   rng: random.Random | None = None) -> tuple[list[Any], list[int]]:
    """The values of a one-component axis for one target input, and for each the index of
    the item it came from (for messages that point at what the user wrote)."""
    if spec.type == "COMBO":
        pairs = _combo_choices(items, spec)
        return [v for v, _ in pairs], [k for _, k in pairs]
    per_item: list[list[Any]] = []
    to_draw: list[tuple[int, re.Match[str]]] = []  # the `random N` items, drawn after the others
    for item in items:  # literals and ranges first: `random N` then draws around them
        part: Part = item.parts[0]
        expanded = None
        if not part.quoted and spec.type in ("INT", "FLOAT"):
            if m := _RANDOM.match(part.text.strip()):
                to_draw.append((len(per_item), m))
                per_item.append([])
                continue
            expanded = expand_range(part.text, spec)
        per_item.append(expanded if expanded is not None else [convert_literal(part.text, spec)])
    taken = {v for vs in per_item for v in vs}
    for k, m in to_draw:
        per_item[k] = _draw(m, items[k].parts[0].text, spec, rng, taken)
        taken.update(per_item[k])
    values = [v for vs in per_item for v in vs]
    sources = [k for k, vs in enumerate(per_item) for _ in vs]
    return values, sources


def expand_single(items: list[Item], spec: InputSpec, rng: random.Random | None = None) -> list[Any]:
    """Expand the items of a one-component axis for one target input."""
    return expand_sourced(items, spec, rng)[0]


def refuse_repeats(values: list[list[Any]], sources: list[int], items: list[Item]) -> None:
    """Each value once: a repeated value (paired values: the whole pair) only repeats the
    same cells, which ComfyUI's cache even answers with the same image. Labels do not
    change that, so repeats are refused whatever the labels say."""
    first_at: dict[Any, int] = {}
    for n, value in enumerate(values):
        key = tuple(_key(c) for c in value)
        if key not in first_at:
            first_at[key] = n
            continue
        shown = " | ".join(format_value(c) for c in value)
        a, b = sources[first_at[key]], sources[n]
        if a == b:
            where = f'value {a + 1} "{items[a].raw}" gives {shown} twice'
        elif items[a].raw == items[b].raw:
            where = f"values {a + 1} and {b + 1} are both {items[a].raw}"
        else:
            where = f'value {a + 1} "{items[a].raw}" and value {b + 1} "{items[b].raw}" both give {shown}'
        raise ValueProblem(shown, "each value once",
                           f"{where}; a repeated value only repeats the same cells: remove one")


def _key(component: Any) -> Any:
    """A component as a dictionary key: 8 and 8.0 are one value; lists and dicts by their text."""
    try:
        hash(component)
        return component
    except TypeError:
        return repr(component)


_MODEL_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".sft")


def format_value(value: Any) -> str:
    """Short display text of a value, for labels and the footer."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format_parameter(value)
    text = str(value)
    lower = text.lower()
    for suffix in _MODEL_SUFFIXES:
        if lower.endswith(suffix):
            return text[: -len(suffix)]
    return text
