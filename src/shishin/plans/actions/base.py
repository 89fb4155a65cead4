"""What every action shares: the error users see, the transaction, and who acted."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.db import connection, models, transaction

from ..history import acting_as

Person = User | None  # who acts: a signed-in user, or nobody (the command line)

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=models.Model)


class ActionError(Exception):
    """A request the data does not allow; the message is for the user (Japanese)."""


def action(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in one transaction, naming its ``by`` keyword argument in every history row it writes.

    An action without ``by`` names whoever is acting already: the action that called it, the signed-in
    user of a request, or nobody (the command line).
    """

    by = inspect.signature(func).parameters.get("by")
    if by is not None and by.kind is not inspect.Parameter.KEYWORD_ONLY:
        raise TypeError(f"{func.__name__}: ``by`` must be keyword-only, so the decorator sees who acts")

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        acting = acting_as(kwargs["by"]) if "by" in kwargs else contextlib.nullcontext()  # type: ignore[arg-type]
        with transaction.atomic(), acting:
            return func(*args, **kwargs)

    return wrapped


def save_changed(model: type[M], lookup: dict[str, Any], values: dict[str, Any], reason: str = "") -> M:
    """Create or update a row, writing only when something changed (``reason``: why, in its history)."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        changed = None
    else:
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save(update_fields=changed)
    return instance


def take_turns(*key: object) -> None:
    """Wait, inside the current transaction, for any other transaction that took the same ``key`` (two
    imports of one plan's report at once): a PostgreSQL advisory lock, released when it ends. SQLite
    needs none: its transactions take the write lock when they begin (settings)."""
    if connection.vendor == "postgresql":
        digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)])
