"""Who is acting: every history row names the person whose action wrote it.

An action runs under `acting_as(by)`; django-simple-history asks `history_user` for every row
it writes in between (saves, deletes and bulk creates alike), so no write can forget to say who
did it. Outside an action (the admin's own forms) the signed-in user of the request is named.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import User

_UNSET = object()
_acting: ContextVar[Any] = ContextVar("acting", default=_UNSET)


@contextmanager
def acting_as(person: User | None) -> Iterator[None]:
    """Name ``person`` (None: the system, e.g. the command line) in the history written inside."""
    token = _acting.set(person)
    try:
        yield
    finally:
        _acting.reset(token)


def history_user(request: Any = None, **kwargs: Any) -> User | None:
    """django-simple-history's ``get_user``: the acting person, else the request's user."""
    person = _acting.get()
    if person is not _UNSET:
        return person  # type: ignore[no-any-return]
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def current_actor() -> User | None:
    """The person an action runs for (None: the system, or no action)."""
    person = _acting.get()
    return None if person is _UNSET else person
