"""Search every plan, year, measure and item for a piece of Japanese text (防犯カメラ, 詐欺, パトロール).

Japanese has no spaces between words, so search is by substring, made fast by a trigram index:
FTS5's trigram tokenizer on SQLite, pg_trgm on PostgreSQL (see migration 0007). Queries shorter
than three characters cannot use a trigram index and scan instead.

A query is read as people type it (`shishin.lib.search_words`): words separated by a space must
all be found, in any order, each however wide its letters are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from shishin.lib.search_words import forms, words

from . import wording
from .models import FiscalYear, Item, Measure, MeasureWording

TRIGRAM = 3
MAX_HITS = 500


@dataclass(frozen=True)
class Hit:
    """An item that holds the query: its department, its text as stored, and where the query is in it."""

    department: str
    text: str
    matches: tuple[tuple[int, int], ...]  # (start, end) of each occurrence, in order

    @property
    def parts(self) -> list[tuple[str, bool]]:
        """The text cut at the matches, each piece with whether it is one: what a page marks."""
        parts: list[tuple[str, bool]] = []
        end = 0
        for start, stop in self.matches:
            parts += [(self.text[end:start], False), (self.text[start:stop], True)]
            end = stop
        parts.append((self.text[end:], False))
        return [(piece, matched) for piece, matched in parts if piece]


@dataclass
class Group:
    """The hits of one measure in one fiscal year."""

    measure: Measure
    year: int
    hits: list[Hit] = field(default_factory=list)


def occurrences(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where the words of ``query`` occur in ``text`` in any of their forms, from the left, not overlapping."""
    found: list[tuple[int, int]] = []
    for form in (form for word in words(query) for form in forms(word)):
        start = text.find(form)
        while start >= 0:
            found.append((start, start + len(form)))
            start = text.find(form, start + len(form))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if kept and start < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(end, kept[-1][1]))  # overlapping words: one mark
        else:
            kept.append((start, end))
    return tuple(kept)


def _matching_items(query: str) -> QuerySet[Item]:
    """Items holding every word of ``query``, in one of its forms: on SQLite one FTS5 query asks for
    the words the trigram index can serve (every form three characters or more), intersected by the
    index itself; the others, and every word on PostgreSQL (pg_trgm serves LIKE '%…%'), by LIKE."""
    items = Item.objects.all()
    indexed = []
    for word in words(query):
        written = forms(word)
        if connection.vendor == "sqlite" and all(len(form) >= TRIGRAM for form in written):
            indexed.append("(" + " OR ".join('"' + form.replace('"', '""') + '"' for form in written) + ")")
            continue
        either = Q()
        for form in written:
            either |= Q(text__contains=form)
        items = items.filter(either)
    if indexed:
        match = RawSQL("SELECT rowid FROM plans_item_fts WHERE plans_item_fts MATCH %s", [" AND ".join(indexed)])
        items = items.filter(pk__in=match)
    return items


def search(
    query: str,
    *,
    year: int | None = None,
    department_id: int | None = None,
) -> tuple[list[Group], list[Measure]]:
    """Search the published years: return item hits grouped by measure and year (newest year first,
    each measure worded as in its year), and the measures whose title or description matches."""
    query = query.strip()
    if not words(query):
        return [], []
    items = _matching_items(query).select_related(
        "record__measure__plan__municipality", "record__fiscal_year", "record__department"
    )
    items = items.filter(record__fiscal_year__status=FiscalYear.Status.PUBLISHED)
    if year is not None:
        items = items.filter(record__fiscal_year__year=year)
    if department_id is not None:
        items = items.filter(record__department_id=department_id)
    groups: dict[tuple[int, int], Group] = {}
    found = list(
        items.order_by("-record__fiscal_year__year", "record__measure__position", "record__position", "position")[
            :MAX_HITS
        ]
    )
    wording.of_records(item.record for item in found)
    for item in found:
        record = item.record
        key = (record.measure_id, record.fiscal_year.year)
        if key not in groups:
            groups[key] = Group(record.measure, record.fiscal_year.year)
        groups[key].hits.append(Hit(record.department_name, item.text, occurrences(item.text, query)))
    return list(groups.values()), _measures(query)


def _measures(query: str) -> list[Measure]:
    """The measures whose title or description holds every word of ``query`` as worded in a published
    year (a draft's new wording is not searchable), worded as in the latest."""
    written = [forms(word) for word in words(query)]
    candidates = Measure.objects.public()
    for each in written:
        matching = Q()
        for form in each:
            matching |= Q(title__contains=form) | Q(description__contains=form)
        candidates = candidates.filter(matching | Q(pk__in=MeasureWording.objects.filter(matching).values("measure")))
    found = list(
        candidates.select_related("plan__municipality", "pillar", "area").order_by("plan", "position")[:MAX_HITS]
    )
    shown = wording.published(found)

    def holds(values: dict[str, str]) -> bool:
        text = values["title"] + "\n" + values["description"]
        return all(any(form in text for form in each) for each in written)

    kept = [m for m in found if any(holds(values) for _, values in shown[m.pk])]
    return wording.as_published(kept, shown)
