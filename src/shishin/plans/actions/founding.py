"""A plan from nothing: a city without a published report creates its plan and its first year,
lists its departments, builds the year's structure (by hand or from a structure workbook) and
starts the collection. The departments' order, readings and contact addresses are kept here too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from shishin.lib import municipalities, wareki
from shishin.report import records as plain
from shishin.report.structure_workbook import READING_RE, DepartmentRow, Structure, hiragana

from .. import notifications
from ..models import Area, Assignment, Department, FiscalYear, Measure, Municipality, Pillar, Plan
from .base import ActionError, Person, action, save_changed
from .collection import new_record
from .importing import municipality_for

_CODE_RE = re.compile(r"\d{6}")
FIRST_YEAR = 1989  # 平成元年度: the earliest year a plan may start
MAX_POSITION = 9999  # a department's place in the organisation


@action
def do_create_plan(*, municipality: str, name: str, first_year: int, by: Person) -> FiscalYear:
    """Create a municipality's plan (the municipality by its 全国地方公共団体コード or its name) and
    its first year, in preparation: nothing is asked of any department until the collection starts."""
    written = municipality.strip()
    if not written:
        raise ActionError("地方公共団体を全国地方公共団体コード（6桁）か名前で指定してください")
    if _CODE_RE.fullmatch(written):
        entry, city, _ = municipality_for("", written)
    else:
        name_found, candidates = municipalities.named_in(written)
        if not candidates or written not in (name_found, f"{candidates[0].prefecture}{name_found}"):
            raise ActionError(
                f"「{written}」は全国地方公共団体コードの一覧にありません。"
                "6桁のコードか、一覧のとおりの名前（例: 小金井市、東京都府中市）で指定してください"
            )
        if len(candidates) > 1:
            listed = "、".join(f"{c.code}（{c.prefecture}{c.name}）" for c in candidates)
            raise ActionError(f"「{written}」は複数あります: {listed}。コードで指定してください")
        entry, city = candidates[0], candidates[0].name
    assert entry is not None
    place = save_changed(Municipality, {"code": entry.code}, {"name": city, "prefecture": entry.prefecture})
    title = name.strip()
    if not title:
        raise ActionError("指針の名前を書いてください（例: 防犯指針）")
    if Plan.objects.filter(municipality=place, name=title).exists():
        raise ActionError(f"{place}の「{title}」はすでにあります")
    today = timezone.localdate()
    if not FIRST_YEAR <= first_year <= today.year + 1:
        raise ActionError(f"最初の年度は{FIRST_YEAR}年度から{today.year + 1}年度までで指定してください（西暦）")
    plan = Plan.objects.create(municipality=place, name=title)
    return FiscalYear.objects.create(plan=plan, year=first_year, status=FiscalYear.Status.PREPARING)


@action
def do_save_departments(plan: Plan, rows: Sequence[DepartmentRow], *, by: Person) -> list[Department]:
    """Add the departments not yet listed and set each one's order, reading and contact address."""
    saved = []
    for row in rows:
        name = row.name.strip()
        if not name:
            raise ActionError("担当課の名前を書いてください")
        if row.position is not None and not 1 <= row.position <= MAX_POSITION:
            raise ActionError(f"{name}の組織順は 1 から {MAX_POSITION} までの数で書いてください")
        reading = hiragana(row.reading)
        if not READING_RE.fullmatch(reading):
            raise ActionError(f"{name}のよみがな「{row.reading}」はひらがなで書いてください")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                raise ActionError(f"{name}の連絡先「{row.email}」はメールアドレスではありません") from None
        saved.append(
            save_changed(
                Department,
                {"municipality": plan.municipality, "name": name},
                {"position": row.position, "reading": reading, "email": row.email.strip()},
            )
        )
    return saved


def _require_preparing(fiscal_year: FiscalYear) -> None:
    if fiscal_year.status != FiscalYear.Status.PREPARING:
        raise ActionError(f"{fiscal_year.label}は{fiscal_year.get_status_display()}です。準備中の年度でだけできます")


@action
def do_add_pillar(fiscal_year: FiscalYear, *, title: str, purpose: str = "", by: Person) -> Pillar:
    """Add a pillar (基本方針) to a plan whose first year is being prepared, numbered after the last."""
    _require_preparing(fiscal_year)
    if not title.strip():
        raise ActionError("基本方針の名前を書いてください")
    last = Pillar.objects.filter(plan=fiscal_year.plan).aggregate(models.Max("number"))["number__max"] or 0
    return Pillar.objects.create(plan=fiscal_year.plan, number=last + 1, title=title.strip(), purpose=purpose.strip())


@action
def do_add_area(fiscal_year: FiscalYear, pillar: Pillar, *, title: str, by: Person) -> Area:
    """Add an area (施策の方向) under ``pillar``, numbered after its last."""
    _require_preparing(fiscal_year)
    if not title.strip():
        raise ActionError("施策の方向の名前を書いてください")
    last = pillar.areas.aggregate(models.Max("number"))["number__max"] or 0
    return Area.objects.create(pillar=pillar, number=last + 1, title=title.strip())


@action
def do_load_structure(fiscal_year: FiscalYear, structure: Structure, *, by: Person) -> int:
    """Make ``structure`` the structure of a year in preparation, replacing what was built so far;
    its departments are added or updated. Returns the number of measures."""
    _require_preparing(fiscal_year)
    plan = fiscal_year.plan
    if plan.fiscal_years.exclude(pk=fiscal_year.pk).exists():
        raise ActionError("構成を取り込めるのは、最初の年度を準備している指針だけです")
    do_save_departments(plan, _filled_in(plan, structure.departments), by=by)
    Assignment.objects.filter(fiscal_year=fiscal_year).delete()
    Measure.objects.filter(plan=plan).delete()
    Area.objects.filter(pillar__plan=plan).delete()
    Pillar.objects.filter(plan=plan).delete()
    departments = {d.name: d for d in Department.objects.filter(municipality=plan.municipality)}
    position = 0
    for written in structure.pillars:
        pillar = Pillar.objects.create(plan=plan, number=written.number, title=written.title, purpose=written.purpose)
        places: list[tuple[Area | None, tuple[plain.Measure, ...]]] = [(None, written.measures)]
        for written_area in written.areas:
            made = Area.objects.create(pillar=pillar, number=written_area.number, title=written_area.title)
            places.append((made, written_area.measures))
        for area, measures in places:
            for each in measures:
                position += 1
                measure = Measure.objects.create(
                    plan=plan,
                    pillar=pillar,
                    area=area,
                    position=position,
                    title=each.title,
                    description=each.description,
                    first_year=fiscal_year.year,
                )
                for n, ref in enumerate(each.departments):
                    Assignment.objects.create(
                        fiscal_year=fiscal_year,
                        measure=measure,
                        department=departments[ref.name],
                        sub_unit=ref.sub_unit,
                        position=n,
                    )
    return position


def _filled_in(plan: Plan, rows: Sequence[DepartmentRow]) -> list[DepartmentRow]:
    """The workbook's departments, a blank cell keeping what a department already has (its order,
    reading, contact address): an empty cell in a workbook made by hand erases nothing."""
    known = {d.name: d for d in Department.objects.filter(municipality=plan.municipality)}
    filled = []
    for row in rows:
        if (was := known.get(row.name.strip())) is not None:
            row = DepartmentRow(
                row.name,
                row.position if row.position is not None else was.position,
                row.reading or was.reading,
                row.email or was.email,
            )
        filled.append(row)
    return filled


@action
def do_start_collection(fiscal_year: FiscalYear, *, deadline: dt.date | None, by: Person) -> notifications.Sent:
    """Start collecting a new plan's first year: each department carrying a measure is asked for its
    record, by mail to its editors and its contact address. Returns what was mailed, naming the
    departments no address reaches."""
    _require_preparing(fiscal_year)
    assignments = list(
        Assignment.objects.filter(fiscal_year=fiscal_year)
        .select_related("measure", "department")
        .order_by("measure__position", "position")
    )
    if not assignments:
        raise ActionError(
            f"{fiscal_year.label}の施策に担当課がありません。施策と担当課を登録してから照会を始めてください"
        )
    if deadline is not None and deadline < timezone.localdate():
        raise ActionError(f"提出期限（{wareki.format_date(deadline)}）が過ぎています")
    positions: dict[int, int] = {}
    for assignment in assignments:
        n = positions.get(assignment.measure_id, 0)
        new_record(fiscal_year, assignment.measure, assignment.department, n, by)
        positions[assignment.measure_id] = n + 1
    fiscal_year.status = FiscalYear.Status.COLLECTING
    fiscal_year.deadline = deadline
    fiscal_year.save(update_fields=["status", "deadline"])
    return notifications.year_opened(fiscal_year, by)
