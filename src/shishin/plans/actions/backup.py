"""Restoring a backup (`shishin dump`): the whole database at once, into an empty one."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.management import call_command

from ..models import Municipality, Unit
from .base import ActionError, action


@action
def do_restore(path: str) -> None:
    """Load a dump written by `shishin dump` into an empty database; nothing is written if it fails."""
    if Municipality.objects.exists() or User.objects.exists():
        raise ActionError("データベースが空ではありません。空のデータベース（DATABASE_URL）を指定してください")
    # The migrations' default units give way to the dump's own list.
    Unit.objects.all().delete()
    call_command("loaddata", path, verbosity=0)
