from __future__ import annotations

import json
from pathlib import Path

import pytest

from shishin.plans.models import Plan

from ..helpers import codes, findings, imported, row, run

pytestmark = pytest.mark.django_db


def test_a_number_in_the_description_that_contradicts_the_records_is_an_error(tmp_path: Path) -> None:
    imported(tmp_path, row("巡回", "課A", "庁用車16台で巡回します。", "【課A】 ・車両数 15台", "【課A】 ・車両数 16台"))
    status, found = findings()
    assert status == 1
    (error,) = [f for f in found if f["code"] == "description-mismatch"]
    assert (error["severity"], error["fiscal_year"], error["measure"], error["item"]) == (
        "error",
        2017,
        "巡回",
        "車両数 15台",
    )
    assert "庁用車16台" in error["message"] and "車両数 15台" in error["message"]


def test_a_description_that_agrees_passes(tmp_path: Path) -> None:
    imported(tmp_path, row("巡回", "課A", "庁用車16台で巡回します。", "【課A】 ・車両数 16台", "【課A】 ・車両数 16台"))
    status, found = findings()
    assert status == 0
    assert not [f for f in found if f["code"] == "description-mismatch"]


def test_the_same_item_under_two_measures_is_flagged_once_per_year(tmp_path: Path) -> None:
    same = "【課A】 ・防犯資機材支給 3団体/支給資機材 27個"
    imported(tmp_path, row("施策1", "課A", "内容", same, "【課A】 ・別の取組み"), row("施策2", "課A", "内容", same, ""))
    assert ("duplicate-item", 2017, "施策2", "課A") in codes()
    assert [c for c in codes() if c[0] == "duplicate-item"] == [("duplicate-item", 2017, "施策2", "課A")]


def test_the_same_item_in_one_measure_is_not_a_duplicate(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row("施策1", "課A 課B", "内容", "", "【課A】 ・封筒に注意喚起文を印刷 【課B】 ・封筒に注意喚起文を印刷"),
    )
    assert not [c for c in codes() if c[0] == "duplicate-item"]


def test_a_listed_department_without_a_record_and_an_unlisted_one_are_flagged(tmp_path: Path) -> None:
    imported(tmp_path, row("施策1", "課A 庶務課", "内容", "【課A】 ・実施", "【課A】 ・実施 【課C】 ・協力"))
    found = codes()
    assert ("missing-record", 2018, "施策1", "庶務課") in found
    assert ("missing-record", 2017, "施策1", "庶務課") in found
    assert ("unlisted-department", 2018, "施策1", "課C") in found
    assert not [c for c in found if c[3] == "課A"]


def test_a_whole_government_measure_takes_any_department(tmp_path: Path) -> None:
    imported(tmp_path, row("施策1", "全庁", "内容", "【課A】 ・実施", "【課B】 ・実施"))
    assert not [c for c in codes() if c[0] in ("missing-record", "unlisted-department")]


def test_text_without_a_department_is_flagged(tmp_path: Path) -> None:
    imported(tmp_path, row("施策1", "課A", "内容", "－", "【課A】 ・実施"))
    assert ("no-department", 2017, "施策1", "") in codes()


def test_an_item_copied_from_last_year_is_a_notice(tmp_path: Path) -> None:
    imported(tmp_path, row("施策1", "課A", "内容", "【課A】 ・週1回の巡回 ・講習会", "【課A】 ・週1回の巡回 ・講演会"))
    status, found = findings()
    copied = [(f["severity"], f["item"]) for f in found if f["code"] == "copied-item"]
    assert copied == [("notice", "週1回の巡回")]
    assert status == 0


def test_two_spellings_of_one_name_are_flagged_where_the_rarer_is(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row("安全・安心メール", "課A", "安全・安心メールで配信", "【課A】 ・安心・安全メールで配信", "【課A】 ・登録"),
    )
    (finding,) = [f for f in findings()[1] if f["code"] == "inconsistent-name"]
    assert (finding["fiscal_year"], finding["item"]) == (2017, "安心・安全メールで配信")
    assert "「安心・安全」（1か所）と「安全・安心」（2か所）" in finding["message"]


def test_one_spelling_throughout_passes(tmp_path: Path) -> None:
    imported(
        tmp_path, row("安全・安心メール", "課A", "内容", "【課A】 ・安全・安心メール ・小・中学校", "【課A】 ・中学校")
    )
    assert not [c for c in codes() if c[0] == "inconsistent-name"]


@pytest.mark.parametrize(("threshold", "flagged"), [("30", True), ("40", False)])
def test_a_large_swing_is_flagged_against_a_configurable_threshold(
    tmp_path: Path, threshold: str, flagged: bool
) -> None:
    imported(
        tmp_path,
        row("施策1", "課A", "内容", "【課A】 ・配信数16件 ・登録数 100人", "【課A】 ・配信数 22件 ・登録数 101人"),
    )
    large = [f for f in findings("--threshold", threshold)[1] if f["code"] == "large-change"]
    assert bool(large) is flagged
    if flagged:
        assert "16件から22件へ+37.5%" in large[0]["message"]


def test_a_date_outside_the_fiscal_year_is_flagged(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row(
            "施策1",
            "課A",
            "内容",
            "【課A】 ・平成30年2月1日より開始",
            "【課A】 ・広報(H30.3.15号) ・平成28年度から継続",
        ),
    )
    found = [(f["fiscal_year"], f["item"]) for f in findings()[1] if f["code"] == "date-outside-year"]
    assert found == [(2018, "広報(H30.3.15号)")]


def test_a_verb_cut_short_is_flagged(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row("施策1", "課A", "内容", "【課A】 ・講座を6回開（参加者159人）", "【課A】 ・講座を7回開催（参加者100人）"),
    )
    found = [f for f in findings()[1] if f["code"] == "truncated-word"]
    assert [(f["fiscal_year"], "「開催」" in f["message"]) for f in found] == [(2017, True)]


def test_the_seed_problems_are_each_reported_in_their_place(seeded: Plan) -> None:
    status, found = findings()
    assert status == 1
    places = {(f["code"], f["fiscal_year"], f["measure"], f["department"]) for f in found}
    patrol = "CoCoパトロール隊による地域パトロール"
    assert ("description-mismatch", 2018, patrol, "地域安全課") in places
    assert ("duplicate-item", 2017, "自主防犯組織等への防犯資機材の支給", "地域安全課") in places
    assert ("missing-record", 2018, "学校等における安全対策", "庶務課") in places
    assert ("inconsistent-name", 2017, "高齢者や障がい者の犯罪被害防止啓発活動の推進", "経済課") in places
    assert ("truncated-word", 2017, "高齢者や障がい者の犯罪被害防止啓発活動の推進", "経済課") in places
    assert ("copied-item", 2018, patrol, "地域安全課") in places
    assert ("large-change", 2018, "こがねい安全・安心メール、ツイッター", "地域安全課") in places


def test_the_text_report_counts_by_severity(seeded: Plan) -> None:
    status, out, _ = run("check", "--year", "2018")
    assert status == 1
    assert out.startswith("平成30年度（2018年度）の点検: エラー 2 件、警告 ")
    assert (
        "[エラー] description-mismatch 平成30年度（2018年度） CoCoパトロール隊による地域パトロール【地域安全課】" in out
    )


def test_the_json_output_follows_the_documented_shape(seeded: Plan) -> None:
    _, out, _ = run("check", "--year", "2018", "--format", "json")
    data = json.loads(out)
    assert set(data) == {"fiscal_year", "counts", "findings"}
    assert set(data["counts"]) == {"error", "warning", "notice"}
    assert sum(data["counts"].values()) == len(data["findings"])
    assert set(data["findings"][0]) == {
        "code",
        "severity",
        "title",
        "message",
        "fiscal_year",
        "measure",
        "measure_id",
        "department",
        "item",
        "item_id",
    }
