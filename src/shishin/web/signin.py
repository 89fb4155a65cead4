"""Signing in: names typed in any case, and how long an account stops taking sign-ins after failures
(django-axes' AXES_COOLOFF_TIME)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum
from django.http import HttpRequest

FIRST_PAUSE = dt.timedelta(minutes=5)
LONGEST_PAUSE = dt.timedelta(hours=1)


def cool_off(request: HttpRequest | None) -> dt.timedelta:
    """5 minutes once an account reaches the failure limit, doubling with each failure past it, up to
    an hour: failures are forgotten, and the account opens again, that long after the last one."""
    from axes.models import AccessAttempt

    username = request.POST.get("username", "") if request is not None else ""
    failures: int = AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
    past_limit = max(failures - settings.AXES_FAILURE_LIMIT, 0)
    pause: dt.timedelta = FIRST_PAUSE * 2 ** min(past_limit, 10)
    return min(pause, LONGEST_PAUSE)


class AddressBackend(ModelBackend):
    """An invited person's username is their e-mail address in lower case (`do_invite`); typed as
    Hanako@Example.jp, with a blank around it, it is the same address."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is not None and "@" in username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)
