"""The outbox. Mail a step causes is written in the step's transaction (`queue_mail`) and sent once
that commits, on a thread of its own, so that a slow or broken SMTP server never delays or undoes
the step. A mail that could not be sent stays in the outbox, marked failed with the error (logged,
and listed for the administrators); `send_pending` tries it again (`shishin send-mail`, for cron).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Mail

log = logging.getLogger(__name__)

# A mail is tried this many times (each commit that queues mail, and each `send_pending`, tries again).
MAX_ATTEMPTS = 5

_threads: list[threading.Thread] = []
_threads_lock = threading.Lock()


def absolute_url(path: str) -> str:
    """The address of ``path`` ("/staff/…") on this site, for a link in a mail (SHISHIN_SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def queue_mail(kind: str, to: Iterable[str], subject: str, body: str) -> Mail | None:
    """Put a mail to the addresses ``to`` in the outbox, to be sent when the current transaction
    commits; nothing when there is nobody to send it to."""
    addresses = sorted({address.strip() for address in to if address and address.strip()})
    if not addresses:
        return None
    mail = Mail.objects.create(kind=kind, to=addresses, subject=subject, body=body)
    transaction.on_commit(_send_soon, robust=True)
    return mail


def _send_soon() -> None:
    if not settings.SHISHIN_MAIL_IN_BACKGROUND:
        send_pending()
        return
    thread = threading.Thread(target=_send_in_background, name="shishin-mail", daemon=True)
    with _threads_lock:
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
    thread.start()


def _send_in_background() -> None:
    try:
        send_pending()
    finally:
        connection.close()


def wait_for_mail(timeout: float = 10.0) -> None:
    """Wait for the mail being sent in the background (for tests and commands that exit)."""
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(timeout)


def send_pending() -> tuple[int, int]:
    """Try every mail not yet sent (failed ones up to MAX_ATTEMPTS times); returns (sent, failed).

    Each mail is claimed by raising its attempt count in one UPDATE: two senders never send one mail twice.
    """
    close_old_connections()
    sent = failed = 0
    waiting = Mail.objects.filter(state__in=(Mail.State.PENDING, Mail.State.FAILED), attempts__lt=MAX_ATTEMPTS)
    smtp = get_connection(fail_silently=False)  # opened by the first send, not at all when nothing waits
    try:
        for mail in waiting.order_by("created_at", "pk"):
            claimed = Mail.objects.filter(pk=mail.pk, attempts=mail.attempts, state=mail.state).update(
                attempts=F("attempts") + 1
            )
            if not claimed:
                continue
            message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.to, connection=smtp)
            try:
                message.send()
            except Exception as error:
                failed += 1
                problem = f"{type(error).__name__}: {error}"
                Mail.objects.filter(pk=mail.pk).update(state=Mail.State.FAILED, error=problem)
                log.error("mail %s to %s not sent: %s", mail.pk, ", ".join(mail.to), problem)
                smtp.close()  # a broken connection is not reused
            else:
                sent += 1
                Mail.objects.filter(pk=mail.pk).update(state=Mail.State.SENT, error="", sent_at=timezone.now())
    finally:
        smtp.close()
    return sent, failed
