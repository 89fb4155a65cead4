"""The staff pages of the yearly collection, one small view per verb.

- `collection`: the task list, opening a year, the completion board, and the year's steps
  (remind, approve what is submitted, publish, reopen)
- `records`: a record's page and its steps (save, submit, approve, return, comment)
- `structure`: the plan's structure (add, rename, retire measures; rename, merge departments)
- `checks`: the review findings of a year
- `tokens`: a person's API keys

Each view: look up with permission (`staff_view`, the ``*_or_404`` helpers), validate with a
form (`shishin.web.forms`), call an action (`shishin.plans.actions`), redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from shishin.plans.actions import ActionError
from shishin.plans.models import FiscalYear, Record
from shishin.plans.permissions import Right, access

View = Callable[..., HttpResponse]


def staff_view(right: Right | None = None, *, post: bool = False) -> Callable[[View], View]:
    """Signed-in people with a role (and ``right``, when named); others are sent to sign in, or refused.

    ``post``: the view is a step that changes something, taken only by POST.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def signed_in(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            person = access(request)
            if not person.is_staff_member:
                raise PermissionDenied("役割が登録されていません")
            if right is not None and not person.may(right):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            signed_out = post and not request.user.is_authenticated and "record_id" in kwargs
            if signed_out and "items" in request.POST and (kept := keep_typed(request, kwargs["record_id"])):
                return kept
            return signed_in(request, *args, **kwargs)

        return (require_POST if post else require_safe)(wrapped)

    return decorate


TYPED = "shishin_typed"
_WRITER_SALT = "shishin.web.staff.writer"
# Kept for a signed-out sender, so bounded: five times the longest record of the demo's report.
TYPED_CHARACTERS = 100_000


def writer_token(user: User) -> str:
    """Signs who a record's form was shown to, so that what it sends after the session ended is kept
    for them alone (`keep_typed`)."""
    return signing.dumps(user.pk, salt=_WRITER_SALT)


def keep_typed(request: HttpRequest, record_id: int) -> HttpResponse | None:
    """The session ended while a record was being written: keep what was sent (saving nothing), for
    the person the form was shown to and the version they wrote on, and send them to sign in, then
    back to the record's page, which offers it again (`typed_for`). None for a form no signed-in
    person was shown (nothing is kept for anyone else)."""
    try:
        writer = signing.loads(request.POST.get("writer", ""), salt=_WRITER_SALT)
    except signing.BadSignature:
        return None
    if not Record.objects.filter(pk=record_id).exists():
        return None
    request.session[TYPED] = {
        "record": record_id,
        "writer": writer,
        "version": request.POST.get("version", ""),
        "items": request.POST.get("items", "")[:TYPED_CHARACTERS],
        "no_activity": bool(request.POST.get("no_activity")),
    }
    if request.POST.get("assessed"):  # the form's own assessment: 自己評価, 課題, 今後の方向性, as typed
        request.session[TYPED] |= {
            name: request.POST.get(name, "")[:TYPED_CHARACTERS] for name in ("self_grade", "issues", "outlook")
        }
    return redirect_to_login(reverse("staff:record", args=[record_id]))


def typed_for(request: HttpRequest, record_id: int) -> dict[str, Any] | None:
    """What the signed-in person typed for the record before their session ended, once (`keep_typed`)."""
    typed = request.session.get(TYPED)
    if not isinstance(typed, dict) or typed.get("record") != record_id:
        return None
    del request.session[TYPED]
    return typed if typed.get("writer") == request.user.pk else None


def account(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def fiscal_year_or_404(plan_id: int, year: int) -> FiscalYear:
    return get_object_or_404(FiscalYear.objects.select_related("plan"), plan_id=plan_id, year=year)


def step(request: HttpRequest, to: HttpResponse, run: Callable[[], str]) -> HttpResponse:
    """Take a step: ``run`` calls an action and says what it did; a refusal is said instead. Then go ``to``."""
    try:
        messages.success(request, run())
    except ActionError as err:
        messages.error(request, str(err))
    return to


def refuse(request: HttpRequest, to: HttpResponse, message: str) -> HttpResponse:
    messages.error(request, message)
    return to
