from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from shishin.lib.quantities import DEFAULT_UNITS, extract
from shishin.plans.models import Indicator, Item, Unit

from ..helpers import run


def _found(text: str, fiscal_year: int | None = 2018) -> list[tuple[str, Decimal, str, str]]:
    return [(q.label, q.value, q.unit, q.qualifier) for q in extract(text, fiscal_year=fiscal_year).quantities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("車両数 15台", [("車両数", 15, "台", "")]),
        ("・車両数 15台\n・パトロール回数 472回", [("車両数", 15, "台", ""), ("パトロール回数", 472, "回", "")]),
        ("距離 9,588km", [("距離", 9588, "km", "")]),
        ("距離 9,588㎞", [("距離", 9588, "㎞", "")]),
        ("防犯資機材支給 3団体/支給資機材 27個", [("防犯資機材支給", 3, "団体", ""), ("支給資機材", 27, "個", "")]),
        ("啓発グッズ約650セットを当日全て配布", [("啓発グッズ", 650, "セット", "約")]),
        ("シールを窓口にて配布(100枚程度)。", [("枚数", 100, "枚", "程度")]),
        ("カンガルーポケット登録件数 1,166件", [("カンガルーポケット登録件数", 1166, "件", "")]),
        ("ポスター263点、標語1,329点の応募", [("ポスター", 263, "点", ""), ("標語", 1329, "点", "")]),
        (
            "小金井市安全・安心まちづくり協議会を3回開催(6、11、3月)",
            [("小金井市安全・安心まちづくり協議会の開催回数", 3, "回", "")],
        ),
        ("通学路防犯カメラの設置(小学校) 40台", [("通学路防犯カメラの設置(小学校)", 40, "台", "")]),
        ("小学校全9校の通学路点検【交通対策課所管】", [("小学校", 9, "校", "全")]),
        (
            "消費者講座を7回開催（参加者合計100人）",
            [("消費者講座の開催回数", 7, "回", ""), ("参加者", 100, "人", "合計")],
        ),
        ("週1回の登校パトロール", [("回数", 1, "回", "週")]),
        ("月に1回安全指導(小・中学校)", [("回数", 1, "回", "月")]),
        ("市内８ヶ所の学校等で実施", [("箇所数", 8, "ヶ所", "")]),
        ("相談件数３７件", [("相談件数", 37, "件", "")]),
        ("登録者 1，200人", [("登録者", 1200, "人", "")]),
        ("来場者約380組に対して", [("来場者", 380, "組", "約")]),
        ("延べ1,000人以上", [("人数", 1000, "人", "延べ 以上")]),
        ("合計30人程度", [("人数", 30, "人", "合計 程度")]),
        ("市内3社と協定", [("社数", 3, "社", "")]),
        ("公立保育園4園", [("公立保育園", 4, "園", "")]),
        ("第3回協議会", []),
        ("6年生のみ", []),
        ("1階受付", []),
        ("市内11の事業者", []),
    ],
)
def test_it_finds_quantities_with_label_unit_and_qualifier(
    text: str, expected: list[tuple[str, int, str, str]]
) -> None:
    assert _found(text) == [(label, Decimal(value), unit, q) for label, value, unit, q in expected]


@pytest.mark.parametrize(
    ("text", "approximate"),
    [("約650セット", True), ("(100枚程度)", True), ("合計159人", False), ("15台", False), ("合計30人程度", True)],
)
def test_approximate_follows_the_qualifier(text: str, approximate: bool) -> None:
    (quantity,) = extract(text).quantities
    assert quantity.approximate is approximate


def test_spans_index_the_text_as_written() -> None:
    text = "・距離 ９，５８８㎞ ほか"
    (quantity,) = extract(text).quantities
    assert text[quantity.start : quantity.end] == "９，５８８㎞"
    assert quantity.value == Decimal(9588)


@pytest.mark.parametrize(
    ("text", "fiscal_year", "expected"),
    [
        ("広報(H29.10.15号)", 2017, [("H29.10.15", "day", dt.date(2017, 10, 15), dt.date(2017, 10, 15))]),
        ("平成30年2月1日より供用開始", 2017, [("平成30年2月1日", "day", dt.date(2018, 2, 1), dt.date(2018, 2, 1))]),
        ("（11月12日～25日）", 2017, [("11月12日～25日", "day", dt.date(2017, 11, 12), dt.date(2017, 11, 25))]),
        ("（2月1日～3日）", 2017, [("2月1日～3日", "day", dt.date(2018, 2, 1), dt.date(2018, 2, 3))]),
        ("（平成30年3月報告書作成）", 2018, [("平成30年3月", "month", dt.date(2018, 3, 1), dt.date(2018, 3, 31))]),
        ("平成28年度に", 2017, [("平成28年度", "fiscal_year", dt.date(2016, 4, 1), dt.date(2017, 3, 31))]),
        ("令和元年5月1日", None, [("令和元年5月1日", "day", dt.date(2019, 5, 1), dt.date(2019, 5, 1))]),
        ("2019年4月1日から", None, [("2019年4月1日", "day", dt.date(2019, 4, 1), dt.date(2019, 4, 1))]),
        ("11月12日", None, [("11月12日", "day", None, None)]),
    ],
)
def test_it_recognises_dates(
    text: str, fiscal_year: int | None, expected: list[tuple[str, str, dt.date | None, dt.date | None]]
) -> None:
    found = extract(text, fiscal_year=fiscal_year)
    assert [(d.text, d.precision, d.first, d.last) for d in found.dates] == expected
    assert found.quantities == ()


def test_a_date_is_never_a_quantity() -> None:
    found = extract("(H30.8.15号) 平成30年度末10団体", fiscal_year=2018)
    assert [d.text for d in found.dates] == ["H30.8.15", "平成30年度"]
    assert [(q.value, q.unit) for q in found.quantities] == [(Decimal(10), "団体")]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("登録者 99,999,999,999,999人", [Decimal("99999999999999")]),
        ("登録者 123,456,789,012,345人、協力 3団体", [Decimal(3)]),
        ("距離 7.7145km", [Decimal("7.7145")]),
        ("距離 7.71456km", []),
    ],
)
def test_a_number_too_long_to_store_is_not_a_quantity(text: str, values: list[Decimal]) -> None:
    assert [q.value for q in extract(text).quantities] == values


def test_units_are_data() -> None:
    units = {**DEFAULT_UNITS, "灯": "灯数"}
    assert [(q.label, q.value, q.unit) for q in extract("防犯灯 12灯", units).quantities] == [
        ("防犯灯", Decimal(12), "灯")
    ]
    assert extract("防犯灯 12灯").quantities == ()


def test_no_units_means_no_quantities_but_still_dates() -> None:
    found = extract("平成30年2月1日 車両数 15台", {})
    assert found.quantities == () and [d.text for d in found.dates] == ["平成30年2月1日"]


# 日, 月 and 年 are not shipped units, but a city may add them as data (研修 2日, 期間 3か月…):
# then every date is made of numbers followed by units, and only the date guard keeps them apart.
DATE_UNITS = {**DEFAULT_UNITS, "日": "日数", "月": "月数", "年": "年数"}


@pytest.mark.parametrize(
    ("text", "fiscal_year", "dates"),
    [
        ("「女性に対する暴力をなくす運動」（11月12日～25日）", 2018, ["11月12日～25日"]),
        ("（2月1日～3月3日）", 2017, ["2月1日～3月3日"]),
        ("平成30年2月1日より供用開始", 2017, ["平成30年2月1日"]),
        ("2019年4月1日から", None, ["2019年4月1日"]),
        ("令和元年5月1日", None, ["令和元年5月1日"]),
        ("（平成30年3月報告書作成）", 2018, ["平成30年3月"]),
        ("平成28年度に", 2017, ["平成28年度"]),
        ("11月12日", None, ["11月12日"]),
    ],
)
def test_a_date_is_not_a_quantity_even_when_day_month_and_year_are_units(
    text: str, fiscal_year: int | None, dates: list[str]
) -> None:
    found = extract(text, DATE_UNITS, fiscal_year)
    assert [d.text for d in found.dates] == dates
    assert found.quantities == ()


def test_date_units_still_count_outside_dates() -> None:
    found = extract("運動（11月12日～25日） 開催日数 14日、協定（平成30年度末10団体）", DATE_UNITS, 2018)
    assert [d.text for d in found.dates] == ["11月12日～25日", "平成30年度"]
    assert [(q.label, q.value, q.unit) for q in found.quantities] == [
        ("開催日数", Decimal(14), "日"),
        ("団体数", Decimal(10), "団体"),
    ]


CAMPAIGN = "（11月12日～25日）"


def _overlapping(item: Item) -> list[tuple[str, str]]:
    """The indicators of an item whose text lies inside one of the item's dates."""
    dates = list(item.dates.all())
    return [
        (item.text[i.start : i.end], d.text)
        for i in item.indicators.all()
        for d in dates
        if d.start < i.end and i.start < d.end
    ]


@pytest.mark.django_db
def test_date_units_stored_as_data_leave_dates_out_of_the_indicators(tmp_path: Path, seed_bytes: bytes) -> None:
    """With 日, 月 and 年 in the unit table: on import, on recompute, and when the API reads a text."""
    Unit.objects.bulk_create([Unit(name=n, label=DATE_UNITS[n]) for n in ("日", "月", "年")])
    # One item also counts days, to show the units are in force.
    report = tmp_path / "report.txt"
    report.write_bytes(seed_bytes.replace("パネル展の実施".encode(), "パネル展（展示 14日）の実施".encode()))
    assert run("import", str(report))[0] == 0

    def check() -> None:
        campaign = Item.objects.filter(text__contains=CAMPAIGN).prefetch_related("indicators", "dates")
        assert len(campaign) == 2  # 平成29年度 and 平成30年度
        for item in campaign:
            assert [d.text for d in item.dates.all()] == ["11月12日～25日"]
            assert [(i.label, i.value, i.unit) for i in item.indicators.all()] == [("展示", Decimal(14), "日")]
        everything = Item.objects.prefetch_related("indicators", "dates")
        assert [(item.text, _overlapping(item)) for item in everything if _overlapping(item)] == []
        assert not Indicator.objects.filter(unit="年", item__text__contains="平成30年2月1日").exists()

    check()
    status, _, err = run("indicators", "--year", "2018", "--recompute")
    assert status == 0, err
    check()
    response = Client().post(
        "/api/extract", {"text": f"運動{CAMPAIGN} 開催日数 14日", "fiscal_year": 2018}, "application/json"
    )
    assert response.status_code == 200
    assert [(q["label"], q["value"], q["unit"]) for q in response.json()["indicators"]] == [("開催日数", 14, "日")]
    assert [d["text"] for d in response.json()["dates"]] == ["11月12日～25日"]
