"""The council's assessment of each measure (協議会の評価): the year's list, one measure's page with what
the council reads (its indicators against their targets, the departments' own assessments) and the
form, and the steps — save, submit (reviewers), approve and return (administrators)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from shishin.plans import evaluation_report
from shishin.plans.actions import council
from shishin.plans.actions.evaluation import scale_of
from shishin.plans.models import CouncilAssessment, Measure, Record
from shishin.plans.permissions import Right, access
from shishin.report import evaluation as formats

from ..forms import ReasonForm, VersionForm, first_error
from . import account, fiscal_year_or_404, refuse, staff_view, step


@staff_view(Right.ASSESS)
def year(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Every measure of the year with its council assessment's state."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    assessed = {a.measure_id: a for a in CouncilAssessment.objects.filter(fiscal_year=fiscal_year)}
    measures = Measure.objects.filter(records__fiscal_year=fiscal_year).distinct().order_by("position")
    rows = [(measure, assessed.get(measure.pk)) for measure in measures]
    context = {"fiscal_year": fiscal_year, "rows": rows, "is_administrator": access(request).is_administrator}
    return render(request, "staff/council.html", context)


@staff_view(Right.ASSESS)
def measure(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    found = get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)
    shown = evaluation_report.measure_of(fiscal_year, found)
    if shown is None:
        return refuse(
            request,
            redirect("staff:council", plan_id, year),
            f"施策「{found}」は{fiscal_year.label}の施策ではありません",
        )
    assessment = CouncilAssessment.objects.filter(fiscal_year=fiscal_year, measure=found).first()
    indicators = [
        {
            **i,
            "baseline_text": formats.in_year(i["baseline"], i["unit"]),
            "target_text": formats.target_text(i),
            "actual_text": formats.number(i["actual"], i["unit"]),
            "rate_text": formats.rate(i["rate"]),
        }
        for i in shown["indicators"]
    ]
    person = access(request)
    context = {
        "fiscal_year": fiscal_year,
        "measure": found,
        "shown": shown,
        "indicators": indicators,
        "assessment": assessment,
        "grades": [band.grade for band in scale_of(fiscal_year.plan).bands],
        "writable": fiscal_year.status in ("collecting", "locked")
        and (assessment is None or assessment.state in (Record.State.DRAFT, Record.State.RETURNED)),
        "is_administrator": person.is_administrator,
        "history": assessment.history.select_related("history_user").order_by("-history_date") if assessment else [],
    }
    return render(request, "staff/council_measure.html", context)


def _found(plan_id: int, year: int, measure_id: int) -> CouncilAssessment:
    return get_object_or_404(
        CouncilAssessment.objects.select_related("fiscal_year__plan"),
        fiscal_year__plan_id=plan_id,
        fiscal_year__year=year,
        measure_id=measure_id,
    )


@staff_view(Right.ASSESS, post=True)
def save(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    found = get_object_or_404(Measure, pk=measure_id, plan_id=plan_id)
    back = redirect("staff:council_measure", plan_id, year, measure_id)
    form = VersionForm(request.POST)  # 0: none written yet
    if not form.is_valid():
        return refuse(request, back, first_error(form))
    submitting = "submit" in request.POST

    def run() -> str:
        saved = council.do_save_council_assessment(
            fiscal_year,
            found,
            grade=request.POST.get("grade", ""),
            opinion=request.POST.get("opinion", ""),
            version=form.cleaned_data["version"],
            by=account(request),
        )
        if submitting:
            council.do_submit_council_assessment(saved, version=saved.version, by=account(request))
            return "協議会の評価を保存して提出しました"
        return "協議会の評価を保存しました"

    return step(request, back, run)


@staff_view(Right.ADMINISTER, post=True)
def approve(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    found = _found(plan_id, year, measure_id)
    back = redirect("staff:council_measure", plan_id, year, measure_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return refuse(request, back, first_error(form))

    def run() -> str:
        council.do_approve_council_assessment(found, version=form.cleaned_data["version"], by=account(request))
        return "協議会の評価を承認しました（公表すると評価表に載ります）"

    return step(request, back, run)


@staff_view(Right.ADMINISTER, post=True)
def return_(request: HttpRequest, plan_id: int, year: int, measure_id: int) -> HttpResponse:
    found = _found(plan_id, year, measure_id)
    back = redirect("staff:council_measure", plan_id, year, measure_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refuse(request, back, first_error(form))
    reason, version = form.cleaned_data["reason"], form.cleaned_data["version"]

    def run() -> str:
        council.do_return_council_assessment(found, reason=reason, version=version, by=account(request))
        return "協議会の評価を差し戻しました"

    return step(request, back, run)
