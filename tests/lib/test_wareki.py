from __future__ import annotations

import datetime as dt

import pytest

from shishin.lib import wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2026, 11, 29), "令和8年11月29日"),
    ],
    ids=["last-day-of-showa", "first-day-of-heisei", "last-day-of-heisei", "first-day-of-reiwa", "today"],
)
def test_it_writes_dates_in_the_era_in_force(day: dt.date, expected: str) -> None:
    assert wareki.format_date(day) == expected
    assert wareki.parse_date(expected) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H29.10.15", dt.date(2017, 10, 15)),
        ("H31.3.1", dt.date(2019, 3, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("Ｈ３０．８．１５", dt.date(2018, 8, 15)),
        ("平成30年2月1日", dt.date(2018, 2, 1)),
        ("令和元年12月1日", dt.date(2019, 12, 1)),
        ("S64.1.7", dt.date(1989, 1, 7)),
    ],
)
def test_it_reads_dates_and_their_abbreviations(text: str, expected: dt.date) -> None:
    assert wareki.parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["平成31年5月1日", "令和元年4月30日", "昭和64年1月8日", "H30.2.30", "平成32年1月1日", "2018-04-01"],
    ids=["heisei-after-its-end", "reiwa-before-its-start", "showa-after-its-end", "no-such-day", "no-such-year", "iso"],
)
def test_it_refuses_dates_that_do_not_exist(text: str) -> None:
    with pytest.raises(wareki.WarekiError):
        wareki.parse_date(text)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("平成30年度", 2018),
        ("平成31年度", 2019),
        ("令和元年度", 2019),
        ("令和1年度", 2019),
        ("令和２年度", 2020),
        ("昭和63年度", 1988),
        ("平成元年度", 1989),
        ("2018年度", 2018),
    ],
)
def test_it_reads_fiscal_year_labels(text: str, year: int) -> None:
    assert wareki.parse_fiscal_year(text) == year


def test_heisei_31_and_reiwa_1_are_the_same_fiscal_year() -> None:
    assert wareki.parse_fiscal_year("平成31年度") == wareki.parse_fiscal_year("令和元年度")


@pytest.mark.parametrize(
    ("year", "label"),
    [(1988, "昭和63年度"), (1989, "平成元年度"), (2018, "平成30年度"), (2019, "令和元年度"), (2020, "令和2年度")],
)
def test_it_names_fiscal_years_by_the_era_their_first_calendar_year_ends_in(year: int, label: str) -> None:
    assert wareki.fiscal_year_label(year) == label


def test_a_fiscal_year_runs_from_april_to_march() -> None:
    assert wareki.fiscal_year_bounds(2018) == (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    assert wareki.fiscal_year_of(dt.date(2019, 3, 31)) == 2018
    assert wareki.fiscal_year_of(dt.date(2019, 4, 1)) == 2019


@pytest.mark.parametrize("text", ["平成年度", "H30年度", "来年度", "平成0年度"])
def test_it_refuses_what_is_not_a_fiscal_year(text: str) -> None:
    with pytest.raises(wareki.WarekiError):
        wareki.parse_fiscal_year(text)
