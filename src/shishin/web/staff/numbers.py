"""Every number read from a year's records on one page, beside last year's number it pairs with: where
the clerk reads the machine's labels through before the council, and corrects them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shishin.lib import quantities, tables
from shishin.plans.models import Indicator
from shishin.plans.permissions import Right, access
from shishin.review import numbers

from . import fiscal_year_or_404, staff_view


def _shown(indicator: Indicator) -> str:
    text = ("約" if indicator.approximate else "") + tables.number_text(indicator.value)
    if indicator.value_max is not None:
        text += "～" + tables.number_text(indicator.value_max)
    # 延べ, 週 (a week's), 以上: what the number is; how approximate it is, 約 says before it.
    qualifier = " ".join(q for q in indicator.qualifier.split() if q not in quantities.APPROXIMATE)
    return text + indicator.unit + (f"（{qualifier}）" if qualifier else "")


def _context(indicator: Indicator) -> tuple[str, str, str]:
    """The words before the number, the number as written, and the words after it, in its item's text."""
    text = indicator.item.text
    before, after = text[max(0, indicator.start - 40) : indicator.start], text[indicator.end : indicator.end + 15]
    return (
        ("…" if indicator.start > 40 else "") + before,
        text[indicator.start : indicator.end],
        after + ("…" if indicator.end + 15 < len(text) else ""),
    )


@staff_view(Right.READ_DRAFTS)
def year_numbers(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The year's numbers, record by record in the report's order, each with last year's number of the
    same indicator (or none: its label may differ from last year's). ``?unpaired=1`` shows only those."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    person = access(request)
    unpaired_only = request.GET.get("unpaired") == "1"
    counts: Counter[str] = Counter()
    groups: list[dict[str, Any]] = []
    for found in numbers.year_numbers(fiscal_year.plan, year):
        rows = []
        for number in found.numbers:
            indicator = number.indicator
            counts.update(
                {
                    "all": 1,
                    "corrected": indicator.label != indicator.read_label or bool(indicator.same_as),
                    "hidden": indicator.hidden,
                    "unpaired": number.unpaired,
                }
            )
            if unpaired_only and not number.unpaired:
                continue
            rows.append(
                {
                    "indicator": indicator,
                    "context": _context(indicator),
                    "text": _shown(indicator),
                    "before": _shown(number.last_year) if number.last_year else "",
                    "earlier": number.earlier,
                    "pairs_with": number.pairs_with,
                    "unpaired": number.unpaired,
                }
            )
        if rows:
            groups.append({"record": found.record, "rows": rows, "can_edit": person.can_edit_record(found.record)})
    context = {
        "fiscal_year": fiscal_year,
        "groups": groups,
        "counts": counts,
        "unpaired_only": unpaired_only,
        "can_correct": any(group["can_edit"] for group in groups),
    }
    return render(request, "staff/year_numbers.html", context)
