"""The year's work: an editor's task list, opening a year, the completion board, and the year's steps."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, Max, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from shishin.plans import actions, editions, evaluation_report, wording
from shishin.plans.actions.collection import ready_to_publish
from shishin.plans.documents import issuer_of
from shishin.plans.mail import problems
from shishin.plans.models import (
    Comment,
    CouncilAssessment,
    FiscalYear,
    Item,
    Membership,
    Plan,
    Record,
    Unit,
    organisation_order,
)
from shishin.plans.permissions import Right, access
from shishin.report import evaluation as evaluation_formats
from shishin.report.formats import FORMATS
from shishin.report.records import Document
from shishin.review import compare
from shishin.review.checks import ERROR, run_checks

from ..forms import ConfirmForm, OpenYearForm, PublishForm, ReopenForm, first_error
from ..views import changes_table, evaluation_context, report_context
from . import account, fiscal_year_or_404, refuse, staff_view, step

# An editor's tasks: what was returned first, then what is not begun, drafts, and what is handed in.
TASK_ORDER = Case(
    *(
        When(state=state, then=Value(n))
        for n, state in enumerate(
            (Record.State.RETURNED, Record.State.NOT_STARTED, Record.State.DRAFT, Record.State.SUBMITTED)
        )
    ),
    default=Value(9),
    output_field=IntegerField(),
)


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    """An editor's task list; the years for administrators and reviewers."""
    person = access(request)
    role = person.role
    context: dict[str, Any] = {"role_label": Membership.Role(role).label if role else "", "tasks": None}
    if role == Membership.Role.EDITOR:
        tasks = wording.of_records(
            Record.objects.filter(
                department__in=person.department_ids, fiscal_year__status=FiscalYear.Status.COLLECTING
            )
            .select_related("fiscal_year", "measure", "department")
            .order_by("fiscal_year__year", TASK_ORDER, "measure__position")
        )
        carried = set(Item.objects.filter(record__in=tasks, carried_over=True).values_list("record_id", flat=True))
        reasons = {
            c.record_id: c
            for c in Comment.objects.filter(record__in=tasks, kind=Comment.Kind.RETURN).order_by("created_at", "pk")
        }  # the latest return of each record
        for task in tasks:
            task.carried = task.pk in carried  # type: ignore[attr-defined]
            task.return_reason = reasons.get(task.pk) if task.state == Record.State.RETURNED else None  # type: ignore[attr-defined]
        context["tasks"] = tasks
        context["years"] = None
    else:
        years = FiscalYear.objects.select_related("plan").annotate(edition=Max("editions__number"))
        context["years"] = list(years.order_by("plan__name", "-year"))
    context["plans"] = None
    if person.is_administrator:
        context["outbox"] = problems()
        context["plans"] = list(Plan.objects.select_related("municipality").order_by("municipality__code", "name"))
        latest = (
            Plan.objects.annotate(latest=Max("fiscal_years__year"))
            .filter(latest__isnull=False)
            .exclude(fiscal_years__status=FiscalYear.Status.PREPARING)
            .values_list("pk", "latest")
        )
        plans = {plan.pk: plan for plan in context["plans"]}
        context["openable"] = [(plans[pk], year + 1) for pk, year in latest]
    return render(request, "staff/home.html", context)


@staff_view(Right.ADMINISTER, post=True)
def open_year(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    form = OpenYearForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:home"), "年度と提出期限（YYYY-MM-DD）を正しく入力してください")
    try:
        opened = actions.do_open_fiscal_year(
            plan, form.cleaned_data["year"], deadline=form.cleaned_data["deadline"], by=account(request)
        )
    except actions.ActionError as err:
        return refuse(request, redirect("staff:home"), str(err))
    messages.success(request, f"{opened.label}を開始しました（取組み {opened.records.count()} 件）")
    return redirect("staff:board", plan.pk, opened.year)


@staff_view(Right.READ_DRAFTS)
def board(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The completion board: every department and measure of the year, its state and last change."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    records = wording.of_records(
        fiscal_year.records.select_related("measure", "department", "updated_by").order_by(
            *organisation_order("department__"), "measure__position"
        )
    )
    states = Counter(r.state for r in records)
    context = {
        "fiscal_year": fiscal_year,
        "records": records,
        "counts": [(label, states[value]) for value, label in Record.State.choices],
        "submitted": states[Record.State.SUBMITTED],
        "is_administrator": access(request).is_administrator,
        "publishable": ready_to_publish(fiscal_year),
    }
    return render(request, "staff/board.html", context)


@staff_view(Right.ADMINISTER, post=True)
def remind(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Remind every department with records not submitted, now; name those no address reaches."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    sent = actions.do_send_reminders(fiscal_year, by=account(request))
    if sent.mail:
        messages.success(
            request,
            f"{sent.departments} 担当課の未提出の取組みについて、{len(sent.mail)} 件の宛先に督促メールを送りました",
        )
    elif not sent.unreachable:
        messages.success(request, "未提出の取組みはありません")
    if sent.unreachable:
        messages.warning(
            request,
            f"連絡先がないため督促できなかった担当課（{len(sent.unreachable)}）: {'、'.join(sent.unreachable)}。"
            "担当課の連絡先メールアドレスか編集者を登録してください",
        )
    return redirect("staff:board", plan_id, year)


@staff_view(Right.ADMINISTER, post=True)
def approve_submitted(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:board", plan_id, year), first_error(form))

    def run() -> str:
        actions.do_approve_submitted(fiscal_year, by=account(request))
        return "提出済みの取組みを承認しました"

    return step(request, redirect("staff:board", plan_id, year), run)


@staff_view(Right.ADMINISTER)
def publishing(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Before publishing: the preview, the open error findings, and the confirmation."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    findings = run_checks(fiscal_year.plan, year)
    councils = Counter(CouncilAssessment.objects.filter(fiscal_year=fiscal_year).values_list("state", flat=True))
    context = {
        "fiscal_year": fiscal_year,
        "errors": [f for f in findings if f.severity == ERROR],
        "next_number": _next_edition(fiscal_year),
        "form": PublishForm(),
        "publishable": ready_to_publish(fiscal_year),
        "council_approved": councils[Record.State.APPROVED],
        "council_pending": sum(councils.values()) - councils[Record.State.APPROVED],
    }
    return render(request, "staff/publish.html", context)


def _next_edition(fiscal_year: FiscalYear) -> int:
    current = fiscal_year.editions.order_by("-number").first()
    return current.number + 1 if current else 1


@staff_view(Right.ADMINISTER, post=True)
def publish(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = PublishForm(request.POST)
    back = redirect("staff:publishing", plan_id, year)
    if not form.is_valid():
        return refuse(request, back, first_error(form))

    def run() -> str:
        actions.do_publish_year(fiscal_year, override_reason=form.cleaned_data["override_reason"], by=account(request))
        edition = fiscal_year.editions.order_by("-number").first()
        return f"{fiscal_year.label}を{edition.label if edition else ''}として公表しました"

    try:
        messages.success(request, run())
    except actions.ActionError as err:
        return refuse(request, back, str(err))
    return redirect("staff:board", plan_id, year)


def _draft(fiscal_year: FiscalYear) -> Document:
    """The year's report exactly as its next edition would say it (read back from its text, as publishing does)."""
    return editions.parse(editions.draft_text(fiscal_year.plan, fiscal_year.year))


@staff_view(Right.ADMINISTER)
def preview(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The year's report exactly as publishing it would make its next edition."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    document = _draft(fiscal_year)
    measures = wording.measure_titles(fiscal_year.plan, fiscal_year)
    issuer = issuer_of(fiscal_year.plan, document.years)
    context = report_context(fiscal_year, document, issuer, measures)
    # The public report's table of changes, as it will read with the numbers corrected so far.
    changes = changes_table(compare.compare_report(document, issuer, Unit.mapping()), measures)
    return render(request, "web/report.html", context | {"next_number": _next_edition(fiscal_year), "changes": changes})


@staff_view(Right.ADMINISTER)
def preview_pdf(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    document = _draft(fiscal_year)
    pdf = FORMATS["pdf"].write(document, issuer_of(fiscal_year.plan, document.years), Unit.mapping())
    response = HttpResponse(pdf, content_type=FORMATS["pdf"].content_type)
    response["Content-Disposition"] = f'inline; filename="preview-{year}.pdf"'
    return response


@staff_view(Right.READ_DRAFTS)
def evaluation_preview(request: HttpRequest, plan_id: int, year: int, format: str = "") -> HttpResponse:
    """The year's evaluation as publishing it now would freeze it, as a page or a file (for the council's
    papers before publishing)."""
    fiscal_year = fiscal_year_or_404(plan_id, year)
    document = evaluation_report.build(fiscal_year)
    if format:
        written = evaluation_formats.FORMATS.get(format)
        if written is None:
            raise Http404("unknown format")
        response = HttpResponse(written.write(document), content_type=written.media_type)
        name = f"evaluation-preview-{year}.{written.extension}"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or ""
        return response
    context = evaluation_context(
        fiscal_year, document, lambda format: reverse("staff:evaluation_preview_file", args=[plan_id, year, format])
    )
    return render(request, "web/evaluation.html", context)


@staff_view(Right.ADMINISTER, post=True)
def reopen(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    fiscal_year = fiscal_year_or_404(plan_id, year)
    form = ReopenForm(request.POST)
    form.is_valid()  # a reason is free text; the action refuses an empty one

    def run() -> str:
        actions.do_reopen_year(fiscal_year, reason=form.cleaned_data.get("reason", ""), by=account(request))
        return f"{fiscal_year.label}の照会を再開しました"

    return step(request, redirect("staff:board", plan_id, year), run)
