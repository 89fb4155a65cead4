"""Reports of a plan not stored yet are written a table at a time, with the outcome of importing them one by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shishin.plans.models import (
    Area,
    Assignment,
    Department,
    FiscalYear,
    Indicator,
    Item,
    ItemDate,
    Measure,
    Pillar,
    Plan,
    Record,
    Report,
    ReportPage,
)
from shishin.plans.search import search

from ..helpers import export, next_year_report, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(seed_bytes: bytes) -> dict[int, bytes]:
    """Three years of one plan: the seed (FY2018) and the two reports after it."""
    fy2019 = next_year_report(seed_bytes, patrols=500)
    return {2018: seed_bytes, 2019: fy2019, 2020: next_year_report(fy2019, patrols=480)}


def _folder(tmp_path: Path, reports: dict[int, bytes], city: str = "小金井市") -> Path:
    folder = tmp_path / city
    folder.mkdir()
    for year, data in reports.items():
        (folder / f"{year}.txt").write_bytes(data.replace("小金井市".encode(), city.encode()))
    return folder


def test_a_new_plans_reports_load_together_and_export_unchanged(tmp_path: Path, reports: dict[int, bytes]) -> None:
    folder = _folder(tmp_path, reports)
    with CaptureQueriesContext(connection) as queries:
        status, out, err = run("import", str(folder))
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == "3 ファイル: 取込み 3 件、変更なし 0 件、取り込めなかったもの 0 件"
    # A statement or two a table, however many measures: one by one it takes over a thousand.
    assert len(queries) < 60
    for year, data in reports.items():
        assert export(year) == data
    assert sorted(FiscalYear.objects.values_list("year", "status")) == [
        (year, "published") for year in (2017, 2018, 2019, 2020)
    ]
    assert Indicator.objects.filter(item__record__fiscal_year__year=2020, label="パトロール回数").get().value == 480
    # The search index sees rows written a table at a time.
    groups, _ = search("パトロール回数 480回")
    assert [(g.year, g.measure.title) for g in groups] == [(2020, "CoCoパトロール隊による地域パトロール")]


def _everything(plan: Plan, city: str) -> dict[str, list[tuple[Any, ...]]]:
    """What is stored for a plan, by natural keys instead of ids, with the city's name taken out."""

    def rows(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
        found = [
            tuple(v.replace(city, "〇〇市") if isinstance(v, str) else v for v in row)
            for row in queryset.values_list(*fields)
        ]
        return sorted(found, key=repr)

    record = ("record__fiscal_year__year", "record__measure__title", "record__department__name")
    item = ("item__record__fiscal_year__year", "item__record__measure__title", "item__record__department__name")
    return {
        "departments": rows(Department.objects.filter(municipality=plan.municipality), "name", "merged_into"),
        "department history": rows(
            Department.history.filter(municipality=plan.municipality), "name", "history_type", "history_user"
        ),
        "years": rows(plan.fiscal_years, "year", "status", "deadline"),
        "year history": rows(FiscalYear.history.filter(plan=plan), "year", "status", "history_type"),
        "pillars": rows(Pillar.objects.filter(plan=plan), "number", "title", "purpose", "numbering"),
        "areas": rows(Area.objects.filter(pillar__plan=plan), "pillar__number", "number", "title", "numbering"),
        "measures": rows(
            plan.measures,
            *("title", "pillar__number", "area__number", "position", "description"),
            *("whole_government", "first_year", "last_year"),
        ),
        "measure history": rows(Measure.history.filter(plan=plan), "title", "first_year", "last_year", "history_type"),
        "assignments": rows(
            Assignment.objects.filter(measure__plan=plan),
            *("fiscal_year__year", "measure__title", "department__name", "sub_unit", "position"),
        ),
        "records": rows(
            Record.objects.filter(measure__plan=plan),
            *("fiscal_year__year", "measure__title", "department__name", "position", "state", "version"),
            "updated_by",
        ),
        "record history": rows(
            Record.history.filter(measure__plan=plan),
            *("fiscal_year__year", "measure__title", "department__name", "position", "state", "history_type"),
        ),
        "items": rows(
            Item.objects.filter(record__measure__plan=plan), *record, "position", "text", "bullet", "carried_over"
        ),
        "item history": rows(
            Item.history.filter(record__measure__plan=plan), *record, "position", "text", "history_type"
        ),
        "indicators": rows(
            Indicator.objects.filter(item__record__measure__plan=plan),
            *item,
            *("item__position", "position", "label", "value", "unit", "qualifier", "approximate", "start", "end"),
        ),
        "dates": rows(
            ItemDate.objects.filter(item__record__measure__plan=plan),
            *item,
            *("item__position", "position", "text", "precision", "first", "last", "start", "end"),
        ),
        "reports": rows(
            Report.objects.filter(fiscal_year__plan=plan),
            *("fiscal_year__year", "title", "years", "year_labels", "headings", "title_mark"),
            *("blank_lines_before_title", "blank_lines_after_title", "trailing_newlines", "inline_area_pillars"),
        ),
        "pages": rows(
            ReportPage.objects.filter(report__fiscal_year__plan=plan),
            *("report__fiscal_year__year", "number", "first_row", "label"),
        ),
    }


def test_loading_together_stores_what_importing_one_by_one_does(tmp_path: Path, reports: dict[int, bytes]) -> None:
    assert run("import", str(_folder(tmp_path, reports, "小金井市")))[0] == 0
    for path in sorted(_folder(tmp_path, reports, "国分寺市").iterdir()):
        assert run("import", str(path))[:3:2] == (0, "")
    together, one_by_one = Plan.objects.get(name="小金井市防犯指針"), Plan.objects.get(name="国分寺市防犯指針")
    assert _everything(together, "小金井市") == _everything(one_by_one, "国分寺市")
    assert Item.objects.filter(record__measure__plan=together).count() > 300


def test_reports_that_disagree_are_imported_one_by_one(tmp_path: Path, reports: dict[int, bytes]) -> None:
    fy2019 = reports[2019].replace("パトロール回数 472回".encode(), "パトロール回数 470回".encode())
    assert fy2019 != reports[2019]
    folder = _folder(tmp_path, {2018: reports[2018], 2019: fy2019})
    status, out, err = run("import", str(folder))
    assert status == 1
    assert out.splitlines()[-1] == "2 ファイル: 取込み 1 件、変更なし 0 件、取り込めなかったもの 1 件"
    assert err.startswith(f"{folder / '2019.txt'}: 登録済みの内容と異なります")
    assert export(2018) == reports[2018]


def test_reports_of_a_stored_plan_are_imported_one_by_one(tmp_path: Path, reports: dict[int, bytes]) -> None:
    folder = _folder(tmp_path, reports)
    assert run("import", str(folder / "2018.txt"))[0] == 0
    status, out, _ = run("import", str(folder))
    assert status == 0
    assert out.splitlines()[-1] == "3 ファイル: 取込み 2 件、変更なし 1 件、取り込めなかったもの 0 件"
    for year, data in reports.items():
        assert export(year) == data
