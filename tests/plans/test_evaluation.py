"""The evaluation (issue 15, parts 3 and 5): the council's assessment per measure through its steps, and a
year's evaluation table — computed while the year is collected, frozen in the edition that publishes it,
written by `shishin evaluate` as text, JSON, Excel and PDF."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openpyxl import load_workbook

from shishin.plans import actions
from shishin.plans.actions import council
from shishin.plans.models import CouncilAssessment, FiscalYear, Measure, Plan, Record
from shishin.report.records import Item

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, approve_all, run

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"
LIGHTS = "街路灯の整備"


def _record(title: str) -> Record:
    return Record.objects.get(fiscal_year__year=2019, measure__title=title, department__isnull=False)


def _target(measure: Measure, indicator: str, baseline: str, target: str, by: Any, reason: str = "") -> None:
    unit = actions.evaluation.indicators_of(measure)[indicator]
    wanted = actions.TargetIn(
        indicator=indicator,
        unit=unit,
        kind="output",
        direction="increase",
        baseline_year=2018,
        baseline_value=Decimal(baseline),
        target_year=2022,
        target_value=Decimal(target),
        reason=reason,
    )
    actions.do_set_target(measure, wanted, by=by)


@pytest.fixture
def collected(seeded_2019_open: Plan, people: People) -> FiscalYear:
    """FY2019 opened; two targets set (patrols 472 → 600, street lights 34 → 40); 地域安全課 writes 560
    patrols and its own assessment; the council's assessment of the patrols approved after a return, that
    of the street lights left a draft."""
    alice, bob, dave = people.alice, people.bob, people.dave
    seeded = seeded_2019_open
    fiscal_year = FiscalYear.objects.get(plan=seeded, year=2019)
    _target(Measure.objects.get(title=PATROL), "パトロール回数", "472", "600", alice)
    _target(Measure.objects.get(title=LIGHTS), "街路灯新規設置件数", "34", "40", alice)
    record = _record(PATROL)
    actions.do_save_record(
        record,
        [Item("車両数 15台"), Item("パトロール回数 560回"), Item("距離 8,012km")],
        version=record.version,
        by=bob,
        assessment=actions.Assessment("A", "担い手の高齢化", "continue"),
    )
    patrol = council.do_save_council_assessment(
        fiscal_year, record.measure, grade="B", opinion="回数は増えた", version=0, by=dave
    )
    council.do_submit_council_assessment(patrol, version=patrol.version, by=dave)
    council.do_return_council_assessment(patrol, reason="距離にも触れてください", version=patrol.version, by=alice)
    patrol = council.do_save_council_assessment(
        fiscal_year,
        record.measure,
        grade="B",
        opinion="回数も距離も増えた。継続を望む。",
        version=patrol.version,
        by=dave,
    )
    council.do_submit_council_assessment(patrol, version=patrol.version, by=dave)
    council.do_approve_council_assessment(patrol, version=patrol.version, by=alice)
    council.do_save_council_assessment(
        fiscal_year, Measure.objects.get(title=LIGHTS), grade="C", opinion="下書き", version=0, by=dave
    )
    for year, value in ((2018, 1038), (2019, 912), (2020, 800)):  # calendar years; 2020 is past FY2019's
        actions.do_set_outcome(seeded, "刑法犯認知件数", "件", year, Decimal(value), by=alice)
    rows = ["市区町村コード（発生地）,町丁目（発生地）,発生年月日（始期）,発生時（始期）,手口"]
    rows += [f"132101,本町{n % 3 + 1}丁目,2019/{n % 12 + 1:02d}/05,{n % 24},自転車盗" for n in range(7)]
    rows += ["132101,貫井北町1丁目,2019/03/01,22,空き巣", "132101,本町1丁目,2019/04/01,3,空き巣"]
    actions.do_import_police_csv(seeded, "\n".join(rows).encode("cp932"), "2019.csv", 2019, by=alice)
    return fiscal_year


def _published(fiscal_year: FiscalYear, people: People) -> FiscalYear:
    approve_all(fiscal_year, admin=people.alice, editor=people.alice)
    actions.do_publish_year(fiscal_year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    fiscal_year.refresh_from_db()
    return fiscal_year


SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src/shishin/report/schemas/evaluation.schema.json").read_text(encoding="utf-8")
)


def _evaluate(*options: str) -> tuple[int, dict[str, Any], str]:
    """`shishin evaluate --year 2019 --format json`, the document checked against its JSON Schema."""
    status, out, err = run("evaluate", "--year", "2019", "--format", "json", *options)
    document = json.loads(out) if status == 0 else {}
    if document:
        jsonschema.validate(document, SCHEMA)
    return status, document, err


def _measure(document: dict[str, Any], title: str) -> dict[str, Any]:
    return next(m for m in document["measures"] if m["title"] == title)


def test_the_council_assessment_goes_through_the_steps_and_is_kept_in_its_history(collected: FiscalYear) -> None:
    patrol = CouncilAssessment.objects.get(measure__title=PATROL)
    assert (patrol.state, patrol.grade, patrol.returned_because) == (Record.State.APPROVED, "B", "")
    steps = [(h.state, h.history_user.username, h.returned_because) for h in patrol.history.order_by("history_date")]
    assert steps == [
        ("draft", "dave", ""),
        ("submitted", "dave", ""),
        ("returned", "alice", "距離にも触れてください"),
        ("draft", "dave", "距離にも触れてください"),  # the reason stays in sight while it is rewritten
        ("submitted", "dave", ""),
        ("approved", "alice", ""),
    ]


def test_a_council_assessment_that_cannot_hold_is_refused_by_name_and_nothing_is_written(
    collected: FiscalYear, people: People
) -> None:
    lights = CouncilAssessment.objects.get(measure__title=LIGHTS)
    patrol = CouncilAssessment.objects.get(measure__title=PATROL)
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: council.do_save_council_assessment(
                collected, lights.measure, grade="Z", opinion="", version=lights.version, by=people.dave
            ),
            "協議会の評価「Z」は、この指針の評価の段階（S・A・B・C）のいずれかです",
        ),
        (
            lambda: council.do_save_council_assessment(
                collected, lights.measure, grade="C", opinion="x" * 2001, version=lights.version, by=people.dave
            ),
            "協議会の意見は 2,000 文字までです（2,001 文字あります）",
        ),
        (
            lambda: council.do_save_council_assessment(
                collected, lights.measure, grade="C", opinion="古い版から", version=lights.version - 1, by=people.dave
            ),
            "ほかの人が先にこの評価を保存しました",
        ),
        (
            lambda: council.do_save_council_assessment(
                collected, patrol.measure, grade="A", opinion="", version=patrol.version, by=people.dave
            ),
            "この評価は承認済みのため変更できません",
        ),
        (
            lambda: council.do_approve_council_assessment(lights, version=lights.version, by=people.alice),
            "提出された評価だけが承認できます",
        ),
        (
            lambda: council.do_return_council_assessment(patrol, reason=" ", version=patrol.version, by=people.alice),
            "差戻しの理由を書いてください",
        ),
    ]
    for step, message in cases:
        with pytest.raises(actions.ActionError, match=message):
            step()
    lights.refresh_from_db()
    assert (lights.grade, lights.opinion, lights.state) == ("C", "下書き", Record.State.DRAFT)


def test_the_evaluation_is_computed_while_collected_and_frozen_when_published(
    collected: FiscalYear, people: People, tmp_path: Path
) -> None:
    status, draft, err = _evaluate()
    assert status == 0 and "いまのデータで計算した案です" in err
    assert (draft["status"], draft["edition"]) == ("draft", None)

    fiscal_year = _published(collected, people)
    status, document, err = _evaluate()
    assert (status, err) == (0, "")
    assert (document["format"], document["fiscal_year"], document["status"], document["edition"]) == (
        "shishin-evaluation",
        2019,
        "published",
        1,
    )
    patrol = _measure(document, PATROL)
    [patrols] = patrol["indicators"]
    assert {k: patrols[k] for k in ("name", "unit", "actual", "rate", "grade")} == {
        "name": "パトロール回数",
        "unit": "回",
        "actual": 560,
        "rate": 93.3,  # 560 ÷ 600
        "grade": "A",  # within a tenth of the target
    }
    assert patrols["baseline"] == {"fiscal_year": 2018, "value": 472}
    assert patrols["target"] == {"fiscal_year": 2022, "value": 600}
    assert patrols["previous"] == {"fiscal_year": 2018, "value": 472}
    assert patrols["series"] == [
        {"fiscal_year": 2017, "value": 589},
        {"fiscal_year": 2018, "value": 472},
        {"fiscal_year": 2019, "value": 560},
    ]
    [own] = [a for a in patrol["self_assessments"] if a["department"] == "地域安全課"]
    assert (own["grade"], own["issues"], own["outlook_label"]) == ("A", "担い手の高齢化", "継続")
    assert patrol["council"] == {"grade": "B", "opinion": "回数も距離も増えた。継続を望む。"}
    lights = _measure(document, LIGHTS)
    assert [(i["actual"], i["rate"], i["grade"]) for i in lights["indicators"]] == [(34, 85, "C")]  # not improved
    assert lights["council"] is None  # a draft is never published
    # The outcomes by calendar year, up to the fiscal year's own; the police's counts by 町丁目, most first.
    assert {o["name"]: o["years"] for o in document["outcomes"]}["刑法犯認知件数"] == [
        {"calendar_year": 2018, "value": 1038},
        {"calendar_year": 2019, "value": 912},
    ]
    towns = document["crimes_by_town"]
    assert (towns["calendar_year"], towns["crimes"]) == (2019, ["空き巣", "自転車盗"])
    assert [(t["town"], t["counts"], t["total"]) for t in towns["towns"]] == [
        ("本町1丁目", [1, 3], 4),
        ("本町2丁目", [0, 2], 2),
        ("本町3丁目", [0, 2], 2),
        ("貫井北町1丁目", [1, 0], 1),
    ]
    [pillar] = [p for p in document["pillars"] if p["number"] == patrol["pillar"]["number"]]
    assert {g["grade"]: g["count"] for g in pillar["grades"]}["A"] == 1

    # A target revised after publishing changes the draft, never the published evaluation.
    _target(Measure.objects.get(title=PATROL), "パトロール回数", "472", "700", people.alice, "中間見直し")
    assert _measure(_evaluate()[1], PATROL)["indicators"][0]["grade"] == "A"
    redrafted = _measure(_evaluate("--draft")[1], PATROL)["indicators"][0]
    assert (redrafted["rate"], redrafted["grade"]) == (80, "B")  # 560 ÷ 700, better than the baseline

    # Published again (reopened, republished): the next edition, its 正誤表 naming what the evaluation changed.
    actions.do_reopen_year(fiscal_year, reason="目標の見直しを反映", by=people.alice)
    fiscal_year.refresh_from_db()
    actions.do_publish_year(fiscal_year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    second = fiscal_year.editions.get(number=2)
    [changed] = [c for c in second.corrections if c["field"] == "評価"]
    assert changed["measure"] == PATROL
    assert "評価 A" in changed["before"] and "評価 B" in changed["after"]
    assert _evaluate()[1]["edition"] == 2
    assert _measure(_evaluate()[1], PATROL)["indicators"][0]["grade"] == "B"


def test_the_evaluation_is_written_as_text_excel_and_pdf(collected: FiscalYear, people: People, tmp_path: Path) -> None:
    _published(collected, people)
    status, text, _ = run("evaluate", "--year", "2019")
    assert status == 0
    assert "小金井市防犯指針 令和元年度（2019年度） 評価表" in text
    assert "指標 パトロール回数（活動指標・増やす）: 基準 472回（平成30年度）" in text
    assert "実績 560回　達成率 93.3%　評価 A" in text
    assert "協議会の評価 B: 回数も距離も増えた。継続を望む。" in text
    assert "  自己評価 【地域安全課】A・継続\n  課題【地域安全課】担い手の高齢化\n" in text
    # Departments that wrote no assessment are named once a measure, not a line each.
    assert "  自己評価 未記入: 保育課、児童青少年課、交通対策課" in text

    path = tmp_path / "evaluation.xlsx"
    assert run("evaluate", "--year", "2019", "--format", "xlsx", "-o", str(path))[0] == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["評価表", "指標の評価", "自己評価", "協議会の評価", "成果指標", "町丁目別の犯罪"]
    table = workbook["評価表"]
    assert table.print_title_rows == "$3:$3"  # the header on every page
    assert (table.page_setup.orientation, int(table.page_setup.paperSize or 0)) == ("landscape", 9)  # 9: A4
    header = [cell.value for cell in table[3]]
    assert header[:4] == ["基本方針", "施策", "担当課", "指標"]
    rows = {row[3]: row for row in workbook["指標の評価"].iter_rows(min_row=2, values_only=True)}
    assert rows["パトロール回数"][-3:] == (560, 93.3, "A")
    assert rows["街路灯新規設置件数"][-3:] == (34, 85, "C")
    towns = list(workbook["町丁目別の犯罪"].iter_rows(values_only=True))
    assert towns[:2] == [("暦年", "町丁目", "空き巣", "自転車盗", "計"), (2019, "本町1丁目", 1, 3, 4)]
    # Machine-readable: one header row, no merged cells.
    assert all(not workbook[name].merged_cells.ranges for name in workbook.sheetnames[1:])

    pdf = tmp_path / "evaluation.pdf"
    assert run("evaluate", "--year", "2019", "--format", "pdf", "-o", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF")
