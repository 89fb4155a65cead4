"""A department's workbook through the API, as a script with an API key would send it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from shishin.plans.models import Department, Item, Plan, Record

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


@pytest.fixture
def plan(seeded_2019_open: Plan) -> Plan:
    return seeded_2019_open


def _script(user: Any) -> Client:
    """A client sending an API key of ``user``, and nothing else."""
    key = signed_in(user).post("/api/tokens", {"name": "記入用ブック"}, "application/json").json()["key"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _path(plan: Plan, department: str = "地域安全課") -> str:
    return f"/api/plans/{plan.pk}/years/2019/departments/{Department.objects.get(name=department).pk}/workbook"


def _edited(data: bytes, row_text: dict[str, str]) -> bytes:
    """The workbook with the first entry cell of each named measure's block replaced."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["記入シート"]
    for title, text in row_text.items():
        row = next(r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 3).value or "").startswith(title))
        sheet.cell(row, 5).value = text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _post(client: Client, path: str, data: bytes, dry_run: bool = False) -> Any:
    upload = io.BytesIO(data)
    upload.name = "地域安全課.xlsx"
    return client.post(path + ("?dry_run=true" if dry_run else ""), {"workbook": upload})


def _patrol() -> Record:
    return Record.objects.get(measure__title=PATROL, department__name="地域安全課", fiscal_year__year=2019)


def test_a_dry_run_answers_the_differences_and_the_upload_saves_exactly_them(plan: Plan, people: People) -> None:
    bob = _script(people.bob)
    response = bob.get(_path(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = _edited(response.content, {PATROL: "・車両数 16台"})
    versions = dict(Record.objects.filter(fiscal_year__year=2019).values_list("pk", "version"))
    items = Item.history.count()

    dry = _post(bob, _path(plan), data, dry_run=True)
    assert dry.status_code == 200, dry.content
    patrol = _patrol()
    assert dry.json() == {
        "department": "地域安全課",
        "saved": False,
        "changes": [
            {
                "record_id": patrol.pk,
                "measure": PATROL,
                "version": 1,
                "before": {
                    "items": [
                        {"text": "車両数 15台", "bullet": True},
                        {"text": "パトロール回数 472回", "bullet": True},
                        {"text": "距離 7,714km", "bullet": True},
                    ],
                    "no_activity": False,
                    "self_grade": "",
                    "issues": "",
                    "outlook": "",
                },
                "after": {
                    "items": [
                        {"text": "車両数 16台", "bullet": True},
                        {"text": "パトロール回数 472回", "bullet": True},
                        {"text": "距離 7,714km", "bullet": True},
                    ],
                    "no_activity": False,
                    "self_grade": "",
                    "issues": "",
                    "outlook": "",
                },
            }
        ],
    }
    assert Item.history.count() == items and _patrol().version == 1

    saved = _post(bob, _path(plan), data)
    assert saved.status_code == 200 and saved.json()["saved"] is True
    assert [i.text for i in _patrol().items.all()] == ["車両数 16台", "パトロール回数 472回", "距離 7,714km"]
    versions[patrol.pk] = 2
    assert dict(Record.objects.filter(fiscal_year__year=2019).values_list("pk", "version")) == versions
    # Uploading it again changes nothing: what it says is saved already.
    again = _post(bob, _path(plan), data)
    assert again.json() == {"department": "地域安全課", "saved": False, "changes": []}
    assert _patrol().version == 2


def test_a_stale_workbook_is_409_with_both_texts_and_a_bad_one_400_with_its_cell(plan: Plan, people: People) -> None:
    bob, alice = _script(people.bob), _script(people.alice)
    original = bob.get(_path(plan)).content
    patrol = _patrol()
    assert (
        alice.put(
            f"/api/records/{patrol.pk}", {"version": 1, "items": [{"text": "車両数 20台"}]}, "application/json"
        ).status_code
        == 200
    )
    for dry_run in (True, False):
        conflict = _post(bob, _path(plan), _edited(original, {PATROL: "・車両数 16台"}), dry_run=dry_run)
        assert conflict.status_code == 409
        (found,) = conflict.json()["conflicts"]
        assert found["workbook"]["items"][0] == {"text": "車両数 16台", "bullet": True}
        assert (
            found["current"]["items"] == [{"text": "車両数 20台", "bullet": True}] and found["current"]["version"] == 2
        )

    bad = _post(bob, _path(plan), _edited(original, {PATROL: "=SUM(1,2)"}))
    assert bad.status_code == 400
    assert bad.json()["detail"].startswith("地域安全課.xlsx:記入シート!E")
    assert "数式（=SUM(1,2)）は取り込めません" in bad.json()["detail"]
    assert _patrol().version == 2


def test_only_the_departments_editors_and_administrators_use_its_workbook(plan: Plan, people: People) -> None:
    assert Client().get(_path(plan)).status_code == 401
    carol = _script(people.carol)
    assert carol.get(_path(plan)).status_code == 403
    assert _post(carol, _path(plan), b"x").status_code == 403
    assert carol.get(_path(plan, "学務課")).status_code == 200
    assert _script(people.dave).get(_path(plan)).status_code == 403
    assert _script(people.alice).get(_path(plan)).status_code == 200
    assert _script(people.alice).get(_path(plan).replace("/2019/", "/2018/")).status_code == 404  # published
    # A workbook of another department sent to this one's address.
    refused = _post(_script(people.alice), _path(plan), carol.get(_path(plan, "学務課")).content)
    assert refused.status_code == 400
    assert (
        "記入シート!C2: このブックは学務課の記入用です。地域安全課のブックをアップロードしてください"
        in refused.json()["detail"]
    )
