"""A department's own assessment (自己評価, 今後の方向性, 課題) through its workbook: prefilled on each block's
first row, read back with the items, shown on the check page when it changes and saved with them; a
workbook downloaded before workbooks carried it leaves the record's as it is."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from shishin.plans import actions
from shishin.plans.models import Item, Plan, Record
from shishin.report.records import Item as PlainItem

from ..conftest import People
from ..helpers import signed_in
from .test_department_workbooks import MAIL, PATROL, _bytes, _open, _row, _token, _upload, _urls

pytestmark = pytest.mark.django_db

GRADE, OUTLOOK, ISSUES = 7, 8, 9  # columns G, H, I of 記入シート


@pytest.fixture
def plan(seeded: Plan, people: People) -> Plan:
    actions.do_open_fiscal_year(seeded, 2019, deadline=None, by=people.alice)
    return seeded


def _record(title: str) -> Record:
    return Record.objects.get(measure__title=title, department__name="地域安全課", fiscal_year__year=2019)


def _save_url(plan: Plan) -> str:
    return f"/staff/plans/{plan.pk}/years/2019/workbooks/save/"


def _assessed(workbook: Workbook, title: str, grade: str | None, outlook: str | None, issues: str | None) -> bytes:
    """The workbook with the assessment cells of ``title``'s block set."""
    sheet = workbook["記入シート"]
    row = _row(sheet, title)
    for column, value in ((GRADE, grade), (OUTLOOK, outlook), (ISSUES, issues)):
        sheet.cell(row, column).value = value
    return _bytes(workbook)


def _history() -> tuple[int, int]:
    return Record.history.count(), Item.history.count()


def test_the_assessment_filled_in_the_workbook_is_shown_and_saved_by_the_uploader(plan: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    assert [sheet.cell(5, column).value for column in (GRADE, OUTLOOK, ISSUES)] == [
        "自己評価",
        "今後の方向性",
        "課題（2,000字まで）",
    ]
    patrol = _row(sheet, PATROL)
    for column in (GRADE, OUTLOOK, ISSUES):
        cell = sheet.cell(patrol, column)
        assert not cell.protection.locked and cell.fill.fgColor.rgb == "00FFF2CC", column  # yellow, to fill in
        assert sheet.cell(patrol + 1, column).protection.locked  # one cell a block, on its first row
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert any(f"G{patrol}" in cells.split() and formula == '"S,A,B,C"' for cells, formula in lists.items())
    assert any(
        f"H{patrol}" in cells.split() and formula == '"拡充,継続,改善,縮小,廃止,完了"'
        for cells, formula in lists.items()
    )
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert any(
        "「今後の方向性」は拡充・継続・改善・縮小・廃止・完了から選びます" in str(row[0].value)
        for row in workbook["記入方法"].rows
    )

    sheet.cell(patrol, 5).value = "・車両数 16台"
    data = _assessed(workbook, PATROL, "A", "改善", "担い手の高齢化\n夜間の人手が足りない")
    before = _history()
    page = _upload(bob, check, ("地域安全課.xlsx", data))
    text = page.content.decode()
    assert page.status_code == 200 and "変更のある取組み 1件" in text
    assert "<dt>自己評価</dt><dd><ins>A</ins>" in text and "<dd><del>（未記入）</del>" in text
    assert "<ins>改善</ins>" in text and "<ins>担い手の高齢化<br>夜間の人手が足りない</ins>" in text
    assert MAIL not in text and _history() == before  # checking writes nothing
    (change,) = _api_dry_run(people.bob, plan, data).json()["changes"]
    assert [change["before"][k] for k in ("self_grade", "outlook", "issues")] == ["", "", ""]
    assert [change["after"][k] for k in ("self_grade", "outlook", "issues")] == [
        "A",
        "improve",
        "担い手の高齢化\n夜間の人手が足りない",
    ]

    response = bob.post(_save_url(plan), {"checked": _token(text)})
    assert response.status_code == 302
    record = _record(PATROL)
    assert (record.self_grade, record.outlook, record.issues) == (
        "A",
        "improve",
        "担い手の高齢化\n夜間の人手が足りない",
    )
    assert record.plain_items()[0] == PlainItem("車両数 16台") and record.version == 2
    saved = record.history.first()
    assert (saved.self_grade, saved.outlook, saved.history_user) == ("A", "improve", people.bob)

    # The next download holds it; the same workbook again changes nothing.
    again = _open(bob.get(download).content)["記入シート"]
    assert [again.cell(patrol, c).value for c in (GRADE, OUTLOOK, ISSUES)] == [
        "A",
        "改善",
        "担い手の高齢化\n夜間の人手が足りない",
    ]
    assert "変更のある取組みはありません" in _upload(bob, check, ("地域安全課.xlsx", data)).content.decode()


def test_an_assessment_alone_edited_is_a_change_that_leaves_the_items_to_confirm(plan: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    # Stored as the record page's form sends it: lines ended \r\n; the workbook reads it back unchanged.
    actions.do_save_assessment(
        _record(MAIL), actions.Assessment("B", "登録者が伸びない\r\n周知が必要", "continue"), version=1, by=people.bob
    )
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    mail = _row(sheet, MAIL)
    assert [sheet.cell(mail, c).value for c in (GRADE, OUTLOOK, ISSUES)] == [
        "B",
        "継続",
        "登録者が伸びない\n周知が必要",
    ]

    # The items of MAIL edited, its assessment left alone: no change of the assessment shown.
    written = sheet.cell(mail, 5).value
    sheet.cell(mail, 5).value = "・加入登録数 11,000人"
    text = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook))).content.decode()
    assert "変更のある取組み 1件" in text and "<dt>自己評価</dt>" not in text
    sheet.cell(mail, 5).value = written

    # PATROL's grade alone: a change, its other fields shown as they stay.
    assert any(item.carried_over for item in _record(PATROL).items.all())
    data = _assessed(workbook, PATROL, "S", None, None)
    text = _upload(bob, check, ("地域安全課.xlsx", data)).content.decode()
    assert "変更のある取組み 1件" in text and PATROL in text and MAIL not in text
    assert "<dt>自己評価</dt><dd><ins>S</ins>" in text and "<dt>今後の方向性</dt><dd>（未記入）</dd>" in text
    assert bob.post(_save_url(plan), {"checked": _token(text)}).status_code == 302
    record = _record(PATROL)
    assert (record.self_grade, record.version, record.state, record.updated_by) == ("S", 2, "draft", people.bob)
    # Its items untouched by the upload stay carried over, to be confirmed on the record page.
    assert all(item.carried_over for item in record.items.all())
    assert record.history.first().history_user == people.bob

    # Changed by someone else since the download: a conflict showing both, nothing saved.
    actions.do_save_assessment(record, actions.Assessment("C"), version=2, by=people.alice)
    page = _upload(bob, check, ("地域安全課.xlsx", _assessed(workbook, PATROL, "B", None, None)))
    text = page.content.decode()
    assert page.status_code == 409 and "ほかの人が先に保存した取組み" in text
    assert "<dt>自己評価</dt><dd>B</dd>" in text and "<dt>自己評価</dt><dd>C</dd>" in text
    assert _record(PATROL).self_grade == "C"


def test_a_record_that_may_not_change_shows_its_assessment_in_grey(plan: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    record = _record(PATROL)
    actions.do_save_assessment(record, actions.Assessment("A", "", "expand"), version=1, by=people.bob)
    actions.do_submit_record(record, version=2, by=people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    patrol = _row(sheet, PATROL)
    for column in (GRADE, OUTLOOK, ISSUES):
        cell = sheet.cell(patrol, column)
        assert cell.protection.locked and cell.fill.fgColor.rgb == "00EDEDED", column
    assert [sheet.cell(patrol, c).value for c in (GRADE, OUTLOOK)] == ["A", "拡充"]
    page = _upload(bob, check, ("地域安全課.xlsx", _assessed(workbook, PATROL, "C", "拡充", None)))
    assert page.status_code == 400
    assert f"記入シート!E{patrol}: 「{PATROL}」は提出済みのため変更できません" in page.content.decode()


@pytest.mark.parametrize(
    ("grade", "outlook", "issues", "column", "message"),
    [
        ("Z", "継続", None, "G", "自己評価「Z」は、この指針の評価の段階（S・A・B・C）から選んでください"),
        (
            "A",
            "やめる",
            None,
            "H",
            "今後の方向性「やめる」は、拡充・継続・改善・縮小・廃止・完了 のいずれかを選んでください",
        ),
        ("A", "継続", "課" * 2001, "I", "課題は 2,000 文字までです（2,001 文字あります）"),
    ],
    ids=["a grade not of the scale", "an outlook not of the list", "課題 too long"],
)
def test_a_bad_assessment_is_refused_with_its_cell_and_nothing_is_written(
    plan: Plan, people: People, grade: str, outlook: str, issues: str | None, column: str, message: str
) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    sheet.cell(_row(sheet, MAIL), 5).value = "・加入登録数 11,000人"  # a good change beside the bad one
    row = _row(sheet, PATROL)
    before = _history()
    page = _upload(bob, check, ("地域安全課.xlsx", _assessed(workbook, PATROL, grade, outlook, issues)))
    text = page.content.decode()
    assert page.status_code == 400
    assert f"地域安全課.xlsx:記入シート!{column}{row}: {message}" in text
    assert "何も保存していません" in text and "この内容で保存する" not in text
    assert _history() == before and _record(PATROL).version == 1 and _record(MAIL).version == 1


def _as_before_the_assessment(workbook: Workbook) -> bytes:
    """The workbook as format 1 wrote it, before workbooks carried the assessment: no assessment columns,
    and each block's digest that of its items and 実績なし as written (the record's, at the download)."""
    workbook["記入シート"].delete_cols(GRADE, 3)
    meta = workbook["管理情報"]
    assert meta["B1"].value == "2"
    meta["B1"].value = "1"
    for row in meta.iter_rows():
        if row[0].value == "record":
            record = Record.objects.get(pk=int(str(row[1].value)))
            said = [[[i.text, i.bullet] for i in record.plain_items()], record.no_activity]
            row[5].value = hashlib.sha256(json.dumps(said, ensure_ascii=False).encode("utf-8")).hexdigest()
    return _bytes(workbook)


def _api_dry_run(user: Any, plan: Plan, data: bytes) -> Any:
    """What the API answers a dry run of ``data``, sent with an API key of ``user``."""
    key = signed_in(user).post("/api/tokens", {"name": "記入用ブック"}, "application/json").json()["key"]
    record = _record(PATROL)
    assert record.department is not None
    path = f"/api/plans/{plan.pk}/years/2019/departments/{record.department.pk}/workbook?dry_run=true"
    upload = io.BytesIO(data)
    upload.name = "地域安全課.xlsx"
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(path, {"workbook": upload})


def test_a_workbook_of_the_format_before_the_assessment_keeps_the_stored_one(plan: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    stored = actions.Assessment("A", "担い手の高齢化", "continue")
    actions.do_save_assessment(_record(PATROL), stored, version=1, by=people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    patrol = _row(sheet, PATROL)
    old = _as_before_the_assessment(workbook)
    assert "変更のある取組みはありません" in _upload(bob, check, ("地域安全課.xlsx", old)).content.decode()

    old_workbook = _open(old)
    old_workbook["記入シート"].cell(patrol, 5).value = "・車両数 16台"
    old = _bytes(old_workbook)
    text = _upload(bob, check, ("地域安全課.xlsx", old)).content.decode()
    assert "変更のある取組み 1件" in text and "<dt>自己評価</dt>" not in text
    after = _api_dry_run(people.bob, plan, old).json()["changes"][0]["after"]
    assert (after["self_grade"], after["issues"], after["outlook"]) == (None, None, None)  # not given

    assert bob.post(_save_url(plan), {"checked": _token(text)}).status_code == 302
    record = _record(PATROL)
    assert record.plain_items()[0] == PlainItem("車両数 16台") and record.version == 3
    assert actions.Assessment(record.self_grade, record.issues, record.outlook) == stored
