from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shishin.plans.models import Plan, Record

from ..conftest import People
from ..helpers import run

pytestmark = pytest.mark.django_db
PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


def _json(response: Any) -> Any:
    return json.loads(response.content)


def _patrol(year: int = 2019) -> Record:
    return Record.objects.get(measure__title=PATROL, fiscal_year__year=year)


def test_the_schema_is_served(client: Client) -> None:
    schema = _json(client.get("/api/openapi.json"))
    assert schema["info"]["title"] == "Shishin API"
    assert "/api/plans/{plan_id}/years/{year}/indicators" in schema["paths"]


def test_published_data_is_public(client: Client, plan: Plan) -> None:
    assert _json(client.get("/api/plans")) == [
        {"id": plan.pk, "name": "小金井市防犯指針", "municipality": "東京都小金井市", "municipality_code": "132101"}
    ]
    assert [y["year"] for y in _json(client.get(f"/api/plans/{plan.pk}/years"))] == [2017, 2018]
    records = _json(client.get(f"/api/plans/{plan.pk}/years/2018/records"))
    assert records[0]["measure"] == PATROL and records[0]["items"][1] == {
        "text": "パトロール回数 472回",
        "bullet": True,
    }
    indicators = _json(client.get(f"/api/plans/{plan.pk}/years/2018/indicators"))
    assert {k: indicators[1][k] for k in ("label", "value")} == {"label": "パトロール回数", "value": 472.0}
    assert len(_json(client.get(f"/api/plans/{plan.pk}/measures"))) == 25


def test_drafts_are_not_public(client: Client, plan: Plan) -> None:
    assert client.get(f"/api/plans/{plan.pk}/years/2019/records").status_code == 404
    assert client.get(f"/api/records/{_patrol().pk}").status_code == 401


def test_extraction_is_live(client: Client) -> None:
    response = client.post(
        "/api/extract", {"text": "・車両数 15台 (H30.8.15号)", "fiscal_year": 2018}, "application/json"
    )
    assert _json(response) == {
        "indicators": [{"label": "車両数", "value": 15.0, "unit": "台", "qualifier": "", "approximate": False}],
        "dates": [{"text": "H30.8.15", "precision": "day", "start": "2018-08-15", "end": "2018-08-15"}],
    }
    nul = client.post("/api/extract", {"text": "車両数\x00 15台"}, "application/json")
    assert nul.status_code == 422


def test_an_editor_reads_and_writes_their_own_records(plan: Plan, people: People) -> None:
    client = Client()
    client.force_login(people.bob)
    mine = _json(client.get("/api/my/records"))
    assert {r["department"] for r in mine} == {"地域安全課"}
    record = _patrol()
    body = {"version": 1, "items": [{"text": "車両数 16台"}, {"text": "夜間も実施", "bullet": False}]}
    saved = _json(client.put(f"/api/records/{record.pk}", body, "application/json"))
    assert (saved["version"], saved["state"], saved["items"][1]) == (
        2,
        "draft",
        {"text": "夜間も実施", "bullet": False},
    )
    submitted = client.post(f"/api/records/{record.pk}/submit", {"version": 2}, "application/json")
    assert _json(submitted)["state"] == "submitted"


def test_a_stale_version_is_refused_with_the_current_record(plan: Plan, people: People) -> None:
    client = Client()
    client.force_login(people.bob)
    record = _patrol()
    client.put(f"/api/records/{record.pk}", {"version": 1, "items": [{"text": "先の保存"}]}, "application/json")
    response = client.put(
        f"/api/records/{record.pk}", {"version": 1, "items": [{"text": "後の保存"}]}, "application/json"
    )
    assert response.status_code == 409
    assert _json(response)["current"]["items"] == [{"text": "先の保存", "bullet": True}]
    assert [i.text for i in record.items.all()] == ["先の保存"]


def test_an_editor_cannot_write_another_departments_record(plan: Plan, people: People) -> None:
    client = Client()
    client.force_login(people.carol)
    record = _patrol()
    assert client.get(f"/api/records/{record.pk}").status_code == 403
    response = client.put(f"/api/records/{record.pk}", {"version": 1, "items": []}, "application/json")
    assert response.status_code == 403
    assert record.items.count() == 3


def test_api_writes_need_the_csrf_token(plan: Plan, people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.bob)
    record = _patrol()
    response = client.put(f"/api/records/{record.pk}", {"version": 1, "items": []}, "application/json")
    assert response.status_code == 403
    assert record.items.count() == 3


def test_indicators_are_the_json_the_command_line_writes(client: Client, plan: Plan) -> None:
    """Whole values are integers (472, not 472.0), as docs/json-output.md promises."""
    indicators = _json(client.get(f"/api/plans/{plan.pk}/years/2018/indicators"))
    status, out, _ = run("indicators", "--year", "2018", "--format", "json")
    assert status == 0 and indicators == json.loads(out)
    assert [type(i["value"]) for i in indicators[:2]] == [int, int]


def test_extraction_writes_numbers_as_every_json_output_does(client: Client) -> None:
    """Whole values as integers (15, not 15.0), as `shishin indicators --format json` writes them."""
    response = client.post("/api/extract", {"text": "車両数 15台、距離 7.5km"}, "application/json")
    values = [i["value"] for i in _json(response)["indicators"]]
    assert values == [15, 7.5] and isinstance(values[0], int) and isinstance(values[1], float)
