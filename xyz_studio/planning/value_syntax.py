"""Tokenizer for the axis value syntax: items, quoting and paired components.

The text of an axis is a list of items separated by commas or new lines. An item is
one value, or several components joined by `|` (paired values: one axis sets several
inputs at once). Double quotes protect commas, bars and range-like text; `""` inside
quotes is a literal quote. What an item *means* (a range, a glob, `random N`) depends
on the input it drives and is decided in axis_values.py.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One component of an item; `quoted` parts are always taken literally."""

    text: str
    quoted: bool = False


@dataclass(frozen=True)
class Item:
    """One comma/line-separated entry of an axis, with its components."""

    parts: tuple[Part, ...]
    raw: str

    @property
    def is_paired(self) -> bool:
        return len(self.parts) > 1


class SyntaxProblem(ValueError):
    """The text cannot be split into items; `fragment` is the offending piece."""

    def __init__(self, fragment: str, expected: str):
        self.fragment = fragment
        self.expected = expected
        super().__init__(f'"{fragment}": expected {expected}')


def split_items(text: str) -> list[Item]:
    """Split axis text into items.

    Blank lines and a trailing comma are ignored; an empty item followed by a comma
    ("1,,2" or a leading comma) is an error because it is almost always a typo.
    """
    items: list[Item] = []
    parts: list[Part] = []
    buf: list[str] = []
    quoted = False
    in_quotes = False
    raw_start = 0
    n = len(text)

    def end_part() -> None:
        nonlocal buf, quoted
        value = "".join(buf)
        parts.append(Part(value if quoted else value.strip(), quoted))
        buf, quoted = [], False

    def end_item(end: int, separator: str) -> None:
        nonlocal parts, raw_start
        end_part()
        raw = text[raw_start:end].strip()
        blank = all(not p.quoted and p.text == "" for p in parts)
        if blank and separator == ",":
            raise SyntaxProblem(text[max(0, raw_start - 1):end + 1].strip() or ",",
                                "a value before every comma (found an empty item)")
        if not blank:
            if any(not p.quoted and p.text == "" for p in parts):
                raise SyntaxProblem(raw, "a value on both sides of every '|'")
            items.append(Item(tuple(parts), raw))
        parts, raw_start = [], end + 1

    i = 0
    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == '"' and i + 1 < n and text[i + 1] == '"':
                buf.append('"')
                i += 2
                continue
            if ch == '"':
                in_quotes = False
                j = i + 1
                while j < n and text[j] in " \t":
                    j += 1
                if j < n and text[j] not in ",|\n\r":
                    raise SyntaxProblem(text[raw_start:j + 1].strip(), "a comma or '|' after a closing quote")
                i = j
                continue
            else:
                buf.append(ch)
            i += 1
            continue
        if ch == '"':
            if "".join(buf).strip():
                raise SyntaxProblem(text[raw_start:i + 1].strip(), "quotes around a whole value")
            buf, quoted, in_quotes = [], True, True
        elif ch == "|":
            end_part()
        elif ch in ",\n\r":
            end_item(i, ch)
        else:
            buf.append(ch)
        i += 1
    if in_quotes:
        raise SyntaxProblem(text[raw_start:].strip(), "a closing double quote")
    end_item(n, "")
    return items
