"""A plan from nothing through the API, with an administrator's API key: the same steps as the pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import FiscalYear, Plan, Record
from shishin.report import structure_workbook
from shishin.report.records import DepartmentRef, Measure, Pillar

from ..conftest import People
from ..helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(people: People) -> Any:
    _, key = actions.do_make_token(name="立ち上げ", by=people.alice)
    client = Client(headers={"Authorization": f"Bearer {key}"})

    def call(method: str, path: str, body: Any = None, **extra: Any) -> Any:
        send = getattr(client, method)
        if body is None and not extra:
            return send("/api" + path)
        if extra:
            return send("/api" + path, extra)
        return send("/api" + path, body, content_type="application/json")

    return call


def test_a_city_is_set_up_from_nothing_to_an_open_year_through_the_api(api: Any) -> None:
    made = api("post", "/plans", {"municipality": "国分寺市", "name": "防犯指針", "first_year": 2026})
    assert made.status_code == 200, made.content
    plan = made.json()
    assert (plan["municipality"], plan["municipality_code"], plan["year"], plan["status"]) == (
        "東京都国分寺市",
        "132144",
        2026,
        "preparing",
    )
    base = f"/plans/{plan['id']}"
    # Not public while it is prepared: not even its name.
    assert plan["id"] not in [p["id"] for p in Client().get("/api/plans").json()]
    departments = [
        {"name": "くらしの安全課", "position": 2, "reading": "くらしのあんぜんか", "email": "kurashi@example.jp"},
        {"name": "学校教育課", "position": 1, "reading": "ガッコウキョウイクカ"},
    ]
    saved = api("put", f"{base}/departments", departments)
    assert saved.status_code == 200, saved.content
    listed = api("get", f"{base}/departments").json()
    assert [(d["name"], d["reading"], d["email"]) for d in listed] == [
        ("学校教育課", "がっこうきょういくか", ""),
        ("くらしの安全課", "くらしのあんぜんか", "kurashi@example.jp"),
    ]
    assert api("post", f"{base}/years/2026/pillars", {"title": "地域で守る"}).json()["number"] == 1
    assert api("post", f"{base}/years/2026/areas", {"pillar": 1, "title": "見守り活動"}).json()["number"] == 1
    measure = api(
        "post",
        f"{base}/years/2026/measures",
        {"title": "通学路の見守り", "pillar": 1, "area": 1, "departments": ["学校教育課", "くらしの安全課"]},
    )
    assert measure.status_code == 200, measure.content
    assert not Record.objects.filter(fiscal_year__plan_id=plan["id"]).exists()
    started = api("post", f"{base}/years/2026/start", {"deadline": "2099-05-31"})
    assert started.json()["status"] == "collecting"
    assert started.json()["unreachable"] == ["学校教育課"]  # no contact address, no editor yet
    records = Record.objects.filter(fiscal_year__plan_id=plan["id"]).order_by("position")
    assert [r.department.name for r in records if r.department] == ["学校教育課", "くらしの安全課"]
    again = api("post", f"{base}/years/2026/start", {})
    assert again.status_code == 400 and "準備中の年度でだけできます" in again.json()["detail"]


def _workbook(departments: tuple[str, ...]) -> io.BytesIO:
    structure = structure_workbook.Structure(
        (
            Pillar(
                1, "地域で守る", measures=(Measure("防犯講習会", departments=tuple(map(DepartmentRef, departments))),)
            ),
        ),
        (structure_workbook.DepartmentRow("くらしの安全課", 1),),
    )
    upload = io.BytesIO(structure_workbook.render(structure))
    upload.name = "構成.xlsx"
    return upload


def test_a_structure_workbook_is_taken_whole_or_refused_with_its_cell(api: Any) -> None:
    plan = api("post", "/plans", {"municipality": "132144", "name": "防犯指針", "first_year": 2026}).json()
    path = f"/plans/{plan['id']}/years/2026/structure"
    before = snapshot()
    refused = api("post", path, workbook=_workbook(("くらし安全課",)))
    assert refused.status_code == 400
    assert "構成!H2: 担当課（「、」区切り）: 「くらし安全課」は担当課シートにありません" in refused.json()["detail"]
    assert snapshot() == before
    taken = api("post", path, workbook=_workbook(("くらしの安全課",)))
    assert taken.json() == {"pillars": 1, "measures": 1, "departments": 1}
    fiscal_year = FiscalYear.objects.get(plan_id=plan["id"])
    assert [m.title for m in fiscal_year.plan.measures.all()] == ["防犯講習会"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"municipality": "府中市", "name": "防犯指針", "first_year": 2026}, "「府中市」は複数あります"),
        ({"municipality": "132143", "name": "防犯指針", "first_year": 2026}, "検査数字"),
        ({"municipality": "132144", "name": " ", "first_year": 2026}, "指針の名前を書いてください"),
    ],
    ids=["shared-name", "check-digit", "blank-name"],
)
def test_a_plan_refused_through_the_api_says_why(api: Any, body: dict[str, Any], detail: str) -> None:
    answer = api("post", "/plans", body)
    assert answer.status_code == 400 and detail in answer.json()["detail"]
    assert not Plan.objects.exists()


def test_only_administrators_found_plans(people: People) -> None:
    _, key = actions.do_make_token(name="編集", by=people.bob)
    bob = Client(headers={"Authorization": f"Bearer {key}"})
    body = {"municipality": "132144", "name": "防犯指針", "first_year": 2026}
    assert bob.post("/api/plans", body, content_type="application/json").status_code == 403
    assert Client().post("/api/plans", body, content_type="application/json").status_code == 401
    assert not Plan.objects.exists()
