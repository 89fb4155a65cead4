"""Published editions: what a city has published never changes under it; corrections are new editions."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import subprocess
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from shishin.plans import actions
from shishin.plans.models import Department, Edition, FiscalYear, Measure, Plan, Record
from shishin.report import formats
from shishin.report.records import Item
from shishin.web.front import Remembered

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, approve_all, correct_and_republish, publish, signed_in, wsgi_get

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"
FORMATS = ("text", "html", "xlsx", "csv", "json", "pdf")
EVALUATION_FORMATS = ("json", "xlsx", "pdf", "text")


def workbook_of(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def _published(plan: Plan, year: int, edition: int | None = None) -> dict[str, bytes]:
    """The page and every download of a year, as a visitor gets them."""
    base = f"/plans/{plan.pk}/years/{year}/" + (f"editions/{edition}/" if edition else "")
    answers = {"page": Client().get(base)}
    answers |= {format: Client().get(f"{base}report.{format}") for format in FORMATS}
    assert all(a.status_code == 200 for a in answers.values()), {k: a.status_code for k, a in answers.items()}
    evaluated = {f"eval-{format}": Client().get(f"{base}evaluation.{format}") for format in EVALUATION_FORMATS}
    if evaluated["eval-json"].status_code == 200:  # published through Shishin, not imported: with its evaluation
        assert all(a.status_code == 200 for a in evaluated.values()), {k: a.status_code for k, a in evaluated.items()}
        answers |= evaluated
    return {name: answer.content for name, answer in answers.items()}


@pytest.fixture
def fy2019(seeded_2019_open: Plan) -> FiscalYear:
    """2019 opened for collection by alice, made once for the run (`seeded_2019_open`)."""
    return FiscalYear.objects.get(plan=seeded_2019_open, year=2019)


def _open_2019(plan: Plan, people: People) -> FiscalYear:
    actions.do_open_fiscal_year(plan, 2019, deadline=None, by=people.alice)
    return FiscalYear.objects.get(plan=plan, year=2019)


def _approve_all(fiscal_year: FiscalYear, people: People) -> None:
    approve_all(fiscal_year, admin=people.alice, editor=people.bob)


def _publish(fiscal_year: FiscalYear, people: People) -> Edition:
    edition: Edition = publish(fiscal_year, admin=people.alice, editor=people.bob)
    return edition


def test_an_imported_report_is_its_years_first_edition(seeded: Plan, seed_bytes: bytes) -> None:
    edition = Edition.objects.get(fiscal_year__plan=seeded)
    assert (edition.fiscal_year.year, edition.number, edition.source) == (2018, 1, "imported")
    text = edition.files.get(format="text")
    assert (text.sha256, text.size) == (hashlib.sha256(seed_bytes).hexdigest(), len(seed_bytes))
    # The year shown only as the previous-year column has no edition of its own.
    assert Client().get(f"/plans/{seeded.pk}/years/2017/").status_code == 404
    page = Client().get(f"/plans/{seeded.pk}/years/2018/").content.decode()
    assert edition.label.startswith("第1版 ") and edition.label.endswith("取込み")  # its own date is not known
    assert edition.label in page
    assert Client().get(f"/plans/{seeded.pk}/years/2018/editions/1/report.text").content == seed_bytes
    assert Client().get(f"/plans/{seeded.pk}/years/2018/editions/2/").status_code == 404


def test_changing_the_plan_for_the_next_year_leaves_the_published_year_byte_for_byte(
    seeded: Plan, people: People
) -> None:
    before = _published(seeded, 2018)
    fiscal_year = _open_2019(seeded, people)
    renamed = Measure.objects.get(title="CoCoパトロール車による広報")
    actions.do_rename_measure(
        renamed, fiscal_year, title="青色回転灯車による広報", description="改めた説明", by=people.alice
    )
    patrol = Measure.objects.get(title=PATROL)
    actions.do_add_measure(
        fiscal_year,
        pillar=patrol.pillar,
        area=patrol.area,
        title="防犯ボランティアの育成",
        description="",
        departments=["新設推進課"],
        by=people.alice,
    )
    actions.do_rename_department(
        Department.objects.get(name="地域安全課"), fiscal_year, name="地域安全推進課", by=people.alice
    )
    # The year shown as the previous-year column is corrected too.
    fy2017 = FiscalYear.objects.get(plan=seeded, year=2017)
    actions.do_reopen_year(fy2017, reason="前年度の数値の確認", by=people.alice)
    record = Record.objects.get(fiscal_year=fy2017, measure__title=PATROL)
    actions.do_save_record(record, [Item("下書き 999回")], version=record.version, by=people.alice)
    assert _published(seeded, 2018) == before
    assert _published(seeded, 2018, edition=1) | {"page": before["page"]} == before


def test_a_correction_is_the_next_edition_and_the_first_stays_as_it_was(
    seeded: Plan, people: People, django_capture_on_commit_callbacks: Any, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019
    first = _publish(fiscal_year, people)
    assert (first.number, first.source, first.published_by, first.corrections) == (1, "published", people.alice, [])
    assert sorted(first.files.values_list("format", flat=True)) == sorted([*FORMATS, "eval-json"])  # + its evaluation
    published = _published(seeded, 2019)
    actions.do_reopen_year(fiscal_year, reason="パトロール回数の誤り", by=people.alice)
    assert _published(seeded, 2019) == published  # reopened: edition 1 is still what the public sees

    record = Record.objects.get(fiscal_year=fiscal_year, measure__title=PATROL, department__name="地域安全課")
    items = [Item(i.text.replace("472回", "480回"), i.bullet) for i in record.items.order_by("position")]
    with django_capture_on_commit_callbacks(execute=True):  # as when the publishing commits
        second = correct_and_republish(record, items, admin=people.alice, editor=people.bob)
    assert second.number == 2
    assert second.corrections == [
        {
            "measure": PATROL,
            "field": "取組み",
            "department": "地域安全課",
            "year": 2019,
            "before": "・車両数 15台\n・パトロール回数 472回\n・距離 7,714km",
            "after": "・車両数 15台\n・パトロール回数 480回\n・距離 7,714km",
        }
    ]
    page = Client().get(f"/plans/{seeded.pk}/years/2019/").content.decode()
    assert "第2版" in page and "正誤表" in page and "パトロール回数 480回" in page
    assert "パトロール回数 472回" in page[page.index("<h2>正誤表") : page.index("<h2>取組み状況")]
    # Edition 1 stays downloadable, with the bytes it was published with.
    again = _published(seeded, 2019, edition=1)
    for file in first.files.all():
        assert hashlib.sha256(again[file.format]).hexdigest() == file.sha256
        assert again[file.format] == published[file.format]
    old_page = again["page"].decode()
    assert "この版は訂正されています" in old_page and "パトロール回数 472回" in old_page

    # Every format of edition 2 but the table text carries its label and its 正誤表.
    files = _published(seeded, 2019, edition=2)
    data = json.loads(files["json"])
    assert data["edition"] == second.label and data["corrections"] == second.corrections
    assert second.label in files["html"].decode() and "正誤表（前の版からの訂正）" in files["html"].decode()
    workbook = workbook_of(files["xlsx"])
    rows = list(workbook["正誤表"].values)
    assert rows[0] == ("施策", "項目", "担当課", "年度", "訂正前", "訂正後") and rows[1][:4] == (
        PATROL,
        "取組み",
        "地域安全課",
        "令和元年度",
    )
    assert "正誤表" not in workbook_of(published["xlsx"]).sheetnames  # edition 1 had nothing to correct
    table = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert {row["版"] for row in table} == {second.label}
    corrected = [row for row in table if row["訂正（前の版の記載）"]]
    assert [(r["施策"], r["担当課"], r["年度（西暦）"], r["項目番号"]) for r in corrected] == [
        (PATROL, "地域安全課", "2019", "1")
    ]
    assert corrected[0]["訂正（前の版の記載）"] == "取組み: ・車両数 15台\n・パトロール回数 472回\n・距離 7,714km"
    pdf_text = subprocess.run(["pdftotext", "-", "-"], input=files["pdf"], capture_output=True, check=True).stdout
    assert "正誤表" in pdf_text.decode() and "480回" in pdf_text.decode()
    assert b"\xe6\xad\xa3\xe8\xaa\xa4\xe8\xa1\xa8" not in files["text"]  # 正誤表: the text is the table alone


def test_a_stored_file_that_changed_is_refused_not_served(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    fiscal_year = fy2019
    edition = _publish(fiscal_year, people)
    file = edition.files.get(format="csv")
    with file.content.open("wb") as stored:
        stored.write(b"forged")
    response = Client().get(f"/plans/{seeded.pk}/years/2019/report.csv")
    assert response.status_code == 500
    assert "公表時から変わっている" in response.content.decode()
    assert b"forged" not in response.content


def test_a_failure_while_writing_an_edition_publishes_nothing(
    seeded: Plan, people: People, monkeypatch: pytest.MonkeyPatch, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019

    def broken(*_: Any) -> bytes:
        raise RuntimeError("the PDF renderer failed")

    monkeypatch.setitem(formats.FORMATS, "pdf", dataclasses.replace(formats.FORMATS["pdf"], render=broken))
    with pytest.raises(RuntimeError):
        _publish(fiscal_year, people)
    fiscal_year.refresh_from_db()
    assert fiscal_year.status == "locked" and not fiscal_year.editions.exists()
    assert Client().get(f"/plans/{seeded.pk}/years/2019/").status_code == 404


def test_publishing_twice_makes_one_edition(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    fiscal_year = fy2019
    _publish(fiscal_year, people)
    with pytest.raises(actions.ActionError):
        actions.do_publish_year(fiscal_year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    assert fiscal_year.editions.count() == 1


def test_an_editors_message_is_never_cached_into_the_public_page(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019
    record = Record.objects.get(fiscal_year=fiscal_year, measure__title=PATROL, department__name="地域安全課")
    refused = signed_in(people.bob).post(f"/staff/records/{record.pk}/save/", {"version": "<b>罠</b>", "items": "x"})
    # The message waits in a cookie; the browser keeps it after the session is gone.
    signed_out = Client()
    signed_out.cookies["messages"] = refused.cookies["messages"].value
    assert "版の指定が正しくありません" in signed_out.get(f"/plans/{seeded.pk}/years/2018/").content.decode()
    assert "版の指定が正しくありません" not in Client().get(f"/plans/{seeded.pk}/years/2018/").content.decode()


def test_the_api_lists_the_editions_with_their_files_and_corrections(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019
    first = _publish(fiscal_year, people)
    record = Record.objects.get(fiscal_year=fiscal_year, measure__title=PATROL, department__name="地域安全課")
    correct_and_republish(record, [Item("パトロール回数 480回")], admin=people.alice, editor=people.bob)
    listed = Client().get(f"/api/plans/{seeded.pk}/years/2019/editions").json()
    assert [e["number"] for e in listed] == [2, 1]
    assert [(c["measure"], c["department"], c["after"]) for c in listed[0]["corrections"]] == [
        (PATROL, "地域安全課", "・パトロール回数 480回")
    ]
    assert listed[1]["corrections"] == [] and listed[1]["page"] == f"/plans/{seeded.pk}/years/2019/editions/1/"
    assert [f["format"] for f in listed[1]["files"]] == list(formats.FORMATS)
    for file in listed[1]["files"]:
        content = Client().get(file["url"]).content
        assert hashlib.sha256(content).hexdigest() == file["sha256"] == first.files.get(format=file["format"]).sha256
    # An imported report's formats other than text are written when first asked for: listing them is asking.
    assert Edition.objects.get(fiscal_year__year=2018).files.count() == 1
    imported = Client().get(f"/api/plans/{seeded.pk}/years/2018/editions").json()
    assert Edition.objects.get(fiscal_year__year=2018).files.count() == len(FORMATS)
    for file in imported[0]["files"]:
        content = Client().get(file["url"]).content
        assert hashlib.sha256(content).hexdigest() == file["sha256"]
    assert Client().get(f"/api/plans/{seeded.pk}/years/2017/editions").status_code == 404


def test_what_exists_only_in_a_year_being_collected_is_nowhere_public(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019
    patrol = Measure.objects.get(title=PATROL)
    added = actions.do_add_measure(
        fiscal_year,
        pillar=patrol.pillar,
        area=patrol.area,
        title="防犯ボランティアの育成講座",
        description="地域の担い手を育てる講座",
        departments=["新設推進課"],
        by=people.alice,
    )
    record = Record.objects.get(fiscal_year=fiscal_year, measure=added)
    actions.do_save_record(record, [Item("育成講座 12回（下書き）")], version=record.version, by=people.alice)
    department = Department.objects.get(name="新設推進課")
    visitor = Client()
    assert visitor.get(f"/plans/{seeded.pk}/measures/{added.pk}/").status_code == 404
    assert visitor.get(f"/plans/{seeded.pk}/departments/{department.pk}/").status_code == 404
    public = [
        visitor.get("/").content.decode(),
        visitor.get("/search/", {"q": "パトロール"}).content.decode(),  # its list of departments
        json.dumps(visitor.get(f"/api/plans/{seeded.pk}/measures").json(), ensure_ascii=False),
    ]
    assert not [page for page in public if "育成講座" in page or "新設推進課" in page]
    for query in ("育成講座", "担い手を育てる", "下書き"):
        found = visitor.get("/search/", {"q": query}).content.decode()
        answer = json.dumps(visitor.get("/api/search", {"q": query}).json(), ensure_ascii=False)
        for page in (found, answer):
            assert "防犯ボランティアの育成講座" not in page and "12回（下書き）" not in page, query
    # A measure of the published year stays public.
    assert visitor.get(f"/plans/{seeded.pk}/measures/{patrol.pk}/").status_code == 200
    assert PATROL in [m["title"] for m in visitor.get(f"/api/plans/{seeded.pk}/measures").json()]


def test_the_preview_is_the_next_edition_before_it_is_published(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fiscal_year = fy2019
    record = Record.objects.get(fiscal_year=fiscal_year, measure__title=PATROL, department__name="地域安全課")
    actions.do_save_record(record, [Item("パトロール回数 501回")], version=record.version, by=people.bob)
    _approve_all(fiscal_year, people)
    admin = signed_in(people.alice)
    preview = admin.get(f"/staff/plans/{seeded.pk}/years/2019/preview/").content.decode()
    assert "プレビュー（未公表）" in preview and "第1版になります" in preview and "パトロール回数 501回" in preview
    pdf = admin.get(f"/staff/plans/{seeded.pk}/years/2019/preview.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert Client().get(f"/plans/{seeded.pk}/years/2019/").status_code == 404
    actions.do_publish_year(fiscal_year, override_reason=SEED_ERRORS_REASON, by=people.alice)
    edition = fiscal_year.editions.get()
    page = Client().get(f"/plans/{seeded.pk}/years/2019/").content.decode()
    # The published page shows the same report table as the preview did.
    table = preview[preview.index("<h2>取組み状況</h2>") :]
    published = page[page.index("<h2>取組み状況</h2>") :]
    assert table[: table.index("</table>")] == published[: published.index("</table>")]
    # And the same table of changes from last year (the preview links no sentences page: nothing is public).
    changes = preview[preview.index('<h2 id="changes">') :]
    assert "パトロール回数" in changes and "501回" in changes and "変化の大きい順に文章で読む" not in changes
    published_changes = page[page.index('<table class="changes">') :]
    assert (
        changes[changes.index('<table class="changes">') :].split("</table>")[0]
        == published_changes.split("</table>")[0]
    )
    assert edition.override_reason == SEED_ERRORS_REASON


def test_errors_stop_publishing_unless_a_reason_is_given(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    fiscal_year = fy2019
    _approve_all(fiscal_year, people)
    with pytest.raises(actions.PublishRefused) as refused:
        actions.do_publish_year(fiscal_year, override_reason="  ", by=people.alice)
    assert {f.code for f in refused.value.findings} == {"description-mismatch"}
    fiscal_year.refresh_from_db()
    assert fiscal_year.status == "locked" and not fiscal_year.editions.exists()
    page = signed_in(people.alice).get(f"/staff/plans/{seeded.pk}/years/2019/publishing/").content.decode()
    assert "点検でエラーが2件あります" in page and "第1版として公表する" in page


def test_a_visitors_download_is_answered_from_memory_with_the_same_headers(
    seeded: Plan, people: People, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.REPORT_PAGE_MEMORY_SECONDS = 600
    front = Remembered(WSGIHandler())
    for path in (f"/plans/{seeded.pk}/years/2018/report.csv", f"/plans/{seeded.pk}/years/2018/editions/1/report.csv"):
        first = wsgi_get(front, path)
        with django_assert_num_queries(0):
            again = wsgi_get(front, path)
        assert again == first and again.status == "200 OK"
        assert again.headers["X-Frame-Options"] == "DENY" and "attachment" in again.headers["Content-Disposition"]
    # A numbered edition's file is kept for good; the current edition's for a while.
    settings.REPORT_PAGE_MEMORY_SECONDS = 0
    with django_assert_num_queries(0):
        wsgi_get(front, f"/plans/{seeded.pk}/years/2018/editions/1/report.csv")
    with CaptureQueriesContext(connection) as queries:
        wsgi_get(front, f"/plans/{seeded.pk}/years/2018/report.csv")
    assert len(queries) > 0
    # Signed in, it is drawn for the person as before.
    session = signed_in(people.alice).cookies[settings.SESSION_COOKIE_NAME].value
    with CaptureQueriesContext(connection) as queries:
        drawn = wsgi_get(front, f"/plans/{seeded.pk}/years/2018/editions/1/report.csv", f"sessionid={session}")
    assert len(queries) > 0 and drawn.body == first.body


def test_the_staff_see_which_years_have_a_report_of_their_own(seeded: Plan, people: People) -> None:
    home = signed_in(people.alice).get("/staff/").content.decode()
    (fy2018,) = [row for row in home.splitlines() if "平成30年度（2018年度）" in row]
    (fy2017,) = [row for row in home.splitlines() if "平成29年度（2017年度）" in row]
    assert "公表済み（第1版）" in fy2018
    assert "前年度の列としてのみ掲載" in fy2017 and "公表済み" not in fy2017
