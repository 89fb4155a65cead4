"""Restoring a backup (`shishin dump`): the whole database at once, into an empty one."""

from __future__ import annotations

import base64
import json
import tempfile

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import call_command

from .. import dumps
from ..models import Municipality, Unit, edition_storage
from .base import ActionError, action


@action
def do_restore(path: str) -> None:
    """Load a dump written by `shishin dump` into an empty database, and its editions' files into the
    editions' storage; nothing is written to the database if it fails."""
    if Municipality.objects.exists() or User.objects.exists():
        raise ActionError("データベースが空ではありません。空のデータベース（DATABASE_URL）を指定してください")
    rows = dumps.read(path)
    storage = edition_storage()
    for row in rows:
        if row["model"] == dumps.EDITION_FILE:
            fields = row["fields"]
            content = base64.b64decode(fields.pop(dumps.CONTENT))
            name = fields["content"]
            if not storage.exists(name) or storage.open(name, "rb").read() != content:
                # The storage may already hold another file of that name: the row follows the new one.
                fields["content"] = storage.save(name, ContentFile(content))
    # The migrations' default units give way to the dump's own list.
    Unit.objects.all().delete()
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as fixture:
        json.dump(rows, fixture, ensure_ascii=False)
        fixture.flush()
        call_command("loaddata", fixture.name, verbosity=0)
