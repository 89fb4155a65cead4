"""The plan's structure (機構改革): add, rename and retire measures; rename and merge departments."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shishin.plans import actions, wording
from shishin.plans.models import Area, Assignment, Department, FiscalYear, Measure, Pillar
from shishin.plans.permissions import Right

from ..forms import AddMeasureForm, MergeDepartmentsForm, RenameDepartmentForm, RenameMeasureForm, first_error
from . import account, fiscal_year_or_404, refuse, staff_view, step


@staff_view(Right.ADMINISTER)
def structure(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The measures in force this year and the departments, each with its steps."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    plan = fiscal_year.plan
    places = []
    pillars = wording.in_year(Pillar.objects.filter(plan=plan).order_by("number"), fiscal_year)
    areas = wording.in_year(Area.objects.filter(pillar__plan=plan).order_by("number"), fiscal_year)
    for pillar in pillars:
        places.append((f"{pillar.pk}:", str(pillar)))
        places += [(f"{pillar.pk}:{area.pk}", f"{pillar} ／ {area}") for area in areas if area.pillar_id == pillar.pk]
    measures = wording.in_year(Measure.objects.in_year(year).filter(plan=plan).order_by("position"), fiscal_year)
    carried: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in (
        Assignment.objects.filter(fiscal_year=fiscal_year)
        .order_by("position")
        .values_list("measure_id", "department__name")
    ):
        carried[measure_id].append(name)
    for measure in measures:
        measure.carried_by = carried[measure.pk]  # type: ignore[attr-defined]
    context = {
        "fiscal_year": fiscal_year,
        "preparing": fiscal_year.status == FiscalYear.Status.PREPARING,
        "pillars": pillars,
        "areas": areas,
        "measures": measures,
        "departments": Department.objects.filter(municipality=plan.municipality, merged_into=None),
        "places": places,
    }
    return render(request, "staff/structure.html", context)


def _back(fiscal_year: FiscalYear) -> HttpResponse:
    return redirect("staff:structure", fiscal_year.plan_id, fiscal_year.year)


@staff_view(Right.ADMINISTER, post=True)
def add_measure(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = AddMeasureForm(request.POST, plan=fiscal_year.plan)
    if not form.is_valid():
        return refuse(request, _back(fiscal_year), first_error(form))
    pillar, area = form.cleaned_data["place"]

    def run() -> str:
        actions.do_add_measure(
            fiscal_year,
            pillar=pillar,
            area=area,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            departments=form.department_names(),
            by=account(request),
        )
        return "施策を追加しました"

    return step(request, _back(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def rename_measure(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    measure = wording.in_year([get_object_or_404(Measure, plan_id=plan_id, pk=measure_id)], fiscal_year)[0]
    form = RenameMeasureForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(fiscal_year), first_error(form))

    def run() -> str:
        title = form.cleaned_data["title"]
        actions.do_rename_measure(
            measure, fiscal_year, title=title, description=measure.description, by=account(request)
        )
        return "施策の名称を変更しました"

    return step(request, _back(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def retire_measure(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    measure = wording.in_year([get_object_or_404(Measure, plan_id=plan_id, pk=measure_id)], fiscal_year)[0]

    def run() -> str:
        actions.do_retire_measure(measure, fiscal_year, by=account(request))
        return f"「{measure.title}」を終了しました"

    return step(request, _back(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def rename_department(request: HttpRequest, plan_id: int, year: int, department_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    department = get_object_or_404(Department, municipality=fiscal_year.plan.municipality_id, pk=department_id)
    form = RenameDepartmentForm(request.POST)
    if not form.is_valid():
        return refuse(request, _back(fiscal_year), first_error(form))

    def run() -> str:
        actions.do_rename_department(department, fiscal_year, name=form.cleaned_data["name"], by=account(request))
        return "担当課の名称を変更しました"

    return step(request, _back(fiscal_year), run)


@staff_view(Right.ADMINISTER, post=True)
def merge_departments(request: HttpRequest, plan_id: int, year: int, department_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    department = get_object_or_404(Department, municipality=fiscal_year.plan.municipality_id, pk=department_id)
    form = MergeDepartmentsForm(request.POST, plan=fiscal_year.plan)
    if not form.is_valid():
        return refuse(request, _back(fiscal_year), first_error(form))
    target = form.cleaned_data["target"]

    def run() -> str:
        actions.do_merge_departments(department, target, fiscal_year, by=account(request))
        return f"「{department.name}」を「{target.name}」に統合しました"

    return step(request, _back(fiscal_year), run)
