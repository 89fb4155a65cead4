"""The plan's structure (機構改革): add, rename and retire measures; rename and merge departments."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

from .. import wording
from ..models import Area, Assignment, Department, FiscalYear, Measure, Membership, Pillar, Plan, Record
from .base import ActionError, Person, action
from .collection import new_record


@action
def do_add_measure(
    fiscal_year: FiscalYear,
    *,
    pillar: Pillar,
    area: Area | None,
    title: str,
    description: str,
    departments: Sequence[str],
    by: Person,
) -> Measure:
    """Add a measure from this year on, with an empty record for each of its departments (by name;
    a name not known yet becomes a department, only if the measure is added). In a year being
    prepared the records are made when the collection starts."""
    preparing = fiscal_year.status == FiscalYear.Status.PREPARING
    if not (fiscal_year.editable or preparing):
        raise ActionError("照会中か準備中の年度にだけ施策を追加できます")
    plan = fiscal_year.plan
    if not title:
        raise ActionError("施策名を書いてください")
    _refuse_taken_title(plan, fiscal_year, title)
    last = Measure.objects.filter(plan=plan).aggregate(models.Max("position"))["position__max"] or 0
    measure = Measure(
        plan=plan,
        pillar=pillar,
        area=area,
        position=last + 1,
        title=title,
        description=description,
        first_year=fiscal_year.year,
    )
    measure.save()
    for position, name in enumerate(dict.fromkeys(departments)):
        department, _ = Department.objects.get_or_create(municipality=plan.municipality, name=name)
        Assignment.objects.create(fiscal_year=fiscal_year, measure=measure, department=department, position=position)
        if not preparing:
            new_record(fiscal_year, measure, department, position, by)
    return measure


@action
def do_rename_measure(
    measure: Measure, fiscal_year: FiscalYear, *, title: str, description: str, by: Person
) -> Measure:
    """Rename a measure, or rewrite its description, in ``fiscal_year`` (being collected) alone: the
    other years keep their wording."""
    if not fiscal_year.editable:
        raise ActionError("照会中の年度でだけ施策を変更できます")
    _refuse_taken_title(measure.plan, fiscal_year, title, measure)
    wording.reword(measure, fiscal_year, title=title, description=description)
    return wording.in_year([Measure.objects.get(pk=measure.pk)], fiscal_year)[0]


def _refuse_taken_title(plan: Plan, fiscal_year: FiscalYear, title: str, measure: Measure | None = None) -> None:
    """Refuse a title another measure has, now or as worded in ``fiscal_year``."""
    others = Measure.objects.filter(plan=plan, title=title)
    if measure is not None:
        others = others.exclude(pk=measure.pk)
    worded = wording.measure_titles(plan, fiscal_year).get(title)
    if others.exists() or worded not in (None, measure.pk if measure else None):
        raise ActionError(f"施策「{title}」はすでにあります")


@action
def do_retire_measure(measure: Measure, fiscal_year: FiscalYear, *, by: Person) -> Measure:
    """End a measure before ``fiscal_year``: it and its unstarted records leave that year."""
    if not fiscal_year.editable:
        raise ActionError("照会中の年度でだけ施策を終了できます")
    measure = Measure.objects.get(pk=measure.pk)  # as worded now, whatever year the caller's copy reads as
    measure.last_year = fiscal_year.year - 1
    measure.save()
    for record in Record.objects.filter(measure=measure, fiscal_year=fiscal_year):
        record.delete()
    Assignment.objects.filter(measure=measure, fiscal_year=fiscal_year).delete()
    return measure


@action
def do_rename_department(department: Department, fiscal_year: FiscalYear, *, name: str, by: Person) -> Department:
    """Rename a department from ``fiscal_year`` (being collected) on; every other year keeps the name
    it was reported under. A department named in other years is succeeded, from this year, by one with
    the new name (merged into it, its editors editing for both); else it is simply renamed."""
    if not fiscal_year.editable:
        raise ActionError("照会中の年度でだけ担当課の名称を変更できます")
    if Department.objects.filter(municipality=department.municipality, name=name).exclude(pk=department.pk).exists():
        raise ActionError(f"担当課「{name}」はすでにあります。統合する場合は「統合」を使ってください")
    named_elsewhere = (
        Record.objects.filter(department=department).exclude(fiscal_year=fiscal_year).exists()
        or Assignment.objects.filter(department=department).exclude(fiscal_year=fiscal_year).exists()
    )
    if not named_elsewhere:
        department.name = name
        department.save()
        return department
    successor = Department.objects.create(municipality=department.municipality, name=name)
    for membership in Membership.objects.filter(departments=department):
        membership.departments.add(successor)
    return do_merge_departments(department, successor, fiscal_year, by=by)


@action
def do_merge_departments(source: Department, target: Department, fiscal_year: FiscalYear, *, by: Person) -> Department:
    """Fold ``source`` into ``target`` from ``fiscal_year`` on; earlier years keep ``source``'s name."""
    if source.pk == target.pk:
        raise ActionError("同じ担当課どうしは統合できません")
    if not fiscal_year.editable:
        raise ActionError("照会中の年度でだけ担当課を統合できます")
    source.merged_into = target
    source.save()
    for assignment in Assignment.objects.filter(fiscal_year=fiscal_year, department=source):
        if Assignment.objects.filter(fiscal_year=fiscal_year, measure=assignment.measure, department=target).exists():
            assignment.delete()
        else:
            assignment.department = target
            assignment.save()
    for record in Record.objects.filter(fiscal_year=fiscal_year, department=source):
        taken = Record.objects.filter(fiscal_year=fiscal_year, measure=record.measure, department=target).first()
        if taken is None:
            record.department = target
            record.save()
        else:
            for offset, item in enumerate(record.items.order_by("position"), start=taken.items.count()):
                item.record, item.position = taken, offset
                item.save()
            record.delete()
    return target
