"""Every staff page and API endpoint, asked by every role: each answer is the one the role allows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Plan, Record

from ..conftest import People
from ..helpers import run

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "carol", "dave", "erin"]
# A redirect to sign in is how a page refuses someone not signed in.
SIGN_IN = 302


@pytest.fixture
def world(seed_path: Path, people: People) -> dict[str, Any]:
    run("import", str(seed_path))
    plan = Plan.objects.get()
    actions.do_open_fiscal_year(plan, 2019, deadline=None, by=people.alice)
    bobs = Record.objects.get(measure__title="CoCoパトロール隊による地域パトロール", fiscal_year__year=2019)
    return {"plan": plan.pk, "bobs": bobs.pk, "people": people}


# (method, path, expected status by role: anonymous, alice, bob, carol, dave, erin)
MATRIX: list[tuple[str, str, list[int]]] = [
    ("GET", "/staff/", [SIGN_IN, 200, 200, 200, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/structure/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/plans/{plan}/years/2019/checks/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/records/{bobs}/", [SIGN_IN, 200, 200, 403, 200, 403]),
    ("POST", "/staff/records/{bobs}/comment/", [SIGN_IN, 302, 302, 403, 302, 403]),
    ("POST", "/staff/records/{bobs}/save/", [SIGN_IN, 302, 302, 403, 403, 403]),
    ("POST", "/staff/plans/{plan}/years/2019/remind/", [SIGN_IN, 302, 403, 403, 403, 403]),
    ("POST", "/staff/plans/{plan}/open/", [SIGN_IN, 302, 403, 403, 403, 403]),
    ("GET", "/admin/", [302, 200, 302, 302, 302, 302]),
    ("GET", "/api/my/records", [401, 200, 200, 200, 200, 200]),
    ("GET", "/api/records/{bobs}", [401, 200, 200, 403, 200, 403]),
    ("PUT", "/api/records/{bobs}", [401, 200, 200, 403, 403, 403]),
    ("POST", "/api/records/{bobs}/submit", [401, 200, 200, 403, 403, 403]),
    ("GET", "/api/plans/{plan}/years/2019/records", [404, 404, 404, 404, 404, 404]),
    ("GET", "/api/plans/{plan}/years/2018/records", [200, 200, 200, 200, 200, 200]),
    ("GET", "/plans/{plan}/years/2018/", [200, 200, 200, 200, 200, 200]),
    ("GET", "/plans/{plan}/years/2019/", [404, 404, 404, 404, 404, 404]),
]


def _request(client: Client, method: str, path: str) -> int:
    if method == "GET":
        return client.get(path).status_code
    if method == "PUT":
        return client.put(path, {"version": 1, "items": [{"text": "変更"}]}, "application/json").status_code
    if path.startswith("/api/"):
        return client.post(path, {"version": 1}, "application/json").status_code
    data = {"version": "1", "items": "・変更", "text": "コメント", "year": "2020"}
    return client.post(path, data).status_code


@pytest.mark.parametrize(("method", "path", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_each_role_gets_what_it_may(world: dict[str, Any], method: str, path: str, expected: list[int]) -> None:
    people: People = world["people"]
    found = {}
    for role in ROLES:
        # Each role starts from the same state: a write by an earlier role must not decide a later answer.
        Record.objects.filter(pk=world["bobs"]).update(version=1, state=Record.State.NOT_STARTED)
        client = Client()
        if role != "anonymous":
            client.force_login(people.all()[role])
        found[role] = _request(client, method, path.format(**world))
    assert found == dict(zip(ROLES, expected, strict=True))
