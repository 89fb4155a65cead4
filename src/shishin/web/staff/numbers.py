"""Every number read from a year's records on one page, beside last year's number it pairs with: where
the clerk reads the machine's labels through before the council, and corrects them."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shishin.lib import tables
from shishin.plans.models import Indicator, Record
from shishin.plans.permissions import Right, access
from shishin.review.compare import pair_numbers
from shishin.review.data import records_of

from . import fiscal_year_or_404, staff_view


def _shown(indicator: Indicator) -> str:
    text = ("約" if indicator.approximate else "") + tables.number_text(indicator.value)
    if indicator.value_max is not None:
        text += "～" + tables.number_text(indicator.value_max)
    return text + indicator.unit


def _context(indicator: Indicator) -> tuple[str, str, str]:
    """The words before the number, the number as written, and the words after it, in its item's text."""
    text = indicator.item.text
    before, after = text[max(0, indicator.start - 40) : indicator.start], text[indicator.end : indicator.end + 15]
    return (
        ("…" if indicator.start > 40 else "") + before,
        text[indicator.start : indicator.end],
        after + ("…" if indicator.end + 15 < len(text) else ""),
    )


def _numbers(record: Record) -> list[Indicator]:
    return [number for item in record.items.all() for number in item.indicators.all()]


@staff_view(Right.READ_DRAFTS)
def year_numbers(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The year's numbers, record by record in the report's order, each with last year's number of the
    same indicator (or none: its label may differ from last year's). ``?unpaired=1`` shows only those."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    person = access(request)
    unpaired_only = request.GET.get("unpaired") == "1"
    last_year: dict[tuple[int, str], list[Indicator]] = defaultdict(list)
    records = records_of(fiscal_year.plan, (year - 1, year))
    for record in records:
        if record.fiscal_year.year == year - 1:
            numbers = [n for n in _numbers(record) if not n.hidden]
            last_year[(record.measure_id, record.department_name)] += numbers
    counts: Counter[str] = Counter()
    groups: list[dict[str, Any]] = []
    for record in records:
        if record.fiscal_year.year != year:
            continue
        numbers = _numbers(record)
        earlier = last_year[(record.measure_id, record.department_name)]
        before = {id(new): old for old, new in pair_numbers(earlier, [n for n in numbers if not n.hidden]) if new}
        rows = []
        for number in numbers:
            paired = before.get(id(number))
            unpaired = not number.hidden and paired is None
            counts.update(
                {
                    "all": 1,
                    "corrected": number.label != number.read_label,
                    "hidden": number.hidden,
                    "unpaired": unpaired,
                }
            )
            if unpaired_only and not unpaired:
                continue
            labels = list(dict.fromkeys(n.series for n in earlier if n.unit == number.unit))
            if number.same_as and number.same_as not in labels:
                labels.append(number.same_as)  # said before: offered again, so saving keeps it
            rows.append(
                {
                    "indicator": number,
                    "context": _context(number),
                    "text": _shown(number),
                    "before": _shown(paired) if paired else "",
                    "earlier": labels,
                    "unpaired": unpaired and bool(earlier),
                }
            )
        if rows:
            groups.append({"record": record, "rows": rows, "can_edit": person.can_edit_record(record)})
    context = {
        "fiscal_year": fiscal_year,
        "last_year": year - 1,
        "groups": groups,
        "counts": counts,
        "unpaired_only": unpaired_only,
    }
    return render(request, "staff/year_numbers.html", context)
