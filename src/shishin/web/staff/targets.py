"""Targets of the measures' indicators (進行管理): the plan's list, one measure's page, setting and revising."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from shishin.lib import grading
from shishin.plans import actions
from shishin.plans.actions import evaluation
from shishin.plans.actions.evaluation import indicators_of, targets_of
from shishin.plans.models import Measure, Plan, Target
from shishin.plans.permissions import Right
from shishin.report import targets_workbook, workbooks
from shishin.report.records import FormatError

from ..forms import TargetForm, WorkbookForm, first_error
from . import account, refuse, staff_view, step
from .founding import XLSX


def _rows(measure: Measure) -> list[dict[str, object]]:
    """Each indicator of the measure with its target in force and, when it was revised, the original."""
    set_for = targets_of(measure)
    rows: list[dict[str, object]] = []
    for indicator, unit in indicators_of(measure).items():
        history = set_for.get(indicator, [])
        rows.append(
            {
                "indicator": indicator,
                "unit": unit,
                "current": history[-1] if history else None,
                "original": history[0] if len(history) > 1 else None,
                "revisions": len(history) - 1 if history else 0,
            }
        )
    return rows


@staff_view(Right.ADMINISTER)
def plan_targets(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Every measure of the plan with its indicators and their targets."""
    plan = get_object_or_404(Plan, pk=plan_id)
    measures = [(measure, _rows(measure)) for measure in Measure.objects.filter(plan=plan).order_by("position")]
    return render(request, "staff/targets.html", {"plan": plan, "measures": measures})


@staff_view(Right.ADMINISTER)
def measure_targets(request: HttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    """One measure's indicators, their targets (with every revision) and the form that sets one."""
    measure = get_object_or_404(Measure.objects.select_related("plan"), pk=measure_id, plan_id=plan_id)
    rows = _rows(measure)
    scale = evaluation.scale_of(measure.plan)
    graded = [
        (row, evaluation.achievements(measure, row["current"], scale))
        for row in rows
        if isinstance(row["current"], Target)
    ]
    context = {
        "plan": measure.plan,
        "measure": measure,
        "rows": rows,
        "graded": graded,
        "history": Target.objects.filter(measure=measure).select_related("set_by").order_by("indicator", "set_at"),
        "kinds": Target.Kind.choices,
        "directions": Target.Direction.choices,
    }
    return render(request, "staff/measure_targets.html", context)


@staff_view(Right.ADMINISTER, post=True)
def set_target(request: HttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)
    back = redirect("staff:measure_targets", plan_id, measure_id)
    form = TargetForm(request.POST)
    if not form.is_valid():
        return refuse(request, back, first_error(form))
    data = form.cleaned_data
    unit = indicators_of(measure).get(data["indicator"], "")

    def run() -> str:
        wanted = actions.TargetIn(unit=unit, **data)
        earlier = Target.objects.filter(measure=measure, indicator=wanted.indicator)
        before = earlier.count()
        actions.do_set_target(measure, wanted, by=account(request))
        if earlier.count() == before:
            return f"指標「{wanted.indicator}」の目標は設定済みのとおりです（変更はありません）"
        if before:
            return f"指標「{wanted.indicator}」の目標を見直しました（元の目標も表示します）"
        return f"指標「{wanted.indicator}」の目標を設定しました"

    return step(request, back, run)


@staff_view(Right.ADMINISTER)
def targets_download(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The targets workbook: every measure's indicators with the targets in force."""
    plan = get_object_or_404(Plan, pk=plan_id)
    response = HttpResponse(targets_workbook.render(evaluation.workbook_rows(plan)), content_type=XLSX)
    disposition = content_disposition_header(as_attachment=True, filename=f"{plan}_目標.xlsx")
    response["Content-Disposition"] = disposition or ""
    return response


@staff_view(Right.ADMINISTER, post=True)
def targets_upload(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    back = redirect("staff:targets", plan_id)
    form = WorkbookForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse(request, back, first_error(form))
    upload = form.cleaned_data["workbook"]
    if problem := workbooks.too_large(upload.size or 0):
        return refuse(request, back, problem)
    try:
        rows = targets_workbook.parse(upload.read(), upload.name)
    except FormatError as err:
        return refuse(request, back, f"取り込めませんでした。{err}")

    def run() -> str:
        count = actions.do_set_targets(plan, rows, by=account(request))
        return f"目標を {count} 件設定・見直しました" if count else "変わった目標はありませんでした"

    return step(request, back, run)


@staff_view(Right.ADMINISTER)
def grade_scale(request: HttpRequest, plan_id: int) -> HttpResponse:
    """How the plan grades its indicators, and the form that changes it."""
    plan = get_object_or_404(Plan, pk=plan_id)
    scale = evaluation.scale_of(plan)
    context = {"plan": plan, "bands": grading.lines(scale), "scale": scale, "default": grading.lines(grading.DEFAULT)}
    return render(request, "staff/grade_scale.html", context)


@staff_view(Right.ADMINISTER, post=True)
def set_grade_scale(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    back = redirect("staff:grade_scale", plan_id)

    def run() -> str:
        actions.do_set_grade_scale(
            plan,
            request.POST.get("bands", ""),
            request.POST.get("no_target", ""),
            request.POST.get("no_value", ""),
            by=account(request),
        )
        return "評価の段階を保存しました（評価はすべてこの段階で計算し直します）"

    return step(request, back, run)
