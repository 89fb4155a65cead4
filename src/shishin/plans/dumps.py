"""The file `shishin dump` writes and `shishin restore` reads: Django's JSON fixture of every table,
compressed by its name (.gz, .xz, .bz2), with each edition file's bytes beside its row.

Editions' files live in their storage, not in the database; a dump carries them (base64, in a
field loaddata is told to ignore), so a restore onto another server or storage serves the same bytes.
"""

from __future__ import annotations

import base64
import bz2
import gzip
import io
import json
import lzma
from pathlib import Path
from typing import IO, Any

from django.core.management import call_command

# Rebuilt by migrate or by the server as needed; not data. The outbox neither: its mail holds live
# invitation links, and a restored copy must not send again what the first server sent or meant to.
NOT_DATA = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "plans.mail"]
EDITION_FILE = "plans.editionfile"
CONTENT = "content_base64"


def _open(path: str, mode: str) -> IO[bytes]:
    opener = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}.get(Path(path).suffix, open)
    return opener(path, mode)  # type: ignore[no-any-return, operator]


def write(path: str) -> None:
    """Dump every table, and every edition file's bytes, to ``path``."""
    from .models import EditionFile

    buffer = io.StringIO()
    call_command("dumpdata", exclude=NOT_DATA, stdout=buffer, verbosity=0)
    rows: list[dict[str, Any]] = json.loads(buffer.getvalue())
    files = {file.pk: file for file in EditionFile.objects.all()}
    for row in rows:
        if row["model"] == EDITION_FILE:
            with files[row["pk"]].content.open("rb") as stored:
                row["fields"][CONTENT] = base64.b64encode(stored.read()).decode("ascii")
    with _open(path, "wb") as out:
        out.write(json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8"))


def read(path: str) -> list[dict[str, Any]]:
    with _open(path, "rb") as dumped:
        rows: list[dict[str, Any]] = json.loads(dumped.read())
    return rows
