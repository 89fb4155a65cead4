"""Each fiscal year owns its structure: a measure renamed, added or a department renamed in one year
changes no other year, and nothing of a year not yet published is public."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shishin.plans import actions, editions
from shishin.plans.documents import document_for
from shishin.plans.models import Department, FiscalYear, Measure, Plan
from shishin.report import table_text

from ..conftest import People
from ..helpers import next_year_report, publish, run

pytestmark = pytest.mark.django_db

CAR = "CoCoパトロール車による広報"
PATROL = "CoCoパトロール隊による地域パトロール"
RENAMED = "青色回転灯車による広報"
REWRITTEN = "青色回転灯を付けた車で地域を回り、防犯を呼びかける。"
ADDED = "防犯ボランティアの育成"
NEW_DEPARTMENT = "新設推進課"
RENAMED_DEPARTMENT = "地域安全推進課"
FY2019_ONLY = (RENAMED, REWRITTEN, ADDED, NEW_DEPARTMENT, RENAMED_DEPARTMENT)


def _measure(plan: Plan, title: str, year: int) -> Any:
    """The measure of ``title`` in the report of ``year`` as the database now writes it."""
    return next(m for m in document_for(plan, year).all_measures() if m.title == title)


def _change_2019(plan: Plan, people: People) -> FiscalYear:
    """Change the structure of FY2019 (opened: `seeded_2019_open`): a measure renamed and rewritten, one
    added with a new department, a department renamed."""
    fiscal_year = FiscalYear.objects.get(plan=plan, year=2019)
    car = Measure.objects.get(plan=plan, title=CAR)
    actions.do_rename_measure(car, fiscal_year, title=RENAMED, description=REWRITTEN, by=people.alice)
    patrol = Measure.objects.get(plan=plan, title=PATROL)
    actions.do_add_measure(
        fiscal_year,
        pillar=patrol.pillar,
        area=patrol.area,
        title=ADDED,
        description="",
        departments=[NEW_DEPARTMENT],
        by=people.alice,
    )
    safety = Department.objects.get(name="地域安全課")
    actions.do_rename_department(safety, fiscal_year, name=RENAMED_DEPARTMENT, by=people.alice)
    return fiscal_year


def _public_pages(plan: Plan) -> dict[str, str]:
    """Every page a visitor reaches from the index, and what the API answers anyone about the plan."""
    client = Client()
    pages: dict[str, str] = {}
    waiting = ["/"]
    while waiting:
        address = waiting.pop()
        if address in pages:
            continue
        response = client.get(address)
        assert response.status_code == 200, address
        pages[address] = response.content.decode()
        links = re.findall(r'href="(/plans/\d+/(?:measures|departments)/\d+/|/plans/\d+/years/\d+/)"', pages[address])
        waiting += [link for link in links if link not in pages]
    for address in (
        f"/api/plans/{plan.pk}/measures",
        f"/api/plans/{plan.pk}/years/2018/records",
        f"/api/plans/{plan.pk}/years/2018/indicators",
        f"/api/plans/{plan.pk}/years/2018/editions",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        pages[address] = response.content.decode()
    return pages


def _found(query: str) -> dict[str, Any]:
    response = Client().get("/api/search", {"q": query})
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def test_a_year_being_prepared_is_nowhere_public(seeded_2019_open: Plan, people: People) -> None:
    seeded = seeded_2019_open
    _change_2019(seeded, people)
    pages = _public_pages(seeded)
    assert len([a for a in pages if "/measures/" in a]) == 25  # every measure of FY2018, none added
    for address, content in pages.items():
        for name in FY2019_ONLY:
            assert name not in content, (name, address)
    assert CAR in pages["/"] and "地域安全課" in pages["/"]
    assert "引き継いで" not in "".join(pages.values())
    for name in FY2019_ONLY:
        assert _found(name)["groups"] == [] and _found(name)["measures"] == [], name
    assert [m["title"] for m in _found("CoCoパトロール車による広")["measures"]] == [CAR]


def test_each_year_reads_its_own_wording(seeded_2019_open: Plan, people: People) -> None:
    seeded = seeded_2019_open
    original = _measure(seeded, CAR, 2018)
    fy2019 = _change_2019(seeded, people)
    old, new = _measure(seeded, CAR, 2018), _measure(seeded, RENAMED, 2019)
    assert (new.description, old) == (REWRITTEN, original)
    assert RENAMED_DEPARTMENT in {d.name for m in document_for(seeded, 2019).all_measures() for d in m.departments}
    assert "地域安全課" not in {d.name for m in document_for(seeded, 2019).all_measures() for d in m.departments}
    assert "地域安全課" in {d.name for m in document_for(seeded, 2018).all_measures() for d in m.departments}

    # FY2018 reopened for a correction drafts with its own wording: republished, nothing has changed.
    fy2018 = FiscalYear.objects.get(plan=seeded, year=2018)
    actions.do_reopen_year(fy2018, reason="確認", by=people.alice)
    assert editions.draft_text(seeded, 2018) == fy2018.editions.get().files.get(format="text").content.read()
    admin = Client()
    admin.force_login(people.alice)
    assert CAR in admin.get(f"/staff/plans/{seeded.pk}/years/2018/structure/").content.decode()
    page = admin.get(f"/staff/plans/{seeded.pk}/years/2019/structure/").content.decode()
    assert RENAMED in page and CAR not in page

    # Renaming in the reopened year changes that year alone, and names are unique within a year.
    car = Measure.objects.get(pk=Measure.objects.get(title=RENAMED).pk)
    actions.do_rename_measure(
        car, fy2018, title="CoCoパトロール車による広報活動", description=old.description, by=people.alice
    )
    assert _measure(seeded, RENAMED, 2019).description == REWRITTEN
    assert _measure(seeded, "CoCoパトロール車による広報活動", 2018).description == old.description
    with pytest.raises(actions.ActionError, match="すでにあります"):
        actions.do_rename_measure(car, fy2019, title=PATROL, description="", by=people.alice)


def test_a_year_opened_from_another_reads_as_it_did(seeded: Plan, people: People) -> None:
    def titles(year: int) -> set[str]:
        return {m.title for m in document_for(seeded, year).all_measures()}

    fy2019 = actions.do_open_fiscal_year(seeded, 2019, deadline=None, by=people.alice)
    fy2020 = actions.do_open_fiscal_year(seeded, 2020, deadline=None, by=people.alice)
    car = Measure.objects.get(title=CAR)
    actions.do_rename_measure(car, fy2019, title=RENAMED, description=REWRITTEN, by=people.alice)
    assert (RENAMED in titles(2019), CAR in titles(2019)) == (True, False)
    assert CAR in titles(2018) and CAR in titles(2020)  # the years around it keep the name
    assert _measure(seeded, CAR, 2020).description == _measure(seeded, CAR, 2018).description
    actions.do_open_fiscal_year(seeded, 2021, deadline=None, by=people.alice)
    assert CAR in titles(2021)  # from FY2020, as FY2020 reads
    actions.do_rename_measure(car, fy2020, title="広報車による啓発", description="", by=people.alice)
    assert [RENAMED in titles(2019), "広報車による啓発" in titles(2020), CAR in titles(2021)] == [True, True, True]


def test_once_published_a_renamed_measure_shows_its_former_title(seeded_2019_open: Plan, people: People) -> None:
    seeded = seeded_2019_open
    before = Client().get(f"/plans/{seeded.pk}/years/2018/report.text").content
    fy2019 = _change_2019(seeded, people)
    publish(fy2019, admin=people.alice, editor=people.bob)
    assert Client().get(f"/plans/{seeded.pk}/years/2018/report.text").content == before
    car = Measure.objects.get(title=RENAMED)
    page = Client().get(f"/plans/{seeded.pk}/measures/{car.pk}/").content.decode()
    assert f"<h1>{RENAMED}</h1>" in page and f"以前の施策名: {CAR}" in page and REWRITTEN in page
    section = page[page.index('id="year-2018"') :]
    assert f"この年度の施策名: {CAR}" in section
    assert [m["title"] for m in _found("CoCoパトロール車による広")["measures"]] == [RENAMED]  # known by its former name
    groups = {
        g["fiscal_year"]: g["measure"] for g in _found("パトロール時に広報")["groups"] if g["measure_id"] == car.pk
    }
    assert (groups[2019], groups[2018]) == (RENAMED, CAR)  # each year's item under that year's name
    renamed = Department.objects.get(name=RENAMED_DEPARTMENT)
    old = Department.objects.get(name="地域安全課")
    assert Client().get(f"/plans/{seeded.pk}/departments/{renamed.pk}/").status_code == 200
    old_page = Client().get(f"/plans/{seeded.pk}/departments/{old.pk}/").content.decode()
    assert "<h1>地域安全課の取組み</h1>" in old_page and 'id="year-2018"' in old_page and CAR in old_page
    assert f"この課の取組みは{RENAMED_DEPARTMENT}が引き継いでいます" in old_page
    new_page = Client().get(f"/plans/{seeded.pk}/departments/{renamed.pk}/").content.decode()
    assert "地域安全課の取組みを引き継いでいます" in new_page and 'id="year-2018"' not in new_page


def test_a_later_report_with_other_wording_is_recorded_for_its_year(
    seeded: Plan, seed_bytes: bytes, tmp_path: Path
) -> None:
    later = table_text.parse(next_year_report(seed_bytes))
    first_description = _measure(seeded, CAR, 2018).description

    def rewrite(measure: Any) -> Any:
        return dataclasses.replace(measure, description=REWRITTEN) if measure.title == CAR else measure

    path = tmp_path / "2019.txt"
    path.write_text(table_text.render(later.with_measures(lambda ms: tuple(map(rewrite, ms)))), encoding="utf-8")
    status, _, err = run("import", str(path))
    assert status == 0, err
    assert (_measure(seeded, CAR, 2019).description, _measure(seeded, CAR, 2018).description) == (
        REWRITTEN,
        first_description,
    )
    status, out, _ = run("export", "--year", "2018", "--format", "text")
    assert out.encode() == seed_bytes  # the earlier year round-trips byte for byte
    again = tmp_path / "2018.txt"
    again.write_bytes(seed_bytes)
    status, out, _ = run("import", str(again))
    assert status == 0 and "変更はありません" in out
    car = Measure.objects.get(title=CAR)
    page = Client().get(f"/plans/{seeded.pk}/measures/{car.pk}/").content.decode()
    assert REWRITTEN in page and "以前の施策名" not in page
