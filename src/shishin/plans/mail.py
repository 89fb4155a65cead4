"""The outbox. Mail a step causes is written in the step's transaction (`queue_mail`) and sent once
that commits, on a thread of its own, so that a slow or broken SMTP server never delays or undoes
the step. A mail that could not be sent stays in the outbox, marked failed with the error (logged,
and shown to the administrators); `send_pending` tries it again (`shishin send-mail`, for cron).

Who sends what, so that no mail goes out twice: the step's own sending takes only mail never tried
(`send_queued`); a retry (`send_pending`) takes failed mail, mail never tried, and mail tried but left
waiting longer than STUCK_AFTER (its sender's process ended). Each mail is claimed before it is sent
by raising its attempt count in one UPDATE, so two senders never take the same try of one mail.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import Mail

log = logging.getLogger(__name__)

# `send_pending` (cron) tries a mail this many times; the administrators' 再送 tries every unsent mail again.
MAX_ATTEMPTS = 5
# A mail still waiting this long after it was queued was not sent by the step's own sending (the server
# could not be reached, or the process ended): a retry takes it, and the administrators are told.
STUCK_AFTER = dt.timedelta(minutes=15)

# One sending thread a process: the commits of a busy minute wake it again rather than each starting
# one (each would open its own SMTP connection at once).
_lock = threading.Lock()
_sender: threading.Thread | None = None
_again = False


def absolute_url(path: str) -> str:
    """The address of ``path`` ("/staff/…") on this site, for a link in a mail (SHISHIN_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def queue_mail(kind: str, to: Iterable[str], subject: str, body: str) -> Mail | None:
    """Put a mail to the addresses ``to`` in the outbox, to be sent when the current transaction
    commits; nothing when there is nobody to send it to."""
    queued = queue_mails(kind, [(to, subject, body)])
    return queued[0] if queued else None


def queue_mails(kind: str, messages: Iterable[tuple[Iterable[str], str, str]]) -> list[Mail]:
    """Put the mails (to, subject, body) of one step in the outbox, to be sent together when the
    current transaction commits; a mail with nobody to send it to is left out."""
    queued = []
    for to, subject, body in messages:
        addresses = sorted({address.strip() for address in to if address and address.strip()})
        if addresses:
            queued.append(Mail(kind=kind, to=addresses, subject=subject, body=body))
    if queued:
        Mail.objects.bulk_create(queued)
        # Once for the step, not once a mail: each sending takes every mail never tried, and a server
        # that cannot be reached would be waited for again and again.
        transaction.on_commit(_send_soon, robust=True)
    return queued


def _send_soon() -> None:
    global _sender, _again
    if not settings.SHISHIN_MAIL_IN_BACKGROUND:
        send_queued()
        return
    with _lock:
        _again = True
        if _sender is None:
            _sender = threading.Thread(target=_send_in_background, name="shishin-mail", daemon=True)
            _sender.start()


def _send_in_background() -> None:
    global _sender, _again
    try:
        while True:
            with _lock:
                if not _again:
                    _sender = None  # under the lock: a commit from now on starts a thread again
                    return
                _again = False
            try:
                send_queued()
            except Exception:
                log.exception("the outbox could not be read")
    finally:
        connection.close()


def wait_for_mail(timeout: float | None = 10.0) -> None:
    """Wait for the mail being sent in the background (for tests, and for commands before they exit:
    their process would end the thread). None waits as long as it takes."""
    with _lock:
        running = _sender
    if running is not None:
        running.join(timeout)


def send_queued() -> tuple[int, int]:
    """Send the mail never tried (what the steps just committed); returns (sent, failed)."""
    return _send(Mail.objects.filter(state=Mail.State.PENDING, attempts=0))


def _not_sent() -> Q:
    return Q(state=Mail.State.FAILED) | Q(state=Mail.State.PENDING, created_at__lt=timezone.now() - STUCK_AFTER)


def unsent() -> QuerySet[Mail]:
    """Mail that failed, or that has been waiting longer than STUCK_AFTER."""
    return Mail.objects.filter(_not_sent())


def send_pending(*, exhausted: bool = False) -> tuple[int, int]:
    """Try again every mail not sent (failed ones up to MAX_ATTEMPTS times, any number of times with
    ``exhausted``); returns (sent, failed)."""
    waiting = Mail.objects.filter(Q(state=Mail.State.PENDING, attempts=0) | _not_sent())
    if not exhausted:
        waiting = waiting.filter(attempts__lt=MAX_ATTEMPTS)
    return _send(waiting)


def _send(waiting: QuerySet[Mail]) -> tuple[int, int]:
    sent = failed = 0
    smtp = get_connection(fail_silently=False)
    try:
        for mail in waiting.order_by("created_at", "pk"):
            claimed = Mail.objects.filter(pk=mail.pk, attempts=mail.attempts, state=mail.state).update(
                attempts=F("attempts") + 1
            )
            if not claimed:
                continue
            try:
                smtp.open()  # one connection for the whole run; a no-op while it is open
            except Exception as error:
                _failed(mail, error)
                failed += 1
                # The server cannot be reached: the rest would wait as long and fail alike. They stay
                # in the outbox for the next retry.
                break
            message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.to, connection=smtp)
            try:
                message.send()
            except Exception as error:
                _failed(mail, error)
                failed += 1
                smtp.close()  # a broken connection is not reused
            else:
                sent += 1
                Mail.objects.filter(pk=mail.pk).update(state=Mail.State.SENT, error="", sent_at=timezone.now())
    finally:
        smtp.close()
    return sent, failed


def _failed(mail: Mail, error: Exception) -> None:
    problem = f"{type(error).__name__}: {error}"
    Mail.objects.filter(pk=mail.pk).update(state=Mail.State.FAILED, error=problem)
    log.error("mail %s to %s not sent: %s", mail.pk, ", ".join(mail.to), problem)


@dataclass(frozen=True)
class Problems:
    """What the administrators are told: how many mails are not sent (none: all is well), and the
    latest error."""

    unsent: int
    error: str


def problems() -> Problems:
    count = unsent().count()
    latest = Mail.objects.filter(state=Mail.State.FAILED).order_by("-created_at", "-pk").first() if count else None
    return Problems(count, latest.error if latest else "")
