"""Departments' workbooks through the staff pages: an editor downloads their department's workbook from
the task list, fills it in offline and uploads it; the page shows what changes and saves it on
confirmation. The administrator downloads every department's at once and uploads several."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from shishin.plans import actions
from shishin.plans.models import Department, Indicator, Item, Plan, Record
from shishin.report.records import Item as PlainItem

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"
WEBSITE = "市報やホームページ等の活用"  # 地域安全課 reported nothing for it in 2018: an empty record
MAIL = "こがねい安全・安心メール、ツイッター"


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


def _record(title: str, department: str = "地域安全課") -> Record:
    return Record.objects.get(measure__title=title, department__name=department, fiscal_year__year=2019)


def _department(name: str) -> Department:
    return Department.objects.get(name=name)


def _urls(plan: Plan, department: str) -> tuple[str, str]:
    """A department's workbook, and where it is uploaded."""
    base = f"/staff/plans/{plan.pk}/years/2019/departments/{_department(department).pk}/workbook"
    return base + ".xlsx", base + "/check/"


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(sheet: Worksheet, title: str) -> int:
    """The first row of a measure's block on 記入シート."""
    return next(row for row in range(1, sheet.max_row + 1) if str(sheet.cell(row, 3).value or "").startswith(title))


def _upload(client: Client, url: str, *files: tuple[str, bytes]) -> Any:
    uploads = []
    for name, data in files:
        upload = io.BytesIO(data)
        upload.name = name
        uploads.append(upload)
    return client.post(url, {"workbook": uploads})


def _token(page: str) -> str:
    found = re.search(r'name="checked" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _history() -> tuple[int, int]:
    return Record.history.count(), Item.history.count()


def test_an_editor_round_trip_changes_exactly_the_edited_records(plan: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    home = bob.get("/staff/").content.decode()
    assert f'href="{download}"' in home and f'action="{check}"' in home
    response = bob.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = _open(response.content)
    assert workbook.sheetnames[:2] == ["記入シート", "記入方法"]
    sheet = workbook["記入シート"]
    assert sheet["C1"].value == "小金井市防犯指針 令和元年度（2019年度）の取組み 記入シート"
    assert sheet.protection.sheet and sheet.column_dimensions["A"].hidden
    patrol = _row(sheet, PATROL)
    # Last year beside this year's, carried over; only this year's cells and 実績なし take input.
    assert [sheet.cell(patrol + n, 4).value for n in range(3)] == [
        "・車両数 15台",
        "・パトロール回数 472回",
        "・距離 7,714km",
    ]
    assert [sheet.cell(patrol + n, 5).value for n in range(3)] == [
        "・車両数 15台",
        "・パトロール回数 472回",
        "・距離 7,714km",
    ]
    assert not sheet.cell(patrol, 5).protection.locked and sheet.cell(patrol, 4).protection.locked
    assert not sheet.cell(patrol, 6).protection.locked and sheet.cell(patrol, 3).protection.locked
    assert sheet.cell(patrol, 5).number_format == "@"  # what is typed stays text (4/1 is no date)

    sheet.cell(patrol + 1, 5).value = "・パトロール回数 500回"
    sheet.cell(patrol + 2, 5).value = "・距離 8,000km\n・夜間パトロールを開始"  # a line break before ・: two items
    sheet.cell(_row(sheet, WEBSITE), 6).value = "○"
    website, others = (
        _record(WEBSITE),
        Record.objects.filter(fiscal_year__year=2019).exclude(measure__title__in=[PATROL, WEBSITE]),
    )
    versions = dict(others.values_list("pk", "version"))
    others_history = Record.history.filter(id__in=versions).count()
    before = _history()

    page = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook)))
    assert page.status_code == 200
    text = page.content.decode()
    assert "変更のある取組み 2件" in text
    assert "<del>・パトロール回数 472回</del>" in text and "<ins>・夜間パトロールを開始</ins>" in text
    assert "今年度は実績なし" in text and MAIL not in text
    assert _history() == before and _record(PATROL).version == 1  # checking writes nothing

    response = bob.post(f"/staff/plans/{plan.pk}/years/2019/workbooks/save/", {"checked": _token(text)})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert "2 件の取組みを保存しました" in bob.get("/staff/").content.decode()
    patrol_record = _record(PATROL)
    assert (patrol_record.version, patrol_record.state, patrol_record.updated_by) == (2, "draft", people.bob)
    assert patrol_record.plain_items() == (
        PlainItem("車両数 15台"),
        PlainItem("パトロール回数 500回"),
        PlainItem("距離 8,000km"),
        PlainItem("夜間パトロールを開始"),
    )
    assert Indicator.objects.get(item__record=patrol_record, label="距離").value == 8000
    assert Item.history.filter(record_id=patrol_record.pk, history_user=people.bob).count() == 4  # 2 changed, 2 new
    website.refresh_from_db()
    assert (website.no_activity, website.version) == (True, 2)
    # Every other record is as it was: same version, no history row.
    assert dict(others.values_list("pk", "version")) == versions
    assert Record.history.filter(id__in=versions).count() == others_history
    assert not Item.history.filter(record_id__in=versions, history_user=people.bob).exists()
    assert Record.history.count() == before[0] + 2

    # The same workbook again: its changes are saved already, nothing to do (not a conflict).
    again = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook)))
    assert again.status_code == 200 and "変更のある取組みはありません" in again.content.decode()


def test_a_workbook_downloaded_before_someone_else_saved_the_record_is_refused_showing_both(
    plan: Plan, people: People
) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    patrol = _record(PATROL)
    actions.do_save_record(patrol, [PlainItem("車両数 16台")], version=1, by=people.alice)
    sheet = workbook["記入シート"]
    # A block left alone is no conflict: another record's change goes through.
    sheet.cell(_row(sheet, MAIL), 5).value = "・加入登録数 11,000人"
    page = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook)))
    assert page.status_code == 200 and "変更のある取組み 1件" in page.content.decode()
    # Both changed: refused, with the workbook's text and the one saved since; nothing saved.
    sheet.cell(_row(sheet, PATROL), 5).value = "・車両数 17台"
    page = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook)))
    text = page.content.decode()
    assert page.status_code == 409
    assert "ほかの人が同じ取組みを保存しています" in text and "この内容で保存する" not in text
    assert "・車両数 17台" in text and "・車両数 16台" in text and "alice" in text
    assert _record(MAIL).version == 1 and _record(PATROL).plain_items() == (PlainItem("車両数 16台"),)


def test_a_record_saved_between_checking_and_saving_is_a_conflict_and_nothing_is_saved(
    plan: Plan, people: People
) -> None:
    bob = signed_in(people.bob)
    download, check = _urls(plan, "地域安全課")
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    sheet.cell(_row(sheet, PATROL), 5).value = "・車両数 17台"
    sheet.cell(_row(sheet, MAIL), 5).value = "・加入登録数 11,000人"
    token = _token(_upload(bob, check, ("地域安全課.xlsx", _bytes(workbook))).content.decode())
    actions.do_save_record(_record(PATROL), [PlainItem("車両数 16台")], version=1, by=people.alice)
    response = bob.post(f"/staff/plans/{plan.pk}/years/2019/workbooks/save/", {"checked": token})
    assert response.status_code == 409 and "・車両数 17台" in response.content.decode()
    assert _record(MAIL).version == 1  # one upload is one transaction: the other record is not saved either
    # Another person cannot save what bob checked.
    assert (
        signed_in(people.alice)
        .post(f"/staff/plans/{plan.pk}/years/2019/workbooks/save/", {"checked": token})
        .status_code
        == 302
    )
    assert _record(MAIL).version == 1


def _with_picture(data: bytes, size: int) -> bytes:
    """The workbook with a picture of ``size`` bytes that do not compress (a photo)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for part in original.infolist():
            copy.writestr(part, original.read(part))
        copy.writestr("xl/media/image1.png", os.urandom(size), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def test_a_bad_workbook_is_refused_with_its_cell_and_changes_nothing(plan: Plan, people: People) -> None:
    bob, carol = signed_in(people.bob), signed_in(people.carol)
    download, check = _urls(plan, "地域安全課")
    original = bob.get(download).content
    patrol = _row(_open(original)["記入シート"], PATROL)

    def edited(change: Any) -> bytes:
        workbook = _open(original)
        workbook["記入シート"].cell(patrol, 5).value = "・車両数 20台"  # a real change beside the bad one
        change(workbook)
        return _bytes(workbook)

    def another_year(workbook: Workbook) -> None:
        workbook["管理情報"]["B3"] = 2020

    def row_added(workbook: Workbook) -> None:
        workbook["記入シート"].insert_rows(patrol + 1)
        workbook["記入シート"].cell(patrol + 1, 5).value = "・追加した行"

    def formula(workbook: Workbook) -> None:
        workbook["記入シート"].cell(patrol + 1, 5).value = "=1+1"

    def no_activity_with_items(workbook: Workbook) -> None:
        workbook["記入シート"].cell(patrol, 6).value = "○"

    carols = carol.get(_urls(plan, "学務課")[0]).content
    cases = [
        (
            carols,
            "学務課.xlsx:記入シート!C2: このブックは学務課の記入用です。地域安全課のブックをアップロードしてください",
        ),
        (
            edited(another_year),
            "記入シート!C1: このブックは令和2年度（2020年度）の記入用です。令和元年度（2019年度）の",
        ),
        (edited(row_added), f"記入シート!E{patrol + 1}: 表の行が追加または削除されています（{patrol + 1}行目）"),
        (edited(formula), f"記入シート!E{patrol + 1}: 数式（=1+1）は取り込めません"),
        (
            edited(no_activity_with_items),
            f"記入シート!F{patrol}: 「実績なし」に「○」を付けた施策は、今年度の取組みを空に",
        ),
        (
            _with_picture(edited(lambda w: None), 10 * 2**20),
            "記入シート.xlsx:-: ファイルが大きすぎます（10.0 MB）。取り込める Excel ブックは 8 MB までです",
        ),
        (b"not a workbook", "Excel ブック（.xlsx）として開けません"),
    ]
    before = _history()
    for data, message in cases:
        name = "学務課.xlsx" if data is carols else "記入シート.xlsx"
        page = _upload(bob, check, (name, data))
        assert page.status_code == 400, message
        text = page.content.decode()
        assert message in text and "何も保存していません" in text and "この内容で保存する" not in text
    assert _history() == before and _record(PATROL).version == 1


def test_only_a_departments_editors_and_the_administrator_use_its_workbook(plan: Plan, people: People) -> None:
    download, check = _urls(plan, "地域安全課")
    assert Client().get(download).status_code == 302  # to sign in
    for person in (people.carol, people.dave, people.erin):
        client = signed_in(person)
        assert client.get(download).status_code == 403
        assert _upload(client, check, ("x.xlsx", b"")).status_code == 403
    assert signed_in(people.bob).get(f"/staff/plans/{plan.pk}/years/2019/workbooks.zip").status_code == 403
    assert _upload(signed_in(people.bob), f"/staff/plans/{plan.pk}/years/2019/workbooks/check/").status_code == 403
    assert signed_in(people.alice).get(download).status_code == 200

    # A submitted record is in the workbook for reading, locked: changing it anyway is refused.
    bob = signed_in(people.bob)
    patrol = _record(PATROL)
    actions.do_submit_record(patrol, version=1, by=people.bob)
    workbook = _open(bob.get(download).content)
    sheet = workbook["記入シート"]
    row = _row(sheet, PATROL)
    assert sheet.cell(row, 5).protection.locked and "提出済みのため変更できません" in str(sheet.cell(row, 3).value)
    sheet.cell(row, 5).value = "・車両数 99台"
    page = _upload(bob, check, ("地域安全課.xlsx", _bytes(workbook)))
    assert page.status_code == 400
    assert f"記入シート!E{row}: 「{PATROL}」は提出済みのため変更できません" in page.content.decode()


def test_the_administrator_downloads_every_workbook_as_a_zip_and_uploads_several(plan: Plan, people: People) -> None:
    alice = signed_in(people.alice)
    board = alice.get(f"/staff/plans/{plan.pk}/years/2019/").content.decode()
    assert f'href="/staff/plans/{plan.pk}/years/2019/workbooks.zip"' in board and " multiple " in board
    response = alice.get(f"/staff/plans/{plan.pk}/years/2019/workbooks.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    asked = Department.objects.filter(records__fiscal_year__year=2019).distinct().count()
    assert len(names) == asked and "2019_地域安全課_記入用.xlsx" in names
    files = []
    for name, title in [("2019_地域安全課_記入用.xlsx", PATROL), ("2019_学務課_記入用.xlsx", None)]:
        workbook = _open(archive.read(name))
        sheet = workbook["記入シート"]
        sheet.cell(_row(sheet, title) if title else 6, 5).value = f"・{name}から"
        files.append((name, _bytes(workbook)))
    page = _upload(alice, f"/staff/plans/{plan.pk}/years/2019/workbooks/check/", *files)
    text = page.content.decode()
    assert page.status_code == 200 and "地域安全課（2019_地域安全課_記入用.xlsx）: 変更のある取組み 1件" in text
    assert "学務課（2019_学務課_記入用.xlsx）: 変更のある取組み 1件" in text
    response = alice.post(f"/staff/plans/{plan.pk}/years/2019/workbooks/save/", {"checked": _token(text)})
    assert response["Location"] == f"/staff/plans/{plan.pk}/years/2019/"
    changed = Record.objects.filter(fiscal_year__year=2019, items__text__endswith="_記入用.xlsxから")
    assert sorted(r.department.name for r in changed if r.department) == ["地域安全課", "学務課"]
    assert {r.updated_by for r in changed} == {people.alice}


@pytest.mark.django_db(transaction=True)  # the live server needs committed data
@pytest.mark.markup
def test_the_workbook_pages_have_no_wcag_violation(
    live_server: Any, seeded: Plan, people: People, default_units: None, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from .test_accessibility import ARGS, AXE, CHROMIUM, _violations

    assert AXE.exists(), "axe-core is missing: `make test` installs it (npm ci)"
    actions.do_open_fiscal_year(seeded, 2019, deadline=None, by=people.alice)
    site = str(live_server.url)
    download, _ = _urls(seeded, "地域安全課")

    def edited(client: Client, url: str, name: str, row_text: dict[str, str]) -> str:
        workbook = _open(client.get(url).content)
        sheet = workbook["記入シート"]
        for title, text in row_text.items():
            sheet.cell(_row(sheet, title), 5).value = text
        path = tmp_path / name
        path.write_bytes(_bytes(workbook))
        return str(path)

    bob, alice = signed_in(people.bob), signed_in(people.alice)
    changed = edited(bob, download, "地域安全課.xlsx", {PATROL: "・車両数 16台", MAIL: "・加入登録数 11,000人"})
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for client, start, uploads in [
            (bob, "/staff/", [("変更のある取組み 2件", [changed]), ("取り込めないブックがあります", [str(bad)])]),
            (alice, f"/staff/plans/{seeded.pk}/years/2019/", [("ほかの人が先に保存した取組み", [changed])]),
        ]:
            if client is alice:
                actions.do_save_record(_record(PATROL), [PlainItem("車両数 20台")], version=1, by=people.alice)
            context = browser.new_context(bypass_csp=True)  # axe is injected as a script
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
            page = context.new_page()
            page.goto(site + start)
            if violations := _violations(page):
                found[start] = violations
            for expected, files in uploads:
                page.set_input_files("input[name=workbook]", files)
                page.get_by_role("button", name="アップロードして変更点を確認する").first.click()
                page.wait_for_load_state()
                assert expected in page.content(), expected
                if violations := _violations(page):
                    found[expected] = violations
            context.close()
        browser.close()
    assert found == {}
