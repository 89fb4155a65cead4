"""Staff pages of the yearly collection. Each view looks up with permission, calls an action, redirects."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shishin.lib import quantities, tables
from shishin.plans import actions, permissions
from shishin.plans.actions import ActionError
from shishin.plans.models import Area, Department, FiscalYear, Item, Measure, Membership, Pillar, Plan, Record, Unit
from shishin.report.records import Item as PlainItem

View = Callable[..., HttpResponse]


def _account(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def staff_only(view: View) -> View:
    """Signed-in people with a role; others are sent to sign in, or refused."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_staff_member(request.user):
            raise PermissionDenied("役割が登録されていません")
        return view(request, *args, **kwargs)

    return wrapped


def _fiscal_year(plan_id: int, year: int) -> FiscalYear:
    return get_object_or_404(FiscalYear.objects.select_related("plan"), plan_id=plan_id, year=year)


@staff_only
def home(request: HttpRequest) -> HttpResponse:
    """An editor's task list; the years for administrators and reviewers."""
    user = request.user
    role = permissions.role_of(user)
    context: dict[str, Any] = {"role_label": Membership.Role(role).label if role else "", "tasks": None}
    if role == Membership.Role.EDITOR:
        tasks = list(
            Record.objects.filter(
                department__in=permissions.department_ids(user), fiscal_year__status=FiscalYear.Status.COLLECTING
            )
            .select_related("fiscal_year", "measure", "department")
            .order_by("fiscal_year__year", "state", "measure__position")
        )
        carried = set(Item.objects.filter(record__in=tasks, carried_over=True).values_list("record_id", flat=True))
        for task in tasks:
            task.carried = task.pk in carried  # type: ignore[attr-defined]
        context["tasks"] = tasks
        context["years"] = None
    else:
        context["years"] = list(FiscalYear.objects.select_related("plan").order_by("plan__name", "-year"))
    if role == Membership.Role.ADMINISTRATOR:
        latest = Plan.objects.annotate(latest=Max("fiscal_years__year")).filter(latest__isnull=False)
        context["openable"] = [(plan, plan.latest + 1) for plan in latest]
    return render(request, "staff/home.html", context)


@staff_only
@require_POST
def open_year(request: HttpRequest, plan_id: int) -> HttpResponse:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied
    plan = get_object_or_404(Plan, pk=plan_id)
    try:
        year = int(request.POST.get("year", ""))
        deadline = dt.date.fromisoformat(request.POST["deadline"]) if request.POST.get("deadline") else None
        opened = actions.do_open_fiscal_year(plan, year, deadline=deadline, by=_account(request))
    except ValueError:
        messages.error(request, "年度と提出期限（YYYY-MM-DD）を正しく入力してください")
        return redirect("staff:home")
    except ActionError as err:
        messages.error(request, str(err))
        return redirect("staff:home")
    messages.success(request, f"{opened.label}を開始しました（取組み {opened.records.count()} 件）")
    return redirect("staff:board", plan.pk, opened.year)


@staff_only
def board(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """The completion board: every department and measure of the year, its state and last change."""
    if not permissions.can_read_all_drafts(request.user):
        raise PermissionDenied
    fiscal_year = _fiscal_year(plan_id, year)
    records = list(
        fiscal_year.records.select_related("measure", "department", "updated_by").order_by(
            "department__name", "measure__position"
        )
    )
    states = Counter(r.state for r in records)
    context = {
        "fiscal_year": fiscal_year,
        "records": records,
        "counts": [(label, states[value]) for value, label in Record.State.choices],
        "is_administrator": permissions.is_administrator(request.user),
    }
    return render(request, "staff/board.html", context)


@staff_only
@require_POST
def year_action(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied
    fiscal_year = _fiscal_year(plan_id, year)
    action = request.POST.get("action")
    by = _account(request)
    try:
        if action == "remind":
            sent = actions.do_send_reminders(fiscal_year)
            messages.success(request, f"{len(sent)} 担当課に督促メールを送りました")
        elif action == "approve_submitted":
            submitted = fiscal_year.records.filter(state=Record.State.SUBMITTED)
            for record in submitted.select_related("fiscal_year"):
                actions.do_approve_record(record, version=record.version, by=by)
            messages.success(request, "提出済みの取組みを承認しました")
        elif action == "publish":
            actions.do_publish_year(fiscal_year, by=by)
            messages.success(request, f"{fiscal_year.label}を公表しました")
        elif action == "reopen":
            actions.do_reopen_year(fiscal_year, reason=request.POST.get("reason", ""), by=by)
            messages.success(request, f"{fiscal_year.label}の照会を再開しました")
        else:
            messages.error(request, "不明な操作です")
    except ActionError as err:
        messages.error(request, str(err))
    return redirect("staff:board", plan_id, year)


def _items_from_text(text: str) -> list[PlainItem]:
    """One item a line; a line starting with ・ is a bullet. Blank lines are dropped."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            items.append(PlainItem(line[1:].strip(), True) if line.startswith("・") else PlainItem(line, False))
    return items


def _items_text(items: list[PlainItem]) -> str:
    return "\n".join(("・" if i.bullet else "") + i.text for i in items)


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
    return sorted(changes, key=lambda c: c["when"], reverse=True)


@staff_only
def record(request: HttpRequest, record_id: int) -> HttpResponse:
    """Read a record; edit, submit, return, approve or comment on it as the role allows."""
    found = get_object_or_404(
        Record.objects.select_related("fiscal_year__plan", "measure", "department").prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position")), "comments__author"
        ),
        pk=record_id,
    )
    user = request.user
    if not permissions.can_read_record(user, found):
        raise PermissionDenied
    context: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        response = _act(request, found, context)
        if response is not None:
            return response
        status = 409 if context.get("conflict") else 400
    return render(request, "staff/record.html", _record_context(request, found, context), status=status)


def _act(request: HttpRequest, found: Record, context: dict[str, Any]) -> HttpResponse | None:
    user = request.user
    by = _account(request)
    action = request.POST.get("action")
    try:
        if action in ("save", "submit") and "items" in request.POST:
            if not permissions.can_edit_record(user, found):
                raise PermissionDenied
            items = _items_from_text(request.POST["items"])
            context["items_text"] = _items_text(items)
            version = int(request.POST.get("version", "0"))
            found = actions.do_save_record(found, items, version=version, by=by)
            if action == "submit":
                actions.do_submit_record(found, version=found.version, by=by)
            messages.success(request, "提出しました" if action == "submit" else "保存しました")
        elif action == "submit":
            if not permissions.can_edit_record(user, found):
                raise PermissionDenied
            actions.do_submit_record(found, version=_version(request), by=by)
            messages.success(request, "提出しました")
        elif action in ("approve", "return"):
            if not permissions.is_administrator(user):
                raise PermissionDenied
            if action == "approve":
                actions.do_approve_record(found, version=_version(request), by=by)
                messages.success(request, "承認しました")
            else:
                actions.do_return_record(found, reason=request.POST.get("reason", ""), version=_version(request), by=by)
                messages.success(request, "差し戻しました")
        elif action == "comment":
            if not permissions.can_comment(user, found):
                raise PermissionDenied
            actions.do_comment(found, text=request.POST.get("text", ""), by=by)
            messages.success(request, "コメントしました")
        else:
            context["error"] = "不明な操作です"
            return None
    except actions.EditConflict as conflict:
        context["conflict"] = str(conflict)
        context["theirs"] = [PlainItem(i.text, i.bullet) for i in conflict.record.items.order_by("position")]
        context["version"] = conflict.record.version
        return None
    except (ActionError, ValueError) as err:
        messages.error(request, str(err))
    return redirect("staff:record", found.pk)


def _version(request: HttpRequest) -> int:
    """The version of the record the page was showing: a step taken on an older one is refused."""
    return int(request.POST.get("version", "0"))


def _record_context(request: HttpRequest, found: Record, context: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    found.refresh_from_db()
    items = [PlainItem(i.text, i.bullet) for i in found.items.order_by("position")]
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
    text = context.get("items_text", _items_text(items))
    found_quantities = quantities.extract(text, Unit.mapping(), fiscal_year=found.fiscal_year.year).quantities
    can_edit = permissions.can_edit_record(user, found)
    return {
        "record": found,
        "version": context.get("version", found.version),
        "items_text": text,
        "carried": found.items.filter(carried_over=True).exists(),
        "last_year": last_year,
        "indicators": [
            {"label": q.label, "text": tables.number_text(q.value) + q.unit, "qualifier": q.qualifier}
            for q in found_quantities
        ],
        "can_edit": can_edit,
        "can_submit": can_edit and found.state in actions.EDITABLE_BY_EDITORS,
        "can_review": permissions.is_administrator(user) and found.fiscal_year.editable,
        "can_comment": permissions.can_comment(user, found),
        "can_board": permissions.can_read_all_drafts(user),
        "history": _history(found),
        **context,
    }


@staff_only
def structure(request: HttpRequest, plan_id: int, year: int) -> HttpResponse:
    """Add, rename and retire measures; rename and merge departments (機構改革)."""
    if not permissions.is_administrator(request.user):
        raise PermissionDenied
    fiscal_year = _fiscal_year(plan_id, year)
    plan = fiscal_year.plan
    if request.method == "POST":
        try:
            _change_structure(request, fiscal_year)
        except ActionError as err:
            messages.error(request, str(err))
        return redirect("staff:structure", plan_id, year)
    places = []
    for pillar in Pillar.objects.filter(plan=plan).prefetch_related("areas").order_by("number"):
        places.append((f"{pillar.pk}:", str(pillar)))
        places += [(f"{pillar.pk}:{area.pk}", f"{pillar} ／ {area}") for area in pillar.areas.all()]
    context = {
        "fiscal_year": fiscal_year,
        "measures": Measure.objects.in_year(year).filter(plan=plan).order_by("position"),
        "departments": Department.objects.filter(municipality=plan.municipality, merged_into=None).order_by("name"),
        "places": places,
    }
    return render(request, "staff/structure.html", context)


def _change_structure(request: HttpRequest, fiscal_year: FiscalYear) -> None:
    plan = fiscal_year.plan
    by = _account(request)
    action = request.POST.get("action")
    post = request.POST
    if action == "add_measure":
        pillar_id, _, area_id = post.get("place", "").partition(":")
        pillar = get_object_or_404(Pillar, plan=plan, pk=pillar_id)
        area = get_object_or_404(Area, pillar=pillar, pk=area_id) if area_id else None
        actions.do_add_measure(
            fiscal_year,
            pillar=pillar,
            area=area,
            title=post.get("title", "").strip(),
            description=post.get("description", "").strip(),
            departments=post.get("departments", "").split(),
            by=by,
        )
        messages.success(request, "施策を追加しました")
    elif action in ("rename_measure", "retire_measure"):
        measure = get_object_or_404(Measure, plan=plan, pk=post.get("measure"))
        if action == "rename_measure":
            actions.do_rename_measure(
                measure, title=post.get("title", "").strip(), description=measure.description, by=by
            )
            messages.success(request, "施策の名称を変更しました")
        else:
            actions.do_retire_measure(measure, fiscal_year, by=by)
            messages.success(request, f"「{measure.title}」を終了しました")
    elif action in ("rename_department", "merge_departments"):
        department = get_object_or_404(Department, municipality=plan.municipality, pk=post.get("department"))
        if action == "rename_department":
            actions.do_rename_department(department, name=post.get("name", "").strip(), by=by)
            messages.success(request, "担当課の名称を変更しました")
        else:
            target = get_object_or_404(Department, municipality=plan.municipality, pk=post.get("target"))
            actions.do_merge_departments(department, target, fiscal_year, by=by)
            messages.success(request, f"「{department.name}」を「{target.name}」に統合しました")
