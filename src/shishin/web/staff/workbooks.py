"""Departments' workbooks (記入用ブック): download a department's for an open year (all of them in a zip,
for the administrator), upload filled ones to see what they change, then save that."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from shishin.plans import workbooks
from shishin.plans.actions import ActionError
from shishin.plans.models import Department, FiscalYear
from shishin.plans.permissions import Right, access
from shishin.plans.workbooks import Reading, Upload, WorkbookConflict
from shishin.report.workbooks import too_large

from . import account, fiscal_year_or_404, refuse, staff_view

# The form field of the upload, one file or several.
FIELD = "workbook"


def _department_or_403(request: HttpRequest, fiscal_year: FiscalYear, department_id: int) -> Department:
    """A department asked for records in ``fiscal_year``, if the signed-in person fills in its workbook."""
    department = get_object_or_404(workbooks.departments_of(fiscal_year), pk=department_id)
    if not workbooks.may_fill(access(request), department):
        raise PermissionDenied
    return department


def _back(request: HttpRequest, fiscal_year: FiscalYear) -> str:
    """Where the person came from: the year's board for the administrator, the task list for editors."""
    if access(request).is_administrator:
        return reverse("staff:board", args=[fiscal_year.plan_id, fiscal_year.year])
    return reverse("staff:home")


def _attachment(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
    return response


@staff_view()
def download(request: HttpRequest, plan_id: int, year: int, department_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    department = _department_or_403(request, fiscal_year, department_id)
    try:
        data = workbooks.render(fiscal_year, department, access(request))
    except ActionError as err:
        return refuse(request, redirect(_back(request, fiscal_year)), str(err))
    return _attachment(data, workbooks.CONTENT_TYPE, workbooks.file_name(fiscal_year, department))


@staff_view(Right.ADMINISTER)
def download_all(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    try:
        data = workbooks.render_all(fiscal_year, access(request))
    except ActionError as err:
        return refuse(request, redirect(_back(request, fiscal_year)), str(err))
    return _attachment(data, "application/zip", f"{fiscal_year.year}_記入用ブック.zip")


@staff_view(post=True)
def check(request: HttpRequest, plan_id: int, year: int, department_id: int | None = None) -> HttpResponse:
    """Read the uploaded workbooks (a department's, or several for the administrator) and show what
    they would change, with the button to save it; nothing is written."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    if department_id is not None:
        department = _department_or_403(request, fiscal_year, department_id)
    elif access(request).is_administrator:
        department = None
    else:
        raise PermissionDenied
    files = request.FILES.getlist(FIELD)
    if not files:
        return refuse(request, redirect(_back(request, fiscal_year)), "記入した Excel ブック（.xlsx）を選んでください")
    if department is not None and len(files) > 1:
        return refuse(request, redirect(_back(request, fiscal_year)), "記入用ブックは1つだけ選んでください")
    oversized = [
        Upload(f.name or "", error=f"{f.name}:-: {problem}") for f in files if (problem := too_large(f.size or 0))
    ]
    if oversized:  # refused from their size, before they are read whole
        return _page(request, fiscal_year, Reading(oversized), department)
    try:
        reading = workbooks.read(fiscal_year, [(f.name or "", f.read()) for f in files], access(request), department)
    except ActionError as err:
        return refuse(request, redirect(_back(request, fiscal_year)), str(err))
    return _page(request, fiscal_year, reading, department)


@staff_view(post=True)
def save(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Save what the person saw on the check page, unless a record changed since (then show it again)."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    try:
        reading = workbooks.recheck(fiscal_year, request.POST.get("checked", ""), account(request), access(request))
    except ActionError as err:
        return refuse(request, redirect(_back(request, fiscal_year)), str(err))
    if reading.errors or reading.conflicts:
        return _page(request, fiscal_year, reading)
    try:
        saved = workbooks.save(reading, by=account(request))
    except WorkbookConflict as conflict:
        return _page(request, fiscal_year, reading, conflict=conflict)
    except ActionError as err:
        return refuse(request, redirect(_back(request, fiscal_year)), str(err))
    if saved:
        messages.success(request, f"記入用ブックから {len(saved)} 件の取組みを保存しました（まだ提出はしていません）")
    else:
        messages.success(request, "記入用ブックに変更はありませんでした")
    return redirect(_back(request, fiscal_year))


def _page(
    request: HttpRequest,
    fiscal_year: FiscalYear,
    reading: Reading,
    department: Department | None = None,
    conflict: WorkbookConflict | None = None,
) -> HttpResponse:
    """The check page: each workbook's changes (before and after), or why nothing can be saved."""
    conflicts = conflict.changes if conflict else reading.conflicts
    administrator = access(request).is_administrator
    if department is None and not administrator:
        department = next((u.department for u in reading.uploads if u.department), None)
    year = [fiscal_year.plan_id, fiscal_year.year]
    if department is not None and not administrator:
        retry = reverse("staff:check_workbook", args=[*year, department.pk])
    else:
        retry = reverse("staff:check_workbooks", args=year)
    context = {
        "fiscal_year": fiscal_year,
        "reading": reading,
        "conflicts": conflicts,
        "conflict_message": str(conflict or WorkbookConflict([])),
        "token": workbooks.checked(reading, account(request)) if reading.savable and not conflict else "",
        "retry": retry,
        "several": administrator,
        "back": _back(request, fiscal_year),
        "is_administrator": administrator,
    }
    status = 400 if reading.errors else 409 if conflicts else 200
    return render(request, "staff/workbook_check.html", context, status=status)
