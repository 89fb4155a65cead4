"""Reminders go through a real SMTP server (aiosmtpd on loopback) and are read back."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from shishin.plans import actions
from shishin.plans.models import Plan, Record

from ..conftest import People
from ..helpers import run, submit

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=port
    ):
        yield handler
    controller.stop()


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
