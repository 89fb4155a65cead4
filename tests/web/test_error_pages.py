"""403, 404, 500 and CSRF failures are Japanese pages in the site's layout, with a way back (issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client

from shishin.plans.models import Plan, Record

from ..conftest import People
from ..helpers import signed_in

pytestmark = pytest.mark.django_db


def _is_ours(html: str, heading: str) -> None:
    assert '<html lang="ja">' in html and f"<h1>{heading}</h1>" in html
    assert 'href="/"' in html and "Page not found" not in html and "Forbidden" not in html


def test_a_page_that_does_not_exist(seeded: Plan) -> None:
    for path in ("/no/such/page/", f"/plans/{seeded.pk}/measures/9999999/", f"/plans/{'9' * 20}/years/2018/"):
        answer = Client().get(path)
        assert answer.status_code == 404, path
        _is_ours(answer.content.decode(), "ページが見つかりません")


def test_a_page_the_person_may_not_see(seeded: Plan, people: People) -> None:
    from shishin.plans import actions

    actions.do_open_fiscal_year(seeded, 2019, deadline=None, by=people.alice)
    bobs = Record.objects.filter(fiscal_year__year=2019, department__name="地域安全課").first()
    assert bobs is not None
    answer = signed_in(people.carol).get(f"/staff/records/{bobs.pk}/")
    assert answer.status_code == 403
    html = answer.content.decode()
    _is_ours(html, "このページは表示できません")
    assert 'href="/staff/"' in html  # back to her own tasks


def test_a_form_sent_after_its_token_expired(seeded: Plan, people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.alice)
    answer = client.post("/staff/tokens/", {"name": "x"})
    assert answer.status_code == 403
    html = answer.content.decode()
    _is_ours(html, "送信を受け付けられませんでした")
    assert "再読み込み" in html


def test_an_error_on_the_server(seeded: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    from shishin.web import views

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("forced for the test")

    monkeypatch.setattr(views.search, "search", broken)  # type: ignore[attr-defined]
    answer = Client(raise_request_exception=False).get("/search/?q=防犯")
    assert answer.status_code == 500
    _is_ours(answer.content.decode(), "システムでエラーが発生しました")
