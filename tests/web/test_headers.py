"""Every kind of answer carries the security headers, whichever layer answers it: a view, a
redirect to sign in, an error page, the API, a refusal before the view, the cached report page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from shishin.plans import actions
from shishin.plans.models import Department, Measure, Plan, Record
from shishin.web.front import Remembered

from ..conftest import People
from ..helpers import run, wsgi_get

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture
def site(seed_path: Path, people: People) -> dict[str, Any]:
    run("import", str(seed_path))
    plan = Plan.objects.get()
    actions.do_open_fiscal_year(plan, 2019, deadline=None, by=people.alice)
    return {
        "plan": plan.pk,
        "measure": Measure.objects.get(title="CoCoパトロール隊による地域パトロール").pk,
        "department": Department.objects.get(name="地域安全課").pk,
        "record": Record.objects.filter(fiscal_year__year=2019, department__name="地域安全課").first().pk,  # type: ignore[union-attr]
        "people": people,
    }


# (kind of answer, who asks, method, path, the status expected)
ANSWERS: list[tuple[str, str, str, str, int]] = [
    ("index", "anonymous", "GET", "/", 200),
    ("search", "anonymous", "GET", "/search/?q=パトロール", 200),
    ("report page, rendered", "anonymous", "GET", "/plans/{plan}/years/2018/", 200),
    ("report page, from the cache", "anonymous", "GET", "/plans/{plan}/years/2018/", 200),
    ("download", "anonymous", "GET", "/plans/{plan}/years/2018/report.csv", 200),
    ("measure", "anonymous", "GET", "/plans/{plan}/measures/{measure}/", 200),
    ("department", "anonymous", "GET", "/plans/{plan}/departments/{department}/", 200),
    ("draft year", "anonymous", "GET", "/plans/{plan}/years/2019/", 404),
    ("no such page", "anonymous", "GET", "/no/such/page/", 404),
    ("NUL refused before the view", "anonymous", "GET", "/search/?q=%00", 400),
    ("sign-in form", "anonymous", "GET", "/accounts/login/", 200),
    ("failed sign-in", "anonymous", "POST", "/accounts/login/", 200),
    ("redirect to sign in", "anonymous", "GET", "/staff/", 302),
    ("admin sign-in", "anonymous", "GET", "/admin/login/", 200),
    ("API", "anonymous", "GET", "/api/plans", 200),
    ("API schema", "anonymous", "GET", "/api/openapi.json", 200),
    ("API, not signed in", "anonymous", "GET", "/api/records/{record}", 401),
    ("API, not found", "anonymous", "GET", "/api/plans/999999/years", 404),
    ("no role", "erin", "GET", "/staff/", 403),
    ("staff home", "alice", "GET", "/staff/", 200),
    ("board", "alice", "GET", "/staff/plans/{plan}/years/2019/", 200),
    ("structure", "alice", "GET", "/staff/plans/{plan}/years/2019/structure/", 200),
    ("record", "alice", "GET", "/staff/records/{record}/", 200),
    ("comment, then back to the record", "alice", "POST", "/staff/records/{record}/comment/", 302),
    ("checks", "alice", "GET", "/plans/{plan}/years/2019/checks/", 200),
    ("report page, signed in (never cached)", "alice", "GET", "/plans/{plan}/years/2018/", 200),
    ("admin", "alice", "GET", "/admin/", 200),
    ("API, signed in", "alice", "GET", "/api/my/records", 200),
]


def _missing(response: Any) -> dict[str, tuple[str | None, str]]:
    return {
        name: (response.get(name), value) for name, value in SECURITY_HEADERS.items() if response.get(name) != value
    }


def test_every_kind_of_answer_sends_the_security_headers(site: dict[str, Any]) -> None:
    assert "frame-ancestors 'none'" in settings.CONTENT_SECURITY_POLICY
    people: People = site["people"]
    found = {}
    for kind, who, method, path, _ in ANSWERS:
        client = Client()
        if who != "anonymous":
            client.force_login(people.all()[who])
        url = path.format(**site)
        if method == "GET":
            response = client.get(url)
        elif url == "/accounts/login/":
            response = client.post(url, {"username": "alice", "password": "wrong"})
        else:
            response = client.post(url, {"text": "見ました"})
        found[kind] = (response.status_code, _missing(response))
    assert found == {kind: (status, {}) for kind, _, _, _, status in ANSWERS}


def test_a_static_file_has_the_headers_of_the_layers_before_whitenoise() -> None:
    response = Client().get("/static/shishin.css")
    assert response.status_code == 200
    # X-Frame-Options comes later than WhiteNoise; a stylesheet is not framed, and the CSP forbids framing anyway.
    assert _missing(response) == {"X-Frame-Options": (None, "DENY")}


def test_a_cached_report_page_has_the_headers_of_a_rendered_one(
    site: dict[str, Any], settings: Any, django_assert_num_queries: Any
) -> None:
    """The page visitors read most is answered from the cache before the layers that add some headers."""
    path = f"/plans/{site['plan']}/years/2018/"
    rendered = Client().get(path)
    assert rendered.status_code == 200 and _missing(rendered) == {}
    with django_assert_num_queries(0):
        cached = Client().get(path)
    assert cached.status_code == 200 and cached.content == rendered.content
    assert dict(cached.headers) == dict(rendered.headers)
    # A worker also keeps what it answered in memory for a while, before Django: that answer too.
    settings.REPORT_PAGE_MEMORY_SECONDS = 600
    front = Remembered(WSGIHandler())
    drawn = wsgi_get(front, path)
    cache.clear()
    with django_assert_num_queries(0):
        remembered = wsgi_get(front, path)
    assert remembered == drawn and remembered.body == rendered.content
    assert remembered.headers == dict(rendered.headers) | {"Content-Length": str(len(rendered.content))}
