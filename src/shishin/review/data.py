"""Load what review needs of a plan's fiscal years in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch

from shishin.plans import wording
from shishin.plans.models import Assignment, Item, Plan, Record


def records_of(plan: Plan, years: Iterable[int]) -> list[Record]:
    """Return the records of ``years`` with their items, indicators and dates, in report order (each
    with its measure worded as in the record's year)."""
    return wording.of_records(
        Record.objects.filter(fiscal_year__plan=plan, fiscal_year__year__in=list(years))
        .select_related("fiscal_year", "measure", "department")
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position").prefetch_related("indicators", "dates"))
        )
        .order_by("measure__position", "fiscal_year__year", "position")
    )


def listed_departments(plan: Plan, year: int) -> dict[int, list[str]]:
    """Return measure id → the departments listed for it, from ``year`` or else the nearest later year.

    A report lists departments once, for its own year; the year before it shows has none of its own.
    """
    assignments = list(
        Assignment.objects.filter(fiscal_year__plan=plan, fiscal_year__year__gte=year)
        .select_related("department", "fiscal_year")
        .order_by("fiscal_year__year", "position")
    )
    if not assignments:
        return {}
    nearest = assignments[0].fiscal_year.year
    listed: dict[int, list[str]] = defaultdict(list)
    for assignment in assignments:
        if assignment.fiscal_year.year == nearest:
            listed[assignment.measure_id].append(assignment.department.name)
    return listed
