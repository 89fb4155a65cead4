"""Year-over-year comparison of a plan's records: indicators matched by measure, department and label."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

from shishin.lib.tables import number_text
from shishin.plans.models import Plan, Record
from shishin.report import reading
from shishin.report.records import Document, Issuer

from .data import records_of

_SIMILAR_LABEL = 0.7
_SIMILAR_TEXT = 0.6
_SELF_EXPLAINING_LABEL = 8
_DIGITS_RE = re.compile(r"[0-9０-９,，.．]+")


class Number(Protocol):
    """A number read from a record, stored (`Indicator`) or read from a report (`reading.Read`)."""

    @property
    def series(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> Decimal: ...
    @property
    def approximate(self) -> bool: ...


N = TypeVar("N", bound=Number)


@dataclass(frozen=True)
class IndicatorChange:
    label: str
    unit: str
    before: Decimal | None
    after: Decimal | None
    approximate: bool = False

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        change = self.change
        if change is None or self.before in (None, 0):
            return None
        assert self.before is not None
        return (change * 100 / abs(self.before)).quantize(Decimal("0.1"))  # from −200 to −100 is up 50 %

    @property
    def said(self) -> str:
        """The change as a page shows it: 「↓ 117回（−19.9%）」, 「→ 増減なし」."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "→ 増減なし"
        arrow, sign = ("↑", "+") if change > 0 else ("↓", "−")
        percent = f"（{sign}{abs(self.percent)}%）" if self.percent is not None else ""
        return f"{arrow} {sign}{number_text(abs(change))}{self.unit}{percent}"


@dataclass
class Group:
    """What one department reported for one measure in both years."""

    measure: str
    department: str
    indicators: list[IndicatorChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    before: int
    after: int
    groups: list[Group]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _pair_items(before: list[str], after: list[str], group: Group) -> None:
    remaining = list(before)
    unmatched = []
    for text in after:
        if text in remaining:
            remaining.remove(text)
            group.unchanged.append(text)
        else:
            unmatched.append(text)
    # Items that differ only a little (numbers updated, a word added) are changed, not new and dropped.
    for text in unmatched:
        masked = _DIGITS_RE.sub("#", text)
        scored = [(_similarity(masked, _DIGITS_RE.sub("#", old)), old) for old in remaining]
        best = max(scored, default=(0.0, ""))
        if best[0] >= _SIMILAR_TEXT:
            remaining.remove(best[1])
            group.changed.append((best[1], text))
        else:
            group.new.append(text)
    group.dropped.extend(remaining)


def _pair_indicators(before: Sequence[Number], after: Sequence[Number]) -> list[IndicatorChange]:
    return [_change(old, new) for old, new in pair_numbers(before, after)]


def pair_numbers(before: Sequence[N], after: Sequence[N]) -> list[tuple[N | None, N | None]]:
    """Pair two years' numbers by label — or the label the staff said another year gives it — and
    unit, tolerating small changes of wording; a number either year has alone is paired with None.

    A label that occurs several times (参加者 47人, 参加者 17人…) is paired in order only
    when both years have it as often; otherwise which is which cannot be told.
    """
    count_before = Counter((i.series, i.unit) for i in before)
    count_after = Counter((i.series, i.unit) for i in after)

    def comparable(indicator: N) -> bool:
        key = (indicator.series, indicator.unit)
        return count_before[key] == count_after[key] or max(count_before[key], count_after[key]) == 1

    pairs: list[tuple[N | None, N | None]] = []
    remaining = [i for i in before if comparable(i)]
    pairs += [(i, None) for i in before if not comparable(i)]
    unmatched = []
    for new in after:
        same = next((old for old in remaining if old.series == new.series and old.unit == new.unit), None)
        if not comparable(new):
            pairs.append((None, new))
        elif same is None:
            unmatched.append(new)
        else:
            remaining.remove(same)
            pairs.append((same, new))
    for new in unmatched:
        scored = [(_similarity(old.series, new.series), old) for old in remaining if old.unit == new.unit]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= _SIMILAR_LABEL:
            remaining.remove(best[1])
            pairs.append((best[1], new))
        else:
            pairs.append((None, new))
    pairs += [(old, None) for old in remaining]
    return pairs


def _change(old: Number | None, new: Number | None) -> IndicatorChange:
    named = new or old
    assert named is not None
    return IndicatorChange(
        label=named.label,  # as the newer year names it, corrected: the series pairs, it does not name
        unit=named.unit,
        before=old.value if old else None,
        after=new.value if new else None,
        approximate=any(i is not None and i.approximate for i in (old, new)),
    )


def compare(plan: Plan, before: int, after: int) -> Comparison:
    """Compare what each department reported for each measure in ``before`` and ``after``."""
    grouped: dict[tuple[int, str], dict[int, list[Record]]] = defaultdict(lambda: defaultdict(list))
    titles: dict[int, str] = {}
    for record in records_of(plan, (before, after)):
        grouped[(record.measure_id, record.department_name)][record.fiscal_year.year].append(record)
        titles[record.measure_id] = record.measure.title
    groups = []
    for (measure_id, department), years in grouped.items():
        group = Group(titles[measure_id], department)
        items = {y: [i for r in years.get(y, []) for i in r.items.all()] for y in (before, after)}
        _pair_items([i.text for i in items[before]], [i.text for i in items[after]], group)
        group.indicators = _pair_indicators(
            [q for i in items[before] for q in i.indicators.all() if not q.hidden],
            [q for i in items[after] for q in i.indicators.all() if not q.hidden],
        )
        groups.append(group)
    return Comparison(before, after, groups)


def compare_report(document: Document, issuer: Issuer, units: dict[str, str] | None) -> Comparison:
    """Compare a report's two years as it says them (its previous-year column with its own year), with
    the staff's corrections of its numbers: what its page shows, consistent with its files."""
    before, after = document.years[0], document.years[-1]
    groups = []
    for measure in document.all_measures():
        departments = dict.fromkeys(r.department for year in (before, after) for r in measure.records.get(year, ()))
        for department in departments:
            group = Group(measure.title, department)
            texts: dict[int, list[str]] = {}
            numbers: dict[int, list[reading.Read]] = {}
            for year in (before, after):
                records = [r for r in measure.records.get(year, ()) if r.department == department]
                texts[year] = [item.text for r in records for item in r.items]
                fixes = reading.fixes_of(issuer.indicator_fixes, year, measure.title, department)
                found = reading.read_record(texts[year], year, units, fixes)
                numbers[year] = [read for _, reads in found for read in reads if not read.hidden]
            _pair_items(texts[before], texts[after], group)
            group.indicators = _pair_indicators(numbers[before], numbers[after])
            groups.append(group)
    return Comparison(before, after, groups)


def _subject(measure: str, label: str) -> str:
    """Say whose figure it is, unless the label says it already (空家等対策協議会の開催回数)."""
    if "の" in label or len(label) >= _SELF_EXPLAINING_LABEL:
        return label
    # 「CoCoパトロール隊による地域パトロール」 is about CoCoパトロール隊.
    subject = measure.split("による", 1)[0] if "による" in measure else measure
    return f"{subject}の{label}"


def said(comparison: Comparison) -> list[tuple[Group, IndicatorChange, str]]:
    """Each change of a number as a Japanese sentence for the council paper, largest first."""
    changes = [
        (group, change)
        for group in comparison.groups
        for change in group.indicators
        if change.percent is not None and change.change
    ]
    changes.sort(key=lambda pair: abs(pair[1].percent or Decimal(0)), reverse=True)
    sentences = []
    for group, change in changes:
        assert change.before is not None and change.after is not None and change.percent is not None
        about = "約" if change.approximate else ""
        direction = "増加" if change.percent > 0 else "減少"
        sentence = (
            f"{_subject(group.measure, change.label)}は{about}{number_text(change.before)}{change.unit}から"
            f"{about}{number_text(change.after)}{change.unit}へ{abs(change.percent)}%{direction}しました。"
        )
        sentences.append((group, change, sentence))
    return sentences


def summary(comparison: Comparison, limit: int | None = None) -> list[str]:
    """Write the main changes as Japanese sentences for the council paper, largest first."""
    sentences = [sentence for _, _, sentence in said(comparison)[:limit]]
    sentences.append(tally(comparison))
    return sentences


def tally(comparison: Comparison) -> str:
    """How many items stayed, came and went, in a sentence."""
    unchanged = sum(len(g.unchanged) for g in comparison.groups)
    new = sum(len(g.new) for g in comparison.groups)
    dropped = sum(len(g.dropped) for g in comparison.groups)
    return f"前年度と同じ記載の取組みは{unchanged}件、新たな取組みは{new}件、記載がなくなった取組みは{dropped}件です。"
