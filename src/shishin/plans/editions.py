"""Reading editions: the current one of a year, its text, its files checked against their SHA-256.

Writing them is `shishin.plans.actions.editions`. The public pages and downloads read only from here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.db import transaction

from shishin.report import corrections as changes
from shishin.report import evaluation, table_text
from shishin.report import records as plain
from shishin.report.formats import FORMATS
from shishin.report.reading import Fix, IndicatorFix

from .documents import document_for
from .models import Edition, EditionFile, Plan


class DamagedEdition(Exception):
    """An edition's stored file no longer has the bytes it was published with."""


# An edition's frozen evaluation (`evaluation_report`), and the formats written from it: eval-xlsx…
EVALUATION = "eval-json"
EVALUATION_PREFIX = "eval-"


def evaluation_format_name(format: str) -> str:
    """eval-xlsx → xlsx (a format of `shishin.report.evaluation`)."""
    return format.removeprefix(EVALUATION_PREFIX)


def extension(format: str) -> str:
    """The file extension a format is stored under: pdf, or evaluation.pdf for the evaluation's."""
    if format.startswith(EVALUATION_PREFIX):
        return "evaluation." + evaluation.FORMATS[evaluation_format_name(format)].extension
    return FORMATS[format].extension


def evaluation_of(edition: Edition) -> dict[str, Any] | None:
    """The evaluation the edition froze when it was published; None for an imported report."""
    file = next((f for f in edition.files.all() if f.format == EVALUATION), None)
    if file is None:
        return None
    found: dict[str, Any] = json.loads(content(file))
    return found


def file_name(edition: Edition, extension: str) -> str:
    """The name a format of an edition is stored and downloaded under: 132101-2018-1.pdf."""
    issuer = edition.issuer
    return f"{issuer['code'] or issuer['municipality']}-{edition.fiscal_year.year}-{edition.number}.{extension}"


def issuer_fields(issuer: plain.Issuer) -> dict[str, Any]:
    """Who publishes, as an edition keeps it (its label and corrections are the edition's own), with
    what the staff corrected of the numbers read, when they did."""
    fields: dict[str, Any] = {field: getattr(issuer, field) for field in ("municipality", "plan", "code", "prefecture")}
    if issuer.indicator_fixes:
        fields["indicator_fixes"] = [dataclasses.asdict(fix) for fix in issuer.indicator_fixes]
    return fields


def issuer(edition: Edition) -> plain.Issuer:
    """Who published the edition, with its label and its 正誤表: every format but the text shows them,
    and the corrections of its numbers, as they were when it was published."""
    kept = dict(edition.issuer)
    fixes = tuple(IndicatorFix(**fix) for fix in kept.pop("indicator_fixes", ()))
    return plain.Issuer(
        **kept,
        edition=edition.label,
        corrections=tuple(plain.Correction(**c) for c in edition.corrections),
        indicator_fixes=fixes,
    )


def current(plan_id: int, year: int, number: int | None = None) -> Edition | None:
    """The newest edition of a fiscal year (or edition ``number``), None if it has none."""
    editions = (
        Edition.objects.filter(fiscal_year__plan_id=plan_id, fiscal_year__year=year)
        .select_related("fiscal_year__plan__municipality")
        .prefetch_related("files")  # its text and whether it froze an evaluation, in one query
    )
    if number is not None:
        return editions.filter(number=number).first()
    return editions.order_by("-number").first()


def content(file: EditionFile) -> bytes:
    """The bytes of an edition's file, refused if they are not the bytes it was published with."""
    with file.content.open("rb") as stored:
        data: bytes = stored.read()
    if hashlib.sha256(data).hexdigest() != file.sha256:
        raise DamagedEdition(
            f"{file.content.name}: 保存されているファイルが公表時のもの（SHA-256 {file.sha256}）と一致しません"
        )
    return data


def draft_text(plan: Plan, year: int) -> bytes:
    """The text the year's next edition would have: its report as the database now holds it."""
    return table_text.render(document_for(plan, year)).encode("utf-8")


def text_of(edition: Edition) -> bytes:
    return content(next(file for file in edition.files.all() if file.format == "text"))


@functools.lru_cache(maxsize=64)
def _parse(data: bytes) -> plain.Document:
    return table_text.parse(data, "公表版", limit=None)  # written by Shishin, or imported within the limit


def parse(data: bytes) -> plain.Document:
    """Read an edition's text (kept in memory: editions never change)."""
    return _parse(data)


def document(edition: Edition) -> plain.Document:
    """What edition says, read from its text."""
    return parse(text_of(edition))


def corrections(old: plain.Document, new: plain.Document) -> list[dict[str, Any]]:
    return [dataclasses.asdict(c) for c in changes.corrections(old, new)]


# The 正誤表 field of a number's correction.
NUMBER = "数値"


def fix_corrections(was: list[dict[str, Any]], now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 正誤表 lines of the numbers the staff corrected otherwise than for the previous edition: a
    label, 「指標ではない」, the same indicator as another year's."""

    def key(fix: dict[str, Any]) -> tuple[Any, ...]:
        return (fix["year"], fix["measure"], fix["department"], fix["read_label"], fix["unit"], fix["occurrence"])

    def said(fix: dict[str, Any] | None, other: dict[str, Any]) -> str:
        words = Fix(fix["label"], fix["hidden"], fix["same_as"]).said if fix else "読み取りのまま"
        return f"{other['read_label']}（{other['unit']}）: {words}"

    before, after = {key(f): f for f in was}, {key(f): f for f in now}
    lines = []
    for found in [*after, *(k for k in before if k not in after)]:
        fix = after.get(found) or before[found]
        old, new = said(before.get(found), fix), said(after.get(found), fix)
        if old != new:
            lines.append(
                {"measure": fix["measure"], "field": NUMBER, "before": old, "after": new}
                | {"department": fix["department"], "year": fix["year"]}
            )
    return lines


def current_key(plan_id: int, year: int) -> str:
    return f"edition:{plan_id}:{year}"


def announce(edition: Edition) -> None:
    """Once the edition is committed, tell the cached pages which edition is current."""
    fiscal_year = edition.fiscal_year
    key, number = current_key(fiscal_year.plan_id, fiscal_year.year), edition.number
    transaction.on_commit(lambda: cache.set(key, number))
