"""Targets of a measure's indicators (issue 15, part 1): set on the staff pages, revised without losing the
original, refused with a specific Japanese message and nothing written when they cannot hold."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from shishin.plans.actions import evaluation
from shishin.plans.models import Indicator, Measure, Plan, Record, Target
from shishin.report import targets_workbook

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


def _patrol(plan: Plan) -> Measure:
    return Measure.objects.get(plan=plan, title=PATROL)


def _target(**changes: str) -> dict[str, str]:
    fields = {
        "indicator": "パトロール回数",
        "kind": "output",
        "direction": "increase",
        "baseline_year": "2017",
        "baseline_value": "589",
        "target_year": "2022",
        "target_value": "650",
        "reason": "",
    }
    return fields | changes


def test_an_administrator_sets_a_target_and_revises_it_keeping_the_original(seeded: Plan, people: People) -> None:
    measure = _patrol(seeded)
    alice = signed_in(people.alice)
    url = f"/staff/plans/{seeded.pk}/measures/{measure.pk}/targets/"
    page = alice.get(url).content.decode()
    # The measure's indicators as read from its records, each with its unit, none with a target yet.
    assert "パトロール回数（回）" in page and "目標は未設定です" in page

    answer = alice.post(url + "set/", _target(), follow=True).content.decode()
    assert "指標「パトロール回数」の目標を設定しました" in answer
    assert "589回（平成29年度（2017年度））" in answer and "650回（令和4年度（2022年度））" in answer

    # A revision needs a reason; without one nothing is written.
    refused = alice.post(url + "set/", _target(target_value="700"), follow=True).content.decode()
    assert "見直しの理由を書いてください" in refused
    assert Target.objects.filter(measure=measure).count() == 1

    revised = alice.post(url + "set/", _target(target_value="700", reason="協議会で上方修正"), follow=True)
    shown = revised.content.decode()
    assert "目標を見直しました" in shown
    assert "700回（令和4年度（2022年度））" in shown and "当初 650回" in shown and "協議会で上方修正" in shown
    targets = list(Target.objects.filter(measure=measure).order_by("set_at", "pk"))
    assert [t.target_value for t in targets] == [Decimal(650), Decimal(700)]
    assert targets[-1].set_by == people.alice

    # The same target again changes nothing.
    again = alice.post(url + "set/", _target(target_value="700", reason="再送"), follow=True).content.decode()
    assert "変更はありません" in again and Target.objects.filter(measure=measure).count() == 2

    assert f"/staff/plans/{seeded.pk}/targets/" in alice.get("/staff/").content.decode()  # from the staff home
    plan_page = alice.get(f"/staff/plans/{seeded.pk}/targets/").content.decode()
    assert PATROL in plan_page and "700回" in plan_page and "見直し1回" in plan_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"indicator": "放置自転車の撤去台数"}, "指標「放置自転車の撤去台数」はありません"),
        ({"target_year": "2015"}, "目標年度（平成27年度（2015年度））が基準年度（平成29年度（2017年度））より前です"),
        ({"baseline_value": "-3"}, "基準値「-3」は 0 以上の数で書いてください"),
        ({"target_value": "たくさん"}, "目標値は数で書いてください"),
        ({"kind": "both"}, "指標の種類を選んでください"),
        ({"baseline_year": "18"}, "基準年度「18」は 1868 から 2200 までの年度（西暦）で書いてください"),
        ({"target_value": "1E+20"}, "目標値「1E+20」は整数14桁・小数4桁までで書いてください"),
        ({"target_value": "650.00001"}, "目標値「650.00001」は整数14桁・小数4桁までで書いてください"),
    ],
)
def test_a_target_that_cannot_hold_is_refused_and_nothing_is_written(
    seeded: Plan, people: People, changes: dict[str, str], message: str
) -> None:
    measure = _patrol(seeded)
    answer = signed_in(people.alice).post(
        f"/staff/plans/{seeded.pk}/measures/{measure.pk}/targets/set/", _target(**changes), follow=True
    )
    assert message in answer.content.decode()
    assert not Target.objects.exists()


def test_only_administrators_set_targets(seeded: Plan, people: People) -> None:
    measure = _patrol(seeded)
    url = f"/staff/plans/{seeded.pk}/measures/{measure.pk}/targets/"
    assert signed_in(people.bob).get(url).status_code == 403
    assert signed_in(people.bob).post(url + "set/", _target()).status_code == 403
    assert signed_in(people.dave).get(f"/staff/plans/{seeded.pk}/targets/").status_code == 403
    assert not Target.objects.exists()


def _upload(client: Client, plan: Plan, workbook: Workbook) -> str:
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("目標.xlsx", data.getvalue())
    answer = client.post(f"/staff/plans/{plan.pk}/targets/upload/", {"workbook": upload}, follow=True)
    return str(answer.content.decode())


def _row_of(sheet: Any, indicator: str) -> int:
    rows = sheet.iter_rows(min_row=2)
    return int(next(row[0].row for row in rows if row[0].value == PATROL and row[1].value == indicator))


def test_targets_in_bulk_from_the_workbook_all_or_none(seeded: Plan, people: People) -> None:
    alice = signed_in(people.alice)
    answer = alice.get(f"/staff/plans/{seeded.pk}/targets.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(answer.content))
    sheet = workbook["目標"]
    assert [c.value for c in sheet[1]][:3] == ["施策", "指標", "単位"]
    patrols, vehicles = _row_of(sheet, "パトロール回数"), _row_of(sheet, "車両数")
    assert sheet.cell(patrols, 3).value == "回" and sheet.cell(patrols, 9).value is None
    filled: list[tuple[int, list[str | int]]] = [
        (patrols, ["活動指標", "増やす", 2017, 589, 2022, 650]),
        (vehicles, ["活動指標", "維持", "2017年度", "15", 2022, "１５"]),
    ]
    for row, values in filled:
        for column, value in zip("DEFGHI", values, strict=True):
            sheet[f"{column}{row}"] = value

    # One bad cell: the cell is named and no row is saved.
    sheet[f"G{vehicles}"] = "十五台"
    assert f"目標!G{vehicles}" in _upload(alice, seeded, workbook)
    sheet[f"G{vehicles}"] = "15"
    sheet[f"C{vehicles}"] = "人"
    refused = _upload(alice, seeded, workbook)
    assert f"目標の{vehicles}行目: 目標の単位「人」は指標「車両数」の単位「台」と違います" in refused
    assert not Target.objects.exists()

    sheet[f"C{vehicles}"] = "台"
    assert "目標を 2 件設定・見直しました" in _upload(alice, seeded, workbook)
    measure = _patrol(seeded)
    assert {(t.indicator, t.target_value) for t in Target.objects.filter(measure=measure)} == {
        ("パトロール回数", Decimal(650)),
        ("車両数", Decimal(15)),
    }
    # Downloaded again, the targets in force are filled in; a revision without a reason is refused by row.
    again = load_workbook(io.BytesIO(alice.get(f"/staff/plans/{seeded.pk}/targets.xlsx").content))["目標"]
    assert again.cell(patrols, 9).value == 650 and again.cell(patrols, 4).value == "活動指標"
    sheet[f"I{patrols}"] = 700
    assert f"目標の{patrols}行目: 指標「パトロール回数」の目標を見直すときは、見直しの理由を書いてください" in _upload(
        alice, seeded, workbook
    )
    assert Target.objects.count() == 2


def _years(page: str) -> list[tuple[str, str, str, str]]:
    """The rows of the first 年度別の達成状況 table: year, actual, rate, grade."""
    table = page.split("年度別の達成状況", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>', table)


def test_achievement_and_grades_are_computed_and_follow_the_plans_scale(seeded: Plan, people: People) -> None:
    measure = _patrol(seeded)
    alice = signed_in(people.alice)
    url = f"/staff/plans/{seeded.pk}/measures/{measure.pk}/targets/"
    alice.post(url + "set/", _target())
    # The patrols: 589 in FY2017 (the baseline), 472 in FY2018; the target 650 by FY2022.
    assert _years(alice.get(url).content.decode()) == [
        ("平成29年度（2017年度）", "589回", "90.6%", "A"),
        ("平成30年度（2018年度）", "472回", "72.6%", "C"),
    ]
    # A scale of the plan's own: the grades are computed again from it; a scale with overlapping bands
    # is refused and the one in force stays.
    refused = alice.post(
        f"/staff/plans/{seeded.pk}/grades/save/",
        {"bands": "◎ 90\n○ 95\n△", "no_target": "－", "no_value": "未把握"},
        follow=True,
    )
    assert "範囲が重なっています" in refused.content.decode()
    saved = alice.post(
        f"/staff/plans/{seeded.pk}/grades/save/",
        {"bands": "◎ 100\n○ 70\n△", "no_target": "－", "no_value": "未把握"},
        follow=True,
    )
    assert "評価の段階を保存しました" in saved.content.decode()
    assert [grade for *_, grade in _years(alice.get(url).content.decode())] == ["○", "○"]
    # A number the staff say is not an indicator is no actual value: FY2018 has none then.
    record = Record.objects.get(measure=measure, fiscal_year__year=2018, department__name="地域安全課")
    patrols = Indicator.objects.get(item__record=record, read_label="パトロール回数")
    Indicator.objects.filter(pk=patrols.pk).update(hidden=True)
    assert _years(alice.get(url).content.decode())[1] == ("平成30年度（2018年度）", "—", "—", "未把握")


def test_a_figure_written_twice_counts_once(seeded: Plan, people: People) -> None:
    """「小学校全9校の通学路点検」 is written by 学務課 (【交通対策課所管】) and by 交通対策課: 9 schools, not 18."""
    measure = Measure.objects.get(plan=seeded, title="学校等における安全対策")
    assert evaluation.actuals(measure, "小学校")[2018] == Decimal(9)


def test_the_targets_workbook_reads_back_text_starting_with_equals() -> None:
    written = targets_workbook.render([targets_workbook.TargetRow(0, "=見守り活動", "=参加者", "人")])
    (row,) = targets_workbook.parse(written)
    assert (row.measure, row.indicator, row.unit, row.blank) == ("=見守り活動", "=参加者", "人", True)
