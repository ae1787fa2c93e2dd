"""How a metric value, a duration, a size, a cell and an axis value's label read for a person, in one place.

The grid captions, the axis labels, the W&B captions and the runner's output use these; the browser's
js/src/format.ts (the editor's panel and sidebar, the standalone viewer) follows the same
rule, and tests/unit/common/format_cases.json pins both with one table of cases.

Rounding is done on the float's exact value, ties away from zero, as JavaScript's
toPrecision/toFixed do (Python's own round() and format() round ties to even: 12344.5
would read 12344 here and 12345 in the browser).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

MISSING = "–"          # a metric with no value (missing, NaN, infinite)
UNKNOWN_TIME = "?"     # a duration that cannot be one (negative, NaN)
SIGNIFICANT = 4        # digits a metric keeps: enough to tell cells apart, short enough for a tile
EXPONENT_BELOW = -4    # 0.0001 reads as such, 0.00009999 as 9.999e-5
WHOLE_FROM = 3         # from 1000, a metric keeps its whole integer part (12345, never 12350: zeros read as exact)
EXPONENT_FROM = 6      # 1e6 and over read as 1.235e+6
SIZE_UNITS = ("KB", "MB", "GB", "TB")  # 1 KB = 1000 B, as file managers show

_SIGNIFICANT = Context(prec=SIGNIFICANT, rounding=ROUND_HALF_UP)
_EXACT = Context(prec=400, rounding=ROUND_HALF_UP)  # room for any float's integer part (at most 309 digits)


def _half_up(value: float, places: int) -> Decimal:
    """`value` (not negative) rounded to `places` decimals, from its exact value, ties up."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), context=_EXACT)


def _plain(digits: str, exponent: int) -> str:
    """Digits d0 d1 d2 ... meaning d0.d1d2... x 10**exponent, written without an exponent."""
    digits = digits.rstrip("0") or "0"
    if exponent < 0:
        return "0." + "0" * (-exponent - 1) + digits
    whole, fraction = digits[:exponent + 1].ljust(exponent + 1, "0"), digits[exponent + 1:]
    return f"{whole}.{fraction}" if fraction else whole


def format_metric(value: float | None) -> str:
    """A metric value: 4 significant digits ("0.1235", "31.25"), a whole number from 1000 ("12345"),
    an exponent below 0.0001 and from a million ("1.234e-5", "1.235e+7"), "–" when missing."""
    if value is None or not math.isfinite(value):
        return MISSING
    if value == 0:
        return "0"
    sign, size = ("-" if value < 0 else ""), abs(value)
    rounded = _SIGNIFICANT.plus(Decimal(size))
    exponent = rounded.adjusted()
    digits = "".join(map(str, rounded.as_tuple().digits))
    if EXPONENT_BELOW <= exponent < WHOLE_FROM:
        return sign + _plain(digits, exponent)
    if exponent >= WHOLE_FROM and size < 10 ** EXPONENT_FROM:
        whole = _half_up(size, 0)
        if whole.adjusted() < EXPONENT_FROM:
            return sign + str(int(whole))
    mantissa = digits.rstrip("0") or "0"
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def format_parameter(value: float) -> str:
    """A float parameter as an axis label shows it: up to 6 significant digits (a label must tell close
    values apart; a metric needs fewer), a whole number as such below 1e15, the exponent spelt as a
    metric's ("1.2345e-5", not Python's "1.2345e-05")."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{value:.6g}")


def format_seconds(seconds: float | None) -> str:
    """A duration: "3.2 s" under 10 s, "42 s" under a minute, then "1:15" and "1:02:05"; "?" when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return UNKNOWN_TIME
    seconds = abs(seconds)  # -0.0 reads "0.0 s", as in the browser
    tenths = _half_up(seconds, 1)
    if tenths < 10:
        return f"{tenths} s"
    whole = int(_half_up(seconds, 0))
    if whole < 60:
        return f"{whole} s"
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_bytes(size: float) -> str:
    """A size: "812 B", "12.4 MB", "310 MB", "1.2 GB" (999.7 KB reads "1.0 MB", not "1000 KB")."""
    if not math.isfinite(size) or size < 1000:
        return f"{int(_half_up(size, 0)) if math.isfinite(size) and size > 0 else 0} B"
    value, unit = size, -1
    while (unit < 0 or value >= 999.5) and unit < len(SIZE_UNITS) - 1:
        value /= 1000
        unit += 1
    shown = str(int(_half_up(value, 0))) if value >= 99.95 else str(_half_up(value, 1))
    return f"{shown} {SIZE_UNITS[unit]}"


@dataclass(frozen=True)
class CellFacts:
    """What a cell's description says, in the order it says it."""

    axes: tuple[tuple[str, str], ...]                  # (axis title, the cell's label on it)
    status: str
    seconds: float | None = None                        # None: the status is shown instead
    metrics: tuple[tuple[str, float | None], ...] = ()  # (name, value), in the order to show
    server: str | None = None                           # the server that ran it, when there are several
    error: str | None = None


def describe_cell(facts: CellFacts) -> list[str]:
    """A cell as lines of text: "title: label" per axis, its time (or status), its metrics,
    the server that ran it and its error (the browser's hover says the same)."""
    lines = [f"{title}: {label}" for title, label in facts.axes]
    lines.append(f"time: {format_seconds(facts.seconds)}" if facts.seconds is not None else f"status: {facts.status}")
    lines += [f"{name}: {format_metric(value)}" for name, value in facts.metrics]
    if facts.server:
        lines.append(f"server: {facts.server}")
    if facts.error:
        lines.append(f"error: {facts.error}")
    return lines
