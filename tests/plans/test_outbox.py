"""The outbox: a mail server that cannot be reached neither stops a step nor loses its mail; the
administrators see what failed and why, and `shishin send-mail` or 再送 sends it later."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from shishin.plans import mail as outbox
from shishin.plans.models import Department, Mail, Plan, Record

from ..conftest import Inbox, People
from ..helpers import run, signed_in, submit

PATROL = "CoCoパトロール隊による地域パトロール"


def _closed_port() -> int:
    """A port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    Mail.objects.all().delete()  # the year's request: another test's
    return seeded_2019_open


def test_a_mail_server_that_cannot_be_reached_neither_stops_the_step_nor_loses_the_mail(
    inbox: Inbox, plan: Plan, people: People, django_capture_on_commit_callbacks: Any
) -> None:
    Department.objects.filter(name="地域安全課").update(email="anzen@city.example.jp")
    record = Record.objects.get(fiscal_year__year=2019, measure__title=PATROL, department__name="地域安全課")
    submit(record, by=people.bob)
    record.refresh_from_db()
    with override_settings(EMAIL_PORT=_closed_port()), django_capture_on_commit_callbacks(execute=True):
        response = signed_in(people.alice).post(
            f"/staff/records/{record.pk}/return/", {"version": record.version, "reason": "数値の誤り"}, follow=True
        )
    assert "差し戻しました" in response.content.decode()
    record.refresh_from_db()
    assert record.state == Record.State.RETURNED
    # The first mail failed, with the error; the server cannot be reached, so the second was not tried.
    failed, untried = Mail.objects.order_by("pk")
    assert (failed.to, failed.state, failed.attempts) == (["bob@example.jp"], Mail.State.FAILED, 1)
    assert failed.error.startswith("ConnectionRefusedError: ")
    assert (untried.to, untried.state, untried.attempts) == (["anzen@city.example.jp"], Mail.State.PENDING, 0)
    assert inbox.messages == []

    # The administrators are told on their page, and find it in the outbox; others are not.
    home = signed_in(people.alice).get("/staff/").content.decode()
    assert "送信できていないメールが1通あります" in home and "最後のエラー: ConnectionRefusedError" in home
    assert "送信できていないメール" not in signed_in(people.bob).get("/staff/").content.decode()
    page = signed_in(people.alice).get("/staff/mail/").content.decode()
    assert "取組みが差し戻されました" in page and "送信失敗" in page and "ConnectionRefusedError" in page
    assert signed_in(people.bob).get("/staff/mail/").status_code == 403

    # The server is back. The next step's sending takes what was never tried, not what failed (retries
    # are send-mail's: a busy hour of steps would use up a mail's tries).
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(people.bob).post(f"/staff/records/{record.pk}/comment/", {"text": "直します"})
    kinds = sorted(
        (recipients, "差戻し" if "差し戻されました" in str(message["Subject"]) else "コメント")
        for recipients, message in inbox.messages
    )
    assert kinds == [
        (["alice@example.jp"], "コメント"),
        (["anzen@city.example.jp"], "コメント"),
        (["anzen@city.example.jp"], "差戻し"),
    ]
    inbox.messages.clear()
    assert run("send-mail") == (0, "1 通を送信しました\n", "")
    assert [recipients for recipients, _ in inbox.messages] == [["bob@example.jp"]]
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.error) == (Mail.State.SENT, 2, "")
    assert run("send-mail") == (0, "", "")
    assert "送信できていないメール" not in signed_in(people.alice).get("/staff/").content.decode()


def test_send_mail_gives_up_after_max_attempts_and_resend_tries_again(people: People) -> None:
    tried = Mail.objects.create(
        kind="returned", to=["bob@example.jp"], subject="件名", body="本文", state=Mail.State.FAILED, error="x"
    )
    Mail.objects.filter(pk=tried.pk).update(attempts=outbox.MAX_ATTEMPTS)
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=_closed_port()):
        assert run("send-mail") == (0, "", "")
        status, out, err = run("send-mail", "--all")
    assert (status, out) == (1, "")
    assert err.startswith("1 通を送信できませんでした: ConnectionRefusedError")
    response = signed_in(people.alice).post("/staff/mail/resend/", follow=True)
    assert "1 通を送信しました" in response.content.decode()
    assert [m.to for m in django_mail.outbox] == [["bob@example.jp"]]
    tried.refresh_from_db()
    assert (tried.state, tried.attempts) == (Mail.State.SENT, outbox.MAX_ATTEMPTS + 2)
    assert signed_in(people.bob).post("/staff/mail/resend/").status_code == 403


def test_one_thread_sends_the_mail_of_many_commits_and_a_later_commit_starts_it_again(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.SHISHIN_MAIL_IN_BACKGROUND = True
    threads = []
    started = threading.Event()

    def send_queued() -> tuple[int, int]:
        threads.append(threading.current_thread())
        started.set()
        time.sleep(0.05)
        return 0, 0

    monkeypatch.setattr(outbox, "send_queued", send_queued)
    for _ in range(5):
        outbox._send_soon()
    started.wait(5)
    outbox.wait_for_mail()
    # The first commit started the thread; the others, while it sent, asked it for one more round.
    assert 1 <= len(threads) <= 2 and len(set(threads)) == 1
    outbox._send_soon()
    outbox.wait_for_mail()
    assert len(threads) in (2, 3) and threads[-1] is not threads[0] and outbox._sender is None
