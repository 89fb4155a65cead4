"""Targets through the API with an administrator's key: the same action and refusals as the staff pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Measure, Plan, Target

from ..conftest import People

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


def _client(person: Any) -> Client:
    _, key = actions.do_make_token(name="目標", by=person)
    return Client(headers={"Authorization": f"Bearer {key}"})


def _body(**changes: Any) -> dict[str, Any]:
    body = {
        "indicator": "パトロール回数",
        "unit": "回",
        "kind": "output",
        "direction": "increase",
        "baseline_year": 2017,
        "baseline_value": "589",
        "target_year": 2022,
        "target_value": "650",
    }
    return body | changes


def test_targets_are_set_listed_and_revised_through_the_api(seeded: Plan, people: People) -> None:
    measure = Measure.objects.get(plan=seeded, title=PATROL)
    path = f"/api/plans/{seeded.pk}/measures/{measure.pk}/targets"
    client = _client(people.alice)
    listed = client.get(path).json()
    patrols = next(row for row in listed if row["indicator"] == "パトロール回数")
    assert patrols == {"indicator": "パトロール回数", "unit": "回", "current": None, "history": [], "achievements": []}

    made = client.post(path, _body(), content_type="application/json")
    assert made.status_code == 200, made.content
    assert made.json()["target_value"] == 650
    revised = client.post(path, _body(target_value="700", reason="上方修正"), content_type="application/json")
    assert revised.status_code == 200, revised.content

    patrols = next(row for row in client.get(path).json() if row["indicator"] == "パトロール回数")
    assert patrols["current"]["target_value"] == 700 and patrols["current"]["reason"] == "上方修正"
    assert [t["target_value"] for t in patrols["history"]] == [650, 700]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "件"}, "目標の単位「件」は指標「パトロール回数」の単位「回」と違います"),
        ({"target_year": 2016}, "目標年度（平成28年度（2016年度））が基準年度（平成29年度（2017年度））より前です"),
        ({"direction": "up"}, "方向「up」は、増やす・減らす・維持 のいずれかです"),
    ],
)
def test_a_target_that_cannot_hold_is_a_400_naming_why(
    seeded: Plan, people: People, changes: dict[str, Any], message: str
) -> None:
    measure = Measure.objects.get(plan=seeded, title=PATROL)
    answer = _client(people.alice).post(
        f"/api/plans/{seeded.pk}/measures/{measure.pk}/targets", _body(**changes), content_type="application/json"
    )
    assert answer.status_code == 400 and answer.json()["detail"] == message
    assert not Target.objects.exists()


def test_an_editor_may_not_set_targets(seeded: Plan, people: People) -> None:
    measure = Measure.objects.get(plan=seeded, title=PATROL)
    answer = _client(people.bob).post(
        f"/api/plans/{seeded.pk}/measures/{measure.pk}/targets", _body(), content_type="application/json"
    )
    assert answer.status_code == 403 and not Target.objects.exists()


def test_achievements_and_the_grade_scale_through_the_api(seeded: Plan, people: People) -> None:
    measure = Measure.objects.get(plan=seeded, title=PATROL)
    path = f"/api/plans/{seeded.pk}/measures/{measure.pk}/targets"
    client = _client(people.alice)
    client.post(path, _body(), content_type="application/json")

    def patrols() -> Any:
        return next(row for row in client.get(path).json() if row["indicator"] == "パトロール回数")["achievements"]

    assert patrols() == [
        {"year": 2017, "actual": 589, "rate": 90.6, "grade": "A"},
        {"year": 2018, "actual": 472, "rate": 72.6, "grade": "C"},
    ]
    scale = f"/api/plans/{seeded.pk}/grades"
    assert client.get(scale).json() == {
        "bands": ["S 100", "A 90", "B 改善", "C"],
        "no_target": "－",
        "no_value": "未把握",
    }
    refused = client.put(scale, {"bands": ["S 100", "A 90"]}, content_type="application/json")
    assert refused.status_code == 400 and "最後の段階「A」には条件を付けず" in refused.json()["detail"]
    saved = client.put(scale, {"bands": ["◎ 100", "○ 70", "△"]}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["bands"] == ["◎ 100", "○ 70", "△"]
    assert [a["grade"] for a in patrols()] == ["○", "○"]
    assert _client(people.bob).get(scale).status_code == 403
