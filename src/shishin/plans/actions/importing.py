"""Importing a published report: find its municipality and plan, compare it with what is stored, write it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Q
from simple_history.utils import bulk_create_with_history  # type: ignore[import-untyped]

from shishin.lib import municipalities
from shishin.report import facts as report_facts
from shishin.report import records as plain

from .. import wording
from ..documents import document_for
from ..models import (
    Area,
    Assignment,
    Department,
    Edition,
    FiscalYear,
    Item,
    Measure,
    Municipality,
    Pillar,
    Plan,
    Record,
    Report,
    ReportPage,
    Unit,
)
from .base import ActionError, action, save_changed, take_turns
from .editions import do_make_edition
from .facts import derive_facts

_PLAN_NAME_END = "に基づく"
W = TypeVar("W", Pillar, Area)


class ImportConflict(ActionError):
    """The incoming report disagrees with what is stored for the same fiscal years."""

    def __init__(self, differences: list[str]) -> None:
        super().__init__("登録済みの内容と異なります（置き換えるには --replace を指定してください）")
        self.differences = differences


@dataclass
class ImportResult:
    plan: Plan
    fiscal_year: int
    unchanged: bool
    warnings: list[str] = field(default_factory=list)
    measures: int = 0
    records: int = 0

    @classmethod
    def of(cls, plan: Plan, document: plain.Document, warnings: list[str]) -> ImportResult:
        """The result of storing ``document`` in ``plan``, with what it holds counted."""
        return cls(
            plan=plan,
            fiscal_year=document.fiscal_year,
            unchanged=False,
            warnings=[*warnings, *map(str, document.warnings)],
            measures=len(document.all_measures()),
            records=sum(len(r) for m in document.all_measures() for r in m.records.values()),
        )


def plan_name_from_title(title: str) -> str:
    """小金井市防犯指針に基づく平成30年度の取組み等について → 小金井市防犯指針."""
    return title.split(_PLAN_NAME_END, 1)[0] if _PLAN_NAME_END in title else title


def municipality_for(title: str, code: str | None = None) -> tuple[municipalities.Entry | None, str, list[str]]:
    """Identify the municipality of a report from ``code`` or else from its title.

    Return the list entry (None when the name is not in the national list),
    the name, and warnings for the user.
    """
    if code is not None:
        error = municipalities.code_error(code)
        if error:
            raise ActionError(error)
        entry = municipalities.by_code(code)
        if entry is None:
            raise ActionError(f"全国地方公共団体コード「{code}」は一覧にありません")
        return entry, entry.name, []
    name, candidates = municipalities.named_in(title)
    if len(candidates) == 1:
        return candidates[0], candidates[0].name, []
    if candidates:
        listed = "、".join(f"{c.code}（{c.prefecture}{c.name}）" for c in candidates)
        raise ActionError(f"「{name}」は複数あります: {listed}。--municipality でコードを指定してください")
    if name is None:
        raise ActionError(
            f"表題「{title}」から地方公共団体名を読み取れません。--municipality でコードを指定してください"
        )
    return None, name, [f"「{name}」は全国地方公共団体コードの一覧にありません。コードなしで登録します"]


def plan_of(document: plain.Document, municipality_code: str | None = None) -> tuple[Plan, bool, list[str]]:
    """Find or create the municipality and plan of a report; return the plan, whether it was
    created, and warnings for the user."""
    entry, name, warnings = municipality_for(document.title, municipality_code)
    if entry is not None:
        municipality = save_changed(
            Municipality, {"code": entry.code}, {"name": entry.name, "prefecture": entry.prefecture}
        )
    else:
        municipality = save_changed(Municipality, {"code": None, "name": name, "prefecture": ""}, {})
    plan, created = Plan.objects.get_or_create(municipality=municipality, name=plan_name_from_title(document.title))
    return plan, created, warnings


def _conflicts(plan: Plan, document: plain.Document, stored_document: plain.Document) -> list[str]:
    """List how ``document`` contradicts ``stored_document``, what is stored; additions are not conflicts."""
    stored = report_facts.facts(stored_document)
    incoming = report_facts.facts(document)
    record_years = set(
        Record.objects.filter(fiscal_year__plan=plan, fiscal_year__year__in=document.years)
        .values_list("fiscal_year__year", flat=True)
        .distinct()
    )
    has_report = Report.objects.filter(fiscal_year__plan=plan, fiscal_year__year=document.fiscal_year).exists()
    has_assignments = Assignment.objects.filter(fiscal_year__plan=plan, fiscal_year__year=document.fiscal_year).exists()

    def compared(key: report_facts.Key) -> bool:
        kind = key[0]
        if kind == "record":
            return key[1] in record_years
        if kind == "layout":
            return has_report
        if kind == "departments":
            return has_assignments and key in stored and key in incoming
        # A year not stored yet is worded as its report says: only a stored year's wording can conflict.
        return (has_report or has_assignments) and key in stored and key in incoming

    keys = [k for k in stored if compared(k)] + [k for k in incoming if k not in stored and compared(k)]
    return [report_facts.describe(k, stored.get(k), incoming.get(k)) for k in keys if stored.get(k) != incoming.get(k)]


PlanKey = tuple[str, str]


def plan_key(document: plain.Document, municipality_code: str | None = None) -> PlanKey:
    """Name the plan a report belongs to: (municipality code, or name when it has none; plan name).

    Raises `ActionError` as `do_import_document` would for a municipality it cannot tell.
    """
    entry, name, _ = municipality_for(document.title, municipality_code)
    return (entry.code if entry else name, plan_name_from_title(document.title))


@action
def do_import_document(
    document: plain.Document,
    *,
    municipality_code: str | None = None,
    replace: bool = False,
) -> ImportResult:
    """Store a published report: its plan, the records of every year it shows, and its layout.

    Importing the same report again changes nothing. A report that contradicts
    stored records raises `ImportConflict` unless ``replace`` is set.
    """
    take_turns("import", *plan_key(document, municipality_code))  # the other import finishes first
    plan, _, warnings = plan_of(document, municipality_code)
    result = ImportResult.of(plan, document, warnings)
    stored = document_for(plan, document.fiscal_year)
    if stored == document:
        result.unchanged = True
    else:
        if not replace:
            differences = _conflicts(plan, document, stored)
            if differences:
                raise ImportConflict(differences)
        _DocumentWriter(plan, document, stored).write()
    # The report was published: it is the year's first edition, or, if it corrects the stored one, the next.
    fiscal_year = FiscalYear.objects.get(plan=plan, year=document.fiscal_year)
    do_make_edition(fiscal_year, source=Edition.Source.IMPORTED, formats=("text",), document=document)
    return result


class _DocumentWriter:
    """Writes a parsed report into a plan, touching only what differs from ``stored``, the report of the
    same year as the plan holds it (a measure or year it does not show is read from the database)."""

    def __init__(self, plan: Plan, document: plain.Document, stored: plain.Document) -> None:
        self.plan = plan
        self.document = document
        self.year = document.fiscal_year
        self.stored_records = {
            (m.title, year): m.records.get(year, ()) for m in stored.all_measures() for year in stored.years
        }
        self.stored_departments = {m.title: m.departments for m in stored.all_measures()}
        self.fiscal_years = {
            y: save_changed(FiscalYear, {"plan": plan, "year": y}, {"status": FiscalYear.Status.PUBLISHED})
            for y in document.years
        }
        self.departments = {d.name: d for d in Department.objects.filter(municipality=plan.municipality)}
        self.units = Unit.mapping()

    def department(self, name: str) -> Department:
        if name not in self.departments:
            self.departments[name] = Department.objects.create(municipality=self.plan.municipality, name=name)
        return self.departments[name]

    def write(self) -> None:
        fiscal_year = self.fiscal_years[self.year]
        shown: list[int] = []
        for pillar_record in self.document.pillars:
            pillar = _save_worded(
                Pillar,
                {"plan": self.plan, "number": pillar_record.number},
                fiscal_year,
                title=pillar_record.title,
                purpose=pillar_record.purpose,
                numbering=pillar_record.numbering,
            )
            placed: list[tuple[Area | None, plain.Measure]] = [(None, m) for m in pillar_record.measures]
            for area_record in pillar_record.areas:
                area = _save_worded(
                    Area,
                    {"pillar": pillar, "number": area_record.number},
                    fiscal_year,
                    title=area_record.title,
                    numbering=area_record.numbering,
                )
                placed += [(area, m) for m in area_record.measures]
            for placed_area, measure_record in placed:
                measure = _save_measure(self.plan, pillar, placed_area, len(shown) + 1, measure_record, fiscal_year)
                shown.append(measure.pk)
                self.write_assignments(measure, measure_record)
                for year in self.document.years:
                    self.write_records(self.fiscal_years[year], measure, measure_record, year)
        # Measures the plan carried this year that the report no longer shows are retired.
        Measure.objects.in_year(self.year).filter(plan=self.plan).exclude(pk__in=shown).update(last_year=self.year - 1)
        Record.objects.filter(fiscal_year__in=self.fiscal_years.values()).exclude(measure__in=shown).delete()
        _write_report(fiscal_year, self.document)

    def write_assignments(self, measure: Measure, shown: plain.Measure) -> None:
        fiscal_year = self.fiscal_years[self.year]
        wanted = shown.departments
        current = self.stored_departments.get(shown.title)
        if current is None:
            current = tuple(
                plain.DepartmentRef(a.department.name, a.sub_unit)
                for a in measure.assignments.filter(fiscal_year=fiscal_year).select_related("department")
            )
        if current == wanted:
            return
        if current:
            measure.assignments.filter(fiscal_year=fiscal_year).delete()
        Assignment.objects.bulk_create(
            Assignment(
                fiscal_year=fiscal_year,
                measure=measure,
                department=self.department(d.name),
                sub_unit=d.sub_unit,
                position=number,
            )
            for number, d in enumerate(wanted)
        )

    def write_records(self, fiscal_year: FiscalYear, measure: Measure, shown: plain.Measure, year: int) -> None:
        wanted = shown.records.get(year, ())
        current = self.stored_records.get((shown.title, year))
        if current is None:
            stored = measure.records.filter(fiscal_year=fiscal_year).select_related("department")
            current = tuple(r.plain() for r in stored.prefetch_related("items"))
        if current == wanted:
            return
        if current:
            measure.records.filter(fiscal_year=fiscal_year).delete()
        for position, record_data in enumerate(wanted):
            record = Record.objects.create(
                fiscal_year=fiscal_year,
                measure=measure,
                department=self.department(record_data.department) if record_data.department else None,
                position=position,
            )
            items = bulk_create_with_history(
                [
                    Item(record=record, position=number, text=item.text, bullet=item.bullet)
                    for number, item in enumerate(record_data.items)
                ],
                Item,
            )
            derive_facts(items, fiscal_year.year, self.units)


def _save_worded(model: type[W], lookup: dict[str, Any], fiscal_year: FiscalYear, **wording_values: Any) -> W:
    """Find or create a pillar or area, worded as the report says in its year alone."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        return model.objects.create(**lookup, **wording_values)
    wording.reword(found, fiscal_year, **wording_values)
    return model.objects.get(pk=found.pk)


def _save_measure(
    plan: Plan, pillar: Pillar, area: Area | None, position: int, record: plain.Measure, fiscal_year: FiscalYear
) -> Measure:
    """Create or update a measure shown in ``fiscal_year``: it is in force that year whatever it was
    before, and worded as the report says in that year alone (a measure is known by any title it has
    had, so a later report's wording never rewrites an earlier year's)."""
    year = fiscal_year.year
    worded = {"title": record.title, "description": record.description, "whole_government": record.whole_government}
    existing = Measure.objects.filter(plan=plan).filter(Q(title=record.title) | Q(wordings__title=record.title)).first()
    if existing is None:
        return Measure.objects.create(
            plan=plan, pillar=pillar, area=area, position=position, first_year=year, last_year=None, **worded
        )
    retired_later = existing.last_year is not None and existing.last_year >= year
    measure = save_changed(
        Measure,
        {"pk": existing.pk},
        {
            "pillar": pillar,
            "area": area,
            "position": position,
            "first_year": min(existing.first_year, year),
            "last_year": existing.last_year if retired_later else None,
        },
    )
    wording.reword(measure, fiscal_year, **worded)
    return measure


def _write_report(fiscal_year: FiscalYear, document: plain.Document) -> None:
    report = save_changed(Report, {"fiscal_year": fiscal_year}, Report.fields_of(document))
    report.pages.all().delete()
    ReportPage.objects.bulk_create(
        ReportPage(report=report, number=number, first_row=page.first_row, label=page.label)
        for number, page in enumerate(document.pages, start=1)
    )
