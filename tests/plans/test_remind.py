"""Reminders go through a real SMTP server (aiosmtpd on loopback) and are read back."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Plan, Record

from ..conftest import Inbox, People
from ..helpers import run, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    found = seeded
    actions.do_open_fiscal_year(found, 2019, deadline=None, by=people.alice)
    return found


def test_the_remind_command_mails_the_editors_of_departments_that_have_not_submitted(
    inbox: Inbox, plan: Plan, people: People
) -> None:
    for record in Record.objects.filter(fiscal_year__year=2019, department__name="学務課"):
        submit(record, by=people.carol)
    status, out, err = run("remind", "--year", "2019")
    assert (status, err) == (0, "")
    assert "地域安全課" in out and "学務課" not in out
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == ["bob@example.jp"]
    assert message["Subject"].strip() == "【小金井市防犯指針】令和元年度の取組み状況のご提出のお願い（地域安全課）"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "未提出の取組みが" in body.get_content()


def test_the_board_sends_reminders_on_demand(inbox: Inbox, plan: Plan, people: People) -> None:
    client = Client()
    client.force_login(people.alice)
    response = client.post(f"/staff/plans/{plan.pk}/years/2019/remind/", {}, follow=True)
    assert "2 担当課に督促メールを送りました" in response.content.decode()
    assert sorted(r for recipients, _ in inbox.messages for r in recipients) == ["bob@example.jp", "carol@example.jp"]


def test_nobody_is_mailed_when_everything_is_submitted(inbox: Inbox, plan: Plan, people: People) -> None:
    for record in Record.objects.filter(fiscal_year__year=2019):
        submit(record, by=people.alice)
    assert run("remind")[0] == 0
    assert inbox.messages == []
