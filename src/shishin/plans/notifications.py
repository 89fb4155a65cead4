"""Who is mailed what as the year moves (issue 14): the request when a year opens, a record returned
(with the reason), a comment, an approval, and the reminders before and after the deadline.

- A department is reached at its active editors' addresses and at its contact address
  (`Department.email`), so a department without accounts still gets its requests and reminders.
- Each address gets one mail a step, listing the tasks of every department it reaches, each with
  its link. The person who took the step is not mailed.
- A comment goes to the record's department and to whoever commented on the record before (an
  answer reaches who asked); one by an editor or a reviewer also goes to the administrators, who
  review every record.
- The daily reminder (`shishin remind`, from cron) goes out ``days_before`` days before the deadline
  (期限が近づいています), then on the first day after it and every OVERDUE_EVERY days after
  (期限を過ぎています): a cron running every day mails each department at most once a week.

Mail goes through the outbox (`shishin.plans.mail`): queued in the step's transaction, sent once it commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from shishin.lib import wareki

from . import wording
from .mail import absolute_url, queue_mails
from .models import Comment, CouncilAssessment, Department, FiscalYear, Mail, Membership, Record, organisation_key
from .permissions import Access

# Mail.kind of each notification.
YEAR_OPENED = "year_opened"
RETURNED = "returned"
COMMENTED = "commented"
APPROVED = "approved"
REMINDER = "reminder"  # sent now, from the board's button or `shishin remind --now`
REMINDER_SOON = "reminder_soon"
REMINDER_OVERDUE = "reminder_overdue"
COUNCIL_SUBMITTED = "council_submitted"
COUNCIL_RETURNED = "council_returned"
KINDS = {
    YEAR_OPENED: "照会の開始",
    RETURNED: "差戻し",
    COMMENTED: "コメント",
    APPROVED: "承認",
    REMINDER: "督促",
    REMINDER_SOON: "督促（期限前）",
    REMINDER_OVERDUE: "督促（期限後）",
    COUNCIL_SUBMITTED: "協議会の評価の提出",
    COUNCIL_RETURNED: "協議会の評価の差戻し",
    "invitation": "招待",  # `shishin.plans.actions.people`
}

# After the deadline the daily reminder goes out on the first day and then once a week.
OVERDUE_EVERY = 7

# Records a department still has to submit.
_OPEN = (Record.State.NOT_STARTED, Record.State.DRAFT, Record.State.RETURNED)


@dataclass(frozen=True)
class Mailed:
    """One mail: its address, and the departments whose tasks it listed."""

    address: str
    departments: tuple[str, ...]
    tasks: int


@dataclass(frozen=True)
class Sent:
    """What a step mailed: which kind (empty when it was not a day to send), to whom, and the
    departments with tasks that no address reaches."""

    kind: str
    mail: tuple[Mailed, ...] = ()
    unreachable: tuple[str, ...] = ()

    @property
    def departments(self) -> int:
        """How many departments were reached."""
        return len({name for mailed in self.mail for name in mailed.departments})


@dataclass
class _Recipient:
    address: str
    name: str = ""  # reached as a person (an administrator, an earlier commenter), not for a department
    tasks: dict[Department, list[Record]] = field(default_factory=dict)

    @property
    def greeting(self) -> str:
        if self.tasks:
            return "・".join(d.name for d in self.tasks) + " ご担当者様"
        return f"{self.name} 様"


class _Audience:
    """The addresses one step mails, each once (compared without case), the actor's left out."""

    def __init__(self, by: User | None) -> None:
        self._skip = by.email.strip().casefold() if by is not None and by.email else ""
        self.recipients: dict[str, _Recipient] = {}
        self.unreachable: list[Department] = []

    def _add(self, address: str) -> _Recipient | None:
        key = address.strip().casefold()
        if not key or key == self._skip:
            return None
        return self.recipients.setdefault(key, _Recipient(address.strip()))

    def add_departments(self, records: Iterable[Record]) -> None:
        """Reach each record's department at its addresses, with its records as its tasks."""
        tasks: dict[Department, list[Record]] = {}
        for record in records:
            if record.department is not None:
                tasks.setdefault(record.department, []).append(record)
        departments = sorted(tasks, key=lambda d: organisation_key(d.position, d.reading, d.name))
        addresses = _addresses(departments)
        for department in departments:
            if not addresses[department.pk]:
                self.unreachable.append(department)
            for address in addresses[department.pk]:
                if recipient := self._add(address):
                    recipient.tasks[department] = tasks[department]

    def add_people(self, users: Iterable[User]) -> None:
        for user in users:
            if (recipient := self._add(user.email)) and not recipient.name:
                recipient.name = _name(user)

    def send(self, kind: str, subject: str, before: str, after: str = "", *, tasks: bool = True) -> Sent:
        """Queue one mail an address: its greeting, ``before``, its tasks (when ``tasks``), ``after``."""
        mailed, messages = [], []
        for recipient in self.recipients.values():
            listed = f"\n\n{_task_list(recipient.tasks)}" if tasks else ""
            messages.append(
                ([recipient.address], subject, f"{recipient.greeting}\n\n{before}{listed}{after}{_footer()}")
            )
            mailed.append(
                Mailed(
                    recipient.address,
                    tuple(d.name for d in recipient.tasks),
                    sum(len(records) for records in recipient.tasks.values()),
                )
            )
        queue_mails(kind, messages)
        return Sent(kind, tuple(mailed), tuple(d.name for d in self.unreachable))


def _addresses(departments: Sequence[Department]) -> dict[int, list[str]]:
    """Each department's addresses: its active editors', then its contact address."""
    found: dict[int, list[str]] = {d.pk: [] for d in departments}
    editors = (
        Membership.objects.filter(role=Membership.Role.EDITOR, departments__in=found, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("departments", "user__email")
    )
    for department_id, address in editors:
        found[department_id].append(address)
    for department in departments:
        if department.email:
            found[department.pk].append(department.email)
    return found


def _administrators() -> QuerySet[User]:
    """The active administrators (by role, or superusers), in a stable order."""
    administrators = Q(membership__role=Membership.Role.ADMINISTRATOR) | Q(is_superuser=True)
    return User.objects.filter(administrators, is_active=True).order_by("pk")


def _name(user: User | None) -> str:
    if user is None:
        return "管理者"
    return user.get_full_name() or user.username


def _link(record: Record) -> str:
    return absolute_url(reverse("staff:record", args=[record.pk]))


def _task_list(tasks: dict[Department, list[Record]]) -> str:
    lines = []
    for department, records in tasks.items():
        lines.append(f"■ {department.name}（{len(records)}件）")
        for record in records:
            lines.append(f"・{record.measure.title}（{record.get_state_display()}）")
            lines.append(f"  {_link(record)}")
    return "\n".join(lines)


def _records(records: QuerySet[Record]) -> list[Record]:
    """The records with what a mail names, each measure worded as in its year. Read here, not taken
    from the step: a worded measure refuses to be saved, and the step's objects are its own."""
    found = records.select_related("fiscal_year__plan", "measure", "department")
    return wording.of_records(found.order_by("measure__position", "position"))


def _subject(fiscal_year: FiscalYear, text: str) -> str:
    return f"【{fiscal_year.plan}】{text}"


def _deadline(fiscal_year: FiscalYear) -> str:
    return wareki.format_date(fiscal_year.deadline) if fiscal_year.deadline else ""


def _footer() -> str:
    return (
        "\n\n――――\n"
        "このメールは Shishin から自動で送信しています。\n"
        f"担当の一覧: {absolute_url(reverse('staff:home'))}\n"
        "リンクを開くにはサインインが必要です。アカウントがない場合は、取りまとめの担当課にお問い合わせください。\n"
    )


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.strip().splitlines())


def year_opened(fiscal_year: FiscalYear, by: User | None = None) -> Sent:
    """Ask every department with records in the newly opened ``fiscal_year`` for them."""
    audience = _Audience(by)
    audience.add_departments(_records(fiscal_year.records.filter(state__in=_OPEN)))
    deadline = f"提出期限の{_deadline(fiscal_year)}までに" if fiscal_year.deadline else ""
    before = (
        f"{fiscal_year.plan}に基づく{fiscal_year}の取組み状況の照会を始めました。\n"
        f"次の取組みについて、{deadline}Shishin で入力し、提出してください。"
        "前年度の内容を引き継いでいる取組みは、確認のうえ修正してください。"
    )
    return audience.send(YEAR_OPENED, _subject(fiscal_year, f"{fiscal_year}の取組み状況の照会"), before)


def record_returned(record: Record, reason: str, by: User | None = None) -> Sent:
    """Tell the record's department that it was returned, and why."""
    (found,) = _records(Record.objects.filter(pk=record.pk))
    fiscal_year = found.fiscal_year
    audience = _Audience(by)
    audience.add_departments([found])
    before = (
        f"{fiscal_year}の次の取組みが{_name(by)}さんから差し戻されました。"
        "理由を確認して修正し、もう一度提出してください。"
    )
    after = f"\n\n差戻しの理由:\n{_quoted(reason)}"
    if fiscal_year.deadline:
        after += f"\n\n提出期限: {_deadline(fiscal_year)}"
    subject = _subject(fiscal_year, f"取組みが差し戻されました（{found.department_name}：{found.measure.title}）")
    return audience.send(RETURNED, subject, before, after)


def commented(comment: Comment) -> Sent:
    """Pass a comment on to the record's department, to whoever commented on the record before, and
    to the administrators when the author is not one of them."""
    (found,) = _records(Record.objects.filter(pk=comment.record_id))
    author = comment.author
    audience = _Audience(author)
    audience.add_departments([found])
    earlier = found.comments.exclude(pk=comment.pk).values("author")
    people = [  # those who commented before, while they may still read the record
        user
        for user in User.objects.filter(pk__in=earlier, is_active=True).order_by("pk")
        if Access.of(user).can_read_record(found)
    ]
    if author is None or not Access.of(author).is_administrator:
        people += _administrators()
    audience.add_people(people)
    before = (
        f"{found.fiscal_year}の取組み「{found.measure.title}」（{found.department_name}）に"
        f"{_name(author)}さんがコメントしました。\n\n{_quoted(comment.text)}\n\n{_link(found)}"
    )
    subject = _subject(found.fiscal_year, f"コメントがありました（{found.department_name}：{found.measure.title}）")
    return audience.send(COMMENTED, subject, before, tasks=False)


def approved(records: Sequence[Record], by: User | None = None) -> Sent:
    """Tell each department which of its records were approved, in one mail an address."""
    found = _records(Record.objects.filter(pk__in=[r.pk for r in records]))
    if not found:
        return Sent(APPROVED)
    fiscal_year = found[0].fiscal_year
    audience = _Audience(by)
    audience.add_departments(found)
    if len(found) == 1:
        subject = f"取組みが承認されました（{found[0].department_name}：{found[0].measure.title}）"
    else:
        subject = f"{fiscal_year}の取組みが承認されました"
    return audience.send(APPROVED, _subject(fiscal_year, subject), f"{fiscal_year}の次の取組みが承認されました。")


def reminder_due(
    deadline: dt.date | None,
    today: dt.date,
    days_before: int,
    last_soon: dt.date | None = None,
    last_overdue: dt.date | None = None,
) -> str:
    """Which reminder the daily run sends ``today``, given when each was last sent: REMINDER_SOON once,
    on the first run within ``days_before`` days of the deadline (a day cron missed, or a year opened
    late, still gets it); REMINDER_OVERDUE on the first run after the deadline and then every
    OVERDUE_EVERY days; "" otherwise, and always for a year without a deadline. A second run on the
    same day sends nothing."""
    if deadline is None:
        return ""
    late = (today - deadline).days
    if late > 0:
        return REMINDER_OVERDUE if last_overdue is None or (today - last_overdue).days >= OVERDUE_EVERY else ""
    return REMINDER_SOON if -late <= days_before and last_soon is None else ""


def _last_sent(fiscal_year: FiscalYear, kind: str) -> dt.date | None:
    """The day the outbox last took ``kind`` of reminder for ``fiscal_year`` (its subject names the year)."""
    subject = _reminder_subject(fiscal_year, kind)
    last = Mail.objects.filter(kind=kind, subject=subject).order_by("-created_at").first()
    return timezone.localtime(last.created_at).date() if last is not None else None


def _reminder_subject(fiscal_year: FiscalYear, kind: str) -> str:
    if kind == REMINDER_SOON:
        return _subject(fiscal_year, f"{fiscal_year}の取組み状況の提出期限が近づいています")
    if kind == REMINDER_OVERDUE:
        return _subject(fiscal_year, f"{fiscal_year}の取組み状況の提出期限を過ぎています")
    return _subject(fiscal_year, f"{fiscal_year}の取組み状況のご提出のお願い")


def deadline_reminders(
    fiscal_year: FiscalYear, today: dt.date, days_before: int | None = None, by: User | None = None
) -> Sent:
    """Remind every department with records not submitted, one mail an address listing them: on the
    schedule's days (`reminder_due`), or now when ``days_before`` is None (the board's button)."""
    if days_before is None:
        late = fiscal_year.deadline is not None and today > fiscal_year.deadline
        kind = REMINDER_OVERDUE if late else REMINDER
    else:
        kind = reminder_due(
            fiscal_year.deadline,
            today,
            days_before,
            _last_sent(fiscal_year, REMINDER_SOON),
            _last_sent(fiscal_year, REMINDER_OVERDUE),
        )
    if not kind:
        return Sent("")
    audience = _Audience(by)
    audience.add_departments(_records(fiscal_year.records.filter(state__in=_OPEN)))
    deadline = _deadline(fiscal_year)
    year = f"{fiscal_year.plan}に基づく{fiscal_year}の取組み状況"
    if kind == REMINDER_SOON:
        before = f"{year}の提出期限（{deadline}）が近づいています。次の取組みが未提出です。期限までに入力し、提出してください。"
    elif kind == REMINDER_OVERDUE:
        before = (
            f"{year}の提出期限（{deadline}）を過ぎています。次の取組みが未提出です。至急、入力し、提出してください。"
        )
    else:
        until = f"提出期限は{deadline}です。" if deadline else ""
        before = f"{year}について、次の取組みが未提出です。{until}入力し、提出してください。"
    return audience.send(kind, _reminder_subject(fiscal_year, kind), before)


def _council_link(assessment: CouncilAssessment) -> str:
    fiscal_year = assessment.fiscal_year
    return absolute_url(
        reverse("staff:council_measure", args=[fiscal_year.plan_id, fiscal_year.year, assessment.measure_id])
    )


def council_submitted(assessment: CouncilAssessment, by: User | None = None) -> Sent:
    """Tell the administrators that the council's assessment of a measure awaits their approval."""
    audience = _Audience(by)
    audience.add_people(_administrators())
    fiscal_year, measure = assessment.fiscal_year, assessment.measure
    before = (
        f"{fiscal_year}の施策「{measure.title}」について、{_name(by)}さんが協議会の評価を提出しました。"
        f"内容を確認して、承認するか差し戻してください。\n{_council_link(assessment)}"
    )
    subject = _subject(fiscal_year, f"協議会の評価が提出されました（{measure.title}）")
    return audience.send(COUNCIL_SUBMITTED, subject, before, tasks=False)


def council_returned(assessment: CouncilAssessment, reason: str, by: User | None = None) -> Sent:
    """Tell whoever submitted the council's assessment that it was returned, and why."""
    audience = _Audience(by)
    submitted = assessment.history.filter(state=Record.State.SUBMITTED).order_by("-history_date").first()
    if submitted is not None and submitted.history_user is not None and submitted.history_user.is_active:
        audience.add_people([submitted.history_user])
    fiscal_year, measure = assessment.fiscal_year, assessment.measure
    before = (
        f"{fiscal_year}の施策「{measure.title}」の協議会の評価が、{_name(by)}さんから差し戻されました。"
        f"理由を確認して書き直し、もう一度提出してください。\n{_council_link(assessment)}"
    )
    after = f"\n\n差戻しの理由:\n{_quoted(reason)}"
    subject = _subject(fiscal_year, f"協議会の評価が差し戻されました（{measure.title}）")
    return audience.send(COUNCIL_RETURNED, subject, before, after, tasks=False)
