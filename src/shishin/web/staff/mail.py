"""The outbox, for administrators: every mail Shishin sent or could not send, and why, and 再送."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shishin.plans.mail import problems, send_pending
from shishin.plans.models import Mail
from shishin.plans.notifications import KINDS
from shishin.plans.permissions import Right

from . import staff_view

# The page lists the mail not sent first, then the latest sent, this many in all.
SHOWN = 200


@staff_view(Right.ADMINISTER)
def outbox(request: HttpRequest) -> HttpResponse:
    unsent_first = Case(
        When(state=Mail.State.FAILED, then=Value(0)),
        When(state=Mail.State.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    mails = list(Mail.objects.order_by(unsent_first, "-created_at", "-pk")[:SHOWN])
    for mail in mails:
        mail.kind_label = KINDS.get(mail.kind, mail.kind)  # type: ignore[attr-defined]
    counts = dict(Mail.objects.values_list("state").annotate(n=Count("pk")).order_by())
    context = {
        "mails": mails,
        "shown": SHOWN,
        "problems": problems(),
        "counts": [(label, counts.get(state, 0)) for state, label in Mail.State.choices],
    }
    return render(request, "staff/outbox.html", context)


@staff_view(Right.ADMINISTER, post=True)
def resend(request: HttpRequest) -> HttpResponse:
    """Send every mail not sent yet, those tried the most times too."""
    sent, failed = send_pending(exhausted=True)
    if failed:
        messages.error(
            request,
            f"{failed} 通を送信できませんでした（{problems().error}）。"
            "メールサーバーの設定（SHISHIN_EMAIL_HOST など）と宛先を確認してください",
        )
    if sent:
        messages.success(request, f"{sent} 通を送信しました")
    if not sent and not failed:
        messages.success(request, "送信が必要なメールはありません")
    return redirect("staff:outbox")
