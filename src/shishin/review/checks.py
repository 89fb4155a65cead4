"""The review checks: what a compiler would want flagged before the report goes to the council.

Each check has a stable code and a severity; `run_checks` runs them all over the report of
one fiscal year: that year and the one before it, which the report shows beside it. Findings
name the fiscal year they are in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shishin.lib import quantities, wareki
from shishin.lib.tables import number_text
from shishin.plans import wording
from shishin.plans.models import FiscalYear, Item, Measure, Plan, Record, Unit

from .compare import compare
from .data import listed_departments, records_of

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITY_LABELS = {ERROR: "エラー", WARNING: "警告", NOTICE: "確認"}
DEFAULT_THRESHOLD = Decimal(30)


@dataclass(frozen=True)
class Place:
    """Where a finding is: a fiscal year, and as far as known a measure, a department and an item."""

    fiscal_year: int
    measure: str = ""
    measure_id: int | None = None
    department: str = ""
    item: str = ""
    item_id: int | None = None

    @classmethod
    def of(cls, record: Record, item: Item | None = None) -> Place:
        return cls(
            fiscal_year=record.fiscal_year.year,
            measure=record.measure.title,
            measure_id=record.measure_id,
            department=record.department_name,
            item=item.text if item else "",
            item_id=item.pk if item else None,
        )


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    place: Place

    def fields(self) -> dict[str, Any]:
        """The finding as data (`shishin check --format json`, the API's refusal to publish)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "title": CATALOGUE[self.code][1],
            "message": self.message,
            "fiscal_year": self.place.fiscal_year,
            "measure": self.place.measure,
            "measure_id": self.place.measure_id,
            "department": self.place.department,
            "item": self.place.item,
            "item_id": self.place.item_id,
        }


@dataclass
class Context:
    plan: Plan
    year: int
    threshold: Decimal
    records: list[Record]  # of the years the report shows: the year and the one before
    measures: list[Measure]
    listed: dict[int, list[str]]
    units: dict[str, str]

    @property
    def years(self) -> tuple[int, int]:
        return (self.year - 1, self.year)

    def of_year(self, year: int) -> list[Record]:
        return [r for r in self.records if r.fiscal_year.year == year]


CheckFunction = Callable[[Context], Iterator[Finding]]
CATALOGUE: dict[str, tuple[str, str, CheckFunction]] = {}


def check(code: str, severity: str, title: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(function: CheckFunction) -> CheckFunction:
        CATALOGUE[code] = (severity, title, function)
        return function

    return register


def _labels_related(a: str, b: str) -> bool:
    return bool(set(a) & set(b))


@check("description-mismatch", ERROR, "施策の内容の数値と取組みの数値が食い違う")
def description_mismatch(context: Context) -> Iterator[Finding]:
    for year in context.years:
        yield from _description_mismatch(context, year)


def _description_mismatch(context: Context, year: int) -> Iterator[Finding]:
    records = context.of_year(year)
    for measure in context.measures:
        described = quantities.extract(measure.description, context.units).quantities
        reported = [
            (record, item, indicator)
            for record in records
            if record.measure_id == measure.pk
            for item in record.items.all()
            for indicator in item.indicators.all()
            if not indicator.hidden
        ]
        for quantity in described:
            same_unit = [r for r in reported if r[2].unit == quantity.unit]
            candidates = [r for r in same_unit if _labels_related(r[2].label, quantity.label)] or (
                same_unit if len(same_unit) == 1 else []
            )
            if not candidates or any(r[2].value == quantity.value for r in candidates):
                continue
            record, item, indicator = candidates[0]
            written = measure.description[quantity.start : quantity.end]
            yield Finding(
                "description-mismatch",
                ERROR,
                f"施策の内容では「{quantity.label}{written}」ですが、{wareki.fiscal_year_name(year)}の取組みでは"
                f"「{indicator.label} {number_text(indicator.value)}{indicator.unit}」です",
                Place.of(record, item),
            )


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_SHORTEST_DUPLICATE = 8


@check("duplicate-item", WARNING, "同じ取組みが別の施策にも書かれている")
def duplicate_item(context: Context) -> Iterator[Finding]:
    first: dict[tuple[int, str], Record] = {}
    for record in context.records:
        for item in record.items.all():
            key = (record.fiscal_year.year, _normal(item.text))
            if len(key[1]) < _SHORTEST_DUPLICATE:
                continue
            if key not in first:
                first[key] = record
            elif first[key].measure_id != record.measure_id:
                yield Finding(
                    "duplicate-item",
                    WARNING,
                    f"同じ取組みが施策「{first[key].measure.title}」にも書かれています",
                    Place.of(record, item),
                )


@check("missing-record", WARNING, "担当課に取組みの記載がない")
def missing_record(context: Context) -> Iterator[Finding]:
    reported = {(r.fiscal_year.year, r.measure_id, r.department_name) for r in context.records}
    for year in context.years:
        for measure in context.measures:
            for department in context.listed.get(measure.pk, []):
                if (year, measure.pk, department) not in reported:
                    yield Finding(
                        "missing-record",
                        WARNING,
                        f"担当課「{department}」の{wareki.fiscal_year_name(year)}の取組みがありません",
                        Place(year, measure.title, measure.pk, department),
                    )


@check("unlisted-department", WARNING, "担当課でない課の取組みがある")
def unlisted_department(context: Context) -> Iterator[Finding]:
    for record in context.records:
        listed = context.listed.get(record.measure_id)
        if record.department is None or record.measure.whole_government or not listed:
            continue
        if record.department.name not in listed:
            yield Finding(
                "unlisted-department",
                WARNING,
                f"「{record.department.name}」はこの施策の担当課（{'、'.join(listed)}）にありません",
                Place.of(record),
            )


@check("no-department", WARNING, "担当課が書かれていない取組みがある")
def no_department(context: Context) -> Iterator[Finding]:
    for record in context.records:
        if record.department is None:
            yield Finding(
                "no-department",
                WARNING,
                "【担当課】の書かれていない取組みがあります",
                Place.of(record),
            )


@check("copied-item", NOTICE, "前年度と同じ記載")
def copied_item(context: Context) -> Iterator[Finding]:
    before = {
        (r.measure_id, r.department_name, item.text)
        for r in context.of_year(context.year - 1)
        for item in r.items.all()
    }
    for record in context.of_year(context.year):
        for item in record.items.all():
            if (record.measure_id, record.department_name, item.text) in before:
                yield Finding(
                    "copied-item",
                    NOTICE,
                    "前年度と同じ記載です。今年度の実績として正しいか確認してください",
                    Place.of(record, item),
                )


# Two words joined by a middle dot, each a run of one script: 安全・安心, 小・中学校.
_JOINED_RE = re.compile(r"([一-龥々]{1,4}|[ァ-ヶー]{1,8})・([一-龥々]{1,4}|[ァ-ヶー]{1,8})")


@check("inconsistent-name", WARNING, "同じものの呼び方が揺れている")
def inconsistent_name(context: Context) -> Iterator[Finding]:
    places: dict[tuple[str, str], list[tuple[Record, Item]]] = defaultdict(list)
    counts: Counter[tuple[str, str]] = Counter()
    for measure in context.measures:
        for text in (measure.title, measure.description):
            counts.update((m[1], m[2]) for m in _JOINED_RE.finditer(text))
    for record in context.records:
        for item in record.items.all():
            for match in _JOINED_RE.finditer(item.text):
                counts[(match[1], match[2])] += 1
                places[(match[1], match[2])].append((record, item))
    for (left, right), count in counts.items():
        swapped = counts.get((right, left), 0)
        # Report the rarer spelling; when both are as common, the later one in reading order.
        if not swapped or count > swapped or (count == swapped and left > right):
            continue
        for record, item in places[(left, right)]:
            yield Finding(
                "inconsistent-name",
                WARNING,
                f"「{left}・{right}」（{count}か所）と「{right}・{left}」（{swapped}か所）の表記が混在しています",
                Place.of(record, item),
            )


@check("large-change", WARNING, "数値が前年度から大きく変わった")
def large_change(context: Context) -> Iterator[Finding]:
    comparison = compare(context.plan, context.year - 1, context.year)
    by_title = {m.title: m.pk for m in context.measures}
    for group in comparison.groups:
        for change in group.indicators:
            if change.percent is None or abs(change.percent) < context.threshold:
                continue
            assert change.before is not None and change.after is not None
            yield Finding(
                "large-change",
                WARNING,
                f"{change.label}が{number_text(change.before)}{change.unit}から{number_text(change.after)}{change.unit}へ"
                f"{'+' if change.percent > 0 else ''}{change.percent}%変わりました（基準 ±{context.threshold}%）",
                Place(context.year, group.measure, by_title.get(group.measure), group.department),
            )


@check("date-outside-year", WARNING, "年度の外の日付")
def date_outside_year(context: Context) -> Iterator[Finding]:
    for record in context.records:
        year = record.fiscal_year.year
        first, last = wareki.fiscal_year_bounds(year)
        for item in record.items.all():
            for date in item.dates.all():
                if date.precision not in ("day", "month") or date.first is None or date.last is None:
                    continue
                if date.last < first or date.first > last:
                    yield Finding(
                        "date-outside-year",
                        WARNING,
                        f"「{date.text}」は{wareki.fiscal_year_name(year)}"
                        f"（{wareki.format_date(first)}～{wareki.format_date(last)}）の外の日付です",
                        Place.of(record, item),
                    )


# A verb cut short after a count or an object: 「6回開（参加者…」 for 6回開催.
_TRUNCATED_RE = re.compile(r"(?:[0-9０-９]回|を)(?P<head>開|実|配|設|作)(?=[（(、。 ]|$)")
_COMPLETIONS = {"開": "開催", "実": "実施", "配": "配布", "設": "設置", "作": "作成"}


@check("truncated-word", WARNING, "文字の抜け")
def truncated_word(context: Context) -> Iterator[Finding]:
    for record in context.records:
        for item in record.items.all():
            for match in _TRUNCATED_RE.finditer(item.text):
                written = item.text[max(0, match.start() - 4) : match.end() + 1]
                yield Finding(
                    "truncated-word",
                    WARNING,
                    f"「{written}」の「{match['head']}」は「{_COMPLETIONS[match['head']]}」の誤りではありませんか",
                    Place.of(record, item),
                )


def run_checks(plan: Plan, year: int, threshold: Decimal = DEFAULT_THRESHOLD) -> list[Finding]:
    """Run every check over fiscal year ``year`` of ``plan``; errors first, then in report order."""
    context = Context(
        plan=plan,
        year=year,
        threshold=threshold,
        records=records_of(plan, (year - 1, year)),
        measures=wording.in_year(
            Measure.objects.in_year(year).filter(plan=plan).order_by("position"),
            FiscalYear.objects.filter(plan=plan, year=year).first(),
        ),
        listed=listed_departments(plan, year),
        units=Unit.mapping(),
    )
    findings = [finding for _, _, function in CATALOGUE.values() for finding in function(context)]
    order = {ERROR: 0, WARNING: 1, NOTICE: 2}
    return sorted(findings, key=lambda f: order[f.severity])
