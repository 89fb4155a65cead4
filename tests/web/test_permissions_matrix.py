"""Every staff page and API endpoint, asked by every role: each answer is the one the role allows,
each allowed change is made, and a refused one changes nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from shishin.plans.models import Comment, FiscalYear, Mail, Plan, Record

from ..conftest import People
from ..helpers import snapshot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "alice", "bob", "carol", "dave", "erin"]
# A redirect to sign in is how a page refuses someone not signed in.
SIGN_IN = 302


@pytest.fixture
def world(seeded_2019_open: Plan, people: People) -> dict[str, Any]:
    plan = seeded_2019_open
    bobs = Record.objects.get(measure__title="CoCoパトロール隊による地域パトロール", fiscal_year__year=2019)
    return {"plan": plan.pk, "bobs": bobs.pk, "patrol": bobs.measure_id, "people": people}


# (method, path, expected status by role: anonymous, alice, bob, carol, dave, erin)
MATRIX: list[tuple[str, str, list[int]]] = [
    ("GET", "/staff/", [SIGN_IN, 200, 200, 200, 200, 403]),
    ("GET", "/staff/tokens/", [SIGN_IN, 200, 200, 200, 200, 403]),
    ("GET", "/staff/mail/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/structure/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/plans/{plan}/years/2019/checks/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/publishing/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/preview/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/preview.pdf", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/records/{bobs}/", [SIGN_IN, 200, 200, 403, 200, 403]),
    ("POST", "/staff/records/{bobs}/comment/", [SIGN_IN, 302, 302, 403, 302, 403]),
    ("POST", "/staff/records/{bobs}/save/", [SIGN_IN, 302, 302, 403, 403, 403]),
    ("POST", "/staff/plans/{plan}/years/2019/remind/", [SIGN_IN, 302, 403, 403, 403, 403]),
    ("POST", "/staff/plans/{plan}/open/", [SIGN_IN, 302, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/targets/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/targets.xlsx", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/measures/{patrol}/targets/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/grades/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/outcomes/", [SIGN_IN, 200, 403, 403, 403, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/council/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/council/{patrol}/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/staff/plans/{plan}/years/2019/evaluation-preview/", [SIGN_IN, 200, 403, 403, 200, 403]),
    ("GET", "/api/plans/{plan}/years/2019/measures/{patrol}/council", [401, 200, 403, 403, 200, 403]),
    # An evaluation is public once a year is published with it, never before.
    ("GET", "/plans/{plan}/years/2019/evaluation/", [404, 404, 404, 404, 404, 404]),
    ("GET", "/api/plans/{plan}/years/2019/evaluation", [404, 404, 404, 404, 404, 404]),
    ("GET", "/admin/", [302, 200, 302, 302, 302, 302]),
    ("GET", "/api/my/records", [401, 200, 200, 200, 200, 200]),
    ("GET", "/api/records/{bobs}", [401, 200, 200, 403, 200, 403]),
    ("PUT", "/api/records/{bobs}", [401, 200, 200, 403, 403, 403]),
    ("POST", "/api/records/{bobs}/submit", [401, 200, 200, 403, 403, 403]),
    ("GET", "/api/plans/{plan}/measures/{patrol}/targets", [401, 200, 403, 403, 403, 403]),
    # An open year: all of it to the administrator and the reviewer, their own to editors, none to others.
    ("GET", "/api/plans/{plan}/years/2019/records", [404, 200, 200, 200, 200, 404]),
    ("GET", "/api/plans/{plan}/years/2018/records", [200, 200, 200, 200, 200, 200]),
    ("GET", "/plans/{plan}/years/2018/", [200, 200, 200, 200, 200, 200]),
    ("GET", "/plans/{plan}/years/2019/", [404, 404, 404, 404, 404, 404]),
]


def _request(client: Client, method: str, path: str, role: str) -> Any:
    """Ask as ``role``; what a write sends names the role, so its effect tells who made it."""
    if method == "GET":
        return client.get(path)
    if method == "PUT":
        return client.put(path, {"version": 1, "items": [{"text": f"{role}の変更"}]}, "application/json")
    if path.startswith("/api/"):
        return client.post(path, {"version": 1}, "application/json")
    data = {
        "version": "1",
        "items": f"・{role}の変更",
        "text": f"{role}のコメント",
        "year": "2020",
    }
    return client.post(path, data)


def _shown(client: Client, response: Any) -> list[tuple[str, str]]:
    """The messages on the page a form sends back to, as (level, text)."""
    page = client.get(response["Location"]).content.decode()
    return re.findall(r'<p class="message message-(\w+)">([^<]*)</p>', page)


def _made(world: dict[str, Any], method: str, path: str, role: str, client: Client, response: Any) -> None:
    """Check that the allowed write of ``path`` by ``role`` did what it is for."""
    user = world["people"].all()[role]
    record = Record.objects.get(pk=world["bobs"])
    items = [(i.text, i.bullet) for i in record.items.order_by("position")]
    if path.endswith("/comment/"):
        assert Comment.objects.filter(
            record=record, author=user, kind=Comment.Kind.COMMENT, text=f"{role}のコメント"
        ).exists()
        assert _shown(client, response) == [("success", "コメントしました")]
    elif path.endswith("/save/"):
        assert items == [(f"{role}の変更", True)]
        assert (record.version, record.state, record.updated_by) == (2, Record.State.DRAFT, user)
        assert _shown(client, response) == [("success", "保存しました")]
    elif path.endswith("/remind/"):
        # Both departments with editors have records to submit: 地域安全課 (bob) and 学務課 (carol); the
        # mail waits in the outbox for the step to commit. The departments nobody reaches are named.
        reminders = Mail.objects.filter(kind="reminder")
        assert sorted(to for queued in reminders for to in queued.to) == ["bob@example.jp", "carol@example.jp"]
        shown = _shown(client, response)
        assert shown[0] == ("success", "2 担当課の未提出の取組みについて、2 件の宛先に督促メールを送りました")
        assert [level for level, _ in shown[1:]] == ["warning"]
    elif path.endswith("/open/"):
        opened = FiscalYear.objects.get(plan_id=world["plan"], year=2020)
        assert opened.status == FiscalYear.Status.COLLECTING
        count = opened.records.count()
        assert count == Record.objects.filter(fiscal_year__plan_id=world["plan"], fiscal_year__year=2019).count()
        assert _shown(client, response) == [("success", f"{opened.label}を開始しました（取組み {count} 件）")]
    elif method == "PUT":
        assert response.json()["items"] == [{"text": f"{role}の変更", "bullet": True}]
        assert items == [(f"{role}の変更", True)] and record.version == 2
    elif path.endswith("/submit"):
        assert response.json()["state"] == record.state == Record.State.SUBMITTED
    else:
        pytest.fail(f"no effect known for {method} {path}")


@pytest.mark.parametrize(("method", "path", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_each_role_gets_what_it_may(world: dict[str, Any], method: str, path: str, expected: list[int]) -> None:
    people: People = world["people"]
    found = {}
    for role, status in zip(ROLES, expected, strict=True):
        # Each role starts from the same state: a write by an earlier role must not decide a later answer.
        Record.objects.filter(pk=world["bobs"]).update(version=1, state=Record.State.NOT_STARTED)
        mail.outbox.clear()
        client = Client()
        if role != "anonymous":
            client.force_login(people.all()[role])
        before = snapshot() if method != "GET" else None
        response = _request(client, method, path.format(**world), role)
        found[role] = response.status_code
        if method == "GET" or response.status_code != status:
            continue
        # A form answers a redirect both when it acted and when it did not (an error message, or
        # the sign-in page): only the effect tells.
        if role != "anonymous" and status in (200, 302):
            _made(world, method, path, role, client, response)
        else:
            assert (snapshot(), mail.outbox) == (before, []), f"{role} was refused {method} {path} but it changed"
    assert found == dict(zip(ROLES, expected, strict=True))
