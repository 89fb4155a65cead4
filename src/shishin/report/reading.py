"""The numbers a record's text holds, as the machine read them and as the staff corrected them.

A correction names a number by what the machine read — its label, its unit, and which of the record's
numbers of that label and unit it is — so it holds while the text is edited around it (「パトロール回数
472回」 corrected to 480回 keeps its corrected label) and lapses when that number is gone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from shishin.lib import quantities

# (label as read, unit, occurrence): the n-th number of that label and unit in a record, from 0.
Key = tuple[str, str, int]


@dataclass(frozen=True)
class Fix:
    """What the staff said of one number: its label, that it is not an indicator, or that it is the
    indicator another year calls ``same_as``."""

    label: str = ""
    hidden: bool = False
    same_as: str = ""

    @property
    def said(self) -> str:
        """The correction in words: 項目「青パト巡回回数」、他の年度の「パトロール回数」と同じ."""
        parts = [
            f"項目「{self.label}」" if self.label else "",
            "指標ではない" if self.hidden else "",
            f"他の年度の「{self.same_as}」と同じ" if self.same_as else "",
        ]
        return "、".join(part for part in parts if part)


@dataclass(frozen=True)
class IndicatorFix:
    """A `Fix` with the place of its number in a report: the year, the measure and the department."""

    year: int
    measure: str
    department: str
    read_label: str
    unit: str
    occurrence: int
    label: str = ""
    hidden: bool = False
    same_as: str = ""

    @property
    def fix(self) -> Fix:
        return Fix(self.label, self.hidden, self.same_as)


@dataclass(frozen=True)
class Read:
    """A number of a record as read, its key, and what the staff said of it (if anything)."""

    quantity: quantities.Quantity  # with the corrected label
    read_label: str
    occurrence: int
    fix: Fix | None

    @property
    def hidden(self) -> bool:
        return self.fix is not None and self.fix.hidden

    @property
    def label(self) -> str:
        return self.quantity.label

    @property
    def value(self) -> Decimal:
        return self.quantity.value

    @property
    def unit(self) -> str:
        return self.quantity.unit

    @property
    def approximate(self) -> bool:
        return self.quantity.approximate

    @property
    def series(self) -> str:
        """The label that pairs it with other years' numbers."""
        return (self.fix.same_as if self.fix else "") or self.quantity.label


def read_record(
    texts: Iterable[str], year: int, units: dict[str, str] | None, fixes: Mapping[Key, Fix]
) -> list[tuple[quantities.Extraction, list[Read]]]:
    """What each of a record's items says (`quantities.extract`, in order), with its numbers as the staff
    corrected them."""
    seen: Counter[tuple[str, str]] = Counter()
    found: list[tuple[quantities.Extraction, list[Read]]] = []
    for text in texts:
        extraction = quantities.extract(text, units, fiscal_year=year)
        item: list[Read] = []
        for quantity in extraction.quantities:
            occurrence = seen[(quantity.label, quantity.unit)]
            seen[(quantity.label, quantity.unit)] += 1
            fix = fixes.get((quantity.label, quantity.unit, occurrence))
            shown = replace(quantity, label=fix.label) if fix and fix.label else quantity
            item.append(Read(shown, quantity.label, occurrence, fix))
        found.append((extraction, item))
    return found


def fixes_of(fixes: Iterable[IndicatorFix], year: int, measure: str, department: str) -> dict[Key, Fix]:
    """The corrections of one record of a report."""
    return {
        (f.read_label, f.unit, f.occurrence): f.fix
        for f in fixes
        if (f.year, f.measure, f.department) == (year, measure, department)
    }
