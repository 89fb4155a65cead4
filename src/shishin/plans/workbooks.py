"""Departments' workbooks (記入用ブック, issue 14): the records a department is asked for in an open year,
their own assessments included, written with `shishin.report.department_workbook`; what uploaded
workbooks would change; and saving those changes through `do_save_record` (history, versions,
indicators), all of an upload or none.

A record is changed only when its answer was edited in the workbook and differs from what is stored:
a block left alone changes nothing, even if someone saved the record since the download. An edited
block of a record saved by someone else since is a conflict: nothing is saved, and both texts are shown.
A workbook of the format before the assessment gives none: the record's stays as it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet

from shishin.lib import wareki
from shishin.report import department_workbook
from shishin.report import records as plain
from shishin.report.department_workbook import (
    Answer,
    AssessmentChoices,
    DepartmentWorkbook,
    Entry,
    SelfAssessment,
)
from shishin.report.records import FormatError

from . import wording
from .actions import ActionError, Assessment, EditConflict, do_save_assessment, do_save_record, evaluation
from .actions.collection import MAX_ISSUES
from .models import Department, FiscalYear, Record, items_too_large
from .permissions import Access, Right

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_IN_NAMES_RE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_SIGNING_SALT = "shishin.plans.workbooks"
CHECKED_FOR_SECONDS = 2 * 60 * 60  # a checked upload may be saved for this long


class WorkbookConflict(ActionError):
    """Someone saved records the workbooks change after they were downloaded: nothing was saved."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__(
            "ブックをダウンロードした後で、ほかの人が同じ取組みを保存しています。何も保存していません。"
            "最新の内容を確かめて、ブックをダウンロードし直してください。"
        )
        self.changes = changes


@dataclass(frozen=True)
class Shown:
    """A field of an assessment as the check page shows it, ``changed`` marked."""

    name: str
    text: str
    changed: bool


@dataclass(frozen=True)
class Change:
    """What a workbook changes of one record: its items and 実績なし, and its assessment, before (stored now)
    and after."""

    record: Record  # as stored now, its measure worded as in its year
    answer: Answer

    @property
    def before(self) -> tuple[plain.Item, ...]:
        return self.record.plain_items()

    @property
    def stored_assessment(self) -> SelfAssessment:
        return _assessment_of(self.record)

    @property
    def items_changed(self) -> bool:
        return (self.before, self.record.no_activity) != (self.answer.items, self.answer.no_activity)

    @property
    def assessment_changed(self) -> bool:
        """The workbook gives an assessment other than the stored one (as the workbook would read it)."""
        return self.answer.assessment is not None and self.answer.assessment != self.stored_assessment.read_back()

    @property
    def assessment(self) -> Assessment | None:
        """The assessment to save; None (the record's stays) when the workbook gives none."""
        said = self.answer.assessment
        return None if said is None else Assessment(said.grade, said.issues, said.outlook)

    @property
    def assessment_before(self) -> list[Shown]:
        """The stored assessment, field by field, when the workbook changes it (else nothing to show)."""
        return self._shown(self.stored_assessment) if self.assessment_changed else []

    @property
    def assessment_after(self) -> list[Shown]:
        return self._shown(self.answer.assessment) if self.answer.assessment and self.assessment_changed else []

    def _shown(self, assessment: SelfAssessment) -> list[Shown]:
        stored, said = self.stored_assessment.read_back(), self.answer.assessment
        assert said is not None
        outlooks = dict(Record.Outlook.choices)
        return [
            Shown("自己評価", assessment.grade, stored.grade != said.grade),
            Shown("今後の方向性", outlooks.get(assessment.outlook, assessment.outlook), stored.outlook != said.outlook),
            Shown("課題", assessment.issues, stored.issues != said.issues),
        ]

    @property
    def removed(self) -> tuple[plain.Item, ...]:
        return tuple(i for i in self.before if i not in self.answer.items)

    @property
    def added(self) -> tuple[plain.Item, ...]:
        return tuple(i for i in self.answer.items if i not in self.before)

    @property
    def conflict(self) -> bool:
        """Saved by someone else since the workbook was written."""
        return self.record.version != self.answer.version


@dataclass(frozen=True)
class Upload:
    """One uploaded workbook as read: its department and changes, or why it was refused."""

    name: str
    department: Department | None = None
    changes: tuple[Change, ...] = ()
    error: str = ""

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]


@dataclass
class Reading:
    """What a set of uploaded workbooks would change."""

    uploads: list[Upload] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return [c for u in self.uploads for c in u.changes]

    @property
    def errors(self) -> list[str]:
        return [u.error for u in self.uploads if u.error]

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]

    @property
    def savable(self) -> bool:
        return bool(self.changes) and not self.errors and not self.conflicts


def may_fill(person: Access, department: Department) -> bool:
    """An editor fills in the workbooks of their own departments; an administrator any."""
    return person.may(Right.EDIT_ANY) or (person.may(Right.EDIT_OWN) and department.pk in person.department_ids)


def departments_of(fiscal_year: FiscalYear) -> QuerySet[Department]:
    """The departments asked for records in ``fiscal_year``, in the organisation's order."""
    return Department.objects.filter(pk__in=fiscal_year.records.values("department_id"))


def file_name(fiscal_year: FiscalYear, department: Department) -> str:
    return f"{fiscal_year.year}_{_UNSAFE_IN_NAMES_RE.sub('_', department.name)}_記入用.xlsx"


def closed(fiscal_year: FiscalYear) -> str:
    """Why ``fiscal_year`` has no workbooks (only a year being collected has), or ""."""
    if fiscal_year.editable:
        return ""
    return f"{fiscal_year.label}は{fiscal_year.get_status_display()}のため、記入用ブックは使えません（照会中の年度だけです）"


def _require_open(fiscal_year: FiscalYear) -> None:
    if why := closed(fiscal_year):
        raise ActionError(why)


def _choices(fiscal_year: FiscalYear) -> AssessmentChoices:
    """What a department's assessment may say in ``fiscal_year``'s plan."""
    grades = tuple(band.grade for band in evaluation.scale_of(fiscal_year.plan).bands)
    return AssessmentChoices(grades, dict(Record.Outlook.choices), MAX_ISSUES)


def _assessment_of(record: Record) -> SelfAssessment:
    return SelfAssessment(record.self_grade, record.issues, record.outlook)


def render(fiscal_year: FiscalYear, department: Department, person: Access) -> bytes:
    """The workbook ``department`` fills in for ``fiscal_year``, as ``person`` may edit it."""
    _require_open(fiscal_year)
    records = wording.of_records(
        fiscal_year.records.filter(department=department)
        .select_related("fiscal_year", "measure")
        .prefetch_related("items")
        .order_by("measure__position", "position")
    )
    last_year = {
        r.measure_id: r.plain_items()
        for r in Record.objects.filter(
            fiscal_year__plan_id=fiscal_year.plan_id, fiscal_year__year=fiscal_year.year - 1, department=department
        ).prefetch_related("items")
    }
    entries = []
    for record in records:
        editable = person.can_edit_record(record)
        carried = any(item.carried_over for item in record.items.all())
        note = record.get_state_display() + ("・前年度から引継ぎ（要確認）" if carried and editable else "")
        if not editable:
            note += "のため変更できません"
        entries.append(
            Entry(
                record=record.pk,
                version=record.version,
                measure=record.measure.title,
                items=record.plain_items(),
                no_activity=record.no_activity,
                last_year=last_year.get(record.measure_id, ()),
                editable=editable,
                note=note,
                assessment=_assessment_of(record),
            )
        )
    return department_workbook.render(
        DepartmentWorkbook(
            plan_id=fiscal_year.plan_id,
            plan=fiscal_year.plan.name,
            year=fiscal_year.year,
            department_id=department.pk,
            department=department.name,
            entries=tuple(entries),
            choices=_choices(fiscal_year),
            deadline=wareki.format_date(fiscal_year.deadline) if fiscal_year.deadline else "",
        )
    )


def render_all(fiscal_year: FiscalYear, person: Access) -> bytes:
    """Every department's workbook for ``fiscal_year``, in one zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for department in departments_of(fiscal_year):
            archive.writestr(file_name(fiscal_year, department), render(fiscal_year, department, person))
    return out.getvalue()


def read(
    fiscal_year: FiscalYear, files: Iterable[tuple[str, bytes]], person: Access, department: Department | None = None
) -> Reading:
    """What the uploaded workbooks ``files`` (name, contents) would change: workbooks of ``department``, or
    of any department of the year when none is named (an administrator's several). Writes nothing."""
    _require_open(fiscal_year)
    candidates = [department] if department is not None else list(departments_of(fiscal_year))
    allowed = [d for d in candidates if may_fill(person, d)]
    by_id = {d.pk: d for d in allowed}
    reading = Reading()
    seen: dict[int, str] = {}
    choices = _choices(fiscal_year)
    for name, data in files:
        try:
            filled = department_workbook.parse(
                data,
                name,
                plan=fiscal_year.plan_id,
                year=fiscal_year.year,
                departments={d.pk: d.name for d in allowed},
                choices=choices,
            )
            if filled.department_id in seen:
                raise FormatError(
                    name,
                    1,
                    1,
                    f"{filled.department}のブックは {seen[filled.department_id]} と2つあります。1つにしてください",
                    cell="-",
                )
            seen[filled.department_id] = name
            found = by_id[filled.department_id]
            edited = [a for a in filled.answers if a.edited]
            reading.uploads.append(Upload(name, found, tuple(_changes(fiscal_year, found, edited, person, name))))
        except FormatError as err:
            reading.uploads.append(Upload(name, error=str(err)))
    return reading


def _changes(
    fiscal_year: FiscalYear, department: Department, answers: Sequence[Answer], person: Access, source: str
) -> list[Change]:
    """The changes ``answers`` make to the department's records as stored now; refuse (`FormatError`, at the
    answer's cell) one that ``person`` may not make."""
    records = {
        r.pk: r
        for r in wording.of_records(
            _for_changes(fiscal_year.records.filter(department=department, pk__in=[a.record for a in answers]))
        )
    }
    changes = []
    for answer in answers:

        def refuse(message: str, answer: Answer = answer) -> FormatError:
            return FormatError(source, 1, 1, message, cell=answer.cell)

        record = records.get(answer.record)
        if record is None:
            raise refuse("この施策は、ブックを作った後で記入の対象から外れました。ブックをダウンロードし直してください")
        change = Change(record, answer)
        if not change.items_changed and not change.assessment_changed:
            continue
        if problem := items_too_large(answer.items):
            raise refuse(f"「{record.measure.title}」: {problem}")
        if not person.can_edit_record(record):
            raise refuse(f"「{record.measure.title}」は{record.get_state_display()}のため変更できません")
        changes.append(change)
    return changes


def _for_changes(records: QuerySet[Record]) -> QuerySet[Record]:
    """Records with what a change shows and saving needs."""
    return records.select_related("fiscal_year__plan", "measure", "department", "updated_by").prefetch_related("items")


def save(reading: Reading, *, by: User) -> list[Record]:
    """Save every change of ``reading`` through `do_save_record`, in one transaction: all or none.
    Raise `WorkbookConflict` if any record was saved by someone else since its workbook was written."""
    if reading.errors:
        raise ActionError("取り込めないブックがあるため、何も保存していません")
    if reading.conflicts:
        raise WorkbookConflict(reading.conflicts)
    try:
        with transaction.atomic():
            return [_save(change, by) for change in reading.changes]
    except EditConflict:
        # Saved by someone else between the check and now: say which, as they are now.
        stored = Record.objects.filter(pk__in=[c.record.pk for c in reading.changes])
        fresh = {r.pk: r for r in wording.of_records(_for_changes(stored))}
        changes = [Change(fresh[c.record.pk], c.answer) for c in reading.changes]
        raise WorkbookConflict([c for c in changes if c.conflict]) from None


def _save(change: Change, by: User) -> Record:
    """Save one change: a changed assessment alone through `do_save_assessment`, which leaves the items
    (carried-over ones still to be confirmed), as the block's untouched cells did."""
    assessment = change.assessment
    if not change.items_changed and assessment is not None:
        return do_save_assessment(change.record, assessment, version=change.answer.version, by=by)
    return do_save_record(
        change.record,
        change.answer.items,
        version=change.answer.version,
        by=by,
        no_activity=change.answer.no_activity,
        assessment=assessment,
    )


def checked(reading: Reading, user: User) -> str:
    """A signed token of what ``reading`` would change, for ``user`` to save after seeing it (`recheck`)."""
    said = [
        [
            upload.name,
            upload.department.pk if upload.department else None,
            [
                [
                    a.record,
                    a.version,
                    [[i.text, i.bullet] for i in a.items],
                    a.no_activity,
                    a.cell,
                    a.assessment and [a.assessment.grade, a.assessment.issues, a.assessment.outlook],
                ]
                for a in (c.answer for c in upload.changes)
            ],
        ]
        for upload in reading.uploads
    ]
    return signing.dumps({"user": user.pk, "uploads": said}, salt=_SIGNING_SALT, compress=True)


def recheck(fiscal_year: FiscalYear, token: str, user: User, person: Access) -> Reading:
    """What a token of `checked` would change now (records may have changed since): as `read` would answer."""
    try:
        said: dict[str, Any] = signing.loads(token, salt=_SIGNING_SALT, max_age=CHECKED_FOR_SECONDS)
    except signing.SignatureExpired:
        raise ActionError("確認してから時間がたちすぎました。もう一度ブックをアップロードしてください") from None
    except signing.BadSignature:
        raise ActionError("確認した内容を読めません。もう一度ブックをアップロードしてください") from None
    if said.get("user") != user.pk:
        raise ActionError("確認した内容を読めません。もう一度ブックをアップロードしてください")
    _require_open(fiscal_year)
    departments = {d.pk: d for d in departments_of(fiscal_year)}
    reading = Reading()
    for name, department_id, answers in said["uploads"]:
        department = departments.get(department_id)
        if department is None or not may_fill(person, department):
            reading.uploads.append(Upload(name, error=f"{name}: この担当課のブックは保存できません"))
            continue
        # A token checked before workbooks carried the assessment has none (*assessed empty): not given.
        read_back = [
            Answer(
                record,
                version,
                tuple(plain.Item(t, b) for t, b in items),
                none,
                True,
                cell,
                SelfAssessment(*assessed[0]) if assessed and assessed[0] else None,
            )
            for record, version, items, none, cell, *assessed in answers
        ]
        try:
            changes = _changes(fiscal_year, department, read_back, person, name)
        except FormatError as err:
            reading.uploads.append(Upload(name, error=str(err)))
            continue
        reading.uploads.append(Upload(name, department, tuple(changes)))
    return reading
