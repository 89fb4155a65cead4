"""A whole year through the JSON API, as a script with an API key would drive it."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.test import Client

from shishin.plans.models import ApiToken, Measure, Plan, Record

from ..conftest import People
from ..helpers import SEED_ERRORS_REASON, signed_in

pytestmark = pytest.mark.django_db

PATROL = "CoCoパトロール隊による地域パトロール"


def _key(user: Any, name: str = "集計スクリプト") -> str:
    answer = signed_in(user).post("/api/tokens", {"name": name}, "application/json")
    assert answer.status_code == 200, answer.content
    key: str = answer.json()["key"]
    return key


class Script:
    """An HTTP client that sends an API key and nothing else (no session, no cookie)."""

    def __init__(self, key: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(path, data, "application/json")

    def put(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.put(path, data, "application/json")

    def patch(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.patch(path, data, "application/json")


def test_a_year_from_opening_to_publishing_through_the_api(seeded: Plan, people: People) -> None:
    plan = seeded.pk
    key = _key(people.alice)
    admin, bob = Script(key), Script(_key(people.bob))
    stored = ApiToken.objects.get(user=people.alice).digest
    assert stored == hashlib.sha256(key.encode()).hexdigest() and key not in stored  # only the digest is kept

    assert admin.post(f"/api/plans/{plan}/years", {"year": 2019, "deadline": "2020-04-30"}).json()["status"] == (
        "collecting"
    )
    assert bob.post(f"/api/plans/{plan}/years", {"year": 2020}).status_code == 403
    # The structure of the open year.
    pillar = Measure.objects.get(title=PATROL).pillar
    added = admin.post(
        f"/api/plans/{plan}/years/2019/measures",
        {"title": "防犯講習会の開催", "pillar": pillar.number, "area": 1, "departments": ["地域安全課"]},
    )
    assert added.status_code == 200, added.content
    renamed = admin.patch(
        f"/api/plans/{plan}/years/2019/measures/{added.json()['id']}", {"description": "地域で講習会を開きます"}
    )
    assert renamed.json()["description"] == "地域で講習会を開きます"
    assert bob.patch(f"/api/plans/{plan}/years/2019/measures/{added.json()['id']}", {"retire": True}).status_code == 403

    # Who reads an open year's records: all for the administrator, his department's for Bob, none for visitors.
    everything = admin.get(f"/api/plans/{plan}/years/2019/records").json()
    his = bob.get(f"/api/plans/{plan}/years/2019/records").json()
    assert {r["department"] for r in his} == {"地域安全課"} and len(everything) > len(his)
    assert Client().get(f"/api/plans/{plan}/years/2019/records").status_code == 404

    for record in his:
        if record["items"]:
            answer = bob.post(f"/api/records/{record['id']}/submit", {"version": record["version"]})
        else:
            saved = bob.put(
                f"/api/records/{record['id']}", {"version": record["version"], "items": [], "no_activity": True}
            )
            answer = bob.post(f"/api/records/{record['id']}/submit", {"version": saved.json()["version"]})
        assert answer.status_code == 200, answer.content
    # The other departments submit on the pages; the administrator returns one and approves the rest.
    for found in Record.objects.filter(fiscal_year__year=2019).exclude(department__name="地域安全課"):
        if not found.items.exists():
            found.no_activity = True
        found.state = Record.State.SUBMITTED
        found.save()
    submitted = admin.get(f"/api/plans/{plan}/years/2019/records").json()
    first, *rest = submitted
    assert admin.post(f"/api/records/{first['id']}/approve", {"version": first["version"] - 1}).status_code == 409
    returned = admin.post(f"/api/records/{first['id']}/return", {"version": first["version"], "comment": "数を確認"})
    assert returned.json()["state"] == "returned"
    assert bob.post(f"/api/records/{rest[0]['id']}/approve", {"version": rest[0]["version"]}).status_code == 403
    again = admin.post(f"/api/records/{first['id']}/approve", {"version": returned.json()["version"]})
    assert again.status_code == 400  # a returned record is submitted again before it is approved
    resubmitted = Record.objects.get(pk=first["id"])
    resubmitted.state = Record.State.SUBMITTED
    resubmitted.save()
    for record in [{"id": first["id"], "version": resubmitted.version}, *rest]:
        assert admin.post(f"/api/records/{record['id']}/approve", {"version": record["version"]}).status_code == 200

    # Publishing: refused with the blocking findings, then published with the reason.
    refused = admin.post(f"/api/plans/{plan}/years/2019/publish", {"override_reason": None})
    assert refused.status_code == 409
    assert {f["code"] for f in refused.json()["findings"]} == {"description-mismatch"}
    assert bob.post(f"/api/plans/{plan}/years/2019/publish", {"override_reason": "x"}).status_code == 403
    published = admin.post(f"/api/plans/{plan}/years/2019/publish", {"override_reason": SEED_ERRORS_REASON})
    assert published.status_code == 200, published.content
    edition = published.json()
    assert (edition["number"], edition["override_reason"]) == (1, SEED_ERRORS_REASON)
    for file in edition["files"]:
        assert hashlib.sha256(Client().get(file["url"]).content).hexdigest() == file["sha256"]
    assert Client().get(f"/api/plans/{plan}/years/2019/records").status_code == 200  # published: public

    reopened = admin.post(f"/api/plans/{plan}/years/2019/reopen", {"reason": "数値の訂正"})
    assert reopened.json()["status"] == "collecting"
    assert [e["number"] for e in Client().get(f"/api/plans/{plan}/years/2019/editions").json()] == [1]


def test_an_api_key_is_its_owners_until_revoked(seeded: Plan, people: People) -> None:
    key = _key(people.bob)
    script = Script(key)
    assert script.get("/api/my/records").status_code == 200
    listed = signed_in(people.bob).get("/api/tokens").json()
    assert [t["name"] for t in listed] == ["集計スクリプト"] and "key" not in listed[0]
    # Carol cannot revoke Bob's key; Bob can.
    assert signed_in(people.carol).delete(f"/api/tokens/{listed[0]['id']}").status_code == 404
    assert signed_in(people.bob).delete(f"/api/tokens/{listed[0]['id']}").status_code == 204
    assert script.get("/api/my/records").status_code == 401
    assert Script("shishin_not-a-key").get("/api/my/records").status_code == 401


def test_a_key_is_made_and_revoked_on_its_owners_page(seeded: Plan, people: People) -> None:
    bob = signed_in(people.bob)
    made = bob.post("/staff/tokens/new/", {"name": "週次の集計"})
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    key = re.search(r'id="new-key" value="([^"]+)"', made.content.decode())
    assert key is not None and Script(key[1]).get("/api/my/records").status_code == 200
    listed = bob.get("/staff/tokens/").content.decode()
    assert "週次の集計" in listed and key[1] not in listed  # shown once
    token = ApiToken.objects.get(user=people.bob)
    assert signed_in(people.carol).post(f"/staff/tokens/{token.pk}/revoke/").status_code == 404
    bob.post(f"/staff/tokens/{token.pk}/revoke/")
    assert Script(key[1]).get("/api/my/records").status_code == 401
