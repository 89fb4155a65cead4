"""Achievement and grades (達成率・評価): computed from a target and a year's actual value, never typed.

The achievement rate says how far the actual value came to the target, in percent, the way the target's
direction reads it:

- 増やす (increase): actual ÷ target × 100 — 100 at the target, 90 at nine tenths of it;
- 減らす (decrease): (2 − actual ÷ target) × 100 — 100 at the target, 90 at a tenth above it;
- 維持 (maintain): actual ÷ target × 100 — 100 when the level is kept.

A plan's grade scale is its bands, tried in order: a band gives its grade when the rate is at least its
threshold, or (a band marked 改善) when the actual value is better than the baseline; the last band has
neither and takes what is left. The default (one city's rule): S at or above the target, A within 10 % of
it, B improving on the baseline, C otherwise; 「－」 without a target, 「未把握」 without a value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

IMPROVED = "改善"  # how a band improving on the baseline is written
MAX_BANDS = 20


@dataclass(frozen=True)
class Band:
    grade: str
    at_least: Decimal | None = None  # the rate, in percent, from which the band applies
    improved: bool = False  # the band applies when the actual value is better than the baseline


@dataclass(frozen=True)
class Scale:
    bands: tuple[Band, ...]
    no_target: str = "－"
    no_value: str = "未把握"


DEFAULT = Scale((Band("S", Decimal(100)), Band("A", Decimal(90)), Band("B", improved=True), Band("C")))


class ScaleError(ValueError):
    """A scale that cannot grade (the message is for the user, in Japanese)."""


def check(scale: Scale) -> None:
    """Refuse a scale whose bands overlap, leave a gap at the end, or repeat a grade."""
    if not scale.bands:
        raise ScaleError("評価の段階がありません（例: S 100 / A 90 / B 改善 / C）")
    if len(scale.bands) > MAX_BANDS:
        raise ScaleError(f"評価の段階は {MAX_BANDS} 段までです（{len(scale.bands):,} 段あります）")
    names = [band.grade for band in scale.bands] + [scale.no_target, scale.no_value]
    for name in names:
        if not name.strip() or len(name) > 10:
            raise ScaleError(f"評価の名前「{name}」は1～10文字で書いてください")
    repeated = {name for name, times in Counter(names).items() if times > 1}
    if repeated:
        raise ScaleError(f"評価の名前「{'」「'.join(sorted(repeated))}」が2回以上あります")
    *ranked, last = scale.bands
    if last.at_least is not None or last.improved:
        raise ScaleError(f"最後の段階「{last.grade}」には条件を付けず、残りすべてを受けるようにしてください")
    above: Band | None = None  # the last band with a threshold
    for number, band in enumerate(ranked, start=1):
        if (band.at_least is None) == (not band.improved):
            raise ScaleError(
                f"{number}段目「{band.grade}」には、達成率の下限（%）か「{IMPROVED}」のどちらか一つを書いてください"
            )
        if band.at_least is None:
            continue
        if above is not None and above.at_least is not None and band.at_least >= above.at_least:
            raise ScaleError(
                f"{number}段目「{band.grade}」の下限 {band.at_least:f}% が、上の段「{above.grade}」の"
                f"下限 {above.at_least:f}% 以上で、範囲が重なっています（上の段ほど高くしてください）"
            )
        above = band


def rate(direction: str, target: Decimal, actual: Decimal) -> Decimal | None:
    """The achievement rate in percent (to one decimal). A target of 0 (「0件にする」) is met at 0 or
    below (100 %), or, for 増やす, at anything; otherwise it has no ratio (None)."""
    if target == 0:
        return Decimal(100) if actual <= 0 or direction == "increase" else None
    ratio = actual / target
    if direction == "decrease":
        ratio = 2 - ratio
    return (ratio * 100).quantize(Decimal("0.1"))


def improved(direction: str, baseline: Decimal, actual: Decimal) -> bool:
    """Whether the actual value is better than the baseline, the way the target's direction reads it."""
    if direction == "decrease":
        return actual < baseline
    if direction == "maintain":
        return actual >= baseline
    return actual > baseline


@dataclass(frozen=True)
class Graded:
    rate: Decimal | None
    grade: str
    notes: tuple[str, ...] = field(default=())


def grade(
    scale: Scale, direction: str | None, baseline: Decimal | None, target: Decimal | None, actual: Decimal | None
) -> Graded:
    """The grade of an actual value against a target (None: there is no target, or no value)."""
    if target is None or direction is None or baseline is None:
        return Graded(None, scale.no_target)
    if actual is None:
        return Graded(None, scale.no_value)
    achieved = rate(direction, target, actual)
    better = improved(direction, baseline, actual)
    for band in scale.bands:
        if band.improved and better:
            return Graded(achieved, band.grade)
        if band.at_least is not None and achieved is not None and achieved >= band.at_least:
            return Graded(achieved, band.grade)
        if band.at_least is None and not band.improved:
            return Graded(achieved, band.grade)
    return Graded(achieved, scale.bands[-1].grade)


def parse(lines: str, no_target: str = "－", no_value: str = "未把握") -> Scale:
    """A scale as the staff page writes it, one band a line: 「S 100」, 「B 改善」, 「C」."""
    written = [line.split() for line in lines.splitlines() if line.strip()]
    if len(written) > MAX_BANDS:
        raise ScaleError(f"評価の段階は {MAX_BANDS} 段までです（{len(written):,} 段あります）")
    bands = []
    for number, line in enumerate(written, start=1):
        if len(line) > 2:
            raise ScaleError(
                f"{number}行目「{' '.join(line)}」: 評価の名前と、下限（%）か「{IMPROVED}」を書いてください"
            )
        name, condition = line[0], line[1] if len(line) == 2 else ""
        if condition == IMPROVED:
            bands.append(Band(name, improved=True))
        elif condition:
            try:
                threshold = Decimal(condition.rstrip("%％"))
            except ArithmeticError:
                raise ScaleError(
                    f"{number}行目「{condition}」: 下限は数（%）か「{IMPROVED}」で書いてください"
                ) from None
            if not threshold.is_finite() or not 0 <= threshold <= 1000:
                raise ScaleError(f"{number}行目「{condition}」: 下限は 0 から 1000 までの数（%）で書いてください")
            bands.append(Band(name, at_least=threshold))
        else:
            bands.append(Band(name))
    scale = Scale(tuple(bands), no_target.strip(), no_value.strip())
    check(scale)
    return scale


def lines(scale: Scale) -> str:
    """The inverse of `parse`: the bands as the staff page shows them."""
    written = []
    for band in scale.bands:
        condition = (
            IMPROVED if band.improved else (f"{band.at_least.normalize():f}" if band.at_least is not None else "")
        )
        written.append(f"{band.grade} {condition}".strip())
    return "\n".join(written)
