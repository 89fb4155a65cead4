from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from shishin.report import table_text
from shishin.report.records import Document, FormatError, Item, Measure, Record


def _as_fixture(document: Document) -> dict[str, Any]:
    """Shape a document like ../shared/fixtures/*.expected.json."""

    def measure(m: Measure) -> dict[str, Any]:
        return {
            "title": m.title,
            "whole_government": m.whole_government,
            "departments": [
                {"name": d.name, "sub_unit": d.sub_unit} if d.sub_unit else {"name": d.name} for d in m.departments
            ],
            "description": m.description,
            "records": {
                str(year): [
                    {"department": r.department, "items": [{"bullet": i.bullet, "text": i.text} for i in r.items]}
                    for r in records
                ]
                for year, records in m.records.items()
            },
        }

    return {
        "title": document.title,
        "fiscal_years": list(document.years),
        "pillars": [
            {
                "number": p.number,
                "title": p.title,
                "purpose": p.purpose,
                "areas": [
                    {"number": a.number, "title": a.title, "measures": [measure(m) for m in a.measures]}
                    for a in p.areas
                ],
                "measures": [measure(m) for m in p.measures],
            }
            for p in document.pillars
        ],
    }


def _body_line(document: Document, row: int) -> int:
    """Return the 1-based line number the body row ``row`` is printed on."""
    preamble = document.blank_lines_before_title + 1 + document.blank_lines_after_title
    pages_started = sum(1 for p in document.pages if p.first_row <= row)
    return preamble + row + 2 * pages_started


def test_the_seed_reads_as_the_expected_reading(seed_bytes: bytes, expected_reading: dict[str, Any]) -> None:
    document = table_text.parse(seed_bytes, "seed.txt")
    expected = {k: v for k, v in expected_reading.items() if k != "pages"}
    assert _as_fixture(document) == expected
    assert [(_body_line(document, p.first_row) - 1, p.label) for p in document.pages] == [
        (p["line"], p["label"]) for p in expected_reading["pages"]
    ]


def test_the_seed_is_written_back_byte_for_byte(seed_bytes: bytes) -> None:
    assert table_text.render(table_text.parse(seed_bytes)).encode("utf-8") == seed_bytes


def test_the_seed_has_25_measures_in_4_pillars(seed_bytes: bytes) -> None:
    document = table_text.parse(seed_bytes)
    assert len(document.all_measures()) == 25
    assert [len(p.areas) for p in document.pillars] == [3, 3, 0, 0]
    assert document.years == (2017, 2018)
    assert [p.label for p in document.pages] == ["取組み", "取組み", "実績", "実績"]


HEADER = "主要な施策\t担当課\t施策の内容\t平成29年度の取組み\t平成30年度の取組み"


def _table(*rows: str, header: str = HEADER) -> str:
    return "\n\n■ 架空市防犯指針に基づく平成30年度の取組み等について\n\n" + header + "\n" + "\n".join(rows)


PILLAR = "1 安全の確保 安全を守るために\t\t\t\t"


def _only_measure(text: str) -> Measure:
    document = table_text.parse(text)
    (measure,) = document.all_measures()
    return measure


def test_a_pillar_row_carries_number_title_purpose_and_the_first_area() -> None:
    text = _table("1 安全の確保 安全を守るために (1) 地域防犯力の向上\t\t\t\t", "施策\t地域安全課\t内容\t\t")
    (pillar,) = table_text.parse(text).pillars
    assert (pillar.number, pillar.title, pillar.purpose, pillar.first_area_inline) == (
        1,
        "安全の確保",
        "安全を守るために",
        True,
    )
    assert [(a.number, a.title, [m.title for m in a.measures]) for a in pillar.areas] == [
        (1, "地域防犯力の向上", ["施策"])
    ]


@pytest.mark.parametrize(
    ("pillar", "area"),
    [
        ("１　安全の確保\t\t\t\t", "（１）地域防犯力の向上\t\t\t\t"),
        ("1 安全の確保\t\t\t\t", "(1)地域防犯力の向上\t\t\t\t"),
    ],
    ids=["full-width", "no-space"],
)
def test_numbering_written_otherwise_is_read_and_kept(pillar: str, area: str) -> None:
    text = _table(pillar, area, "施策\t地域安全課\t内容\t\t")
    (read,) = table_text.parse(text).pillars
    assert (read.number, read.title, read.areas[0].number, read.areas[0].title) == (
        1,
        "安全の確保",
        1,
        "地域防犯力の向上",
    )
    assert table_text.render(table_text.parse(text)) == text


def test_measures_may_sit_directly_under_a_pillar() -> None:
    (pillar,) = table_text.parse(_table(PILLAR, "施策\t地域安全課\t内容\t\t")).pillars
    assert pillar.areas == ()
    assert [m.title for m in pillar.measures] == ["施策"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("全庁", (True, [])),
        ("保育課 児童青少年課", (False, [("保育課", ""), ("児童青少年課", "")])),
        ("企画政策課 （男女共同参画室）", (False, [("企画政策課", "男女共同参画室")])),
        ("市民部 （防犯係） 危機管理部安全安心課", (False, [("市民部", "防犯係"), ("危機管理部安全安心課", "")])),
        ("危機管理室", (False, [("危機管理室", "")])),
    ],
    ids=["whole-government", "two", "sub-unit", "other-city-shapes", "not-ending-in-ka"],
)
def test_it_reads_the_departments_cell(cell: str, expected: tuple[bool, list[tuple[str, str]]]) -> None:
    measure = _only_measure(_table(PILLAR, f"施策\t{cell}\t内容\t\t"))
    assert (measure.whole_government, [(d.name, d.sub_unit) for d in measure.departments]) == expected


def test_an_inline_bracket_inside_an_item_does_not_start_a_block() -> None:
    cell = "【学務課】 ・小学校全9校の通学路点検【交通対策課所管】 ・通学路防犯カメラ 40台 【交通対策課】 ・通学路点検"
    measure = _only_measure(_table(PILLAR, f"施策\t学務課 交通対策課\t内容\t\t{cell}"))
    assert measure.records[2018] == (
        Record("学務課", (Item("小学校全9校の通学路点検【交通対策課所管】"), Item("通学路防犯カメラ 40台"))),
        Record("交通対策課", (Item("通学路点検"),)),
    )


def test_a_middle_dot_inside_words_is_not_a_bullet() -> None:
    cell = "【地域安全課】 ・こがねい安全・安心メール加入登録数 10,278人 ・月に1回安全指導(小・中学校)"
    measure = _only_measure(_table(PILLAR, f"施策\t地域安全課\t内容\t{cell}\t"))
    assert [i.text for i in measure.records[2017][0].items] == [
        "こがねい安全・安心メール加入登録数 10,278人",
        "月に1回安全指導(小・中学校)",
    ]


def test_a_block_may_hold_text_without_a_bullet() -> None:
    cell = "【環境政策課】 相談件数37件 現地確認を行い、改善を要請した。 ・文書で通知（２件）"
    measure = _only_measure(_table(PILLAR, f"施策\t環境政策課\t内容\t\t{cell}"))
    assert measure.records[2018][0].items == (
        Item("相談件数37件 現地確認を行い、改善を要請した。", bullet=False),
        Item("文書で通知（２件）"),
    )


def test_a_listed_department_may_have_no_block_and_a_whole_government_measure_has_real_ones() -> None:
    measure = _only_measure(_table(PILLAR, "施策\t全庁\t内容\t【地域安全課】 ・実施\t"))
    assert measure.whole_government
    assert measure.records == {2017: (Record("地域安全課", (Item("実施"),)),)}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("－", (Record("", (Item("－", bullet=False),)),)),
        ("・実施 【課】 ・点検", (Record("", (Item("実施"),)), Record("課", (Item("点検"),)))),
    ],
    ids=["dash", "text-before-the-first-block"],
)
def test_text_outside_any_block_is_kept_without_a_department(cell: str, expected: tuple[Record, ...]) -> None:
    text = _table(PILLAR, f"施策\t課\t内容\t{cell}\t")
    assert _only_measure(text).records[2017] == expected
    assert table_text.render(table_text.parse(text)) == text


def test_page_labels_and_repeated_headers_are_layout() -> None:
    second = HEADER.replace("取組み", "実績")
    text = _table(PILLAR, "施策A\t地域安全課\t内容\t\t", "", second, "施策B\t地域安全課\t内容\t\t")
    document = table_text.parse(text)
    assert [m.title for m in document.all_measures()] == ["施策A", "施策B"]
    assert [(p.first_row, p.label) for p in document.pages] == [(0, "取組み"), (2, "実績")]
    assert table_text.render(document) == text


def test_reiwa_gannen_headers_are_kept_as_written() -> None:
    header = "主要な施策\t担当課\t施策の内容\t平成30年度の実績\t令和元年度の実績"
    document = table_text.parse(_table(PILLAR, "施策\t地域安全課\t内容\t\t", header=header))
    assert document.years == (2018, 2019)
    assert document.year_labels == ("平成30年度", "令和元年度")


def test_crlf_and_a_bom_are_accepted(seed_bytes: bytes) -> None:
    crlf = b"\xef\xbb\xbf" + seed_bytes.replace(b"\n", b"\r\n")
    assert table_text.parse(crlf) == table_text.parse(seed_bytes)


def test_shift_jis_is_read_as_japanese(seed_bytes: bytes) -> None:
    cp932 = seed_bytes.decode("utf-8").encode("cp932")
    assert table_text.parse(cp932) == table_text.parse(seed_bytes)


def _error(data: bytes | str) -> str:
    with pytest.raises(FormatError) as caught:
        table_text.parse(data.encode("utf-8") if isinstance(data, str) else data, "report.txt")
    return str(caught.value)


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        pytest.param(*(_table(PILLAR, "施策\t地域安全課\t内容"), "report.txt:7:12:", "5列"), id="truncated-row"),
        pytest.param(
            *(_table(PILLAR, "施策\t地域安全課\t内容\t\t\t余分"), "report.txt:7:15:", "6列あります"), id="extra-column"
        ),
        pytest.param(*(_table("第1章 安全\t\t\t\t"), "report.txt:6:1:", "基本方針の行"), id="unknown-section-row"),
        pytest.param(
            *(_table(PILLAR, "施策\t課\t内容\t\t", "施策\t課\t内容\t\t"), "report.txt:8:1:", "7行目にも"),
            id="measure-title-twice",
        ),
        pytest.param(*(_table(PILLAR, PILLAR), "report.txt:7:1:", "基本方針 1 が2回"), id="pillar-twice"),
        pytest.param(
            *(_table(PILLAR, "(1) 地域\t\t\t\t", "(1) 地域\t\t\t\t"), "report.txt:8:1:", "(1) が2回"), id="area-twice"
        ),
        pytest.param(
            *(_table(PILLAR, "施策\t課A 課B 課A\t内容\t\t"), "report.txt:7:4:", "「課A」が2回"),
            id="department-listed-twice",
        ),
        pytest.param(
            *(_table("施策\t地域安全課\t内容\t\t"), "report.txt:6:1:", "基本方針の行"), id="measure-before-pillar"
        ),
        pytest.param(
            *(_table(PILLAR, "施策\t課\t内容\t【課】 ・a 【課】 ・b\t"), "report.txt:7:16:", "2回"),
            id="department-twice-in-a-cell",
        ),
        pytest.param(
            *(_table(PILLAR, "施策\t課\t内容\t【課】・a\t"), "report.txt:7:12:", "空白"), id="no-space-after-block"
        ),
        pytest.param(
            *(_table(PILLAR, HEADER, "施策\t課\t内容\t\t"), "report.txt:7:1:", "空行"), id="header-without-page-break"
        ),
        pytest.param(
            *(_table(PILLAR, "", "施策\t課\t内容\t\t"), "report.txt:8:1:", "見出し行"), id="page-break-without-header"
        ),
        pytest.param(
            *(_table(PILLAR, "施策\t課  課\t内容\t\t"), "report.txt:7:5:", "空白1つ"), id="double-space-in-departments"
        ),
        pytest.param(
            *(_table(PILLAR, "施策\t地域安全課 全庁\t内容\t\t"), "report.txt:7:4:", "全庁 地域安全課"),
            id="not-representable",
        ),
        pytest.param(
            *(
                _table(PILLAR, header="主要な施策\t担当課\t施策の内容\t前年度\t本年度"),
                "report.txt:5:17:",
                "年度の見出し",
            ),
            id="year-heading",
        ),
        pytest.param(*("■ 表題だけ\n", "report.txt:2:1:", "見出し行"), id="title-only"),
        pytest.param(*("", "report.txt:1:1:", "空です"), id="empty"),
        pytest.param(*("\n\n\n", "report.txt:1:1:", "空です"), id="blank-lines-only"),
    ],
)
def test_bad_input_gets_the_place_and_what_was_expected(text: str, place: str, expected: str) -> None:
    message = _error(text)
    assert message.startswith(place), message
    assert expected in message
    assert "\n" not in message


def test_a_binary_file_is_refused() -> None:
    assert _error(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").startswith("report.txt:3:1:")


def test_undecodable_bytes_are_refused_not_turned_into_mojibake() -> None:
    message = _error("■ 表題\n".encode() + b"\x81\xff\xfe")
    assert message.startswith("report.txt:2:1:")
    assert "UTF-8 または Shift_JIS" in message


def test_a_stray_control_character_is_refused() -> None:
    assert _error(_table(PILLAR, "施策\t課\t内\x07容\t\t")).startswith("report.txt:7:7:")


def test_a_document_round_trips_through_render_and_parse(seed_bytes: bytes) -> None:
    document = table_text.parse(seed_bytes)
    changed = dataclasses.replace(document, title="別の表題", trailing_newlines=1)
    assert table_text.parse(table_text.render(changed)) == changed
