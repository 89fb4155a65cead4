"""Public pages: published years only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from shishin.lib import tables
from shishin.plans import search
from shishin.plans.documents import document_for, export, issuer_of
from shishin.plans.models import Assignment, Department, FiscalYear, Indicator, Item, Measure, Plan, Record
from shishin.report import html
from shishin.report.formats import FORMATS

from . import charts
from .middleware import report_page_key


def index(request: HttpRequest) -> HttpResponse:
    """List every plan with its published reports, measures and departments."""
    plans = list(
        Plan.objects.select_related("municipality").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("pillar", "area").order_by("position")),
            Prefetch(
                "fiscal_years",
                queryset=FiscalYear.objects.filter(status=FiscalYear.Status.PUBLISHED, report__isnull=False).order_by(
                    "-year"
                ),
                to_attr="published_years",
            ),
        )
    )
    departments: dict[int, dict[int, str]] = defaultdict(dict)
    reported = Record.objects.filter(fiscal_year__status=FiscalYear.Status.PUBLISHED, department__isnull=False)
    for plan_id, department_id, name in reported.values_list(
        "measure__plan_id", "department_id", "department__name"
    ).distinct():
        departments[plan_id][department_id] = name
    entries = [
        {"plan": plan, "departments": sorted(departments[plan.pk].items(), key=lambda pair: pair[1])} for plan in plans
    ]
    return render(request, "web/index.html", {"entries": entries})


def _published(plan_id: int, year: int) -> tuple[Plan, FiscalYear]:
    """Find a published fiscal year with a report, or 404: drafts are not public."""
    fiscal_year = get_object_or_404(
        FiscalYear.objects.select_related("plan__municipality"),
        plan_id=plan_id,
        year=year,
        status=FiscalYear.Status.PUBLISHED,
        report__isnull=False,
    )
    return fiscal_year.plan, fiscal_year


def report(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The published report of a fiscal year, laid out like the published table.

    The page people read most: what visitors who are not signed in get is cached, and
    `CachedReportPageMiddleware` answers from it until publishing or reopening a year clears it
    (`shishin.plans.actions.clear_published_pages`).
    """
    response = _report(request, plan_id, year)
    if not request.user.is_authenticated:
        cache.set(report_page_key(plan_id, year), response.content)
    return response


def _report(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    plan, fiscal_year = _published(plan_id, year)
    document = document_for(plan, year)
    measures = dict(Measure.objects.filter(plan=plan).values_list("title", "pk"))
    table = html.render(
        document,
        issuer_of(plan),
        fragment=True,
        measure_link=lambda title: reverse("web:measure", args=[plan.pk, measures[title]]),
    )
    context = {
        "plan": plan,
        "year": year,
        "label": fiscal_year.label,
        "start": fiscal_year.start,
        "end": fiscal_year.end,
        "document": document,
        "table": mark_safe(table),  # html.render escapes every text it writes
        "formats": FORMATS.values(),
    }
    return render(request, "web/report.html", context)


def download(request: HttpRequest, plan_id: int, year: int, format: str) -> HttpResponse:
    """The published report as a file, in any of `FORMATS`."""
    if format not in FORMATS:
        raise Http404("unknown format")
    plan, _ = _published(plan_id, year)
    result = export(plan, year, format)
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@dataclass
class _Year:
    year: int
    label: str
    records: list[Record] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)


def _published_years(plan_id: int) -> dict[int, _Year]:
    years = FiscalYear.objects.filter(plan_id=plan_id, status=FiscalYear.Status.PUBLISHED).order_by("year")
    return {y.year: _Year(y.year, y.label) for y in years}


def measure(request: HttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    """A measure: its description, every published year's records, its indicators across the years."""
    found = get_object_or_404(Measure.objects.select_related("plan", "pillar", "area"), plan_id=plan_id, pk=measure_id)
    years = _published_years(plan_id)
    records = (
        Record.objects.filter(measure=found, fiscal_year__year__in=years)
        .select_related("department", "fiscal_year")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .order_by("position")
    )
    for record in records:
        years[record.fiscal_year.year].records.append(record)
    assignments = Assignment.objects.filter(measure=found, fiscal_year__year__in=years).select_related(
        "department", "fiscal_year"
    )
    for assignment in assignments.order_by("position"):
        sub_unit = f"（{assignment.sub_unit}）" if assignment.sub_unit else ""
        years[assignment.fiscal_year.year].departments.append(assignment.department.name + sub_unit)
    shown = [y for y in years.values() if y.records]
    rows, chart_list = _indicators(found, shown)
    context: dict[str, Any] = {"measure": found, "years": shown, "indicator_rows": rows, "charts": chart_list}
    return render(request, "web/measure.html", context)


def _indicators(measure: Measure, years: list[_Year]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Rows of the indicator table (department, label, a cell per year) and a chart per comparable row."""
    found: dict[tuple[str, str, str], dict[int, list[Indicator]]] = defaultdict(lambda: defaultdict(list))
    indicators = Indicator.objects.filter(
        item__record__measure=measure, item__record__fiscal_year__year__in=[y.year for y in years]
    ).select_related("item__record__department", "item__record__fiscal_year")
    for indicator in indicators.order_by("item__record__position", "item__position", "position"):
        record = indicator.item.record
        key = (record.department_name, indicator.label, indicator.unit)
        found[key][record.fiscal_year.year].append(indicator)
    rows: list[dict[str, Any]] = []
    drawn: list[dict[str, str]] = []
    for number, (key, by_year) in enumerate(found.items()):
        cells = [
            "、".join(f"{'約' if i.approximate else ''}{tables.number_text(i.value)}{i.unit}" for i in by_year[y.year])
            for y in years
        ]
        rows.append({"department": key[0], "label": key[1], "values": cells})
        points = [(y.label, by_year[y.year][0].value) for y in years if len(by_year[y.year]) == 1]
        if len(points) >= 2 and len(points) == len([y for y in years if by_year[y.year]]):
            svg = mark_safe(charts.bar_chart(f"chart-{number}", key[1], key[2], points))  # escapes its text
            drawn.append({"svg": svg, "caption": f"{key[1]}（{key[0]}）" if key[0] else key[1]})
    return rows, drawn


def department(request: HttpRequest, plan_id: int, department_id: int) -> HttpResponse:
    """A department: the measures it carries and what it reported in every published year."""
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=plan_id)
    found = get_object_or_404(Department, municipality=plan.municipality, pk=department_id)
    years = _published_years(plan_id)
    records = (
        Record.objects.filter(department=found, measure__plan=plan, fiscal_year__year__in=years)
        .select_related("measure", "fiscal_year")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .order_by("measure__position")
    )
    for record in records:
        years[record.fiscal_year.year].records.append(record)
    carried = Measure.objects.filter(
        plan=plan, assignments__department=found, assignments__fiscal_year__year__in=years
    ).distinct()
    context = {
        "plan": plan,
        "department": found,
        "carried": list(carried.order_by("position")),
        "years": [y for y in years.values() if y.records],
    }
    return render(request, "web/department.html", context)


def search_page(request: HttpRequest) -> HttpResponse:
    """Search published reports; results grouped by measure and year with the match highlighted."""
    query = request.GET.get("q", "").strip()
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
        department = int(request.GET["department"]) if request.GET.get("department") else None
    except ValueError:
        return HttpResponse(
            "年度と担当課は番号で指定してください", status=400, content_type="text/plain; charset=utf-8"
        )
    groups, measures = search.search(query, year=year, department_id=department) if query else ([], [])
    published = FiscalYear.objects.filter(status=FiscalYear.Status.PUBLISHED)
    context = {
        "query": query,
        "year": year,
        "department": department,
        "groups": groups,
        "measures": measures,
        "years": sorted({y.year for y in published}, reverse=True),
        "departments": Department.objects.filter(records__fiscal_year__in=published).distinct().order_by("name"),
    }
    return render(request, "web/search.html", context)
