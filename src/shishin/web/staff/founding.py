"""A plan from nothing: create it, list its departments, build its first year's structure (or upload
it as a workbook) and start the collection. The departments page serves every plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from shishin.plans import actions
from shishin.plans.documents import structure_of
from shishin.plans.models import Department, FiscalYear, Plan
from shishin.plans.permissions import Right
from shishin.report import structure_workbook, workbooks
from shishin.report.records import FormatError
from shishin.report.structure_workbook import DepartmentRow

from ..forms import (
    AreaForm,
    DepartmentForm,
    DepartmentFormSet,
    NewPlanForm,
    PillarForm,
    StartCollectionForm,
    WorkbookForm,
    first_error,
)
from . import account, fiscal_year_or_404, refuse, staff_view, step

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(Right.ADMINISTER)
def new_plan(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/new_plan.html", {"form": NewPlanForm()})


@staff_view(Right.ADMINISTER, post=True)
def create_plan(request: HttpRequest) -> HttpResponse:
    form = NewPlanForm(request.POST)
    if not form.is_valid():
        return render(request, "staff/new_plan.html", {"form": form, "error": first_error(form)}, status=400)
    try:
        fiscal_year = actions.do_create_plan(**form.cleaned_data, by=account(request))
    except actions.ActionError as err:
        return render(request, "staff/new_plan.html", {"form": form, "error": str(err)}, status=400)
    return redirect("staff:departments", fiscal_year.plan_id)


def _structure_page(fiscal_year: FiscalYear) -> HttpResponse:
    return redirect("staff:structure", fiscal_year.plan_id, fiscal_year.year)


@staff_view(Right.ADMINISTER, post=True)
def add_pillar(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = PillarForm(request.POST)
    if not form.is_valid():
        return refuse(request, _structure_page(fiscal_year), first_error(form))

    def run() -> str:
        pillar = actions.do_add_pillar(fiscal_year, **form.cleaned_data, by=account(request))
        return f"基本方針{pillar.number}「{pillar.title}」を追加しました"

    return step(request, _structure_page(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def add_area(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = AreaForm(request.POST, plan=fiscal_year.plan)
    if not form.is_valid():
        return refuse(request, _structure_page(fiscal_year), first_error(form))

    def run() -> str:
        pillar = form.cleaned_data["pillar"]
        area = actions.do_add_area(fiscal_year, pillar, title=form.cleaned_data["title"], by=account(request))
        return f"基本方針{pillar.number}に施策の方向（{area.number}）「{area.title}」を追加しました"

    return step(request, _structure_page(fiscal_year), run)


@staff_view(Right.ADMINISTER)
def structure_download(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The structure workbook: the year's structure so far and the departments (empty: the template)."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    response = HttpResponse(structure_workbook.render(structure_of(fiscal_year)), content_type=XLSX)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{fiscal_year.plan}_構成_{fiscal_year.year}.xlsx")
        or ""
    )
    return response


@staff_view(Right.ADMINISTER, post=True)
def structure_upload(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse(request, _structure_page(fiscal_year), first_error(form))
    upload = form.cleaned_data["workbook"]
    if problem := workbooks.too_large(upload.size or 0):
        return refuse(request, _structure_page(fiscal_year), problem)
    try:
        structure = structure_workbook.parse(upload.read(), upload.name)
    except FormatError as err:
        return refuse(request, _structure_page(fiscal_year), f"取り込めませんでした。{err}")

    def run() -> str:
        count = actions.do_load_structure(fiscal_year, structure, by=account(request))
        return (
            f"構成を取り込みました（基本方針 {len(structure.pillars)} 件、施策 {count} 件、"
            f"担当課 {len(structure.departments)} 件）"
        )

    return step(request, _structure_page(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def start_collection(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = StartCollectionForm(request.POST)
    if not form.is_valid():
        return refuse(request, _structure_page(fiscal_year), first_error(form))
    try:
        sent = actions.do_start_collection(fiscal_year, deadline=form.cleaned_data["deadline"], by=account(request))
    except actions.ActionError as err:
        return refuse(request, _structure_page(fiscal_year), str(err))
    messages.success(request, f"{fiscal_year.label}の照会を始めました（取組み {fiscal_year.records.count()} 件）")
    if sent.unreachable:
        messages.warning(
            request,
            f"連絡先もアカウントもないため依頼のメールが届かない担当課（{len(sent.unreachable)}）: "
            f"{'、'.join(sent.unreachable)}。担当課の連絡先を登録するか、担当者を招待してください",
        )
    return redirect("staff:board", plan_id, year)


@staff_view(Right.ADMINISTER)
def departments(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=plan_id)
    return _departments_page(request, plan, _department_forms(plan))


def _department_forms(plan: Plan, data: Any = None) -> BaseFormSet[DepartmentForm]:
    """The departments page's rows: one per department (its name fixed), then blank ones to add;
    with ``data``, as sent, each row still knowing the department it was shown for."""
    listed = Department.objects.filter(municipality=plan.municipality, merged_into=None)
    initial = [{"name": d.name, "position": d.position, "reading": d.reading, "email": d.email} for d in listed]
    return DepartmentFormSet(data, initial=initial, prefix="department")


def _departments_page(
    request: HttpRequest, plan: Plan, forms: BaseFormSet[DepartmentForm], status: int = 200
) -> HttpResponse:
    preparing = plan.fiscal_years.filter(status=FiscalYear.Status.PREPARING).first()
    context = {"plan": plan, "formset": forms, "preparing": preparing}
    return render(request, "staff/departments.html", context, status=status)


@staff_view(Right.ADMINISTER, post=True)
def save_departments(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Save the whole list: each department's order, reading and contact address, and the new ones."""
    plan = get_object_or_404(Plan.objects.select_related("municipality"), pk=plan_id)
    forms = _department_forms(plan, request.POST)
    if not forms.is_valid():
        messages.error(request, "担当課の一覧に直すところがあります（各行のエラーを見てください）")
        return _departments_page(request, plan, forms, status=400)
    rows = [
        DepartmentRow(f["name"].strip(), f["position"], f["reading"], f["email"])
        for f in forms.cleaned_data
        if f.get("name", "").strip()
    ]
    try:
        actions.do_save_departments(plan, rows, by=account(request))
    except actions.ActionError as err:
        messages.error(request, str(err))
        return _departments_page(request, plan, forms, status=400)
    messages.success(request, f"担当課 {len(rows)} 件を保存しました")
    return redirect("staff:departments", plan.pk)
