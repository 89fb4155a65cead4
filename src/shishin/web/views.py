from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from shishin.lib import tables, wareki
from shishin.plans.models import Assignment, FiscalYear, Indicator, Item, Measure, Plan, Record
from shishin.review.checks import SEVERITY_LABELS, Finding, run_checks


def index(request: HttpRequest) -> HttpResponse:
    """List every plan with its measures."""
    plans = Plan.objects.select_related("municipality").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("pillar", "area").order_by("position"))
    )
    return render(request, "web/index.html", {"plans": plans})


@dataclass
class _Year:
    year: int
    label: str
    records: list[Record]
    departments: list[str]


def measure(request: HttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    """Show a measure: its description, every year's records and its indicators across the years."""
    found = get_object_or_404(Measure.objects.select_related("plan", "pillar", "area"), plan_id=plan_id, pk=measure_id)
    years = list(FiscalYear.objects.filter(plan_id=plan_id).order_by("year"))
    records = (
        Record.objects.filter(measure=found)
        .select_related("department", "fiscal_year")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .order_by("position")
    )
    by_year: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_year[record.fiscal_year.year].append(record)
    listed: dict[int, list[str]] = defaultdict(list)
    for assignment in Assignment.objects.filter(measure=found).select_related("department", "fiscal_year"):
        listed[assignment.fiscal_year.year].append(
            assignment.department.name + (f"（{assignment.sub_unit}）" if assignment.sub_unit else "")
        )
    shown = [_Year(y.year, y.label, by_year[y.year], listed[y.year]) for y in years if by_year[y.year]]
    context: dict[str, Any] = {
        "measure": found,
        "years": shown,
        "indicator_rows": _indicator_rows(found, [y.year for y in shown]),
    }
    return render(request, "web/measure.html", context)


def _indicator_rows(measure: Measure, years: list[int]) -> list[dict[str, Any]]:
    """One row per department, label and unit; one cell per fiscal year."""
    values: dict[tuple[str, str, str], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    indicators = Indicator.objects.filter(item__record__measure=measure).select_related(
        "item__record__department", "item__record__fiscal_year"
    )
    for indicator in indicators.order_by("item__record__position", "item__position", "position"):
        record = indicator.item.record
        key = (record.department.name if record.department else "", indicator.label, indicator.unit)
        about = "約" if indicator.approximate else ""
        values[key][record.fiscal_year.year].append(f"{about}{tables.number_text(indicator.value)}{indicator.unit}")
    return [
        {"department": key[0], "label": key[1], "values": ["、".join(cells[year]) for year in years]}
        for key, cells in values.items()
    ]


@staff_member_required
def checks(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """List the review findings of a fiscal year, each linked to its place."""
    plan = get_object_or_404(Plan, pk=plan_id)
    get_object_or_404(FiscalYear, plan=plan, year=year)
    findings = run_checks(plan, year)
    context = {
        "plan": plan,
        "label": wareki.fiscal_year_label(year),
        "counts": Counter(f.severity for f in findings),
        "findings": [_finding_row(plan, f) for f in findings],
    }
    return render(request, "web/checks.html", context)


def _finding_row(plan: Plan, finding: Finding) -> dict[str, Any]:
    url = ""
    if finding.place.measure_id is not None:
        url = reverse("web:measure", args=[plan.pk, finding.place.measure_id])
        if finding.place.item_id is not None:
            url += f"#item-{finding.place.item_id}"
    return {
        "severity": finding.severity,
        "severity_label": SEVERITY_LABELS[finding.severity],
        "year_label": wareki.fiscal_year_label(finding.place.fiscal_year),
        "place": finding.place,
        "message": finding.message,
        "code": finding.code,
        "url": url,
    }
