"""Each fiscal year's wording of the plan: its pillars, areas and measures read as they did that year.

A pillar, area or measure holds its wording now (title, description…). A fiscal year whose wording
differs keeps its own row (`Wording`), written by `reword` before the wording changes, so renaming a
measure in FY2019 leaves FY2018 — its drafts, its corrections, its public pages — as it was.

Reading applies a year's rows to the objects in place (`apply`, `in_year`): callers read ``.title``
as before, and an object so worded refuses to be saved, so a year's wording never leaks into the
wording now.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from .models import (
    WORDED_FOR,
    Area,
    AreaWording,
    FiscalYear,
    Measure,
    MeasureWording,
    Pillar,
    PillarWording,
    Plan,
    Record,
)

Worded = TypeVar("Worded", Pillar, Area, Measure)

# Each worded model: its wording model, the wording's field naming it, and the fields a year may word.
_WORDINGS: dict[type[models.Model], tuple[type[Any], str, tuple[str, ...]]] = {
    Pillar: (PillarWording, "pillar", ("title", "purpose", "numbering")),
    Area: (AreaWording, "area", ("title", "numbering")),
    Measure: (MeasureWording, "measure", ("title", "description", "whole_government")),
}


def fields(model: type[models.Model]) -> tuple[str, ...]:
    return _WORDINGS[model][2]


def apply(pairs: Iterable[tuple[Worded, int]]) -> None:
    """Give each object the wording of the fiscal year (by id) paired with it, in one query per model."""
    by_model: dict[type[models.Model], list[tuple[Any, int]]] = {}
    for obj, fiscal_year_id in pairs:
        by_model.setdefault(type(obj), []).append((obj, fiscal_year_id))
    for model, wanted in by_model.items():
        wording, owner, names = _WORDINGS[model]
        rows = {
            (getattr(row, f"{owner}_id"), row.fiscal_year_id): row
            for row in wording.objects.filter(
                **{f"{owner}__in": {obj.pk for obj, _ in wanted}},
                fiscal_year__in={year for _, year in wanted},
            )
        }
        for obj, fiscal_year_id in wanted:
            row = rows.get((obj.pk, fiscal_year_id))
            if row is not None:
                for name in names:
                    setattr(obj, name, getattr(row, name))
            setattr(obj, WORDED_FOR, fiscal_year_id)


def in_year(objects: Iterable[Worded], fiscal_year: FiscalYear | None) -> list[Worded]:
    """The objects, each worded as in ``fiscal_year`` (as they read now when there is no such year)."""
    found = list(objects)
    if fiscal_year is not None:
        apply((obj, fiscal_year.pk) for obj in found)
    return found


def _plan_of(obj: Pillar | Area | Measure) -> Plan:
    if isinstance(obj, Area):
        return obj.pillar.plan
    return obj.plan


def _years_of(obj: Pillar | Area | Measure) -> models.QuerySet[FiscalYear]:
    """The fiscal years whose records a report may show under ``obj``."""
    years = FiscalYear.objects.filter(plan=_plan_of(obj))
    if isinstance(obj, Measure):
        years = years.filter(year__gte=obj.first_year - 1)  # its first report shows the year before
        if obj.last_year is not None:
            years = years.filter(year__lte=obj.last_year)
    return years


def _shows(measure: Measure, year: int) -> bool:
    """Whether a report may show records of ``year`` under ``measure`` (as `_years_of` counts)."""
    return measure.first_year - 1 <= year and (measure.last_year is None or year <= measure.last_year)


def reword(obj: Pillar | Area | Measure, fiscal_year: FiscalYear, **values: Any) -> bool:
    """Word ``obj`` as ``values`` say in ``fiscal_year`` alone: every other year keeps its wording.
    Return whether anything changed."""
    wording, owner, names = _WORDINGS[type(obj)]
    obj = type(obj).objects.get(pk=obj.pk)  # as worded now, whatever year the caller's copy reads as
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"{type(obj).__name__} has no yearly wording for {sorted(unknown)}")
    rows = {row.fiscal_year_id: row for row in wording.objects.filter(**{owner: obj})}
    own = rows.get(fiscal_year.pk)
    if own is not None:
        if all(getattr(own, name) == value for name, value in values.items()):
            return False
        for name, value in values.items():
            setattr(own, name, value)
        own.save()
        return True
    if all(getattr(obj, name) == value for name, value in values.items()):
        return False
    now = {name: getattr(obj, name) for name in names}
    for other in _years_of(obj).exclude(pk=fiscal_year.pk).exclude(pk__in=rows):
        wording.objects.create(fiscal_year=other, **{owner: obj}, **now)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return True


def carry(previous: FiscalYear, fiscal_year: FiscalYear) -> None:
    """A year opened from ``previous`` reads as ``previous`` did."""
    for wording, owner, names in _WORDINGS.values():
        for row in wording.objects.filter(fiscal_year=previous):
            wording.objects.create(
                fiscal_year=fiscal_year, **{owner: getattr(row, owner)}, **{n: getattr(row, n) for n in names}
            )


def measure_titles(plan: Plan, fiscal_year: FiscalYear) -> dict[str, int]:
    """The titles of the measures the plan carries in ``fiscal_year``, as worded that year, with their ids."""
    measures = in_year(Measure.objects.in_year(fiscal_year.year).filter(plan=plan), fiscal_year)
    return {measure.title: measure.pk for measure in measures}


R = TypeVar("R", bound=Record)


def of_records(records: Iterable[R]) -> list[R]:
    """The records, each with its measure (selected with it) worded as in the record's year."""
    found = list(records)
    apply((record.measure, record.fiscal_year_id) for record in found)
    return found


def published(measures: Iterable[Measure]) -> dict[int, list[tuple[FiscalYear, dict[str, Any]]]]:
    """Each measure's wording in every published year whose report shows it, oldest first: what the
    public may read of it (a year reopened for correction is not read: its draft is not public)."""
    found = [Measure.objects.get(pk=m.pk) if getattr(m, WORDED_FOR, None) else m for m in measures]
    names = fields(Measure)
    years = list(
        FiscalYear.objects.filter(plan__in={m.plan_id for m in found}, status=FiscalYear.Status.PUBLISHED).order_by(
            "year"
        )
    )
    rows = {
        (row.measure_id, row.fiscal_year_id): row
        for row in MeasureWording.objects.filter(measure__in=found, fiscal_year__in=years)
    }
    return {
        m.pk: [
            (year, {name: getattr(rows.get((m.pk, year.pk), m), name) for name in names})
            for year in years
            if year.plan_id == m.plan_id
            and m.first_year <= year.year
            and (m.last_year is None or year.year <= m.last_year)
        ]
        for m in found
    }


def as_published(
    measures: Iterable[Measure], shown: dict[int, list[tuple[FiscalYear, dict[str, Any]]]] | None = None
) -> list[Measure]:
    """The measures, each worded (with its pillar and area, when selected with it) as in the latest
    published year showing it; ``shown`` is what `published` answered for them, if it was asked."""
    found = list(measures)
    shown = published(found) if shown is None else shown
    places: list[tuple[Any, int]] = []
    for measure in found:
        if not shown.get(measure.pk):
            continue
        year, values = shown[measure.pk][-1]
        for name, value in values.items():
            setattr(measure, name, value)
        setattr(measure, WORDED_FOR, year.pk)
        if Measure.pillar.is_cached(measure):
            places.append((measure.pillar, year.pk))
        if Measure.area.is_cached(measure) and measure.area is not None:
            places.append((measure.area, year.pk))
    apply(places)
    return found
