"""What the task list shows of departments' workbooks (`staff/_workbooks.html`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from shishin.plans.models import Department, FiscalYear, Record, organisation_key

register = template.Library()


@register.filter
def workbook_pairs(tasks: Iterable[Record] | None) -> list[tuple[FiscalYear, Department]]:
    """The open years and departments of an editor's tasks, each pair once: a workbook each. Read from
    the records the task list has already loaded (with their year and department), without a query."""
    pairs: dict[tuple[int, int], tuple[FiscalYear, Department]] = {}
    for record in tasks or ():
        if record.department is not None:
            pairs.setdefault((record.fiscal_year_id, record.department.pk), (record.fiscal_year, record.department))
    return sorted(
        pairs.values(),
        key=lambda pair: (
            pair[0].plan_id,
            pair[0].year,
            organisation_key(pair[1].position, pair[1].reading, pair[1].name),
        ),
    )
