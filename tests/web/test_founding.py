"""A city without a published report starts on the staff pages: its plan, its departments, its first
year's structure (by hand or from the structure workbook) and the collection. Each refusal says what
is wrong and writes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from shishin.plans.models import Assignment, Department, FiscalYear, Measure, Pillar, Plan, Record

from ..conftest import People
from ..helpers import signed_in, snapshot

pytestmark = pytest.mark.django_db


def _create(client: Client, municipality: str = "132039", name: str = "防犯指針", year: int = 2025) -> Any:
    return client.post("/staff/plans/create/", {"municipality": municipality, "name": name, "first_year": year})


@pytest.fixture
def admin(people: People) -> Client:
    client: Client = signed_in(people.alice)
    return client


@pytest.fixture
def preparing(admin: Client) -> FiscalYear:
    assert _create(admin).status_code == 302
    return FiscalYear.objects.get(plan__municipality__code="132039")


def _year_url(fiscal_year: FiscalYear, tail: str) -> str:
    return f"/staff/plans/{fiscal_year.plan_id}/years/{fiscal_year.year}/{tail}"


def _departments_form(rows: list[tuple[str, str, str, str]], extra: int = 0) -> dict[str, str]:
    data = {"department-TOTAL_FORMS": str(len(rows)), "department-INITIAL_FORMS": "0"}
    for n, (name, position, reading, email) in enumerate(rows):
        data |= {
            f"department-{n}-name": name,
            f"department-{n}-position": position,
            f"department-{n}-reading": reading,
            f"department-{n}-email": email,
        }
    return data


def test_a_plan_is_created_by_code_or_name_with_its_first_year_in_preparation(admin: Client) -> None:
    response = _create(admin)
    plan = Plan.objects.get(name="防犯指針", municipality__code="132039")
    assert response["Location"] == f"/staff/plans/{plan.pk}/departments/"
    assert str(plan.municipality) == "東京都武蔵野市"
    year = plan.fiscal_years.get()
    assert (year.year, year.status) == (2025, FiscalYear.Status.PREPARING)
    assert _create(admin, "東京都府中市", "安全安心まちづくり指針").status_code == 302
    assert Plan.objects.get(name="安全安心まちづくり指針").municipality.code == "132063"
    home = admin.get("/staff/").content.decode()
    assert "新しい指針を作る" in home
    assert f"/staff/plans/{plan.pk}/years/2025/structure/" in home  # a year in preparation opens on its structure


@pytest.mark.parametrize(
    ("municipality", "name", "year", "message"),
    [
        ("府中市", "防犯指針", 2025, "「府中市」は複数あります: 132063（東京都府中市）、342084（広島県府中市）"),
        ("ムサシノ", "防犯指針", 2025, "「ムサシノ」は全国地方公共団体コードの一覧にありません"),
        ("132038", "防犯指針", 2025, "検査数字"),
        ("132039", "", 2025, "指針の名前を書いてください"),
        ("132039", "防犯指針", 1900, "最初の年度を西暦で書いてください"),
    ],
    ids=["two-cities", "unknown-name", "bad-check-digit", "no-name", "year"],
)
def test_a_plan_that_cannot_be_made_says_why_and_nothing_is_written(
    admin: Client, municipality: str, name: str, year: int, message: str
) -> None:
    before = snapshot()
    response = _create(admin, municipality, name, year)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page or (message == "最初の年度を西暦で書いてください" and "1989" in page)
    assert f'value="{municipality}"' in page  # what was typed stays
    assert snapshot() == before


def test_the_same_plan_twice_is_refused(admin: Client, preparing: FiscalYear) -> None:
    response = _create(admin)
    assert response.status_code == 400
    assert "東京都武蔵野市の「防犯指針」はすでにあります" in response.content.decode()


def test_departments_are_listed_in_the_organisations_order_then_by_reading(
    admin: Client, preparing: FiscalYear
) -> None:
    plan = preparing.plan
    rows = [
        ("ごみ対策課", "", "ゴミタイサクカ", ""),
        ("交通対策課", "", "こうつうたいさくか", "kotsu@example.jp"),
        ("防災安全課", "1", "ぼうさいあんぜんか", "bousai@example.jp"),
    ]
    response = admin.post(f"/staff/plans/{plan.pk}/departments/save/", _departments_form(rows))
    assert response.status_code == 302
    listed = list(Department.objects.filter(municipality=plan.municipality).values_list("name", "reading", "email"))
    assert listed == [
        ("防災安全課", "ぼうさいあんぜんか", "bousai@example.jp"),
        ("交通対策課", "こうつうたいさくか", "kotsu@example.jp"),  # こ before ご, as in 五十音
        ("ごみ対策課", "ごみたいさくか", ""),  # the katakana reading kept as hiragana
    ]
    page = admin.get(f"/staff/plans/{plan.pk}/departments/").content.decode()
    assert page.index("防災安全課") < page.index("交通対策課") < page.index("ごみ対策課")


def test_a_bad_department_row_keeps_the_page_as_typed_and_saves_nothing(admin: Client, preparing: FiscalYear) -> None:
    plan = preparing.plan
    before = snapshot()
    rows = [("防災安全課", "1", "ぼうさいあんぜんか", "bousai@"), ("交通対策課", "", "", "")]
    response = admin.post(f"/staff/plans/{plan.pk}/departments/save/", _departments_form(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "メールアドレスを正しく書いてください" in page and 'value="bousai@"' in page
    rows = [("防災安全課", "1", "防災", "")]
    response = admin.post(f"/staff/plans/{plan.pk}/departments/save/", _departments_form(rows))
    assert response.status_code == 400
    assert "防災安全課のよみがな「防災」はひらがなで書いてください" in response.content.decode()
    assert snapshot() == before


def test_a_structure_built_on_the_pages_starts_the_collection(
    admin: Client, preparing: FiscalYear, people: People
) -> None:
    plan = preparing.plan
    admin.post(
        f"/staff/plans/{plan.pk}/departments/save/",
        _departments_form([("防災安全課", "1", "ぼうさいあんぜんか", "bousai@example.jp"), ("学務課", "2", "", "")]),
    )
    early = admin.post(_year_url(preparing, "start/"), {"deadline": ""})
    assert "施策と担当課を登録してから照会を始めてください" in _messages(admin, early)
    admin.post(_year_url(preparing, "structure/pillars/"), {"title": "犯罪の起きにくいまちづくり", "purpose": ""})
    pillar = Pillar.objects.get(plan=plan)
    admin.post(_year_url(preparing, "structure/areas/"), {"pillar": pillar.pk, "title": "地域の見守り"})
    area = pillar.areas.get()
    admin.post(
        _year_url(preparing, "structure/measures/"),
        {
            "title": "防犯パトロール",
            "description": "",
            "place": f"{pillar.pk}:{area.pk}",
            "departments": "防災安全課 学務課",
        },
    )
    assert not Record.objects.filter(fiscal_year=preparing).exists()  # nobody is asked anything yet
    page = admin.get(_year_url(preparing, "structure/")).content.decode()
    assert "防犯パトロール" in page and "防災安全課、学務課" in page
    response = admin.post(_year_url(preparing, "start/"), {"deadline": "2099-06-30"})
    assert response["Location"] == _year_url(preparing, "")
    preparing.refresh_from_db()
    assert preparing.status == FiscalYear.Status.COLLECTING
    records = Record.objects.filter(fiscal_year=preparing).order_by("position")
    assert [(str(r.department), r.state) for r in records] == [("防災安全課", "not_started"), ("学務課", "not_started")]
    # Carol writes for 学務課 of 小金井市, not of this city: her list stays empty of it.
    assert "防犯パトロール" not in signed_in(people.carol).get("/staff/").content.decode()


def _messages(client: Client, response: Any) -> str:
    return client.get(response["Location"]).content.decode()


def _workbook(structure: list[list[object]], departments: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "構成"
    sheet.append(
        [
            "基本方針の番号",
            "基本方針",
            "基本方針の目的",
            "施策の方向の番号",
            "施策の方向",
            "施策名",
            "施策の内容",
            "担当課",
        ]
    )
    for row in structure:
        sheet.append(row)
    listed = book.create_sheet("担当課")
    listed.append(["組織順", "担当課", "よみがな", "連絡先メールアドレス"])
    for row in departments:
        listed.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


DEPARTMENTS = [[1, "防災安全課", "ぼうさいあんぜんか", "bousai@example.jp"], [2, "道路管理課", "どうろかんりか", ""]]
STRUCTURE = [
    [1, "犯罪の起きにくいまちづくり", "防犯意識を高める", "", "", "防犯講習会", "", "防災安全課"],
    [1, "", "", 1, "地域の見守り", "防犯パトロール", "市民と巡回する", "防災安全課、道路管理課（維持係）"],
    [2, "安全な道路環境", "", "", "", "防犯灯の設置", "", "道路管理課"],
]


def _upload(client: Client, fiscal_year: FiscalYear, data: bytes, name: str = "構成.xlsx") -> str:
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(_year_url(fiscal_year, "structure/upload/"), {"workbook": upload})
    assert response.status_code == 302
    return _messages(client, response)


def test_the_structure_workbook_round_trips_and_starts_a_year(admin: Client, preparing: FiscalYear) -> None:
    template = admin.get(_year_url(preparing, "structure.xlsx"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["記入方法", "構成", "担当課"]
    page = _upload(admin, preparing, _workbook(STRUCTURE, DEPARTMENTS))
    assert "構成を取り込みました（基本方針 2 件、施策 3 件、担当課 2 件）" in page
    plan = preparing.plan
    measures = Measure.objects.filter(plan=plan).order_by("position")
    assert [(m.pillar.number, m.area.number if m.area else None, m.title) for m in measures] == [
        (1, None, "防犯講習会"),
        (1, 1, "防犯パトロール"),
        (2, None, "防犯灯の設置"),
    ]
    patrol = Assignment.objects.filter(measure__title="防犯パトロール").order_by("position")
    assert [(a.department.name, a.sub_unit) for a in patrol] == [("防災安全課", ""), ("道路管理課", "維持係")]
    assert Department.objects.get(municipality=plan.municipality, name="防災安全課").email == "bousai@example.jp"
    # Downloaded again, the workbook holds what was uploaded: uploading it changes nothing.
    again = admin.get(_year_url(preparing, "structure.xlsx")).content
    before = snapshot()
    _upload(admin, preparing, again)
    after = snapshot()
    assert [(m["title"], m["position"]) for m in after["Measure"]] == [
        (m["title"], m["position"]) for m in before["Measure"]
    ]
    assert [d["email"] for d in after["Department"]] == [d["email"] for d in before["Department"]]
    admin.post(_year_url(preparing, "start/"), {"deadline": ""})
    assert Record.objects.filter(fiscal_year__plan=plan).count() == 4


@pytest.mark.parametrize(
    ("structure", "departments", "message"),
    [
        (
            [[1, "犯罪の起きにくいまちづくり", "", "", "", "防犯講習会", "", "防災安全科"]],
            DEPARTMENTS,
            "構成!H2: 担当課（「、」区切り）: 「防災安全科」は担当課シートにありません",
        ),
        (
            [["一", "犯罪の起きにくいまちづくり", "", "", "", "防犯講習会", "", ""]],
            DEPARTMENTS,
            "構成!A2: 基本方針の番号: 「一」は番号ではありません",
        ),
        (
            [
                [1, "犯罪の起きにくいまちづくり", "", "", "", "防犯講習会", "", ""],
                [1, "別の名前", "", "", "", "防犯教室", "", ""],
            ],
            DEPARTMENTS,
            "構成!B3: 基本方針: 基本方針の名前が前の行（「犯罪の起きにくいまちづくり」）と違います",
        ),
        ([[2, "", "", "", "", "防犯講習会", "", ""]], DEPARTMENTS, "構成!B2: 基本方針: 基本方針2の名前がありません"),
        (
            [[1, "犯罪の起きにくいまちづくり", "", "", "", "防犯講習会", "", "=A1"]],
            DEPARTMENTS,
            "構成!H2: 数式（=A1）は取り込めません",
        ),
        (
            STRUCTURE,
            [[1, "防災安全課", "ボウサイ", "bousai"]],
            "担当課!D2: 連絡先メールアドレス: 「bousai」はメールアドレスではありません",
        ),
    ],
    ids=["unknown-department", "not-a-number", "pillar-named-twice", "pillar-without-name", "formula", "bad-email"],
)
def test_a_bad_structure_workbook_names_the_cell_and_changes_nothing(
    admin: Client, preparing: FiscalYear, structure: list[list[object]], departments: list[list[object]], message: str
) -> None:
    before = snapshot()
    page = _upload(admin, preparing, _workbook(structure, departments))
    assert message in page
    assert snapshot() == before


def test_only_a_year_in_preparation_takes_a_structure(admin: Client, seeded: Plan) -> None:
    fiscal_year = FiscalYear.objects.get(plan=seeded, year=2018)
    before = snapshot()
    page = _upload(admin, fiscal_year, _workbook(STRUCTURE, DEPARTMENTS))
    assert "準備中の年度でだけできます" in page
    assert snapshot() == before


def test_editors_cannot_found_plans(people: People) -> None:
    bob = signed_in(people.bob)
    assert bob.get("/staff/plans/new/").status_code == 403
    assert _create(bob).status_code == 403
    assert not Plan.objects.exists()


def test_the_demo_lists_koganeis_departments_in_its_organisations_order(people: People) -> None:
    from io import StringIO

    from shishin.plans.management.commands.serve import Command

    Command(stdout=StringIO())._prepare_demo()
    koganei = Department.objects.filter(municipality__code="132101", merged_into=None)
    assert [d.name for d in koganei][:4] == ["企画政策課", "広報秘書課", "情報システム課", "地域安全課"]
    assert all(d.reading for d in koganei)
    index = Client().get("/").content.decode()
    assert index.index("ごみ対策課") < index.index("交通対策課") < index.index("学務課")
    # Five of its indicators have targets, so the year's evaluation has grades to show.
    from shishin.plans.models import Target

    assert sorted(Target.objects.values_list("indicator", flat=True)) == sorted(
        [
            "パトロール回数",
            "距離",
            "カンガルーポケット登録件数",
            "街路灯新規設置件数",
            "こがねい安全・安心メール加入登録数",
        ]
    )


def test_a_year_in_preparation_cannot_be_reopened_and_stays_startable(admin: Client, preparing: FiscalYear) -> None:
    response = admin.post(_year_url(preparing, "reopen/"), {"reason": "やり直し"})
    assert "この年度は準備中です" in _messages(admin, response)
    preparing.refresh_from_db()
    assert preparing.status == FiscalYear.Status.PREPARING
    assert "構成を作って照会を始める" in admin.get(_year_url(preparing, "")).content.decode()


def test_nothing_of_a_plan_being_prepared_is_public(admin: Client, preparing: FiscalYear) -> None:
    plan = preparing.plan
    department = Department.objects.create(municipality=plan.municipality, name="防災安全課")
    anyone = Client()
    assert plan.name not in anyone.get("/").content.decode()
    assert anyone.get(f"/plans/{plan.pk}/departments/{department.pk}/").status_code == 404
    for path in [f"/api/plans/{plan.pk}/years", f"/api/plans/{plan.pk}/measures"]:
        assert anyone.get(path).status_code == 404, path
    assert plan.pk not in [p["id"] for p in anyone.get("/api/plans").json()]


def test_a_published_plan_stays_listed_while_its_year_is_reopened(seeded: Plan, people: People) -> None:
    from shishin.plans import actions

    year = FiscalYear.objects.get(plan=seeded, year=2018)
    actions.do_reopen_year(year, reason="誤字の訂正", by=people.alice)
    assert seeded.name in Client().get("/").content.decode()
    assert seeded.pk in [p["id"] for p in Client().get("/api/plans").json()]


def test_a_refused_departments_page_keeps_the_existing_departments_as_they_were_shown(
    admin: Client, preparing: FiscalYear
) -> None:
    plan = preparing.plan
    admin.post(f"/staff/plans/{plan.pk}/departments/save/", _departments_form([("防災安全課", "1", "", "")]))
    data = _departments_form([("防災安全課", "1", "", "bousai@")]) | {"department-INITIAL_FORMS": "1"}
    page = admin.post(f"/staff/plans/{plan.pk}/departments/save/", data).content.decode()
    assert '<th scope="row" id="department-1">防災安全課' in page  # shown as the department, not a new row
    assert "追加する担当課（1行目）" not in page


def test_a_structure_workbooks_blank_cells_erase_nothing_a_department_has(admin: Client, preparing: FiscalYear) -> None:
    plan = preparing.plan
    admin.post(
        f"/staff/plans/{plan.pk}/departments/save/",
        _departments_form([("防災安全課", "3", "ぼうさいあんぜんか", "bousai@example.jp")]),
    )
    _upload(admin, preparing, _workbook(STRUCTURE, [["", "防災安全課", "", ""], [2, "道路管理課", "", ""]]))
    kept = Department.objects.get(municipality=plan.municipality, name="防災安全課")
    assert (kept.position, kept.reading, kept.email) == (3, "ぼうさいあんぜんか", "bousai@example.jp")


@pytest.mark.parametrize("position", ["0", "100000"])
def test_an_organisation_order_out_of_range_is_named_not_a_server_error(
    admin: Client, preparing: FiscalYear, position: str
) -> None:
    before = snapshot()
    page = _upload(admin, preparing, _workbook(STRUCTURE, [[position, "防災安全課", "", ""], *DEPARTMENTS[1:]]))
    assert "担当課!A2: 組織順: " in page and "1 から 9999 までの整数" in page
    assert snapshot() == before


def test_the_structure_workbook_takes_departments_by_line_and_a_name_with_parentheses_whole(
    admin: Client, preparing: FiscalYear
) -> None:
    departments = [[1, "子ども家庭支援センター（ぶんじ）", "", ""], [2, "学校指導課", "", ""]]
    structure = [[1, "地域で守る", "", "", "", "見守り", "", "子ども家庭支援センター（ぶんじ）\n学校指導課（指導係）"]]
    assert "構成を取り込みました" in _upload(admin, preparing, _workbook(structure, departments))
    carried = Assignment.objects.filter(measure__title="見守り").order_by("position")
    assert [(a.department.name, a.sub_unit) for a in carried] == [
        ("子ども家庭支援センター（ぶんじ）", ""),
        ("学校指導課", "指導係"),
    ]


def test_the_structure_workbook_reads_back_text_starting_with_equals() -> None:
    """A title or name starting with = is written quoted, so Excel keeps it text, and read back as it was."""
    from shishin.report import structure_workbook
    from shishin.report.records import DepartmentRef
    from shishin.report.records import Measure as MeasureRow
    from shishin.report.records import Pillar as PillarRow

    measure = MeasureRow("=見守り活動", departments=(DepartmentRef("=安全課"),))
    written = structure_workbook.Structure(
        (PillarRow(1, "=地域で守る", measures=(measure,)),),
        (structure_workbook.DepartmentRow("=安全課", None, "", ""),),
    )
    read = structure_workbook.parse(structure_workbook.render(written))
    assert read.pillars[0].title == "=地域で守る" and read.pillars[0].measures[0].title == "=見守り活動"
    assert [d.name for d in read.departments] == ["=安全課"]
