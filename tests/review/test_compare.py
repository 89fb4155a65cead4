from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shishin.plans.models import Plan

from ..helpers import imported, row, run

pytestmark = pytest.mark.django_db


def _compare(*extra: str) -> dict[str, Any]:
    status, out, err = run("compare", "2017", "2018", "--format", "json", *extra)
    assert status == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def _group(data: dict[str, Any], measure: str, department: str) -> dict[str, Any]:
    (group,) = [g for g in data["groups"] if (g["measure"], g["department"]) == (measure, department)]
    result: dict[str, Any] = group
    return result


def test_indicators_are_matched_by_measure_department_and_label(seeded: Plan) -> None:
    patrol = _group(_compare(), "CoCoパトロール隊による地域パトロール", "地域安全課")
    assert patrol["indicators"] == [
        {"label": "車両数", "unit": "台", "before": 15, "after": 15, "change": 0, "percent": 0, "approximate": False},
        {
            "label": "パトロール回数",
            "unit": "回",
            "before": 589,
            "after": 472,
            "change": -117,
            "percent": -19.9,
            "approximate": False,
        },
        {
            "label": "距離",
            "unit": "km",
            "before": 9588,
            "after": 7714,
            "change": -1874,
            "percent": -19.5,
            "approximate": False,
        },
    ]
    assert patrol["items"]["unchanged"] == ["車両数 15台"]
    assert patrol["items"]["changed"][0] == {"before": "パトロール回数 589回", "after": "パトロール回数 472回"}


def test_small_wording_changes_still_match(tmp_path: Path) -> None:
    imported(tmp_path, row("施策1", "課A", "内容", "【課A】 ・メール配信数 16件", "【課A】 ・メールの配信数 27件"))
    (group,) = _compare()["groups"]
    assert [(i["before"], i["after"]) for i in group["indicators"]] == [(16, 27)]


def test_unchanged_new_and_dropped_items_are_listed(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row("施策1", "課A", "内容", "【課A】 ・週1回の巡回 ・防犯教室の開催", "【課A】 ・週1回の巡回 ・ポスターの掲示"),
    )
    (group,) = _compare()["groups"]
    assert group["items"] == {
        "unchanged": ["週1回の巡回"],
        "changed": [],
        "new": ["ポスターの掲示"],
        "dropped": ["防犯教室の開催"],
    }


def test_a_label_repeated_unevenly_is_not_paired_by_guess(tmp_path: Path) -> None:
    imported(
        tmp_path,
        row(
            "施策1",
            "課A",
            "内容",
            "【課A】 ・講座1回（参加者47人）、講座1回（参加者17人）",
            "【課A】 ・講座1回（参加者13人）",
        ),
    )
    (group,) = _compare()["groups"]
    people = [(i["before"], i["after"]) for i in group["indicators"] if i["unit"] == "人"]
    assert sorted(people, key=str) == sorted([(47, None), (17, None), (None, 13)], key=str)


def test_the_summary_states_the_largest_changes_first(seeded: Plan) -> None:
    status, out, _ = run("compare", "2017", "2018", "--summary")
    assert status == 0
    lines = out.splitlines()
    assert "CoCoパトロール隊のパトロール回数は589回から472回へ19.9%減少しました。" in lines
    assert lines[0] == "空家等対策協議会の開催回数は2回から4回へ100.0%増加しました。"
    assert lines[-1].startswith("前年度と同じ記載の取組みは")
    status, out, _ = run("compare", "2017", "2018", "--summary", "--limit", "3")
    assert len(out.splitlines()) == 4


def test_the_text_comparison_is_for_people(seeded: Plan) -> None:
    status, out, _ = run("compare", "2017", "2018")
    assert status == 0
    assert "■ CoCoパトロール隊による地域パトロール【地域安全課】" in out
    assert "  パトロール回数: 平成29年度（2017年度） 589回 → 平成30年度（2018年度） 472回 -117（-19.9%）" in out
