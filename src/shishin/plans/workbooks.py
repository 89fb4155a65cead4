"""Departments' workbooks (記入用ブック, issue 14): the records a department is asked for in an open year,
written with `shishin.report.department_workbook`; what uploaded workbooks would change; and saving
those changes through `do_save_record` (history, versions, indicators), all of an upload or none.

A record is changed only when its answer was edited in the workbook and differs from what is stored:
a block left alone changes nothing, even if someone saved the record since the download. An edited
block of a record saved by someone else since is a conflict: nothing is saved, and both texts are shown.
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
from shishin.report.department_workbook import Answer, DepartmentWorkbook, Entry
from shishin.report.records import FormatError

from . import wording
from .actions import ActionError, EditConflict, do_save_record
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
class Change:
    """What a workbook changes of one record: its items and 実績なし, before (stored now) and after."""

    record: Record  # as stored now, its measure worded as in its year
    answer: Answer

    @property
    def before(self) -> tuple[plain.Item, ...]:
        return self.record.plain_items()

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
    for name, data in files:
        try:
            filled = department_workbook.parse(
                data,
                name,
                plan=fiscal_year.plan_id,
                year=fiscal_year.year,
                departments={d.pk: d.name for d in allowed},
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
        if (record.plain_items(), record.no_activity) == (answer.items, answer.no_activity):
            continue
        if problem := items_too_large(answer.items):
            raise refuse(f"「{record.measure.title}」: {problem}")
        if not person.can_edit_record(record):
            raise refuse(f"「{record.measure.title}」は{record.get_state_display()}のため変更できません")
        changes.append(Change(record, answer))
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
            return [
                do_save_record(
                    change.record,
                    change.answer.items,
                    version=change.answer.version,
                    by=by,
                    no_activity=change.answer.no_activity,
                )
                for change in reading.changes
            ]
    except EditConflict:
        # Saved by someone else between the check and now: say which, as they are now.
        stored = Record.objects.filter(pk__in=[c.record.pk for c in reading.changes])
        fresh = {r.pk: r for r in wording.of_records(_for_changes(stored))}
        changes = [Change(fresh[c.record.pk], c.answer) for c in reading.changes]
        raise WorkbookConflict([c for c in changes if c.conflict]) from None


def checked(reading: Reading, user: User) -> str:
    """A signed token of what ``reading`` would change, for ``user`` to save after seeing it (`recheck`)."""
    said = [
        [
            upload.name,
            upload.department.pk if upload.department else None,
            [
                [a.record, a.version, [[i.text, i.bullet] for i in a.items], a.no_activity, a.cell]
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
        read_back = [
            Answer(record, version, tuple(plain.Item(t, b) for t, b in items), none, True, cell)
            for record, version, items, none, cell in answers
        ]
        try:
            changes = _changes(fiscal_year, department, read_back, person, name)
        except FormatError as err:
            reading.uploads.append(Upload(name, error=str(err)))
            continue
        reading.uploads.append(Upload(name, department, tuple(changes)))
    return reading
