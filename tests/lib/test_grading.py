"""Achievement rates and grades (issue 15, part 2): computed from a target and an actual value, by the
plan's scale; a scale that cannot grade is refused by name."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shishin.lib import grading


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "actual", "rate", "grade"),
    [
        # 増やす: S at or above the target, A within a tenth of it, B better than the baseline, C not.
        ("increase", 589, 650, 650, "100.0", "S"),
        ("increase", 589, 650, 700, "107.7", "S"),
        ("increase", 589, 650, 590, "90.8", "A"),
        ("increase", 500, 650, 560, "86.2", "B"),
        ("increase", 589, 650, 472, "72.6", "C"),
        # 減らす: the same, the other way (a tenth above the target is 90 %).
        ("decrease", 120, 100, 100, "100.0", "S"),
        ("decrease", 120, 100, 110, "90.0", "A"),
        ("decrease", 130, 100, 115, "85.0", "B"),
        ("decrease", 120, 100, 125, "75.0", "C"),
        # 維持: the level kept is 100 %.
        ("maintain", 1166, 1166, 1166, "100.0", "S"),
        ("maintain", 1166, 1166, 1157, "99.2", "A"),
    ],
)
def test_the_default_scale(direction: str, baseline: int, target: int, actual: int, rate: str, grade: str) -> None:
    graded = grading.grade(grading.DEFAULT, direction, Decimal(baseline), Decimal(target), Decimal(actual))
    assert (graded.rate, graded.grade) == (Decimal(rate), grade)


def test_no_target_and_no_value_have_their_own_grades() -> None:
    assert grading.grade(grading.DEFAULT, None, None, None, Decimal(5)).grade == "－"
    assert grading.grade(grading.DEFAULT, "increase", Decimal(1), Decimal(2), None).grade == "未把握"
    scale = grading.parse("◎ 100\n○ 80\n△", no_target="対象外", no_value="集計中")
    assert grading.grade(scale, "increase", Decimal(1), Decimal(100), Decimal(85)).grade == "○"
    assert grading.grade(scale, None, None, None, None).grade == "対象外"
    assert grading.lines(scale) == "◎ 100\n○ 80\n△"


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ("S 100\nA 100\nC", "2段目「A」の下限 100% が、上の段「S」の下限 100% 以上で、範囲が重なっています"),
        ("S 90\nA 95\nC", "2段目「A」の下限 95% が、上の段「S」の下限 90% 以上で、範囲が重なっています"),
        ("S 100\nA 90", "最後の段階「A」には条件を付けず"),
        ("S 100\nS 90\nC", "評価の名前「S」が2回以上あります"),
        ("S 百\nC", "1行目「百」: 下限は数（%）か「改善」で書いてください"),
        ("S\nC", "1段目「S」には、達成率の下限（%）か「改善」のどちらか一つを書いてください"),
        ("", "評価の段階がありません"),
    ],
)
def test_a_scale_that_cannot_grade_is_refused(bands: str, message: str) -> None:
    with pytest.raises(grading.ScaleError, match=message):
        grading.parse(bands)


@pytest.mark.parametrize(
    ("direction", "actual", "grade"),
    [("decrease", 0, "S"), ("decrease", 3, "B"), ("decrease", 6, "C"), ("maintain", 0, "S"), ("increase", 2, "S")],
)
def test_a_target_of_zero_is_met_at_zero(direction: str, actual: int, grade: str) -> None:
    # 「特殊詐欺の被害を0件にする」 from a baseline of 5.
    graded = grading.grade(grading.DEFAULT, direction, Decimal(5), Decimal(0), Decimal(actual))
    assert graded.grade == grade


def test_a_scale_has_at_most_twenty_bands() -> None:
    with pytest.raises(grading.ScaleError, match="評価の段階は 20 段までです（21 段あります）"):
        grading.parse("\n".join(f"G{n} {100 - n}" for n in range(20)) + "\nC")
