"""A record's page, and the steps taken on it: save, submit, approve, return, comment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shishin.lib import quantities, tables
from shishin.plans import actions, wording
from shishin.plans.actions.evaluation import scale_of
from shishin.plans.models import Comment, Indicator, IndicatorCorrection, Item, Record, Unit
from shishin.plans.permissions import Access, Right, access
from shishin.report.reading import Fix
from shishin.review import numbers
from shishin.review.checks import SEVERITY_LABELS, run_checks

from ..forms import (
    CommentForm,
    IndicatorForm,
    ItemsForm,
    ReasonForm,
    SubmitForm,
    VersionForm,
    first_error,
    items_text,
)
from . import account, refuse, staff_view, step, typed_for, writer_token


def record_or_404(request: HttpRequest, record_id: int, allowed: Callable[[Access, Record], bool]) -> Record:
    """The record, if the signed-in person is ``allowed`` to act on it (e.g. `Access.can_edit_record`)."""
    found = get_object_or_404(
        Record.objects.select_related("fiscal_year__plan", "measure", "department").prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position")), "comments__author"
        ),
        pk=record_id,
    )
    if not allowed(access(request), found):
        raise PermissionDenied
    return found


@staff_view()
def record(request: HttpRequest, record_id: int) -> HttpResponse:
    """Read a record; the page offers the steps the person's role allows, and what was typed before
    the session ended, if anything was (`keep_typed`)."""
    found = record_or_404(request, record_id, Access.can_read_record)
    typed = typed_for(request, found.pk)
    if typed is None or not access(request).can_edit_record(found):
        return _page(request, found)
    messages.warning(
        request,
        "サインインが切れていたため、入力した内容はまだ保存されていません。下の欄に戻したので、確かめて保存してください。",
    )
    kept: dict[str, Any] = {"items_text": typed["items"], "typed_no_activity": typed["no_activity"]}
    if "self_grade" in typed:  # the self-assessment as typed with the items
        kept["typed_assessment"] = {name: typed[name] for name in ("self_grade", "issues", "outlook")}
    if str(typed["version"]).isdigit():
        kept["version"] = int(typed["version"])  # saved on the version it was written on: a later save is a conflict
    return _page(request, found, kept)


def _take(
    request: HttpRequest, found: Record, run: Callable[[], object], done: str, mine: str | None = None
) -> HttpResponse:
    """Take a step on ``found``: on success say ``done``; if someone changed the record since the page was
    shown, show the page again with theirs (and ``mine``, what this person typed); else say why not."""
    try:
        run()
    except actions.EditConflict as conflict:
        return _conflict(request, found, conflict, mine)
    except actions.ActionError as err:
        return refuse(request, redirect("staff:record", found.pk), str(err))
    messages.success(request, done)
    return redirect("staff:record", found.pk)


@staff_view(post=True)
def save(request: HttpRequest, record_id: int) -> HttpResponse:
    found = record_or_404(request, record_id, Access.can_edit_record)
    form = ItemsForm(request.POST)
    if not form.is_valid():
        return _invalid(request, found, form)
    items, version, none = form.items_list(), form.cleaned_data["version"], form.cleaned_data["no_activity"]
    assessed = form.assessment()
    return _take(
        request,
        found,
        lambda: actions.do_save_record(
            found, items, version=version, by=account(request), no_activity=none, assessment=assessed
        ),
        "保存しました",
        mine=items_text(items),
    )


@staff_view(post=True)
def submit(request: HttpRequest, record_id: int) -> HttpResponse:
    """Submit a record, once its editor confirms; with ``items``, save them first (「保存して提出する」)."""
    found = record_or_404(request, record_id, Access.can_edit_record)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _invalid(request, found, form)
    with_items = "items" in request.POST
    items, by = form.items_list(), account(request)

    def run() -> None:
        version = form.cleaned_data["version"]
        if with_items:
            none, assessed = form.cleaned_data["no_activity"], form.assessment()
            saved = actions.do_save_record(found, items, version=version, by=by, no_activity=none, assessment=assessed)
            version = saved.version
        actions.do_submit_record(found, version=version, by=by)

    return _take(request, found, run, "提出しました", mine=items_text(items) if with_items else None)


@staff_view(post=True)
def withdraw(request: HttpRequest, record_id: int) -> HttpResponse:
    """Take a submission back to edit it again (until it is approved)."""
    found = record_or_404(request, record_id, Access.can_read_record)
    if not access(request).can_withdraw(found):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:record", found.pk), first_error(form))
    version = form.cleaned_data["version"]
    return _take(
        request,
        found,
        lambda: actions.do_withdraw_record(found, version=version, by=account(request)),
        "提出を取り下げました。直して、もう一度提出してください",
    )


@staff_view(Right.ADMINISTER, post=True)
def approve(request: HttpRequest, record_id: int) -> HttpResponse:
    found = record_or_404(request, record_id, Access.can_read_record)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:record", found.pk), first_error(form))
    version = form.cleaned_data["version"]
    return _take(
        request, found, lambda: actions.do_approve_record(found, version=version, by=account(request)), "承認しました"
    )


@staff_view(Right.ADMINISTER, post=True)
def return_(request: HttpRequest, record_id: int) -> HttpResponse:
    found = record_or_404(request, record_id, Access.can_read_record)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:record", found.pk), first_error(form))
    reason, version = form.cleaned_data["reason"], form.cleaned_data["version"]
    return _take(
        request,
        found,
        lambda: actions.do_return_record(found, reason=reason, version=version, by=account(request)),
        "差し戻しました",
    )


@staff_view(post=True)
def comment(request: HttpRequest, record_id: int) -> HttpResponse:
    found = record_or_404(request, record_id, Access.can_comment)
    form = CommentForm(request.POST)
    form.is_valid()  # free text; the action refuses an empty comment
    text = form.cleaned_data.get("text", "")
    return _take(request, found, lambda: actions.do_comment(found, text=text, by=account(request)), "コメントしました")


@staff_view(post=True)
def correct_indicator(request: HttpRequest, record_id: int, indicator_id: int) -> HttpResponse:
    """Correct a number read from the record's text: who may edit the record may (while the year is open)."""
    found = record_or_404(request, record_id, Access.can_edit_record)
    back_to_year = request.POST.get("back") == "year"  # from the year's numbers (`numbers.year_numbers`)
    year_page = reverse("staff:year_numbers", args=[found.fiscal_year.plan_id, found.fiscal_year.year])
    indicator = Indicator.objects.filter(pk=indicator_id, item__record=found).first()
    if indicator is None:
        # The text was saved since the page was shown: its numbers were read again, under new ids.
        gone = "この取組みの本文が保存し直され、数値が読み直されました。表示し直してから、もう一度訂正してください"
        return refuse(request, redirect(year_page if back_to_year else reverse("staff:record", args=[found.pk])), gone)
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        return refuse(request, redirect("staff:record", found.pk), first_error(form))

    def run() -> str:
        actions.do_correct_indicator(
            indicator,
            label=form.cleaned_data["label"],
            hidden=form.cleaned_data["hidden"],
            same_as=form.cleaned_data["same_as"],
            by=account(request),
        )
        return f"「{indicator.read_label}」（{tables.number_text(indicator.value)}{indicator.unit}）を訂正しました"

    if back_to_year:
        return step(request, redirect(f"{year_page}#n{indicator.pk}"), run)
    return step(request, redirect(reverse("staff:record", args=[found.pk]) + "#numbers"), run)


def _numbers(found: Record, last_year: Record | None) -> list[dict[str, Any]]:
    """The numbers stored for the record, as read and as corrected, with last year's labels of the same unit
    and the one each pairs with (`numbers.paired_with`, as on the year's page)."""
    in_order = ("item__position", "position")
    earlier = Indicator.objects.filter(item__record=last_year, hidden=False).order_by(*in_order) if last_year else []
    read = list(Indicator.objects.filter(item__record=found).order_by(*in_order))
    rows = []
    for number in numbers.paired_with(list(earlier), read):
        indicator = number.indicator
        text = tables.number_text(indicator.value)
        if indicator.value_max is not None:
            text += "～" + tables.number_text(indicator.value_max)
        rows.append(
            {
                "indicator": indicator,
                "earlier": number.earlier,
                "text": text + indicator.unit,
                "pairs_with": number.pairs_with,
            }
        )
    return rows


def _invalid(request: HttpRequest, found: Record, form: ItemsForm) -> HttpResponse:
    """Say what is wrong with what was sent; items too many or too long are shown again as typed (400)."""
    if "items" not in form.errors:
        return refuse(request, redirect("staff:record", found.pk), first_error(form))
    messages.error(request, first_error(form))
    return _page(request, found, {"items_text": request.POST.get("items", "")}, status=400)


def _conflict(request: HttpRequest, found: Record, conflict: actions.EditConflict, mine: str | None) -> HttpResponse:
    """Someone changed the record since the page was shown: show theirs, keep what this person typed."""
    context: dict[str, Any] = {
        "conflict": str(conflict),
        "theirs": list(conflict.record.plain_items()),
        "version": conflict.record.version,
    }
    if mine is not None:
        context["items_text"] = mine
    return _page(request, found, context, status=409)


def _page(request: HttpRequest, found: Record, extra: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    person = access(request)
    found.refresh_from_db()
    wording.of_records([found])  # its measure as worded in its year
    context = extra or {}
    last_year = (
        Record.objects.filter(
            measure=found.measure,
            department=found.department,
            fiscal_year__plan=found.fiscal_year.plan,
            fiscal_year__year=found.fiscal_year.year - 1,
        )
        .prefetch_related(Prefetch("items", queryset=Item.objects.order_by("position")))
        .first()
    )
    items = list(found.items.order_by("position"))
    text = context.get("items_text", items_text([i.plain() for i in items]))
    found_quantities = quantities.extract(text, Unit.mapping(), fiscal_year=found.fiscal_year.year).quantities
    can_edit = person.can_edit_record(found)
    can_submit = can_edit and found.state in actions.EDITABLE_BY_EDITORS
    returns = [c for c in found.comments.all() if c.kind == Comment.Kind.RETURN]
    return render(
        request,
        "staff/record.html",
        {
            "record": found,
            "version": context.get("version", found.version),
            "items_text": text,
            "carried": any(i.carried_over for i in items),
            "last_year": last_year,
            "indicators": [
                {"label": q.label, "text": tables.number_text(q.value) + q.unit, "qualifier": q.qualifier}
                for q in found_quantities
            ],
            "can_edit": can_edit,
            "numbers": _numbers(found, last_year),
            "can_submit": can_submit,
            "unsaved": "items_text" in context,
            "writer": writer_token(account(request)) if can_edit else "",
            "no_activity": context.get("typed_no_activity", found.no_activity),
            "return_reason": returns[-1] if returns and found.state == Record.State.RETURNED else None,
            "findings": _own_findings(found) if can_submit else [],
            "can_withdraw": person.can_withdraw(found)
            and found.fiscal_year.editable
            and found.state == Record.State.SUBMITTED,
            "can_review": person.is_administrator and found.fiscal_year.editable,
            "can_comment": person.can_comment(found),
            "can_board": person.can_read_all_drafts,
            "history": _history(found),
            "grades": [band.grade for band in scale_of(found.fiscal_year.plan).bands] if can_edit else [],
            "outlooks": Record.Outlook.choices,
            "assessment": context.get("typed_assessment")
            or {"self_grade": found.self_grade, "issues": found.issues, "outlook": found.outlook},
            **context,
        },
        status=status,
    )


def _own_findings(record: Record) -> list[dict[str, Any]]:
    """The review's findings on this department's record, for its editor to see before submitting."""
    year = record.fiscal_year.year
    return [
        {**finding.fields(), "severity_label": SEVERITY_LABELS[finding.severity]}
        for finding in run_checks(record.fiscal_year.plan, year)
        if finding.place.fiscal_year == year
        and finding.place.measure_id == record.measure_id
        and finding.place.department == record.department_name
    ]


def _history(record: Record) -> list[dict[str, Any]]:
    """Every change of the record and its items, newest first, with before and after."""
    changes = []
    for entry in record.history.select_related("history_user").order_by("-history_date")[:200]:
        before = entry.prev_record
        if before is None:
            changes.append(
                {
                    "when": entry.history_date,
                    "who": entry.history_user,
                    "what": "作成",
                    "before": "",
                    "after": entry.get_state_display(),
                }
            )
            continue
        for change in entry.diff_against(before, included_fields=["state", "department"]).changes:
            what = "状態" if change.field == "state" else "担当課"
            old = Record.State(change.old).label if change.field == "state" else change.old
            new = Record.State(change.new).label if change.field == "state" else change.new
            changes.append(
                {"when": entry.history_date, "who": entry.history_user, "what": what, "before": old, "after": new}
            )
    item_history = Item.history.model.objects.filter(record_id=record.pk).select_related("history_user")
    for entry in item_history.order_by("-history_date")[:500]:
        kind = {"+": "項目の追加", "~": "項目の変更", "-": "項目の削除"}[entry.history_type]
        before = entry.prev_record
        old = before.text if before is not None and entry.history_type == "~" else ""
        if entry.history_type == "~" and before is not None and before.text == entry.text:
            continue  # only the carried-over mark changed
        changes.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "what": kind,
                "before": entry.text if entry.history_type == "-" else old,
                "after": "" if entry.history_type == "-" else entry.text,
            }
        )
    corrections = IndicatorCorrection.history.model.objects.filter(record_id=record.pk).select_related("history_user")
    for entry in corrections.order_by("-history_date")[:200]:
        changes.append(
            {
                "when": entry.history_date,
                "who": entry.history_user,
                "what": f"数値「{entry.read_label}」（{entry.unit}）の訂正"
                + ("（前年度から引き継ぎ）" if entry.history_change_reason == IndicatorCorrection.CARRIED else ""),
                "before": _said(entry.prev_record) if entry.history_type == "~" and entry.prev_record else "",
                "after": "訂正を取り消し" if entry.history_type == "-" else _said(entry),
            }
        )
    return sorted(changes, key=lambda c: c["when"], reverse=True)


def _said(correction: Any) -> str:
    """A correction of a number, in words."""
    return Fix(correction.label, correction.hidden, correction.same_as).said
