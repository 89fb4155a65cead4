"""A plan from nothing through the API: the same actions, permissions and errors as the staff pages
(`shishin.web.staff.founding`)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Schema, Status
from ninja.files import UploadedFile

from shishin.plans import actions
from shishin.plans.models import Department, FiscalYear, Pillar, Plan
from shishin.report import structure_workbook, workbooks
from shishin.report.records import FormatError
from shishin.report.structure_workbook import DepartmentRow

from .views import SIGNED_IN, Id, Text, Year, YearOut, _account, _step, api, session
from .years import _administer, _year, _year_out, post


class NewPlanIn(Schema):
    municipality: Text  # 全国地方公共団体コード (6 digits) or the name as the national list writes it
    name: Text
    first_year: int


class NewPlanOut(Schema):
    id: int
    name: str
    municipality: str
    municipality_code: str | None
    year: int
    status: str


class DepartmentIn(Schema):
    name: Text
    position: Annotated[int, Field(ge=1, le=9999)] | None = None  # the organisation's order
    reading: Text = ""  # hiragana, for 五十音 order
    email: Text = ""  # the department's contact address


class DepartmentOut(Schema):
    id: int
    name: str
    position: int | None
    reading: str
    email: str


class PillarIn(Schema):
    title: Text
    purpose: Text = ""


class PillarOut(Schema):
    number: int
    title: str
    purpose: str


class AreaIn(Schema):
    pillar: int  # the pillar's number
    title: Text


class AreaOut(Schema):
    pillar: int
    number: int
    title: str


class StructureOut(Schema):
    pillars: int
    measures: int
    departments: int


class StartIn(Schema):
    deadline: datetime.date | None = None


class StartOut(YearOut):
    unreachable: list[str]  # departments no mail reaches: no contact address, no editor


@post("/plans", response={200: NewPlanOut, **SIGNED_IN}, summary="指針と最初の年度（準備中）を作る")
def create_plan(request: HttpRequest, payload: NewPlanIn) -> Status[dict[str, Any]]:
    _administer(request)

    def made(fiscal_year: FiscalYear) -> dict[str, Any]:
        plan = fiscal_year.plan
        return {
            "id": plan.pk,
            "name": plan.name,
            "municipality": str(plan.municipality),
            "municipality_code": plan.municipality.code,
            "year": fiscal_year.year,
            "status": fiscal_year.status,
        }

    return _step(
        lambda: actions.do_create_plan(
            municipality=payload.municipality, name=payload.name, first_year=payload.first_year, by=_account(request)
        ),
        made,
    )


def _department_out(department: Department) -> dict[str, Any]:
    return {
        "id": department.pk,
        "name": department.name,
        "position": department.position,
        "reading": department.reading,
        "email": department.email,
    }


@api.get(
    "/plans/{plan_id}/departments",
    response={200: list[DepartmentOut], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="担当課（組織順・よみがな・連絡先）",
)
def list_departments(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    _administer(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    return [_department_out(d) for d in Department.objects.filter(municipality=plan.municipality_id, merged_into=None)]


@api.put(
    "/plans/{plan_id}/departments",
    response={200: list[DepartmentOut], **SIGNED_IN},
    auth=session,
    tags=["管理者"],
    summary="担当課を追加し、組織順・よみがな・連絡先を保存する（名前で照合）",
)
def save_departments(request: HttpRequest, plan_id: Id, payload: list[DepartmentIn]) -> Status[Any]:
    _administer(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    rows = [DepartmentRow(d.name, d.position, d.reading, d.email) for d in payload]
    try:
        saved = actions.do_save_departments(plan, rows, by=_account(request))
    except actions.ActionError as err:
        return Status(400, {"detail": str(err)})
    return Status(200, [_department_out(d) for d in saved])


@post(
    "/plans/{plan_id}/years/{year}/pillars",
    response={200: PillarOut, **SIGNED_IN},
    summary="準備中の年度に基本方針を追加",
)
def add_pillar(request: HttpRequest, plan_id: Id, year: Year, payload: PillarIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    return _step(
        lambda: actions.do_add_pillar(fiscal_year, title=payload.title, purpose=payload.purpose, by=_account(request)),
        lambda p: {"number": p.number, "title": p.title, "purpose": p.purpose},
    )


@post(
    "/plans/{plan_id}/years/{year}/areas",
    response={200: AreaOut, **SIGNED_IN},
    summary="準備中の年度に施策の方向を追加",
)
def add_area(request: HttpRequest, plan_id: Id, year: Year, payload: AreaIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    pillar = Pillar.objects.filter(plan_id=plan_id, number=payload.pillar).first()
    if pillar is None:
        return Status(400, {"detail": f"基本方針{payload.pillar}がありません"})
    return _step(
        lambda: actions.do_add_area(fiscal_year, pillar, title=payload.title, by=_account(request)),
        lambda a: {"pillar": pillar.number, "number": a.number, "title": a.title},
    )


@post(
    "/plans/{plan_id}/years/{year}/structure",
    response={200: StructureOut, **SIGNED_IN},
    summary="準備中の年度の構成を構成のブック（.xlsx、multipart の workbook）で置き換える",
)
def load_structure(
    request: HttpRequest, plan_id: Id, year: Year, workbook: File[UploadedFile]
) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    if problem := workbooks.too_large(workbook.size or 0):
        return Status(400, {"detail": problem})
    try:
        structure = structure_workbook.parse(workbook.read(), workbook.name or "workbook.xlsx")
    except FormatError as err:
        return Status(400, {"detail": str(err)})
    return _step(
        lambda: actions.do_load_structure(fiscal_year, structure, by=_account(request)),
        lambda count: {"pillars": len(structure.pillars), "measures": count, "departments": len(structure.departments)},
    )


@post(
    "/plans/{plan_id}/years/{year}/start",
    response={200: StartOut, **SIGNED_IN},
    summary="準備中の年度の照会を始める（担当課ごとの取組みを作る）",
)
def start_collection(request: HttpRequest, plan_id: Id, year: Year, payload: StartIn) -> Status[dict[str, Any]]:
    _administer(request)
    fiscal_year = _year(plan_id, year)
    return _step(
        lambda: actions.do_start_collection(fiscal_year, deadline=payload.deadline, by=_account(request)),
        lambda sent: {**_year_out(fiscal_year), "unreachable": list(sent.unreachable)},
    )
