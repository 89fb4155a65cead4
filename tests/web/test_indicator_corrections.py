"""Staff correct what the machine read: a label, a number that is not an indicator, the same indicator
across years — on the record page and through the API, kept while the text changes, in the history, and
in what is published (the page's charts, the API, the xlsx 指標 sheet, the JSON, the comparison)."""

from __future__ import annotations

import io
import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from shishin.plans import actions, editions
from shishin.plans.models import FiscalYear, Indicator, IndicatorCorrection, Plan, Record
from shishin.report.records import Item
from shishin.review.compare import compare

from ..conftest import People
from ..helpers import publish, signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


def _patrol(plan: Plan, year: int) -> Record:
    return Record.objects.get(
        fiscal_year__plan=plan, fiscal_year__year=year, measure__title=PATROL, department__name="地域安全課"
    )


def _number(record: Record, read_label: str) -> Indicator:
    return Indicator.objects.get(item__record=record, read_label=read_label)


def _publish_again(fiscal_year: FiscalYear, record: Record, people: People, *, reason: str) -> None:
    """A year reopened and corrected, published as its next edition: the record returned, submitted again
    and approved (the others were approved before)."""
    record.refresh_from_db()
    actions.do_return_record(record, reason="確認", version=record.version, by=people.alice)
    actions.do_submit_record(record, version=record.version, by=people.bob)
    actions.do_approve_record(record, version=record.version, by=people.alice)
    fiscal_year.refresh_from_db()
    actions.do_publish_year(fiscal_year, override_reason=reason, by=people.alice)


@pytest.fixture
def fy2019(seeded_2019_open: Plan) -> FiscalYear:
    return FiscalYear.objects.get(plan=seeded_2019_open, year=2019)


def test_an_editor_corrects_on_the_record_page_and_it_holds_while_the_text_changes(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    record = _patrol(seeded, 2019)
    bob = signed_in(people.bob)
    page = bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert "数値の確認と訂正" in page and "車両数" in page
    vehicles, patrols = _number(record, "車両数"), _number(record, "パトロール回数")
    bob.post(f"/staff/records/{record.pk}/indicators/{vehicles.pk}/", {"label": "車両数", "hidden": "1"})
    answer = bob.post(
        f"/staff/records/{record.pk}/indicators/{patrols.pk}/",
        {"label": "青パト巡回回数", "same_as": "パトロール回数"},
        follow=True,
    )
    assert "を訂正しました" in answer.content.decode()
    assert (_number(record, "車両数").hidden, _number(record, "パトロール回数").label) == (True, "青パト巡回回数")

    # The text changes around them: the corrections stay with their numbers.
    record.refresh_from_db()
    items = [Item(i.text.replace("472回", "480回"), i.bullet) for i in record.items.order_by("position")]
    actions.do_save_record(record, items, version=record.version, by=people.bob)
    patrols = _number(record, "パトロール回数")
    assert (patrols.label, patrols.value, patrols.same_as, _number(record, "車両数").hidden) == (
        "青パト巡回回数",
        Decimal(480),
        "パトロール回数",
        True,
    )
    # The history names them.
    page = bob.get(f"/staff/records/{record.pk}/").content.decode()
    assert (
        "数値「パトロール回数」（回）の訂正" in page
        and "項目「青パト巡回回数」、他の年度の「パトロール回数」と同じ" in page
    )

    # The comparison pairs the renamed number with last year's and leaves the hidden one out.
    (group,) = [g for g in compare(seeded, 2018, 2019).groups if g.measure == PATROL]
    changes = {(c.label, c.before, c.after) for c in group.indicators}
    assert ("青パト巡回回数", Decimal(472), Decimal(480)) in changes  # named as this year names it
    assert not any(label == "車両数" and after is not None for label, _, after in changes)

    # A number gone from the text takes its correction with it.
    record.refresh_from_db()
    kept = [Item(i.text, i.bullet) for i in record.items.order_by("position") if "車両数" not in i.text]
    actions.do_save_record(record, kept, version=record.version, by=people.bob)
    assert not Indicator.objects.filter(item__record=record, read_label="車両数").exists()


def test_the_next_year_opens_with_the_corrections_of_the_last(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    record = _patrol(seeded, 2019)
    actions.do_correct_indicator(_number(record, "車両数"), label="", hidden=True, same_as="", by=people.alice)
    actions.do_correct_indicator(
        _number(record, "パトロール回数"), label="青パト巡回回数", hidden=False, same_as="", by=people.alice
    )
    actions.do_open_fiscal_year(seeded, 2020, deadline=None, by=people.alice)
    following = _patrol(seeded, 2020)
    assert (_number(following, "車両数").hidden, _number(following, "パトロール回数").label) == (True, "青パト巡回回数")

    # The department writes this year's figure in last year's sentence: corrected as before, and paired.
    items = [Item(i.text.replace("472回", "455回"), i.bullet) for i in following.items.order_by("position")]
    actions.do_save_record(following, items, version=following.version, by=people.bob)
    patrols = _number(following, "パトロール回数")
    assert (patrols.label, patrols.value, _number(following, "車両数").hidden) == ("青パト巡回回数", Decimal(455), True)
    (group,) = [g for g in compare(seeded, 2019, 2020).groups if g.measure == PATROL]
    assert ("青パト巡回回数", Decimal(472), Decimal(455)) in {(c.label, c.before, c.after) for c in group.indicators}
    page = signed_in(people.bob).get(f"/staff/records/{following.pk}/").content.decode()
    assert "数値「パトロール回数」（回）の訂正（前年度から引き継ぎ）" in page

    # Each year's correction is its own: taking this year's back leaves last year's as it was.
    actions.do_correct_indicator(patrols, label="", hidden=False, same_as="", by=people.bob)
    assert _number(following, "パトロール回数").label == "パトロール回数"
    assert _number(record, "パトロール回数").label == "青パト巡回回数"


def test_the_years_numbers_are_read_through_and_corrected_on_one_page(
    seeded: Plan, people: People, fy2019: FiscalYear, django_assert_num_queries: Any
) -> None:
    path = f"/staff/plans/{seeded.pk}/years/2019/numbers/"
    alice = signed_in(people.alice)
    alice.get(path)  # the session is read once
    with django_assert_num_queries(9):
        page = alice.get(path).content.decode()
    read = Indicator.objects.filter(item__record__fiscal_year=fy2019)
    # The year was opened from last year's text: every number pairs with last year's.
    assert f"数値 {read.count()}件" in page and "前年度と対にならない 0件" in page
    record = _patrol(seeded, 2019)
    patrols = _number(record, "パトロール回数")
    row = page[page.index(f'<tr id="n{patrols.pk}">') :].split("</tr>")[0]
    assert "パトロール回数 <mark>472回</mark>" in row and row.count('<td class="number">472回</td>') == 2
    assert 'name="back" value="year"' in row

    # A label changed on the page: the number no longer pairs with last year's, and says so.
    answer = alice.post(
        f"/staff/records/{record.pk}/indicators/{patrols.pk}/", {"label": "青パト巡回回数", "back": "year"}
    )
    assert answer.status_code == 302 and answer["Location"] == f"{path}#n{patrols.pk}"
    unpaired = alice.get(path + "?unpaired=1").content.decode()
    assert "前年度と対にならない 1件" in unpaired and "訂正済み 1件" in unpaired
    assert (
        unpaired.count('<tr id="n') == 1
        and f'<tr id="n{patrols.pk}">' in unpaired
        and "対にならない</strong>" in unpaired
    )
    # The API lists the same, for the council too; an editor is refused.
    api = f"/api/plans/{seeded.pk}/years/2019/numbers"
    listed = signed_in(people.dave).get(api).json()
    assert len(listed) == read.count() and [n["id"] for n in listed if n["unpaired"]] == [patrols.pk]
    (mine,) = [n for n in listed if n["id"] == patrols.pk]
    assert (mine["label"], mine["read_label"], mine["value"], mine["last_year_value"], mine["measure"]) == (
        "青パト巡回回数",
        "パトロール回数",
        472,
        None,
        PATROL,
    )
    (distance,) = [n for n in listed if n["record"] == record.pk and n["read_label"] == "距離"]
    assert (distance["value"], distance["last_year_value"], distance["unpaired"]) == (7714, 7714, False)
    assert signed_in(people.bob).get(api).status_code == 403
    # Said to be last year's パトロール回数, it pairs again.
    alice.post(
        f"/staff/records/{record.pk}/indicators/{patrols.pk}/",
        {"label": "青パト巡回回数", "same_as": "パトロール回数", "back": "year"},
    )
    assert "前年度と対にならない 0件" in alice.get(path).content.decode()

    # The council reads it and corrects nothing; an editor has their own records' pages.
    council = signed_in(people.dave).get(path).content.decode()
    assert "青パト巡回回数" in council and "訂正する" not in council
    assert signed_in(people.bob).get(path).status_code == 403


def test_what_is_published_carries_the_corrections(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    record = _patrol(seeded, 2019)
    actions.do_correct_indicator(_number(record, "車両数"), label="", hidden=True, same_as="", by=people.alice)
    actions.do_correct_indicator(
        _number(record, "パトロール回数"), label="青パト巡回回数", hidden=False, same_as="", by=people.alice
    )
    publish(fy2019, admin=people.alice, editor=people.bob)
    base = f"/plans/{seeded.pk}/years/2019/"
    sheet = load_workbook(io.BytesIO(Client().get(base + "report.xlsx").content))["指標"]
    header, *rows = sheet.values
    at = {name: header.index(name) for name in ("年度（西暦）", "施策", "指標", "値")}
    rows = [(r[at["指標"]], r[at["値"]]) for r in rows if r[at["年度（西暦）"]] == 2019 and r[at["施策"]] == PATROL]
    assert rows == [("青パト巡回回数", 472), ("距離", 7714)]
    data = json.loads(Client().get(base + "report.json").content)
    (patrol,) = [m for p in data["pillars"] for a in p["areas"] for m in a["measures"] if m["title"] == PATROL]
    (latest,) = [r for r in patrol["records"] if r["fiscal_year"] == 2019]
    assert [q["label"] for item in latest["items"] for q in item["indicators"]] == ["青パト巡回回数", "距離"]
    api = Client().get(f"/api/plans/{seeded.pk}/years/2019/indicators").json()
    assert {q["label"] for q in api if q["measure"] == PATROL} == {"青パト巡回回数", "距離"}
    page = Client().get(f"/plans/{seeded.pk}/measures/{record.measure_id}/").content.decode()
    assert "青パト巡回回数" in page
    # Published: the numbers change only with the year reopened (and a new edition).
    answer = signed_in(people.alice).patch(
        f"/api/indicators/{_number(record, '距離').pk}", {"hidden": True}, content_type="application/json"
    )
    assert answer.status_code == 403
    # Reopened and published again, a correction alone makes a new edition.
    actions.do_reopen_year(fy2019, reason="数値の確認", by=people.alice)
    actions.do_correct_indicator(_number(record, "距離"), label="走行距離", hidden=False, same_as="", by=people.alice)
    _publish_again(fy2019, record, people, reason="公表済みのとおり")
    assert fy2019.editions.count() == 2
    second = load_workbook(io.BytesIO(Client().get(base + "report.xlsx").content))["指標"]
    assert "走行距離" in {r[at["指標"]] for r in second.values}
    first = load_workbook(io.BytesIO(Client().get(base + "editions/1/report.xlsx").content))["指標"]
    assert "走行距離" not in {r[at["指標"]] for r in first.values} and "距離" in {r[at["指標"]] for r in first.values}


def test_the_api_corrects_with_the_pages_permissions(seeded: Plan, people: People, fy2019: FiscalYear) -> None:
    record = _patrol(seeded, 2019)
    listed = signed_in(people.bob).get(f"/api/records/{record.pk}/indicators").json()
    assert [(n["item"], n["label"], n["value"], n["hidden"]) for n in listed][:2] == [
        (1, "車両数", 15, False),
        (2, "パトロール回数", 472, False),
    ]
    vehicles = listed[0]["id"]
    refused = signed_in(people.carol).patch(
        f"/api/indicators/{vehicles}", {"hidden": True}, content_type="application/json"
    )
    assert refused.status_code == 403  # another department's editor
    answer = signed_in(people.bob).patch(
        f"/api/indicators/{vehicles}", {"hidden": True}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert (answer.json()["hidden"], answer.json()["label"], answer.json()["read_label"]) == (True, "車両数", "車両数")
    # Saying nothing of it again takes the correction back.
    back = signed_in(people.bob).patch(
        f"/api/indicators/{answer.json()['id']}", {"hidden": False}, content_type="application/json"
    )
    assert back.json()["hidden"] is False and not record.indicator_corrections.exists()


def test_a_reopened_year_stays_public_as_published_and_a_renamed_number_is_compared_by_its_new_name(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    record = _patrol(seeded, 2019)
    patrols = _number(record, "パトロール回数")
    actions.do_correct_indicator(
        patrols, label="青パト巡回回数", hidden=False, same_as="パトロール回数", by=people.alice
    )
    publish(fy2019, admin=people.alice, editor=people.bob)
    measure_page = f"/plans/{seeded.pk}/measures/{record.measure_id}/"
    department_page = f"/plans/{seeded.pk}/departments/{record.department_id}/"
    # The comparison, the measure's table and chart name the number as corrected, paired with last year's.
    report = Client().get(f"/plans/{seeded.pk}/years/2019/").content.decode()
    assert "青パト巡回回数" in report and "パトロール回数" not in report.split('id="changes"')[1].split("</table>")[0]
    page = Client().get(measure_page).content.decode()
    assert '<th scope="row">青パト巡回回数</th><td class="number">589回</td><td class="number">472回</td>' in page
    assert '<title id="chart-1-title">青パト巡回回数の推移</title>' in page
    published = Client().get(measure_page).content.decode()
    published_department = Client().get(department_page).content.decode()
    # Reopened to correct it, the year stays as its edition says until the next edition.
    actions.do_reopen_year(fy2019, reason="数値の確認", by=people.alice)
    record.refresh_from_db()
    actions.do_return_record(record, reason="確認", version=record.version, by=people.alice)
    record.refresh_from_db()
    actions.do_save_record(record, [Item("パトロール回数 999回")], version=record.version, by=people.bob)
    reopened, reopened_department = (Client().get(p).content.decode() for p in (measure_page, department_page))
    assert "照会を再開しています" in reopened and "照会を再開しています" in reopened_department
    for before, after in ((published, reopened), (published_department, reopened_department)):
        assert 'id="year-2019"' in after and "999回" not in after
        assert _texts(before, 2019) == _texts(after, 2019)
    assert '<th scope="row">青パト巡回回数</th><td class="number">589回</td><td class="number">472回</td>' in reopened


def _texts(page: str, year: int) -> list[str]:
    """The items a public page lists under a year, without their anchors."""
    import re

    section = page.split(f'id="year-{year}"')[1].split("</section>")[0]
    return re.findall(r"<li(?: id=\"item-[0-9]+\")?>([^<]*)</li>", section)


def test_a_paired_number_offers_its_pair_and_the_corrections_that_cannot_hold_are_refused(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    path = f"/staff/plans/{seeded.pk}/years/2019/numbers/"
    alice = signed_in(people.alice)
    record = _patrol(seeded, 2019)
    patrols, distance = _number(record, "パトロール回数"), _number(record, "距離")
    row = alice.get(path).content.decode().split(f'<tr id="n{patrols.pk}">')[1].split("</tr>")[0]
    # The form offers the pair it has: renamed as the browser sends it, it stays paired.
    assert '<option value="パトロール回数" selected>' in row
    alice.post(
        f"/staff/records/{record.pk}/indicators/{patrols.pk}/",
        {"label": "青パト巡回回数", "same_as": "パトロール回数", "back": "year"},
    )
    page = alice.get(path).content.decode()
    assert "前年度と対にならない 0件" in page and "（前年度の「パトロール回数」と同じ）" in page
    # A number's qualifier is shown with it, as on the record page (週 1回: once a week; 程度 is 約).
    weekly = Indicator.objects.filter(item__record__fiscal_year=fy2019, qualifier="週").first()
    about = Indicator.objects.filter(item__record__fiscal_year=fy2019, qualifier="程度").first()
    assert weekly is not None and about is not None
    assert "1回（週）</td>" in page.split(f'<tr id="n{weekly.pk}">')[1].split("</tr>")[0]
    assert "約100枚</td>" in page.split(f'<tr id="n{about.pk}">')[1].split("</tr>")[0]
    # Its own label as last year's is no correction.
    actions.do_correct_indicator(distance, label="距離", hidden=False, same_as="距離", by=people.alice)
    assert not IndicatorCorrection.objects.filter(record=record, read_label="距離").exists()
    # Not an indicator and last year's indicator at once; two numbers as one indicator of last year.
    with pytest.raises(actions.ActionError, match="どちらか一方"):
        actions.do_correct_indicator(distance, label="距離", hidden=True, same_as="走行距離", by=people.alice)
    with pytest.raises(actions.ActionError, match="すでに前年度の「パトロール回数」と対になっています"):
        actions.do_correct_indicator(
            Indicator.objects.create(item=patrols.item, **_like(patrols)),
            label="夜間パトロール回数",
            hidden=False,
            same_as="パトロール回数",
            by=people.alice,
        )
    # A correction sent after the text was read again says so, and where to go on.
    gone = alice.post(f"/staff/records/{record.pk}/indicators/999999/", {"label": "x", "back": "year"}, follow=True)
    assert "数値が読み直されました" in gone.content.decode() and gone.redirect_chain[-1][0] == path
    # A published year's page says how to correct it; the API says what is missing in Japanese.
    published = alice.get(f"/staff/plans/{seeded.pk}/years/2018/numbers/").content.decode()
    assert "照会を再開してから訂正し" in published
    missing = alice.get(f"/api/plans/{seeded.pk}/years/2099/numbers")
    assert missing.status_code == 404 and "見つかりません" in missing.json()["detail"]


def _like(number: Indicator) -> dict[str, Any]:
    """Another number of the same unit in the same item, the next occurrence of its label."""
    fields = ("read_label", "label", "value", "unit", "qualifier", "approximate", "start", "end")
    return {name: getattr(number, name) for name in fields} | {"occurrence": number.occurrence + 1, "position": 99}


def test_the_next_edition_lists_the_numbers_corrected_and_adds_no_evaluation_to_an_imported_year(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fy2018 = FiscalYear.objects.get(plan=seeded, year=2018)
    assert editions.evaluation_of(fy2018.editions.get()) is None  # imported: published without one
    record = _patrol(seeded, 2018)
    actions.do_reopen_year(fy2018, reason="項目名の訂正", by=people.alice)
    actions.do_correct_indicator(
        _number(record, "パトロール回数"), label="青パト巡回回数", hidden=False, same_as="", by=people.alice
    )
    actions.do_correct_indicator(_number(record, "車両数"), label="", hidden=True, same_as="", by=people.alice)
    _publish_again(fy2018, record, people, reason="数値の訂正")
    second = fy2018.editions.get(number=2)
    assert editions.evaluation_of(second) is None  # nobody evaluated the year: the correction adds no grades
    said = [(c["field"], c["department"], c["year"], c["before"], c["after"]) for c in second.corrections]
    assert sorted(said) == [
        (
            "数値",
            "地域安全課",
            2018,
            "パトロール回数（回）: 読み取りのまま",
            "パトロール回数（回）: 項目「青パト巡回回数」",
        ),
        ("数値", "地域安全課", 2018, "車両数（台）: 読み取りのまま", "車両数（台）: 指標ではない"),
    ]
    page = Client().get(f"/plans/{seeded.pk}/years/2018/").content.decode()
    assert "正誤表" in page and "パトロール回数（回）: 項目「青パト巡回回数」" in page


def test_a_correction_of_last_year_reopened_reaches_the_year_being_collected(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    fy2018 = FiscalYear.objects.get(plan=seeded, year=2018)
    actions.do_reopen_year(fy2018, reason="項目名の訂正", by=people.alice)
    last, this = _patrol(seeded, 2018), _patrol(seeded, 2019)
    # What the open year says of its own number stays its own.
    actions.do_correct_indicator(_number(this, "距離"), label="走行距離", hidden=False, same_as="", by=people.alice)
    actions.do_correct_indicator(_number(last, "距離"), label="巡回距離", hidden=False, same_as="", by=people.alice)
    actions.do_correct_indicator(_number(last, "車両数"), label="", hidden=True, same_as="", by=people.alice)
    actions.do_correct_indicator(
        _number(last, "パトロール回数"), label="青パト巡回回数", hidden=False, same_as="", by=people.alice
    )
    assert [(n.label, n.hidden) for n in Indicator.objects.filter(item__record=this).order_by("item__position")] == [
        ("車両数", True),
        ("青パト巡回回数", False),
        ("走行距離", False),
    ]
    # Taken back last year, it is taken back where it was carried.
    actions.do_correct_indicator(_number(last, "車両数"), label="", hidden=False, same_as="", by=people.alice)
    assert not _number(this, "車両数").hidden
    history = IndicatorCorrection.history.filter(record=this, read_label="パトロール回数")
    assert history.get().history_change_reason == IndicatorCorrection.CARRIED
    # The year being collected pairs as last year was corrected: all but the distance each year named its own way.
    page = signed_in(people.alice).get(f"/staff/plans/{seeded.pk}/years/2019/numbers/?unpaired=1").content.decode()
    assert "前年度と対にならない 1件" in page and f'<tr id="n{_number(this, "距離").pk}">' in page


def test_the_record_page_shows_the_review_only_of_what_was_submitted(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    record = _patrol(seeded, 2019)
    page = signed_in(people.alice).get(f"/staff/records/{record.pk}/").content.decode()
    assert "<h2>確認</h2>" not in page and "機械が読み取ったままの数値" in page
    actions.do_submit_record(record, version=record.version, by=people.bob)
    assert "<h2>確認</h2>" in signed_in(people.alice).get(f"/staff/records/{record.pk}/").content.decode()


def test_a_line_added_at_the_top_is_one_added_line_in_the_history(
    seeded: Plan, people: People, fy2019: FiscalYear
) -> None:
    record = _patrol(seeded, 2019)
    lines = [item.plain() for item in record.items.order_by("position")]
    patrols = _number(record, "パトロール回数")
    actions.do_correct_indicator(patrols, label="青パト巡回回数", hidden=False, same_as="", by=people.alice)
    record.refresh_from_db()

    def said() -> Counter[str]:
        page = signed_in(people.alice).get(f"/staff/records/{record.pk}/").content.decode()
        history = page[page.index("<h2>変更の履歴</h2>") :]
        return Counter({kind: history.count(kind) for kind in ("項目の追加", "項目の変更", "項目の削除")})

    before = said()
    added = Item("令和元年度はパトロール体制を見直した。")
    actions.do_save_record(record, [added, *lines[:-1]], version=record.version, by=people.bob)
    assert said() - before == Counter({"項目の追加": 1, "項目の削除": 1})
    # The numbers are read again in their new places; the correction still names the same number.
    assert _number(record, "パトロール回数").label == "青パト巡回回数"
    assert [i.text for i in record.items.order_by("position")] == [added.text, *(i.text for i in lines[:-1])]
