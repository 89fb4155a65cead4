"""Year-over-year comparison of a plan's records: indicators matched by measure, department and label."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from shishin.lib.tables import number_text
from shishin.plans.models import Indicator, Plan, Record

from .data import records_of

_SIMILAR_LABEL = 0.7
_SIMILAR_TEXT = 0.6
_SELF_EXPLAINING_LABEL = 8
_DIGITS_RE = re.compile(r"[0-9０-９,，.．]+")


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
        return (change * 100 / self.before).quantize(Decimal("0.1"))


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


def _pair_indicators(before: list[Indicator], after: list[Indicator]) -> list[IndicatorChange]:
    """Pair indicators by label — or the label the staff said another year gives it — and unit,
    tolerating small changes of wording.

    A label that occurs several times (参加者 47人, 参加者 17人…) is paired in order only
    when both years have it as often; otherwise which is which cannot be told.
    """
    count_before = Counter((i.series, i.unit) for i in before)
    count_after = Counter((i.series, i.unit) for i in after)

    def comparable(indicator: Indicator) -> bool:
        key = (indicator.series, indicator.unit)
        return count_before[key] == count_after[key] or max(count_before[key], count_after[key]) == 1

    pairs: list[tuple[Indicator | None, Indicator | None]] = []
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
    return [_change(old, new) for old, new in pairs]


def _change(old: Indicator | None, new: Indicator | None) -> IndicatorChange:
    named = new or old
    assert named is not None
    return IndicatorChange(
        label=named.series,
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


def _subject(measure: str, label: str) -> str:
    """Say whose figure it is, unless the label says it already (空家等対策協議会の開催回数)."""
    if "の" in label or len(label) >= _SELF_EXPLAINING_LABEL:
        return label
    # 「CoCoパトロール隊による地域パトロール」 is about CoCoパトロール隊.
    subject = measure.split("による", 1)[0] if "による" in measure else measure
    return f"{subject}の{label}"


def summary(comparison: Comparison, limit: int | None = None) -> list[str]:
    """Write the main changes as Japanese sentences for the council paper, largest first."""
    changes = [
        (group, change)
        for group in comparison.groups
        for change in group.indicators
        if change.percent is not None and change.change
    ]
    changes.sort(key=lambda pair: abs(pair[1].percent or Decimal(0)), reverse=True)
    sentences = []
    for group, change in changes[:limit]:
        assert change.before is not None and change.after is not None and change.percent is not None
        about = "約" if change.approximate else ""
        direction = "増加" if change.percent > 0 else "減少"
        sentences.append(
            f"{_subject(group.measure, change.label)}は{about}{number_text(change.before)}{change.unit}から"
            f"{about}{number_text(change.after)}{change.unit}へ{abs(change.percent)}%{direction}しました。"
        )
    unchanged = sum(len(g.unchanged) for g in comparison.groups)
    new = sum(len(g.new) for g in comparison.groups)
    dropped = sum(len(g.dropped) for g in comparison.groups)
    sentences.append(
        f"前年度と同じ記載の取組みは{unchanged}件、新たな取組みは{new}件、記載がなくなった取組みは{dropped}件です。"
    )
    return sentences
