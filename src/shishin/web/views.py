"""Public pages: published editions, and the published years' records."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from shishin.lib import tables, wareki
from shishin.plans import editions, search, wording
from shishin.plans.actions import do_write_edition_file
from shishin.plans.models import (
    NO_ACTIVITY,
    Assignment,
    Department,
    Edition,
    FiscalYear,
    Indicator,
    Item,
    Measure,
    Plan,
    Record,
    organisation_key,
)
from shishin.report import evaluation as evaluation_formats
from shishin.report import html, reading
from shishin.report.formats import FORMATS
from shishin.report.records import Document, Issuer
from shishin.review import compare

from . import charts
from .converters import IdConverter
from .middleware import CURRENT_EDITION_SECONDS, report_page_key

logger = logging.getLogger(__name__)


def index(request: HttpRequest) -> HttpResponse:
    """List every plan with its published reports, measures and departments."""
    plans: list[Any] = list(  # each with its prefetched public_measures and published_years
        Plan.objects.public()
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.public().select_related("pillar", "area").order_by("position"),
                to_attr="public_measures",
            ),
            Prefetch(
                "fiscal_years",
                queryset=FiscalYear.objects.filter(editions__isnull=False).distinct().order_by("-year"),
                to_attr="published_years",
            ),
        )
    )
    wording.as_published(m for plan in plans for m in plan.public_measures)
    departments: dict[int, dict[int, tuple[int | None, str, str]]] = defaultdict(dict)
    reported = Record.objects.filter(fiscal_year__status=FiscalYear.Status.PUBLISHED, department__isnull=False)
    for plan_id, department_id, *order in reported.values_list(
        "measure__plan_id", "department_id", "department__position", "department__reading", "department__name"
    ).distinct():
        departments[plan_id][department_id] = tuple(order)  # type: ignore[assignment]
    entries = [
        {
            "plan": plan,
            "departments": [
                (pk, order[2])
                for pk, order in sorted(departments[plan.pk].items(), key=lambda p: organisation_key(*p[1]))
            ],
        }
        for plan in plans
    ]
    return render(request, "web/index.html", {"entries": entries})


def _edition(plan_id: int, year: int, number: int | None = None) -> Edition:
    """The current edition of a fiscal year (or edition ``number``), or 404: what is not published is not public."""
    edition = editions.current(plan_id, year, number)
    if edition is None:
        raise Http404("この年度の報告書は公表されていません")
    return edition


def report(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The current edition of a fiscal year's report, laid out like the published table.

    The page people read most: what visitors without a session or a pending message get is cached
    under its edition's number, and `CachedReportPageMiddleware` answers from it. An edition never
    changes, so a cached page never goes stale; publishing a new edition points the cache at it
    (`shishin.plans.editions.announce`).
    """
    edition = _edition(plan_id, year)
    response = _report(request, edition, current=True)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and CookieStorage.cookie_name not in request.COOKIES:
        cache.add(editions.current_key(plan_id, year), edition.number, timeout=CURRENT_EDITION_SECONDS)
        cache.set(report_page_key(plan_id, year, edition.number), response.content)
    return response


def edition(request: HttpRequest, plan_id: int, year: int, number: int) -> HttpResponse:
    """An edition of a fiscal year's report, current or not, at its own address for good."""
    return _report(request, _edition(plan_id, year, number), current=False)


def _measure_ids(edition: Edition, document: Document) -> dict[str, int]:
    """The ids of an edition's measures by their titles in it, as they were when it was made: a measure
    renamed since keeps its link."""
    return {m.title: pk for m, pk in zip(document.all_measures(), edition.measures, strict=True)}


def _report(request: HttpRequest, edition: Edition, *, current: bool) -> HttpResponse:
    fiscal_year = edition.fiscal_year
    document = editions.document(edition)
    measures = _measure_ids(edition, document)
    every = list(fiscal_year.editions.order_by("-number"))
    address = [fiscal_year.plan_id, fiscal_year.year] + ([] if current else [edition.number])
    name = "web:download" if current else "web:edition-download"
    issuer = editions.issuer(edition)
    comparison = compare.compare_report(document, issuer, edition.units)
    context = report_context(fiscal_year, document, issuer, measures) | {
        "changes": changes_table(comparison, measures),
        "changes_page": reverse("web:changes", args=[fiscal_year.plan_id, fiscal_year.year]),
        "edition": edition,
        "corrections": mark_safe(html.corrections_table(issuer.corrections)),  # escapes every text it writes
        "newest": every[0],
        "editions": every,
        "downloads": [(f.label, reverse(name, args=[*address, f.name])) for f in FORMATS.values()],
        "evaluation": (
            reverse("web:evaluation" if current else "web:edition-evaluation", args=address)
            if any(f.format == editions.EVALUATION for f in edition.files.all())
            else None
        ),
    }
    return render(request, "web/report.html", context)


def changes_table(comparison: compare.Comparison, measures: dict[str, int]) -> list[dict[str, Any]]:
    """The numbers a report gives for both its years, with how they changed, in report order."""
    return [
        {
            "measure": group.measure,
            "measure_id": measures[group.measure],
            "department": group.department,
            "change": change,
            "before": f"{tables.number_text(change.before)}{change.unit}" if change.before is not None else "",
            "after": f"{tables.number_text(change.after)}{change.unit}" if change.after is not None else "",
        }
        for group in comparison.groups
        for change in group.indicators
        if change.change is not None
    ]


def evaluation(request: HttpRequest, plan_id: int, year: int, number: int | None = None) -> HttpResponse:
    """The evaluation table the year's current edition (or edition ``number``) froze when it was published."""
    edition = _edition(plan_id, year, number)
    frozen = editions.evaluation_of(edition)
    if frozen is None:
        raise Http404("この公表版には評価がありません")
    address = [plan_id, year] + ([] if number is None else [number])
    name = "web:evaluation-download" if number is None else "web:edition-evaluation-download"
    context = evaluation_context(edition.fiscal_year, frozen, lambda format: reverse(name, args=[*address, format]))
    return render(request, "web/evaluation.html", context | {"edition": edition})


def evaluation_context(
    fiscal_year: FiscalYear, document: dict[str, Any], address: Callable[[str], str]
) -> dict[str, Any]:
    """What the evaluation page shows of an evaluation: an edition's, or a year's before it is published;
    ``address`` gives a format's download address."""
    return {
        "plan": fiscal_year.plan,
        "year": fiscal_year.year,
        "label": fiscal_year.label,
        "document": document,
        "title": evaluation_formats.title(document),
        "scale": evaluation_formats.scale_text(document),
        "table": mark_safe(evaluation_formats.table_html(document)),  # escapes every text it writes
        "outcomes": [
            (o, [(y["calendar_year"], evaluation_formats.number(y["value"], o["unit"])) for y in o["years"]])
            for o in document["outcomes"]
        ],
        "downloads": [(f"評価表 {f.label}", address(f.name)) for f in evaluation_formats.FORMATS.values()],
    }


def changes(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """What changed since the previous year, in sentences for the council paper, largest first, each
    linked to its measure: from the year's current edition, as its page and files say it."""
    edition = _edition(plan_id, year)
    document = editions.document(edition)
    measures = _measure_ids(edition, document)
    comparison = compare.compare_report(document, editions.issuer(edition), edition.units)
    context = {
        "plan": edition.fiscal_year.plan,
        "year": year,
        "label": edition.fiscal_year.label,
        "before": wareki.fiscal_year_name(comparison.before),
        "edition": edition,
        "sentences": [
            {"text": sentence, "measure_id": measures[group.measure], "measure": group.measure}
            for group, _, sentence in compare.said(comparison)
        ],
        "tally": compare.tally(comparison),
    }
    return render(request, "web/changes.html", context)


def report_context(
    fiscal_year: FiscalYear, document: Document, issuer: Issuer, measures: dict[str, int]
) -> dict[str, Any]:
    """What the report page shows of a report: an edition's, or a year's before it is published."""
    plan = fiscal_year.plan
    table = html.render(
        document,
        issuer,
        fragment=True,
        measure_link=lambda title: reverse("web:measure", args=[plan.pk, measures[title]]),
    )
    return {
        "plan": plan,
        "issuer": issuer,
        "year": fiscal_year.year,
        "label": fiscal_year.label,
        "start": fiscal_year.start,
        "end": fiscal_year.end,
        "document": document,
        "table": mark_safe(table),  # html.render escapes every text it writes
    }


def download(request: HttpRequest, plan_id: int, year: int, format: str, number: int | None = None) -> HttpResponse:
    """A file of the current edition (or of edition ``number``), in any of `FORMATS`: the bytes stored
    when it was published, refused if they are no longer those."""
    if format not in FORMATS:
        raise Http404("unknown format")
    found = _edition(plan_id, year, number)
    return _served(found, format, FORMATS[format].label, FORMATS[format].content_type, number)


def evaluation_download(
    request: HttpRequest, plan_id: int, year: int, format: str, number: int | None = None
) -> HttpResponse:
    """The evaluation an edition froze, in any of `shishin.report.evaluation.FORMATS`."""
    written = evaluation_formats.FORMATS.get(format)
    found = _edition(plan_id, year, number)
    if written is None or not found.files.filter(format=editions.EVALUATION).exists():
        raise Http404("この公表版には評価がありません")
    return _served(found, editions.EVALUATION_PREFIX + format, f"評価 {written.label}", written.media_type, number)


def _served(found: Edition, format: str, label: str, content_type: str, number: int | None) -> HttpResponse:
    file = found.files.filter(format=format).first() or do_write_edition_file(found, format)
    try:
        content = editions.content(file)
    except editions.DamagedEdition as error:
        logger.error("%s", error)
        return HttpResponse(
            f"この公表版のファイルは公表時から変わっているため、提供できません（{found}・{label}）。"
            "管理者に連絡してください。",
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=content_type)
    name = editions.file_name(found, editions.extension(format))
    if number is None:
        name = name.replace(f"-{found.number}.", ".")  # the current edition keeps the year's own name
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    response["ETag"] = f'"{file.sha256}"'
    return response


@dataclass
class _Entry:
    """A department's record of a measure as the public reads it: from the database in a published year,
    from the current edition in a year reopened for correction (its draft is not public, its edition is)."""

    department: str
    department_id: int | None
    measure_id: int
    measure_title: str  # as worded that year
    items: list[tuple[str, str]]  # its anchor on the page (none for an edition's) and its text
    numbers: Sequence[compare.Number]  # as the staff corrected them, without the hidden


@dataclass
class _Year:
    year: int
    label: str
    reopened: bool = False
    records: list[_Entry] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    title: str = ""  # the measure's title that year, on a measure's page


def _published_years(plan_id: int) -> dict[int, _Year]:
    """The years the public reads: published, or reopened for correction with their edition still current."""
    published = Q(status=FiscalYear.Status.PUBLISHED) | Q(editions__isnull=False)
    years = FiscalYear.objects.filter(published, plan_id=plan_id).distinct().order_by("year")
    return {y.year: _Year(y.year, y.label, reopened=not y.published) for y in years}


def _from_database(record: Record, *, numbers: bool = True) -> _Entry:
    """A published year's record as stored (with its shown numbers, prefetched, when ``numbers``)."""
    items = [(f"item-{item.pk}", item.text) for item in record.items.all()]
    return _Entry(
        record.department_name,
        record.department_id,
        record.measure_id,
        record.measure.title,
        items or ([("", NO_ACTIVITY)] if record.no_activity else []),  # as the report writes it
        [i for item in record.items.all() for i in item.indicators.all() if not i.hidden] if numbers else [],
    )


def _from_editions(
    plan: Plan, years: dict[int, _Year], measure_id: int | None = None, department: str | None = None
) -> None:
    """Each reopened year's records of the measure (or of the department), as its current edition says them."""
    for shown in years.values():
        if not shown.reopened:
            continue
        edition = editions.current(plan.pk, shown.year)
        if edition is None:
            continue
        document, issuer = editions.document(edition), editions.issuer(edition)
        ids = _measure_ids(edition, document)
        named = dict(Department.objects.public().filter(municipality=plan.municipality).values_list("name", "pk"))
        for measure in document.all_measures():
            if measure_id is not None and ids[measure.title] != measure_id:
                continue
            if measure_id is not None:
                shown.title = measure.title
                shown.departments = [d.name + (f"（{d.sub_unit}）" if d.sub_unit else "") for d in measure.departments]
            for record in measure.records.get(shown.year, ()):
                if department is not None and record.department != department:
                    continue
                texts = [item.text for item in record.items]
                fixes = reading.fixes_of(issuer.indicator_fixes, shown.year, measure.title, record.department)
                found = reading.read_record(texts, shown.year, edition.units, fixes)
                numbers = [read for _, reads in found for read in reads if not read.hidden]
                items = [("", text) for text in texts]
                entry = _Entry(
                    record.department, named.get(record.department), ids[measure.title], measure.title, items, numbers
                )
                shown.records.append(entry)


def measure(request: HttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    """A measure: its description, every published year's records, its indicators across the years."""
    found = get_object_or_404(
        Measure.objects.public().select_related("plan__municipality", "pillar", "area"), plan_id=plan_id, pk=measure_id
    )
    years = _published_years(plan_id)
    worded = wording.published([found])
    yearly = worded[found.pk]
    wording.as_published([found], worded)
    for fiscal_year, values in yearly:
        years[fiscal_year.year].title = values["title"]
    published = [y.year for y in years.values() if not y.reopened]
    records = (
        Record.objects.filter(measure=found, fiscal_year__year__in=published)
        .select_related("department", "fiscal_year")
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position")),
            Prefetch("items__indicators", queryset=Indicator.objects.order_by("position")),
        )
        .order_by("position")
    )
    for record in records:
        record.measure = found  # worded as published; the table names indicators, not the measure
        years[record.fiscal_year.year].records.append(_from_database(record))
    assignments = Assignment.objects.filter(measure=found, fiscal_year__year__in=published).select_related(
        "department", "fiscal_year"
    )
    for assignment in assignments.order_by("position"):
        sub_unit = f"（{assignment.sub_unit}）" if assignment.sub_unit else ""
        years[assignment.fiscal_year.year].departments.append(assignment.department.name + sub_unit)
    _from_editions(found.plan, years, measure_id=found.pk)
    shown = [y for y in years.values() if y.records]
    rows, chart_list = _indicators(shown)
    titles = list(dict.fromkeys(values["title"] for _, values in yearly))
    context: dict[str, Any] = {
        "measure": found,
        "former_titles": [t for t in titles if t != found.title],
        "years": shown,
        "indicator_rows": rows,
        "charts": chart_list,
    }
    return render(request, "web/measure.html", context)


def _indicators(years: list[_Year]) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Rows of the indicator table (department, label, a cell per year) and a chart per comparable row."""
    found: dict[tuple[str, str, str], dict[int, list[compare.Number]]] = defaultdict(lambda: defaultdict(list))
    for shown in years:
        for entry in shown.records:
            for number in entry.numbers:
                found[(entry.department, number.series, number.unit)][shown.year].append(number)
    rows: list[dict[str, Any]] = []
    drawn: list[dict[str, str]] = []
    for chart_number, (key, by_year) in enumerate(found.items()):
        cells = [
            "、".join(f"{'約' if i.approximate else ''}{tables.number_text(i.value)}{i.unit}" for i in by_year[y.year])
            for y in years
        ]
        # Named as the latest year names it, corrected: the series pairs the years, it does not name them.
        label = next(by_year[y.year][-1].label for y in reversed(years) if by_year[y.year])
        latest = [by_year[y.year] for y in years[-2:]]
        change = ""
        if len(latest) == 2 and all(len(found) == 1 for found in latest):
            (before,), (after,) = latest
            change = compare.IndicatorChange(label, key[2], before.value, after.value).said
        rows.append({"department": key[0], "label": label, "values": cells, "change": change})
        points = [(y.label, by_year[y.year][0].value) for y in years if len(by_year[y.year]) == 1]
        if len(points) >= 2 and len(points) == len([y for y in years if by_year[y.year]]):
            svg = mark_safe(charts.bar_chart(f"chart-{chart_number}", label, key[2], points))  # escapes its text
            drawn.append({"svg": svg, "caption": f"{label}（{key[0]}）" if key[0] else label})
    return rows, drawn


def department(request: HttpRequest, plan_id: int, department_id: int) -> HttpResponse:
    """A department: the measures it carries and what it reported in every published year."""
    plan = get_object_or_404(Plan.objects.public().select_related("municipality"), pk=plan_id)
    found = get_object_or_404(Department.objects.public(), municipality=plan.municipality, pk=department_id)
    years = _published_years(plan_id)
    published = [y.year for y in years.values() if not y.reopened]
    records = (
        Record.objects.filter(department=found, measure__plan=plan, fiscal_year__year__in=published)
        .select_related("measure", "fiscal_year", "department")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .order_by("measure__position")
    )
    for record in wording.of_records(records):
        years[record.fiscal_year.year].records.append(_from_database(record, numbers=False))
    _from_editions(plan, years, department=found.name)
    carried = Measure.objects.filter(
        plan=plan, assignments__department=found, assignments__fiscal_year__year__in=published
    ).distinct()
    # A department renamed or merged: the public ones it took over from, and the one that took it over.
    related = list(Department.objects.public().filter(Q(pk=found.merged_into_id) | Q(merged_into=found)))
    context = {
        "plan": plan,
        "department": found,
        "successor": next((d for d in related if d.pk == found.merged_into_id), None),
        "predecessors": [d for d in related if d.merged_into_id == found.pk],
        "carried": wording.as_published(carried.order_by("position")),
        "years": [y for y in years.values() if y.records],
    }
    return render(request, "web/department.html", context)


MAX_QUERY_CHARACTERS = 200  # as the search API's


def _number(written: str | None) -> int | None:
    """A year or an id from a query string: None when absent; ValueError when not one the database holds."""
    if not written:
        return None
    if not re.fullmatch(IdConverter.regex, written):
        raise ValueError(written)
    return IdConverter().to_python(written)


def search_page(request: HttpRequest) -> HttpResponse:
    """Search published reports; results grouped by measure and year with the match highlighted."""
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARACTERS:
        return HttpResponse(
            f"検索語は{MAX_QUERY_CHARACTERS}文字までです", status=400, content_type="text/plain; charset=utf-8"
        )
    try:
        year = _number(request.GET.get("year"))
        department = _number(request.GET.get("department"))
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
        "hits": sum(len(group.hits) for group in groups),
        "measures": measures,
        "years": sorted({y.year for y in published}, reverse=True),
        "departments": Department.objects.filter(records__fiscal_year__in=published).distinct(),
    }
    return render(request, "web/search.html", context)
