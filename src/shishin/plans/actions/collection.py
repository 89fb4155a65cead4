"""The yearly collection (照会): open a year, edit, submit, return, approve, comment, publish, reopen, remind.

Callers check permissions with `shishin.plans.permissions`; these actions enforce the workflow's
rules, the optimistic locking included: every step on a record names the version it was taken on.
The mail a step causes (`shishin.plans.notifications`) is queued in its transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history  # type: ignore[import-untyped]

from shishin.lib import wareki
from shishin.report import records as plain

from .. import notifications, wording
from ..documents import new_layout
from ..models import (
    Assignment,
    Comment,
    Department,
    Edition,
    FiscalYear,
    IndicatorCorrection,
    Item,
    Measure,
    Plan,
    Record,
    Report,
    ReportPage,
    Unit,
    items_too_large,
)
from . import evaluation
from .base import ActionError, Person, action
from .editions import do_make_edition
from .facts import derive_facts, rederive_facts

if TYPE_CHECKING:
    from shishin.review.checks import Finding

EDITABLE_BY_EDITORS = (Record.State.NOT_STARTED, Record.State.DRAFT, Record.State.RETURNED)
OPEN_STATES = (*EDITABLE_BY_EDITORS,)


class EditConflict(ActionError):
    """Someone saved the record after the version being edited: nothing was overwritten."""

    def __init__(self, record: Record) -> None:
        super().__init__("ほかの人が先にこの取組みを保存しました。最新の内容を確認して、もう一度保存してください。")
        self.record = record


class PublishRefused(ActionError):
    """The year has error findings and no reason was given to publish it with them."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(
            f"点検でエラーが{len(findings)}件あるため公表できません。"
            "訂正するか、エラーを残したまま公表する理由を書いてください"
        )
        self.findings = findings


@action
def do_open_fiscal_year(plan: Plan, year: int, *, deadline: dt.date | None, by: Person) -> FiscalYear:
    """Open fiscal year ``year`` from the one before: measures and departments carry over and each
    record starts with last year's items, marked as carried over until the department confirms them,
    and with what the staff corrected of last year's numbers: a number read the same way again (its
    label as read, its unit, its place) is corrected the same way, and the comparison pairs it."""
    previous = FiscalYear.objects.filter(plan=plan, year=year - 1).first()
    if previous is None:
        raise ActionError(
            f"{wareki.fiscal_year_name(year - 1)}がないため、{wareki.fiscal_year_name(year)}を開始できません"
        )
    if FiscalYear.objects.filter(plan=plan, year=year).exists():
        raise ActionError(f"{wareki.fiscal_year_name(year)}はすでにあります")
    if previous.status == FiscalYear.Status.PREPARING:
        raise ActionError(f"{previous.label}は準備中です。その照会を始めてから次の年度を開始してください")
    fiscal_year = FiscalYear(plan=plan, year=year, status=FiscalYear.Status.COLLECTING, deadline=deadline)
    fiscal_year.save()
    wording.carry(previous, fiscal_year)
    listed: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(fiscal_year=previous).select_related("department"):
        listed[assignment.measure_id].append(assignment)
    last_records: dict[int, list[Record]] = defaultdict(list)
    for record in Record.objects.filter(fiscal_year=previous).select_related("department").order_by("position"):
        last_records[record.measure_id].append(record)
    corrected: dict[int, list[IndicatorCorrection]] = defaultdict(list)
    for correction in IndicatorCorrection.objects.filter(record__fiscal_year=previous):
        corrected[correction.record_id].append(correction)
    units = Unit.mapping()
    for measure in Measure.objects.in_year(year).filter(plan=plan).order_by("position"):
        for assignment in listed[measure.pk]:
            Assignment.objects.create(
                fiscal_year=fiscal_year,
                measure=measure,
                department=assignment.department.current,
                sub_unit=assignment.sub_unit,
                position=assignment.position,
            )
        # A 全庁 measure lists nobody: whoever reported last year reports again.
        departments = [a.department.current for a in listed[measure.pk]]
        departments += [r.department.current for r in last_records[measure.pk] if r.department is not None]
        previous_items = {r.department_id: r for r in last_records[measure.pk]}
        for position, department in enumerate(dict.fromkeys(departments)):
            record = new_record(fiscal_year, measure, department, position, by)
            last = previous_items.get(department.pk)
            items = [
                Item(record=record, position=n, text=i.text, bullet=i.bullet, carried_over=True)
                for n, i in enumerate(last.plain_items() if last else ())
            ]
            if last is not None and corrected[last.pk]:
                _carry_corrections(corrected[last.pk], record, by)
            derive_facts(bulk_create_with_history(items, Item, default_user=by), year, units)
    notifications.year_opened(fiscal_year, by)
    return fiscal_year


def _carry_corrections(corrections: list[IndicatorCorrection], record: Record, by: Person) -> None:
    """Last year's corrections of a record's numbers, for the record that follows it (in the history
    as carried over)."""
    carried = [
        IndicatorCorrection(
            record=record,
            read_label=c.read_label,
            unit=c.unit,
            occurrence=c.occurrence,
            label=c.label,
            hidden=c.hidden,
            same_as=c.same_as,
        )
        for c in corrections
    ]
    bulk_create_with_history(
        carried, IndicatorCorrection, default_user=by, default_change_reason=IndicatorCorrection.CARRIED
    )


def new_record(fiscal_year: FiscalYear, measure: Measure, department: Department, position: int, by: Person) -> Record:
    """Create the record a department is asked to fill in."""
    record = Record(
        fiscal_year=fiscal_year,
        measure=measure,
        department=department,
        position=position,
        state=Record.State.NOT_STARTED,
    )
    record.save()
    return record


def _require_open(record: Record) -> None:
    if not record.fiscal_year.editable:
        raise ActionError(
            f"{record.fiscal_year.label}は{record.fiscal_year.get_status_display()}のため変更できません"
            "（管理者が再開すると変更できます）"
        )


@action
def do_save_record(
    record: Record,
    items: Sequence[plain.Item],
    *,
    version: int,
    by: Person,
    no_activity: bool = False,
    assessment: Assessment | None = None,
) -> Record:
    """Replace a record's items, if nobody saved it since ``version``; saving confirms carried-over items.
    ``no_activity``: the department declares it did nothing this year (今年度は実績なし), with no items.
    ``assessment``: the department's own assessment, when the form or call gives one (else it stays)."""
    _require_open(record)
    if assessment is not None:
        _check_assessment(record, assessment)
    if no_activity and items:
        raise ActionError("「今年度は実績なし」とするときは、項目を空にしてください")
    if problem := items_too_large(items):
        raise ActionError(problem)
    _claim(record, version)
    record.no_activity = no_activity
    if assessment is not None:
        record.self_grade, record.issues, record.outlook = assessment.grade, assessment.issues, assessment.outlook
    if _replace_items(record, items):
        # Read again, the record's numbers count their occurrences afresh (a correction names the n-th).
        rederive_facts(record.items.all(), record.fiscal_year.year)
    if record.state in (Record.State.NOT_STARTED, Record.State.RETURNED):
        record.state = Record.State.DRAFT
    record.updated_by = by
    record.save()
    return record


# Where items moving place wait while the others take theirs (a record's positions are unique).
_MOVING = 16000


def _replace_items(record: Record, items: Sequence[plain.Item]) -> bool:
    """Make the record's items ``items``, line matched to line as a diff would (a line added at the top is
    one added line, not every line changed): the history says what changed. Whether anything did."""
    stored = list(record.items.order_by("position"))
    matcher = difflib.SequenceMatcher(None, [i.text for i in stored], [i.text for i in items], autojunk=False)
    kept: list[tuple[Item, int]] = []  # a stored item and its place now
    added: list[int] = []
    removed: list[Item] = []
    for _, i1, i2, j1, j2 in matcher.get_opcodes():  # equal, replace, insert or delete
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False))  # a line replaced is a line changed
        kept += [(stored[i], j) for i, j in pairs]
        removed += stored[i1 + len(pairs) : i2]
        added += range(j1 + len(pairs), j2)
    for item in removed:
        item.delete()
    moving = [(item, place) for item, place in kept if item.position != place]
    for item, place in moving:  # a move is no change of what it says: not in the history
        Item.objects.filter(pk=item.pk).update(position=_MOVING + place)
    for item, place in moving:
        Item.objects.filter(pk=item.pk).update(position=place)
        item.position = place
    written: list[Item] = []
    for item, place in kept:
        wanted = items[place]
        if (item.text, item.bullet, item.carried_over) != (wanted.text, wanted.bullet, False):
            item.text, item.bullet, item.carried_over = wanted.text, wanted.bullet, False
            item.save()
            written.append(item)
    for place in added:
        item = Item(record=record, position=place, text=items[place].text, bullet=items[place].bullet)
        item.save()
        written.append(item)
    return bool(written or removed or moving)


@action
def do_save_assessment(record: Record, assessment: Assessment, *, version: int, by: Person) -> Record:
    """Save the department's own assessment alone, if nobody saved the record since ``version``; its items
    stay as they are (carried-over ones still to be confirmed)."""
    _require_open(record)
    _check_assessment(record, assessment)
    _claim(record, version)
    record.self_grade, record.issues, record.outlook = assessment.grade, assessment.issues, assessment.outlook
    if record.state in (Record.State.NOT_STARTED, Record.State.RETURNED):
        record.state = Record.State.DRAFT
    record.updated_by = by
    record.save()
    return record


@dataclass(frozen=True)
class Assessment:
    """A department's own assessment of its year: a grade of the plan's scale (自己評価), the issues it
    sees (課題), and where the measure goes next (今後の方向性, a `Record.Outlook` value). Blank is allowed
    while the record is written."""

    grade: str = ""
    issues: str = ""
    outlook: str = ""


MAX_ISSUES = 2000  # characters of 課題: a long paragraph


def _check_assessment(record: Record, assessment: Assessment) -> None:
    grades = [band.grade for band in evaluation.scale_of(record.fiscal_year.plan).bands]
    if assessment.grade and assessment.grade not in grades:
        raise ActionError(
            f"自己評価「{assessment.grade}」は、この指針の評価の段階（{'・'.join(grades)}）のいずれかです"
        )
    if assessment.outlook and assessment.outlook not in Record.Outlook.values:
        raise ActionError(f"今後の方向性「{assessment.outlook}」は、{'・'.join(Record.Outlook.labels)} のいずれかです")
    if len(assessment.issues) > MAX_ISSUES:
        raise ActionError(f"課題は {MAX_ISSUES:,} 文字までです（{len(assessment.issues):,} 文字あります）")


def _claim(record: Record, version: int) -> None:
    """Take the next version of ``record`` if nobody changed it since ``version``, else refuse.

    Compare-and-swap in one UPDATE: of two steps taken on the same version, exactly one wins.
    """
    if not Record.objects.filter(pk=record.pk, version=version).update(version=F("version") + 1):
        raise EditConflict(Record.objects.get(pk=record.pk))
    record.refresh_from_db()


def _set_state(record: Record, state: str, version: int, by: Person) -> None:
    _claim(record, version)
    record.state = state
    record.updated_by = by
    record.save()


@action
def do_submit_record(record: Record, *, version: int, by: Person) -> Record:
    """Hand a record to the administrator; submitting confirms carried-over items as they are."""
    _require_open(record)
    if record.state not in EDITABLE_BY_EDITORS:
        raise ActionError(f"この取組みは{record.get_state_display()}のため提出できません")
    if not record.no_activity and not record.items.exists():
        raise ActionError("項目を書くか、「今年度は実績なし」を選んでから提出してください")
    for item in record.items.filter(carried_over=True):
        item.carried_over = False
        item.save(update_fields=["carried_over"])
    _set_state(record, Record.State.SUBMITTED, version, by)
    return record


@action
def do_withdraw_record(record: Record, *, version: int, by: Person) -> Record:
    """Take a submission back to edit it again, until the administrator approves it."""
    _require_open(record)
    if record.state != Record.State.SUBMITTED:
        raise ActionError(f"この取組みは{record.get_state_display()}のため取り下げられません（提出済みのときだけです）")
    _set_state(record, Record.State.DRAFT, version, by)
    return record


@action
def do_return_record(record: Record, *, reason: str, version: int, by: Person) -> Record:
    _require_open(record)
    if record.state not in (Record.State.SUBMITTED, Record.State.APPROVED):
        raise ActionError("提出されていない取組みは差し戻せません")
    if not reason.strip():
        raise ActionError("差戻しの理由を書いてください")
    Comment.objects.create(record=record, author=by, kind=Comment.Kind.RETURN, text=reason.strip())
    _set_state(record, Record.State.RETURNED, version, by)
    notifications.record_returned(record, reason, by)
    return record


@action
def do_approve_record(record: Record, *, version: int, by: Person) -> Record:
    """Approve a submitted record; when the last one is approved the year is locked."""
    _approve(record, version, by)
    _lock_if_approved(record.fiscal_year)
    notifications.approved([record], by)
    return record


@action
def do_approve_submitted(fiscal_year: FiscalYear, *, by: Person) -> int:
    """Approve every submitted record of the year, each department told once; returns how many."""
    records = list(fiscal_year.records.filter(state=Record.State.SUBMITTED).select_related("fiscal_year"))
    for record in records:
        _approve(record, record.version, by)
    _lock_if_approved(fiscal_year)
    notifications.approved(records, by)
    return len(records)


def _approve(record: Record, version: int, by: Person) -> None:
    _require_open(record)
    if record.state != Record.State.SUBMITTED:
        raise ActionError("提出された取組みだけが承認できます")
    Comment.objects.create(record=record, author=by, kind=Comment.Kind.APPROVAL)
    _set_state(record, Record.State.APPROVED, version, by)


def _lock_if_approved(fiscal_year: FiscalYear) -> None:
    if not fiscal_year.records.exclude(state=Record.State.APPROVED).exists():
        fiscal_year.status = FiscalYear.Status.LOCKED
        fiscal_year.save(update_fields=["status"])


@action
def do_comment(record: Record, *, text: str, by: Person) -> Comment:
    if not text.strip():
        raise ActionError("コメントを書いてください")
    comment = Comment.objects.create(record=record, author=by, kind=Comment.Kind.COMMENT, text=text.strip())
    notifications.commented(comment)
    return comment


@action
def do_publish_year(fiscal_year: FiscalYear, *, override_reason: str = "", by: Person) -> FiscalYear:
    """Publish a locked year as its next edition, every format written once; its report takes the
    last report's layout. Publishing a year whose report has not changed since its current edition
    makes no new edition.

    A year with error findings (`shishin.review.checks`) is refused unless ``override_reason`` says
    why it is published with them; the reason is kept with the edition.
    """
    # The review reads the plans; publishing asks it, so it is imported here, not at the top.
    from shishin.review.checks import ERROR, run_checks

    if not ready_to_publish(fiscal_year):
        raise ActionError("すべての取組みが承認されて確定した年度だけが公表できます")
    errors = [f for f in run_checks(fiscal_year.plan, fiscal_year.year) if f.severity == ERROR]
    if errors and not override_reason.strip():
        raise PublishRefused(errors)
    if not Report.objects.filter(fiscal_year=fiscal_year).exists():
        _create_report(fiscal_year)
    fiscal_year.status = FiscalYear.Status.PUBLISHED
    fiscal_year.save(update_fields=["status"])
    do_make_edition(
        fiscal_year, source=Edition.Source.PUBLISHED, override_reason=override_reason.strip() if errors else ""
    )
    return fiscal_year


def ready_to_publish(fiscal_year: FiscalYear) -> bool:
    """Locked, or reopened with every record still approved (to publish a changed evaluation alone)."""
    if fiscal_year.status == FiscalYear.Status.LOCKED:
        return True
    records = fiscal_year.records
    return (
        fiscal_year.status == FiscalYear.Status.COLLECTING
        and records.exists()
        and not records.exclude(state=Record.State.APPROVED).exists()
    )


def _create_report(fiscal_year: FiscalYear) -> None:
    """The year's report takes the layout its preview showed (`new_layout`)."""
    layout, inline = new_layout(fiscal_year.plan, fiscal_year.year)
    report = Report.objects.create(fiscal_year=fiscal_year, **Report.fields_of(layout, inline))
    ReportPage.objects.bulk_create(
        ReportPage(report=report, number=number, first_row=page.first_row, label=page.label)
        for number, page in enumerate(layout.pages, start=1)
    )


@action
def do_reopen_year(fiscal_year: FiscalYear, *, reason: str, by: Person) -> FiscalYear:
    """Make a locked or published year editable again; the reason is kept in its history. Its current
    edition stays public until the next one is published."""
    if fiscal_year.status == FiscalYear.Status.COLLECTING:
        raise ActionError("この年度はすでに照会中です")
    if fiscal_year.status == FiscalYear.Status.PREPARING:
        raise ActionError("この年度は準備中です。構成を作って「照会を始める」で照会を始めてください")
    if not reason.strip():
        raise ActionError("再開の理由を書いてください")
    fiscal_year.status = FiscalYear.Status.COLLECTING
    fiscal_year._change_reason = reason.strip()  # type: ignore[attr-defined]
    fiscal_year.save(update_fields=["status"])
    return fiscal_year


@action
def do_send_reminders(
    fiscal_year: FiscalYear, *, today: dt.date | None = None, days_before: int | None = None, by: Person = None
) -> notifications.Sent:
    """Remind every department with records not yet submitted, one mail an address listing all its
    departments' tasks: now (the board's button), or with ``days_before`` only on the days the daily
    run's schedule names (`notifications.reminder_due`). The result names the departments no address reaches."""
    return notifications.deadline_reminders(fiscal_year, today or timezone.localdate(), days_before, by)
