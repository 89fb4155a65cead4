"""Reminders go through a real SMTP server (aiosmtpd on loopback) and are read back: the daily run's
schedule, one mail an address, and the departments no address reaches named."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from shishin.plans import actions
from shishin.plans.models import Department, FiscalYear, Mail, Plan, Record
from shishin.plans.notifications import REMINDER_OVERDUE, REMINDER_SOON, reminder_due

from ..conftest import Inbox, People
from ..helpers import run, signed_in, submit

DEADLINE = dt.date(2020, 4, 30)


SENT_ON_THE_DAY = dt.date(2020, 4, 23)
OVERDUE_SENT = dt.date(2020, 5, 1)


@pytest.mark.parametrize(
    ("today", "days_before", "last_soon", "last_overdue", "expected"),
    [
        (dt.date(2020, 4, 23), 7, None, None, REMINDER_SOON),
        (dt.date(2020, 4, 22), 7, None, None, ""),
        (dt.date(2020, 4, 24), 7, SENT_ON_THE_DAY, None, ""),  # once
        (dt.date(2020, 4, 23), 7, SENT_ON_THE_DAY, None, ""),  # a second run the same day sends nothing
        (dt.date(2020, 4, 26), 7, None, None, REMINDER_SOON),  # the day it was due was missed
        (dt.date(2020, 4, 30), 0, None, None, REMINDER_SOON),
        (dt.date(2020, 5, 1), 7, SENT_ON_THE_DAY, None, REMINDER_OVERDUE),
        (dt.date(2020, 5, 1), 7, SENT_ON_THE_DAY, OVERDUE_SENT, ""),
        (dt.date(2020, 5, 2), 7, None, OVERDUE_SENT, ""),
        (dt.date(2020, 5, 3), 7, None, None, REMINDER_OVERDUE),  # the first day after was missed
        (dt.date(2020, 5, 7), 7, None, OVERDUE_SENT, ""),
        (dt.date(2020, 5, 8), 7, None, OVERDUE_SENT, REMINDER_OVERDUE),
        (dt.date(2020, 5, 15), 7, None, dt.date(2020, 5, 8), REMINDER_OVERDUE),
    ],
    ids=lambda value: str(value),
)
def test_the_daily_run_reminds_once_within_n_days_of_the_deadline_then_after_it_weekly(
    today: dt.date, days_before: int, last_soon: dt.date | None, last_overdue: dt.date | None, expected: str
) -> None:
    assert reminder_due(DEADLINE, today, days_before, last_soon, last_overdue) == expected


def test_a_year_without_a_deadline_is_never_reminded_by_the_daily_run() -> None:
    assert reminder_due(None, DEADLINE, 0) == ""


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    """FY2019 open, due in 7 days; 交通対策課, which has nobody with an account, has a contact address;
    学務課 (Carol) has submitted everything."""
    deadline = timezone.localdate() + dt.timedelta(days=7)
    actions.do_open_fiscal_year(seeded, 2019, deadline=deadline, by=people.alice)
    Department.objects.filter(name="交通対策課").update(email="kotsu@city.example.jp")
    for record in Record.objects.filter(fiscal_year__year=2019, department__name="学務課"):
        submit(record, by=people.carol)
    Mail.objects.all().delete()  # the request of the year's opening: another test's
    return seeded


def _unreached() -> list[str]:
    """The departments with records to submit and neither an editor nor a contact address."""
    names = Record.objects.filter(fiscal_year__year=2019, state__in=actions.EDITABLE_BY_EDITORS).values_list(
        "department__name", flat=True
    )
    return sorted(set(names) - {"地域安全課", "交通対策課"})


def _sent(inbox: Inbox) -> dict[str, tuple[str, str]]:
    found = {}
    for recipients, message in inbox.messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        for address in recipients:
            assert address not in found, f"{address} got two mails"
            found[address] = (str(message["Subject"]).strip(), body.get_content().replace("\r\n", "\n"))
    return found


def test_the_remind_command_mails_each_address_its_departments_tasks_n_days_before_the_deadline(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        status, out, err = run("remind", "--year", "2019")
    assert (status, err) == (0, "")
    sent = _sent(inbox)
    # 学務課 has submitted everything: Carol is not reminded.
    assert sorted(sent) == ["bob@example.jp", "kotsu@city.example.jp"]
    subject, body = sent["bob@example.jp"]
    assert subject == "【小金井市防犯指針】令和元年度（2019年度）の取組み状況の提出期限が近づいています"
    deadline = FiscalYear.objects.get(plan=plan, year=2019).deadline
    assert deadline is not None
    assert re.search(rf"提出期限（令和\d+年{deadline.month}月{deadline.day}日）が近づいています", body)
    tasks = Record.objects.filter(fiscal_year__year=2019, department__name="地域安全課")
    links = re.findall(r"http://\S+(/staff/records/\d+/)", body)
    assert sorted(links) == sorted(f"/staff/records/{r.pk}/" for r in tasks)
    assert signed_in(people.bob).get(links[0]).status_code == 200
    lines = out.splitlines()
    assert lines[0] == "小金井市防犯指針 令和元年度（2019年度）: 提出期限が近づいています"
    assert f"  bob@example.jp: 地域安全課（未提出 {tasks.count()} 件）" in lines
    heading, names = lines[-1].split(": ")
    assert heading == "  連絡先がないため督促できなかった担当課" and sorted(names.split("、")) == _unreached()

    # Another day, another number of days before: nothing is sent, nothing is said.
    inbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run("remind", "--days-before", "3") == (0, "", "")
    with override_settings(SHISHIN_REMIND_DAYS_BEFORE=3), django_capture_on_commit_callbacks(execute=True):
        assert run("remind") == (0, "", "")
    assert inbox.messages == []


def test_after_the_deadline_the_remind_command_says_so_the_first_day_and_once_a_week(
    inbox: Inbox, plan: Plan, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    FiscalYear.objects.filter(plan=plan, year=2019).update(deadline=DEADLINE)
    said = []
    for late in [1, 1, *range(2, 10)]:  # the first day twice: a second run that day sends nothing
        moment = dt.datetime.combine(DEADLINE + dt.timedelta(days=late), dt.time(6), tzinfo=dt.UTC)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)  # the outbox remembers when it sent
        inbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            out = run("remind")[1]
        if out:
            assert out.splitlines()[0].endswith(": 提出期限を過ぎています")
            assert sorted(_sent(inbox)) == ["bob@example.jp", "kotsu@city.example.jp"]
            (subject, _), *_ = _sent(inbox).values()
            assert subject.endswith("の提出期限を過ぎています")
            said.append(late)
        else:
            assert inbox.messages == []
    assert said == [1, 8]


def test_the_board_reminds_now_and_names_the_departments_it_could_not_reach(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people.alice).post(f"/staff/plans/{plan.pk}/years/2019/remind/", {}, follow=True)
    page = response.content.decode()
    assert "2 担当課の未提出の取組みについて、2 件の宛先に督促メールを送りました" in page
    unreached = _unreached()
    warning = re.search(r"連絡先がないため督促できなかった担当課（(\d+)）: ([^<]*)。", page)
    assert warning and int(warning[1]) == len(unreached) and sorted(warning[2].split("、")) == unreached
    sent = _sent(inbox)
    assert sorted(sent) == ["bob@example.jp", "kotsu@city.example.jp"]
    assert sent["bob@example.jp"][0] == "【小金井市防犯指針】令和元年度（2019年度）の取組み状況のご提出のお願い"


def test_nobody_is_mailed_when_everything_is_submitted(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    for record in Record.objects.filter(fiscal_year__year=2019).exclude(state=Record.State.SUBMITTED):
        submit(record, by=people.alice)
    with django_capture_on_commit_callbacks(execute=True):
        status, out, _ = run("remind", "--now")
    assert (status, out) == (0, "小金井市防犯指針 令和元年度（2019年度）: 督促\n  未提出の取組みはありません\n")
    assert inbox.messages == []
