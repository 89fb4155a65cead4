from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

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
        ("距離 9,588㎞", [("距離", 9588, "km", "")]),  # units are matched and named by width
        ("防犯資機材支給 3団体/支給資機材 27個", [("防犯資機材支給", 3, "団体", ""), ("支給資機材", 27, "個", "")]),
        ("啓発グッズ約650セットを当日全て配布", [("啓発グッズ", 650, "セット", "約")]),
        ("シールを窓口にて配布(100枚程度)。", [("シール", 100, "枚", "程度")]),  # what was handed out
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
        ("週1回の登校パトロール", [("登校パトロール", 1, "回", "週")]),  # named after the number
        ("月に1回安全指導(小・中学校)", [("回数", 1, "回", "月")]),
        ("市内８ヶ所の学校等で実施", [("学校等", 8, "ヶ所", "")]),
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
        # The minutes write dates in kanji.
        ("平成二十六年度末には", None, [("平成二十六年度", "fiscal_year", dt.date(2014, 4, 1), dt.date(2015, 3, 31))]),
        ("令和五年十二月一日現在", None, [("令和五年十二月一日", "day", dt.date(2023, 12, 1), dt.date(2023, 12, 1))]),
        # An era's letter with a month and day, and a fiscal year right before a figure.
        ("R5年4月1日現在", None, [("R5年4月1日", "day", dt.date(2023, 4, 1), dt.date(2023, 4, 1))]),
        ("令和5年10月～12月", None, [("令和5年10月～12月", "month", dt.date(2023, 10, 1), dt.date(2023, 12, 31))]),
        ("2024/3/31現在", None, [("2024/3/31", "day", dt.date(2024, 3, 31), dt.date(2024, 3, 31))]),
    ],
)
def test_it_recognises_dates(
    text: str, fiscal_year: int | None, expected: list[tuple[str, str, dt.date | None, dt.date | None]]
) -> None:
    found = extract(text, fiscal_year=fiscal_year)
    assert [(d.text, d.precision, d.first, d.last) for d in found.dates] == expected
    assert found.quantities == ()


def test_a_fiscal_year_right_before_a_figure_is_the_fiscal_year() -> None:
    found = extract("R5年度120件")
    assert [(d.text, d.precision) for d in found.dates] == [("R5年度", "fiscal_year")]
    assert [(q.value, q.unit) for q in found.quantities] == [(Decimal(120), "件")]


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
    units = {**DEFAULT_UNITS, "俵": "俵数"}
    assert [(q.label, q.value, q.unit) for q in extract("備蓄米の購入 12俵", units).quantities] == [
        ("備蓄米の購入俵数", Decimal(12), "俵")
    ]
    assert extract("備蓄米の購入 12俵").quantities == ()


def test_no_units_means_no_quantities_but_still_dates() -> None:
    found = extract("平成30年2月1日 車両数 15台", {})
    assert found.quantities == () and [d.text for d in found.dates] == ["平成30年2月1日"]


# 日 is a shipped unit (開館日数 287日); 月 and 年 are not, but a city may add them as data:
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
    assert Unit.objects.filter(name="日").exists()  # shipped
    Unit.objects.bulk_create([Unit(name=n, label=DATE_UNITS[n]) for n in ("月", "年")])
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Units by width, and one space before a unit.
        ("達成率４３．５％", [(Decimal("43.5"), None, "%")]),
        ("受講者は179 人", [(Decimal(179), None, "人")]),
        ("自主防犯組織 12組織", [(Decimal(12), None, "組織")]),  # not 12 組
        # 万・千・億, in digits and in kanji; 千円 is a number of 円.
        ("事業費 3,480万6千円", [(Decimal(34806000), None, "円")]),
        ("総額2億5千万円", [(Decimal(250000000), None, "円")]),
        ("広報紙4万2千部", [(Decimal(42000), None, "部")]),
        ("チラシ一千枚", [(Decimal(1000), None, "枚")]),
        ("予算 500千円", [(Decimal(500000), None, "円")]),
        # Ranges.
        ("参加者は20～30名", [(Decimal(20), Decimal(30), "名")]),
        ("10件〜15件の要望", [(Decimal(10), Decimal(15), "件")]),
        # Not amounts.
        ("苗木は1本500円で頒布", [(Decimal(500), None, "円")]),
        ("ひったくりは1件もなかった", []),
        ("苦情は、これまでのところ1件も寄せられておりません", []),
        ("1人で帰宅せずに近くの家に駆け込むよう指導した", []),
        ("多い日には1日に10～15件の情報が寄せられる", [(Decimal(10), Decimal(15), "件")]),
        ("構成員5人以上で月1回以上活動する団体を登録している", []),
        ("学校から半径50メートル以内の通学路を重点区域に指定した", []),
        ("2人1組以上での集団下校を指導している", []),
        ("二世帯住宅の補助", []),
        ("欠席委員　五名", [(Decimal(5), None, "名")]),
        ("訂正請求は1件で、利用停止請求はなかった", [(Decimal(1), None, "件")]),
        ("1人暮らし高齢者への訪問", []),
        ("2人乗り自転車", []),
        ("第3回協議会", []),
        ("3回目の講習", []),
        ("資料は12ページ", []),
        ("所得が200万円未満の世帯を対象に", []),
        # Thresholds that pick out who, rules and advice, a per-household rate, a decimal duration.
        ("年収300万円未満の世帯については減免とした", []),
        ("見守り訪問は月2回以上行うこととしている", []),
        ("「3日分以上」の備蓄を推奨している", []),
        ("防犯灯電気代負担金（1世帯年額600円）", [(Decimal(600), None, "円")]),
        ("青パトは2人乗車を原則とした", []),
        ("支援期間は平均3.5か月であった", [(Decimal("3.5"), None, "か月")]),
        # Units other cities' reports use.
        (
            "土のう2,400袋、見守り隊18チーム、認定農業者96経営体",
            [(2400, None, "袋"), (18, None, "チーム"), (96, None, "経営体")],
        ),
        ("落書き消去 約120平方メートル", [(120, None, "平方メートル")]),
        ("保護率は11.8‰であった", [(Decimal("11.8"), None, "‰")]),
        # 分 after a unit qualifies it.
        ("備蓄 150台分", [(Decimal(150), None, "台")]),
        # Written digit by digit, as vertical text does (〇 or ○ for zero); two digits in a row are a few.
        ("防犯灯の総数は八〇五基となった", [(Decimal(805), None, "基")]),
        (
            "作付けは一二〇ヘクタール、出荷は六三〇トン",
            [(Decimal(120), None, "ヘクタール"), (Decimal(630), None, "トン")],
        ),
        ("参加者は二○○人", [(Decimal(200), None, "人")]),
        ("四五人で見回った", []),
        # A size, the day's largest, a reference: not amounts.
        ("浄化槽設置補助　5人槽 33万2千円", [(Decimal(332000), None, "円")]),
        ("1日最大給水量 3万1,460m3", [(Decimal(31460), None, "m3")]),
        ("資料2　体感治安アンケート結果", []),
        # A range written with 万, 千 or 億 on its second end alone is in it from the first.
        ("改修費は400～600万円を見込む", [(Decimal(4000000), Decimal(6000000), "円")]),
        ("来場者は2～3万人", [(Decimal(20000), Decimal(30000), "人")]),
        ("委託料 2,000～2,500千円", [(Decimal(2000000), Decimal(2500000), "円")]),
        ("整備費 4千～6千万円", [(Decimal(40000000), Decimal(60000000), "円")]),
        ("参加費は800～1千円", [(Decimal(800), Decimal(1000), "円")]),
        ("歳入総額 1兆2,400億円", [(Decimal(1240000000000), None, "円")]),
        # Below zero, as accounts write it; a label that says it fell keeps it positive.
        ("形式収支 △8,214千円", [(Decimal(-8214000), None, "円")]),
        ("社会増減 ▲35人", [(Decimal(-35), None, "人")]),
        ("転入超過数 -112人", [(Decimal(-112), None, "人")]),
        ("放置自転車 412台(前年度比△38台)", [(Decimal(412), None, "台"), (Decimal(38), None, "台")]),
        # Decimals in kanji, as the minutes write them.
        ("前年度の一・八倍", [(Decimal("1.8"), None, "倍")]),
        ("作付面積は〇・七ヘクタール", [(Decimal("0.7"), None, "ヘクタール")]),
        ("高齢化率は二十六・四％", [(Decimal("26.4"), None, "%")]),
        ("一・二年生の児童", []),
        # Hours and minutes, hours and a half, 割 and 分: one figure.
        ("平均処理時間は2時間40分", [(Decimal(160), None, "分")]),
        ("説明会は1時間半", [(Decimal("1.5"), None, "時間")]),
        ("収納率は前年を1割5分上回った", [(Decimal("1.5"), None, "割")]),
        # How large, a fraction, a ratio, a speed, a density: no amounts.
        ("被害額は数千万円に及ぶ", []),
        ("補助率は費用の3分の2", []),
        ("市民の4人に1人が65歳以上", []),
        ("世帯の10世帯に1世帯が単身", []),
        ("人口10万人対の自殺死亡率", []),
        ("最大瞬間風速は25m/sを記録", []),
        ("通過車両の平均速度は32km/h", [(Decimal(32), None, "km/h")]),
        ("人口密度は3,210人/km2", []),
        ("市域面積は11.3㎢", [(Decimal("11.3"), None, "km2")]),
        # A range with a hyphen; a duration said as the result; units that begin a word.
        ("ボランティアは15-20人", [(Decimal(15), Decimal(20), "人")]),
        ("相談の平均期間は2か月です", [(Decimal(2), None, "か月")]),
        ("処理期間を14日間に短縮した", [(Decimal(14), None, "日間")]),
        ("講演会は2部構成とし、3通りの申込方法を用意した", []),
        ("計画の4本柱", []),
        ("市民1人ひとりの取組み", []),
    ],
)
def test_numbers_as_reports_write_them(text: str, expected: list[tuple[Decimal, Decimal | None, str]]) -> None:
    assert [(q.value, q.value_max, q.unit) for q in extract(text, fiscal_year=2020).quantities] == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("・侵入窃盗の認知件数：85件", "侵入窃盗の認知件数"),
        ("自転車盗については、132件", "自転車盗"),
        ("47件の不審者情報を配信した", "不審者情報の配信"),
        ("防犯講習会を開催した。（延べ215人）", "防犯講習会の参加者"),
        ("受講者は179人で、前年度より23人増加した", "受講者の増加数"),
        ("参加者数は上限30人", "参加者数"),
        ("市民文化祭には34団体が出演した", "市民文化祭の出演団体数"),
        ("敬老祝金として、88歳の方に1人につき1万円を支給した", "敬老祝金の支給額（1人につき）"),
        ("指定避難所に1,200枚の簡易間仕切りを配備した", "指定避難所の簡易間仕切り"),
        ("苗木を頒布し、計1,200本の申込みがあった", "申込み"),
        ("不登校児童生徒数については、小学校が58人", "小学校の不登校児童生徒数"),
        ("・防災士資格取得支援：23人（累計187人）", "防災士資格取得支援の累計"),
        # A breakdown of what the topic measures: the part, named with the topic.
        ("・防犯教室の受講率：小学校 88.0％、中学校 71.5％", "防犯教室の受講率（中学校）"),
        ("・防犯教室の受講率：小学校 88.0％", "防犯教室の受講率（小学校）"),
        ("見守り隊の登録者は児童の保護者412人、地域住民230人であった", "見守り隊の登録者（地域住民）"),
        ("自転車の施錠率は駅前駐輪場76.2％", "自転車の施錠率（駅前駐輪場）"),
        ("通報件数は手口別では還付金詐欺が14件", "還付金詐欺"),
        # An act or a clause alone: what is counted of it.
        ("防犯講座の受講者は延べ96人で、年間の開催は8回であった", "開催回数"),
        ("相談員の面接のうち、支援につながったのは17件", "支援につながった件数"),
        ("「夜道が不安」と答えた人は23.4％だった", "夜道が不安と答えた人の割合"),
        # Against another year: the change or the ratio of the topic, not the comparison's words.
        ("防犯灯の電気料は218万円で、前年度比96.3％となった", "防犯灯の電気料の前年度比"),
        ("パトロールの参加者は前年同期より31人減った", "パトロールの参加者の減少数"),
        ("見守りボランティアは前年度より12人多い318人であった", "見守りボランティア"),
        # The act after the number, also after other figures of it: what the number counts of the act.
        ("防犯講習会は出前講座として14回開催した", "防犯講習会の開催回数"),
        ("防犯チラシを年4回、各3,000部発行した", "防犯チラシの発行部数（各）"),
        ("特殊詐欺防止の講話は対象者640人に行った", "特殊詐欺防止の講話の対象者"),
        # What a number is not named by: its rank, the comparison, examples of what it counts.
        ("還付金詐欺の相談は過去最多の63件となった", "還付金詐欺の相談"),
        ("防犯パトロールの参加率は41.0％で、前々回調査の47.5％から下がった", "防犯パトロールの参加率"),
        ("見守り協力員は郵便局・新聞販売店など37事業者であった", "見守り協力員"),
        ("防犯灯を120灯更新し、球切れした18灯を交換した", "防犯灯の交換灯数"),
        ("相談のうち特殊詐欺に関すること12件", "特殊詐欺に関すること"),
        ("意見箱には延べ44件の要望が寄せられた", "意見箱の要望"),
        ("戸別訪問先は260世帯であった", "戸別訪問先世帯数"),
        # A first part right after the topic, kana in a part's name, a change after its percentage.
        ("詐欺の被害額は、還付金詐欺1,200万円、架空請求400万円", "詐欺の被害額（架空請求）"),
        ("詐欺の被害額は、還付金詐欺1,200万円", "詐欺の被害額（還付金詐欺）"),
        ("講習の受講率は、ひとり親家庭12.5％、子育て世帯8.0％", "講習の受講率（子育て世帯）"),
        ("防犯灯の電気料は前年度に比べ38万円（4.1％）の減となった", "防犯灯の電気料の減少率"),
        ("安全メールの登録者は前年同月に比べ120人増えた", "安全メールの登録者の増加数"),
        ("防犯ポータルの閲覧数は前年度の1.4倍となった", "防犯ポータルの閲覧数の前年度比"),
        ("地域安全マップ講座の参加は延べ380人であった", "地域安全マップ講座の参加者数"),
        # A row of a table: the indicator before the date a figure is for, an arrow, a change after it.
        ("・防犯ボランティア登録者数　R4末 812人", "防犯ボランティア登録者数"),
        ("・防犯ボランティア登録者数　R4末 812人 → R5末 845人", "防犯ボランティア登録者数"),
        ("・防犯ボランティア登録者数　R4末 812人 → R5末 845人（＋33人）", "防犯ボランティア登録者数の増加数"),
        # A denominator kept with what it divides.
        ("防犯灯の維持管理費は1,860万円で、1灯当たり3,400円であった", "防犯灯の1灯当たりの維持管理費"),
        # A share: of what the sentence is about, of the count it follows.
        ("自転車盗は312件で、刑法犯全体の28.4％を占めた", "自転車盗の割合"),
        ("侵入窃盗が41件（12.0％）", "侵入窃盗の割合"),
        ("手口別では、オレオレ詐欺が9件", "オレオレ詐欺"),
        ("防犯講習会を12回開催し、340人が受講した（累計2,810人）", "受講者の累計"),
        # Those who did something, where it was held, how long an act lasted.
        ("更生支援の相談者のうち、14人が一般就労に移行した", "移行者"),
        ("防犯教室は市内の小学校など9か所で開き", "防犯教室の開催箇所数"),
        ("夜間パトロールは4地区で行った", "夜間パトロールの実施地区数"),
        ("青色防犯パトロールの運行は年間248日であった", "青色防犯パトロールの運行日数"),
        ("防犯ボランティアは延べ2,400時間活動した", "防犯ボランティアの活動時間"),
        ("防犯費の決算額は4,120万円で、構成比は0.8％であった", "構成比"),
        ("刑法犯認知件数は820件で、人口千人当たりでは6.1件となった", "人口千人当たりの刑法犯認知件数"),
        ("刑法犯認知件数は820件で、平成15年のピーク時から68.0％減少した", "刑法犯認知件数の減少率"),
        ("防犯灯の電気料単価は第3期から12円の引上げとなった", "防犯灯の電気料単価の引上げ額"),
        ("自主防犯活動の実施率は62％で、目標の60％を達成した", "自主防犯活動の実施率の目標値"),
        (
            "人口千人当たりの刑法犯認知件数は5.2件で、県平均を0.8件下回った",
            "人口千人当たりの刑法犯認知件数の県平均との差",
        ),
        ("見守り協定を結んだ事業者は新たに4社増えた", "見守り協定を結んだ事業者の増加数"),
        ("防犯対策補助金は、上限5万円として18件に交付した", "防犯対策補助金の交付件数"),
        ("子ども防犯教室を開催した（12教室）", "子ども防犯教室数"),
        ("防犯推進協議会は総会2回を開催した", "防犯推進協議会の総会の開催回数"),
        # Words that end a noun are no particles or qualifiers: 子ども, 成約, 水位計.
        ("防犯キャンプには12家族、子ども約40名が参加した", "子どもの参加者"),
        ("空き家バンクの登録は9件、成約は4件であった", "成約"),
        ("雨量計を新たに3基設置した", "雨量計の新規設置基数"),
        # What 「もの」 stands for; a share of the count before it; a year before a label.
        ("防犯カメラは市内に480台あり、このうち市が管理するものは210台である", "市が管理する防犯カメラ"),
        ("受理した相談のうち、警察に通報したものは31件であった", "警察に通報した相談"),
        ("内訳は侵入窃盗41件（22.0％）、自転車盗88件（47.3％）", "自転車盗の割合"),
        ("令和5年度の特殊詐欺の被害は18件であった", "特殊詐欺の被害"),
        # Rows of a table written as text: a heading over dated lines, the same row, a named indicator.
        ("・防犯講習会の受講者数\n　令和5年度：412人\n　令和6年度：455人", "防犯講習会の受講者数"),
        ("・防犯教室（小学校）　22回　1,840人", "防犯教室(小学校)の参加者"),
        ("外国人向け生活ガイドを英語・中国語の各言語二千部作成した。", "外国人向け生活ガイドの各言語の作成部数"),
        ("優良防犯施設の認定件数は92件で、目標の100件に8件届かなかった", "優良防犯施設の認定件数の目標との差"),
        ("指標「防犯灯のLED化率」は、令和5年度に92.0％となった", "防犯灯のLED化率"),
        ("防犯メール：登録者 3,120人、配信者 2,880人（目標比 96.0％）", "配信者の目標比"),
        ("被害者12人のうち9人が高齢者であった", "被害者"),
        (
            "指標名：防犯パトロール参加者数 / 基準値（R1）：3,210人 / 実績値（R5）：3,842人",
            "防犯パトロール参加者数",
        ),
        ("前回の実態調査では、市内の空き家は4,987戸、割合にして5.8%であった", "空き家の割合"),
        ("侵入窃盗の認知件数を50件未満とすることを目標とした", "侵入窃盗の認知件数の目標値"),
        ("防犯灯につきましては、今年度は新設が123灯でございます", "新設の防犯灯"),
        ("出前講座を38回開催し、受講者は1,026人であった（前年度：31回、804人）", "受講者（前年度）"),
        ("計画に掲げる62事業", "計画に掲げる事業数"),
        ("各種がん検診委託料　決算額 98,204千円（前年度 95,611千円）", "各種がん検診委託料の決算額（前年度）"),
        ("保健センターでは、187件の健康相談に応じた", "健康相談"),
        ("全小・中学校３１校で防犯教室を実施した", "防犯教室の実施校数"),
        ("児童館（6館）の来館者数", "児童館の館数"),
        ("地域子育て支援センター（4か所）の利用", "地域子育て支援センターの箇所数"),
        ("市民活動補助金には今年度14団体から応募があった", "市民活動補助金の応募団体数"),
        ("保育所等の利用定員を190人拡大し、計5,840人となった", "保育所等の利用定員"),
        ("ひったくりは前年の6件から2件に減少した", "ひったくり"),
        ("〇〇地区公民館：防犯講座（2回、延べ64人）", "防犯講座の参加者"),
        ("出席委員　十八名\n欠席委員　五名", "欠席委員"),
        ("万引き　152件→171件（19件増）", "万引きの増加数"),
        ("自転車盗　388件→352件（36件減少）", "自転車盗の減少数"),
        ("LED防犯灯に補助した（交付実績：46団体、312灯）", "交付灯数"),
        (
            "見守りボランティアの活動時間は延べ12,480時間で、1人当たりでは平均52時間となった",
            "見守りボランティアの1人当たり平均の活動時間",
        ),
        ("市債残高は約352億円であり、市民1人当たりにすると約38万円となる", "市民1人当たりの市債残高"),
        (
            "家庭系ごみの1人1日当たり排出量は498gとなり、目標の480gまであと18gである",
            "家庭系ごみの1人1日当たり排出量の目標との差",
        ),
        ("消費者教育出前講座　実施回数 34回", "消費者教育出前講座の実施回数"),
        (
            "自動通話録音機の無償貸与を行い、令和6年度は312台を貸し出しました（累計1,948台）",
            "自動通話録音機の無償貸与の貸出台数の累計",
        ),
        (
            "本年度末には防犯カメラが1,165台となり、犯罪発生件数も平成26年の1,817件に対し平成30年は1,030件と減少した",
            "犯罪発生件数",
        ),
        ("総務常任委員会記録\n出席委員（7名）", "出席委員の人数"),
        ("■1人1日当たりのごみ排出量\n令和5年度：934g", "1人1日当たりのごみ排出量"),
        ("補導人員は延べ642人で、うち深夜はいかいが389人であった", "深夜はいかい"),
        ("子ども医療費助成は、対象者18,640人である", "子ども医療費助成の対象者数"),
        (
            "特殊詐欺被害は、被害額は約1億2,300万円に上り、前年より件数で9件、被害額で約3,100万円増加した",
            "特殊詐欺被害の被害額の増加額",
        ),
        ("消防団員数は条例定数520人である", "消防団員数の条例定数"),
        ("公民館の利用者数は延べ18万6,240人で、前年度（12万3,510人）の約1.5倍となった", "公民館の利用者数の前年度比"),
        ("防犯ステッカー「この地域は見守られています」を5,000枚作成した", "防犯ステッカーの作成枚数"),
        ("万引きの認知件数は231件で、うち少年によるものが27件であった", "少年による万引き"),
        ("戸籍の届出受付件数は5,842件で、1日平均23.9件であった", "戸籍の1日平均の届出受付件数"),
        ("中央図書館の入館者数は312,406人で、1日平均1,074人であった", "中央図書館の1日平均の入館者数"),
        (
            "家庭系ごみの1人1日当たり排出量は505gで、目標の490g以下に対し15g上回った",
            "家庭系ごみの1人1日当たり排出量の目標との差",
        ),
        ("自主防災組織の結成率は78.0%で、目標値（80%）を2.0ポイント下回った", "自主防災組織の結成率の目標値との差"),
        ("児童生徒1,000人当たりの不登校児童生徒数は21.3人となった", "児童生徒1,000人当たりの不登校児童生徒数"),
        ("防犯メールの登録者は3,120人（前年度2,010人）で、約1.6倍に増えた", "防犯メールの登録者の前年度比"),
        ("刑法犯認知件数を令和8年に1,500件以下とする目標に対し", "刑法犯認知件数の目標値"),
        ("家庭系ごみの排出量を令和7年度に2万t以下とする目標に対し、令和5年度は2万1,480tであった", "家庭系ごみの排出量"),
        ("市内の自主防犯団体は、十年前の約百四十団体から百二十団体に減った", "自主防犯団体数"),
        # An object without its verb is the thing acted on; 「…を中心に」, 「…を対象に」 say where or for whom.
        ("防犯ブザーを市内小学校の新1年生に1,480個配布した", "防犯ブザーの配布個数"),
        ("暴力団排除講習会を事業者向けに年3回開催した", "暴力団排除講習会の開催回数"),
        ("駅周辺を中心に街頭防犯カメラを24台増設した", "街頭防犯カメラの増設"),
        ("交通安全教室は市内の保育園12園で開催した", "交通安全教室の開催園数"),
        ("防犯カメラの維持費として、来年度は通信費312万円を見込んでいる", "通信費"),
        # A share of those named after it.
        ("ひったくりの被害者は12人で、そのうち約7割が高齢の女性でした", "高齢の女性の割合"),
        ("駅前駐輪場で盗まれた自転車の58.3％が無施錠であった", "無施錠の割合"),
        # 累計 said apart from the figure: the label's, or the figure before's.
        ("見守りサポーターを新たに86人養成し、養成者の累計は1,902人となった", "養成者の累計"),
        ("防犯ブザーの貸与個数は312個、累計では2,480個となった", "防犯ブザーの貸与個数の累計"),
        # A table written as lines: a row's figures named by its name and their column (below).
        (
            "指標名　　基準値（R1）　実績値（R5）　目標値（R8）\n防犯メールの登録率　12.0%　18.5%　25.0%",
            "防犯メールの登録率の目標値",
        ),
        (
            "区分　　実施回数　　延べ参加人数\n青色防犯パトロール　３１２回　１，２４８人",
            "青色防犯パトロールの延べ参加人数",
        ),
        # Places an event was held at, bodies that took part in it.
        ("地域安全マップづくりは、今年度14校", "地域安全マップづくりの実施校数"),
        ("夜間パトロールは、今年度は自治会など17団体", "夜間パトロールの参加団体数"),
        ("人権作文コンテストは、今年度11校", "人権作文コンテストの参加校数"),
        # A sum after a count of the same thing is what they came to.
        ("手口別では、架空料金請求詐欺が5件（208万円）であった", "架空料金請求詐欺の被害額"),
        ("手口別被害状況\n還付金詐欺　　7件　　412万円", "還付金詐欺の被害額"),
        ("防犯カメラ設置補助　12件　3,120千円", "防犯カメラ設置補助の金額"),
        # Those a clause names, counted by what the unit counts.
        ("空き家の相談は48件で、このうち解体に至ったのは12件であった", "解体に至った件数"),
        ("対象の集会所31館のうち、耐震改修を終えたのは26館である", "耐震改修を終えた館数"),
        ("市内の小中学校のうち、体育館に空調を整備したのは9校でございます", "体育館に空調を整備した学校数"),
        ("点検が必要な歩道橋のうち、補修に着手しておりますのは4橋です", "補修に着手している橋梁数"),
        ("滞納繰越額は、平成二十六年度末の約十八億円から、令和五年度末には約六億四千万円まで縮減した", "滞納繰越額"),
        # An aside inside a label explains a word: a list, an alias, an age; a short one says which (above).
        ("がん検診（胃・肺・大腸）の受診者数は延べ4,210人であった", "がん検診の受診者数"),
        ("不審電話（いわゆるアポ電）の件数は前年の1.4倍となった", "不審電話の件数の前年比"),
        ("高齢者（65歳以上）からの相談が431件あった", "高齢者からの相談"),
        ("木造住宅の耐震改修補助（市内の業者が施工するものが対象）は、今年度21件であった", "木造住宅の耐震改修補助"),
        ("市税収納率（滞納繰越分）　31.5%", "市税収納率(滞納繰越分)"),
        (
            "◆委員　防犯灯の球切れの通報はどれくらいあるか。\n◎市民安全課長　昨年度は電話とアプリを合わせて約750件でございます。",
            "防犯灯の球切れの通報",
        ),
        ("特定健康診査受診率　目標値 60.0％　実績値 43.8％", "特定健康診査受診率"),
        ("市域の緑被率　基準値（H28）31.2％", "市域の緑被率の基準値"),
        ("【活動指標】防犯カメラ設置台数\n令和5年度目標：40台", "防犯カメラ設置台数の目標値"),
        (
            "成果指標：「学校に行くのが楽しい」と回答した児童の割合　R4 目標 85％",
            "「学校に行くのが楽しい」と回答した児童の割合の目標値",
        ),
        ("相談は2,861件で、うち65歳以上の方からの相談は1,097件であった", "高齢者からの相談"),
        ("65歳以上のひとり暮らし高齢者は7,214人である", "ひとり暮らし高齢者"),
        ("自治会が管理する防犯灯について、電気料金の50％を補助した", "電気料金の補助率"),
        ("創業塾の修了者は28人で、このうち年度内に創業したのは9人であった", "年度内に創業した人数"),
        ("外国人住民数は6,842人、総人口に占める割合は2.9％である", "総人口に占める外国人住民の割合"),
        ("地域見守り隊の1人1日当たりの活動は平均42分であった", "地域見守り隊の1人1日当たりの活動時間"),
        ("不審者情報を安全安心メールで126件配信した（前年度比19件増）", "不審者情報の増加数"),
        ("救急出動の事故種別では「急病」が3,682件と最も多く、次いで「一般負傷」875件", "一般負傷"),
        (
            "青色防犯パトロールの登録車両は、市が3台、地域団体が68台、合わせて71台でございます",
            "青色防犯パトロールの登録車両",
        ),
        ("防犯カメラの画像提供につきましては、令和5年中に警察から42件の照会があった", "警察の照会"),
        (
            "特殊詐欺被害は42件、被害額は約1億2,300万円で、前年より件数で9件、被害額で約3,100万円増加した",
            "特殊詐欺被害の被害額の増加額",
        ),
        ("自主防犯団体は87団体で、5年前と比べますと団体数で6団体減少した", "自主防犯団体の団体数の減少数"),
        (
            "防犯カメラの台数についてのお尋ねでございますが、市が所管しているものが318台、"
            "公園内のものが44台、合計で362台となっております",
            "防犯カメラ",
        ),
        ("見守り協定は、新たに5事業者と締結した", "見守り協定の新規締結"),
        ("ゾーン30を新たに2地区指定した", "ゾーン30の新規指定地区数"),
        ("空き家の通報は64件あり、指導の結果、21件が解体・改善に至った", "解体・改善に至った件数"),
        ("相談窓口での相談件数は延べ37件で、うち面談によるものが11件であった", "面談による相談"),
        ("年末パトロール（午後8時～9時）には、延べ96名の会員が参加した", "年末パトロールの参加会員"),
        (
            "お尋ねの防犯灯の数でございますが、市が管理するものが4,210灯、町会が管理するものが1,380灯",
            "町会が管理する防犯灯",
        ),
        ("・防犯ボランティア登録者数　612人（前年度末比 +18人）", "防犯ボランティア登録者数の増加数"),
        ("計画に掲げる24事業のうち、計画どおり進んだものが20事業", "計画どおり進んだ事業"),
        ("防犯カメラ設置補助は、設置費の2分の1（上限15万円）とした", "防犯カメラ設置補助の上限額"),
        ("街頭犯罪の認知件数は前年同月を12件下回った", "街頭犯罪の認知件数の減少数"),
        ("今年度は7人が新たに防犯設備士の資格を取得した", "取得者"),
        ("防犯ボランティアの登録者数　512人（前年度　498人）", "防犯ボランティアの登録者数（前年度）"),
        ("救急出動は1日平均17.0件で、前年の15.8件を上回った", "救急出動（前年）"),
        ("市民プールの利用者は3万2,180人で、1日当たり平均523人であった", "市民プールの1日当たり平均の利用者数"),
        ("交通安全教室を市内の保育園・幼稚園、小中学校で計86回開催した", "交通安全教室の開催回数"),
        ("学校教育課では、防犯ブザーを新1年生全員、1,842人に配布しました", "防犯ブザーの配布人数"),
        ("・防犯灯のLED化率　88.5％（前年度比4.0ポイント増）", "防犯灯のLED化率の増加幅"),
        # Targets and how far they were reached.
        ("自転車盗の認知件数は412件で、目標値（380件以下）には届かなかった", "自転車盗の認知件数の目標値"),
        ("防犯メールの登録者は9,120人となり、目標（10,000人）の91.2％となった", "防犯メールの登録者の目標達成率"),
        ("子ども110番の家は1,157件で、目標の1,200件に対し96.4％である", "子ども110番の家の目標達成率"),
        ("防犯灯のLED化率は82％で、市の目標である90％に届かなかった", "防犯灯のLED化率の目標値"),
        # A figure its unit alone would name (人数) is the measure its line or the line above names first.
        ("放課後児童クラブ登録児童数（5月1日現在）　1,932人", "放課後児童クラブ登録児童数"),
        (
            "○委員　防災メールの登録者数の推移を伺いたい。\n○危機管理課長　令和5年度末が8,420人でございます",
            "防災メールの登録者数",
        ),
        ("市内の耕作放棄地面積（令和5年調査）\n　田 42ha　畑 17ha", "耕作放棄地面積"),
        ("移住相談件数は112件\n転入世帯　38世帯", "転入世帯数"),
        # A target, a result or a cap named by its kind alone is of what its line or sentence names first,
        # or of the figure it follows in parentheses; not of who acted.
        ("《がん検診》\n対象者数 9,210人 受診者数 2,344人 受診率 25.5%(目標 40.0%)", "受診率の目標値"),
        ("家庭用防犯カメラ購入補助（上限1万円）", "家庭用防犯カメラ購入補助の上限額"),
        ("子育て支援センター利用者数　令和5年度 13,215人（目標 15,000人）", "子育て支援センター利用者数の目標値"),
        (
            "道路課では、防犯灯のLED化を進め、本年度は1,150灯を更新した（目標1,200灯）",
            "防犯灯のLED化の更新灯数の目標値",
        ),
        # A result or a target named by its kind alone is the indicator the sentence or row names first.
        ("防犯講習会の受講者数は、目標1,200人に対し実績1,056人であった", "防犯講習会の受講者数"),
        ("空き家の除却件数は年間40件を目標としていたが、実績は31件にとどまった", "空き家の除却件数"),
        ("見守り協力事業所数（単位：事業所）｜基準値 210事業所（H30）｜R4実績 236事業所", "見守り協力事業所数"),
        (
            "市民アンケート「まちが安全だと感じる人の割合」は、基準値58.0％に対し実績値は61.5％",
            "市民アンケート「まちが安全だと感じる人の割合」",
        ),
    ],
)
def test_labels_a_clerk_would_write(text: str, label: str) -> None:
    assert extract(text, fiscal_year=2020).quantities[-1].label == label


def test_a_series_names_each_figure_but_the_last_by_its_date() -> None:
    answer = "○課長　令和３年度末が３，２１０人、令和４年度末が３，５８８人、令和５年度末が３，９４１人でございます。"
    asked = "○委員　防災メールの登録者数の推移を伺います。\n" + answer
    assert [q.label for q in extract(asked, fiscal_year=2023).quantities] == [
        "防災メールの登録者数（令和3年度末）",
        "防災メールの登録者数（令和4年度末）",
        "防災メールの登録者数",
    ]
    series = "見守りボランティアの登録者数の推移　R3 1,204人　R4 1,356人　R5 1,512人"
    assert [q.label for q in extract(series).quantities][1:] == [
        "見守りボランティアの登録者数（R4）",
        "見守りボランティアの登録者数",
    ]
    # One dated figure and one of another measure are no series.
    assert [q.label for q in extract("令和5年度は講習会を12回開催し、参加者は340人").quantities] == [
        "講習会の開催回数",
        "参加者",
    ]


def test_a_figure_counted_per_person_or_unit_says_so_and_is_never_named_by_what_it_is_per() -> None:
    def labels(text: str) -> list[str]:
        return [q.label for q in extract(text).quantities]

    # Otherwise each would read as the whole: the total paid, the cost of all cameras.
    paid = labels("入学祝い金は小学1年生に1人当たり3万円を支給し、212件、636万円を支給した。")
    assert paid[0] == "入学祝い金の支給額（1人当たり）" and paid[2] == "入学祝い金の支給額"
    assert labels("防犯灯補助金　1灯当たり上限3万8千円") == ["防犯灯補助金の上限額（1灯当たり）"]
    assert labels("交通安全指導員　報酬 月額8,500円／人") == ["報酬の月額（1人当たり）"]
    # Words that name only what a figure is per: of the figure it explains, or of the sentence before.
    assert labels("自主防犯活動助成　交付額 2,400千円（1団体当たり4万円）") == [
        "自主防犯活動助成の交付額",
        "自主防犯活動助成の交付額（1団体当たり）",
    ]
    assert labels("資源回収量は4,120トンでした。市民1人1日当たりでは95グラムです。")[1] == (
        "資源回収量（市民1人1日当たり）"
    )
    # What a label already says of it is not said twice.
    assert labels("犯罪率（人口）　人口千人当たり 4.8件") == ["犯罪率（人口千人当たり）"]


def test_a_change_in_percent_is_a_rate_and_one_in_yen_an_amount() -> None:
    def labels(text: str) -> list[str]:
        return [q.label for q in extract(text).quantities]

    assert labels("図書館の貸出冊数 41万2千冊（前年度比 3.4％減）") == ["図書館の貸出冊数", "図書館の貸出冊数の減少率"]
    assert labels("市民相談件数 1,506件（+4.1%）")[1] == "市民相談件数の増加率"
    assert labels("空き家対策補助金 1,830万円（前年度比 210万円増）")[1] == "空き家対策補助金の増加額"
    assert labels("特殊詐欺の認知件数は58件で、前年より11件、率にして23.4％の増加となった。")[2] == (
        "特殊詐欺の認知件数の増加率"
    )


def test_a_table_written_as_lines_names_each_figure_by_its_row_and_column() -> None:
    text = "区分　令和4年　令和5年\nひったくり　12件　9件\n車上ねらい　88件　71件\n（単位：件）"
    labels = [q.label for q in extract(text, fiscal_year=2023).quantities]
    assert labels == ["ひったくり（令和4年）", "ひったくり", "車上ねらい（令和4年）", "車上ねらい"]
    # Not a table: figures apart from a heading of as many words.
    apart = [q.label for q in extract("防犯講習会　防犯教室\n講習会は12回、教室は8回開いた").quantities]
    assert len(apart) == 2 and not any("防犯" in label for label in apart)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("H30年度末までに", ["H30年度末"]),
        ("R2年度から", ["R2年度"]),
        ("平20.3.31現在", ["平20.3.31"]),
        ("4月下旬から5月末まで", ["4月下旬から5月末"]),
        ("10月から12月にかけて", ["10月から12月"]),
        ("広報紙は毎月1日・15日発行", ["毎月1日・15日"]),
        ("午後3時～5時", ["午後3時～5時"]),
        ("30年度末の目標", ["30年度末"]),
        ("10月14日・15日の2日間、開催した", ["10月14日・15日", "2日間"]),
        ("11月の1か月間、巡回した", ["11月", "1か月間"]),
        ("二〇二三年度の実績", ["二〇二三年度"]),
        ("R6年4月1日現在", ["R6年4月1日"]),
        # A day of the month with its weekday, or 去る; months as a span; a date with slashes.
        ("説明会は12日（土）に開催", ["12日"]),
        ("去る8日に開催した", ["8日"]),
        ("4～9月の相談", ["4～9月"]),
        ("2024/3/31時点", ["2024/3/31"]),
    ],
)
def test_dates_and_times_that_are_not_quantities(text: str, dates: list[str]) -> None:
    found = extract(text, fiscal_year=2019)
    assert [d.text for d in found.dates] == dates and found.quantities == ()


@pytest.mark.django_db
def test_a_range_reports_its_upper_bound_and_others_do_not(client: Client) -> None:
    response = client.post("/api/extract", {"text": "参加者20～30名、車両15台"}, "application/json")
    assert response.status_code == 200
    ranged, single = response.json()["indicators"]
    assert (ranged["value"], ranged["value_max"], ranged["unit"]) == (20, 30, "名")
    assert "value_max" not in single and set(single) == {"label", "value", "unit", "qualifier", "approximate"}


# Text made of what numbers, units and dates are made of, in both widths, with the words around them.
_PIECES = st.sampled_from(
    [
        *"0123456789０１２３４５６７８９,，.．一二三四五六七八九十百千万億～〜~-:：、。・()（）月日年度時分 \u3000第約",
        *("円", "％", "%", "人", "件", "回", "台", "km", "㎞", "ｍ", "令和", "平成", "H", "R", "当たり", "もなかった"),
        *("目", "暮らし", "以上", "未満", "対象", "から", "まで", "の", "を", "は", "防犯", "\n", "①", "㈱"),
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from([None, 2018, 2024]))
def test_extraction_never_fails_and_every_span_is_inside_the_text(text: str, fiscal_year: int | None) -> None:
    found = extract(text, fiscal_year=fiscal_year)
    for quantity in found.quantities:
        assert 0 <= quantity.start < quantity.end <= len(text), (text, quantity)
        assert quantity.value_max is None or quantity.value_max >= 0
    for date in found.dates:
        assert 0 <= date.start < date.end <= len(text) and text[date.start : date.end] == date.text
