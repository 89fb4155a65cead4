"""Write rows as CSV (UTF-8 with BOM, for Excel) or as aligned text for a terminal."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

Row = Mapping[str, object]


def cell(value: object) -> str:
    """Write one value as people read it: 9588 not 9588.0000, true as ○."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def json_number(value: Decimal) -> int | float:
    """Write a Decimal as a JSON number: whole values as integers (15, not 15.0)."""
    return int(value) if value == value.to_integral_value() else float(value)


def number_text(value: Decimal) -> str:
    """Write a number for people: 9588 → 9,588; 12.50 → 12.5."""
    return f"{value.normalize():,f}"


V = TypeVar("V")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: V) -> V | str:
    """A CSV field as a spreadsheet must not run it: text that would start a formula gets a ' in front
    (the usual defence against CSV injection; a program reading the CSV drops it)."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def to_csv(rows: Sequence[Row], columns: Mapping[str, str]) -> str:
    """CSV with a header of the column titles (``columns`` maps key → title), BOM first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns.values())
    for row in rows:
        writer.writerow(inert(cell(row[key])) for key in columns)
    return "\ufeff" + out.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_text(rows: Sequence[Row], columns: Mapping[str, str], max_width: int = 40) -> str:
    """Columns aligned for a terminal, long cells cut at ``max_width`` display columns."""

    def clip(text: str) -> str:
        if _width(text) <= max_width:
            return text
        while _width(text) > max_width - 1:
            text = text[:-1]
        return text + "…"

    table = [list(columns.values())] + [[clip(cell(row[key])) for key in columns] for row in rows]
    widths = [max(_width(line[i]) for line in table) for i in range(len(columns))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(line, widths, strict=True)).rstrip() for line in table]
    return "\n".join(lines) + "\n"
