"""Read a fiscal year's report out of the database as a plain `Document`."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from shishin.lib import wareki
from shishin.report import records as plain
from shishin.report.formats import FORMATS
from shishin.report.reading import IndicatorFix
from shishin.report.structure_workbook import DepartmentRow, Structure

from . import wording
from .models import (
    Area,
    Assignment,
    Department,
    FiscalYear,
    IndicatorCorrection,
    Item,
    Measure,
    Pillar,
    Plan,
    Record,
    Report,
    Unit,
)


def default_title(plan: Plan, year: int) -> str:
    return f"{plan.name}に基づく{wareki.fiscal_year_label(year)}の取組み等について"


def new_layout(plan: Plan, year: int) -> tuple[plain.Document, set[int]]:
    """The layout of a year's first report, and the pillars whose first area sits on their row: the
    last earlier report's (its headings, title line and column label), else the usual one."""
    shown = (year - 1, year)
    base = plain.Document(
        title=default_title(plan, year), years=shown, year_labels=tuple(map(wareki.fiscal_year_label, shown))
    )
    last = (
        Report.objects.filter(fiscal_year__plan=plan, fiscal_year__year__lt=year)
        .order_by("-fiscal_year__year")
        .prefetch_related("pages")
        .first()
    )
    if last is None:
        return base, set()
    pages = list(last.pages.all())
    layout = dataclasses.replace(
        base,
        headings=tuple(last.headings),
        title_mark=last.title_mark,
        blank_lines_before_title=last.blank_lines_before_title,
        blank_lines_after_title=last.blank_lines_after_title,
        pages=(plain.Page(0, pages[-1].label),) if pages else base.pages,
    )
    return layout, set(last.inline_area_pillars)


def document_for(plan: Plan, year: int) -> plain.Document:
    """Build the report of fiscal year ``year``: the published layout if there is one, else the usual one."""
    report = Report.objects.filter(fiscal_year__plan=plan, fiscal_year__year=year).prefetch_related("pages").first()
    if report is not None:
        base = plain.Document(
            title=report.title,
            years=tuple(report.years),
            year_labels=tuple(report.year_labels),
            pages=tuple(plain.Page(p.first_row, p.label) for p in report.pages.all()),
            headings=tuple(report.headings),
            title_mark=report.title_mark,
            blank_lines_before_title=report.blank_lines_before_title,
            blank_lines_after_title=report.blank_lines_after_title,
            trailing_newlines=report.trailing_newlines,
        )
        inline = set(report.inline_area_pillars)
    else:
        base, inline = new_layout(plan, year)
    years = base.years

    fiscal_year = FiscalYear.objects.filter(plan=plan, year=year).first()
    measures = wording.in_year(Measure.objects.in_year(year).filter(plan=plan).order_by("position", "id"), fiscal_year)
    departments: dict[int, list[plain.DepartmentRef]] = defaultdict(list)
    for assignment in Assignment.objects.filter(fiscal_year__plan=plan, fiscal_year__year=year).select_related(
        "department"
    ):
        departments[assignment.measure_id].append(plain.DepartmentRef(assignment.department.name, assignment.sub_unit))
    found: dict[tuple[int, int], list[plain.Record]] = defaultdict(list)
    for record in (
        Record.objects.filter(fiscal_year__plan=plan, fiscal_year__year__in=years)
        .select_related("department", "fiscal_year")
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .order_by("position")
    ):
        found[(record.measure_id, record.fiscal_year.year)].append(record.plain())

    def measure_record(measure: Measure) -> plain.Measure:
        return plain.Measure(
            title=measure.title,
            description=measure.description,
            departments=tuple(departments[measure.pk]),
            whole_government=measure.whole_government,
            records={y: tuple(found[(measure.pk, y)]) for y in years if found[(measure.pk, y)]},
        )

    by_area: dict[int | None, list[plain.Measure]] = defaultdict(list)
    direct: dict[int, list[plain.Measure]] = defaultdict(list)
    for measure in measures:
        if measure.area_id is None:
            direct[measure.pillar_id].append(measure_record(measure))
        else:
            by_area[measure.area_id].append(measure_record(measure))
    areas: dict[int, list[Area]] = defaultdict(list)
    for area in wording.in_year(Area.objects.filter(pillar__plan=plan).order_by("number"), fiscal_year):
        areas[area.pillar_id].append(area)
    pillars = tuple(
        plain.Pillar(
            number=pillar.number,
            title=pillar.title,
            purpose=pillar.purpose,
            measures=tuple(direct[pillar.pk]),
            areas=tuple(plain.Area(a.number, a.title, tuple(by_area[a.pk]), a.numbering) for a in areas[pillar.pk]),
            first_area_inline=pillar.number in inline,
            numbering=pillar.numbering,
        )
        for pillar in wording.in_year(Pillar.objects.filter(plan=plan).order_by("number"), fiscal_year)
    )
    return dataclasses.replace(base, pillars=pillars)


def structure_of(fiscal_year: FiscalYear) -> Structure:
    """The year's structure and the municipality's departments, as the structure workbook has them."""
    pillars = document_for(fiscal_year.plan, fiscal_year.year).pillars
    listed = Department.objects.filter(municipality=fiscal_year.plan.municipality_id, merged_into=None)
    return Structure(pillars, tuple(DepartmentRow(d.name, d.position, d.reading, d.email) for d in listed))


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def issuer_of(plan: Plan, years: Iterable[int] = ()) -> plain.Issuer:
    """Who publishes the plan's reports, with what the staff corrected of the numbers of ``years``."""
    municipality = plan.municipality
    return plain.Issuer(
        municipality.name,
        plan.name,
        municipality.code or "",
        municipality.prefecture,
        indicator_fixes=indicator_fixes(plan, years),
    )


def indicator_fixes(plan: Plan, years: Iterable[int]) -> tuple[IndicatorFix, ...]:
    """What the staff corrected of the numbers read from the records of ``years``, each placed by its
    year, its measure as worded that year and its department."""
    found = list(
        IndicatorCorrection.objects.filter(record__fiscal_year__plan=plan, record__fiscal_year__year__in=list(years))
        .select_related("record__measure", "record__department", "record__fiscal_year")
        .order_by("record__fiscal_year__year", "record_id", "read_label", "unit", "occurrence")
    )
    wording.of_records(c.record for c in found)
    return tuple(
        IndicatorFix(
            c.record.fiscal_year.year,
            c.record.measure.title,
            c.record.department_name,
            c.read_label,
            c.unit,
            c.occurrence,
            c.label,
            c.hidden,
            c.same_as,
        )
        for c in found
    )


def export(plan: Plan, year: int, format: str) -> Export:
    """Write the report of fiscal year ``year`` in ``format`` (a name in `shishin.report.formats.FORMATS`)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")
    written = FORMATS[format]
    document = document_for(plan, year)
    content = written.write(document, issuer_of(plan, document.years), Unit.mapping())
    name = f"{plan.municipality.code or plan.municipality.name}-{year}.{written.extension}"
    return Export(content, written.content_type, name)
