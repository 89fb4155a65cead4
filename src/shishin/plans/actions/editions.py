"""Editions: a published report frozen as files, and the next edition when it is corrected.

An edition's text (table text, the lossless format) is written from the database once, when the
year is published or its published report imported; every other format is written from that text
with the issuer and units kept in the edition, so that no later change of the plan can reach it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from shishin.report import evaluation as evaluation_formats
from shishin.report import records as plain
from shishin.report import table_text
from shishin.report.formats import FORMATS

from .. import editions, evaluation_report
from ..documents import issuer_of
from ..history import current_actor
from ..models import Edition, EditionFile, FiscalYear, Measure, MeasureWording, Plan, Unit
from .base import action


def _file(edition: Edition, format: str, content: bytes) -> EditionFile:
    """An edition's file, its bytes saved to the editions' storage; the row is the caller's to save."""
    file = EditionFile(edition=edition, format=format, sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    file.content.save(editions.file_name(edition, editions.extension(format)), ContentFile(content), save=False)
    return file


def _written(edition: Edition, format: str) -> bytes:
    """A format of an edition written from what the edition froze: its text, or its evaluation."""
    if format in FORMATS:
        return FORMATS[format].write(editions.document(edition), editions.issuer(edition), edition.units)
    frozen = editions.evaluation_of(edition)
    assert frozen is not None, f"{edition} has no evaluation"
    return evaluation_formats.FORMATS[editions.evaluation_format_name(format)].write(frozen)


@dataclass(frozen=True)
class _Plan:
    """What every edition of a plan made now records, read once however many editions are made."""

    issuer: dict[str, Any]
    units: dict[str, str]
    measures: dict[str, int]  # title now → id
    worded: dict[int, dict[str, int]]  # fiscal year id → title that year → id, where it was worded otherwise

    @classmethod
    def of(cls, plan: Plan) -> _Plan:
        ids = dict(Measure.objects.filter(plan=plan).values_list("title", "pk"))
        worded: dict[int, dict[str, int]] = defaultdict(dict)
        for year, title, pk in MeasureWording.objects.filter(measure__plan=plan).values_list(
            "fiscal_year_id", "title", "measure_id"
        ):
            worded[year][title] = pk
        years = plan.fiscal_years.values_list("year", flat=True)
        return cls(editions.issuer_fields(issuer_of(plan, years)), Unit.mapping(), ids, dict(worded))

    def edition(self, fiscal_year: FiscalYear, text: bytes, **fields: Any) -> Edition:
        """An edition of ``text`` (not saved): who publishes, how, the corrections of its numbers, and
        the ids of its measures in its order."""
        ids = self.measures | self.worded.get(fiscal_year.pk, {})
        document = editions.parse(text)
        return Edition(
            fiscal_year=fiscal_year,
            published_at=timezone.now(),
            published_by=current_actor(),
            issuer=self.issuer_of(document.years),
            units=self.units,
            measures=[ids[measure.title] for measure in document.all_measures()],
            **fields,
        )

    def issuer_of(self, years: tuple[int, ...]) -> dict[str, Any]:
        """Who publishes, with what the staff corrected of the numbers of ``years``."""
        fixes = [fix for fix in self.issuer.get("indicator_fixes", ()) if fix["year"] in years]
        kept = {name: value for name, value in self.issuer.items() if name != "indicator_fixes"}
        return kept | ({"indicator_fixes": fixes} if fixes else {})


@action
def do_make_edition(
    fiscal_year: FiscalYear,
    *,
    source: str,
    formats: tuple[str, ...] = tuple(FORMATS),
    override_reason: str = "",
    document: plain.Document | None = None,
) -> Edition | None:
    """Freeze the fiscal year's report as it now stands in the database as its next edition, with
    the list of what changed since the previous one; None if nothing changed since it.

    ``formats`` are written now (the text always); the others are written from the text when first
    asked for (`do_write_edition_file`). An import passes the ``document`` it has just stored.
    Two publishers at once make one edition: the year's row is locked while the number is chosen.
    """
    FiscalYear.objects.select_for_update().filter(pk=fiscal_year.pk).first()
    plan = fiscal_year.plan
    text = table_text.render(document).encode("utf-8") if document else editions.draft_text(plan, fiscal_year.year)
    previous = fiscal_year.editions.order_by("-number").first()
    known = _Plan.of(plan)
    number = previous.number + 1 if previous else 1
    # Publishing freezes the year's evaluation too (an imported report is published without one, and a
    # correction of it, the next edition, adds none: it corrects what was published, evaluated or not).
    was = editions.evaluation_of(previous) if previous is not None else None
    evaluating = source == Edition.Source.PUBLISHED and (previous is None or was is not None)
    evaluated = evaluation_report.build(fiscal_year, edition=number) if evaluating else None
    corrections: list[dict[str, object]] = []
    if previous is not None:
        before = editions.text_of(previous)
        issuer = known.issuer_of(editions.parse(text).years)
        if before == text and previous.issuer == issuer and evaluation_report.same(was, evaluated):
            return None  # the same report, its numbers read the same, evaluated the same
        corrections = editions.corrections(editions.parse(before), editions.parse(text))
        fixes = issuer.get("indicator_fixes", [])
        corrections += editions.fix_corrections(previous.issuer.get("indicator_fixes", []), fixes)
        corrections += evaluation_report.corrections(was, evaluated)
    edition = known.edition(
        fiscal_year,
        text,
        number=number,
        source=source,
        override_reason=override_reason,
        corrections=corrections,
    )
    edition.save()
    frozen = editions.parse(text)
    written = [_file(edition, "text", text)]
    written += [
        _file(edition, format, FORMATS[format].write(frozen, editions.issuer(edition), edition.units))
        for format in formats
        if format != "text"
    ]
    if evaluated is not None:
        written.append(_file(edition, editions.EVALUATION, evaluation_formats.as_json(evaluated)))
    EditionFile.objects.bulk_create(written)
    editions.announce(edition)
    return edition


@action
def do_make_first_editions(plan: Plan, documents: Sequence[plain.Document]) -> None:
    """The published reports just loaded into a new plan, each its year's edition 1 (text only, like
    an import), in a few statements however many reports."""
    years = {fiscal_year.year: fiscal_year for fiscal_year in plan.fiscal_years.all()}
    known = _Plan.of(plan)
    texts = [table_text.render(document).encode("utf-8") for document in documents]
    made = Edition.objects.bulk_create(
        known.edition(years[document.fiscal_year], text, number=1, source=Edition.Source.IMPORTED)
        for document, text in zip(documents, texts, strict=True)
    )
    EditionFile.objects.bulk_create(_file(edition, "text", text) for edition, text in zip(made, texts, strict=True))
    for edition in made:
        editions.announce(edition)


@action
def do_write_edition_file(edition: Edition, format: str) -> EditionFile:
    """Write a format of an edition that was not written when it was made, from the edition's text.

    Two visitors asking at once write it once: the one who comes second takes the first one's file.
    """
    content = _written(edition, format)
    try:
        with transaction.atomic():
            file = _file(edition, format, content)
            file.save()
            return file
    except IntegrityError:
        return EditionFile.objects.get(edition=edition, format=format)
