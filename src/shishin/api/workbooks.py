"""A department's workbook (記入用ブック) through the API: download it, upload it filled in (or only ask
what it would change). The same reading, permissions and saving as the staff pages
(`shishin.web.staff.workbooks`)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from ninja import File, Query, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from shishin.plans import workbooks
from shishin.plans.actions import ActionError
from shishin.plans.models import Department, FiscalYear
from shishin.plans.permissions import access
from shishin.plans.workbooks import Change, WorkbookConflict
from shishin.report.department_workbook import SelfAssessment
from shishin.report.workbooks import too_large

from .views import SIGNED_IN, Id, ItemOut, RecordOut, Year, _account, _record_out, api, session
from .years import _year

PATH = "/plans/{plan_id}/years/{year}/departments/{department_id}/workbook"


class ItemsOut(Schema):
    items: list[ItemOut]
    no_activity: bool
    # The department's own assessment (as `RecordOut`'s); null where a workbook gives none (one downloaded
    # before workbooks carried it): saving leaves the record's.
    self_grade: str | None
    issues: str | None
    outlook: str | None


class WorkbookChangeOut(Schema):
    record_id: int
    measure: str
    version: int  # the record's version the workbook was written with
    before: ItemsOut  # as stored (before saving)
    after: ItemsOut  # as the workbook says


class WorkbookOut(Schema):
    department: str
    saved: bool  # false for a dry run
    changes: list[WorkbookChangeOut]


class WorkbookConflictOut(Schema):
    record_id: int
    measure: str
    workbook: ItemsOut
    current: RecordOut  # as someone else saved it since the workbook was written


class WorkbookConflictsOut(Schema):
    detail: str
    conflicts: list[WorkbookConflictOut]


def _items(items: Any, no_activity: bool, assessment: SelfAssessment | None) -> dict[str, Any]:
    return {
        "items": [{"text": i.text, "bullet": i.bullet} for i in items],
        "no_activity": no_activity,
        "self_grade": assessment and assessment.grade,
        "issues": assessment and assessment.issues,
        "outlook": assessment and assessment.outlook,
    }


def _stored(change: Change) -> dict[str, Any]:
    return _items(change.before, change.record.no_activity, change.stored_assessment)


def _workbook(change: Change) -> dict[str, Any]:
    return _items(change.answer.items, change.answer.no_activity, change.answer.assessment)


def _change_out(change: Change) -> dict[str, Any]:
    return {
        "record_id": change.record.pk,
        "measure": change.record.measure.title,
        "version": change.answer.version,
        "before": _stored(change),
        "after": _workbook(change),
    }


def _conflicts(changes: list[Change], detail: str) -> Status[dict[str, Any]]:
    return Status(
        409,
        {
            "detail": detail,
            "conflicts": [
                {
                    "record_id": c.record.pk,
                    "measure": c.record.measure.title,
                    "workbook": _workbook(c),
                    "current": _record_out(c.record),
                }
                for c in changes
            ],
        },
    )


def _department(request: HttpRequest, fiscal_year: FiscalYear, department_id: int) -> Department:
    """The department whose workbook is asked for, if the year has workbooks and the person may use its."""
    department = get_object_or_404(workbooks.departments_of(fiscal_year), pk=department_id)
    if not workbooks.may_fill(access(request), department):
        raise HttpError(403, "この担当課の記入用ブックを使う権限がありません")
    if why := workbooks.closed(fiscal_year):
        raise HttpError(404, why)  # a year not being collected has no workbook
    return department


@api.get(
    PATH,
    response={200: None, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary="担当課の記入用ブック（.xlsx）をダウンロード（担当課の編集者と管理者。照会中でない年度は 404）",
    openapi_extra={
        "responses": {
            200: {
                "description": "記入用ブック",
                "content": {workbooks.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_workbook(request: HttpRequest, plan_id: Id, year: Year, department_id: Id) -> HttpResponse:
    fiscal_year = _year(plan_id, year)
    department = _department(request, fiscal_year, department_id)
    data = workbooks.render(fiscal_year, department, access(request))
    response = HttpResponse(data, content_type=workbooks.CONTENT_TYPE)
    name = workbooks.file_name(fiscal_year, department)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response


@api.post(
    PATH,
    response={200: WorkbookOut, 409: WorkbookConflictsOut, **SIGNED_IN},
    auth=session,
    tags=["担当課"],
    summary=(
        "記入した記入用ブック（multipart の workbook）の変更を保存（dry_run=true なら変更点を答えるだけ）。"
        "取り込めないブックは 400（detail はシートとセル）、ダウンロード後にほかの人が保存した取組みを変えていれば 409"
    ),
)
def upload_workbook(
    request: HttpRequest,
    plan_id: Id,
    year: Year,
    department_id: Id,
    workbook: File[UploadedFile],
    dry_run: Annotated[bool, Query()] = False,
) -> Status[dict[str, Any]]:
    fiscal_year = _year(plan_id, year)
    department = _department(request, fiscal_year, department_id)
    name = workbook.name or "workbook.xlsx"
    if problem := too_large(workbook.size or 0):  # before reading it whole
        return Status(400, {"detail": f"{name}: {problem}"})
    try:
        reading = workbooks.read(fiscal_year, [(name, workbook.read())], access(request), department)
        if reading.errors:
            return Status(400, {"detail": reading.errors[0]})
        if reading.conflicts:
            return _conflicts(reading.conflicts, str(WorkbookConflict(reading.conflicts)))
        changes = [_change_out(c) for c in reading.changes]
        if not dry_run:
            workbooks.save(reading, by=_account(request))
    except WorkbookConflict as conflict:
        return _conflicts(conflict.changes, str(conflict))
    except ActionError as err:
        return Status(400, {"detail": str(err)})
    return Status(200, {"department": department.name, "saved": not dry_run and bool(changes), "changes": changes})
