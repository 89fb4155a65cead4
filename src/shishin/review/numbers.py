"""Every number read from a year's records, each beside last year's number of the same indicator: what
the staff read through before the council (the staff page and the API of the year's numbers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shishin.plans.models import Indicator, Plan, Record

from .compare import pair_numbers
from .data import records_of


@dataclass(frozen=True)
class YearNumber:
    indicator: Indicator
    last_year: Indicator | None  # the number of last year it pairs with
    unpaired: bool  # an indicator last year's record has no number for (its label may differ)
    earlier: list[str]  # last year's labels of the same unit: what ``same_as`` may name

    @property
    def pairs_with(self) -> str:
        """The label of last year's number it pairs with, as the form offers it: renamed, it stays paired."""
        return self.indicator.same_as or (self.last_year.series if self.last_year else "")


@dataclass(frozen=True)
class RecordNumbers:
    record: Record
    numbers: list[YearNumber]


def _read(record: Record) -> list[Indicator]:
    return [number for item in record.items.all() for number in item.indicators.all()]


def year_numbers(plan: Plan, year: int) -> list[RecordNumbers]:
    """The numbers of ``year``'s records in the report's order, paired as the comparison pairs them. A
    number is unpaired when its record's department had numbers last year and none of them is its own."""
    records = records_of(plan, (year - 1, year))
    last_year: dict[tuple[int, str], list[Indicator]] = defaultdict(list)
    for record in records:
        if record.fiscal_year.year == year - 1:
            last_year[(record.measure_id, record.department_name)] += [n for n in _read(record) if not n.hidden]
    found = []
    for record in records:
        if record.fiscal_year.year != year:
            continue
        found.append(
            RecordNumbers(record, paired_with(last_year[(record.measure_id, record.department_name)], _read(record)))
        )
    return found


def paired_with(earlier: list[Indicator], numbers: list[Indicator]) -> list[YearNumber]:
    """A record's ``numbers``, each with the number of last year's record (``earlier``, shown ones) it pairs
    with as the comparison pairs them, and last year's labels its correction may name."""
    paired = {id(new): old for old, new in pair_numbers(earlier, [n for n in numbers if not n.hidden]) if new}
    rows = []
    for number in numbers:
        labels = list(dict.fromkeys(n.series for n in earlier if n.unit == number.unit))
        if number.same_as and number.same_as not in labels:
            labels.append(number.same_as)  # said before: offered again, so saving keeps it
        last = paired.get(id(number))
        rows.append(YearNumber(number, last, bool(earlier) and not number.hidden and last is None, labels))
    return rows
